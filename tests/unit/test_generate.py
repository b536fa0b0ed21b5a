"""Unit tests for the sample-portfolio generator (small: 300 customers)."""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from dagster_project.lib.generate import generate_portfolio, window_start
from dagster_project.lib.generate.portfolio import COLUMNS as GENERATED
from dagster_project.lib.ingest.sources import SOURCES

N = 300
END = date(2026, 10, 31)
START = date(2023, 10, 31)

COLUMNS = {f"{name}.csv": columns for name, columns in GENERATED.items()}


def read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames), list(reader)


@pytest.fixture(scope="module")
def full(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    d = tmp_path_factory.mktemp("full")
    return d, generate_portfolio(d, customers=N, seed=7)


@pytest.fixture(scope="module")
def tables(full) -> dict[str, list[dict[str, str]]]:
    d, _ = full
    return {name: read(d / name)[1] for name in COLUMNS}


def test_writes_exactly_the_eight_files_with_exact_headers_and_reported_counts(full):
    d, counts = full
    assert sorted(p.name for p in d.iterdir()) == sorted(COLUMNS)
    assert list(counts) == list(COLUMNS)
    for name, cols in COLUMNS.items():
        header, rows = read(d / name)
        assert header == cols, name
        assert counts[name] == len(rows), name
    for source in SOURCES.values():  # every column each landing source declares, nothing else
        assert set(COLUMNS[f"{source.name}.csv"]) == {c.file_header for c in source.columns}, source.name
    assert counts["customers.csv"] == N
    assert counts["products.csv"] == 60
    assert counts["prospects.csv"] == 60  # 20 % of 300


def test_same_seed_is_byte_identical_and_other_seed_differs(full, tmp_path):
    d, _ = full
    again = tmp_path / "again"
    generate_portfolio(again, customers=N, seed=7)
    for name in COLUMNS:
        assert (again / name).read_bytes() == (d / name).read_bytes(), name
    other = tmp_path / "other"
    generate_portfolio(other, customers=N, seed=8)
    assert (other / "orders.csv").read_bytes() != (d / "orders.csv").read_bytes()
    assert (other / "customers.csv").read_bytes() != (d / "customers.csv").read_bytes()


def test_customer_ids_are_zero_padded_text(full, tables):
    d, _ = full
    ids = [r["customer_id"] for r in tables["customers.csv"]]
    assert ids == [f"{i:05d}" for i in range(1, N + 1)]
    assert ids[0] == "00001" and ids[41] == "00042"
    # raw text in the file keeps the zeros (not quoted away, not numeric)
    second_line = (d / "customers.csv").read_text(encoding="utf-8").splitlines()[1]
    assert second_line.startswith("00001,")
    for name in ("orders.csv", "interactions.csv", "actions.csv"):
        assert all(re.fullmatch(r"\d{5}", r["customer_id"]) for r in tables[name]), name


def test_every_order_customer_exists_and_some_customers_never_bought(tables):
    known = {r["customer_id"] for r in tables["customers.csv"]}
    buyers = {r["customer_id"] for r in tables["orders.csv"]}
    assert buyers <= known
    assert {r["customer_id"] for r in tables["interactions.csv"]} <= known
    assert {r["customer_id"] for r in tables["actions.csv"]} <= buyers
    never = known - buyers
    assert 0 < len(never) < 0.25 * N


def test_orders_are_unique_two_decimal_amounts_with_some_returns(tables):
    orders = tables["orders.csv"]
    ids = [r["order_id"] for r in orders]
    assert len(set(ids)) == len(ids)
    assert ids[:2] == ["PED0000001", "PED0000002"]
    assert all(re.fullmatch(r"-?\d+\.\d{2}", r["amount"]) for r in orders)
    returns = [r for r in orders if r["amount"].startswith("-")]
    assert 0.005 * len(orders) < len(returns) < 0.04 * len(orders)
    assert all(float(r["quantity"]) < 0 for r in returns)
    assert all(
        Decimal(r["amount"]) >= Decimal("1.00") and float(r["quantity"]) >= 1
        for r in orders
        if not r["amount"].startswith("-")
    )
    # ~5-20 orders per customer at this scale (5,000 customers -> 50k-100k orders)
    assert 5 * N < len(orders) < 20 * N


def test_line_amounts_and_quantities_sum_to_the_order(tables):
    amount, qty = defaultdict(Decimal), defaultdict(float)
    for line in tables["order_lines.csv"]:
        amount[line["order_id"]] += Decimal(line["line_amount"])
        qty[line["order_id"]] += float(line["quantity"])
    orders = tables["orders.csv"]
    assert set(amount) == {o["order_id"] for o in orders}
    for o in orders:
        assert amount[o["order_id"]] == Decimal(o["amount"]), o
        assert qty[o["order_id"]] == float(o["quantity"]), o
    products = {p["product_id"] for p in tables["products.csv"]}
    assert {line["product_id"] for line in tables["order_lines.csv"]} <= products
    # no product repeated inside one order
    pairs = Counter((line["order_id"], line["product_id"]) for line in tables["order_lines.csv"])
    assert max(pairs.values()) == 1


def test_all_dates_inside_the_window(tables):
    lo, hi = START.isoformat(), END.isoformat()
    checks = [("orders.csv", "order_date"), ("customers.csv", "first_contact_date"), ("actions.csv", "action_date")]
    for name, col in checks:
        values = [r[col] for r in tables[name]]
        assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", v) for v in values), name
        assert lo <= min(values) and max(values) <= hi, name
    stamps = [r["occurred_at"] for r in tables["interactions.csv"]]
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}", s) for s in stamps)
    assert lo <= min(stamps) and max(stamps)[:10] <= hi
    # a customer's orders never precede their first contact
    contact = {r["customer_id"]: r["first_contact_date"] for r in tables["customers.csv"]}
    assert all(o["order_date"] >= contact[o["customer_id"]] for o in tables["orders.csv"])


def test_custom_window_on_leap_day(tmp_path):
    counts = generate_portfolio(tmp_path, customers=50, years=1, seed=1, end_date=date(2024, 2, 29))
    _, orders = read(tmp_path / "orders.csv")
    assert counts["orders.csv"] == len(orders) > 0
    dates = [o["order_date"] for o in orders]
    assert "2023-02-28" <= min(dates) and max(dates) <= "2024-02-29"


def test_window_start():
    assert window_start(date(2026, 10, 31), 3) == date(2023, 10, 31)
    assert window_start(date(2024, 2, 29), 1) == date(2023, 2, 28)
    assert window_start(date(2024, 2, 29), 4) == date(2020, 2, 29)


def test_categorical_domains(tables):
    assert {r["group"] for r in tables["actions.csv"]} == {"treatment", "control"}
    groups = {r["customer_id"]: set() for r in tables["actions.csv"]}
    for r in tables["actions.csv"]:
        groups[r["customer_id"]].add(r["group"])
    assert all(len(g) == 1 for g in groups.values())  # randomised per customer
    assert {r["action_type"] for r in tables["actions.csv"]} <= {"call", "discount", "visit", "email_campaign"}
    assert {r["touch_point"] for r in tables["actions.csv"]} <= {"phone", "email", "store", "web"}
    assert {r["channel"] for r in tables["interactions.csv"]} <= {"phone", "email", "chatbot", "store", "web"}
    assert {r["kind"] for r in tables["interactions.csv"]} == {
        "support_call",
        "complaint",
        "billing_error",
        "survey_unhappy",
        "inquiry",
    }
    prospects = tables["prospects.csv"]
    assert [p["prospect_id"] for p in prospects[:2]] == ["P00001", "P00002"]
    assert {p["interest_shown"] for p in prospects} == {"yes", "no"}
    assert {p["economic_capacity"] for p in prospects} == {"high", "medium", "low"}
    assert len({p["category"] for p in tables["products.csv"]}) == 8


def test_customer_profiles_look_spanish(tables):
    for c in tables["customers.csv"]:
        assert len(c["name"].split(" ")) >= 3, c["name"]
        assert re.fullmatch(r"[a-z0-9.]+@[a-z.]+", c["email"]), c["email"]
        assert c["phone"] == "" or re.fullmatch(r"\+34 [67]\d{2} \d{3} \d{3}", c["phone"]), c["phone"]
    emails = [c["email"] for c in tables["customers.csv"]]
    assert len(set(emails)) == len(emails)
    assert any(ch in "".join(c["name"] for c in tables["customers.csv"]) for ch in "áéíóúñÁÉÍÓÚÑ")


def test_orders_only_is_the_three_column_projection_of_the_full_run(full, tmp_path):
    d, _ = full
    counts = generate_portfolio(tmp_path, customers=N, seed=7, orders_only=True)
    assert [p.name for p in tmp_path.iterdir()] == ["orders.csv"]
    header, rows = read(tmp_path / "orders.csv")
    assert header == ["customer_id", "order_date", "amount"]
    _, full_orders = read(d / "orders.csv")
    assert counts == {"orders.csv": len(full_orders)}
    assert rows == [{k: o[k] for k in header} for o in full_orders]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"customers": 0}, "customers must be >= 1"),
        ({"years": 0}, "years must be >= 1"),
        ({"customers": 2.5}, "customers must be an integer"),
        ({"customers": True}, "customers must be an integer"),
        ({"seed": -1}, "seed must be >= 0"),
        ({"end_date": "2026-10-31"}, "end_date must be a datetime.date"),
    ],
)
def test_bad_arguments_raise_value_error(tmp_path, kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        generate_portfolio(tmp_path / "x", **kwargs)
    assert not (tmp_path / "x").exists()


# --- the signals the retention loop looks for are really in the sample (issue 12) -------------------------


@pytest.fixture(scope="module")
def signals(tmp_path_factory):
    """2,000 customers: customers 'lost' = no order in the last 180 days of the window."""
    d = tmp_path_factory.mktemp("signals")
    generate_portfolio(d, customers=2000, seed=11)
    orders = read(d / "orders.csv")[1]
    last = {}
    for o in orders:
        last[o["customer_id"]] = max(last.get(o["customer_id"], ""), o["order_date"])
    cutoff = date.fromordinal(END.toordinal() - 180).isoformat()
    lost = {c for c, day in last.items() if day < cutoff}
    return d, orders, last, lost


def test_lost_customers_spend_less_in_their_last_months(signals):
    _, orders, last, lost = signals
    recent, earlier = defaultdict(list), defaultdict(list)
    for o in orders:
        c, amount = o["customer_id"], float(o["amount"])
        if c not in lost or amount <= 0:
            continue
        days_before_last = date.fromisoformat(last[c]).toordinal() - date.fromisoformat(o["order_date"]).toordinal()
        (recent if days_before_last <= 120 else earlier)[c].append(amount)
    both = [c for c in lost if recent[c] and earlier[c]]
    ratios = sorted(sum(recent[c]) / len(recent[c]) / (sum(earlier[c]) / len(earlier[c])) for c in both)
    assert len(both) > 100 and ratios[len(ratios) // 2] < 0.6  # median order value falls by more than 40 %


def test_lost_customers_answer_surveys_as_detractors_more_often(signals):
    d, _, _, lost = signals
    answers = read(d / "surveys.csv")[1]
    assert answers and all(0 <= int(a["score"]) <= 10 for a in answers)
    share = {}
    for group, rows in {
        "lost": [a for a in answers if a["customer_id"] in lost],
        "kept": [a for a in answers if a["customer_id"] not in lost],
    }.items():
        share[group] = sum(int(a["score"]) <= 6 for a in rows) / len(rows)
    assert share["lost"] > 1.5 * share["kept"], share


def test_baskets_pair_companion_products(signals):
    d, *_ = signals
    lines = read(d / "order_lines.csv")[1]
    products = {p["product_id"]: p["category"] for p in read(d / "products.csv")[1]}
    baskets = defaultdict(set)
    for line in lines:
        if float(line["quantity"]) > 0:
            baskets[line["order_id"]].add(line["product_id"])
    n = len(baskets)
    count = Counter(p for b in baskets.values() for p in b)
    pairs = Counter((a, b) for bset in baskets.values() for a in bset for b in bset if a < b)
    # the companion of a product is the next product of its category: its pair lift is far above 1
    ids = sorted(products)
    a, b = ids[0], ids[1]
    assert products[a] == products[b]
    lift = pairs[(a, b)] * n / (count[a] * count[b])
    assert lift > 3, lift
