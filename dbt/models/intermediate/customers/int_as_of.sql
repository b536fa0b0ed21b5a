{#- The evaluation date: var as_of, else the latest order date (today when there are no orders). -#}
with orders as (
    select order_date from {{ ref('stg_crm__orders') }}
)

select
    coalesce(
        {{ cartera_date_var('as_of') }},
        max(order_date),
        {{ dbt.cast(dbt.current_timestamp(), 'date') }}
    ) as as_of
from orders
