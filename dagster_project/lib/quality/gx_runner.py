"""Run a Great Expectations suite (a JSON file under expectations/) on a pandas DataFrame.

GX's SQL datasource returns no rows on DuckDB here (an upstream problem), so tables are read with DuckDB
into pandas and validated with GX's pandas datasource. Only the columns the suite names are read.
"""

from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

TABLE = re.compile(r"^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$")


@dataclass(frozen=True)
class Suite:
    name: str  # the asset key it validates
    table: str  # schema.table in the warehouse
    expectations: list[dict]
    blocking: bool = True

    @property
    def columns(self) -> list[str]:
        cols = []
        for e in self.expectations:
            for key in ("column", "column_A", "column_B"):
                if key in e["kwargs"] and e["kwargs"][key] not in cols:
                    cols.append(e["kwargs"][key])
            cols += [c for c in e["kwargs"].get("column_list", []) if c not in cols]
        return cols


@dataclass
class Outcome:
    success: bool
    evaluated: int
    failures: list[dict] = field(default_factory=list)

    def describe_failures(self) -> str:
        return "; ".join(
            f"{f['expectation']}({f['column']}): {f['unexpected_count']} unexpected, e.g. {f['examples']}"
            for f in self.failures
        )


def load_suite(path: Path) -> Suite:
    data = json.loads(path.read_text())
    meta = data.get("meta", {})
    table = meta.get("table", "")
    if not TABLE.match(table):
        raise ValueError(f"{path.name}: meta.table must be schema.table, not {table!r}")
    for e in data["expectations"]:
        for col in [e["kwargs"].get(k) for k in ("column", "column_A", "column_B")] + e["kwargs"].get(
            "column_list", []
        ):
            if col is not None and not re.match(r"^[a-z_][a-z0-9_]*$", col):
                raise ValueError(f"{path.name}: bad column name {col!r}")
    return Suite(name=data["name"], table=table, expectations=data["expectations"], blocking=meta.get("blocking", True))


def load_suites(directory: Path) -> list[Suite]:
    return [load_suite(p) for p in sorted(directory.glob("*.json"))]


_batch_definition = None


def _batch_def() -> Any:
    """One ephemeral GX context per process (importing GX costs seconds: do it once, lazily)."""
    global _batch_definition
    if _batch_definition is None:
        os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
        import great_expectations as gx

        logging.getLogger("great_expectations").setLevel(logging.ERROR)
        ctx = gx.get_context(mode="ephemeral")
        from great_expectations.data_context.types.base import ProgressBarsConfig

        ctx.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
        asset = ctx.data_sources.add_pandas("cartera").add_dataframe_asset("table")
        _batch_definition = asset.add_batch_definition_whole_dataframe("whole_table")
    return _batch_definition


def validate(frame: pd.DataFrame, suite: Suite) -> Outcome:
    from great_expectations.core.expectation_suite import ExpectationSuite
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    gx_suite = ExpectationSuite(
        name=suite.name,
        expectations=[
            ExpectationConfiguration(type=e["type"], kwargs=e["kwargs"], meta=e.get("meta", {}))
            for e in suite.expectations
        ],
    )
    result = _batch_def().get_batch(batch_parameters={"dataframe": frame}).validate(gx_suite)
    failures = []
    for r in result.results:
        if not r.success:
            res = r.result or {}
            failures.append(
                {
                    "expectation": r.expectation_config.type,
                    "column": r.expectation_config.kwargs.get("column", ""),
                    "unexpected_count": res.get("unexpected_count", res.get("observed_value")),
                    "examples": [str(v) for v in (res.get("partial_unexpected_list") or [])[:3]],
                    "error": (r.exception_info or {}).get("exception_message") if r.exception_info else None,
                }
            )
    return Outcome(success=result.success, evaluated=len(result.results), failures=failures)
