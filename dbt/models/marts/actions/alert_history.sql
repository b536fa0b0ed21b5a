{#-
  One row per alert episode: an alert type raised for a customer from first_detected_on until the run in
  which it was no longer raised (resolved_on). Incremental: each run compares today's alerts with the
  episodes still open after the previous run (this table), so the history follows the runs in order.
  Episodes first detected after as_of (a re-run of an earlier date) are left as they were.
  Every run selects the whole history (episodes it does not touch, unchanged): DuckDB replaces the rows by key
  (delete+insert), Spark overwrites the table (macros/engine_storage.sql says why).
-#}
{{ config(
    materialized='incremental',
    unique_key=['customer_id', 'alert_type', 'first_detected_on'],
    on_schema_change='fail',
    **cartera_rewritten_history_config()
) }}

with as_of as (
    select as_of from {{ ref('int_as_of') }}
),

raised as (
    select customer_id, alert_type, severity, signal_value
    from {{ ref('int_customer_alerts_raised') }}
),

previous_open as (
    {%- if is_incremental() %}
    select
        history.customer_id, history.alert_type, history.first_detected_on, history.last_detected_on,
        history.severity, history.signal_value
    from {{ this }} as history
    cross join as_of
    where history.resolved_on is null and history.first_detected_on <= as_of.as_of
    {%- else %}
    select raised.customer_id, raised.alert_type, as_of.as_of as first_detected_on,
        as_of.as_of as last_detected_on, raised.severity, raised.signal_value
    from raised
    cross join as_of
    where 1 = 0
    {%- endif %}
),

episodes as (
    select
        coalesce(raised.customer_id, previous_open.customer_id) as customer_id,
        coalesce(raised.alert_type, previous_open.alert_type) as alert_type,
        coalesce(previous_open.first_detected_on, as_of.as_of) as first_detected_on,
        case when raised.customer_id is not null then as_of.as_of else previous_open.last_detected_on end
            as last_detected_on,
        case when raised.customer_id is null then as_of.as_of end as resolved_on,
        case
            when raised.customer_id is null then 'resolved'
            when previous_open.customer_id is null or previous_open.first_detected_on = as_of.as_of then 'new'
            else 'ongoing'
        end as alert_state,
        coalesce(raised.severity, previous_open.severity) as severity,
        coalesce(raised.signal_value, previous_open.signal_value) as signal_value,
        as_of.as_of as evaluated_on
    from raised
    full outer join previous_open
        on raised.customer_id = previous_open.customer_id
        and raised.alert_type = previous_open.alert_type
    cross join as_of
),

untouched as (
    {%- if is_incremental() %}
    select
        history.customer_id, history.alert_type, history.first_detected_on, history.last_detected_on,
        history.resolved_on, history.alert_state, history.severity, history.signal_value, history.evaluated_on
    from {{ this }} as history
    cross join as_of
    where history.resolved_on is not null or history.first_detected_on > as_of.as_of
    {%- else %}
    select
        episodes.customer_id, episodes.alert_type, episodes.first_detected_on, episodes.last_detected_on,
        episodes.resolved_on, episodes.alert_state, episodes.severity, episodes.signal_value, episodes.evaluated_on
    from episodes
    where 1 = 0
    {%- endif %}
),

history as (
    select * from episodes
    union all
    select * from untouched
)

select
    customer_id,
    alert_type,
    first_detected_on,
    last_detected_on,
    resolved_on,
    alert_state,
    severity,
    signal_value,
    evaluated_on
from history
