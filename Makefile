# The everyday commands. `make help` lists them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INI ?= development.ini
# A PostgreSQL server the test fixtures may create throwaway databases on.
PG_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/postgres

.PHONY: help run install install-test db seed test test-pg e2e bench lint messages clean

help:  ## list the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 12

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: setup.py $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@

$(VENV)/.installed-test: setup.py $(BIN)/python
	$(BIN)/pip install -q -e '.[dev,testing]'
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed  ## create .venv and install the project

db: install  ## apply the migrations to the database of $(INI)
	@mkdir -p var
	$(BIN)/intranet db upgrade $(INI)

seed: db  ## load the 2017 plan and the demo accounts
	$(BIN)/intranet seed $(INI) --demo

run: seed  ## from a fresh clone: install, migrate, seed, serve on http://127.0.0.1:6543
	@echo ""
	@echo "  The intranet is at http://127.0.0.1:6543  (Ctrl+C stops it)"
	@echo ""
	$(BIN)/pserve $(INI)

test: $(VENV)/.installed-test  ## install the test extras and run the whole suite (SQLite)
	$(BIN)/python -m pytest tests -q

test-pg: $(VENV)/.installed-test  ## the whole suite on PostgreSQL ($(PG_TEST_URL))
	INTRANET_TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/python -m pytest tests -q

e2e: $(VENV)/.installed-test  ## the browser tests only (headless Chromium)
	$(BIN)/python -m pytest tests/e2e -q

bench: $(VENV)/.installed-test  ## statements per page and throughput (see bench/README.md)
	$(BIN)/python bench/pages.py

lint: $(VENV)/.installed-test  ## ruff
	$(BIN)/ruff check intranet plugins tests bench migrations

messages: $(VENV)/.installed  ## extract, update and compile the translation catalogues
	$(BIN)/pybabel extract -F babel.cfg -k _ --no-location --sort-output --project=dakto-intranet -o intranet/locale/intranet.pot .
	$(BIN)/pybabel update -D intranet -i intranet/locale/intranet.pot -d intranet/locale --no-fuzzy-matching
	$(BIN)/pybabel compile -D intranet -d intranet/locale --statistics

clean:  ## remove the virtual environment and the local database
	rm -rf $(VENV) var
