{#-
  An occasion is an order (order_id, unique when present: deduplicated at ingestion and tested unique
  below); rows without order_id: each distinct (customer_id, order_date) is one occasion.
  A view, not a table: writing every occasion again costs ~10 s at 10M orders on DuckDB, while its two
  readers (int_customer_orders_summarized, cohort_retention) each scan it in a fraction of a second.
-#}
{{ config(materialized='view') }}

with orders as (
    select * from {{ ref('stg_crm__orders') }}
),

orders_with_id as (
    select
        order_id as occasion_id,
        customer_id,
        order_date as occasion_date,
        amount as revenue
    from orders
    where order_id is not null
),

orders_without_id as (
    select
        {{ dbt.concat(['customer_id', "'|'", dbt.cast('order_date', dbt.type_string())]) }} as occasion_id,
        customer_id,
        order_date as occasion_date,
        sum(amount) as revenue
    from orders
    where order_id is null
    group by customer_id, order_date
)

select occasion_id, customer_id, occasion_date, {{ dbt.cast('revenue', 'decimal(18, 2)') }} as revenue
from orders_with_id
union all
select occasion_id, customer_id, occasion_date, {{ dbt.cast('revenue', 'decimal(18, 2)') }} as revenue
from orders_without_id
