{#- Interactions up to as_of counted per customer: one column per var interaction_kinds entry. -#}
with interactions as (
    select * from {{ ref('stg_crm__interactions') }}
),

as_of as (
    select as_of from {{ ref('int_as_of') }}
)

select
    interactions.customer_id,
    {%- for kind in cartera_identifier_list_var('interaction_kinds') %}
    count(case when interactions.kind = '{{ kind }}' then 1 end) as {{ kind }}_count,
    {%- endfor %}
    count(*) as interactions_total
from interactions
cross join as_of
where interactions.occurred_on <= as_of.as_of
group by interactions.customer_id
