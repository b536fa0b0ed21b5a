{#-
  "In the last N days" as of an evaluation date: date_column > eval_date - N and <= eval_date.
  days = none means all history up to eval_date. eval_date is any SQL date expression, so the same rule
  serves as_of and any other evaluation date (e.g. every month end).
-#}
{% macro cartera_in_last_days(date_column, eval_date, days) %}
    {%- if days is not none and (days is not number or days <= 0) -%}
        {{ exceptions.raise_compiler_error("cartera_in_last_days: days must be a positive integer or none, got '" ~ days ~ "'") }}
    {%- endif -%}
    ({{ date_column }} <= {{ eval_date }}
    {%- if days is not none %} and {{ date_column }} > {{ dbt.cast(dbt.dateadd('day', -days, eval_date), 'date') }}{% endif %})
{%- endmacro %}

{#-
  The same window seen from the dated row: a row dated d is "in the last N days" at every evaluation date e
  with d <= e < d + N (d > e - N  <=>  e < d + N). This returns d + N, the first evaluation date at which the
  row no longer counts; month-end histories use it to add a row to a window once and remove it once,
  instead of re-scanning history at every month end. Pinned against cartera_in_last_days by the unit tests
  of int_customer_month_end_windows and by assert_segment_snapshot_at_as_of_matches_the_marts.
-#}
{% macro cartera_window_leaves_on(date_column, days) %}
    {%- if days is not number or days <= 0 -%}
        {{ exceptions.raise_compiler_error("cartera_window_leaves_on: days must be a positive integer, got '" ~ days ~ "'") }}
    {%- endif -%}
    {{ dbt.cast(dbt.dateadd('day', days, date_column), 'date') }}
{%- endmacro %}
