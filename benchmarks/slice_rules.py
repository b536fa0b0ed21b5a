"""The default business vars of the slice marts, as the comparison scripts (pandas, polars) hard-code them.

Kept in one place so the contenders cannot drift apart; the values are dbt/dbt_project.yml's defaults.
"""

ACTIVE_DAYS, RECURRENCE_DAYS, RECURRENCE_MIN = 90, 365, 2
VOLUME_DAYS, PARETO_DAYS = 365, 365
PARETO_SHARE_NUM, PARETO_SHARE_DEN = 8, 10  # 0.8 as an exact fraction
VERY_HIGH, HIGH, MEDIUM = 2.0, 1.25, 0.75
FREQUENT_MAX, HABITUAL_MAX = 30, 90
