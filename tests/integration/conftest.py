"""Session-scoped runs of the real pipeline shared by the integration tests (each dataset runs once)."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from tests.conftest import PipelineRun, run_cartera

from .portfolio import write_portfolio


@pytest.fixture(scope="session")
def slice_run(tmp_path_factory) -> PipelineRun:
    """The hand-made portfolio (portfolio.py), everything run once, report in English."""
    root = tmp_path_factory.mktemp("slice")
    run = run_cartera(write_portfolio(root / "landing"), root, lang="en")
    assert run.success, "the pipeline failed on the clean portfolio"
    return run


# A previous week's headline, so the Spanish report also has its what-changed table.
PREVIOUS_HEADLINE = {"as_of": "2026-06-23", "active_customers": 2, "customers_inactive": 3, "net_revenue_365d": 600.0}


@dataclass
class ReportRun:
    settings: object
    result: object
    html: str
    chart_texts: list[str]

    @property
    def latest(self) -> Path:
        return self.settings.reports / "latest.html"


EMAIL_TO = ("gerencia@example.es", "ventas@example.es")


@pytest.fixture(scope="session")
def smtp(tmp_path_factory):
    """A real SMTP server on 127.0.0.1 (aiosmtpd, STARTTLS and a login), for the session."""
    from tests.smtp import smtp_server

    with smtp_server(tmp_path_factory.mktemp("smtp")) as server:
        yield server


@pytest.fixture(scope="session")
def spanish_report(slice_run, smtp, tmp_path_factory) -> ReportRun:
    """The weekly_report job (Dagster in process) on the slice's published warehouse, with lang=es, emailed
    to two recipients through the test's SMTP server (STARTTLS, login with the password from the env)."""
    from dagster import DagsterInstance

    from dagster_project.cli import run_pipeline
    from dagster_project.settings import EmailSettings
    from tests.language import chart_texts
    from tests.smtp import PASSWORD, USER

    reports = tmp_path_factory.mktemp("reports_es")
    (reports / "retention_report_2026-06-23.json").write_text(json.dumps(PREVIOUS_HEADLINE))
    email = EmailSettings.from_env(
        {
            "CARTERA_EMAIL_TO": ", ".join(EMAIL_TO),
            "CARTERA_EMAIL_FROM": "cartera@example.es",
            "CARTERA_SMTP_HOST": smtp.host,
            "CARTERA_SMTP_PORT": str(smtp.port),
            "CARTERA_SMTP_SECURITY": "starttls",
            "CARTERA_SMTP_USER": USER,
            "CARTERA_SMTP_CA_FILE": str(smtp.ca_file),
        }
    )
    settings = replace(slice_run.settings, reports=reports, lang="es", email=email)
    instance = DagsterInstance.ephemeral()
    try:
        with pytest.MonkeyPatch.context() as env, chart_texts() as texts:
            env.setenv("CARTERA_SMTP_PASSWORD", PASSWORD)
            result = run_pipeline(settings, job_name="weekly_report", instance=instance)
    finally:
        instance.dispose()
    assert result.success, "the weekly report job failed in Spanish"
    return ReportRun(settings, result, (reports / "latest.html").read_text(encoding="utf-8"), texts)
