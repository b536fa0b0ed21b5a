"""Portfolio dynamics arithmetic (growth scenarios, what retention is worth), pure Python for `cartera scenario`.

The marts compute the same formulas in SQL (dbt/macros/dynamics.sql, marts growth_scenarios and
retention_value); tests/integration/test_dynamics.py checks both give the same numbers on one warehouse.
"""

from .scenario import RetentionValue, required_new_customer_rate, retention_value

__all__ = ["RetentionValue", "required_new_customer_rate", "retention_value"]
