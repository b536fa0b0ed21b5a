"""The business vars' contract, read from dbt/dbt_project.yml: defaults, types, bounds, relations.

dbt applies the same contract in dbt/macros/vars.sql (`cartera_vars_problem`); both build the same one-line
message, and tests/unit/test_var_contract.py checks that Python and dbt accept and refuse the same values.
Declare a var in dbt_project.yml only: its default under `vars:`, its type and bounds in `cartera_var_contract`.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

CONTRACT_VAR = "cartera_var_contract"
RULES_VAR = "cartera_var_rules"
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_OPERATORS = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b}


class VarError(ValueError):
    """A var value breaks the contract; the message is one line naming the var."""


@dataclass(frozen=True)
class VarContract:
    defaults: dict[str, Any]
    specs: dict[str, dict[str, Any]]
    rules: list[tuple[str, str, str]]

    @classmethod
    def from_project(cls, dbt_project_yml: Path) -> VarContract:
        vars_ = yaml.safe_load(dbt_project_yml.read_text(encoding="utf-8"))["vars"]
        specs = vars_[CONTRACT_VAR]
        missing = [name for name in specs if name not in vars_]
        if missing or set(vars_) - set(specs) - {CONTRACT_VAR, RULES_VAR}:
            raise VarError(f"{dbt_project_yml}: every var needs a default and a contract entry ({missing or ''})")
        rules = [(left, op, right) for left, op, right in vars_.get(RULES_VAR, [])]
        return cls({name: vars_[name] for name in specs}, specs, rules)

    def names(self) -> list[str]:
        return list(self.specs)

    def check_overrides(self, overrides: Any) -> dict[str, Any]:
        """Validate user overrides (unknown names refused) together with the defaults; returns a clean copy."""
        if not isinstance(overrides, dict):
            raise VarError('--vars must be a JSON object such as {"active_window_days": 60}')
        for key in overrides:
            if key not in self.specs:
                raise VarError(f"unknown var {key!r}; known vars: {', '.join(sorted(self.specs))}")
        problem = self.problem(self.resolve(overrides))
        if problem:
            raise VarError(problem)
        return dict(overrides)

    def resolve(self, overrides: dict[str, Any]) -> dict[str, Any]:
        """Every var's value in force: the defaults with the overrides applied."""
        return {**self.defaults, **{k: v for k, v in overrides.items() if k in self.specs}}

    def problem(self, values: dict[str, Any]) -> str:
        """The first broken rule for a full set of values, as one line; '' when all hold."""
        for name, spec in self.specs.items():
            if not value_ok(values.get(name), spec):
                return f"var {name} must be {expectation(spec)}, not {_show(values.get(name))}"
        for left, op, right in self.rules:
            a, b = values[left], values[right]
            if a is not None and b is not None and not _OPERATORS[op](a, b):
                return f"var {left} must be {op} {right} ({_show(b)}), not {_show(a)}"
        return ""


def _show(value: Any) -> str:
    """A value as dbt's tojson() shows it (json.dumps), so both sides print the same message."""
    try:
        return json.dumps(value)
    except (TypeError, ValueError):
        return repr(value)


def value_ok(value: Any, spec: dict[str, Any]) -> bool:
    """Whether one value satisfies its var's spec (the same tests as dbt's `_cartera_var_ok`)."""
    if value is None:
        return bool(spec.get("allow_null", False))
    kind = spec["type"]
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "date":
        return isinstance(value, str) and _is_calendar_date(value)
    if kind == "choice":
        return isinstance(value, str) and value in spec["values"]
    if kind == "identifier_list":
        return (
            isinstance(value, list)
            and 1 <= len(value) <= spec["max_items"]
            and all(isinstance(v, str) and re.fullmatch(spec["pattern"], v) for v in value)
            and len(set(value)) == len(value)
        )
    if kind == "number_list":
        item_spec = {k: v for k, v in spec.items() if k in ("min", "greater_than", "max")} | {"type": "number"}
        return (
            isinstance(value, list)
            and 1 <= len(value) <= spec["max_items"]
            and all(v is not None and value_ok(v, item_spec) for v in value)
            and len(set(value)) == len(value)
        )
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    if kind == "integer" and not isinstance(value, int):
        return False
    if isinstance(value, float) and not math.isfinite(value):
        return False
    return (
        ("min" not in spec or value >= spec["min"])
        and ("greater_than" not in spec or value > spec["greater_than"])
        and ("max" not in spec or value <= spec["max"])
    )


def _is_calendar_date(text: str) -> bool:
    if not _DATE.fullmatch(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def expectation(spec: dict[str, Any]) -> str:
    """What a var must be, in words (dbt's `_cartera_var_expectation` says the same)."""
    kind = spec["type"]
    if kind == "boolean":
        text = "true or false"
    elif kind == "date":
        text = "a date 'YYYY-MM-DD'"
    elif kind == "choice":
        text = "one of " + ", ".join(spec["values"])
    elif kind == "identifier_list":
        text = f"a list of 1 to {spec['max_items']} distinct identifiers matching {spec['pattern']}"
    else:
        bounds = [
            f"{op} {spec[key]}" for key, op in (("min", ">="), ("greater_than", ">"), ("max", "<=")) if key in spec
        ]
        text = ("an integer" if kind == "integer" else "a number") + "".join(
            (" " if i == 0 else " and ") + b for i, b in enumerate(bounds)
        )
        if kind == "number_list":
            text = f"a list of 1 to {spec['max_items']} distinct numbers, each " + text.removeprefix("a number ")
    return text + (" or null" if spec.get("allow_null") else "")
