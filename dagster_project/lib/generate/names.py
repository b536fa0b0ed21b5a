"""Spanish first names and surnames, e-mail domains, and name/slug helpers."""

from __future__ import annotations

import unicodedata

import numpy as np

NOMBRES = [
    "José", "Antonio", "Manuel", "Francisco", "David", "Juan", "Javier", "Daniel", "Carlos", "Jesús",
    "Alejandro", "Miguel", "Rafael", "Pablo", "Sergio", "Fernando", "Jorge", "Luis", "Álvaro", "Adrián",
    "Raúl", "Andrés", "Íñigo", "Joaquín", "Ramón", "Óscar", "Rubén", "Iván", "Víctor", "Jordi",
    "María", "Carmen", "Ana", "Isabel", "Laura", "Cristina", "Marta", "Lucía", "Pilar", "Elena",
    "Sara", "Paula", "Raquel", "Rocío", "Beatriz", "Nuria", "Silvia", "Mónica", "Inés", "Sofía",
    "Begoña", "Ángela", "Verónica", "Montserrat", "Noelia", "Irene", "Eva", "Alicia", "Julia", "Nerea",
]
APELLIDOS = [
    "García", "Rodríguez", "González", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Gómez",
    "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz", "Álvarez", "Romero", "Alonso",
    "Gutiérrez", "Navarro", "Torres", "Domínguez", "Vázquez", "Ramos", "Gil", "Ramírez", "Serrano",
    "Blanco", "Molina", "Morales", "Suárez", "Ortega", "Delgado", "Castro", "Ortiz", "Rubio", "Marín",
    "Sanz", "Núñez", "Iglesias", "Medina", "Garrido", "Cortés", "Castillo", "Santos", "Lozano", "Guerrero",
    "Cano", "Prieto", "Méndez", "Cruz", "Calvo", "Gallego", "Vidal", "León", "Márquez", "Herrera", "Peña",
    "Flores", "Cabrera", "Campos", "Vega", "Fuentes", "Carrasco", "Díez", "Caballero", "Reyes", "Aguilar",
    "Pascual", "Santana", "Ibáñez", "Etxeberria", "Ferrer", "Ríos", "Sáez", "Bravo", "Quintana", "Gallardo",
]
EMAIL_DOMAINS = ["gmail.com", "hotmail.com", "yahoo.es", "outlook.es", "telefonica.net", "icloud.com"]
EMAIL_DOMAIN_P = [0.45, 0.2, 0.08, 0.12, 0.08, 0.07]


def person_names(rng: np.random.Generator, n: int):
    """``n`` random "Nombre Apellido1 Apellido2" names, plus the three index arrays."""
    nombre = rng.integers(0, len(NOMBRES), n)
    ap1 = rng.integers(0, len(APELLIDOS), n)
    ap2 = rng.integers(0, len(APELLIDOS), n)
    names = [f"{NOMBRES[a]} {APELLIDOS[b]} {APELLIDOS[c]}" for a, b, c in zip(nombre, ap1, ap2)]
    return names, nombre, ap1, ap2


def ascii_slug(text: str) -> str:
    norm = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in norm if ch.isalnum() and ord(ch) < 128).lower()
