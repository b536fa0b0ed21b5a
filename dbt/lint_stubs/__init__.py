"""Stand-ins for Cartera's macros when sqlfluff renders a model with its jinja templater (`make lint` only).

sqlfluff lints the SQL of models and singular tests, not of macros: each macro a model calls renders here to a
plain SQL expression of the same shape, and the var readers return the defaults from dbt_project.yml. A model
calling a macro missing here fails `make lint` with "'cartera_x' is undefined": add a stub below (one line).
dbt's cross-database macros (dbt.cast, dbt.datediff, ...) are in dbt.py next to this file.
"""

from pathlib import Path

import yaml

_VARS = yaml.safe_load((Path(__file__).resolve().parent.parent / "dbt_project.yml").read_text())["vars"]


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


def cartera_in_last_days(date_column, eval_date, days):
    return f"({date_column} <= {eval_date} and {date_column} > {eval_date} - {days})"


def cartera_occasion_aggregates(occasion_date, revenue, eval_date):
    return f"count({occasion_date}) as occasions, sum({revenue}) as net_revenue"


def cartera_customer_status(last_order_date, eval_date, occasions_recurrence_window, *flags):
    return f"case when {last_order_date} <= {eval_date} then 'active' else 'inactive' end"


def cartera_volume_tier(net_revenue, mean_revenue):
    return f"case when {net_revenue} >= 2 * {mean_revenue} then 'very_high' else 'low' end"


def cartera_mean_days_between(first_order_date, last_order_date, occasions):
    return f"date_diff('day', {first_order_date}, {last_order_date}) / nullif({occasions} - 1, 0)"


def cartera_frequency_tier(mean_days_between):
    return f"case when {mean_days_between} <= 30 then 'frequent' else 'occasional' end"


def cartera_mask_personal_data(column, kind):
    return column


def cartera_latest_record(relation, key_column):
    return f"select * from {relation} qualify row_number() over (partition by {key_column}) = 1"


def cartera_expand_periods(relation, key_column, max_period_column):
    return f"select {key_column}, unnest(generate_series(0, {max_period_column})) as period_number from {relation}"
