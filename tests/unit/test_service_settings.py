"""Settings of the service and the email: time zone of the schedules, SMTP, recipients."""

from __future__ import annotations

import pytest

from dagster_project.definitions import build_definitions
from dagster_project.settings import Settings, SettingsError


def test_schedules_run_on_madrid_time_unless_told_otherwise():
    defs = build_definitions(Settings.from_env(env={}))
    assert {s.name: s.execution_timezone for s in defs.schedules} == {
        "nightly_refresh_0200": "Europe/Madrid",
        "weekly_report_monday_0700": "Europe/Madrid",
    }
    defs = build_definitions(Settings.from_env(env={"CARTERA_TIMEZONE": "America/Mexico_City"}))
    assert {s.execution_timezone for s in defs.schedules} == {"America/Mexico_City"}


def test_an_unknown_time_zone_is_refused():
    with pytest.raises(SettingsError, match="CARTERA_TIMEZONE must be a time zone such as Europe/Madrid"):
        Settings.from_env(env={"CARTERA_TIMEZONE": "Madrid"})


def test_email_is_off_by_default_and_on_with_recipients():
    assert not Settings.from_env(env={}).email.enabled
    email = Settings.from_env(
        env={"CARTERA_EMAIL_TO": "a@example.es, b@example.es", "CARTERA_SMTP_HOST": "smtp.example.es"}
    ).email
    assert email.enabled and email.recipients == ("a@example.es", "b@example.es")
    assert (email.port, email.security) == (587, "starttls")
    tls = Settings.from_env(
        env={"CARTERA_EMAIL_TO": "a@example.es", "CARTERA_SMTP_HOST": "h", "CARTERA_SMTP_SECURITY": "tls"}
    ).email
    assert tls.port == 465


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"CARTERA_EMAIL_TO": "a@example.es"}, "CARTERA_SMTP_HOST is not"),
        ({"CARTERA_EMAIL_TO": "a@example.es\r\nBcc: x@evil", "CARTERA_SMTP_HOST": "h"}, "not an email address"),
        ({"CARTERA_SMTP_SECURITY": "ssl3"}, "CARTERA_SMTP_SECURITY must be one of starttls, tls, none"),
        ({"CARTERA_SMTP_PORT": "70000"}, "CARTERA_SMTP_PORT must be a port number"),
    ],
)
def test_bad_email_settings_are_refused_with_the_reason(env, message):
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(env=env)
