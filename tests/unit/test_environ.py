"""lib/environ.environment: variables set and removed for a block, every one restored afterwards."""

import os

import pytest

from dagster_project.lib.environ import environment


def test_values_are_set_and_unset_inside_and_restored_after_even_on_error(monkeypatch):
    monkeypatch.setenv("CARTERA_T_KEEP", "old")
    monkeypatch.setenv("CARTERA_T_DROP", "there")
    monkeypatch.delenv("CARTERA_T_NEW", raising=False)
    with (
        pytest.raises(RuntimeError),
        environment({"CARTERA_T_KEEP": "new", "CARTERA_T_NEW": "1"}, unset=["CARTERA_T_DROP"]),
    ):
        assert (os.environ["CARTERA_T_KEEP"], os.environ["CARTERA_T_NEW"]) == ("new", "1")
        assert "CARTERA_T_DROP" not in os.environ
        raise RuntimeError("the block fails")
    assert os.environ["CARTERA_T_KEEP"] == "old" and os.environ["CARTERA_T_DROP"] == "there"
    assert "CARTERA_T_NEW" not in os.environ
