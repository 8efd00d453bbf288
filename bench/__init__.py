"""Benchmarks: a synthetic CLS corpus (`bench.synthetic`) and the ingestion benchmark (`bench/ingest.py`)."""
