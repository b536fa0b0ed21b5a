"""The purchase models behind one small interface: fit on (x, t_x, T), then p_alive, expected purchases,
the chance of no purchase and the median waiting time, for BG/NBD, MBG/NBD and Pareto/NBD.

Units: x = repeat purchase occasions (days with a purchase after the first), t_x = weeks from the first to
the last purchase, T = weeks from the first purchase to the end of the period. Horizons t are in weeks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from . import _betageo, paretonbd
from ._common import ClvFitError, Compressed, laplace_covariance, maximize_log_likelihood, numeric_hessian


@dataclass(frozen=True)
class PurchaseModel:
    name: str  # stable code used in the marts: bgnbd, mbgnbd, paretonbd
    title: str
    param_names: tuple[str, ...]
    make_log_likelihood: Callable  # Compressed -> (theta, grad) -> (total log-likelihood, gradient in theta)
    start: Callable  # Compressed -> log-parameter starting point
    p_alive: Callable  # (theta, x, t_x, T) -> P(alive)
    alive_occasions: Callable  # (theta, t, x, T) -> E[purchases in the next t weeks | alive]
    p_no_purchase_alive: Callable  # (theta, t, x, T) -> P(no purchase in the next t weeks | alive)
    median_weeks_to_next: Callable  # (theta, p_alive, x, T) -> median weeks to the next purchase (NaN: none)


def _betageo_ll(shift: int):
    def make(d: Compressed):
        return lambda theta, grad: _betageo.log_likelihood(theta, d, shift, grad)

    return make


def _betageo_model(name: str, title: str, shift: int) -> PurchaseModel:
    return PurchaseModel(
        name=name,
        title=title,
        param_names=_betageo.PARAM_NAMES,
        make_log_likelihood=_betageo_ll(shift),
        start=_betageo.start,
        p_alive=lambda theta, x, t_x, T: _betageo.p_alive(theta, shift, x, t_x, T),
        alive_occasions=lambda theta, t, x, T: _betageo.alive_occasions(theta, shift, t, x, T),
        p_no_purchase_alive=_betageo.p_no_purchase_alive,
        median_weeks_to_next=_betageo.median_weeks_to_next,
    )


MODELS: dict[str, PurchaseModel] = {
    "bgnbd": _betageo_model("bgnbd", "BG/NBD", 0),
    "mbgnbd": _betageo_model("mbgnbd", "MBG/NBD", 1),
    "paretonbd": PurchaseModel(
        name="paretonbd",
        title="Pareto/NBD",
        param_names=paretonbd.PARAM_NAMES,
        make_log_likelihood=paretonbd.make_log_likelihood,
        start=paretonbd.start,
        p_alive=paretonbd.p_alive,
        alive_occasions=lambda theta, t, x, T: paretonbd.alive_occasions(theta, t, x, T),
        p_no_purchase_alive=paretonbd.p_no_purchase_alive,
        median_weeks_to_next=paretonbd.median_weeks_to_next,
    ),
}


def model(name: str) -> PurchaseModel:
    try:
        return MODELS[name]
    except KeyError:
        raise ClvFitError(f"unknown purchase model {name!r}; expected one of {', '.join(MODELS)}") from None


@dataclass(frozen=True)
class PurchaseFit:
    """A fitted purchase model: maximum-likelihood parameters and their Laplace covariance."""

    model: str
    params: dict[str, float]
    log_likelihood: float  # total over customers
    customers: int
    repeat_customers: int
    distinct_rows: int
    iterations: int
    covariance: np.ndarray | None = None  # of the log-parameters (inverse Hessian at the maximum)
    at_bound: list[str] = field(default_factory=list)

    @property
    def spec(self) -> PurchaseModel:
        return model(self.model)

    @property
    def theta(self) -> np.ndarray:
        return np.array([self.params[n] for n in self.spec.param_names], dtype=float)

    @property
    def usable(self) -> bool:
        """Parameters inside the optimizer's bounds: the data identify them."""
        return not self.at_bound

    @property
    def std_errors(self) -> dict[str, float]:
        """Standard errors of the parameters (delta method from the log scale); NaN without a covariance."""
        if self.covariance is None:
            return {n: float("nan") for n in self.params}
        sd = np.sqrt(np.diag(self.covariance))
        return {n: float(self.params[n] * s) for n, s in zip(self.spec.param_names, sd, strict=True)}

    def p_alive(self, x, t_x, T) -> np.ndarray:
        return self.spec.p_alive(self.theta, x, t_x, T)

    def expected_occasions(self, t, x, t_x, T) -> np.ndarray:
        """E[Y(t) | x, t_x, T]: expected purchases in the next t weeks."""
        return self.p_alive(x, t_x, T) * self.spec.alive_occasions(self.theta, t, x, T)

    def expected_occasions_new_customer(self, t) -> np.ndarray:
        """Unconditional E[X(t)]: repeat purchases in the first t weeks after a first purchase."""
        t = np.asarray(t, dtype=float)
        zero = np.zeros_like(t)
        return self.spec.p_alive(self.theta, zero, zero, zero) * self.spec.alive_occasions(self.theta, t, zero, zero)

    def p_no_purchase(self, t, x, t_x, T) -> np.ndarray:
        """P(no purchase in the next t weeks | x, t_x, T) = 1 - p_alive + p_alive P(none | alive)."""
        pa = self.p_alive(x, t_x, T)
        return 1.0 - pa + pa * self.spec.p_no_purchase_alive(self.theta, t, x, T)

    def median_weeks_to_next(self, x, t_x, T) -> np.ndarray:
        return self.spec.median_weeks_to_next(self.theta, self.p_alive(x, t_x, T), x, T)


def fit(name: str, x, t_x, T, *, min_customers: int = 50, min_repeat_customers: int = 10) -> PurchaseFit:
    """Maximum-likelihood fit of one purchase model on per-customer (x, t_x, T) in weeks.

    Identical rows are collapsed first; raises ClvFitError on too little data or when the optimizer does not
    converge. Parameters at the optimizer bound [1e-6, 1e6] are reported in `at_bound` (the fit is then not
    usable for scoring).
    """
    spec = model(name)
    d = Compressed.of(x, t_x, T)
    n = d.customers
    n_rep = int(d.weight @ (d.x > 0))
    if n < min_customers:
        raise ClvFitError(f"{spec.title} needs at least {min_customers} customers; got {n}")
    if n_rep < min_repeat_customers:
        raise ClvFitError(
            f"{spec.title} needs at least {min_repeat_customers} customers with a repeat occasion; got {n_rep} of {n}"
        )
    ll = spec.make_log_likelihood(d)

    def objective(log_theta):
        theta = np.exp(log_theta)
        with np.errstate(all="ignore"):
            total, g = ll(theta, True)
        if not np.isfinite(total) or not np.all(np.isfinite(g)):
            return np.inf, np.zeros_like(log_theta)
        return -total / n, -g * theta / n

    log_theta, fun, iters, at_bound = maximize_log_likelihood(objective, spec.start(d), spec.title, spec.param_names)
    with np.errstate(all="ignore"):
        hess = numeric_hessian(lambda v: objective(v)[1] * n, log_theta)
    cov = None if at_bound else laplace_covariance(hess)
    return PurchaseFit(
        model=name,
        params={k: float(v) for k, v in zip(spec.param_names, np.exp(log_theta), strict=True)},
        log_likelihood=float(-fun * n),
        customers=n,
        repeat_customers=n_rep,
        distinct_rows=int(d.x.shape[0]),
        iterations=iters,
        covariance=cov,
        at_bound=at_bound,
    )


def log_likelihood(name: str, params: dict[str, float], x, t_x, T) -> float:
    """Total log-likelihood of given parameters on (x, t_x, T)."""
    spec = model(name)
    theta = np.array([params[n] for n in spec.param_names], dtype=float)
    return spec.make_log_likelihood(Compressed.of(x, t_x, T))(theta, False)[0]
