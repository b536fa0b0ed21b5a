"""The slice's marts in bare DuckDB SQL, no orchestration: the engine's floor (benchmark contender).

    .venv/bin/python benchmarks/duckdb_marts.py ORDERS_CSV OUT.duckdb

One process, one connection: load the orders-only export (customer_id, order_date, amount) into a typed
table, then build customer_status, customer_volume, customer_frequency, pareto_customers, pareto_summary,
cohort_retention and customer_profile as tables in OUT.duckdb (schema marts). Same definitions and default
vars as dbt/models (see benchmarks/pandas_marts.py for the list). DuckDB's default threads and memory limit.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

MARTS_SQL = """
CREATE SCHEMA marts;

CREATE TEMP TABLE occasions AS
SELECT customer_id, order_date AS occasion_date, CAST(sum(amount) AS DECIMAL(18, 2)) AS revenue
FROM orders GROUP BY customer_id, order_date;

CREATE TEMP TABLE as_of AS SELECT max(order_date) AS as_of FROM orders;

CREATE TEMP TABLE summary AS
SELECT o.customer_id, a.as_of,
       min(o.occasion_date) AS first_order_date,
       max(o.occasion_date) AS last_order_date,
       count(*) AS occasions,
       CAST(sum(o.revenue) AS DECIMAL(18, 2)) AS net_revenue,
       count(*) FILTER (WHERE o.occasion_date > a.as_of - 90) AS occasions_active_window,
       count(*) FILTER (WHERE o.occasion_date > a.as_of - 365) AS occasions_recurrence_window,
       CAST(sum(CASE WHEN o.occasion_date > a.as_of - 365 THEN o.revenue ELSE 0 END) AS DECIMAL(18, 2))
           AS net_revenue_volume_window,
       CAST(sum(CASE WHEN o.occasion_date > a.as_of - 365 THEN o.revenue ELSE 0 END) AS DECIMAL(18, 2))
           AS net_revenue_pareto_window
FROM occasions o CROSS JOIN as_of a
WHERE o.occasion_date <= a.as_of
GROUP BY o.customer_id, a.as_of;

CREATE TABLE marts.customer_status AS
SELECT customer_id, as_of,
       CASE WHEN last_order_date > as_of - 90 AND occasions_recurrence_window >= 2 THEN 'current'
            WHEN last_order_date > as_of - 90 THEN 'active'
            ELSE 'inactive' END AS status,
       occasions_active_window, occasions_recurrence_window, last_order_date,
       date_diff('day', last_order_date, as_of) AS days_since_last_order
FROM summary;

CREATE TABLE marts.customer_volume AS
WITH m AS (SELECT avg(net_revenue_volume_window) AS mean_revenue FROM summary WHERE net_revenue_volume_window > 0)
SELECT s.customer_id, s.as_of, s.net_revenue_volume_window AS net_revenue, m.mean_revenue,
       s.net_revenue_volume_window / m.mean_revenue AS ratio_to_mean,
       CASE WHEN s.net_revenue_volume_window <= 0 OR m.mean_revenue IS NULL THEN NULL
            WHEN s.net_revenue_volume_window >= 2.0 * m.mean_revenue THEN 'very_high'
            WHEN s.net_revenue_volume_window >= 1.25 * m.mean_revenue THEN 'high'
            WHEN s.net_revenue_volume_window >= 0.75 * m.mean_revenue THEN 'medium'
            ELSE 'low' END AS tier
FROM summary s CROSS JOIN m;

CREATE TABLE marts.customer_frequency AS
WITH f AS (
    SELECT customer_id, as_of, occasions, first_order_date, last_order_date,
           date_diff('day', first_order_date, last_order_date) * 1.0 / nullif(occasions - 1, 0) AS mean_days_between
    FROM summary)
SELECT *, CASE WHEN mean_days_between IS NULL THEN 'occasional'
               WHEN mean_days_between <= 30 THEN 'frequent'
               WHEN mean_days_between <= 90 THEN 'habitual'
               ELSE 'occasional' END AS tier
FROM f;

CREATE TABLE marts.pareto_customers AS
WITH ranked AS (
    SELECT customer_id, as_of, net_revenue_pareto_window AS net_revenue,
           row_number() OVER (ORDER BY net_revenue_pareto_window DESC, customer_id ASC) AS revenue_rank
    FROM summary WHERE net_revenue_pareto_window > 0),
cumulated AS (
    SELECT *, sum(net_revenue) OVER (ORDER BY revenue_rank ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
                  AS cumulative_revenue,
              sum(net_revenue) OVER () AS total_revenue
    FROM ranked)
SELECT customer_id, as_of, revenue_rank, net_revenue, cumulative_revenue,
       cumulative_revenue * 1.0 / total_revenue AS cumulative_share,
       cumulative_revenue - net_revenue < 0.8 * total_revenue AS is_top_80
FROM cumulated;

CREATE TABLE marts.pareto_summary AS
SELECT a.as_of, count(*) AS customers, count(*) FILTER (WHERE is_top_80) AS top_80_customers,
       count(*) FILTER (WHERE is_top_80) * 1.0 / nullif(count(*), 0) AS top_80_share_of_customers,
       coalesce(sum(net_revenue), 0) AS net_revenue,
       coalesce(sum(net_revenue) FILTER (WHERE is_top_80), 0) AS top_80_net_revenue
FROM marts.pareto_customers CROSS JOIN as_of a
GROUP BY a.as_of;

CREATE TABLE marts.cohort_retention AS
WITH cohort_customers AS (
    SELECT customer_id, CAST(date_trunc('month', first_order_date) AS DATE) AS cohort_month FROM summary),
cohorts AS (
    SELECT c.cohort_month, count(*) AS cohort_size,
           date_diff('month', c.cohort_month, date_trunc('month', a.as_of)) AS last_period_number
    FROM cohort_customers c CROSS JOIN as_of a GROUP BY c.cohort_month, a.as_of),
periods AS (
    SELECT cohort_month, unnest(generate_series(0, last_period_number)) AS period_number FROM cohorts),
customer_months AS (
    SELECT o.customer_id, CAST(date_trunc('month', o.occasion_date) AS DATE) AS activity_month,
           sum(o.revenue) AS revenue
    FROM occasions o CROSS JOIN as_of a WHERE o.occasion_date <= a.as_of GROUP BY 1, 2),
activity AS (
    SELECT c.cohort_month, date_diff('month', c.cohort_month, m.activity_month) AS period_number,
           count(*) AS active_customers, sum(m.revenue) AS revenue
    FROM customer_months m JOIN cohort_customers c ON m.customer_id = c.customer_id GROUP BY 1, 2)
SELECT p.cohort_month, p.period_number,
       CAST(p.cohort_month + to_months(CAST(p.period_number AS INTEGER)) AS DATE) AS period_month,
       c.cohort_size, coalesce(a.active_customers, 0) AS active_customers,
       coalesce(a.active_customers, 0) * 1.0 / c.cohort_size AS retention_rate,
       CAST(coalesce(a.revenue, 0) AS DECIMAL(18, 2)) AS revenue
FROM periods p
JOIN cohorts c ON p.cohort_month = c.cohort_month
LEFT JOIN activity a ON p.cohort_month = a.cohort_month AND p.period_number = a.period_number;

CREATE TABLE marts.customer_profile AS
SELECT s.customer_id, s.as_of, s.first_order_date, s.last_order_date, s.occasions, s.net_revenue,
       s.net_revenue / nullif(s.occasions, 0) AS avg_order_value,
       date_diff('day', s.first_order_date, s.as_of) AS tenure_days,
       st.status, v.tier AS volume_tier, f.tier AS frequency_tier, coalesce(p.is_top_80, false) AS is_top_80
FROM summary s
LEFT JOIN marts.customer_status st ON s.customer_id = st.customer_id
LEFT JOIN marts.customer_volume v ON s.customer_id = v.customer_id
LEFT JOIN marts.customer_frequency f ON s.customer_id = f.customer_id
LEFT JOIN marts.pareto_customers p ON s.customer_id = p.customer_id;
"""


def main(csv_path: str, db_path: str) -> None:
    Path(db_path).unlink(missing_ok=True)
    con = duckdb.connect(db_path)
    con.execute(
        """CREATE TABLE orders AS
                   SELECT * FROM read_csv(?, header = true,
                       columns = {'customer_id': 'VARCHAR', 'order_date': 'DATE', 'amount': 'DECIMAL(18,2)'})""",
        [csv_path],
    )
    con.execute(MARTS_SQL)
    con.close()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
