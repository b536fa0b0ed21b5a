{#- Every alert rule (macros/alert_rules.sql) evaluated at as_of for the customers current or active then. -#}
with eligible as (
    select
        customer_id,
        as_of as eval_date
    from {{ ref('customer_status') }}
    where status in ('current', 'active')
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
