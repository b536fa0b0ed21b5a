{{ config(meta={'dagster': {'ref': {'name': 'customer_clv'}}}) }}
{#- When customers are scored, exactly one purchase model is in use and it is the one that scored them. -#}
with in_use as (
    select model from {{ ref('clv_model_params') }}
    where in_use and model in ('bgnbd', 'mbgnbd', 'paretonbd')
    group by model
),

in_use_count as (
    select count(*) as models_in_use from in_use
),

scored as (
    select distinct model from {{ ref('customer_clv') }}
)

select scored.model
from scored
cross join in_use_count
left join in_use on scored.model = in_use.model
where in_use.model is null or in_use_count.models_in_use != 1
