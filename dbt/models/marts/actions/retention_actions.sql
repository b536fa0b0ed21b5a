{#-
  Today's action list, as of as_of: one row per customer, in two ranked sections.
  retention: customers with an early alert (current or active). Each of their alerts is matched to the most
    specific playbook row (status, volume tier, alert type; '*' matches anything) and scored
      score = expected value at risk x alert lift x playbook priority
    where the value at risk is clv_12m x (1 - p_alive) (basis 'clv_model'), or, when the CLV model did not
    score the customer, the net revenue of the last volume_window_days (basis 'last_12m_revenue'); the lift is
    the alert type's lift in alert_effectiveness (1 when it could not be measured). The highest-scoring alert
    is the customer's row (ties: high severity first, then alert type).
  win_back: valuable inactive customers (top-80 or a high / very high volume tier), matched to playbook
    rows for alert type 'none'; score = last-12-month net revenue x priority.
  The message is the playbook template with {name}, {product} (next_best_offer) and {days_since_last_order}
  filled in.
-#}
with profile as (
    select * from {{ ref('customer_profile') }}
),

statuses as (
    select customer_id, days_since_last_order from {{ ref('customer_status') }}
),

volumes as (
    select customer_id, net_revenue as net_revenue_volume_window from {{ ref('customer_volume') }}
),

lifts as (
    select alert_type, lift from {{ ref('alert_effectiveness') }} where evaluation_status = 'measured'
),

playbook as (
    select * from {{ ref('retention_playbook') }}
),

offers as (
    select customer_id, offer_name, offer_source from {{ ref('next_best_offer') }}
),

preferred as (
    select customer_id, preferred_touch_point from {{ ref('int_customer_preferred_touch_points') }}
),

customers as (
    select
        profile.customer_id,
        profile.as_of,
        profile.customer_name,
        profile.email,
        profile.phone,
        profile.segment,
        profile.status,
        profile.volume_tier,
        profile.is_top_80,
        profile.last_order_date,
        statuses.days_since_last_order,
        profile.clv_12m,
        profile.p_alive,
        coalesce(volumes.net_revenue_volume_window, 0) as net_revenue_last_12m
    from profile
    inner join statuses on profile.customer_id = statuses.customer_id
    left join volumes on profile.customer_id = volumes.customer_id
),

candidates as (
    select
        'retention' as section,
        customers.*,
        alerts.alert_type,
        alerts.severity,
        alerts.alert_state,
        alerts.evidence,
        alerts.signal_value,
        alerts.baseline_value,
        alerts.threshold_value,
        case when customers.clv_12m is not null then 'clv_model' else 'last_12m_revenue' end as value_basis,
        case
            when customers.clv_12m is not null then customers.clv_12m * (1 - coalesce(customers.p_alive, 0))
            else customers.net_revenue_last_12m
        end as raw_value,
        lifts.lift as measured_lift
    from {{ ref('early_alerts') }} as alerts
    inner join customers on alerts.customer_id = customers.customer_id
    left join lifts on alerts.alert_type = lifts.alert_type

    union all

    select
        'win_back' as section,
        customers.*,
        'none' as alert_type,
        {{ dbt.cast('null', dbt.type_string()) }} as severity,
        {{ dbt.cast('null', dbt.type_string()) }} as alert_state,
        {{ dbt.concat([
            "'no purchase for '", dbt.cast('customers.days_since_last_order', dbt.type_string()),
            "' days; net revenue '", dbt.cast('customers.net_revenue_last_12m', dbt.type_string()),
            "' in the last 12 months'"]) }} as evidence,
        {{ dbt.cast('customers.days_since_last_order', 'decimal(18, 2)') }} as signal_value,
        {{ dbt.cast('customers.net_revenue_last_12m', 'decimal(18, 2)') }} as baseline_value,
        {{ dbt.cast('null', 'decimal(18, 2)') }} as threshold_value,
        'last_12m_revenue' as value_basis,
        customers.net_revenue_last_12m as raw_value,
        {{ dbt.cast('null', 'double') }} as measured_lift
    from customers
    where {{ cartera_is_winback_candidate('customers.status', 'customers.is_top_80', 'customers.volume_tier') }}
),

matched as (
    select
        candidates.*,
        playbook.playbook_id,
        playbook.touch_point as playbook_touch_point,
        playbook.action,
        playbook.action_label_en,
        playbook.action_label_es,
        playbook.priority,
        playbook.message_en,
        playbook.message_es,
        row_number() over (
            partition by candidates.section, candidates.customer_id, candidates.alert_type
            order by
                (case when playbook.status = '*' then 0 else 1 end)
                + (case when playbook.volume_tier = '*' then 0 else 1 end)
                + (case when playbook.alert_type = '*' then 0 else 1 end) desc,
                playbook.playbook_id
        ) as playbook_match
    from candidates
    inner join playbook
        on (playbook.status = '*' or playbook.status = candidates.status)
        and (playbook.volume_tier = '*' or playbook.volume_tier = candidates.volume_tier)
        and (playbook.alert_type = '*' or playbook.alert_type = candidates.alert_type)
),

scored as (
    select
        matched.*,
        case when matched.raw_value > 0 then matched.raw_value else 0 end as value_at_risk,
        coalesce(matched.measured_lift, 1.0) as alert_lift,
        case when matched.measured_lift is null then 'not_measured' else 'measured' end as lift_basis
    from matched
    where matched.playbook_match = 1
),

best as (
    select
        scored.*,
        scored.value_at_risk * scored.alert_lift * scored.priority as score,
        row_number() over (
            partition by scored.section, scored.customer_id
            order by
                scored.value_at_risk * scored.alert_lift * scored.priority desc,
                case scored.severity when 'high' then 0 else 1 end,
                scored.alert_type
        ) as alert_choice
    from scored
),

ranked as (
    select
        best.*,
        row_number() over (
            partition by best.section
            order by best.score desc, case best.severity when 'high' then 0 else 1 end, best.customer_id asc
        ) as action_rank
    from best
    where best.alert_choice = 1
),

filled as (
    select
        ranked.*,
        case when ranked.playbook_touch_point = 'preferred'
                then coalesce(preferred.preferred_touch_point, 'email')
            else ranked.playbook_touch_point
        end as touch_point,
        offers.offer_name,
        offers.offer_source,
        {{ dbt.cast('ranked.days_since_last_order', dbt.type_string()) }} as days_text
    from ranked
    left join preferred on ranked.customer_id = preferred.customer_id
    left join offers on ranked.customer_id = offers.customer_id
)

select
    section,
    action_rank,
    customer_id,
    as_of,
    customer_name,
    email,
    phone,
    segment,
    status,
    volume_tier,
    alert_type,
    severity,
    alert_state,
    evidence,
    signal_value,
    baseline_value,
    threshold_value,
    playbook_id,
    touch_point,
    action,
    action_label_en,
    action_label_es,
    priority,
    offer_name,
    offer_source,
    replace(replace(replace(
        message_en,
        '{name}', coalesce(customer_name, 'customer')
    ),
    '{product}', coalesce(offer_name, 'our products')),
    '{days_since_last_order}', coalesce(days_text, '')) as message_en,
    replace(replace(replace(
        message_es,
        '{name}', coalesce(customer_name, 'cliente')
    ),
    '{product}', coalesce(offer_name, 'nuestros productos')),
    '{days_since_last_order}', coalesce(days_text, '')) as message_es,
    value_basis,
    clv_12m,
    p_alive,
    net_revenue_last_12m,
    {{ dbt.cast('value_at_risk', 'decimal(18, 2)') }} as value_at_risk,
    alert_lift,
    lift_basis,
    {{ dbt.cast('score', 'decimal(18, 2)') }} as score,
    case section
        when 'retention' then {{ dbt.concat([
            "replace(alert_type, '_', ' ')", "': '", 'evidence', "'; value at risk '",
            dbt.cast(dbt.cast('value_at_risk', 'decimal(18, 2)'), dbt.type_string()),
            "case when lift_basis = 'measured' then " ~ dbt.concat([
                "'; this alert preceded loss '", dbt.cast('round(alert_lift, 1)', dbt.type_string()),
                "' times as often as no alert'"]) ~ " else '' end"]) }}
        else {{ dbt.concat([
            "'valuable inactive customer: '", 'evidence']) }}
    end as reason,
    last_order_date,
    days_since_last_order
from filled
