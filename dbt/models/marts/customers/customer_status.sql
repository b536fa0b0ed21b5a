with universe as (
    select * from {{ ref('int_customers_unioned') }}
),

summary as (
    select * from {{ ref('int_customer_orders_summarized') }}
),

as_of as (
    select as_of from {{ ref('int_as_of') }}
)

select
    universe.customer_id,
    as_of.as_of,
    {{ cartera_customer_status(
        'summary.last_order_date', 'as_of.as_of', 'summary.occasions_recurrence_window',
        'universe.interest_shown', 'universe.economic_capacity') }} as status,
    coalesce(summary.occasions_active_window, 0) as occasions_active_window,
    coalesce(summary.occasions_recurrence_window, 0) as occasions_recurrence_window,
    summary.last_order_date,
    {{ dbt.datediff('summary.last_order_date', 'as_of.as_of', 'day') }} as days_since_last_order
from universe
cross join as_of
left join summary on universe.customer_id = summary.customer_id
