{#-
  Every buyer's move between consecutive month ends, counted per combination of their four segments
  before and after (small: a few thousand rows per month). A buyer's first month end comes from 'new'
  (from_month_end is then the previous month end, or the day before the spine for its first month); a
  customer without a volume tier is 'none'. segment_migration and segment_leakage read this.
-#}
{%- set dimensions = ['status', 'volume_tier', 'frequency_tier', 'lifecycle_stage'] -%}

with month_ends as (
    select
        month_index,
        month_end,
        coalesce(
            lag(month_end) over (order by month_index),
            {{ dbt.cast(dbt.dateadd('day', -1, 'month_start'), 'date') }}
        ) as from_month_end
    from {{ ref('int_month_ends') }}
),

snapshots as (
    select
        snapshots.customer_id,
        snapshots.month_end,
        snapshots.revenue_in_month,
        {%- for dim in dimensions %}
        coalesce(snapshots.{{ dim }}, 'none') as to_{{ dim }},
        coalesce(
            lag(coalesce(snapshots.{{ dim }}, 'none')) over (
                partition by snapshots.customer_id order by snapshots.month_end),
            'new'
        ) as from_{{ dim }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ ref('segment_snapshots') }} as snapshots
)

select
    month_ends.from_month_end,
    snapshots.month_end as to_month_end,
    {%- for dim in dimensions %}
    snapshots.from_{{ dim }},
    snapshots.to_{{ dim }},
    {%- endfor %}
    count(*) as customers,
    {{ dbt.cast('sum(snapshots.revenue_in_month)', 'decimal(18, 2)') }} as revenue
from snapshots
inner join month_ends on snapshots.month_end = month_ends.month_end
group by
    month_ends.from_month_end,
    snapshots.month_end
    {%- for dim in dimensions %},
    snapshots.from_{{ dim }},
    snapshots.to_{{ dim }}
    {%- endfor %}
