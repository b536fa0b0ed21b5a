"""The landing folder: missing folders, file names DuckDB would read as patterns, what is skipped and why, the
folder a working copy was built from, files still being copied, and whether anything new arrived."""

from __future__ import annotations

import threading
import time
from decimal import Decimal

import duckdb
import pytest

from dagster_project.lib.ingest.landing import STILL_COPYING, LandingError, pending_files
from dagster_project.lib.ingest.sources import SOURCES
from tests.ingesting import ingest_result as ingest

HEADER = "customer_id,order_date,amount,order_id\n"


def test_a_landing_folder_that_does_not_exist_is_an_error_naming_it(con, tmp_path):
    missing = tmp_path / "landnig"
    with pytest.raises(LandingError, match=f"landing folder {missing} does not exist"):
        ingest(con, missing)


def test_a_landing_path_that_is_a_file_is_an_error_naming_it(con, tmp_path):
    (tmp_path / "orders.csv").write_text(HEADER)
    with pytest.raises(LandingError, match=f"landing folder {tmp_path / 'orders.csv'} is not a folder"):
        ingest(con, tmp_path / "orders.csv")


@pytest.mark.parametrize("name", ["orders_2025*.csv", "orders_[a].csv", "orders_?.csv", "orders_{a,b}.csv"])
def test_a_file_named_with_glob_characters_is_read_as_exactly_that_file(con, landing, name):
    # neighbours the name would match as a pattern: their rows must not be loaded twice
    (landing / "orders_2025a.csv").write_text(HEADER + "00042,2026-11-02,10.00,N-1\n")
    (landing / "orders_a.csv").write_text(HEADER + "00042,2026-11-02,20.00,N-2\n")
    (landing / name).write_text(HEADER + "00042,2026-11-02,5.00,G-1\n")

    files = {f.file: f for f in ingest(con, landing).files}

    assert files[name].rows_loaded == 1
    assert con.execute("SELECT _file, order_id, amount FROM raw.orders ORDER BY order_id").fetchall() == [
        (name, "G-1", Decimal("5.00")),
        ("orders_2025a.csv", "N-1", Decimal("10.00")),
        ("orders_a.csv", "N-2", Decimal("20.00")),
    ]
    assert con.execute("SELECT sum(amount) FROM raw.orders").fetchone() == (Decimal("35.00"),)


@pytest.mark.parametrize("name", ["orders_x;drop.csv", "orders_o'brien.csv", 'orders_"q".csv', "orders_a\nb.csv"])
def test_files_named_with_separators_quotes_or_line_breaks_are_loaded_and_listed(con, landing, name):
    (landing / name).write_text(HEADER + "00042,2026-11-02,5.00,A-1\n")

    [f] = ingest(con, landing).files

    assert (f.file, f.status, f.rows_loaded) == (name, "loaded", 1)
    assert con.execute("SELECT file, status FROM raw.ingested_files WHERE status <> 'skipped'").fetchall() == [
        (name, "loaded")
    ]


def test_every_landing_entry_not_read_is_listed_with_why(con, landing):
    (landing / "orders.csv").write_text(HEADER + "00042,2026-11-02,5.00,A-1\n")
    (landing / "orders.pdf").write_text("%PDF")
    (landing / "notes.txt").write_text("remember the export")
    (landing / "~$orders.xlsx").write_text("lock")
    (landing / "orders.csv.part").write_text("half")
    (landing / "archive").mkdir()
    (landing / "customers.json").write_text("{}")

    result = ingest(con, landing)

    assert [f.file for f in result.files] == ["orders.csv"]
    listed = con.execute(
        "SELECT source, file, reason FROM raw.ingested_files WHERE status = 'skipped' ORDER BY file"
    ).fetchall()
    assert listed == [
        (None, "archive", "archive: a folder; exports are read only from the landing folder itself"),
        (None, "notes.txt", "notes.txt: not named after a source (" + ", ".join(SOURCES) + "); not read"),
        (
            "orders",
            "orders.csv.part",
            "orders.csv.part: a hidden or temporary file (an editor's lock or a copy in progress); not read",
        ),
        ("orders", "orders.pdf", "orders.pdf: '.pdf' files are not read (csv, txt, tsv, parquet, xlsx, xlsm, xls)"),
        (
            None,
            "~$orders.xlsx",
            "~$orders.xlsx: a hidden or temporary file (an editor's lock or a copy in progress); not read",
        ),
    ]
    # customers.json is listed by the customers source
    ingest(con, landing, "customers")
    assert con.execute("SELECT reason FROM raw.ingested_files WHERE file = 'customers.json'").fetchall() == [
        ("customers.json: '.json' files are not read (csv, txt, tsv, parquet, xlsx, xlsm, xls)",)
    ]


def test_the_working_copy_refuses_another_landing_folder_and_rebuild_starts_from_it(con, tmp_path):
    first, second = tmp_path / "shop_a", tmp_path / "shop_b"
    first.mkdir()
    second.mkdir()
    (first / "orders.csv").write_text(HEADER + "00042,2026-11-02,5.00,A-1\n")
    (first / "customers.csv").write_text("customer_id,name\n00042,Ana\n")
    (second / "orders.csv").write_text(HEADER + "00077,2026-11-02,9.00,B-1\n")
    ingest(con, first)
    ingest(con, first, "customers")

    with pytest.raises(LandingError, match=f"was built from landing folder {first}, not {second}.*--rebuild"):
        ingest(con, second)
    assert con.execute("SELECT order_id FROM raw.orders").fetchall() == [("A-1",)]  # nothing mixed

    ingest(con, second, rebuild=True, run_id="run-2")
    ingest(con, second, "customers", rebuild=True, run_id="run-2")  # same run: not emptied again
    assert con.execute("SELECT order_id FROM raw.orders").fetchall() == [("B-1",)]
    assert con.execute("SELECT count(*) FROM raw.customers").fetchone() == (0,)  # shop A's customers are gone
    assert con.execute("SELECT landing FROM raw.landing_origin").fetchall() == [(str(second),)]


def test_a_file_still_being_copied_is_left_for_the_next_run(con, landing):
    (landing / "orders.csv").write_text(HEADER + "00042,2026-11-02,5.00,A-1\n")
    path = landing / "orders_big.csv"
    path.write_text(HEADER)
    stop = threading.Event()

    def copy_slowly():
        with open(path, "a") as f:
            i = 0
            while not stop.is_set():
                f.write(f"00050,2026-11-02,1.00,C-{i}\n")
                f.flush()
                i += 1
                time.sleep(0.05)

    writer = threading.Thread(target=copy_slowly)
    writer.start()
    try:
        result = ingest(con, landing, settle_seconds=0.5)
    finally:
        stop.set()
        writer.join()

    assert [f.file for f in result.files] == ["orders.csv"]
    assert [(f.file, f.reason) for f in result.skipped] == [("orders_big.csv", f"orders_big.csv: {STILL_COPYING}")]
    assert con.execute("SELECT count(*) FROM raw.orders WHERE _file = 'orders_big.csv'").fetchone() == (0,)
    time.sleep(0.6)
    later = ingest(con, landing, settle_seconds=0.5)
    assert {f.file: f.status for f in later.files} == {"orders.csv": "unchanged", "orders_big.csv": "loaded"}
    assert later.skipped == []


def test_pending_files_say_whether_anything_new_arrived(tmp_path, landing):
    work = tmp_path / "work.duckdb"
    (landing / "orders.csv").write_text(HEADER + "00042,2026-11-02,5.00,A-1\n")
    assert pending_files(landing, work) is None  # no working copy yet: everything is new
    con = duckdb.connect(str(work))
    result = ingest(con, landing)
    assert [f.file for f in result.new_files] == ["orders.csv"]
    assert ingest(con, landing).new_files == []  # the same files again: nothing new
    con.close()

    assert pending_files(landing, work) == []
    (landing / "orders_2026-11-25.csv").write_text(HEADER + "00042,2026-11-03,5.00,A-2\n")
    (landing / "orders.csv").write_text(HEADER + "00042,2026-11-02,6.00,A-1\n")
    assert pending_files(landing, work) == ["orders.csv", "orders_2026-11-25.csv"]
    with pytest.raises(LandingError, match="does not exist"):
        pending_files(tmp_path / "nope", work)
