with source as (
    select * from {{ source('crm', 'order_lines') }}
),

renamed as (
    select
        {{ dbt.cast('order_id', dbt.type_string()) }} as order_id,
        {{ dbt.cast('product_id', dbt.type_string()) }} as product_id,
        quantity,
        {{ dbt.cast('line_amount', 'decimal(18, 2)') }} as line_amount,
        _file as source_file,
        _line as source_line,
        _file_seq as source_file_seq
    from source
)

select * from renamed
