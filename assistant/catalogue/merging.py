"""Several documents about one CLS become one record.

Documents are matched by normalised territory (see `names.territory_key`). For a single value
(signing authority, date, period, duration) and for the list of axes, the newest document wins and
an older document's differing value is kept as an alternate with its own citation. Signatories,
partners, actions, coordination and funding facts add up across documents (once per value).
"""

from __future__ import annotations

from datetime import date

from assistant.catalogue.model import LIST_FIELDS as LIST
from assistant.catalogue.model import SINGLE_FIELDS as SINGLE
from assistant.catalogue.model import Catalogue, Cited, ContractRecord, DocumentFacts, Extraction
from assistant.catalogue.names import party_key, same_territory
from assistant.catalogue.status import with_status
from assistant.core.filters import Filters
from assistant.core.french import fold

ADDED_UP = tuple(name for name in LIST if name != "axes")
"""Lists every document adds to; a contract's axes are the newest document's list (older ones are alternates)."""


def catalogue_view(extraction: Extraction, today: date, filters: Filters | None = None) -> Catalogue:
    """The catalogue of the documents `filters` (assistant.retrieval.Filters) accept: merged from
    their facts only, statuses as of `today`."""
    accepted = (lambda source: filters.accepts(source.metadata)) if filters else (lambda source: True)
    facts = [f for f in extraction.facts if f.territory and accepted(f.territory.source)]
    counts = [c for c in extraction.counts if accepted(c.source)]
    return Catalogue(with_status(merge(facts), today), counts)


def merge(facts: list[DocumentFacts]) -> list[ContractRecord]:
    groups: list[list[DocumentFacts]] = []
    for found in sorted(facts, key=lambda f: (f.doc_date, f.file), reverse=True):
        group = next((g for g in groups if any(same_territory(found.key, other.key) for other in g)), None)
        if group is None:
            groups.append([found])
        else:
            group.append(found)
    records = [_record(group) for group in groups]
    return sorted(records, key=lambda r: fold(r.name))


def _record(group: list[DocumentFacts]) -> ContractRecord:
    """`group` is newest first."""
    newest = group[0]
    record = ContractRecord(key=newest.key, territory=newest.territory,
                            region=next((p.region for p in group if p.region), ""))
    _alternates(record, "territory", [p.territory for p in group[1:]], newest.territory)
    for name in SINGLE:
        values = [getattr(p, name) for p in group if getattr(p, name)]
        if values:
            setattr(record, name, values[0])
            _alternates(record, name, values[1:], values[0])
    with_axes = [p for p in group if p.axes]
    if with_axes:
        record.axes = list(with_axes[0].axes)
        kept = {_key(a) for a in record.axes}
        older = [a for p in with_axes[1:] for a in p.axes if _key(a) not in kept]
        if older:
            record.alternates["axes"] = _unique(older)
    for name in ADDED_UP:
        setattr(record, name, _unique([c for p in group for c in getattr(p, name)]))
    _superseded_preparation(record)
    _period_from_duration(record)
    return record


def _period_from_duration(record: ContractRecord) -> None:
    """« signé le 12 juin 2025 … pour 5 ans » gives 2025-2030, « … à l'horizon 2030 » too: cited by
    the duration's (or the horizon's) own words."""
    if record.period or not record.signed_on:
        return
    start = int(record.signed_on.normalized[:4])
    if record.horizon and record.horizon.normalized.isdigit() and start < int(record.horizon.normalized) <= start + 12:
        record.period = Cited(record.horizon.value, record.horizon.source, f"{start}-{record.horizon.normalized}")
        return
    if not (record.duration and record.duration.normalized.isdigit()):
        return
    years = int(record.duration.normalized)
    if 1 <= years <= 10:
        record.period = Cited(record.duration.value, record.duration.source, f"{start}-{start + years}")


def _superseded_preparation(record: ContractRecord) -> None:
    """« Le futur CLS … » followed by a signature or a period stated since: history, not status."""
    preparation = record.preparation
    if not preparation:
        return
    since = [c for c in (record.signed_on, record.period) if c and c.source.date >= preparation.source.date]
    if since and not (record.signed_on and record.signed_on.normalized < preparation.source.date):
        record.alternates["preparation"] = [preparation]
        record.preparation = None


def _alternates(record: ContractRecord, name: str, values: list[Cited | None], kept: Cited | None) -> None:
    differing = [v for v in values if v and kept and _key(v) != _key(kept)]
    if differing:
        record.alternates[name] = _unique(differing)


def _unique(values: list[Cited]) -> list[Cited]:
    seen, kept = set(), []
    for value in values:
        if _key(value) not in seen:
            seen.add(_key(value))
            kept.append(value)
    return kept


def _key(cited: Cited) -> str:
    return cited.normalized or party_key(cited.value)
