# nhiemvu — every target installs what it needs first; `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
HOST ?= 127.0.0.1
export FLASK_APP := wsgi
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-10)
MO_FILES := $(patsubst %.po,%.mo,$(wildcard app/translations/*/LC_MESSAGES/messages.po))

.DEFAULT_GOAL := help
.PHONY: help install run serve migrate seed test test-sqlite lint fmt translations extract-messages bench eval clean lock settings-doc

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP) $(MO_FILES) ## Create .venv and install the app with its dev extras

%.mo: %.po $(STAMP)
	$(BIN)/pybabel -q compile -i $< -o $@

translations: $(MO_FILES) ## Compile the message catalogues

extract-messages: install ## Re-extract messages and update the catalogues
	$(BIN)/pybabel extract -F babel.cfg -k _l -o app/translations/messages.pot .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching

migrate: install ## Upgrade the database to the latest migration
	$(BIN)/flask db upgrade

seed: migrate ## Load the real documents as demo data (idempotent)
	$(BIN)/flask seed

run: seed ## Install, migrate, seed, and serve on http://$(HOST):$(PORT) (with the job scheduler)
	@echo "Serving on http://$(HOST):$(PORT)  (Ctrl+C to stop)"
	NHIEMVU_EMBEDDED_SCHEDULER=1 $(BIN)/waitress-serve --listen=$(HOST):$(PORT) --threads=8 wsgi:app

test: install ## Run the whole suite (SQLite, and PostgreSQL when TEST_DATABASE_URL is set)
	$(BIN)/pytest

lint: install ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: install ## ruff fix and format
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

lock: install ## Pin every dependency, with hashes, for deployments (requirements.lock)
	$(BIN)/pip install --quiet uv==0.13.8
	$(BIN)/uv pip compile pyproject.toml --quiet --universal --python-version 3.11 --generate-hashes --output-file requirements.lock

settings-doc: install ## Write the README's table of settings from app/config.py
	$(BIN)/python -c "from pathlib import Path; from app.config import with_settings_table as w; p = Path('README.md'); p.write_text(w(p.read_text()))"

bench: install ## Benchmarks: pages, reports, imports (figures and ratios); BENCH="--size 0.1" for a quick run
	@status=0; \
	$(BIN)/python -m bench $(BENCH) || status=1; \
	$(BIN)/python -m bench.reports || status=1; \
	$(BIN)/python -m bench.imports $(if $(BENCH_PG),--pg $(BENCH_PG)) || status=1; \
	exit $$status

eval: install ## The importers and the deadline reader on the corpus (per document and in total; exit 1 below target)
	$(BIN)/python -m bench.corpus $(EVAL)

clean: ## Remove the virtualenv and caches (keeps instance/)
	rm -rf $(VENV) .pytest_cache .ruff_cache
