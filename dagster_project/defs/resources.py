"""Dagster resources: the warehouse (DuckDB files, landing folder, reports folder) and dbt."""

from __future__ import annotations

import fcntl
import importlib.metadata
import json
import os
import sys
import time
from contextlib import contextmanager
from datetime import date
from functools import cached_property
from pathlib import Path

import duckdb
from dagster import ConfigurableResource, EnvVar, InitResourceContext
from dagster_dbt import DbtCliResource
from packaging import version
from pydantic import PrivateAttr

from ..project import dbt_project
from ..settings import Settings, var_contract


class WarehouseResource(ConfigurableResource):
    """Where Cartera reads exports and builds: the working copy runs write to, the published warehouse
    analysts read, and the reports folder. Holds the run lock for the length of a run."""

    landing: str
    work_db: str
    published_db: str
    reports: str
    max_date: str
    dbt_vars_json: str = "{}"
    memory_limit: str = "3GB"
    threads: int = 2
    currency: str = "€"
    lang: str = "en"  # the report's language
    stale_after_days: int = 30
    rebuild: bool = False  # ingestion empties the working copy first (see lib/ingest/landing.check_origin)
    settle_seconds: float = 2.0  # landing files changing within this time are left for the next run
    engine: str = "duckdb"  # what builds the dbt models (lib/engine.py)
    spark_master: str = "local[2]"

    _lock_file = PrivateAttr(default=None)

    @classmethod
    def from_settings(cls, s: Settings) -> WarehouseResource:
        return cls(
            landing=str(s.landing),
            work_db=str(s.work_db),
            published_db=str(s.warehouse),
            reports=str(s.reports),
            max_date=s.max_date.isoformat(),
            dbt_vars_json=json.dumps(s.all_dbt_vars()),
            memory_limit=s.duckdb_memory_limit,
            threads=s.duckdb_threads,
            currency=s.currency,
            lang=s.lang,
            stale_after_days=s.stale_after_days,
            rebuild=s.rebuild,
            settle_seconds=s.settle_seconds,
            engine=s.engine,
            spark_master=s.spark_master,
        )

    # One run at a time writes the working copy: a second run waits here (it queues, it doesn't fail).
    def setup_for_execution(self, context: InitResourceContext) -> None:
        Path(self.work_db).parent.mkdir(parents=True, exist_ok=True)
        self._lock_file = open(Path(self.work_db).parent / "run.lock", "w")
        try:
            fcntl.flock(self._lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if context.log:
                context.log.info("another Cartera run holds the warehouse; waiting for it to finish")
            started = time.monotonic()
            fcntl.flock(self._lock_file, fcntl.LOCK_EX)
            if context.log:
                context.log.info(f"warehouse free after {time.monotonic() - started:.0f}s")

    def teardown_after_execution(self, context: InitResourceContext) -> None:
        if self._lock_file:
            self._lock_file.close()  # releases the lock

    @property
    def landing_path(self) -> Path:
        return Path(self.landing)

    @property
    def work_db_path(self) -> Path:
        return Path(self.work_db)

    @property
    def published_path(self) -> Path:
        return Path(self.published_db)

    @property
    def reports_path(self) -> Path:
        return Path(self.reports)

    @property
    def max_date_value(self) -> date:
        return date.fromisoformat(self.max_date)

    def dbt_vars(self) -> dict:
        """This run's overrides, as passed to dbt."""
        return json.loads(self.dbt_vars_json)

    def business_vars(self) -> dict:
        """Every business var in force (defaults from dbt_project.yml with this run's overrides)."""
        return var_contract().resolve(self.dbt_vars())

    @contextmanager
    def connect(self, read_only: bool = False):
        """A connection to the working copy, closed on exit (dbt runs in another process)."""
        con = _connect_waiting(
            self.work_db, read_only=read_only, config={"memory_limit": self.memory_limit, "threads": self.threads}
        )
        try:
            yield con
        finally:
            con.close()

    @contextmanager
    def connect_published(self):
        """A read-only connection to the published warehouse (what analysts and the report read)."""
        con = duckdb.connect(self.published_db, read_only=True)
        try:
            yield con
        finally:
            con.close()

    def dbt_env(self) -> dict[str, str]:
        env = {"CARTERA_WORK_DB": self.work_db, "CARTERA_DUCKDB_MEMORY_LIMIT": self.memory_limit}
        if self.engine == "spark":
            env.update(self.spark_layout.dbt_env(self.spark_master))
        return env

    @property
    def dbt_target(self) -> str:
        """The target of dbt/profiles.yml this run builds with: work (DuckDB) or spark."""
        return "spark" if self.engine == "spark" else "work"

    @property
    def spark_layout(self):
        from ..lib.engine import SparkLayout

        return SparkLayout.for_work_db(self.work_db)


def _connect_waiting(path: str, *, read_only: bool, config: dict, wait_s: float = 120.0):
    """Connect, waiting while another process still holds DuckDB's lock (e.g. a dbt child left running by a
    run that was killed) instead of failing the run."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            return duckdb.connect(path, read_only=read_only, config=config)
        except duckdb.IOException as e:
            if "lock" not in str(e).lower() or time.monotonic() > deadline:
                raise
            time.sleep(0.5)


class EmailResource(ConfigurableResource):
    """Where the weekly report is emailed (off when there are no recipients). The password comes from an
    environment variable through Dagster's EnvVar, so it never shows in run config or the UI."""

    recipients: list[str] = []
    sender: str = "cartera@localhost"
    host: str = ""
    port: int = 587
    security: str = "starttls"
    user: str = ""
    password: str = ""
    ca_file: str = ""

    @property
    def enabled(self) -> bool:
        return bool(self.recipients)

    def smtp_config(self):
        from ..lib.report.mail import SmtpConfig

        return SmtpConfig(
            host=self.host,
            port=self.port,
            security=self.security,
            user=self.user or None,
            password=self.password or None,
            ca_file=self.ca_file or None,
        )

    @classmethod
    def from_settings(cls, s: Settings) -> EmailResource:
        e = s.email
        password = EnvVar(e.password_env) if e.user and os.environ.get(e.password_env) else ""
        return cls(
            recipients=list(e.recipients),
            sender=e.sender,
            host=e.host,
            port=e.port,
            security=e.security,
            user=e.user,
            password=password,
            ca_file=e.ca_file,
        )


class CarteraDbtCliResource(DbtCliResource):
    """dagster-dbt's dbt resource with two start-up costs removed from every invocation: dbt's version is read
    from the installed package instead of a `dbt --version` process (3-4 s), and no dbt adapter is set up in
    this process (~1 s; it only serves opt-in column metadata, and a DuckDB connection from here while dbt
    writes would collide with DuckDB's single-writer lock anyway)."""

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):
        return None


def build_resources(settings: Settings) -> dict:
    return {
        "warehouse": WarehouseResource.from_settings(settings),
        "email": EmailResource.from_settings(settings),
        # The dbt of this environment, whether or not the venv is on PATH.
        "dbt": CarteraDbtCliResource(
            project_dir=dbt_project, dbt_executable=str(Path(sys.executable).with_name("dbt"))
        ),
    }
