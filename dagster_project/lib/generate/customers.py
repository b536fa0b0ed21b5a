"""customers.csv profile columns: names, e-mails, phones, contact date, channel, segment, region."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from .model import ACQ_CHANNELS, SEGMENTS, Chunk, Context
from .names import APELLIDOS, EMAIL_DOMAIN_P, EMAIL_DOMAINS, NOMBRES, ascii_slug, person_names
from .sampling import S_PROFILE, choice, stream_rng
from .writers import dates, take_labels

REGIONS = [
    "Andalucía",
    "Cataluña",
    "Madrid",
    "Comunidad Valenciana",
    "Galicia",
    "Castilla y León",
    "País Vasco",
    "Canarias",
    "Castilla-La Mancha",
    "Región de Murcia",
    "Aragón",
    "Islas Baleares",
    "Extremadura",
    "Asturias",
    "Navarra",
    "Cantabria",
    "La Rioja",
]
_REGION_P = np.array([18, 16, 14.5, 11, 5.7, 5.1, 4.7, 4.6, 4.3, 3.2, 2.8, 2.5, 2.2, 2.1, 1.4, 1.2, 0.7])
MISSING_PHONE_SHARE = 0.02


def customer_columns(ctx: Context, ch: Chunk, emails_seen: set[str]) -> list[pa.Array]:
    """Columns of customers.csv for one chunk; ``emails_seen`` keeps e-mails unique across chunks."""
    rng = stream_rng(ctx, S_PROFILE, ch.index)
    n = ch.n
    names, nombre, ap1, ap2 = person_names(rng, n)
    pattern = rng.integers(0, 4, n)
    domain = choice(rng, EMAIL_DOMAIN_P, n)
    number = rng.integers(1, 100, n)
    slug_n = [ascii_slug(s) for s in NOMBRES]
    slug_a = [ascii_slug(s) for s in APELLIDOS]
    emails = []
    for i in range(n):
        fn, a1, a2 = slug_n[nombre[i]], slug_a[ap1[i]], slug_a[ap2[i]]
        local = (f"{fn}.{a1}", f"{fn[0]}{a1}{a2}", f"{fn}.{a1}.{a2}", f"{fn}{a1}{number[i]}")[pattern[i]]
        email = f"{local}@{EMAIL_DOMAINS[domain[i]]}"
        if email in emails_seen:
            email = f"{local}{ch.ids[i].as_py()}@{EMAIL_DOMAINS[domain[i]]}"
        emails_seen.add(email)
        emails.append(email)
    lead = np.where(rng.random(n) < 0.9, 6, 7)
    digits = rng.integers(0, 100_000_000, n)
    missing = rng.random(n) < MISSING_PHONE_SHARE
    phones = [
        None if m else f"+34 {lead_digit}{d // 1_000_000:02d} {d // 1000 % 1000:03d} {d % 1000:03d}"
        for lead_digit, d, m in zip(lead, digits, missing, strict=False)
    ]
    region = choice(rng, _REGION_P, n)
    return [
        ch.ids,
        pa.array(names),
        pa.array(emails),
        pa.array(phones, type=pa.string()),
        dates(np.floor(ch.contact)),
        take_labels(ACQ_CHANNELS, ch.acq),
        take_labels(SEGMENTS, ch.segment),
        take_labels(REGIONS, region),
    ]
