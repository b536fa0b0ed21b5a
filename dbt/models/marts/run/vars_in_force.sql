{#-
  The business vars this build used: what every window, share and threshold in the marts was computed with.
  The report states its numbers from here, so a run with other vars reads with those numbers.
-#}
with declared as (
    {{ cartera_vars_in_force_rows() }}
)

select var_name, var_type, var_value
from declared
