"""Row by row, never file by file: exports as CRMs, ERPs and spreadsheets really write them, each file's exact
outcome once ingested into a real DuckDB file. Rows read = loaded + rejected for every file."""

from __future__ import annotations

import codecs
from datetime import date, datetime
from decimal import Decimal

import duckdb
import pytest

from dagster_project.lib.ingest.loader import ingest_source
from dagster_project.lib.ingest.sources import SOURCES
from dagster_project.lib.ingest.text import MAX_LINE_BYTES

MAX_DATE = date(2026, 11, 24)
HEADER = "customer_id,order_date,amount,order_id\n"


@pytest.fixture
def load(tmp_path):
    """load(name, bytes_or_text, source=...) -> (connection, FileResult)."""
    landing = tmp_path / "landing"
    landing.mkdir()
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))

    def run(name: str, content, source: str = "orders"):
        data = content.encode() if isinstance(content, str) else content
        (landing / name).write_bytes(data)
        [f] = [f for f in ingest_source(con, landing, SOURCES[source], max_date=MAX_DATE).files if f.file == name]
        assert f.rows_read == f.rows_loaded + f.rows_rejected, f
        return con, f

    yield run
    con.close()


def rows(con, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def rejected(con) -> list[tuple]:
    return rows(con, "SELECT line, reason FROM raw.rejected_rows ORDER BY line")


def test_an_over_long_line_is_quarantined_with_its_line_number_and_the_rest_loads(load):
    long_line = "00043,2026-11-02,10.00,A-2," + "x" * MAX_LINE_BYTES + "\n"
    con, f = load(
        "orders.csv",
        "customer_id,order_date,amount,order_id,channel\n"
        "00042,2026-11-02,10.00,A-1,web\n" + long_line + "00044,2026-11-02,10.00,A-3,web\n",
    )
    assert (f.status, f.rows_read, f.rows_loaded, f.rows_rejected) == ("loaded", 3, 2, 1)
    assert rejected(con) == [(3, f"line longer than {MAX_LINE_BYTES:,} bytes")]
    assert rows(con, "SELECT order_id, _line FROM raw.orders ORDER BY _line") == [("A-1", 2), ("A-3", 4)]
    assert rows(con, "SELECT length(record) FROM raw.rejected_rows") == [(500,)]


def test_a_file_mixing_crlf_and_lf_line_endings_loads_every_row(load):
    con, f = load(
        "orders.csv",
        b"customer_id,order_date,amount,order_id\r\n00042,2026-11-02,10.00,A-1\n"
        b"00043,2026-11-03,11.00,A-2\r\n00044,2026-11-04,12.00,A-3\n",
    )
    assert (f.status, f.rows_read, f.rows_loaded) == ("loaded", 3, 3)
    assert rows(con, "SELECT order_id, amount, _line FROM raw.orders ORDER BY _line") == [
        ("A-1", Decimal("10.00"), 2),
        ("A-2", Decimal("11.00"), 3),
        ("A-3", Decimal("12.00"), 4),
    ]


def test_encoding_is_judged_on_the_whole_file_a_latin1_name_after_4_mib_is_read(load):
    filler = "".join(f"{i:05d},Cliente {i}\n" for i in range(300_000))  # ~5.4 MB of plain ASCII
    assert len(filler) > 4 << 20
    con, f = load(
        "customers.csv",
        ("customer_id,name\n" + filler).encode() + "X-1,José Núñez\n".encode("latin-1"),
        source="customers",
    )
    assert (f.rows_read, f.rows_loaded, f.rows_rejected) == (300_001, 300_001, 0)
    assert f.format.startswith("csv, cp1252")
    assert rows(con, "SELECT name, _line FROM raw.customers WHERE customer_id = 'X-1'") == [("José Núñez", 300_002)]


def test_utf16_with_a_bom_tab_separated_is_read_as_excel_unicode_text(load):
    text = "customer_id\torder_date\tamount\torder_id\r\n00042\t02/11/2026\t12,50\tA-1\r\n00043\t03/11/2026\t7\tA-2\r\n"
    con, f = load("orders.txt", codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert (f.status, f.rows_read, f.rows_loaded) == ("loaded", 2, 2)
    assert f.format == "csv, utf-16, separator '\\t', decimal '.'"
    assert rows(con, "SELECT customer_id, order_date, amount FROM raw.orders ORDER BY _line") == [
        ("00042", date(2026, 11, 2), Decimal("12.50")),
        ("00043", date(2026, 11, 3), Decimal("7.00")),
    ]


@pytest.mark.parametrize(
    "content, what",
    [
        (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 200, "is an Excel workbook (.xlsx) or another zip archive"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200, "is an old Excel workbook (.xls)"),
        (bytes(range(256)) * 4, "is binary data"),
    ],
)
def test_a_binary_or_a_workbook_named_csv_is_refused_saying_what_it_is(load, content, what):
    con, f = load("orders.csv", content)
    assert f.status == "refused"
    assert f.reason.startswith(f"orders.csv: {what}")


def test_rows_missing_trailing_empty_fields_load_with_those_fields_empty(load):
    con, f = load(
        "orders.csv", "customer_id;order_date;amount;order_id;channel\n00042;02/11/2026;10\n00043;03/11/2026;11;A-2\n"
    )
    assert (f.rows_read, f.rows_loaded, f.rows_rejected) == (2, 2, 0)
    assert rows(con, "SELECT customer_id, order_id, channel FROM raw.orders ORDER BY _line") == [
        ("00042", None, None),
        ("00043", "A-2", None),
    ]


def test_blank_and_whitespace_only_lines_are_neither_read_nor_rejected_but_counted(load):
    con, f = load(
        "orders.csv", "\n" + HEADER + "00042,2026-11-02,10.00,A-1\n\n   \n,,,\n\t\n00043,2026-11-02,10.00,A-2\n\n"
    )
    assert (f.rows_read, f.rows_loaded, f.rows_rejected, f.blank_lines) == (2, 2, 0, 6)
    assert rows(con, "SELECT order_id, _line FROM raw.orders ORDER BY _line") == [("A-1", 3), ("A-2", 8)]


def test_a_repeated_header_is_recognised_also_after_a_second_bom(load):
    bom = "\ufeff"
    con, f = load(
        "orders.csv",
        (
            bom
            + HEADER
            + "00042,2026-11-02,10.00,A-1\n"
            + bom
            + HEADER
            + "00043,2026-11-02,10.00,A-2\nCustomer ID,Order Date,Amount,Order ID\n"
        ).encode(),
    )
    assert (f.rows_read, f.rows_loaded, f.rows_rejected) == (4, 2, 2)
    assert rejected(con) == [(3, "repeated header line"), (5, "repeated header line")]


def test_a_quoted_value_holding_the_separator_and_doubled_quotes_is_one_field(load):
    con, f = load(
        "orders.csv",
        "customer_id,order_date,amount,order_id,channel\n"
        '"00042","2026-11-02","1,234.50","A-1","web, ""shop"""\n00043,2026-11-02,3,A-2,"x\n',
    )
    assert (f.rows_read, f.rows_loaded, f.rows_rejected) == (2, 1, 1)
    assert rows(con, "SELECT customer_id, amount, channel FROM raw.orders") == [
        ("00042", Decimal("1234.50"), 'web, "shop"')
    ]
    assert rejected(con) == [(3, "unreadable line: unbalanced quotes")]


@pytest.mark.parametrize(
    "written, expected",
    [
        ("4/3/25", date(2025, 3, 4)),  # two-digit year, day first
        ("14/03/26", date(2026, 3, 14)),
        ("31-12-99", None),  # 1999: before 1990? no: a valid date, but 99 -> 1999 is kept
        ("45231", date(2023, 11, 1)),  # Excel serial date
        ("14/03/2026", date(2026, 3, 14)),  # four digits are never cut to two
    ],
)
def test_two_digit_years_and_excel_serial_dates(load, written, expected):
    con, f = load("orders.csv", HEADER + f"00042,{written},10.00,A-1\n")
    if expected is None:
        assert rows(con, "SELECT order_date FROM raw.orders") == [(date(1999, 12, 31),)]
    else:
        assert rows(con, "SELECT order_date FROM raw.orders") == [(expected,)]


def test_an_excel_serial_with_a_fraction_is_a_time_of_day(load):
    con, f = load("interactions.csv", "customer_id,occurred_at\n00042,45231.5\n", source="interactions")
    assert rows(con, "SELECT occurred_at FROM raw.interactions") == [(datetime(2023, 11, 1, 12, 0),)]


@pytest.mark.parametrize(
    "sep, written, expected",
    [
        (";", "12,50-", Decimal("-12.50")),  # trailing minus
        (";", "\u221212,50", Decimal("-12.50")),  # Unicode minus sign
        (",", '"\u22123.5"', Decimal("-3.50")),
        (";", "1 234,56", Decimal("1234.56")),  # space as thousands separator
        (";", "1\u00a0234\u00a0567,5", Decimal("1234567.50")),  # no-break spaces
        (",", '"1 234.56"', Decimal("1234.56")),
    ],
)
def test_negative_and_spaced_amounts(load, sep, written, expected):
    con, f = load("orders.csv", f"customer_id{sep}order_date{sep}amount\n00042{sep}2026-11-02{sep}{written}\n")
    assert (f.rows_loaded, f.rows_rejected) == (1, 0), rejected(con)
    assert rows(con, "SELECT amount FROM raw.orders") == [(expected,)]


def test_customer_id_is_trimmed_of_tabs_and_no_break_spaces(load):
    con, f = load(
        "orders.csv", "customer_id;order_date;amount\n\t00042\u00a0;2026-11-02;1\n\u00a0 00043\t;2026-11-02;1\n"
    )
    assert rows(con, "SELECT customer_id FROM raw.orders ORDER BY _line") == [("00042",), ("00043",)]


def test_a_parquet_numeric_customer_id_is_its_integer_text(tmp_path):
    landing = tmp_path / "landing"
    landing.mkdir()
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute(f"""COPY (SELECT * FROM (VALUES (44.0, DATE '2026-11-02', 1.5), (45.5, DATE '2026-11-02', 2.0))
                    AS t(customer_id, order_date, amount)) TO '{landing / "orders.parquet"}' (FORMAT parquet)""")
    ingest_source(con, landing, SOURCES["orders"], max_date=MAX_DATE)
    assert rows(con, "SELECT customer_id FROM raw.orders ORDER BY _line") == [("44",), ("45.5",)]


# --- bad optional values don't stop the night -----------------------------------------------------------


def test_an_unusable_email_becomes_null_and_is_counted(load):
    con, f = load(
        "customers.csv",
        "customer_id,name,email\n1,Ana,ana@example.es\n2,Luis,n/a\n3,Eva,sin email\n4,Raúl,\n",
        source="customers",
    )
    assert (f.rows_loaded, f.rows_rejected) == (4, 0)
    assert rows(con, "SELECT customer_id, email FROM raw.customers ORDER BY _line") == [
        ("1", "ana@example.es"),
        ("2", None),
        ("3", None),
        ("4", None),
    ]
    assert f.nulled_values == {"email": 2}  # 'n/a' and 'sin email'; an empty value is not counted


def test_action_groups_in_spanish_or_english_map_to_their_codes_and_others_become_null(load):
    con, f = load(
        "actions.csv",
        "customer_id,action_date,group\n1,2026-11-02,Tratamiento\n2,2026-11-02,CONTROL\n"
        "3,2026-11-02,grupo de control\n4,2026-11-02,treatment\n5,2026-11-02,maybe\n",
        source="actions",
    )
    assert (f.rows_loaded, f.rows_rejected) == (5, 0)
    assert rows(con, "SELECT action_group FROM raw.actions ORDER BY _line") == [
        ("treatment",),
        ("control",),
        ("control",),
        ("treatment",),
        (None,),
    ]
    assert f.nulled_values == {"action_group": 1}


def test_yes_and_no_in_spanish_are_booleans(load):
    con, f = load(
        "prospects.csv",
        "prospect_id,interest_shown,economic_capacity\nP1,Sí,no\nP2,NO,sí\nP3,quizá,\n",
        source="prospects",
    )
    assert rows(con, "SELECT interest_shown, economic_capacity FROM raw.prospects ORDER BY _line") == [
        (True, False),
        (False, True),
        (None, None),
    ]
    assert f.nulled_values == {"interest_shown": 1}


def test_a_repeated_header_of_an_export_with_spanish_column_names_is_recognised(load):
    header = "Cliente;Fecha;Importe\n"
    con, f = load("orders.csv", header + "00042;02/11/2026;10,00\n" + header + "00043;03/11/2026;5\n")
    assert (f.rows_read, f.rows_loaded, f.rows_rejected) == (3, 2, 1)
    assert rejected(con) == [(3, "repeated header line")]
