{#- Every customer's 12-month CLV lies inside its 90% interval (when the interval exists). -#}
select customer_id, clv_12m, clv_12m_low, clv_12m_high
from {{ ref('customer_clv') }}
where clv_12m_low is not null
    and (clv_12m_low > clv_12m * (1 + 1e-9) or clv_12m_high < clv_12m * (1 - 1e-9) or clv_12m_low < 0)
