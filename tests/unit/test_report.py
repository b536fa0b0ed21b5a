"""Weekly retention report: figures read from hand-made marts, the HTML page, and report files on disk.

Warehouse used below (as_of 2024-06-30), net revenue = last 365 days from marts.customer_volume:

    customer  status     volume     revenue   frequency    clv: p_alive  clv_12m
    c001      current    very_high  5000.00   frequent          0.95     4000
    c002      current    high       2500.50   habitual          0.30      900
    c003      active     medium     1200.00   habitual          0.45     1500
    00042     active     low         300.00   occasional        0.05       10
    c005      inactive   low           0.00   occasional
    c004      inactive   (not in customer_volume)  occasional
    p001      potential
    p002      probable

Total revenue 9000.50; top-80 customers: c001 + c002 = 7500.50 (2 of 5 buyers in the Pareto ranking).
"""

from __future__ import annotations

import json
import re
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

# The venv's editable install of `cartera` maps no packages yet, so plain `pytest` cannot import
# dagster_project; until pyproject sets `pythonpath = ["."]` for pytest, put the project root on the path.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from dagster_project.lib.report.data import collect_report_data
from dagster_project.lib.report.formatting import format_date, format_int, format_money, format_pct
from dagster_project.lib.report.labels import STATUS_ORDER, code_label, label
from dagster_project.lib.report.output import load_previous_headline, write_report
from dagster_project.lib.report.render import render_report

AS_OF = date(2024, 6, 30)

CORE_MARTS = """
create schema marts;
create table marts.customer_status(customer_id varchar, as_of date, status varchar);
insert into marts.customer_status values
  ('c001','2024-06-30','current'), ('c002','2024-06-30','current'), ('c003','2024-06-30','active'),
  ('00042','2024-06-30','active'), ('c004','2024-06-30','inactive'), ('c005','2024-06-30','inactive'),
  ('p001','2024-06-30','potential'), ('p002','2024-06-30','probable');
create table marts.customer_volume(customer_id varchar, net_revenue decimal(18,2), tier varchar);
insert into marts.customer_volume values
  ('c001', 5000.00, 'very_high'), ('c002', 2500.50, 'high'), ('c003', 1200.00, 'medium'),
  ('00042', 300.00, 'low'), ('c005', 0.00, 'low');
create table marts.customer_frequency(customer_id varchar, occasions integer, mean_days_between double, tier varchar);
insert into marts.customer_frequency values
  ('c001', 20, 15, 'frequent'), ('c002', 8, 40, 'habitual'), ('c003', 6, 50, 'habitual'),
  ('00042', 2, 200, 'occasional'), ('c004', 1, null, 'occasional'), ('c005', 1, null, 'occasional');
create table marts.pareto_customers(customer_id varchar, revenue_rank integer, net_revenue decimal(18,2),
                                    cumulative_share double, is_top_80 boolean);
insert into marts.pareto_customers values
  ('c001', 1, 5000.00, 5000.00 / 9000.50, true), ('c002', 2, 2500.50, 7500.50 / 9000.50, true),
  ('c003', 3, 1200.00, 8700.50 / 9000.50, false), ('00042', 4, 300.00, 1.0, false), ('c005', 5, 0.00, 1.0, false);
create table marts.pareto_summary(customers integer, top_80_customers integer, top_80_share_of_customers double,
                                  net_revenue decimal(18,2), top_80_net_revenue decimal(18,2));
insert into marts.pareto_summary values (5, 2, 0.4, 9000.50, 7500.50);
create table marts.customer_profile(customer_id varchar, last_order_date date, customer_name varchar);
insert into marts.customer_profile values ('c002', '2024-01-15', 'José Núñez'), ('c003', '2024-02-01', NULL),
    ('00042', '2023-08-01', 'Ana <b>Peña</b>');
-- 26 monthly cohorts 2022-05 .. 2024-06, periods 0 and 1 (only the last 24 are shown)
create table marts.cohort_retention as
select cohort_month::date as cohort_month, p.period_number, 10 as cohort_size,
       case when p.period_number = 0 then 10 else 3 end as active_customers,
       case when p.period_number = 0 then 1.0 else 0.3 end as retention_rate, 100.0 as revenue
from range(date '2022-05-01', date '2024-07-01', interval 1 month) t(cohort_month),
     (values (0), (1)) p(period_number);
"""

CLV_MARTS = """
create table marts.customer_clv(customer_id varchar, model varchar, value_method varchar, frequency integer,
  recency double, age double, p_alive double, p_no_purchase_90d double, expected_occasions_90d double,
  expected_occasions_365d double, expected_days_to_next_purchase double, expected_value_per_occasion double,
  clv_12m double, clv_12m_low double, clv_12m_high double, value_rank integer);
insert into marts.customer_clv values
  ('c001', 'paretonbd', 'gamma_gamma', 19, 300, 320, 0.95, 0.2, 3.0, 12.0, 20, 333.0, 4000, 3500, 4600, 1),
  ('c002', 'paretonbd', 'gamma_gamma', 7, 100, 300, 0.30, 0.9, 0.5, 2.5, null, 360.0, 900, 700, 1150, 3),
  ('c003', 'paretonbd', 'gamma_gamma', 5, 120, 310, 0.45, 0.8, 0.8, 3.0, null, 500.0, 1500, 1200, 1900, 2),
  ('00042', 'paretonbd', 'gamma_gamma', 1, 10, 330, 0.05, 0.99, 0.01, 0.05, null, 200.0, 10, 5, 18, 4);
create table marts.customer_value_alerts(customer_id varchar, customer_name varchar, p_alive double, clv_12m double,
    last_order_date date, priority integer);
insert into marts.customer_value_alerts values ('c003', NULL, 0.45, 1500, '2024-02-01', 1),
  ('c002', 'José Núñez', 0.30, 900, '2024-01-15', 2), ('00042', 'Ana <b>Peña</b>', 0.05, 10, '2023-08-01', 3);
create table marts.clv_model_comparison(model varchar, status varchar, curve_error double, customer_mae double,
    model_rank integer, chosen boolean);
insert into marts.clv_model_comparison values ('paretonbd', 'ok', 0.031, 0.52, 1, true),
  ('bgnbd', 'ok', 0.052, 0.55, 2, false), ('mbgnbd', 'at_bound', null, null, 3, false);
create table marts.clv_holdout_curve(model varchar, week_number integer, week_start date, actual_cumulative double,
                                     predicted_cumulative double);
insert into marts.clv_holdout_curve values ('paretonbd', 1, '2024-04-01', 3, 2.5), ('paretonbd', 2, '2024-04-08', 5, 5.1),
  ('paretonbd', 3, '2024-04-15', 9, 7.8), ('bgnbd', 1, '2024-04-01', 3, 2.0), ('bgnbd', 2, '2024-04-08', 5, 4.0),
  ('bgnbd', 3, '2024-04-15', 9, 6.0);
create table marts.clv_holdout_by_frequency(model varchar, frequency_bucket varchar, customers integer,
                                            mean_predicted double, mean_actual double);
insert into marts.clv_holdout_by_frequency values ('paretonbd', '10+', 1, 6.0, 5.0), ('paretonbd', '0', 40, 0.2, 0.25),
  ('paretonbd', '2', 5, 1.1, 1.0), ('paretonbd', '1', 12, 0.6, 0.5), ('bgnbd', '0', 40, 0.3, 0.25);
"""


def _warehouse(path, *scripts: str) -> duckdb.DuckDBPyConnection:
    with duckdb.connect(str(path)) as con:
        for script in scripts:
            con.execute(script)
    return duckdb.connect(str(path), read_only=True)


@pytest.fixture(scope="module")
def core_con(tmp_path_factory):
    con = _warehouse(tmp_path_factory.mktemp("core") / "warehouse.duckdb", CORE_MARTS)
    yield con
    con.close()


@pytest.fixture(scope="module")
def clv_con(tmp_path_factory):
    con = _warehouse(tmp_path_factory.mktemp("clv") / "warehouse.duckdb", CORE_MARTS, CLV_MARTS)
    yield con
    con.close()


@pytest.fixture(scope="module")
def core_data(core_con):
    return collect_report_data(core_con)


@pytest.fixture(scope="module")
def clv_data(clv_con):
    return collect_report_data(clv_con)


def test_headline_numbers_match_the_hand_counts(core_data):
    assert core_data.as_of == AS_OF
    assert core_data.headline == {
        "as_of": "2024-06-30",
        "customers": 8,
        "active_customers": 4,  # current 2 + active 2
        "customers_current": 2,
        "customers_active": 2,
        "customers_inactive": 2,
        "customers_potential": 1,
        "customers_probable": 1,
        "net_revenue_365d": 9000.50,
        "top_80_customers": 2,
        "top_80_share_of_customers": 0.4,
        "top_80_share_of_revenue": round(7500.50 / 9000.50, 6),
    }
    assert json.loads(json.dumps(core_data.headline)) == core_data.headline


def test_distributions_count_customers_and_revenue_in_display_order(core_data):
    status = core_data.status.set_index("code")
    assert list(status.index) == list(STATUS_ORDER)
    assert status["customers"].to_dict() == {"current": 2, "active": 2, "inactive": 2, "potential": 1, "probable": 1}
    # current: 5000 + 2500.50; active: 1200 + 300; c004 has no volume row -> 0
    assert status["net_revenue"].to_dict() == {
        "current": 7500.50,
        "active": 1500.0,
        "inactive": 0.0,
        "potential": 0.0,
        "probable": 0.0,
    }
    volume = core_data.volume.set_index("code")
    assert volume["customers"].to_dict() == {"very_high": 1, "high": 1, "medium": 1, "low": 2}
    assert volume["net_revenue"]["low"] == 300.0
    frequency = core_data.frequency.set_index("code")
    assert frequency["customers"].to_dict() == {"frequent": 1, "habitual": 2, "occasional": 3}
    assert frequency["net_revenue"].to_dict() == {"frequent": 5000.0, "habitual": 3700.50, "occasional": 300.0}


def test_pareto_curve_starts_at_zero_and_ends_with_every_customer(core_data):
    curve = core_data.pareto
    assert list(curve["customer_share"]) == [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
    assert curve["revenue_share"].iloc[2] == pytest.approx(7500.50 / 9000.50)
    assert curve["revenue_share"].iloc[-1] == 1.0


def test_pareto_curve_of_a_large_warehouse_is_downsampled_to_200_points(tmp_path):
    big = CORE_MARTS.replace(
        "insert into marts.pareto_summary",
        """delete from marts.pareto_customers;
        insert into marts.pareto_customers
          select 'x' || i, i, 1, i / 10000.0, i <= 8000 from range(1, 10001) t(i);
        insert into marts.pareto_summary""",
    )
    with _warehouse(tmp_path / "big.duckdb", big) as con:
        curve = collect_report_data(con).pareto
    assert len(curve) <= 200
    assert curve["customer_share"].iloc[0] == 0.0
    assert curve["customer_share"].iloc[-1] == 1.0  # the last customer is always kept
    assert curve["customer_share"].is_monotonic_increasing


def test_cohorts_keep_only_the_last_24(core_data):
    months = sorted(core_data.cohorts["cohort_month"].unique())
    assert len(months) == 24
    assert str(months[0])[:10] == "2022-07-01"  # 2022-05 and 2022-06 are dropped
    assert str(months[-1])[:10] == "2024-06-01"


def test_html_is_self_contained_with_embedded_charts(clv_data):
    html = render_report(clv_data, None)
    assert "http://" not in html and "https://" not in html
    assert not re.search(r"<(script|link|iframe)\b", html)
    assert re.search(r"url\(", html) is None
    srcs = re.findall(r'src="([^"]*)"', html)
    assert srcs and all(src.startswith("data:image/png;base64,") for src in srcs)
    # status, volume, frequency, pareto, cohorts, p_alive histogram, holdout curve, holdout by frequency
    assert len(srcs) == 8
    assert "Weekly retention report — 30 Jun 2024" in html
    assert "$9,001" in html  # revenue card: 9000.50 -> whole units from 1,000 up
    assert "40% of your buyers" in html  # 2 of 5 buyers make 80% of revenue


def test_first_report_says_there_is_nothing_to_compare(core_data):
    html = render_report(core_data, None)
    changed = html.split('id="what-changed"')[1].split("</section>")[0]
    assert label("changed.first") in changed
    assert "<table" not in changed


def test_what_changed_shows_deltas_against_the_previous_headline(core_data):
    previous = dict(
        core_data.headline,
        as_of="2024-06-23",
        active_customers=3,
        customers_inactive=1,
        net_revenue_365d=10000.50,
        top_80_share_of_customers=0.5,
    )
    html = render_report(core_data, previous)
    changed = html.split('id="what-changed"')[1].split("</section>")[0]
    assert "Compared with the report of 23 Jun 2024." in changed
    assert '<td class="num good">▲ +1 (+33.3%)</td>' in changed  # active customers 3 -> 4
    assert '<td class="num bad">▲ +1 (+100%)</td>' in changed  # inactive 1 -> 2
    assert '<td class="num bad">▼ -$1,000 (-10%)</td>' in changed  # 10,000.50 -> 9,000.50
    assert '<td class="num bad">▼ -10 pts</td>' in changed  # 50% -> 40% of buyers make 80% of revenue
    assert '<td class="num neutral">no change</td>' in changed  # e.g. current customers 2 -> 2


def test_clv_sections_appear_only_when_their_marts_exist(core_data, clv_data):
    without = render_report(core_data, None)
    assert 'id="clv"' not in without and 'id="model-accuracy"' not in without
    assert "clv_total_12m" not in core_data.headline

    with_clv = render_report(clv_data, None)
    assert 'id="clv"' in with_clv and 'id="model-accuracy"' in with_clv
    assert clv_data.headline["clv_total_12m"] == 6410.0  # 4000 + 900 + 1500 + 10
    assert clv_data.headline["clv_customers_at_risk"] == 3  # the rows of customer_value_alerts
    assert clv_data.headline["clv_at_risk_value_12m"] == 2410.0
    assert list(clv_data.clv.at_risk["customer_id"]) == ["c003", "c002", "00042"]  # in the mart's priority order
    assert list(clv_data.clv.p_alive_hist["customers"]) == [1, 0, 0, 1, 1, 0, 0, 0, 0, 1]
    assert list(clv_data.clv.holdout_by_frequency["frequency_bucket"]) == ["0", "1", "2", "10+"]
    assert "(00042)</span></td>" in with_clv  # customer ids stay text
    assert '<td class="num">15 Jan 2024</td>' in with_clv  # last purchase of c002
    assert "<td>José Núñez <span class=muted>(c002)</span></td>" in with_clv  # named, for the sales team
    assert "<td>c003</td>" in with_clv  # no name: the id alone
    assert "Ana &lt;b&gt;Peña&lt;/b&gt;" in with_clv  # names are escaped


def test_clv_section_says_when_customers_buy_next_how_sure_and_which_model(clv_data):
    html = render_report(clv_data, None)
    assert clv_data.clv.model_in_use == "paretonbd"
    assert "Model in use: Pareto/NBD (customers may leave at any time)." in html
    # 1 of 4 buyers has a median wait (20 days); expected buyers in 90 days = 0.8 + 0.1 + 0.2 + 0.01 = 1.11 -> 1
    assert "1 of your 4 buyers are more likely than not to buy again; half of those are expected to buy " in html
    assert "within 20 days. About 1 customers are expected to buy in the next 90 days." in html
    assert '<td class="num">$1,200 – $1,900</td>' in html  # c003's 90% range
    assert '<td class="num">unlikely</td>' in html  # no median wait for c003
    # the comparison: one row per model, in rank order, the chosen one marked, the unusable one said so
    assert html.index("Pareto/NBD (customers may leave at any time) <b>(in use)</b>") < html.index("BG/NBD (customers")
    assert "<td class=num>3.1%</td><td class=num>0.52</td><td>usable</td>" in html
    assert "<td>not used: a parameter at its limit</td>" in html
    # by frequency: the model in use only
    assert list(clv_data.clv.holdout_by_frequency["frequency_bucket"]) == ["0", "1", "2", "10+"]


def test_write_report_writes_dated_html_latest_and_headline_json(tmp_path, core_data):
    reports = tmp_path / "reports"
    path = write_report("<html>week 26</html>", core_data.headline, reports, AS_OF)
    assert path == reports / "retention_report_2024-06-30.html"
    assert path.read_text() == "<html>week 26</html>"
    assert (reports / "latest.html").read_text() == "<html>week 26</html>"
    assert json.loads((reports / "retention_report_2024-06-30.json").read_text()) == core_data.headline
    assert sorted(p.name for p in reports.iterdir()) == [
        "latest.html",
        "retention_report_2024-06-30.html",
        "retention_report_2024-06-30.json",
    ]  # no temp files


def test_load_previous_headline_picks_the_latest_report_strictly_before(tmp_path):
    for day in (date(2024, 6, 16), date(2024, 6, 23), date(2024, 6, 30)):
        write_report("<html></html>", {"as_of": day.isoformat()}, tmp_path, day)
    assert load_previous_headline(tmp_path, date(2024, 6, 30)) == {"as_of": "2024-06-23"}
    assert load_previous_headline(tmp_path, date(2024, 6, 24)) == {"as_of": "2024-06-23"}
    assert load_previous_headline(tmp_path, date(2024, 7, 7)) == {"as_of": "2024-06-30"}
    assert load_previous_headline(tmp_path, date(2024, 6, 16)) is None
    assert load_previous_headline(tmp_path / "missing", date(2024, 6, 30)) is None


def test_load_previous_headline_skips_an_unreadable_file(tmp_path):
    write_report("<html></html>", {"as_of": "2024-06-16"}, tmp_path, date(2024, 6, 16))
    (tmp_path / "retention_report_2024-06-23.json").write_text("{not json")
    assert load_previous_headline(tmp_path, date(2024, 6, 30)) == {"as_of": "2024-06-16"}


def test_numbers_are_formatted_for_people():
    assert format_int(1234567) == "1,234,567"
    assert format_money(1234567.891) == "$1,234,568"
    assert format_money(45.5) == "$45.50"
    assert format_money(12) == "$12"
    assert format_money(-0.001) == "$0"
    assert format_money(-1500, currency="€") == "-€1,500"
    assert format_pct(0.8234) == "82.3%"
    assert format_pct(0.4) == "40%"


def test_numbers_money_and_dates_in_spanish_follow_spanish_conventions():
    nbsp = "\xa0"  # Babel keeps a number and its unit together
    assert format_int(1234567, "es") == "1.234.567"
    assert format_money(1234.56, "€", "es", decimals=2) == f"1.234,56{nbsp}€"
    assert format_money(1234567.891, "€", "es") == f"1.234.568{nbsp}€"
    assert format_money(45.5, "€", "es") == f"45,50{nbsp}€"
    assert format_money(-1500, "€", "es") == f"-1.500{nbsp}€"
    assert format_pct(0.8234, 1, "es") == f"82,3{nbsp}%"
    assert format_date(date(2026, 11, 24), "es") == "24/11/2026"
    assert format_date("2024-06-23", "es") == "23/06/2024"
    assert format_date(date(2026, 11, 24), "en") == "24 Nov 2026"


def test_spanish_report_speaks_spanish_with_spanish_numbers(clv_data):
    previous = dict(clv_data.headline, as_of="2024-06-23", net_revenue_365d=10000.50)
    html = render_report(clv_data, previous, currency="€", lang="es")
    assert '<html lang="es">' in html
    assert "Informe semanal de retención — 30/06/2024" in html
    assert "9.001\xa0€" in html  # revenue card: 9000.50, whole euros from 1.000 up
    assert "40\xa0% de sus compradores" in html
    assert "Comparado con el informe del 23/06/2024." in html
    assert '<td class="num bad">▼ -1.000\xa0€ (-10\xa0%)</td>' in html
    assert '<td class="num">15/01/2024</td>' in html  # last purchase of c002


def test_labels_fall_back_to_english_then_to_the_code():
    assert code_label("status", "inactive", lang="es") == "Inactivo"
    assert code_label("status", "inactive", lang="fr") == "Inactive"
    assert code_label("status", "dormant") == "dormant"
    assert all(code_label("status", code) != code for code in STATUS_ORDER)


# --- reports are written for a shared folder (area runcli) ---


def test_reports_are_written_with_the_process_umask_not_owner_only(tmp_path):
    import os

    from dagster_project.lib.report.output import write_report

    old = os.umask(0o027)
    try:
        path = write_report("<html></html>", {"as_of": "2026-06-30"}, tmp_path, date(2026, 6, 30))
    finally:
        os.umask(old)
    for p in (path, tmp_path / "latest.html", tmp_path / "retention_report_2026-06-30.json"):
        assert p.stat().st_mode & 0o777 == 0o640, p


def test_rerun_for_the_same_date_is_not_called_the_first_report(tmp_path, core_data):
    from dagster_project.lib.report.output import has_report_for

    write_report("<html></html>", core_data.headline, tmp_path, core_data.as_of)  # the first run of that date
    assert load_previous_headline(tmp_path, core_data.as_of) is None and has_report_for(tmp_path, core_data.as_of)
    html = render_report(core_data, None, replaces_same_date=has_report_for(tmp_path, core_data.as_of))
    changed = html.split('id="what-changed"')[1].split("</section>")[0]
    assert label("changed.first") not in changed
    assert "There is no report of an earlier date to compare with yet" in changed


def test_value_model_that_could_not_run_says_so_and_why(tmp_path, clv_data):
    from dataclasses import replace

    from dagster_project.lib.report.clv_data import ClvData

    failed = replace(clv_data, clv=ClvData(not_fitted_reason="only 5 customers bought twice; at least 50 needed"))
    html = render_report(failed, None)
    section = html.split('<section id="clv">')[1].split("</section>")[0]
    assert "The customer value model could not run this time: only 5 customers bought twice; at least 50 needed" in (
        section
    )
    assert label("table.none_at_risk") not in html and 'id="model-accuracy"' not in html


def test_report_states_data_dates_and_warns_only_when_the_data_is_stale(core_data):
    from dataclasses import replace

    from dagster_project.lib.freshness import Freshness

    # as_of 2024-06-30; latest order 2024-05-31 (30 days: a quiet month, no warning) or 2024-05-30 (31 days).
    fresh = replace(core_data, freshness=Freshness(date(2024, 6, 30), date(2024, 5, 31), 30))
    html = render_report(fresh, None, made_on=date(2024, 7, 1))
    assert "Data up to 31 May 2024 (latest order). Report made on 1 Jul 2024." in html
    assert 'id="stale-data"' not in html
    stale = replace(core_data, freshness=Freshness(date(2024, 6, 30), date(2024, 5, 30), 30))
    html = render_report(stale, None, made_on=date(2024, 7, 1))
    warning = html.split('id="stale-data"')[1].split("</div>")[0]
    assert "this report looks at 30 Jun 2024, 31 days after the latest order in the data (30 May 2024" in warning


def test_data_quality_section_counts_per_source_and_groups_reasons_by_kind(tmp_path):
    from dagster_project.lib.report.data_quality import collect_data_quality, render_data_quality

    con = duckdb.connect(str(tmp_path / "published.duckdb"))
    con.execute("""CREATE SCHEMA audit;
        CREATE TABLE audit.ingested_files (source VARCHAR, file VARCHAR, checksum VARCHAR, file_seq INTEGER,
            rows_read BIGINT, rows_loaded BIGINT, rows_rejected BIGINT, ingested_at TIMESTAMP, status VARCHAR,
            reason VARCHAR);
        CREATE TABLE audit.rejected_rows (source VARCHAR, file VARCHAR, line BIGINT, reason VARCHAR,
            record VARCHAR, rejected_at TIMESTAMP);
        INSERT INTO audit.ingested_files VALUES
            ('orders', 'orders.csv', 'a', 1, 10, 6, 4, now(), 'loaded', NULL),
            ('orders', 'orders_2.csv', 'b', 2, 5, 5, 0, now(), 'replaced', NULL),
            ('orders', 'orders_x.csv', 'c', NULL, 3, 0, 3, now(), 'refused',
             'orders_x.csv: missing required column(s) amount (found: customer_id)'),
            ('customers', 'customers.csv', 'd', 3, 2, 2, 0, now(), 'loaded', NULL);
        INSERT INTO audit.rejected_rows VALUES
            ('orders', 'orders.csv', 2, 'unparseable amount ''abc''', '', now()),
            ('orders', 'orders.csv', 3, 'unparseable amount ''1,2,3''', '', now()),
            ('orders', 'orders.csv', 4, 'order_date 2099-01-01 is in the future (after 2026-11-24)', '', now()),
            ('orders', 'orders.csv', 5, 'duplicate order_id ''A1'' (a later row of this file replaces it)', '', now())""")
    dq = collect_data_quality(con)
    con.close()
    orders = next(s for s in dq.sources if s.source == "orders")
    # refused files are listed apart, not counted as loaded files
    assert (orders.files, orders.rows_read, orders.rows_loaded, orders.rows_rejected) == (2, 15, 11, 4)
    assert orders.top_reasons == [
        ("unparseable amount", 2),
        ("duplicate order_id", 1),
        ("order_date is in the future", 1),
    ]
    assert dq.refused_files == [
        ("orders", "orders_x.csv", "orders_x.csv: missing required column(s) amount (found: customer_id)")
    ]
    html = render_data_quality(dq, "en")
    assert (
        '<tr><td>orders</td><td class="num">2</td><td class="num">15</td><td class="num">11</td><td class="num">4</td>'
        "<td>unparseable amount (2); order_id repeated in the file (1); order_date in the future (1)</td></tr>"
    ) in html
    assert "<h3>Files refused whole</h3><ul><li>orders_x.csv: missing required column(s) amount" in html
    spanish = render_data_quality(dq, "es")
    assert "<td>pedidos</td>" in spanish and "amount ilegible (2)" in spanish


def test_the_value_models_reasons_read_in_the_reports_language():
    from dagster_project.lib.report.trust import clv_reason_text

    reason = (
        "bgnbd not used: BG/NBD needs at least 50 customers; got 5; "
        "paretonbd not used: paretonbd: optimizer did not converge (max |gradient| 0.3, message: x)"
    )
    assert clv_reason_text(reason, "en") == (
        "bgnbd not usable: BG/NBD needs at least 50 customers and there are 5; "
        "paretonbd not usable: its fit did not converge on these customers"
    )
    assert clv_reason_text(reason, "es") == (
        "bgnbd no utilizable: BG/NBD necesita al menos 50 clientes y hay 5; "
        "paretonbd no utilizable: su ajuste no convergió con estos clientes"
    )
    assert clv_reason_text("something new", "es") == "something new"  # an unknown reason as the model gave it


def test_fixture_tables_have_only_columns_the_dbt_models_have(clv_con):
    """The hand-written DDL above cannot drift from the marts: each fixture table's columns are columns of the
    dbt model of the same name (as documented in the manifest), so a renamed or dropped column fails here."""
    import json

    from dagster_project.project import dbt_project

    manifest = json.loads(Path(dbt_project.manifest_path).read_text())
    documented = {n["name"]: set(n["columns"]) for n in manifest["nodes"].values() if n["resource_type"] == "model"}
    tables = clv_con.execute(
        "select table_name, list(column_name) from information_schema.columns where table_schema = 'marts' "
        "group by table_name"
    ).fetchall()
    assert len(tables) >= 10
    drift = {t: sorted(set(cols) - documented.get(t, set())) for t, cols in tables}
    assert {t: cols for t, cols in drift.items() if cols} == {}
