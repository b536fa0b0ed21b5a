"""CRM activity: contact-centre interactions, retention actions and prospects."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from .model import ACTION_TYPE_P, ACTION_TYPES, DAYS_PER_YEAR, Chunk, Context
from .names import person_names
from .sampling import S_ACTIONS, S_INTERACTIONS, S_PROSPECTS, S_SURVEYS, choice, choice_rows, stream_rng
from .writers import dates, iso_timestamps, take_ids, take_labels

INTERACTION_CHANNELS = ["phone", "email", "chatbot", "store", "web"]
INTERACTION_KINDS = ["support_call", "complaint", "billing_error", "survey_unhappy", "inquiry"]
_KIND_P_BASE = [0.34, 0.08, 0.05, 0.06, 0.47]
_KIND_P_CHURN = [0.12, 0.42, 0.28, 0.16, 0.02]
# P(channel | kind), rows follow INTERACTION_KINDS, columns INTERACTION_CHANNELS
_CHANNEL_GIVEN_KIND = np.array(
    [
        [0.75, 0.05, 0.10, 0.10, 0.00],  # support_call
        [0.40, 0.30, 0.05, 0.15, 0.10],  # complaint
        [0.35, 0.45, 0.05, 0.05, 0.10],  # billing_error
        [0.00, 0.55, 0.05, 0.00, 0.40],  # survey_unhappy
        [0.25, 0.25, 0.25, 0.10, 0.15],  # inquiry
    ]
)
BASE_INTERACTIONS_PER_YEAR = 1.5
CHURN_SIGNAL_INTERACTIONS, CHURN_SIGNAL_DAYS = 1.6, 120

TOUCH_POINTS = ["phone", "email", "store", "web"]
# P(touch_point | action_type)
_TOUCH_GIVEN_ACTION = np.array(
    [
        [1.0, 0.0, 0.0, 0.0],  # call
        [0.0, 0.4, 0.3, 0.3],  # discount
        [0.0, 0.0, 1.0, 0.0],  # visit
        [0.0, 1.0, 0.0, 0.0],  # email_campaign
    ]
)

PROSPECTS_PER_CUSTOMER = 0.20

# Satisfaction surveys (0-10): buyers answer now and then; in their last months before leaving, customers
# answer like detractors far more often (what the detractor alert and NPS should show).
SURVEYS_PER_YEAR, SURVEY_LEAVING_DAYS = 0.5, 180
_SCORE_P_STAYING = [0.01, 0.01, 0.01, 0.02, 0.02, 0.03, 0.05, 0.12, 0.22, 0.26, 0.25]
_SCORE_P_LEAVING = [0.07, 0.06, 0.08, 0.10, 0.12, 0.13, 0.14, 0.11, 0.08, 0.06, 0.05]
_COMMENTS = {
    "detractor": ["", "Llegó tarde", "Factura incorrecta", "Nadie contesta al teléfono", "Precio muy alto"],
    "passive": ["", "Correcto", "Bien aunque algo caro", "Cumple"],
    "promoter": ["", "Excelente servicio", "Muy buena atención", "Siempre a tiempo", "Lo recomiendo"],
}


def interactions(ctx: Context, ch: Chunk) -> list[pa.Array]:
    """Base contact-centre traffic over each customer's life, plus a complaint/billing-error
    burst in the months before a churning customer drops out."""
    rng = stream_rng(ctx, S_INTERACTIONS, ch.index)
    lo = np.floor(ch.contact)
    hi = np.where(ch.buyer, np.minimum(ch.dropout, ctx.end_day), lo + 60).clip(max=ctx.end_day)
    span = np.maximum(hi - lo, 1.0)
    n_base = rng.poisson(BASE_INTERACTIONS_PER_YEAR * span / DAYS_PER_YEAR)
    n_churn = np.where(ch.churned, rng.poisson(CHURN_SIGNAL_INTERACTIONS, ch.n), 0)
    cb = np.repeat(np.arange(ch.n), n_base)
    db = np.floor(lo[cb] + rng.random(len(cb)) * (span[cb] + 1)).clip(max=ctx.end_day)
    kb = choice(rng, _KIND_P_BASE, len(cb))
    cc = np.repeat(np.arange(ch.n), n_churn)
    dc = np.floor(ch.dropout[cc] - rng.random(len(cc)) * CHURN_SIGNAL_DAYS)
    dc = np.clip(dc, lo[cc], ctx.end_day)
    kc = choice(rng, _KIND_P_CHURN, len(cc))
    cust = np.concatenate([cb, cc])
    day = np.concatenate([db, dc]).astype(np.int64)
    kind = np.concatenate([kb, kc]).astype(np.int64)
    channel = choice_rows(rng, _CHANNEL_GIVEN_KIND, kind)
    # business hours 08:00-19:59
    secs = day * 86400 + 8 * 3600 + rng.integers(0, 12 * 3600, len(day))
    order = np.lexsort((cust, secs))
    return [
        take_ids(ch.ids, cust[order]),
        iso_timestamps(secs[order]),
        take_labels(INTERACTION_CHANNELS, channel[order]),
        take_labels(INTERACTION_KINDS, kind[order]),
    ]


def actions(ctx: Context, ch: Chunk) -> list[pa.Array]:
    """Retention actions in the last year; group fixed per customer (randomised ~50/50)."""
    rng = stream_rng(ctx, S_ACTIONS, ch.index)
    targeted = np.flatnonzero(ch.targeted)
    n_more = rng.poisson(0.6, len(targeted))
    extra = np.repeat(targeted, n_more)
    cust = np.concatenate([targeted, extra])
    later = np.floor(rng.random(len(extra)) * 90)
    day = np.concatenate([ch.action_day[targeted], ch.action_day[extra] + later])
    day = np.minimum(day, ctx.end_day).astype(np.int64)
    atype = choice(rng, ACTION_TYPE_P, len(cust)).astype(np.int64)
    atype[: len(targeted)] = ch.first_action_type[targeted]  # the action whose effect the model decided
    touch = choice_rows(rng, _TOUCH_GIVEN_ACTION, atype)
    group = np.where(ch.treatment[cust], 0, 1)
    order = np.lexsort((cust, day))
    return [
        take_ids(ch.ids, cust[order]),
        dates(day[order]),
        take_labels(ACTION_TYPES, atype[order]),
        take_labels(TOUCH_POINTS, touch[order]),
        take_labels(["treatment", "control"], group[order]),
    ]


def prospects(ctx: Context) -> list[pa.Array]:
    rng = stream_rng(ctx, S_PROSPECTS)
    n = max(1, round(ctx.customers * PROSPECTS_PER_CUSTOMER))
    names, *_ = person_names(rng, n)
    interest = choice(rng, [0.55, 0.45], n)  # no, yes
    capacity = choice(rng, [0.25, 0.40, 0.35], n)  # high, medium, low
    width = max(5, len(str(n)))
    return [
        pa.array([f"P{i:0{width}d}" for i in range(1, n + 1)]),
        pa.array(names),
        take_labels(["no", "yes"], interest),
        take_labels(["high", "medium", "low"], capacity),
    ]


def surveys(ctx: Context, ch: Chunk) -> list[pa.Array]:
    """Survey answers over each buyer's life; answers in the months before leaving score lower."""
    rng = stream_rng(ctx, S_SURVEYS, ch.index)
    buyers = np.flatnonzero(ch.buyer)
    lo = ch.first_order[buyers]
    hi = np.minimum(ch.dropout[buyers], ctx.end_day)
    span = np.maximum(hi - lo, 0.0)
    n = rng.poisson(SURVEYS_PER_YEAR * span / DAYS_PER_YEAR)
    cust = np.repeat(buyers, n)
    day = np.floor(np.repeat(lo, n) + rng.random(len(cust)) * np.repeat(span, n)).astype(np.int64)
    leaving = ch.churned[cust] & (day > ch.dropout[cust] - SURVEY_LEAVING_DAYS)
    score = np.where(leaving, choice(rng, _SCORE_P_LEAVING, len(cust)), choice(rng, _SCORE_P_STAYING, len(cust)))
    score = score.astype(np.int64)
    kind = np.where(score >= 9, "promoter", np.where(score >= 7, "passive", "detractor"))
    pick = rng.random(len(cust))
    comment = [_COMMENTS[k][int(u * len(_COMMENTS[k]))] for k, u in zip(kind, pick, strict=True)]
    secs = day * 86400 + 9 * 3600 + rng.integers(0, 11 * 3600, len(day))
    order = np.lexsort((cust, secs))
    return [
        take_ids(ch.ids, cust[order]),
        iso_timestamps(secs[order]),
        pa.array(score[order].astype(str)),
        pa.array([comment[i] for i in order]),
    ]
