"""When to refit the purchase and value models, and when to score with the stored parameters.

Rule (README, "Customer value"): refit when there is no stored fit, when the settings that shape a fit changed
(forced model, holdout length, value-model threshold, sample size), when the stored fit is `refit_days` or more
older than as_of (or newer: as_of moved back), or when the portfolio changed materially since the fit: the
number of buyers or of purchase occasions moved by more than `change_share` (default 10%) relative to what the
fit saw. Otherwise every customer is scored with the stored parameters.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any


def refit_reason(
    stored: Mapping[str, Any] | None,
    *,
    as_of: date,
    buyers: int,
    occasions: int,
    settings_key: str,
    refit_days: int,
    change_share: float,
) -> str | None:
    """Why a refit is needed, or None to score with the stored fit. `stored` holds fitted_as_of, buyers,
    occasions and settings_key of the fit in force."""
    if not stored:
        return "no stored fit"
    if stored.get("settings_key") != settings_key:
        return "model settings changed"
    fitted = stored["fitted_as_of"]
    if as_of < fitted:
        return f"as_of {as_of} is before the stored fit's {fitted}"
    age = (as_of - fitted).days
    if age >= refit_days:
        return f"stored fit is {age} days old (refit every {refit_days})"
    for what, now in (("buyers", buyers), ("occasions", occasions)):
        before = int(stored.get(what) or 0)
        if before <= 0 or abs(now - before) / before > change_share:
            return f"{what} changed from {before} to {now} (more than {change_share:.0%})"
    return None
