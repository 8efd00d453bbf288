"""What a question asks, as people type it: context set aside, parts split, names picked out.

« J'en parle au conseil jeudi : le CLS de Val de Brume date de quand, il dure combien de temps,
et qui l'a signé ? » is one topic (Val de Brume) and three parts, each answered (or said missing)
on its own.
Sentences without a question (« Nous lançons notre diagnostic. ») are context: their words do not
have to be matched by the answer, and the names they hold are hints, not requirements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from assistant.answer_kinds import cue_span, kind_of
from assistant.core.french import STOPWORDS, expanded_terms, fold, stem, words
from assistant.core.glossary import GLOSSARY
from assistant.question import QuestionProfile, profile

INTERROGATIVE = re.compile(
    r"\b(?:quel(?:le)?s?|qui|quoi|comment|combien|où|pourquoi|quand|lequel|laquelle|lesquel(?:le)?s|"
    r"est[- ]ce|y a[- ]t[- ]il|y a|existe[- ]t[- ]il|c'est quoi|qu'est[- ]ce)\b|\bqu['’]",
    re.IGNORECASE,
)
REQUEST = re.compile(
    r"^(?:et\s+)?(?:donnez|donne|dites|dis|indiquez|indique|précisez|précise|listez|liste|citez|cite|rappelez|rappelle|"
    r"expliquez|explique|décrivez|décris)(?:[- ]moi|[- ]nous)?\b|^j['’]ai besoin d", re.IGNORECASE)
"""« Donnez-moi les périodes des deux. »: a request asks as a question does."""
SENTENCE = re.compile(r"[^.?!…]+(?:[.?!…]+|$)")
PART_SEPARATOR = re.compile(r"\s*(?:,\s*(?:et|ou|puis|mais)\b|;|,|\bet\b|\bpuis\b)\s*", re.IGNORECASE)
TOKEN = re.compile(r"[\w-]+['’]?|[^\w\s]")
"""Words (« d' » apart from what it elides, « Saint-Gilles » whole) and punctuation."""
NAME_LINKS = {"de", "du", "des", "d", "la", "le", "les", "l", "sur", "en", "sous", "lès"}
GENERIC_ACRONYMS = {acronym for acronym in GLOSSARY}
"""Acronyms of the field (CLS, ARS, CPTS…): words of the question, not names to match."""
ROMAN_NUMERAL = re.compile(r"[IVX]+")
OPENING_WORDS = {
    "parmi", "entre", "selon", "chez", "depuis", "pendant", "concernant", "cote", "hormis", "sauf",
    "outre", "vers", "des", "malgre", "apres", "avant", "pour", "dans", "sur", "avec",
}
"""Prepositions that open a question (« Parmi X et Y, lequel… ») and are no part of a name."""
YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
"""A year in a question is a name too: a document of other years does not answer it."""
DOMAIN_TERMS = expanded_terms("contrat local de santé CLS agence régionale de santé ARS")
"""What every document here is about: no part's answer has to repeat them."""
FILLER = expanded_terms(
    "exactement concrètement concrètes concret vraiment précisément simplement justement réellement "
    "déjà donc alors bref enfin svp stp merci bonjour juste "
    "met mettre mettent mis prévu prévue prévus prévues propose proposent compte comptent couvre couvrent "
    "repose reposent appuie appuient "
    "peux pouvez pourriez pourrais comparer compare comparez dire dis donner donne indiquer indique "
    "expliquer explique rappeler savoir sais savez connaissez voudrais aimerais cherche cherchons besoin "
    "citer cite citez donnez dites "
    "celui celle ceux celles cela ça ceci lequel laquelle lesquels lesquelles"
)
"""Words of conversation (« c'est quoi exactement ») and light verbs (« combien l'ARS met »,
« quelles actions sont prévues »): the subject is elsewhere in the question."""
FILLER_PHRASES = re.compile(
    r"\b(?:à part|par rapport à|par rapport au|par exemple|en gros|au juste|du coup|quand même|c'est-à-dire|chez nous|"
    r"s'il (?:te|vous) pla[iî]t|(?:font|fait|faire|faisant|feront) partie|(?:des|les|aux|tous) deux)\b",
    re.IGNORECASE,
)
LISTS_DOCUMENTS = re.compile(
    r"\b(?:(?:quels|quelles|lesquels|lesquelles|plusieurs)\s+|exemples? d(?:e\s+|['’])|d['’]autres\s+)(?:sont les\s+)?"
    r"(?:cls|contrats?|territoires|communes|villes|collectivités|intercommunalités|epci|agglos?|métropoles|"
    r"régions|départements)\b",
    re.IGNORECASE,
)
FRAMING = re.compile(
    r"\b(?:p[ôo]le|pays|communaut[ée] (?:de communes|d['’]agglom[ée]ration|urbaine)|agglo(?:m[ée]ration)?|"
    r"m[ée]tropole|ville|commune|petr|territoire|intercommunalit[ée]|com ?com|r[ée]gion|d[ée]partement|cc|ca)\s+(?:de la |de l['’]|du |des |de |d['’])?"
    r"(?=[A-ZÀ-Ý])",
    re.IGNORECASE,
)
"""A legal form before a name (« le pôle Haute Lande », « l'agglo de Maubeuge ») is the name's."""
HOW_MANY = re.compile(r"\bcombien\b", re.IGNORECASE)
ELLIPTICAL_LIST = re.compile(r"\blesquel(?:le)?s\b", re.IGNORECASE)
"""« et lesquels ? »: the previous part's things, listed."""
LISTS = re.compile(r"\b(?:quels|quelles)\s+(?:sont\s+)?(?:les\s+)?\w+[sx]\b|\blist", re.IGNORECASE)
AGENT = re.compile(r"(?:teur|trice|euse|eur)s?$")
"""Who does (« coordinatrice », « animateur »), beside what is done (« coordination »,
« animation »): the stemmer gives both one stem, a reader asking for a person does not."""
COUNTED = re.compile(
    r"\b(?:combien\b(?:[- ]+y[- ]+a[- ]+t[- ]+il)?|nombre)\s+(?:de |d['’])\s*(\w+)", re.IGNORECASE
)


@dataclass(frozen=True)
class Name:
    surface: str
    """As typed: « Gorges Causses Cévennes », « AQTA »."""
    required: bool = True
    """False for a name met only in a context sentence."""
    starts_sentence: bool = False
    """Its first word opens a sentence, where any word is capitalised (« Parmi Maubeuge… »)."""

    @property
    def is_year(self) -> bool:
        return bool(YEAR.fullmatch(self.surface))

    @property
    def is_acronym(self) -> bool:
        return self.surface.isupper() and " " not in self.surface and len(self.surface) >= 2


@dataclass
class Part:
    """One thing the question asks, with the topic's words around it."""

    text: str
    profile: QuestionProfile
    focus: set[str]
    """Terms an answering sentence should share: the part's own words, less names and question words."""
    kind: str | None
    """The kind of value asked for (answer_kinds.py): date, duration, amount, count, phone…"""
    counted: set[str] = field(default_factory=set)
    """For « combien de fiches actions », the term of what is counted: a number alone is no answer."""
    wants_list: bool = False
    """« Quels sont les axes… »: a list, with the sentence that announces it."""
    wants_documents: bool = False
    """« Quels CLS ont… »: one sentence per document, each said whose it is."""
    agents: set[str] = field(default_factory=set)
    """Focus terms the question asks as a person (« la coordinatrice »): a sentence must name
    the person's role, not only the activity of the same stem."""
    elided: str = ""
    """The previous part, whose subject this one leaves unsaid (« et lesquels ? »)."""


@dataclass
class Understanding:
    text: str
    parts: list[Part]
    names: list[Name] = field(default_factory=list)
    topic: str = ""
    """Words shared by every part (« Cap Atlantique » in « Cap Atlantique : signé quand, … »)."""

    @property
    def required_names(self) -> list[Name]:
        return [name for name in self.names if name.required]

    def complete_names(self, texts: list[str]) -> None:
        """Names typed partly in lower case (« Villes sœurs ») completed as the first passages
        found write them: the documents must mention the whole name, and its lower-case words
        are no part's words to match (as a capitalised name's are not)."""
        names = [completed(name, self.text, texts) for name in self.names]
        added = expanded_terms(" ".join(n.surface for n, old in zip(names, self.names) if n != old))
        self.names = names
        for part in self.parts:
            part.focus -= added

    def query(self, part: Part) -> str:
        """What a part is searched and compared by meaning with: the whole question for a
        one-part question; else the part (after the part it elides) with the question's names it
        does not repeat."""
        if len(self.parts) < 2:
            return self.text
        said = fold(f"{part.elided} {part.text}")
        absent = [n.surface for n in self.required_names if fold(n.surface) not in said]
        return " ".join(filter(None, [*absent, part.elided, part.text]))

    @property
    def search_texts(self) -> list[str]:
        """Searches beside the question's own: one per part when there are several, one per
        territory when it names several (each one's documents must be among the passages), one
        with a two-word name written as one."""
        texts = [self.query(part) for part in self.parts] if len(self.parts) > 1 else []
        places = [n.surface for n in self.required_names if not YEAR.fullmatch(n.surface)]
        if len(places) > 1:
            texts += [_about_one(place, places, self.parts[0].text) for place in places]
        # « Cap Atlantique » may be written « CapAtlantique »: a search for that spelling too.
        pairs = [p.split() for p in places if len(p.split()) == 2 and not set(fold(p).split()) & NAME_LINKS]
        texts += [f"{a}{b} {self.text}" for a, b in pairs]
        return texts

    @property
    def lists_documents(self) -> bool:
        """« Quels CLS ont… ? »: the answer is spread over many documents."""
        return any(part.wants_documents for part in self.parts)


def _about_one(place: str, places: list[str], text: str) -> str:
    """The question about one of the places it names: the others left out of the search."""
    for name in places:
        text = text.replace(name, " ")
    text = re.sub(r"\s+(?:,\s*)*(?:et\s+)?(?=[,\s])", " ", text)
    return " ".join(f"{place} {text.strip(' ,')}".split())


def understand(question: str) -> Understanding:
    sentences = [s.strip() for s in SENTENCE.findall(question) if s.strip(" .?!…")]
    asking = [s for s in sentences if s.endswith("?") or INTERROGATIVE.search(s) or REQUEST.search(s)]
    if not asking:
        asking = sentences or [question]
    context = [s for s in sentences if s not in asking]

    topic_pieces, pieces = [], []
    for sentence in asking:
        topic, body = _split_topic(sentence.rstrip(" ?!.…"))
        if topic:
            topic_pieces.append(topic)
        pieces += _split_parts(body)
    topic = " ".join(topic_pieces)

    names = _names(" ".join([topic, *pieces]), required=True)
    names += [Name(year) for year in dict.fromkeys(YEAR.findall(" ".join([topic, *pieces])))]
    typed = {fold(n.surface) for n in names}
    names += [n for n in _names(" ".join(context), required=False) if fold(n.surface) not in typed]
    framing = " ".join(m.group(0) for m in FRAMING.finditer(question))
    name_terms = expanded_terms(" ".join(n.surface for n in names) + " " + framing) | DOMAIN_TERMS
    parts = [_part(piece, topic, name_terms) for piece in pieces] or [_part(question, "", name_terms)]
    for n in range(1, len(parts)):
        if not parts[n].focus and parts[n].kind is None:
            parts[n] = _elliptical(parts[n], parts[n - 1])
    return Understanding(question, parts, names, topic)


def _elliptical(part: Part, previous: Part) -> Part:
    """« … en combien d'axes, et lesquels ? », « combien d'axes pour X, et combien pour Y ? »: a
    part with neither words nor a kind of its own asks about the previous part's subject (and,
    asking « combien », for its count)."""
    if HOW_MANY.search(part.text) and previous.kind == "count":
        return replace(part, elided=previous.text, focus=set(previous.focus), kind="count", counted=previous.counted)
    return replace(
        part, elided=previous.text, focus=previous.focus | previous.counted,
        wants_list=part.wants_list or bool(ELLIPTICAL_LIST.search(part.text)),
    )


def _split_topic(sentence: str) -> tuple[str, str]:
    """« Cap Atlantique : signé quand… » → (« Cap Atlantique », « signé quand… »); a colon after a
    question (« qui pilote : l'ARS ou la commune ? ») is no topic."""
    head, colon, tail = sentence.partition(":")
    if colon and tail.strip() and not INTERROGATIVE.search(head) and _asks(tail):
        return head.strip(), tail.strip()
    return "", sentence


def _split_parts(body: str) -> list[str]:
    """Cuts at a separator when the pieces on both sides ask a question of their own (« signé
    quand, et pour quelle durée », « date de signature et nombre d'axes »)."""
    cuts = list(PART_SEPARATOR.finditer(body))
    pieces: list[str] = []
    last = 0
    for n, match in enumerate(cuts):
        following_end = cuts[n + 1].start() if n + 1 < len(cuts) else len(body)
        following = body[match.end() : following_end]
        before = body[last : match.start()]
        if _asks(following) and _asks(before):
            pieces.append(before.strip(" ,;"))
            last = match.end()
    pieces.append(body[last:].strip(" ,;"))
    return [p for p in pieces if p]


def _asks(piece: str) -> bool:
    """A question word, or a value asked without one (« date de signature et nombre d'axes »)."""
    return bool(INTERROGATIVE.search(piece)) or kind_of(piece) is not None


def _part(piece: str, topic: str, name_terms: set[str]) -> Part:
    text = f"{topic} {piece}".strip()
    kind = kind_of(piece)
    span = cue_span(piece, kind)
    asked = piece[: span[0]] + " " + piece[span[1] :] if span else piece
    asked = INTERROGATIVE.sub(" ", FILLER_PHRASES.sub(" ", asked))
    counted = COUNTED.search(piece)
    counted_terms = expanded_terms(counted.group(1)) if kind == "count" and counted else set()
    focus = expanded_terms(asked) - name_terms - FILLER
    return Part(
        text, profile(text), focus, kind, counted_terms - name_terms,
        wants_list=bool(LISTS.search(piece)), wants_documents=bool(LISTS_DOCUMENTS.search(piece)),
        agents=agent_terms(asked) & focus,
    )


def agent_terms(text: str) -> set[str]:
    """Terms that every word of the text bearing them writes as a person (« coordinatrice »)."""
    forms: dict[str, set[bool]] = {}
    for word in words(text):
        for term in expanded_terms(word):
            forms.setdefault(term, set()).add(bool(AGENT.search(word)))
    return {term for term, agent in forms.items() if agent == {True}}


def names_agent(term: str, text: str) -> bool:
    """Whether the text has a word of that stem written as a person."""
    return any(AGENT.search(w) and w.startswith(term) for w in words(text))


def _names(text: str, required: bool) -> list[Name]:
    """Capitalised word groups and acronyms, leaving out a sentence's first word when it is a
    common word, and the field's own acronyms (CLS, ARS…)."""
    names: list[Name] = []
    current: list[str] = []
    pending_links: list[str] = []
    sentence_start = True
    opened_sentence = False

    def close() -> None:
        if current:
            surface = re.sub(r"(['’]) ", r"\1", " ".join(current))
            if surface.upper() not in GENERIC_ACRONYMS and not ROMAN_NUMERAL.fullmatch(surface):
                names.append(Name(surface, required, opened_sentence))
        current.clear()
        pending_links.clear()

    for token in TOKEN.findall(text):
        folded = fold(token.strip("'’"))
        if not token[0].isalnum():
            close()
            sentence_start = token in ".?!…:"
            continue
        capitalised = token[0].isupper()
        if capitalised and token.upper() in GENERIC_ACRONYMS:
            close()
        elif capitalised and not _conversation(token) and not (
            sentence_start and (folded in STOPWORDS or _common_start(token))
        ):
            if not current:
                opened_sentence = sentence_start
            current.extend(pending_links)
            pending_links.clear()
            current.append(token)
        elif current and folded.rstrip("'’") in NAME_LINKS:
            pending_links.append(token)
        else:
            close()
        sentence_start = False
    close()
    return list({fold(n.surface): n for n in names}.values())


def completed(name: Name, question: str, texts: list[str]) -> Name:
    """« Villes sœurs », « Cœur Côte fleurie »: the capitalised words typed are followed by
    lower-case words of the same name; when the passages write the longer group, it is the name."""
    at = question.find(name.surface)
    if at < 0 or name.is_acronym or name.is_year:
        return name
    following = re.match(r"(?:\s+[a-zà-ÿœ][\w’'-]*){1,2}", question[at + len(name.surface):])
    if not following:
        return name
    folded = [fold(t) for t in texts]
    extra = following.group(0).split()
    while extra:
        longer = f"{name.surface} {' '.join(extra)}"
        if fold(extra[-1]) not in STOPWORDS and any(re.search(rf"\b{re.escape(fold(longer))}\b", t) for t in folded):
            return replace(name, surface=longer)
        extra.pop()
    return name


def without_common_opening(name: Name, common: set[str]) -> Name | None:
    """The name less its first word when that word opens a sentence and is a common word of
    the documents (written there in lower case); None when nothing is left."""
    if not name.starts_sentence:
        return name
    first, _, rest = name.surface.partition(" ")
    if stem(fold(first)) not in common:
        return name
    return Name(rest, name.required) if rest else None


def _common_start(token: str) -> bool:
    """A capitalised first word that is a word of the question, not a name (« Combien », « Quels »,
    « Parmi », « Pouvez-vous »)."""
    return bool(INTERROGATIVE.fullmatch(token)) or fold(token) in STOPWORDS | OPENING_WORDS or _conversation(token)


def _conversation(token: str) -> bool:
    """« Pouvez-vous », « Savez-vous », « Merci »: words of conversation, wherever capitalised."""
    pieces = re.split(r"[-'’]", token)
    if any(piece[:1].isupper() for piece in pieces[1:]):
        return False  # « Celles-sur-Belle » is a name
    terms = expanded_terms(fold(pieces[0]))
    return bool(terms) and terms <= FILLER
