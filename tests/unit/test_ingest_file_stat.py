"""Knowing a file again without reading it: name, size and modification time as recorded in raw.ingested_files
mean unchanged (the file is not opened); anything else goes to the checksum, as rsync and make decide. And every
loaded version of a file gets a file_seq above all before it (what incremental models read past)."""

from __future__ import annotations

import os
from decimal import Decimal

import pytest

from dagster_project.lib.ingest import loader
from dagster_project.lib.ingest.landing import pending_files
from tests.ingesting import ingest

HEADER = "customer_id,order_date,amount,order_id\n"
FIRST = HEADER + "00042,2026-11-02,10.00,A-1\n"
SAME_SIZE = HEADER + "00042,2026-11-02,90.00,A-1\n"  # another amount, the same number of bytes


def recorded(con, file: str = "orders.csv") -> tuple:
    return con.execute(
        "SELECT checksum, file_size, file_mtime_ns FROM raw.ingested_files WHERE file = ?", [file]
    ).fetchone()


def amounts(con) -> list[tuple]:
    return con.execute("SELECT order_id, amount, _file_seq FROM raw.orders ORDER BY order_id").fetchall()


@pytest.fixture
def reads(monkeypatch):
    """The files the loader reads (inspect_file is its one read of a file's bytes before loading it)."""
    seen: list[str] = []
    real = loader.inspect_file

    def counting(path):
        seen.append(path.name)
        return real(path)

    monkeypatch.setattr(loader, "inspect_file", counting)
    return seen


def test_the_size_and_modification_time_of_a_loaded_file_are_recorded(con, landing):
    path = landing / "orders.csv"
    path.write_text(FIRST)
    st = path.stat()

    ingest(con, landing)

    assert recorded(con)[1:] == (len(FIRST.encode()), st.st_mtime_ns)


def test_an_unchanged_file_is_not_opened(con, landing, monkeypatch):
    (landing / "orders.csv").write_text(FIRST)
    ingest(con, landing)

    def must_not_read(path):
        raise AssertionError(f"{path.name} was read although its name, size and time are as recorded")

    monkeypatch.setattr(loader, "inspect_file", must_not_read)
    assert ingest(con, landing)["orders.csv"].status == "unchanged"


def test_an_edit_keeping_size_and_modification_time_is_not_seen_which_proves_the_file_is_not_read(con, landing):
    """The rule's one blind spot, documented: the bytes changed but size and time were put back, so the run
    takes it as unchanged without reading it (had it read it, the checksum would have replaced the row)."""
    path = landing / "orders.csv"
    path.write_text(FIRST)
    ingest(con, landing)
    st = path.stat()
    path.write_text(SAME_SIZE)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))

    assert ingest(con, landing)["orders.csv"].status == "unchanged"
    assert amounts(con) == [("A-1", Decimal("10.00"), 1)]


def test_a_touched_but_identical_file_is_unchanged_by_its_checksum_and_its_new_time_recorded(con, landing, reads):
    path = landing / "orders.csv"
    path.write_text(FIRST)
    ingest(con, landing)
    checksum, size, mtime = recorded(con)
    os.utime(path, ns=(mtime + 5_000_000_000, mtime + 5_000_000_000))  # touched: 5 s later, same bytes
    reads.clear()

    assert ingest(con, landing)["orders.csv"].status == "unchanged"
    assert reads == ["orders.csv"]  # the checksum decided
    assert recorded(con) == (checksum, size, mtime + 5_000_000_000)
    assert amounts(con) == [("A-1", Decimal("10.00"), 1)]

    reads.clear()
    assert ingest(con, landing)["orders.csv"].status == "unchanged"
    assert reads == []  # the new time was recorded: the next run does not read it


def test_an_edited_file_of_the_same_size_with_a_new_time_is_reloaded(con, landing):
    path = landing / "orders.csv"
    path.write_text(FIRST)
    ingest(con, landing)
    mtime = recorded(con)[2]
    path.write_text(SAME_SIZE)
    os.utime(path, ns=(mtime + 1, mtime + 1))  # one nanosecond later is enough

    f = ingest(con, landing)["orders.csv"]

    assert (f.status, f.rows_loaded) == ("replaced", 1)
    assert amounts(con) == [("A-1", Decimal("90.00"), 2)]
    assert recorded(con)[1:] == (len(SAME_SIZE.encode()), mtime + 1)


def test_a_refused_file_seen_again_unchanged_is_not_opened(con, landing, reads):
    (landing / "orders.csv").write_text("customer_id,order_date\n00042,2026-11-02\n")
    first = ingest(con, landing)["orders.csv"]
    reads.clear()

    again = ingest(con, landing)["orders.csv"]

    assert (again.status, again.again, again.reason) == ("refused", True, first.reason)
    assert reads == []


def test_a_warehouse_from_before_gets_the_columns_and_knows_its_files_by_checksum_once(con, landing, reads):
    (landing / "orders.csv").write_text(FIRST)
    ingest(con, landing)
    con.execute("ALTER TABLE raw.ingested_files DROP COLUMN file_size")  # as an older Cartera made it
    con.execute("ALTER TABLE raw.ingested_files DROP COLUMN file_mtime_ns")
    reads.clear()

    assert ingest(con, landing)["orders.csv"].status == "unchanged"
    assert reads == ["orders.csv"]
    assert recorded(con)[1:] == (len(FIRST.encode()), (landing / "orders.csv").stat().st_mtime_ns)
    reads.clear()
    assert ingest(con, landing)["orders.csv"].status == "unchanged"
    assert reads == []


def test_a_replaced_file_gets_a_file_seq_above_every_one_before_it(con, landing):
    """The latest file replaced must not take back its own file_seq: its new rows would look already seen."""
    (landing / "orders.csv").write_text(HEADER + "00042,2026-11-02,10.00,A-1\n")
    (landing / "orders_2026-11-21.csv").write_text(HEADER + "00043,2026-11-21,20.00,A-2\n")
    ingest(con, landing)
    (landing / "orders_2026-11-21.csv").write_text(HEADER + "00043,2026-11-21,25.00,A-2\n")

    ingest(con, landing)

    assert amounts(con) == [("A-1", Decimal("10.00"), 1), ("A-2", Decimal("25.00"), 3)]
    assert con.execute("SELECT file, file_seq FROM raw.ingested_files ORDER BY file").fetchall() == [
        ("orders.csv", 1),
        ("orders_2026-11-21.csv", 3),
    ]


def test_pending_files_know_an_unchanged_file_without_reading_it(tmp_path, landing, monkeypatch):
    import duckdb

    from dagster_project.lib.ingest import sniff

    work = tmp_path / "work.duckdb"
    path = landing / "orders.csv"
    path.write_text(FIRST)
    con = duckdb.connect(str(work))
    ingest(con, landing)
    con.close()
    real = sniff.file_checksum
    read: list[str] = []
    monkeypatch.setattr(sniff, "file_checksum", lambda p: read.append(p.name) or real(p))

    assert pending_files(landing, work) == [] and read == []
    os.utime(path, ns=(1, 1))  # touched: read, same checksum
    assert pending_files(landing, work) == [] and read == ["orders.csv"]
    path.write_text(SAME_SIZE)
    assert pending_files(landing, work) == ["orders.csv"]
