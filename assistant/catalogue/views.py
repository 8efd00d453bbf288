"""What a page shows from the catalogue besides the records: a timeline and a few aggregates,
each entry keeping the citation it comes from."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from assistant.catalogue.model import Catalogue, Cited, ContractRecord, StatedCount


@dataclass
class TimelineEvent:
    when: str
    """ISO date, or a year for a period's start or end."""
    territory: str
    event: str
    """signature, début, fin, en préparation (French: shown as is)."""
    cited: Cited


def timeline(records: list[ContractRecord]) -> list[TimelineEvent]:
    """Signatures, starts and ends of periods, oldest first."""
    events = []
    for record in records:
        if record.signed_on:
            events.append(TimelineEvent(record.signed_on.normalized, record.name, "signature", record.signed_on))
        if record.years:
            start, end = record.years
            events.append(TimelineEvent(str(start), record.name, "début", record.period))
            events.append(TimelineEvent(str(end), record.name, "fin", record.period))
        if record.status == "in_preparation" and record.preparation:
            said_on = record.preparation.source.date
            events.append(TimelineEvent(said_on, record.name, "en préparation", record.preparation))
    return sorted(events, key=lambda e: (e.when, e.territory))


def timeline_bars(records: list[ContractRecord]) -> tuple[list[dict], tuple[int, int] | None, list[ContractRecord]]:
    """The bars of the catalogue page's timeline (one per record with a period: « Territoire »,
    « début », « fin » as the year after the last), the axis span (only the periods' years, not
    0..2200), and the records without a period (in preparation, or not stated), listed beside it."""
    bars = [{"Territoire": r.name, "début": r.years[0], "fin": r.years[1] + 1} for r in records if r.years]
    undated = [r for r in records if not r.years]
    if not bars:
        return [], None, undated
    return bars, (min(b["début"] for b in bars), max(b["fin"] for b in bars)), undated


def aggregates(catalogue: Catalogue) -> dict:
    """Counts by status and by signature year, and the newest count the documents state."""
    records = catalogue.records
    stated = sorted((c for c in catalogue.counts if c.kind == "active"),
                    key=lambda c: (c.source.date, c.explicit_date), reverse=True)
    return {
        "records": len(records),
        "by_status": dict(Counter(r.status_label for r in records)),
        "by_signature_year": dict(sorted(Counter(r.signed_year for r in records if r.signed_year).items())),
        "stated_active": _stated(stated[0]) if stated else None,
    }


def _stated(count: StatedCount) -> dict:
    return {"count": count.count, "as_of": count.as_of, "file": count.source.file,
            "page": count.source.page, "quote": count.source.quote}
