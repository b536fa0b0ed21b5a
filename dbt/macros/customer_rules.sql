{#-
  Business rules on purchase occasions, each defined once. Every rule takes the evaluation date as an
  argument, so the same definitions classify customers at as_of or at any other date (e.g. month ends).
-#}

{#- Per-customer aggregates of purchase occasions up to eval_date (the caller groups by customer and
    keeps only occasions with occasion_date <= eval_date). -#}
{% macro cartera_occasion_aggregates(occasion_date, revenue, eval_date) %}
    min({{ occasion_date }}) as first_order_date,
    max({{ occasion_date }}) as last_order_date,
    count(*) as occasions,
    sum({{ revenue }}) as net_revenue,
    count(case when {{ cartera_in_last_days(occasion_date, eval_date, cartera_int_var('active_window_days')) }}
        then 1 end) as occasions_active_window,
    count(case when {{ cartera_in_last_days(occasion_date, eval_date, cartera_int_var('recurrence_window_days')) }}
        then 1 end) as occasions_recurrence_window,
    sum(case when {{ cartera_in_last_days(occasion_date, eval_date, cartera_int_var('volume_window_days')) }}
        then {{ revenue }} else 0 end) as net_revenue_volume_window,
    sum(case when {{ cartera_in_last_days(occasion_date, eval_date, cartera_int_var('pareto_window_days', allow_null=true)) }}
        then {{ revenue }} else 0 end) as net_revenue_pareto_window
{%- endmacro %}

{#- Status at eval_date. last_order_date is the last occasion up to eval_date (null = never bought). -#}
{% macro cartera_customer_status(last_order_date, eval_date, occasions_recurrence_window, interest_shown, economic_capacity) %}
    {%- set bought_recently = cartera_in_last_days(last_order_date, eval_date, cartera_int_var('active_window_days')) -%}
    case
        when {{ last_order_date }} is null then
            case when coalesce({{ interest_shown }}, false) and coalesce({{ economic_capacity }}, false)
                then 'potential' else 'probable' end
        when {{ bought_recently }}
            and {{ occasions_recurrence_window }} >= {{ cartera_int_var('recurrence_min_orders') }} then 'current'
        when {{ bought_recently }} then 'active'
        else 'inactive'
    end
{%- endmacro %}

{#- Volume tier of a net revenue against the mean over customers with positive revenue in the window.
    Null when the customer has no positive revenue in the window. -#}
{% macro cartera_volume_tier(net_revenue, mean_revenue) %}
    case
        when {{ net_revenue }} is null or {{ net_revenue }} <= 0 or {{ mean_revenue }} is null then null
        when {{ net_revenue }} >= {{ cartera_number_var('volume_very_high_ratio') }} * {{ mean_revenue }} then 'very_high'
        when {{ net_revenue }} >= {{ cartera_number_var('volume_high_ratio') }} * {{ mean_revenue }} then 'high'
        when {{ net_revenue }} >= {{ cartera_number_var('volume_medium_ratio') }} * {{ mean_revenue }} then 'medium'
        else 'low'
    end
{%- endmacro %}

{#- Mean days between consecutive occasions: (last - first) / (n - 1); null for a single occasion. -#}
{% macro cartera_mean_days_between(first_order_date, last_order_date, occasions) %}
    {{ dbt.datediff(first_order_date, last_order_date, 'day') }} * cast(1 as double) / nullif({{ occasions }} - 1, 0)
{%- endmacro %}

{#- Frequency tier from the mean days between occasions (null = a single occasion = occasional). -#}
{% macro cartera_frequency_tier(mean_days_between) %}
    case
        when {{ mean_days_between }} is null then 'occasional'
        when {{ mean_days_between }} <= {{ cartera_int_var('frequency_frequent_max_days') }} then 'frequent'
        when {{ mean_days_between }} <= {{ cartera_int_var('frequency_habitual_max_days') }} then 'habitual'
        else 'occasional'
    end
{%- endmacro %}

{#- Lifecycle phase at eval_date of a buyer with the given status: lapsed when inactive; onboarding while the
    tenure (days since the first occasion) is under lifecycle_onboarding_days; growth / decline when the
    revenue of the last lifecycle_trend_window_days is at least lifecycle_growth_min_change above / at least
    lifecycle_decline_min_change below that of the window before; maturity otherwise. Null for non-buyers. -#}
{% macro cartera_lifecycle_stage(status, first_order_date, eval_date, revenue_last, revenue_prior) %}
    case
        when {{ first_order_date }} is null or {{ status }} not in ('current', 'active', 'inactive') then null
        when {{ status }} = 'inactive' then 'lapsed'
        when {{ dbt.datediff(first_order_date, eval_date, 'day') }} < {{ cartera_int_var('lifecycle_onboarding_days') }}
            then 'onboarding'
        when {{ revenue_last }} > {{ revenue_prior }}
            and {{ revenue_last }} >= (1 + {{ cartera_number_var('lifecycle_growth_min_change') }}) * {{ revenue_prior }}
            then 'growth'
        when {{ revenue_last }} < {{ revenue_prior }}
            and {{ revenue_last }} <= (1 - {{ cartera_number_var('lifecycle_decline_min_change', max_value=1) }}) * {{ revenue_prior }}
            then 'decline'
        else 'maturity'
    end
{%- endmacro %}
