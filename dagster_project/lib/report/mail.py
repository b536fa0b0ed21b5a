"""The weekly report by email: an HTML body with the headline figures and the full report attached, over SMTP.

    message = report_message(headline, report_path, as_of, lang="es", currency="€", sender=..., recipients=[...])
    send_message(message, SmtpConfig(host="smtp.example.es", port=587, security="starttls", user=..., password=...))

Pure Python (smtplib, email); the report asset decides whether to send (off unless recipients are set).
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from html import escape
from pathlib import Path

from .formatting import format_date, format_int, format_money, format_pct
from .labels import label
from .vars_in_force import contract_defaults, var_words

SECURITY = ("starttls", "tls", "none")


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int = 587
    security: str = "starttls"  # starttls (port 587), tls (implicit TLS, port 465) or none (a local relay)
    user: str | None = None
    password: str | None = None  # read from the environment, never from a file or run config
    ca_file: str | None = None  # a private CA to trust (a company relay); the system's CAs otherwise
    timeout: float = 30.0

    def __repr__(self) -> str:  # never print the password
        return f"SmtpConfig(host={self.host!r}, port={self.port}, security={self.security!r}, user={self.user!r})"


def headline_figures(
    headline: dict, currency: str, lang: str, vars_in_force: dict | None = None
) -> list[tuple[str, str]]:
    """(name, value) of the figures the owner reads first, formatted in `lang` - as the report's cards; the
    windows and shares their names state from `vars_in_force` (the warehouse's; the defaults when None)."""
    words = var_words(vars_in_force or contract_defaults(), lang, currency)
    prospects = headline.get("customers_potential", 0) + headline.get("customers_probable", 0)
    figures = [
        (label("card.active_customers", lang), format_int(headline["active_customers"], lang)),
        (label("card.inactive_customers", lang), format_int(headline.get("customers_inactive", 0), lang)),
        (label("card.prospects", lang), format_int(prospects, lang)),
        (label("card.net_revenue_365d", lang, **words), format_money(headline["net_revenue_365d"], currency, lang)),
        (
            label("card.top_80", lang, **words),
            f"{format_int(headline['top_80_customers'], lang)} "
            f"({format_pct(headline['top_80_share_of_customers'], 1, lang)})",
        ),
    ]
    if "clv_total_12m" in headline:
        figures.append((label("card.clv_total_12m", lang), format_money(headline["clv_total_12m"], currency, lang)))
    return figures


def _html_body(title: str, figures: list[tuple[str, str]], lang: str, attachment: str) -> str:
    rows = "".join(
        f'<tr><td style="padding:6px 16px 6px 0;color:#374151">{escape(name)}</td>'
        f'<td style="padding:6px 0;font-weight:700;text-align:right">{escape(value)}</td></tr>'
        for name, value in figures
    )
    return (
        f'<!DOCTYPE html><html lang="{escape(lang)}"><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
        f'<body style="font-family:Arial,Helvetica,sans-serif;color:#1f2937">'
        f'<h1 style="font-size:20px">{escape(title)}</h1>'
        f'<table style="border-collapse:collapse;font-size:15px">{rows}</table>'
        f'<p style="color:#6b7280;font-size:13px">{escape(label("email.attached", lang, file=attachment))}</p>'
        f"</body></html>"
    )


def report_message(
    headline: dict,
    report_path: Path,
    as_of: date,
    *,
    lang: str,
    currency: str,
    sender: str,
    recipients: list[str],
    vars_in_force: dict | None = None,
) -> EmailMessage:
    """The email: subject with the date, plain-text and HTML bodies with the headline, the report attached."""
    report_path = Path(report_path)
    title = label("title_dated", lang, date=format_date(as_of, lang))
    figures = headline_figures(headline, currency, lang, vars_in_force)
    message = EmailMessage()
    message["Subject"] = title
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    text = "\n".join([title, "", *(f"{name}: {value}" for name, value in figures), ""])
    message.set_content(text + label("email.attached", lang, file=report_path.name) + "\n")
    message.add_alternative(_html_body(title, figures, lang, report_path.name), subtype="html")
    message.add_attachment(
        report_path.read_text(encoding="utf-8"),
        subtype="html",
        charset="utf-8",
        cte="base64",
        filename=report_path.name,
    )
    return message


def send_message(message: EmailMessage, config: SmtpConfig) -> list[str]:
    """Send over SMTP with the configured security and login; returns the recipients the server accepted."""
    if config.security not in SECURITY:
        raise ValueError(f"SMTP security must be one of {', '.join(SECURITY)}, not {config.security!r}")
    context = ssl.create_default_context(cafile=config.ca_file) if config.security != "none" else None
    client: smtplib.SMTP
    if config.security == "tls":
        client = smtplib.SMTP_SSL(config.host, config.port, timeout=config.timeout, context=context)
    else:
        client = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
    with client:
        if config.security == "starttls":
            client.starttls(context=context)
        if config.user:
            client.login(config.user, config.password or "")
        refused = client.send_message(message)
    recipients = [a.strip() for a in str(message["To"]).split(",")]
    return [r for r in recipients if r not in refused]
