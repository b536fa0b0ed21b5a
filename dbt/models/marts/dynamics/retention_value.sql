{#-
  What keeping customers is worth, on the owner's numbers. Base: the customers current or active at as_of
  (N), the observed trailing-year churn c (growth_scenarios) and their average net revenue over the last
  365 days (R). For a retention gain of k points (retention r = 1 - c becomes r' = min(r + k, 1)):
    kept per year             K = N x (r' - r)
    revenue, next 12 months   K x R
    revenue, lifetime         K x R x L(r'), with L(x) = sum over years t >= 0 of (x / (1 + d))^t
                                           = (1 + d) / (1 + d - x), d the yearly discount rate
    new customers, same revenue  K x L(r') / L(r)   (a new customer spends R a year and stays like today's)
    acquisition cost          new customers x retention_acquisition_cost (null when unknown), against
                              K x retention_acquisition_cost / retention_acquisition_cost_ratio to keep them;
                              in units of "the cost of keeping one customer": new customers x ratio vs K.
  d = var retention_discount_rate_yearly. README works an example by hand.
-#}
-- noqa: disable=AL04
-- (union rows take their column names from the first select; keyword-named columns such as year are the marts' contract)
with as_of as (
    select
        as_of,
        {{ dbt.cast(dbt.dateadd('day', -365, 'as_of'), 'date') }} as year_ago
    from {{ ref('int_as_of') }}
),

observed as (
    select churn_rate, customers_now
    from {{ ref('growth_scenarios') }}
    where scenario = 1
),

base_customers as (
    select customer_id
    from {{ ref('customer_status') }}
    where status in ('current', 'active')
),

base_revenue as (
    select
        sum(occasions.revenue) * cast(1 as double) / nullif((select count(*) from base_customers), 0)
            as revenue_per_customer_year
    from {{ ref('int_purchase_occasions') }} as occasions
    inner join base_customers on occasions.customer_id = base_customers.customer_id
    cross join as_of
    where occasions.occasion_date > as_of.year_ago and occasions.occasion_date <= as_of.as_of
),

gains as (
    {%- for points in range(1, 6) %}
    {{ 'union all' if not loop.first }}
    select {{ points }} as retention_gain_points
    {%- endfor %}
),

terms as (
    select
        gains.retention_gain_points,
        gains.retention_gain_points / cast(100 as double) as retention_gain,
        observed.churn_rate,
        1 - observed.churn_rate as retention_rate,
        case when 1 - observed.churn_rate + gains.retention_gain_points / cast(100 as double) > 1 then 1.0
            else 1 - observed.churn_rate + gains.retention_gain_points / cast(100 as double)
        end as improved_retention_rate,
        observed.customers_now as base_customers,
        base_revenue.revenue_per_customer_year,
        {{ cartera_var('retention_discount_rate_yearly') }} as discount_rate_yearly
    from gains
    cross join observed
    cross join base_revenue
),

valued as (
    select
        *,
        base_customers * (improved_retention_rate - retention_rate) as customers_kept_per_year,
        (1 + discount_rate_yearly) / (1 + discount_rate_yearly - improved_retention_rate) as lifetime_factor_improved,
        (1 + discount_rate_yearly) / (1 + discount_rate_yearly - retention_rate) as lifetime_factor_today
    from terms
),

{%- set cost = cartera_var('retention_acquisition_cost') %}
{%- set ratio = cartera_var('retention_acquisition_cost_ratio') %}
totals as (
    select
        *,
        customers_kept_per_year * revenue_per_customer_year as revenue_next_12m,
        customers_kept_per_year * revenue_per_customer_year * lifetime_factor_improved as revenue_lifetime,
        customers_kept_per_year * lifetime_factor_improved / lifetime_factor_today as new_customers_equivalent
    from valued
)

select
    retention_gain_points,
    retention_gain,
    churn_rate,
    retention_rate,
    improved_retention_rate,
    base_customers,
    customers_kept_per_year,
    revenue_per_customer_year,
    discount_rate_yearly,
    lifetime_factor_improved,
    lifetime_factor_today,
    revenue_next_12m,
    revenue_lifetime,
    new_customers_equivalent,
    {{ ratio }} as acquisition_cost_ratio,
    new_customers_equivalent * {{ ratio }} as acquisition_effort_in_retention_units,
    {{ cost if cost is not none else dbt.cast('null', 'double') }} as acquisition_cost_per_customer,
    new_customers_equivalent * {{ cost if cost is not none else dbt.cast('null', 'double') }} as acquisition_cost_equivalent,
    customers_kept_per_year * {{ cost if cost is not none else dbt.cast('null', 'double') }} / {{ ratio }}
        as retention_cost_of_kept
from totals
