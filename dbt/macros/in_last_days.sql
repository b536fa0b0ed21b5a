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
