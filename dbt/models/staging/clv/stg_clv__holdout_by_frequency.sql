with source as (
    select * from {{ source('clv', 'holdout_by_frequency') }}
)

select * from source
