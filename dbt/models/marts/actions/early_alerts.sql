{#-
  Today's early-warning alerts: one row per customer and alert type raised at as_of (customers current or
  active then), with the numbers behind it and whether it is new since the previous run.
-#}
{%- set window = cartera_int_var('alert_window_days') -%}
{%- set signal_days = cartera_int_var('signal_window_days') -%}

with raised as (
    select * from {{ ref('int_customer_alerts_raised') }}
),

history as (
    select customer_id, alert_type, first_detected_on
    from {{ ref('alert_history') }}
    where resolved_on is null
),

statuses as (
    select customer_id, status from {{ ref('customer_status') }}
),

volumes as (
    select customer_id, tier from {{ ref('customer_volume') }}
)

select
    raised.customer_id,
    raised.alert_type,
    raised.detected_on,
    raised.severity,
    case when history.first_detected_on < raised.detected_on then 'ongoing' else 'new' end as alert_state,
    coalesce(history.first_detected_on, raised.detected_on) as first_detected_on,
    statuses.status,
    volumes.tier as volume_tier,
    raised.signal_value,
    raised.baseline_value,
    raised.threshold_value,
    case raised.alert_type
        when 'spend_drop' then {{ dbt.concat([
            "'net revenue '", dbt.cast('raised.signal_value', dbt.type_string()),
            "' in the last " ~ window ~ " days against '", dbt.cast('raised.baseline_value', dbt.type_string()),
            "' in the " ~ window ~ " days before (alert below '", dbt.cast('raised.threshold_value', dbt.type_string()),
            "')'"]) }}
        when 'overdue' then {{ dbt.concat([
            dbt.cast('raised.signal_value', dbt.type_int()), "' days since the last purchase; buys every '",
            dbt.cast('round(raised.baseline_value, 0)', dbt.type_int()), "' days on average (alert after '",
            dbt.cast('round(raised.threshold_value, 0)', dbt.type_int()), "' days)'"]) }}
        when 'detractor' then {{ dbt.concat([
            "'latest survey score '", dbt.cast('raised.signal_value', dbt.type_int()), "' out of 10'"]) }}
        else {{ dbt.concat([
            dbt.cast('raised.signal_value', dbt.type_int()), "' '", "replace(raised.alert_type, '_', ' ')",
            "' interaction(s) in the last " ~ signal_days ~ " days'"]) }}
    end as evidence
from raised
left join history
    on raised.customer_id = history.customer_id
    and raised.alert_type = history.alert_type
left join statuses on raised.customer_id = statuses.customer_id
left join volumes on raised.customer_id = volumes.customer_id
