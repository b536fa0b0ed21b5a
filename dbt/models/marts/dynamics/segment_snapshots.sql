{#- Every buyer at every month end, classified by the same macros as the as_of marts, evaluated at month_end. -#}
with windows as (
    select * from {{ ref('int_customer_month_end_windows') }}
),

positive_mean as (
    select month_end, avg(cast(net_revenue_volume_window as double)) as mean_revenue
    from windows
    where net_revenue_volume_window > 0
    group by month_end
),

statuses as (
    select
        windows.*,
        positive_mean.mean_revenue,
        {{ cartera_customer_status(
            'windows.last_order_date', 'windows.month_end', 'windows.occasions_recurrence_window',
            'null', 'null') }} as status
    from windows
    left join positive_mean on windows.month_end = positive_mean.month_end
)

select
    month_end,
    customer_id,
    status,
    {{ cartera_volume_tier('net_revenue_volume_window', 'mean_revenue') }} as volume_tier,
    {{ cartera_frequency_tier(cartera_mean_days_between('first_order_date', 'last_order_date', 'occasions')) }}
        as frequency_tier,
    {{ cartera_lifecycle_stage(
        'status', 'first_order_date', 'month_end', 'net_revenue_trend_window', 'net_revenue_prior_trend_window') }}
        as lifecycle_stage,
    first_order_date,
    last_order_date,
    occasions,
    occasions_in_month,
    revenue_in_month,
    net_revenue_volume_window,
    net_revenue_trend_window,
    net_revenue_prior_trend_window
from statuses
