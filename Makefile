# The two commands of the README: `make demo` (the main job) and `make test` (the whole suite); `make docs`.
# Each creates the virtual environment in .venv and installs the pinned dependencies first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint typecheck architecture unit features docs install clean screenshots

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "evharness needs Python 3.11+")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/evharness demo

test: lint typecheck architecture unit

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

architecture: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/python tools/import_cycles.py

unit: $(STAMP)
	$(BIN)/pytest

features: $(STAMP)
	$(BIN)/pytest evharness/suites features

# The documentation site in var/site (mkdocs-material; --strict: a broken link fails). The generated
# parts come from the code: `python -m evharness.docgen` rewrites them (the tests check they are current).
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

# The pages' screenshots in docs/images/ (needs Debian's chromium and chromium-driver, as the page tests do).
screenshots: $(STAMP)
	$(BIN)/python docs/screenshots.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis var reports
