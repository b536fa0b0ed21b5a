with holdout as (
    select * from {{ ref('stg_clv__holdout') }}
)

select customer_id, frequency_cal, predicted_occasions, actual_occasions
from holdout
