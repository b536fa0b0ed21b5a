"""`cartera docs`: the dbt docs site (models, columns, tests, lineage, and the catalog of the published
warehouse: types and row counts) written to a folder, or served on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ..settings import DBT_DIR, REPO_ROOT

DEFAULT_OUT = REPO_ROOT / "data" / "docs"
SITE_FILES = ("index.html", "static_index.html", "manifest.json", "catalog.json")


def register(sub, common) -> None:
    p = sub.add_parser("docs", help="generate the dbt docs site (catalog included); --serve to browse it")
    common(p, lang=False)  # dbt's docs site is English only
    p.add_argument("--out", help="folder for the site (default data/docs)")
    p.add_argument("--serve", action="store_true", help="serve the site after generating it")
    p.add_argument("--host", default="127.0.0.1", help="address to serve on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8080)
    p.set_defaults(func=cmd_docs)


def generate_docs(warehouse: Path, out: Path) -> Path:
    """`dbt docs generate --static` against a copy of the published warehouse (the catalog reads what analysts
    read, and no lock is held on the real file); the site goes to `out`. Returns out/static_index.html."""
    from ..project import dbt_project

    if not warehouse.exists():
        raise FileNotFoundError(f"no published warehouse at {warehouse}: run `cartera run` first")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cartera-docs-") as tmp:
        snapshot = Path(tmp) / "warehouse.duckdb"
        shutil.copyfile(warehouse, snapshot)
        target = Path(tmp) / "target"
        target.mkdir()
        shutil.copyfile(dbt_project.manifest_path, target / "manifest.json")  # fresh: prepare_manifest
        env = {**os.environ, "CARTERA_WORK_DB": str(snapshot)}
        dbt = Path(sys.executable).with_name("dbt")
        cmd = [str(dbt), "docs", "generate", "--static", "--no-compile", "--quiet", "--profiles-dir", str(DBT_DIR)]
        cmd += ["--target-path", str(target)]  # not dbt/target: Dagster's manifest stays as it is
        proc = subprocess.run(cmd, cwd=DBT_DIR, env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"dbt docs generate failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
        for name in SITE_FILES:
            shutil.copyfile(target / name, out / name)
    return out / "static_index.html"


def serve(folder: Path, host: str, port: int) -> None:
    """Serve `folder` over HTTP until interrupted (the dbt docs page reads manifest.json and catalog.json)."""
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    handler = partial(SimpleHTTPRequestHandler, directory=str(folder))
    with ThreadingHTTPServer((host, port), handler) as server:
        print(f"dbt docs on http://{host}:{server.server_address[1]}/ (Ctrl-C to stop)", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


def cmd_docs(args) -> int:
    import signal

    from ..cli import _settings
    from ..project import prepare_manifest

    settings = _settings(args)
    out = Path(args.out).absolute() if args.out else DEFAULT_OUT
    prepare_manifest()
    try:
        page = generate_docs(settings.warehouse, out)
    except (FileNotFoundError, RuntimeError) as e:
        print(f"cartera docs: {e}", file=sys.stderr)
        return 2
    print(f"dbt docs written to {out} (open {page} in a browser; it works offline)", flush=True)
    if args.serve:
        signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
        serve(out, args.host, args.port)
    return 0
