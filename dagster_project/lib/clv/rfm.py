"""RFM summary of the purchase occasions, computed in DuckDB: the BG/NBD and Gamma-Gamma inputs."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from ._common import unit_days
from ._warehouse import OCCASIONS_TABLE, as_date, table_ref

_RFM_SQL = """
WITH days AS (
    SELECT CAST(customer_id AS VARCHAR) AS customer_id,
           CAST(occasion_date AS DATE) AS day,
           CAST(SUM(revenue) AS DOUBLE) AS revenue
    FROM {table}
    WHERE occasion_date <= $end
    GROUP BY 1, 2
), flagged AS (
    SELECT *, day > MIN(day) OVER (PARTITION BY customer_id) AS is_repeat
    FROM days
)
SELECT customer_id,
       CAST(COUNT(*) - 1 AS INTEGER) AS frequency,
       date_diff('day', MIN(day), MAX(day)) / $unit_days AS recency,
       date_diff('day', MIN(day), $end) / $unit_days AS age,
       SUM(revenue) FILTER (WHERE is_repeat) / NULLIF(COUNT(*) - 1, 0) AS monetary_value,
       MIN(day) AS first_purchase,
       MAX(day) AS last_purchase
FROM flagged
GROUP BY customer_id
ORDER BY customer_id
"""


def rfm_summary(
    con, calibration_end: date, unit: str = "week", *, occasions_table: str = OCCASIONS_TABLE
) -> pd.DataFrame:
    """Per customer with a purchase on or before `calibration_end` (computed in DuckDB):

    frequency x = distinct purchase days - 1; recency t_x = last day - first day; age T = calibration_end -
    first day (both in `unit`: weeks = days / 7); monetary_value m_x = mean revenue of the repeat days (revenue
    summed per day, first day excluded; NULL when x = 0); first_purchase, last_purchase (DATE).
    """
    end = as_date(calibration_end, "calibration_end")
    sql = _RFM_SQL.format(table=table_ref(occasions_table))
    df = con.execute(sql, {"end": end, "unit_days": unit_days(unit)}).df()
    df["customer_id"] = df["customer_id"].astype(object)
    return df


def rfm_arrays(rfm: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(x, t_x, T) of an rfm_summary as float arrays."""
    return (
        rfm["frequency"].to_numpy(dtype=float),
        rfm["recency"].to_numpy(dtype=float),
        rfm["age"].to_numpy(dtype=float),
    )
