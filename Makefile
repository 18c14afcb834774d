# Etalase: `make site` sets up and builds the demo; `make test` sets up and runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
ETALASE := $(VENV)/bin/etalase
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: site serve test check lint golden clean install

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

site: $(STAMP)
	$(ETALASE) build --content content --out site

serve: $(STAMP)
	$(ETALASE) serve --content content --port $(PORT)

check: $(STAMP)
	$(ETALASE) check --content content

test: $(STAMP)
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check generator tests
	$(VENV)/bin/mypy

golden: $(STAMP)
	$(PY) tests/update_golden.py

clean:
	rm -rf site site.staging-* site.old-* .cache .pytest_cache .mypy_cache .ruff_cache
