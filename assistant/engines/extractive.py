"""The offline answer engine: it answers with the sources' own sentences, each cited.

A question is understood first (assistant/understanding.py): its parts, the kind of value each
asks for, the names it is about. For each part, every sentence of the retrieved passages is
scored by its shared words (square-rooted rarity weights, word families, the heading and title it
sits under counting half), by its meaning (the sentence vectors stored at ingestion,
assistant/core/sentence_index.py, against the part's query vector) and by whether it states the kind of
value asked; engines/units.py decides when a part is answered and which sentences to keep,
engines/composing.py writes the answer. A question about several territories that no single
document covers is answered territory by territory. A passage that gives orders to an AI model
(core/safety.py) is never quoted.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator

import numpy as np

from assistant.answer_kinds import VALUES, states, states_completely
from assistant.core.french import STOPWORDS, WORD, expanded_terms, fold
from assistant.core.safety import trusted
from assistant.core.sentences import Sentence, split_sentences
from assistant.engines.composing import compose, part_label
from assistant.engines.units import (
    DOCUMENTS_LISTED,
    PART_UNITS,
    VALUE_PART_UNITS,
    PartAnswer,
    Unit,
    answers,
    has_term,
    quotable,
    select,
)
from assistant.engines.windows import explains, widen_all
from assistant.naming import DocumentText, covers_year, document_text, mentions
from assistant.passages import Draft, Passage
from assistant.question import QuestionProfile, counts_in
from assistant.synonyms import with_synonyms
from assistant.understanding import Name, Part, Understanding, names_agent, understand

MAX_LIST_ITEMS = 12
PLANS_KEPT = 64
"""Plans kept for the drafts that follow them, across concurrent questions."""
DANGLING = {"a", "à", "au", "aux", "de", "des", "du", "d'", "la", "le", "les", "l'", "un", "une", "et", "ou",
            "en", "pour", "par", "sur", "dans", "avec", "que", "qui", "est", "sont", "son", "sa", "ses",
            "ce", "cet", "cette", "ces", "leur", "leurs", "tout", "tous", "toute", "toutes", "très", "plus",
            "ne", "se", "y", "dont", "mais", "car", "si"}
"""Words no sentence ends with: the chunk cut it there."""
LIST_BONUS = 0.15
NAME_BONUS = 0.15
"""A sentence naming the question's territory beats one about its neighbour in the same document."""
SHORT_LINE_WORDS = 12
DOT_LEADERS = re.compile(r"\.{5,}|…{3,}")
TERMINAL = (".", "!", "?", "…", ":", ";")
MEANING_WEIGHT = 0.12
UNKNOWN_TERM = "\x00"
KIND_BONUS = 0.3
COMPLETE_BONUS = 0.1
"""A date with its day, month and year beats one without its year."""
DEFINES = re.compile(r"\b(?:est|sont) (?:un|une|des|le|la|les) (?:outil|dispositif|contrat|démarche)|\bdésigne\b|\bse définit\b")
MISSING_KIND = {
    "person": "aucun nom de personne",
    "phone": "aucun numéro de téléphone",
    "email": "aucune adresse électronique",
    "amount": "aucun montant",
    "duration": "aucune durée",
    "period": "aucune période",
    "date": "aucune date",
    "day": "aucune date précise (jour et mois)",
    "count": "aucun nombre",
    "place": "aucun lieu",
}


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
        self._plans: OrderedDict[tuple, list[PartAnswer]] = OrderedDict()
        self._plans_lock = threading.Lock()

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
        # Abstention plans on the understanding it read against every retrieved passage; the
        # draft, later (after a model's failure, maybe), must write that very plan, whatever other
        # questions other users asked meanwhile.
        key = (understanding.text, tuple(p.id for p in passages))
        with self._plans_lock:
            if key in self._plans:
                self._plans.move_to_end(key)
                return self._plans[key]
        vectors = self._vectors(passages)
        groups = comparison_groups(understanding, passages)
        if groups:
            several = len(understanding.parts) > 1
            answers = [
                self._answer_part(
                    part, understanding, group, vectors,
                    label=f"{name.surface} — {part_label(part, understanding)}" if several and n else name.surface,
                )
                for n, part in enumerate(understanding.parts)
                for name, group in _own_groups(part, groups)
            ]
        else:
            answers = [self._answer_part(part, understanding, passages, vectors) for part in understanding.parts]
        with self._plans_lock:
            self._plans[key] = answers
            while len(self._plans) > PLANS_KEPT:
                self._plans.popitem(last=False)
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
        present = set().union(*(expanded_terms(p.text) for p in passages)) if passages else set()
        focus = {t: self._idf(self._as_written(t, present)) ** 0.5 for t in part.focus if self._known(t, present)}
        topic = {
            t: self._idf(self._as_written(t, present)) ** 0.5
            for p in understanding.parts for t in p.focus if self._known(t, present)
        }
        names = [set(WORD.findall(fold(n.surface))) - STOPWORDS for n in understanding.required_names]
        weights = focus or topic
        total = sum(weights.values()) or 1.0
        asked = part.focus or {t for p in understanding.parts for t in p.focus}
        if asked and not weights and not understanding.required_names:
            return []  # not one word of the question is a word of the documents (« aaaa… »)
        candidates = []
        for rank, passage in enumerate(passages):
            context = with_synonyms(
                expanded_terms(f"{passage.metadata.get('title', '')} {passage.metadata.get('section', '')}")
            )
            sentences = split_sentences(passage.text)
            lead: set[str] = set()  # the words of the heading or question line the sentence follows
            for i, sentence in enumerate(sentences):
                if _leads(passage.text, sentence):
                    lead = with_synonyms(expanded_terms(sentence.text.lstrip("#")))
                heads = _heads_list(sentences, i)
                if (_unquotable(sentence) and not heads) or _fragment(sentences, i):
                    continue
                end = _list_end(passage.text, sentences, i)
                start = _with_heading_value(part, passage.text, sentences, i, end)
                if heads:  # the heading's words without its marks, then its list
                    start += len(sentence.text) - len(sentence.text.lstrip("# "))
                found = expanded_terms(passage.text[start:end])
                found -= {t for t in part.agents if not names_agent(t, passage.text[start:end])}
                found = with_synonyms(found)
                matched = sum(w for t, w in weights.items() if has_term(found, t))
                matched += 0.5 * sum(w for t, w in weights.items()
                                     if not has_term(found, t) and (has_term(context, t) or has_term(lead, t)))
                # A question of names and a kind only (« le budget du CLS de Bayeux ? ») has no
                # words to match: every sentence covers them, and the kind and names decide.
                coverage = matched / total if weights else 1.0
                candidates.append((passage, rank, sentence, start, end, coverage, found))
        sentences = [passage.text[s.start : s.end] for passage, _, s, *_ in candidates]
        meanings = self._meaning(understanding.query(part), sentences, vectors)
        units = []
        for (passage, rank, sentence, start, end, coverage, found), meaning in zip(candidates, meanings):
            if _asks(sentence):
                continue  # scored with the others (their meanings are spreads over all), never quoted
            text = passage.text[start:end]
            stated = states(part.kind, text) and (not part.counted or _quantifies(text, part.counted))
            sentence_words = set(WORD.findall(fold(text)))
            score = (
                coverage
                + MEANING_WEIGHT * meaning
                + (KIND_BONUS if part.kind and stated else 0.0)
                + (COMPLETE_BONUS if stated and states_completely(part.kind, text) else 0.0)
                + (LIST_BONUS if part.wants_list and end > sentence.end else 0.0)
                + (NAME_BONUS if any(name and name <= sentence_words for name in names) else 0.0)
                + _answer_type_bonus(part.profile, sentence, announces_list=end > sentence.end)
                + 0.05 / (rank + 1)
            )
            units.append(Unit(passage, rank, start, end, score, coverage, frozenset(found), meaning, stated))
        return units

    def _known(self, term: str, present: set[str]) -> bool:
        """Whether the term is a word of the documents: in a passage at hand, or in some chunk
        the weights are counted on (the rarest weight is that of no chunk; weights count public
        chunks only, so an internal document's own words are known by its passages)."""
        if term in present or not self._has_idf or self._as_written(term, present) != term:
            return True
        return self._idf(term) < self._idf(UNKNOWN_TERM) - 1e-9

    @staticmethod
    def _as_written(term: str, present: set[str]) -> str:
        """The term as the passages write it: itself, or a word of its family (« dur » of
        « durait » is « dure » in « durée »), whose weight it takes."""
        if term in present:
            return term
        return next((other for other in sorted(present) if has_term({other}, term)), term)

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
        passing = [u for u in answering if answers(part, u)]
        if not passing:
            return PartAnswer(part, [], False, "aucun passage sur ce point", label, units)
        limit = VALUE_PART_UNITS if part.kind else DOCUMENTS_LISTED if part.wants_documents else PART_UNITS
        chosen = select(quotable(part, answering, passing), limit, part.wants_documents)
        if explains(part):
            chosen = widen_all(chosen, units)
        return PartAnswer(part, chosen, True, "", label, units)


def _fragment(sentences: list[Sentence], i: int) -> bool:
    """A piece of a sentence: one that starts in lower case (a chunk's overlap cut it), or one
    broken off inside the text. Chunks end at sentence ends, so a passage's unfinished last
    sentence is where its document stops (an excerpt cut off): it is all there is, and quoted."""
    sentence = sentences[i]
    if sentence.text[:1].islower() and not sentence.is_item:  # a sentence starts with a capital
        return True
    if sentence.text.rstrip("»\"' )").endswith(TERMINAL):
        return False
    if i == len(sentences) - 1:
        return len(sentence.text.split()) < 4
    return sentence.text.split()[-1].casefold() in DANGLING


def comparison_groups(understanding: Understanding, passages: list[Passage]) -> list[tuple[Name, list[Passage]]]:
    """For a question about several territories that no single document covers (« Toulon et La
    Seyne-sur-Mer : laquelle… »), the passages of each territory's documents; else []."""
    names = [n for n in understanding.required_names if not n.is_year]  # a year frames, it is not compared
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


COUNTED_WITHIN = 4
"""« 114 communes », « 25 fiches actions », « 23 coordinateurs de CLS »: the words after a number
that may name what it counts."""


def _quantifies(text: str, counted: set[str]) -> bool:
    """A number of the thing asked: the counted word within a few words after the number, not a
    number anywhere beside it (« Habitat 76 … les communes du territoire »)."""
    for number in VALUES["count"].finditer(text):
        following = with_synonyms(expanded_terms(" ".join(text[number.end():].split()[:COUNTED_WITHIN])))
        if all(has_term(following, t) for t in counted):
            return True
    return False


def _own_groups(part: Part, groups: list[tuple[Name, list[Passage]]]) -> list[tuple[Name, list[Passage]]]:
    """« Combien d'axes pour X, et combien pour Y ? »: a part naming some of the territories
    compared is answered for those; a part naming none, for each."""
    own = [(name, group) for name, group in groups if fold(name.surface) in fold(part.text)]
    return own or groups


def _documents(passages: list[Passage]) -> dict[str, tuple[DocumentText, list[Passage]]]:
    by_doc: dict[str, list[Passage]] = {}
    for passage in passages:
        by_doc.setdefault(passage.doc_id, []).append(passage)
    return {
        doc: (document_text([p.text for p in doc_passages], doc_passages[0].metadata), doc_passages)
        for doc, doc_passages in by_doc.items()
    }


def _with_heading_value(part: Part, text: str, sentences: list[Sentence], i: int, end: int) -> int:
    """Where a sentence's quote starts: at the heading right above it when the heading states
    a value of the kind asked (« Un engagement pour 2019-2023 » over « Le premier contrat… »)."""
    sentence = sentences[i]
    if not part.kind or i == 0 or not sentences[i - 1].is_heading:
        return sentence.start
    heading = sentences[i - 1]
    words = heading.text.lstrip("#").strip()
    if not words or text[heading.end : sentence.start].strip() or not states(part.kind, words):
        return sentence.start
    return heading.end - len(words)


def _list_end(text: str, sentences: list[Sentence], i: int) -> int:
    """End of the list a sentence announces (it ends with ':' or is followed by items), or of
    the sentence itself. After a ':', short lines that follow without a blank line are items
    too (« Contact : / Pauline X, / coordinatrice / 06 … »); so are those after a short line without
    a full stop (« Pauline X – Ville de Y / pauline@… – 06 … », a contact card)."""
    sentence = sentences[i]
    card = len(sentence.text.split()) <= SHORT_LINE_WORDS and not sentence.text.rstrip(" »\"'").endswith(TERMINAL)
    announces = sentence.text.rstrip(" -–").endswith(":") or card
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


def _asks(sentence: Sentence) -> bool:
    """A document's own question (« Où trouver le questionnaire ? »): it states nothing; the
    sentences after it answer it."""
    return sentence.text.rstrip(" »\"'").endswith("?")


def _leads(text: str, sentence: Sentence) -> bool:
    """A heading, or a question alone on its line: the sentences after it are about it (its words
    count for them as a section's title does)."""
    alone = text[: sentence.start].endswith("\n") or sentence.start == 0
    alone = alone and (sentence.end == len(text) or text[sentence.end : sentence.end + 1] == "\n")
    return sentence.is_heading or (alone and _asks(sentence))


def _heads_list(sentences: list[Sentence], i: int) -> bool:
    """A heading right over list items (« ## Les axes du programme » then « - Accès aux soins »):
    quoted with its list, it is the list's announcing sentence."""
    return sentences[i].is_heading and i + 1 < len(sentences) and sentences[i + 1].is_item


def _unquotable(sentence: Sentence) -> bool:
    """Headings (marked, or in capitals) and table-of-contents lines: context, not answers."""
    letters = [c for c in sentence.text if c.isalpha()]
    shouting = len(letters) > 8 and sum(c.isupper() for c in letters) > 0.8 * len(letters)
    return sentence.is_heading or shouting or bool(DOT_LEADERS.search(sentence.text))


def _answer_type_bonus(question: QuestionProfile, sentence: Sentence, announces_list: bool = False) -> float:
    bonus = 0.0
    counts = counts_in(sentence.text)
    if question.wants_number and counts - {float(y) for y in question.years}:
        bonus += 0.15
    if question.wants_date and any(1900 <= c <= 2100 for c in counts):
        bonus += 0.1
    if question.years and any(year in sentence.text or covers_year(year, sentence.text) for year in question.years):
        bonus += 0.2
    if question.wants_definition and DEFINES.search(sentence.text):
        bonus += 0.2
    if len(sentence.text.split()) < 4 and not announces_list:  # « Contact : » with its lines is whole
        bonus -= 0.2
    return bonus


