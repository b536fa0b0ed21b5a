{#-
  Each customer's most used touch point up to as_of: their order and interaction channels mapped to
  playbook touch points (macro cartera_channel_touch_point), the most frequent one (ties: the touch point
  code). Customers whose channels map to none are absent.
-#}
with as_of as (
    select as_of from {{ ref('int_as_of') }}
),

channels as (
    select orders.customer_id, {{ cartera_channel_touch_point('orders.channel') }} as touch_point
    from {{ ref('stg_crm__orders') }} as orders
    cross join as_of
    where orders.order_date <= as_of.as_of

    union all

    select interactions.customer_id, {{ cartera_channel_touch_point('interactions.channel') }} as touch_point
    from {{ ref('stg_crm__interactions') }} as interactions
    cross join as_of
    where interactions.occurred_on <= as_of.as_of
),

counted as (
    select
        customer_id,
        touch_point,
        count(*) as uses,
        row_number() over (partition by customer_id order by count(*) desc, touch_point) as preference
    from channels
    where touch_point is not null
    group by customer_id, touch_point
)

select customer_id, touch_point as preferred_touch_point, uses
from counted
where preference = 1
