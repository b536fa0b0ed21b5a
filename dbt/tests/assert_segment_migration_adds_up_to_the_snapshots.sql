{#- Every buyer at every month end appears in exactly one move per dimension. Rows returned fail. -#}
{{ config(meta={'dagster': {'ref': {'name': 'segment_migration'}}}) }}
with moves as (
    select to_month_end, dimension, sum(customers) as customers
    from {{ ref('segment_migration') }}
    group by to_month_end, dimension
),

snapshots as (
    select month_end, count(*) as customers
    from {{ ref('segment_snapshots') }}
    group by month_end
)

select moves.*, snapshots.customers as snapshot_customers
from moves
left join snapshots on moves.to_month_end = snapshots.month_end
where snapshots.customers is null or moves.customers <> snapshots.customers
