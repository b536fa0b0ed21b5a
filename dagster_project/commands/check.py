"""`cartera check [DIR]`: what a run would make of a landing folder, without loading anything."""

from __future__ import annotations

import sys
from pathlib import Path


def register(sub, common) -> None:
    p = sub.add_parser(
        "check",
        help="inspect a landing folder without loading anything: per file the source, format, dates, "
        "column mapping and first rejected rows; exit 1 when a required source is unusable",
    )
    p.add_argument("dir", nargs="?", help="landing folder (default: --landing, CARTERA_LANDING or data/landing)")
    common(p, lang=False)  # its messages are English only
    p.add_argument("--rejected", type=int, default=5, help="rejected rows shown per file (default 5)")
    p.add_argument("--write-mapping", metavar="FILE", help="also write the suggested cartera.yml to FILE")
    p.set_defaults(func=cmd_check)


def cmd_check(args) -> int:
    from ..cli import _settings
    from ..lib.ingest.checkup import check_landing, render, suggested_mapping
    from ..lib.ingest.mapping import MappingError

    settings = _settings(args)
    landing = Path(args.dir) if args.dir else settings.landing
    if args.rejected < 0:
        print("cartera check: --rejected must be 0 or more", file=sys.stderr)
        return 2
    try:
        check = check_landing(landing, settings.max_date, first_rejected=args.rejected)
    except (MappingError, FileNotFoundError) as e:
        print(f"cartera check: {e}", file=sys.stderr)
        return 2
    print(render(check))
    if args.write_mapping:
        text = suggested_mapping(check)
        if text:
            Path(args.write_mapping).write_text(text, encoding="utf-8")
            print(f"suggested mapping written to {args.write_mapping}")
        else:
            print("no mapping needed: every file names its required columns")
    return 1 if check.unusable_required else 0
