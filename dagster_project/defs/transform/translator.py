"""How dbt nodes appear in Dagster: asset keys, groups, descriptions. Built from small rules, no
special cases per model."""

from collections.abc import Mapping
from typing import Any

from dagster import AssetKey
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings

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


class CarteraDbtTranslator(DagsterDbtTranslator):
    def __init__(self):
        super().__init__(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        return asset_key_for(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return group_for(dbt_resource_props)
