"""Public entry points: argument checks and writing the CSV exports chunk by chunk."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa

from ..ingest.sources import SOURCES
from .activity import actions, interactions, prospects, surveys
from .catalog import CATEGORIES, Products
from .customers import customer_columns
from .model import Context
from .orders import ORDER_CHANNELS, make_order_extras, make_order_lines, make_orders, order_ids
from .writers import CsvFile, dates, decimals, take_ids, take_labels

# The files of the sample portfolio and their columns, in the order they are written (the files returned in this
# order too). Each holds every column its landing source declares (lib/ingest/sources.py; test_generate checks).
COLUMNS = {
    "orders": ["order_id", "customer_id", "order_date", "amount", "channel", "quantity"],
    "customers": [
        "customer_id",
        "name",
        "email",
        "phone",
        "first_contact_date",
        "acquisition_channel",
        "segment",
        "region",
    ],
    "order_lines": ["order_id", "product_id", "quantity", "line_amount"],
    "products": ["product_id", "name", "category"],
    "interactions": ["customer_id", "occurred_at", "channel", "kind"],
    "prospects": ["prospect_id", "name", "interest_shown", "economic_capacity"],
    "actions": ["customer_id", "action_date", "action_type", "touch_point", "group"],
    "surveys": ["customer_id", "answered_at", "score", "comment"],
}
CHUNKED = ("orders", "customers", "order_lines", "interactions", "actions", "surveys")  # written customer by customer


def window_start(end_date: date, years: int) -> date:
    """First day of the generated window: ``end_date`` minus ``years`` calendar years."""
    try:
        return end_date.replace(year=end_date.year - years)
    except ValueError:  # 29 February -> 28 February
        return end_date.replace(year=end_date.year - years, day=28)


def generate_portfolio(
    landing_dir: Path,
    customers: int = 5000,
    years: int = 3,
    seed: int = 42,
    end_date: date = date(2026, 10, 31),
    orders_only: bool = False,
) -> dict[str, int]:
    """Write a deterministic sample portfolio into ``landing_dir`` (created if missing).

    Args:
        landing_dir: directory receiving the CSV exports.
        customers: number of customers in the CRM (some never order). ~5,000 customers over
            3 years give roughly 50k-70k orders; 900,000 give ~10M.
        years: length of the history window; every date lies in
            ``[window_start(end_date, years), end_date]``.
        seed: non-negative integer seed; same arguments -> byte-identical files.
        end_date: last day of the history (the natural ``as_of``).
        orders_only: write only ``orders.csv`` with ``customer_id, order_date, amount``.

    Returns:
        Data rows written per file name, e.g. ``{"orders.csv": 61234, ...}``.

    Raises:
        ValueError: on customers < 1, years < 1, a negative seed or a non-date end_date.
    """
    customers = _check_int("customers", customers, minimum=1)
    years = _check_int("years", years, minimum=1)
    seed = _check_int("seed", seed, minimum=0)
    if not isinstance(end_date, date) or hasattr(end_date, "hour"):
        raise ValueError(f"end_date must be a datetime.date, got {end_date!r}")
    start = window_start(end_date, years)
    if start.year < 1971:
        raise ValueError(f"window start {start} is before 1971; use fewer years or a later end_date")

    landing_dir = Path(landing_dir)
    landing_dir.mkdir(parents=True, exist_ok=True)
    ctx = Context(customers=customers, seed=seed, start=start, end=end_date)

    if orders_only:
        with CsvFile(landing_dir / "orders.csv", [c.file_header for c in SOURCES["orders"].required_columns]) as out:
            for chunk in ctx.chunks():
                o = make_orders(ctx, chunk)
                out.write([take_ids(chunk.ids, o.cust), dates(o.day), decimals(o.cents)])
        return {"orders.csv": out.rows}

    writers = {name: CsvFile(landing_dir / f"{name}.csv", COLUMNS[name]) for name in CHUNKED}
    products = Products()
    emails_seen: set[str] = set()
    order_seq = 0
    try:
        for chunk in ctx.chunks():
            o = make_orders(ctx, chunk)
            x = make_order_extras(ctx, chunk, o)
            ids = order_ids(order_seq, len(o.day))
            order_seq += len(o.day)
            writers["orders"].write(
                [
                    ids,
                    take_ids(chunk.ids, o.cust),
                    dates(o.day),
                    decimals(o.cents),
                    take_labels(ORDER_CHANNELS, x.channel),
                    pa.array(x.quantity.astype(np.float64)),
                ]
            )
            ln = make_order_lines(ctx, chunk, o, x, products)
            writers["order_lines"].write(
                [
                    ids.take(pa.array(ln.order)),
                    take_labels(products.ids, ln.product),
                    pa.array(ln.quantity.astype(np.float64)),
                    decimals(ln.cents),
                ]
            )
            writers["customers"].write(customer_columns(ctx, chunk, emails_seen))
            writers["interactions"].write(interactions(ctx, chunk))
            writers["actions"].write(actions(ctx, chunk))
            writers["surveys"].write(surveys(ctx, chunk))
        for w in writers.values():
            w.commit()
    finally:
        for w in writers.values():
            w.discard()

    with CsvFile(landing_dir / "products.csv", COLUMNS["products"]) as out:
        out.write([pa.array(products.ids), pa.array(products.names), take_labels(CATEGORIES, products.category)])
    with CsvFile(landing_dir / "prospects.csv", COLUMNS["prospects"]) as out:
        out.write(prospects(ctx))

    counts = {f"{name}.csv": w.rows for name, w in writers.items()}
    counts["products.csv"] = len(products.ids)
    counts["prospects.csv"] = out.rows
    return {f"{n}.csv": counts[f"{n}.csv"] for n in COLUMNS}


def _check_int(name: str, value: object, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)
