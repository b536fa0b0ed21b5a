"""Deterministic sample-portfolio generator for Cartera.

``generate_portfolio`` writes a realistic, seeded customer portfolio as CRM/ERP-style
CSV exports (UTF-8, comma separated, header row, ISO dates) into a landing directory:

======================  ==========================================================
file                    columns
======================  ==========================================================
orders.csv              order_id, customer_id, order_date, amount, channel, quantity
customers.csv           customer_id, name, email, phone, first_contact_date,
                        acquisition_channel, segment, region
order_lines.csv         order_id, product_id, quantity, line_amount
products.csv            product_id, name, category
interactions.csv        customer_id, occurred_at, channel, kind
prospects.csv           prospect_id, name, interest_shown, economic_capacity
actions.csv             customer_id, action_date, action_type, touch_point, group
surveys.csv             customer_id, answered_at, score, comment
======================  ==========================================================

With ``orders_only=True`` only ``orders.csv`` is written, with the minimal export columns
``customer_id, order_date, amount`` (the benchmark path: ~900k customers / ~10M orders).

Model (Pareto/NBD-like, vectorised with numpy):

* first contacts spread over the window with exponential growth (~30 %/year); customer ids
  are assigned in first-contact order and zero-padded (``00042``);
* first order a few weeks after first contact (some contacts never buy);
* each buyer has a Gamma-distributed purchase rate and an exponential dropout (churn) time
  with Gamma-distributed churn rate; repeat orders are a Poisson process until dropout,
  thinned by seasonality (high Nov-Dec, low August, few weekend orders);
* order values are lognormal around a per-customer lognormal mean (scaled by segment);
* ~2 % of orders are partially or fully returned later (own order id, negative amount);
* customers who churn log more complaints/billing errors before leaving, spend less in their
  last months, and answer satisfaction surveys (0-10) as detractors far more often;
* retention actions in the last year are randomised ~50/50 treatment/control per customer;
  treatment delays churn for calls and discounts, barely for visits and e-mail campaigns;
* further lines of an order are often the companion of its first product (real basket affinities).

Determinism: every random stream is seeded from ``(seed, stream, chunk)`` and customers are
processed in fixed chunks of ``CHUNK_CUSTOMERS``, so the same arguments always give
byte-identical files, and ``orders_only`` writes exactly the (customer_id, order_date,
amount) projection of the full run's orders.csv. Files are written to a temporary name and
renamed into place, so a watcher never sees a half-written export.

Modules:
  portfolio  generate_portfolio, window_start (argument checks, file orchestration)
  model      window context and per-chunk latent customer parameters
  orders     orders, returns, channels/quantities and order lines
  catalog    product catalogue and P(product | segment)
  customers  customers.csv profile columns (names, emails, phones, regions)
  activity   interactions, retention actions, prospects
  names      Spanish first names/surnames, e-mail domains
  sampling   seeded random streams and categorical draws
  writers    atomic CSV writer and Arrow column helpers
"""

from .model import CHUNK_CUSTOMERS
from .portfolio import generate_portfolio, window_start

__all__ = ["generate_portfolio", "window_start", "CHUNK_CUSTOMERS"]
