-- Along the revenue ranking the cumulative share never decreases, and the last customer's share is 1.
with ranked as (
    select
        revenue_rank,
        cumulative_share,
        lag(cumulative_share) over (order by revenue_rank) as previous_share,
        max(revenue_rank) over () as last_rank
    from {{ ref('pareto_customers') }}
)

select *
from ranked
where cumulative_share < previous_share
    or (revenue_rank = last_rank and abs(cumulative_share - 1) > 1e-9)
