"""The small hand-made portfolio the integration tests run on; every expected value is worked out in
the comments here. as_of = 2026-06-30 (the latest order date).

customer  orders (date: amount)                               why
C001      2026-05-01: 50, 2026-06-30: 100                     current: 2 occasions in 365 d, last within 90
C002      2026-04-02: 200                                     active: last 89 days before as_of, one occasion
C003      2026-03-31: 300                                     inactive: last 91 days before as_of
C004      2026-04-01: 40 (Latin-1 ';' file, decimal comma)    inactive: exactly 90 days is not "in the last 90"
00042     2026-02-10: 10, 2026-06-01: 10, 2026-06-15: 10      current; leading zeros kept
C009      (in customers.csv, never bought)                    probable
P1        prospect, interest yes, capacity high               potential
P2        prospect, interest yes, capacity low                probable

Revenue in the last 365 days: C003 300, C002 200, C001 150, C004 40, 00042 30 -> total 720, mean m = 144.
Volume: C003 300 >= 2.0 m = 288 very_high; C002 200 >= 1.25 m = 180 high; C001 150 >= 0.75 m = 108 medium;
        C004 40 and 00042 30 low.
Pareto: C003 300/720 = 0.4167, +C002 = 500/720 = 0.6944, +C001 = 650/720 = 0.9028 (first to reach 0.8):
        top-80 = C003, C002, C001 -> 3 of 5 customers (0.6), 650 of 720 revenue.
Frequency: C001 (2026-06-30 - 2026-05-01) = 60 d -> habitual; 00042 (2026-06-15 - 2026-02-10) / 2 = 125 / 2
        = 62.5 d -> habitual; C002, C003, C004 single occasion -> occasional.
Cohorts: 2026-04 = {C002, C004}: period 0 active 2, revenue 240; periods 1 and 2 active 0.
        2026-02 = {00042}: period 4 (June) active 1 (two occasions), revenue 20.
Quarantined: orders.csv line 8 (amount 'abc'), line 9 (no customer_id).
"""

from pathlib import Path

from tests.conftest import write

AS_OF = "2026-06-30"

ORDERS = """order_id,customer_id,order_date,amount
A1,C001,2026-05-01,50.00
A2,C001,30/06/2026,100
A3,C002,2026-04-02,200
A4,C003,2026-03-31,300
A5,00042,2026-02-10,10
A6,00042,2026-06-01,10
A7,00042,15/06/2026,10
A8,C005,2026-06-01,abc
A9,,2026-06-01,12
"""

ORDERS_LATIN1 = "order_id;customer_id;order_date;amount\nB1;C004;01/04/2026;40,00\n"

CUSTOMERS_LATIN1 = """customer_id;name;email;phone;first_contact_date;acquisition_channel;segment;region
C001;José Núñez Peña;jose@example.es;+34 600 000 001;2026-01-10;web;hostelería;Andalucía
C002;Lucía Ávila;lucia@example.es;+34 600 000 002;2026-01-11;referral;retail;Madrid
C003;Ana Gómez;ana@example.es;;2026-01-12;web;retail;Madrid
C004;Luis Peña;luis@example.es;;2026-01-13;sales_rep;salud;Galicia
00042;Íñigo Ortiz;inigo@example.es;;2026-01-14;web;industria;País Vasco
C009;Marta Ruiz;marta@example.es;;2026-05-14;trade_fair;retail;Madrid
"""

PROSPECTS = """prospect_id,name,interest_shown,economic_capacity
P1,Pedro Sanz,yes,high
P2,Eva Mora,yes,low
"""


def write_portfolio(landing: Path) -> Path:
    write(landing / "orders.csv", ORDERS)
    write(landing / "orders_2026-06-latin1.csv", ORDERS_LATIN1, encoding="latin-1")
    write(landing / "customers.csv", CUSTOMERS_LATIN1, encoding="latin-1")
    write(landing / "prospects.csv", PROSPECTS)
    return landing
