with source as (
    select * from {{ source('clv', 'customer_scores') }}
)

select * from source
