"""Dates as French readers write them."""

from __future__ import annotations

from datetime import date

from assistant.core.french import fold

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")
MONTH_SPELLINGS = {
    "janvier": 1, "janv": 1, "février": 2, "fevrier": 2, "févr": 2, "fevr": 2, "fév": 2, "fev": 2,
    "mars": 3, "avril": 4, "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "août": 8,
    "aout": 8, "septembre": 9, "sept": 9, "octobre": 10, "oct": 10, "novembre": 11, "nov": 11,
    "décembre": 12, "decembre": 12, "déc": 12, "dec": 12,
}
"""Month names as people write them, accents or not, with the abbreviations of press releases
(« 12 juil. 2023 »), to their number."""
MONTH_NUMBERS = {fold(name): number for name, number in MONTH_SPELLINGS.items()}
"""The same, folded (assistant/core/french.py): for text that was folded before matching."""
MONTH_ALTERNATION = "|".join(sorted(MONTH_SPELLINGS, key=len, reverse=True))
"""Every spelling as a regular expression's alternatives, longest first (« juillet » before « juil »)."""


def first_day(iso: str) -> date:
    """The first day a date written at any precision covers: « 2025 » → 1 January 2025,
    « 2025-02 » → 1 February 2025 (ValueError when it is no ISO date)."""
    text = iso[:10]
    if len(text) == 4 and text.isdigit():
        return date(int(text), 1, 1)
    if len(text) == 7 and text[4] == "-":
        return date(int(text[:4]), int(text[5:7]), 1)
    return date.fromisoformat(text)


def french_date(iso: str) -> str:
    """« 8 décembre 2017 » from « 2017-12-08 », « février 2025 » from « 2025-02 », « 2025 » from
    « 2025 »; the input itself when it is not an ISO date."""
    if len(iso) == 7 and iso[:4].isdigit() and iso[4] == "-" and iso[5:].isdigit() and 1 <= int(iso[5:]) <= 12:
        return f"{MONTHS[int(iso[5:]) - 1]} {iso[:4]}"
    try:
        day = date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    return f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]} {day.year}"
