{#- The holdout comparison of the purchase models at the last refit, and the one chosen. -#}
with comparison as (
    select * from {{ ref('stg_clv__model_comparison') }}
)

select
    model,
    status,
    calibration_end,
    holdout_end,
    calibration_log_likelihood,
    holdout_predicted,
    holdout_actual,
    curve_error,
    customer_mae,
    model_rank,
    chosen,
    note,
    fit_id
from comparison
