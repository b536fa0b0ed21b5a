{#-
  Did the retention actions work? Treatment against control, per action type overall ('all'), by touch point
  and by segment, 30 / 60 / 90 days after each action (only actions whose window has fully passed).
  Repurchase rate difference: Newcombe's hybrid score interval from Wilson intervals; net revenue per action
  difference: Welch's t interval. Below action_min_group_size actions in either group, or without a control
  group, the effect is not estimated (result 'cannot_be_measured' and the reason).
-#}
{%- set min_group = cartera_int_var('action_min_group_size') -%}
{%- set z = cartera_z_975() -%}

with outcomes as (
    select * from {{ ref('int_action_outcomes') }}
    where is_observed and action_group in ('treatment', 'control')
),

all_actions as (
    select distinct action_type, touch_point, segment, horizon_days
    from {{ ref('int_action_outcomes') }}
),

breakdowns as (
    select action_type, 'all' as touch_point, 'all' as segment, horizon_days from all_actions
    union
    select action_type, touch_point, 'all' as segment, horizon_days from all_actions
    union
    select action_type, 'all' as touch_point, segment, horizon_days from all_actions
),

groups as (
    select
        breakdowns.action_type,
        breakdowns.touch_point,
        breakdowns.segment,
        breakdowns.horizon_days,
        count(case when outcomes.action_group = 'treatment' then 1 end) as treatment_actions,
        count(case when outcomes.action_group = 'control' then 1 end) as control_actions,
        count(case when outcomes.action_group = 'treatment' and outcomes.repurchased then 1 end)
            as treatment_repurchased,
        count(case when outcomes.action_group = 'control' and outcomes.repurchased then 1 end)
            as control_repurchased,
        avg(case when outcomes.action_group = 'treatment' then outcomes.net_revenue * cast(1 as double) end)
            as treatment_mean_revenue,
        avg(case when outcomes.action_group = 'control' then outcomes.net_revenue * cast(1 as double) end)
            as control_mean_revenue,
        var_samp(case when outcomes.action_group = 'treatment' then outcomes.net_revenue * cast(1 as double) end)
            as treatment_revenue_variance,
        var_samp(case when outcomes.action_group = 'control' then outcomes.net_revenue * cast(1 as double) end)
            as control_revenue_variance
    from breakdowns
    left join outcomes
        on outcomes.action_type = breakdowns.action_type
        and outcomes.horizon_days = breakdowns.horizon_days
        and (breakdowns.touch_point = 'all' or outcomes.touch_point = breakdowns.touch_point)
        and (breakdowns.segment = 'all' or outcomes.segment = breakdowns.segment)
    group by breakdowns.action_type, breakdowns.touch_point, breakdowns.segment, breakdowns.horizon_days
),

judged as (
    select
        groups.*,
        case
            when treatment_actions + control_actions = 0 then 'window_not_elapsed'
            when control_actions = 0 then 'no_control_group'
            when treatment_actions = 0 then 'no_treatment_group'
            when treatment_actions < {{ min_group }} or control_actions < {{ min_group }} then 'group_too_small'
        end as not_measured_reason,
        treatment_repurchased * cast(1 as double) / nullif(treatment_actions, 0) as treatment_repurchase_rate,
        control_repurchased * cast(1 as double) / nullif(control_actions, 0) as control_repurchase_rate
    from groups
),

intervals as (
    select
        judged.*,
        {{ cartera_wilson_bound('treatment_repurchased', 'treatment_actions', 'lower') }} as treatment_wilson_low,
        {{ cartera_wilson_bound('treatment_repurchased', 'treatment_actions', 'upper') }} as treatment_wilson_high,
        {{ cartera_wilson_bound('control_repurchased', 'control_actions', 'lower') }} as control_wilson_low,
        {{ cartera_wilson_bound('control_repurchased', 'control_actions', 'upper') }} as control_wilson_high,
        sqrt(treatment_revenue_variance / treatment_actions + control_revenue_variance / control_actions)
            as revenue_standard_error
    from judged
    where not_measured_reason is null
),

welch as (
    select
        intervals.*,
        power(revenue_standard_error, 4) / nullif(
            power(treatment_revenue_variance / treatment_actions, 2) / (treatment_actions - 1)
            + power(control_revenue_variance / control_actions, 2) / (control_actions - 1), 0)
            as revenue_degrees_of_freedom
    from intervals
),

estimated as (
    select
        judged.action_type,
        judged.touch_point,
        judged.segment,
        judged.horizon_days,
        {{ cartera_newcombe_bound(
            'welch.treatment_repurchase_rate', 'welch.treatment_wilson_low', 'welch.treatment_wilson_high',
            'welch.control_repurchase_rate', 'welch.control_wilson_low', 'welch.control_wilson_high', 'lower') }}
            as rate_difference_ci_low,
        {{ cartera_newcombe_bound(
            'welch.treatment_repurchase_rate', 'welch.treatment_wilson_low', 'welch.treatment_wilson_high',
            'welch.control_repurchase_rate', 'welch.control_wilson_low', 'welch.control_wilson_high', 'upper') }}
            as rate_difference_ci_high,
        welch.revenue_degrees_of_freedom,
        {{ cartera_t_975('welch.revenue_degrees_of_freedom') }} * welch.revenue_standard_error as revenue_margin
    from judged
    inner join welch
        on judged.action_type = welch.action_type
        and judged.touch_point = welch.touch_point
        and judged.segment = welch.segment
        and judged.horizon_days = welch.horizon_days
)

select
    judged.action_type,
    judged.touch_point,
    judged.segment,
    judged.horizon_days,
    judged.treatment_actions,
    judged.control_actions,
    judged.treatment_repurchased,
    judged.control_repurchased,
    judged.treatment_repurchase_rate,
    judged.control_repurchase_rate,
    case when judged.not_measured_reason is null
            then judged.treatment_repurchase_rate - judged.control_repurchase_rate
    end as rate_difference,
    estimated.rate_difference_ci_low,
    estimated.rate_difference_ci_high,
    judged.treatment_mean_revenue,
    judged.control_mean_revenue,
    case when judged.not_measured_reason is null
            then judged.treatment_mean_revenue - judged.control_mean_revenue
    end as revenue_difference,
    judged.treatment_mean_revenue - judged.control_mean_revenue - estimated.revenue_margin as revenue_difference_ci_low,
    judged.treatment_mean_revenue - judged.control_mean_revenue + estimated.revenue_margin as revenue_difference_ci_high,
    estimated.revenue_degrees_of_freedom,
    case
        when judged.not_measured_reason is not null then 'cannot_be_measured'
        when estimated.rate_difference_ci_low > 0 then 'positive'
        when estimated.rate_difference_ci_high < 0 then 'negative'
        else 'inconclusive'
    end as result,
    judged.not_measured_reason,
    'newcombe_wilson' as rate_ci_method,
    'welch_t' as revenue_ci_method
from judged
left join estimated
    on judged.action_type = estimated.action_type
    and judged.touch_point = estimated.touch_point
    and judged.segment = estimated.segment
    and judged.horizon_days = estimated.horizon_days
