"""The xlsx writer, written and read back with openpyxl: header, filter, widths, types, formats, safety."""

from __future__ import annotations

from datetime import datetime

import openpyxl
import pandas as pd
import pytest

from dagster_project.lib.xlsx import MAX_ROWS, XlsxError, XlsxTable, currency_format, sheet_name, write_xlsx


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    frame = pd.DataFrame(
        {
            "customer_id": ["00042", "C2", "C3"],
            "note": ['=HYPERLINK("http://x","pulse")', "+34 600 000 001", "@SUM(A1)"],
            "comment": ["-bajo", "normal", "una línea bastante más larga que la cabecera"],
            "net_revenue": [1234.56, -3.0, 0.0],
            "share": [0.5, 0.25, None],
            "orders": pd.array([3, 1, None], dtype="Int64"),
            "last_order_date": pd.to_datetime(["2026-11-24", "2026-01-02", None]),
            "seen_at": [datetime(2026, 11, 24, 10, 30), datetime(2026, 1, 2, 8, 0), None],
            "is_top_80": [True, False, True],
        }
    )
    table = XlsxTable(
        "Clientes",
        frame,
        headers={"customer_id": "ID de cliente", "net_revenue": "Ingresos netos"},
        money={"net_revenue"},
        percent={"share"},
    )
    empty = XlsxTable("Vacía", frame.iloc[0:0])
    path = write_xlsx(tmp_path_factory.mktemp("xlsx") / "out.xlsx", [table, empty], lang="es", currency="€")
    return openpyxl.load_workbook(path)


def test_one_sheet_per_table_with_bold_frozen_filtered_header(workbook):
    assert workbook.sheetnames == ["Clientes", "Vacía"]
    ws = workbook["Clientes"]
    assert [c.value for c in ws[1]][:4] == ["ID de cliente", "note", "comment", "Ingresos netos"]
    assert all(c.font.b for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:I4"
    assert workbook["Vacía"].auto_filter.ref == "A1:I2"  # a filter on an empty table still shows the buttons


def test_text_that_looks_like_a_formula_is_neutralised(workbook):
    ws = workbook["Clientes"]
    assert ws["B2"].value == '\'=HYPERLINK("http://x","pulse")' and ws["B2"].data_type == "s"
    assert ws["B3"].value == "'+34 600 000 001"
    assert ws["B4"].value == "'@SUM(A1)"
    assert ws["C2"].value == "'-bajo"
    assert ws["D3"].value == -3.0  # a negative number is a number, untouched


def test_ids_stay_text_money_is_a_number_with_a_currency_format(workbook):
    ws = workbook["Clientes"]
    assert ws["A2"].value == "00042"
    assert ws["D2"].value == 1234.56 and ws["D2"].number_format == '#,##0.00 "€"'
    assert ws["E2"].value == 0.5 and ws["E2"].number_format == "0.0%"
    assert ws["F2"].value == 3 and ws["F2"].number_format == "#,##0"
    assert ws["F4"].value is None and ws["E4"].value is None  # missing values are empty cells
    assert ws["I2"].value is True and ws["I3"].value is False


def test_dates_are_dates_in_the_languages_format(workbook):
    ws = workbook["Clientes"]
    assert ws["G2"].value == datetime(2026, 11, 24) and ws["G2"].is_date
    assert ws["G2"].number_format == "dd/mm/yyyy"
    assert ws["H2"].value == datetime(2026, 11, 24, 10, 30) and ws["H2"].number_format == "dd/mm/yyyy hh:mm"
    assert ws["G4"].value is None


def test_column_widths_fit_header_and_values(workbook):
    ws = workbook["Clientes"]
    widths = {col: ws.column_dimensions[col].width for col in "ABCDG"}
    assert widths["C"] == pytest.approx(len("una línea bastante más larga que la cabecera") + 1, abs=1)
    assert widths["A"] >= len("ID de cliente") + 3  # header plus the filter button
    assert widths["G"] >= 12  # a date fits
    assert all(8 <= w <= 60 for w in widths.values())


def test_currency_format_follows_the_language():
    assert currency_format("€", "es") == '#,##0.00 "€"'
    assert currency_format("€", "en") == '"€"#,##0.00'
    assert currency_format("USD", "en") == '"$"#,##0.00'


def test_sheet_names_follow_excels_rules():
    taken: set[str] = set()
    assert sheet_name("Ventas: 2026/11", taken) == "Ventas  2026 11"
    assert sheet_name("x" * 40, taken) == "x" * 31
    assert sheet_name("X" * 40, taken) == "X" * 27 + " (2)"  # names clash regardless of case: a suffix
    assert len(taken) == 3


def test_a_table_larger_than_a_sheet_is_refused_by_name(tmp_path, monkeypatch):
    monkeypatch.setattr("dagster_project.lib.xlsx.MAX_ROWS", 2)
    frame = pd.DataFrame({"a": [1, 2, 3]})
    with pytest.raises(XlsxError, match="Clientes: 3 rows do not fit in an Excel sheet"):
        write_xlsx(tmp_path / "big.xlsx", [XlsxTable("Clientes", frame)])
    assert not (tmp_path / "big.xlsx").exists() and list(tmp_path.iterdir()) == []  # no half-written file
    assert MAX_ROWS == 1_048_575
