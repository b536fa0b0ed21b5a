"""`cartera export` on the slice's published warehouse, in Spanish, read back with openpyxl.

The slice (portfolio.py): C003 inactive, very_high, 300 net revenue, last purchase 2026-03-31; 00042 current,
low, 30; the cohort 2026-04 has 2 customers; Pareto: 3 of 5 buyers (0.6) make 650 of 720.
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import openpyxl
import pytest

from dagster_project.cli import main
from dagster_project.lib.export import DEFAULT_TABLES
from dagster_project.lib.report.labels import LABELS

TABLES = [*DEFAULT_TABLES, "customer_status", "customer_volume", "customer_frequency", "pareto_customers"]


@pytest.fixture(scope="module")
def exported(slice_run, tmp_path_factory):
    out = tmp_path_factory.mktemp("export") / "cartera.xlsx"
    s = slice_run.settings
    code = main(
        ["export", "--warehouse", str(s.warehouse), "--lang", "es", "--tables", ",".join(TABLES), "-o", str(out)]
    )
    assert code == 0
    return openpyxl.load_workbook(out)


def rows_by_id(ws) -> dict:
    header = [c.value for c in ws[1]]
    return {r[0].value: dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2)}


def test_one_spanish_named_sheet_per_table(exported):
    assert exported.sheetnames == [
        "Clientes",
        "Valiosos en riesgo",
        "Cohortes",
        "Resumen Pareto",
        "Estado",
        "Nivel de gasto",
        "Frecuencia de compra",
        "Pareto",
    ]


def test_every_exported_column_has_a_header_in_both_languages(slice_run):
    con = duckdb.connect(str(slice_run.settings.warehouse), read_only=True)
    try:
        columns = {
            c
            for t in TABLES
            for (c,) in con.execute(
                "select column_name from information_schema.columns where table_schema = 'marts' and table_name = ?",
                [t],
            ).fetchall()
        }
    finally:
        con.close()
    for lang in ("es", "en"):
        missing = sorted(c for c in columns if f"col.{c}" not in LABELS[lang])
        assert not missing, f"columns without a {lang} header: {missing}"


def test_customer_sheet_has_spanish_headers_words_and_typed_cells(exported):
    ws = exported["Clientes"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    assert all(c.font.b for c in ws[1])
    c003 = rows_by_id(ws)["C003"]
    assert c003["Estado"].value == "Inactivo"
    assert c003["Nivel de gasto"].value == "Muy alto"
    assert c003["Frecuencia de compra"].value == "Ocasional"
    assert c003["Ingresos netos"].value == 300 and c003["Ingresos netos"].number_format == '#,##0.00 "€"'
    assert c003["Última compra"].value == datetime(2026, 3, 31) and c003["Última compra"].number_format == "dd/mm/yyyy"
    assert c003["Genera el 80\xa0% de los ingresos"].value is True
    assert rows_by_id(ws)["00042"]["Estado"].value == "Actual"  # the id stays text, leading zeros and all
    assert rows_by_id(ws)["00042"]["Teléfono"].value is None


def test_summary_and_cohorts_keep_numbers_as_numbers(exported):
    (summary,) = list(exported["Resumen Pareto"].iter_rows(min_row=2, values_only=False))
    header = [c.value for c in exported["Resumen Pareto"][1]]
    row = dict(zip(header, summary, strict=True))
    assert row["Clientes"].value == 5 and row["Clientes que generan el 80\xa0%"].value == 3
    assert row["Parte de clientes que generan el 80\xa0%"].value == pytest.approx(0.6)
    assert row["Parte de clientes que generan el 80\xa0%"].number_format == "0.0%"
    assert row["Ingresos de esos clientes"].value == 650
    cohorts = exported["Cohortes"]
    first = [c.value for c in cohorts[2]]
    assert first[0] == datetime(2026, 2, 1)  # sorted by cohort month, then months since


def test_an_unknown_table_is_refused_naming_it(slice_run, tmp_path, capsys):
    code = main(
        [
            "export",
            "--warehouse",
            str(slice_run.settings.warehouse),
            "--tables",
            "nope; drop",
            "-o",
            str(tmp_path / "x.xlsx"),
        ]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "no table nope; drop in marts; tables: " in err and "clv_holdout, " in err and "cohort_retention, " in err
    assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.parametrize(
    ("lang", "said"),
    [("es", "escrito {out}: Resumen Pareto (1 filas)"), ("en", "wrote {out}: Pareto summary (1 rows)")],
)
def test_export_says_what_it_wrote_in_the_chosen_language(slice_run, tmp_path, capsys, lang, said):
    from dagster_project.lib.report.labels import label

    out = tmp_path / "p.xlsx"
    argv = ["export", "--warehouse", str(slice_run.settings.warehouse), "--lang", lang, "--tables", "pareto_summary"]
    assert main([*argv, "-o", str(out)]) == 0
    assert capsys.readouterr().out.strip() == said.format(out=out)
    sheet = said.split(": ")[1].split(" (")[0]
    assert openpyxl.load_workbook(out)[sheet]["A1"].value == label("col.as_of", lang)
