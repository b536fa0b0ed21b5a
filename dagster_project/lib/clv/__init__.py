"""Customer lifetime value: purchase models (BG/NBD, MBG/NBD, Pareto/NBD), Gamma-Gamma value per occasion,
the holdout comparison that chooses a model, and scoring with intervals. Pure numpy/scipy/pandas: data frames
and arrays in and out, no connections, no Dagster."""
