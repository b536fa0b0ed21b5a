"""Bad exports (tests/fixtures/bad_exports/): each file's exact outcome once ingested into a real DuckDB file.

A bad row is quarantined in raw.rejected_rows with its file, line and reason; a bad file is refused whole;
either way rows read = rows loaded + rows rejected.
"""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from dagster_project.lib.ingest.loader import ingest_source
from dagster_project.lib.ingest.sources import SOURCES

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "bad_exports"
MAX_DATE = date(2026, 11, 24)


@pytest.fixture
def ingest(tmp_path):
    """ingest(corpus file, ...) -> (connection, FileResult of the first file): one source per call."""
    landing = tmp_path / "landing"
    landing.mkdir()
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))

    def run(*names: str):
        for name in names:
            shutil.copy(CORPUS / name, landing / name)
        result = ingest_source(con, landing, SOURCES[names[0].split("_")[0]], max_date=MAX_DATE)
        for f in result.files:
            assert f.rows_read == f.rows_loaded + f.rows_rejected, f
        return con, result.files[0]

    yield run
    con.close()


def rows(con, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def rejected(con) -> list[tuple]:
    return rows(con, "SELECT file, line, reason FROM raw.rejected_rows ORDER BY line")


def manifest(con) -> list[tuple]:
    return rows(con, "SELECT file, status, rows_read, rows_loaded, rows_rejected, reason FROM raw.ingested_files")


def counts(f) -> tuple[str, int, int, int]:
    return f.status, f.rows_read, f.rows_loaded, f.rows_rejected


# --- files refused whole ---------------------------------------------------------------------------------


def test_an_empty_file_is_refused_and_recorded(ingest):
    con, f = ingest("orders_empty.csv")
    assert counts(f) == ("refused", 0, 0, 0)
    assert f.reason == "orders_empty.csv: the file is empty (no header, no rows)"
    assert manifest(con) == [("orders_empty.csv", "refused", 0, 0, 0, f.reason)]


def test_a_file_missing_a_required_column_is_refused_naming_file_and_column(ingest):
    con, f = ingest("orders_missing_amount.csv")
    assert counts(f) == ("refused", 2, 0, 2)
    assert f.reason == (
        "orders_missing_amount.csv: missing required column(s) amount (found: customer_id, order_date, order_id)"
    )
    assert manifest(con) == [("orders_missing_amount.csv", "refused", 2, 0, 2, f.reason)]
    assert rows(con, "SELECT count(*) FROM raw.orders") == [(0,)]


# --- files loaded, with their bad rows quarantined ---------------------------------------------------------


def test_a_header_only_file_loads_zero_rows(ingest):
    con, f = ingest("orders_header_only.csv")
    assert counts(f) == ("loaded", 0, 0, 0)
    assert manifest(con) == [("orders_header_only.csv", "loaded", 0, 0, 0, None)]


def test_extra_and_reordered_columns_are_matched_by_name_and_extras_ignored(ingest):
    con, f = ingest("orders_extra_reordered.csv")
    assert counts(f) == ("loaded", 2, 2, 0)
    assert f.ignored_columns == ["notes"]
    assert rows(
        con, "SELECT customer_id, order_date, amount, order_id, channel, _line FROM raw.orders ORDER BY _line"
    ) == [
        ("00042", date(2026, 11, 2), Decimal("12.50"), "A-1", "web", 2),
        ("00043", date(2026, 11, 3), Decimal("7.00"), "A-2", "store", 3),
    ]


def test_a_header_line_repeated_mid_file_is_quarantined(ingest):
    con, f = ingest("orders_repeated_header.csv")
    assert counts(f) == ("loaded", 3, 2, 1)
    assert rejected(con) == [("orders_repeated_header.csv", 3, "repeated header line")]
    assert rows(con, "SELECT order_id, _line FROM raw.orders ORDER BY _line") == [("A-1", 2), ("A-2", 4)]


def test_iso_day_first_and_compact_dates_are_parsed_and_an_impossible_date_quarantined(ingest):
    con, f = ingest("orders_mixed_dates.csv")
    assert counts(f) == ("loaded", 4, 3, 1)
    assert rows(con, "SELECT order_id, order_date FROM raw.orders ORDER BY _line") == [
        ("A-1", date(2026, 11, 2)),
        ("A-2", date(2026, 11, 3)),
        ("A-3", date(2026, 11, 4)),
    ]
    assert rejected(con) == [("orders_mixed_dates.csv", 5, "unparseable order_date '2026-02-30'")]


def test_amount_with_decimal_comma_thousands_dot_currency_and_accounting_negatives_is_parsed(ingest):
    con, f = ingest("orders_amounts.csv")
    assert counts(f) == ("loaded", 7, 5, 2)
    assert rows(con, "SELECT order_id, amount FROM raw.orders ORDER BY _line") == [
        ("A-1", Decimal("1234.56")),  # "1.234,56"
        ("A-2", Decimal("12.50")),  # "€ 12,50"
        ("A-3", Decimal("-12.00")),  # "(12.00)"
        ("A-4", Decimal("-3.00")),  # "-3"
        ("A-5", Decimal("12.50")),  # "12.5"
    ]
    assert rejected(con) == [
        ("orders_amounts.csv", 7, "unparseable amount 'twelve'"),
        ("orders_amounts.csv", 8, "missing amount"),
    ]


def test_dates_after_max_date_or_before_1990_are_quarantined_and_the_bounds_kept(ingest):
    con, f = ingest("orders_date_range.csv")
    assert counts(f) == ("loaded", 4, 2, 2)
    assert rows(con, "SELECT order_id, order_date FROM raw.orders ORDER BY _line") == [
        ("A-1", date(2026, 11, 24)),
        ("A-3", date(1990, 1, 1)),
    ]
    assert rejected(con) == [
        ("orders_date_range.csv", 3, "order_date 2026-11-25 is in the future (after 2026-11-24)"),
        ("orders_date_range.csv", 5, "order_date 1989-12-31 is before 1990-01-01"),
    ]


def test_customer_ids_keep_leading_zeros_and_lose_surrounding_spaces(ingest):
    con, f = ingest("orders_customer_ids.csv")
    assert counts(f) == ("loaded", 4, 3, 1)
    assert rows(con, "SELECT customer_id, order_id FROM raw.orders ORDER BY _line") == [
        ("00042", "A-1"),
        ("00043", "A-2"),
        ("007", "B-7"),
    ]
    assert rejected(con) == [("orders_customer_ids.csv", 5, "missing customer_id")]  # only spaces


@pytest.mark.parametrize("name, encoding", [("customers_latin1.csv", "cp1252"), ("customers_utf8_bom.csv", "utf-8")])
def test_spanish_names_are_read_from_latin1_and_from_utf8_with_bom(ingest, name, encoding):
    con, f = ingest(name)
    assert counts(f) == ("loaded", 2, 2, 0)
    assert f.format == f"csv, {encoding}, separator ',', decimal '.'"
    assert rows(con, "SELECT customer_id, name, region FROM raw.customers ORDER BY _line") == [
        ("00042", "José Núñez", "Ávila"),
        ("00043", "María Peña", "Cádiz"),
    ]


def test_a_spanish_excel_file_semicolon_decimal_comma_windows_1252_crlf_is_read(ingest):
    con, f = ingest("orders_excel_es.csv")
    assert counts(f) == ("loaded", 4, 3, 1)
    assert f.format == "csv, cp1252, separator ';', decimal ','"
    assert rows(
        con, "SELECT customer_id, order_date, amount, order_id, channel, quantity FROM raw.orders ORDER BY _line"
    ) == [
        ("00042", date(2026, 11, 2), Decimal("1234.56"), "A-1", "teléfono", 2.0),
        ("00043", date(2026, 11, 3), Decimal("12.50"), "A-2", "tienda", 1.5),  # '€' is byte 0x80
        ("00044", date(2026, 11, 4), Decimal("-3.00"), "A-3", "web", None),
    ]
    assert rejected(con) == [("orders_excel_es.csv", 5, "unparseable amount 'abc'")]


def test_a_row_with_a_nul_byte_is_quarantined_and_its_record_shows_it(ingest):
    con, f = ingest("orders_nul.csv")
    assert counts(f) == ("loaded", 3, 2, 1)
    assert rejected(con) == [("orders_nul.csv", 3, "contains a NUL byte")]
    assert rows(con, "SELECT record FROM raw.rejected_rows") == [("00043|2026-11-02|10.00|A-2|we\\0b|",)]


def test_an_8000_character_text_is_kept_whole_and_an_8000_character_id_quarantined(ingest):
    con, f = ingest("orders_long_field.csv")
    assert counts(f) == ("loaded", 2, 1, 1)
    assert rows(con, "SELECT order_id, length(channel), channel = repeat('x', 8000) FROM raw.orders") == [
        ("A-1", 8000, True)
    ]
    assert rows(con, "SELECT line, reason, length(record) FROM raw.rejected_rows") == [
        (3, "customer_id longer than 100 characters", 500)
    ]  # the record kept for people is cut


def test_text_starting_like_a_formula_is_stored_unchanged_in_raw(ingest):
    con, f = ingest("orders_formulas.csv")
    assert counts(f) == ("loaded", 4, 4, 0)
    assert rows(con, "SELECT channel FROM raw.orders ORDER BY _line") == [
        ('=HYPERLINK("http://x.example","clic")',),
        ("+34 612 345 678",),
        ("-web",),
        ("@SUM(A1:A2)",),
    ]


def test_a_row_with_too_many_columns_is_quarantined_with_its_line(ingest):
    con, f = ingest("orders_too_many_columns.csv")
    assert counts(f) == ("loaded", 3, 2, 1)
    assert rejected(con) == [("orders_too_many_columns.csv", 3, "unreadable line: too many columns")]
    assert rows(con, "SELECT record FROM raw.rejected_rows") == [("00043,2026-11-02,10,50,A-2",)]


def test_line_numbers_count_physical_lines_after_a_multiline_quoted_value(ingest):
    con, f = ingest("orders_multiline.csv")
    assert counts(f) == ("loaded", 4, 2, 2)
    assert rows(con, "SELECT order_id, channel, _line FROM raw.orders ORDER BY _line") == [
        ("A-1", "web\nshop", 2),
        ("A-4", "web", 6),
    ]
    assert rejected(con) == [
        ("orders_multiline.csv", 4, "unreadable line: too many columns"),
        ("orders_multiline.csv", 5, "unparseable amount 'ten'"),
    ]


def test_a_repeated_order_id_in_one_file_keeps_the_last_and_quarantines_the_earlier(ingest):
    con, f = ingest("orders_duplicate_ids.csv")
    assert counts(f) == ("loaded", 3, 2, 1)
    assert rows(con, "SELECT order_id, amount, _line FROM raw.orders ORDER BY _line") == [
        ("A-2", Decimal("20.00"), 3),
        ("A-1", Decimal("11.00"), 4),
    ]
    assert rejected(con) == [
        ("orders_duplicate_ids.csv", 2, "duplicate order_id 'A-1' (a later row of this file replaces it)")
    ]


def test_a_parquet_export_is_loaded_with_ids_trimmed_and_blank_ids_quarantined(tmp_path):
    landing = tmp_path / "landing"
    landing.mkdir()
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    con.execute(f"""COPY (SELECT * FROM (VALUES
                       ('00042', DATE '2026-11-02', CAST(12.5 AS DECIMAL(18,2)), 'P-1', 2.0),
                       (' 00043 ', DATE '2026-11-03', CAST(-3 AS DECIMAL(18,2)), 'P-2', NULL),
                       ('', DATE '2026-11-04', CAST(1 AS DECIMAL(18,2)), 'P-3', 1.0),
                       ('00044', DATE '2026-12-01', CAST(1 AS DECIMAL(18,2)), 'P-4', 1.0))
                       AS t("Customer ID", order_date, amount, order_id, quantity))
                    TO '{landing / "ORDERS-extra.parquet"}' (FORMAT parquet)""")
    [f] = ingest_source(con, landing, SOURCES["orders"], max_date=MAX_DATE).files
    assert counts(f) == ("loaded", 4, 2, 2)
    assert f.format == "parquet"
    assert rows(
        con, "SELECT customer_id, order_date, amount, order_id, quantity, _line FROM raw.orders ORDER BY _line"
    ) == [
        ("00042", date(2026, 11, 2), Decimal("12.50"), "P-1", 2.0, 1),
        ("00043", date(2026, 11, 3), Decimal("-3.00"), "P-2", None, 2),
    ]
    assert rejected(con) == [
        ("ORDERS-extra.parquet", 3, "missing customer_id"),
        ("ORDERS-extra.parquet", 4, "order_date 2026-12-01 is in the future (after 2026-11-24)"),
    ]


def test_the_generated_corpus_files_still_hold_their_awkward_bytes():
    assert b"Jos\xe9 N\xfa\xf1ez" in (CORPUS / "customers_latin1.csv").read_bytes()
    assert (CORPUS / "customers_utf8_bom.csv").read_bytes().startswith(b"\xef\xbb\xbfcustomer_id")
    assert b";\x80 12,50;" in (CORPUS / "orders_excel_es.csv").read_bytes()
    assert b"we\x00b" in (CORPUS / "orders_nul.csv").read_bytes()
