with source as (
    select * from {{ source('crm', 'orders') }}
),

renamed as (
    select
        {{ dbt.cast('order_id', dbt.type_string()) }} as order_id,
        {{ dbt.cast('customer_id', dbt.type_string()) }} as customer_id,
        {{ dbt.cast('order_date', 'date') }} as order_date,
        {{ dbt.cast('amount', 'decimal(18, 2)') }} as amount,
        lower(trim(channel)) as channel,
        quantity,
        _file as source_file,
        _line as source_line,
        _file_seq as source_file_seq
    from source
)

select * from renamed
