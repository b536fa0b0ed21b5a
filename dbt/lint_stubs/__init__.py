"""Stand-ins for Cartera's macros when sqlfluff renders a model with its jinja templater (`make lint` only).

sqlfluff lints the SQL of models and singular tests, not of macros (dbt checks those when it parses). Every
macro in ../macros renders here as a call, `cartera_x(arg, ...)`, which is valid SQL wherever an expression
is, so a new macro needs nothing here. Only macros that return values (the var readers: the defaults from
dbt_project.yml) or whole statements are written out below. dbt's cross-database macros are in dbt.py.
"""

import re
from pathlib import Path

import yaml

_DBT = Path(__file__).resolve().parent.parent
_VARS = yaml.safe_load((_DBT / "dbt_project.yml").read_text())["vars"]
_MACRO = re.compile(r"\{%-?\s*macro\s+([a-z][a-z0-9_]*)\s*\(")


def _as_expression(name):
    def stub(*args, **kwargs):
        parts = [str(a) for a in args if isinstance(a, (str, int, float)) or hasattr(a, "identifier")]
        return f"{name}({', '.join(parts)})"

    return stub


for _path in sorted((_DBT / "macros").glob("*.sql")):
    for _name in _MACRO.findall(_path.read_text()):
        globals()[_name] = _as_expression(_name)


def cartera_var(name):
    return _VARS[name]


def cartera_int_var(name, allow_null=False):
    return _VARS[name]


def cartera_number_var(name, max_value=None):
    return str(_VARS[name])


def cartera_bool_var(name):
    return bool(_VARS[name])


def cartera_date_var(name):
    return "cast(null as date)"


def cartera_identifier_list_var(name):
    return list(_VARS[name])


def cartera_latest_record(relation, key_column):
    return f"select * from {relation} qualify row_number() over (partition by {key_column}) = 1"


def cartera_expand_periods(relation, key_column, max_period_column):
    return f"select {key_column}, unnest(generate_series(0, {max_period_column})) as period_number from {relation}"


def cartera_alert_types():
    return [
        {"alert_type": "spend_drop", "source": "orders", "kind": None},
        {"alert_type": "complaint", "source": "interactions", "kind": "complaint"},
        {"alert_type": "detractor", "source": "surveys", "kind": None},
    ]


def cartera_alert_evaluations(eligible):
    return (
        "select customer_id, eval_date, 'spend_drop' as alert_type, 'high' as severity, 0 as signal_value, "
        f"0 as baseline_value, 0 as threshold_value from {eligible}"
    )


def cartera_vars_in_force_rows():
    return "select 'active_window_days' as var_name, 'integer' as var_type, '90' as var_value"


def cartera_rewritten_history_config():
    return {"incremental_strategy": "delete+insert"}


def cartera_occasions_config():
    return {"materialized": "incremental"}
