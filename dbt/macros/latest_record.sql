{#- The latest ingested record per key: highest source_file_seq, then highest source_line, wins. -#}
{% macro cartera_latest_record(relation, key_column) %}
    select *
    from (
        select
            *,
            row_number() over (
                partition by {{ key_column }}
                order by source_file_seq desc, source_line desc
            ) as record_rank
        from {{ relation }}
    ) as ranked
    where record_rank = 1
{% endmacro %}
