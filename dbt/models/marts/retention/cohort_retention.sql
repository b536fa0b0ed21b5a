with as_of as (
    select as_of from {{ ref('int_as_of') }}
),

summary as (
    select * from {{ ref('int_customer_orders_summarized') }}
),

occasions as (
    select occasions.*
    from {{ ref('int_purchase_occasions') }} as occasions
    cross join as_of
    where occasions.occasion_date <= as_of.as_of
),

cohort_customers as (
    select
        customer_id,
        {{ dbt.cast(dbt.date_trunc('month', 'first_order_date'), 'date') }} as cohort_month
    from summary
),

cohorts as (
    select
        cohort_customers.cohort_month,
        count(*) as cohort_size,
        {{ dbt.datediff('cohort_customers.cohort_month', dbt.date_trunc('month', 'as_of.as_of'), 'month') }}
            as last_period_number
    from cohort_customers
    cross join as_of
    group by cohort_customers.cohort_month, as_of.as_of
),

periods as (
    {{ cartera_expand_periods('cohorts', 'cohort_month', 'last_period_number') }}
),

customer_months as (
    select
        customer_id,
        {{ dbt.cast(dbt.date_trunc('month', 'occasion_date'), 'date') }} as activity_month,
        sum(revenue) as revenue
    from occasions
    group by 1, 2
),

activity as (
    select
        cohort_customers.cohort_month,
        {{ dbt.datediff('cohort_customers.cohort_month', 'customer_months.activity_month', 'month') }}
            as period_number,
        count(*) as active_customers,
        sum(customer_months.revenue) as revenue
    from customer_months
    inner join cohort_customers on customer_months.customer_id = cohort_customers.customer_id
    group by 1, 2
)

select
    periods.cohort_month,
    periods.period_number,
    {{ dbt.cast(dbt.dateadd('month', 'periods.period_number', 'periods.cohort_month'), 'date') }} as period_month,
    cohorts.cohort_size,
    coalesce(activity.active_customers, 0) as active_customers,
    coalesce(activity.active_customers, 0) * cast(1 as double) / cohorts.cohort_size as retention_rate,
    {{ dbt.cast('coalesce(activity.revenue, 0)', 'decimal(18, 2)') }} as revenue
from periods
inner join cohorts on periods.cohort_month = cohorts.cohort_month
left join activity
    on periods.cohort_month = activity.cohort_month
    and periods.period_number = activity.period_number
