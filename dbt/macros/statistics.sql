{#-
  The statistics behind alert_effectiveness and action_results, each written once. z = 1.959963985 is the
  normal quantile for a two-sided 95% interval: cartera_z_975_value() the number (for Jinja arithmetic),
  cartera_z_975() the SQL double (a bare 1.959963985 is a decimal on Spark, whose decimal arithmetic rounds to
  6 places where DuckDB computes in double).
-#}
{% macro cartera_z_975_value() %}1.959963985{% endmacro %}
{% macro cartera_z_975() %}cast({{ cartera_z_975_value() }} as double){% endmacro %}

{#- Wilson score interval of a proportion x / n: 'lower' or 'upper' bound (null when n = 0). -#}
{% macro cartera_wilson_bound(x, n, bound) %}
    {%- set z = cartera_z_975() -%}
    {%- set p = '(' ~ x ~ ' * cast(1 as double) / nullif(' ~ n ~ ', 0))' -%}
    (({{ p }} + {{ z }} * {{ z }} / (2 * {{ n }}))
        {{ '-' if bound == 'lower' else '+' }} {{ z }} * sqrt({{ p }} * (1 - {{ p }}) / {{ n }}
            + {{ z }} * {{ z }} / (4 * {{ n }} * {{ n }})))
    / (1 + {{ z }} * {{ z }} / {{ n }})
{%- endmacro %}

{#- Newcombe's hybrid score interval (method 10) for p1 - p2 from Wilson bounds l1, u1 of p1 and l2, u2
    of p2: lower = d - sqrt((p1 - l1)^2 + (u2 - p2)^2), upper = d + sqrt((u1 - p1)^2 + (p2 - l2)^2). -#}
{% macro cartera_newcombe_bound(p1, l1, u1, p2, l2, u2, bound) %}
    {%- if bound == 'lower' -%}
    ({{ p1 }} - {{ p2 }} - sqrt(({{ p1 }} - {{ l1 }}) * ({{ p1 }} - {{ l1 }}) + ({{ u2 }} - {{ p2 }}) * ({{ u2 }} - {{ p2 }})))
    {%- else -%}
    ({{ p1 }} - {{ p2 }} + sqrt(({{ u1 }} - {{ p1 }}) * ({{ u1 }} - {{ p1 }}) + ({{ p2 }} - {{ l2 }}) * ({{ p2 }} - {{ l2 }})))
    {%- endif -%}
{%- endmacro %}

{#- The 0.975 quantile of Student's t with df degrees of freedom (fractional df allowed), by the
    Cornish-Fisher expansion around z (Hill 1970): error below 0.001 for df >= 5, below 1e-5 for df >= 30. -#}
{% macro cartera_t_975(df) %}
    {%- set z = cartera_z_975_value() | float -%}
    {%- set g1 = (z ** 3 + z) / 4 -%}
    {%- set g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96 -%}
    {%- set g3 = (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384 -%}
    {%- set g4 = (79 * z ** 9 + 776 * z ** 7 + 1482 * z ** 5 - 1920 * z ** 3 - 945 * z) / 92160 -%}
    ({{ z }} + {{ g1 }} / {{ df }} + {{ g2 }} / power({{ df }}, 2) + {{ g3 }} / power({{ df }}, 3)
        + {{ g4 }} / power({{ df }}, 4))
{%- endmacro %}

{#- Katz log interval (95%) of the ratio of two rates (events1 / n1) / (events2 / n2): 'lower' or 'upper'
    bound; null when either group has no events. -#}
{% macro cartera_rate_ratio_bound(events1, n1, events2, n2, bound) %}
    {%- set z = cartera_z_975() -%}
    case when {{ events1 }} > 0 and {{ events2 }} > 0 then exp(
        ln(({{ events1 }} * cast(1 as double) / {{ n1 }}) / ({{ events2 }} * cast(1 as double) / {{ n2 }}))
        {{ '-' if bound == 'lower' else '+' }} {{ z }} * sqrt(
            cast(1 as double) / {{ events1 }} - cast(1 as double) / {{ n1 }} + cast(1 as double) / {{ events2 }} - cast(1 as double) / {{ n2 }}
        )
    ) end
{%- endmacro %}
