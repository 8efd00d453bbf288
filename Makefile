# Two commands set everything up on a fresh machine:
#   make run   - installs, indexes the sample corpus into the embedded store, opens the app
#   make test  - installs and runs the test suite
VENV ?= .venv
PYTHON ?= python3
CORPUS ?= ../shared/corpus
PORT ?= 8501
BIN = $(VENV)/bin

export HF_HUB_OFFLINE = 1

.PHONY: install run ingest test bench

install: $(VENV)/.installed

# torch first, from the local CPU wheel: a plain requirement would pull a multi-GB CUDA build.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

ingest: install
	$(BIN)/cls-assistant ingest $(CORPUS)/documents --manifest $(CORPUS)/manifest.csv

run: ingest
	$(BIN)/streamlit run streamlit_app.py --server.address 127.0.0.1 --server.port $(PORT) \
		--browser.gatherUsageStats false

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python -m bench.ingest
