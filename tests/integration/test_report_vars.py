"""Every number a sentence states comes from the vars in force: the real pipeline on the actions portfolio
(actions_portfolio.py) with NON-default vars, and the report, the action list, the xlsx headers and the email
read in English and Spanish. The defaults (90 days, 80%, 12 months of revenue, 30-day signals, 3 months
later ...) must not appear where a var is stated.

Hand-worked at as_of 2026-06-30 with these vars:
  active_window_days 60 -> bought in (05-01, 06-30]: K1 (05-10, 05-20), K2, K3, K4, K5, K6, L1..L4 = 10 active
     customers (with the default 90 also T4 04-15 and C2 04-20: 12).
  pareto_share 0.6 over 200 days (every order is in 2026): W1 5000 / 10580 = 0.4726, + L1 2000 -> 0.6616
     >= 0.6 -> the top group is W1, L1: 2 of 20 buyers = 10% (with 0.8 it would be 3).
  signal_window_days 14 -> K3's complaint on 06-20 is in (06-16, 06-30]: "in the last 14 days".
"""

from __future__ import annotations

import re

import duckdb
import pytest

from tests.conftest import run_cartera
from tests.language import chart_texts, visible_text

from .actions_portfolio import RUN_VARS, write_actions_portfolio

VARS = {
    **RUN_VARS,
    "active_window_days": 60,
    "recurrence_window_days": 300,
    "volume_window_days": 180,
    "frequency_frequent_max_days": 20,
    "frequency_habitual_max_days": 75,
    "pareto_share": 0.6,
    "pareto_window_days": 200,
    "alert_p_alive_max": 0.4,
    "alert_min_value_share": 0.25,
    "alert_window_days": 60,
    "spend_drop_ratio": 0.4,
    "signal_window_days": 14,
    "alert_outcome_months": 2,
    "lifecycle_onboarding_days": 120,
    "lifecycle_trend_window_days": 240,
}


@pytest.fixture(scope="session")
def vars_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("report_vars")
    run = run_cartera(write_actions_portfolio(root / "landing"), root, dbt_vars=VARS, lang="en", currency="€")
    assert run.success, "the pipeline failed on the actions portfolio with non-default vars"
    return run


@pytest.fixture(scope="session")
def reports(vars_run):
    """The report as the run wrote it (English) and the same warehouse rendered in Spanish, with the text
    drawn inside the charts of each."""
    from dagster_project.lib.report.data import collect_report_data
    from dagster_project.lib.report.render import render_report

    con = duckdb.connect(str(vars_run.settings.warehouse), read_only=True)
    try:
        data = collect_report_data(con)
    finally:
        con.close()
    pages = {}  # (visible text with every run of white space, no-break spaces too, as one space; chart text)
    for lang in ("en", "es"):
        with chart_texts() as texts:
            html = render_report(data, None, currency="€", lang=lang)
        pages[lang] = (re.sub(r"\s+", " ", visible_text(html)), " | ".join(texts))
    written = (vars_run.settings.reports / "latest.html").read_text(encoding="utf-8")
    assert re.sub(r"\s+", " ", visible_text(written)) == pages["en"][0]  # the run's own report says the same
    return pages


def test_vars_in_force_holds_what_the_run_used(vars_run):
    rows = dict(vars_run.query("select var_name, var_value from marts.vars_in_force"))
    assert rows["active_window_days"] == "60" and rows["pareto_share"] == "0.6" and rows["alert_window_days"] == "60"
    assert rows["as_of"] == "null"  # not set: the latest order date
    assert rows["clv_holdout_days"] == "182"  # not overridden: the default from dbt_project.yml
    assert rows["interaction_kinds"] == '["support_call", "complaint", "billing_error", "survey_unhappy", "inquiry"]'
    from dagster_project.settings import var_contract

    assert set(rows) == set(var_contract().names())


def test_the_marts_follow_the_vars(vars_run, reports):
    text, _ = reports["en"]
    assert "Active customers 10 " in text  # 60-day window (12 with the default 90)
    assert "Customers making 60% of revenue 2 10% of your buyers" in text  # W1 + L1 of 20 buyers


def test_english_report_states_the_vars_in_force(reports):
    text, charts = reports["en"]
    for sentence in [
        "bought in the last 60 days and at least 2 times in the last 300 days",
        "but not in the last 60 days",
        "each group's revenue over the last 180 days",
        "Revenue, last 180 days",
        "come back within 20 days, habitual ones within 75 days",
        "make up 60% of the revenue of the last 200 days",
        "revenue in the last 60 days below 40% of the 60 days before (when that was above €0)",
        "a complaint in the last 14 days",
        "inactive 2 months later",
        "Onboarding: first 120 days. Growth or decline: spending over the last 240 days",
    ]:
        assert sentence in text
    assert "60% of revenue" in charts and "of buyers make 60% of revenue" in charts  # the Pareto chart's words
    # (action results are measured 30, 60 and 90 days after an action: those 90 days are the mart's horizons)
    for default in ["last 90 days", "80%", "last 12 months", "last 365 days", "last 30 days", "3 months later"]:
        assert default not in text and default not in charts


def test_spanish_report_states_the_vars_in_force(reports):
    text, charts = reports["es"]
    for sentence in [
        "ha comprado en los últimos 60 días y al menos 2 veces en los últimos 300 días",
        "Ingresos, últimos 180 días",
        "Clientes que generan el 60 % de los ingresos",
        "generan el 60 % de los ingresos de los últimos 200 días",
        "vuelven en 20 días o menos, los habituales en 75 días o menos",
        "ingresos de los últimos 60 días por debajo del 40 % de los 60 días anteriores",
        "una queja en los últimos 14 días",
        "inactivos 2 meses después",
        "primeros 120 días",
    ]:
        assert sentence in text
    assert "60\xa0% de los ingresos" in charts
    for default in ["últimos 90 días", "80 %", "últimos 12 meses", "últimos 365 días", "últimos 30 días", "3 meses"]:
        assert default not in text and default not in charts


def test_the_pareto_chart_draws_the_share_in_force(vars_run):
    """The chart's line and marker sit at pareto_share (0.6), not at a fixed 0.8."""
    from matplotlib.lines import Line2D

    from dagster_project.lib.report import charts
    from dagster_project.lib.report.data import collect_report_data

    con = duckdb.connect(str(vars_run.settings.warehouse), read_only=True)
    try:
        data = collect_report_data(con)
    finally:
        con.close()
    figures = []
    original = charts._to_data_uri
    charts._to_data_uri = lambda fig: figures.append(fig) or original(fig)
    try:
        charts.pareto_chart(data.pareto, data.headline["top_80_share_of_customers"], 0.6, "en")
    finally:
        charts._to_data_uri = original
    dotted = [line for line in figures[0].findobj(Line2D) if line.get_linestyle() == ":"]
    assert [0.6, 0.6] in [list(line.get_ydata()) for line in dotted]  # the horizontal line
    markers = [line for line in figures[0].findobj(Line2D) if line.get_marker() == "o"]
    assert [list(m.get_xydata()[0]) for m in markers] == [[0.1, 0.6]]  # 10% of buyers make 60%


def test_action_reasons_and_export_headers_state_the_vars(vars_run):
    from dagster_project.lib import actions
    from dagster_project.lib.export import mart_tables
    from dagster_project.lib.report.mail import headline_figures
    from dagster_project.lib.report.vars_in_force import read_vars_in_force

    con = duckdb.connect(str(vars_run.settings.warehouse), read_only=True)
    try:
        in_force = read_vars_in_force(con)
        frame = actions.read_actions(con, top=50)
        profile, status = mart_tables(con, ["customer_profile", "customer_status"], "es")
    finally:
        con.close()
    assert in_force["pareto_share"] == 0.6 and in_force["signal_window_days"] == 14
    reasons = dict(zip(frame["customer_id"], actions.people_table(frame, "en", in_force)["reason"], strict=True))
    assert reasons["K3"].startswith("1 complaint(s) in the last 14 days")
    reasons_es = dict(zip(frame["customer_id"], actions.people_table(frame, "es", in_force)["reason"], strict=True))
    assert reasons_es["K3"].startswith("1 queja(s) en los últimos 14 días")
    headers = set(profile.headers.values()) | set(status.headers.values())
    assert {"Compras, últimos 60 días", "Compras, últimos 300 días", "Genera el 60\xa0% de los ingresos"} <= headers
    figures = dict(headline_figures({**_HEADLINE}, "€", "es", in_force))
    assert "Clientes que generan el 60\xa0% de los ingresos" in figures and "Ingresos, últimos 180 días" in figures


_HEADLINE = {
    "active_customers": 10,
    "net_revenue_365d": 10580.0,
    "top_80_customers": 2,
    "top_80_share_of_customers": 0.1,
}
