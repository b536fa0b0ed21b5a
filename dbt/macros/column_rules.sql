{#- The SQL of the column_rules test (tests/generic/column_rules.sql). -#}

{#- In its own macro: here `model` is the test node being compiled (the test's argument of the same name is
    the model's relation), so the rules are found by its attached_node and severity. -#}
{% macro cartera_column_rules_sql(relation) %}
{%- set rules = cartera_column_rule_tests(model) if execute else [] -%}
{%- set macros = {
    'not_null': test_not_null,
    'unique': test_unique,
    'accepted_values': test_accepted_values,
    'accepted_range': test_accepted_range,
    'unique_combination': test_unique_combination,
} -%}
select test_name, rule_name, column_name, failing_rows
from (
{%- for rule in rules %}
    {%- set kind = rule.test_metadata.name %}
    {%- set kwargs = cartera_column_rule_kwargs(rule, relation) %}
    {{ 'union all' if not loop.first }}
    select
        '{{ rule.name | replace("'", "''") }}' as test_name,
        '{{ kind }}' as rule_name,
        '{{ (rule.column_name or (kwargs.get("columns") or []) | join(", ")) | replace("'", "''") }}' as column_name,
        count(*) as failing_rows
    from (
        {{ macros[kind](**kwargs) }}
    ) as rule_{{ loop.index }}
{%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as test_name,
        cast(null as {{ dbt.type_string() }}) as rule_name,
        cast(null as {{ dbt.type_string() }}) as column_name,
        0 as failing_rows
    from {{ relation }}
    where 1 = 0
{%- endfor %}
) as column_rules
where failing_rows > 0
{% endmacro %}

{#- The column tests of the model this column_rules test is attached to, with its severity, sorted by name. -#}
{% macro cartera_column_rule_tests(test_node) %}
{%- set kinds = ['not_null', 'unique', 'accepted_values', 'accepted_range', 'unique_combination'] -%}
{%- set severity = (test_node.config.severity or 'error') | lower -%}
{%- set found = [] -%}
{%- for node in graph.nodes.values() | selectattr('attached_node', 'equalto', test_node.attached_node) -%}
    {%- if node.resource_type == 'test' and (node.test_metadata or {}).get('name') in kinds
        and (node.config.severity or 'error') | lower == severity -%}
        {%- do cartera_refuse_column_rule_config(node) -%}
        {%- do found.append(node) -%}
    {%- endif -%}
{%- endfor -%}
{{ return(found | sort(attribute='name')) }}
{% endmacro %}

{% macro cartera_refuse_column_rule_config(node) %}
{%- set c = node.config -%}
{%- set changed = [] -%}
{%- if c.limit is not none %}{% do changed.append('limit') %}{% endif -%}
{%- if (c.warn_if or '!= 0') != '!= 0' %}{% do changed.append('warn_if') %}{% endif -%}
{%- if (c.error_if or '!= 0') != '!= 0' %}{% do changed.append('error_if') %}{% endif -%}
{%- if (c.fail_calc or 'count(*)') != 'count(*)' %}{% do changed.append('fail_calc') %}{% endif -%}
{%- if c.store_failures %}{% do changed.append('store_failures') %}{% endif -%}
{%- if changed -%}
    {{ exceptions.raise_compiler_error(
        "column_rules: the test " ~ node.name ~ " sets " ~ changed | join(', ')
        ~ ", which column_rules cannot apply to one rule of its query: drop the setting, or give the test"
        ~ " severity warn to run it as its own test (not blocking)") }}
{%- endif -%}
{% endmacro %}

{#- The arguments dbt would pass the rule's test macro: its kwargs rendered as dbt renders them (a kwarg such as
    "{{ cartera_number_var('alert_p_alive_max') }}" becomes its value) and the model, filtered by the rule's
    `where` as dbt's get_where_subquery filters it. -#}
{% macro cartera_column_rule_kwargs(rule, relation) %}
{%- set kwargs = {} -%}
{%- for key, value in rule.test_metadata.kwargs.items() if key != 'model' -%}
    {%- if value is string and key != 'column_name' and ('{{' in value or '{%' in value) -%}
        {%- do kwargs.update({key: render(value)}) -%}
    {%- elif value is string and key != 'column_name' and modules.re.match('^\\s*(env_var|ref|var|source|doc)\\s*\\(.+\\)\\s*$', value) -%}
        {%- do kwargs.update({key: render('{{ ' ~ value ~ ' }}')}) -%}
    {%- else -%}
        {%- do kwargs.update({key: value}) -%}
    {%- endif -%}
{%- endfor -%}
{%- set where = rule.config.where -%}
{%- if where -%}
    {%- set where = render(where) if ('{{' in where or '{%' in where) else where -%}
    {%- do kwargs.update({'model': '(select * from ' ~ relation ~ ' where ' ~ where ~ ') dbt_subquery'}) -%}
{%- else -%}
    {%- do kwargs.update({'model': relation}) -%}
{%- endif -%}
{{ return(kwargs) }}
{% endmacro %}
