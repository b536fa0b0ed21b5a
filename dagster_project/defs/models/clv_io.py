"""The customer-value model's reads and writes on the working warehouse: RFM summaries of the purchase
occasions (DuckDB SQL), the stored fit, and the tables of schema `clv` (one transaction per write)."""

from __future__ import annotations

import uuid
from datetime import date

import pandas as pd

OCCASIONS = "intermediate.int_purchase_occasions"
SCHEMA = "clv"

# Table -> (column, SQL type). The dbt sources in dbt/models/staging/clv/_clv__sources.yml describe them.
TABLES: dict[str, list[tuple[str, str]]] = {
    "customer_scores": [
        ("customer_id", "VARCHAR"),
        ("model", "VARCHAR"),
        ("value_method", "VARCHAR"),
        ("frequency", "INTEGER"),
        ("recency", "DOUBLE"),
        ("age", "DOUBLE"),
        ("p_alive", "DOUBLE"),
        ("p_no_purchase_90d", "DOUBLE"),
        ("expected_occasions_90d", "DOUBLE"),
        ("expected_occasions_365d", "DOUBLE"),
        ("expected_days_to_next_purchase", "DOUBLE"),
        ("expected_value_per_occasion", "DOUBLE"),
        ("clv_12m", "DOUBLE"),
        ("clv_12m_low", "DOUBLE"),
        ("clv_12m_high", "DOUBLE"),
        ("value_rank", "BIGINT"),
        ("scored_as_of", "DATE"),
        ("fit_id", "VARCHAR"),
    ],
    "model_params": [
        ("fit_id", "VARCHAR"),
        ("fitted_at", "TIMESTAMP"),
        ("fitted_as_of", "DATE"),
        ("settings_key", "VARCHAR"),
        ("buyers", "BIGINT"),
        ("occasions", "BIGINT"),
        ("sampled", "BOOLEAN"),
        ("selection", "VARCHAR"),
        ("model", "VARCHAR"),
        ("parameter", "VARCHAR"),
        ("value", "DOUBLE"),
        ("std_error", "DOUBLE"),
        ("log_likelihood", "DOUBLE"),
        ("customers_fitted", "BIGINT"),
        ("status", "VARCHAR"),
        ("in_use", "BOOLEAN"),
        ("covariance_json", "VARCHAR"),
        ("note", "VARCHAR"),
    ],
    "model_comparison": [
        ("fit_id", "VARCHAR"),
        ("calibration_end", "DATE"),
        ("holdout_end", "DATE"),
        ("model", "VARCHAR"),
        ("status", "VARCHAR"),
        ("calibration_log_likelihood", "DOUBLE"),
        ("holdout_predicted", "DOUBLE"),
        ("holdout_actual", "DOUBLE"),
        ("curve_error", "DOUBLE"),
        ("customer_mae", "DOUBLE"),
        ("model_rank", "INTEGER"),
        ("chosen", "BOOLEAN"),
        ("note", "VARCHAR"),
    ],
    "holdout": [
        ("customer_id", "VARCHAR"),
        ("frequency_cal", "INTEGER"),
        ("predicted_occasions", "DOUBLE"),
        ("actual_occasions", "BIGINT"),
    ],
    "holdout_by_frequency": [
        ("model", "VARCHAR"),
        ("frequency_bucket", "VARCHAR"),
        ("customers", "BIGINT"),
        ("mean_predicted", "DOUBLE"),
        ("mean_actual", "DOUBLE"),
    ],
    "holdout_curve": [
        ("model", "VARCHAR"),
        ("week_number", "INTEGER"),
        ("week_start", "DATE"),
        ("actual_cumulative", "DOUBLE"),
        ("predicted_cumulative", "DOUBLE"),
    ],
}
HISTORY = "model_fit_history"  # every fit ever made: model_params' columns, appended on each refit

# Revenue is summed as the exact decimal it is and made a double once at the end: a sum of doubles depends on the
# order rows arrive in, and the fitted parameters must not depend on which engine built the occasions.
_DAYS = f"""days AS (
    SELECT CAST(customer_id AS VARCHAR) AS customer_id, CAST(occasion_date AS DATE) AS day,
           SUM(revenue) AS revenue
    FROM {OCCASIONS} WHERE occasion_date <= $end GROUP BY 1, 2
)"""

RFM_SQL = f"""WITH {_DAYS}, flagged AS (
    SELECT *, day > MIN(day) OVER (PARTITION BY customer_id) AS is_repeat FROM days
)
SELECT customer_id, CAST(COUNT(*) - 1 AS INTEGER) AS frequency,
       date_diff('day', MIN(day), MAX(day)) / 7.0 AS recency,
       date_diff('day', MIN(day), $end) / 7.0 AS age,
       CAST(SUM(revenue) FILTER (WHERE is_repeat) AS DOUBLE) / NULLIF(COUNT(*) - 1, 0) AS monetary_value
FROM flagged GROUP BY customer_id ORDER BY customer_id"""

_CAL = f"""WITH {_DAYS}, per AS (
    SELECT customer_id, MIN(day) AS first_day,
           COUNT(*) FILTER (WHERE day <= $cal_end) - 1 AS frequency,
           MAX(day) FILTER (WHERE day <= $cal_end) AS last_cal,
           COUNT(*) FILTER (WHERE day > $cal_end) AS holdout_occasions
    FROM days GROUP BY customer_id HAVING MIN(day) <= $cal_end
)"""

CALIBRATION_SQL = f"""{_CAL}
SELECT customer_id, CAST(frequency AS INTEGER) AS frequency, date_diff('day', first_day, last_cal) / 7.0 AS recency,
       date_diff('day', first_day, $cal_end) / 7.0 AS age, CAST(holdout_occasions AS BIGINT) AS holdout_occasions,
       date_diff('day', $start, first_day) AS first_purchase_day
FROM per ORDER BY customer_id"""

WEEKLY_SQL = f"""{_CAL}
SELECT CAST(date_diff('day', $start, d.day) // 7 + 1 AS INTEGER) AS week_number, COUNT(*) AS repeats
FROM days d JOIN per f ON f.customer_id = d.customer_id AND d.day > f.first_day GROUP BY 1"""


def read_rfm(con, end: date) -> pd.DataFrame:
    return con.execute(RFM_SQL, {"end": end}).df()


def read_holdout_inputs(con, start: date, cal_end: date, end: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    params = {"start": start, "cal_end": cal_end, "end": end}
    return con.execute(CALIBRATION_SQL, params).df(), con.execute(WEEKLY_SQL, params).df()


def table_exists(con, name: str) -> bool:
    sql = "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?"
    return bool(con.execute(sql, [SCHEMA, name]).fetchone()[0])


def read_stored_fit(con) -> pd.DataFrame | None:
    """Rows of the latest fit in clv.model_fit_history (None when there is none)."""
    if not table_exists(con, HISTORY):
        return None
    df = con.execute(
        f"SELECT * FROM {SCHEMA}.{HISTORY} WHERE fit_id = "
        f"(SELECT fit_id FROM {SCHEMA}.{HISTORY} ORDER BY fitted_at DESC, fit_id LIMIT 1)"
    ).df()
    return df if len(df) else None


def _select(table: str, df: pd.DataFrame) -> str:
    cols = []
    for name, sql_type in TABLES[table]:
        cols.append(f'CAST({name if name in df.columns else "NULL"} AS {sql_type}) AS "{name}"')
    return ", ".join(cols)


def write(con, tables: dict[str, pd.DataFrame], *, append_history: bool = False) -> None:
    """Replace each clv.<table> by its frame (and append to the fit history), all in one transaction."""
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
    con.execute("BEGIN TRANSACTION")
    try:
        for table, df in tables.items():
            view = f"_clv_{uuid.uuid4().hex}"
            con.register(view, df)
            try:
                con.execute(f"CREATE OR REPLACE TABLE {SCHEMA}.{table} AS SELECT {_select(table, df)} FROM {view}")
                if table == "model_params" and append_history:
                    if not table_exists(con, HISTORY):
                        con.execute(f"CREATE TABLE {SCHEMA}.{HISTORY} AS SELECT * FROM {SCHEMA}.{table} LIMIT 0")
                    con.execute(f"INSERT INTO {SCHEMA}.{HISTORY} SELECT * FROM {SCHEMA}.{table}")
            finally:
                con.unregister(view)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def ensure_tables(con) -> None:
    """Create any missing clv table empty, so dbt's sources always exist."""
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
    for table, cols in TABLES.items():
        spec = ", ".join(f'"{n}" {t}' for n, t in cols)
        con.execute(f"CREATE TABLE IF NOT EXISTS {SCHEMA}.{table} ({spec})")


def empty(table: str) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype="object") for name, _ in TABLES[table]})
