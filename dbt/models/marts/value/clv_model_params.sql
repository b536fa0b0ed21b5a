{#- The fit in force: every model's parameters with the date and data it was fitted on. -#}
with params as (
    select * from {{ ref('stg_clv__model_params') }}
)

select
    model,
    parameter,
    value,
    std_error,
    log_likelihood,
    customers_fitted,
    fitted_as_of as calibration_end,
    'week' as time_unit,
    fitted_at,
    in_use,
    status,
    selection,
    buyers,
    occasions,
    sampled,
    fit_id,
    note
from params
