{#- An occasion is an order; rows without order_id: each distinct (customer_id, order_date) is one. -#}
with orders as (
    select * from {{ ref('stg_crm__orders') }}
),

occasions as (
    select
        coalesce(
            order_id,
            {{ dbt.concat(['customer_id', "'|'", dbt.cast('order_date', dbt.type_string())]) }}
        ) as occasion_id,
        customer_id,
        order_date as occasion_date,
        sum(amount) as revenue
    from orders
    group by 1, 2, 3
)

select
    occasion_id,
    customer_id,
    occasion_date,
    {{ dbt.cast('revenue', 'decimal(18, 2)') }} as revenue
from occasions
