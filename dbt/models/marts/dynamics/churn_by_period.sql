{#-
  Customers and revenue per month, quarter and year: who was there at the start (the day before
  period_start), who stayed, left, joined and came back by period_end. Statuses come from segment_snapshots
  (the status macro at each month end); period_end is the last day, or as_of for the period holding it.
-#}
{%- set buying = "('current', 'active')" -%}

-- noqa: disable=RF02
-- (union rows take their column names from the first select; keyword-named columns such as year are the marts' contract)
with month_ends as (
    select * from {{ ref('int_month_ends') }}
),

first_month as (
    select month_start as first_month from month_ends where month_index = 0
),

grains as (
    {%- for grain in ['month', 'quarter', 'year'] %}
    {{ 'union all' if not loop.first }}
    select
        '{{ grain }}' as period_grain,
        {{ dbt.cast(dbt.date_trunc(grain, 'month_ends.month_start'), 'date') }} as period_start,
        month_ends.month_index,
        month_ends.month_end,
        month_ends.is_as_of
    from month_ends
    {%- endfor %}
),

periods as (
    select
        grains.period_grain,
        grains.period_start,
        max(grains.month_end) as period_end,
        max(grains.month_index) as end_index,
        {{ dbt.datediff('first_month.first_month', 'grains.period_start', 'month') }} - 1 as start_index,
        max(case when grains.is_as_of then 1 else 0 end) as holds_as_of
    from grains
    cross join first_month
    group by grains.period_grain, grains.period_start, first_month.first_month
),

snapshots as (
    select customer_id, month_index, status, first_order_date
    from {{ ref('segment_snapshots') }} as snapshots
    inner join month_ends on snapshots.month_end = month_ends.month_end
),

at_start as (
    select periods.period_grain, periods.period_start, snapshots.customer_id, snapshots.status
    from periods
    inner join snapshots on snapshots.month_index = periods.start_index
),

at_end as (
    select periods.period_grain, periods.period_start, snapshots.customer_id, snapshots.status
    from periods
    inner join snapshots on snapshots.month_index = periods.end_index
),

{#- Every buyer at period_end had a row at the start unless their first occasion is in the period. #}
moves as (
    select
        at_end.period_grain,
        at_end.period_start,
        at_start.status as status_at_start,
        at_end.status as status_at_end,
        count(*) as customers
    from at_end
    left join at_start
        on at_end.period_grain = at_start.period_grain
        and at_end.period_start = at_start.period_start
        and at_end.customer_id = at_start.customer_id
    group by at_end.period_grain, at_end.period_start, at_start.status, at_end.status
),

counted as (
    select
        period_grain,
        period_start,
        sum(case when status_at_start in {{ buying }} then customers else 0 end) as customers_at_start,
        sum(case when status_at_start in {{ buying }} and status_at_end in {{ buying }} then customers else 0 end)
            as retained,
        sum(case when status_at_start in {{ buying }} and status_at_end = 'inactive' then customers else 0 end)
            as churned,
        sum(case when status_at_start is null and status_at_end in {{ buying }} then customers else 0 end)
            as new_customers,
        sum(case when status_at_start is null and status_at_end = 'inactive' then customers else 0 end)
            as new_customers_lapsed,
        sum(case when status_at_start = 'inactive' and status_at_end in {{ buying }} then customers else 0 end)
            as reactivated,
        sum(case when status_at_end in {{ buying }} then customers else 0 end) as customers_at_end
    from moves
    group by period_grain, period_start
),

revenue as (
    select
        grains.period_grain,
        grains.period_start,
        sum(monthly.revenue) as revenue,
        sum(monthly.occasions) as occasions
    from grains
    left join (
        select month_end, sum(revenue_in_month) as revenue, sum(occasions_in_month) as occasions
        from {{ ref('segment_snapshots') }}
        group by month_end
    ) as monthly on grains.month_end = monthly.month_end
    group by grains.period_grain, grains.period_start
),

joined as (
    select
        periods.period_grain,
        periods.period_start,
        periods.period_end,
        periods.holds_as_of = 0
        or periods.period_end = case periods.period_grain
            {%- for grain in ['month', 'quarter', 'year'] %}
            when '{{ grain }}' then {{ dbt.cast(dbt.last_day('periods.period_start', grain), 'date') }}
            {%- endfor %}
        end as is_complete,
        coalesce(counted.customers_at_start, 0) as customers_at_start,
        coalesce(counted.retained, 0) as retained,
        coalesce(counted.churned, 0) as churned,
        coalesce(counted.new_customers, 0) as new_customers,
        coalesce(counted.new_customers_lapsed, 0) as new_customers_lapsed,
        coalesce(counted.reactivated, 0) as reactivated,
        coalesce(counted.customers_at_end, 0) as customers_at_end,
        {{ dbt.cast('coalesce(revenue.revenue, 0)', 'decimal(18, 2)') }} as revenue,
        coalesce(revenue.occasions, 0) as occasions
    from periods
    left join counted
        on periods.period_grain = counted.period_grain and periods.period_start = counted.period_start
    left join revenue
        on periods.period_grain = revenue.period_grain and periods.period_start = revenue.period_start
),

rated as (
    select
        *,
        churned * cast(1 as double) / nullif(customers_at_start, 0) as churn_rate,
        new_customers * cast(1 as double) / nullif(customers_at_start, 0) as new_customer_rate,
        revenue * cast(1 as double) / nullif(occasions, 0) as avg_revenue_per_occasion
    from joined
)

select
    period_grain,
    period_start,
    period_end,
    is_complete,
    customers_at_start,
    retained,
    churned,
    new_customers,
    reactivated,
    customers_at_end,
    churn_rate,
    new_customer_rate,
    revenue,
    occasions,
    revenue * cast(1 as double) / nullif(lag(revenue) over (partition by period_grain order by period_start), 0) - 1
        as revenue_growth,
    avg_revenue_per_occasion,
    avg_revenue_per_occasion
    / nullif(lag(avg_revenue_per_occasion) over (partition by period_grain order by period_start), 0) - 1
        as price_change,
    new_customers_lapsed
from rated
