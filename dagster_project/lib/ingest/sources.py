"""What each landing source looks like: its columns, their kinds, and its hard rules.

One definition of every export Cartera reads. The loader turns these specs into typed raw tables; the
parsing rules for each kind live in `rules.py`. Nothing here knows about DuckDB or Dagster.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Column kinds. Each maps to one parse rule in rules.py and one SQL type in the raw schema.
ID, TEXT, DATE, TIMESTAMP, AMOUNT, NUMBER, BOOL = "id", "text", "date", "timestamp", "amount", "number", "bool"
EMAIL, CODE = "email", "code"  # an address (else NULL); one of the column's codes, by its synonyms (else NULL)

SQL_TYPES = {
    ID: "VARCHAR",
    TEXT: "VARCHAR",
    DATE: "DATE",
    TIMESTAMP: "TIMESTAMP",
    AMOUNT: "DECIMAL(18,2)",
    NUMBER: "DOUBLE",
    BOOL: "BOOLEAN",
    EMAIL: "VARCHAR",
    CODE: "VARCHAR",
}


@dataclass(frozen=True)
class Column:
    name: str  # column in the raw table
    kind: str
    required: bool = False  # a row without a parseable value is quarantined
    header: str | None = None  # column name in the export when it differs from `name`
    # CODE columns: each code and the words exports use for it (matched case- and accent-insensitively)
    codes: tuple[tuple[str, tuple[str, ...]], ...] = ()
    whole_range: tuple[int, int] | None = None  # NUMBER only: a whole number within these bounds (inclusive)

    @property
    def file_header(self) -> str:
        return self.header or self.name


@dataclass(frozen=True)
class Source:
    name: str
    columns: tuple[Column, ...]
    required: bool = False  # the run fails when no file is present
    # When set, a newer row with the same value replaces the older one (newer file wins).
    replace_key: str | None = None
    # True: the key is unique per row, so a repeat inside one file is quarantined (the last one is kept).
    # False: the key groups rows (order lines of one order) that a newer file replaces together.
    unique_key: bool = True
    description: str = ""
    example: dict[str, str] = field(default_factory=dict)

    @property
    def table(self) -> str:
        return self.name

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def required_columns(self) -> list[Column]:
        return [c for c in self.columns if c.required]


ACTION_GROUPS = (
    ("treatment", ("treatment", "tratamiento", "tratado", "test", "prueba", "grupo de tratamiento", "accion")),
    ("control", ("control", "grupo de control", "grupo control", "holdout", "testigo", "sin accion")),
)

SOURCES: dict[str, Source] = {
    s.name: s
    for s in [
        Source(
            "orders",
            (
                Column("customer_id", ID, required=True),
                Column("order_date", DATE, required=True),
                Column("amount", AMOUNT, required=True),
                Column("order_id", ID),
                Column("channel", TEXT),
                Column("quantity", NUMBER),
            ),
            required=True,
            replace_key="order_id",
            description="One row per order (net amount; returns may be negative).",
            example={
                "customer_id": "00042",
                "order_date": "2026-03-14",
                "amount": "129.90",
                "order_id": "A-1001",
                "channel": "web",
                "quantity": "3",
            },
        ),
        Source(
            "customers",
            (
                Column("customer_id", ID, required=True),
                Column("name", TEXT),
                Column("email", EMAIL),
                Column("phone", TEXT),
                Column("first_contact_date", DATE),
                Column("acquisition_channel", TEXT),
                Column("segment", TEXT),
                Column("region", TEXT),
            ),
            replace_key="customer_id",
            description="One row per customer: contact details and attributes.",
            example={
                "customer_id": "00042",
                "name": "José Núñez Peña",
                "email": "jose.nunez@example.es",
                "phone": "+34 612 345 678",
                "first_contact_date": "2024-01-09",
                "acquisition_channel": "referral",
                "segment": "hostelería",
                "region": "Andalucía",
            },
        ),
        Source(
            "order_lines",
            (
                Column("order_id", ID, required=True),
                Column("product_id", ID, required=True),
                Column("quantity", NUMBER),
                Column("line_amount", AMOUNT),
            ),
            replace_key="order_id",
            unique_key=False,
            description="One row per product on an order.",
            example={"order_id": "A-1001", "product_id": "P-07", "quantity": "2", "line_amount": "79.90"},
        ),
        Source(
            "products",
            (Column("product_id", ID, required=True), Column("name", TEXT), Column("category", TEXT)),
            replace_key="product_id",
            description="One row per product.",
            example={"product_id": "P-07", "name": "Aceite de oliva 5 l", "category": "alimentación"},
        ),
        Source(
            "interactions",
            (
                Column("customer_id", ID, required=True),
                Column("occurred_at", TIMESTAMP, required=True),
                Column("channel", TEXT),
                Column("kind", TEXT),
            ),
            description="One row per contact: support calls, complaints, billing errors, survey answers.",
            example={
                "customer_id": "00042",
                "occurred_at": "2026-05-02 10:31:00",
                "channel": "phone",
                "kind": "complaint",
            },
        ),
        Source(
            "prospects",
            (
                Column("prospect_id", ID, required=True),
                Column("name", TEXT),
                Column("interest_shown", BOOL),
                Column("economic_capacity", BOOL),
            ),
            replace_key="prospect_id",
            description="People who never bought: whether they showed interest and can afford to buy.",
            example={
                "prospect_id": "P00017",
                "name": "Lucía Gómez Ruiz",
                "interest_shown": "yes",
                "economic_capacity": "high",
            },
        ),
        Source(
            "actions",
            (
                Column("customer_id", ID, required=True),
                Column("action_date", DATE, required=True),
                Column("action_type", TEXT),
                Column("touch_point", TEXT),
                Column("action_group", CODE, header="group", codes=ACTION_GROUPS),
            ),
            description="Retention actions taken, with a treatment or control group.",
            example={
                "customer_id": "00042",
                "action_date": "2026-06-01",
                "action_type": "call",
                "touch_point": "phone",
                "group": "treatment",
            },
        ),
        Source(
            "surveys",
            (
                Column("customer_id", ID, required=True),
                Column("answered_at", TIMESTAMP, required=True),
                Column("score", NUMBER, required=True, whole_range=(0, 10)),
                Column("comment", TEXT),
            ),
            description="One row per satisfaction survey answer: a 0-10 score (would you recommend us?).",
            example={
                "customer_id": "00042",
                "answered_at": "2026-05-20 18:02:00",
                "score": "9",
                "comment": "Muy buen servicio",
            },
        ),
    ]
}

LINEAGE_COLUMNS = (("_file", "VARCHAR"), ("_line", "BIGINT"), ("_file_seq", "INTEGER"))
