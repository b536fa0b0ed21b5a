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
* customers who churn log more complaints/billing errors before leaving;
* retention actions in the last year are randomised ~50/50 treatment/control per customer,
  and treatment slightly delays churn of customers still alive at the action date.

Determinism: every random stream is seeded from ``(seed, stream, chunk)`` and customers are
processed in fixed chunks of ``CHUNK_CUSTOMERS``, so the same arguments always give
byte-identical files, and ``orders_only`` writes exactly the (customer_id, order_date,
amount) projection of the full run's orders.csv. Files are written to a temporary name and
renamed into place, so a watcher never sees a half-written export.
"""

from __future__ import annotations

import os
import unicodedata
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

__all__ = ["generate_portfolio", "window_start", "CHUNK_CUSTOMERS"]

CHUNK_CUSTOMERS = 100_000
DAYS_PER_YEAR = 365.25
_EPOCH = date(1970, 1, 1)

# ---------------------------------------------------------------- random streams
_S_CONTACTS, _S_CUSTOMER, _S_ORDERS, _S_ORDER_EXTRA, _S_LINES = 0, 1, 2, 3, 4
_S_PROFILE, _S_INTERACTIONS, _S_ACTIONS, _S_PROSPECTS = 5, 6, 7, 8

# ---------------------------------------------------------------- model parameters
ANNUAL_GROWTH = 1.30  # new contacts per year grow 30 %
FIRST_ORDER_LAG_DAYS = 21.0  # mean days from first contact to first order
NEVER_BUY_SHARE = 0.06  # contacts that never order (besides those contacted too late)
RATE_SHAPE, RATE_MEAN_PER_YEAR = 0.85, 14.0  # Gamma heterogeneity of repeat purchase rate
RATE_CAP_PER_YEAR = 200.0
CHURN_SHAPE, CHURN_MEAN_PER_YEAR = 2.0, 0.65  # Gamma heterogeneity of dropout rate
VALUE_MEDIAN_EUR, VALUE_CUSTOMER_SIGMA, VALUE_ORDER_SIGMA = 95.0, 0.75, 0.5
MIN_ORDER_CENTS = 100
RETURN_SHARE, FULL_RETURN_SHARE, RETURN_MAX_DAYS = 0.02, 0.55, 30
ACTION_TARGET_SHARE, ACTION_LOOKBACK_DAYS = 0.30, 365
TREATMENT_RETAIN_PROB, TREATMENT_EXTRA_LIFE_DAYS = 0.40, 240.0
MISSING_PHONE_SHARE = 0.02
PROSPECTS_PER_CUSTOMER = 0.20

# month 1..12 and weekday Mon..Sun purchase multipliers
_MONTH_FACTOR = np.array([0.9, 0.95, 1.0, 1.0, 1.05, 1.0, 0.85, 0.55, 1.0, 1.05, 1.3, 1.4])
_WEEKDAY_FACTOR = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 0.4, 0.15])

SEGMENTS = ["hostelería", "retail", "construcción", "salud", "educación", "industria", "servicios"]
_SEGMENT_P = [0.22, 0.20, 0.14, 0.11, 0.08, 0.12, 0.13]
_SEGMENT_VALUE = np.array([0.8, 0.9, 1.6, 1.2, 0.9, 1.8, 1.0])

ACQ_CHANNELS = ["web", "referral", "trade_fair", "sales_rep", "social_media"]
_ACQ_P = [0.32, 0.18, 0.12, 0.23, 0.15]
_ACQ_RATE = np.array([1.0, 1.15, 1.1, 1.2, 0.8])  # purchase-rate multiplier
_ACQ_CHURN = np.array([1.0, 0.7, 0.9, 0.85, 1.4])  # churn-rate multiplier

REGIONS = ["Andalucía", "Cataluña", "Madrid", "Comunidad Valenciana", "Galicia", "Castilla y León",
           "País Vasco", "Canarias", "Castilla-La Mancha", "Región de Murcia", "Aragón",
           "Islas Baleares", "Extremadura", "Asturias", "Navarra", "Cantabria", "La Rioja"]
_REGION_P = np.array([18, 16, 14.5, 11, 5.7, 5.1, 4.7, 4.6, 4.3, 3.2, 2.8, 2.5, 2.2, 2.1, 1.4, 1.2, 0.7])

ORDER_CHANNELS = ["web", "phone", "sales_rep", "store", "email"]
_ORDER_CH_P = [0.38, 0.18, 0.22, 0.14, 0.08]
PREFERRED_CHANNEL_SHARE = 0.85

INTERACTION_CHANNELS = ["phone", "email", "chatbot", "store", "web"]
INTERACTION_KINDS = ["support_call", "complaint", "billing_error", "survey_unhappy", "inquiry"]
_KIND_P_BASE = [0.34, 0.08, 0.05, 0.06, 0.47]
_KIND_P_CHURN = [0.12, 0.42, 0.28, 0.16, 0.02]
# P(channel | kind), rows follow INTERACTION_KINDS, columns INTERACTION_CHANNELS
_CHANNEL_GIVEN_KIND = np.array([
    [0.75, 0.05, 0.10, 0.10, 0.00],  # support_call
    [0.40, 0.30, 0.05, 0.15, 0.10],  # complaint
    [0.35, 0.45, 0.05, 0.05, 0.10],  # billing_error
    [0.00, 0.55, 0.05, 0.00, 0.40],  # survey_unhappy
    [0.25, 0.25, 0.25, 0.10, 0.15],  # inquiry
])
BASE_INTERACTIONS_PER_YEAR = 1.5
CHURN_SIGNAL_INTERACTIONS, CHURN_SIGNAL_DAYS = 1.6, 120

ACTION_TYPES = ["call", "discount", "visit", "email_campaign"]
_ACTION_P = [0.35, 0.25, 0.15, 0.25]
TOUCH_POINTS = ["phone", "email", "store", "web"]
# P(touch_point | action_type)
_TOUCH_GIVEN_ACTION = np.array([
    [1.0, 0.0, 0.0, 0.0],  # call
    [0.0, 0.4, 0.3, 0.3],  # discount
    [0.0, 0.0, 1.0, 0.0],  # visit
    [0.0, 1.0, 0.0, 0.0],  # email_campaign
])

_NOMBRES = [
    "José", "Antonio", "Manuel", "Francisco", "David", "Juan", "Javier", "Daniel", "Carlos", "Jesús",
    "Alejandro", "Miguel", "Rafael", "Pablo", "Sergio", "Fernando", "Jorge", "Luis", "Álvaro", "Adrián",
    "Raúl", "Andrés", "Íñigo", "Joaquín", "Ramón", "Óscar", "Rubén", "Iván", "Víctor", "Jordi",
    "María", "Carmen", "Ana", "Isabel", "Laura", "Cristina", "Marta", "Lucía", "Pilar", "Elena",
    "Sara", "Paula", "Raquel", "Rocío", "Beatriz", "Nuria", "Silvia", "Mónica", "Inés", "Sofía",
    "Begoña", "Ángela", "Verónica", "Montserrat", "Noelia", "Irene", "Eva", "Alicia", "Julia", "Nerea",
]
_APELLIDOS = [
    "García", "Rodríguez", "González", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Gómez",
    "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz", "Álvarez", "Romero", "Alonso",
    "Gutiérrez", "Navarro", "Torres", "Domínguez", "Vázquez", "Ramos", "Gil", "Ramírez", "Serrano",
    "Blanco", "Molina", "Morales", "Suárez", "Ortega", "Delgado", "Castro", "Ortiz", "Rubio", "Marín",
    "Sanz", "Núñez", "Iglesias", "Medina", "Garrido", "Cortés", "Castillo", "Santos", "Lozano", "Guerrero",
    "Cano", "Prieto", "Méndez", "Cruz", "Calvo", "Gallego", "Vidal", "León", "Márquez", "Herrera", "Peña",
    "Flores", "Cabrera", "Campos", "Vega", "Fuentes", "Carrasco", "Díez", "Caballero", "Reyes", "Aguilar",
    "Pascual", "Santana", "Ibáñez", "Etxeberria", "Ferrer", "Ríos", "Sáez", "Bravo", "Quintana", "Gallardo",
]
_EMAIL_DOMAINS = ["gmail.com", "hotmail.com", "yahoo.es", "outlook.es", "telefonica.net", "icloud.com"]
_EMAIL_DOMAIN_P = [0.45, 0.2, 0.08, 0.12, 0.08, 0.07]

# (category, [(product name, list price EUR), ...]) -- 60 products in 8 categories
PRODUCT_CATALOG = [
    ("Alimentación", [("Aceite de oliva virgen extra 5 L", 34.9), ("Arroz bomba 5 kg", 18.5),
                      ("Café en grano 1 kg", 16.9), ("Azúcar 10 kg", 11.2), ("Harina de trigo 25 kg", 19.8),
                      ("Tomate triturado 6x1 kg", 9.6), ("Legumbres cocidas 12 uds", 14.4),
                      ("Jamón serrano reserva", 89.0)]),
    ("Bebidas", [("Agua mineral 24x50 cl", 6.9), ("Cerveza 24x33 cl", 17.5), ("Refresco de cola 24 latas", 15.9),
                 ("Vino tinto Rioja crianza 6 ud", 42.0), ("Zumo de naranja 12x1 L", 19.2),
                 ("Cava brut 6 ud", 38.5), ("Leche semidesnatada 6x1 L", 5.9)]),
    ("Limpieza e higiene", [("Detergente industrial 20 L", 29.5), ("Lejía 4x5 L", 8.4),
                            ("Papel higiénico industrial 18 rollos", 21.0), ("Gel hidroalcohólico 5 L", 24.9),
                            ("Bayetas microfibra 50 ud", 17.0), ("Guantes de nitrilo 100 ud", 7.9),
                            ("Fregona y cubo profesional", 26.5), ("Bolsas de basura 100 ud", 9.9)]),
    ("Papelería y oficina", [("Papel A4 5x500 hojas", 24.5), ("Tóner láser negro", 64.0),
                             ("Bolígrafos azul 50 ud", 12.5), ("Archivadores A-Z 10 ud", 27.0),
                             ("Sobres DIN A4 250 ud", 18.9), ("Agenda profesional", 14.5),
                             ("Etiquetas adhesivas 1000 ud", 11.9)]),
    ("Ferretería", [("Taladro percutor 800 W", 89.9), ("Juego de destornilladores 12 pzas", 23.5),
                    ("Tornillería surtida 1000 pzas", 19.9), ("Cinta métrica 8 m", 9.5),
                    ("Silicona sanitaria 12 ud", 28.8), ("Escalera de aluminio 5 peldaños", 79.0),
                    ("Pintura plástica blanca 15 L", 46.0), ("Casco de seguridad", 12.9)]),
    ("Electrónica", [("Portátil 15 pulgadas", 649.0), ("Monitor 24 pulgadas", 149.0),
                     ("Impresora multifunción", 219.0), ("Teclado y ratón inalámbricos", 39.9),
                     ("Disco SSD 1 TB", 79.0), ("Auriculares con micrófono", 34.9),
                     ("Terminal punto de venta", 489.0)]),
    ("Mobiliario", [("Silla de oficina ergonómica", 189.0), ("Mesa de escritorio 140 cm", 229.0),
                    ("Armario metálico", 315.0), ("Estantería industrial", 129.0),
                    ("Mesa de terraza", 98.0), ("Taburete alto", 59.0), ("Vitrina expositora", 420.0)]),
    ("Textil y uniformes", [("Camiseta de trabajo", 8.9), ("Pantalón de trabajo", 24.9),
                            ("Chaqueta polar", 32.0), ("Delantal de hostelería", 11.5),
                            ("Calzado de seguridad", 54.0), ("Bata sanitaria", 21.9),
                            ("Forro polar bordado", 29.5), ("Chaleco reflectante 10 ud", 18.0)]),
]
# P(category | segment): rows follow SEGMENTS, columns PRODUCT_CATALOG categories
_CATEGORY_GIVEN_SEGMENT = np.array([
    [0.32, 0.30, 0.14, 0.04, 0.02, 0.03, 0.07, 0.08],  # hostelería
    [0.20, 0.18, 0.12, 0.12, 0.08, 0.12, 0.10, 0.08],  # retail
    [0.02, 0.04, 0.08, 0.06, 0.46, 0.06, 0.08, 0.20],  # construcción
    [0.05, 0.05, 0.35, 0.15, 0.05, 0.15, 0.05, 0.15],  # salud
    [0.06, 0.05, 0.17, 0.35, 0.05, 0.16, 0.12, 0.04],  # educación
    [0.03, 0.05, 0.14, 0.08, 0.35, 0.12, 0.08, 0.15],  # industria
    [0.06, 0.07, 0.12, 0.35, 0.04, 0.24, 0.09, 0.03],  # servicios
])


# ================================================================ public API
def window_start(end_date: date, years: int) -> date:
    """First day of the generated window: ``end_date`` minus ``years`` calendar years."""
    try:
        return end_date.replace(year=end_date.year - years)
    except ValueError:  # 29 February -> 28 February
        return end_date.replace(year=end_date.year - years, day=28)


def generate_portfolio(
    landing_dir: Path,
    customers: int = 5000,
    years: int = 3,
    seed: int = 42,
    end_date: date = date(2026, 10, 31),
    orders_only: bool = False,
) -> dict[str, int]:
    """Write a deterministic sample portfolio into ``landing_dir`` (created if missing).

    Args:
        landing_dir: directory receiving the CSV exports.
        customers: number of customers in the CRM (some never order). ~5,000 customers over
            3 years give roughly 50k-70k orders; 900,000 give ~10M.
        years: length of the history window; every date lies in
            ``[window_start(end_date, years), end_date]``.
        seed: non-negative integer seed; same arguments -> byte-identical files.
        end_date: last day of the history (the natural ``as_of``).
        orders_only: write only ``orders.csv`` with ``customer_id, order_date, amount``.

    Returns:
        Data rows written per file name, e.g. ``{"orders.csv": 61234, ...}``.

    Raises:
        ValueError: on customers < 1, years < 1, a negative seed or a non-date end_date.
    """
    customers = _check_int("customers", customers, minimum=1)
    years = _check_int("years", years, minimum=1)
    seed = _check_int("seed", seed, minimum=0)
    if not isinstance(end_date, date) or hasattr(end_date, "hour"):
        raise ValueError(f"end_date must be a datetime.date, got {end_date!r}")
    start = window_start(end_date, years)
    if start.year < 1971:
        raise ValueError(f"window start {start} is before 1971; use fewer years or a later end_date")

    landing_dir = Path(landing_dir)
    landing_dir.mkdir(parents=True, exist_ok=True)
    ctx = _Context(customers=customers, seed=seed, start=start, end=end_date)

    if orders_only:
        with _CsvFile(landing_dir / "orders.csv", ["customer_id", "order_date", "amount"]) as out:
            for chunk in ctx.chunks():
                o = _orders(ctx, chunk)
                out.write([_take_ids(chunk.ids, o.cust), _dates(o.day), _decimal(o.cents)])
        return {"orders.csv": out.rows}

    files = {
        "orders": ["order_id", "customer_id", "order_date", "amount", "channel", "quantity"],
        "customers": ["customer_id", "name", "email", "phone", "first_contact_date",
                      "acquisition_channel", "segment", "region"],
        "order_lines": ["order_id", "product_id", "quantity", "line_amount"],
        "interactions": ["customer_id", "occurred_at", "channel", "kind"],
        "actions": ["customer_id", "action_date", "action_type", "touch_point", "group"],
    }
    writers = {name: _CsvFile(landing_dir / f"{name}.csv", cols) for name, cols in files.items()}
    products = _products()
    emails_seen: set[str] = set()
    order_seq = 0
    try:
        for chunk in ctx.chunks():
            o = _orders(ctx, chunk)
            x = _order_extras(ctx, chunk, o)
            order_ids = _order_ids(order_seq, len(o.day))
            order_seq += len(o.day)
            writers["orders"].write([order_ids, _take_ids(chunk.ids, o.cust), _dates(o.day),
                                     _decimal(o.cents), _take_labels(ORDER_CHANNELS, x.channel),
                                     pa.array(x.quantity.astype(np.float64))])
            ln = _order_lines(ctx, chunk, o, x, products)
            writers["order_lines"].write([order_ids.take(pa.array(ln.order)),
                                          _take_labels(products.ids, ln.product),
                                          pa.array(ln.quantity.astype(np.float64)), _decimal(ln.cents)])
            writers["customers"].write(_customer_columns(ctx, chunk, emails_seen))
            writers["interactions"].write(_interactions(ctx, chunk))
            writers["actions"].write(_actions(ctx, chunk))
        for w in writers.values():
            w.commit()
    finally:
        for w in writers.values():
            w.discard()

    with _CsvFile(landing_dir / "products.csv", ["product_id", "name", "category"]) as out:
        out.write([pa.array(products.ids), pa.array(products.names),
                   _take_labels([c for c, _ in PRODUCT_CATALOG], products.category)])
    with _CsvFile(landing_dir / "prospects.csv",
                  ["prospect_id", "name", "interest_shown", "economic_capacity"]) as out:
        out.write(_prospects(ctx))

    counts = {f"{name}.csv": w.rows for name, w in writers.items()}
    counts["products.csv"] = len(products.ids)
    counts["prospects.csv"] = out.rows
    order = ["orders", "customers", "order_lines", "products", "interactions", "prospects", "actions"]
    return {f"{n}.csv": counts[f"{n}.csv"] for n in order}


# ================================================================ plumbing
def _check_int(name: str, value, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def _rng(ctx: "_Context", stream: int, chunk: int = 0) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([ctx.seed, stream, chunk]))


def _choice(rng: np.random.Generator, p, size: int) -> np.ndarray:
    """Categorical draw (int8 codes) from probabilities ``p``."""
    cdf = np.cumsum(np.asarray(p, dtype=np.float64))
    return np.searchsorted(cdf / cdf[-1], rng.random(size), side="right").astype(np.int8)


def _choice_rows(rng: np.random.Generator, matrix: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Categorical draw per element, from the row ``rows[i]`` of a probability matrix."""
    cdf = np.cumsum(matrix, axis=1)
    cdf = cdf / cdf[:, -1:]
    k = matrix.shape[1]
    flat = (cdf + np.arange(matrix.shape[0])[:, None]).ravel()
    u = rng.random(len(rows)) + rows
    idx = np.searchsorted(flat, u, side="right") - rows.astype(np.int64) * k
    return np.minimum(idx, k - 1).astype(np.int16)


class _CsvFile:
    """Streams Arrow columns to ``path`` via a temp file; renamed into place on commit."""

    def __init__(self, path: Path, columns: list[str]):
        self.path, self.columns, self.rows = path, columns, 0
        self.tmp = path.with_name(f".{path.name}.tmp")
        self._fh = open(self.tmp, "wb")
        self._fh.write((",".join(columns) + "\n").encode())
        self._writer = None

    def write(self, arrays: list[pa.Array]) -> None:
        batch = pa.record_batch(arrays, names=self.columns)
        if self._writer is None:
            options = pacsv.WriteOptions(include_header=False, quoting_style="none")
            self._writer = pacsv.CSVWriter(self._fh, batch.schema, write_options=options)
        self._writer.write_batch(batch)
        self.rows += batch.num_rows

    def commit(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._fh.close()
        os.replace(self.tmp, self.path)

    def discard(self) -> None:
        if not self._fh.closed:
            self._fh.close()
        if self.tmp.exists():
            self.tmp.unlink()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.commit()
        self.discard()


def _dates(days: np.ndarray) -> pa.Array:
    return pa.array(days.astype(np.int32), type=pa.date32())


def _decimal(cents: np.ndarray) -> pa.Array:
    """int64 cents -> decimal128(18, 2) without going through Python objects."""
    c = np.ascontiguousarray(cents, dtype=np.int64)
    limbs = np.empty((len(c), 2), dtype=np.int64)
    limbs[:, 0] = c
    limbs[:, 1] = c >> 63  # sign extension of the high 64 bits
    return pa.Array.from_buffers(pa.decimal128(18, 2), len(c), [None, pa.py_buffer(limbs)])


def _take_labels(labels, codes: np.ndarray) -> pa.Array:
    return pa.array(labels, type=pa.string()).take(pa.array(np.asarray(codes, dtype=np.int32)))


def _take_ids(ids: pa.Array, local_idx: np.ndarray) -> pa.Array:
    return ids.take(pa.array(local_idx.astype(np.int32)))


def _order_ids(offset: int, n: int) -> pa.Array:
    return pa.array([f"PED{i:07d}" for i in range(offset + 1, offset + n + 1)], type=pa.string())


def _ascii_slug(text: str) -> str:
    norm = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in norm if ch.isalnum() and ord(ch) < 128).lower()


# ================================================================ customers
class _Chunk:
    """Customer-level latent parameters of one chunk (identical in full and orders-only runs)."""

    def __init__(self, ctx: "_Context", index: int, lo: int, hi: int):
        self.index, self.n = index, hi - lo
        width = ctx.id_width
        self.ids = pa.array([f"{i:0{width}d}" for i in range(lo + 1, hi + 1)], type=pa.string())
        self.contact = ctx.contacts[lo:hi]  # float days since epoch, sorted
        rng = _rng(ctx, _S_CUSTOMER, index)
        n = self.n
        self.segment = _choice(rng, _SEGMENT_P, n)
        self.acq = _choice(rng, _ACQ_P, n)
        lag = rng.exponential(FIRST_ORDER_LAG_DAYS, n)
        never = rng.random(n) < NEVER_BUY_SHARE
        rate = rng.gamma(RATE_SHAPE, RATE_MEAN_PER_YEAR / RATE_SHAPE, n) * _ACQ_RATE[self.acq]
        self.rate = np.minimum(rate, RATE_CAP_PER_YEAR) / DAYS_PER_YEAR  # per day
        churn = rng.gamma(CHURN_SHAPE, CHURN_MEAN_PER_YEAR / CHURN_SHAPE, n) * _ACQ_CHURN[self.acq]
        life = rng.exponential(1.0, n) / churn * DAYS_PER_YEAR
        self.value = (VALUE_MEDIAN_EUR * _SEGMENT_VALUE[self.segment]
                      * np.exp(rng.normal(0.0, VALUE_CUSTOMER_SIGMA, n)))
        targeted_u, group_u, action_u, retain_u = rng.random((4, n))
        extra_life = rng.exponential(TREATMENT_EXTRA_LIFE_DAYS, n)

        first = np.floor(self.contact + lag)
        # move a weekend first order to Monday
        wd = (first.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday (weekday 3)
        first = first + np.where(wd >= 5, 7 - wd, 0)
        self.buyer = (~never) & (first <= ctx.end_day)
        self.first_order = np.where(self.buyer, first, np.nan)
        self.dropout = first + life

        # retention actions during the last year, randomised treatment/control per customer
        lo_day = np.maximum(first, ctx.end_day - ACTION_LOOKBACK_DAYS)
        self.targeted = self.buyer & (targeted_u < ACTION_TARGET_SHARE)
        self.treatment = group_u < 0.5
        self.action_day = np.floor(lo_day + action_u * (ctx.end_day - lo_day + 1)).clip(max=ctx.end_day)
        retained = (self.targeted & self.treatment & (self.dropout > self.action_day)
                    & (retain_u < TREATMENT_RETAIN_PROB))
        self.dropout = np.where(retained, self.dropout + extra_life, self.dropout)
        self.churned = self.buyer & (self.dropout < ctx.end_day)


class _Context:
    def __init__(self, customers: int, seed: int, start: date, end: date):
        self.customers, self.seed = customers, seed
        self.start_day = (start - _EPOCH).days
        self.end_day = (end - _EPOCH).days
        self.id_width = max(5, len(str(customers)))
        span = self.end_day - self.start_day + 1
        days = np.arange(self.start_day, self.end_day + 1)
        months = (days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12)
        season = _MONTH_FACTOR[months] * _WEEKDAY_FACTOR[(days + 3) % 7]
        self.accept = season / season.max()  # thinning probability per day of the window
        self.season_peak = season.max() / season.mean()
        # first contacts: exponential growth over the window, sorted -> ids in contact order
        g = np.log(ANNUAL_GROWTH) / DAYS_PER_YEAR * span
        u = _rng(self, _S_CONTACTS).random(customers)
        frac = np.log1p(u * np.expm1(g)) / g
        self.contacts = np.sort(self.start_day + frac * span)
        self.contacts = np.minimum(self.contacts, self.end_day + 0.999)

    def chunks(self):
        for index, lo in enumerate(range(0, self.customers, CHUNK_CUSTOMERS)):
            yield _Chunk(self, index, lo, min(lo + CHUNK_CUSTOMERS, self.customers))


# ================================================================ orders
class _Orders:
    """Orders of a chunk, sorted by (day, customer); ``orig`` = index of the returned order."""

    def __init__(self, cust, day, cents, orig):
        self.cust, self.day, self.cents, self.orig = cust, day, cents, orig
        self.is_return = orig >= 0


def _orders(ctx: _Context, ch: _Chunk) -> _Orders:
    rng = _rng(ctx, _S_ORDERS, ch.index)
    buyers = np.flatnonzero(ch.buyer)
    a = ch.first_order[buyers]
    e = np.minimum(ch.dropout[buyers], ctx.end_day + 1.0)
    exposure = np.maximum(e - (a + 1.0), 0.0)  # repeat orders from the day after the first
    n_cand = rng.poisson(ch.rate[buyers] * exposure * ctx.season_peak)
    cust = np.repeat(buyers, n_cand)
    t = np.repeat(a + 1.0, n_cand) + rng.random(len(cust)) * np.repeat(exposure, n_cand)
    day = np.minimum(np.floor(t), ctx.end_day)
    keep = rng.random(len(cust)) < ctx.accept[(day - ctx.start_day).astype(np.int64)]
    cust = np.concatenate([buyers, cust[keep]]).astype(np.int32)
    day = np.concatenate([a, day[keep]]).astype(np.int32)

    mean = ch.value[cust]
    eur = mean * np.exp(rng.normal(-0.5 * VALUE_ORDER_SIGMA**2, VALUE_ORDER_SIGMA, len(cust)))
    cents = np.maximum(np.rint(eur * 100.0), MIN_ORDER_CENTS).astype(np.int64)

    # returns: later row with its own id and a negative amount (full or partial)
    n = len(cust)
    ret_u, full_u, frac_u, lag_u = rng.random((4, n))
    ret_lag = 1 + np.floor(lag_u * RETURN_MAX_DAYS).astype(np.int32)
    is_ret = (ret_u < RETURN_SHARE) & (day + ret_lag <= ctx.end_day)
    src = np.flatnonzero(is_ret)
    frac = np.where(full_u[src] < FULL_RETURN_SHARE, 1.0, 0.1 + 0.8 * frac_u[src])
    ret_cents = -np.maximum(np.rint(cents[src] * frac), 1).astype(np.int64)

    all_cust = np.concatenate([cust, cust[src]])
    all_day = np.concatenate([day, day[src] + ret_lag[src]])
    all_cents = np.concatenate([cents, ret_cents])
    orig = np.concatenate([np.full(n, -1, np.int64), src])
    order = np.lexsort((all_cust, all_day))  # stable: by day, then customer
    pos = np.empty(len(order), np.int64)
    pos[order] = np.arange(len(order))
    orig_sorted = orig[order]
    orig_sorted = np.where(orig_sorted >= 0, pos[np.maximum(orig_sorted, 0)], -1)
    return _Orders(all_cust[order], all_day[order], all_cents[order], orig_sorted)


class _OrderExtras:
    def __init__(self, channel, quantity, full_return):
        self.channel, self.quantity, self.full_return = channel, quantity, full_return


def _order_extras(ctx: _Context, ch: _Chunk, o: _Orders) -> _OrderExtras:
    """Channel and total units per order (full mode only; separate stream)."""
    rng = _rng(ctx, _S_ORDER_EXTRA, ch.index)
    n = len(o.day)
    preferred = _choice(rng, _ORDER_CH_P, ch.n)
    other = _choice(rng, _ORDER_CH_P, n)
    channel = np.where(rng.random(n) < PREFERRED_CHANNEL_SHARE, preferred[o.cust], other)
    unit = np.exp(rng.normal(np.log(28.0), 0.6, n))
    qty = np.clip(np.rint(np.abs(o.cents) / 100.0 / unit), 1, 500).astype(np.int64)
    src = np.flatnonzero(o.is_return)
    orig = o.orig[src]
    channel[src] = channel[orig]
    share = o.cents[src] / o.cents[orig]  # in [-1, 0)
    full = share <= -1.0
    qty[src] = -np.where(full, qty[orig], np.clip(np.rint(-share * qty[orig]), 1, qty[orig]))
    return _OrderExtras(channel, qty, full)


class _Products:
    def __init__(self):
        self.ids, self.names, cat, price = [], [], [], []
        for c, (_, items) in enumerate(PRODUCT_CATALOG):
            for name, p in items:
                self.ids.append(f"PR{len(self.ids) + 1:03d}")
                self.names.append(name)
                cat.append(c)
                price.append(p)
        self.category = np.array(cat)
        self.price = np.array(price)
        # P(product | segment): category affinity x within-category popularity (cheaper sells more)
        pop = 1.0 / np.sqrt(self.price)
        pop_in_cat = pop / np.bincount(self.category, weights=pop)[self.category]
        self.p_given_segment = _CATEGORY_GIVEN_SEGMENT[:, self.category] * pop_in_cat[None, :]


def _products() -> _Products:
    return _Products()


class _Lines:
    def __init__(self, order, product, quantity, cents):
        self.order, self.product, self.quantity, self.cents = order, product, quantity, cents


def _order_lines(ctx: _Context, ch: _Chunk, o: _Orders, x: _OrderExtras, prod: _Products) -> _Lines:
    """Split every order into product lines whose amounts sum exactly to the order amount."""
    rng = _rng(ctx, _S_LINES, ch.index)
    n = len(o.day)
    sale = ~o.is_return
    qty = np.abs(x.quantity)
    n_lines = np.where(sale, np.minimum(np.minimum(qty, 1 + rng.poisson(1.3, n)), 8), 1)
    order = np.repeat(np.arange(n), n_lines)
    starts = np.concatenate([[0], np.cumsum(n_lines)[:-1]])
    seg = ch.segment[o.cust][order].astype(np.int64)
    product = _choice_rows(rng, prod.p_given_segment, seg).astype(np.int64)

    # merge repeated products within an order (keep first occurrence order)
    key = order.astype(np.int64) * len(prod.ids) + product
    _, first_idx = np.unique(key, return_index=True)
    keep = np.sort(first_idx)
    order, product = order[keep], product[keep]
    n_lines = np.bincount(order, minlength=n)
    starts = np.concatenate([[0], np.cumsum(n_lines)[:-1]])

    # units: 1 each, the rest split by random weights; remainder to the first line
    w = rng.exponential(1.0, len(order))
    extra = (qty - n_lines)[order]
    wsum = np.add.reduceat(w, starts)[order]
    lq = 1 + np.floor(extra * w / wsum).astype(np.int64)
    lq[starts] += qty - np.add.reduceat(lq, starts)
    # amounts: proportional to units x list price x noise, in exact cents
    weight = lq * prod.price[product] * np.exp(rng.normal(0.0, 0.1, len(order)))
    total = np.abs(o.cents)
    wsum = np.add.reduceat(weight, starts)[order]
    lc = np.floor(total[order] * weight / wsum).astype(np.int64)
    lc[starts] += total - np.add.reduceat(lc, starts)

    # returns: one line, the first product of the returned order
    ret = np.flatnonzero(o.is_return)
    product[starts[ret]] = product[starts[o.orig[ret]]]
    sign = np.where(o.is_return, -1, 1)[order]
    return _Lines(order, product, lq * sign, lc * sign)


# ================================================================ CRM tables
def _names(rng: np.random.Generator, n: int):
    nombre = rng.integers(0, len(_NOMBRES), n)
    ap1 = rng.integers(0, len(_APELLIDOS), n)
    ap2 = rng.integers(0, len(_APELLIDOS), n)
    names = [f"{_NOMBRES[a]} {_APELLIDOS[b]} {_APELLIDOS[c]}" for a, b, c in zip(nombre, ap1, ap2)]
    return names, nombre, ap1, ap2


def _customer_columns(ctx: _Context, ch: _Chunk, emails_seen: set[str]) -> list[pa.Array]:
    rng = _rng(ctx, _S_PROFILE, ch.index)
    n = ch.n
    names, nombre, ap1, ap2 = _names(rng, n)
    pattern = rng.integers(0, 4, n)
    domain = _choice(rng, _EMAIL_DOMAIN_P, n)
    number = rng.integers(1, 100, n)
    slug_n = [_ascii_slug(s) for s in _NOMBRES]
    slug_a = [_ascii_slug(s) for s in _APELLIDOS]
    emails = []
    for i in range(n):
        fn, a1, a2 = slug_n[nombre[i]], slug_a[ap1[i]], slug_a[ap2[i]]
        local = (f"{fn}.{a1}", f"{fn[0]}{a1}{a2}", f"{fn}.{a1}.{a2}", f"{fn}{a1}{number[i]}")[pattern[i]]
        email = f"{local}@{_EMAIL_DOMAINS[domain[i]]}"
        if email in emails_seen:
            email = f"{local}{ch.ids[i].as_py()}@{_EMAIL_DOMAINS[domain[i]]}"
        emails_seen.add(email)
        emails.append(email)
    lead = np.where(rng.random(n) < 0.9, 6, 7)
    digits = rng.integers(0, 100_000_000, n)
    missing = rng.random(n) < MISSING_PHONE_SHARE
    phones = [None if m else f"+34 {l}{d // 1_000_000:02d} {d // 1000 % 1000:03d} {d % 1000:03d}"
              for l, d, m in zip(lead, digits, missing)]
    region = _choice(rng, _REGION_P, n)
    return [ch.ids, pa.array(names), pa.array(emails), pa.array(phones, type=pa.string()),
            _dates(np.floor(ch.contact)), _take_labels(ACQ_CHANNELS, ch.acq),
            _take_labels(SEGMENTS, ch.segment), _take_labels(REGIONS, region)]


def _iso_timestamps(secs: np.ndarray) -> pa.Array:
    """Epoch seconds -> ISO 8601 text 'YYYY-MM-DDTHH:MM:SS'."""
    return pa.array(np.datetime_as_string(secs.astype("datetime64[s]"), unit="s"), type=pa.string())


def _interactions(ctx: _Context, ch: _Chunk) -> list[pa.Array]:
    """Base contact-centre traffic over each customer's life, plus a complaint/billing-error
    burst in the months before a churning customer drops out."""
    rng = _rng(ctx, _S_INTERACTIONS, ch.index)
    lo = np.floor(ch.contact)
    hi = np.where(ch.buyer, np.minimum(ch.dropout, ctx.end_day), lo + 60).clip(max=ctx.end_day)
    span = np.maximum(hi - lo, 1.0)
    n_base = rng.poisson(BASE_INTERACTIONS_PER_YEAR * span / DAYS_PER_YEAR)
    n_churn = np.where(ch.churned, rng.poisson(CHURN_SIGNAL_INTERACTIONS, ch.n), 0)
    cb = np.repeat(np.arange(ch.n), n_base)
    db = np.floor(lo[cb] + rng.random(len(cb)) * (span[cb] + 1)).clip(max=ctx.end_day)
    kb = _choice(rng, _KIND_P_BASE, len(cb))
    cc = np.repeat(np.arange(ch.n), n_churn)
    dc = np.floor(ch.dropout[cc] - rng.random(len(cc)) * CHURN_SIGNAL_DAYS)
    dc = np.clip(dc, lo[cc], ctx.end_day)
    kc = _choice(rng, _KIND_P_CHURN, len(cc))
    cust = np.concatenate([cb, cc])
    day = np.concatenate([db, dc]).astype(np.int64)
    kind = np.concatenate([kb, kc]).astype(np.int64)
    channel = _choice_rows(rng, _CHANNEL_GIVEN_KIND, kind)
    # business hours 08:00-19:59
    secs = day * 86400 + 8 * 3600 + rng.integers(0, 12 * 3600, len(day))
    order = np.lexsort((cust, secs))
    return [_take_ids(ch.ids, cust[order]), _iso_timestamps(secs[order]),
            _take_labels(INTERACTION_CHANNELS, channel[order]),
            _take_labels(INTERACTION_KINDS, kind[order])]


def _actions(ctx: _Context, ch: _Chunk) -> list[pa.Array]:
    """Retention actions in the last year; group fixed per customer (randomised ~50/50)."""
    rng = _rng(ctx, _S_ACTIONS, ch.index)
    targeted = np.flatnonzero(ch.targeted)
    n_more = rng.poisson(0.6, len(targeted))
    extra = np.repeat(targeted, n_more)
    cust = np.concatenate([targeted, extra])
    later = np.floor(rng.random(len(extra)) * 90)
    day = np.concatenate([ch.action_day[targeted], ch.action_day[extra] + later])
    day = np.minimum(day, ctx.end_day).astype(np.int64)
    atype = _choice(rng, _ACTION_P, len(cust)).astype(np.int64)
    touch = _choice_rows(rng, _TOUCH_GIVEN_ACTION, atype)
    group = np.where(ch.treatment[cust], 0, 1)
    order = np.lexsort((cust, day))
    return [_take_ids(ch.ids, cust[order]), _dates(day[order]),
            _take_labels(ACTION_TYPES, atype[order]), _take_labels(TOUCH_POINTS, touch[order]),
            _take_labels(["treatment", "control"], group[order])]


def _prospects(ctx: _Context) -> list[pa.Array]:
    rng = _rng(ctx, _S_PROSPECTS)
    n = max(1, round(ctx.customers * PROSPECTS_PER_CUSTOMER))
    names, *_ = _names(rng, n)
    interest = _choice(rng, [0.55, 0.45], n)  # no, yes
    capacity = _choice(rng, [0.25, 0.40, 0.35], n)  # high, medium, low
    width = max(5, len(str(n)))
    return [pa.array([f"P{i:0{width}d}" for i in range(1, n + 1)]), pa.array(names),
            _take_labels(["no", "yes"], interest), _take_labels(["high", "medium", "low"], capacity)]
