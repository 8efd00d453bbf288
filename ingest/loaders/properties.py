"""Filters the metadata files declare about themselves: tools fill it with placeholders."""

from __future__ import annotations

import re

PLACEHOLDERS = {"", "anonymous", "unspecified", "unknown", "untitled", "sans titre", "none", "python-docx"}
FILE_NAME = re.compile(r"\.(pdf|docx?|odt|rtf|txt|html?|indd|qxd)$|^microsoft (word|powerpoint)", re.IGNORECASE)


def meaningful(value: object) -> str | None:
    """`value` as a clean string, or None when it is a placeholder or a file name, not information."""
    if value is None:
        return None
    text = " ".join(str(value).split())
    if text.casefold() in PLACEHOLDERS or FILE_NAME.search(text):
        return None
    return text
