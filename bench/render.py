"""Time to show a cited page: find the quote on it and render it highlighted, on a long contract.

A synthetic contract of `--pages` pages (bench/synthetic.py) is written; for `--samples` pages
drawn at random, a sentence of that page is taken as the quote and the card's work is timed cold
(caches emptied): `locate` with the citation's page, then `render` with the highlight. Also timed:
the same page again (cached), and `locate` without a page hint (the whole document is searched,
as for a store ingested before page breaks were recorded).

    python -m bench.render [--pages 300] [--samples 60] [--seed 0] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

from assistant import page_images
from bench.measure import loadavg, log, machine
from bench.synthetic import generate_corpus


def percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50_ms": round(statistics.median(ordered) * 1000, 1), "p95_ms": round(p95 * 1000, 1),
            "max_ms": round(ordered[-1] * 1000, 1)}


def quote_of(reader: PdfReader, number: int, rng: random.Random) -> str:
    """A body line of the page long enough to be a quote (headers and footers are short)."""
    lines = [line for line in reader.pages[number - 1].extract_text().split("\n") if len(line) > 60]
    return rng.choice(lines)


def run(pages: int, samples: int, seed: int) -> dict:
    start_load = loadavg()
    with tempfile.TemporaryDirectory() as folder:
        log(f"writing a {pages}-page contract")
        pdf = generate_corpus(folder, contracts=1, pages=pages, seed=seed)[0]
        reader = PdfReader(pdf)
        rng = random.Random(seed)
        numbers = rng.sample(range(1, pages + 1), min(samples, pages))
        opened = time.perf_counter()
        page_images.page_count(pdf)
        open_s = time.perf_counter() - opened
        located, rendered, total, cached, unhinted, missed = [], [], [], [], [], 0
        for i, number in enumerate(numbers):
            quote = quote_of(reader, number, rng)
            page_images._units.cache_clear()
            page_images._page_text.cache_clear()
            page_images._render.cache_clear()
            began = time.perf_counter()
            found = page_images.locate(Path(pdf), quote, number)
            middle = time.perf_counter()
            boxes = found[0].boxes if found else ()
            page_images.render(Path(pdf), number, boxes)
            ended = time.perf_counter()
            page_images.render(Path(pdf), number, boxes)
            cached.append(time.perf_counter() - ended)
            located.append(middle - began)
            rendered.append(ended - middle)
            total.append(ended - began)
            missed += not found or found[0].number != number
            if i < 10:  # the whole-document search costs more: a few samples are enough
                page_images._units.cache_clear()
                page_images._page_text.cache_clear()
                began = time.perf_counter()
                page_images.locate(Path(pdf), quote)
                unhinted.append(time.perf_counter() - began)
            if (i + 1) % 10 == 0:
                log(f"{i + 1}/{len(numbers)} pages")
    return {
        "pages": pages, "samples": len(numbers), "scale": page_images.SCALE,
        "open_document_ms": round(open_s * 1000, 1),
        "card_opened": percentiles(total), "locate": percentiles(located), "render": percentiles(rendered),
        "render_cached": percentiles(cached), "locate_whole_document": percentiles(unhinted),
        "quotes_not_found_on_their_page": missed, "machine": machine(start_load),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Temps d'affichage d'une page citée surlignée.")
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--samples", type=int, default=60)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = run(args.pages, args.samples, args.seed)
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return
    print(f"Contrat de {result['pages']} pages, {result['samples']} pages tirées au hasard (échelle {result['scale']}) :")
    for key, label in (("card_opened", "carte ouverte (trouver + rendre)"), ("locate", "trouver la citation"),
                       ("render", "rendre la page surlignée"), ("render_cached", "même page, en cache"),
                       ("locate_whole_document", "trouver sans numéro de page")):
        figures = result[key]
        print(f"  {label:36} p50 {figures['p50_ms']:7.1f} ms   p95 {figures['p95_ms']:7.1f} ms")
    print(f"  citations introuvables sur leur page : {result['quotes_not_found_on_their_page']}")


if __name__ == "__main__":
    main()
