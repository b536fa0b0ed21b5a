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


@pytest.fixture(scope="session")
def spanish_report(slice_run, tmp_path_factory) -> ReportRun:
    """The weekly_report job (Dagster in process) on the slice's published warehouse, with lang=es."""
    from dagster import DagsterInstance

    from dagster_project.cli import run_pipeline
    from tests.language import chart_texts

    reports = tmp_path_factory.mktemp("reports_es")
    (reports / "retention_report_2026-06-23.json").write_text(json.dumps(PREVIOUS_HEADLINE))
    settings = replace(slice_run.settings, reports=reports, lang="es")
    instance = DagsterInstance.ephemeral()
    try:
        with chart_texts() as texts:
            result = run_pipeline(settings, job_name="weekly_report", instance=instance)
    finally:
        instance.dispose()
    assert result.success, "the weekly report job failed in Spanish"
    return ReportRun(settings, result, (reports / "latest.html").read_text(encoding="utf-8"), texts)
