"""Figures about this machine and the benchmark's processes: load average, memory, CPU time.

Memory and CPU time of any process come from Linux's /proc (empty or None elsewhere).
"""

from __future__ import annotations

import os
import platform
import resource
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from assistant.core.config import Settings
from tests.chroma_server import ChromaServer

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def log(message: str) -> None:
    """A progress line on stderr (stdout is kept for the results)."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def loadavg() -> list[float] | None:
    """The machine's load average over 1, 5 and 15 minutes; None where there is none."""
    try:
        return [round(value, 2) for value in os.getloadavg()]
    except OSError:
        return None


def machine(loadavg_start: list[float] | None) -> dict:
    """The machine a result was measured on, with its load when the run started and now."""
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "loadavg_start": loadavg_start,
        "loadavg_end": loadavg(),
    }


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (Linux reports ru_maxrss in KiB, macOS in bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def memory_mb(pid: int | str = "self") -> dict[str, float]:
    """RSS now and its peak (since start or the last `reset_peak`) of a process, in MB; {} without /proc."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return {}
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    return {
        name: round(int(fields[key].split()[0]) / 1024, 1)
        for name, key in (("rss_mb", "VmRSS"), ("peak_mb", "VmHWM"))
        if key in fields
    }


def reset_peak(pid: int | str = "self") -> bool:
    """Makes VmHWM start again from the current RSS (Linux >= 4.0), so a phase gets its own peak."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def cpu_seconds(pid: int | str = "self") -> float | None:
    """User + system CPU time of a process, all threads; None without /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime: fields 14 and 15


@contextmanager
def temporary_store(mode: str, prefix: str) -> Iterator[tuple[Settings, ChromaServer | None]]:
    """A fresh data folder for one measurement, with a Chroma server beside it in `server` mode."""
    with tempfile.TemporaryDirectory(prefix=prefix, ignore_cleanup_errors=True) as tmp:
        server = ChromaServer(Path(tmp) / "chroma").start() if mode == "server" else None
        try:
            yield Settings(data_dir=Path(tmp) / "data", chroma_url=server.url if server else None, llm="extractive"), server
        finally:
            if server:
                server.stop()
