# Two commands set everything up on a fresh machine with Python 3.11+ and make:
#   make run    creates .venv, installs what serving needs, starts the service on 127.0.0.1:8000 with demo data
#   make test   creates .venv if needed, installs that and the test tools, runs the whole suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# What serving needs (`make run`), and that plus the test tools (`make test`, `make install`).
SERVING := $(VENV)/.installed-serving
INSTALLED := $(VENV)/.installed

.PHONY: install run test fuzz bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(SERVING): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $(SERVING)

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(INSTALLED) $(SERVING)

install: $(INSTALLED)

run: $(SERVING)
	$(BIN)/aicos serve --demo

# Lint for real mistakes only (undefined names, unused imports, syntax), the import contracts
# (pyproject.toml, [tool.importlinter]), the types of src (mypy, cached in .mypy_cache), then the whole suite.
test: $(INSTALLED)
	$(BIN)/ruff check --select F,E9 src tests bench eval
	$(BIN)/lint-imports
	$(BIN)/mypy src
	$(BIN)/python -m pytest

# The REST API from its OpenAPI document (schemathesis), random WebSocket frames, and search over
# crafted content (records of a few words repeated, long phrase queries), at length.
fuzz: $(INSTALLED)
	AICOS_FUZZ_EXAMPLES=500 $(BIN)/python -m pytest tests/integration/test_fuzz_api.py tests/integration/test_fuzz_websocket.py tests/integration/test_fuzz_search.py

# Real servers on loopback, the service and the naive baseline side by side; a few minutes.
bench: $(INSTALLED)
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) .pytest_cache
