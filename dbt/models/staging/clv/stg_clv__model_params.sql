with source as (
    select * from {{ source('clv', 'model_params') }}
)

select * from source
