{#- Every alert rule (macros/alert_rules.sql) evaluated at as_of for the customers current or active then. -#}
with eligible as (
    select
        status.customer_id,
        status.as_of as eval_date,
        summarized.first_order_date,
        summarized.last_order_date,
        summarized.occasions
    from {{ ref('customer_status') }} as status
    left join {{ ref('int_customer_orders_summarized') }} as summarized
        on status.customer_id = summarized.customer_id
    where status.status in ('current', 'active')
),

alerts as (
    {{ cartera_alert_evaluations('eligible') }}
)

select
    customer_id,
    alert_type,
    eval_date as detected_on,
    severity,
    signal_value,
    baseline_value,
    threshold_value
from alerts
