{#-
  Net Promoter Score by month and CRM segment (segment 'all' = every customer), up to as_of. Each customer
  counts once per month (their latest answer). NPS = (promoters 9-10 - detractors 0-6) / respondents x 100,
  in points from -100 to 100. Response rate = respondents / customers current or active at the month's end
  (segment_snapshots; the month holding as_of uses as_of).
-#}
with answers as (
    select * from {{ ref('int_survey_answers_monthly') }}
),

segments as (
    select customer_id, coalesce(segment, 'unknown') as segment from {{ ref('int_customers_unioned') }}
),

month_ends as (
    select month_start, month_end from {{ ref('int_month_ends') }}
),

reachable as (
    select month_ends.month_start as answer_month, snapshots.customer_id
    from {{ ref('segment_snapshots') }} as snapshots
    inner join month_ends on snapshots.month_end = month_ends.month_end
    where snapshots.status in ('current', 'active')
),

answers_by_segment as (
    select answers.*, coalesce(segments.segment, 'unknown') as segment
    from answers
    left join segments on answers.customer_id = segments.customer_id
),

reachable_by_segment as (
    select reachable.answer_month, coalesce(segments.segment, 'unknown') as segment, reachable.customer_id
    from reachable
    left join segments on reachable.customer_id = segments.customer_id
),

scored as (
    select answer_month, segment, nps_category, customer_id from answers_by_segment
    union all
    select answer_month, 'all' as segment, nps_category, customer_id from answers_by_segment
),

base as (
    select answer_month, segment, count(*) as reachable_customers
    from reachable_by_segment
    group by answer_month, segment
    union all
    select answer_month, 'all' as segment, count(*) as reachable_customers
    from reachable_by_segment
    group by answer_month
),

counted as (
    select
        answer_month,
        segment,
        count(*) as respondents,
        count(case when nps_category = 'promoter' then 1 end) as promoters,
        count(case when nps_category = 'passive' then 1 end) as passives,
        count(case when nps_category = 'detractor' then 1 end) as detractors
    from scored
    group by answer_month, segment
)

select
    counted.answer_month,
    counted.segment,
    counted.respondents,
    counted.promoters,
    counted.passives,
    counted.detractors,
    round(cast(100 as double) * (counted.promoters - counted.detractors) / counted.respondents, 1) as nps,
    coalesce(base.reachable_customers, 0) as reachable_customers,
    counted.respondents * cast(1 as double) / nullif(base.reachable_customers, 0) as response_rate
from counted
left join base
    on counted.answer_month = base.answer_month
    and counted.segment = base.segment
