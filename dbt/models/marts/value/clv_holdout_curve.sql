with curve as (
    select * from {{ ref('stg_clv__holdout_curve') }}
)

select model, week_number, week_start, actual_cumulative, predicted_cumulative
from curve
