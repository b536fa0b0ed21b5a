with source as (
    select * from {{ source('clv', 'holdout') }}
)

select * from source
