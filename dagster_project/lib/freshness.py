"""How fresh the published data is: the date looked at (as_of) against the latest order in the data.

An as_of a few days after the last order is normal (a quiet weekend); more than `stale_after_days` after it,
the export is probably stale, and the run's summary and the report say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from .sql import scalar

DEFAULT_STALE_AFTER_DAYS = 30


@dataclass(frozen=True)
class Freshness:
    as_of: date
    last_order_date: date | None  # None: no orders at all
    stale_after_days: int = DEFAULT_STALE_AFTER_DAYS

    @property
    def days_after_last_order(self) -> int | None:
        return None if self.last_order_date is None else (self.as_of - self.last_order_date).days

    @property
    def stale(self) -> bool:
        days = self.days_after_last_order
        return days is None or days > self.stale_after_days

    def warning(self) -> str | None:
        """One English line for the run's summary when the data looks stale, else None."""
        if not self.stale:
            return None
        if self.last_order_date is None:
            return f"no orders at all up to as_of {self.as_of.isoformat()}: is the orders export empty?"
        return (
            f"as_of {self.as_of.isoformat()} is {self.days_after_last_order} days after the latest order "
            f"({self.last_order_date.isoformat()}; more than {self.stale_after_days}): the export may be stale"
        )


def _as_date(value: date | str | None) -> date | None:
    if value is None:
        return None
    return value if type(value) is date else pd.Timestamp(value).date()


def read_freshness(
    con: duckdb.DuckDBPyConnection, as_of: date | None = None, stale_after_days: int = DEFAULT_STALE_AFTER_DAYS
) -> Freshness | None:
    """From the published marts: as_of (customer_status, unless given) and the latest order up to it
    (customer_profile). None when there is no as_of to compare with."""
    tables = {
        r[0]
        for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' "
            "and table_name in ('customer_status', 'customer_profile')"
        ).fetchall()
    }
    found = scalar(con, "select max(as_of) from marts.customer_status") if "customer_status" in tables else None
    last = (
        scalar(con, "select max(last_order_date) from marts.customer_profile") if "customer_profile" in tables else None
    )
    as_of = as_of or _as_date(found)
    if as_of is None:
        return None
    return Freshness(as_of, _as_date(last), stale_after_days)
