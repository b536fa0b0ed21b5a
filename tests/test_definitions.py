"""Snapshot of the Dagster graph: a change to assets, checks, jobs or schedules is a visible diff here."""

from dagster import AssetKey

from dagster_project.definitions import build_definitions
from dagster_project.settings import Settings

RAW = [
    "raw_actions",
    "raw_customers",
    "raw_interactions",
    "raw_order_lines",
    "raw_orders",
    "raw_products",
    "raw_prospects",
    "raw_surveys",
]
DBT = [
    "stg_crm__actions",
    "stg_crm__customers",
    "stg_crm__interactions",
    "stg_crm__order_lines",
    "stg_crm__orders",
    "stg_crm__products",
    "stg_crm__prospects",
    "int_as_of",
    "int_customer_interactions_counted",
    "int_customer_orders_summarized",
    "int_customers_unioned",
    "int_purchase_occasions",
    "cohort_retention",
    "customer_frequency",
    "customer_profile",
    "customer_status",
    "customer_volume",
    "pareto_customers",
    "pareto_summary",
    "customer_value_alerts",
    "int_month_ends",
    "int_customer_month_end_windows",
    "segment_snapshots",
    "stg_clv__customer_scores",
    "stg_clv__model_params",
    "stg_clv__model_comparison",
    "stg_clv__holdout",
    "stg_clv__holdout_by_frequency",
    "stg_clv__holdout_curve",
    "customer_clv",
    "clv_model_params",
    "clv_model_comparison",
    "clv_holdout",
    "clv_holdout_by_frequency",
    "clv_holdout_curve",
    "int_segment_transitions_counted",
    "churn_by_period",
    "growth_scenarios",
    "retention_value",
    "lifecycle_stages",
    "lifecycle_summary",
    "segment_migration",
    "segment_leakage",
    "pareto_insights",
    "stg_crm__surveys",
    "int_customer_alerts_raised",
    "int_customer_items_bought",
    "int_customer_preferred_touch_points",
    "int_action_outcomes",
    "int_survey_answers_monthly",
    "int_customer_latest_surveys",
    "retention_playbook",
    "early_alerts",
    "alert_history",
    "alert_effectiveness",
    "retention_actions",
    "action_results",
    "nps_monthly",
    "product_affinity",
    "next_best_offer",
]
# The customer-value multi-asset: one asset per table of schema clv (dbt reads them as source `clv`).
CLV = [
    "clv/customer_scores",
    "clv/model_params",
    "clv/model_fit_history",
    "clv/model_comparison",
    "clv/holdout",
    "clv/holdout_by_frequency",
    "clv/holdout_curve",
]
PYTHON = ["published_warehouse", "retention_report"]


def defs():
    return build_definitions(Settings.from_env(env={}))


def test_asset_keys():
    keys = {k.to_user_string() for k in defs().resolve_asset_graph().get_all_asset_keys()}
    assert keys == set(RAW + DBT + CLV + PYTHON)


def test_groups_follow_layers():
    graph = defs().resolve_asset_graph()
    group = lambda name: graph.get(AssetKey(name)).group_name  # noqa: E731
    assert {group(k) for k in RAW} == {"ingestion"}
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
    assert ("customer_status", "unique_customer_status_customer_id") in checks
    assert ("clv/customer_scores", "clv_model_fitted") in checks
    assert ("customer_clv", "unique_customer_clv_customer_id") in checks
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
    assert {g for g in (graph.get(AssetKey(k.split("/"))).group_name for k in CLV)} == {"clv"}


def test_jobs_and_schedules():
    d = defs()
    assert {s.name: s.cron_schedule for s in d.schedules} == {
        "nightly_refresh_0200": "0 2 * * *",
        "weekly_report_monday_0700": "0 7 * * 1",
    }
    assert {j.name for j in d.jobs} == {"cartera_all", "nightly_refresh", "weekly_report"}
    assert [s.name for s in d.sensors] == ["landing_folder_sensor"]
