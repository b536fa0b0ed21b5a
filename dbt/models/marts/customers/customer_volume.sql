with summary as (
    select * from {{ ref('int_customer_orders_summarized') }}
),

positive_mean as (
    select avg(cast(net_revenue_volume_window as double)) as mean_revenue
    from summary
    where net_revenue_volume_window > 0
)

select
    summary.customer_id,
    summary.as_of,
    summary.net_revenue_volume_window as net_revenue,
    positive_mean.mean_revenue,
    summary.net_revenue_volume_window / positive_mean.mean_revenue as ratio_to_mean,
    {{ cartera_volume_tier('summary.net_revenue_volume_window', 'positive_mean.mean_revenue') }} as tier
from summary
cross join positive_mean
