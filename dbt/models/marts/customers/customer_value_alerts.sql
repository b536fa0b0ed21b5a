{#-
  Low-p_alive alert for valuable customers (CLV feature), as of as_of.

  Value group: buyers (occasions > 0 up to as_of) ranked by clv_12m desc, ties by customer_id (the order
  of marts.customer_clv.value_rank). Buyers without clv_12m (not scored by the CLV model) rank after all
  scored ones, by historical net_revenue desc, then customer_id; they carry no p_alive, so they are never
  alerted, but they count among the buyers. A buyer is in the top group when fewer than
  alert_min_value_share * buyers rank ahead of them (value_rank <= ceil(share * buyers)).

  Alert: in the top group, clv_12m > 0 and p_alive < alert_p_alive_max.
  priority: 1, 2, ... over the alerts, in value_rank order (1 = highest clv_12m at risk).
-#}
{%- set p_alive_max = cartera_number_var('alert_p_alive_max', max_value=1) -%}
{%- set value_share = cartera_number_var('alert_min_value_share', max_value=1) -%}

with profile as (
    select * from {{ ref('customer_profile') }}
),

statuses as (
    select customer_id, days_since_last_order from {{ ref('customer_status') }}
),

buyers as (
    select
        *,
        row_number() over (
            order by
                clv_12m desc nulls last,
                case when clv_12m is null then net_revenue end desc nulls last,
                customer_id asc
        ) as value_rank,
        count(*) over () as buyers
    from profile
    where occasions > 0
),

alerts as (
    select *
    from buyers
    where value_rank - 1 < {{ value_share }} * buyers
        and clv_12m > 0
        and p_alive < {{ p_alive_max }}
)

select
    alerts.customer_id,
    alerts.as_of,
    alerts.customer_name,
    alerts.segment,
    alerts.region,
    alerts.status,
    alerts.last_order_date,
    statuses.days_since_last_order,
    alerts.net_revenue,
    alerts.clv_12m,
    alerts.p_alive,
    alerts.value_rank,
    'valuable_low_p_alive' as alert_reason,
    row_number() over (order by alerts.value_rank) as priority
from alerts
left join statuses on alerts.customer_id = statuses.customer_id
