{#-
  Portfolio dynamics (issue 11): the value order of segments and the growth arithmetic, each defined once.
-#}

{#- Value order of a segment within its dimension (higher = more valuable), for "moved to a lower-value
    segment": status current 3 > active 2 > inactive 1; volume very_high 5 > high 4 > medium 3 > low 2 >
    none 1; frequency frequent 3 > habitual 2 > occasional 1; lifecycle onboarding = growth = maturity 3 >
    decline 2 > lapsed 1 (moving between the first three is a phase of life, not a loss). -#}
{% macro cartera_segment_rank(dimension, segment) %}
    case {{ dimension }}
        when 'status' then case {{ segment }} when 'current' then 3 when 'active' then 2 when 'inactive' then 1 end
        when 'volume_tier' then case {{ segment }}
            when 'very_high' then 5 when 'high' then 4 when 'medium' then 3 when 'low' then 2 when 'none' then 1 end
        when 'frequency_tier' then case {{ segment }}
            when 'frequent' then 3 when 'habitual' then 2 when 'occasional' then 1 end
        when 'lifecycle_stage' then case {{ segment }}
            when 'onboarding' then 3 when 'growth' then 3 when 'maturity' then 3 when 'decline' then 2
            when 'lapsed' then 1 end
    end
{%- endmacro %}

{#- New customers needed in a year, as a share of the customers at its start, for revenue to grow by
    target_growth when a share churn_rate of them leaves and prices change by price_change:
    revenue next year = (customers kept + new) x price = (1 - c + n)(1 + p) -> (1 + g) needs
    n = (1 + g) / (1 + p) - (1 - c). -#}
{% macro cartera_required_new_customer_rate(target_growth, price_change, churn_rate) %}
    ((1 + {{ target_growth }}) / (1 + {{ price_change }}) - (1 - {{ churn_rate }}))
{%- endmacro %}
