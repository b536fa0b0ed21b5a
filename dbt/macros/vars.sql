{#-
  Validate and render business vars. A var value never reaches SQL without passing one of these
  macros; an invalid value stops compilation with a message naming the var and the value.
-#}

{% macro _cartera_var_error(name, expected, value) %}
    {{ exceptions.raise_compiler_error(
        "Invalid var '" ~ name ~ "': expected " ~ expected ~ ", got '" ~ value ~ "'. "
        ~ "Fix it in dbt_project.yml or in --vars.") }}
{% endmacro %}

{% macro _cartera_is_null(value) %}
    {{ return(value is none or (value is string and value | trim | lower in ['', 'null', 'none'])) }}
{% endmacro %}

{#- A positive integer (e.g. a window in days); allow_null for "no limit". Returns an int or none. -#}
{% macro cartera_int_var(name, allow_null=false) %}
    {%- set value = var(name) -%}
    {%- if allow_null and _cartera_is_null(value) -%}{{ return(none) }}{%- endif -%}
    {%- set text = value | string | trim -%}
    {%- if value is sameas true or value is sameas false
          or not modules.re.fullmatch('[0-9]{1,9}', text) or (text | int) <= 0 -%}
        {{ _cartera_var_error(name, 'a positive integer' ~ (' or null' if allow_null else ''), value) }}
    {%- endif -%}
    {{ return(text | int) }}
{% endmacro %}

{#- A positive decimal number (e.g. a ratio), optionally at most max_value. Returns its SQL literal. -#}
{% macro cartera_number_var(name, max_value=none) %}
    {%- set value = var(name) -%}
    {%- set text = value | string | trim -%}
    {%- set expected = 'a positive number' ~ (' at most ' ~ max_value if max_value is not none else '') -%}
    {%- if value is sameas true or value is sameas false
          or not modules.re.fullmatch('[0-9]{1,9}(\.[0-9]{1,9})?', text) or (text | float) <= 0
          or (max_value is not none and (text | float) > max_value) -%}
        {{ _cartera_var_error(name, expected, value) }}
    {%- endif -%}
    {{ return(text) }}
{% endmacro %}

{#- true or false. Returns a boolean. -#}
{% macro cartera_bool_var(name) %}
    {%- set value = var(name) -%}
    {%- if value is sameas true or (value is string and value | trim | lower == 'true') -%}
        {{ return(true) }}
    {%- elif value is sameas false or (value is string and value | trim | lower == 'false') -%}
        {{ return(false) }}
    {%- endif -%}
    {{ _cartera_var_error(name, 'true or false', value) }}
{% endmacro %}

{#- null or a valid calendar date 'YYYY-MM-DD'. Returns a SQL date expression (a typed null when null). -#}
{% macro cartera_date_var(name) %}
    {%- set value = var(name) -%}
    {%- if _cartera_is_null(value) -%}{{ return(dbt.cast('null', 'date')) }}{%- endif -%}
    {%- set text = value | string | trim -%}
    {%- set match = modules.re.fullmatch('([0-9]{4})-([0-9]{2})-([0-9]{2})', text) -%}
    {%- if not match -%}{{ _cartera_var_error(name, "null or a date 'YYYY-MM-DD'", value) }}{%- endif -%}
    {%- set year, month, day = match.group(1) | int, match.group(2) | int, match.group(3) | int -%}
    {%- set leap = (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 -%}
    {%- set days_in_month = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] -%}
    {%- if month < 1 or month > 12 or day < 1 or day > days_in_month[month - 1] -%}
        {{ _cartera_var_error(name, "null or a valid calendar date 'YYYY-MM-DD'", value) }}
    {%- endif -%}
    {{ return(dbt.cast("'" ~ text ~ "'", 'date')) }}
{% endmacro %}

{#- A non-empty list of distinct lower-case identifiers (safe as column-name parts and literals). -#}
{% macro cartera_identifier_list_var(name) %}
    {%- set value = var(name) -%}
    {%- set expected = 'a non-empty list of distinct lower-case identifiers like [support_call, complaint]' -%}
    {%- if value is string or value is mapping or value is not iterable or value | length == 0 -%}
        {{ _cartera_var_error(name, expected, value) }}
    {%- endif -%}
    {%- for item in value -%}
        {%- if item is not string or not modules.re.fullmatch('[a-z][a-z0-9_]{0,49}', item) -%}
            {{ _cartera_var_error(name, expected, value) }}
        {%- endif -%}
    {%- endfor -%}
    {%- if value | unique | list | length != value | length -%}
        {{ _cartera_var_error(name, expected, value) }}
    {%- endif -%}
    {{ return(value | list) }}
{% endmacro %}
