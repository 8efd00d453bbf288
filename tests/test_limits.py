"""Size and page limits (CLS_MAX_FILE_MB, CLS_MAX_PAGES): refused early, with bounded memory.

A 200 MB file and a 5,000-page PDF go through the real `cls-assistant ingest` in a subprocess whose
peak RSS is compared with the same command ingesting a small PDF; the page limit is shown to bite
before any text is extracted; an over-limit new version keeps the indexed one; the app's upload
refuses a large file in a real headless Chromium (Streamlit's `server.maxUploadSize`) and in the
upload code (CLS_MAX_FILE_MB), and stays usable.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import threading
import time
import tomllib
from pathlib import Path

import pytest
from pypdf import PageObject, PdfReader, PdfWriter
from reportlab.pdfgen.canvas import Canvas

from assistant.core.config import Settings
from assistant.ui import upload
from ingest.pipeline import KEPT_NOTE, Ingestor
from ingest.report import ProgressListener
from tests import live_app
from tests.conftest import ROOT, make_settings, stored_ids

MB = 1024 * 1024
CLI = Path(sys.executable).with_name("cls-assistant")  # the installed command, as people run it
RSS_MARGIN_MB = 50
"""How far above the small-file run an over-limit run may peak (reading the 200 MB would add 200)."""
CLI_TIMEOUT_S = 180
TOWNS = ["Vire", "Falaise", "Bayeux", "Lisieux", "Honfleur", "Granville", "Argentan", "Fécamp"]
AXES = ["accès aux soins", "santé mentale", "prévention", "parcours des personnes âgées"]


def contract_pdf(pages: int) -> bytes:
    """A text PDF whose pages all differ (identical pages would be removed as page furniture)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    for number in range(1, pages + 1):
        canvas.drawString(60, 780, f"Article {number} : axe {AXES[number % len(AXES)]}")
        for line in range(12):
            town = TOWNS[(number + line) % len(TOWNS)]
            canvas.drawString(60, 750 - 18 * line, f"Action {number}.{line} : la commune de {town} réunit "
                              f"{number * 3 + line} partenaires du contrat local de santé.")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def cloned_pdf(pages: int) -> bytes:
    """A real PDF of `pages` pages sharing one page of text: written in well under a second."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    for line in range(45):
        canvas.drawString(50, 800 - 17 * line, f"Article {line} : le contrat local de santé engage "
                          f"les signataires sur l'axe {AXES[line % len(AXES)]}.")
    canvas.save()
    page = PdfReader(io.BytesIO(buffer.getvalue())).pages[0]
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def sparse_file(path: Path, size: int) -> Path:
    """A file of `size` bytes that takes no disk space (zeros, never written)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        file.truncate(size)
    return path


def cli_ingest(folder: Path, data_dir: Path) -> tuple[dict, float, float]:
    """`cls-assistant ingest --json` in a subprocess: its report, peak RSS in MB, wall time in s."""
    environment = {**os.environ, "HF_HUB_OFFLINE": "1", "CLS_DATA_DIR": str(data_dir)}
    for name in ("CLS_CHROMA_URL", "CLS_MAX_FILE_MB", "CLS_MAX_PAGES"):
        environment.pop(name, None)  # the defaults are what is tested
    out = data_dir.parent / f"{data_dir.name}.out"
    start = time.perf_counter()
    with out.open("wb") as stdout:
        process = subprocess.Popen(
            [str(CLI), "ingest", "--json", str(folder)],
            cwd=ROOT, env=environment, stdout=stdout, stderr=subprocess.STDOUT,
        )
        watchdog = threading.Timer(CLI_TIMEOUT_S, process.kill)  # a limit that does not bite fails, not hangs
        watchdog.start()
        _, status, usage = os.wait4(process.pid, 0)  # this child's own peak, not all children's
        watchdog.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - start
    text = out.read_text(encoding="utf-8")
    assert process.returncode == 0, text
    return json.loads(text[text.index("{"):]), usage.ru_maxrss / 1024, elapsed


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> tuple[float, float]:
    """Peak RSS (MB) and time of the same command on a small PDF it accepts, embeds and stores."""
    folder = tmp_path_factory.mktemp("small")
    (folder / "contrat-12-pages.pdf").write_bytes(contract_pdf(12))
    report, rss, elapsed = cli_ingest(folder, tmp_path_factory.mktemp("baseline") / "data")
    assert report["added"] == 1 and report["chunks"] > 0, report
    print(f"\nréférence (PDF de 12 pages indexé) : pic RSS {rss:.0f} Mo, {elapsed:.1f} s")
    return rss, elapsed


@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        ("contrat-enorme.pdf", lambda path: sparse_file(path, 200 * MB),
         "fichier trop volumineux (200 Mo pour 100 Mo au plus, réglage CLS_MAX_FILE_MB)"),
        ("export-5000-pages.pdf", lambda path: path.write_bytes(cloned_pdf(5000)),
         "trop de pages (5000 pour 2000 au plus, réglage CLS_MAX_PAGES)"),
    ],
    ids=["200-mb-file-refused-from-its-size", "5000-page-pdf-refused-from-its-page-tree"],
)
def test_over_limit_file_is_refused_by_default_with_bounded_memory(tmp_path, baseline, name, make, reason):
    folder = tmp_path / "docs"
    folder.mkdir()
    make(folder / name)
    report, rss, elapsed = cli_ingest(folder, tmp_path / "data")
    print(f"\n{name} refusé : pic RSS {rss:.0f} Mo (référence {baseline[0]:.0f} Mo), {elapsed:.1f} s")
    assert report["added"] == 0 and report["chunks"] == 0
    assert report["failed"] == [{"file": name, "reason": reason}]
    assert rss < baseline[0] + RSS_MARGIN_MB


def test_page_limit_bites_before_any_text_is_extracted(tmp_path, settings, embeddings, monkeypatch):
    folder = tmp_path / "docs"
    folder.mkdir()
    path = folder / "export-5000-pages.pdf"
    path.write_bytes(cloned_pdf(5000))
    extracted = []
    extract_text = PageObject.extract_text

    def counted(page, *args, **kwargs):
        extracted.append(1)
        return extract_text(page, *args, **kwargs)

    monkeypatch.setattr(PageObject, "extract_text", counted)
    ingestor = Ingestor(settings, embeddings)
    start = time.perf_counter()
    report = ingestor.run([folder])
    refused_in = time.perf_counter() - start
    assert [failure["file"] for failure in report.failed] == ["export-5000-pages.pdf"]
    assert "CLS_MAX_PAGES" in report.failed[0]["reason"]
    assert extracted == []
    assert stored_ids(ingestor.collection) == set()

    # What the early check saves: extracting the text of 100 of those pages, times 50.
    start = time.perf_counter()
    for page in PdfReader(path).pages[:100]:
        page.extract_text()
    extraction = (time.perf_counter() - start) * 50
    print(f"\nrefusé en {refused_in:.2f} s ; extraire le texte des 5 000 pages prendrait ~{extraction:.0f} s")
    assert refused_in < extraction / 3


def test_page_limit_is_the_cls_max_pages_setting(tmp_path, embeddings, monkeypatch):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "contrat.pdf").write_bytes(contract_pdf(6))
    monkeypatch.delenv("CLS_CHROMA_URL", raising=False)
    monkeypatch.setenv("CLS_DATA_DIR", str(tmp_path / "data"))

    monkeypatch.setenv("CLS_MAX_PAGES", "5")
    report = Ingestor(Settings(), embeddings).run([folder])
    assert report.failed == [
        {"file": "contrat.pdf", "reason": "trop de pages (6 pour 5 au plus, réglage CLS_MAX_PAGES)"}
    ]
    monkeypatch.setenv("CLS_MAX_PAGES", "6")  # raised: the same file is now accepted, whole
    ingestor = Ingestor(Settings(), embeddings)
    report = ingestor.run([folder])
    assert report.added == ["contrat.pdf"] and not report.failed
    pages = {meta["page_end"] for meta in ingestor.collection.get(include=["metadatas"])["metadatas"]}
    assert max(pages) == 6


def test_over_limit_new_version_keeps_the_indexed_one(tmp_path, embeddings):
    settings = make_settings(tmp_path / "data", max_pages=5, max_file_mb=1)
    folder = tmp_path / "docs"
    folder.mkdir()
    path = folder / "contrat.pdf"
    path.write_bytes(contract_pdf(4))
    ingestor = Ingestor(settings, embeddings)
    assert ingestor.run([folder]).added == ["contrat.pdf"]
    indexed = stored_ids(ingestor.collection)
    doc_id = ingestor.records.get(str(path)).doc_id
    assert indexed

    over_limit = [
        (lambda: path.write_bytes(contract_pdf(6)), "trop de pages (6 pour 5 au plus, réglage CLS_MAX_PAGES)"),
        (lambda: sparse_file(path, int(1.5 * MB)),
         "fichier trop volumineux (1,5 Mo pour 1 Mo au plus, réglage CLS_MAX_FILE_MB)"),
    ]
    for write_new_version, reason in over_limit:
        write_new_version()
        report = ingestor.run([folder])
        assert report.failed == [{"file": "contrat.pdf", "reason": reason + KEPT_NOTE}]
        assert stored_ids(ingestor.collection) == indexed
        assert ingestor.records.get(str(path)).doc_id == doc_id


class Recorder(ProgressListener):
    def __init__(self) -> None:
        self.found: list[int] = []

    def files_found(self, total: int) -> None:
        self.found.append(total)


def test_upload_over_the_size_limit_is_refused_before_being_written(tmp_path, embeddings):
    settings = make_settings(tmp_path / "data", max_file_mb=1)
    text = "# CLS de Testville\n\nLe contrat local de santé de Testville a été signé le 4 mars 2024.\n".encode()
    assert upload.ingest_uploads(settings, [("contrat.md", text)], ProgressListener()).added == ["contrat.md"]
    collection = Ingestor(settings, embeddings).collection
    indexed = stored_ids(collection)

    progress = Recorder()
    report = upload.ingest_uploads(settings, [("contrat.md", bytes(2 * MB)), ("nouveau.pdf", bytes(2 * MB))], progress)
    reason = "fichier trop volumineux (2 Mo pour 1 Mo au plus, réglage CLS_MAX_FILE_MB)"
    assert report.failed == [
        {"file": "contrat.md", "reason": reason + KEPT_NOTE},
        {"file": "nouveau.pdf", "reason": reason},
    ]
    assert progress.found == []  # refused before any ingestion started
    folder = upload.uploads_folder(settings)
    assert sorted(p.name for p in folder.iterdir()) == ["contrat.md", "manifest.csv"]  # the visibilities
    assert upload.read_visibilities(folder) == {"contrat.md": "public"}
    assert (folder / "contrat.md").read_bytes() == text
    assert stored_ids(collection) == indexed


def test_streamlit_upload_limit_agrees_with_cls_max_file_mb():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == Settings.model_fields["max_file_mb"].default


# In a real headless Chromium, like tests/test_browser.py (and skipped or failed as it is).

STREAMLIT_LIMIT_MB = 2
"""The test server's own ceiling; the uploader follows CLS_MAX_FILE_MB=1, below it."""


@pytest.fixture
def browser():
    live_app.require_chromium()  # this test only: the others here need no browser
    with live_app.chromium() as context:
        yield context


@pytest.mark.slow
def test_too_large_upload_is_refused_in_the_browser_and_the_app_stays_usable(tmp_path, browser):
    data_dir = tmp_path / "data"
    files = tmp_path / "files"
    huge = sparse_file(files / "contrat-3-mo.pdf", 3 * MB)  # over server.maxUploadSize
    large = sparse_file(files / "contrat-1,5-mo.pdf", int(1.5 * MB))  # under it, over CLS_MAX_FILE_MB
    good = files / "testville.md"
    good.write_text("# CLS de Testville\n\nLe contrat local de santé de Testville a été signé le 4 mars "
                    "2024 par la commune et l'ARS Normandie.\n", encoding="utf-8")
    env = {"CLS_DATA_DIR": str(data_dir), "CLS_MAX_FILE_MB": "1"}
    with live_app.streamlit(tmp_path / "streamlit.log", env, "--server.maxUploadSize", str(STREAMLIT_LIMIT_MB)) as url:
        page = browser.new_page()
        page.goto(f"{url}/documents")
        page.get_by_text("Ajouter des documents").wait_for(timeout=180_000)
        chooser = page.locator('input[type="file"]')
        refusals = page.get_by_text(re.compile(r"File must be 1(\.0)? ?MB or smaller"))
        for n, too_large in enumerate((huge, large)):  # the uploader's limit is CLS_MAX_FILE_MB, not the server's
            chooser.set_input_files(too_large)
            refusals.nth(n).wait_for(timeout=30_000)
        page.screenshot(path=tmp_path / "refused-by-streamlit.png")
        page.get_by_role("button", name="Indexer").click()  # the refused files were not sent
        page.get_by_text("Choisissez au moins un fichier à indexer.").wait_for(timeout=30_000)

        chooser.set_input_files([good])
        page.get_by_role("button", name="Indexer").click()
        page.get_by_text("1 fichier indexé").wait_for(timeout=120_000)
        assert page.locator('[data-testid="stException"]').count() == 0
        assert sorted(p.name for p in (data_dir / "uploads").iterdir()) == ["manifest.csv", "testville.md"]
        page.close()
