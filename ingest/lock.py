"""One ingestion at a time per data folder: two writers would interleave their records and chunks.

An OS file lock (released by the kernel even when the process is killed), not a marker file that
a crash would leave behind.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ingest.documents import IngestError


@contextmanager
def ingest_lock(data_dir: Path) -> Iterator[None]:
    data_dir.mkdir(parents=True, exist_ok=True)
    with (data_dir / "ingest.lock").open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise IngestError(
                f"une autre ingestion est en cours sur {data_dir} : attendez qu'elle se termine, "
                "puis relancez cette commande"
            ) from error
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
