"""A small orders-only portfolio for the portfolio-dynamics marts; every expected value is worked out here.

as_of = 2026-06-30 (var). A year ago = 2025-06-30; two years ago = 2024-06-30. Every occasion in the year
before (2024-07-01 .. 2025-06-30) is worth 100, every occasion in the last year 102.

customer  occasions                                          at 2025-06-30           at 2026-06-30 (as_of)
A         2024-07-01, 2025-06-01, 2026-06-01                 current (2 in 365 d)    active (1 in 365 d)
B         2025-05-15                                         active                  inactive      <- churned
C         2025-04-10, 2025-06-20, 2026-05-10, 2026-06-30     current                 current
D         2025-06-30, 2026-04-15                             active                  active (2025-06-30 is out)
E         2026-03-01                                         -                       inactive (121 days)
F         2026-06-15                                         -                       active
G         2024-08-01, 2026-06-20                             inactive                active        <- came back

Growth: churn c = 1 (B) / 4 (A, B, C, D) = 0.25. Price change p = 102 / 100 - 1 = 0.02 (history starts on
2024-07-01, the first day of the earlier year). For g = 0.05: n = 1.05 / 1.02 - 0.75 = 0.279412 (27.9%).
New customers last year: E, F -> observed rate 2 / 4 = 0.5. Customers now (current or active): A, C, D, F,
G = 5 -> required_new_customers = round(0.279412 x 5) = 1.

Churn by month, June 2026 (start = statuses on 2026-05-31: A inactive (2025-06-01 is 364 days back, one
occasion in 365), B inactive, C current, D current (2025-06-30 and 2026-04-15), E inactive (91 days), G
inactive; F not a buyer yet): customers_at_start 2 (C, D), retained 2, churned 0, new 1 (F), reactivated 2
(A, G), customers_at_end 5 = 2 + 1 + 2. Revenue 4 x 102 = 408 in 4 occasions; May 2026: C's 102 ->
revenue_growth 3.0, price_change 0.
August 2025 (start 2025-07-31: A active, B active, C current, D active): at 2025-08-31 A is 91 days past
2025-06-01 and B 108 days past 2025-05-15 -> churned 2, retained 2 (C, D), churn_rate 0.5.
Year 2026 (2026-01-01 .. as_of, incomplete): nobody was buying on 2025-12-31 -> customers_at_start 0;
new_customers 1 (F; E joined in March but is inactive at as_of: new_customers_lapsed 1), reactivated 4
(A, C, D, G), customers_at_end 5.

Retention value (defaults: discount 10% a year, ratio 5): N = 5, R = (A 102 + C 204 + D 102 + F 102 +
G 102) / 5 = 122.4. 5 points: r 0.75 -> 0.80, K = 5 x 0.05 = 0.25 kept a year, next 12 months 0.25 x
122.4 = 30.6, L(0.80) = 1.1 / 0.3 = 3.6667 -> lifetime 112.2; L(0.75) = 1.1 / 0.35 = 3.142857 -> new
customers for the same revenue 0.25 x 3.6667 / 3.142857 = 0.291667, effort 5 x 0.291667 = 1.458333.

Lifecycle at as_of (onboarding 180 d, +-10% over 365 d): A last year 102 vs 200 before -> decline; C 204 vs
200 maturity; D 102 vs 100 maturity; G 102 vs 100 maturity; F 15 days old -> onboarding; B, E lapsed.
Non-lapsed 5, maturity + decline 4 -> mature_share 0.8 > 0.5: maturity warning.

Status moves into as_of (from 2026-05-31): inactive -> active 2 (A, G), current -> current 1 (C),
current -> active 1 (D), inactive -> inactive 2 (B, E), new -> active 1 (F): 7 = the buyers at as_of.

Pareto (last 365 days): C 204, then A, D, E, F, G 102 each (ties by customer_id), total 714. Cumulative
204, 306, 408, 510, 612 (0.857, first >= 0.8 at F) -> top group C, A, D, E, F (5); rest G (1). Top-group
customers now inactive: E (1); rest: 0.
"""

from pathlib import Path

from tests.conftest import write

AS_OF = "2026-06-30"

ORDERS = """customer_id,order_date,amount
A,2024-07-01,100
A,2025-06-01,100
A,2026-06-01,102
B,2025-05-15,100
C,2025-04-10,100
C,2025-06-20,100
C,2026-05-10,102
C,2026-06-30,102
D,2025-06-30,100
D,2026-04-15,102
E,2026-03-01,102
F,2026-06-15,102
G,2024-08-01,100
G,2026-06-20,102
"""


def write_dynamics_portfolio(landing: Path) -> Path:
    write(landing / "orders.csv", ORDERS)
    return landing
