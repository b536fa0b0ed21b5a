"""column_rules (dbt/tests/generic/column_rules.sql): a model's column tests in one query fail exactly when,
and by as much as, the tests themselves do; real dbt on a copy of the slice's working warehouse, with bad rows
written into marts.customer_status.

customer_status's covered tests: not_null on as_of, customer_id and status; unique customer_id; status in
(current, active, inactive, potential, probable); days_since_last_order >= 0. Written into the copy:
C001's row twice (1 duplicated value), P1 'lost' (1 value outside the list), C009 status null (1 row; a null is
not "outside the list"), C003 days_since_last_order -1 (1 row): 4 failing rows over 4 rules, as_of and
customer_id not null still pass.
"""

import shutil
from pathlib import Path

import duckdb
import pytest

from dagster_project.defs.transform import column_rules
from dagster_project.defs.transform.in_process import COMMON_FLAGS, _close_duckdb, _project_args, loaded_manifest
from dagster_project.lib.environ import environment
from dagster_project.project import dbt_project

BAD_ROWS = """
    INSERT INTO marts.customer_status SELECT * FROM marts.customer_status WHERE customer_id = 'C001';
    UPDATE marts.customer_status SET status = 'lost' WHERE customer_id = 'P1';
    UPDATE marts.customer_status SET status = NULL WHERE customer_id = 'C009';
    UPDATE marts.customer_status SET days_since_last_order = -1 WHERE customer_id = 'C003';
"""


def dbt_test(work_db, select: str) -> dict:
    """`dbt test --select <select>` in this process on `work_db`: {test name: (status, failures, node)}."""
    from dbt.cli.main import dbtRunner

    project_dir, profiles_dir, target_path = dbt_project.project_dir, dbt_project.profiles_dir, dbt_project.target_path
    manifest = loaded_manifest(project_dir, profiles_dir, target_path, str(work_db))
    argv = ["test", "--select", select, *COMMON_FLAGS, *_project_args(project_dir, profiles_dir, target_path)]
    try:
        with environment({"CARTERA_WORK_DB": str(work_db)}):
            res = dbtRunner(manifest=manifest).invoke(argv)
    finally:
        _close_duckdb()
    assert res.result is not None, res.exception
    return {
        r.node.name: (str(r.status), r.failures, r.node) for r in res.result.results if r.node.resource_type == "test"
    }


@pytest.fixture(scope="module")
def bad_status(slice_run, tmp_path_factory):
    work_db = tmp_path_factory.mktemp("column_rules") / "cartera.duckdb"  # same name: dbt's catalog is its stem
    shutil.copy2(slice_run.settings.work_db, work_db)
    con = duckdb.connect(str(work_db))
    con.execute(BAD_ROWS)
    con.close()
    return work_db, dbt_test(work_db, "customer_status,test_type:generic")


def rows_of(work_db, node) -> list[tuple]:
    con = duckdb.connect(str(work_db), read_only=True)
    try:
        return sorted(con.execute(node.compiled_code).fetchall())
    finally:
        con.close()


def test_column_rules_passes_on_the_clean_slice(slice_run, tmp_path):
    work_db = tmp_path / "cartera.duckdb"
    shutil.copy2(slice_run.settings.work_db, work_db)
    results = dbt_test(work_db, "test_name:column_rules")
    assert len(results) >= 50  # one per model and seed with column tests
    assert {status for status, _, _ in results.values()} == {"pass"}


def test_column_rules_fails_with_one_row_per_failing_rule(bad_status):
    work_db, results = bad_status
    status, failures, node = results["column_rules_customer_status_"]
    assert (status, failures) == ("fail", 4)  # dbt's count: the failing rows of all its rules
    assert rows_of(work_db, node) == [
        ("accepted_range_customer_status_days_since_last_order__0", "accepted_range", "days_since_last_order", 1),
        (
            "accepted_values_customer_status_status__current__active__inactive__potential__probable",
            "accepted_values",
            "status",
            1,
        ),
        ("not_null_customer_status_status", "not_null", "status", 1),
        ("unique_customer_status_customer_id", "unique", "customer_id", 1),
    ]


def test_column_rules_counts_what_each_test_counts(bad_status):
    """The same data, the tests run one by one (as `dbt test` in development runs them): same verdicts, same
    counts, rule by rule."""
    work_db, results = bad_status
    _, _, node = results["column_rules_customer_status_"]
    consolidated = {name: count for name, _, _, count in rows_of(work_db, node)}
    individual = {
        name: failures for name, (status, failures, n) in results.items() if column_rules.is_covered(n.to_dict())
    }
    assert len(individual) == 6
    assert individual == {name: consolidated.get(name, 0) for name in individual}


def test_failure_line_names_model_column_rule_and_count(bad_status):
    from dagster_project.defs.transform.translator import describe_test

    work_db, results = bad_status
    _, _, node = results["column_rules_customer_status_"]
    tests = {name: n.to_dict() for name, (_, _, n) in results.items()}
    line = column_rules.failure_line("customer_status", rows_of(work_db, node), tests, describe_test)
    assert "\n" not in line
    assert (
        "customer_status.status: accepted_values failed on 1 value (status is one of: current, active, "
        "inactive, potential, probable; dbt test accepted_values_customer_status_status__current__active__inactive"
        "__potential__probable)"
    ) in line
    assert "customer_status.customer_id: unique failed on 1 duplicated value" in line
    assert "customer_status.status: not_null failed on 1 row (status is never empty;" in line
    assert "customer_status.days_since_last_order: accepted_range failed on 1 row" in line


def test_production_builds_leave_out_exactly_the_tests_column_rules_runs():
    """dbt's own selection of COVERED_SELECTION (what `_build` excludes) is column_rules.is_covered (what the
    translator drops and the macro runs): a test in one and not the other would run twice or never."""
    import json

    from dbt.cli.main import dbtRunner

    project_dir, profiles_dir, target_path = dbt_project.project_dir, dbt_project.profiles_dir, dbt_project.target_path
    manifest = loaded_manifest(project_dir, profiles_dir, target_path, "cartera.duckdb")
    args = [*COMMON_FLAGS, *_project_args(project_dir, profiles_dir, target_path), "--output", "json", "--quiet"]
    select = ["--resource-type", "test", "--output-keys", "unique_id"]
    every = dbtRunner(manifest=manifest).invoke(["ls", *select, *args]).result
    kept = (
        dbtRunner(manifest=manifest).invoke(["ls", *select, "--exclude", column_rules.COVERED_SELECTION, *args]).result
    )
    excluded = {json.loads(x)["unique_id"] for x in every} - {json.loads(x)["unique_id"] for x in kept}
    nodes = json.loads(Path(dbt_project.manifest_path).read_text())["nodes"]
    assert excluded == {uid for uid, n in nodes.items() if column_rules.is_covered(n)}
    assert len(excluded) == 284  # 288 column tests, less the 4 with severity warn (they keep their own check)


def test_a_where_config_is_applied_and_a_limit_is_refused_naming_the_test(tmp_path):
    """A column test's `where` filters its rule inside column_rules as dbt's get_where_subquery does; a setting
    column_rules cannot apply to one rule of its query (limit, thresholds, store_failures) stops the build with a
    compilation error naming the test, instead of being silently dropped. On a copy of the project."""
    from dbt.cli.main import dbtRunner

    project = tmp_path / "dbt"
    shutil.copytree(dbt_project.project_dir, project, ignore=shutil.ignore_patterns("target", "logs"))
    yml = project / "models" / "staging" / "crm" / "_crm__models.yml"
    text = yml.read_text()
    for column, config in [("action_date", "{where: \"action_type <> 'call'\"}"), ("order_date", "{limit: 5}")]:
        before, after = text.split(f"      - name: {column}\n", 1)
        description, rest = after.split("\n", 1)
        rest = rest.removeprefix("        data_tests: [not_null]\n")
        test = f"        data_tests:\n          - not_null:\n              config: {config}\n"
        text = f"{before}      - name: {column}\n{description}\n{test}{rest}"
    yml.write_text(text)
    args = ["--project-dir", str(project), "--profiles-dir", str(project), "--target-path", str(tmp_path / "target")]
    with environment({"CARTERA_WORK_DB": str(tmp_path / "cartera.duckdb")}):
        actions = dbtRunner().invoke(["compile", "-s", "test_name:column_rules,stg_crm__actions", *COMMON_FLAGS, *args])
        orders = dbtRunner().invoke(["compile", "-s", "test_name:column_rules,stg_crm__orders", *COMMON_FLAGS, *args])
    _close_duckdb()
    assert actions.success
    [compiled] = [r.node.compiled_code for r in actions.result.results]
    assert "select action_date\nfrom (select * from " in compiled
    assert "stg_crm__actions\" where action_type <> 'call') dbt_subquery\nwhere action_date is null" in compiled
    assert not orders.success
    assert "column_rules: the test not_null_stg_crm__orders_order_date sets limit, which column_rules cannot" in str(
        orders.exception or orders.result
    )


def test_a_run_evaluates_one_column_rules_check_per_model_and_no_column_test_of_its_own(slice_run):
    """The production build leaves the covered column tests out (they would otherwise run a second time, each a
    dbt node, and surface as stray observations): a run's check evaluations are the column_rules checks and the
    other tests."""
    events = slice_run.result.all_events
    evaluated = [e.event_specific_data.check_name for e in events if e.event_type_value == "ASSET_CHECK_EVALUATION"]
    observed = [e for e in events if e.event_type_value == "ASSET_OBSERVATION"]
    assert sum(name.startswith("column_rules_") for name in evaluated) == 55
    assert not [n for n in evaluated if n.startswith(("not_null_", "accepted_range_", "unique_combination_"))]
    assert observed == []
