"""Document and answer text turned into Streamlit Markdown that can only display, never act.

Document text is untrusted: a passage may hold `<script>`, `[x](javascript:…)`, Streamlit
directives (`:red[…]`, `:material/…:`) or LaTeX. Every ASCII punctuation character of such text is
written as a numeric character reference (`&#60;`), which Markdown decodes into a literal character
after parsing: nothing in the text can open a link, a tag, a directive or a formula. Bare web and
mail addresses, which Markdown would turn into links after decoding, get an invisible word joiner
(U+2060) after their scheme, « www » or « @ ». Our own markup
(citation badges, highlights, list bullets) is added around the escaped pieces, never inside them.
"""

from __future__ import annotations

import re
import string

from assistant.passages import quote_span as find_quote  # noqa: F401  (used by the source cards)

CITATION = re.compile(r"\[(\d+)\]")
LIST_ITEM = re.compile(r"^\s*(?:[-•*▪◦]|\d+[.)])\s+")
HEADING = re.compile(r"^\s*#{1,6}\s+")
_ENTITIES = {ord(char): f"&#{ord(char)};" for char in string.punctuation}
_AUTOLINK = re.compile(r"(?i)\b(?:https?|ftp|mailto)(?=:)|\bwww(?=\.)|@(?=\w)")
WORD_JOINER = "\u2060"


def escape(text: str) -> str:
    """Text shown exactly as written, whatever Markdown, HTML or directive it contains."""
    return _AUTOLINK.sub(lambda m: m.group(0) + WORD_JOINER, text).translate(_ENTITIES)


def anchor(turn_id: str, n: int) -> str:
    """HTML id of the source card of citation `n` of one answer (the target of its `[n]` link)."""
    return f"source-{turn_id}-{n}"


def answer_markdown(text: str, turn_id: str, tooltips: dict[int, str] | None = None) -> str:
    """The answer with each `[n]` as a badge linking to its source card; the rest escaped.

    Line structure is kept: blank lines separate paragraphs, « - » lines stay list items, other
    line breaks stay line breaks.
    """
    tooltips = tooltips or {}

    def inline(line: str) -> str:
        pieces, last = [], 0
        for match in CITATION.finditer(line):
            n = int(match.group(1))
            pieces.append(escape(line[last : match.start()]))
            title = f' "{escape(tooltips[n])}"' if n in tooltips else ""
            pieces.append(f"[:blue-badge[{n}]](#{anchor(turn_id, n)}{title})")
            last = match.end()
        pieces.append(escape(line[last:]))
        return "".join(pieces)

    return _assemble(_lines(text), inline)


def highlighted_markdown(passage: str, quote: str) -> str:
    """The passage escaped, with the quoted sentence in bold on an orange background."""
    span = find_quote(passage, quote)
    segments = [(passage, False)] if span is None else [
        (passage[: span[0]], False), (passage[span[0] : span[1]], True), (passage[span[1] :], False)
    ]
    # Split the segments into lines, so that a highlight never spans a paragraph break.
    lines: list[list[tuple[str, bool]]] = [[]]
    for segment, marked in segments:
        for i, part in enumerate(segment.split("\n")):
            if i:
                lines.append([])
            lines[-1].append((part, marked))

    def render(fragments: list[tuple[str, bool]]) -> str:
        out = []
        for part, marked in fragments:
            if marked and part.strip():
                lead, core, trail = _split_spaces(part)
                out.append(f"{escape(lead)}:orange-background[**{escape(core)}**]{escape(trail)}")
            else:
                out.append(escape(part))
        return "".join(out).strip()

    return _assemble(lines, render, keep_lists=False)


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\t", " ").split("\n")


def _assemble(lines, render, keep_lists: bool = True) -> str:
    """Lines rendered one by one: blank → paragraph break, « # » heading → bold paragraph,
    list item → Markdown item, other → hard line break. A line is a string, or a list of
    (text, highlighted) fragments."""
    out: list[str] = []

    def new_paragraph() -> None:
        if out and out[-1] != "":
            out.append("")

    for line in lines:
        plain = line if isinstance(line, str) else "".join(part for part, _ in line)
        if not plain.strip():
            new_paragraph()
            continue
        heading = HEADING.match(plain)
        if heading and _drop_prefix(line, heading.end()) is not None:
            new_paragraph()
            out += [f"**{render(_drop_prefix(line, heading.end())).strip()}**", ""]
            continue
        bullet = LIST_ITEM.match(plain) if keep_lists and isinstance(line, str) else None
        if bullet:
            out.append("- " + render(line[bullet.end() :]))
            continue
        if out and out[-1].startswith("- "):
            out.append("")  # a plain line after a list starts a new paragraph
        elif out and out[-1] != "":
            out[-1] += "  "  # Markdown hard line break
        out.append(render(line.strip() if isinstance(line, str) else line))
    return "\n".join(out).strip()


def _drop_prefix(line, size: int):
    """The line without its first `size` characters; None if they are highlighted (kept as is)."""
    if isinstance(line, str):
        return line[size:]
    first, marked = line[0]
    if marked or len(first) < size:
        return None
    return [(first[size:], False), *line[1:]]


def _split_spaces(text: str) -> tuple[str, str, str]:
    core = text.strip()
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return lead, core, trail
