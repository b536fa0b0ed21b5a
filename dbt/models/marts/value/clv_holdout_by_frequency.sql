with by_frequency as (
    select * from {{ ref('stg_clv__holdout_by_frequency') }}
)

select model, frequency_bucket, customers, mean_predicted, mean_actual
from by_frequency
