"""One refit: every purchase model on all history (on a repeatable sample of customers for very large
portfolios), the holdout comparison that chooses one (or the forced model), and the value model; plus the
conversion of a fit to and from rows, so the nightly run can score with stored parameters."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import purchase, selection
from ._common import ClvFitError, check_columns
from .gamma_gamma import GammaGammaFit, GammaGammaParams
from .purchase import MODELS, PurchaseFit
from .scoring import RFM_COLUMNS, ValueModel, choose_value_model
from .selection import Comparison


@dataclass
class FitOutcome:
    fits: dict[str, PurchaseFit | str]  # on all history; a string is the reason a model failed
    chosen: str | None
    selection: str  # holdout | likelihood | forced | none
    value: ValueModel | None
    comparison: Comparison | None = None
    customers_fitted: int = 0
    sampled: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def chosen_fit(self) -> PurchaseFit:
        fit = self.fits.get(self.chosen or "")
        if not isinstance(fit, PurchaseFit):
            raise ClvFitError("; ".join(self.notes) or "no purchase model could be fitted")
        return fit


def sample_customers(df: pd.DataFrame, max_customers: int) -> pd.DataFrame:
    """At most max_customers rows: those with the smallest hash of customer_id (the same customers every run,
    whatever the row order)."""
    if len(df) <= max_customers:
        return df
    h = pd.util.hash_pandas_object(df["customer_id"].astype(str), index=False).to_numpy()
    return df.iloc[np.sort(np.argsort(h, kind="stable")[:max_customers])]


def _fit_all(rfm: pd.DataFrame) -> dict[str, PurchaseFit | str]:
    fits: dict[str, PurchaseFit | str] = {}
    x, t_x, T = (rfm[c].to_numpy(dtype=float) for c in ("frequency", "recency", "age"))
    for name in MODELS:
        try:
            fits[name] = purchase.fit(name, x, t_x, T)
        except ClvFitError as e:
            fits[name] = str(e)
    return fits


def fit_models(
    rfm: pd.DataFrame,
    calibration: pd.DataFrame | None = None,
    weekly: pd.DataFrame | None = None,
    *,
    calibration_days: int = 0,
    holdout_days: int = 0,
    forced: str | None = None,
    max_correlation: float = 0.3,
    max_customers: int = 250_000,
) -> FitOutcome:
    """Fit BG/NBD, MBG/NBD and Pareto/NBD on `rfm` (RFM_COLUMNS, weeks) and choose one: the forced model when it
    is usable, else by the holdout comparison when `calibration` is given, else by log-likelihood. Value per
    occasion: Gamma-Gamma, or the shrunk mean when |corr(x, m_x)| > max_correlation."""
    check_columns(rfm, RFM_COLUMNS, "RFM summary")
    if rfm.empty:
        raise ClvFitError("no customer with a purchase")
    fit_rfm = sample_customers(rfm, max_customers)
    out = FitOutcome(fits=_fit_all(fit_rfm), chosen=None, selection="none", value=None)
    out.customers_fitted, out.sampled = len(fit_rfm), len(fit_rfm) < len(rfm)
    for name, fit in out.fits.items():
        if isinstance(fit, str):
            out.notes.append(f"{name} not used: {fit}")
        elif not fit.usable:
            out.notes.append(f"{name} not used: parameter(s) {', '.join(fit.at_bound)} at the optimizer bound")
    if calibration is not None and weekly is not None and not calibration.empty:
        cal = sample_customers(calibration, max_customers)
        # Fitted on a sample when the portfolio is large, compared on every calibration customer.
        out.comparison = selection.compare(
            calibration, weekly, _fit_all(cal), calibration_days=calibration_days, holdout_days=holdout_days
        )
        if len(cal) < len(calibration):
            out.notes.append(f"holdout fits on a repeatable sample of {len(cal):,} of {len(calibration):,}")
    usable = [n for n, f in out.fits.items() if isinstance(f, PurchaseFit) and f.usable]
    if forced and forced in usable:
        out.chosen, out.selection = forced, "forced"
    else:
        if forced:
            out.notes.append(f"forced model {forced} is not usable; chosen automatically")
        ranked = None
        if out.comparison is not None and out.comparison.chosen in usable:
            ranked = out.comparison.chosen
            out.selection = "holdout"
        else:
            ranked = selection.choose_by_likelihood({n: out.fits[n] for n in usable})
            out.selection = "likelihood" if ranked else "none"
        out.chosen = ranked
    if out.chosen is None:
        return out
    x = fit_rfm["frequency"].to_numpy(dtype=float)
    out.value = choose_value_model(x, fit_rfm["monetary_value"].to_numpy(dtype=float), max_correlation=max_correlation)
    if out.value.reason:
        out.notes.append(f"value per occasion: shrunk mean ({out.value.reason})")
    return out


PARAM_ROW_COLUMNS = (
    "model",
    "parameter",
    "value",
    "std_error",
    "log_likelihood",
    "customers_fitted",
    "status",
    "in_use",
    "covariance_json",
    "note",
)


def outcome_rows(out: FitOutcome) -> pd.DataFrame:
    """One row per model and parameter (purchase models, gamma_gamma, shrunk_mean), with the log-parameter
    covariance row of each parameter as JSON so a stored fit can give intervals."""
    rows: list[tuple[Any, ...]] = []
    for name, fit in out.fits.items():
        if isinstance(fit, str):
            rows += [
                (name, p, np.nan, np.nan, np.nan, out.customers_fitted, "not_converged", False, None, fit)
                for p in MODELS[name].param_names
            ]
            continue
        cov = fit.covariance
        se = fit.std_errors
        for i, (p, v) in enumerate(fit.params.items()):
            rows.append(
                (
                    name,
                    p,
                    v,
                    se[p],
                    fit.log_likelihood,
                    fit.customers,
                    selection.status_of(fit),
                    name == out.chosen,
                    json.dumps(cov[i].tolist()) if cov is not None else None,
                    ", ".join(fit.at_bound),
                )
            )
    vm = out.value
    if vm is not None and vm.gamma_gamma is not None:
        gg = vm.gamma_gamma
        cov, se = gg.covariance, gg.std_errors
        for i, (p, val) in enumerate(gg.params.as_dict().items()):
            rows.append(
                (
                    "gamma_gamma",
                    p,
                    val,
                    se[p],
                    gg.log_likelihood,
                    gg.customers,
                    "ok",
                    vm.method == "gamma_gamma",
                    json.dumps(cov[i].tolist()) if cov is not None else None,
                    f"corr(x, m_x) = {vm.correlation:.3f}",
                )
            )
    if vm is not None and vm.method == "shrunk_mean":
        for p, shrunk in (("k", vm.shrinkage_k), ("population_mean", vm.population_mean)):
            rows.append(("shrunk_mean", p, shrunk, np.nan, np.nan, out.customers_fitted, "ok", True, None, vm.reason))
    return pd.DataFrame(rows, columns=list(PARAM_ROW_COLUMNS))


def fit_from_rows(rows: pd.DataFrame) -> tuple[PurchaseFit, ValueModel]:
    """The purchase fit in use and the value model, rebuilt from outcome_rows (a stored fit)."""
    check_columns(rows, PARAM_ROW_COLUMNS, "stored model parameters")
    used = rows[rows["in_use"].astype(bool)]
    models = [m for m in used["model"].unique() if m in MODELS]
    if len(models) != 1:
        raise ClvFitError(f"stored parameters have {len(models)} purchase models in use")
    name = models[0]
    sub = used[used["model"] == name].set_index("parameter").loc[list(MODELS[name].param_names)]

    def cov_of(frame):
        if frame["covariance_json"].isna().any():
            return None
        return np.array([json.loads(c) for c in frame["covariance_json"]], dtype=float)

    fit = PurchaseFit(
        model=name,
        params={p: float(v) for p, v in sub["value"].items()},
        log_likelihood=float(sub["log_likelihood"].iloc[0]),
        customers=int(sub["customers_fitted"].iloc[0]),
        repeat_customers=0,
        distinct_rows=0,
        iterations=0,
        covariance=cov_of(sub),
    )
    gg = used[used["model"] == "gamma_gamma"]
    if len(gg):
        g = gg.set_index("parameter").loc[["p", "q", "gamma"]]
        ggfit = GammaGammaFit(
            params=GammaGammaParams(*(float(v) for v in g["value"])),
            log_likelihood=float(g["log_likelihood"].iloc[0]),
            customers=int(g["customers_fitted"].iloc[0]),
            frequency_value_correlation=float("nan"),
            iterations=0,
            covariance=cov_of(g),
        )
        return fit, ValueModel("gamma_gamma", gamma_gamma=ggfit)
    sm = used[used["model"] == "shrunk_mean"].set_index("parameter")["value"]
    if len(sm) != 2:
        raise ClvFitError("stored parameters have no value model in use")
    return fit, ValueModel("shrunk_mean", shrinkage_k=float(sm["k"]), population_mean=float(sm["population_mean"]))
