"""Reads the stored chunks of each document and notes, sentence by sentence, the facts of the CLS
it describes, each with the verbatim sentence (or list item) it was read in.

A document is read in order with a *focus*: the CLS the current sentences are about. A local
authority's own document starts focused on its territory (from its metadata) when it speaks of a
CLS; a regional document (ARS) has no focus until a sentence names a CLS's territory (« la
Communauté de communes des Villes sœurs a signé un contrat local de santé… »), and facts read
without a focus are dropped. A heading whose section names another territory moves the focus
before the heading is read. Counts of CLS stated by the documents are noted whatever the focus.

Chunks that give orders to an AI model are not read at all (quarantined at ingestion, or caught
by the detector in a store ingested before the mark): a fake chat turn must not become a record.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from assistant.catalogue import patterns as P
from assistant.catalogue.model import (
    FILTER_KEYS, LIST_FIELDS, SINGLE_FIELDS, Cited, DocumentFacts, Extraction, Source, StatedCount,
)
from assistant.catalogue.names import (
    clean_item,
    closing_parenthesis,
    is_collectivity,
    is_name,
    is_regional,
    same_territory,
    split_parties,
    strip_article,
    territory_key,
)
from assistant.engines.injection import addresses_a_model, quarantined
from assistant.french import NUMBER_WORDS, fold
from assistant.geography import is_regional_name, region_of
from assistant.passages import Passage, quote_page
from assistant.sentences import Sentence, split_sentences

@dataclass
class StoredChunk:
    id: str
    text: str
    metadata: dict


def extract(chunks: Iterable[StoredChunk]) -> Extraction:
    by_document: dict[str, list[StoredChunk]] = {}
    for chunk in chunks:
        if quarantined(chunk.metadata) or addresses_a_model(chunk.text):
            continue
        by_document.setdefault(chunk.metadata.get("doc_id") or chunk.id.rsplit(":", 1)[0], []).append(chunk)
    facts: list[DocumentFacts] = []
    counts: list[StatedCount] = []
    for doc_chunks in by_document.values():
        doc_chunks.sort(key=lambda c: c.metadata.get("chunk_index", 0))
        reader = _DocumentReader(doc_chunks)
        reader.read()
        facts += reader.finished()
        counts += reader.counts
    return Extraction(facts, counts)


class _DocumentReader:
    def __init__(self, chunks: list[StoredChunk]) -> None:
        self.chunks = chunks
        meta = chunks[0].metadata
        self.file = meta.get("file", "")
        self.doc_date_iso = meta.get("date", "")
        self.doc_date = _iso(self.doc_date_iso)
        self.doc_type = meta.get("doc_type", "")
        territory = meta.get("territory", "") or ""
        self.regional = is_regional(territory) or is_regional_name(territory)
        self.doc_territory = "" if self.regional else territory
        self.doc_key = territory_key(self.doc_territory) if self.doc_territory else ""
        parts = [self.doc_territory[a:b] for a, b in split_parties(self.doc_territory)] if self.doc_territory else []
        self.doc_parts = {territory_key(part): part for part in parts if territory_key(part)} if len(parts) > 1 else {}
        """« Sainte-Marie et Saint-Joseph »: a document about several CLS, one per part."""
        title = meta.get("title", "") or ""
        other_device = bool(P.NOT_A_CLS.search(title)) and not P.CLS_NAME.search(P.NOT_A_CLS.sub(" ", title))
        self.about_cls = not other_device and any(P.CLS_NAME.search(c.text) for c in chunks)
        lead = " ".join(s.text for s in split_sentences(chunks[0].text)[:3])
        self.announces_signature = self.about_cls and bool(
            re.search(r"\bsign", title, re.I) or P.SIGNED.search(lead))
        """The title speaks of a signature: dated leads and attendance lists are about it."""
        self.facts: dict[str, DocumentFacts] = {}
        self.counts: list[StatedCount] = []
        self.focus: DocumentFacts | None = self._partial(self.doc_key) if self.doc_key and self.about_cls else None

    # --- reading ------------------------------------------------------------------------------

    def read(self) -> None:
        open_list: tuple[str, DocumentFacts] | None = None
        bare_items = False
        for chunk in self.chunks:
            sentences = split_sentences(chunk.text)
            if open_list and not (sentences and sentences[0].is_item):
                open_list = None
            for i, sentence in enumerate(sentences):
                self._counts(chunk, sentence)
                if sentence.is_heading:
                    self._focus_section(chunk, sentences, i)
                self._focus_part(sentence)
                self._signature(chunk, sentences, i)
                self._dated_lead(chunk, sentence)
                self._presence(chunk, sentence)
                self._between_block(chunk, sentences, i)
                self._mention(chunk, sentence)
                if self.focus is None:
                    open_list = None
                    continue
                if open_list and (sentence.is_item or (bare_items and _bare_line(chunk.text, sentence))):
                    kind, partial = open_list
                    self._item(chunk, sentence, kind, partial)
                    continue
                open_list = self._list_intro(sentences, i)
                # « Les axes du CLS : » then one axis a line, without bullets
                bare_items = bool(open_list) and sentence.text.rstrip().endswith(":") and not (
                    i + 1 < len(sentences) and sentences[i + 1].is_item)
                self._facts(chunk, sentences, i)

    def finished(self) -> list[DocumentFacts]:
        """DocumentFactss that can be cited by a territory name read in the text."""
        done = []
        region = self._region()
        self._adopt_written_name()
        for partial in self.facts.values():
            partial.territory = self._territory_of(partial)
            partial.region = region
            if partial.territory and _has_facts(partial):
                done.append(partial)
        return done

    def _adopt_written_name(self) -> None:
        """The manifest's territory is not written in the text (a long official name) but the
        text names one CLS by its short name (« le CLS Pays X »): they are the same CLS, cited by
        the name the text writes."""
        own = self.facts.get(self.doc_key)
        if own is None or self.doc_parts or self._find_in_text(self.doc_territory):
            return
        named = [p for key, p in self.facts.items() if key != self.doc_key and p.names]
        if len(named) != 1:
            return
        other = named[0]
        for name in SINGLE_FIELDS:
            if getattr(other, name) is None and getattr(own, name) is not None:
                setattr(other, name, getattr(own, name))
        for name in LIST_FIELDS:
            for cited in getattr(own, name):
                other.add(name, cited)
        del self.facts[self.doc_key]

    def _region(self) -> str:
        """The document's region: the one its publisher, territory and title name, else the one
        its text names most."""
        meta = self.chunks[0].metadata
        head = " ; ".join(meta.get(k, "") or "" for k in ("publisher", "territory", "title"))
        found = region_of(head) or region_of("\n".join(c.text for c in self.chunks))
        return found.name if found else ""

    # --- focus --------------------------------------------------------------------------------

    def _partial(self, key: str) -> DocumentFacts:
        if key in self.facts:
            return self.facts[key]
        for known, partial in self.facts.items():
            if self.doc_parts and self.doc_key in (known, key) and known != key:
                continue  # one part of a several-CLS document is not the whole
            if same_territory(known, key):
                return partial
        self.facts[key] = DocumentFacts(key, self.file, self.doc_date_iso)
        return self.facts[key]

    def _focus_on(self, name: str) -> DocumentFacts | None:
        key = territory_key(name)
        if not key:
            return None
        if self.doc_key and same_territory(key, self.doc_key) and not self.doc_parts:
            key = self.doc_key
        self.focus = self._partial(key)
        return self.focus

    def _focus_part(self, sentence: Sentence) -> None:
        """« Saint-Joseph : un engagement … », a heading or a short line opening the section of
        one of the CLS a several-CLS document describes."""
        if not self.doc_parts or sentence.is_item:
            return
        match = re.match(r"^\s*(?:#+\s*)?([^:–—]{2,60}?)\s*[:–—]\s", sentence.text)
        if match and (sentence.is_heading or not sentence.text.rstrip().endswith(".")):
            key = territory_key(match.group(1))
            if key in self.doc_parts:
                self._focus_on(match.group(1))

    def _focus_section(self, chunk: StoredChunk, sentences: list[Sentence], i: int) -> None:
        """A heading belongs to the territory its section names, if it names one."""
        for following in sentences[i + 1 :]:
            if following.is_heading:
                return
            name = self._named_territory(following.text)
            if name:
                self._focus_on(name)
                return

    def _named_territory(self, text: str) -> str | None:
        parties = _signature_parties(text) or _between_parties(text)
        for start, end in parties:
            if is_collectivity(text[start:end]) or self._is_doc_territory(text[start:end]):
                return text[start:end]
        mention = P.MENTION.search(text)
        if mention and territory_key(mention.group(1)):
            return mention.group(1)
        return None

    def _is_doc_territory(self, name: str) -> bool:
        return bool(self.doc_key) and same_territory(territory_key(name), self.doc_key)

    def _mention(self, chunk: StoredChunk, sentence: Sentence) -> None:
        """« Le contrat local de santé de la Communauté d'agglomération X est… » names a CLS."""
        if sentence.is_heading:
            return
        match = P.MENTION.search(sentence.text) or P.MENTION_BARE.search(sentence.text)
        if not match or not territory_key(match.group(1)) or is_regional_name(match.group(1)):
            return
        partial = self._focus_on(match.group(1))
        if partial:
            partial.add("names", self._cite(chunk, sentence, match.group(1), *match.span(1)))

    # --- signature and parties ----------------------------------------------------------------

    def _signature(self, chunk: StoredChunk, sentences: list[Sentence], i: int) -> None:
        sentence = sentences[i]
        text = sentence.text
        if sentence.is_heading:
            return
        between = _between_parties(text)
        if between:
            self._parties(chunk, sentence, between)
        signed = P.SIGNED.search(text)
        done_at = P.DONE_AT.match(text)
        if not (signed or done_at):
            return
        pronoun = re.match(r"^(?:Il|Elle)\b", text)
        noun = signed and re.search(r"\bsignature\b", signed.group(0), re.IGNORECASE)
        own = self.about_cls and self.focus is not None and bool(self.doc_key) and self.focus.key == self.doc_key
        if not (P.CONTRACT.search(text) or (self.about_cls and (pronoun or done_at or noun)) or own):
            return
        if signed and P.OTHER_INSTRUMENT.match(text, signed.end()):
            return  # an implementing convention or an avenant was signed, not the contract
        if not between:
            self._parties(chunk, sentence, _signature_parties(text))
        if self.focus is None:
            return
        self._institutions(chunk, sentence)
        after = signed.end() if signed else done_at.end()
        when = _nearest_date(text, after, self.doc_date)
        if when:
            match, day = when
            self.focus.set("signed_on", self._cite(chunk, sentence, match.group(0), *match.span(), day.isoformat()))
        else:
            month = P.MONTH_YEAR.search(text)
            if month:
                normalized = f"{month.group(2)}-{P.MONTHS[month.group(1).lower()]:02d}"
                start, end = month.span(1)[0], month.span(2)[1]
                self.focus.set("signed_on", self._cite(chunk, sentence, text[start:end], start, end, normalized))
        horizon = P.HORIZON.search(text)
        if horizon:
            self.focus.set("horizon", self._cite(chunk, sentence, horizon.group(0), *horizon.span(), horizon.group(1)))

    def _dated_lead(self, chunk: StoredChunk, sentence: Sentence) -> None:
        """« Le 23 juin 2025, la ville de X a… » in a document that announces a signature: the
        date of the focused territory's signature, even when the sentence is cut before its verb."""
        focus = self.focus
        if focus is None or focus.signed_on or sentence.is_heading or not self.announces_signature:
            return
        lead = P.DATE_LED.match(sentence.text)
        day = P.parse_date(lead, self.doc_date) if lead and lead.group(2).lower() in P.MONTHS else None
        name = P.NAME_RUN.search(sentence.text[lead.end():lead.end() + 80]) if day else None
        if name and same_territory(territory_key(name.group(0)), focus.key):
            start, end = lead.span(1)[0], lead.span(3)[1]
            focus.set("signed_on", self._cite(chunk, sentence, sentence.text[start:end], start, end, day.isoformat()))
            name_start, name_end = lead.end() + name.start(), lead.end() + name.end()
            focus.add("names", self._cite(chunk, sentence, sentence.text[name_start:name_end], name_start, name_end))

    def _presence(self, chunk: StoredChunk, sentence: Sentence) -> None:
        """« En présence de M. X, président du PETR Y, et de Mme Z, directrice de l'ARS W »: the
        institutions whose heads attend a signature."""
        if self.focus is None or not self.announces_signature or not P.PRESENCE.search(sentence.text):
            return
        self._institutions(chunk, sentence)
        for match in P.OFFICE_OF.finditer(sentence.text):
            name = match.group("name")
            if is_collectivity(name) and not same_territory(territory_key(name), self.focus.key):
                self.focus.add("signatories", self._cite(chunk, sentence, name, *match.span("name")))

    def _between_block(self, chunk: StoredChunk, sentences: list[Sentence], i: int) -> None:
        """« Entre les soussignés : » followed by one party per line (« X, représentée par … »)."""
        if not P.BETWEEN_HEADER.match(sentences[i].text.lstrip("# ")):
            return
        for following in sentences[i + 1 : i + 10]:
            match = P.PARTY_LINE.match(following.text)
            if P.BETWEEN_HEADER.match(following.text.lstrip("# ")):
                continue
            if not match:
                break
            self._parties(chunk, following, [match.span(1)])

    def _institutions(self, chunk: StoredChunk, sentence: Sentence, names: bool = False) -> None:
        """Institutions a signing sentence names, however it names them (« en présence de X,
        directeur général de l'ARS Normandie »); with `names`, any other name too (« les villes de
        Strasbourg, Schiltigheim et Illkirch »), but never a person (« Josée Massi, maire »)."""
        text = sentence.text
        taken: list[tuple[int, int]] = []
        for match in P.INSTITUTION_NAME.finditer(text):
            taken.append(match.span())
            start, end = clean_item(text, *match.span())
            self.focus.add("signatories", self._cite(chunk, sentence, text[start:end], start, end))
        if not names:
            return
        runs = [span for m in P.NAME_RUN.finditer(text) for span in split_parties(m.group(0), m.start()) or [m.span()]]
        if len(runs) > MAX_PROSE_SIGNATORIES:
            return  # a long roll of partners, not the parties
        for start, end in runs:
            name = text[start:end]
            if any(a < end and start < b for a, b in taken) or len(name) < 3:
                continue
            if re.match(r"\s+(?!et\b|ainsi\b)[a-zàâçéèêîôû]", text[end:]):
                continue  # the start of a longer name (« Ligue » of « Ligue contre le cancer »)
            if PRONOUN_WORDS.match(name) or P.CLS_NAME.search(name) or is_regional_name(name):
                continue
            if re.match(r",\s*(?:le |la )?(?:maire|président|présidente|directeur|directrice|préfet|préfète|"
                        r"ministre|adjoint|adjointe|vice|conseill|délégu|élu|responsable|coordinat)", text[end:end + 30], re.I):
                continue  # a person, named before the office
            if self._is_doc_territory(name) or (self.focus and same_territory(territory_key(name), self.focus.key)):
                continue
            self.focus.add("signatories", self._cite(chunk, sentence, name, start, end))

    def _parties(self, chunk: StoredChunk, sentence: Sentence, parties: list[tuple[int, int]]) -> None:
        """The local authority among the parties takes the focus; the others are signatories."""
        text = sentence.text
        named = [(s, e) for s, e in parties if is_name(text[s:e]) and not P.CONTRACT.match(strip_article(text[s:e]))]
        authority = next(
            ((s, e) for s, e in named if self._is_doc_territory(text[s:e])),
            next(((s, e) for s, e in named if is_collectivity(strip_article(text[s:e]))), None),
        )
        if authority:
            start, end = clean_item(text, *authority)
            partial = self._focus_on(text[start:end])
            if partial:
                cited = self._cite(chunk, sentence, text[start:end], start, end)
                partial.set("collectivite", cited)
                partial.add("names", cited)
        if self.focus is None:
            return
        plural = bool(authority and re.match(r"(?:les )?(?:communautés|communes|villes|intercommunalités)\b",
                                            text[authority[0]:authority[1]], re.I))
        for span in named:
            if span == authority:
                continue
            if plural and not P.INSTITUTION.search(text[span[0]:span[1]]):
                continue  # « les communautés de communes A, B et C »: B and C share the plural authority
            start, end = _institution(text, *clean_item(text, *span))
            inside = P.INSTITUTION_NAME.search(text, start, end)
            if inside and len(text[start:end].split()) > 4:  # « l'État représenté par le Préfet »
                start, end = clean_item(text, *inside.span())
            if end - start >= 2:
                self.focus.add("signatories", self._cite(chunk, sentence, text[start:end], start, end))

    # --- lists --------------------------------------------------------------------------------

    def _list_intro(self, sentences: list[Sentence], i: int) -> tuple[str, DocumentFacts] | None:
        """A sentence or heading that announces axes or actions, followed by list items."""
        sentence = sentences[i]
        announces = sentence.text.rstrip(" -–").endswith(":")
        followed = i + 1 < len(sentences) and sentences[i + 1].is_item
        if sentence.is_item or not (announces or followed):
            return None
        if P.ONE_YEAR.search(sentence.text) and not P.PLAN_PERIOD.search(sentence.text):
            return None  # « les axes de travail prioritaires pour 2022 »: one year's priorities
        if P.AXES_WORD.search(sentence.text) and not P.AXIS_LINE.match(sentence.text):
            return ("axes", self.focus)
        if P.PLAN_PERIOD.search(sentence.text) and len(sentence.text.split()) <= 8 and followed:
            return ("axes", self.focus)  # « Le plan pour 2022-2025 » over its list of axes
        if P.ACTIONS_INTRO.search(sentence.text):
            return ("actions", self.focus)
        return None

    def _item(self, chunk: StoredChunk, sentence: Sentence, kind: str, partial: DocumentFacts) -> None:
        start, end = clean_item(sentence.text, 0, len(sentence.text))
        if end - start < 4:
            return
        value = sentence.text[start:end]
        partial.add(kind, self._cite(chunk, sentence, value, start, end))

    # --- facts --------------------------------------------------------------------------------

    def _facts(self, chunk: StoredChunk, sentences: list[Sentence], i: int) -> None:
        sentence, partial, text = sentences[i], self.focus, sentences[i].text
        assert partial is not None
        contractual = bool(P.CONTRACT.search(text)) or self.doc_key == partial.key
        period = P.PERIOD_AFTER_CONTRACT.search(text) or P.PERIOD_AFTER_WORD.search(text)
        if not period and i < 6 and P.PERIOD_LINE.match(text) and any(P.CLS_NAME.search(s.text) for s in sentences[:i]):
            period = P.PERIOD_LINE.match(text)  # the years under the contract's title
        if period and _plausible_period(int(period.group(1)), int(period.group(2))):
            start, end = period.span(1)[0], period.span(2)[1]
            normalized = f"{period.group(1)}-{period.group(2)}"
            partial.set("period", self._cite(chunk, sentence, text[start:end], start, end, normalized))
        duration = P.DURATION.search(text)
        if duration and contractual:
            years = NUMBER_WORDS.get(fold(duration.group(1)), duration.group(1))
            partial.set("duration", self._cite(chunk, sentence, duration.group(0), *duration.span(), years))
        generation = P.GENERATION.search(text)
        if generation and (contractual or P.CLS_NAME.search(text)):
            cited = self._cite(chunk, sentence, generation.group(0), *generation.span(), _generation(generation))
            if partial.generation is None or (not partial.generation.normalized.isdigit() and cited.normalized.isdigit()):
                partial.generation = cited  # « 2e génération » says more than « renouvelle »
        preparation = P.PREPARATION.search(text)
        if preparation:
            partial.set("preparation", self._cite(chunk, sentence, preparation.group(0), *preparation.span()))
        axis = P.AXIS_LINE.match(text)
        if axis and len(axis.group(2).split()) >= 2:
            start, end = clean_item(text, *axis.span(2))
            partial.add("axes", self._cite(chunk, sentence, text[start:end], start, end, axis.group(1)))
        action = P.ACTION_LINE.match(text)
        if action:
            self._action_sheet(chunk, sentences, i, action)
        self._lists_of_parties(chunk, sentences, i)
        if re.match(r"^\s*(?:ENTRE|Entre)\b\s*:?", text) and self.about_cls and not sentence.is_heading:
            self._institutions(chunk, sentence)  # a preamble on one line: « Entre : la Préfecture … »
        carried = P.CARRIED_BY.search(text)
        if P.SIGNATORIES_WORD.search(text) and not sentence.is_heading:
            # a structured list (« signataires (a, b) ») is read above; prose gets names too
            self._institutions(chunk, sentence, names=not P.LIST_OF.search(text))
        elif not sentence.is_heading and (
            (P.PARTNERSHIP.search(text) and contractual)
            or (carried and (P.CLS_NAME.search(text) or re.match(r"^(?:Il|Elle|Celui-ci)\b", text))
                and not P.REGIONAL_PLAN.search(text[: carried.start()]))  # « le CLS est porté par … »
        ):
            self._institutions(chunk, sentence)
        if not partial.axes:
            self._inline_axes(chunk, sentence)
        if P.COORDINATION.search(text) and not sentence.is_heading:
            partial.add("coordination", self._cite(chunk, sentence, text, 0, len(text)))
        if P.FUNDING.search(text) and not sentence.is_heading and self._about_funding(chunk, text):
            partial.add("funding", self._cite(chunk, sentence, text, 0, len(text)))

    def _inline_axes(self, chunk: StoredChunk, sentence: Sentence) -> None:
        """« autour de 5 axes majeurs : a, b, c, ainsi qu'un axe transversal »: split at commas and
        semicolons (« et » may sit inside an axis), kept when the count matches the one stated."""
        match = P.INLINE_AXES.search(sentence.text)
        free = None if match else P.INLINE_AXES_FREE.search(sentence.text)
        if not (match or free):
            return
        if match:
            stated = match.group("n")
            wanted = int(stated) if stated.isdigit() else int(NUMBER_WORDS.get(fold(stated), 0))
            spans = [(m.start(), m.end()) for m in re.finditer(r"[^,;]+", match.group("items"))]
            if wanted < 2 or len(spans) != wanted:
                return
        else:
            match = free  # no count: commas, semicolons and the last « et »
            spans = [(m.start(), m.end()) for m in re.finditer(r"[^,;]+", match.group("items"))]
            last = re.search(r"\s+et\s+(?=\S)", match.group("items")[spans[-1][0]:]) if spans else None
            if last and len(spans) >= 2:
                split = spans[-1][0] + last.start()
                spans[-1:] = [(spans[-1][0], split), (split, spans[-1][1])]
            if not 2 <= len(spans) <= 10:
                return
        items_start = match.start("items")
        for start, end in spans:
            start += len(match.group("items")[start:end]) - len(match.group("items")[start:end].lstrip())
            start, end = clean_item(sentence.text, items_start + start, items_start + end)
            lead = re.match(r"(?:et |ainsi qu(?:e\s+|['’])|puis )", sentence.text[start:end])
            if lead:
                start += lead.end()
            if end - start >= 4:
                self.focus.add("axes", self._cite(chunk, sentence, sentence.text[start:end], start, end))

    def _about_funding(self, chunk: StoredChunk, text: str) -> bool:
        section = chunk.metadata.get("section", "")
        return bool(P.FUNDING_CONTEXT.search(text) or P.SHEET_SECTION.search(section) or self.doc_type == "contract")

    def _action_sheet(self, chunk: StoredChunk, sentences: list[Sentence], i: int, match: re.Match) -> None:
        """« Fiche action n°3 : label »: the label, quoted with the sheet's first sentence."""
        sentence = sentences[i]
        start, end = clean_item(sentence.text, *match.span(2))
        quote_start = sentence.start + len(sentence.text) - len(sentence.text.lstrip("# "))
        quote_end = sentence.end
        following = sentences[i + 1] if i + 1 < len(sentences) else None
        body = following and not following.is_heading and not P.ACTION_LINE.match(following.text)
        if body and len(following.text.split()) >= 6:
            quote_end = following.end
        source = self._source(chunk, chunk.text[quote_start:quote_end])
        value = sentence.text[start:end]
        self.focus.add("actions", Cited(value, source, f"n°{match.group(1)}"))

    def _lists_of_parties(self, chunk: StoredChunk, sentences: list[Sentence], i: int) -> None:
        """« les signataires (a, b et c) », « Partenaires : a, b, c », or a « Partenaires » label
        followed by its list."""
        text = sentences[i].text
        for match in P.LIST_OF.finditer(text):
            field_name = "signatories" if fold(match.group("kind")).startswith("signataires") else "partners"
            if match.group("open") == "(":
                end = closing_parenthesis(text, match.end())
            else:
                stop = re.search(r"\.\s*$", text[match.end():])
                end = match.end() + stop.start() if stop else len(text)
            quote_end = min(end + 1, len(text)) if match.group("open") == "(" else end
            source = self._source(chunk, text[match.start():quote_end])
            for item_start, item_end in split_parties(text[match.end():end], match.end(), loose=True):
                start, stop = clean_item(text, item_start, item_end)
                if stop - start >= 2:
                    self.focus.add(field_name, Cited(text[start:stop], source))
        if P.LABEL_PARTNERS.match(text) and i + 1 < len(sentences):
            following = sentences[i + 1]
            for item_start, item_end in split_parties(following.text, loose=True):
                start, stop = clean_item(following.text, item_start, item_end)
                if stop - start >= 2:
                    self.focus.add("partners", self._cite(chunk, following, following.text[start:stop], start, stop))

    # --- counts -------------------------------------------------------------------------------

    def _counts(self, chunk: StoredChunk, sentence: Sentence) -> None:
        text = sentence.text
        stated = ((P.REGION_COUNT, "active"), (P.WITH_COUNT, "active"), (P.SIGNED_IN_YEAR, "signed_in_year"))
        for pattern, kind in stated:
            match = pattern.search(text)
            if not match:
                continue
            if pattern is P.WITH_COUNT and not (self.regional or "normand" in fold(text)):
                continue
            written = match.group(1)
            count = int(written) if written.isdigit() else int(NUMBER_WORDS.get(fold(written), int(fold(written) == "un")))
            if not count:
                continue
            year = None
            if kind == "signed_in_year":
                year = int(match.group(2))
            elif (match.group(2) or "").lower() == "signés":
                kind = "signed"
            as_of = P.AS_OF.search(text)
            day = P.parse_date(as_of, None) if as_of else None
            self.counts.append(StatedCount(
                count=count, value=written, kind=kind, as_of=(day.isoformat() if day else self.doc_date_iso),
                source=self._source(chunk, text), year=year, explicit_date=bool(day),
            ))

    # --- citations ----------------------------------------------------------------------------

    def _cite(
        self, chunk: StoredChunk, sentence: Sentence, value: str, start: int, end: int, normalized: str = ""
    ) -> Cited:
        """`value` (text[start:end] of the sentence) cited by the whole sentence."""
        assert sentence.text[start:end] == value
        return Cited(value.strip(), self._source(chunk, sentence.text), normalized)

    def _source(self, chunk: StoredChunk, quote: str) -> Source:
        meta = chunk.metadata
        return Source(
            chunk_id=chunk.id,
            file=meta.get("file", ""),
            title=meta.get("title", ""),
            publisher=meta.get("publisher", ""),
            date=meta.get("date", ""),
            page=quote_page(Passage(chunk.id, chunk.text, meta), quote.strip()),
            quote=quote.strip(),
            metadata={k: meta[k] for k in FILTER_KEYS if k in meta},
        )

    def _territory_of(self, partial: DocumentFacts) -> Cited | None:
        """The document's own territory name where the text writes it, else a name read in the
        text (the signing authority first)."""
        if partial.key == self.doc_key and self.doc_territory:
            found = self._find_in_text(self.doc_territory) or self._closest_name(self.doc_key)
            if found:
                return found
        if partial.collectivite:
            return partial.collectivite
        return partial.names[0] if partial.names else None

    def _closest_name(self, key: str) -> Cited | None:
        """The name written in the text that shares most words with the manifest's territory (a
        hint, not a key: « Agglo X (Manche) » is written « la Communauté d'agglomération X »)."""
        wanted = set(key.split())
        best: tuple[tuple, Cited] | None = None
        for chunk in self.chunks:
            for sentence in split_sentences(chunk.text):
                for match in P.NAME_RUN.finditer(sentence.text):
                    name = match.group(0)
                    if is_regional_name(name) or P.INSTITUTION.search(name):
                        continue
                    shared = wanted & set(territory_key(name).split())
                    if not shared:
                        continue
                    extra = len(set(territory_key(name).split()) - wanted)
                    about = bool(P.CLS_NAME.search(sentence.text) or P.SIGNED.search(sentence.text))
                    score = (len(shared), -extra, about, not sentence.is_heading)
                    if best is None or score > best[0]:
                        start, end = clean_item(sentence.text, *match.span())
                        best = (score, self._cite(chunk, sentence, sentence.text[start:end], start, end))
        return best[1] if best else None

    def _find_in_text(self, name: str) -> Cited | None:
        words = [re.escape(w) for w in re.split(r"[\s'’-]+", name) if w]
        pattern = re.compile(r"\b" + r"[\s'’-]+".join(words) + r"\b", re.IGNORECASE)
        best = None
        for chunk in self.chunks:
            for sentence in split_sentences(chunk.text):
                match = pattern.search(sentence.text)
                if not match or sentence.is_heading:
                    continue
                cited = self._cite(chunk, sentence, match.group(0), *match.span())
                if P.CLS_NAME.search(sentence.text) or P.SIGNED.search(sentence.text):
                    return cited
                best = best or cited
        return best or self._find_over_lines(pattern)

    def _find_over_lines(self, pattern: re.Pattern) -> Cited | None:
        """A title broken over lines (« du Pays des Collines » / « et du Plateau »): the lines
        it spans are the quote, the name with its spaces collapsed the value."""
        for chunk in self.chunks:
            match = pattern.search(chunk.text)
            if match and "\n" in match.group(0):
                start = chunk.text.rfind("\n", 0, match.start()) + 1
                end = chunk.text.find("\n", match.end())
                quote = chunk.text[start : end if end >= 0 else len(chunk.text)]
                return Cited(" ".join(match.group(0).split()), self._source(chunk, quote))
        return None


def _signature_parties(text: str) -> list[tuple[int, int]]:
    """The subject of an active « X a signé … » and the parties after « avec »."""
    signed = P.SIGNED.search(text)
    if not signed:
        return []
    parties = []
    if not P.PASSIVE.match(text, signed.start()) and not signed.group(0).startswith("de "):
        subject = _subject(text, signed.start())
        if subject:  # « le PETR du Pays X et l'ARS Grand Est ont signé »: two parties
            parties += split_parties(text[subject[0] : subject[1]], subject[0]) or [subject]
    with_ = P.WITH.search(text, signed.end())
    if with_:
        parties += split_parties(text[with_.end() : _list_end(text, with_.end())], with_.end())
    return parties


def _between_parties(text: str) -> list[tuple[int, int]]:
    """« conclu entre A, B et C » or « Entre A, B et C, il est convenu … »."""
    between = P.CONCLUDED_BETWEEN.search(text) or re.match(r"^\s*Entre\s+(?=\S)", text)
    if not between or not re.search(r"\bconclu|\bconvenu|\bsign", text, re.IGNORECASE):
        return []
    end = re.search(r",\s*il est convenu|\.\s*$|\s+pour\s|\s+(?:qui|que|dont|est|sera|a|ont)\s", text[between.end():])
    stop = between.end() + end.start() if end else len(text)
    return split_parties(text[between.end() : stop], between.end())


MAX_PROSE_SIGNATORIES = 10
"""More names than this in one sentence about signatories is a roll of partners."""
PRONOUN_WORDS = re.compile(r"^(?:Il|Elle|Ils|Elles|Le|La|Les|L['’]|Ce|Cette|Ces|Son|Sa|Ses|Leur|Leurs|Un|Une|Des|Parmi|Au|Aux|En|On|Pour|Avec|Dans|Depuis|Signataires?|Contrat|Partenaires?)$")


PERSON = re.compile(r"^(?:M\.|Mme|Madame|Monsieur|Dr)?\s*[A-ZÉÈ][\w-]+(?:\s+[A-ZÉÈ][\w-]+){0,3},\s+(?=[a-zéèàâ])")
"""« Simon Babre, préfet du Var »: a person named before the office held."""


def _institution(text: str, start: int, end: int) -> tuple[int, int]:
    """A signatory as an institution: « Simon Babre, préfet du Var » → « préfet du Var »,
    « directeur de l'Agence régionale de santé » → « Agence régionale de santé »."""
    item = text[start:end]
    person = PERSON.match(item)
    if person:
        start += person.end()
        item = text[start:end]
    office = re.match(r"^(?:(?:le |la )?(?:directeur|directrice|président|présidente|maire|délégué|déléguée)"
                      r"(?: général| générale| départemental| départementale| territorial| territoriale)?)\s+"
                      r"(?:de la |de l['’]|du |des |de |d['’])", item, re.IGNORECASE)
    if office and P.INSTITUTION.search(item[office.end():]) or (office and is_collectivity(item[office.end():])):
        start += office.end()
    return start, end


def _subject(text: str, verb: int) -> tuple[int, int] | None:
    end = verb
    gathered = GATHERED.search(text, 0, verb)
    if gathered:  # « X et Y se sont réunis le 4 mars à Z pour signer »: the subject is before the verb
        end = gathered.start()
    while end > 0 and text[end - 1] == " ":
        end -= 1
    while end > 0 and text[end - 1] == ")":  # « la CC des Villes sœurs (Eu, le Tréport) a signé »
        depth, i = 0, end - 1
        while i >= 0:
            depth += {")": 1, "(": -1}.get(text[i], 0)
            if depth == 0:
                break
            i -= 1
        end = max(i, 0)
        while end > 0 and text[end - 1] == " ":
            end -= 1
    start = text.rfind(", ", 0, end)
    start = start + 2 if start >= 0 else 0
    start = _listed_subject_start(text, start)
    speakers = re.match(r"\s*(?:les |des )?(?:représentant(?:e)?s|élu(?:e)?s|maires et présidents|présidents?|maires)"
                        r"(?: (?:et \w+ )?)?\s+(?:de la |de l['’]|du |des |de |d['’])", text[start:end], re.IGNORECASE)
    if speakers:  # « les représentants de la CC X se sont réunis pour signer »: the CC
        start += speakers.end()
    start, end = clean_item(text, start, end) if end > start else (start, end)
    if end - start < 3 or not is_name(text[start:end]) or P.CONTRACT.search(text[start:end]):
        return None
    return start, end


GATHERED = re.compile(r"\s+(?:se sont|s['’]est|se sont officiellement) (?:réuni|retrouvé|rassemblé|donné rendez-vous)\w*\b[^,]*$")
OPENING = re.compile(r"^(?:Depuis|Dès|En|Lors|Après|Avant|Pour|Par|Dans|Sur|Ainsi|Aujourd|Enfin|Puis|Ce|Cette|Le \d)\b")
"""Words that open an adverbial, not a name, at the head of a sentence."""


def _listed_subject_start(text: str, start: int) -> int:
    """« La Ville de X, l'ARS Y et la Préfecture Z ont signé »: the comma-separated names before
    the last one belong to the subject too, back to a date or an adverbial that opens the sentence."""
    while start >= 2 and text[start - 2 : start] == ", ":
        before = text.rfind(", ", 0, start - 2)
        segment_start = before + 2 if before >= 0 else 0
        segment = text[segment_start : start - 2]
        named = len(segment.split()) <= 2 or re.search(r"\s[A-ZÉÈÎÔÂ]", segment) or P.COLLECTIVITY.search(strip_article(segment))
        if not is_name(segment) or not named or OPENING.match(segment) or re.search(r"\b(?:19|20)\d{2}\b", segment) or len(segment.split()) > 8:
            break
        start = segment_start
    return start


def _list_end(text: str, start: int) -> int:
    depth = 0
    for i in range(start, len(text)):
        char = text[i]
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and P.LIST_STOP.match(text, i):
            return i
    return len(text)


def _nearest_date(text: str, after: int, fallback: date | None) -> tuple[re.Match, date] | None:
    found = []
    for pattern in (P.DAY_MONTH_YEAR, P.NUMERIC_DATE):
        for match in pattern.finditer(text):
            day = P.parse_date(match, fallback)
            if day:
                distance = match.start() - after if match.start() >= after else 1000 + after - match.end()
                found.append((distance, match, day))
    if not found:
        return None
    _, match, day = min(found, key=lambda f: f[0])
    return match, day


def _bare_line(text: str, sentence: Sentence) -> bool:
    """A short line of its own, without a final period: a list item written without a bullet."""
    alone = (sentence.start == 0 or text[sentence.start - 1] == "\n") and (
        sentence.end == len(text) or text[sentence.end : sentence.end + 1] == "\n")
    words = len(sentence.text.split())
    return alone and not sentence.is_heading and 2 <= words <= 20 and not sentence.text.rstrip().endswith((".", ":", "!", "?"))


ORDINALS = {"deuxieme": "2", "second": "2", "seconde": "2", "troisieme": "3", "quatrieme": "4"}


def _generation(match: re.Match) -> str:
    """« 2 », « 3 » (which contract of the territory), « avenant », or « renouvelé »."""
    if match.group("n"):
        return match.group("n")
    if match.group("w"):
        return ORDINALS[fold(match.group("w"))]
    return "avenant" if match.group("avenant") else "renouvelé"


def _plausible_period(start: int, end: int) -> bool:
    return 1990 <= start <= end <= start + 12


def _has_facts(partial: DocumentFacts) -> bool:
    return any(
        getattr(partial, name)
        for name in ("collectivite", "signatories", "partners", "signed_on", "period", "duration",
                     "preparation", "axes", "actions", "coordination", "funding")
    )


def _iso(value: str) -> date | None:
    """The last day a document's date (at any precision) may be: a year-less date in its text is
    placed no later than that."""
    try:
        if len(value) == 4 and value.isdigit():
            return date(int(value), 12, 31)
        if len(value) == 7 and value[4] == "-":
            year, month = int(value[:4]), int(value[5:7])
            return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
