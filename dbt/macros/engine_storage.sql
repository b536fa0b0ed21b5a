{#-
  How an incremental model whose every run selects its whole new content (alert_history) is written.
  DuckDB: delete+insert on the unique key. Spark without a table format that can delete rows (Delta, Iceberg):
  insert_overwrite of the whole table. Spark refuses to overwrite a Parquet data-source table the query also
  reads, so the table is a Hive table stored as Parquet (written to a staging folder, then moved in), read by
  Hive's reader (spark.sql.hive.convertMetastoreParquet false in the spark target of profiles.yml).
-#}
{% macro cartera_rewritten_history_config() %}
    {{- return(adapter.dispatch('cartera_rewritten_history_config', 'cartera')()) -}}
{% endmacro %}

{% macro default__cartera_rewritten_history_config() %}
    {{- return({'incremental_strategy': 'delete+insert'}) -}}
{% endmacro %}

{% macro spark__cartera_rewritten_history_config() %}
    {{- return({'incremental_strategy': 'insert_overwrite', 'file_format': 'hive', 'options': {'fileFormat': 'parquet'}}) -}}
{% endmacro %}
