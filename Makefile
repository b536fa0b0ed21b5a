# Cartera: `make run` (sample data end to end) and `make test`. Everything installs into .venv from
# the committed lock file (requirements.lock, made with `make lock`). Bytecode is compiled at install:
# with PYTHONDONTWRITEBYTECODE set, Python would otherwise recompile Dagster, dbt and GX on every start.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# The stamp names what it was installed from: a change to the lock, the project or the install recipe reinstalls.
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml Makefile | cksum | cut -d' ' -f1)

.PHONY: install run test test-fast lint snapshot ui serve bench lock clean browser spark-env test-spark bench-spark

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

test: install browser
	$(VENV)/bin/pytest -q -n auto --dist loadscope

# The edit-test loop (< 30 s): unit tests only; no end-to-end pipeline runs, no dbt start-ups, no long simulations.
test-fast: install
	$(VENV)/bin/pytest -q -n auto -m "not e2e and not dbt and not slow"

# The browser test of the report needs Chromium (Debian's package). Installed when missing; where it can't be
# (not root, no package mirror) the test says so and is skipped.
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  echo "installing Chromium from Debian's packages for the browser test of the report"; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	      chromium fonts-dejavu-core; } >/dev/null 2>&1 \
	  || echo "Chromium could not be installed: the browser test will be skipped"; }

# Static gates (CI runs them before the tests): ruff (lint + format), sqlfluff on the dbt models (dbt/.sqlfluff),
# mypy on the pure-Python library (pyproject.toml [tool.mypy]).
lint: install
	$(VENV)/bin/ruff check dagster_project tests benchmarks
	$(VENV)/bin/ruff format --check dagster_project tests benchmarks
	$(VENV)/bin/sqlfluff lint dbt --disable-progress-bar
	$(VENV)/bin/mypy

# Accept a change to the Dagster graph: rewrite tests/definitions.snapshot (review its diff before committing).
snapshot: install
	CARTERA_UPDATE_SNAPSHOT=1 $(VENV)/bin/pytest -q tests/test_definitions.py

ui: install
	$(VENV)/bin/cartera ui

# The webserver and the daemon as a service runs them (schedules and the landing sensor fire); HOST=0.0.0.0 to
# listen beyond this machine (put it behind a proxy with authentication first: the UI has none).
serve: install
	$(VENV)/bin/cartera serve --host $(or $(HOST),127.0.0.1) --port $(or $(PORT),3000)

bench: install
	$(PY) benchmarks/bench.py

lock: install
	$(VENV)/bin/uv pip compile --quiet pyproject.toml --extra dev --python-version 3.11 -o requirements.lock
	$(VENV)/bin/uv pip compile --quiet pyproject.toml --extra dev --extra spark --python-version 3.11 \
	  --constraint requirements.lock -o requirements-spark.lock

# Spark (issue 16, README "Running on Spark"): Java from Debian's packages when `java` is missing, and the `spark`
# extra (pyspark, dbt-spark) from requirements-spark.lock, locked against requirements.lock so it adds packages
# without changing any. Only these targets need it: `make run` and `make test` never install Java or Spark.
SPARK_STAMP := $(VENV)/.spark-$(shell cat requirements-spark.lock | cksum | cut -d' ' -f1)

spark-env: install $(SPARK_STAMP)

$(SPARK_STAMP): $(STAMP) requirements-spark.lock
	@command -v java >/dev/null 2>&1 || { \
	  echo "installing Java (openjdk-17-jre-headless) from Debian's packages for Spark"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    openjdk-17-jre-headless >/dev/null; }
	$(VENV)/bin/uv pip install --quiet --compile-bytecode --python $(PY) -r requirements-spark.lock
	rm -f $(VENV)/.spark-* && touch $@

# Parity of every mart on DuckDB and Spark (CDNOW on a standalone cluster on 127.0.0.1, the sample portfolio in
# process); tests/spark is collected only with CARTERA_SPARK_TESTS set.
test-spark: spark-env
	CARTERA_SPARK_TESTS=1 $(VENV)/bin/pytest -q tests/spark

bench-spark: spark-env
	$(PY) benchmarks/bench_spark.py $(if $(ORDERS),--orders $(ORDERS))

clean:
	rm -rf data/warehouse data/reports .dagster_home dbt/target dbt/logs
