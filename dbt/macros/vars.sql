{#-
  Business vars: read and validated against the contract declared once in dbt_project.yml
  (`cartera_var_contract`: type and bounds of each var; `cartera_var_rules`: relations between vars).
  Python applies the same contract (dagster_project/lib/var_contract.py) with the same messages;
  tests/unit/test_var_contract.py checks that both accept and refuse the same values.

  Read a var in SQL with {{ cartera_var('name') }}: every read first validates ALL vars and the rules, so a
  bad value stops parsing (before any model runs) with one line naming the var. What it returns by type:
    integer -> an int (none when null)        number -> its SQL literal
    boolean -> true/false                      date -> a SQL date expression (a typed null when null)
    identifier_list -> the list (safe as column-name parts and literals)    choice -> the chosen string
    number_list -> a list of SQL literals (one per number)
  The typed readers below (cartera_int_var, ...) do the same and also check the var has the type they expect.
-#}

{% macro cartera_var(name) %}
    {%- set contract = var('cartera_var_contract') -%}
    {%- if name not in contract -%}
        {{ exceptions.raise_compiler_error("var " ~ name ~ " is not declared in cartera_var_contract (dbt_project.yml)") }}
    {%- endif -%}
    {{ cartera_validate_vars() }}
    {%- set value = var(name) -%}
    {%- set kind = contract[name]['type'] -%}
    {%- if value is none -%}
        {{ return(dbt.cast('null', 'date') if kind == 'date' else none) }}
    {%- elif kind == 'number' -%}
        {{ return(value | string) }}
    {%- elif kind == 'date' -%}
        {{ return(dbt.cast("'" ~ value ~ "'", 'date')) }}
    {%- elif kind == 'identifier_list' -%}
        {{ return(value | list) }}
    {%- elif kind == 'number_list' -%}
        {%- set literals = [] -%}
        {%- for item in value -%}{%- do literals.append(item | string) -%}{%- endfor -%}
        {{ return(literals) }}
    {%- endif -%}
    {{ return(value) }}
{% endmacro %}

{#- Stops compilation when any var breaks the contract. -#}
{% macro cartera_validate_vars() %}
    {%- set problem = cartera_vars_problem(cartera_current_vars()) -%}
    {%- if problem -%}
        {{ exceptions.raise_compiler_error(problem) }}
    {%- endif -%}
{% endmacro %}

{% macro cartera_current_vars() %}
    {%- set values = {} -%}
    {%- for name in var('cartera_var_contract') -%}
        {%- do values.update({name: var(name)}) -%}
    {%- endfor -%}
    {{ return(values) }}
{% endmacro %}

{#- The first broken rule for a full set of values, as one line; '' when all hold (= VarContract.problem). -#}
{% macro cartera_vars_problem(values) %}
    {%- for name, spec in var('cartera_var_contract').items() -%}
        {%- set value = values.get(name) -%}
        {%- if not _cartera_var_ok(value, spec) -%}
            {{ return("var " ~ name ~ " must be " ~ _cartera_var_expectation(spec) ~ ", not " ~ tojson(value)) }}
        {%- endif -%}
    {%- endfor -%}
    {%- for left, op, right in var('cartera_var_rules', []) -%}
        {%- set a, b = values[left], values[right] -%}
        {%- if a is not none and b is not none and not ((op == '<' and a < b) or (op == '<=' and a <= b)) -%}
            {{ return("var " ~ left ~ " must be " ~ op ~ " " ~ right ~ " (" ~ tojson(b) ~ "), not " ~ tojson(a)) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return('') }}
{% endmacro %}

{#- Whether one value satisfies its var's spec (= value_ok in var_contract.py). -#}
{% macro _cartera_var_ok(value, spec) %}
    {%- set kind = spec['type'] -%}
    {%- if value is none -%}
        {{ return(spec.get('allow_null', false) is sameas true) }}
    {%- elif kind == 'boolean' -%}
        {{ return(value is boolean) }}
    {%- elif kind == 'date' -%}
        {{ return(value is string and _cartera_is_calendar_date(value)) }}
    {%- elif kind == 'choice' -%}
        {{ return(value is string and value in spec['values']) }}
    {%- elif kind == 'identifier_list' -%}
        {%- if value is string or value is mapping or value is not sequence
              or value | length < 1 or value | length > spec['max_items'] -%}
            {{ return(false) }}
        {%- endif -%}
        {%- for item in value -%}
            {%- if item is not string or not modules.re.fullmatch(spec['pattern'], item) -%}
                {{ return(false) }}
            {%- endif -%}
        {%- endfor -%}
        {{ return(value | unique | list | length == value | length) }}
    {%- elif kind == 'number_list' -%}
        {%- if value is string or value is mapping or value is not sequence
              or value | length < 1 or value | length > spec['max_items'] -%}
            {{ return(false) }}
        {%- endif -%}
        {%- set item_spec = {'type': 'number'} -%}
        {%- for key in ['min', 'greater_than', 'max'] if key in spec -%}
            {%- do item_spec.update({key: spec[key]}) -%}
        {%- endfor -%}
        {%- for item in value -%}
            {%- if item is none or not _cartera_var_ok(item, item_spec) -%}
                {{ return(false) }}
            {%- endif -%}
        {%- endfor -%}
        {{ return(value | unique | list | length == value | length) }}
    {%- elif value is boolean or not (value is integer or value is float) -%}
        {{ return(false) }}
    {%- elif kind == 'integer' and value is not integer -%}
        {{ return(false) }}
    {%- elif value is float and (value | string) in ['nan', 'inf', '-inf'] -%}
        {{ return(false) }}
    {%- endif -%}
    {{ return(('min' not in spec or value >= spec['min'])
              and ('greater_than' not in spec or value > spec['greater_than'])
              and ('max' not in spec or value <= spec['max'])) }}
{% endmacro %}

{% macro _cartera_is_calendar_date(text) %}
    {%- set match = modules.re.fullmatch('([0-9]{4})-([0-9]{2})-([0-9]{2})', text) -%}
    {%- if not match -%}{{ return(false) }}{%- endif -%}
    {%- set year, month, day = match.group(1) | int, match.group(2) | int, match.group(3) | int -%}
    {%- set leap = (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 -%}
    {%- set days_in_month = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] -%}
    {{ return(year >= 1 and 1 <= month <= 12 and 1 <= day <= days_in_month[month - 1]) }}
{% endmacro %}

{#- What a var must be, in words (= expectation in var_contract.py). -#}
{% macro _cartera_var_expectation(spec) %}
    {%- set kind = spec['type'] -%}
    {%- if kind == 'boolean' -%}
        {%- set text = 'true or false' -%}
    {%- elif kind == 'date' -%}
        {%- set text = "a date 'YYYY-MM-DD'" -%}
    {%- elif kind == 'choice' -%}
        {%- set text = 'one of ' ~ spec['values'] | join(', ') -%}
    {%- elif kind == 'identifier_list' -%}
        {%- set text = 'a list of 1 to ' ~ spec['max_items'] ~ ' distinct identifiers matching ' ~ spec['pattern'] -%}
    {%- else -%}
        {%- set bounds = [] -%}
        {%- for key, op in [('min', '>='), ('greater_than', '>'), ('max', '<=')] if key in spec -%}
            {%- do bounds.append(op ~ ' ' ~ spec[key]) -%}
        {%- endfor -%}
        {%- set text = ('an integer' if kind == 'integer' else 'a number')
                       ~ ((' ' ~ bounds | join(' and ')) if bounds else '') -%}
        {%- if kind == 'number_list' -%}
            {%- set text = 'a list of 1 to ' ~ spec['max_items'] ~ ' distinct numbers, each ' ~ bounds | join(' and ') -%}
        {%- endif -%}
    {%- endif -%}
    {{ return(text ~ (' or null' if spec.get('allow_null') else '')) }}
{% endmacro %}

{#- Typed readers: cartera_var plus a check that the contract declares the type the caller expects.
    Bounds are the contract's (the old max_value / allow_null arguments are accepted and ignored). -#}
{% macro _cartera_typed_var(name, kind) %}
    {%- set value = cartera_var(name) -%}
    {%- if var('cartera_var_contract')[name]['type'] != kind -%}
        {{ exceptions.raise_compiler_error("var " ~ name ~ " is declared as "
            ~ var('cartera_var_contract')[name]['type'] ~ ", not " ~ kind ~ ", in cartera_var_contract") }}
    {%- endif -%}
    {{ return(value) }}
{% endmacro %}

{% macro cartera_int_var(name, allow_null=false) %}{{ return(_cartera_typed_var(name, 'integer')) }}{% endmacro %}

{% macro cartera_number_var(name, max_value=none) %}{{ return(_cartera_typed_var(name, 'number')) }}{% endmacro %}

{% macro cartera_bool_var(name) %}{{ return(_cartera_typed_var(name, 'boolean')) }}{% endmacro %}

{% macro cartera_date_var(name) %}{{ return(_cartera_typed_var(name, 'date')) }}{% endmacro %}

{% macro cartera_identifier_list_var(name) %}{{ return(_cartera_typed_var(name, 'identifier_list')) }}{% endmacro %}

{#- For tests and for checking values by hand: logs, per case (a mapping of overrides), the problem dbt finds
    ('' = accepted). `dbt run-operation cartera_check_var_cases --args '{cases: [{pareto_share: 1.5}]}'` -#}
{% macro cartera_check_var_cases(cases) %}
    {%- for case in cases -%}
        {%- set values = cartera_current_vars() -%}
        {%- do values.update(case) -%}
        {%- do log('cartera_var_case ' ~ tojson({'case': loop.index0, 'problem': cartera_vars_problem(values)}), info=true) -%}
    {%- endfor -%}
{% endmacro %}

{#- The vars in force for this build as rows (marts.vars_in_force): one select per declared var, joined by
    union all: its name, its contract type and its value as JSON text (defaults with the run's overrides).
    Every value has passed the contract (numbers, dates, booleans, choices, identifier lists); quotes are
    doubled all the same. The report and `cartera actions` state their windows and thresholds from it. -#}
{% macro cartera_vars_in_force_rows() %}
    {{- cartera_validate_vars() -}}
    {%- set contract = var('cartera_var_contract') -%}
    {%- for name in contract | sort %}
    {{ 'union all' if not loop.first }}
    select
        {{ dbt.string_literal(name) }} as var_name,
        {{ dbt.string_literal(contract[name]['type']) }} as var_type,
        {{ dbt.cast(dbt.string_literal(tojson(var(name)) | replace("'", "''")), dbt.type_string()) }} as var_value
    {%- endfor %}
{% endmacro %}
