{#-
  One row per (key, period_number) for period_number 0 .. max_period_column of each row of relation.
  DuckDB unnests a per-row generate_series; the portable fallback joins a fixed series of 1200 periods.
-#}
{% macro cartera_expand_periods(relation, key_column, max_period_column) %}
    {{ return(adapter.dispatch('cartera_expand_periods', 'cartera')(relation, key_column, max_period_column)) }}
{% endmacro %}

{% macro default__cartera_expand_periods(relation, key_column, max_period_column) %}
    select
        expanded.{{ key_column }},
        series.generated_number - 1 as period_number
    from {{ relation }} as expanded
    inner join ({{ dbt.generate_series(1200) }}) as series
        on series.generated_number - 1 <= expanded.{{ max_period_column }}
{% endmacro %}

{% macro duckdb__cartera_expand_periods(relation, key_column, max_period_column) %}
    select
        {{ key_column }},
        unnest(generate_series(0, {{ max_period_column }})) as period_number
    from {{ relation }}
{% endmacro %}
