-- Every cohort customer bought in the cohort month, so period 0 retains the whole cohort.
select *
from {{ ref('cohort_retention') }}
where period_number = 0
    and (active_customers != cohort_size or retention_rate != 1)
