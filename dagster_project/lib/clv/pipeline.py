"""CLV on the warehouse: RFM summary in DuckDB, BG/NBD + Gamma-Gamma fit, scored and holdout marts.

Every function takes an open read-write DuckDB connection. Source: intermediate.int_purchase_occasions
(order_id, customer_id, occasion_date, revenue), all history. As in the BG/NBD paper, purchases are
counted as occasion DAYS: several occasions of one customer on one day are one (their revenue summed).

Tables written (CREATE OR REPLACE, one transaction per call):
  fit_and_score -> marts.clv_model_params, marts.customer_clv
  holdout       -> marts.clv_holdout, marts.clv_holdout_by_frequency, marts.clv_holdout_curve

This module only gathers the public names; the work is done in
  rfm                 rfm_summary (the RFM SQL)
  scoring             FitResult, fit_and_score
  holdout_validation  HoldoutResult, holdout, frequency_bucket
  _warehouse          table-name validation, date arguments, transactional table writes
"""

from ._warehouse import OCCASIONS_TABLE
from .holdout_validation import HOLDOUT_FREQUENCY_CAP, HoldoutResult, frequency_bucket, holdout
from .rfm import rfm_summary
from .scoring import FitResult, fit_and_score

__all__ = [
    "FitResult",
    "HOLDOUT_FREQUENCY_CAP",
    "HoldoutResult",
    "OCCASIONS_TABLE",
    "fit_and_score",
    "frequency_bucket",
    "holdout",
    "rfm_summary",
]
