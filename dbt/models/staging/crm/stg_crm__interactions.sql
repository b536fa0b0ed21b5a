with source as (
    select * from {{ source('crm', 'interactions') }}
),

renamed as (
    select
        {{ dbt.cast('customer_id', dbt.type_string()) }} as customer_id,
        {{ dbt.cast('occurred_at', dbt.type_timestamp()) }} as occurred_at,
        {{ dbt.cast('occurred_at', 'date') }} as occurred_on,
        lower(trim(channel)) as channel,
        lower(trim(kind)) as kind,
        _file as source_file,
        _line as source_line,
        _file_seq as source_file_seq
    from source
)

select * from renamed
