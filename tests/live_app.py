"""The app as people use it, for the browser tests: `streamlit run` on 127.0.0.1 and headless Chromium.

Browser tests are skipped only where Chromium is absent outside CI; in CI `.ci/run` installs it,
so there they must run (`require_chromium` at the top of a test module decides).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
"""Without the background-networking flags Chromium keeps knocking on this closed network."""
IN_CI = bool(os.environ.get("CI"))
APP = "streamlit_app.py"


def require_chromium() -> None:
    """Skip the calling module where Chromium or Playwright is absent, except in CI."""
    if not CHROMIUM.exists() and not IN_CI:
        pytest.skip("Chromium absent (/usr/bin/chromium) hors CI", allow_module_level=True)
    if not IN_CI:
        pytest.importorskip("playwright", reason="paquet playwright absent hors CI")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def streamlit(
    log: Path, env: dict[str, str], *options: str, script: str = APP, port: int | None = None
) -> Iterator[str]:
    """Run `streamlit run script` with these `CLS_*` variables (the others unset) and extra options;
    yield its URL once healthy, stop it after."""
    port = port or free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CLS_")}
    environment |= {"CLS_LLM": "extractive", "HF_HUB_OFFLINE": "1", **env}
    command = [
        sys.executable, "-m", "streamlit", "run", script,
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--server.address", "127.0.0.1", "--server.port", str(port),
        "--server.fileWatcherType", "none", *options,
    ]
    url = f"http://127.0.0.1:{port}"
    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT)
        try:
            _wait_healthy(url, process, log)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


@contextmanager
def chromium(profile: Path | None = None) -> Iterator:
    """A headless Chromium context (its own cookies); with `profile`, kept in that folder."""
    if not CHROMIUM.exists():
        pytest.fail("CI must have Chromium: .ci/run installs the Debian package")
    from playwright.sync_api import sync_playwright

    options = {"viewport": {"width": 1280, "height": 1600}, "locale": "fr-FR"}
    with sync_playwright() as playwright:
        launch = {"executable_path": str(CHROMIUM), "headless": True, "args": CHROMIUM_ARGS}
        if profile is not None:
            context = playwright.chromium.launch_persistent_context(str(profile), **launch, **options)
            yield context
            context.close()
        else:
            browser = playwright.chromium.launch(**launch)
            yield browser.new_context(**options)
            browser.close()


def _wait_healthy(url: str, process: subprocess.Popen, log: Path, timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"streamlit did not start; see {log}")
        time.sleep(0.3)
