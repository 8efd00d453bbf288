"""Which CLS the sentences being read are about.

A local authority's own document starts focused on its declared territory when it speaks of a
CLS; a regional document (ARS) has no focus until a sentence names a CLS's territory, and facts
read without a focus are dropped. A heading whose section names another territory, or the
section of one part of a several-CLS document (« Saint-Joseph : … »), moves the focus.
"""

from __future__ import annotations

import re

from assistant.catalogue import patterns as P
from assistant.catalogue.model import LIST_FIELDS, SINGLE_FIELDS, DocumentFacts
from assistant.catalogue.names import is_collectivity, same_territory, territory_key
from assistant.catalogue.phrases import between_parties, signature_parties
from assistant.core.geography import is_regional_name
from assistant.core.sentences import Sentence


class FocusTracker:
    def __init__(self, file: str, doc_date: str, doc_territory: str, doc_parts: dict[str, str], about_cls: bool) -> None:
        self.file = file
        self.doc_date = doc_date
        self.doc_territory = doc_territory
        self.doc_key = territory_key(doc_territory) if doc_territory else ""
        self.doc_parts = doc_parts
        self.facts: dict[str, DocumentFacts] = {}
        """What the document says, per CLS (by territory key)."""
        self.focus: DocumentFacts | None = self.partial(self.doc_key) if self.doc_key and about_cls else None
        self.group: list[DocumentFacts] = []
        """The CLS the current sentence names together (« les CLS de A, de B et de C »)."""

    def partial(self, key: str) -> DocumentFacts:
        if key in self.facts:
            return self.facts[key]
        for known, partial in self.facts.items():
            if self.doc_parts and self.doc_key in (known, key) and known != key:
                continue  # one part of a several-CLS document is not the whole
            if same_territory(known, key):
                return partial
        self.facts[key] = DocumentFacts(key, self.file, self.doc_date)
        return self.facts[key]

    def focus_on(self, name: str) -> DocumentFacts | None:
        key = territory_key(name)
        if not key:
            return None
        if self.doc_key and same_territory(key, self.doc_key) and not self.doc_parts:
            key = self.doc_key
        self.focus = self.partial(key)
        return self.focus

    def group_on(self, members: list[DocumentFacts]) -> None:
        """Several CLS named together: the first is the focus, the others share what the same
        sentence states (see `share`)."""
        self.focus = members[0]
        self.group = members

    def share(self, quote: str) -> None:
        """Copy to every member of the group the facts cited by `quote`, then end the group."""
        quote = quote.strip()
        if self.focus is not None:
            for member in self.group:
                if member is self.focus:
                    continue
                for name in SINGLE_FIELDS:
                    cited = getattr(self.focus, name)
                    if cited is not None and cited.source.quote == quote:
                        member.set(name, cited)
                for name in LIST_FIELDS:
                    for cited in getattr(self.focus, name):
                        if cited.source.quote == quote:
                            member.add(name, cited)
        self.group = []

    def is_doc_territory(self, name: str) -> bool:
        return bool(self.doc_key) and same_territory(territory_key(name), self.doc_key)

    def follow(self, sentences: list[Sentence], i: int) -> None:
        """Move the focus, if sentence `i` opens a section about another CLS."""
        if sentences[i].is_heading:
            self._section(sentences, i)
        self._part(sentences[i])

    def _part(self, sentence: Sentence) -> None:
        """« Saint-Joseph : un engagement … », a heading or a short line opening the section of
        one of the CLS a several-CLS document describes."""
        if not self.doc_parts or sentence.is_item:
            return
        match = re.match(r"^\s*(?:#+\s*)?([^:–—]{2,60}?)\s*[:–—]\s", sentence.text)
        opens = match and (sentence.is_heading or not sentence.text.rstrip().endswith("."))
        if opens and territory_key(match.group(1)) in self.doc_parts:
            self.focus_on(match.group(1))

    def _section(self, sentences: list[Sentence], i: int) -> None:
        """A heading belongs to the CLS it names (« Contrat local de santé du Pays de X »), else to
        the territory its section names, if it names one."""
        own = P.MENTION.search(sentences[i].text) or P.MENTION_BARE.search(sentences[i].text)
        if own and territory_key(own.group(1)) and not is_regional_name(own.group(1)):
            self.focus_on(own.group(1))
            return
        for following in sentences[i + 1 :]:
            if following.is_heading:
                return
            name = self._named_territory(following.text)
            if name:
                self.focus_on(name)
                return

    def _named_territory(self, text: str) -> str | None:
        for start, end in signature_parties(text) or between_parties(text):
            if is_collectivity(text[start:end]) or self.is_doc_territory(text[start:end]):
                return text[start:end]
        mention = P.MENTION.search(text)
        if mention and territory_key(mention.group(1)):
            return mention.group(1)
        return None
