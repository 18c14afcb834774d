# Etalase: `make site` sets up and builds the demo; `make test` sets up and runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
ETALASE := $(VENV)/bin/etalase
STAMP := $(VENV)/.installed
PORT ?= 8000

NODE_TOOLS := node_modules/.installed

.PHONY: site serve test check lint golden clean install system-deps build-deps screenshots bench-site fuzz \
	bench-images photos bench-search bench bench-serve

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Debian's Chromium and a Java runtime, installed with apt-get when missing (CI runs as root).
system-deps:
	tools/system-deps

# The Nu HTML Checker (vnu-jar), from the npm registry, pinned in package-lock.json.
$(NODE_TOOLS): package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $(NODE_TOOLS)

# What `etalase build` needs from Debian (Pango and fonts for the pocket-catalogue PDFs).
build-deps:
	tools/system-deps build

site: $(STAMP) build-deps
	$(ETALASE) build --content content --out site

serve: $(STAMP) build-deps
	$(ETALASE) serve --content content --port $(PORT)

check: $(STAMP)
	$(ETALASE) check --content content

test: $(STAMP) $(NODE_TOOLS) system-deps
	$(PY) -m pytest

# The fuzz tests with 10,000 examples each (make test runs 200).
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(PY) -m pytest tests/test_fuzz.py

screenshots: $(STAMP) system-deps
	$(PY) tools/screenshots.py screenshots

bench-site: $(STAMP) system-deps
	$(PY) bench/site_budget.py

# The photo pipeline on 500 synthetic 4000×3000 photos (N=50 for fewer): cold, warm, bytes.
bench-images: $(STAMP)
	$(PY) bench/images_bench.py $(if $(N),--count $(N))

# Draw the demo content's photos again (only for products and units that have none).
photos: $(STAMP)
	$(PY) tools/make_demo_photos.py content

# Search at scale: a synthetic catalogue of 20,000 products (PRODUCTS=2000 for a quick run).
PRODUCTS ?= 20000
bench-search: $(STAMP) system-deps
	$(PY) bench/search_bench.py $(PRODUCTS)

# Etalase beside Debian's Hugo on synthetic catalogues (SIZES=1000,10000,50000 for the largest).
SIZES ?= 1000,10000
comma := ,
bench: $(STAMP)
	$(PY) bench/scale_bench.py --sizes $(SIZES)

# The dev server in Chromium: a saved product → its preview, every page, the search index.
bench-serve: $(STAMP) system-deps
	$(PY) bench/serve_edit.py $(subst $(comma), ,$(SIZES))

lint: $(STAMP)
	$(VENV)/bin/ruff check generator tests tools bench
	$(VENV)/bin/mypy
	$(PY) tools/audit.py

golden: $(STAMP)
	$(PY) tests/update_golden.py

clean:
	rm -rf site .bench-scale .site.staging-* .site.old-* .cache .pytest_cache .mypy_cache .ruff_cache screenshots
