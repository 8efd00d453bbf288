"""Whether a CLS is active, ended or in preparation, relative to a given day.

Computed when the catalogue is read, never stored: the same record is active today and ended in
a few years. The basis is the field the status was derived from, so it can be cited.
"""

from __future__ import annotations

from datetime import date

from assistant.catalogue.model import ContractRecord


def status_of(record: ContractRecord, today: date) -> tuple[str, str]:
    """(status, basis field): in_preparation, active, ended, signed (when it ends is not known) or
    unknown."""
    years = record.years
    signed = record.signed_on.normalized if record.signed_on else ""
    preparation = record.preparation
    if preparation:
        said_on = preparation.source.date
        signed_since = signed and signed >= said_on
        newer_period = record.period and record.period.source.date > said_on
        if not signed_since and not newer_period:
            return "in_preparation", "preparation"
    if years:
        start, end = years
        if end < today.year:
            return "ended", "period"
        if start <= today.year:
            return "active", "period"
        return ("active" if signed else "in_preparation"), "period"
    if signed and len(signed) == 10 and record.duration and record.duration.normalized.isdigit():
        begun = date.fromisoformat(signed)
        try:
            ends = begun.replace(year=begun.year + int(record.duration.normalized))
        except ValueError:  # 29 February
            ends = begun.replace(year=begun.year + int(record.duration.normalized), day=28)
        return ("active" if today < ends else "ended"), "duration"
    if signed:
        return "signed", "signed_on"
    return "unknown", ""


def with_status(records: list[ContractRecord], today: date) -> list[ContractRecord]:
    for record in records:
        record.status, record.status_basis = status_of(record, today)
    return records
