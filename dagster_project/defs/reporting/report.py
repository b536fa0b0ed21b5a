"""The weekly retention report, rendered from the published (checked) warehouse."""

from dagster import AssetExecutionContext, Failure, MaterializeResult, MetadataValue, asset

from ...lib.report.data import collect_report_data
from ...lib.report.mail import report_message, send_message
from ...lib.report.output import has_report_for, load_previous_headline, write_report
from ...lib.report.render import render_report
from ..resources import EmailResource, WarehouseResource


@asset(
    group_name="reporting",
    deps=["published_warehouse"],
    description="Self-contained HTML report (data/reports/retention_report_<as_of>.html and latest.html): "
    "customers by status, revenue, the top-80 customers, distributions, Pareto curve, cohort "
    "retention, customer value, and what changed since the previous report. Reads only the "
    "published warehouse, so it only ever shows data that passed every blocking check. Emailed (headline "
    "in the body, the report attached) when CARTERA_EMAIL_TO is set.",
    kinds={"html", "python"},
)
def retention_report(
    context: AssetExecutionContext, warehouse: WarehouseResource, email: EmailResource
) -> MaterializeResult:
    if not warehouse.published_path.exists():
        raise Failure(
            f"no published warehouse at {warehouse.published_db} yet: run the nightly refresh "
            "(or `cartera run`) first; the report only shows data that passed its checks"
        )
    with warehouse.connect_published() as con:
        data = collect_report_data(con, stale_after_days=warehouse.stale_after_days)
    previous = load_previous_headline(warehouse.reports_path, data.as_of)  # of an earlier date
    html = render_report(
        data,
        previous,
        currency=warehouse.currency,
        lang=warehouse.lang,
        replaces_same_date=has_report_for(warehouse.reports_path, data.as_of),
    )
    path = write_report(html, data.headline, warehouse.reports_path, data.as_of)
    context.log.info(f"report written to {path}")
    emailed_to = _email(context, email, data, path, warehouse) if email.enabled else []
    return MaterializeResult(
        metadata={
            "path": MetadataValue.path(str(path)),
            "open": MetadataValue.url(path.as_uri()),
            "latest": MetadataValue.path(str(warehouse.reports_path / "latest.html")),
            "as_of": str(data.as_of),
            "lang": warehouse.lang,
            "compared_with_previous": previous is not None,
            "compared_with": previous.get("as_of") if previous else None,
            "data_last_order_date": str(data.freshness.last_order_date) if data.freshness else None,
            "stale_data_warning": (data.freshness.warning() or "") if data.freshness else "",
            "headline": MetadataValue.json(data.headline),
            "emailed_to": ", ".join(emailed_to) or "(email off)",
        }
    )


def _email(context, email: EmailResource, data, path, warehouse: WarehouseResource) -> list[str]:
    """Send the report; a failure fails the asset (the report itself is already written)."""
    message = report_message(
        data.headline,
        path,
        data.as_of,
        lang=warehouse.lang,
        currency=warehouse.currency,
        sender=email.sender,
        recipients=email.recipients,
        vars_in_force=data.vars_in_force,
    )
    try:
        accepted = send_message(message, email.smtp_config())
    except (OSError, ValueError) as error:  # smtplib's errors are OSErrors
        raise Failure(
            f"the report was written to {path} but could not be emailed via {email.host}:{email.port} "
            f"({email.security}): {error}"
        ) from error
    context.log.info(f"report emailed to {', '.join(accepted)}")
    return accepted
