{#-
  Which early-warning signals really predict loss on this business's own history. Every alert rule
  (macros/alert_rules.sql, the same rules as early_alerts) is evaluated at each past month end of the spine
  (int_month_ends) for the customers current or active then (segment_snapshots); the outcome is whether
  the customer is inactive alert_outcome_months later (a full month end on or before as_of). Per alert type:
  flagged customer-months and their loss rate against the loss rate of current/active customer-months not
  flagged by that type, the lift (ratio of the two rates) and its 95% interval (Katz log method; a customer
  counts once per month end, so the interval treats customer-months as independent).
-#}
{%- set months = cartera_int_var('alert_outcome_months') -%}
{%- set z = cartera_z_975() -%}

with month_ends as (
    select month_index, month_start, month_end from {{ ref('int_month_ends') }}
),

snapshots as (
    select month_end, customer_id, status from {{ ref('segment_snapshots') }}
),

evaluable as (
    select evaluated.month_end, outcome.month_end as outcome_date
    from month_ends as evaluated
    inner join month_ends as outcome
        on outcome.month_index = evaluated.month_index + {{ months }}
    where outcome.month_end = {{ dbt.cast(dbt.last_day('outcome.month_start', 'month'), 'date') }}
),

eligible as (
    select snapshots.customer_id, snapshots.month_end as eval_date, evaluable.outcome_date
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
        coalesce(later.status, 'inactive') = 'inactive' as is_lost
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

flags as (
    select
        alert_types.alert_type,
        outcomes.customer_id,
        outcomes.eval_date,
        outcomes.is_lost,
        alerts.customer_id is not null as is_flagged
    from outcomes
    cross join alert_types
    left join alerts
        on alerts.customer_id = outcomes.customer_id
        and alerts.eval_date = outcomes.eval_date
        and alerts.alert_type = alert_types.alert_type
),

counted as (
    select
        alert_types.alert_type,
        alert_types.required_source,
        count(distinct flags.eval_date) as month_ends_evaluated,
        count(case when flags.is_flagged then 1 end) as flagged_customer_months,
        count(distinct case when flags.is_flagged then flags.customer_id end) as flagged_customers,
        count(case when flags.is_flagged and flags.is_lost then 1 end) as flagged_lost,
        count(case when not flags.is_flagged then 1 end) as unflagged_customer_months,
        count(case when not flags.is_flagged and flags.is_lost then 1 end) as unflagged_lost
    from alert_types
    left join flags on alert_types.alert_type = flags.alert_type
    group by alert_types.alert_type, alert_types.required_source
),

rated as (
    select
        counted.*,
        source_rows.source_rows,
        counted.flagged_lost * 1.0 / nullif(counted.flagged_customer_months, 0) as flagged_loss_rate,
        counted.unflagged_lost * 1.0 / nullif(counted.unflagged_customer_months, 0) as unflagged_loss_rate
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
    case when flagged_lost > 0 and unflagged_lost > 0 then exp(
                ln(flagged_loss_rate / unflagged_loss_rate) - {{ z }} * sqrt(
                    1.0 / flagged_lost - 1.0 / flagged_customer_months + 1.0 / unflagged_lost - 1.0 / unflagged_customer_months
                )
            )
    end as lift_ci_low,
    case when flagged_lost > 0 and unflagged_lost > 0 then exp(
                ln(flagged_loss_rate / unflagged_loss_rate) + {{ z }} * sqrt(
                    1.0 / flagged_lost - 1.0 / flagged_customer_months + 1.0 / unflagged_lost - 1.0 / unflagged_customer_months
                )
            )
    end as lift_ci_high,
    {{ months }} as outcome_months,
    case
        when coalesce(source_rows, 0) = 0 then 'no_source'
        when month_ends_evaluated = 0 then 'no_history'
        when flagged_customer_months = 0 then 'never_raised'
        when flagged_lost = 0 or unflagged_lost = 0 then 'no_losses'
        else 'measured'
    end as evaluation_status
from rated
