"""Exports as they come: Spanish and English column names, cartera.yml, ambiguous headers. Each test writes a
real export into a landing folder and ingests it into a real DuckDB file."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dagster_project.lib.ingest.landing import landing_files
from dagster_project.lib.ingest.mapping import MappingError, load_mapping
from dagster_project.lib.ingest.sources import SOURCES
from dagster_project.lib.ingest.synonyms import SYNONYMS, header_key
from tests.conftest import write
from tests.ingesting import ingest


def orders(con):
    return con.execute(
        "SELECT customer_id, order_date, amount, order_id, channel, quantity FROM raw.orders ORDER BY _file, _line"
    ).fetchall()


# --- names ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "names",
    [
        ["Nº pedido", "N.º de pedido", "Número pedido", "No. pedido", "num_pedido", "NÚM PEDIDO"],
        ["Código cliente", "Cód. cliente", "codigo_cliente", "CODIGO DE CLIENTE"],
        ["customer_id", "Customer ID", "CUSTOMER-ID", " customer id "],
        ["Fecha pedido", "Fecha de pedido", "fecha_pedido", "FECHA DEL PEDIDO"],
    ],
)
def test_names_match_whatever_their_case_accents_punctuation_and_abbreviation(names):
    assert len({header_key(n) for n in names}) == 1, {n: header_key(n) for n in names}


def test_every_column_of_every_source_has_synonyms_and_no_synonym_names_two_columns():
    for name, source in SOURCES.items():
        synonyms = SYNONYMS[name]
        assert set(synonyms) == {c.name for c in source.columns}, name
        seen: dict[str, str] = {header_key(n): c.name for c in source.columns for n in (c.name, c.file_header)}
        for col, words in synonyms.items():
            for w in words:
                key = header_key(w)
                assert seen.setdefault(key, col) == col, f"{name}: {w!r} names {seen[key]} and {col}"


# --- Spanish and English exports ----------------------------------------------------------------------------


def test_a_spanish_crm_export_loads_as_orders(con, landing):
    # The export of issue 14, as a Spanish spreadsheet saves it: ';', decimal comma, day-first dates, cp1252.
    write(
        landing / "orders_crm.csv",
        "Cliente;Fecha;Importe;Nº pedido;Canal\r\n"
        "00042;14/03/2026;1.234,56;P-1;tienda\r\n"
        "C7;15/03/2026;12,50;P-2;web\r\n"
        "C8;31/02/2026;5,00;P-3;web\r\n",
        encoding="cp1252",
    )
    files = ingest(con, landing)
    f = files["orders_crm.csv"]
    assert (f.status, f.rows_read, f.rows_loaded, f.rows_rejected) == ("loaded", 3, 2, 1)
    assert orders(con) == [
        ("00042", date(2026, 3, 14), Decimal("1234.56"), "P-1", "tienda", None),
        ("C7", date(2026, 3, 15), Decimal("12.50"), "P-2", "web", None),
    ]
    assert con.execute("SELECT line, reason FROM raw.rejected_rows").fetchall() == [
        (4, "unparseable order_date '31/02/2026'")
    ]


def test_an_english_export_with_its_own_names_loads_and_unknown_columns_are_listed_as_ignored(con, landing):
    write(
        landing / "orders.csv",
        "Order Number,Customer Code,Invoice Date,Net Amount,Sales Channel,Qty,Notes\n"
        "A-1,C1,2026-05-01,10.5,web,2,first order\n",
    )
    f = ingest(con, landing)["orders.csv"]
    assert orders(con) == [("C1", date(2026, 5, 1), Decimal("10.50"), "A-1", "web", 2.0)]
    assert f.ignored_columns == ["notes"]


def test_the_cartera_name_wins_over_a_synonym_in_the_same_export(con, landing):
    # 'Cliente' is often the customer's name next to the code: customer_id is the column named so.
    write(landing / "orders.csv", "customer_id,Cliente,order_date,amount\nC1,Bar Pepe,2026-05-01,10\n")
    f = ingest(con, landing)["orders.csv"]
    assert orders(con)[0][0] == "C1"
    assert f.ignored_columns == ["cliente"]


def test_two_columns_that_could_both_be_customer_id_are_refused_naming_both(con, landing):
    write(landing / "orders.csv", "Cliente;Código cliente;Fecha;Importe\nBar Pepe;C1;01/05/2026;10\n")
    f = ingest(con, landing)["orders.csv"]
    assert f.status == "refused"
    assert f.reason.startswith("orders.csv: columns 'Cliente' and 'Código cliente' could both be customer_id")
    assert "cartera.yml" in f.reason
    assert (f.rows_read, f.rows_rejected) == (1, 1)
    assert con.execute("SELECT count(*) FROM raw.orders").fetchone()[0] == 0


# --- cartera.yml -------------------------------------------------------------------------------------------


def test_cartera_yml_names_columns_files_date_order_and_decimal_mark(con, landing):
    write(
        landing / "cartera.yml",
        """
orders:
  files: ["Ventas*.csv"]
  date_order: mdy
  decimal: ","
  columns:
    Código cliente: customer_id   # the code, not the name in 'Cliente'
    Cliente: ignore
    F. factura: order_date
""",
    )
    write(
        landing / "Ventas noviembre.csv",
        "Cliente,Código cliente,F. factura,Importe\n"
        '"Bar Pepe",C1,03/14/2026,"12,5"\n'
        '"Bar Pepe",C1,2026-03-15,"1.000"\n'
        '"Bar Pepe",C1,02/30/2026,"3"\n',
    )
    write(landing / "orders.csv", "customer_id,order_date,amount\nC2,2026-05-01,7\n")  # named after the source
    assert [p.name for p in landing_files(landing, SOURCES["orders"])] == ["Ventas noviembre.csv", "orders.csv"]
    files = ingest(con, landing)
    assert (files["Ventas noviembre.csv"].rows_loaded, files["Ventas noviembre.csv"].rows_rejected) == (2, 1)
    assert [r[:3] for r in orders(con)] == [
        ("C1", date(2026, 3, 14), Decimal("12.50")),  # month first; decimal comma from cartera.yml
        ("C1", date(2026, 3, 15), Decimal("1000.00")),  # ISO is ISO in any order; '1.000' is a thousand
        ("C2", date(2026, 5, 1), Decimal("7.00")),
    ]
    # February has no 30th: the reason shows the value as written
    assert con.execute("SELECT line, reason FROM raw.rejected_rows").fetchall() == [
        (4, "unparseable order_date '02/30/2026'")
    ]


@pytest.mark.parametrize(
    "text, message",
    [
        ("orders: [\n", "cartera.yml: not valid YAML at line 2"),
        ("pedidos:\n  columns: {Cliente: customer_id}\n", "cartera.yml: 'pedidos' is not a Cartera source"),
        ("orders:\n  colums: {Cliente: customer_id}\n", "cartera.yml: orders.colums: unknown key"),
        ("orders:\n  columns: {Cliente: cliente_id}\n", "cartera.yml: orders.columns.Cliente: 'cliente_id' is not"),
        ("orders:\n  decimal: ';'\n", "cartera.yml: orders.decimal: must be '.' or ','"),
        ("orders:\n  date_order: dd/mm\n", "cartera.yml: orders.date_order: must be one of dmy, mdy, ymd"),
        ("orders:\n  files: data/*.csv\n", "cartera.yml: orders.files: must be a list of file-name patterns"),
        ("- orders\n", "cartera.yml: must be a mapping of source names"),
    ],
)
def test_a_bad_cartera_yml_is_a_one_line_error_naming_the_file_and_the_key(con, landing, text, message):
    write(landing / "cartera.yml", text)
    write(landing / "orders.csv", "customer_id,order_date,amount\nC2,2026-05-01,7\n")
    with pytest.raises(MappingError) as e:
        ingest(con, landing)
    assert str(e.value).startswith(message), str(e.value)
    assert "\n" not in str(e.value)
    assert con.execute("SELECT count(*) FROM raw.orders").fetchone()[0] == 0  # nothing loaded


def test_a_file_claimed_by_two_sources_patterns_is_an_error(landing):
    write(landing / "cartera.yml", "orders: {files: ['export*']}\ncustomers: {files: ['export*.csv']}\n")
    write(landing / "export.csv", "a,b\n")
    with pytest.raises(MappingError, match="'export.csv' matches the files patterns of orders and customers"):
        landing_files(landing, SOURCES["orders"])


def test_cartera_yml_is_read_again_when_it_changes(landing):
    write(landing / "cartera.yml", "orders: {decimal: ','}\n")
    assert load_mapping(landing).source("orders").decimal == ","
    write(landing / "cartera.yml", "orders: {decimal: '.', sheet: Pedidos}\n")
    assert load_mapping(landing).source("orders").decimal == "."


def test_cartera_yml_may_give_several_names_for_one_column_but_one_file_may_not_use_two(con, landing):
    # Two systems export orders: one says 'Importe', the other 'Total IVA'. A file with both is ambiguous.
    write(landing / "cartera.yml", "orders:\n  columns: {Importe: amount, Total IVA: amount, Cod: customer_id}\n")
    write(landing / "orders_a.csv", "Cod;Fecha;Importe\nC1;01/05/2026;10\n")
    write(landing / "orders_b.csv", "Cod;Fecha;Total IVA\nC2;01/05/2026;12,1\n")
    write(landing / "orders_c.csv", "Cod;Fecha;Importe;Total IVA\nC3;01/05/2026;10;12,1\n")
    files = ingest(con, landing)
    assert [r[:3] for r in orders(con)] == [
        ("C1", date(2026, 5, 1), Decimal("10.00")),
        ("C2", date(2026, 5, 1), Decimal("12.10")),
    ]
    assert files["orders_c.csv"].reason.startswith(
        "orders_c.csv: columns 'Importe' and 'Total IVA' could both be amount"
    )
