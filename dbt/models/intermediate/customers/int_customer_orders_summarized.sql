{#- Occasions aggregated once per customer as of as_of; the marts classify from these counts. -#}
with occasions as (
    select * from {{ ref('int_purchase_occasions') }}
),

as_of as (
    select as_of from {{ ref('int_as_of') }}
),

summarized as (
    select
        occasions.customer_id,
        as_of.as_of,
        {{ cartera_occasion_aggregates('occasions.occasion_date', 'occasions.revenue', 'as_of.as_of') }}
    from occasions
    cross join as_of
    where occasions.occasion_date <= as_of.as_of
    group by occasions.customer_id, as_of.as_of
)

select
    customer_id,
    as_of,
    first_order_date,
    last_order_date,
    occasions,
    {{ dbt.cast('net_revenue', 'decimal(18, 2)') }} as net_revenue,
    occasions_active_window,
    occasions_recurrence_window,
    {{ dbt.cast('net_revenue_volume_window', 'decimal(18, 2)') }} as net_revenue_volume_window,
    {{ dbt.cast('net_revenue_pareto_window', 'decimal(18, 2)') }} as net_revenue_pareto_window
from summarized
