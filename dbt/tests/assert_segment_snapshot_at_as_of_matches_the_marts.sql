{#- The month-end history and the as_of marts are the same definitions: at as_of they must agree on every
    buyer (status, volume tier, frequency tier), and every buyer must have a row there. Rows returned fail. -#}
{{ config(meta={'dagster': {'ref': {'name': 'segment_snapshots'}}}) }}
with at_as_of as (
    select snapshots.*
    from {{ ref('segment_snapshots') }} as snapshots
    inner join {{ ref('int_as_of') }} as as_of on snapshots.month_end = as_of.as_of
),

marts as (
    select status.customer_id, status.status, volume.tier as volume_tier, frequency.tier as frequency_tier
    from {{ ref('customer_volume') }} as volume
    inner join {{ ref('customer_status') }} as status on volume.customer_id = status.customer_id
    inner join {{ ref('customer_frequency') }} as frequency on volume.customer_id = frequency.customer_id
)

select
    coalesce(marts.customer_id, at_as_of.customer_id) as customer_id,
    marts.status as mart_status,
    at_as_of.status as snapshot_status,
    marts.volume_tier as mart_volume_tier,
    at_as_of.volume_tier as snapshot_volume_tier,
    marts.frequency_tier as mart_frequency_tier,
    at_as_of.frequency_tier as snapshot_frequency_tier
from marts
full outer join at_as_of on marts.customer_id = at_as_of.customer_id
where marts.customer_id is null
    or at_as_of.customer_id is null
    or marts.status <> at_as_of.status
    or coalesce(marts.volume_tier, 'none') <> coalesce(at_as_of.volume_tier, 'none')
    or marts.frequency_tier <> at_as_of.frequency_tier
