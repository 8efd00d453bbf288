"""The lexical side of retrieval, built once at ingestion and opened memory-mapped by every process.

What a question needs besides Chroma's vector index: for every chunk its id, the metadata that
filters look at (as integer columns, so a filter is a numpy mask, not a scan of dicts), its French
terms (assistant/core/french.py), and a bm25s index per set of visibilities, whose statistics count only
the chunks of that set and never a quarantined one (assistant/retrieval.py says why).

Saved under `<data dir>/lexical/<store>/<revision>-<count>/`, written in a temporary folder and
renamed into place only when complete, so a reader sees a whole index or none. The name is the
store's revision (stamped by every ingestion change, assistant/core/store.py) and its number of chunks:
an index is used only for the exact store state it was built from; an interrupted ingest, which
changes the count or stamps a revision no index is saved for, leaves readers to build afresh.

Rebuilding after an ingest reuses the rows of the previous index for every document whose
ingestion record (doc id, fingerprint, file name, chunk count) is unchanged, and reads from the
store only the chunks of the others; without records (a machine beside a Chroma server that does
not ingest) or when the rows do not add up to the store's count, it reads every chunk once.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np
from chromadb.api.models.Collection import Collection

from assistant.core.french import terms
from assistant.core.safety import quarantined
from assistant.core.store import store_key, stored_pages
from ingest.events import DocumentsChanged

FORMAT = 1
CATEGORIES = ("territory", "doc_type", "publisher", "visibility", "doc_id", "file")
"""Metadata kept per chunk as codes into a list of values (-1: the chunk has no such key)."""
MISSING = -1
NO_VALUE = -2
"""The code of a value no chunk has: it matches nothing."""
INDEX_FILE = "index.json"
VISIBILITY_SETS: tuple[tuple[str, ...] | None, ...] = (("public",), None)
"""Views built with the index (the public role's, everyone's); others are built on first use."""


def searchable_text(text: str, metadata: dict) -> str:
    """What lexical search reads of a chunk: its document title, its section and its text."""
    return " ".join((metadata.get("title", ""), metadata.get("section", ""), text))


def visibility_key(visibility: Iterable[str] | None) -> tuple[str, ...] | None:
    return tuple(sorted(visibility)) if visibility is not None else None


class LexicalView:
    """BM25 over the unquarantined chunks of some visibilities: the others change no score or weight."""

    def __init__(self, positions: np.ndarray, bm25: bm25s.BM25 | None, vocabulary: dict[str, int]) -> None:
        self.positions = positions
        """Index position of each chunk of the view, ascending."""
        self.count = len(positions)
        self.bm25 = bm25
        self._vocabulary = vocabulary
        self._df = (np.diff(bm25.scores["indptr"]) if bm25 is not None else np.zeros(0, dtype=np.int64))

    @classmethod
    def build(cls, positions: np.ndarray, tokens: list[np.ndarray], vocabulary: dict[str, int]) -> LexicalView:
        """`tokens`: the term ids of each chunk of the view, in the index's vocabulary."""
        if not len(positions):
            return cls(positions, None, vocabulary)
        return cls(positions, bm25_from_term_ids(tokens, len(vocabulary)), vocabulary)

    def frequency(self, term: str) -> int:
        """How many chunks of the view hold this stemmed term (their postings in the BM25 matrix)."""
        term_id = self._vocabulary.get(term)
        if term_id is None or term_id >= len(self._df):
            return 0
        return int(self._df[term_id])

    @property
    def document_frequency(self) -> dict[str, int]:
        """Every term of the view with its document frequency (for inspection and tests)."""
        return {term: int(self._df[i]) for term, i in self._vocabulary.items() if i < len(self._df) and self._df[i]}

    def idf(self, term: str) -> float:
        """Smoothed inverse document frequency of a stemmed term among the view's chunks."""
        return float(np.log(1 + (self.count + 1) / (self.frequency(term) + 0.5)))

    def scores(self, query_terms: list[str]) -> np.ndarray:
        """BM25 score of every chunk of the view (0 for those without a query term)."""
        ids = [self._vocabulary[t] for t in query_terms if self.frequency(t)]
        if not ids:
            return np.zeros(self.count, dtype=np.float32)
        return self.bm25.get_scores_from_ids(ids)


def bm25_from_term_ids(tokens: list[np.ndarray], n_vocab: int) -> bm25s.BM25:
    """The bm25s index `BM25().index((tokens, vocabulary))` builds, computed with numpy over all
    chunks at once instead of a Python loop per chunk (×10 at 100k chunks): the same library
    scoring functions on the same dtypes, so the same scores to the bit (tests/test_lexical_index.py).
    Term ids of the whole index: a term absent from the view has no posting and a zero document
    frequency, which changes no score."""
    bm25 = bm25s.BM25()
    lengths = np.fromiter((len(t) for t in tokens), dtype=np.int64, count=len(tokens))
    n_docs = len(tokens)
    average = np.array(lengths).mean()
    pairs = np.repeat(np.arange(n_docs, dtype=np.int64), lengths) * n_vocab + np.concatenate(tokens).astype(np.int64)
    pairs, tf = np.unique(pairs, return_counts=True)
    doc, term = pairs // n_vocab, pairs % n_vocab
    frequencies = np.bincount(term, minlength=n_vocab)
    idf_of = bm25s.scoring._select_idf_scorer(bm25.idf_method)
    idf = np.zeros(n_vocab, dtype=bm25.dtype)
    present = np.flatnonzero(frequencies)
    idf[present] = [idf_of(int(df), N=n_docs) for df in frequencies[present].tolist()]
    tfc = bm25s.scoring._select_tfc_scorer(bm25.method)(
        tf_array=tf.astype(bm25.dtype), l_d=lengths[doc], l_avg=average, k1=bm25.k1, b=bm25.b, delta=bm25.delta
    )
    scores = (idf[term] * tfc).astype(bm25.dtype)
    data, indices, indptr = bm25._np_csc(
        data=scores, rows=doc.astype(bm25.int_dtype), cols=term.astype(bm25.int_dtype), shape=(n_docs, n_vocab)
    )
    bm25.scores = {"data": data.astype(bm25.dtype), "indices": indices, "indptr": indptr, "num_docs": n_docs}
    bm25.nonoccurrence_array = None  # the lucene variant has none
    return bm25


@dataclass
class Rows:
    """Chunks as columns, in ascending id order (the order of every array of an index)."""

    ids: np.ndarray
    codes: dict[str, np.ndarray]
    values: dict[str, list[str]]
    date_num: np.ndarray
    """YYYYMMDD, -1 when the chunk has no date."""
    quarantined: np.ndarray
    token_ids: np.ndarray
    """Every chunk's term ids, end to end; chunk i's are token_ids[offsets[i]:offsets[i + 1]]."""
    offsets: np.ndarray
    vocabulary: list[str]

    def tokens(self, i: int) -> np.ndarray:
        return self.token_ids[self.offsets[i] : self.offsets[i + 1]]


class LexicalIndex:
    """Ids, filterable metadata, terms and BM25 views of every chunk of one state of the store."""

    def __init__(self, rows: Rows, views: dict, docs: dict[str, list] | None = None) -> None:
        self.rows = rows
        self.ids = rows.ids
        self.count = len(rows.ids)
        self.vocabulary = {term: i for i, term in enumerate(rows.vocabulary)}
        self.docs = docs or {}
        """doc_id → [fingerprint, file, chunks] of the ingestion records it was built with."""
        self._value_codes = {key: {v: i for i, v in enumerate(vals)} for key, vals in rows.values.items()}
        self._views: dict[tuple[str, ...] | None, LexicalView] = dict(views)
        self._lock = threading.Lock()

    # --- lookups -------------------------------------------------------------------------------

    def positions_of(self, chunk_ids: Sequence[str]) -> np.ndarray:
        """Index position of each id, -1 for an id the index does not know."""
        if not len(chunk_ids) or not self.count:
            return np.full(len(chunk_ids), -1, dtype=np.int64)
        wanted = np.asarray(chunk_ids, dtype=self.ids.dtype if self.ids.dtype.kind == "U" else str)
        found = np.searchsorted(self.ids, wanted)
        found = np.minimum(found, self.count - 1)
        return np.where(self.ids[found] == wanted, found, -1)

    def value(self, key: str, i: int) -> str | None:
        code = int(self.rows.codes[key][i])
        return self.rows.values[key][code] if code >= 0 else None

    def code(self, key: str, value: str) -> int:
        return self._value_codes[key].get(value, NO_VALUE)

    def of_file(self, file: str) -> np.ndarray:
        """Positions of a document's chunks, by its file name."""
        return np.flatnonzero(self.rows.codes["file"] == self.code("file", file))

    def visible(self, visibility: tuple[str, ...] | None) -> np.ndarray:
        """Mask of the unquarantined chunks of these visibilities (None: all)."""
        mask = ~self.rows.quarantined
        if visibility is not None:
            allowed = [self.code("visibility", v) for v in visibility]
            mask &= np.isin(self.rows.codes["visibility"], allowed)
        return mask

    # --- BM25 views ----------------------------------------------------------------------------

    def view(self, visibility: Iterable[str] | None) -> LexicalView:
        """The BM25 view of the unquarantined chunks with these visibilities (None: all); views
        not saved with the index are built on first use."""
        key = visibility_key(visibility)
        with self._lock:
            if key not in self._views:
                positions = np.flatnonzero(self.visible(key))
                same = next((v for v in self._views.values() if np.array_equal(v.positions, positions)), None)
                self._views[key] = same or LexicalView.build(
                    positions, [self.rows.tokens(int(i)) for i in positions], self.vocabulary
                )
            return self._views[key]

    def build_views(self, visibility_sets: Iterable[tuple[str, ...] | None] = VISIBILITY_SETS) -> None:
        for visibility in visibility_sets:
            self.view(visibility)

    # --- persistence ---------------------------------------------------------------------------

    def save(self, folder: Path, revision: str, store: str) -> Path:
        """Writes the index as `folder`, atomically (nothing there until it is complete)."""
        folder.parent.mkdir(parents=True, exist_ok=True)
        partial = folder.parent / f".partial-{uuid.uuid4().hex}"
        partial.mkdir()
        try:
            rows = self.rows
            arrays = {"ids": rows.ids, "date_num": rows.date_num, "quarantined": rows.quarantined,
                      "token_ids": rows.token_ids, "offsets": rows.offsets,
                      **{f"code_{key}": codes for key, codes in rows.codes.items()}}
            for name, array in arrays.items():
                np.save(partial / f"{name}.npy", array)
            views, names = {}, {}
            for key, view in self._views.items():
                name = names.get(id(view))
                if name is None:
                    name = names[id(view)] = f"view{len(names)}"
                    np.save(partial / f"{name}.positions.npy", view.positions)
                    if view.bm25 is not None:
                        view.bm25.vocab_dict = {}  # the index's vocabulary, saved once below
                        view.bm25.save(partial / name, show_progress=False)
                        view.bm25.vocab_dict = self.vocabulary
                views[json.dumps(key)] = name
            meta = {"format": FORMAT, "store": store, "revision": revision, "count": self.count,
                    "values": rows.values, "vocabulary": rows.vocabulary, "views": views, "docs": self.docs}
            (partial / INDEX_FILE).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
            try:
                os.rename(partial, folder)
            except OSError:  # another process saved the same state first: keep theirs
                if not (folder / INDEX_FILE).exists():
                    raise
        finally:
            shutil.rmtree(partial, ignore_errors=True)
        return folder

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        """Opens a saved index; its arrays are memory-mapped (pages shared through the OS cache)."""
        meta = json.loads((folder / INDEX_FILE).read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise FileNotFoundError(folder / INDEX_FILE)

        def array(name: str) -> np.ndarray:
            return np.load(folder / f"{name}.npy", mmap_mode="r")

        rows = Rows(
            ids=array("ids"), codes={key: array(f"code_{key}") for key in CATEGORIES},
            values=meta["values"], date_num=array("date_num"), quarantined=array("quarantined"),
            token_ids=array("token_ids"), offsets=array("offsets"), vocabulary=meta["vocabulary"],
        )
        vocabulary = {term: i for i, term in enumerate(rows.vocabulary)}
        views, by_name = {}, {}
        for key, name in meta["views"].items():
            if name not in by_name:
                positions = np.load(folder / f"{name}.positions.npy")
                bm25 = None
                if (folder / name).exists():
                    bm25 = bm25s.BM25.load(folder / name, mmap=True, load_vocab=False, show_progress=False)
                    bm25.vocab_dict = vocabulary
                by_name[name] = LexicalView(positions, bm25, vocabulary)
            loaded = json.loads(key)
            views[tuple(loaded) if loaded is not None else None] = by_name[name]
        index = cls(rows, views, meta.get("docs"))
        index.vocabulary = vocabulary
        return index


# --- building --------------------------------------------------------------------------------


def store_folder(root: Path, store: str) -> Path:
    """Where the indexes of one store live (two stores may share a data folder)."""
    return root / hashlib.sha256(store.encode()).hexdigest()[:16]


def state_folder(root: Path, store: str, revision: str, count: int) -> Path:
    return store_folder(root, store) / f"{revision}-{count}"


def open_saved(root: Path, store: str, revision: str | None, count: int) -> LexicalIndex | None:
    """The index saved for exactly this state of the store, or None."""
    if revision is None:
        return None
    folder = state_folder(root, store, revision, count)
    try:
        return LexicalIndex.load(folder)
    except (OSError, ValueError, KeyError):
        return None


def latest_saved(root: Path, store: str) -> LexicalIndex | None:
    """The most recently saved index of the store, whatever its state (rows to reuse)."""
    folder = store_folder(root, store)
    candidates = sorted(
        (p for p in folder.glob("*-*") if (p / INDEX_FILE).exists() and not p.name.startswith(".")),
        key=lambda p: (p / INDEX_FILE).stat().st_mtime, reverse=True,
    ) if folder.exists() else []
    for candidate in candidates:
        try:
            return LexicalIndex.load(candidate)
        except (OSError, ValueError, KeyError):
            continue
    return None


def prune(root: Path, store: str, keep: Path) -> None:
    """Removes the store's other saved states (a process that has one open keeps its mapped pages)."""
    for folder in store_folder(root, store).iterdir():
        if folder != keep:
            shutil.rmtree(folder, ignore_errors=True)


class _Builder:
    """Accumulates rows, from a previous index or from the store, then encodes them as columns."""

    def __init__(self, vocabulary: list[str] | None = None) -> None:
        self.ids: list[str] = []
        self.values: dict[str, list[str | None]] = {key: [] for key in CATEGORIES}
        self.date_num: list[int] = []
        self.quarantined: list[bool] = []
        self.tokens: list[np.ndarray] = []
        self.vocabulary: list[str] = list(vocabulary or [])
        self._term_ids = {term: i for i, term in enumerate(self.vocabulary)}

    def add_chunk(self, chunk_id: str, text: str, metadata: dict) -> None:
        self.ids.append(chunk_id)
        for key in CATEGORIES:
            value = metadata.get(key)
            if key == "visibility" and value is None:
                value = "public"
            self.values[key].append(None if value is None else str(value))
        date_num = metadata.get("date_num")
        self.date_num.append(int(date_num) if isinstance(date_num, (int, float)) else -1)
        self.quarantined.append(quarantined(metadata))
        ids = self._term_ids
        token_ids = []
        for term in terms(searchable_text(text, metadata)):
            term_id = ids.get(term)
            if term_id is None:
                term_id = ids[term] = len(self.vocabulary)
                self.vocabulary.append(term)
            token_ids.append(term_id)
        self.tokens.append(np.asarray(token_ids, dtype=np.int32))

    def add_rows(self, index: LexicalIndex, positions: np.ndarray) -> None:
        """Rows of a previous index, whose vocabulary this builder started from."""
        rows = index.rows
        self.ids += [str(i) for i in rows.ids[positions]]
        for key in CATEGORIES:
            names, codes = rows.values[key], rows.codes[key][positions]
            self.values[key] += [names[c] if c >= 0 else None for c in codes.tolist()]
        self.date_num += rows.date_num[positions].tolist()
        self.quarantined += rows.quarantined[positions].tolist()
        self.tokens += [np.array(rows.tokens(int(i))) for i in positions]

    def add_chunks_of(self, collection: Collection, chunk_ids: list[str] | None) -> None:
        """Reads chunks from the store: these ids, or every chunk (None), page by page."""
        for page in stored_pages(collection, ["documents", "metadatas"], ids=chunk_ids):
            for chunk in zip(page["ids"], page["documents"], page["metadatas"]):
                self.add_chunk(*chunk)

    def index(self, docs: dict[str, list] | None, visibility_sets) -> LexicalIndex:
        order = np.argsort(np.asarray(self.ids, dtype=str), kind="stable") if self.ids else np.zeros(0, dtype=np.int64)
        values, codes = {}, {}
        for key in CATEGORIES:
            column = self.values[key]
            names = sorted({v for v in column if v is not None})
            lookup = {v: i for i, v in enumerate(names)}
            values[key] = names
            codes[key] = np.asarray([lookup[column[i]] if column[i] is not None else MISSING for i in order.tolist()],
                                    dtype=np.int32)
        tokens = [self.tokens[i] for i in order.tolist()]
        lengths = np.fromiter((len(t) for t in tokens), dtype=np.int64, count=len(tokens))
        offsets = np.zeros(len(tokens) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        rows = Rows(
            ids=np.asarray([self.ids[i] for i in order.tolist()], dtype=str).reshape(-1),
            codes=codes, values=values,
            date_num=np.asarray([self.date_num[i] for i in order.tolist()], dtype=np.int64),
            quarantined=np.asarray([self.quarantined[i] for i in order.tolist()], dtype=bool),
            token_ids=np.concatenate(tokens) if tokens else np.zeros(0, dtype=np.int32),
            offsets=offsets, vocabulary=self.vocabulary,
        )
        index = LexicalIndex(rows, {}, docs)
        index.build_views(visibility_sets)
        return index


def build_from_store(collection: Collection, visibility_sets=VISIBILITY_SETS) -> LexicalIndex:
    """Every chunk read from the store (a machine that does not ingest, or nothing to reuse)."""
    builder = _Builder()
    builder.add_chunks_of(collection, None)
    return builder.index(None, visibility_sets)


def build_after_ingest(
    collection: Collection, docs: dict[str, list], previous: LexicalIndex | None,
    visibility_sets=VISIBILITY_SETS,
) -> LexicalIndex:
    """The index of the store as the ingestion records describe it (`docs`: doc_id →
    [fingerprint, file, chunks]), reusing a previous index's rows for unchanged documents."""
    builder = _Builder(previous.rows.vocabulary if previous else None)
    fetch: list[str] = []
    kept = []
    for doc_id, described in sorted(docs.items()):
        if previous is not None and previous.docs.get(doc_id) == described:
            kept.append(previous.code("doc_id", doc_id))
        else:
            fetch += [f"{doc_id}:{i}" for i in range(described[2])]
    if previous is not None and kept:
        positions = np.flatnonzero(np.isin(previous.rows.codes["doc_id"], kept))
        builder.add_rows(previous, positions)
    builder.add_chunks_of(collection, fetch)
    if len(builder.ids) != collection.count() or len(set(builder.ids)) != len(builder.ids):
        return build_from_store(collection, visibility_sets)  # the records do not tell the whole store
    return builder.index(docs, visibility_sets)


def on_documents_changed(event: DocumentsChanged) -> None:
    """Ingestion ended: the index of the store as the run leaves it, for every reader to open."""
    save_after_ingest(event.settings.lexical_path, store_key(event.settings), event.collection, event.revision,
                      event.documents)


def save_after_ingest(
    root: Path, store: str, collection: Collection, revision: str | None, docs: dict[str, list]
) -> Path | None:
    """Called by ingestion at the end of a run, under its lock: saves the index of the store's
    current state unless it is already saved, then removes the store's older states."""
    if revision is None:
        return None
    count = collection.count()
    folder = state_folder(root, store, revision, count)
    if (folder / INDEX_FILE).exists():
        return folder
    index = build_after_ingest(collection, docs, latest_saved(root, store))
    index.save(folder, revision, store)
    prune(root, store, folder)
    return folder
