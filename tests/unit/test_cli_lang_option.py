"""--lang is offered only by the commands it changes: run, ui and serve (the report), export, actions and scenario
(their words). generate, query, check and docs print English only, so they refuse it instead of ignoring it."""

import pytest

from dagster_project.cli import main


@pytest.mark.parametrize("argv", [["generate"], ["query", "select 1"], ["check"], ["docs"]])
def test_english_only_commands_refuse_a_language(argv, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([*argv, "--lang", "es"])
    assert exit_.value.code == 2
    assert "unrecognized arguments: --lang" in capsys.readouterr().err


def test_a_command_with_words_speaks_the_language_asked(capsys):
    argv = ["scenario", "--churn", "0.25", "--price-change", "0.02", "--target-growth", "0.05"]
    assert main([*argv, "--lang", "es"]) == 0
    spanish = capsys.readouterr().out
    assert main([*argv, "--lang", "en"]) == 0
    assert spanish != capsys.readouterr().out and "clientes" in spanish.lower()
