{#-
  One row per buyer and month end (int_month_ends) from the month of their first occasion: the same
  per-customer aggregates as int_customer_orders_summarized (macro cartera_occasion_aggregates), evaluated
  at every month end in one set-based pass. Each occasion enters the windows at the first month end on or
  after its date and leaves a window of N days at the first month end on or after date + N
  (cartera_window_leaves_on, the other face of cartera_in_last_days); a running sum per customer over
  month ends then gives the window totals. Cost: one pass over occasions plus one row per customer and
  month end, instead of one scan of history per month end.
-#}
{%- set recurrence_days = cartera_int_var('recurrence_window_days') -%}
{%- set volume_days = cartera_int_var('volume_window_days') -%}
{%- set trend_days = cartera_int_var('lifecycle_trend_window_days') -%}
{%- set windows = [recurrence_days, volume_days, trend_days, 2 * trend_days] | unique | sort -%}

with as_of as (
    select as_of from {{ ref('int_as_of') }}
),

month_ends as (
    select month_index, month_start, month_end from {{ ref('int_month_ends') }}
),

first_month as (
    select month_start as first_month from month_ends where month_index = 0
),

located as (
    select
        occasions.customer_id,
        occasions.occasion_date,
        occasions.revenue,
        {{ dbt.datediff('first_month.first_month', 'occasions.occasion_date', 'month') }} as entry_index
        {%- for days in windows %},
        case when {{ cartera_window_leaves_on('occasions.occasion_date', days) }} <= as_of.as_of
            then {{ dbt.datediff('first_month.first_month', cartera_window_leaves_on('occasions.occasion_date', days), 'month') }}
        end as leaves_index_{{ days }}
        {%- endfor %}
    from {{ ref('int_purchase_occasions') }} as occasions
    cross join as_of
    cross join first_month
    where occasions.occasion_date <= as_of.as_of
),

{#- Entering and leaving events: an occasion enters at its month and leaves each N-day window at the month
    holding date + N (never, when date + N is after as_of). #}
events as (
    select
        customer_id,
        entry_index as month_index,
        occasion_date,
        1 as entered,
        revenue as entered_revenue
        {%- for days in windows %},
        0 as left_{{ days }},
        {{ dbt.cast('0', 'decimal(18, 2)') }} as left_revenue_{{ days }}
        {%- endfor %}
    from located
    {%- for days in windows %}
    union all
    select
        customer_id,
        leaves_index_{{ days }} as month_index,
        {{ dbt.cast('null', 'date') }} as occasion_date,
        0 as entered,
        {{ dbt.cast('0', 'decimal(18, 2)') }} as entered_revenue
        {%- for other in windows %},
        {{ '1' if other == days else '0' }} as left_{{ other }},
        {{ 'revenue' if other == days else dbt.cast('0', 'decimal(18, 2)') }} as left_revenue_{{ other }}
        {%- endfor %}
    from located
    where leaves_index_{{ days }} is not null
    {%- endfor %}
),

by_month as (
    select
        customer_id,
        month_index,
        min(occasion_date) as first_in_month,
        max(occasion_date) as last_in_month,
        sum(entered) as occasions_in_month,
        sum(entered_revenue) as revenue_in_month
        {%- for days in windows %},
        sum(left_{{ days }}) as left_{{ days }},
        sum(left_revenue_{{ days }}) as left_revenue_{{ days }}
        {%- endfor %}
    from events
    group by customer_id, month_index
),

customers as (
    select customer_id, min(first_in_month) as first_order_date, min(month_index) as first_index
    from by_month
    where occasions_in_month > 0
    group by customer_id
),

grid as (
    select customers.customer_id, customers.first_order_date, month_ends.month_index, month_ends.month_end
    from customers
    inner join month_ends on month_ends.month_index >= customers.first_index
),

running as (
    select
        grid.customer_id,
        grid.month_index,
        grid.month_end,
        grid.first_order_date,
        max(by_month.last_in_month) over customer_history as last_order_date,
        coalesce(by_month.occasions_in_month, 0) as occasions_in_month,
        coalesce(by_month.revenue_in_month, 0) as revenue_in_month,
        sum(coalesce(by_month.occasions_in_month, 0)) over customer_history as occasions,
        sum(coalesce(by_month.revenue_in_month, 0)) over customer_history as net_revenue
        {%- for days in windows %},
        sum(coalesce(by_month.occasions_in_month, 0) - coalesce(by_month.left_{{ days }}, 0))
            over customer_history as occasions_last_{{ days }},
        sum(coalesce(by_month.revenue_in_month, 0) - coalesce(by_month.left_revenue_{{ days }}, 0))
            over customer_history as revenue_last_{{ days }}
        {%- endfor %}
    from grid
    left join by_month
        on grid.customer_id = by_month.customer_id
        and grid.month_index = by_month.month_index
    window customer_history as (
        partition by grid.customer_id order by grid.month_index rows between unbounded preceding and current row
    )
)

select
    customer_id,
    month_index,
    month_end,
    first_order_date,
    last_order_date,
    occasions,
    {{ dbt.cast('net_revenue', 'decimal(18, 2)') }} as net_revenue,
    occasions_in_month,
    {{ dbt.cast('revenue_in_month', 'decimal(18, 2)') }} as revenue_in_month,
    occasions_last_{{ recurrence_days }} as occasions_recurrence_window,
    {{ dbt.cast('revenue_last_' ~ volume_days, 'decimal(18, 2)') }} as net_revenue_volume_window,
    {{ dbt.cast('revenue_last_' ~ trend_days, 'decimal(18, 2)') }} as net_revenue_trend_window,
    {{ dbt.cast('revenue_last_' ~ (2 * trend_days) ~ ' - revenue_last_' ~ trend_days, 'decimal(18, 2)') }}
        as net_revenue_prior_trend_window
from running
