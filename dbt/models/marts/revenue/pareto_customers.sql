with summary as (
    select * from {{ ref('int_customer_orders_summarized') }}
),

ranked as (
    select
        customer_id,
        as_of,
        net_revenue_pareto_window as net_revenue,
        row_number() over (order by net_revenue_pareto_window desc, customer_id asc) as revenue_rank
    from summary
    where net_revenue_pareto_window > 0
),

cumulated as (
    select
        *,
        sum(net_revenue) over (order by revenue_rank rows between unbounded preceding and current row)
            as cumulative_revenue,
        sum(net_revenue) over () as total_revenue
    from ranked
)

select
    customer_id,
    as_of,
    revenue_rank,
    net_revenue,
    cumulative_revenue,
    cumulative_revenue * cast(1 as double) / total_revenue as cumulative_share,
    {#- Top group: everyone up to and including the first customer whose cumulative share reaches pareto_share. #}
    cumulative_revenue - net_revenue < {{ cartera_number_var('pareto_share', max_value=1) }} * total_revenue as is_top_80
from cumulated
