"""The dbt project Cartera builds, as dagster-dbt sees it, and how its manifest is produced."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path, PurePosixPath

from dagster_dbt import DbtProject

from .settings import DBT_DIR


def target_path(env: dict[str, str] | os._Environ[str] = os.environ) -> str:
    """Where dbt writes its artifacts, relative to dbt/: `target`, or DBT_TARGET_PATH (dbt's own variable, so every
    dbt process started from here agrees) when it names a folder inside dbt/target (parallel test workers each get
    their own manifest, partial-parse state and run results)."""
    value = env.get("DBT_TARGET_PATH", "target")
    parts = PurePosixPath(value).parts
    if (
        parts[:1] != ("target",)
        or any(p in ("..", "") for p in parts)
        or not all(p.replace("-", "").isalnum() for p in parts)
    ):
        raise ValueError(f"DBT_TARGET_PATH={value!r}: must be target or a folder inside it, like target/gw0")
    return value


dbt_project = DbtProject(project_dir=DBT_DIR, profiles_dir=DBT_DIR, target_path=target_path())

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
