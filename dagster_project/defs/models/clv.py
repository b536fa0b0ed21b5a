"""Customer value as a Dagster multi-asset: one asset per table of schema `clv`, between the two dbt builds.

It reads the purchase occasions, refits the purchase and value models when the refit rule says so (weekly by
default, see lib/clv/refit.py) and otherwise scores every customer with the stored parameters. dbt reads
these tables as the source `clv` and owns the marts analysts read (customer_clv, clv_model_params, ...).
"""

import hashlib
import json
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pandas as pd
from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    MaterializeResult,
    MetadataValue,
    multi_asset,
)

from ...lib.clv import ClvFitError, refit, scoring, workflow
from ..resources import WarehouseResource
from . import clv_io

DESCRIPTIONS = {
    "customer_scores": "One row per customer who bought by as_of: p_alive, chance of no purchase in 90 days, expected "
    "purchases, median days to the next purchase, value per occasion, 12-month CLV with a 90% interval.",
    "model_params": "One row per model and parameter of the fit in force (all purchase models, Gamma-Gamma or the "
    "shrunk mean), with the date and data it was fitted on and which model is in use.",
    "model_fit_history": "Every fit ever made (the rows of model_params, appended at each refit).",
    "model_comparison": "One row per purchase model: its holdout errors, rank and whether it was chosen.",
    "holdout": "One row per calibration customer: holdout purchases predicted by the chosen model and actual.",
    "holdout_by_frequency": "One row per model and calibration frequency bucket: mean predicted and actual.",
    "holdout_curve": "One row per model and week: cumulative repeat purchases, actual and predicted.",
}
MODEL_RUN = f"""CREATE OR REPLACE TABLE {clv_io.SCHEMA}.model_run AS
    SELECT CAST(? AS DATE) AS as_of, CAST(? AS BOOLEAN) AS fitted, CAST(? AS VARCHAR) AS reason"""
KEYS = {name: AssetKey([clv_io.SCHEMA, name]) for name in DESCRIPTIONS}
SCORES = KEYS["customer_scores"]


@dataclass(frozen=True)
class ClvSettings:
    """The customer-value vars in force (defaults and bounds: dbt/dbt_project.yml, the one var contract)."""

    discount_rate_monthly: float
    holdout_days: int | None
    model: str  # auto, or one of the purchase models to force it
    refit_days: int
    refit_change_share: float
    gg_max_correlation: float
    fit_max_customers: int

    @classmethod
    def from_vars(cls, v: dict) -> "ClvSettings":
        return cls(
            discount_rate_monthly=float(v["clv_discount_rate_monthly"]),
            holdout_days=v["clv_holdout_days"],
            model=str(v["clv_model"]),
            refit_days=int(v["clv_refit_days"]),
            refit_change_share=float(v["clv_refit_change_share"]),
            gg_max_correlation=float(v["clv_gg_max_correlation"]),
            fit_max_customers=int(v["clv_fit_max_customers"]),
        )

    @property
    def key(self) -> str:
        """What shapes a fit (not the discount rate, which only scoring uses)."""
        parts = [self.holdout_days, self.model, self.gg_max_correlation, self.fit_max_customers]
        return hashlib.sha1(json.dumps(parts).encode()).hexdigest()[:12]


@multi_asset(
    specs=[
        AssetSpec(
            key,
            description=DESCRIPTIONS[name],
            deps=[AssetKey("int_purchase_occasions"), AssetKey("int_as_of")],
            group_name="clv",
            kinds={"python", "scipy", "duckdb"},
        )
        for name, key in KEYS.items()
    ],
    check_specs=[
        AssetCheckSpec(
            "clv_model_fitted",
            asset=SCORES,
            description="A purchase model converged (parameters inside their bounds) and scored every buyer.",
        )
    ],
    name="clv_model",
)
def clv_model(context: AssetExecutionContext, warehouse: WarehouseResource):
    cfg = ClvSettings.from_vars(warehouse.business_vars())
    started = time.perf_counter()
    with warehouse.connect() as con:
        clv_io.ensure_tables(con)
        as_of, start = con.execute(
            f"SELECT a.as_of, (SELECT min(occasion_date) FROM {clv_io.OCCASIONS}) FROM intermediate.int_as_of a"
        ).fetchone()
        rfm = clv_io.read_rfm(con, as_of)
        # Repeat customers whose net repeat spend is <= 0 (returns): left out of the Gamma-Gamma fit, valued at m_x = 0.
        nonpositive = int(((rfm["frequency"] > 0) & ~(rfm["monetary_value"] > 0)).sum())
        buyers, occasions = len(rfm), int(rfm["frequency"].sum() + len(rfm))
        stored = clv_io.read_stored_fit(con)
        stored_meta = None
        if stored is not None and stored["in_use"].any():
            first = stored.iloc[0]
            stored_meta = {
                "fitted_as_of": pd.Timestamp(first["fitted_as_of"]).date(),
                "buyers": first["buyers"],
                "occasions": first["occasions"],
                "settings_key": first["settings_key"],
            }
        reason = refit.refit_reason(
            stored_meta,
            as_of=as_of,
            buyers=buyers,
            occasions=occasions,
            settings_key=cfg.key,
            refit_days=cfg.refit_days,
            change_share=cfg.refit_change_share,
        )
        meta: dict = {"as_of": str(as_of), "buyers": buyers, "occasions": occasions}
        try:
            if reason is None:
                fit, value = workflow.fit_from_rows(stored)
                fit_id = str(stored["fit_id"].iloc[0])
                meta.update(
                    refit="no: scored with the stored fit", fit_id=fit_id, fitted_as_of=str(stored_meta["fitted_as_of"])
                )
                tables: dict[str, pd.DataFrame] = {}
                append = False
            else:
                fit_id, tables, fit, value = _refit(con, cfg, rfm, as_of, start, buyers, occasions, meta)
                meta.update(refit=f"yes: {reason}", fit_id=fit_id)
                append = True
            t0 = time.perf_counter()
            scores = scoring.score_customers(rfm, fit, value, discount_rate_monthly=cfg.discount_rate_monthly)
            meta["scoring_seconds"] = round(time.perf_counter() - t0, 2)
            scores["model"], scores["value_method"] = fit.model, value.method
            scores["scored_as_of"], scores["fit_id"] = as_of, fit_id
            tables["customer_scores"] = scores
            clv_io.write(con, tables, append_history=append)
            error = None
        except ClvFitError as e:
            error = str(e)
            failed = dict(e.tables) if isinstance(e, _NoModel) else {}
            clv_io.write(
                con, failed | {"customer_scores": clv_io.empty("customer_scores")}, append_history=bool(failed)
            )
        # Whether this run's model was fitted and why not: published as audit.clv_model_run for the report.
        con.execute(MODEL_RUN, [as_of, error is None, error])
    meta["seconds"] = round(time.perf_counter() - started, 2)
    if error is None:
        meta.update(
            model_in_use=fit.model,
            params={k: round(v, 6) for k, v in fit.params.items()},
            value_method=value.method,
            customers_scored=len(scores),
            total_clv_12m=round(float(scores["clv_12m"].sum()), 2),
            repeat_customers_nonpositive_spend=nonpositive,
        )
        if value.reason:
            meta["value_method_reason"] = value.reason
    else:
        context.log.warning(f"CLV model not fitted: {error}")
        meta.update(fitted=False, reason=error)
    md = {k: (MetadataValue.json(v) if isinstance(v, (dict, list)) else v) for k, v in meta.items()}
    for key in KEYS.values():
        yield MaterializeResult(
            asset_key=key, metadata=md if key == SCORES else {"fit_id": str(meta.get("fit_id", ""))}
        )
    yield AssetCheckResult(
        check_name="clv_model_fitted",
        asset_key=SCORES,
        passed=error is None,
        severity=AssetCheckSeverity.ERROR,
        description=f"CLV model not fitted: {error}" if error else f"{fit.model} in use",
        metadata={"reason": error} if error else _check_metadata(fit, value, len(scores), cfg),
    )


def _check_metadata(fit, value, scored: int, cfg: ClvSettings) -> dict:
    """What the check says: the model in use and whether Gamma-Gamma's independence assumption held."""
    corr = value.correlation if value.gamma_gamma is None else value.gamma_gamma.frequency_value_correlation
    meta = {"model_in_use": fit.model, "customers_scored": scored, "value_method": value.method}
    meta["gamma_gamma_max_correlation"] = cfg.gg_max_correlation
    if corr == corr:  # not NaN (NaN on a stored fit: the correlation is in clv_model_params.note)
        meta["frequency_value_correlation"] = round(float(corr), 4)
    if value.reason:
        meta["value_method_reason"] = value.reason
    return meta


def _refit(con, cfg: ClvSettings, rfm, as_of: date, start: date, buyers: int, occasions: int, meta: dict):
    """Fit every model (and compare them on the holdout when history allows); the tables to write."""
    calibration = weekly = None
    hold = cfg.holdout_days
    cal_end = as_of - timedelta(days=hold) if hold else None
    if hold and start and (as_of - start).days >= 2 * hold:
        calibration, weekly = clv_io.read_holdout_inputs(con, start, cal_end, as_of)
    else:
        meta["holdout"] = "not computed: history shorter than twice the holdout period" if hold else "off"
    t0 = time.perf_counter()
    forced = None if cfg.model == "auto" else cfg.model
    out = workflow.fit_models(
        rfm,
        calibration,
        weekly,
        calibration_days=(cal_end - start).days if calibration is not None else 0,
        holdout_days=hold or 0,
        forced=forced,
        max_correlation=cfg.gg_max_correlation,
        max_customers=cfg.fit_max_customers,
    )
    meta["fit_seconds"] = round(time.perf_counter() - t0, 2)
    meta["selection"] = out.selection
    meta["customers_fitted"] = out.customers_fitted
    meta["notes"] = out.notes
    fit_id = f"{as_of.isoformat()}-{datetime.now(UTC):%Y%m%dT%H%M%S%f}"
    params = workflow.outcome_rows(out)
    params.insert(0, "fit_id", fit_id)
    params["fitted_at"] = datetime.now(UTC).replace(tzinfo=None)
    params["fitted_as_of"] = as_of
    params["settings_key"] = cfg.key
    params["buyers"], params["occasions"] = buyers, occasions
    params["sampled"], params["selection"] = out.sampled, out.selection
    tables = {"model_params": params}
    if out.comparison is not None:
        c = out.comparison
        comp = c.table.rename(columns={"rank": "model_rank"})
        comp["fit_id"], comp["calibration_end"], comp["holdout_end"] = fit_id, cal_end, as_of
        curve = c.curve.copy()
        curve["week_start"] = [start + timedelta(days=int(d)) for d in curve["week_start_day"]]
        tables |= {"model_comparison": comp, "holdout": c.per_customer, "holdout_by_frequency": c.by_frequency}
        tables["holdout_curve"] = curve
        meta["comparison"] = (
            c.table[["model", "status", "curve_error", "customer_mae", "rank"]].round(4).to_dict("records")
        )
    else:
        tables |= {t: clv_io.empty(t) for t in ("model_comparison", "holdout", "holdout_by_frequency", "holdout_curve")}
    if out.chosen is None:
        raise _NoModel(tables, "; ".join(out.notes) or "no purchase model could be fitted")
    return fit_id, tables, out.chosen_fit, out.value


class _NoModel(ClvFitError):
    def __init__(self, tables, message):
        super().__init__(message)
        self.tables = tables
