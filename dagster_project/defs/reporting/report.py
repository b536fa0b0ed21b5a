"""The weekly retention report, rendered from the published (checked) warehouse."""

from dagster import AssetExecutionContext, Failure, MaterializeResult, MetadataValue, asset

from ...lib.report import collect_report_data, load_previous_headline, render_report, write_report
from ..resources import WarehouseResource


@asset(
    group_name="reporting",
    deps=["published_warehouse"],
    description="Self-contained HTML report (data/reports/retention_report_<as_of>.html and latest.html): "
    "customers by status, revenue, the top-80 customers, distributions, Pareto curve, cohort "
    "retention, customer value, and what changed since the previous report. Reads only the "
    "published warehouse, so it only ever shows data that passed every blocking check.",
    kinds={"html", "python"},
)
def retention_report(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    if not warehouse.published_path.exists():
        raise Failure(
            f"no published warehouse at {warehouse.published_db} yet: run the nightly refresh "
            "(or `cartera run`) first; the report only shows data that passed its checks"
        )
    with warehouse.connect_published() as con:
        data = collect_report_data(con)
    previous = load_previous_headline(warehouse.reports_path, data.as_of)
    html = render_report(data, previous, currency=warehouse.currency, lang=warehouse.lang)
    path = write_report(html, data.headline, warehouse.reports_path, data.as_of)
    context.log.info(f"report written to {path}")
    return MaterializeResult(
        metadata={
            "path": MetadataValue.path(str(path)),
            "latest": MetadataValue.path(str(warehouse.reports_path / "latest.html")),
            "as_of": str(data.as_of),
            "lang": warehouse.lang,
            "compared_with_previous": previous is not None,
            "headline": MetadataValue.json(data.headline),
        }
    )
