-- A retention rate is a share of the cohort: never below 0 nor above 1.
select *
from {{ ref('cohort_retention') }}
where retention_rate < 0 or retention_rate > 1 or retention_rate is null
