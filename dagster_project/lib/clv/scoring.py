"""Fit BG/NBD + Gamma-Gamma on all history up to an as-of date and score every customer.

Writes (CREATE OR REPLACE, one transaction) marts.clv_model_params and marts.customer_clv.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import numpy as np
import pandas as pd

from . import bgnbd, gamma_gamma
from ._common import ClvFitError, compress_rows, unit_days
from ._warehouse import OCCASIONS_TABLE, as_date, write_tables
from .bgnbd import BgNbdFit
from .gamma_gamma import GammaGammaFit
from .rfm import rfm_arrays, rfm_summary
from .value import discounted_expected_occasions


@dataclass(frozen=True)
class FitResult:
    as_of: date
    time_unit: str
    discount_rate_monthly: float
    bgnbd: BgNbdFit
    gamma_gamma: GammaGammaFit
    customers_scored: int
    total_clv_12m: float
    warnings: list[str] = field(default_factory=list)

    def metadata(self) -> dict:
        """Plain JSON-able summary for orchestrator metadata."""
        return {
            "as_of": self.as_of.isoformat(),
            "time_unit": self.time_unit,
            "discount_rate_monthly": self.discount_rate_monthly,
            "customers_scored": self.customers_scored,
            "total_clv_12m": round(self.total_clv_12m, 2),
            "bgnbd_params": self.bgnbd.params.as_dict(),
            "bgnbd_log_likelihood": self.bgnbd.log_likelihood,
            "bgnbd_customers": self.bgnbd.customers,
            "bgnbd_repeat_customers": self.bgnbd.repeat_customers,
            "gamma_gamma_params": self.gamma_gamma.params.as_dict(),
            "gamma_gamma_log_likelihood": self.gamma_gamma.log_likelihood,
            "gamma_gamma_customers": self.gamma_gamma.customers,
            "frequency_value_correlation": self.gamma_gamma.frequency_value_correlation,
            "warnings": list(self.warnings),
        }


def fit_and_score(
    con, as_of: date, discount_rate_monthly: float = 0.01, unit: str = "week", *, occasions_table: str = OCCASIONS_TABLE
) -> FitResult:
    """Fit BG/NBD and Gamma-Gamma on all history up to `as_of` and score every customer who bought by then.

    marts.customer_clv columns: frequency/recency/age = x, t_x, T in `unit`; p_alive; expected occasions
    in the next 90 and 365 days; expected_value_per_occasion (Gamma-Gamma); clv_12m (see value.py:
    E[Z] * sum_k discounted expected occasions in month k, k = 1..12); value_rank (1 = highest clv_12m).
    Raises ClvFitError when either model cannot be fitted.
    """
    as_of = as_date(as_of, "as_of")
    udays = unit_days(unit)
    rfm = rfm_summary(con, as_of, unit, occasions_table=occasions_table)
    if rfm.empty:
        raise ClvFitError(f"no purchase occasions on or before {as_of.isoformat()}")
    x, t_x, T = rfm_arrays(rfm)
    warnings: list[str] = []

    bg = bgnbd.fit(x, t_x, T)
    m = rfm["monetary_value"].to_numpy(dtype=float)
    nonpositive = (x > 0) & ~(m > 0)
    if nonpositive.any():
        warnings.append(
            f"{int(nonpositive.sum())} repeat customer(s) with net repeat-occasion value <= 0 were left "
            "out of the Gamma-Gamma fit; their value per occasion uses m_x = 0"
        )
    gg = gamma_gamma.fit(np.where(nonpositive, 0.0, x), m)
    warnings += bg.warnings + gg.warnings

    # Predictions on distinct (x, t_x, T) rows, expanded back to customers.
    (ux, ut, uT), _, inverse = compress_rows(x, t_x, T)
    p = bg.params
    with np.errstate(all="ignore"):
        scores = {
            "p_alive": bgnbd.p_alive(p, ux, ut, uT),
            "expected_occasions_90d": bgnbd.conditional_expected_occasions(p, 90.0 / udays, ux, ut, uT),
            "expected_occasions_365d": bgnbd.conditional_expected_occasions(p, 365.0 / udays, ux, ut, uT),
            "discounted_occasions": discounted_expected_occasions(
                p, ux, ut, uT, months=12, discount_rate_monthly=discount_rate_monthly, unit_days=udays
            ),
        }
    for name, values in scores.items():
        if not np.all(np.isfinite(values)):
            raise ClvFitError(f"non-finite {name} for {int((~np.isfinite(values)).sum())} distinct customer row(s)")
    value = gamma_gamma.conditional_expected_value(
        gg.params, x, np.where(x > 0, np.maximum(np.nan_to_num(m), 0.0), 0.0)
    )
    out = pd.DataFrame(
        {
            "customer_id": rfm["customer_id"],
            "frequency": rfm["frequency"].astype("int64"),
            "recency": t_x,
            "age": T,
            "p_alive": scores["p_alive"][inverse],
            "expected_occasions_90d": scores["expected_occasions_90d"][inverse],
            "expected_occasions_365d": scores["expected_occasions_365d"][inverse],
            "expected_value_per_occasion": value,
        }
    )
    out["clv_12m"] = value * scores["discounted_occasions"][inverse]
    order = np.lexsort((out["customer_id"].to_numpy(), -out["clv_12m"].to_numpy()))
    rank = np.empty(len(out), dtype=np.int64)
    rank[order] = np.arange(1, len(out) + 1)
    out["value_rank"] = rank

    fitted_at = datetime.now(UTC).replace(tzinfo=None)
    params = pd.DataFrame(
        [("bgnbd", k, v, bg.log_likelihood, bg.customers) for k, v in p.as_dict().items()]
        + [("gamma_gamma", k, v, gg.log_likelihood, gg.customers) for k, v in gg.params.as_dict().items()],
        columns=["model", "parameter", "value", "log_likelihood", "customers_fitted"],
    )
    params["calibration_end"] = as_of
    params["time_unit"] = unit
    params["fitted_at"] = fitted_at
    write_tables(
        con,
        [
            (
                "marts.clv_model_params",
                params,
                "CAST(model AS VARCHAR) AS model, CAST(parameter AS VARCHAR) AS parameter, CAST(value AS DOUBLE) AS value, "
                "CAST(log_likelihood AS DOUBLE) AS log_likelihood, CAST(customers_fitted AS BIGINT) AS customers_fitted, "
                "CAST(calibration_end AS DATE) AS calibration_end, CAST(time_unit AS VARCHAR) AS time_unit, "
                "CAST(fitted_at AS TIMESTAMP) AS fitted_at",
            ),
            (
                "marts.customer_clv",
                out,
                "CAST(customer_id AS VARCHAR) AS customer_id, CAST(frequency AS INTEGER) AS frequency, "
                "recency, age, p_alive, expected_occasions_90d, expected_occasions_365d, expected_value_per_occasion, "
                "clv_12m, CAST(value_rank AS BIGINT) AS value_rank",
            ),
        ],
    )
    return FitResult(
        as_of=as_of,
        time_unit=unit,
        discount_rate_monthly=discount_rate_monthly,
        bgnbd=bg,
        gamma_gamma=gg,
        customers_scored=len(out),
        total_clv_12m=float(out["clv_12m"].sum()),
        warnings=warnings,
    )
