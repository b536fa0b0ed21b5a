"""The weekly report by email, received by a real SMTP server (aiosmtpd, STARTTLS + login) on 127.0.0.1.

Expected figures come from the slice's marts (queried below) and, worked by hand (portfolio.py): active
C001 + 00042 (current) + C002 (active) = 3; inactive C003 + C004 = 2; prospects P1 + C009 + P2 = 3;
revenue 720 € over the last 12 months; 3 customers (60 % of buyers) make 80 % of it.
"""

from __future__ import annotations

from datetime import date

import pytest

from dagster_project.lib.report.formatting import format_int, format_money
from tests.smtp import USER

from .conftest import EMAIL_TO


@pytest.fixture(scope="module")
def mail(spanish_report, smtp):
    assert len(smtp.received) == 1, "exactly one email for one report"
    return smtp.received[0]


def test_email_goes_to_every_recipient_from_the_sender(mail):
    assert mail.mail_from == "cartera@example.es"
    assert sorted(mail.rcpt_tos) == sorted(EMAIL_TO)
    assert mail.message["To"] == ", ".join(EMAIL_TO)


def test_subject_is_the_reports_title_in_spanish(mail):
    assert mail.message["Subject"] == "Informe semanal de retención — 30/06/2026"


def test_full_report_is_attached(mail, spanish_report):
    (attachment,) = list(mail.message.iter_attachments())
    assert attachment.get_filename() == "retention_report_2026-06-30.html"
    assert attachment.get_content_type() == "text/html"
    assert attachment.get_content() == spanish_report.html


def test_body_headline_numbers_match_the_marts(mail, slice_run):
    html = mail.message.get_body(("html",)).get_content()
    text = mail.message.get_body(("plain",)).get_content()
    active = slice_run.scalar("select count(*) from marts.customer_status where status in ('current', 'active')")
    inactive = slice_run.scalar("select count(*) from marts.customer_status where status = 'inactive'")
    revenue = slice_run.scalar("select sum(net_revenue) from marts.customer_volume")
    top80 = slice_run.scalar("select top_80_customers from marts.pareto_summary")
    assert (active, inactive, float(revenue), top80) == (3, 2, 720.0, 3)  # the hand-worked values
    for name, value in [
        ("Clientes activos", format_int(active, "es")),
        ("Clientes inactivos", format_int(inactive, "es")),
        ("Clientes potenciales", "3"),
        ("Ingresos, últimos 12 meses", format_money(revenue, "€", "es")),
        ("Clientes que generan el 80\xa0% de los ingresos", "3 (60\xa0%)"),
    ]:
        assert f"{name}: {value}" in text
        assert f">{name}</td><td" in html and f">{value}</td></tr>" in html
    assert "retention_report_2026-06-30.html" in text


def test_report_asset_records_who_it_was_emailed_to(spanish_report):
    (mat,) = spanish_report.result.asset_materializations_for_node("retention_report")
    assert mat.metadata["emailed_to"].value == ", ".join(EMAIL_TO)


def test_a_server_whose_certificate_is_not_trusted_is_refused(spanish_report, smtp):
    from dataclasses import replace

    from dagster_project.lib.report.mail import SmtpConfig, report_message, send_message

    message = report_message(
        {"active_customers": 1, "net_revenue_365d": 1, "top_80_customers": 1, "top_80_share_of_customers": 1},
        spanish_report.settings.reports / "latest.html",
        date(2026, 6, 30),
        lang="en",
        currency="€",
        sender="cartera@example.es",
        recipients=["x@example.es"],
    )
    config = SmtpConfig(smtp.host, smtp.port, "starttls", USER, "a-password", None, timeout=10)
    before = len(smtp.received)
    with pytest.raises(Exception, match="CERTIFICATE_VERIFY_FAILED"):  # the system's CAs don't know it
        send_message(message, config)
    assert len(smtp.received) == before
    assert "a-password" not in repr(config) and "a-password" not in repr(replace(config, port=1))
