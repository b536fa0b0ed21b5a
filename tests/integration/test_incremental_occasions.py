"""The nightly build of int_purchase_occasions equals a full rebuild: real pipeline runs on one warehouse, night
after night, compared table by table with `--rebuild` of a copy of it on the same landing folder.

Files (orders with order_id, and days without one), worked out by hand:

night 0  orders.csv             A1 C1 05-01 50 | A2 C1 06-01 20 | A3 C2 06-10 30 | - C3 06-15 5 | - C3 06-15 7
                                | - C3 06-20 9                                                  (file_seq 1)
         orders_2026-06-20.csv  B1 C4 06-05 40 | B2 C4 06-20 60 | - C5 06-18 11                 (file_seq 2)
         -> 8 occasions from 9 rows: C3's 06-15 is one occasion of 12 (2 rows).
night 1  orders_2026-07-01.csv  (a) A4 C6 07-01 15, A5 C1 07-01 35, - C7 07-01 8 (new orders, a new day)
                                (c) - C3 06-15 3 (C3's day from orders.csv gets a third row) (file_seq 3)
         Nothing read before is gone (9 rows built, 9 left up to file_seq 2): incremental by the quick check.
         -> 11 occasions from 13 rows; C3 06-15 = 5 + 7 + 3 = 15, re-summed across two files.
night 2  orders_2026-06-20.csv changed, keeping its orders and days: B1 45, C5 06-18 13         (file_seq 4)
         orders_2026-07-02.csv  (b) A2 C1 06-02 25 (A2 sent again: another date and amount)     (file_seq 5)
         13 rows built, 9 left up to file_seq 3: 4 gone (A2, B1, B2, C5's row) = 3 orders sent again (A2, B1,
         B2) + 1 row gone from a day the new rows touch (C5 06-18): incremental, 4 new rows.
         -> 11 occasions from 13 rows: A2 06-02 25, B1 45, C5 13.
night 3  (d) orders.csv changed: A1, A3 and C3's 06-20 dropped, C3 06-15 now 5 and 8; no order_id sent again,
         so the quick check cannot pass                                                         (file_seq 6)
         13 built, 8 left up to file_seq 5: 5 gone, but only 2 come again (C3's 06-15): rebuilt whole.
         -> 8 occasions from 10 rows; C3 06-15 = 5 + 8 + 3 = 16.
"""

from __future__ import annotations

import io
import shutil
from decimal import Decimal

import duckdb
import pytest

from tests.conftest import run_cartera, write

HEADER = "order_id,customer_id,order_date,amount\n"
NIGHT_0 = {
    "orders.csv": "A1,C1,2026-05-01,50.00\nA2,C1,2026-06-01,20.00\nA3,C2,2026-06-10,30.00\n"
    ",C3,2026-06-15,5.00\n,C3,2026-06-15,7.00\n,C3,2026-06-20,9.00\n",
    "orders_2026-06-20.csv": "B1,C4,2026-06-05,40.00\nB2,C4,2026-06-20,60.00\n,C5,2026-06-18,11.00\n",
}
NIGHT_1 = {
    "orders_2026-07-01.csv": "A4,C6,2026-07-01,15.00\nA5,C1,2026-07-01,35.00\n,C3,2026-06-15,3.00\n,C7,2026-07-01,8.00\n",
}
NIGHT_2 = {
    "orders_2026-06-20.csv": "B1,C4,2026-06-05,45.00\nB2,C4,2026-06-20,60.00\n,C5,2026-06-18,13.00\n",
    "orders_2026-07-02.csv": "A2,C1,2026-06-02,25.00\n",
}
NIGHT_3 = {"orders.csv": ",C3,2026-06-15,5.00\n,C3,2026-06-15,8.00\n"}

# (order_id, customer_id, occasion_date, revenue, source_rows)
OCCASIONS_0 = [
    ("A1", "C1", "2026-05-01", "50.00", 1),
    ("A2", "C1", "2026-06-01", "20.00", 1),
    ("A3", "C2", "2026-06-10", "30.00", 1),
    ("B1", "C4", "2026-06-05", "40.00", 1),
    ("B2", "C4", "2026-06-20", "60.00", 1),
    (None, "C3", "2026-06-15", "12.00", 2),
    (None, "C3", "2026-06-20", "9.00", 1),
    (None, "C5", "2026-06-18", "11.00", 1),
]
OCCASIONS_1 = [
    ("A1", "C1", "2026-05-01", "50.00", 1),
    ("A2", "C1", "2026-06-01", "20.00", 1),
    ("A3", "C2", "2026-06-10", "30.00", 1),
    ("A4", "C6", "2026-07-01", "15.00", 1),
    ("A5", "C1", "2026-07-01", "35.00", 1),
    ("B1", "C4", "2026-06-05", "40.00", 1),
    ("B2", "C4", "2026-06-20", "60.00", 1),
    (None, "C3", "2026-06-15", "15.00", 3),
    (None, "C3", "2026-06-20", "9.00", 1),
    (None, "C5", "2026-06-18", "11.00", 1),
    (None, "C7", "2026-07-01", "8.00", 1),
]
OCCASIONS_2 = [
    ("A1", "C1", "2026-05-01", "50.00", 1),
    ("A2", "C1", "2026-06-02", "25.00", 1),
    ("A3", "C2", "2026-06-10", "30.00", 1),
    ("A4", "C6", "2026-07-01", "15.00", 1),
    ("A5", "C1", "2026-07-01", "35.00", 1),
    ("B1", "C4", "2026-06-05", "45.00", 1),
    ("B2", "C4", "2026-06-20", "60.00", 1),
    (None, "C3", "2026-06-15", "15.00", 3),
    (None, "C3", "2026-06-20", "9.00", 1),
    (None, "C5", "2026-06-18", "13.00", 1),
    (None, "C7", "2026-07-01", "8.00", 1),
]
OCCASIONS_3 = [
    ("A2", "C1", "2026-06-02", "25.00", 1),
    ("A4", "C6", "2026-07-01", "15.00", 1),
    ("A5", "C1", "2026-07-01", "35.00", 1),
    ("B1", "C4", "2026-06-05", "45.00", 1),
    ("B2", "C4", "2026-06-20", "60.00", 1),
    (None, "C3", "2026-06-15", "16.00", 3),
    (None, "C5", "2026-06-18", "13.00", 1),
    (None, "C7", "2026-07-01", "8.00", 1),
]
# Marts whose content depends on the history of runs, not only on the data: the alert episodes and their
# new / ongoing state follow the runs in order, and warehouse_state names the run.
RUN_HISTORY_MARTS = {"alert_history", "early_alerts", "warehouse_state"}
# ... and the columns that name when the customer-value model was fitted.
FIT_TIME_COLUMNS = {"clv_model_params": "fitted_at, fit_id"}


def written(rows):
    return [(o, c, d, Decimal(r), n) for o, c, d, r, n in rows]


def run_logged(landing, root, **kw):
    """The real pipeline, with dbt's log lines (where the pre-hook says how it built the model) captured."""
    from dbt_common.events.functions import capture_stdout_logs, stop_capture_stdout_logs

    log = io.StringIO()
    capture_stdout_logs(log)
    try:
        run = run_cartera(landing, root, **kw)
    finally:
        stop_capture_stdout_logs()
    assert run.success, log.getvalue()[-3000:]
    return run, [line.split("  ", 1)[-1] for line in log.getvalue().splitlines() if "int_purchase_occasions: " in line]


def rebuilt_copy(run, root):
    """`cartera run --rebuild` on a copy of the warehouse, same landing folder."""
    shutil.copytree(run.settings.warehouse.parent, root / "warehouse")
    rebuilt, _ = run_logged(run.settings.landing, root, rebuild=True)
    return rebuilt


def tables(run) -> dict[str, list[tuple]]:
    """int_purchase_occasions (working copy; not source_file_seq, which numbers files in load order) and every
    published mart, sorted."""
    con = duckdb.connect(str(run.settings.work_db), read_only=True)
    try:
        out = {
            "int_purchase_occasions": con.execute(
                "SELECT * EXCLUDE (source_file_seq) FROM intermediate.int_purchase_occasions ORDER BY ALL"
            ).fetchall()
        }
    finally:
        con.close()
    con = duckdb.connect(str(run.settings.warehouse), read_only=True)
    try:
        names = [
            n
            for (n,) in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'marts' ORDER BY 1"
            ).fetchall()
        ]
        for name in names:
            if name not in RUN_HISTORY_MARTS:
                exclude = f"EXCLUDE ({FIT_TIME_COLUMNS[name]})" if name in FIT_TIME_COLUMNS else ""
                out[name] = con.execute(f'SELECT * {exclude} FROM marts."{name}" ORDER BY ALL').fetchall()
    finally:
        con.close()
    return out


def occasions(run) -> list[tuple]:
    con = duckdb.connect(str(run.settings.work_db), read_only=True)
    try:
        rows = con.execute(
            "SELECT order_id, customer_id, occasion_date, revenue, source_rows FROM intermediate.int_purchase_occasions "
            "ORDER BY order_id NULLS LAST, customer_id, occasion_date"
        ).fetchall()
    finally:
        con.close()
    return [(o, c, str(d), r, n) for o, c, d, r, n in rows]


@pytest.fixture(scope="module")
def nights(tmp_path_factory):
    """One warehouse through nights 0 to 3, and a --rebuild of a copy of it after nights 2 and 3."""
    root = tmp_path_factory.mktemp("nightly")
    landing = root / "landing"
    out = {}
    for night, files in enumerate([NIGHT_0, NIGHT_1, NIGHT_2, NIGHT_3]):
        for name, rows in files.items():
            write(landing / name, HEADER + rows)
        run, log = run_logged(landing, root / "incremental")
        out[night] = (occasions(run), log)
        if night >= 2:
            out[f"tables{night}"] = tables(run)
            out[f"rebuild{night}"] = tables(rebuilt_copy(run, root / f"rebuild{night}"))
    return out


def test_the_first_night_builds_the_occasions_by_hand(nights):
    assert nights[0] == (written(OCCASIONS_0), [])  # a first build: no incremental decision to make


def test_new_orders_and_a_day_spanning_files_are_built_incrementally_by_the_quick_check(nights):
    built, log = nights[1]
    assert log == ["int_purchase_occasions: incremental: 4 new rows after file_seq 2, nothing read before is gone"]
    assert built == written(OCCASIONS_1)


def test_a_resent_order_and_a_changed_file_keeping_its_orders_and_days_are_built_incrementally(nights):
    built, log = nights[2]
    assert log == [
        "int_purchase_occasions: incremental: 4 new rows after file_seq 3, 3 orders sent again, "
        "1 rows gone from the days they touch"
    ]
    assert built == written(OCCASIONS_2)


def test_the_incremental_nights_equal_a_rebuild_in_the_occasions_and_every_mart(nights):
    incremental, rebuilt = nights["tables2"], nights["rebuild2"]
    assert sorted(incremental) == sorted(rebuilt)
    assert {"customer_status", "cohort_retention", "segment_snapshots", "customer_profile"} <= set(rebuilt)
    for name in rebuilt:
        assert incremental[name] == rebuilt[name], name


def test_a_changed_older_file_that_drops_rows_rebuilds_the_occasions_whole(nights):
    built, log = nights[3]
    assert log == [
        "int_purchase_occasions: rebuilt whole: 5 rows read before are gone and only 2 of them were sent again "
        "(a changed or replaced export dropped orders or days)"
    ]
    assert built == written(OCCASIONS_3)


def test_the_night_after_a_changed_older_file_equals_a_rebuild(nights):
    incremental, rebuilt = nights["tables3"], nights["rebuild3"]
    assert sorted(incremental) == sorted(rebuilt)
    for name in rebuilt:
        assert incremental[name] == rebuilt[name], name
