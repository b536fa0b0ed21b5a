{#-
  All column rules of one model (or seed) in ONE query: the model's not_null, unique, accepted_values,
  accepted_range and unique_combination tests with severity error, each rendered with the very macro dbt runs
  for it (test_not_null, test_accepted_range ...: same SQL, same dispatch, so the same on DuckDB and Spark) and
  counted: one row per rule that fails (test_name, rule_name, column_name, failing_rows), none when all pass.

  Why: a dbt test node costs ~40 ms whatever its SQL (compile, connection, events, a Dagster check event);
  the SQL of a column rule on a staging table costs 1-2 ms. The rules stay declared where they are (the
  model's yml, in dbt docs, in `dbt test`); production builds run this test instead of them
  (dagster_project/defs/transform/column_rules.py excludes them) and the Dagster check names the failing
  rules with their counts.

  Attach it to every model and seed that has such column tests: `data_tests: [column_rules]` (a Python test
  refuses a model missing it). It covers the tests whose severity equals its own (error by default); a rule
  with severity warn keeps its own node. A `where` config is applied as dbt applies it; other test configs
  (limit, warn_if, error_if, fail_calc, store_failures) would change what a rule means, and are refused here
  with an error naming the test.

  failing_rows counts the rows the rule's own query returns, as dbt does: rows for not_null and
  accepted_range, distinct values for accepted_values and unique (values that occur more than once),
  combinations for unique_combination.
-#}
{% test column_rules(model) %}
{{ config(fail_calc='coalesce(sum(failing_rows), 0)') }}
{{ cartera_column_rules_sql(model) }}
{% endtest %}
