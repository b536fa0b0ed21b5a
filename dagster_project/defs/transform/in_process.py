"""dbt in the run's own process: the project is loaded once per process and every `dbt build` reuses it.

A dbt child process per build cost its imports (~2 s), loading the project again (and re-parsing it whole
when the warehouse path changed: dbt counts the rendered profile in its partial-parsing state, ~5 s) and
rewriting manifest.json; a run builds twice, before and after the customer-value step. Here the project is
parsed once per process, in the environment `make install` parsed it in (so dbt's partial parsing applies),
and each build is a `dbtRunner` invocation handed that loaded Manifest: the build after the customer-value
step costs only its own nodes. dbt's result events become Dagster events through dagster-dbt's own
conversion (outputs for models, asset-check results for tests), and dbt's log lines go to stdout (the run's
log file) as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

from dagster import AssetCheckResult, Failure

from ...lib.environ import environment

# The environment variables the profile reads (dbt/profiles.yml). While parsing, the warehouse is named
# target/<its file name> and the memory limit left at its default: dbt keeps the rendered profile in its
# partial-parsing state and writes the catalog (the file's stem) into every node, so a run on the default
# warehouse name reuses the state `make install` left, and another name re-parses once.
PROFILE_ENV = ("CARTERA_WORK_DB", "CARTERA_DUCKDB_MEMORY_LIMIT")


def parse_env(work_db: str | None = None) -> dict[str, str]:
    """The profile environment the project is parsed in (install and runs alike)."""
    return {"CARTERA_WORK_DB": f"target/{Path(work_db).name if work_db else 'cartera.duckdb'}"}


RESULT_EVENTS = frozenset({"LogModelResult", "LogTestResult", "LogSeedResult", "LogSnapshotResult"})
NOT_ERROR_TEXT = RESULT_EVENTS | {"RunResultFailure"}
# No anonymous usage statistics, no debug log file per run (dbt's info lines are in the run's log), no
# manifest.json/run_results.json rewritten per build (the manifest Dagster loads is prepared at install).
COMMON_FLAGS = ("--no-send-anonymous-usage-stats", "--log-level-file", "none", "--no-write-json", "--no-use-colors")

_loaded: dict[tuple, object] = {}


class DbtBuildError(Failure):
    """A dbt invocation that failed; its description carries dbt's own error lines (console/causes.py reads
    them). A Failure, as dagster-dbt's own error is, so the step fails with these words rather than a trace."""


def _project_args(project_dir: Path, profiles_dir: Path, target_path: Path) -> list[str]:
    return ["--project-dir", str(project_dir), "--profiles-dir", str(profiles_dir), "--target-path", str(target_path)]


def loaded_manifest(project_dir: Path, profiles_dir: Path, target_path: Path, work_db: str):
    """dbt's Manifest for the project, parsed once per process (again when manifest.json or the warehouse's
    file name changed)."""
    manifest_file = Path(target_path) / "manifest.json"
    env = parse_env(work_db)
    key = (str(project_dir), env["CARTERA_WORK_DB"], manifest_file.stat().st_mtime_ns if manifest_file.exists() else 0)
    if key not in _loaded:
        from dbt.cli.main import dbtRunner

        with environment(env, unset=PROFILE_ENV):
            res = dbtRunner().invoke(
                ["parse", "--quiet", *COMMON_FLAGS, *_project_args(project_dir, profiles_dir, target_path)]
            )
        if not res.success:
            raise DbtBuildError(description=f"dbt parse failed: {res.exception}")
        _loaded.clear()
        _loaded[key] = res.result
    return _loaded[key]


def _close_duckdb() -> None:
    """Release the warehouse file: the steps after dbt open it from this process with their own settings."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        if DuckDBConnectionManager._ENV is not None:
            DuckDBConnectionManager._ENV.close()
            DuckDBConnectionManager._ENV = None


def _failed_column_rules(res, manifest: Mapping, query: Callable[[str], list[tuple]]) -> dict[str, tuple[str, str]]:
    """For each column_rules test that failed (or warned), its status and one line naming the model, the columns,
    the rules and their counts, from its compiled query run again (it returns one row per failing rule)."""
    from .column_rules import TEST_NAME, failure_line
    from .translator import describe_test

    failed = [
        r for r in getattr(res.result, "results", None) or [] if r.status in ("fail", "warn") and _kind(r) == TEST_NAME
    ]
    if not failed:
        return {}
    tests = {n["name"]: n for n in manifest["nodes"].values() if n["resource_type"] == "test"}
    out = {}
    for result in failed:
        node, status = result.node, str(result.status)
        model = manifest["nodes"].get(node.attached_node, {}).get("name", node.attached_node)
        try:
            rows = query(node.compiled_code)
        except Exception as e:  # the check failed either way; say why its detail is missing
            out[node.unique_id] = (status, f"{model}: column rules failed; their query could not be run again ({e})")
            continue
        out[node.unique_id] = (status, failure_line(model, rows, tests, describe_test))
    return out


def _kind(result) -> str | None:
    metadata = getattr(result.node, "test_metadata", None)
    return getattr(metadata, "name", None)


def dbt_build_events(
    context,
    args: Sequence[str],
    *,
    dbt_project,
    translator,
    env: Mapping[str, str],
    query: Callable[[str], list[tuple]] | None = None,
) -> Iterator:
    """Run `dbt <args>` for the assets selected in `context` in this process; yield the Dagster events
    (Outputs, AssetCheckResults) in dbt's order, then raise DbtBuildError if dbt failed. `query` runs SQL on
    the warehouse: a failed column_rules test's query is run again with it to say which rules failed."""
    from dagster_dbt.asset_utils import (
        extract_runtime_selection_from_args,
        get_updated_cli_invocation_params_for_context,
    )
    from dagster_dbt.core.dbt_cli_event import DbtCoreCliEventMessage
    from dbt.cli.main import dbtRunner
    from dbt_common.events.functions import msg_to_dict

    project_dir, target_path = Path(dbt_project.project_dir), Path(dbt_project.target_path)
    manifest = loaded_manifest(project_dir, Path(dbt_project.profiles_dir), target_path, env["CARTERA_WORK_DB"])
    cleaned, selects, excludes = extract_runtime_selection_from_args(args)
    params = get_updated_cli_invocation_params_for_context(
        context=context,
        manifest={},  # taken from the context's dbt assets
        dagster_dbt_translator=translator,
        runtime_selects=selects,
        runtime_excludes=excludes,
    )
    results: list[dict] = []
    errors: list[str] = []

    def collect(msg) -> None:
        # dbt's own error text (RunResultError: "Compilation Error in model x ... var y must be ..."), not the
        # result line or the "Failure in model x" header before it.
        if msg.info.level == "error" and msg.info.name not in NOT_ERROR_TEXT:
            errors.append(msg.info.msg)
        if msg.info.name in RESULT_EVENTS:
            results.append(msg_to_dict(msg))

    run_env = dict(env)
    if params.indirect_selection:
        run_env["DBT_INDIRECT_SELECTION"] = params.indirect_selection
    # A very large subset selection runs against a temporary copy of the project with a generated selector.
    run_dir = Path(params.dbt_project.project_dir) if params.dbt_project else project_dir
    argv = [*cleaned, *COMMON_FLAGS, *_project_args(run_dir, Path(dbt_project.profiles_dir), target_path)]
    argv += list(params.selection_args)
    try:
        with environment(run_env):
            res = dbtRunner(manifest=manifest, callbacks=[collect]).invoke(argv)
    finally:
        _close_duckdb()
    why = _failed_column_rules(res, params.manifest, query) if query else {}
    errors += [line for status, line in why.values() if status == "fail"]
    for raw in results:
        for event in DbtCoreCliEventMessage(raw_event=raw, event_history_metadata={}).to_default_asset_events(
            manifest=params.manifest,
            dagster_dbt_translator=params.dagster_dbt_translator,
            context=context,
            target_path=target_path,
            project=params.dbt_project,
        ):
            unique_id = getattr(event, "metadata", {}).get("unique_id")
            if isinstance(event, AssetCheckResult) and unique_id and unique_id.value in why:
                event = event._replace(description=why[unique_id.value][1])
            yield event
    if not res.success or errors:
        if res.exception is not None and str(res.exception) not in errors:
            errors.append(str(res.exception))
        raise DbtBuildError(
            description=f"`dbt {' '.join(cleaned)}` failed.\n\nErrors parsed from dbt logs:\n\n"
            + "\n\n".join(errors or ["(none)"])
        )
