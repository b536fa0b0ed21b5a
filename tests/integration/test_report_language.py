"""A real report in Spanish: the weekly_report job on the slice's published warehouse with lang=es.

The slice (portfolio.py): as_of 2026-06-30; active customers C001, 00042 (current) + C002 (active) = 3;
inactive C003, C004 = 2; prospects P1 + C009 + P2 = 3; revenue 720 -> "720 €"; top-80: 3 of 5 buyers (60 %).
The previous headline (conftest): active 2 -> 3, inactive 3 -> 2, revenue 600 -> 720 (+120 €, +20 %).
"""

from tests.language import english_left, visible_text


def test_spanish_report_has_no_english_left_in_text_or_charts(spanish_report):
    assert english_left(visible_text(spanish_report.html)) == set()
    assert spanish_report.chart_texts, "no chart text was collected"
    assert english_left(" ".join(spanish_report.chart_texts)) == set()


def test_spanish_report_headline_in_spanish_formats(spanish_report):
    html = spanish_report.html
    assert '<html lang="es">' in html
    assert "Informe semanal de retención — 30/06/2026" in html
    assert '<div class="name">Clientes activos</div><div class="value">3</div>' in html
    assert '<div class="name">Clientes inactivos</div><div class="value">2</div>' in html
    assert '<div class="value">720\xa0€</div>' in html
    assert "60\xa0% de sus compradores" in html
    assert "Comparado con el informe del 23/06/2026." in html
    assert '<td class="num good">▲ +120\xa0€ (+20\xa0%)</td>' in html


def test_spanish_report_names_statuses_and_tiers_in_spanish(spanish_report):
    texts = set(spanish_report.chart_texts)
    assert {"Actual", "Activo", "Inactivo", "Potencial", "Probable"} <= texts
    assert {"Muy alto", "Alto", "Medio", "Bajo"} <= texts
    assert {"Habitual", "Ocasional"} <= texts


def test_report_asset_records_its_language_and_links_the_file(spanish_report):
    (mat,) = spanish_report.result.asset_materializations_for_node("retention_report")
    assert mat.metadata["lang"].value == "es"
    assert mat.metadata["latest"].value == str(spanish_report.latest)
    dated = spanish_report.settings.reports / "retention_report_2026-06-30.html"
    assert mat.metadata["open"].value == dated.as_uri()  # a link to the report file in the UI


def test_english_report_of_the_same_run_stays_english(slice_run):
    html = (slice_run.settings.reports / "latest.html").read_text()
    assert '<html lang="en">' in html and "Weekly retention report — 30 Jun 2026" in html
    assert "€720" in html
