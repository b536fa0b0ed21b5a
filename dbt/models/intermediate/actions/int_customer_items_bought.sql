{#-
  What each customer bought up to as_of, from order lines joined to their order (for the customer and date)
  and to the product catalogue (for name and category): one row per customer, level ('product' or
  'category') and item. Empty when the export has no order lines.
-#}
with as_of as (
    select as_of from {{ ref('int_as_of') }}
),

orders as (
    select order_id, customer_id, order_date
    from {{ ref('stg_crm__orders') }}
    where order_id is not null
),

lines as (
    select order_id, product_id from {{ ref('stg_crm__order_lines') }}
),

products as (
    {{ cartera_latest_record(ref('stg_crm__products'), 'product_id') }}
),

bought as (
    select distinct
        orders.customer_id,
        lines.product_id,
        products.product_name,
        products.category
    from lines
    inner join orders on lines.order_id = orders.order_id
    cross join as_of
    left join products on lines.product_id = products.product_id
    where orders.order_date <= as_of.as_of
)

select distinct
    customer_id,
    'product' as item_level,
    product_id as item_id,
    coalesce(product_name, product_id) as item_name
from bought

union all

select distinct
    customer_id,
    'category' as item_level,
    category as item_id,
    category as item_name
from bought
where category is not null
