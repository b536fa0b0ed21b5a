"""Product catalogue (60 products in 8 categories) and P(product | segment)."""

from __future__ import annotations

import numpy as np

# (category, [(product name, list price EUR), ...]) -- 60 products in 8 categories
PRODUCT_CATALOG = [
    (
        "Alimentación",
        [
            ("Aceite de oliva virgen extra 5 L", 34.9),
            ("Arroz bomba 5 kg", 18.5),
            ("Café en grano 1 kg", 16.9),
            ("Azúcar 10 kg", 11.2),
            ("Harina de trigo 25 kg", 19.8),
            ("Tomate triturado 6x1 kg", 9.6),
            ("Legumbres cocidas 12 uds", 14.4),
            ("Jamón serrano reserva", 89.0),
        ],
    ),
    (
        "Bebidas",
        [
            ("Agua mineral 24x50 cl", 6.9),
            ("Cerveza 24x33 cl", 17.5),
            ("Refresco de cola 24 latas", 15.9),
            ("Vino tinto Rioja crianza 6 ud", 42.0),
            ("Zumo de naranja 12x1 L", 19.2),
            ("Cava brut 6 ud", 38.5),
            ("Leche semidesnatada 6x1 L", 5.9),
        ],
    ),
    (
        "Limpieza e higiene",
        [
            ("Detergente industrial 20 L", 29.5),
            ("Lejía 4x5 L", 8.4),
            ("Papel higiénico industrial 18 rollos", 21.0),
            ("Gel hidroalcohólico 5 L", 24.9),
            ("Bayetas microfibra 50 ud", 17.0),
            ("Guantes de nitrilo 100 ud", 7.9),
            ("Fregona y cubo profesional", 26.5),
            ("Bolsas de basura 100 ud", 9.9),
        ],
    ),
    (
        "Papelería y oficina",
        [
            ("Papel A4 5x500 hojas", 24.5),
            ("Tóner láser negro", 64.0),
            ("Bolígrafos azul 50 ud", 12.5),
            ("Archivadores A-Z 10 ud", 27.0),
            ("Sobres DIN A4 250 ud", 18.9),
            ("Agenda profesional", 14.5),
            ("Etiquetas adhesivas 1000 ud", 11.9),
        ],
    ),
    (
        "Ferretería",
        [
            ("Taladro percutor 800 W", 89.9),
            ("Juego de destornilladores 12 pzas", 23.5),
            ("Tornillería surtida 1000 pzas", 19.9),
            ("Cinta métrica 8 m", 9.5),
            ("Silicona sanitaria 12 ud", 28.8),
            ("Escalera de aluminio 5 peldaños", 79.0),
            ("Pintura plástica blanca 15 L", 46.0),
            ("Casco de seguridad", 12.9),
        ],
    ),
    (
        "Electrónica",
        [
            ("Portátil 15 pulgadas", 649.0),
            ("Monitor 24 pulgadas", 149.0),
            ("Impresora multifunción", 219.0),
            ("Teclado y ratón inalámbricos", 39.9),
            ("Disco SSD 1 TB", 79.0),
            ("Auriculares con micrófono", 34.9),
            ("Terminal punto de venta", 489.0),
        ],
    ),
    (
        "Mobiliario",
        [
            ("Silla de oficina ergonómica", 189.0),
            ("Mesa de escritorio 140 cm", 229.0),
            ("Armario metálico", 315.0),
            ("Estantería industrial", 129.0),
            ("Mesa de terraza", 98.0),
            ("Taburete alto", 59.0),
            ("Vitrina expositora", 420.0),
        ],
    ),
    (
        "Textil y uniformes",
        [
            ("Camiseta de trabajo", 8.9),
            ("Pantalón de trabajo", 24.9),
            ("Chaqueta polar", 32.0),
            ("Delantal de hostelería", 11.5),
            ("Calzado de seguridad", 54.0),
            ("Bata sanitaria", 21.9),
            ("Forro polar bordado", 29.5),
            ("Chaleco reflectante 10 ud", 18.0),
        ],
    ),
]
CATEGORIES = [c for c, _ in PRODUCT_CATALOG]
# P(category | segment): rows follow model.SEGMENTS, columns PRODUCT_CATALOG categories
_CATEGORY_GIVEN_SEGMENT = np.array(
    [
        [0.32, 0.30, 0.14, 0.04, 0.02, 0.03, 0.07, 0.08],  # hostelería
        [0.20, 0.18, 0.12, 0.12, 0.08, 0.12, 0.10, 0.08],  # retail
        [0.02, 0.04, 0.08, 0.06, 0.46, 0.06, 0.08, 0.20],  # construcción
        [0.05, 0.05, 0.35, 0.15, 0.05, 0.15, 0.05, 0.15],  # salud
        [0.06, 0.05, 0.17, 0.35, 0.05, 0.16, 0.12, 0.04],  # educación
        [0.03, 0.05, 0.14, 0.08, 0.35, 0.12, 0.08, 0.15],  # industria
        [0.06, 0.07, 0.12, 0.35, 0.04, 0.24, 0.09, 0.03],  # servicios
    ]
)


class Products:
    """Flattened catalogue: ids ``PR001``.., names, category codes, list prices."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.names: list[str] = []
        cat: list[int] = []
        price: list[float] = []
        for c, (_, items) in enumerate(PRODUCT_CATALOG):
            for name, p in items:
                self.ids.append(f"PR{len(self.ids) + 1:03d}")
                self.names.append(name)
                cat.append(c)
                price.append(p)
        self.category = np.array(cat)
        self.price = np.array(price)
        # the companion of a product: the next one of its category (bought together in sample baskets)
        self.companion = np.arange(len(self.ids))
        for c in np.unique(self.category):
            members = np.flatnonzero(self.category == c)
            self.companion[members] = np.roll(members, -1)
        # P(product | segment): category affinity x within-category popularity (cheaper sells more)
        pop = 1.0 / np.sqrt(self.price)
        pop_in_cat = pop / np.bincount(self.category, weights=pop)[self.category]
        self.p_given_segment = _CATEGORY_GIVEN_SEGMENT[:, self.category] * pop_in_cat[None, :]
