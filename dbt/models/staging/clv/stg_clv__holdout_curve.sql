with source as (
    select * from {{ source('clv', 'holdout_curve') }}
)

select * from source
