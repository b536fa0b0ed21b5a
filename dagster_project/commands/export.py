"""`cartera export`: chosen marts of the published warehouse to an .xlsx workbook, in the reader's language."""

from __future__ import annotations

import sys
from pathlib import Path


def register(sub, common) -> None:
    p = sub.add_parser("export", help="write marts to an Excel workbook (one sheet per table)")
    common(p)
    p.add_argument(
        "--tables",
        help="comma-separated marts (default customer_profile,customer_value_alerts,cohort_retention,"
        "pareto_summary; 'all' for every mart)",
    )
    p.add_argument("-o", "--output", help="the .xlsx file (default <reports>/cartera_<as_of>.xlsx)")
    p.set_defaults(func=cmd_export)


def cmd_export(args) -> int:
    import duckdb

    from ..cli import _settings
    from ..lib.export import DEFAULT_TABLES, ExportError, available_tables, mart_tables
    from ..lib.report.formatting import format_int
    from ..lib.report.labels import label
    from ..lib.xlsx import XlsxError, write_xlsx

    settings = _settings(args)
    lang = settings.lang
    if not settings.warehouse.exists():
        print(f"cartera: {label('cli.no_warehouse', lang, path=settings.warehouse)}", file=sys.stderr)
        return 2
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        if args.tables == "all":
            names = available_tables(con)
        elif args.tables:
            names = [n.strip() for n in args.tables.split(",") if n.strip()]
        else:
            names = [n for n in DEFAULT_TABLES if n in available_tables(con)]
        tables = mart_tables(con, names, lang)
        as_of = con.execute("select max(as_of) from marts.customer_status").fetchone()[0]
    except ExportError as e:
        print(f"cartera export: {e}", file=sys.stderr)
        return 2
    finally:
        con.close()
    output = Path(args.output) if args.output else settings.reports / f"cartera_{as_of or 'export'}.xlsx"
    if output.suffix.lower() != ".xlsx":
        print(f"cartera export: {output} must end in .xlsx", file=sys.stderr)
        return 2
    try:
        write_xlsx(output, tables, lang=lang, currency=settings.currency)
    except XlsxError as e:
        print(f"cartera export: {e}", file=sys.stderr)
        return 2
    sheets = ", ".join(
        label("cli.export.rows", lang, sheet=t.sheet, rows=format_int(len(t.frame), lang)) for t in tables
    )
    print(label("cli.export.written", lang, path=output, sheets=sheets))
    return 0
