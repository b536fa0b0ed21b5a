with universe as (
    select * from {{ ref('int_customers_unioned') }}
),

as_of as (
    select as_of from {{ ref('int_as_of') }}
),

summary as (select * from {{ ref('int_customer_orders_summarized') }}),
statuses as (select * from {{ ref('customer_status') }}),
volumes as (select * from {{ ref('customer_volume') }}),
frequencies as (select * from {{ ref('customer_frequency') }}),
pareto as (select * from {{ ref('pareto_customers') }}),
interactions as (select * from {{ ref('int_customer_interactions_counted') }}),
surveys as (select * from {{ ref('int_customer_latest_surveys') }}),
clv as (select * from {{ ref('customer_clv') }})

select
    universe.customer_id,
    as_of.as_of,
    {{ cartera_mask_personal_data('universe.customer_name', 'name') }} as customer_name,
    {{ cartera_mask_personal_data('universe.email', 'email') }} as email,
    {{ cartera_mask_personal_data('universe.phone', 'phone') }} as phone,
    universe.first_contact_date,
    universe.acquisition_channel,
    universe.segment,
    universe.region,
    summary.first_order_date,
    summary.last_order_date,
    coalesce(summary.occasions, 0) as occasions,
    coalesce(summary.net_revenue, 0) as net_revenue,
    summary.net_revenue / nullif(summary.occasions, 0) as avg_order_value,
    {{ dbt.datediff('summary.first_order_date', 'as_of.as_of', 'day') }} as tenure_days,
    {%- for kind in cartera_identifier_list_var('interaction_kinds') %}
    coalesce(interactions.{{ kind }}_count, 0) as {{ kind }}_count,
    {%- endfor %}
    coalesce(interactions.interactions_total, 0) as interactions_total,
    surveys.latest_survey_score,
    surveys.latest_survey_on,
    statuses.status,
    volumes.tier as volume_tier,
    frequencies.tier as frequency_tier,
    coalesce(pareto.is_top_80, false) as is_top_80,
    clv.p_alive,
    clv.clv_12m
from universe
cross join as_of
left join summary on universe.customer_id = summary.customer_id
left join statuses on universe.customer_id = statuses.customer_id
left join volumes on universe.customer_id = volumes.customer_id
left join frequencies on universe.customer_id = frequencies.customer_id
left join pareto on universe.customer_id = pareto.customer_id
left join interactions on universe.customer_id = interactions.customer_id
left join surveys on universe.customer_id = surveys.customer_id
left join clv on universe.customer_id = clv.customer_id
