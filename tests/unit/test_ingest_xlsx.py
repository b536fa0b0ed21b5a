""".xlsx landing exports: real workbooks written here with xlsxwriter and openpyxl, ingested into a real
DuckDB file through the same parsing and quarantine rules as CSV, rejected rows named by their sheet row."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
import xlsxwriter

from dagster_project.lib.ingest.xlsx import cell_text
from tests.conftest import write
from tests.ingesting import ingest


def crm_workbook(path, decoy=False):
    """An ERP export: a title row, a blank row, the header on row 3, typed cells, a bad row, an empty row."""
    wb = xlsxwriter.Workbook(str(path))
    sheets = {"Notas": wb.add_worksheet("Notas"), "Pedidos": wb.add_worksheet("Pedidos")}
    if decoy:
        sheets["Notas"].write(0, 0, "customer_id")  # a decoy the mapping must not read
    ws = sheets["Pedidos"]
    day = wb.add_format({"num_format": "dd/mm/yyyy"})
    code = wb.add_format({"num_format": "00000"})
    euros = wb.add_format({"num_format": "#,##0.00 €"})
    ws.write(0, 0, "Informe de ventas")
    ws.write_row(2, 0, ["Código cliente", "Fecha pedido", "Base imponible", "Nº pedido", "Canal", "Uds"])
    ws.write_number(3, 0, 42, code)  # shows 00042
    ws.write_datetime(3, 1, datetime(2026, 3, 14), day)
    ws.write_number(3, 2, 129.9, euros)  # a double: must arrive as 129.90 exactly
    ws.write_row(3, 3, ["P-1", "tienda"])
    ws.write_number(3, 5, 3)
    ws.write_row(4, 0, ["C7", "15/03/2026", "1.234,56", "P-2", "web", "2"])  # text cells, Spanish style
    ws.write_row(6, 0, ["C8"])  # row 7: no date, no amount
    ws.write_datetime(6, 1, datetime(2026, 3, 16, 10, 30), day)
    ws.write_string(6, 2, "abc")
    ws.write_string(6, 3, "P-3")
    ws.write_number(7, 0, 9)
    ws.write_datetime(7, 1, datetime(2026, 4, 1), day)
    ws.write_number(7, 2, -0.1 - 0.2)  # a refund: -0.30000000000000004 in binary
    ws.write_string(7, 3, "P-4")
    wb.close()
    return path


def test_a_workbook_loads_with_typed_dates_exact_numbers_and_rejected_rows_named_by_sheet_row(con, landing):
    crm_workbook(landing / "orders_erp.xlsx")
    write(landing / "cartera.yml", "orders:\n  sheet: Pedidos\n")
    f = ingest(con, landing)["orders_erp.xlsx"]
    assert (f.status, f.rows_read, f.rows_loaded, f.rows_rejected) == ("loaded", 4, 3, 1)
    assert f.format == "xlsx, sheet 'Pedidos', header on row 3, decimal '.'"
    rows = con.execute(
        "SELECT customer_id, order_date, amount, order_id, channel, quantity, _line FROM raw.orders ORDER BY _line"
    ).fetchall()
    assert rows == [
        ("00042", date(2026, 3, 14), Decimal("129.90"), "P-1", "tienda", 3.0, 4),
        ("C7", date(2026, 3, 15), Decimal("1234.56"), "P-2", "web", 2.0, 5),
        ("9", date(2026, 4, 1), Decimal("-0.30"), "P-4", None, None, 8),
    ]
    assert con.execute("SELECT file, line, reason, record FROM raw.rejected_rows").fetchall() == [
        ("orders_erp.xlsx", 7, "unparseable amount 'abc'", "C8|2026-03-16 10:30:00|abc|P-3||")
    ]


def test_the_sheet_named_in_cartera_yml_is_read_not_the_first(con, landing):
    crm_workbook(landing / "orders.xlsx", decoy=True)
    write(landing / "cartera.yml", "orders:\n  sheet: Pedidos\n")
    f = ingest(con, landing)["orders.xlsx"]
    assert (f.status, f.rows_loaded, f.rows_rejected) == ("loaded", 3, 1)


def test_without_a_sheet_in_cartera_yml_the_first_sheet_is_read(con, landing):
    crm_workbook(landing / "orders.xlsx", decoy=True)  # 'Notas' holds only a header
    f = ingest(con, landing)["orders.xlsx"]
    assert f.status == "refused"
    assert f.reason.startswith("orders.xlsx: missing required column(s) order_date, amount")


def test_a_sheet_that_does_not_exist_is_refused_naming_the_sheets_there(con, landing):
    crm_workbook(landing / "orders.xlsx")
    write(landing / "cartera.yml", "orders: {sheet: Ventas}\n")
    f = ingest(con, landing)["orders.xlsx"]
    assert (f.status, f.reason) == ("refused", "orders.xlsx: has no sheet named 'Ventas' (sheets: Notas, Pedidos)")
    assert (f.rows_read, f.rows_rejected) == (0, 0)


def test_a_workbook_written_by_openpyxl_with_a_decimal_comma_mapping_and_a_pattern(con, landing):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Hoja1"
    ws.append(["Cliente", "Fecha", "Importe"])
    ws.append(["C1", date(2026, 5, 1), 10.25])  # typed: written with the file's decimal mark before parsing
    ws.append(["C2", "02/05/2026", "7,5"])  # text: read as the mapping says
    ws.append(["C3", "05/02/2026", 1234])
    ws.append(["C4", date(2026, 5, 3), 2.375])  # as '2.375' under a decimal comma it would be 2375
    wb.save(landing / "Export ventas 2026.xlsx")
    write(landing / "cartera.yml", "orders:\n  files: ['export ventas*.xlsx']\n  decimal: ','\n")
    f = ingest(con, landing)["Export ventas 2026.xlsx"]
    assert (f.rows_read, f.rows_loaded, f.rows_rejected) == (4, 4, 0)
    assert con.execute("SELECT customer_id, order_date, amount FROM raw.orders ORDER BY _line").fetchall() == [
        ("C1", date(2026, 5, 1), Decimal("10.25")),
        ("C2", date(2026, 5, 2), Decimal("7.50")),
        ("C3", date(2026, 2, 5), Decimal("1234.00")),
        ("C4", date(2026, 5, 3), Decimal("2.38")),
    ]


def test_an_old_xls_and_a_broken_xlsx_are_refused_with_what_they_are(con, landing):
    (landing / "orders_old.xls").write_bytes(b"\xd0\xcf\x11\xe0 old compound file")
    (landing / "orders_broken.xlsx").write_text("customer_id,order_date,amount\n")
    files = ingest(con, landing)
    assert files["orders_old.xls"].reason == (
        "orders_old.xls: the old Excel format (.xls) is not read; save it as .xlsx or CSV"
    )
    assert files["orders_broken.xlsx"].reason.startswith("orders_broken.xlsx: not a readable .xlsx workbook")


@pytest.mark.parametrize(
    "value, fmt, decimal, text",
    [
        (129.9, "General", ".", "129.9"),
        (0.1 + 0.2, "General", ",", "0,30000000000000004"),
        (1e-7, "General", ".", "0.0000001"),
        (3.0, "0.00", ".", "3"),
        (42, "00000", ".", "00042"),
        (datetime(2026, 3, 14), "dd/mm/yyyy", ".", "2026-03-14"),
        (datetime(2026, 3, 14, 9, 5, 7), "dd/mm/yyyy hh:mm", ".", "2026-03-14 09:05:07"),
        (True, "General", ".", "true"),
        ("  texto ", "@", ".", "  texto "),
        (None, "General", ".", None),
    ],
)
def test_typed_cells_become_the_text_a_csv_would_hold(value, fmt, decimal, text):
    assert cell_text(value, fmt, decimal) == text
