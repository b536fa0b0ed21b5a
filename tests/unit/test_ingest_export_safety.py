"""safe_cell: values that a spreadsheet would run as formulas are neutralised in files meant for people."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dagster_project.lib.export_safety import safe_cell


@pytest.mark.parametrize(
    "value, expected",
    [
        ('=HYPERLINK("http://x.example","clic")', '\'=HYPERLINK("http://x.example","clic")'),
        ("+34 612 345 678", "'+34 612 345 678"),
        ("-web", "'-web"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
    ],
)
def test_text_starting_like_a_formula_gets_a_leading_quote(value, expected):
    assert safe_cell(value) == expected


@pytest.mark.parametrize("value", ["José Núñez", "00042", "a=b", "", " =1", "'=1"])
def test_ordinary_text_is_unchanged(value):
    assert safe_cell(value) == value


@pytest.mark.parametrize("value", [-3, -12.5, Decimal("-3.00"), None, True])
def test_numbers_and_non_text_are_unchanged(value):
    assert safe_cell(value) is value
