"""Weekly retention report: read the marts, render one self-contained HTML page, keep run-to-run headlines.

data = collect_report_data(con)                       # small aggregating queries on marts.*
previous = load_previous_headline(reports_dir, data.as_of)
html = render_report(data, previous)
path = write_report(html, data.headline, reports_dir, data.as_of)
"""

from .data import ReportData, collect_report_data
from .output import has_report_for, load_previous_headline, write_report
from .render import render_report

__all__ = [
    "ReportData",
    "collect_report_data",
    "has_report_for",
    "load_previous_headline",
    "render_report",
    "write_report",
]
