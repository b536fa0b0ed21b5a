"""One var contract (dbt/dbt_project.yml): Python and dbt accept and refuse the same values, with the same message.

Each case is a set of overrides on the defaults and the var a correct contract refuses (None = accepted). Python's
answer comes from lib/var_contract.py, dbt's from the macro every SQL read of a var goes through
(`cartera_vars_problem`, run for all cases in one `dbt run-operation`).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from dagster_project.cli import main
from dagster_project.settings import DBT_DIR, SettingsError, parse_vars_json, var_contract

CASES: list[tuple[dict, str | None]] = [
    ({}, None),
    ({"active_window_days": 60}, None),
    ({"active_window_days": 365}, None),  # = recurrence_window_days: allowed
    ({"active_window_days": 366}, "active_window_days"),  # > recurrence_window_days (365)
    ({"active_window_days": 400, "recurrence_window_days": 400}, None),
    ({"active_window_days": 0}, "active_window_days"),
    ({"active_window_days": -1}, "active_window_days"),
    ({"active_window_days": 60.0}, "active_window_days"),  # integers only
    ({"active_window_days": "60"}, "active_window_days"),
    ({"active_window_days": "90; drop table x"}, "active_window_days"),
    ({"active_window_days": True}, "active_window_days"),
    ({"active_window_days": None}, "active_window_days"),
    ({"active_window_days": [60]}, "active_window_days"),
    ({"recurrence_window_days": 36500}, None),
    ({"recurrence_window_days": 36501}, "recurrence_window_days"),
    ({"recurrence_min_orders": 1}, None),
    ({"pareto_share": 1}, None),
    ({"pareto_share": 1.0}, None),
    ({"pareto_share": 0.5}, None),
    ({"pareto_share": 1e-9}, None),
    ({"pareto_share": 0}, "pareto_share"),
    ({"pareto_share": 1.0000001}, "pareto_share"),
    ({"pareto_share": float("nan")}, "pareto_share"),
    ({"pareto_share": float("inf")}, "pareto_share"),
    ({"pareto_share": "0.8"}, "pareto_share"),
    ({"pareto_window_days": None}, None),
    ({"clv_model": "paretonbd"}, None),  # a choice among declared values
    ({"clv_model": "Pareto"}, "clv_model"),
    ({"clv_model": "auto; drop table x"}, "clv_model"),
    ({"clv_model": ["bgnbd"]}, "clv_model"),
    ({"clv_fit_max_customers": 999}, "clv_fit_max_customers"),
    ({"pareto_window_days": 730}, None),
    ({"volume_very_high_ratio": 3}, None),
    ({"volume_high_ratio": 2.5}, "volume_high_ratio"),  # above very_high (2.0): tiers out of order
    ({"volume_medium_ratio": 1.25}, "volume_medium_ratio"),  # = high: the high tier would be empty
    ({"volume_medium_ratio": 0.5, "volume_high_ratio": 1.0, "volume_very_high_ratio": 1.5}, None),
    ({"frequency_frequent_max_days": 89}, None),
    ({"frequency_frequent_max_days": 90}, "frequency_frequent_max_days"),  # = habitual max
    ({"frequency_habitual_max_days": 20}, "frequency_frequent_max_days"),  # the rule names its first var
    ({"as_of": "2024-02-29"}, None),
    ({"as_of": None}, None),
    ({"as_of": "2023-02-29"}, "as_of"),
    ({"as_of": "0000-01-01"}, "as_of"),
    ({"as_of": "20240101"}, "as_of"),
    ({"as_of": "2024-1-01"}, "as_of"),
    ({"as_of": 20240101}, "as_of"),
    ({"as_of": "2024-01-01' or 1=1 --"}, "as_of"),
    ({"mask_personal_data": True}, None),
    ({"mask_personal_data": "true"}, "mask_personal_data"),
    ({"mask_personal_data": 1}, "mask_personal_data"),
    ({"interaction_kinds": ["complaint"]}, None),
    ({"interaction_kinds": ["a" * 40]}, None),
    ({"interaction_kinds": ["a" * 41]}, "interaction_kinds"),
    ({"interaction_kinds": []}, "interaction_kinds"),
    ({"interaction_kinds": ["a", "a"]}, "interaction_kinds"),
    ({"interaction_kinds": ["Complaint"]}, "interaction_kinds"),
    ({"interaction_kinds": ["x; drop table y"]}, "interaction_kinds"),
    ({"interaction_kinds": ["quejas_ñ"]}, "interaction_kinds"),
    ({"interaction_kinds": "complaint"}, "interaction_kinds"),
    ({"interaction_kinds": [1]}, "interaction_kinds"),
    ({"interaction_kinds": {"complaint": 1}}, "interaction_kinds"),
    ({"interaction_kinds": [f"k{i}" for i in range(31)]}, "interaction_kinds"),
    ({"alert_p_alive_max": 1}, None),
    ({"growth_target_rates": [0.05]}, None),
    ({"growth_target_rates": [-0.5, 0, 1, 2.5]}, None),
    ({"growth_target_rates": []}, "growth_target_rates"),
    ({"growth_target_rates": [0.05, 0.05]}, "growth_target_rates"),
    ({"growth_target_rates": [-1]}, "growth_target_rates"),
    ({"growth_target_rates": [0.1, "0.2"]}, "growth_target_rates"),
    ({"growth_target_rates": [True]}, "growth_target_rates"),
    ({"growth_target_rates": [None]}, "growth_target_rates"),
    ({"growth_target_rates": 0.05}, "growth_target_rates"),
    ({"growth_target_rates": ["0; drop table x"]}, "growth_target_rates"),
    ({"retention_acquisition_cost": 120.5}, None),
    ({"retention_acquisition_cost": -1}, "retention_acquisition_cost"),
    ({"lifecycle_decline_min_change": 1.5}, "lifecycle_decline_min_change"),
    ({"alert_min_value_share": 1.5}, "alert_min_value_share"),
    ({"clv_discount_rate_monthly": 0}, "clv_discount_rate_monthly"),
    ({"clv_holdout_days": None}, None),
    ({"clv_holdout_days": 0}, "clv_holdout_days"),
]


def python_problem(overrides: dict) -> str:
    contract = var_contract()
    return contract.problem(contract.resolve(overrides))


@pytest.fixture(scope="module")
def dbt_problems(tmp_path_factory) -> list[str]:
    """dbt's verdict on every case, from one run-operation (dbt starts once)."""
    tmp = tmp_path_factory.mktemp("dbt_vars")
    args = yaml.safe_dump({"cases": [case for case, _ in CASES]}, default_flow_style=True, width=1 << 20)
    proc = _dbt(["run-operation", "cartera_check_var_cases", "--args", args], tmp)
    problems: dict[int, str] = {}
    for line in proc.stdout.splitlines():
        if "cartera_var_case " in line:
            entry = json.loads(line.split("cartera_var_case ", 1)[1])
            problems[entry["case"]] = entry["problem"]
    assert proc.returncode == 0 and len(problems) == len(CASES), proc.stdout[-3000:]
    return [problems[i] for i in range(len(CASES))]


def _dbt(args: list[str], tmp: Path) -> subprocess.CompletedProcess:
    dbt = str(Path(sys.executable).with_name("dbt"))
    common = ["--profiles-dir", str(DBT_DIR), "--target-path", str(tmp / "target"), "--log-path", str(tmp)]
    return subprocess.run([dbt, *args, *common], cwd=DBT_DIR, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize(("overrides", "refused"), CASES, ids=[json.dumps(c)[:60] for c, _ in CASES])
def test_python_refuses_exactly_the_values_the_contract_forbids(overrides, refused):
    problem = python_problem(overrides)
    if refused is None:
        assert problem == ""
    else:
        assert problem.startswith(f"var {refused} must be ") and "\n" not in problem


@pytest.mark.dbt
@pytest.mark.parametrize("index", range(len(CASES)), ids=[json.dumps(c)[:60] for c, _ in CASES])
def test_dbt_gives_the_same_verdict_and_message_as_python(dbt_problems, index):
    assert dbt_problems[index] == python_problem(CASES[index][0])


@pytest.mark.dbt
def test_dbt_parse_stops_on_a_bad_var_naming_it(tmp_path):
    proc = _dbt(["parse", "--vars", json.dumps({"pareto_share": 1.5})], tmp_path)
    assert proc.returncode != 0
    assert "var pareto_share must be a number > 0 and <= 1, not 1.5" in proc.stdout


def test_cli_refuses_contradicting_vars_before_running(capsys):
    assert main(["run", "--vars", '{"frequency_frequent_max_days": 120}']) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert "var frequency_frequent_max_days must be < frequency_habitual_max_days (90), not 120" in err


def test_unknown_var_is_refused_naming_the_known_ones():
    with pytest.raises(SettingsError, match="unknown var 'window'.*active_window_days"):
        parse_vars_json('{"window": 3}')


def test_every_var_has_a_default_and_a_contract_entry():
    raw = yaml.safe_load((DBT_DIR / "dbt_project.yml").read_text())["vars"]
    contract = var_contract()
    assert set(raw) - {"cartera_var_contract", "cartera_var_rules"} == set(contract.names())
    assert contract.defaults["clv_discount_rate_monthly"] == 0.01 and contract.defaults["clv_holdout_days"] == 182
    assert python_problem({}) == ""  # the defaults keep the contract
