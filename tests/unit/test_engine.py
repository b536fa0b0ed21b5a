"""The engine setting and the Parquet boundary between Spark and the DuckDB working copy (lib/engine.py),
without Spark: the Spark side of the files is written here as Spark writes them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from dagster_project.lib import engine
from dagster_project.settings import Settings, SettingsError


def test_engine_defaults_to_duckdb_and_comes_from_the_flag_or_the_environment(tmp_path):
    wh = tmp_path / "w" / "cartera.duckdb"
    assert Settings.from_env(env={}, warehouse=wh).engine == "duckdb"
    s = Settings.from_env(
        env={"CARTERA_ENGINE": "Spark", "CARTERA_SPARK_MASTER": "spark://127.0.0.1:7077"}, warehouse=wh
    )
    assert (s.engine, s.spark_master) == ("spark", "spark://127.0.0.1:7077")
    assert Settings.from_env(env={"CARTERA_ENGINE": "spark"}, warehouse=wh, engine="duckdb").engine == "duckdb"


@pytest.mark.parametrize(
    "env, message",
    [
        ({"CARTERA_ENGINE": "postgres"}, "engine (--engine / CARTERA_ENGINE) must be one of duckdb, spark"),
        ({"CARTERA_ENGINE": "spark", "CARTERA_SPARK_MASTER": "local[2]'; drop"}, "CARTERA_SPARK_MASTER must be"),
        ({"CARTERA_ENGINE": "spark", "CARTERA_SPARK_MASTER": "mesos://x:5050"}, "CARTERA_SPARK_MASTER must be"),
    ],
)
def test_a_bad_engine_setting_is_refused_naming_it(tmp_path, env, message):
    with pytest.raises(SettingsError, match=message.replace("[", r"\[").replace("(", r"\(").replace(")", r"\)")):
        Settings.from_env(env=env, warehouse=tmp_path / "cartera.duckdb")


def test_spark_refuses_a_warehouse_path_it_would_receive_as_unsafe_text(tmp_path):
    with pytest.raises(SettingsError, match="without spaces or quotes"):
        Settings.from_env(env={"CARTERA_ENGINE": "spark"}, warehouse=tmp_path / "it's here" / "cartera.duckdb")
    # DuckDB takes any path (bound as a parameter or quoted).
    assert Settings.from_env(env={}, warehouse=tmp_path / "it's here" / "cartera.duckdb").engine == "duckdb"


@pytest.mark.parametrize("url", ["local", "local[2]", "local[*]", "local[4,2]", "spark://10.0.0.5:7077", "yarn",
                                 "spark://a:7077,b:7077", "k8s://https://api.example:6443"])  # fmt: skip
def test_spark_master_urls_accepted(url):
    assert engine.check_spark_master(url) == url


def test_built_relations_are_the_tables_and_seeds_that_succeeded():
    manifest = {
        "nodes": {
            "model.c.a": {"resource_type": "model", "schema": "marts", "alias": "a", "config": {"materialized": "table"}},
            "model.c.v": {"resource_type": "model", "schema": "staging", "alias": "v", "config": {"materialized": "view"}},
            "model.c.h": {"resource_type": "model", "schema": "marts", "alias": "h", "config": {"materialized": "incremental"}},
            "seed.c.s": {"resource_type": "seed", "schema": "marts", "alias": "s", "config": {"materialized": "seed"}},
            "model.c.f": {"resource_type": "model", "schema": "marts", "alias": "f", "config": {"materialized": "table"}},
            "test.c.t": {"resource_type": "test", "schema": "marts", "alias": "t", "config": {"materialized": "test"}},
        }
    }  # fmt: skip
    results = {"results": [{"unique_id": u, "status": "success"} for u in manifest["nodes"] if u != "model.c.f"]}
    results["results"].append({"unique_id": "model.c.f", "status": "error"})
    assert engine.built_relations(manifest, results) == [("marts", "a"), ("marts", "h"), ("marts", "s")]


def test_sources_go_out_and_built_tables_come_back_with_their_types(tmp_path):
    work = tmp_path / "w" / ".work" / "cartera.duckdb"
    work.parent.mkdir(parents=True)
    layout = engine.SparkLayout.for_work_db(work)
    con = duckdb.connect(str(work))
    con.execute("CREATE SCHEMA raw")
    con.execute(
        "CREATE TABLE raw.orders AS SELECT '00042' AS customer_id, DATE '2026-02-28' AS order_date, "
        "CAST(1234.56 AS DECIMAL(18,2)) AS amount"
    )
    # A declared source the working copy does not have (yet) is left out, not an error.
    assert engine.export_sources(con, layout, [("raw", "orders"), ("clv", "model_fit_history")]) == {"raw.orders": 1}
    exported = layout.source_table("raw", "orders")
    assert [p.name for p in exported.iterdir()] == ["part-0.parquet"]
    # Spark's side, as Spark leaves it: a data-source table (part-*.parquet, _SUCCESS) and a Hive-format table
    # (files without an extension); a view of the same name left by an earlier DuckDB build is replaced.
    for table, name in (("customer_status", "part-00000-1.snappy.parquet"), ("alert_history", "part-00000-2-c000")):
        folder = layout.built_table("marts", table)
        folder.mkdir(parents=True)
        (folder / "_SUCCESS").write_text("")
        (folder / ".part.crc").write_text("x")
        con.execute(f"COPY (SELECT * FROM raw.orders) TO '{folder / name}' (FORMAT parquet)")
    con.execute("CREATE SCHEMA marts")
    con.execute("CREATE VIEW marts.customer_status AS SELECT 1 AS x")
    got = engine.import_built(con, layout, [("marts", "alert_history"), ("marts", "customer_status")])
    assert got == {"marts.alert_history": 1, "marts.customer_status": 1}
    for table in ("alert_history", "customer_status"):
        assert con.execute(f"SELECT * FROM marts.{table}").fetchall() == [
            ("00042", date(2026, 2, 28), Decimal("1234.56"))
        ]
        types = con.execute(f"SELECT data_type FROM information_schema.columns WHERE table_name = '{table}'").fetchall()
        assert [t for (t,) in types] == ["VARCHAR", "DATE", "DECIMAL(18,2)"]


def test_a_table_spark_says_it_built_but_left_no_file_stops_the_import(tmp_path):
    layout = engine.SparkLayout(tmp_path / "spark")
    layout.built_table("marts", "x").mkdir(parents=True)
    con = duckdb.connect()
    with pytest.raises(engine.EngineError, match="holds no data file"):
        engine.import_built(con, layout, [("marts", "x")])


def test_names_that_are_not_plain_identifiers_never_become_paths():
    with pytest.raises(engine.EngineError):
        engine.SparkLayout(Path("/tmp/s")).built_table("marts", "x/../../etc")
