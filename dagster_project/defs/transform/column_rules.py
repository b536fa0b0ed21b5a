"""The column rules of a model as one dbt test (dbt/tests/generic/column_rules.sql): which tests it covers, the
selection that leaves those out of production builds, its check's description, and the one line that says
which rule failed.

A dbt test node costs ~40 ms whatever its SQL; a not_null on a staging table costs 1-2 ms. So production builds
run one `column_rules` test per model (its query counts every rule) instead of the ~290 column tests it covers,
and Dagster shows one blocking check per model. The rules stay declared once, in the models' yml (dbt docs and
`dbt test` still show and run them one by one).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

TEST_NAME = "column_rules"
# The generic tests column_rules runs (same macro, same SQL); relationships (another model) and singular tests
# keep their own nodes.
KINDS = ("not_null", "unique", "accepted_values", "accepted_range", "unique_combination")
# dbt selection of the tests it covers: excluded from production builds (their rules run inside column_rules).
COVERED_SELECTION = " ".join(f"test_name:{kind},config.severity:error" for kind in KINDS)
# What one failing "row" of each rule's own query is (dbt counts those rows).
_UNITS = {"unique": "duplicated value", "accepted_values": "value", "unique_combination": "duplicated combination"}


def _severity(props: Mapping[str, Any]) -> str:
    return ((props.get("config") or {}).get("severity") or "error").lower()


def _kind(props: Mapping[str, Any]) -> str | None:
    return (props.get("test_metadata") or {}).get("name")


def is_covered(props: Mapping[str, Any]) -> bool:
    """A column test whose rule runs inside its model's column_rules test (the COVERED_SELECTION rule)."""
    return props.get("resource_type") == "test" and _kind(props) in KINDS and _severity(props) == "error"


def is_column_rules(props: Mapping[str, Any]) -> bool:
    return props.get("resource_type") == "test" and _kind(props) == TEST_NAME


def covered_tests(manifest: Mapping[str, Any], attached_node: str, severity: str = "error") -> list[dict]:
    """The tests one column_rules test runs, in its order (by name)."""
    return sorted(
        (
            n
            for n in manifest["nodes"].values()
            if n["resource_type"] == "test"
            and n.get("attached_node") == attached_node
            and _kind(n) in KINDS
            and _severity(n) == severity
        ),
        key=lambda n: n["name"],
    )


def models_missing_column_rules(manifest: Mapping[str, Any]) -> list[str]:
    """Models (and seeds) with covered tests but no column_rules test: production would run none of their rules."""
    nodes = manifest["nodes"]
    covered = {n.get("attached_node") for n in nodes.values() if is_covered(n)}
    consolidated = {n.get("attached_node") for n in nodes.values() if is_column_rules(n) and _severity(n) == "error"}
    return sorted(nodes[uid]["name"] if uid in nodes else str(uid) for uid in covered - consolidated)


def check_every_model_has_column_rules(manifest: Mapping[str, Any]) -> None:
    missing = models_missing_column_rules(manifest)
    if missing:
        raise ValueError(
            f"dbt models with column tests but no column_rules test: {', '.join(missing)}: add "
            "`data_tests: [column_rules]` to each in its yml (README, Quality gates); without it their column "
            "tests would not run in production builds"
        )


def describe(manifest: Mapping[str, Any], props: Mapping[str, Any], describe_test) -> str:
    """The check's description: the rules it runs, one per line (each as its own test's description)."""
    model = manifest["nodes"].get(props.get("attached_node"), {}).get("name", "?")
    rules = covered_tests(manifest, props.get("attached_node"), _severity(props))
    lines = [f"The {len(rules)} column rules of {model}, in one query (dbt test {TEST_NAME}):"]
    lines += [f"- {describe_test(rule)}" for rule in rules]
    return "\n".join(lines)


def failure_line(
    model: str, rows: Sequence[Sequence[Any]], nodes_by_name: Mapping[str, Mapping[str, Any]], describe_test
) -> str:
    """One line for a failed column_rules test from its query's rows (test_name, rule_name, column_name,
    failing_rows): "stg_crm__actions.action_group: accepted_values failed on 1 value (action_group is one of:
    treatment, control; dbt test accepted_values_stg_crm__actions_action_group__treatment__control)"."""
    parts = []
    for test_name, rule, column, count in rows:
        unit = _UNITS.get(rule, "row")
        rule_props = nodes_by_name.get(test_name)
        what = describe_test(rule_props).removesuffix(f" (dbt test {rule})") if rule_props else rule
        where = f"{model} ({column})" if ", " in column else f"{model}.{column}"
        plural = "" if count == 1 else "s"
        parts.append(f"{where}: {rule} failed on {count:,} {unit}{plural} ({what}; dbt test {test_name})")
    return "; ".join(parts)
