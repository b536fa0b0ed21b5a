{#-
  Where the bucket leaks: per dimension and from_segment, over the last 12 transitions between month ends
  (the 12 latest to_month_ends), the customers who started a month in the segment, the share that ended it
  in a lower-value segment and the share that ended it inactive. Value order (macro cartera_segment_rank).
-#}
{%- set dimensions = ['status', 'volume_tier', 'frequency_tier', 'lifecycle_stage'] -%}

-- noqa: disable=RF02
-- (union rows take their column names from the first select; keyword-named columns such as year are the marts' contract)
with transitions as (
    select * from {{ ref('int_segment_transitions_counted') }}
),

last_transitions as (
    select to_month_end
    from (
        select to_month_end, row_number() over (order by to_month_end desc) as recency
        from (select distinct to_month_end from transitions) as ends
    ) as ranked
    where recency <= 12
),

window_transitions as (
    select transitions.*
    from transitions
    inner join last_transitions on transitions.to_month_end = last_transitions.to_month_end
),

moves as (
    {%- for dim in dimensions %}
    {{ 'union all' if not loop.first }}
    select
        '{{ dim }}' as dimension,
        from_{{ dim }} as from_segment,
        max({{ cartera_segment_rank("'" ~ dim ~ "'", 'from_' ~ dim) }}) as from_rank,
        sum(customers) as customers,
        sum(case when {{ cartera_segment_rank("'" ~ dim ~ "'", 'to_' ~ dim) }}
                < {{ cartera_segment_rank("'" ~ dim ~ "'", 'from_' ~ dim) }} then customers
            else 0
        end) as moved_down,
        sum(case when to_status = 'inactive' and from_status <> 'inactive' then customers else 0 end)
            as moved_to_inactive
    from window_transitions
    where from_{{ dim }} <> 'new'
    group by from_{{ dim }}
    {%- endfor %}
)

select
    dimension,
    from_segment,
    from_rank as segment_rank,
    customers,
    moved_down,
    moved_down * cast(1 as double) / nullif(customers, 0) as moved_down_share,
    moved_to_inactive,
    moved_to_inactive * cast(1 as double) / nullif(customers, 0) as moved_to_inactive_share,
    (select min(to_month_end) from last_transitions) as first_to_month_end,
    (select max(to_month_end) from last_transitions) as last_to_month_end
from moves
