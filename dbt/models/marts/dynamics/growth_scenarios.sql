{#-
  The growth arithmetic on the owner's own trailing year. Observed churn c: customers current or active on
  as_of - 365 days who are inactive on as_of, over those current or active then (statuses from the status
  macro evaluated at both dates). Price change p: average net revenue per occasion in (as_of - 365, as_of]
  over the same in (as_of - 730, as_of - 365], minus 1 (null without two years of history). One row per
  target growth g in var growth_target_rates: the new-customer rate n = (1 + g) / (1 + p) - (1 - c) needed
  to grow revenue by g (macro cartera_required_new_customer_rate).
-#}
-- noqa: disable=RF04
-- (union rows take their column names from the first select; keyword-named columns such as year are the marts' contract)
with as_of as (
    select
        as_of,
        {{ dbt.cast(dbt.dateadd('day', -365, 'as_of'), 'date') }} as year_ago,
        {{ dbt.cast(dbt.dateadd('day', -730, 'as_of'), 'date') }} as two_years_ago
    from {{ ref('int_as_of') }}
),

occasions as (
    select occasions.*
    from {{ ref('int_purchase_occasions') }} as occasions
    cross join as_of
    where occasions.occasion_date <= as_of.as_of
),

{#- The as_of aggregates, evaluated a year earlier (same macro). #}
year_ago_summary as (
    select
        occasions.customer_id,
        {{ cartera_occasion_aggregates('occasions.occasion_date', 'occasions.revenue', 'as_of.year_ago') }}
    from occasions
    cross join as_of
    where occasions.occasion_date <= as_of.year_ago
    group by occasions.customer_id
),

year_ago_status as (
    select
        year_ago_summary.customer_id,
        {{ cartera_customer_status(
            'year_ago_summary.last_order_date', 'as_of.year_ago', 'year_ago_summary.occasions_recurrence_window',
            'null', 'null') }} as status
    from year_ago_summary
    cross join as_of
),

churn as (
    select
        count(*) as customers_year_ago,
        count(case when now.status = 'inactive' then 1 end) as churned
    from year_ago_status
    inner join {{ ref('customer_status') }} as now on year_ago_status.customer_id = now.customer_id
    where year_ago_status.status in ('current', 'active')
),

years as (
    select
        min(occasions.occasion_date) as first_occasion_date,
        sum(case when occasions.occasion_date > as_of.year_ago then occasions.revenue end) as revenue_last_year,
        count(case when occasions.occasion_date > as_of.year_ago then 1 end) as occasions_last_year,
        sum(case when occasions.occasion_date > as_of.two_years_ago and occasions.occasion_date <= as_of.year_ago
                then occasions.revenue
        end) as revenue_year_before,
        count(case when occasions.occasion_date > as_of.two_years_ago and occasions.occasion_date <= as_of.year_ago
                then 1
        end) as occasions_year_before
    from occasions
    cross join as_of
),

new_customers as (
    select count(*) as new_customers_last_year
    from {{ ref('int_customer_orders_summarized') }} as summary
    cross join as_of
    where summary.first_order_date > as_of.year_ago
),

base as (
    select count(*) as customers_now
    from {{ ref('customer_status') }}
    where status in ('current', 'active')
),

observed as (
    select
        as_of.as_of,
        churn.customers_year_ago,
        churn.churned,
        churn.churned * cast(1 as double) / nullif(churn.customers_year_ago, 0) as churn_rate,
        case when years.first_occasion_date <= {{ dbt.dateadd('day', 1, 'as_of.two_years_ago') }}
                then (years.revenue_last_year * cast(1 as double) / nullif(years.occasions_last_year, 0))
                    / nullif(years.revenue_year_before * cast(1 as double) / nullif(years.occasions_year_before, 0), 0) - 1
        end as price_change,
        new_customers.new_customers_last_year,
        new_customers.new_customers_last_year * cast(1 as double) / nullif(churn.customers_year_ago, 0)
            as observed_new_customer_rate,
        base.customers_now
    from as_of
    cross join churn
    cross join years
    cross join new_customers
    cross join base
),

targets as (
    {%- for rate in cartera_var('growth_target_rates') %}
    {{ 'union all' if not loop.first }}
    select {{ loop.index }} as scenario, {{ dbt.cast(rate, 'double') }} as target_growth
    {%- endfor %}
),

scenarios as (
    select
        targets.scenario,
        observed.*,
        targets.target_growth,
        {{ cartera_required_new_customer_rate('targets.target_growth', 'coalesce(observed.price_change, 0)', 'observed.churn_rate') }}
            as required_new_customer_rate
    from targets
    cross join observed
)

select
    scenario,
    as_of,
    target_growth,
    churn_rate,
    price_change,
    required_new_customer_rate,
    {{ dbt.cast('round(required_new_customer_rate * customers_now, 0)', dbt.type_int()) }} as required_new_customers,
    observed_new_customer_rate,
    required_new_customer_rate - observed_new_customer_rate as new_customer_rate_gap,
    customers_year_ago,
    churned,
    new_customers_last_year,
    customers_now
from scenarios
