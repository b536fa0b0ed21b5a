{#-
  Which early-warning signals really predict loss on this business's own history. Every alert rule
  (macros/alert_rules.sql, the same rules as early_alerts) is evaluated at each past month end of the spine
  (int_month_ends) for the customers current or active then (segment_snapshots); the outcome is whether
  the customer is inactive alert_outcome_months later (a full month end on or before as_of). Per alert type:
  flagged customer-months and their loss rate against the loss rate of current/active customer-months not
  flagged by that type, the lift (ratio of the two rates) and its 95% interval (Katz log method; a customer
  counts once per month end, so the interval treats customer-months as independent). The same comparison for
  "lost or moved to a lower-value segment" (downgraded): inactive at the outcome date, or a lower status or
  volume tier than at the month end (value order: macro cartera_segment_rank, as segment_leakage).
-#}
{%- set months = cartera_int_var('alert_outcome_months') -%}

with month_ends as (
    select month_index, month_start, month_end from {{ ref('int_month_ends') }}
),

snapshots as (
    select month_end, customer_id, status, volume_tier, first_order_date, last_order_date, occasions
    from {{ ref('segment_snapshots') }}
),

evaluable as (
    select evaluated.month_end, outcome.month_end as outcome_date
    from month_ends as evaluated
    inner join month_ends as outcome
        on outcome.month_index = evaluated.month_index + {{ months }}
    where outcome.month_end = {{ dbt.cast(dbt.last_day('outcome.month_start', 'month'), 'date') }}
),

eligible as (
    select
        snapshots.customer_id,
        snapshots.month_end as eval_date,
        evaluable.outcome_date,
        snapshots.status,
        snapshots.volume_tier,
        snapshots.first_order_date,
        snapshots.last_order_date,
        snapshots.occasions
    from snapshots
    inner join evaluable on snapshots.month_end = evaluable.month_end
    where snapshots.status in ('current', 'active')
),

alerts as (
    {{ cartera_alert_evaluations('eligible') }}
),

outcomes as (
    select
        eligible.customer_id,
        eligible.eval_date,
        coalesce(later.status, 'inactive') = 'inactive' as is_lost,
        coalesce(later.status, 'inactive') = 'inactive'
        or {{ cartera_segment_rank("'status'", 'later.status') }}
        < {{ cartera_segment_rank("'status'", 'eligible.status') }}
        or {{ cartera_segment_rank("'volume_tier'", 'later.volume_tier') }}
        < {{ cartera_segment_rank("'volume_tier'", 'eligible.volume_tier') }} as is_downgraded
    from eligible
    left join snapshots as later
        on later.customer_id = eligible.customer_id
        and later.month_end = eligible.outcome_date
),

alert_types as (
    {%- for alert in cartera_alert_types() %}
    select '{{ alert.alert_type }}' as alert_type, '{{ alert.source }}' as required_source
    {{- ' union all' if not loop.last }}
    {%- endfor %}
),

source_rows as (
    select 'orders' as source_name, count(*) as source_rows from {{ ref('stg_crm__orders') }}
    union all
    select 'interactions' as source_name, count(*) as source_rows from {{ ref('stg_crm__interactions') }}
    union all
    select 'surveys' as source_name, count(*) as source_rows from {{ ref('stg_crm__surveys') }}
),

{#- Totals over every evaluated customer-month, and per alert type those flagged (rules raise at most one
    alert per customer, date and type): unflagged = all - flagged. One pass each, rather than every
    customer-month once per alert type (38M rows at 10M orders). #}
totals as (
    select
        count(distinct eval_date) as month_ends_evaluated,
        count(*) as customer_months,
        count(case when is_lost then 1 end) as lost,
        count(case when is_downgraded then 1 end) as downgraded
    from outcomes
),

flagged as (
    select
        alerts.alert_type,
        count(*) as customer_months,
        count(distinct outcomes.customer_id) as customers,
        count(case when outcomes.is_lost then 1 end) as lost,
        count(case when outcomes.is_downgraded then 1 end) as downgraded
    from alerts
    inner join outcomes
        on alerts.customer_id = outcomes.customer_id
        and alerts.eval_date = outcomes.eval_date
    group by alerts.alert_type
),

counted as (
    select
        alert_types.alert_type,
        alert_types.required_source,
        totals.month_ends_evaluated,
        coalesce(flagged.customer_months, 0) as flagged_customer_months,
        coalesce(flagged.customers, 0) as flagged_customers,
        coalesce(flagged.lost, 0) as flagged_lost,
        totals.customer_months - coalesce(flagged.customer_months, 0) as unflagged_customer_months,
        totals.lost - coalesce(flagged.lost, 0) as unflagged_lost,
        coalesce(flagged.downgraded, 0) as flagged_downgraded,
        totals.downgraded - coalesce(flagged.downgraded, 0) as unflagged_downgraded
    from alert_types
    cross join totals
    left join flagged on alert_types.alert_type = flagged.alert_type
),

rated as (
    select
        counted.*,
        source_rows.source_rows,
        counted.flagged_lost * cast(1 as double) / nullif(counted.flagged_customer_months, 0) as flagged_loss_rate,
        counted.unflagged_lost * cast(1 as double) / nullif(counted.unflagged_customer_months, 0) as unflagged_loss_rate,
        counted.flagged_downgraded * cast(1 as double) / nullif(counted.flagged_customer_months, 0) as flagged_downgrade_rate,
        counted.unflagged_downgraded * cast(1 as double) / nullif(counted.unflagged_customer_months, 0) as unflagged_downgrade_rate
    from counted
    left join source_rows on counted.required_source = source_rows.source_name
)

select
    alert_type,
    required_source,
    coalesce(source_rows, 0) > 0 as source_available,
    month_ends_evaluated,
    flagged_customer_months,
    flagged_customers,
    flagged_lost,
    flagged_loss_rate,
    unflagged_customer_months,
    unflagged_lost,
    unflagged_loss_rate,
    flagged_loss_rate / nullif(unflagged_loss_rate, 0) as lift,
    {{ cartera_rate_ratio_bound('flagged_lost', 'flagged_customer_months', 'unflagged_lost', 'unflagged_customer_months', 'lower') }}
        as lift_ci_low,
    {{ cartera_rate_ratio_bound('flagged_lost', 'flagged_customer_months', 'unflagged_lost', 'unflagged_customer_months', 'upper') }}
        as lift_ci_high,
    flagged_downgraded,
    flagged_downgrade_rate,
    unflagged_downgraded,
    unflagged_downgrade_rate,
    flagged_downgrade_rate / nullif(unflagged_downgrade_rate, 0) as downgrade_lift,
    {{ cartera_rate_ratio_bound('flagged_downgraded', 'flagged_customer_months', 'unflagged_downgraded', 'unflagged_customer_months', 'lower') }}
        as downgrade_lift_ci_low,
    {{ cartera_rate_ratio_bound('flagged_downgraded', 'flagged_customer_months', 'unflagged_downgraded', 'unflagged_customer_months', 'upper') }}
        as downgrade_lift_ci_high,
    {{ months }} as outcome_months,
    case
        when coalesce(source_rows, 0) = 0 then 'no_source'
        when month_ends_evaluated = 0 then 'no_history'
        when flagged_customer_months = 0 then 'never_raised'
        when flagged_lost = 0 or unflagged_lost = 0 then 'no_losses'
        else 'measured'
    end as evaluation_status
from rated
