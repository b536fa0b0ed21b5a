"""The vars in force as words: windows, shares and the fallback for a warehouse without marts.vars_in_force."""

from statistics import NormalDist

import duckdb

from dagster_project.lib.clv.scoring import INTERVAL_LEVEL, Z90
from dagster_project.lib.report.formatting import format_days
from dagster_project.lib.report.vars_in_force import contract_defaults, read_vars_in_force, var_words


def test_a_window_of_whole_years_reads_in_months_anything_else_in_days():
    assert format_days(365, "en") == "12 months" and format_days(730, "es") == "24 meses"
    assert format_days(60, "en") == "60 days" and format_days(364, "es") == "364 días"
    assert format_days(1000, "es") == "1.000 días"


def test_default_vars_read_as_the_report_always_said():
    words = var_words(contract_defaults(), "en", "€")
    assert words["active_window"] == "90 days" and words["volume_window"] == "12 months"
    assert words["pareto_share"] == "80%" and words["pareto_period"] == "the last 12 months"
    assert words["spend_drop_min_revenue"] == "€0" and words["outcome_months"] == "3"
    assert var_words(contract_defaults(), "es")["pareto_share"] == "80\xa0%"


def test_all_history_when_the_pareto_window_is_null():
    values = {**contract_defaults(), "pareto_window_days": None}
    assert var_words(values, "es")["pareto_period"] == "todo el historial"


def test_the_warehouse_vars_override_the_defaults_and_missing_ones_fall_back():
    con = duckdb.connect()
    assert read_vars_in_force(con) == contract_defaults()  # a warehouse published before the table existed
    con.execute("create schema marts")
    con.execute("create table marts.vars_in_force (var_name varchar, var_type varchar, var_value varchar)")
    con.execute("insert into marts.vars_in_force values ('pareto_share', 'number', '0.7'), ('as_of', 'date', 'null')")
    values = read_vars_in_force(con)
    assert values["pareto_share"] == 0.7 and values["as_of"] is None
    assert values["active_window_days"] == contract_defaults()["active_window_days"]


def test_the_stated_interval_level_is_the_one_the_scores_use():
    assert abs(NormalDist().inv_cdf(0.5 + INTERVAL_LEVEL / 2) - Z90) < 1e-9
