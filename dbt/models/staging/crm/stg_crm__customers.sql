with source as (
    select * from {{ source('crm', 'customers') }}
),

renamed as (
    select
        {{ dbt.cast('customer_id', dbt.type_string()) }} as customer_id,
        nullif(trim(name), '') as customer_name,
        lower(nullif(trim(email), '')) as email,
        nullif(trim(phone), '') as phone,
        {{ dbt.cast('first_contact_date', 'date') }} as first_contact_date,
        lower(nullif(trim(acquisition_channel), '')) as acquisition_channel,
        nullif(trim(segment), '') as segment,
        nullif(trim(region), '') as region,
        _file as source_file,
        _line as source_line,
        _file_seq as source_file_seq
    from source
)

select * from renamed
