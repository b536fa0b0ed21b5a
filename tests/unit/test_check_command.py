"""`cartera check [DIR]`: what a run would make of a landing folder, printed, with nothing loaded anywhere.
Real files in a real folder, the real command (cli.main), its output and exit code."""

from __future__ import annotations

import pytest
import xlsxwriter

from dagster_project.cli import main
from tests.conftest import write

SPANISH_ORDERS = (
    "Cliente;Fecha;Importe;Nº pedido;Canal\r\n"
    "00042;14/03/2026;1.234,56;P-1;tienda\r\n"
    "C7;15/03/2026;12,50;P-2;web\r\n"
    "C8;31/02/2026;5,00;P-3;web\r\n"
)


@pytest.fixture
def landing(tmp_path, monkeypatch):
    folder = tmp_path / "landing"
    folder.mkdir()
    monkeypatch.chdir(tmp_path)
    for var in ("CARTERA_LANDING", "CARTERA_WAREHOUSE", "CARTERA_MAX_DATE"):
        monkeypatch.delenv(var, raising=False)
    return folder


def check(capsys, *args):
    code = main(["check", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_usable_folder_shows_each_file_its_format_dates_mapping_and_rejected_rows(landing, capsys, tmp_path):
    write(landing / "orders_crm.csv", SPANISH_ORDERS, encoding="cp1252")
    wb = xlsxwriter.Workbook(str(landing / "customers.xlsx"))
    ws = wb.add_worksheet("Clientes")
    ws.write_row(0, 0, ["Código cliente", "Nombre", "Fecha alta"])
    ws.write_row(1, 0, ["00042", "José Núñez"])
    ws.write_datetime(1, 2, __import__("datetime").datetime(2024, 1, 9), wb.add_format({"num_format": "dd/mm/yy"}))
    wb.close()
    before = sorted(p.name for p in landing.iterdir())

    code, out, err = check(capsys, landing, "--warehouse", tmp_path / "wh" / "cartera.duckdb")

    assert (code, err) == (0, "")
    assert "orders (required): 1 file(s), 2 rows would load" in out
    assert "    format:   csv, encoding cp1252, separator ';', decimal ','" in out
    assert "    dates:    day first (dd/mm/yyyy)" in out
    assert "    rows:     3 read = 2 loadable + 1 rejected" in out
    assert "      customer_id ← 'Cliente' (synonym)" in out
    assert "      order_id    ← 'Nº pedido' (synonym)" in out
    assert "      quantity    — not in the export" in out
    assert "      line 4: unparseable order_date '31/02/2026'  [C8|31/02/2026|5,00|P-3|web|]" in out
    assert "    format:   xlsx, sheet Clientes, header row 1, decimal ." in out
    assert "    dates:    Excel date cells" in out
    assert "      first_contact_date  ← 'Fecha alta' (synonym)" in out
    assert "prospects (optional): no file" in out
    assert out.rstrip().endswith("OK: a run can load this (2 file(s), 0 refused, 1 row(s) rejected)")
    # nothing loaded, nothing written
    assert not (tmp_path / "wh").exists()
    assert sorted(p.name for p in landing.iterdir()) == before


def test_an_unusable_folder_exits_1_with_a_ready_to_edit_cartera_yml_that_fixes_it(landing, capsys, tmp_path):
    write(landing / "Ventas nov.csv", "Código cliente;F. factura;Total IVA;Observaciones\nC1;01/05/2026;12,10;\n")
    write(landing / "orders.csv", "Cliente;Código cliente;Fecha;Importe\nBar Pepe;C1;01/05/2026;10\n")

    code, out, err = check(capsys, landing, "--write-mapping", tmp_path / "suggested.yml")

    assert code == 1
    assert "REFUSED:  orders.csv: columns 'Cliente' and 'Código cliente' could both be customer_id" in out
    assert "  Ventas nov.csv: its columns look like orders: add `files: [Ventas nov.csv]` under orders" in out
    assert "NOT USABLE: required source(s) orders would load no rows (1 file(s), 1 refused" in out
    assert (tmp_path / "suggested.yml").read_text() == (
        "orders:\n"
        "  columns:\n"
        "    # to say: customer_id. Write each against the export column that holds it,\n"
        "    # in place of `ignore`; columns already matched are listed as they are.\n"
        "    Cliente: ignore   # customer_id? (one of 2)\n"
        "    Código cliente: ignore   # customer_id? (one of 2)\n"
        "    Fecha: order_date\n"
        "    Importe: amount\n"
    )
    # the user edits the suggestion (one word) and claims the other export: now it loads, exit 0
    edited = (tmp_path / "suggested.yml").read_text().replace("Código cliente: ignore", "Código cliente: customer_id")
    edited = edited.replace("orders:\n", "orders:\n  files: ['orders*', 'ventas*']\n")
    edited += "    Total IVA: amount\n"  # 'F. factura' is found by itself: F. is fecha
    write(landing / "cartera.yml", edited)
    code, out, _ = check(capsys, landing)
    assert code == 0, out
    assert "orders (required): 2 file(s), 2 rows would load" in out
    assert "      customer_id ← 'Código cliente' (cartera.yml)" in out
    assert "      amount      ← 'Total IVA' (cartera.yml)" in out
    assert "      order_date  ← 'F. factura' (synonym)" in out


def test_a_folder_without_orders_is_unusable(landing, capsys):
    write(landing / "customers.csv", "customer_id\nC1\n")
    code, out, _ = check(capsys, landing)
    assert code == 1
    assert "orders (required): no file" in out


def test_a_bad_cartera_yml_or_a_missing_folder_exit_2_with_one_line(landing, capsys, tmp_path):
    write(landing / "cartera.yml", "orders:\n  decimal: ';'\n")
    code, out, err = check(capsys, landing)
    assert (code, out) == (2, "")
    assert err == "cartera check: cartera.yml: orders.decimal: must be '.' or ',', not ';'\n"
    code, _, err = check(capsys, tmp_path / "nope")
    assert (code, err) == (2, f"cartera check: no landing folder at {tmp_path / 'nope'}\n")


def test_month_first_dates_are_pointed_out(landing, capsys):
    write(landing / "orders.csv", "customer_id,order_date,amount\nC1,03/14/2026,1\nC2,03/02/2026,1\n")
    code, out, _ = check(capsys, landing)
    assert "    dates:    month first (mm/dd/yyyy) — set date_order: mdy in cartera.yml" in out
    assert "unparseable order_date '03/14/2026'" in out


def test_cartera_run_refuses_a_bad_cartera_yml_in_one_line_before_anything_runs(landing, capsys, tmp_path):
    write(landing / "cartera.yml", "orders:\n  columns: {Importe: importe}\n")
    code = main(["run", "--landing", str(landing), "--warehouse", str(tmp_path / "wh" / "cartera.duckdb")])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err == (
        "cartera run: cartera.yml: orders.columns.Importe: 'importe' is not a column of orders (columns: "
        "customer_id, order_date, amount, order_id, channel, quantity, or ignore)\n"
    )
    assert not (tmp_path / "wh").exists()
