{{ config(meta={'dagster': {'ref': {'name': 'customer_clv'}}}) }}
{#- When customers are scored, exactly one purchase model is in use and it is the one that scored them. -#}
with in_use as (
    select model from {{ ref('clv_model_params') }}
    where in_use and model in ('bgnbd', 'mbgnbd', 'paretonbd')
    group by model
),

scored as (
    select distinct model from {{ ref('customer_clv') }}
)

select scored.model
from scored
left join in_use on scored.model = in_use.model
where in_use.model is null or (select count(*) from in_use) != 1
