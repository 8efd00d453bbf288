"""The offline answer engine: it answers with the sources' own sentences, each cited.

A question is understood first (assistant/understanding.py): its parts, the kind of value each
asks for, the names it is about. For each part, every sentence of the retrieved passages is
scored by its shared words (weighted by rarity, the heading and title it sits under counting
half), by its meaning (the sentence vectors stored at ingestion, assistant/sentence_index.py, against
the part's query vector) and by whether it states the kind of value asked. A part is covered when
its best sentence shares enough of its words, or fewer words but clearly the closest meaning, and
states the value asked; otherwise the answer says that part is not in the documents.

The answer puts the value asked first (a date, a figure), then the sentences; a list comes with
the sentence that announces it; a question about several territories gets one line per territory;
the newest source leads a question about the present, an older differing figure quoted with its
date. A passage that gives orders to an AI model (engines/injection.py) is never quoted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np

from assistant.answer_kinds import states, value_span
from assistant.dates import french_date
from assistant.engines.injection import trusted
from assistant.french import STOPWORDS, WORD, expanded_terms, fold
from assistant.naming import DocumentText, document_text, mentions
from assistant.passages import Citation, Draft, Passage
from assistant.question import QuestionProfile, counts_in
from assistant.sentences import Sentence, split_sentences
from assistant.understanding import Name, Part, Understanding, understand

MAX_UNITS = {"elu": 2, "coordinateur": 4, "ars": 4}
DEFAULT_MAX_UNITS = 3
VALUE_PART_UNITS = 1
"""A part asking for one value (a date, a figure) is answered by its best sentence…"""
PART_UNITS = 2
"""…another part of a several-part question by at most this many."""
RELATIVE_FLOOR = 0.6
ABSOLUTE_FLOOR = 0.3
MAX_LIST_ITEMS = 12
SAME_DOCUMENT_PENALTY = 0.1
"""Each further sentence from an already quoted document scores this much less."""
MIN_COVERAGE = 0.4
"""Share of a part's weighted words its best sentence must hold to answer it…"""
MEANING_COVERAGE = 0.2
"""…or this share, when its meaning stands out among the sentences considered."""
MEANING_MARGIN = 1.0
"""How far above the typical sentence (in spreads, see _meaning) « stands out » is."""
MEANING_ALONE = 2.0
"""A sentence this far above the others answers by its meaning alone (« qui représentait
l'ARS ? » / « en présence de M. X, directeur de l'ARS »)."""
TOPIC_COVERAGE = 0.25
"""A part with no words of its own (« pour combien de temps ? ») is answered by a sentence stating
the value asked that holds this share of the whole question's words, or stands out by meaning."""
VALUE_COVERAGE = 0.75
"""A part asking for a value (« signé quand ? ») has few words; the sentence must hold most."""
PREFIX_MIN = 4
DANGLING = {"a", "à", "au", "aux", "de", "des", "du", "d'", "la", "le", "les", "l'", "un", "une", "et", "ou",
            "en", "pour", "par", "sur", "dans", "avec", "que", "qui", "est", "sont", "son", "sa", "ses",
            "ce", "cet", "cette", "ces", "leur", "leurs", "tout", "tous", "toute", "toutes", "très", "plus",
            "ne", "se", "y", "dont", "mais", "car", "si"}
"""Words no sentence ends with: the chunk cut it there."""
LIST_BONUS = 0.15
NAME_BONUS = 0.15
"""A sentence naming the question's territory beats one about its neighbour in the same document."""
DOCUMENTS_LISTED = 6
SHORT_LINE_WORDS = 12
DOT_LEADERS = re.compile(r"\.{5,}|…{3,}")
TERMINAL = (".", "!", "?", "…", ":", ";")
MEANING_WEIGHT = 0.12
UNKNOWN_TERM = "\x00"
SOURCE_MARKER = re.compile(r"\[(\d+)\]")
KIND_BONUS = 0.3
DEFINES = re.compile(r"\b(?:est|sont) (?:un|une|des|le|la|les) (?:outil|dispositif|contrat|démarche)|\bdésigne\b|\bse définit\b")
MISSING_KIND = {
    "phone": "aucun numéro de téléphone",
    "email": "aucune adresse électronique",
    "amount": "aucun montant",
    "duration": "aucune durée",
    "period": "aucune période",
    "date": "aucune date",
    "count": "aucun nombre",
    "place": "aucun lieu",
}


@dataclass
class Unit:
    """A sentence, or a sentence with the list it announces, scored for one part."""

    passage: Passage
    rank: int
    start: int
    end: int
    score: float
    coverage: float
    terms: frozenset[str]
    meaning: float = 0.0
    """How far the sentence's meaning is above the typical one's, in spreads."""
    states_kind: bool = True

    @property
    def quote(self) -> str:
        return self.passage.text[self.start : self.end]

    @property
    def shown(self) -> str:
        """The quote as the answer shows it: a source's own footnote marks (« [2] », common in
        encyclopaedic text) in parentheses, so that every « [n] » of an answer is one of its
        citations. The citation keeps the verbatim quote."""
        return SOURCE_MARKER.sub(r"(\1)", self.quote)


@dataclass
class PartAnswer:
    part: Part
    units: list[Unit]
    covered: bool
    missing: str = ""
    """Why the part is not covered, in French (« aucun montant »)."""
    label: str = ""
    """The territory this answer is for, in a comparison."""
    all_units: list[Unit] = field(default_factory=list)


class ExtractiveEngine:
    name = "extractive"

    def __init__(
        self,
        idf: Callable[[str], float] | None = None,
        sentence_vectors: Callable[[list[str]], dict[str, np.ndarray]] | None = None,
        query_vector: Callable[[str], np.ndarray] | None = None,
    ) -> None:
        """`sentence_vectors` and `query_vector` give meaning to the scores; without them (a store
        ingested before sentence vectors), sentences are scored by their words alone."""
        self._idf = idf or (lambda term: 1.0)
        self._has_idf = idf is not None
        self._sentence_vectors = sentence_vectors
        self._query_vector = query_vector
        self._last_plan: tuple[tuple, list[PartAnswer]] | None = None

    def stream(self, question: str, passages: list[Passage], audience: str = "") -> Iterator[str]:
        text = self.draft(question, passages, audience).text
        for piece in text.split(" "):
            yield piece + " "

    def draft(self, question: str, passages: list[Passage], audience: str = "") -> Draft:
        understanding = understand(question)
        return compose(understanding, self.plan(understanding, passages), audience)

    def finish(self, question: str, passages: list[Passage], audience: str = "") -> Draft:
        return self.draft(question, passages, audience)  # deterministic and cheap: no state kept

    def plan(self, understanding: Understanding, passages: list[Passage]) -> list[PartAnswer]:
        """Each part's answer; in a comparison, each part once per territory."""
        passages = trusted(passages)
        key = (understanding.text, tuple(p.id for p in passages))
        if self._last_plan and self._last_plan[0] == key:  # abstention, then the draft: once
            return self._last_plan[1]
        vectors = self._vectors(passages)
        groups = comparison_groups(understanding, passages)
        if groups:
            several = len(understanding.parts) > 1
            answers = [
                self._answer_part(
                    part, understanding, group, vectors,
                    label=f"{name.surface} — {_part_label(part, understanding)}" if several and n else name.surface,
                )
                for n, part in enumerate(understanding.parts)
                for name, group in groups
            ]
        else:
            answers = [self._answer_part(part, understanding, passages, vectors) for part in understanding.parts]
        self._last_plan = (key, answers)
        return answers

    def _vectors(self, passages: list[Passage]) -> dict[str, np.ndarray]:
        if not self._sentence_vectors:
            return {}
        sentences = {s.text for p in passages for s in split_sentences(p.text) if not s.is_heading}
        return self._sentence_vectors(list(sentences))

    def score_units(
        self, part: Part, understanding: Understanding, passages: list[Passage], vectors: dict[str, np.ndarray]
    ) -> list[Unit]:
        """Every sentence of the passages, scored for one part."""
        # Square roots: a rare but minor word (« prévues ») must not outweigh the subject.
        # A word no document has (« koi ») can only be a typo or slang: it weighs nothing.
        focus = {t: self._idf(t) ** 0.5 for t in part.focus if self._known(t)}
        topic = {t: self._idf(t) ** 0.5 for p in understanding.parts for t in p.focus if self._known(t)}
        names = [set(WORD.findall(fold(n.surface))) - STOPWORDS for n in understanding.required_names]
        weights = focus or topic
        total = sum(weights.values()) or 1.0
        candidates = []
        for rank, passage in enumerate(passages):
            context = expanded_terms(f"{passage.metadata.get('title', '')} {passage.metadata.get('section', '')}")
            sentences = split_sentences(passage.text)
            for i, sentence in enumerate(sentences):
                if _unquotable(sentence) or _fragment(sentences, i):
                    continue
                end = _list_end(passage.text, sentences, i)
                found = expanded_terms(passage.text[sentence.start : end])
                matched = sum(w for t, w in weights.items() if _has(found, t))
                matched += 0.5 * sum(w for t, w in weights.items() if not _has(found, t) and _has(context, t))
                candidates.append((passage, rank, sentence, end, matched / total, found))
        sentences = [passage.text[s.start : s.end] for passage, _, s, *_ in candidates]
        meanings = self._meaning(understanding.query(part), sentences, vectors)
        units = []
        for (passage, rank, sentence, end, coverage, found), meaning in zip(candidates, meanings):
            text = passage.text[sentence.start : end]
            stated = states(part.kind, text) and all(_has(found, t) for t in part.counted)
            sentence_words = set(WORD.findall(fold(text)))
            score = (
                coverage
                + MEANING_WEIGHT * meaning
                + (KIND_BONUS if part.kind and stated else 0.0)
                + (LIST_BONUS if part.wants_list and end > sentence.end else 0.0)
                + (NAME_BONUS if any(name and name <= sentence_words for name in names) else 0.0)
                + _answer_type_bonus(part.profile, sentence)
                + 0.05 / (rank + 1)
            )
            units.append(Unit(passage, rank, sentence.start, end, score, coverage, frozenset(found), meaning, stated))
        return units

    def _known(self, term: str) -> bool:
        """Whether some stored chunk has the term (the rarest weight is that of no chunk)."""
        return self._idf(term) < self._idf(UNKNOWN_TERM) - 1e-9 if self._has_idf else True

    def _meaning(self, query_text: str, sentences: list[str], vectors: dict[str, np.ndarray]) -> list[float]:
        """Cosine of each sentence to the part, as spreads above the median sentence: e5's
        cosines sit in a narrow band (0.78–0.92), so only their order and spread tell."""
        if not sentences or not vectors or not self._query_vector:
            return [0.0] * len(sentences)
        query = self._query_vector(query_text)
        cosines = np.array([float(vectors[s] @ query) if s in vectors else np.nan for s in sentences])
        known = cosines[~np.isnan(cosines)]
        median = float(np.median(known))
        spread = max(float(np.percentile(known, 90)) - median, 0.01)
        return [0.0 if np.isnan(c) else (c - median) / spread for c in cosines]

    def _answer_part(
        self,
        part: Part,
        understanding: Understanding,
        passages: list[Passage],
        vectors: dict[str, np.ndarray],
        label: str = "",
    ) -> PartAnswer:
        units = self.score_units(part, understanding, passages, vectors)
        answering = [u for u in units if u.states_kind]
        if not answering:
            reason = MISSING_KIND.get(part.kind or "", "rien")
            return PartAnswer(part, [], False, reason, label, units)
        passing = [u for u in answering if _answers(part, u)]
        if not passing:
            return PartAnswer(part, [], False, "aucun passage sur ce point", label, units)
        limit = VALUE_PART_UNITS if part.kind else DOCUMENTS_LISTED if part.wants_documents else PART_UNITS
        chosen = _select(_quotable(part, answering, passing), limit, part.wants_documents)
        return PartAnswer(part, chosen, True, "", label, units)


def _answers(part: Part, unit: Unit) -> bool:
    if not unit.states_kind:
        return False
    if not part.focus:
        return unit.coverage >= TOPIC_COVERAGE or unit.meaning >= MEANING_MARGIN
    if part.kind:  # the value is stated: most of the few words asked, or the closest meaning
        return unit.coverage >= VALUE_COVERAGE or unit.meaning >= MEANING_MARGIN
    if unit.meaning >= MEANING_ALONE:
        return True
    return unit.coverage >= MIN_COVERAGE or (unit.coverage >= MEANING_COVERAGE and unit.meaning >= MEANING_MARGIN)


def _has(terms: set[str] | frozenset[str], term: str) -> bool:
    """The term, or one of its family (« sign » for « signature », « signataires »): the
    stemmer keeps them apart, a reader does not."""
    if term in terms:
        return True
    return len(term) >= PREFIX_MIN and any(
        len(other) >= PREFIX_MIN and (other.startswith(term) or term.startswith(other)) for other in terms
    )


def _fragment(sentences: list[Sentence], i: int) -> bool:
    """A sentence cut by the chunk's edge (the neighbouring chunk holds it whole)."""
    sentence = sentences[i]
    if i == 0 and sentence.text[:1].islower():
        return True
    if sentence.text.rstrip("»\"' )").endswith(TERMINAL):
        return False
    last_word = sentence.text.split()[-1].casefold()
    return last_word in DANGLING or (i == len(sentences) - 1 and len(sentence.text.split()) < 4)


def _quotable(part: Part, answering: list[Unit], passing: list[Unit]) -> list[Unit]:
    """Once a part is known to be answered, what its answer may quote: for a value, sentences
    that answer on their own; otherwise the best scored ones (a list scoring just under the
    bar beats the sentence that carried the decision)."""
    return passing if part.kind else answering


def comparison_groups(understanding: Understanding, passages: list[Passage]) -> list[tuple[Name, list[Passage]]]:
    """For a question about several territories that no single document covers (« Toulon et La
    Seyne-sur-Mer : laquelle… »), the passages of each territory's documents; else []."""
    names = understanding.required_names
    if len(names) < 2:
        return []
    documents = _documents(passages)
    if any(all(mentions(n, text) for n in names) for text, _ in documents.values()):
        return []
    # A name every such document shares (« En Bretagne, … ») frames the comparison, it is not compared.
    mentioned = {n: {doc for doc, (text, _) in documents.items() if mentions(n, text)} for n in names}
    names = [n for n in names if not all(mentioned[n] >= mentioned[o] for o in names if o != n)] or names
    if len(names) < 2:
        return []
    groups = []
    for name in names:
        group = [p for text, doc_passages in documents.values() if mentions(name, text) for p in doc_passages]
        if not group:
            return []
        groups.append((name, group))
    return groups


def _documents(passages: list[Passage]) -> dict[str, tuple[DocumentText, list[Passage]]]:
    by_doc: dict[str, list[Passage]] = {}
    for passage in passages:
        by_doc.setdefault(passage.doc_id, []).append(passage)
    return {
        doc: (document_text([p.text for p in doc_passages], doc_passages[0].metadata), doc_passages)
        for doc, doc_passages in by_doc.items()
    }


def _list_end(text: str, sentences: list[Sentence], i: int) -> int:
    """End of the list a sentence announces (it ends with ':' or is followed by items), or of
    the sentence itself. After a ':', short lines that follow without a blank line are items
    too (« Contact : / Pauline X, / coordinatrice / 06 … »)."""
    sentence = sentences[i]
    announces = sentence.text.rstrip(" -–").endswith(":")
    followed_by_items = i + 1 < len(sentences) and sentences[i + 1].is_item
    if sentence.is_item or not (announces or followed_by_items):
        return sentence.end
    end = sentence.end
    for following in sentences[i + 1 : i + 1 + MAX_LIST_ITEMS]:
        gap = text[end : following.start]
        own_line = gap.count("\n") == 1 and len(following.text.split()) <= SHORT_LINE_WORDS
        if following.is_heading or not (following.is_item or (announces and own_line)):
            break
        end = following.end
    return end


def _unquotable(sentence: Sentence) -> bool:
    """Headings (marked, or in capitals) and table-of-contents lines: context, not answers."""
    letters = [c for c in sentence.text if c.isalpha()]
    shouting = len(letters) > 8 and sum(c.isupper() for c in letters) > 0.8 * len(letters)
    return sentence.is_heading or shouting or bool(DOT_LEADERS.search(sentence.text))


def _answer_type_bonus(question: QuestionProfile, sentence: Sentence) -> float:
    bonus = 0.0
    counts = counts_in(sentence.text)
    if question.wants_number and counts - {float(y) for y in question.years}:
        bonus += 0.15
    if question.wants_date and any(1900 <= c <= 2100 for c in counts):
        bonus += 0.1
    if question.years and any(year in sentence.text for year in question.years):
        bonus += 0.2
    if question.wants_definition and DEFINES.search(sentence.text):
        bonus += 0.2
    if len(sentence.text.split()) < 4:
        bonus -= 0.2
    return bonus


def _select(units: list[Unit], limit: int, one_per_document: bool = False) -> list[Unit]:
    ranked = sorted(units, key=lambda u: u.score, reverse=True)
    if not ranked:
        return []
    floor = max(RELATIVE_FLOOR * ranked[0].score, ABSOLUTE_FLOOR)
    chosen: list[Unit] = []
    candidates = [u for u in ranked if u.score >= floor] or ranked[:1]
    while candidates and len(chosen) < limit:
        def adjusted(unit: Unit) -> float:
            same_doc = sum(other.passage.doc_id == unit.passage.doc_id for other in chosen)
            return unit.score - (1.0 if one_per_document else SAME_DOCUMENT_PENALTY) * same_doc

        best = max(candidates, key=adjusted)
        candidates.remove(best)
        if not any(_same_content(best, other) for other in chosen):
            chosen.append(best)
    return chosen


def _same_content(a: Unit, b: Unit) -> bool:
    """Overlapping chunks repeat sentences; a list unit also contains its own items."""
    if a.quote in b.quote or b.quote in a.quote:
        return True
    union = a.terms | b.terms
    return bool(union) and len(a.terms & b.terms) / len(union) > 0.7


def _older_differing_figure(lead: Unit, units: list[Unit]) -> Unit | None:
    """A sentence of an older document that states another figure about the same thing."""
    lead_counts = counts_in(lead.quote)
    if not lead_counts or not lead.passage.date:
        return None
    for unit in sorted(units, key=lambda u: u.score, reverse=True):
        older = unit.passage.date and unit.passage.date < lead.passage.date
        if not older or unit.passage.doc_id == lead.passage.doc_id:
            continue
        if unit.coverage < 0.6 * lead.coverage:
            continue
        counts = counts_in(unit.quote) - {float(unit.passage.date[:4])}
        if counts and not counts & lead_counts:
            return unit
    return None


def _contradiction_within(lead: Unit, units: list[Unit]) -> Unit | None:
    """Another sentence of the lead's own document about the same thing with another year
    (« ouvrira en 2027 » … « est désormais prévue en 2028 »)."""
    lead_years = _years(lead.quote)
    if not lead_years:
        return None
    lead_terms = {t for t in lead.terms if not t.isdigit()}
    for unit in units:
        if unit.passage.doc_id != lead.passage.doc_id or unit.quote in lead.quote or lead.quote in unit.quote:
            continue
        years = _years(unit.quote)
        if not years or years & lead_years:
            continue
        shared = lead_terms & unit.terms
        if len(shared) >= 3 and len(shared) >= 0.4 * min(len(lead_terms), len(unit.terms)):
            return unit
    return None


def _years(text: str) -> set[str]:
    return set(re.findall(r"\b(?:19|20)\d{2}\b", text))


class _Citations:
    """Citations numbered in order of first use, one per quoted unit."""

    def __init__(self) -> None:
        self.citations: list[Citation] = []
        self._numbers: dict[tuple[str, int, int], int] = {}

    def cite(self, unit: Unit) -> int:
        key = (unit.passage.id, unit.start, unit.end)
        if key not in self._numbers:
            self.citations.append(Citation.from_passage(len(self.citations) + 1, unit.passage, unit.quote))
            self._numbers[key] = len(self.citations)
        return self._numbers[key]


def compose(understanding: Understanding, answers: list[PartAnswer], audience: str = "") -> Draft:
    """The answer text: one part as flowing quotes, several parts (or territories) one by one."""
    if not any(a.covered for a in answers):
        return Draft("")
    if len(answers) == 1:
        return _single(answers[0], audience)
    citations = _Citations()
    blocks = []
    for answer in answers:
        heading = answer.label or _part_label(answer.part, understanding)
        heading += " " if heading.endswith("?") else " : "
        if not answer.covered:
            blocks.append(f"{heading}les documents ne le précisent pas ({answer.missing}).")
            continue
        lead = _direct_value(answer)
        quotes = " ".join(f"{unit.shown} [{citations.cite(unit)}]" for unit in answer.units)
        blocks.append(f"{heading}{lead}{quotes}")
    prefix = "- " if audience == "coordinateur" or any(a.label for a in answers) else ""
    separator = "\n\n" if any("\n" in b for b in blocks) else "\n"
    return Draft(separator.join(prefix + b for b in blocks), citations.citations)


def _single(answer: PartAnswer, audience: str) -> Draft:
    """One part: the value first, then its sentences, as the answer has always read."""
    part = answer.part
    limit = VALUE_PART_UNITS + 1 if part.kind else MAX_UNITS.get(audience, DEFAULT_MAX_UNITS)
    if part.wants_documents:
        limit = DOCUMENTS_LISTED
    answering = [u for u in answer.all_units if u.states_kind]
    relevant = _quotable(part, answering, [u for u in answering if _answers(part, u)])
    chosen = _select(relevant or answer.units, limit, part.wants_documents)
    question = answer.part.profile
    if question.wants_current:
        chosen.sort(key=lambda u: u.passage.date, reverse=True)
    units = answer.all_units
    older = _older_differing_figure(chosen[0], units) if question.wants_number or question.wants_current else None
    contradiction = _contradiction_within(chosen[0], units)
    citations = _Citations()
    parts: list[str] = []
    several_documents = len({unit.passage.doc_id for unit in chosen}) > 1
    for unit in chosen:
        prefix = "- " if (audience == "coordinateur" or several_documents) and len(chosen) > 1 else ""
        if audience == "ars":
            prefix = f"{unit.passage.metadata.get('title', unit.passage.file)} : "
        elif several_documents:
            prefix += f"{_document_label(unit.passage)} : "
        parts.append(f"{prefix}{unit.shown} [{citations.cite(unit)}]")
    lead = _direct_value(PartAnswer(answer.part, chosen, True))
    if lead:
        parts[0] = lead + parts[0]
    if older:
        when = french_date(older.passage.date)
        parts.append(f"Une source plus ancienne ({when}) indiquait : « {older.shown} » [{citations.cite(older)}]")
    if contradiction in chosen:
        parts.append(
            f"Attention : les passages [1] et [{chosen.index(contradiction) + 1}] du même document "
            "se contredisent."
        )
    elif contradiction:
        parts.append(
            f"Attention, le même document indique aussi : « {contradiction.shown} » "
            f"[{citations.cite(contradiction)}] — ces deux informations se contredisent."
        )
    separator = "\n\n" if any("\n" in part for part in parts) or audience == "coordinateur" else " "
    if several_documents and separator == " ":
        separator = "\n"
    return Draft(separator.join(parts), citations.citations)


def _document_label(passage: Passage) -> str:
    """Who a sentence speaks for, in a list drawn from several documents."""
    meta = passage.metadata
    return meta.get("territory") or meta.get("title") or passage.file


def _direct_value(answer: PartAnswer) -> str:
    """« 35 000 euros — » before the sentence that states it (a verbatim span of it). Plain
    text: the chat escapes every answer, so no markup of ours could be told from a source's."""
    if not answer.units:
        return ""
    value = value_span(answer.part.kind, answer.units[0].quote)
    return f"{value} — " if value else ""


def _part_label(part: Part, understanding: Understanding) -> str:
    text = part.text[len(understanding.topic) :].strip(" ,;:") if understanding.topic else part.text
    text = re.sub(r"^(?:et|puis|mais|ou)\s+", "", text, flags=re.IGNORECASE)
    return (text[:1].upper() + text[1:]).rstrip(" ?") + " ?"
