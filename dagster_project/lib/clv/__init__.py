"""Customer lifetime value: purchase models (BG/NBD, MBG/NBD, Pareto/NBD), Gamma-Gamma value per occasion,
the holdout comparison that chooses a model, and scoring with intervals. Pure numpy/scipy/pandas: data frames
and arrays in and out, no connections, no Dagster.

Modules:
  purchase      the purchase models behind one interface (fit, p_alive, expected purchases, no-purchase chance,
                median wait): BG/NBD and MBG/NBD (_betageo), Pareto/NBD (paretonbd)
  gamma_gamma   value per occasion (Gamma-Gamma), the independence check and the shrunk-mean fallback
  scoring       score customers with a fit: CLV and its 90% interval (Laplace + delta method)
  selection     compare the models on a holdout and choose one
  workflow      one refit (all models, choice, value model) and stored-fit rows
  refit         when to refit and when to score with stored parameters
  simulate      customers simulated from known parameters (tests, benchmark)
"""

from ._common import MONTH_DAYS, WEEK_DAYS, ClvFitError

__all__ = ["MONTH_DAYS", "WEEK_DAYS", "ClvFitError"]
