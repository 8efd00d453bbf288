"""Chat answers from the catalogue, in the same shape as retrieval answers: text with [n] markers,
a Citation (verbatim quote) per marker, and the cited chunks as sources.

For a count, a count the documents state themselves (the newest one, with its citation) comes
first, since the catalogue only knows the CLS the indexed documents describe; the catalogue's own
count follows (« … le catalogue en recense 2 dans les documents indexés »). `None` means the
catalogue has nothing to say: the usual retrieval path then answers.

A question restricted to a region, a territory, a year or a theme is answered for that scope
only; when nothing in the catalogue falls in it, the answer declines for that scope (« Aucun CLS
en Corse dans les documents indexés. ») rather than give the whole catalogue's count.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from assistant.catalogue.model import Cited, ContractRecord, Source, StatedCount
from assistant.catalogue.names import same_territory, territory_key
from assistant.catalogue.precedents import find_precedents
from assistant.catalogue.questions import CatalogueQuestion
from assistant.catalogue.storage import CatalogueSource
from assistant.core.dates import french_date
from assistant.core.filters import Filters
from assistant.core.french import fold
from assistant.core.geography import region_of, regions_in
from assistant.passages import Answer, Citation, CitationNumbers

ENGINE = "catalogue"
STATUS_WORDS = {"active": "actifs", "ended": "terminés", "in_preparation": "en préparation"}
LIST_LIMIT = 30


class _Citations(CitationNumbers):
    """The record values an answer cites, numbered; the chunks they come from, in that order."""

    def __init__(self) -> None:
        super().__init__()
        self.chunk_ids: list[str] = []

    def mark(self, source: Source) -> str:
        def citation(n: int) -> Citation:
            self.chunk_ids.append(source.chunk_id)
            return Citation(n, source.file, source.title, source.publisher, source.date, source.page, source.quote)

        return f"[{self.number((source.chunk_id, source.quote), citation)}]"


def catalogue_answer(
    question: str,
    asked: CatalogueQuestion,
    catalogue: CatalogueSource,
    filters: Filters | None = None,
    idf: Callable[[str], float] | None = None,
    audience: str = "",
) -> Answer | None:
    """`catalogue`: the current records, stated counts, today and the cited passages.
    `audience` as for the engines: « elu » is shorter, « ars » names the source document first."""
    current = catalogue.current(filters)
    records, counts = current.records, current.counts
    cite = _Citations()
    if asked.kind == "precedents":
        text = _precedents(asked, records, idf, cite)
    elif asked.kind == "count":
        text = _count(asked, records, counts, cite, audience)
    elif asked.kind == "newest":
        text = _newest(asked, records, cite)
    else:
        text = _list(asked, records, cite)
    if (not text or not cite.citations) and asked.kind not in ("precedents", "newest") and _restricted(asked):
        if not (asked.region or asked.place or asked.year):
            return None  # a theme the records do not show may still be in the documents' text
        return Answer(question, _declined(asked), False, [], [], ENGINE)
    if not text or not cite.citations:
        return None
    return Answer(question, text, True, cite.citations, catalogue.passages(cite.chunk_ids), ENGINE)


# --- counts -----------------------------------------------------------------------------------

def _count(
    asked: CatalogueQuestion,
    records: list[ContractRecord],
    counts: list[StatedCount],
    cite: _Citations,
    audience: str = "",
) -> str:
    parts = []
    stated = _stated(asked, counts)
    if stated:
        newest = stated[0]
        when = "" if newest.kind == "signed_in_year" else f" {_when(newest)}"
        named = f"{newest.source.title} : " if audience == "ars" and newest.source.title else ""
        parts.append(f"{named}{newest.count} CLS {_what(newest)}{when} (source : {_who(newest)}) : "
                     f"« {newest.source.quote} » {cite.mark(newest.source)}")
        older = next((c for c in stated if c.count != newest.count and c.source.doc_id != newest.source.doc_id), None)
        if older and audience != "elu":
            parts.append(f"Auparavant, {_who(older)} en comptait {older.count} {_when(older)} : "
                         f"« {older.source.quote} » {cite.mark(older.source)}")
        later = _stated(replace(asked, year=None), counts) if asked.year and newest.kind != "signed_in_year" else []
        if later and later[0].source.doc_id != newest.source.doc_id and later[0].as_of > newest.as_of:
            latest = later[0]
            parts.append(f"Depuis, {_who(latest)} en compte {latest.count} {_what(latest)} {_when(latest)} : "
                         f"« {latest.source.quote} » {cite.mark(latest.source)}")
    matching = _matching(asked, records)
    described = f"{len(matching)} CLS {_agree(_qualifier(asked), len(matching))}".rstrip()
    if stated and matching:
        parts.append(f"Le catalogue en recense {len(matching)} dans les documents indexés :")
    elif matching:
        parts.append(f"Le catalogue recense {described} dans les documents indexés :")
    elif stated and records and not asked.year:  # a year's count stated: the records' dates may not tell
        parts.append("Le catalogue n'en recense aucun dans les documents indexés.")
    elif not stated:
        return ""
    lines = [_record_line(record, asked, cite) for record in matching[:LIST_LIMIT]]
    return "\n\n".join(parts[:-1] + ["\n".join([parts[-1], *lines])])


def _restricted(asked: CatalogueQuestion) -> bool:
    return bool(asked.region or asked.place or asked.year or asked.theme)


def _declined(asked: CatalogueQuestion) -> str:
    """« Aucun CLS en Corse dans les documents indexés. »"""
    return f"Aucun CLS {_agree(_qualifier(asked), 1)} dans les documents indexés.".replace("  ", " ")


def _stated(asked: CatalogueQuestion, counts: list[StatedCount]) -> list[StatedCount]:
    """Counts stated for what is asked, newest document first (within one document, the count
    whose date is stated first). A region's question takes only that region's counts."""
    if asked.theme or asked.place:
        return []
    if asked.region:
        counts = [c for c in counts if _count_region(c) == asked.region]
    if asked.department:  # a region's count is not its department's
        counts = [c for c in counts if fold(asked.department) in fold(c.source.quote)]
    if asked.year:
        wanted = [c for c in counts if c.kind == "signed_in_year" and c.year == asked.year]
        if asked.status == "active" or not (asked.status or asked.signed):  # « en cours en 2017 »: stated that year
            wanted += [c for c in counts if c.kind in ("active", "signed") and c.as_of[:4] == str(asked.year)]
    elif asked.status in (None, "active"):
        wanted = [c for c in counts if c.kind == "active"] or [c for c in counts if c.kind == "signed"]
    else:
        wanted = []
    return sorted(wanted, key=lambda c: (c.source.date, c.explicit_date, c.as_of), reverse=True)


def _count_region(count: StatedCount) -> str:
    found = region_of(count.source.quote) or region_of(f"{count.source.publisher} {count.source.title}")
    return found.name if found else ""


def _what(count: StatedCount) -> str:
    if count.kind == "signed_in_year":
        return f"signés en {count.year}"
    return "signés et actifs" if count.kind == "active" else "signés"


def _when(count: StatedCount) -> str:
    if count.explicit_date:
        return f"au {french_date(count.as_of)}"
    return f"(document du {french_date(count.source.date)})"


def _agree(text: str, n: int) -> str:
    """« 1 CLS signé », « 2 CLS signés »: the qualifier's participles agree with the count."""
    if n != 1:
        return text
    return " ".join(w[:-1] if w in ("actifs", "terminés", "signés") else w for w in text.split(" "))


def _who(count: StatedCount) -> str:
    return count.source.publisher or count.source.title or count.source.file


# --- the newest -------------------------------------------------------------------------------

NEWEST_SHOWN = 3


def _newest(asked: CatalogueQuestion, records: list[ContractRecord], cite: _Citations) -> str:
    """The CLS signed last, by the signature dates the documents state (a contract's first year
    when its signature is not dated), then the ones before."""
    dated = sorted((r for r in _matching(asked, records) if _started(r)), key=_started, reverse=True)
    if not dated:
        return ""
    scope = f" {asked.scope_label}" if asked.scope_label else ""
    lines = [f"Dernier CLS signé{scope} d'après les documents indexés :",
             _record_line(dated[0], asked, cite)]
    if len(dated) > 1:
        lines += ["", "Avant lui :", *(_record_line(r, asked, cite) for r in dated[1:NEWEST_SHOWN])]
    return "\n".join(lines)


def _started(record: ContractRecord) -> str:
    """« 2023-07-03 », or « 2025 » for a CLS 2025-2029 signed on a day no document gives."""
    if record.signed_on and record.signed_on.normalized:
        return record.signed_on.normalized
    return str(record.years[0]) if record.years else ""


# --- lists ------------------------------------------------------------------------------------

def _list(asked: CatalogueQuestion, records: list[ContractRecord], cite: _Citations) -> str:
    matching = _matching(asked, records)
    if not matching:
        return ""
    header = f"Le catalogue recense {len(matching)} CLS {_agree(_qualifier(asked), len(matching))}".rstrip()
    header += " dans les documents indexés :"
    lines = [_record_line(record, asked, cite) for record in matching[:LIST_LIMIT]]
    if len(matching) > LIST_LIMIT:
        lines.append(f"- … et {len(matching) - LIST_LIMIT} autres (commande « cls-assistant catalog »).")
    return "\n".join([header, *lines])


def _matching(asked: CatalogueQuestion, records: list[ContractRecord]) -> list[ContractRecord]:
    found = []
    place_key = territory_key(asked.place) if asked.place else ""
    for record in records:
        if asked.region and record.region != asked.region:
            continue
        if asked.department and not _in_department(record, asked.department):
            continue
        if asked.place and not (place_key and same_territory(place_key, record.key)):
            continue
        if asked.status and record.status != asked.status:
            continue
        if asked.signed and not asked.status and record.status == "in_preparation":
            continue
        if asked.year and not _in_year(record, asked.year):
            continue
        if asked.theme and not _theme_matches(record, asked):
            continue
        found.append(record)
    return found


def _departments(record: ContractRecord) -> set[str]:
    """The departments the record's own quotes and its documents' titles name."""
    said = " ".join(f"{c.source.quote} {c.source.title}" for _, c in record.cited_fields())
    return {m.department.name for m in regions_in(said) if m.department}


def _in_department(record: ContractRecord, department: str) -> bool:
    """A department's CLS are those its documents place in it (the region alone does not)."""
    return department in _departments(record)


def _in_year(record: ContractRecord, year: int) -> bool:
    if record.signed_on:
        return record.signed_year == year
    return bool(record.years) and record.years[0] == year  # no signature date: the period's start


def _theme_matches(record: ContractRecord, asked: CatalogueQuestion) -> list[Cited]:
    found = find_precedents([record], asked.theme, None, asked.theme_fields, limit=50, min_share=1.0)
    return [cited for _, cited, _ in found]


def _qualifier(asked: CatalogueQuestion) -> str:
    words = []
    if asked.status:
        words.append(STATUS_WORDS[asked.status])
    elif asked.signed:
        words.append("signés")
    if asked.year:
        words.append(f"en {asked.year}")
    if asked.scope_label:
        words.append(asked.scope_label)
    if asked.theme:
        where = {("axes",): "un axe", ("actions",): "une action"}.get(asked.theme_fields, "un axe ou une action")
        words.append(f"avec {where} « {asked.theme_label or asked.theme} »")
    return " ".join(words)


def _record_line(record: ContractRecord, asked: CatalogueQuestion, cite: _Citations) -> str:
    """« - Le Havre Seine Métropole — CLS 2025-2029 (actif) [2] », citing what the question is
    about: the matching axes or actions, else the signature date and what the status rests on
    (the territory's own citation, or a fact the text writes, when there is nothing else)."""
    if asked.theme:
        values = "; ".join(f"« {c.value} » {cite.mark(c.source)}" for c in _theme_matches(record, asked))
        return f"- {record.summary()} : {values}"
    evidence: list[Cited] = []
    if record.signed_on:
        evidence.append(record.signed_on)
    basis = getattr(record, record.status_basis, None) if record.status_basis else None
    evidence.append(basis or record.period or record.written_evidence())
    marks = " ".join(dict.fromkeys(cite.mark(c.source) for c in evidence if c))
    line = f"- {record.summary()} {marks}"
    if asked.year and not record.signed_on and record.period:
        line += f" — date de signature non précisée, contrat débutant en {record.years[0]}"
    return line


# --- precedents -------------------------------------------------------------------------------

def _precedents(asked: CatalogueQuestion, records: list[ContractRecord], idf, cite: _Citations) -> str:
    if not asked.query:
        return ""
    found = find_precedents(records, asked.query, idf)
    if not found:
        return ""
    by_record: dict[str, list[Cited]] = {}
    named: dict[str, ContractRecord] = {}
    for record, cited, _ in found:
        by_record.setdefault(record.key, []).append(cited)
        named[record.key] = record
    lines = [f"Actions semblables à « {asked.theme_label or asked.query} » dans les CLS du catalogue :"]
    for key, actions in by_record.items():
        record = named[key]
        lines.append(f"- {record.summary()} :")
        lines += [f"  - {action.value} {cite.mark(action.source)}" for action in actions]
    return "\n".join(lines)
