with source as (
    select * from {{ source('crm', 'surveys') }}
),

renamed as (
    select
        {{ dbt.cast('customer_id', dbt.type_string()) }} as customer_id,
        {{ dbt.cast('answered_at', dbt.type_timestamp()) }} as answered_at,
        {{ dbt.cast('answered_at', 'date') }} as answered_on,
        {{ dbt.cast('score', dbt.type_int()) }} as score,
        comment as survey_comment,
        _file as source_file,
        _line as source_line,
        _file_seq as source_file_seq
    from source
)

select * from renamed
