{#-
  Pairs of products (and of categories) bought by the same customers, as of as_of. Over the N customers
  with order lines: support = customers_with_both / N, confidence (A -> B) = customers_with_both /
  customers_with_a, lift = confidence / (customers_with_b / N). Both directions of a pair are rows.
-#}
with items as (
    select * from {{ ref('int_customer_items_bought') }}
),

basket_customers as (
    select count(distinct customer_id) as customers_with_lines
    from items
    where item_level = 'product'
),

item_customers as (
    select item_level, item_id, max(item_name) as item_name, count(*) as customers_with_item
    from items
    group by item_level, item_id
),

pairs as (
    select
        a.item_level,
        a.item_id as item_a,
        b.item_id as item_b,
        count(*) as customers_with_both
    from items as a
    inner join items as b
        on a.customer_id = b.customer_id
        and a.item_level = b.item_level
        and a.item_id <> b.item_id
    group by a.item_level, a.item_id, b.item_id
)

select
    pairs.item_level,
    pairs.item_a,
    item_a.item_name as item_a_name,
    pairs.item_b,
    item_b.item_name as item_b_name,
    item_a.customers_with_item as customers_with_a,
    item_b.customers_with_item as customers_with_b,
    pairs.customers_with_both,
    basket_customers.customers_with_lines,
    pairs.customers_with_both * cast(1 as double) / basket_customers.customers_with_lines as support,  -- noqa: RF04
    pairs.customers_with_both * cast(1 as double) / item_a.customers_with_item as confidence,
    (pairs.customers_with_both * cast(1 as double) / item_a.customers_with_item)
    / (item_b.customers_with_item * cast(1 as double) / basket_customers.customers_with_lines) as lift
from pairs
cross join basket_customers
inner join item_customers as item_a
    on pairs.item_level = item_a.item_level and pairs.item_a = item_a.item_id
inner join item_customers as item_b
    on pairs.item_level = item_b.item_level and pairs.item_b = item_b.item_id
