{#-
  One survey answer per customer and month, up to as_of: the customer's latest answer of that month
  (a customer answering twice in a month counts once), with its NPS category.
-#}
with as_of as (
    select as_of from {{ ref('int_as_of') }}
),

answers as (
    select
        surveys.customer_id,
        surveys.answered_at,
        surveys.answered_on,
        surveys.score,
        {{ dbt.cast(dbt.date_trunc('month', 'surveys.answered_on'), 'date') }} as answer_month,
        surveys.source_file_seq,
        surveys.source_line
    from {{ ref('stg_crm__surveys') }} as surveys
    cross join as_of
    where surveys.answered_on <= as_of.as_of
),

ranked as (
    select
        answers.*,
        row_number() over (
            partition by customer_id, answer_month
            order by answered_at desc, source_file_seq desc, source_line desc
        ) as answer_rank
    from answers
)

select
    customer_id,
    answer_month,
    answered_on,
    score,
    {{ cartera_nps_category('score') }} as nps_category
from ranked
where answer_rank = 1
