{#- Every buyer's lifecycle phase at as_of: the as_of row of segment_snapshots (macro cartera_lifecycle_stage),
    with how many month ends in a row they have been in it. -#}
with snapshots as (
    select
        snapshots.*,
        month_ends.month_index,
        month_ends.is_as_of
    from {{ ref('segment_snapshots') }} as snapshots
    inner join {{ ref('int_month_ends') }} as month_ends on snapshots.month_end = month_ends.month_end
),

{#- The last month end at which the customer was in another phase (or before their first). #}
last_other as (
    select
        now.customer_id,
        max(earlier.month_index) as last_other_index
    from snapshots as now
    inner join snapshots as earlier
        on now.customer_id = earlier.customer_id
        and earlier.lifecycle_stage <> now.lifecycle_stage
    where now.is_as_of
    group by now.customer_id
),

first_index as (
    select customer_id, min(month_index) as first_index
    from snapshots
    group by customer_id
)

select
    snapshots.customer_id,
    snapshots.month_end as as_of,
    snapshots.lifecycle_stage,
    {{ dbt.datediff('snapshots.first_order_date', 'snapshots.month_end', 'day') }} as tenure_days,
    snapshots.status,
    snapshots.net_revenue_trend_window,
    snapshots.net_revenue_prior_trend_window,
    snapshots.month_index - coalesce(last_other.last_other_index, first_index.first_index - 1) as month_ends_in_stage
from snapshots
left join last_other on snapshots.customer_id = last_other.customer_id
inner join first_index on snapshots.customer_id = first_index.customer_id
where snapshots.is_as_of
