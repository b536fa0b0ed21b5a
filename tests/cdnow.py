"""The CDNOW sample (2,357 customers, 1997-01 .. 1998-06) used by Fader, Hardie & Lee (2005).

The copy committed under tests/fixtures/cdnow/ (with its attribution, see its README) is the only one read.
Columns of CDNOW_sample.txt (whitespace separated): customer id, id within the sample, yyyymmdd date, number of
CDs, dollar value.
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

COMMITTED = Path(__file__).resolve().parent / "fixtures" / "cdnow" / "CDNOW_sample.txt"  # see its README
SAMPLE_ROWS = 6919


def cdnow_sample_path() -> Path:
    """Path of the committed CDNOW_sample.txt."""
    return COMMITTED


def read_cdnow_rows() -> list[tuple[str, str, str]]:
    """(customer_id, ISO order_date, amount) per line of the sample; ids keep their leading zeros."""
    rows = []
    for line in cdnow_sample_path().read_text().splitlines():
        parts = line.split()
        if not parts:
            continue
        customer_id, _sample_id, yyyymmdd, _cds, amount = parts
        rows.append((customer_id, datetime.strptime(yyyymmdd, "%Y%m%d").date().isoformat(), amount))
    return rows


def write_cdnow_landing(landing_dir: Path, filename: str = "orders.csv") -> Path:
    """Write the sample as an orders-only CSV (customer_id, order_date, amount) into landing_dir."""
    landing_dir = Path(landing_dir)
    landing_dir.mkdir(parents=True, exist_ok=True)
    path = landing_dir / filename
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["customer_id", "order_date", "amount"])
        writer.writerows(read_cdnow_rows())
    return path


def cdnow_rfm(calibration_end: str = "1997-09-30", holdout_end: str | None = None):
    """Per customer of the sample, in pandas (the library's input): frequency (repeat purchase days), recency and
    age in weeks at calibration_end, monetary_value (mean repeat-day value); with holdout_end also
    holdout_occasions (repeat days after calibration_end) and first_purchase_day (days from 1997-01-01)."""
    import pandas as pd

    rows = pd.DataFrame(read_cdnow_rows(), columns=["customer_id", "day", "amount"])
    rows["day"] = pd.to_datetime(rows["day"])
    rows["amount"] = rows["amount"].astype(float)
    days = rows.groupby(["customer_id", "day"], as_index=False)["amount"].sum()
    end = pd.Timestamp(calibration_end)
    cal = days[days["day"] <= end].copy()
    first = cal.groupby("customer_id")["day"].transform("min")
    cal["repeat_amount"] = cal["amount"].where(cal["day"] > first)
    s = cal.groupby("customer_id").agg(
        first=("day", "min"), last=("day", "max"), n=("day", "count"), repeat_sum=("repeat_amount", "sum")
    )
    out = pd.DataFrame(
        {
            "customer_id": s.index,
            "frequency": (s["n"] - 1).to_numpy(),
            "recency": ((s["last"] - s["first"]).dt.days / 7).to_numpy(),
            "age": ((end - s["first"]).dt.days / 7).to_numpy(),
            "monetary_value": (s["repeat_sum"] / (s["n"] - 1)).where(s["n"] > 1).to_numpy(),
        }
    )
    if holdout_end is not None:
        later = days[(days["day"] > end) & (days["day"] <= pd.Timestamp(holdout_end))]
        counts = later.groupby("customer_id").size()
        out["holdout_occasions"] = out["customer_id"].map(counts).fillna(0).astype(int).to_numpy()
        out["first_purchase_day"] = (s["first"] - pd.Timestamp("1997-01-01")).dt.days.to_numpy()
    return out.reset_index(drop=True)
