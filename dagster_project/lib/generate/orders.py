"""Orders of a chunk: Poisson repeat purchases, returns, channels/quantities and product lines."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from .catalog import Products
from .model import Chunk, Context
from .sampling import S_LINES, S_ORDER_EXTRA, S_ORDERS, choice, choice_rows, stream_rng

VALUE_ORDER_SIGMA = 0.5
MIN_ORDER_CENTS = 100
RETURN_SHARE, FULL_RETURN_SHARE, RETURN_MAX_DAYS = 0.02, 0.55, 30
# Customers who leave spend less in their last months first (what the spend_drop alert looks for).
SPEND_DROP_DAYS, SPEND_DROP_FACTOR = 150, 0.35
# Baskets with real affinities: a further line of an order is, this often, the companion of the first
# product (the next product of the same category), instead of an independent draw.
COMPANION_SHARE = 0.45

ORDER_CHANNELS = ["web", "phone", "sales_rep", "store", "email"]
_ORDER_CH_P = [0.38, 0.18, 0.22, 0.14, 0.08]
PREFERRED_CHANNEL_SHARE = 0.85


class Orders:
    """Orders of a chunk, sorted by (day, customer); ``orig`` = index of the returned order."""

    def __init__(self, cust: np.ndarray, day: np.ndarray, cents: np.ndarray, orig: np.ndarray) -> None:
        self.cust, self.day, self.cents, self.orig = cust, day, cents, orig
        self.is_return = orig >= 0


def make_orders(ctx: Context, ch: Chunk) -> Orders:
    rng = stream_rng(ctx, S_ORDERS, ch.index)
    buyers = np.flatnonzero(ch.buyer)
    a = ch.first_order[buyers]
    e = np.minimum(ch.dropout[buyers], ctx.end_day + 1.0)
    exposure = np.maximum(e - (a + 1.0), 0.0)  # repeat orders from the day after the first
    n_cand = rng.poisson(ch.rate[buyers] * exposure * ctx.season_peak)
    cust = np.repeat(buyers, n_cand)
    t = np.repeat(a + 1.0, n_cand) + rng.random(len(cust)) * np.repeat(exposure, n_cand)
    day = np.minimum(np.floor(t), ctx.end_day)
    keep = rng.random(len(cust)) < ctx.accept[(day - ctx.start_day).astype(np.int64)]
    responders = np.flatnonzero(~np.isnan(ch.response_day))  # a purchase in answer to a retention action
    cust = np.concatenate([buyers, cust[keep], responders]).astype(np.int32)
    day = np.concatenate([a, day[keep], ch.response_day[responders]]).astype(np.int32)

    mean = ch.value[cust]
    eur = mean * np.exp(rng.normal(-0.5 * VALUE_ORDER_SIGMA**2, VALUE_ORDER_SIGMA, len(cust)))
    leaving = ch.churned[cust] & (day > ch.dropout[cust] - SPEND_DROP_DAYS)
    eur = np.where(leaving, eur * SPEND_DROP_FACTOR, eur)
    cents = np.maximum(np.rint(eur * 100.0), MIN_ORDER_CENTS).astype(np.int64)

    # returns: later row with its own id and a negative amount (full or partial)
    n = len(cust)
    ret_u, full_u, frac_u, lag_u = rng.random((4, n))
    ret_lag = 1 + np.floor(lag_u * RETURN_MAX_DAYS).astype(np.int32)
    is_ret = (ret_u < RETURN_SHARE) & (day + ret_lag <= ctx.end_day)
    src = np.flatnonzero(is_ret)
    frac = np.where(full_u[src] < FULL_RETURN_SHARE, 1.0, 0.1 + 0.8 * frac_u[src])
    ret_cents = -np.maximum(np.rint(cents[src] * frac), 1).astype(np.int64)

    all_cust = np.concatenate([cust, cust[src]])
    all_day = np.concatenate([day, day[src] + ret_lag[src]])
    all_cents = np.concatenate([cents, ret_cents])
    orig = np.concatenate([np.full(n, -1, np.int64), src])
    order = np.lexsort((all_cust, all_day))  # stable: by day, then customer
    pos = np.empty(len(order), np.int64)
    pos[order] = np.arange(len(order))
    orig_sorted = orig[order]
    orig_sorted = np.where(orig_sorted >= 0, pos[np.maximum(orig_sorted, 0)], -1)
    return Orders(all_cust[order], all_day[order], all_cents[order], orig_sorted)


def order_ids(offset: int, n: int) -> pa.Array:
    return pa.array([f"PED{i:07d}" for i in range(offset + 1, offset + n + 1)], type=pa.string())


class OrderExtras:
    def __init__(self, channel: np.ndarray, quantity: np.ndarray, full_return: np.ndarray) -> None:
        self.channel, self.quantity, self.full_return = channel, quantity, full_return


def make_order_extras(ctx: Context, ch: Chunk, o: Orders) -> OrderExtras:
    """Channel and total units per order (full mode only; separate stream)."""
    rng = stream_rng(ctx, S_ORDER_EXTRA, ch.index)
    n = len(o.day)
    preferred = choice(rng, _ORDER_CH_P, ch.n)
    other = choice(rng, _ORDER_CH_P, n)
    channel = np.where(rng.random(n) < PREFERRED_CHANNEL_SHARE, preferred[o.cust], other)
    unit = np.exp(rng.normal(np.log(28.0), 0.6, n))
    qty = np.clip(np.rint(np.abs(o.cents) / 100.0 / unit), 1, 500).astype(np.int64)
    src = np.flatnonzero(o.is_return)
    orig = o.orig[src]
    channel[src] = channel[orig]
    share = o.cents[src] / o.cents[orig]  # in [-1, 0)
    full = share <= -1.0
    qty[src] = -np.where(full, qty[orig], np.clip(np.rint(-share * qty[orig]), 1, qty[orig]))
    return OrderExtras(channel, qty, full)


class Lines:
    def __init__(self, order: np.ndarray, product: np.ndarray, quantity: np.ndarray, cents: np.ndarray) -> None:
        self.order, self.product, self.quantity, self.cents = order, product, quantity, cents


def make_order_lines(ctx: Context, ch: Chunk, o: Orders, x: OrderExtras, prod: Products) -> Lines:
    """Split every order into product lines whose amounts sum exactly to the order amount."""
    rng = stream_rng(ctx, S_LINES, ch.index)
    n = len(o.day)
    sale = ~o.is_return
    qty = np.abs(x.quantity)
    n_lines = np.where(sale, np.minimum(np.minimum(qty, 1 + rng.poisson(1.3, n)), 8), 1)
    order = np.repeat(np.arange(n), n_lines)
    starts = np.concatenate([[0], np.cumsum(n_lines)[:-1]])
    seg = ch.segment[o.cust][order].astype(np.int64)
    product = choice_rows(rng, prod.p_given_segment, seg).astype(np.int64)
    first_line = starts[order]
    companion = (rng.random(len(order)) < COMPANION_SHARE) & (np.arange(len(order)) != first_line)
    product = np.where(companion, prod.companion[product[first_line]], product)

    # merge repeated products within an order (keep first occurrence order)
    key = order.astype(np.int64) * len(prod.ids) + product
    _, first_idx = np.unique(key, return_index=True)
    keep = np.sort(first_idx)
    order, product = order[keep], product[keep]
    n_lines = np.bincount(order, minlength=n)
    starts = np.concatenate([[0], np.cumsum(n_lines)[:-1]])

    # units: 1 each, the rest split by random weights; remainder to the first line
    w = rng.exponential(1.0, len(order))
    extra = (qty - n_lines)[order]
    wsum = np.add.reduceat(w, starts)[order]
    lq = 1 + np.floor(extra * w / wsum).astype(np.int64)
    lq[starts] += qty - np.add.reduceat(lq, starts)
    # amounts: proportional to units x list price x noise, in exact cents
    weight = lq * prod.price[product] * np.exp(rng.normal(0.0, 0.1, len(order)))
    total = np.abs(o.cents)
    wsum = np.add.reduceat(weight, starts)[order]
    lc = np.floor(total[order] * weight / wsum).astype(np.int64)
    lc[starts] += total - np.add.reduceat(lc, starts)

    # returns: one line, the first product of the returned order
    ret = np.flatnonzero(o.is_return)
    product[starts[ret]] = product[starts[o.orig[ret]]]
    sign = np.where(o.is_return, -1, 1)[order]
    return Lines(order, product, lq * sign, lc * sign)
