{#-
  An occasion is an order (order_id, unique when present: deduplicated at ingestion); rows without order_id:
  each distinct (customer_id, order_date) is one occasion. A table: every later model and the CLV asset read
  it, and at 10M orders re-computing it per reader (as a view) cost more than writing it once. No string
  occasion key is built (concatenating 10M strings was the most expensive part); the grain is
  (customer_id, occasion_date, order_id), tested below.
-#}
with orders as (
    select * from {{ ref('stg_crm__orders') }}
),

orders_with_id as (
    select
        order_id,
        customer_id,
        order_date as occasion_date,
        amount as revenue
    from orders
    where order_id is not null
),

orders_without_id as (
    select
        {{ dbt.cast('null', dbt.type_string()) }} as order_id,
        customer_id,
        order_date as occasion_date,
        sum(amount) as revenue
    from orders
    where order_id is null
    group by customer_id, order_date
)

select order_id, customer_id, occasion_date, {{ dbt.cast('revenue', 'decimal(18, 2)') }} as revenue
from orders_with_id
union all
select order_id, customer_id, occasion_date, {{ dbt.cast('revenue', 'decimal(18, 2)') }} as revenue
from orders_without_id
