{#- What analysts and the report read of the customer-value model; the Python step writes clv.customer_scores. -#}
with scores as (
    select * from {{ ref('stg_clv__customer_scores') }}
)

select
    customer_id,
    model,
    value_method,
    frequency,
    recency,
    age,
    p_alive,
    p_no_purchase_90d,
    expected_occasions_90d,
    expected_occasions_365d,
    expected_days_to_next_purchase,
    expected_value_per_occasion,
    clv_12m,
    clv_12m_low,
    clv_12m_high,
    value_rank,
    scored_as_of,
    fit_id
from scores
