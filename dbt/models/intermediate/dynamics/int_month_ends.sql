{#-
  The month-end spine: one evaluation point per calendar month from the month of the first purchase
  occasion to the month holding as_of. Each point is the month's last day, except the month holding as_of,
  whose point is as_of itself (so the last point of every history is the portfolio as the marts see it).
-#}
with as_of as (
    select as_of from {{ ref('int_as_of') }}
),

bounds as (
    select
        {{ dbt.cast(dbt.date_trunc('month', 'min(occasions.occasion_date)'), 'date') }} as first_month,
        as_of.as_of
    from {{ ref('int_purchase_occasions') }} as occasions
    cross join as_of
    where occasions.occasion_date <= as_of.as_of
    group by as_of.as_of
),

spine as (
    select
        first_month,
        as_of,
        {{ dbt.datediff('first_month', dbt.date_trunc('month', 'as_of'), 'month') }} as last_month_index
    from bounds
),

months as (
    {{ cartera_expand_periods('spine', 'first_month', 'last_month_index') }}
),

dated as (
    select
        months.period_number as month_index,
        {{ dbt.cast(dbt.dateadd('month', 'months.period_number', 'spine.first_month'), 'date') }} as month_start,
        spine.as_of
    from months
    cross join spine
)

select
    month_index,
    month_start,
    case
        when {{ dbt.cast(dbt.last_day('month_start', 'month'), 'date') }} < as_of
            then {{ dbt.cast(dbt.last_day('month_start', 'month'), 'date') }}
        else as_of
    end as month_end,
    {{ dbt.cast(dbt.last_day('month_start', 'month'), 'date') }} >= as_of as is_as_of
from dated
