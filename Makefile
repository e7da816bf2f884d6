# The everyday commands. `make help` lists them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INI ?= development.ini
# The port `make run` serves on: `make run PORT=6601` when 6543 is taken.
PORT ?= 6543
# A PostgreSQL server the test fixtures may create throwaway databases on.
PG_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/postgres

.PHONY: help run port-check install install-test db seed test test-pg e2e bench bench-pg lint messages clean

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

# Bound with SO_REUSEADDR as waitress binds, so a port left in TIME_WAIT by the last run counts as free.
define PORT_CHECK
import socket, sys
port = int(sys.argv[1])
def free(p):
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", p))
        except OSError:
            return False
    return True
if not free(port):
    other = next((p for p in range(6601, 6700) if p != port and free(p)), 6601)
    print(f"\n  Cổng {port} đang bận. Chạy: make run PORT={other}\n  Port {port} is in use. Run: make run PORT={other}\n", file=sys.stderr)
    sys.exit(1)
endef
export PORT_CHECK

port-check:
	@case "$(PORT)" in ''|*[!0-9]*) echo "PORT must be a number, e.g. make run PORT=6601" >&2; exit 1;; esac
	@$(PYTHON) -c "$$PORT_CHECK" $(PORT)

run: port-check seed  ## from a fresh clone: install, migrate, seed, serve on http://127.0.0.1:6543 (PORT=6601: another port)
	@$(PYTHON) -c "$$PORT_CHECK" $(PORT)
	@echo ""
	@echo "  The intranet is at http://127.0.0.1:$(PORT)  (Ctrl+C stops it)"
	@echo ""
	$(BIN)/pserve $(INI) http_port=$(PORT)

# Extra pytest options, e.g. PYTEST_ARGS="--cov" (what CI adds: branch coverage, see .ci/run).
PYTEST_ARGS ?=

test: $(VENV)/.installed-test  ## install the test extras and run the whole suite (SQLite)
	$(BIN)/python -m pytest tests -q $(PYTEST_ARGS)

test-pg: $(VENV)/.installed-test  ## the whole suite on PostgreSQL ($(PG_TEST_URL))
	INTRANET_TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/python -m pytest tests -q

e2e: $(VENV)/.installed-test  ## the browser tests only (headless Chromium)
	$(BIN)/python -m pytest tests/e2e -q

bench: $(VENV)/.installed-test  ## statements per page and throughput (see bench/README.md)
	$(BIN)/python bench/pages.py

bench-pg: $(VENV)/.installed-test  ## the pages under gunicorn on PostgreSQL beside the ceiling app (needs wrk)
	$(BIN)/pip install -q -e '.[production]'
	$(BIN)/python bench/pages.py --postgresql $(PG_TEST_URL) --rounds 3

lint: $(VENV)/.installed-test  ## ruff (check and format), and the import contracts of .importlinter (layers, plugins)
	$(BIN)/ruff check intranet plugins tests bench migrations setup.py
	$(BIN)/ruff format --check intranet plugins tests bench migrations setup.py
	$(BIN)/lint-imports

messages: $(VENV)/.installed  ## extract, update and compile the translation catalogues
	$(BIN)/pybabel extract -F babel.cfg -k _ --no-location --sort-output --project=dakto-intranet -o intranet/locale/intranet.pot .
	$(BIN)/pybabel update -D intranet -i intranet/locale/intranet.pot -d intranet/locale --no-fuzzy-matching
	$(BIN)/pybabel compile -D intranet -d intranet/locale --statistics
	@# A plugin with a locale/ folder keeps its own catalogue (domain = its package name).
	@for dir in plugins/*/locale; do \
	  [ -d "$$dir" ] || continue; pkg=$$(basename $$(dirname $$dir)); \
	  (cd plugins/$$pkg && ../../$(BIN)/pybabel extract -F babel.cfg -k _ --no-location --sort-output --project=$$pkg -o locale/$$pkg.pot . \
	    && ../../$(BIN)/pybabel update -D $$pkg -i locale/$$pkg.pot -d locale --no-fuzzy-matching \
	    && ../../$(BIN)/pybabel compile -D $$pkg -d locale --statistics) || exit 1; \
	done

clean:  ## remove the virtual environment and the local database
	rm -rf $(VENV) var
