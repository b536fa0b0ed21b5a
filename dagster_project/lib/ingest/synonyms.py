"""Built-in Spanish and English names for every source column, as CRM and ERP exports write them.

`header_key` reduces a column name to what matters for matching: case, accents, punctuation, spaces and
filler words ("de", "of") go; the usual abbreviations become one word (nº / n.º / núm. / número / no. /
number -> num, cód. / código / code -> cod, ref. / referencia -> ref, f. factura -> fecha factura). So `Nº pedido`, `N.º de pedido` and
`Número pedido` are one key, and each synonym below is written once, the way people write it.
"""

from __future__ import annotations

import re
import unicodedata

FILLER = {"de", "del", "la", "el", "los", "las", "y", "e", "of", "the", "a"}
ABBREVIATIONS = {
    "no": "num",
    "nro": "num",
    "numero": "num",
    "number": "num",
    "nr": "num",
    "nb": "num",
    "codigo": "cod",
    "code": "cod",
    "referencia": "ref",
    "reference": "ref",
    "identificador": "id",
    "ident": "id",
}


def header_key(name: str) -> str:
    """'Nº de pedido' -> 'numpedido'; 'Customer ID' -> 'customerid'; 'customer_id' -> 'customerid'."""
    text = unicodedata.normalize("NFKD", name.replace("\ufeff", "")).encode("ascii", "ignore").decode().lower()
    tokens = [t for t in re.split(r"[^0-9a-z]+", text) if t]
    out: list[str] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t == "n" and i + 1 < len(tokens) and tokens[i + 1] == "o":  # 'N.º' is 'n', 'o' once decomposed
            t, i = "num", i + 1
        elif t == "n" and i + 1 < len(tokens):  # 'N pedido'
            t = "num"
        elif t == "f" and i + 1 < len(tokens):  # 'F. factura', 'F. alta': Spanish ERPs abbreviate fecha
            t = "fecha"
        i += 1
        t = ABBREVIATIONS.get(t, t)
        if t not in FILLER or len(tokens) == 1:
            out.append(t)
    return "".join(out)


CUSTOMER_ID = [
    "cliente",
    "id cliente",
    "cliente id",
    "código cliente",
    "nº cliente",
    "ref cliente",
    "cuenta",
    "código cuenta",
    "id cuenta",
    "customer",
    "customer id",
    "customer code",
    "customer number",
    "client",
    "client id",
    "account",
    "account id",
    "account number",
]
ORDER_ID = [
    "pedido",
    "nº pedido",
    "id pedido",
    "código pedido",
    "ref pedido",
    "factura",
    "nº factura",
    "documento",
    "nº documento",
    "order",
    "order id",
    "order number",
    "invoice",
    "invoice id",
    "invoice number",
    "transaction id",
]
PRODUCT_ID = [
    "producto",
    "id producto",
    "código producto",
    "ref producto",
    "artículo",
    "id artículo",
    "código artículo",
    "ref artículo",
    "referencia",
    "sku",
    "ean",
    "product",
    "product id",
    "product code",
    "item",
    "item id",
    "item code",
]
QUANTITY = ["cantidad", "unidades", "uds", "nº unidades", "qty", "quantity", "units"]
PERSON_NAME = ["nombre", "nombre completo", "nombre y apellidos", "razón social", "name", "full name"]

# Per source, per Cartera column: the names an export may give it (besides the Cartera name itself).
SYNONYMS: dict[str, dict[str, list[str]]] = {
    "orders": {
        "customer_id": CUSTOMER_ID,
        "order_date": [
            "fecha",
            "fecha pedido",
            "fecha venta",
            "fecha factura",
            "fecha compra",
            "fecha documento",
            "fecha operación",
            "date",
            "order date",
            "purchase date",
            "invoice date",
            "sale date",
            "transaction date",
        ],
        "amount": [
            "importe",
            "total",
            "base imponible",
            "importe total",
            "importe neto",
            "total neto",
            "neto",
            "total pedido",
            "importe pedido",
            "total factura",
            "importe venta",
            "valor",
            "total amount",
            "net amount",
            "order total",
            "order amount",
            "revenue",
            "value",
            "net",
        ],
        "order_id": ORDER_ID,
        "channel": ["canal", "canal venta", "canal de venta", "sales channel"],
        "quantity": QUANTITY,
    },
    "customers": {
        "customer_id": CUSTOMER_ID,
        "name": PERSON_NAME + ["nombre cliente", "empresa", "customer name", "company", "company name"],
        "email": ["email", "e-mail", "correo", "correo electrónico", "mail", "email address"],
        "phone": ["teléfono", "tel", "tlf", "móvil", "teléfono móvil", "phone", "telephone", "mobile", "phone number"],
        "first_contact_date": [
            "fecha alta",
            "alta",
            "fecha primer contacto",
            "primer contacto",
            "fecha registro",
            "fecha creación",
            "cliente desde",
            "created",
            "created at",
            "signup date",
            "first contact",
            "customer since",
        ],
        "acquisition_channel": [
            "canal",
            "canal captación",
            "captación",
            "origen",
            "fuente",
            "acquisition",
            "lead source",
            "source",
        ],
        "segment": ["segmento", "tipo cliente", "sector", "categoría cliente", "segment", "customer type", "industry"],
        "region": [
            "región",
            "provincia",
            "comunidad",
            "comunidad autónoma",
            "zona",
            "state",
            "province",
            "area",
            "territory",
        ],
    },
    "order_lines": {
        "order_id": ORDER_ID,
        "product_id": PRODUCT_ID,
        "quantity": QUANTITY,
        "line_amount": [
            "importe",
            "importe línea",
            "total línea",
            "subtotal",
            "total",
            "base imponible",
            "importe neto",
            "line total",
            "amount",
            "net amount",
        ],
    },
    "products": {
        "product_id": PRODUCT_ID,
        "name": ["nombre", "descripción", "nombre producto", "nombre artículo", "description", "product name"],
        "category": ["categoría", "familia", "grupo", "tipo", "línea", "family", "product group", "type"],
    },
    "interactions": {
        "customer_id": CUSTOMER_ID,
        "occurred_at": [
            "fecha",
            "fecha hora",
            "fecha y hora",
            "fecha contacto",
            "fecha interacción",
            "fecha incidencia",
            "date",
            "datetime",
            "timestamp",
            "created at",
            "contact date",
        ],
        "channel": ["canal", "medio", "vía", "medium", "via"],
        "kind": ["tipo", "tipo interacción", "tipo contacto", "motivo", "categoría", "type", "reason", "category"],
    },
    "prospects": {
        "prospect_id": [
            "id",
            "código",
            "prospecto",
            "id prospecto",
            "código prospecto",
            "contacto",
            "id contacto",
            "lead",
            "lead id",
            "contact id",
        ],
        "name": PERSON_NAME + ["empresa", "company"],
        "interest_shown": ["interés", "interesado", "muestra interés", "interest", "interested"],
        "economic_capacity": [
            "capacidad económica",
            "capacidad",
            "solvencia",
            "poder adquisitivo",
            "presupuesto",
            "capacity",
            "budget",
        ],
    },
    "actions": {
        "customer_id": CUSTOMER_ID,
        "action_date": ["fecha", "fecha acción", "fecha contacto", "date", "action date"],
        "action_type": ["acción", "tipo acción", "tipo", "campaña", "action", "type", "campaign"],
        "touch_point": ["canal", "medio", "punto contacto", "touch point", "touchpoint", "channel", "medium"],
        "action_group": ["grupo", "grupo experimento", "group", "test group", "variante", "variant"],
    },
    "surveys": {
        "customer_id": CUSTOMER_ID,
        "answered_at": ["fecha", "fecha respuesta", "respondido", "fecha encuesta", "date", "answer date"],
        "score": ["puntuación", "nota", "valoración", "nps", "recomendación", "rating", "nps score"],
        "comment": ["comentario", "comentarios", "observaciones", "opinión", "comments", "feedback"],
    },
}
