"""Dates as French readers write them."""

from __future__ import annotations

from datetime import date

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")


def french_date(iso: str) -> str:
    """« 8 décembre 2017 » from « 2017-12-08 »; the input itself when it is not an ISO date."""
    try:
        day = date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    return f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]} {day.year}"
