"""`cartera actions`: today's ranked action list (who to contact, why, how, with what message)."""

from __future__ import annotations

import sys
from pathlib import Path


def cmd_actions(args) -> int:
    import duckdb

    from ..cli import _settings
    from ..lib import actions
    from ..lib.report.vars_in_force import read_vars_in_force

    settings = _settings(args)  # --lang / CARTERA_LANG / the locale, validated
    lang = settings.lang
    if args.top < 1:
        print(f"cartera actions: --top must be at least 1, not {args.top}", file=sys.stderr)
        return 2
    if args.format == "xlsx" and not args.output:
        print("cartera actions: --format xlsx needs --output FILE.xlsx", file=sys.stderr)
        return 2
    if not settings.warehouse.exists():
        print(f"no published warehouse at {settings.warehouse}: run `cartera run` first", file=sys.stderr)
        return 2
    sections = actions.SECTIONS if args.section == "all" else (args.section,)
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        frame = actions.read_actions(con, top=args.top, sections=sections)
        missing = actions.missing_alert_types(con)
        vars_in_force = read_vars_in_force(con)
    except duckdb.CatalogException:
        print(f"{settings.warehouse} has no action list yet: run `cartera run` with this version", file=sys.stderr)
        return 2
    finally:
        con.close()
    table = actions.people_table(frame, lang, vars_in_force, settings.currency)
    if args.format == "xlsx":
        path = actions.write_actions_xlsx(table, Path(args.output), lang, settings.currency)
        print(f"wrote {len(table)} actions to {path}")
    elif args.format == "csv":
        if args.output:
            path = actions.write_csv(table, Path(args.output), lang)
            print(f"wrote {len(table)} actions to {path}")
        else:
            sys.stdout.write(actions.csv_text(table, lang))
    else:
        sys.stdout.write(actions.terminal_text(table, lang, settings.currency))
    sys.stdout.flush()
    if missing:
        from ..lib.report.labels import code_label, label

        names = ", ".join(code_label("alert", a, lang) for a in missing)
        print(label("actions.missing_sources", lang, alerts=names), file=sys.stderr)
    return 0


def register(sub, common) -> None:
    p = sub.add_parser("actions", help="today's ranked action list: who to contact, why, how and what to say")
    common(p)
    p.add_argument("--top", type=int, default=50, help="rows per section (default 50)")
    p.add_argument("--section", default="all", choices=["all", "retention", "win_back"])
    p.add_argument("--format", default="table", choices=["table", "csv", "xlsx"])
    p.add_argument("--output", help="file to write (csv: default the terminal; xlsx: required)")
    p.set_defaults(func=cmd_actions)
