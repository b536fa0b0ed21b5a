{{ config(meta={"dagster": {"ref": {"name": "customer_status"}}}) }}
-- Every customer in the universe has exactly one row in customer_status, with a status.
select
    universe.customer_id,
    count(statuses.status) as statuses
from {{ ref('int_customers_unioned') }} as universe
left join {{ ref('customer_status') }} as statuses
    on universe.customer_id = statuses.customer_id
group by universe.customer_id
having count(statuses.status) != 1
