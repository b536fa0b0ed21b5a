with summary as (
    select * from {{ ref('int_customer_orders_summarized') }}
),

measured as (
    select
        customer_id,
        as_of,
        occasions,
        first_order_date,
        last_order_date,
        {{ cartera_mean_days_between('first_order_date', 'last_order_date', 'occasions') }} as mean_days_between
    from summary
)

select
    *,
    {{ cartera_frequency_tier('mean_days_between') }} as tier
from measured
