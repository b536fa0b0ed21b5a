"""The opposite guard: a file of the run whose rejected rows pass BOTH limits (5% and 100 rows by default)
fails the run before publishing, naming the file, the share and the top reasons; below either it passes."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest
from dagster import asset, materialize

from dagster_project.defs.ingestion.assets import REJECTED_CHECK, build_raw_asset
from dagster_project.defs.resources import WarehouseResource
from dagster_project.lib.ingest.guard import rejection_breaches
from dagster_project.lib.ingest.loader import ingest_source
from dagster_project.lib.ingest.sources import SOURCES

HEADER = "customer_id,order_date,amount\n"


def orders_file(path, good: int, bad_amount: int, no_customer: int = 0) -> None:
    lines = [f"{i:05d},2026-11-02,10.00" for i in range(good)]
    lines += [f"{i:05d},2026-11-02,abc{i}" for i in range(bad_amount)]
    lines += [",2026-11-02,1.00"] * no_customer
    path.write_text(HEADER + "\n".join(lines) + "\n")


@pytest.mark.parametrize(
    "good, bad, breach",
    [
        (940, 60, False),  # 6% but only 60 rows: a few bad lines in a small file never stop the night
        (9880, 120, False),  # 120 rows but 1.2%
        (900, 101, True),  # 10.1% and 101 rows
        (1900, 100, False),  # exactly 100 rows is not over the count
    ],
)
def test_a_file_fails_only_when_its_rejections_pass_both_the_share_and_the_count(tmp_path, good, bad, breach):
    landing = tmp_path / "landing"
    landing.mkdir()
    orders_file(landing / "orders.csv", good, bad)
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    result = ingest_source(con, landing, SOURCES["orders"], max_date=date(2026, 11, 24))
    assert bool(rejection_breaches(con, result)) is breach
    assert rejection_breaches(con, ingest_source(con, landing, SOURCES["orders"], max_date=date(2026, 11, 24))) == []


def test_the_message_names_the_file_the_share_and_the_top_reasons(tmp_path):
    landing = tmp_path / "landing"
    landing.mkdir()
    orders_file(landing / "orders_nov.csv", 800, 150, no_customer=50)
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    result = ingest_source(con, landing, SOURCES["orders"], max_date=date(2026, 11, 24))
    assert rejection_breaches(con, result) == [
        "orders_nov.csv: 200 of 1,000 rows rejected (20.0%; the limits are 5% and 100 rows): "
        "unparseable amount (150), missing customer_id (50)"
    ]
    assert rejection_breaches(con, result, share_max=0.25) == []
    assert len(rejection_breaches(con, result, share_max=0.1, rows_max=250)) == 0


def test_the_blocking_check_stops_what_depends_on_the_raw_asset(tmp_path):
    landing = tmp_path / "landing"
    landing.mkdir()
    orders_file(landing / "orders.csv", 100, 200)
    built = []

    @asset(deps=["raw_orders"])
    def downstream() -> None:
        built.append(True)

    warehouse = WarehouseResource(
        landing=str(landing),
        work_db=str(tmp_path / "work" / "w.duckdb"),
        published_db=str(tmp_path / "w.duckdb"),
        reports=str(tmp_path / "reports"),
        max_date="2026-11-24",
        settle_seconds=0.0,
    )
    result = materialize(
        [build_raw_asset(SOURCES["orders"]), downstream], resources={"warehouse": warehouse}, raise_on_error=False
    )
    [check] = result.get_asset_check_evaluations()
    assert (check.check_name, check.passed) == (REJECTED_CHECK, False)
    assert check.description.startswith("orders.csv: 200 of 300 rows rejected (66.7%")
    assert built == []
    assert not result.success
