"""Why a run failed, one line per cause in words (the check, the file, the var), without stack traces."""

from __future__ import annotations

import re

_CLASS_PREFIX = re.compile(r"^[\w.]*(?:Error|Exception|Failure): ")


def _first_line(text: str | None) -> str:
    for line in (text or "").strip().splitlines():
        if line.strip():
            return line.strip()
    return ""


def _dbt_cause(message: str) -> str | None:
    """The error dbt itself printed (a compilation error naming the model and the var, a database error ...)."""
    if "Errors parsed from dbt logs:" not in message:
        return None
    lines = [ln.strip() for ln in message.split("Errors parsed from dbt logs:", 1)[1].splitlines()]
    lines = [ln for ln in lines if ln and not ln.startswith(">") and ln != "Encountered an error:"]
    if not lines:
        return None
    head = re.sub(r" \(models/[^)]*\)$", "", lines[0])
    return f"dbt: {head}: {lines[1]}" if len(lines) > 1 else f"dbt: {head}"


def step_failure_cause(step_key: str, error) -> str:
    """One line for a failed step: the Failure's own words, dbt's error, else the exception's first line."""
    message = (error.message or "") if error else ""
    if dbt := _dbt_cause(message):
        return dbt
    text = _first_line(message)
    if error is not None and error.cls_name == "Failure":
        return _CLASS_PREFIX.sub("", text)
    return f"step {step_key} failed: {text}"


def check_cause(evaluation) -> str:
    desc = _first_line(evaluation.description)
    return (
        f"check {evaluation.asset_key.to_user_string()}:{evaluation.check_name} failed"
        f"{' (blocking)' if evaluation.blocking else ''}{': ' + desc if desc else ''}"
    )


def failed_checks(events) -> list:
    return [e for e in events if e.event_type_value == "ASSET_CHECK_EVALUATION" and not e.event_specific_data.passed]


def failure_causes(events) -> list[str]:
    """Why a run failed: the blocking checks that failed and the failed checks of failed steps first, then the
    failed steps they don't explain (a dbt build that failed because one of its tests failed says only which
    test). A non-blocking check that failed in a step that succeeded is a warning, not a cause."""
    failed_steps = {e.step_key for e in events if e.event_type_value == "STEP_FAILURE"}
    checks = [e for e in failed_checks(events) if e.event_specific_data.blocking or e.step_key in failed_steps]
    out = [check_cause(e.event_specific_data) for e in checks]
    explained = {e.step_key for e in checks}
    for e in events:
        if e.event_type_value == "STEP_FAILURE" and e.step_key not in explained:
            line = step_failure_cause(e.step_key, e.event_specific_data.error)
            if line not in out:
                out.append(line)
    return out


def check_warnings(events) -> list[str]:
    """Failed checks that did not stop the run (non-blocking), e.g. a customer-value model that could not fit."""
    causes = set(failure_causes(events))
    return [line for line in (check_cause(e.event_specific_data) for e in failed_checks(events)) if line not in causes]
