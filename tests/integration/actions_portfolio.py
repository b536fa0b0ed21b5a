"""A hand-made portfolio for the retention loop (alerts, playbook, actions, results, surveys, cross-sell); every
expected value is worked out here. as_of = 2026-06-30 (the latest order date). Run with
action_min_group_size = 3 so the small treatment and control groups can be compared.

Early alerts at 2026-06-30 (recent window (04-01, 06-30], the one before (01-01, 04-01], signals (05-31, 06-30]):
  K1  orders 04-30, 05-10, 05-20 (10 each): mean gap 10 d, 41 days since > 2 x 10 -> overdue, high (41 > 40)
  K2  1000 on 02-15, 100 on 06-15: 100 < 0.5 x 1000 -> spend_drop, medium (threshold 500)
  K3  complaint on 06-20 -> complaint, high
  K4  latest survey 4 (06-10; 9 in May) -> detractor, medium
  K6  latest survey 6, the highest detractor score -> detractor, medium (K1's 7 is passive: no alert)
  Nobody else: T1..T3, C1, C3, C4, T5 and W1 are inactive; single-order customers are never overdue.
Win-back: W1 (5000 on 01-15, inactive, very high tier, top-80) -> playbook pb10 (call, priority 5).

Net revenue in the last 365 days: W1 5000, L1 2000, L2 2000, K2 1100, T1 110, T2 60, T4 50, T3 40, K3 40,
K1 30, C1 30, C2 20, L3 20, L4 20, T5/C3/C4/K4/K5/K6 10 each -> 10580. Pareto: W1 0.4726, L1 0.6616,
L2 0.8507 (crosses 0.8) -> top-80 = {W1, L1, L2}.

Cross-sell (order lines): L1 {P1, P2}, L2 {P1, P2}, L3 {P1, P3}, L4 {P3}; N = 4 customers with lines.
  P1 -> P2: both 2, support 0.5, confidence 2/3, lift (2/3) / (2/4) = 4/3;  P2 -> P1: confidence 1, lift 4/3
  P1 -> P3: both 1, support 0.25, confidence 1/3, lift 2/3;  P3 -> P1: confidence 1/2, lift 2/3
  categories: alimentación (P1, P2) 3 customers, herramientas (P3) 2, both 1 (L3): lift (1/3) / (2/4) = 2/3
  next best offer: L3 -> P2 (affinity, lift 4/3); L4 -> P1 (no pair with lift > 1; P1 and P2 are each bought
  by 2 top-80 customers, P1 first by id); W1 and K1..K6 -> P1; L1 owns both favourites -> no offer.

Surveys: K4 9 (05-05) and 4 (06-10), K5 10 (06-11), K6 6 (06-12), K1 7 (06-15); two bad rows (score 11,
'muy bien') quarantined. NPS June (all): 1 promoter (K5), 1 passive (K1), 2 detractors (K4, K6) of 4 ->
(1 - 2) / 4 = -25 points; May: K4 promoter -> 100.
Reachable (current or active) at 06-30: K1..K6, L1..L4, T4, C2 = 12 -> June response rate 4 / 12 = 1/3;
hostelería (K1..K6): 4 / 6 = 2/3.

Actions on 2026-03-01 ('call'): treatment T1..T4 (phone), T5 (email); control C1..C4 (phone).
  Bought again (first repurchase day after the action): T1 +4 (100), T2 +9 (50), T3 +19 (30), T4 +45 (40),
  C1 +14 (20), C2 +50 (10).
  30 days: treatment 3/5, control 1/4: difference 0.35, Newcombe 95% (-0.23162, 0.69860);
     revenue per action [100, 50, 30, 0, 0] vs [20, 0, 0, 0]: 31.0, Welch 95% (-19.96, 81.96), df 4.567
  60 and 90 days: 4/5 vs 2/4: difference 0.30, Newcombe (-0.25013, 0.68639);
     [100, 50, 30, 40, 0] vs [20, 10, 0, 0]: 36.5, Welch (-8.13, 81.13), df 4.673
  By touch point: phone 4 vs 4 (measured), email 1 vs 0 (no_control_group). By segment: retail 5 vs 3
  (C4 is salud), salud 0 vs 1 (no_treatment_group).
  K5 email_campaign (treatment only): no_control_group; K6 visit on 06-20: window_not_elapsed.
"""

from pathlib import Path

from tests.conftest import write

AS_OF = "2026-06-30"

_ORDERS = [
    ("O-K1-1", "K1", "2026-04-30", "10", "web"),
    ("O-K1-2", "K1", "2026-05-10", "10", "web"),
    ("O-K1-3", "K1", "2026-05-20", "10", "web"),
    ("O-K2-1", "K2", "2026-02-15", "1000", "store"),
    ("O-K2-2", "K2", "2026-06-15", "100", "store"),
    ("O-K3-1", "K3", "2026-06-01", "20", "phone"),
    ("O-K3-2", "K3", "2026-06-30", "20", "phone"),
    ("O-K4-1", "K4", "2026-06-05", "10", "web"),
    ("O-K5-1", "K5", "2026-06-10", "10", "web"),
    ("O-K6-1", "K6", "2026-06-12", "10", "web"),
    ("O-W1-1", "W1", "2026-01-15", "5000", "sales_rep"),
    ("O-L1-1", "L1", "2026-06-01", "2000", "web"),
    ("O-L2-1", "L2", "2026-06-02", "2000", "web"),
    ("O-L3-1", "L3", "2026-06-03", "20", "web"),
    ("O-L4-1", "L4", "2026-06-04", "20", "web"),
    *[(f"O-{c}-0", c, "2026-01-10", "10", "web") for c in ["T1", "T2", "T3", "T4", "T5", "C1", "C2", "C3", "C4"]],
    ("O-T1-1", "T1", "2026-03-05", "100", "web"),
    ("O-T2-1", "T2", "2026-03-10", "50", "web"),
    ("O-T3-1", "T3", "2026-03-20", "30", "web"),
    ("O-T4-1", "T4", "2026-04-15", "40", "web"),
    ("O-C1-1", "C1", "2026-03-15", "20", "web"),
    ("O-C2-1", "C2", "2026-04-20", "10", "web"),
]
ORDERS = "order_id,customer_id,order_date,amount,channel\n" + "".join(",".join(r) + "\n" for r in _ORDERS)

_SEGMENTS = {**{f"K{i}": "hostelería" for i in range(1, 7)}, "C4": "salud"}
_NAMES = {"K2": "=2+3 Ana Ruiz", "K1": "Pedro Gil", "W1": "Lucía Vega"}
CUSTOMERS = "customer_id,name,email,phone,first_contact_date,acquisition_channel,segment,region\n" + "".join(
    f"{c},{_NAMES.get(c, 'Cliente ' + c)},{c.lower()}@example.es,+34 600 000 000,2025-12-01,web,"
    f"{_SEGMENTS.get(c, 'retail')},Madrid\n"
    for c in sorted({r[1] for r in _ORDERS})
)

ORDER_LINES = """order_id,product_id,quantity,line_amount
O-L1-1,P1,1,1000
O-L1-1,P2,1,1000
O-L2-1,P1,1,1000
O-L2-1,P2,1,1000
O-L3-1,P1,1,10
O-L3-1,P3,1,10
O-L4-1,P3,1,20
"""

PRODUCTS = """product_id,name,category
P1,Aceite de oliva 5 l,alimentación
P2,Jamón serrano,alimentación
P3,Taladro,herramientas
"""

INTERACTIONS = """customer_id,occurred_at,channel,kind
K3,2026-06-20 10:00:00,phone,complaint
K2,2026-06-01 11:00:00,email,inquiry
T1,2026-03-01 09:00:00,email,billing_error
"""

SURVEYS = """customer_id,answered_at,score,comment
K4,2026-05-05 10:00:00,9,Todo bien
K4,2026-06-10 10:00:00,4,Llegó tarde
K5,2026-06-11 10:00:00,10,Excelente
K6,2026-06-12 10:00:00,6,
K1,2026-06-15 10:00:00,7,Bien
K5,2026-06-13 10:00:00,11,fuera de escala
K6,2026-06-14 10:00:00,muy bien,sin número
"""

ACTIONS = (
    "customer_id,action_date,action_type,touch_point,group\n"
    + "".join(f"T{i},2026-03-01,call,phone,treatment\n" for i in range(1, 5))
    + "T5,2026-03-01,call,email,treatment\n"
    + "".join(f"C{i},2026-03-01,call,phone,control\n" for i in range(1, 5))
    + "K5,2026-03-01,email_campaign,email,treatment\n"
    + "K6,2026-06-20,visit,store,treatment\n"
)

RUN_VARS = {"action_min_group_size": 3}


def write_actions_portfolio(landing: Path) -> Path:
    write(landing / "orders.csv", ORDERS)
    write(landing / "customers.csv", CUSTOMERS)
    write(landing / "order_lines.csv", ORDER_LINES)
    write(landing / "products.csv", PRODUCTS)
    write(landing / "interactions.csv", INTERACTIONS)
    write(landing / "surveys.csv", SURVEYS)
    write(landing / "actions.csv", ACTIONS)
    return landing
