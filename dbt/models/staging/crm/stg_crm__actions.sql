with source as (
    select * from {{ source('crm', 'actions') }}
),

renamed as (
    select
        {{ dbt.cast('customer_id', dbt.type_string()) }} as customer_id,
        {{ dbt.cast('action_date', 'date') }} as action_date,
        lower(trim(action_type)) as action_type,
        lower(trim(touch_point)) as touch_point,
        lower(trim(action_group)) as action_group,
        _file as source_file,
        _line as source_line,
        _file_seq as source_file_seq
    from source
)

select * from renamed
