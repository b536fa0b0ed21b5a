"""The Dagster graph as a reviewed snapshot (tests/definitions.snapshot): every asset with its group and
dependencies, every check with its blocking flag, every job with its assets, schedules and sensors. A change to the
graph fails this test until the snapshot is regenerated, so it shows as a diff in review:

    make snapshot      # = CARTERA_UPDATE_SNAPSHOT=1 .venv/bin/pytest -q tests/test_definitions.py

The other tests pin rules of the graph's shape that a snapshot update must not silently change.
"""

import difflib
import json
import os
from pathlib import Path

from dagster import AssetKey, Definitions

from dagster_project.definitions import build_definitions
from dagster_project.settings import Settings

SNAPSHOT = Path(__file__).with_name("definitions.snapshot")


def defs():
    return build_definitions(Settings.from_env(env={}))


def snapshot(d: Definitions) -> str:
    """One sorted line per asset, check, job, schedule and sensor: a change is a one-line diff."""
    graph = d.resolve_asset_graph()
    name = lambda key: key.to_user_string()  # noqa: E731
    lines = []
    for key in sorted(graph.get_all_asset_keys(), key=name):
        node = graph.get(key)
        deps = ", ".join(sorted(name(k) for k in node.parent_keys))
        lines.append(f"asset {name(key)}  group={node.group_name}  deps=[{deps}]")
    for check in sorted(graph.asset_check_keys, key=lambda c: (name(c.asset_key), c.name)):
        blocking = graph.get_check_spec(check).blocking
        lines.append(f"check {name(check.asset_key)}:{check.name}  blocking={str(blocking).lower()}")
    for job in sorted(d.jobs or [], key=lambda j: j.name):
        keys = d.resolve_job_def(job.name).asset_layer.executable_asset_keys
        lines.append(f"job {job.name}  assets=[{', '.join(sorted(name(k) for k in keys))}]")
    for schedule in sorted(d.schedules or [], key=lambda s: s.name):
        lines.append(f"schedule {schedule.name}  cron={schedule.cron_schedule}  job={schedule.job_name}")
    for sensor in sorted(d.sensors or [], key=lambda s: s.name):
        lines.append(f"sensor {sensor.name}  jobs=[{', '.join(sorted(t.job_name for t in sensor.targets))}]")
    return "\n".join(lines) + "\n"


def test_definitions_match_the_reviewed_snapshot():
    actual = snapshot(defs())
    if os.environ.get("CARTERA_UPDATE_SNAPSHOT"):
        SNAPSHOT.write_text(actual)
    expected = SNAPSHOT.read_text() if SNAPSHOT.exists() else ""
    diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), "snapshot", "now"))
    assert not diff, f"the Dagster graph changed; review and run `make snapshot` to accept:\n{diff}"


def test_groups_follow_layers():
    graph = defs().resolve_asset_graph()
    group = lambda name: graph.get(AssetKey(name)).group_name  # noqa: E731
    raw = [k for k in graph.get_all_asset_keys() if k.to_user_string().startswith("raw_")]
    assert len(raw) == 8 and {graph.get(k).group_name for k in raw} == {"ingestion"}
    assert group("stg_crm__orders") == "staging"
    assert group("int_purchase_occasions") == "intermediate"
    assert group("customer_status") == "marts"
    assert group("retention_report") == "reporting"


def test_gx_suites_are_blocking_checks_and_dbt_tests_are_checks():
    graph = defs().resolve_asset_graph()
    checks = {(c.asset_key.to_user_string(), c.name) for c in graph.asset_check_keys}
    for asset in ["raw_orders", "raw_customers", "customer_status", "customer_profile"]:
        assert (asset, f"gx_{asset}") in checks
    gx_keys = [k for k in graph.asset_check_keys if k.name.startswith("gx_")]
    assert len(gx_keys) == 4 and all(graph.get_check_spec(k).blocking for k in gx_keys)
    clv_check = next(k for k in graph.asset_check_keys if k.name == "clv_model_fitted")
    assert not graph.get_check_spec(clv_check).blocking  # a failed CLV fit must not stop the run
    assert ("customer_status", "assert_every_customer_has_exactly_one_status") in checks
    assert ("customer_status", "column_rules_customer_status_") in checks
    assert ("clv/customer_scores", "clv_model_fitted") in checks
    assert ("customer_clv", "column_rules_customer_clv_") in checks
    assert (
        "customer_profile",
        "relationships_customer_profile_customer_id__customer_id__ref_customer_status_",
    ) in checks
    # singular tests over two marts are checks of customer_clv (meta.dagster.ref), not stray observations
    assert ("customer_clv", "assert_clv_scores_every_buyer") in checks
    assert ("customer_clv", "assert_clv_one_purchase_model_in_use") in checks


def test_report_depends_on_the_published_warehouse_which_depends_on_the_marts():
    graph = defs().resolve_asset_graph()
    assert graph.get(AssetKey("retention_report")).parent_keys == {AssetKey("published_warehouse")}
    assert AssetKey("customer_profile") in graph.get(AssetKey("published_warehouse")).parent_keys
    assert AssetKey("customer_clv") in graph.get(AssetKey("customer_profile")).parent_keys


def test_clv_tables_flow_one_way_python_to_dbt_marts():
    graph = defs().resolve_asset_graph()
    scores = AssetKey(["clv", "customer_scores"])
    assert graph.get(scores).parent_keys == {AssetKey("int_purchase_occasions"), AssetKey("int_as_of")}
    assert graph.get(AssetKey("stg_clv__customer_scores")).parent_keys == {scores}
    assert graph.get(AssetKey("customer_clv")).parent_keys == {AssetKey("stg_clv__customer_scores")}
    assert graph.get(AssetKey("clv_model_params")).parent_keys == {AssetKey("stg_clv__model_params")}
    clv = [k for k in graph.get_all_asset_keys() if k.path[0] == "clv"]
    assert len(clv) == 7 and {graph.get(k).group_name for k in clv} == {"clv"}


def test_staging_models_nothing_reads_are_not_built_so_their_tests_cannot_block_publishing(tmp_path):
    # every staged source is read by some mart today, so the rule is shown on a manifest where one is not
    from dagster_project.defs.transform.assets import UNUSED_STAGING, unused_staging_models

    assert UNUSED_STAGING == []
    model = lambda name, layer: {"name": name, "resource_type": "model", "fqn": ["cartera", layer, name]}  # noqa: E731
    manifest = {
        "nodes": {
            "model.cartera.stg_a": model("stg_a", "staging"),
            "model.cartera.stg_b": model("stg_b", "staging"),
            "model.cartera.stg_c": model("stg_c", "staging"),
            "model.cartera.mart": model("mart", "marts"),
        },
        "child_map": {
            "model.cartera.stg_a": ["model.cartera.mart", "test.cartera.not_null_stg_a_id"],
            "model.cartera.stg_b": ["test.cartera.not_null_stg_b_id"],
            "model.cartera.stg_c": ["exposure.cartera.report"],
            "model.cartera.mart": [],
        },
    }
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(manifest))
    assert unused_staging_models(path) == ["stg_b"]  # a test alone does not make a model used


def test_column_tests_are_one_blocking_check_per_model_that_lists_its_rules():
    """A model's not_null, unique, accepted_values, accepted_range and unique_combination tests run as one dbt test,
    column_rules (defs/transform/column_rules.py): one blocking check per model whose description lists every rule;
    no check of their own, except a rule with severity warn (not blocking, its own test)."""
    graph = defs().resolve_asset_graph()
    by_asset = {}
    for key in graph.asset_check_keys:
        by_asset.setdefault(key.asset_key.to_user_string(), {})[key.name] = graph.get_check_spec(key)
    status = by_asset["customer_status"]
    assert sorted(status) == [
        "assert_every_customer_has_exactly_one_status",
        "column_rules_customer_status_",
        "gx_customer_status",
    ]
    rules = status["column_rules_customer_status_"]
    assert rules.blocking
    assert rules.description.splitlines() == [
        "The 6 column rules of customer_status, in one query (dbt test column_rules):",
        "- days_since_last_order is at least 0 (dbt test accepted_range)",
        "- status is one of: current, active, inactive, potential, probable (dbt test accepted_values)",
        "- as_of is never empty (dbt test not_null)",
        "- customer_id is never empty (dbt test not_null)",
        "- status is never empty (dbt test not_null)",
        "- customer_id is unique: one row per value (dbt test unique)",
    ]
    kinds = ("not_null_", "unique_", "accepted_values_", "accepted_range_")
    own = {
        f"{asset}:{name}": spec.blocking
        for asset, c in by_asset.items()
        for name, spec in c.items()
        if name.startswith(kinds)
    }
    assert own == {  # the four column tests with severity warn: their own check, not blocking
        "stg_crm__customers:unique_stg_crm__customers_customer_id": False,
        "stg_crm__interactions:accepted_values_stg_crm__interactions_channel__phone__email__chatbot__store__web": False,
        "stg_crm__products:unique_stg_crm__products_product_id": False,
        "stg_crm__prospects:unique_stg_crm__prospects_prospect_id": False,
    }
    names = [name for checks in by_asset.values() for name in checks]
    assert sum(name.startswith("column_rules_") for name in names) == 55  # 54 models and the playbook seed


def test_a_model_with_column_tests_but_no_column_rules_is_refused():
    """Production builds leave its column tests out: without column_rules they would not run at all."""
    import pytest

    from dagster_project.defs.transform import column_rules

    def make_test_node(name, kind, attached, severity="ERROR"):
        return {
            "name": name,
            "resource_type": "test",
            "attached_node": attached,
            "test_metadata": {"name": kind},
            "config": {"severity": severity},
        }

    manifest = {
        "nodes": {
            "model.cartera.a": {"name": "a", "resource_type": "model"},
            "model.cartera.b": {"name": "b", "resource_type": "model"},
            "model.cartera.c": {"name": "c", "resource_type": "model"},
            "test.cartera.not_null_a_id": make_test_node("not_null_a_id", "not_null", "model.cartera.a"),
            "test.cartera.column_rules_a_": make_test_node("column_rules_a_", "column_rules", "model.cartera.a"),
            "test.cartera.unique_b_id": make_test_node("unique_b_id", "unique", "model.cartera.b"),
            "test.cartera.unique_c_id": make_test_node("unique_c_id", "unique", "model.cartera.c", severity="warn"),
        }
    }
    assert column_rules.models_missing_column_rules(manifest) == ["b"]  # c's only rule is a warning: its own test
    with pytest.raises(ValueError, match=r"no column_rules test: b: add `data_tests: \[column_rules\]`"):
        column_rules.check_every_model_has_column_rules(manifest)
