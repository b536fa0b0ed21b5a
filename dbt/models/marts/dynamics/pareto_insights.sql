{#-
  The nine questions about the customers who make pareto_share of revenue (the top group of
  pareto_customers), each answered top group against the rest (the other buyers with positive revenue in
  the Pareto window). One row per question, dimension, value and measure; an answer that needs a source
  the export did not include has one row whose note says "not available: needs <file>".
-#}
{%- set share = cartera_var('pareto_share') -%}
{%- set window = cartera_var('pareto_window_days') -%}
{%- set segment_dims = ['status', 'volume_tier', 'frequency_tier', 'lifecycle_stage', 'segment'] -%}
{#- (question, topic, dimension, needs customers.csv): each group's share of customers per value of a dimension. -#}
{%- set share_answers = [
    (3, 'segments', 'status', false),
    (3, 'segments', 'volume_tier', false),
    (3, 'segments', 'frequency_tier', false),
    (3, 'segments', 'lifecycle_stage', false),
    (3, 'segments', 'segment', true),
    (8, 'channels', 'acquisition_channel', true),
    (9, 'markets', 'segment', true),
    (9, 'markets', 'region', true),
] -%}
{#- (measure, top group, rest) of question 2, from group_sizes. -#}
{%- set who_answers = [
    ('customers', 'top_customers * cast(1 as double)', 'rest_customers * cast(1 as double)'),
    ('share_of_customers', 'top_customers * cast(1 as double) / nullif(top_customers + rest_customers, 0)',
        'rest_customers * cast(1 as double) / nullif(top_customers + rest_customers, 0)'),
    ('revenue', 'top_revenue * cast(1 as double)', 'rest_revenue * cast(1 as double)'),
    ('share_of_revenue', 'top_revenue * cast(1 as double) / nullif(top_revenue + rest_revenue, 0)',
        'rest_revenue * cast(1 as double) / nullif(top_revenue + rest_revenue, 0)'),
    ('revenue_per_customer', 'top_revenue * cast(1 as double) / nullif(top_customers, 0)',
        'rest_revenue * cast(1 as double) / nullif(rest_customers, 0)'),
] -%}

-- noqa: disable=AL03,AL04,RF02,RF04
-- (union rows take their column names from the first select; keyword-named columns such as year are the marts' contract)
with as_of as (
    select as_of from {{ ref('int_as_of') }}
),

sources as (
    select
        (select count(*) from {{ ref('stg_crm__customers') }}) as customers_rows,
        (select count(*) from {{ ref('stg_crm__order_lines') }}) as order_lines_rows,
        (select count(*) from {{ ref('stg_crm__products') }}) as products_rows
),

grouped as (
    select
        pareto.customer_id,
        case when pareto.is_top_80 then 'top_group' else 'rest' end as customer_group,
        pareto.net_revenue,
        status.status,
        coalesce(volume.tier, 'none') as volume_tier,
        frequency.tier as frequency_tier,
        frequency.mean_days_between,
        lifecycle.lifecycle_stage,
        coalesce(universe.segment, 'unknown') as segment,
        coalesce(universe.region, 'unknown') as region,
        coalesce(universe.acquisition_channel, 'unknown') as acquisition_channel,
        summary.first_order_date,
        summary.occasions
    from {{ ref('pareto_customers') }} as pareto
    inner join {{ ref('customer_status') }} as status on pareto.customer_id = status.customer_id
    inner join {{ ref('customer_volume') }} as volume on pareto.customer_id = volume.customer_id
    inner join {{ ref('customer_frequency') }} as frequency on pareto.customer_id = frequency.customer_id
    inner join {{ ref('lifecycle_stages') }} as lifecycle on pareto.customer_id = lifecycle.customer_id
    inner join {{ ref('int_customers_unioned') }} as universe on pareto.customer_id = universe.customer_id
    inner join {{ ref('int_customer_orders_summarized') }} as summary on pareto.customer_id = summary.customer_id
),

group_sizes as (
    select
        count(case when customer_group = 'top_group' then 1 end) as top_customers,
        count(case when customer_group = 'rest' then 1 end) as rest_customers,
        sum(case when customer_group = 'top_group' then net_revenue else 0 end) as top_revenue,
        sum(case when customer_group = 'rest' then net_revenue else 0 end) as rest_revenue
    from grouped
),

{#- Occasions in the Pareto window, for how often they buy. #}
window_occasions as (
    select occasions.customer_id, count(*) as occasions_in_window
    from {{ ref('int_purchase_occasions') }} as occasions
    cross join as_of
    where {{ cartera_in_last_days('occasions.occasion_date', 'as_of.as_of', window) }}
    group by occasions.customer_id
),

{#- Order lines of the window's orders, for products and categories. #}
lines as (
    select
        grouped.customer_group,
        order_lines.product_id,
        coalesce(products.category, 'unknown') as category,
        order_lines.line_amount
    from {{ ref('stg_crm__order_lines') }} as order_lines
    inner join {{ ref('int_purchase_occasions') }} as occasions on order_lines.order_id = occasions.order_id
    inner join grouped on occasions.customer_id = grouped.customer_id
    cross join as_of
    left join {{ ref('stg_crm__products') }} as products on order_lines.product_id = products.product_id
    where {{ cartera_in_last_days('occasions.occasion_date', 'as_of.as_of', window) }}
),

answers as (
    {#- (1) Is the base segmented: how many segments of each kind exist in each group. #}
    {%- for dim in segment_dims %}
    select
        1 as question, 'segmented' as topic, '{{ dim }}' as dimension, 'segments' as value, 'segments' as measure,
        count(distinct case when customer_group = 'top_group' then {{ dim }} end) * cast(1 as double) as top_group,
        count(distinct case when customer_group = 'rest' then {{ dim }} end) * cast(1 as double) as rest,
    {%- if dim == 'segment' %}
    case when max(sources.customers_rows) = 0 then 'not available: needs customers.csv' end as note
    {%- else %}
    {{ dbt.cast('null', dbt.type_string()) }} as note
    {%- endif %}
    from grouped
    cross join sources
    union all
    {%- endfor %}

    {#- (2) How many customers make the share, and their revenue (who: marts.pareto_customers). #}
    {%- for measure, top, rest in who_answers %}
    select 2, 'who', 'all', 'all', '{{ measure }}', {{ top }}, {{ rest }}, null
    from group_sizes
    union all
    {%- endfor %}

    {#- (3) Which segments they are in, (8) their acquisition channels and (9) the markets of their customers
        (segment and region): share of each group's customers per value; "not available" without customers.csv
        where the dimension comes from it. #}
    {%- for question, topic, dim, needs_customers in share_answers %}
    select
        {{ question }}, '{{ topic }}', '{{ dim }}', grouped.{{ dim }}, 'share_of_customers',
        count(case when grouped.customer_group = 'top_group' then 1 end) * cast(1 as double) / nullif(max(group_sizes.top_customers), 0),
        count(case when grouped.customer_group = 'rest' then 1 end) * cast(1 as double) / nullif(max(group_sizes.rest_customers), 0),
        null
    from grouped
    cross join group_sizes
    cross join sources
    {%- if needs_customers %}
    where sources.customers_rows > 0
    {%- endif %}
    group by grouped.{{ dim }}
    union all
    {%- if needs_customers %}
    select
        {{ question }}, '{{ topic }}', '{{ dim }}', 'not available', 'share_of_customers', null, null,
        'not available: needs customers.csv'
    from sources
    where customers_rows = 0
    union all
    {%- endif %}
    {%- endfor %}

    {#- (4) Which products and categories they buy: share of each group's line revenue. #}
    {%- for dim in ['category', 'product_id'] %}
    select
        4, 'products', '{{ 'category' if dim == 'category' else 'product' }}', {{ dim }}, 'share_of_line_revenue',
        sum(case when customer_group = 'top_group' then line_amount else 0 end) * cast(1 as double)
        / nullif(max(totals.top_lines), 0),
        sum(case when customer_group = 'rest' then line_amount else 0 end) * cast(1 as double) / nullif(max(totals.rest_lines), 0),
    {%- if dim == 'category' %}
    case when max(sources.products_rows) = 0 then 'not available: needs products.csv' end
    {%- else %}
    null
    {%- endif %}
    from lines
    cross join sources
    cross join (
        select
            sum(case when customer_group = 'top_group' then line_amount else 0 end) as top_lines,
            sum(case when customer_group = 'rest' then line_amount else 0 end) as rest_lines
        from lines
    ) as totals
    group by {{ dim }}
    {%- if dim == 'product_id' %}
    {#- the ten products that bring the top group most revenue #}
    having {{ dim }} in (
            select product_id from lines where customer_group = 'top_group'
            group by product_id order by sum(line_amount) desc, product_id limit 10
        )
    {%- endif %}
    union all
    {%- endfor %}
    select
        4, 'products', 'product', 'not available', 'share_of_line_revenue', null, null,
        'not available: needs order_lines.csv'
    from sources
    where order_lines_rows = 0
    union all

    {#- (5) How often they buy. #}
    select
        5, 'frequency', 'all', 'all', 'occasions_per_customer',
        avg(case when grouped.customer_group = 'top_group' then coalesce(window_occasions.occasions_in_window, 0) end),
        avg(case when grouped.customer_group = 'rest' then coalesce(window_occasions.occasions_in_window, 0) end),
        null
    from grouped
    left join window_occasions on grouped.customer_id = window_occasions.customer_id
    union all
    select
        5, 'frequency', 'all', 'all', 'mean_days_between_occasions',
        avg(case when customer_group = 'top_group' then mean_days_between end),
        avg(case when customer_group = 'rest' then mean_days_between end),
        null
    from grouped
    union all

    {#- (6) New customers per month over the last 12 months, and how many of them are in the top group now. #}
    select
        6, 'new_customers', 'month', {{ dbt.cast(dbt.cast(dbt.date_trunc('month', 'grouped.first_order_date'), 'date'), dbt.type_string()) }},
        'new_customers',
        count(case when grouped.customer_group = 'top_group' then 1 end) * cast(1 as double),
        count(case when grouped.customer_group = 'rest' then 1 end) * cast(1 as double),
        null
    from grouped
    cross join as_of
    where grouped.first_order_date >= {{ dbt.cast(dbt.dateadd('month', -11, dbt.date_trunc('month', 'as_of.as_of')), 'date') }}
    group by {{ dbt.date_trunc('month', 'grouped.first_order_date') }}
    union all

    {#- (7) Churned: customers of each group (by last year's revenue) who are inactive at as_of. #}
    select
        7, 'churned', 'status', 'inactive', 'customers',
        count(case when customer_group = 'top_group' and status = 'inactive' then 1 end) * cast(1 as double),
        count(case when customer_group = 'rest' and status = 'inactive' then 1 end) * cast(1 as double),
        null
    from grouped
    union all
    select
        7, 'churned', 'status', 'inactive', 'share_of_customers',
        count(case when customer_group = 'top_group' and status = 'inactive' then 1 end) * cast(1 as double)
        / nullif(count(case when customer_group = 'top_group' then 1 end), 0),
        count(case when customer_group = 'rest' and status = 'inactive' then 1 end) * cast(1 as double)
        / nullif(count(case when customer_group = 'rest' then 1 end), 0),
        null
    from grouped
)

select
    answers.question,
    answers.topic,
    answers.dimension,
    answers.value,
    answers.measure,
    {{ dbt.cast(share, 'double') }} as pareto_share,
    answers.top_group,
    answers.rest,
    answers.note,
    as_of.as_of
from answers
cross join as_of
