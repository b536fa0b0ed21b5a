{#-
  Render a personal-data column for the marts analysts read. With var mask_personal_data = true:
  name -> '***', email -> '***@domain', phone -> '***' || last 2 digits. Otherwise the column unchanged.
-#}
{% macro cartera_mask_personal_data(column, kind) %}
    {%- if kind not in ['name', 'email', 'phone'] -%}
        {{ exceptions.raise_compiler_error("cartera_mask_personal_data: unknown kind '" ~ kind ~ "'") }}
    {%- endif -%}
    {%- if not cartera_bool_var('mask_personal_data') -%}
        {{ column }}
    {%- elif kind == 'name' -%}
        case when {{ column }} is not null then '***' end
    {%- elif kind == 'email' -%}
        case when {{ column }} is not null then {{ dbt.concat(["'***@'", dbt.split_part(column, "'@'", 2)]) }} end
    {%- else -%}
        case when {{ column }} is not null then {{ dbt.concat(["'***'", dbt.right(column, 2)]) }} end
    {%- endif -%}
{%- endmacro %}
