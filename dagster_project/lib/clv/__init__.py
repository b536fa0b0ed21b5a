"""Customer lifetime value: BG/NBD (repeat occasions, p_alive) and Gamma-Gamma (value per occasion).

Pure numpy/scipy/duckdb, no Dagster. Modules:
  bgnbd        fit, p_alive, conditional_expected_occasions, expected_occasions (Fader, Hardie & Lee 2005)
  gamma_gamma  fit, conditional_expected_value (Fader & Hardie)
  value        12-month discounted CLV
  pipeline     rfm_summary, fit_and_score, holdout on a DuckDB warehouse (re-exported from rfm, scoring,
               holdout_validation; shared DuckDB helpers in _warehouse)
"""

from ._common import MONTH_DAYS, UNIT_DAYS, ClvFitError
from .bgnbd import BgNbdFit, BgNbdParams
from .gamma_gamma import GammaGammaFit, GammaGammaParams
from .pipeline import FitResult, HoldoutResult, fit_and_score, holdout, rfm_summary
from .value import customer_lifetime_value, discounted_expected_occasions

__all__ = [
    "BgNbdFit",
    "BgNbdParams",
    "ClvFitError",
    "FitResult",
    "GammaGammaFit",
    "GammaGammaParams",
    "HoldoutResult",
    "MONTH_DAYS",
    "UNIT_DAYS",
    "customer_lifetime_value",
    "discounted_expected_occasions",
    "fit_and_score",
    "holdout",
    "rfm_summary",
]
