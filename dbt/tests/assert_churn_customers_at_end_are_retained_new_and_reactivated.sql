{#- The bucket identity: everyone current or active at a period's end was there at its start and stayed,
    joined during it, or came back during it. Rows returned fail. -#}
{{ config(meta={'dagster': {'ref': {'name': 'churn_by_period'}}}) }}
select *
from {{ ref('churn_by_period') }}
where customers_at_end <> retained + new_customers + reactivated
    or customers_at_start <> retained + churned
