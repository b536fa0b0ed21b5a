{#-
  The next thing to offer each current or active customer, and each valuable inactive customer of the
  win-back list (macro cartera_is_winback_candidate), as of as_of: among the products they have not
  bought yet, the one with the highest lift from a product they did buy (support >= affinity_min_support,
  lift > 1; ties: higher confidence, then item id); else the same over categories; else the most bought
  product among the top-80 customers that they have not bought. No rows without order lines.
-#}
{%- set min_support = cartera_number_var('affinity_min_support', max_value=1) -%}

with as_of as (
    select as_of from {{ ref('int_as_of') }}
),

customers as (
    select statuses.customer_id
    from {{ ref('customer_status') }} as statuses
    left join {{ ref('customer_volume') }} as volumes on statuses.customer_id = volumes.customer_id
    left join {{ ref('pareto_customers') }} as pareto on statuses.customer_id = pareto.customer_id
    where statuses.status in ('current', 'active')
        or {{ cartera_is_winback_candidate('statuses.status', 'pareto.is_top_80', 'volumes.tier') }}
),

items as (
    select * from {{ ref('int_customer_items_bought') }}
),

affinity as (
    select * from {{ ref('product_affinity') }}
    where support >= {{ min_support }} and lift > 1
),

affinity_candidates as (
    select
        customers.customer_id,
        affinity.item_level as offer_level,
        affinity.item_b as offer_item_id,
        affinity.item_b_name as offer_name,
        'affinity' as offer_source,
        affinity.item_a_name as because_of,
        affinity.lift,
        affinity.confidence,
        affinity.support,
        case affinity.item_level when 'product' then 1 else 2 end as source_rank
    from customers
    inner join items as bought on customers.customer_id = bought.customer_id
    inner join affinity
        on bought.item_level = affinity.item_level
        and bought.item_id = affinity.item_a
    left join items as already_bought
        on already_bought.customer_id = customers.customer_id
        and already_bought.item_level = affinity.item_level
        and already_bought.item_id = affinity.item_b
    where already_bought.customer_id is null
),

top_customers as (
    select customer_id from {{ ref('pareto_customers') }} where is_top_80
),

favourites as (
    select
        items.item_id,
        max(items.item_name) as item_name,
        count(*) as top_customers_buying,
        row_number() over (order by count(*) desc, items.item_id) as favourite_rank
    from items
    inner join top_customers on items.customer_id = top_customers.customer_id
    where items.item_level = 'product'
    group by items.item_id
),

favourite_candidates as (
    select
        customers.customer_id,
        'product' as offer_level,
        favourites.item_id as offer_item_id,
        favourites.item_name as offer_name,
        'top_customers_favourite' as offer_source,
        {{ dbt.cast('null', dbt.type_string()) }} as because_of,
        {{ dbt.cast('null', 'double') }} as lift,
        {{ dbt.cast('null', 'double') }} as confidence,
        {{ dbt.cast('null', 'double') }} as support,  -- noqa: RF04
        2 + favourites.favourite_rank as source_rank
    from customers
    cross join favourites
    left join items as already_bought
        on already_bought.customer_id = customers.customer_id
        and already_bought.item_level = 'product'
        and already_bought.item_id = favourites.item_id
    where already_bought.customer_id is null and favourites.favourite_rank <= 20
),

ranked as (
    select
        candidates.*,
        row_number() over (
            partition by customer_id
            order by source_rank asc, lift desc, confidence desc, offer_item_id asc
        ) as candidate_rank
    from (
        select * from affinity_candidates
        union all
        select * from favourite_candidates
    ) as candidates
)

select
    ranked.customer_id,
    as_of.as_of,
    ranked.offer_level,
    ranked.offer_item_id,
    ranked.offer_name,
    ranked.offer_source,
    ranked.because_of,
    ranked.lift,
    ranked.confidence,
    ranked.support,
    case ranked.offer_source
        when 'affinity' then {{ dbt.concat([
            "'customers who bought '", 'ranked.because_of', "' are '",
            dbt.cast('round(ranked.lift, 1)', dbt.type_string()), "' times as likely to buy '",
            'ranked.offer_name', "' as the average customer'"]) }}
        else {{ dbt.concat(["'one of the products the top customers buy most ('", 'ranked.offer_name', "')'"]) }}
    end as reason
from ranked
cross join as_of
where ranked.candidate_rank = 1
