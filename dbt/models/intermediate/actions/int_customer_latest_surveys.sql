{#- Each customer's latest survey answer up to as_of (ties: the later ingested record). -#}
with as_of as (
    select as_of from {{ ref('int_as_of') }}
),

ranked as (
    select
        surveys.customer_id,
        surveys.answered_on,
        surveys.score,
        row_number() over (
            partition by surveys.customer_id
            order by surveys.answered_at desc, surveys.source_file_seq desc, surveys.source_line desc
        ) as answer_rank
    from {{ ref('stg_crm__surveys') }} as surveys
    cross join as_of
    where surveys.answered_on <= as_of.as_of
)

select
    customer_id,
    answered_on as latest_survey_on,
    score as latest_survey_score,
    {{ cartera_nps_category('score') }} as latest_nps_category
from ranked
where answer_rank = 1
