with source as (
    select * from {{ source('clv', 'model_comparison') }}
)

select * from source
