"""The one translation table: every key in both languages, same placeholders, and the language setting."""

from __future__ import annotations

import string

import pytest

from dagster_project.lib.report.labels import FREQUENCY_TIER_ORDER, LABELS, STATUS_ORDER, VOLUME_TIER_ORDER, label
from dagster_project.settings import LANGS, Settings, SettingsError
from tests.language import english_left, english_only_words


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_exists_in_every_language():
    assert set(LABELS) == set(LANGS)
    for lang in LANGS:
        missing = {k: LABELS["en"][k] for k in set(LABELS["en"]) - set(LABELS[lang])}
        extra = set(LABELS[lang]) - set(LABELS["en"])
        assert not missing, f"keys without a {lang!r} label: {sorted(missing)}"
        assert not extra, f"keys only in {lang!r}: {sorted(extra)}"


def test_translations_take_the_same_placeholders():
    for key, english in LABELS["en"].items():
        for lang in LANGS:
            assert placeholders(LABELS[lang][key]) == placeholders(english), f"{lang}:{key}"


def test_no_label_is_empty_and_spanish_labels_are_spanish():
    for lang in LANGS:
        assert all(str(v).strip() for v in LABELS[lang].values()), lang
    for key, text in LABELS["es"].items():
        assert not english_left(text), f"English in es:{key}: {english_left(text)}"
    assert {"the", "customers", "revenue", "report"} <= english_only_words()


def test_every_mart_code_has_a_spanish_name():
    expected = {
        "status": dict(zip(STATUS_ORDER, ["Actual", "Activo", "Inactivo", "Potencial", "Probable"], strict=True)),
        "volume": dict(zip(VOLUME_TIER_ORDER, ["Muy alto", "Alto", "Medio", "Bajo"], strict=True)),
        "frequency": dict(zip(FREQUENCY_TIER_ORDER, ["Frecuente", "Habitual", "Ocasional"], strict=True)),
    }
    for kind, names in expected.items():
        for code, name in names.items():
            assert label(f"{kind}.{code}", "es") == name


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "en"),
        ({"LANG": "es_ES.UTF-8"}, "es"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "es_ES.UTF-8", "LC_ALL": "en_GB.UTF-8"}, "en"),  # LC_ALL wins over LANG
        ({"LC_MESSAGES": "es_MX.UTF-8", "LANG": "en_US.UTF-8"}, "es"),
        ({"LANG": "en_US.UTF-8", "CARTERA_LANG": "es"}, "es"),  # the setting wins over the locale
        ({"LANG": "fr_FR.UTF-8"}, "en"),  # a language Cartera doesn't speak: English
    ],
)
def test_language_defaults_to_the_locale_and_the_setting_wins(env, expected):
    assert Settings.from_env(env=env).lang == expected


def test_language_flag_wins_and_unknown_languages_are_refused():
    assert Settings.from_env(env={"CARTERA_LANG": "es"}, lang="en").lang == "en"
    assert Settings.from_env(env={}, lang="ES").lang == "es"
    with pytest.raises(SettingsError, match="language must be one of es, en"):
        Settings.from_env(env={"CARTERA_LANG": "fr"})
