"""End to end in a real headless Chromium: `streamlit run` on the sample corpus, as people use it.

Measures the time from the question (Enter pressed) to the first streamed text and to the full
answer (its footer drawn), prints it and writes it to `timings.json` in the test's folder.
Skipped only where Chromium is absent outside CI; in CI `.ci/run` installs it, so it must run.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest

from ingest.pipeline import Ingestor
from tests.conftest import CORPUS, CORPUS_BAD, MANIFEST, make_settings
from tests.live_app import chromium, require_chromium, streamlit

require_chromium()
from playwright.sync_api import Page  # noqa: E402  (after the skip decision)

# Records, in the page, when Enter is pressed in the chat box, when the new answer first shows
# text and when its footer (drawn after the checked answer and its sources) appears.
TIMING_PROBE = """
() => {
  const t = window.__timing = {asked: null, first: null, done: null};
  const before = document.querySelectorAll('[class*="st-key-footer-"]').length;
  const answers = () => Array.from(document.querySelectorAll('[class*="st-key-answer-"]'));
  const known = new Set(answers());
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && e.target.tagName === 'TEXTAREA' && t.asked === null) t.asked = performance.now();
  }, true);
  new MutationObserver(() => {
    if (t.asked === null) return;
    if (t.first === null && answers().some((a) => !known.has(a) && a.innerText.trim().length > 0))
      t.first = performance.now();
    if (t.done === null && document.querySelectorAll('[class*="st-key-footer-"]').length > before)
      t.done = performance.now();
  }).observe(document.body, {childList: true, subtree: true, characterData: true});
}
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory, embeddings):
    """The sample corpus plus a document full of markup, in a store of this module's own.

    The markup is the payload of ../shared/corpus-bad/injection.md without its orders to an AI
    (a chunk giving orders to a model is quarantined at ingestion, so it would never be shown).
    Raw tags are removed at ingestion (ingest/cleaning.py), so the payload is written as a page
    shows code, in entities: the stored text then holds the markup itself, which the app must show."""
    settings = make_settings(tmp_path_factory.mktemp("browser") / "data")
    ingestor = Ingestor(settings, embeddings)
    ingestor.run([CORPUS], manifest=MANIFEST)
    hostile = tmp_path_factory.mktemp("hostile")
    markup = next(line for line in (CORPUS_BAD / "injection.md").read_text().splitlines() if "<script>" in line)
    (hostile / "balisage.md").write_text(
        f"# Comité de pilotage de Testville\n\n{html.escape(markup, quote=False)} [lien](javascript:alert(2))\n\n"
        "Le comité de pilotage du CLS fictif de Testville se réunit deux fois par an.\n",
        encoding="utf-8",
    )
    report = ingestor.run([hostile])
    assert report.added == ["balisage.md"], report.to_dict()
    return settings


@pytest.fixture(scope="module")
def server(store, tmp_path_factory):
    log = tmp_path_factory.mktemp("server") / "streamlit.log"
    with streamlit(log, {"CLS_DATA_DIR": str(store.data_dir)}) as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with chromium(tmp_path_factory.mktemp("chromium-profile")) as context:
        yield context


@pytest.fixture
def page(browser, server):
    page = browser.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(server)
    page.get_by_text("extraits", exact=False).first.wait_for(timeout=180_000)  # store and model loaded
    page.locator("textarea").wait_for(timeout=60_000)
    yield page
    page.close()


def ask(page: Page, question: str) -> dict:
    """Types the question, waits for the full answer; returns the timings in milliseconds."""
    page.evaluate(TIMING_PROBE)
    box = page.locator("textarea")
    box.fill(question)
    box.press("Enter")
    page.wait_for_function("() => window.__timing.done !== null", timeout=120_000)
    timing = page.evaluate("() => window.__timing")
    return {
        "first_text_ms": round(timing["first"] - timing["asked"], 1),
        "full_answer_ms": round(timing["done"] - timing["asked"], 1),
    }


def open_citation(page: Page, n: int = 1):
    """Clicks the `[n]` badge of the last answer; returns its source card, passage opened."""
    badge = page.locator(f'[class*="st-key-answer-"] a[href^="#source-"][href$="-{n}"]').last
    target = badge.get_attribute("href")[1:]
    badge.click()
    heading = page.locator(f'[id="{target}"]')
    heading.wait_for()
    card = page.locator('[class*="st-key-source-card-"]').filter(has=heading)
    assert card.is_visible()
    card.get_by_text("Passage cité dans son contexte").click()
    return card


def test_question_streamed_answer_and_citation_in_chromium(page, tmp_path):
    timings = ask(page, "Quel soutien financier l'ARS Normandie peut-elle apporter pour la coordination d'un CLS ?")
    answer = page.locator('[class*="st-key-answer-"]').last
    assert "25 000" in answer.inner_text()
    assert answer.locator('a[href^="#source-"]').count() >= 1

    card = open_citation(page, 1)
    quoted = card.locator("strong", has_text="25 000")
    quoted.wait_for()
    assert quoted.is_visible()
    assert "soutien financier annuel" in quoted.inner_text()
    assert "ARS Normandie" in card.inner_text() and "27 mars 2025" in card.inner_text()
    card.scroll_into_view_if_needed()
    page.screenshot(path=tmp_path / "answer.png")

    with page.expect_download() as original:
        card.get_by_role("button", name="Télécharger").click()
    assert original.value.suggested_filename == "ars-normandie_2025-03-27_communique-cls.pdf"
    assert Path(original.value.path()).read_bytes().startswith(b"%PDF")
    with page.expect_download() as note:
        page.locator('[class*="st-key-footer-"]').last.get_by_role("button", name="Markdown").click()
    text = Path(note.value.path()).read_text(encoding="utf-8")
    assert text.startswith("# Note de synthèse") and "25 000" in text and "## Sources" in text

    (tmp_path / "timings.json").write_text(json.dumps(timings, indent=2))
    print(f"\nTemps jusqu'au premier texte : {timings['first_text_ms']} ms ; "
          f"jusqu'à la réponse complète : {timings['full_answer_ms']} ms ({tmp_path / 'timings.json'})")
    assert timings["first_text_ms"] <= timings["full_answer_ms"]
    assert page.dialogs == []


def test_injected_markup_is_shown_as_text_and_runs_nothing(page, tmp_path):
    ask(page, "Combien de fois par an se réunit le comité de pilotage du CLS de Testville ?")
    card = open_citation(page, 1)
    script_text = card.get_by_text("<script>alert('xss')</script><img src=x onerror=alert(1)>", exact=False)
    script_text.wait_for()
    assert script_text.is_visible()
    page.wait_for_timeout(1000)  # time for anything injected to fire
    page.screenshot(path=tmp_path / "injection.png")
    assert page.dialogs == []
    assert page.locator('img[src="x"]').count() == 0
    assert not page.evaluate("Array.from(document.scripts).some((s) => s.textContent.includes('xss'))")
    assert page.locator('a[href^="javascript:"]').count() == 0
