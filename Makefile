# Cartera: `make run` (sample data end to end) and `make test`. Everything installs into .venv from
# the committed lock file (requirements.lock, made with `make lock`). Bytecode is compiled at install:
# with PYTHONDONTWRITEBYTECODE set, Python would otherwise recompile Dagster, dbt and GX on every start.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# The stamp names what it was installed from: a change to the lock, the project or the install recipe reinstalls.
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml Makefile | cksum | cut -d' ' -f1)

.PHONY: install run test test-fast lint ui bench lock clean

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml Makefile
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check uv==0.13.9
	$(VENV)/bin/uv pip sync --quiet --compile-bytecode --python $(PY) requirements.lock
	$(VENV)/bin/uv pip install --quiet --python $(PY) --no-deps -e .
	$(PY) -m compileall -q dagster_project tests > /dev/null
	$(PY) -c "from dagster_project.project import prepare_manifest; prepare_manifest(force=True)"
	rm -f $(VENV)/.installed-* && touch $@

run: install
	$(VENV)/bin/cartera generate --if-empty
	$(VENV)/bin/cartera run

test: install
	$(VENV)/bin/pytest -q

lint: install
	$(VENV)/bin/ruff check dagster_project tests benchmarks
	$(VENV)/bin/ruff format --check dagster_project tests benchmarks

ui: install
	$(VENV)/bin/cartera ui

bench: install
	$(PY) benchmarks/bench.py

lock:
	uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock

clean:
	rm -rf data/warehouse data/reports .dagster_home dbt/target dbt/logs
