{#-
  Each retention action dated up to as_of, followed for 30, 60 and 90 days: did the customer buy again in
  (action_date, action_date + horizon] and for how much (net). A horizon is observed only when
  action_date + horizon <= as_of; later purchases never count.
-#}
with as_of as (
    select as_of from {{ ref('int_as_of') }}
),

actions as (
    select actions.*
    from {{ ref('stg_crm__actions') }} as actions
    cross join as_of
    where actions.action_date <= as_of.as_of
),

customers as (
    select customer_id, segment from {{ ref('int_customers_unioned') }}
),

horizons as (
    select 30 as horizon_days
    union all
    select 60 as horizon_days
    union all
    select 90 as horizon_days
),

followed as (
    select
        actions.source_file_seq,
        actions.source_line,
        actions.customer_id,
        actions.action_date,
        coalesce(actions.action_type, 'unknown') as action_type,
        coalesce(actions.touch_point, 'unknown') as touch_point,
        actions.action_group,
        coalesce(customers.segment, 'unknown') as segment,
        horizons.horizon_days,
        {{ dbt.cast(dbt.dateadd('day', 'horizons.horizon_days', 'actions.action_date'), 'date') }} as horizon_end,
        as_of.as_of
    from actions
    cross join horizons
    cross join as_of
    left join customers on actions.customer_id = customers.customer_id
)

select
    followed.source_file_seq,
    followed.source_line,
    followed.customer_id,
    followed.action_date,
    followed.action_type,
    followed.touch_point,
    followed.action_group,
    followed.segment,
    followed.horizon_days,
    followed.horizon_end,
    followed.horizon_end <= followed.as_of as is_observed,
    count(occasions.occasion_date) > 0 as repurchased,
    {{ dbt.cast('coalesce(sum(occasions.revenue), 0)', 'decimal(18, 2)') }} as net_revenue
from followed
left join {{ ref('int_purchase_occasions') }} as occasions
    on occasions.customer_id = followed.customer_id
    and occasions.occasion_date > followed.action_date
    and occasions.occasion_date <= followed.horizon_end
    and occasions.occasion_date <= followed.as_of
group by
    followed.source_file_seq, followed.source_line, followed.customer_id, followed.action_date,
    followed.action_type, followed.touch_point, followed.action_group, followed.segment,
    followed.horizon_days, followed.horizon_end, followed.as_of
