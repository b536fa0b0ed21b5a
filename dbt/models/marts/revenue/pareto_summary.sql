with pareto as (
    select * from {{ ref('pareto_customers') }}
),

as_of as (
    select as_of from {{ ref('int_as_of') }}
),

totals as (
    select
        count(*) as customers,
        count(case when is_top_80 then 1 end) as top_80_customers,
        coalesce(sum(net_revenue), 0) as net_revenue,
        coalesce(sum(case when is_top_80 then net_revenue else 0 end), 0) as top_80_net_revenue
    from pareto
)

select
    as_of.as_of,
    totals.customers,
    totals.top_80_customers,
    totals.top_80_customers * cast(1 as double) / nullif(totals.customers, 0) as top_80_share_of_customers,
    totals.net_revenue,
    totals.top_80_net_revenue,
    totals.top_80_net_revenue * cast(1 as double) / nullif(totals.net_revenue, 0) as top_80_share_of_revenue
from totals
cross join as_of
