{#-
  Engine-specific setup run before every build (on-run-start in dbt_project.yml).
  DuckDB: nothing; the orchestrator's ingestion and the customer-value model write the sources (schemas raw and
  clv) into the very file dbt builds in.
  Spark: the orchestrator writes those same tables as Parquet under $CARTERA_SPARK_DIR/sources/<schema>/<table>/
  (dagster_project/lib/engine.py export_sources); each source declared in the project becomes a Spark table over
  its folder, replaced on every build so it reads the files of this run. Only sources whose folder the orchestrator
  listed in CARTERA_SPARK_SOURCES ("schema.table,...") are registered; the list and the folder are checked to be
  plain names and a plain path before they reach SQL.
-#}
{% macro cartera_register_sources() %}
    {{- return(adapter.dispatch('cartera_register_sources', 'cartera')()) -}}
{% endmacro %}

{% macro default__cartera_register_sources() %}
    {{- return('') -}}
{% endmacro %}

{% macro spark__cartera_register_sources() %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set root = env_var('CARTERA_SPARK_DIR', '') -%}
    {%- set listed = env_var('CARTERA_SPARK_SOURCES', '') -%}
    {%- if not modules.re.fullmatch('/[A-Za-z0-9_./-]+', root) or '..' in root -%}
        {{ exceptions.raise_compiler_error("CARTERA_SPARK_DIR must be an absolute path of letters, digits and _ . / - only, not '" ~ root ~ "'") }}
    {%- endif -%}
    {%- if not modules.re.fullmatch('([a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*)?(,[a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*)*', listed) -%}
        {{ exceptions.raise_compiler_error("CARTERA_SPARK_SOURCES must list schema.table names separated by commas, not '" ~ listed ~ "'") }}
    {%- endif -%}
    {%- set available = listed.split(',') -%}
    {%- set statements = [] -%}
    {%- set schemas = [] -%}
    {%- for source in graph.sources.values() -%}
        {%- set table = source.identifier or source.name -%}
        {%- set name = source.schema ~ '.' ~ table -%}
        {%- if name in available -%}
            {%- if source.schema not in schemas -%}
                {%- do schemas.append(source.schema) -%}
                {%- do statements.append('create database if not exists ' ~ source.schema) -%}
            {%- endif -%}
            {%- do statements.append('drop table if exists ' ~ name) -%}
            {%- do statements.append("create table " ~ name ~ " using parquet location '" ~ root ~ "/sources/" ~ source.schema ~ "/" ~ table ~ "'") -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for sql in statements -%}
        {%- do run_query(sql) -%}
    {%- endfor -%}
    {{- return('') -}}
{% endmacro %}
