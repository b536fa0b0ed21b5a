with source as (
    select * from {{ source('crm', 'products') }}
),

renamed as (
    select
        {{ dbt.cast('product_id', dbt.type_string()) }} as product_id,
        nullif(trim(name), '') as product_name,
        nullif(trim(category), '') as category,
        _file as source_file,
        _line as source_line,
        _file_seq as source_file_seq
    from source
)

select * from renamed
