"""Knowing what you have: `cartera docs` (dbt docs with the catalog of the published warehouse), served on
127.0.0.1; and the Dagster graph carries dbt's descriptions, column schemas and a description per check."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from dagster import AssetKey

from dagster_project.cli import main
from dagster_project.definitions import build_definitions
from dagster_project.settings import Settings

from .test_service import free_port, poll


@pytest.fixture(scope="module")
def site(slice_run, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("docs")
    assert main(["docs", "--warehouse", str(slice_run.settings.warehouse), "--out", str(out)]) == 0
    return out


def test_docs_site_has_the_catalog_of_the_published_warehouse(site):
    catalog = json.loads((site / "catalog.json").read_text())
    status = catalog["nodes"]["model.cartera.customer_status"]
    assert status["metadata"]["schema"] == "marts"
    assert {name: c["type"] for name, c in status["columns"].items()}["customer_id"] == "VARCHAR"
    assert status["columns"]["as_of"]["type"] == "DATE"


def test_docs_site_opens_offline_with_model_descriptions(site):
    page = (site / "static_index.html").read_text()
    assert "customer_status" in page and "One row per customer" in page  # the grain, from the dbt yml
    assert (site / "index.html").exists() and (site / "manifest.json").exists()


def test_docs_without_a_warehouse_say_so(tmp_path, capsys):
    assert main(["docs", "--warehouse", str(tmp_path / "none.duckdb"), "--out", str(tmp_path / "d")]) == 2
    assert "no published warehouse at" in capsys.readouterr().err


@pytest.mark.slow
def test_docs_are_served_on_loopback_and_stop_on_sigterm(slice_run, tmp_path):
    port = free_port()
    cmd = [str(Path(sys.executable).with_name("cartera")), "docs", "--serve", "--port", str(port)]
    cmd += ["--warehouse", str(slice_run.settings.warehouse), "--out", str(tmp_path / "site")]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = f"http://127.0.0.1:{port}/catalog.json"
        catalog = poll("the docs server", lambda: json.loads(urllib.request.urlopen(url, timeout=5).read()), 120)
        assert "model.cartera.customer_status" in catalog["nodes"]
        import psutil

        listening = [c.laddr for c in psutil.Process(proc.pid).net_connections("inet") if c.status == "LISTEN"]
        assert [(a.ip, a.port) for a in listening] == [("127.0.0.1", port)]
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0


@pytest.fixture(scope="module")
def graph():
    return build_definitions(Settings.from_env(env={})).resolve_asset_graph()


def test_every_asset_check_says_what_it_checks(graph):
    missing = [k.to_user_string() for k in graph.asset_check_keys if not graph.get_check_spec(k).description]
    assert missing == []
    spec = graph.get_check_spec(
        next(k for k in graph.asset_check_keys if k.name == "assert_every_customer_has_exactly_one_status")
    )
    assert spec.description.startswith("Every customer has exactly one status")


def test_dbt_assets_carry_descriptions_and_column_schemas(graph):
    node = graph.get(AssetKey("customer_status"))
    assert node.description.startswith("One row per customer")
    schema = node.metadata["dagster/column_schema"]  # a TableSchema
    columns = {c.name: c.description for c in schema.columns}
    assert {"customer_id", "as_of", "status"} <= set(columns)
    assert all(columns[c] for c in ("customer_id", "status"))  # described in the dbt yml
