"""Incremental and idempotent ingestion: which files are taken, what a re-run, a changed file, a newer file,
a refused file and a deleted file do to raw.*."""

from __future__ import annotations

from decimal import Decimal

from dagster_project.lib.ingest.landing import landing_files
from dagster_project.lib.ingest.sources import SOURCES
from tests.ingesting import ingest

HEADER = "customer_id,order_date,amount,order_id\n"


def orders(con) -> list[tuple]:
    return con.execute(
        "SELECT order_id, customer_id, amount, _file, _line FROM raw.orders ORDER BY order_id"
    ).fetchall()


def snapshot(con) -> dict[str, list[tuple]]:
    return {
        t: con.execute(f"SELECT * EXCLUDE ({ts}) FROM raw.{t} ORDER BY ALL").fetchall()
        for t, ts in [("orders", "_file_seq"), ("rejected_rows", "rejected_at"), ("ingested_files", "ingested_at")]
    } | {"file_seq": con.execute("SELECT _file, _file_seq FROM raw.orders ORDER BY ALL").fetchall()}


def write_parquet(con, path, order_id: str, amount: str) -> None:
    con.execute(
        f"""COPY (SELECT '00050' AS customer_id, DATE '2026-11-20' AS order_date,
                    CAST(? AS DECIMAL(18,2)) AS amount, ? AS order_id) TO '{path}' (FORMAT parquet)""",
        [amount, order_id],
    )


def test_orders_files_are_found_by_name_prefix_and_order_lines_is_not_one(con, landing):
    (landing / "orders.csv").write_text(HEADER + "00042,2026-11-02,10.00,A-1\n")
    (landing / "orders_2026-11-21.csv").write_text(HEADER + "00043,2026-11-21,20.00,A-2\n")
    write_parquet(con, landing / "ORDERS-extra.parquet", "A-3", "30")
    (landing / "order_lines.csv").write_text("order_id,product_id,quantity,line_amount\nA-1,P-1,1,10\n")
    (landing / "orders.pdf").write_text("not an export Cartera reads")  # .xlsx is read since issue 14

    assert [p.name for p in landing_files(landing, SOURCES["orders"])] == [
        "ORDERS-extra.parquet",
        "orders.csv",
        "orders_2026-11-21.csv",
    ]
    assert [p.name for p in landing_files(landing, SOURCES["order_lines"])] == ["order_lines.csv"]
    assert {n: f.status for n, f in ingest(con, landing).items()} == {
        "ORDERS-extra.parquet": "loaded",
        "orders.csv": "loaded",
        "orders_2026-11-21.csv": "loaded",
    }
    assert [(o[0], o[3]) for o in orders(con)] == [
        ("A-1", "orders.csv"),
        ("A-2", "orders_2026-11-21.csv"),
        ("A-3", "ORDERS-extra.parquet"),
    ]


def test_running_again_with_the_same_files_changes_nothing(con, landing):
    (landing / "orders.csv").write_text(HEADER + "00042,2026-11-02,10.00,A-1\n00043,2026-11-02,bad,A-2\n")
    (landing / "orders_2026-11-21.csv").write_text(HEADER + "00044,2026-11-21,20.00,A-3\n")
    write_parquet(con, landing / "orders-extra.parquet", "A-4", "5")
    ingest(con, landing)
    before = snapshot(con)

    again = ingest(con, landing)

    assert {n: f.status for n, f in again.items()} == {
        "orders-extra.parquet": "unchanged",
        "orders.csv": "unchanged",
        "orders_2026-11-21.csv": "unchanged",
    }
    assert snapshot(con) == before
    assert len(before["orders"]) == 3 and len(before["rejected_rows"]) == 1


def test_a_refused_file_seen_again_is_refused_again_without_writing_anything(con, landing):
    (landing / "orders.csv").write_text("customer_id,order_date\n00042,2026-11-02\n")
    first = ingest(con, landing)["orders.csv"]
    before = snapshot(con)

    again = ingest(con, landing)["orders.csv"]

    assert (again.status, again.reason, again.rows_read, again.rows_rejected) == ("refused", first.reason, 1, 1)
    assert snapshot(con) == before


def test_a_file_changed_under_the_same_name_replaces_what_it_loaded(con, landing):
    (landing / "orders.csv").write_text(
        HEADER + "00042,2026-11-02,10.00,A-1\n00043,2026-11-02,20.00,A-2\n"
        "00044,2026-11-02,bad,A-3\n00045,2026-11-02,5.00,\n"
    )
    ingest(con, landing)
    (landing / "orders.csv").write_text(HEADER + "00042,2026-11-02,11.00,A-1\n00046,2026-11-03,7.00,\n")

    f = ingest(con, landing)["orders.csv"]

    assert (f.status, f.rows_read, f.rows_loaded, f.rows_rejected) == ("replaced", 2, 2, 0)
    assert con.execute("SELECT customer_id, amount, order_id, _line FROM raw.orders ORDER BY _line").fetchall() == [
        ("00042", Decimal("11.00"), "A-1", 2),
        ("00046", Decimal("7.00"), None, 3),
    ]
    assert con.execute("SELECT count(*) FROM raw.rejected_rows").fetchone() == (0,)  # old rejects gone too
    assert con.execute("SELECT file, status, rows_read FROM raw.ingested_files").fetchall() == [
        ("orders.csv", "replaced", 2)
    ]


def test_the_same_order_id_in_a_newer_file_replaces_the_older_version(con, landing):
    (landing / "orders.csv").write_text(HEADER + "00042,2026-11-02,10.00,A-1\n00043,2026-11-02,20.00,A-2\n")
    (landing / "orders_2026-11-21.csv").write_text(HEADER + "00042,2026-11-02,15.00,A-1\n")

    ingest(con, landing)

    assert orders(con) == [
        ("A-1", "00042", Decimal("15.00"), "orders_2026-11-21.csv", 2),
        ("A-2", "00043", Decimal("20.00"), "orders.csv", 3),
    ]


def test_a_newer_file_arriving_in_a_later_run_replaces_the_order_too(con, landing):
    (landing / "orders.csv").write_text(HEADER + "00042,2026-11-02,10.00,A-1\n")
    ingest(con, landing)
    (landing / "orders_2026-11-21.csv").write_text(HEADER + "00042,2026-11-02,-10.00,A-1\n")

    statuses = {n: f.status for n, f in ingest(con, landing).items()}

    assert statuses == {"orders.csv": "unchanged", "orders_2026-11-21.csv": "loaded"}
    assert orders(con) == [("A-1", "00042", Decimal("-10.00"), "orders_2026-11-21.csv", 2)]


def test_a_symlink_pointing_outside_the_landing_folder_is_refused_and_others_still_load(con, landing, tmp_path):
    outside = tmp_path / "outside.csv"
    outside.write_text(HEADER + "00099,2026-11-02,99.00,X-1\n")
    (landing / "orders_link.csv").symlink_to(outside)
    (landing / "orders.csv").write_text(HEADER + "00042,2026-11-02,10.00,A-1\n")

    files = ingest(con, landing)

    link = files["orders_link.csv"]
    assert (link.status, link.rows_read) == ("refused", 0)
    assert link.reason == f"orders_link.csv: is a link pointing outside the landing folder {landing}; refused"
    assert files["orders.csv"].status == "loaded"
    assert [o[0] for o in orders(con)] == ["A-1"]
    assert con.execute(
        "SELECT status, checksum, reason FROM raw.ingested_files WHERE file = 'orders_link.csv'"
    ).fetchall() == [("refused", None, link.reason)]
    assert ingest(con, landing)["orders_link.csv"].status == "refused"


def test_a_file_deleted_from_landing_keeps_its_rows(con, landing):
    (landing / "orders.csv").write_text(HEADER + "00042,2026-11-02,10.00,A-1\n")
    ingest(con, landing)
    (landing / "orders.csv").unlink()

    assert ingest(con, landing) == {}
    assert orders(con) == [("A-1", "00042", Decimal("10.00"), "orders.csv", 2)]
    assert con.execute("SELECT file, status FROM raw.ingested_files").fetchall() == [("orders.csv", "loaded")]


def test_a_refused_new_version_keeps_the_old_rows_and_the_fixed_version_replaces_them(con, landing):
    """Interactions have no key: only replacing by file keeps a fixed file from duplicating its rows."""
    header = "customer_id,occurred_at,channel,kind\n"
    (landing / "interactions.csv").write_text(header + "00042,2026-11-02 10:00:00,phone,complaint\n")
    ingest(con, landing, "interactions")
    (landing / "interactions.csv").write_text("customer_id,channel\n00042,phone\n")
    assert ingest(con, landing, "interactions")["interactions.csv"].status == "refused"
    assert con.execute("SELECT count(*) FROM raw.interactions").fetchone() == (1,)
    (landing / "interactions.csv").write_text(
        header + "00042,2026-11-02 10:00:00,phone,complaint\n00043,2026-11-03 09:30:00,email,inquiry\n"
    )

    f = ingest(con, landing, "interactions")["interactions.csv"]

    assert (f.status, f.rows_loaded) == ("replaced", 2)
    assert con.execute("SELECT customer_id, kind FROM raw.interactions ORDER BY ALL").fetchall() == [
        ("00042", "complaint"),
        ("00043", "inquiry"),
    ]
    assert con.execute("SELECT status FROM raw.ingested_files").fetchall() == [("replaced",)]


def test_a_file_restored_to_its_loaded_version_after_a_refusal_is_unchanged(con, landing):
    good = HEADER + "00042,2026-11-02,10.00,A-1\n"
    (landing / "orders.csv").write_text(good)
    ingest(con, landing)
    (landing / "orders.csv").write_text("customer_id\n00042\n")
    ingest(con, landing)
    (landing / "orders.csv").write_text(good)

    assert ingest(con, landing)["orders.csv"].status == "unchanged"
    assert con.execute("SELECT file, status FROM raw.ingested_files").fetchall() == [("orders.csv", "loaded")]
    assert [o[0] for o in orders(con)] == ["A-1"]
