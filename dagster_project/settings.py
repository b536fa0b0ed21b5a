"""The one place that turns flags and environment variables into Cartera's settings.

`Settings.from_env()` is called when definitions are built (the CLI passes its flags as overrides), never
at import time. Every value that later reaches SQL or dbt is validated here first.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from .lib import engine as engines
from .lib.var_contract import VarContract, VarError

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_DIR = REPO_ROOT / "dbt"
EXPECTATIONS_DIR = REPO_ROOT / "expectations"

_MEMORY = re.compile(r"^\d+(\.\d+)?\s*(MB|GB|MiB|GiB)$")


@cache
def var_contract() -> VarContract:
    """The business vars' defaults, types and bounds, declared once in dbt/dbt_project.yml (dbt reads it too)."""
    return VarContract.from_project(DBT_DIR / "dbt_project.yml")


class SettingsError(ValueError):
    """A flag, variable or environment value is not acceptable; the message says which and why."""


def parse_date(value: str, what: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise SettingsError(f"{what} must be a date as YYYY-MM-DD, not {value!r}") from None


def validate_dbt_vars(values: dict) -> dict:
    """Check overrides against the var contract (with the defaults, for relations); a clean copy or SettingsError."""
    try:
        return var_contract().check_overrides(values)
    except VarError as e:
        raise SettingsError(str(e)) from None


_ADDRESS = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+$")
SMTP_SECURITY = {"starttls": 587, "tls": 465, "none": 25}  # security -> its usual port


@dataclass(frozen=True)
class EmailSettings:
    """SMTP for the weekly report: off unless CARTERA_EMAIL_TO names recipients. The password is never a
    setting: it is read from the environment variable named by `password_env` when the email is sent."""

    recipients: tuple[str, ...] = ()
    sender: str = "cartera@localhost"
    host: str = ""
    port: int = 587
    security: str = "starttls"  # starttls | tls | none
    user: str = ""
    password_env: str = "CARTERA_SMTP_PASSWORD"
    ca_file: str = ""  # a private CA bundle to trust (a company relay)

    @property
    def enabled(self) -> bool:
        return bool(self.recipients)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> EmailSettings:
        security = env.get("CARTERA_SMTP_SECURITY", "starttls").strip().lower()
        if security not in SMTP_SECURITY:
            raise SettingsError(f"CARTERA_SMTP_SECURITY must be one of {', '.join(SMTP_SECURITY)}, not {security!r}")
        port_text = env.get("CARTERA_SMTP_PORT") or str(SMTP_SECURITY[security])
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise SettingsError(f"CARTERA_SMTP_PORT must be a port number, not {port_text!r}")
        recipients = tuple(a.strip() for a in env.get("CARTERA_EMAIL_TO", "").split(",") if a.strip())
        sender = env.get("CARTERA_EMAIL_FROM", cls.sender).strip()
        for address in (*recipients, sender):
            if not _ADDRESS.match(address):
                raise SettingsError(f"not an email address: {address!r} (CARTERA_EMAIL_TO / CARTERA_EMAIL_FROM)")
        host = env.get("CARTERA_SMTP_HOST", "").strip()
        if recipients and not host:
            raise SettingsError("CARTERA_EMAIL_TO is set but CARTERA_SMTP_HOST is not: which server sends the email?")
        return cls(
            recipients=recipients,
            sender=sender,
            host=host,
            port=int(port_text),
            security=security,
            user=env.get("CARTERA_SMTP_USER", "").strip(),
            password_env=env.get("CARTERA_SMTP_PASSWORD_ENV", cls.password_env),
            ca_file=env.get("CARTERA_SMTP_CA_FILE", ""),
        )


@dataclass(frozen=True)
class Settings:
    landing: Path = REPO_ROOT / "data" / "landing"
    warehouse: Path = REPO_ROOT / "data" / "warehouse" / "cartera.duckdb"  # the published warehouse
    reports: Path = REPO_ROOT / "data" / "reports"
    as_of: date | None = None
    dbt_vars: dict = field(default_factory=dict)
    max_date: date = field(default_factory=date.today)  # later order dates are quarantined as "in the future"
    currency: str = "€"  # shown in the report
    duckdb_memory_limit: str = "3GB"
    duckdb_threads: int = 2
    lang: str = "en"  # report, CLI messages, xlsx headers: "es" or "en" (see default_lang)
    email: EmailSettings = field(default_factory=lambda: EmailSettings())  # the weekly report by email (off)
    timezone: str = "Europe/Madrid"  # the schedules' clock (02:00 nightly, Monday 07:00 report)
    # An as_of more than this many days after the latest order: the export may be stale (run and report warn).
    stale_after_days: int = 30
    rebuild: bool = False  # empty the working copy first (needed to switch it to another landing folder)
    settle_seconds: float = 2.0  # a landing file must not change for this long before it is read
    # What builds the dbt models: duckdb (in the working copy) or spark (README "Running on Spark"), and for
    # Spark where the work runs (a master URL: local[2] in process, spark://host:7077, yarn, k8s://...).
    engine: str = "duckdb"
    spark_master: str = engines.DEFAULT_SPARK_MASTER

    @property
    def work_dir(self) -> Path:
        """Where runs build and check before publishing (write-audit-publish)."""
        return self.warehouse.parent / ".work"

    @property
    def work_db(self) -> Path:
        return self.work_dir / self.warehouse.name

    def all_dbt_vars(self) -> dict:
        """The overrides passed to dbt (as_of included); defaults stay in dbt_project.yml."""
        vars_ = dict(self.dbt_vars)
        if self.as_of is not None:
            vars_["as_of"] = self.as_of.isoformat()
        return vars_

    def business_vars(self) -> dict:
        """Every business var in force: the contract's defaults with this run's overrides."""
        return var_contract().resolve(self.all_dbt_vars())

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        env = os.environ if env is None else env
        s = cls()
        if v := env.get("CARTERA_LANDING"):
            s = replace(s, landing=Path(v))
        if v := env.get("CARTERA_WAREHOUSE"):
            s = replace(s, warehouse=Path(v))
        if v := env.get("CARTERA_REPORTS"):
            s = replace(s, reports=Path(v))
        if v := env.get("CARTERA_AS_OF"):
            s = replace(s, as_of=parse_date(v, "CARTERA_AS_OF"))
        if v := env.get("CARTERA_VARS"):
            s = replace(s, dbt_vars=parse_vars_json(v))
        if v := env.get("CARTERA_MAX_DATE"):
            s = replace(s, max_date=parse_date(v, "CARTERA_MAX_DATE"))
        if v := env.get("CARTERA_CURRENCY"):
            s = replace(s, currency=v)
        if v := env.get("CARTERA_SETTLE_SECONDS"):
            try:
                s = replace(s, settle_seconds=float(v))
            except ValueError:
                raise SettingsError(f"CARTERA_SETTLE_SECONDS must be a number of seconds, not {v!r}") from None
        if v := env.get("CARTERA_DUCKDB_MEMORY_LIMIT"):
            s = replace(s, duckdb_memory_limit=v)
        s = replace(s, lang=default_lang(env), email=EmailSettings.from_env(env))
        if v := env.get("CARTERA_TIMEZONE"):
            s = replace(s, timezone=v)
        if v := env.get("CARTERA_LANG"):
            s = replace(s, lang=v)
        if v := env.get("CARTERA_STALE_AFTER_DAYS"):
            s = replace(s, stale_after_days=parse_days(v, "CARTERA_STALE_AFTER_DAYS"))
        if v := env.get("CARTERA_ENGINE"):
            s = replace(s, engine=v)
        if v := env.get("CARTERA_SPARK_MASTER"):
            s = replace(s, spark_master=v)
        s = replace(s, **{k: v for k, v in overrides.items() if v is not None})
        s = replace(s, lang=check_lang(s.lang))
        check_timezone(s.timezone)
        if not _MEMORY.match(s.duckdb_memory_limit):
            raise SettingsError(f"DuckDB memory limit must look like '3GB', not {s.duckdb_memory_limit!r}")
        validate_dbt_vars(s.all_dbt_vars())
        check_as_of_not_future(s)
        s = replace(s, engine=check_engine(s))
        if not 0 <= s.settle_seconds <= 600:
            raise SettingsError(f"settle seconds must be between 0 and 600, not {s.settle_seconds!r}")
        if not 1 <= len(s.currency) <= 4:
            raise SettingsError(f"currency must be a symbol or code of 1 to 4 characters, not {s.currency!r}")
        return replace(s, landing=s.landing.absolute(), warehouse=s.warehouse.absolute(), reports=s.reports.absolute())


def check_engine(s: Settings) -> str:
    """duckdb or spark (--engine / CARTERA_ENGINE); for spark also a valid master URL and a work folder Spark
    can be given as text."""
    try:
        engine = engines.check_engine(s.engine, "engine (--engine / CARTERA_ENGINE)")
        if engine == "spark":
            engines.check_spark_master(s.spark_master)
            engines.check_spark_path(engines.SparkLayout.for_work_db(s.work_db).root)
    except engines.EngineError as e:
        raise SettingsError(str(e)) from None
    return engine


LANGS = ("es", "en")


def check_lang(value: str) -> str:
    """'es' or 'en' (also accepts 'ES', 'es_ES.UTF-8', 'en-GB'); anything else is refused."""
    code = str(value).strip().lower().replace("-", "_").split("_")[0].split(".")[0]
    if code not in LANGS:
        raise SettingsError(f"language must be one of {', '.join(LANGS)} (--lang / CARTERA_LANG), not {value!r}")
    return code


def check_timezone(name: str) -> str:
    """An IANA time zone such as Europe/Madrid or UTC (CARTERA_TIMEZONE), refused otherwise."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(
            f"CARTERA_TIMEZONE must be a time zone such as Europe/Madrid or UTC, not {name!r}"
        ) from None
    return name


def default_lang(env: Mapping[str, str]) -> str:
    """The language of the user's locale (LC_ALL, then LC_MESSAGES, then LANG): Spanish when it is Spanish,
    English otherwise (C, POSIX, unset, or a language Cartera doesn't speak yet)."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if value := env.get(name):
            return "es" if value.lower().startswith("es") else "en"
    return "en"


def parse_days(value: str, what: str) -> int:
    try:
        days = int(value)
    except (TypeError, ValueError):
        days = -1
    if days < 0:
        raise SettingsError(f"{what} must be a whole number of days, not {value!r}")
    return days


def check_as_of_not_future(s: Settings) -> None:
    """An as_of after today (max_date) would count every customer as lost: refused before anything runs."""
    for what, value in (("--as-of", s.as_of), ("var as_of", s.dbt_vars.get("as_of"))):
        if value is None:
            continue
        day = value if isinstance(value, date) else parse_date(value, what)
        if day > s.max_date:
            raise SettingsError(
                f"{what} {day.isoformat()} is after today ({s.max_date.isoformat()}): a report can only look at "
                "dates that have happened"
            )


def parse_vars_json(text: str) -> dict:
    try:
        values = json.loads(text)
    except json.JSONDecodeError as e:
        raise SettingsError(f"--vars is not valid JSON ({e.msg} at character {e.pos})") from None
    return validate_dbt_vars(values)
