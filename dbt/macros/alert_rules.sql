{#-
  Early-warning alert rules (issue 12), each defined once and evaluated at any date: early_alerts evaluates
  them at as_of, alert_effectiveness at every past month end. A rule never reads as_of itself; it gets the
  evaluation date as a column of the rows it is given.
-#}

{#- The alert types, the source each one needs, and the interaction kind it counts (if any). -#}
{% macro cartera_alert_types() %}
    {{ return([
        {'alert_type': 'spend_drop', 'source': 'orders', 'kind': none},
        {'alert_type': 'overdue', 'source': 'orders', 'kind': none},
        {'alert_type': 'support_contact', 'source': 'interactions', 'kind': 'support_call'},
        {'alert_type': 'complaint', 'source': 'interactions', 'kind': 'complaint'},
        {'alert_type': 'billing_error', 'source': 'interactions', 'kind': 'billing_error'},
        {'alert_type': 'detractor', 'source': 'surveys', 'kind': none},
    ]) }}
{% endmacro %}

{#- spend_drop: recent-window revenue below spend_drop_ratio x the window before, when that earlier
    revenue is above spend_drop_min_revenue. -#}
{% macro cartera_is_spend_drop(recent_revenue, previous_revenue) %}
    ({{ previous_revenue }} > {{ cartera_number_var('spend_drop_min_revenue') }}
        and {{ recent_revenue }} < {{ cartera_number_var('spend_drop_ratio', max_value=1) }} * {{ previous_revenue }})
{%- endmacro %}

{#- overdue: at least 3 occasions and days since the last above overdue_factor x the mean gap. -#}
{% macro cartera_is_overdue(occasions, days_since_last, mean_days_between) %}
    ({{ occasions }} >= 3
        and {{ days_since_last }} > {{ cartera_number_var('overdue_factor') }} * {{ mean_days_between }})
{%- endmacro %}

{#- NPS category of a 0-10 score: promoter 9-10, passive 7-8, detractor 0-6 (used by NPS and the alert). -#}
{% macro cartera_nps_category(score) %}
    case
        when {{ score }} is null then null
        when {{ score }} >= 9 then 'promoter'
        when {{ score }} >= 7 then 'passive'
        else 'detractor'
    end
{%- endmacro %}

{#-
  Every alert rule evaluated for the (customer_id, eval_date) rows of `eligible` (a relation or CTE name:
  the customers that are current or active at eval_date), which also carry the customer's occasion
  aggregates up to eval_date: first_order_date, last_order_date, occasions (macro cartera_occasion_aggregates
  at as_of: int_customer_orders_summarized; at every month end: the same aggregates in segment_snapshots,
  built by int_customer_month_end_windows and pinned against the as_of marts by
  assert_segment_snapshot_at_as_of_matches_the_marts). Reading them there instead of joining each
  (customer, date) to the whole purchase history keeps alert_effectiveness one pass over the snapshots (the
  history join was 80M rows at 10M orders). spend_drop reads only the occasions of its two windows.
  Returns a select of one row per raised alert:
  customer_id, eval_date, alert_type, severity, signal_value, baseline_value, threshold_value.
    spend_drop       signal = revenue in (eval - W, eval], baseline = revenue in (eval - 2W, eval - W],
                     threshold = spend_drop_ratio x baseline; high when the recent revenue is <= 0
    overdue          signal = days since the last occasion, baseline = mean days between occasions,
                     threshold = overdue_factor x baseline; high when the signal is above 2 x the threshold
    support_contact, complaint, billing_error
                     signal = interactions of that kind in the last signal_window_days, threshold 1;
                     complaint and billing_error are high, support_contact is high from 3 contacts
    detractor        signal = the score of the latest answer up to eval_date (0-6), threshold 6; high <= 3
-#}
{% macro cartera_alert_evaluations(eligible) %}
    {%- set window = cartera_int_var('alert_window_days') -%}
    {%- set signal_days = cartera_int_var('signal_window_days') -%}
    {%- set previous_end = dbt.cast(dbt.dateadd('day', -window, 'eligible.eval_date'), 'date') -%}
select customer_id, eval_date, alert_type, severity, signal_value, baseline_value, threshold_value
from (
    select
        customer_id,
        eval_date,
        'spend_drop' as alert_type,
        case when recent_revenue <= 0 then 'high' else 'medium' end as severity,
        {{ dbt.cast('recent_revenue', 'decimal(18, 2)') }} as signal_value,
        {{ dbt.cast('previous_revenue', 'decimal(18, 2)') }} as baseline_value,
        {{ dbt.cast(cartera_number_var('spend_drop_ratio', max_value=1) ~ ' * previous_revenue', 'decimal(18, 2)') }}
            as threshold_value
    from (
        select
            eligible.customer_id,
            eligible.eval_date,
            sum(case when {{ cartera_in_last_days('occasions.occasion_date', 'eligible.eval_date', window) }}
                then occasions.revenue else 0 end) as recent_revenue,
            sum(case when {{ cartera_in_last_days('occasions.occasion_date', previous_end, window) }}
                then occasions.revenue else 0 end) as previous_revenue
        from {{ eligible }} as eligible
        inner join {{ ref('int_purchase_occasions') }} as occasions
            on occasions.customer_id = eligible.customer_id
            {#- only the two windows' occasions: a customer with none there has 0 before, never a drop #}
            and {{ cartera_in_last_days('occasions.occasion_date', 'eligible.eval_date', 2 * window) }}
        group by eligible.customer_id, eligible.eval_date
    ) as windows
    where {{ cartera_is_spend_drop('recent_revenue', 'previous_revenue') }}

    union all

    select
        customer_id,
        eval_date,
        'overdue' as alert_type,
        case when days_since_last > 2 * {{ cartera_number_var('overdue_factor') }} * mean_days_between
            then 'high' else 'medium' end as severity,
        {{ dbt.cast('days_since_last', 'decimal(18, 2)') }} as signal_value,
        {{ dbt.cast('mean_days_between', 'decimal(18, 2)') }} as baseline_value,
        {{ dbt.cast(cartera_number_var('overdue_factor') ~ ' * mean_days_between', 'decimal(18, 2)') }}
            as threshold_value
    from (
        select
            customer_id,
            eval_date,
            occasions,
            {{ dbt.datediff('last_order_date', 'eval_date', 'day') }} as days_since_last,
            {{ cartera_mean_days_between('first_order_date', 'last_order_date', 'occasions') }} as mean_days_between
        from {{ eligible }}
        where occasions is not null
    ) as gaps
    where {{ cartera_is_overdue('occasions', 'days_since_last', 'mean_days_between') }}

    union all

    select
        customer_id,
        eval_date,
        alert_type,
        case
            when alert_type in ('complaint', 'billing_error') or contacts >= 3 then 'high'
            else 'medium'
        end as severity,
        {{ dbt.cast('contacts', 'decimal(18, 2)') }} as signal_value,
        {{ dbt.cast('null', 'decimal(18, 2)') }} as baseline_value,
        {{ dbt.cast('1', 'decimal(18, 2)') }} as threshold_value
    from (
        select
            eligible.customer_id,
            eligible.eval_date,
            case interactions.kind
                {%- for alert in cartera_alert_types() if alert.kind %}
                when '{{ alert.kind }}' then '{{ alert.alert_type }}'
                {%- endfor %}
            end as alert_type,
            count(*) as contacts
        from {{ eligible }} as eligible
        inner join {{ ref('stg_crm__interactions') }} as interactions
            on interactions.customer_id = eligible.customer_id
            and {{ cartera_in_last_days('interactions.occurred_on', 'eligible.eval_date', signal_days) }}
        where interactions.kind in (
            {%- for alert in cartera_alert_types() if alert.kind %}'{{ alert.kind }}'{{ ', ' if not loop.last }}{% endfor -%}
        )
        group by eligible.customer_id, eligible.eval_date, interactions.kind
    ) as contacted

    union all

    select
        customer_id,
        eval_date,
        'detractor' as alert_type,
        case when score <= 3 then 'high' else 'medium' end as severity,
        {{ dbt.cast('score', 'decimal(18, 2)') }} as signal_value,
        {{ dbt.cast('null', 'decimal(18, 2)') }} as baseline_value,
        {{ dbt.cast('6', 'decimal(18, 2)') }} as threshold_value
    from (
        select
            eligible.customer_id,
            eligible.eval_date,
            surveys.score,
            row_number() over (
                partition by eligible.customer_id, eligible.eval_date
                order by surveys.answered_at desc, surveys.source_file_seq desc, surveys.source_line desc
            ) as answer_rank
        from {{ eligible }} as eligible
        inner join {{ ref('stg_crm__surveys') }} as surveys
            on surveys.customer_id = eligible.customer_id
            and surveys.answered_on <= eligible.eval_date
    ) as answers
    where answer_rank = 1 and {{ cartera_nps_category('score') }} = 'detractor'
) as alerts
{%- endmacro %}

{#- A valuable inactive customer, for the win-back list: inactive, and in the top-80 group or with a
    high or very high volume tier (both as of the same date as the status). -#}
{% macro cartera_is_winback_candidate(status, is_top_80, volume_tier) %}
    ({{ status }} = 'inactive' and (coalesce({{ is_top_80 }}, false) or {{ volume_tier }} in ('very_high', 'high')))
{%- endmacro %}
