"""The hand-made portfolio of portfolio.py exported the way a Spanish business exports it, through the real
pipeline (Dagster in process, dbt, DuckDB, GX) once: a CRM's Spanish-headed CSV, an ERP's .xlsx with typed
cells, a customers workbook whose data is on a named sheet, Spanish prospect headers, and a cartera.yml that
claims the files. The marts must be the ones worked out by hand in portfolio.py, whatever the export looked like.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
import xlsxwriter

from tests.conftest import run_cartera, write

CARTERA_YML = """\
orders:
  files: ["Ventas *.csv", "Pedidos ERP*.xlsx"]
customers:
  files: [Clientes.xlsx]
  sheet: Fichas
"""

# orders.csv of portfolio.py, as a Spanish CRM writes it (';', decimal comma, cp1252, CRLF, Spanish names)
VENTAS = (
    "Nº pedido;Cliente;Fecha;Importe;Observaciones\r\n"
    "A1;C001;2026-05-01;50,00;\r\n"
    "A2;C001;30/06/2026;100;llamar antes\r\n"
    "A3;C002;2026-04-02;200;\r\n"
    "A4;C003;2026-03-31;300;\r\n"
    "A5;00042;2026-02-10;10;\r\n"
    "A6;00042;2026-06-01;10;\r\n"
    "A7;00042;15/06/2026;10;\r\n"
    "A8;C005;2026-06-01;abc;\r\n"
    "A9;;2026-06-01;12;\r\n"
)

CUSTOMERS = [
    ("C001", "José Núñez Peña", "jose@example.es", datetime(2026, 1, 10), "web", "hostelería", "Andalucía"),
    ("C002", "Lucía Ávila", "lucia@example.es", datetime(2026, 1, 11), "referral", "retail", "Madrid"),
    ("C003", "Ana Gómez", "ana@example.es", datetime(2026, 1, 12), "web", "retail", "Madrid"),
    ("C004", "Luis Peña", "luis@example.es", datetime(2026, 1, 13), "sales_rep", "salud", "Galicia"),
    (42, "Íñigo Ortiz", "inigo@example.es", datetime(2026, 1, 14), "web", "industria", "País Vasco"),
    ("C009", "Marta Ruiz", "marta@example.es", datetime(2026, 5, 14), "trade_fair", "retail", "Madrid"),
]


def write_mapped_portfolio(landing):
    write(landing / "cartera.yml", CARTERA_YML)
    write(landing / "Ventas 2026.csv", VENTAS, encoding="cp1252")
    # orders_2026-06-latin1.csv of portfolio.py: C004's order, from the ERP, typed cells, a title row above
    wb = xlsxwriter.Workbook(str(landing / "Pedidos ERP junio.xlsx"))
    ws = wb.add_worksheet("Pedidos")
    ws.write(0, 0, "Pedidos de junio")
    ws.write_row(2, 0, ["Nº pedido", "Código cliente", "Fecha pedido", "Base imponible"])
    ws.write_row(3, 0, ["B1", "C004"])
    ws.write_datetime(3, 2, datetime(2026, 4, 1), wb.add_format({"num_format": "dd/mm/yyyy"}))
    ws.write_number(3, 3, 40, wb.add_format({"num_format": "#,##0.00 €"}))
    wb.close()
    wb = xlsxwriter.Workbook(str(landing / "Clientes.xlsx"))
    wb.add_worksheet("Resumen").write(0, 0, "6 clientes")
    ws = wb.add_worksheet("Fichas")
    ws.write_row(0, 0, ["Código cliente", "Nombre", "Correo", "Fecha alta", "Canal captación", "Segmento"])
    ws.write(0, 6, "Provincia")
    day, code = wb.add_format({"num_format": "dd/mm/yyyy"}), wb.add_format({"num_format": "00000"})
    for r, (cid, name, email, since, channel, segment, region) in enumerate(CUSTOMERS, start=1):
        ws.write_number(r, 0, cid, code) if isinstance(cid, int) else ws.write_string(r, 0, cid)
        ws.write_row(r, 1, [name, email])
        ws.write_datetime(r, 3, since, day)
        ws.write_row(r, 4, [channel, segment, region])
    wb.close()
    write(
        landing / "prospects.csv",
        "Código;Nombre;Interés;Capacidad económica\nP1;Pedro Sanz;sí;alta\nP2;Eva Mora;sí;baja\n",
    )
    return landing


@pytest.fixture(scope="module")
def mapped_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("mapped")
    run = run_cartera(write_mapped_portfolio(root / "landing"), root)
    assert run.success, "the pipeline failed on the mapped exports"
    return run


def test_statuses_are_those_of_the_hand_made_portfolio(mapped_run):
    rows = dict(mapped_run.query("SELECT customer_id, status FROM marts.customer_status"))
    assert rows == {
        "C001": "current",
        "00042": "current",  # an Excel number 42 under format 00000, joined to the CSV's '00042'
        "C002": "active",
        "C003": "inactive",
        "C004": "inactive",  # its only order came from the .xlsx
        "C009": "probable",
        "P1": "potential",  # 'sí' / 'alta'
        "P2": "probable",  # 'sí' / 'baja'
    }


def test_volume_tiers_and_pareto_against_the_mean_of_144(mapped_run):
    tiers = dict(mapped_run.query("SELECT customer_id, tier FROM marts.customer_volume WHERE tier IS NOT NULL"))
    assert tiers == {"C003": "very_high", "C002": "high", "C001": "medium", "C004": "low", "00042": "low"}
    summary = mapped_run.query(
        "SELECT customers, top_80_customers, top_80_share_of_customers, net_revenue FROM marts.pareto_summary"
    )
    assert summary == [(5, 3, pytest.approx(0.6), Decimal("720.00"))]


def test_customer_attributes_come_from_the_named_sheet(mapped_run):
    rows = mapped_run.query(
        "SELECT customer_id, customer_name, segment, region FROM marts.customer_profile "
        "WHERE customer_id IN ('00042', 'C001') ORDER BY customer_id"
    )
    assert rows == [
        ("00042", "Íñigo Ortiz", "industria", "País Vasco"),
        ("C001", "José Núñez Peña", "hostelería", "Andalucía"),
    ]


def test_rejected_rows_and_files_are_accounted_with_their_own_names_and_rows(mapped_run):
    assert mapped_run.query("SELECT file, line, reason FROM audit.rejected_rows ORDER BY line") == [
        ("Ventas 2026.csv", 9, "unparseable amount 'abc'"),
        ("Ventas 2026.csv", 10, "missing customer_id"),
    ]
    files = mapped_run.query(
        "SELECT source, file, rows_read, rows_loaded, rows_rejected FROM audit.ingested_files ORDER BY source, file"
    )
    assert files == [
        ("customers", "Clientes.xlsx", 6, 6, 0),
        ("orders", "Pedidos ERP junio.xlsx", 1, 1, 0),
        ("orders", "Ventas 2026.csv", 9, 7, 2),
        ("prospects", "prospects.csv", 2, 2, 0),
    ]
