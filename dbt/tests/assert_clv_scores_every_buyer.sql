{{ config(meta={'dagster': {'ref': {'name': 'customer_clv'}}}) }}
{#- When the model scored anyone, it scored every buyer (customer with an occasion up to as_of). -#}
select status.customer_id
from {{ ref('customer_status') }} as status
left join {{ ref('customer_clv') }} as clv on status.customer_id = clv.customer_id
where status.last_order_date is not null
    and clv.customer_id is null
    and exists (select 1 from {{ ref('customer_clv') }})
