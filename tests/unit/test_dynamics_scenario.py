"""The growth and retention arithmetic (lib/dynamics) on hand-worked values; README works the same example."""

import pytest

from dagster_project.lib.dynamics import required_new_customer_rate, retention_value
from dagster_project.lib.dynamics.scenario import lifetime_factor


def test_25_percent_churn_and_2_percent_prices_need_27_9_percent_new_customers_to_grow_5_percent():
    # (1 + 0.05) / (1 + 0.02) - (1 - 0.25) = 1.029412 - 0.75
    assert required_new_customer_rate(0.25, 0.02, 0.05) == pytest.approx(0.279412, abs=1e-6)


def test_standing_still_needs_exactly_the_churn_back_when_prices_do_not_move():
    assert required_new_customer_rate(0.25, 0.0, 0.0) == pytest.approx(0.25)


def test_lifetime_factor_is_the_discounted_geometric_series():
    assert lifetime_factor(0.8, 0.10) == pytest.approx(sum((0.8 / 1.1) ** t for t in range(2000)))


def test_five_points_of_retention_on_1000_customers_spending_400():
    # r 0.75 -> 0.80: K = 50; 12 months 50 x 400 = 20,000; L(0.80) = 1.1 / 0.3 = 3.6667 -> 73,333.33;
    # L(0.75) = 1.1 / 0.35 = 3.142857 -> new customers 50 x 3.6667 / 3.142857 = 58.33, effort x5 = 291.67;
    # at 300 per new customer: 17,500 to win them, 50 x 300 / 5 = 3,000 to keep these.
    v = retention_value(
        base_customers=1000,
        churn_rate=0.25,
        revenue_per_customer_year=400,
        retention_gain=0.05,
        discount_rate=0.10,
        acquisition_cost_ratio=5,
        acquisition_cost=300,
    )
    assert v.customers_kept_per_year == pytest.approx(50)
    assert v.revenue_next_12m == pytest.approx(20_000)
    assert v.revenue_lifetime == pytest.approx(73_333.33, abs=0.01)
    assert v.new_customers_equivalent == pytest.approx(58.33, abs=0.01)
    assert v.acquisition_effort_in_retention_units == pytest.approx(291.67, abs=0.01)
    assert v.acquisition_cost_equivalent == pytest.approx(17_500)
    assert v.retention_cost_of_kept == pytest.approx(3_000)


def test_retention_cannot_pass_100_percent():
    v = retention_value(
        base_customers=100, churn_rate=0.02, revenue_per_customer_year=10, retention_gain=0.05, discount_rate=0.1
    )
    assert v.improved_retention_rate == 1.0 and v.customers_kept_per_year == pytest.approx(2)


@pytest.mark.parametrize("bad", [{"churn_rate": 1.5}, {"retention_gain": 0}, {"discount_rate": -0.1}])
def test_out_of_range_inputs_are_refused(bad):
    args = dict(base_customers=1, churn_rate=0.2, revenue_per_customer_year=1, retention_gain=0.01, discount_rate=0.1)
    with pytest.raises(ValueError):
        retention_value(**(args | bad))
