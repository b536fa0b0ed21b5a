"""The dbt project Cartera builds, as dagster-dbt sees it, and how its manifest is produced."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from dagster_dbt import DbtProject

from .settings import DBT_DIR

dbt_project = DbtProject(project_dir=DBT_DIR, profiles_dir=DBT_DIR)

_SOURCES = ("models", "macros", "tests", "seeds", "analyses")


def manifest_is_stale() -> bool:
    manifest = Path(dbt_project.manifest_path)
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    files = [DBT_DIR / "dbt_project.yml"] + [p for d in _SOURCES for p in (DBT_DIR / d).rglob("*") if p.is_file()]
    return any(p.stat().st_mtime > built for p in files)


def prepare_manifest(force: bool = False) -> Path:
    """Run `dbt parse` when the manifest is missing or older than the project (install does it once)."""
    if force or manifest_is_stale():
        dbt = Path(sys.executable).with_name("dbt")
        proc = subprocess.run(
            [str(dbt), "parse", "--quiet", "--profiles-dir", str(DBT_DIR)], cwd=DBT_DIR, capture_output=True, text=True
        )
        if proc.returncode != 0:
            raise RuntimeError(f"dbt parse failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}")
    return Path(dbt_project.manifest_path)
