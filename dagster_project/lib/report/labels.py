"""Every user-facing word of Cartera (report, CLI messages, action list, xlsx headers), keyed by stable codes.

Mart values (status / tier codes) stay English codes for analysts; this one table turns them into words in
Spanish ("es") or English ("en"). Every key exists in both languages (tests/unit/test_labels.py fails
otherwise); add your area's keys in a block of their own, with a comment naming the area, in BOTH languages.

    label("card.prospects", "es")                  -> "Clientes potenciales"
    label("changed.intro", "es", date="23/06/2024") -> "Comparado con el informe del 23/06/2024."
    code_label("status", "inactive", "es")         -> "Inactivo"

Numbers, money and dates in the language's conventions: formatting.py (Babel).
"""

from __future__ import annotations

DEFAULT_LANG = "en"  # what a missing key falls back to (the completeness test keeps that from happening)

# Display order of the mart codes (codes not listed are shown after these, as they come).
STATUS_ORDER = ("current", "active", "inactive", "potential", "probable")
VOLUME_TIER_ORDER = ("very_high", "high", "medium", "low")
FREQUENCY_TIER_ORDER = ("frequent", "habitual", "occasional")

LABELS: dict[str, dict[str, str]] = {
    "en": {
        # page
        "title_dated": "Weekly retention report — {date}",
        "generated_note": "Figures cover purchases up to {date}. Revenue is net revenue (after returns).",
        # headline cards
        "card.active_customers": "Active customers",
        "card.active_customers.sub": "bought recently (current + active)",
        "card.inactive_customers": "Inactive customers",
        "card.inactive_customers.sub": "have not bought for a long time",
        "card.prospects": "Prospects",
        "card.prospects.sub": "potential + probable, not bought yet",
        "card.net_revenue_365d": "Revenue, last {volume_window}",
        "card.net_revenue_365d.sub": "net of returns",
        "card.top_80": "Customers making {pareto_share} of revenue",
        "card.top_80.sub": "{share} of your buyers",
        "card.clv_total_12m": "Expected value, next 12 months",
        "card.clv_total_12m.sub": "from the customer value model",
        # headline metric names (what-changed table)
        "metric.customers": "Customers and prospects (all statuses)",
        "metric.active_customers": "Active customers (current + active)",
        "metric.customers_current": "Status current (regulars: bought lately and repeatedly)",
        "metric.customers_active": "Status active (bought lately, once this year)",
        "metric.customers_inactive": "Status inactive (no purchase lately)",
        "metric.customers_potential": "Status potential (interested and able to buy)",
        "metric.customers_probable": "Status probable (not bought yet)",
        "metric.net_revenue_365d": "Revenue, last {volume_window}",
        "metric.top_80_customers": "Customers making {pareto_share} of revenue",
        "metric.top_80_share_of_customers": "Share of buyers making {pareto_share} of revenue",
        "metric.top_80_share_of_revenue": "Revenue share of those customers",
        "metric.clv_total_12m": "Expected value, next 12 months",
        "metric.clv_customers_at_risk": "Valuable customers likely slipping away",
        "metric.clv_at_risk_value_12m": "Expected value of those customers, next 12 months",
        # what changed
        "changed.title": "What changed since the previous report",
        "changed.first": "This is the first report, so there is nothing to compare with yet. "
        "Next week this section will show how each number moved.",
        "changed.intro": "Compared with the report of {date}.",
        "changed.col.metric": "Figure",
        "changed.col.previous": "Previous",
        "changed.col.now": "Now",
        "changed.col.change": "Change",
        "changed.new": "new",
        "changed.same": "no change",
        "changed.points": "pts",
        # statuses
        "status.current": "Current",
        "status.active": "Active",
        "status.inactive": "Inactive",
        "status.potential": "Potential",
        "status.probable": "Probable",
        # tiers
        "volume.very_high": "Very high",
        "volume.high": "High",
        "volume.medium": "Medium",
        "volume.low": "Low",
        "frequency.frequent": "Frequent",
        "frequency.habitual": "Habitual",
        "frequency.occasional": "Occasional",
        # section titles and chart text
        "section.status": "Customers by status",
        "section.volume": "Customers by spending level",
        "section.frequency": "Customers by buying frequency",
        "section.pareto": "Who brings in the revenue",
        "section.cohorts": "Do new customers come back?",
        "section.clv": "Customer value and risk",
        "section.at_risk": "Valuable customers who may be slipping away",
        "section.accuracy": "How accurate is the value model?",
        "axis.customers": "Customers",
        "axis.customer_share": "Share of buyers (largest first)",
        "axis.revenue_share": "Share of revenue",
        "axis.months_since_first": "Months since first purchase",
        "axis.cohort": "First purchase month",
        "axis.p_alive": "Chance the customer is still buying",
        "axis.week": "Week of the check period",
        "axis.repeat_purchases": "Repeat purchases (cumulative)",
        "axis.frequency_bucket": "Repeat purchases before the check period",
        "axis.mean_purchases": "Average repeat purchases per customer",
        "legend.count": "Customers",
        "legend.revenue": "Revenue",
        "legend.actual": "Actual",
        "legend.predicted": "Predicted",
        "legend.equal": "If every buyer spent the same",
        "pareto.marker": "{customers} of buyers make {pareto_share} of revenue",
        "pareto.line": "{pareto_share} of revenue",
        # explanations
        "explain.status": (
            "<b>Current</b>: bought in the last {active_window} and at least {recurrence_min_orders} times in the "
            "last {recurrence_window}: your regulars. <b>Active</b>: bought in the last {active_window}, but fewer "
            "times in the last {recurrence_window}. <b>Inactive</b>: has bought before, but not in the last "
            "{active_window}; they may have gone to a competitor, and these are the customers to win back. "
            "<b>Potential</b>: has not bought yet, but has shown interest and can afford to buy. <b>Probable</b>: "
            "has not bought yet and might become a customer later. "
            "Bars on the right show each group's revenue over the last {volume_window}."
        ),
        "explain.volume": (
            "Customers grouped by how much they spent in the last {volume_window}, against the average buyer: "
            "very high from {volume_very_high} times the average, high from {volume_high} times, medium from "
            "{volume_medium} times, low below. A few big spenders usually bring most of the money: look after "
            "them first."
        ),
        "explain.frequency": (
            "Customers grouped by how regularly they buy, on the average days between their purchases: "
            "<b>frequent</b> buyers come back within {frequent_days} days, <b>habitual</b> ones within "
            "{habitual_days} days, <b>occasional</b> ones less often (or bought once)."
        ),
        "explain.pareto": (
            "Buyers are lined up from the biggest spender to the smallest. The curve shows how much of the "
            "revenue the first ones bring. The higher and steeper it starts, the more the business depends on "
            "a few customers. The marked point shows how many buyers make up {pareto_share} of the revenue of "
            "{pareto_period}: losing one of them costs far more than losing an average customer."
        ),
        "explain.cohorts": (
            "Each row is the group of customers who first bought in that month. Each column is a month after "
            "that first purchase, and the cell says what share of the group bought again in that month. "
            "Darker cells mean more customers came back. Compare rows to see whether newer customers "
            "stay better or worse than older ones."
        ),
        "explain.clv_hist": (
            "For each customer, the value model estimates the chance that they are still buying from you. "
            "Customers on the left have probably drifted away; those on the right are very likely still "
            "loyal."
        ),
        "explain.at_risk": (
            "Customers among your top {value_share} by expected value whose chance of still buying is below "
            "{p_alive_max} (the customer_value_alerts list, in priority order). "
            "A call, a visit or an offer now may keep them."
        ),
        "explain.accuracy_curve": (
            "The model was fitted on older purchases and then asked to predict a later period it had not "
            "seen. The closer the two lines, the more you can trust its estimates."
        ),
        "explain.accuracy_freq": (
            "The same check by customer group: predicted and actual repeat purchases for customers who had "
            "bought 0, 1, 2, ... times before."
        ),
        "table.customer": "Customer",
        "table.p_alive": "Chance still buying",
        "table.clv_12m": "Expected value, 12 months",
        "table.expected_occasions": "Expected purchases, 12 months",
        "table.last_order": "Last purchase",
        "table.none_at_risk": "No valuable customer is at risk right now.",
        # --- customer value (area: clv; lib/report/clv_section.py) ---
        "clv_model.bgnbd": "BG/NBD (customers may leave right after a repeat purchase)",
        "clv_model.mbgnbd": "MBG/NBD (customers may leave after any purchase, even their first)",
        "clv_model.paretonbd": "Pareto/NBD (customers may leave at any time)",
        "clv_model_short.bgnbd": "BG/NBD",
        "clv_model_short.mbgnbd": "MBG/NBD",
        "clv_model_short.paretonbd": "Pareto/NBD",
        "clv_status.ok": "usable",
        "clv_status.at_bound": "not used: a parameter at its limit",
        "clv_status.not_converged": "not used: did not converge",
        "clv.in_use": "in use",
        "clv.model_in_use": "Model in use: {model}.",
        "clv_value_method.gamma_gamma": (
            "Value per purchase: each customer's own average, pulled toward the average of all customers when "
            "they have bought only a few times."
        ),
        "clv_value_method.shrunk_mean": (
            "In your data, customers who buy more often also spend more per purchase, so the usual spend model "
            "does not apply: value per purchase is each customer's own average, pulled toward the overall "
            "average when they have bought only a few times."
        ),
        "clv.next_purchase": (
            "When will they buy next? {with_median} of your {buyers} buyers are more likely than not to buy "
            "again; half of those are expected to buy within {days} days. About {likely} customers are expected "
            "to buy in the next 90 days."
        ),
        "clv.how_sure": (
            "How sure are we? The range is where the expected value lies with {level} confidence, given how much "
            "history the model learned from; a wide range means we know the customer less."
        ),
        "clv.never_likely": "unlikely",
        "clv.choice_rule": (
            "The model in use ranked best on two checks of the period it had not seen: the total over the weeks "
            "and the error customer by customer (on a tie, the model that fits the history best)."
        ),
        "clv.cmp.model": "Model",
        "clv.cmp.curve_error": "Error over the weeks",
        "clv.cmp.customer_mae": "Error per customer (purchases)",
        "clv.cmp.status": "Status",
        "table.clv_range": "{level} range",
        "table.next_purchase": "Next purchase within (days, median)",
        "empty.chart": "No data for this chart yet.",
        "footer": "Made by Cartera. This page works offline; all charts are inside the file.",
        # --- xlsx exports and the commands export / docs / serve (area: lang) ---
        "sheet.customer_profile": "Customers",
        "sheet.customer_status": "Status",
        "sheet.customer_volume": "Spending level",
        "sheet.customer_frequency": "Buying frequency",
        "sheet.customer_value_alerts": "Valuable at risk",
        "sheet.customer_clv": "Customer value",
        "sheet.cohort_retention": "Cohorts",
        "sheet.pareto_customers": "Pareto",
        "sheet.pareto_summary": "Pareto summary",
        "col.customer_id": "Customer ID",
        "col.as_of": "Date looked at",
        "col.customer_name": "Name",
        "col.email": "Email",
        "col.phone": "Phone",
        "col.first_contact_date": "First contact",
        "col.acquisition_channel": "Acquisition channel",
        "col.segment": "Segment",
        "col.region": "Region",
        "col.first_order_date": "First purchase",
        "col.last_order_date": "Last purchase",
        "col.occasions": "Purchases",
        "col.net_revenue": "Net revenue",
        "col.avg_order_value": "Average purchase",
        "col.tenure_days": "Days as a customer",
        "col.support_call_count": "Support calls",
        "col.complaint_count": "Complaints",
        "col.billing_error_count": "Billing errors",
        "col.survey_unhappy_count": "Unhappy surveys",
        "col.inquiry_count": "Inquiries",
        "col.interactions_total": "Interactions",
        "col.status": "Status",
        "col.volume_tier": "Spending level",
        "col.frequency_tier": "Buying frequency",
        "col.tier": "Level",
        "col.is_top_80": "Makes {pareto_share} of revenue",
        "col.p_alive": "Chance still buying",
        "col.clv_12m": "Expected value, 12 months",
        "col.occasions_active_window": "Purchases, last {active_window}",
        "col.occasions_recurrence_window": "Purchases, last {recurrence_window}",
        "col.days_since_last_order": "Days since last purchase",
        "col.mean_days_between": "Average days between purchases",
        "col.mean_revenue": "Average revenue of buyers",
        "col.ratio_to_mean": "Times the average",
        "col.revenue_rank": "Revenue rank",
        "col.cumulative_revenue": "Cumulative revenue",
        "col.cumulative_share": "Cumulative share",
        "col.customers": "Customers",
        "col.top_80_customers": "Customers making {pareto_share}",
        "col.top_80_share_of_customers": "Share of customers making {pareto_share}",
        "col.top_80_net_revenue": "Revenue of those customers",
        "col.top_80_share_of_revenue": "Their share of revenue",
        "col.cohort_month": "First purchase month",
        "col.period_number": "Months since",
        "col.period_month": "Month",
        "col.cohort_size": "Customers in the group",
        "col.active_customers": "Customers who bought",
        "col.retention_rate": "Share who bought",
        "col.revenue": "Revenue",
        "col.value_rank": "Value rank",
        "col.alert_reason": "Why",
        "col.priority": "Priority",
        "col.frequency": "Repeat purchases",
        "col.recency": "Weeks to last purchase",
        "col.age": "Weeks since first purchase",
        "col.expected_occasions_90d": "Expected purchases, 90 days",
        "col.expected_occasions_365d": "Expected purchases, 12 months",
        "col.expected_value_per_occasion": "Expected value per purchase",
        "alert.valuable_low_p_alive": "Valuable, probably slipping away",
        "cli.export.written": "wrote {path}: {sheets}",
        "cli.export.rows": "{sheet} ({rows} rows)",
        "cli.no_warehouse": "no published warehouse at {path}: run `cartera run` first",
        "email.attached": "The full report is attached ({file}): open it in a browser; it works offline.",
        # ---- portfolio dynamics (issue 11, area `dynamics`): report sections and `cartera scenario` ----
        "section.dyn_churn": "Customers won and lost, month by month",
        "explain.dyn_churn": (
            "Each month: the customers buying at its start (current or active), how many of them stopped "
            "buying by its end (lost), the new customers still buying at its end, and former customers who came "
            "back. Lost divided by those at the start is the monthly churn."
        ),
        "dyn.col.month": "Month",
        "dyn.col.at_start": "At start",
        "dyn.col.churned": "Lost",
        "dyn.col.new": "New",
        "dyn.col.reactivated": "Came back",
        "dyn.col.at_end": "At end",
        "dyn.col.churn_rate": "Churn",
        "dyn.col.revenue": "Revenue",
        "section.dyn_growth": "What growing takes",
        "dyn.growth_sentence": (
            "With churn at {c}, growing revenue {g} needs {n} new customers (about {count} customers); "
            "you are winning {w}."
        ),
        "dyn.growth_explain": (
            "Churn is the share of the customers buying a year ago who have stopped buying; the value of each "
            "purchase changed by {p} over the year. New customers needed = (1 + growth) / (1 + price change) − "
            "(1 − churn): most of the sales effort only refills the bucket. Try other numbers with "
            "`cartera scenario`."
        ),
        "dyn.growth_no_history": "Not enough history yet: the growth arithmetic needs a full year of purchases.",
        "section.dyn_retention": "What keeping customers is worth",
        "dyn.retention_sentence": (
            "Keeping {points} more points of your customers each year ({kept} customers) brings {revenue_12m} "
            "over the next 12 months and {revenue_lifetime} over their remaining lifetime. Bringing the same "
            "revenue with new customers would take {new} of them, and winning a customer costs about {ratio} "
            "times keeping one."
        ),
        "section.dyn_lifecycle": "Where your customers are in their life with you",
        "dyn.lifecycle_explain": (
            "Onboarding: first {days} days. Growth or decline: spending over the last {window} days at least "
            "{growth} above, or {decline} below, the same period before. Maturity: steady. Lapsed: no longer "
            "buying. The average stay counts month ends."
        ),
        "dyn.col.stage": "Phase",
        "dyn.col.customers": "Customers",
        "dyn.col.share": "Share",
        "dyn.col.avg_stay": "Average stay (months)",
        "lifecycle.onboarding": "I Onboarding",
        "lifecycle.growth": "II Growth",
        "lifecycle.maturity": "III Maturity",
        "lifecycle.decline": "IV Decline",
        "lifecycle.lapsed": "Lapsed",
        "dyn.maturity_warning": (
            "Warning: {share} of your buying customers are in maturity or decline (above {limit}). A mature "
            "portfolio has little capacity to renew itself: it needs new customers and customers who grow."
        ),
        "dyn.maturity_ok": "{share} of your buying customers are in maturity or decline (the warning starts above {limit}).",
        "section.dyn_migration": "How customers moved last month",
        "dyn.migration_explain": "Rows: status on {from_date}; columns: status on {to_date}. New: had not bought before.",
        "dyn.leakiest": "Segments that leak most from {from_date} to {to_date} (share moving to a lower segment each month):",
        "dyn.leak_item": "{segment} ({dimension}): {share}, of which {inactive} to inactive",
        "dimension.status": "status",
        "dimension.volume_tier": "volume",
        "dimension.frequency_tier": "frequency",
        "dimension.lifecycle_stage": "phase",
        "segment.new": "New",
        "volume.none": "No revenue",
        "section.dyn_top_group": "The customers who make {share} of your revenue",
        "dyn.top_group": "top group ({share})",
        "dyn.top_sentence": (
            "The {group} is {customers} customers, {customer_share} of your buyers, with {revenue_share} of the "
            "revenue. They bought {occasions} times each in the period (the rest: {rest_occasions}); {churned} "
            "of them have stopped buying."
        ),
        "dyn.top_segments": "Most common among them: {items}.",
        "dyn.top_channel": "They came mostly through {channel} ({share} of them; {rest_share} of the rest).",
        "dyn.top_market": "Their own customers are mostly in {market} ({share} of them).",
        "dyn.not_available": "Acquisition channels and markets: not available, needs {file}.",
        "scenario.required": "Required new customers: {n} of the customers you start the year with",
        "scenario.term_g": "g = {g}: the revenue growth you want",
        "scenario.term_p": "p = {p}: how much more each purchase is worth (price change)",
        "scenario.term_c": "c = {c}: the share of customers who stop buying in a year (churn)",
        "scenario.without_new": "Without new customers, revenue would change by {change}.",
        "scenario.observed": "Over the last year you won {w} new customers.",
        "scenario.needs_warehouse": (
            "no published warehouse with the growth tables at {path}: run `cartera run` first, or give "
            "--churn and --price-change"
        ),
        "scenario.no_history": "the warehouse has no observed churn yet (it needs a year of history): give --churn",
        "scenario.retention": "{gain} more points of retention ({r} → {r2}) keep {kept} customers a year:",
        "scenario.retention_12m": "revenue over the next 12 months: {revenue}",
        "scenario.retention_lifetime": "revenue over their remaining lifetime (discounted at {d} a year): {revenue}",
        "scenario.retention_new": (
            "winning the same revenue from new customers needs {new} of them: {effort} times the cost of keeping "
            "one customer, against {kept} to keep these (winning one costs {ratio} times keeping one)"
        ),
        "scenario.retention_cost": "winning them would cost {acquisition}; keeping the others costs {retention}",
    },
    "es": {
        # page
        "title_dated": "Informe semanal de retención — {date}",
        "generated_note": "Las cifras incluyen las compras hasta el {date}. Los ingresos son netos (descontadas "
        "las devoluciones).",
        # headline cards
        "card.active_customers": "Clientes activos",
        "card.active_customers.sub": "han comprado hace poco (actuales + activos)",
        "card.inactive_customers": "Clientes inactivos",
        "card.inactive_customers.sub": "hace tiempo que no compran",
        "card.prospects": "Clientes potenciales",
        "card.prospects.sub": "potenciales + probables, aún sin compras",
        "card.net_revenue_365d": "Ingresos, últimos {volume_window}",
        "card.net_revenue_365d.sub": "netos de devoluciones",
        "card.top_80": "Clientes que generan el {pareto_share} de los ingresos",
        "card.top_80.sub": "{share} de sus compradores",
        "card.clv_total_12m": "Valor esperado, próximos 12 meses",
        "card.clv_total_12m.sub": "según el modelo de valor de cliente",
        # headline metric names (what-changed table)
        "metric.customers": "Clientes y potenciales (todos los estados)",
        "metric.active_customers": "Clientes activos (actuales + activos)",
        "metric.customers_current": "Estado actual (habituales: compran hace poco y con frecuencia)",
        "metric.customers_active": "Estado activo (compra reciente, una sola este año)",
        "metric.customers_inactive": "Estado inactivo (sin compras recientes)",
        "metric.customers_potential": "Estado potencial (con interés y capacidad de compra)",
        "metric.customers_probable": "Estado probable (aún sin compras)",
        "metric.net_revenue_365d": "Ingresos, últimos {volume_window}",
        "metric.top_80_customers": "Clientes que generan el {pareto_share} de los ingresos",
        "metric.top_80_share_of_customers": "Parte de compradores que generan el {pareto_share} de los ingresos",
        "metric.top_80_share_of_revenue": "Parte de los ingresos de esos clientes",
        "metric.clv_total_12m": "Valor esperado, próximos 12 meses",
        "metric.clv_customers_at_risk": "Clientes valiosos que probablemente se están yendo",
        "metric.clv_at_risk_value_12m": "Valor esperado de esos clientes, próximos 12 meses",
        # what changed
        "changed.title": "Qué ha cambiado desde el informe anterior",
        "changed.first": "Este es el primer informe, así que aún no hay nada con qué comparar. "
        "La semana que viene esta sección mostrará cómo se ha movido cada cifra.",
        "changed.intro": "Comparado con el informe del {date}.",
        "changed.col.metric": "Cifra",
        "changed.col.previous": "Anterior",
        "changed.col.now": "Ahora",
        "changed.col.change": "Cambio",
        "changed.new": "nuevo",
        "changed.same": "sin cambios",
        "changed.points": "p. p.",
        # statuses
        "status.current": "Actual",
        "status.active": "Activo",
        "status.inactive": "Inactivo",
        "status.potential": "Potencial",
        "status.probable": "Probable",
        # tiers
        "volume.very_high": "Muy alto",
        "volume.high": "Alto",
        "volume.medium": "Medio",
        "volume.low": "Bajo",
        "frequency.frequent": "Frecuente",
        "frequency.habitual": "Habitual",
        "frequency.occasional": "Ocasional",
        # section titles and chart text
        "section.status": "Clientes por estado",
        "section.volume": "Clientes por nivel de gasto",
        "section.frequency": "Clientes por frecuencia de compra",
        "section.pareto": "Quién genera los ingresos",
        "section.cohorts": "¿Vuelven los clientes nuevos?",
        "section.clv": "Valor y riesgo de los clientes",
        "section.at_risk": "Clientes valiosos que podrían estar yéndose",
        "section.accuracy": "¿Cuánto acierta el modelo de valor?",
        "axis.customers": "Clientes",
        "axis.customer_share": "Parte de los compradores (de mayor a menor)",
        "axis.revenue_share": "Parte de los ingresos",
        "axis.months_since_first": "Meses desde la primera compra",
        "axis.cohort": "Mes de la primera compra",
        "axis.p_alive": "Probabilidad de que el cliente siga comprando",
        "axis.week": "Semana del periodo de control",
        "axis.repeat_purchases": "Compras repetidas (acumuladas)",
        "axis.frequency_bucket": "Compras repetidas antes del periodo de control",
        "axis.mean_purchases": "Media de compras repetidas por cliente",
        "legend.count": "Clientes",
        "legend.revenue": "Ingresos",
        "legend.actual": "Real",
        "legend.predicted": "Previsto",
        "legend.equal": "Si todos los compradores gastaran lo mismo",
        "pareto.marker": "El {customers} de los compradores genera el {pareto_share} de los ingresos",
        "pareto.line": "{pareto_share} de los ingresos",
        # explanations
        "explain.status": (
            "<b>Actual</b>: ha comprado en los últimos {active_window} y al menos {recurrence_min_orders} veces en "
            "los últimos {recurrence_window}: sus clientes habituales. <b>Activo</b>: ha comprado en los últimos "
            "{active_window}, pero menos veces en los últimos {recurrence_window}. <b>Inactivo</b>: compró antes, "
            "pero no en los últimos {active_window}; puede que se haya ido a la competencia, y son los clientes "
            "que hay que recuperar. <b>Potencial</b>: aún no ha comprado, pero ha mostrado interés y puede "
            "permitírselo. <b>Probable</b>: aún no ha comprado y podría hacerse cliente más adelante. "
            "Las barras de la derecha muestran los ingresos de cada grupo en los últimos {volume_window}."
        ),
        "explain.volume": (
            "Clientes agrupados por lo que han gastado en los últimos {volume_window}, frente al comprador medio: "
            "muy alto desde {volume_very_high} veces la media, alto desde {volume_high} veces, medio desde "
            "{volume_medium} veces, bajo por debajo. Unos pocos grandes clientes suelen aportar la mayor parte del "
            "dinero: cuídelos primero."
        ),
        "explain.frequency": (
            "Clientes agrupados por la regularidad con la que compran, según la media de días entre sus compras: "
            "los <b>frecuentes</b> vuelven en {frequent_days} días o menos, los <b>habituales</b> en "
            "{habitual_days} días o menos y los <b>ocasionales</b> con menos frecuencia (o compraron una vez)."
        ),
        "explain.pareto": (
            "Los compradores se ordenan del que más gasta al que menos. La curva muestra qué parte de los "
            "ingresos aportan los primeros. Cuanto más alta y empinada empieza, más depende el negocio de "
            "unos pocos clientes. El punto marcado indica cuántos compradores generan el {pareto_share} de los "
            "ingresos de {pareto_period}: perder a uno de ellos cuesta mucho más que perder a un "
            "cliente medio."
        ),
        "explain.cohorts": (
            "Cada fila es el grupo de clientes que compró por primera vez en ese mes. Cada columna es un mes "
            "después de esa primera compra, y la celda dice qué parte del grupo volvió a comprar ese mes. "
            "Cuanto más oscura la celda, más clientes volvieron. Compare filas para ver si los clientes "
            "nuevos se quedan más o menos que los antiguos."
        ),
        "explain.clv_hist": (
            "Para cada cliente, el modelo de valor estima la probabilidad de que siga comprándole. "
            "Los de la izquierda probablemente se han alejado; los de la derecha casi seguro que siguen "
            "siendo fieles."
        ),
        "explain.at_risk": (
            "Clientes entre el {value_share} más valioso por valor esperado cuya probabilidad de seguir comprando "
            "es inferior al {p_alive_max} (la lista customer_value_alerts, por orden de prioridad). "
            "Una llamada, una visita o una oferta ahora puede retenerlos."
        ),
        "explain.accuracy_curve": (
            "El modelo se ajustó con compras antiguas y después se le pidió predecir un periodo posterior que "
            "no había visto. Cuanto más cerca estén las dos líneas, más puede fiarse de sus estimaciones."
        ),
        "explain.accuracy_freq": (
            "La misma comprobación por grupo de clientes: compras repetidas previstas y reales de los clientes "
            "que habían comprado 0, 1, 2… veces antes."
        ),
        "table.customer": "Cliente",
        "table.p_alive": "Probabilidad de seguir comprando",
        "table.clv_12m": "Valor esperado, 12 meses",
        "table.expected_occasions": "Compras esperadas, 12 meses",
        "table.last_order": "Última compra",
        "table.none_at_risk": "Ahora mismo no hay ningún cliente valioso en riesgo.",
        # --- customer value (area: clv; lib/report/clv_section.py) ---
        "clv_model.bgnbd": "BG/NBD (el cliente solo puede irse justo después de una compra repetida)",
        "clv_model.mbgnbd": "MBG/NBD (el cliente puede irse tras cualquier compra, incluso la primera)",
        "clv_model.paretonbd": "Pareto/NBD (el cliente puede irse en cualquier momento)",
        "clv_model_short.bgnbd": "BG/NBD",
        "clv_model_short.mbgnbd": "MBG/NBD",
        "clv_model_short.paretonbd": "Pareto/NBD",
        "clv_status.ok": "utilizable",
        "clv_status.at_bound": "no se usa: un parámetro en su límite",
        "clv_status.not_converged": "no se usa: no convergió",
        "clv.in_use": "en uso",
        "clv.model_in_use": "Modelo en uso: {model}.",
        "clv_value_method.gamma_gamma": (
            "Valor por compra: la media de cada cliente, acercada a la media de todos cuando ha comprado pocas veces."
        ),
        "clv_value_method.shrunk_mean": (
            "En sus datos, los clientes que compran más a menudo también gastan más por compra, así que el modelo "
            "de gasto habitual no sirve: el valor por compra es la media de cada cliente, acercada a la media "
            "general cuando ha comprado pocas veces."
        ),
        "clv.next_purchase": (
            "¿Cuándo volverán a comprar? {with_median} de sus {buyers} compradores probablemente volverán a "
            "comprar; la mitad de ellos, en {days} días o menos. Se espera que unos {likely} clientes compren en "
            "los próximos 90 días."
        ),
        "clv.how_sure": (
            "¿Hasta qué punto estamos seguros? El intervalo contiene el valor esperado con un {level} de confianza, "
            "según cuánta historia tuvo el modelo; un intervalo amplio significa que conocemos menos al cliente."
        ),
        "clv.never_likely": "improbable",
        "clv.choice_rule": (
            "El modelo en uso quedó primero en dos pruebas sobre el periodo que no había visto: el total semana a "
            "semana y el error cliente a cliente (en caso de empate, el que mejor se ajusta a la historia)."
        ),
        "clv.cmp.model": "Modelo",
        "clv.cmp.curve_error": "Error semana a semana",
        "clv.cmp.customer_mae": "Error por cliente (compras)",
        "clv.cmp.status": "Estado",
        "table.clv_range": "Intervalo del {level}",
        "table.next_purchase": "Próxima compra en (días, mediana)",
        "empty.chart": "Aún no hay datos para este gráfico.",
        "footer": "Hecho con Cartera. Esta página funciona sin conexión; todos los gráficos están dentro del archivo.",
        # --- xlsx exports and the commands export / docs / serve (area: lang) ---
        "sheet.customer_profile": "Clientes",
        "sheet.customer_status": "Estado",
        "sheet.customer_volume": "Nivel de gasto",
        "sheet.customer_frequency": "Frecuencia de compra",
        "sheet.customer_value_alerts": "Valiosos en riesgo",
        "sheet.customer_clv": "Valor del cliente",
        "sheet.cohort_retention": "Cohortes",
        "sheet.pareto_customers": "Pareto",
        "sheet.pareto_summary": "Resumen Pareto",
        "col.customer_id": "ID de cliente",
        "col.as_of": "Fecha de análisis",
        "col.customer_name": "Nombre",
        "col.email": "Correo electrónico",
        "col.phone": "Teléfono",
        "col.first_contact_date": "Primer contacto",
        "col.acquisition_channel": "Canal de captación",
        "col.segment": "Segmento",
        "col.region": "Región",
        "col.first_order_date": "Primera compra",
        "col.last_order_date": "Última compra",
        "col.occasions": "Compras",
        "col.net_revenue": "Ingresos netos",
        "col.avg_order_value": "Compra media",
        "col.tenure_days": "Días como cliente",
        "col.support_call_count": "Llamadas de soporte",
        "col.complaint_count": "Reclamaciones",
        "col.billing_error_count": "Errores de facturación",
        "col.survey_unhappy_count": "Encuestas insatisfechas",
        "col.inquiry_count": "Consultas",
        "col.interactions_total": "Interacciones",
        "col.status": "Estado",
        "col.volume_tier": "Nivel de gasto",
        "col.frequency_tier": "Frecuencia de compra",
        "col.tier": "Nivel",
        "col.is_top_80": "Genera el {pareto_share} de los ingresos",
        "col.p_alive": "Probabilidad de seguir comprando",
        "col.clv_12m": "Valor esperado, 12 meses",
        "col.occasions_active_window": "Compras, últimos {active_window}",
        "col.occasions_recurrence_window": "Compras, últimos {recurrence_window}",
        "col.days_since_last_order": "Días desde la última compra",
        "col.mean_days_between": "Días medios entre compras",
        "col.mean_revenue": "Ingreso medio de los compradores",
        "col.ratio_to_mean": "Veces la media",
        "col.revenue_rank": "Puesto por ingresos",
        "col.cumulative_revenue": "Ingresos acumulados",
        "col.cumulative_share": "Parte acumulada",
        "col.customers": "Clientes",
        "col.top_80_customers": "Clientes que generan el {pareto_share}",
        "col.top_80_share_of_customers": "Parte de clientes que generan el {pareto_share}",
        "col.top_80_net_revenue": "Ingresos de esos clientes",
        "col.top_80_share_of_revenue": "Su parte de los ingresos",
        "col.cohort_month": "Mes de la primera compra",
        "col.period_number": "Meses después",
        "col.period_month": "Mes",
        "col.cohort_size": "Clientes del grupo",
        "col.active_customers": "Clientes que compraron",
        "col.retention_rate": "Parte que compró",
        "col.revenue": "Ingresos",
        "col.value_rank": "Puesto por valor",
        "col.alert_reason": "Motivo",
        "col.priority": "Prioridad",
        "col.frequency": "Compras repetidas",
        "col.recency": "Semanas hasta la última compra",
        "col.age": "Semanas desde la primera compra",
        "col.expected_occasions_90d": "Compras esperadas, 90 días",
        "col.expected_occasions_365d": "Compras esperadas, 12 meses",
        "col.expected_value_per_occasion": "Valor esperado por compra",
        "alert.valuable_low_p_alive": "Valioso, probablemente se está yendo",
        "cli.export.written": "escrito {path}: {sheets}",
        "cli.export.rows": "{sheet} ({rows} filas)",
        "cli.no_warehouse": "no hay almacén publicado en {path}: ejecute antes `cartera run`",
        "email.attached": "El informe completo va adjunto ({file}): ábralo en un navegador; funciona sin conexión.",
        # ---- dinámica de la cartera (issue 11, área `dynamics`): secciones del informe y `cartera scenario` ----
        "section.dyn_churn": "Clientes ganados y perdidos, mes a mes",
        "explain.dyn_churn": (
            "Cada mes: los clientes que compraban al empezar (actuales o activos), cuántos de ellos dejaron de "
            "comprar al acabar (perdidos), los clientes nuevos que siguen comprando al final y los antiguos "
            "clientes que volvieron. Perdidos entre los del inicio es la tasa de abandono mensual."
        ),
        "dyn.col.month": "Mes",
        "dyn.col.at_start": "Al inicio",
        "dyn.col.churned": "Perdidos",
        "dyn.col.new": "Nuevos",
        "dyn.col.reactivated": "Recuperados",
        "dyn.col.at_end": "Al final",
        "dyn.col.churn_rate": "Abandono",
        "dyn.col.revenue": "Facturación",
        "section.dyn_growth": "Lo que cuesta crecer",
        "dyn.growth_sentence": (
            "Con un abandono del {c}, crecer un {g} en facturación exige un {n} de clientes nuevos "
            "(unos {count} clientes); ahora gana un {w}."
        ),
        "dyn.growth_explain": (
            "El abandono es la parte de los clientes que compraban hace un año y ya no compran; el valor de cada "
            "compra cambió un {p} en el año. Clientes nuevos necesarios = (1 + crecimiento) / (1 + cambio de precio) "
            "− (1 − abandono): casi todo el esfuerzo comercial solo rellena el cubo. Pruebe otras cifras con "
            "`cartera scenario`."
        ),
        "dyn.growth_no_history": "Aún no hay historia suficiente: el cálculo de crecimiento necesita un año entero de compras.",
        "section.dyn_retention": "Lo que vale retener clientes",
        "dyn.retention_sentence": (
            "Retener cada año {points} puntos más de sus clientes ({kept} clientes) aporta {revenue_12m} en los "
            "próximos 12 meses y {revenue_lifetime} durante el resto de su vida como clientes. Conseguir la misma "
            "facturación con clientes nuevos exigiría {new}, y captar un cliente cuesta unas {ratio} veces "
            "más que retenerlo."
        ),
        "section.dyn_lifecycle": "En qué fase de su vida con usted están sus clientes",
        "dyn.lifecycle_explain": (
            "Incorporación: primeros {days} días. Crecimiento o declive: gasto de los últimos {window} días al "
            "menos un {growth} por encima, o un {decline} por debajo, del periodo anterior. Madurez: estable. "
            "Perdido: ya no compra. La estancia media cuenta cierres de mes."
        ),
        "dyn.col.stage": "Fase",
        "dyn.col.customers": "Clientes",
        "dyn.col.share": "Parte",
        "dyn.col.avg_stay": "Estancia media (meses)",
        "lifecycle.onboarding": "I Incorporación",
        "lifecycle.growth": "II Crecimiento",
        "lifecycle.maturity": "III Madurez",
        "lifecycle.decline": "IV Declive",
        "lifecycle.lapsed": "Perdido",
        "dyn.maturity_warning": (
            "Atención: el {share} de sus clientes que compran está en madurez o declive (más del {limit}). Una "
            "cartera madura tiene poca capacidad de renovarse: necesita clientes nuevos y clientes que crezcan."
        ),
        "dyn.maturity_ok": "El {share} de sus clientes que compran está en madurez o declive (el aviso salta por encima del {limit}).",
        "section.dyn_migration": "Cómo se movieron los clientes el último mes",
        "dyn.migration_explain": "Filas: estado el {from_date}; columnas: estado el {to_date}. Nuevo: no había comprado antes.",
        "dyn.leakiest": "Segmentos que más pierden del {from_date} al {to_date} (parte que baja de segmento cada mes):",
        "dyn.leak_item": "{segment} ({dimension}): {share}, de ellos {inactive} a inactivo",
        "dimension.status": "estado",
        "dimension.volume_tier": "volumen",
        "dimension.frequency_tier": "frecuencia",
        "dimension.lifecycle_stage": "fase",
        "segment.new": "Nuevo",
        "volume.none": "Sin facturación",
        "section.dyn_top_group": "Los clientes que hacen el {share} de su facturación",
        "dyn.top_group": "grupo principal ({share})",
        "dyn.top_sentence": (
            "El {group} son {customers} clientes, el {customer_share} de sus compradores, con el "
            "{revenue_share} de la facturación. Compraron {occasions} veces cada uno en el periodo (el resto: "
            "{rest_occasions}); {churned} de ellos han dejado de comprar."
        ),
        "dyn.top_segments": "Lo más común entre ellos: {items}.",
        "dyn.top_channel": "Llegaron sobre todo por {channel} (el {share} de ellos; el {rest_share} del resto).",
        "dyn.top_market": "Sus propios clientes están sobre todo en {market} (el {share} de ellos).",
        "dyn.not_available": "Canales de captación y mercados: no disponible, falta {file}.",
        "scenario.required": "Clientes nuevos necesarios: el {n} de los clientes con los que empieza el año",
        "scenario.term_g": "g = {g}: el crecimiento de facturación que busca",
        "scenario.term_p": "p = {p}: cuánto más vale cada compra (cambio de precio)",
        "scenario.term_c": "c = {c}: la parte de los clientes que deja de comprar en un año (abandono)",
        "scenario.without_new": "Sin clientes nuevos, la facturación cambiaría un {change}.",
        "scenario.observed": "El último año ganó un {w} de clientes nuevos.",
        "scenario.needs_warehouse": (
            "no hay almacén publicado con las tablas de crecimiento en {path}: ejecute antes `cartera run`, o "
            "indique --churn y --price-change"
        ),
        "scenario.no_history": "el almacén aún no tiene abandono observado (necesita un año de historia): indique --churn",
        "scenario.retention": "{gain} puntos más de retención ({r} → {r2}) conservan {kept} clientes al año:",
        "scenario.retention_12m": "facturación en los próximos 12 meses: {revenue}",
        "scenario.retention_lifetime": "facturación durante el resto de su vida como clientes (descontada al {d} anual): {revenue}",
        "scenario.retention_new": (
            "conseguir la misma facturación con clientes nuevos exige {new}: {effort} veces el coste de retener "
            "a un cliente, frente a {kept} para retener a estos (captar uno cuesta {ratio} veces más que retenerlo)"
        ),
        "scenario.retention_cost": "captarlos costaría {acquisition}; retener a los otros cuesta {retention}",
    },
}


def label(code: str, lang: str = DEFAULT_LANG, **fmt: object) -> str:
    """The text for `code` in `lang` (falling back to English, then to the code), formatted with `fmt`."""
    text = LABELS.get(lang, {}).get(code)
    if text is None:
        text = LABELS[DEFAULT_LANG].get(code, code)
    return text.format(**fmt) if fmt else text


def code_label(kind: str, code: str, lang: str = DEFAULT_LANG) -> str:
    """Display name of a mart code, e.g. code_label("status", "inactive", "es") -> "Inactivo"."""
    key = f"{kind}.{code}"
    text = label(key, lang)
    return str(code) if text == key else text


def has_label(code: str) -> bool:
    return code in LABELS[DEFAULT_LANG]


# --- Area runcli (run, CLI and the report's trust parts): data dates, stale data, model status, data quality ---
LABELS["en"].update(
    {
        "trust.dates": "Data up to {last} (latest order). Report made on {made}.",
        "trust.no_orders": "no orders yet",
        "trust.stale": (
            "Careful: this report looks at {as_of}, {days} days after the latest order in the data ({last}; "
            "more than {limit} days). The export may be stale: customers will look lost who may not be."
        ),
        "trust.stale.no_orders": "Careful: there are no orders up to {as_of}. Is the orders export empty?",
        "trust.clv_not_fitted": "The customer value model could not run this time: {reason}.",
        "trust.clv_reason.too_few": "{model} needs at least {need} customers and there are {got}",
        "trust.clv_reason.too_few_repeat": "{model} needs at least {need} customers who bought twice or more and there are {got}",
        "trust.clv_reason.no_fit": "its fit did not converge on these customers",
        "trust.clv_reason.at_bound": "a parameter ({params}) ended at its limit",
        "trust.clv_reason.not_used": "{model} not usable: {why}",
        "source.orders": "orders",
        "source.customers": "customers",
        "source.order_lines": "order lines",
        "source.products": "products",
        "source.interactions": "interactions",
        "source.prospects": "prospects",
        "source.actions": "actions",
        "reason.missing": "missing {col}",
        "reason.unparseable": "unparseable {col}",
        "reason.future": "{col} in the future",
        "reason.before": "{col} before {date}",
        "reason.too_long": "{col} longer than {n} characters",
        "reason.duplicate": "{col} repeated in the file",
        "reason.repeated_header": "repeated header line",
        "reason.nul_byte": "contains a NUL byte",
        "reason.unreadable_line": "unreadable line: {detail}",
        "trust.clv_not_fitted.explain": (
            "So this report has no expected values, chances of still buying or valuable customers at risk: "
            "that does not mean nobody is at risk. The model needs enough customers who bought more than once."
        ),
        "changed.same_date_only": (
            "There is no report of an earlier date to compare with yet (only one for this same date, which this "
            "report replaces)."
        ),
        "quality.title": "Data quality: what was read, loaded and set aside",
        "quality.col.source": "Source",
        "quality.col.files": "Files",
        "quality.col.read": "Rows read",
        "quality.col.loaded": "Loaded",
        "quality.col.rejected": "Rejected",
        "quality.col.reasons": "Main reasons for rejection",
        "quality.refused": "Files refused whole",
        "quality.none_rejected": "Every row read was loaded.",
        "quality.explain": (
            "Rejected rows are kept out of every figure and listed, with file, line and reason, in "
            "audit.rejected_rows. Fix the export and run again: a corrected file under the same name replaces them."
        ),
    }
)
LABELS.setdefault("es", {}).update(
    {
        "trust.dates": "Datos hasta el {last} (último pedido). Informe generado el {made}.",
        "trust.no_orders": "sin pedidos todavía",
        "trust.stale": (
            "Atención: este informe mira al {as_of}, {days} días después del último pedido de los datos ({last}; "
            "más de {limit} días). La exportación puede estar desactualizada: aparecerán como perdidos clientes "
            "que quizá no lo estén."
        ),
        "trust.stale.no_orders": "Atención: no hay pedidos hasta el {as_of}. ¿Está vacía la exportación de pedidos?",
        "trust.clv_not_fitted": "El modelo de valor de cliente no ha podido ejecutarse esta vez: {reason}.",
        "trust.clv_reason.too_few": "{model} necesita al menos {need} clientes y hay {got}",
        "trust.clv_reason.too_few_repeat": "{model} necesita al menos {need} clientes que hayan comprado dos veces o más y hay {got}",
        "trust.clv_reason.no_fit": "su ajuste no convergió con estos clientes",
        "trust.clv_reason.at_bound": "un parámetro ({params}) quedó en su límite",
        "trust.clv_reason.not_used": "{model} no utilizable: {why}",
        "source.orders": "pedidos",
        "source.customers": "clientes",
        "source.order_lines": "líneas de pedido",
        "source.products": "productos",
        "source.interactions": "interacciones",
        "source.prospects": "clientes potenciales",
        "source.actions": "acciones",
        "reason.missing": "falta {col}",
        "reason.unparseable": "{col} ilegible",
        "reason.future": "{col} en el futuro",
        "reason.before": "{col} anterior a {date}",
        "reason.too_long": "{col} de más de {n} caracteres",
        "reason.duplicate": "{col} repetido en el archivo",
        "reason.repeated_header": "línea de cabecera repetida",
        "reason.nul_byte": "contiene un byte NUL",
        "reason.unreadable_line": "línea ilegible: {detail}",
        "trust.clv_not_fitted.explain": (
            "Por eso este informe no trae valores esperados, probabilidades de seguir comprando ni clientes "
            "valiosos en riesgo: eso no significa que nadie esté en riesgo. El modelo necesita suficientes "
            "clientes que hayan comprado más de una vez."
        ),
        "changed.same_date_only": (
            "Todavía no hay un informe de una fecha anterior con el que comparar (solo uno de esta misma fecha, "
            "que este informe sustituye)."
        ),
        "quality.title": "Calidad de los datos: qué se leyó, qué se cargó y qué se apartó",
        "quality.col.source": "Origen",
        "quality.col.files": "Archivos",
        "quality.col.read": "Filas leídas",
        "quality.col.loaded": "Cargadas",
        "quality.col.rejected": "Rechazadas",
        "quality.col.reasons": "Motivos principales de rechazo",
        "quality.refused": "Archivos rechazados enteros",
        "quality.none_rejected": "Se cargaron todas las filas leídas.",
        "quality.explain": (
            "Las filas rechazadas quedan fuera de todas las cifras y se listan, con archivo, línea y motivo, en "
            "audit.rejected_rows. Corrija la exportación y vuelva a ejecutar: un archivo corregido con el mismo "
            "nombre las sustituye."
        ),
    }
)


# --- Area "actions" (issue 12): early alerts, the action list, action results, NPS. Both languages. ---
_ACTIONS_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "source.surveys": "surveys",
        "reason.not_whole_in_range": "{col} not a whole number from {lo} to {hi}",
        "col.latest_survey_score": "Latest survey score",
        "col.latest_survey_on": "Latest survey date",
        "alert.spend_drop": "Spending drop",
        "alert.overdue": "Overdue purchase",
        "alert.support_contact": "Support contacts",
        "alert.complaint": "Complaint",
        "alert.billing_error": "Billing error",
        "alert.detractor": "Unhappy in survey",
        "alert.none": "Win-back",
        "severity.high": "High",
        "severity.medium": "Medium",
        "alert_state.new": "New",
        "alert_state.ongoing": "Ongoing",
        "alert_state.resolved": "Resolved",
        "touch_point.call": "Phone call",
        "touch_point.email": "E-mail",
        "touch_point.store_visit": "Store visit",
        "touch_point.invoice": "With the invoice",
        "touch_point.web": "Web",
        "touch_point.support_follow_up": "Support follow-up",
        "actions.section.retention": "Keep: customers with an early warning",
        "actions.section.win_back": "Win back: valuable customers who stopped buying",
        "actions.col.section": "List",
        "actions.col.rank": "#",
        "actions.col.customer_id": "Customer",
        "actions.col.customer_name": "Name",
        "actions.col.phone": "Phone",
        "actions.col.email": "E-mail",
        "actions.col.status": "Status",
        "actions.col.alert": "Why",
        "actions.col.severity": "Severity",
        "actions.col.alert_state": "New?",
        "actions.col.touch_point": "How",
        "actions.col.action": "Action",
        "actions.col.offer": "Offer",
        "actions.col.message": "Message",
        "actions.col.value_at_risk": "Value at risk",
        "actions.col.score": "Score",
        "actions.col.reason": "Reason",
        "actions.col.last_order_date": "Last order",
        "actions.reason.spend_drop": "spent {signal} in the last {alert_window} against {baseline} in the {alert_window} before",
        "actions.reason.overdue": "{signal} days without buying; usually buys every {baseline} days",
        "actions.reason.support_contact": "{signal} support contact(s) in the last {signal_window}",
        "actions.reason.complaint": "{signal} complaint(s) in the last {signal_window}",
        "actions.reason.billing_error": "{signal} billing error(s) in the last {signal_window}",
        "actions.reason.detractor": "scored us {signal} out of 10 in the latest survey",
        "actions.reason.none": "no purchase for {signal} days; spent {baseline} in the last {volume_window}",
        "actions.reason.value": "value at risk {value}",
        "actions.reason.lift": "customers with this signal were lost {lift}× as often",
        "actions.none": "No actions for today: no early warnings and no valuable inactive customers.",
        "actions.missing_sources": "Not evaluated (export missing): {alerts}.",
        # report sections
        "section.actions": "Who to contact this week",
        "explain.actions": "Customers ranked by the value at risk × how strongly their warning predicted loss "
        "on your own history × the playbook's priority. The full list: <code>cartera actions --top 50 "
        "--format xlsx --output actions.xlsx</code>.",
        "section.alert_effectiveness": "Which warnings predict loss",
        "explain.alert_effectiveness": "Each warning rule was checked at every past month end: of the customers it "
        "flagged, how many were inactive {outcome_months} months later, against the customers it did not flag. A lift of "
        "2 means flagged customers were lost twice as often; trust a warning whose interval stays above 1.",
        "effect.col.alert": "Warning",
        "effect.col.flagged": "Flagged (customer-months)",
        "effect.col.flagged_loss": "Lost, flagged",
        "effect.col.unflagged_loss": "Lost, not flagged",
        "effect.col.lift": "Lift (95% interval)",
        "effect.status.no_source": "no export to evaluate it",
        "effect.status.no_history": "not enough history yet",
        "effect.status.never_raised": "never raised",
        "effect.status.no_losses": "too few losses to compare",
        "section.action_results": "Do our actions pay off?",
        "explain.action_results": "Customers who received an action (treatment) against similar customers who did "
        "not (control), {horizon} days after it: share who bought again and revenue per customer, with 95% "
        "intervals (Newcombe–Wilson for the share, Welch for revenue).",
        "results.col.action": "Action",
        "results.col.groups": "Treated / control",
        "results.col.rate_diff": "Bought again (difference)",
        "results.col.revenue_diff": "Revenue per customer (difference)",
        "results.col.result": "Result",
        "result.positive": "works",
        "result.negative": "does harm",
        "result.inconclusive": "no clear effect yet",
        "result.cannot_be_measured": "cannot be measured",
        "not_measured.window_not_elapsed": "too recent",
        "not_measured.no_control_group": "no control group",
        "not_measured.no_treatment_group": "no treated customers",
        "not_measured.group_too_small": "groups too small",
        "section.nps": "Customer satisfaction (NPS)",
        "explain.nps": "Net Promoter Score of the last {months} months: promoters (9–10) minus detractors (0–6), in points "
        "from −100 to 100; response rate = customers who answered / active customers.",
        "nps.col.month": "Month",
        "nps.col.respondents": "Answers",
        "nps.col.nps": "NPS",
        "nps.col.response_rate": "Response rate",
        "nps.none": "No survey answers (no surveys export).",
    },
    "es": {
        "source.surveys": "encuestas",
        "reason.not_whole_in_range": "{col} no es un número entero de {lo} a {hi}",
        "col.latest_survey_score": "Última puntuación en encuesta",
        "col.latest_survey_on": "Fecha de la última encuesta",
        "alert.spend_drop": "Caída del gasto",
        "alert.overdue": "Compra atrasada",
        "alert.support_contact": "Contactos con soporte",
        "alert.complaint": "Queja",
        "alert.billing_error": "Error de facturación",
        "alert.detractor": "Descontento en la encuesta",
        "alert.none": "Recuperación",
        "severity.high": "Alta",
        "severity.medium": "Media",
        "alert_state.new": "Nueva",
        "alert_state.ongoing": "Continúa",
        "alert_state.resolved": "Resuelta",
        "touch_point.call": "Llamada",
        "touch_point.email": "Correo",
        "touch_point.store_visit": "Visita a tienda",
        "touch_point.invoice": "Con la factura",
        "touch_point.web": "Web",
        "touch_point.support_follow_up": "Seguimiento de soporte",
        "actions.section.retention": "Retener: clientes con una señal de alerta",
        "actions.section.win_back": "Recuperar: clientes valiosos que dejaron de comprar",
        "actions.col.section": "Lista",
        "actions.col.rank": "Nº",
        "actions.col.customer_id": "Cliente",
        "actions.col.customer_name": "Nombre",
        "actions.col.phone": "Teléfono",
        "actions.col.email": "Correo",
        "actions.col.status": "Estado",
        "actions.col.alert": "Motivo",
        "actions.col.severity": "Gravedad",
        "actions.col.alert_state": "¿Nueva?",
        "actions.col.touch_point": "Cómo",
        "actions.col.action": "Acción",
        "actions.col.offer": "Oferta",
        "actions.col.message": "Mensaje",
        "actions.col.value_at_risk": "Valor en riesgo",
        "actions.col.score": "Puntuación",
        "actions.col.reason": "Explicación",
        "actions.col.last_order_date": "Último pedido",
        "actions.reason.spend_drop": "ha gastado {signal} en los últimos {alert_window} frente a {baseline} en los {alert_window} anteriores",
        "actions.reason.overdue": "{signal} días sin comprar; suele comprar cada {baseline} días",
        "actions.reason.support_contact": "{signal} contacto(s) con soporte en los últimos {signal_window}",
        "actions.reason.complaint": "{signal} queja(s) en los últimos {signal_window}",
        "actions.reason.billing_error": "{signal} error(es) de facturación en los últimos {signal_window}",
        "actions.reason.detractor": "nos puntuó con {signal} sobre 10 en la última encuesta",
        "actions.reason.none": "{signal} días sin comprar; gastó {baseline} en los últimos {volume_window}",
        "actions.reason.value": "valor en riesgo {value}",
        "actions.reason.lift": "los clientes con esta señal se perdieron {lift} veces más",
        "actions.none": "No hay acciones para hoy: ninguna alerta y ningún cliente valioso inactivo.",
        "actions.missing_sources": "Sin evaluar (falta la exportación): {alerts}.",
        "section.actions": "A quién contactar esta semana",
        "explain.actions": "Clientes ordenados por valor en riesgo × cuánto anticipó su señal la pérdida de clientes "
        "en su propio historial × la prioridad del manual. La lista completa: <code>cartera actions --top 50 "
        "--format xlsx --output acciones.xlsx</code>.",
        "section.alert_effectiveness": "Qué señales anticipan la pérdida de clientes",
        "explain.alert_effectiveness": "Cada regla de alerta se comprobó en cada fin de mes pasado: de los clientes "
        "señalados, cuántos estaban inactivos {outcome_months} meses después, frente a los no señalados. Un lift de 2 "
        "significa que los señalados se perdieron el doble; confíe en una señal cuyo intervalo queda por encima de 1.",
        "effect.col.alert": "Señal",
        "effect.col.flagged": "Señalados (cliente-mes)",
        "effect.col.flagged_loss": "Perdidos, señalados",
        "effect.col.unflagged_loss": "Perdidos, no señalados",
        "effect.col.lift": "Lift (intervalo 95 %)",
        "effect.status.no_source": "falta la exportación para evaluarla",
        "effect.status.no_history": "aún no hay historial suficiente",
        "effect.status.never_raised": "nunca se activó",
        "effect.status.no_losses": "muy pocas pérdidas para comparar",
        "section.action_results": "¿Funcionan nuestras acciones?",
        "explain.action_results": "Clientes que recibieron una acción (tratamiento) frente a clientes similares que "
        "no la recibieron (control), {horizon} días después: parte que volvió a comprar e ingresos por cliente, "
        "con intervalos del 95 % (Newcombe–Wilson para la proporción, Welch para los ingresos).",
        "results.col.action": "Acción",
        "results.col.groups": "Tratados / control",
        "results.col.rate_diff": "Volvieron a comprar (diferencia)",
        "results.col.revenue_diff": "Ingresos por cliente (diferencia)",
        "results.col.result": "Resultado",
        "result.positive": "funciona",
        "result.negative": "perjudica",
        "result.inconclusive": "sin efecto claro todavía",
        "result.cannot_be_measured": "no se puede medir",
        "not_measured.window_not_elapsed": "demasiado reciente",
        "not_measured.no_control_group": "sin grupo de control",
        "not_measured.no_treatment_group": "sin clientes tratados",
        "not_measured.group_too_small": "grupos demasiado pequeños",
        "section.nps": "Satisfacción de los clientes (NPS)",
        "explain.nps": "Net Promoter Score de los últimos {months} meses: promotores (9–10) menos detractores (0–6), en "
        "puntos de −100 a 100; tasa de respuesta = clientes que respondieron / clientes activos.",
        "nps.col.month": "Mes",
        "nps.col.respondents": "Respuestas",
        "nps.col.nps": "NPS",
        "nps.col.response_rate": "Tasa de respuesta",
        "nps.none": "No hay respuestas de encuestas (falta la exportación de encuestas).",
    },
}
for _lang, _table in _ACTIONS_LABELS.items():
    LABELS.setdefault(_lang, {}).update(_table)


# --- Area "health" (issue 9): windows and thresholds stated from the vars in force (report/vars_in_force.py),
# the rule behind each early alert, and units that were written in code. Both languages. ---
_VARS_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "window.days": "{n} days",
        "window.months": "{n} months",
        "window.last": "the last {window}",
        "window.all_history": "all the history",
        "effect.col.rule": "Rule",
        "alert_rule.spend_drop": "revenue in the last {alert_window} below {spend_drop_ratio} of the "
        "{alert_window} before (when that was above {spend_drop_min_revenue})",
        "alert_rule.overdue": "3 or more purchases and no purchase for more than {overdue_factor} times their "
        "average gap",
        "alert_rule.support_contact": "a support call in the last {signal_window}",
        "alert_rule.complaint": "a complaint in the last {signal_window}",
        "alert_rule.billing_error": "a billing error in the last {signal_window}",
        "alert_rule.detractor": "a score of 0–6 in the latest survey",
        "results.horizon": "{action} · {days} days",
        "effect.col.downgrade_lift": "Lost or moved down: lift (95% interval)",
        "explain.alert_downgrade": "The last column counts as lost also the customers who moved to a lower "
        "status or spending level {outcome_months} months later.",
        "results.col.segment": "Segment",
        "results.by_segment": "By customer segment",
        "nps.col.segment": "Segment",
        "nps.by_segment": "By customer segment, in its latest month with answers",
        "segment.unknown": "No segment",
        "action_type.call": "Call",
        "action_type.visit": "Visit",
        "action_type.discount": "Discount",
        "action_type.email_campaign": "E-mail campaign",
    },
    "es": {
        "window.days": "{n} días",
        "window.months": "{n} meses",
        "window.last": "los últimos {window}",
        "window.all_history": "todo el historial",
        "effect.col.rule": "Regla",
        "alert_rule.spend_drop": "ingresos de los últimos {alert_window} por debajo del {spend_drop_ratio} de "
        "los {alert_window} anteriores (cuando estos superaban {spend_drop_min_revenue})",
        "alert_rule.overdue": "3 compras o más y ninguna desde hace más de {overdue_factor} veces su intervalo medio",
        "alert_rule.support_contact": "una llamada a soporte en los últimos {signal_window}",
        "alert_rule.complaint": "una queja en los últimos {signal_window}",
        "alert_rule.billing_error": "un error de facturación en los últimos {signal_window}",
        "alert_rule.detractor": "una puntuación de 0 a 6 en la última encuesta",
        "results.horizon": "{action} · {days} días",
        "effect.col.downgrade_lift": "Perdidos o bajaron de segmento: lift (intervalo 95 %)",
        "explain.alert_downgrade": "La última columna cuenta como perdidos también a los clientes que bajaron de "
        "estado o de nivel de gasto {outcome_months} meses después.",
        "results.col.segment": "Segmento",
        "results.by_segment": "Por segmento de clientes",
        "nps.col.segment": "Segmento",
        "nps.by_segment": "Por segmento de clientes, en su último mes con respuestas",
        "segment.unknown": "Sin segmento",
        "action_type.call": "Llamada",
        "action_type.visit": "Visita",
        "action_type.discount": "Descuento",
        "action_type.email_campaign": "Campaña de correo",
    },
}
for _lang, _table in _VARS_LABELS.items():
    LABELS.setdefault(_lang, {}).update(_table)
