{#-
  The portfolio across lifecycle phases at as_of, how long a stay in each phase lasts, and the maturity
  warning. Average stay = month ends spent in the phase over the stays that began in it, across the whole
  month-end history (stays still under way at as_of count as far as they got, so a young portfolio
  understates them).
-#}
{%- set stages = ['onboarding', 'growth', 'maturity', 'decline', 'lapsed'] -%}

with stages as (
    {%- for stage in stages %}
    {{ 'union all' if not loop.first }}
    select {{ loop.index }} as stage_order, '{{ stage }}' as lifecycle_stage
    {%- endfor %}
),

current_stage as (
    select lifecycle_stage, count(*) as customers
    from {{ ref('lifecycle_stages') }}
    group by lifecycle_stage
),

stays as (
    select
        to_lifecycle_stage as lifecycle_stage,
        sum(customers) as month_ends_in_stage,
        sum(case when from_lifecycle_stage <> to_lifecycle_stage then customers else 0 end) as stays_begun
    from {{ ref('int_segment_transitions_counted') }}
    group by to_lifecycle_stage
),

counted as (
    select
        stages.stage_order,
        stages.lifecycle_stage,
        coalesce(current_stage.customers, 0) as customers,
        stays.month_ends_in_stage * cast(1 as double) / nullif(stays.stays_begun, 0) as avg_month_ends_in_stage
    from stages
    left join current_stage on stages.lifecycle_stage = current_stage.lifecycle_stage
    left join stays on stages.lifecycle_stage = stays.lifecycle_stage
),

totals as (
    select
        sum(customers) as buyers,
        sum(case when lifecycle_stage <> 'lapsed' then customers else 0 end) as non_lapsed,
        sum(case when lifecycle_stage in ('maturity', 'decline') then customers else 0 end) as mature
    from counted
)

select
    counted.stage_order,
    counted.lifecycle_stage,
    counted.customers,
    counted.customers * cast(1 as double) / nullif(totals.buyers, 0) as share_of_buyers,
    case when counted.lifecycle_stage <> 'lapsed'
            then counted.customers * cast(1 as double) / nullif(totals.non_lapsed, 0)
    end as share_of_non_lapsed,
    counted.avg_month_ends_in_stage,
    totals.mature * cast(1 as double) / nullif(totals.non_lapsed, 0) as mature_share,
    {{ cartera_var('lifecycle_maturity_warning_share') }} as maturity_warning_share,
    coalesce(totals.mature * cast(1 as double) / nullif(totals.non_lapsed, 0) > {{ cartera_var('lifecycle_maturity_warning_share') }}, false)
        as maturity_warning,
    {{ cartera_var('lifecycle_onboarding_days') }} as onboarding_days,
    {{ cartera_var('lifecycle_trend_window_days') }} as trend_window_days,
    {{ cartera_var('lifecycle_growth_min_change') }} as growth_min_change,
    {{ cartera_var('lifecycle_decline_min_change') }} as decline_min_change
from counted
cross join totals
