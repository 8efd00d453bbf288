"""Briefing notes: an answer or a whole conversation, with its cited sources, as a file to forward.

`note.py` holds what a note says; `word.py` and `pdf.py` write it as .docx and .pdf. Every piece
of document text is written as plain text: nothing in it can become a field, a link or a macro.
"""
