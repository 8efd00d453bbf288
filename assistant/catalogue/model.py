"""The catalogue's shapes: every value carries the verbatim quote, file and page it was read from.

A value is never written by the extractor: it is a span of its quote (so a reader, or a test, can
check it), with at most a machine form beside it (an ISO date, a pair of years) for sorting.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

from assistant.core.dates import french_date

FILTER_KEYS = ("territory", "doc_type", "publisher", "date_num", "visibility")
"""Chunk metadata kept with each source, so retrieval filters apply to catalogue answers too."""

MAX_FACTS = 6
"""Coordination or funding sentences kept per document and CLS: a long contract repeats them."""
STATUS_LABELS = {
    "active": "actif",
    "ended": "terminé",
    "in_preparation": "en préparation",
    "signed": "signé (période inconnue)",
    "unknown": "statut inconnu",
}


@dataclass(frozen=True)
class Source:
    """Where a value was read: one stored chunk and the verbatim quote taken from it."""

    chunk_id: str
    file: str
    title: str
    publisher: str
    date: str
    page: int | None
    quote: str
    metadata: dict = field(default_factory=dict, compare=False, hash=False)
    """The chunk's FILTER_KEYS metadata."""
    declared: str = ""
    """The metadata field (« territory ») the quote is, when the text never writes the value: it
    was declared by the manifest or the front matter, and is shown as such."""

    @property
    def where(self) -> str:
        """« , p. 3 », or what stands for a page when the value was declared, not written."""
        if self.declared:
            return " (métadonnées du document, absent du texte)"
        return f", p. {self.page}" if self.page else ""

    @property
    def doc_id(self) -> str:
        return self.chunk_id.rsplit(":", 1)[0]


@dataclass
class Cited:
    value: str
    """Verbatim text of the quote."""
    source: Source
    normalized: str = ""
    """Machine form when useful: ISO date, « 2023-2028 », a number of years, a sheet number."""


def _one(label: str):
    return field(default=None, kw_only=True, metadata={"label": label})


def _several(label: str):
    return field(default_factory=list, kw_only=True, metadata={"label": label, "several": True})


@dataclass
class ContractFields:
    """The cited facts of a CLS, declared once with their French labels: what one document says
    (`DocumentFacts`) and what the record merged from its documents holds (`ContractRecord`);
    the extraction, the merge, the storage, the CLI and the app read this list."""

    collectivite: Cited | None = _one("Collectivité signataire")
    """The signing local authority, as the signature sentence names it."""
    signatories: list[Cited] = _several("Signataires")
    """The other signatories (ARS, CPAM…)."""
    partners: list[Cited] = _several("Partenaires")
    signed_on: Cited | None = _one("Date de signature")
    period: Cited | None = _one("Période")
    duration: Cited | None = _one("Durée")
    preparation: Cited | None = _one("En préparation")
    """A sentence saying the contract is being prepared."""
    horizon: Cited | None = _one("Échéance")
    """« à l'horizon 2030 »: the last year, when no period is stated."""
    generation: Cited | None = _one("Renouvellement")
    """A renewed CLS: « 2e génération » (normalized « 2 »), « avenant », « renouvelé »."""
    axes_count: Cited | None = _one("Nombre d'axes annoncé")
    """« structuré autour de quatre axes » (normalized « 4 »): stated, whether or not the axes are listed."""
    axes: list[Cited] = _several("Axes stratégiques")
    actions: list[Cited] = _several("Actions")
    coordination: list[Cited] = _several("Coordination")
    funding: list[Cited] = _several("Financement")


SINGLE_FIELDS = tuple(f.name for f in fields(ContractFields) if not f.metadata.get("several"))
LIST_FIELDS = tuple(f.name for f in fields(ContractFields) if f.metadata.get("several"))
FIELD_LABELS = {"territory": "Territoire"} | {f.name: f.metadata["label"] for f in fields(ContractFields)}


@dataclass
class ContractRecord(ContractFields):
    """One CLS: a territory's contract as the indexed documents describe it."""

    key: str
    """Normalised territory: documents about the same CLS share it."""
    territory: Cited
    alternates: dict[str, list[Cited]] = field(default_factory=dict)
    """Older documents' differing values, per field, each with its own citation."""
    status: str = "unknown"
    """Computed when read (it depends on today's date): active, ended, in_preparation, signed (a
    signature date but no period or duration), unknown."""
    status_basis: str = ""
    """The field the status was derived from (period, duration, preparation)."""
    region: str = ""
    """The region (assistant/core/geography.py) its documents place it in: a scope, not a cited value."""

    @property
    def name(self) -> str:
        return self.territory.value

    @property
    def years(self) -> tuple[int, int] | None:
        if self.period and self.period.normalized:
            start, end = self.period.normalized.split("-")
            return int(start), int(end)
        return None

    @property
    def signed_year(self) -> int | None:
        return int(self.signed_on.normalized[:4]) if self.signed_on and self.signed_on.normalized else None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    def written_evidence(self) -> Cited | None:
        """The territory's citation, or the first fact the text writes when the territory was only
        declared: what an answer cites for the record."""
        return next((cited for _, cited in self.cited_fields() if not cited.source.declared), None)

    def cited_fields(self) -> list[tuple[str, Cited]]:
        """Every (field name, value) of the record, alternates included: what tests check."""
        found: list[tuple[str, Cited]] = [("territory", self.territory)]
        for name in SINGLE_FIELDS:
            if getattr(self, name):
                found.append((name, getattr(self, name)))
        for name in LIST_FIELDS:
            found += [(name, cited) for cited in getattr(self, name)]
        for name, values in self.alternates.items():
            found += [(name, cited) for cited in values]
        return found

    def summary(self) -> str:
        """« Métropole Rouen Normandie — CLS 2023-2028, signé le 3 juillet 2023 (actif) »."""
        parts = []
        if self.period:
            parts.append(f"CLS {self.period.normalized}")
        if self.signed_on:
            on = "le" if len(self.signed_on.normalized) == 10 else "en"  # « en octobre 2016 », « en 2016 »
            parts.append(f"signé {on} {french_date(self.signed_on.normalized)}")
        details = ", ".join(parts)
        status = self.status_label
        return f"{self.name} — {details} ({status})" if details else f"{self.name} ({status})"

    def to_dict(self) -> dict:
        """Ready to display or serialise: values, citations, status and its French label."""
        data = asdict(self)
        data["name"] = self.name
        data["status_label"] = self.status_label
        return data

    @classmethod
    def from_dict(cls, data: dict) -> ContractRecord:
        data = {k: v for k, v in data.items() if k not in ("name", "status_label")}
        for name in ("territory", *SINGLE_FIELDS):
            data[name] = _cited(data[name]) if data.get(name) else None
        for name in LIST_FIELDS:
            data[name] = [_cited(item) for item in data.get(name, [])]
        data["alternates"] = {k: [_cited(i) for i in v] for k, v in data.get("alternates", {}).items()}
        return cls(**data)


@dataclass
class StatedCount:
    """A count of CLS the documents state themselves (« la Normandie compte 21 CLS… »)."""

    count: int
    value: str
    """The count as written (« 21 », « douze »): found in the quote."""
    kind: str
    """active (signés et actifs, en cours), signed (signés), signed_in_year."""
    as_of: str
    """ISO date the count holds at: stated in the sentence, else the document's date."""
    source: Source
    year: int | None = None
    """For signed_in_year: the year the contracts were signed in."""
    explicit_date: bool = False


@dataclass
class DocumentFacts(ContractFields):
    """What one document says about one CLS. This is what is stored: records are merged from it
    when read, after leaving out the documents a reader may not see, so a public view is exactly
    the catalogue of a store without the hidden documents."""

    key: str
    file: str
    doc_date: str
    names: list[Cited] = field(default_factory=list)
    """Territory names read in the text (collectivité first)."""
    territory: Cited | None = None
    """Set once the document is read: the name the record is cited by."""
    region: str = ""
    """The region the document places this CLS in (its text, publisher, declared territory)."""

    def add(self, name: str, cited: Cited) -> None:
        """Add to a list field, once per value."""
        from assistant.catalogue.names import party_key

        values = getattr(self, name)
        if name in ("coordination", "funding") and len(values) >= MAX_FACTS:
            return
        if not any(party_key(cited.value) == party_key(other.value) for other in values):
            values.append(cited)

    def set(self, name: str, cited: Cited) -> None:
        """A single-valued field: the first value the document states is kept."""
        if getattr(self, name) is None:
            setattr(self, name, cited)

    @classmethod
    def from_dict(cls, data: dict) -> DocumentFacts:
        data = dict(data)
        for name in (*SINGLE_FIELDS, "territory"):
            data[name] = _cited(data[name]) if data.get(name) else None
        for name in (*LIST_FIELDS, "names"):
            data[name] = [_cited(item) for item in data.get(name, [])]
        return cls(**data)


@dataclass
class Extraction:
    """Everything read from a store: facts per document and CLS, and the counts documents state."""

    facts: list[DocumentFacts] = field(default_factory=list)
    counts: list[StatedCount] = field(default_factory=list)


@dataclass
class Catalogue:
    """The records (merged, statuses set) and stated counts one reader may see."""

    records: list[ContractRecord] = field(default_factory=list)
    counts: list[StatedCount] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"records": [r.to_dict() for r in self.records], "counts": [asdict(c) for c in self.counts]}


def stated_count(data: dict) -> StatedCount:
    return StatedCount(**{**data, "source": Source(**data["source"])})


def _cited(data: dict) -> Cited:
    return Cited(data["value"], Source(**data["source"]), data.get("normalized", ""))
