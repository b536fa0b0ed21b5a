"""The retention loop on a hand-made portfolio (actions_portfolio.py works out every expected value): early
alerts, the action list, action results, NPS and cross-sell, and `cartera actions` in CSV and xlsx."""

from datetime import date, datetime

import pytest

from dagster_project.cli import main
from tests.conftest import run_cartera

from .actions_portfolio import AS_OF, RUN_VARS, write_actions_portfolio


@pytest.fixture(scope="session")
def actions_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("actions")
    run = run_cartera(write_actions_portfolio(root / "landing"), root, dbt_vars=RUN_VARS)
    assert run.success, "the pipeline failed on the actions portfolio"
    return run


def test_early_alerts_raise_each_rule_for_the_customers_that_cross_it(actions_run):
    rows = actions_run.query(
        "SELECT customer_id, alert_type, severity, alert_state, detected_on FROM marts.early_alerts ORDER BY 1"
    )
    as_of = date.fromisoformat(AS_OF)
    assert rows == [
        ("K1", "overdue", "high", "new", as_of),
        ("K2", "spend_drop", "medium", "new", as_of),
        ("K3", "complaint", "high", "new", as_of),
        ("K4", "detractor", "medium", "new", as_of),
        ("K6", "detractor", "medium", "new", as_of),  # 6 is still a detractor; K1's 7 is not
    ]


def test_alert_evidence_gives_the_numbers_in_words_and_columns(actions_run):
    signal, baseline, threshold, evidence = actions_run.query(
        "SELECT signal_value, baseline_value, threshold_value, evidence FROM marts.early_alerts WHERE customer_id = 'K2'"
    )[0]
    assert (float(signal), float(baseline), float(threshold)) == (100.0, 1000.0, 500.0)
    assert (
        evidence == "net revenue 100.00 in the last 90 days against 1000.00 in the 90 days before (alert below 500.00)"
    )
    overdue = actions_run.scalar("SELECT evidence FROM marts.early_alerts WHERE customer_id = 'K1'")
    assert overdue == "41 days since the last purchase; buys every 10 days on average (alert after 20 days)"


def test_every_alert_type_is_evaluated_against_history_when_its_source_exists(actions_run):
    rows = dict(actions_run.query("SELECT alert_type, source_available FROM marts.alert_effectiveness"))
    assert rows == {
        t: True for t in ["spend_drop", "overdue", "support_contact", "complaint", "billing_error", "detractor"]
    }
    # Jan-Jun 2026: month ends 01-31, 02-28 and 03-31 have an outcome 3 months later on or before as_of
    assert actions_run.query("SELECT DISTINCT month_ends_evaluated FROM marts.alert_effectiveness") == [(3,)]


def test_retention_actions_follow_the_playbook_and_rank_by_score(actions_run):
    rows = actions_run.query(
        "SELECT customer_id, alert_type, playbook_id, touch_point, priority, value_basis, value_at_risk, "
        "alert_lift, score, action_rank FROM marts.retention_actions WHERE section = 'retention' ORDER BY action_rank"
    )
    by_customer = {r[0]: r for r in rows}
    assert {c: (r[1], r[2], r[3], r[4]) for c, r in by_customer.items()} == {
        "K1": ("overdue", "pb05", "web", 2),  # 'preferred' = K1's only channel (web orders)
        "K2": ("spend_drop", "pb01", "call", 5),  # very high tier: 1100 >= 2 x 529
        "K3": ("complaint", "pb07", "call", 5),
        "K4": ("detractor", "pb09", "call", 4),
        "K6": ("detractor", "pb09", "call", 4),
    }
    # no CLV model on 24 customers: the value at risk is the last-12-month revenue
    assert {c: (r[5], float(r[6])) for c, r in by_customer.items()} == {
        "K1": ("last_12m_revenue", 30.0),
        "K2": ("last_12m_revenue", 1100.0),
        "K3": ("last_12m_revenue", 40.0),
        "K4": ("last_12m_revenue", 10.0),
        "K6": ("last_12m_revenue", 10.0),
    }
    for r in rows:
        assert float(r[8]) == pytest.approx(float(r[6]) * r[7] * r[4], abs=0.01)
    scores = [float(r[8]) for r in rows]
    assert scores == sorted(scores, reverse=True) and [r[9] for r in rows] == [1, 2, 3, 4, 5]


def test_win_back_lists_the_valuable_inactive_customer_with_a_filled_in_message(actions_run):
    rows = actions_run.query(
        "SELECT customer_id, playbook_id, touch_point, offer_name, message_es, days_since_last_order "
        "FROM marts.retention_actions WHERE section = 'win_back'"
    )
    assert rows == [
        (
            "W1",
            "pb10",
            "call",
            "Aceite de oliva 5 l",
            "Hola Lucía Vega, le echamos de menos. Han pasado 166 días desde su último pedido: le ofrecemos un "
            "descuento en Aceite de oliva 5 l para su vuelta.",
            166,
        )
    ]


def test_action_results_treatment_against_control_worked_by_hand(actions_run):
    row = actions_run.query(
        "SELECT treatment_actions, control_actions, treatment_repurchased, control_repurchased, rate_difference, "
        "rate_difference_ci_low, rate_difference_ci_high, revenue_difference, revenue_difference_ci_low, "
        "revenue_difference_ci_high, revenue_degrees_of_freedom, result FROM marts.action_results "
        "WHERE action_type = 'call' AND touch_point = 'all' AND segment = 'all' AND horizon_days = 30"
    )[0]
    assert row[:4] == (5, 4, 3, 1)
    assert row[4] == pytest.approx(0.35, abs=1e-12)
    # Newcombe hybrid score interval from Wilson(3/5) = (0.230724, 0.882379) and Wilson(1/4)
    assert row[5] == pytest.approx(-0.2316247159, abs=1e-9) and row[6] == pytest.approx(0.6986009109, abs=1e-9)
    assert row[7] == pytest.approx(31.0)
    # Welch: df 4.567; the t quantile comes from the Cornish-Fisher expansion (within 0.003 of the exact 2.70)
    assert row[10] == pytest.approx(4.567126045, abs=1e-6)
    assert row[8] == pytest.approx(-19.958, abs=0.1) and row[9] == pytest.approx(81.958, abs=0.1)
    assert row[11] == "inconclusive"
    sixty = actions_run.query(
        "SELECT treatment_repurchased, control_repurchased, rate_difference, rate_difference_ci_low, "
        "revenue_difference FROM marts.action_results "
        "WHERE action_type = 'call' AND touch_point = 'all' AND segment = 'all' AND horizon_days = 60"
    )[0]
    assert sixty[:2] == (4, 2) and sixty[2] == pytest.approx(0.30) and sixty[3] == pytest.approx(-0.2501304934)
    assert sixty[4] == pytest.approx(36.5)


def test_action_results_say_when_an_effect_cannot_be_measured(actions_run):
    rows = {
        (r[0], r[1], r[2], r[3]): (r[4], r[5], r[6], r[7])
        for r in actions_run.query(
            "SELECT action_type, touch_point, segment, horizon_days, treatment_actions, control_actions, result, "
            "not_measured_reason FROM marts.action_results"
        )
    }
    assert rows[("call", "phone", "all", 30)] == (4, 4, "inconclusive", None)
    assert rows[("call", "email", "all", 30)] == (1, 0, "cannot_be_measured", "no_control_group")
    assert rows[("call", "all", "retail", 30)] == (5, 3, "inconclusive", None)
    assert rows[("call", "all", "salud", 30)] == (0, 1, "cannot_be_measured", "no_treatment_group")
    assert rows[("email_campaign", "all", "all", 90)] == (1, 0, "cannot_be_measured", "no_control_group")
    assert rows[("visit", "all", "all", 30)] == (0, 0, "cannot_be_measured", "window_not_elapsed")
    # differences are never invented where they cannot be measured
    assert (
        actions_run.scalar(
            "SELECT count(*) FROM marts.action_results WHERE result = 'cannot_be_measured' "
            "AND (rate_difference IS NOT NULL OR revenue_difference IS NOT NULL)"
        )
        == 0
    )


def test_nps_by_month_and_segment_with_response_rate(actions_run):
    rows = {
        (str(r[0]), r[1]): (r[2], r[3], r[4], r[5], r[6])
        for r in actions_run.query(
            "SELECT answer_month, segment, respondents, promoters, detractors, nps, response_rate FROM marts.nps_monthly"
        )
    }
    assert rows[("2026-06-01", "all")] == (4, 1, 2, -25.0, pytest.approx(1 / 3))
    assert rows[("2026-06-01", "hostelería")] == (4, 1, 2, -25.0, pytest.approx(2 / 3))
    assert rows[("2026-05-01", "all")][:4] == (1, 1, 0, 100.0)


def test_latest_survey_score_in_customer_profile_and_bad_scores_quarantined(actions_run):
    scores = dict(
        actions_run.query(
            "SELECT customer_id, latest_survey_score FROM marts.customer_profile WHERE latest_survey_score IS NOT NULL"
        )
    )
    assert scores == {"K1": 7, "K4": 4, "K5": 10, "K6": 6}
    reasons = [
        r[0] for r in actions_run.query("SELECT reason FROM audit.rejected_rows WHERE source = 'surveys' ORDER BY line")
    ]
    assert reasons == ["score '11' is not a whole number from 0 to 10", "unparseable score 'muy bien'"]


def test_product_affinity_support_confidence_and_lift(actions_run):
    rows = {
        (r[0], r[1], r[2]): (r[3], r[4], r[5], r[6])
        for r in actions_run.query(
            "SELECT item_level, item_a, item_b, customers_with_both, support, confidence, lift FROM marts.product_affinity"
        )
    }
    assert rows[("product", "P1", "P2")] == (2, 0.5, pytest.approx(2 / 3), pytest.approx(4 / 3))
    assert rows[("product", "P2", "P1")] == (2, 0.5, 1.0, pytest.approx(4 / 3))
    assert rows[("product", "P3", "P1")] == (1, 0.25, 0.5, pytest.approx(2 / 3))
    assert ("product", "P2", "P3") not in rows  # nobody bought both
    assert rows[("category", "alimentación", "herramientas")] == (1, 0.25, pytest.approx(1 / 3), pytest.approx(2 / 3))


def test_next_best_offer_highest_lift_then_the_top_customers_favourite(actions_run):
    offers = {
        r[0]: (r[1], r[2], r[3])
        for r in actions_run.query("SELECT customer_id, offer_item_id, offer_source, lift FROM marts.next_best_offer")
    }
    assert offers["L3"] == ("P2", "affinity", pytest.approx(4 / 3))
    assert offers["L4"] == ("P1", "top_customers_favourite", None)
    assert offers["W1"][:2] == ("P1", "top_customers_favourite")
    assert "L1" not in offers  # owns both favourites and no pair has lift > 1


def test_cartera_actions_prints_the_list(actions_run, capsys):
    s = actions_run.settings
    assert main(["actions", "--warehouse", str(s.warehouse), "--top", "2", "--lang", "es"]) == 0
    out = capsys.readouterr().out
    assert "Retener: clientes con una señal de alerta" in out and "Recuperar" in out
    keep, win_back = out.split("Recuperar")
    assert "  1. K2 =2+3 Ana Ruiz  [Caída del gasto] → Llamada" in keep  # the highest score first
    assert keep.count("\n  ") and "  3. " not in keep  # --top 2 per section
    assert "  1. W1 Lucía Vega  [Recuperación]" in win_back


def test_cartera_actions_csv_neutralises_formulas(actions_run, tmp_path):
    import csv

    path = tmp_path / "actions.csv"
    assert (
        main(
            [
                "actions",
                "--warehouse",
                str(actions_run.settings.warehouse),
                "--format",
                "csv",
                "--output",
                str(path),
                "--lang",
                "en",
            ]
        )
        == 0
    )
    rows = list(csv.DictReader(path.open(encoding="utf-8-sig")))
    k2 = next(r for r in rows if r["Customer"] == "K2")
    assert k2["Name"] == "'=2+3 Ana Ruiz" and k2["Why"] == "Spending drop" and k2["How"] == "Phone call"
    assert k2["Reason"].startswith("Spent €100 in the last 90 days against €1,000 in the 90 days before")


def test_cartera_actions_xlsx_reads_back_with_frozen_header_dates_and_safe_text(actions_run, tmp_path):
    import openpyxl

    path = tmp_path / "acciones.xlsx"
    argv = ["actions", "--warehouse", str(actions_run.settings.warehouse), "--format", "xlsx", "--output", str(path)]
    assert main([*argv, "--lang", "es"]) == 0
    ws = openpyxl.load_workbook(path).active
    assert ws.freeze_panes == "A2"
    header = [c.value for c in ws[1]]
    assert header[:4] == ["Lista", "Nº", "Cliente", "Nombre"] and "Último pedido" in header
    rows = {r[2]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["K2"]["Nombre"] == "'=2+3 Ana Ruiz"  # a formula in a name stays text
    assert rows["K2"]["Último pedido"] == datetime(2026, 6, 15)  # a real date, not text
    assert rows["K2"]["Nº"] == 1
    assert ws.column_dimensions["M"].width >= 20  # the message column is widened to fit


def test_report_has_the_action_sections(actions_run):
    html = (actions_run.settings.reports / "latest.html").read_text()
    for section in ['id="actions"', 'id="alert-effectiveness"', 'id="action-results"', 'id="nps"']:
        assert section in html


def test_report_shows_results_and_nps_by_segment_in_both_languages(actions_run):
    """Action results per CRM segment (call at 90 days: retail T1..T5 against C1..C3, 4/5 against 2/3 bought
    again = +13.3 points, revenue per action 44 against 10 = +34; salud has only the control C4) and NPS per
    segment in its latest month (hostelería, June: 4 answers, -25 points, 4 of 6 reachable = 66.7%)."""
    import re

    import duckdb

    from dagster_project.lib.report.data import collect_report_data
    from dagster_project.lib.report.render import render_report
    from tests.language import visible_text

    con = duckdb.connect(str(actions_run.settings.warehouse), read_only=True)
    try:
        data = collect_report_data(con)
    finally:
        con.close()
    en = re.sub(r"\s+", " ", visible_text(render_report(data, None, currency="€", lang="en")))
    es = re.sub(r"\s+", " ", visible_text(render_report(data, None, currency="€", lang="es")))
    assert "By customer segment Action Segment Treated / control" in en
    assert "Call · 90 days retail 5 / 3 13.3 pts (" in en and "€34 (" in en
    assert "Call · 90 days salud 0 / 1 – – cannot be measured (no treated customers)" in en
    assert "Por segmento de clientes Acción Segmento Tratados / control" in es
    assert "Llamada · 90 días retail 5 / 3 13,3 p. p. (" in es and "34 € (" in es
    assert "Llamada · 90 días salud 0 / 1 – – no se puede medir (sin clientes tratados)" in es
    assert "email_campaign" not in es and "Campaña de correo · 90 días" in es  # K5's action, in words
    assert "By customer segment, in its latest month with answers Segment Month Answers NPS Response rate" in en
    assert "hostelería 2026-06 4 -25 66.7%" in en
    assert "Por segmento de clientes, en su último mes con respuestas Segmento Mes Respuestas NPS" in es
    assert "hostelería 2026-06 4 -25 66,7 %" in es
    assert "Lost or moved down: lift (95% interval)" in en and "Perdidos o bajaron de segmento" in es


def test_alert_effectiveness_counts_downgrades_as_well_as_losses(actions_run):
    """A loss is a downgrade too (inactive is the lowest status), so downgrades are never fewer than losses."""
    rows = actions_run.query(
        "SELECT alert_type, flagged_lost, flagged_downgraded, unflagged_lost, unflagged_downgraded "
        "FROM marts.alert_effectiveness"
    )
    assert rows and all(fd >= fl and ud >= ul for _, fl, fd, ul, ud in rows)
