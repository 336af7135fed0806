# PMO Hub — the interface contract: `make demo`, `make test`, `make install`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
JUNIT  ?= var/junit
# Local runs use the development secret key; production sets PMO_SECRET_KEY.
export PMO_ALLOW_DEV_KEY ?= 1

.PHONY: install install-dev demo serve test lint types contracts unit unit-postgres messages bench-web clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	@echo "compiling the leveling engine's genetic algorithm (numba, once per machine)..."
	$(BIN)/python -c "from pmo.engine.leveling.ga import warm_up; warm_up()"
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed          ## the virtual environment with PMO Hub installed

install-dev: $(VENV)/.installed-dev  ## plus test and quality tools

demo: install                        ## migrate, load the demo portfolio, serve on :8000 ($PMO_PORT; PMO_LANGUAGE=zh-hans for Chinese data)
	$(BIN)/pmo demo

serve: install
	$(BIN)/pmo migrate --no-input && $(BIN)/pmo serve

lint: install-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

types: install-dev
	$(BIN)/mypy

contracts: install-dev
	$(BIN)/lint-imports
	PMO_DATABASE_URL=sqlite:///:memory: $(BIN)/pmo makemigrations --check --dry-run

unit: install-dev                    ## every test on SQLite (engine, apps, browser)
	@mkdir -p $(JUNIT)
	PMO_TEST_DATABASE_URL= $(BIN)/pytest -n 2 --junitxml=$(JUNIT)/sqlite.xml

unit-postgres: install-dev           ## the database tests again on PostgreSQL ($PMO_TEST_DATABASE_URL)
	@mkdir -p $(JUNIT)
	@if [ -n "$$PMO_TEST_DATABASE_URL" ]; then \
	  $(BIN)/pytest -n 2 -m "not e2e" --ignore=src/pmo/engine --junitxml=$(JUNIT)/postgres.xml; \
	else \
	  echo "PostgreSQL suite NOT run: set PMO_TEST_DATABASE_URL=postgres://user@host:5432/db to run it"; \
	fi

test: lint types contracts unit unit-postgres   ## every check

messages: install-dev                ## re-extract and compile the translations
	cd src/pmo && ../../$(BIN)/pmo makemessages -l zh_Hans --no-obsolete --no-location && ../../$(BIN)/pmo compilemessages -l zh_Hans

bench-web: install-dev
	$(BIN)/python benchmarks/web.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
