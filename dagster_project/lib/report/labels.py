"""Every user-facing string of the weekly report, keyed by stable English codes.

Mart values (status / tier codes) stay English codes; this table turns them into words.
To add Spanish later, add an "es" entry with the same keys; a missing key falls back to English,
then to the code itself, so an untranslated label never breaks a report.
"""

from __future__ import annotations

DEFAULT_LANG = "en"

# Display order of the mart codes (codes not listed are shown after these, as they come).
STATUS_ORDER = ("current", "active", "inactive", "potential", "probable")
VOLUME_TIER_ORDER = ("very_high", "high", "medium", "low")
FREQUENCY_TIER_ORDER = ("frequent", "habitual", "occasional")

LABELS: dict[str, dict[str, str]] = {
    "en": {
        # number formats
        "_thousands_sep": ",",
        "_decimal_sep": ".",
        "_lang_attr": "en",
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
        "card.net_revenue_365d": "Revenue, last 12 months",
        "card.net_revenue_365d.sub": "net of returns",
        "card.top_80": "Customers making 80% of revenue",
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
        "metric.net_revenue_365d": "Revenue, last 12 months",
        "metric.top_80_customers": "Customers making 80% of revenue",
        "metric.top_80_share_of_customers": "Share of buyers making 80% of revenue",
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
        "axis.revenue": "Revenue, last 12 months",
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
        "pareto.marker": "{customers} of buyers make 80% of revenue",
        "pareto.line80": "80% of revenue",
        # explanations
        "explain.status": (
            "<b>Current</b>: bought in the last 90 days and at least twice in the last year: your regulars. "
            "<b>Active</b>: bought in the last 90 days, but only once in the year. "
            "<b>Inactive</b>: has bought before, but not in the last 90 days; they may have gone to a "
            "competitor, and these are the customers to win back. <b>Potential</b>: has not bought yet, but has "
            "shown interest and can afford to buy. <b>Probable</b>: has not bought yet and might become a "
            "customer later. (Windows as set by default; see the README to change them.) "
            "Bars on the right show each group's revenue over the last 12 months."
        ),
        "explain.volume": (
            "Customers grouped by how much they spent in the last 12 months, from very high to low. "
            "A few big spenders usually bring most of the money: look after them first."
        ),
        "explain.frequency": (
            "Customers grouped by how regularly they buy: <b>frequent</b> buyers come back often, "
            "<b>habitual</b> ones regularly, <b>occasional</b> ones now and then."
        ),
        "explain.pareto": (
            "Buyers are lined up from the biggest spender to the smallest. The curve shows how much of the "
            "revenue the first ones bring. The higher and steeper it starts, the more the business depends on "
            "a few customers. The marked point shows how many buyers make up 80% of revenue: losing one of "
            "them costs far more than losing an average customer."
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
            "Customers among your most valuable by expected value whose chance of still buying has dropped "
            "(the customer_value_alerts list, in priority order). "
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
        "empty.chart": "No data for this chart yet.",
        "footer": "Made by Cartera. This page works offline; all charts are inside the file.",
    },
}


def label(code: str, lang: str = DEFAULT_LANG, **fmt: object) -> str:
    """The text for `code` in `lang` (falling back to English, then to the code), formatted with `fmt`."""
    text = LABELS.get(lang, {}).get(code)
    if text is None:
        text = LABELS[DEFAULT_LANG].get(code, code)
    return text.format(**fmt) if fmt else text


def code_label(kind: str, code: str, lang: str = DEFAULT_LANG) -> str:
    """Display name of a mart code, e.g. code_label("status", "inactive") -> "Inactive"."""
    key = f"{kind}.{code}"
    text = label(key, lang)
    return str(code) if text == key else text
