{#- Segment moves between consecutive month ends, one dimension at a time. -#}
with transitions as (
    select * from {{ ref('int_segment_transitions_counted') }}
)

{%- for dim in ['status', 'volume_tier', 'frequency_tier', 'lifecycle_stage'] %}
{{ 'union all' if not loop.first }}
select
    from_month_end,
    to_month_end,
    '{{ dim }}' as dimension,
    from_{{ dim }} as from_segment,
    to_{{ dim }} as to_segment,
    sum(customers) as customers,
    {{ dbt.cast('sum(revenue)', 'decimal(18, 2)') }} as revenue
from transitions
group by from_month_end, to_month_end, from_{{ dim }}, to_{{ dim }}
{%- endfor %}
