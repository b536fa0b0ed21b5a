with source as (
    select * from {{ source('crm', 'prospects') }}
),

renamed as (
    select
        {{ dbt.cast('prospect_id', dbt.type_string()) }} as prospect_id,
        nullif(trim(name), '') as prospect_name,
        {{ dbt.cast('interest_shown', dbt.type_boolean()) }} as interest_shown,
        {{ dbt.cast('economic_capacity', dbt.type_boolean()) }} as economic_capacity,
        _file as source_file,
        _line as source_line,
        _file_seq as source_file_seq
    from source
)

select * from renamed
