"""How dbt nodes appear in Dagster: asset keys, groups, descriptions. Built from small rules, no
special cases per model."""

import re
from collections.abc import Mapping
from typing import Any

from dagster import AssetCheckSpec, AssetKey, AssetSpec
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings

from . import column_rules

RAW_SOURCE = "crm"  # dbt source whose tables are the raw_<table> ingestion assets


def asset_key_for(props: Mapping[str, Any]) -> AssetKey:
    """A node's meta.dagster.asset_key when declared (tables written by Python assets); raw tables are
    `raw_<table>`; dbt models keep their own name."""
    declared = ((props.get("meta") or {}).get("dagster") or {}).get("asset_key")
    if declared:
        return AssetKey(declared)
    if props["resource_type"] == "source":
        name = props["name"]
        return AssetKey(f"raw_{name}" if props["source_name"] == RAW_SOURCE else name)
    return AssetKey(props.get("alias") or props["name"])


def group_for(props: Mapping[str, Any]) -> str | None:
    """The folder under models/ (staging, intermediate, marts)."""
    fqn = props.get("fqn") or []
    return fqn[1] if props["resource_type"] == "model" and len(fqn) > 2 else None


def _ref_name(text: str) -> str:
    """ "ref('customer_status')" -> "customer_status"."""
    match = re.search(r"ref\(\s*['\"]([^'\"]+)['\"]", str(text))
    return match.group(1) if match else str(text)


def describe_test(props: Mapping[str, Any]) -> str:
    """What a dbt test asserts, in a sentence (for its asset check in the UI): the test's own description
    when it has one, else one built from the generic test and its arguments, or from a singular test's name."""
    if props.get("description"):
        return props["description"]
    meta = props.get("test_metadata") or {}
    kw, name = meta.get("kwargs") or {}, meta.get("name")
    column = kw.get("column_name") or props.get("column_name") or "?"
    sentences = {
        "not_null": lambda: f"{column} is never empty",
        "unique": lambda: f"{column} is unique: one row per value",
        "accepted_values": lambda: f"{column} is one of: {', '.join(map(str, kw.get('values', [])))}",
        "relationships": lambda: f"every {column} exists in {_ref_name(kw.get('to'))}.{kw.get('field')}",
        "accepted_range": lambda: (
            f"{column} is {'at least' if kw.get('inclusive', True) else 'above'} {kw['min_value']}"
            if "max_value" not in kw
            else f"{column} is between {kw.get('min_value', '-inf')} and {kw['max_value']}"
        ),
        "unique_combination": lambda: f"one row per {', '.join(kw.get('columns', []))}",
    }
    if name in sentences:
        return f"{sentences[name]()} (dbt test {name})"
    if name:
        return f"dbt test {name} on {column}"
    words = re.sub(r"^assert_", "", props["name"]).replace("_", " ")
    return f"{words[:1].upper()}{words[1:]} (dbt singular test, dbt/tests/{props['name']}.sql)"


class CarteraDbtTranslator(DagsterDbtTranslator):
    def __init__(self):
        super().__init__(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        return asset_key_for(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return group_for(dbt_resource_props)

    def get_asset_check_spec(
        self, asset_spec: AssetSpec, manifest: Mapping[str, Any], unique_id: str, project
    ) -> AssetCheckSpec | None:
        """dagster-dbt's check, with a description saying what the test asserts. A column test whose rule runs
        inside its model's column_rules test has no check of its own (column_rules.py)."""
        props = manifest["nodes"][unique_id]
        if column_rules.is_covered(props):
            return None
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None or spec.description:
            return spec
        if column_rules.is_column_rules(props):
            return spec._replace(description=column_rules.describe(manifest, props, describe_test))
        return spec._replace(description=describe_test(props))
