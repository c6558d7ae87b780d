"""The command line, run as a user would run it (contract: docs/cli.md): in-process, and in a few smoke tests
as a separate process (``run_process``)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.layers import EXAMPLES, ROOT, cli, run_process


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.*")))
def test_evaluate_json_prints_one_object_with_sourced_reasons(example: str) -> None:
    proc = cli("evaluate", str(EXAMPLES / example), "--json")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)  # exactly one JSON document, nothing else
    assert result["version"] == 1
    ids = {r["id"] for r in result["results"]}
    assert {"welfare", "nhi", "public_housing", "rhq_protection", "free_low_cost_clinic",
            "maternity_hospitalization", "maternal_child_handbook"} <= ids
    for r in result["results"]:
        assert r["outcome"] in {"eligible", "not_eligible", "uncertain"}
        assert r["reasons"] and all(reason["sources"] for reason in r["reasons"])


def test_the_three_people_of_the_brief(tmp_path: Path) -> None:
    def outcomes(name: str) -> dict[str, str]:
        proc = cli("evaluate", str(EXAMPLES / name), "--json")
        return {r["id"]: r["outcome"] for r in json.loads(proc.stdout)["results"]}

    pr = outcomes("permanent-resident-yodogawa.yaml")
    assert (pr["welfare"], pr["nhi"]) == ("eligible", "eligible")
    ra = outcomes("refugee-applicant-6-months.yaml")
    assert (ra["welfare"], ra["nhi"], ra["rhq_protection"]) == ("not_eligible", "eligible", "eligible")
    pf = outcomes("provisional-release.yaml")
    assert (pf["welfare"], pf["nhi"], pf["public_housing"]) == ("not_eligible",) * 3
    assert (pf["free_low_cost_clinic"], pf["jfba_legal_aid"], pf["houterasu_legal_aid"]) == (
        "eligible", "eligible", "not_eligible")


def test_evaluate_reads_standard_input() -> None:
    proc = cli("evaluate", "-", "--json", stdin=(EXAMPLES / "minimal.json").read_text())
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["municipality"]["code"] is None


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("version: 1\nperson: {age: 200}\n", "person.age"),
        ("version: 1\nperson: {colour: blue}\n", "person.colour"),
        ("version: 1\nmunicipality: '99999'\n", "municipality"),
        ("version: 1\nhousehold: {housing: castle}\n", "household.housing"),
        ("{\"version\": 1,", "line 1"),
        ("version: 1\n  bad: indent\n", "line 2"),
    ],
)
def test_invalid_answers_exit_2_name_the_field_and_print_nothing(text: str, field: str) -> None:
    proc = cli("evaluate", "-", "--json", stdin=text)
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and field in lines[0]


def test_missing_file_exits_2() -> None:
    proc = cli("evaluate", "no-such-file.yaml")
    assert proc.returncode == 2 and proc.stdout == ""


def test_a_process_exits_2_on_invalid_input_with_one_line() -> None:
    proc = run_process("evaluate", "-", "--json", stdin="version: 1\nperson: {age: 200}\n")
    assert proc.returncode == 2 and proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1 and "person.age" in proc.stderr


def test_a_process_prints_what_the_command_prints_in_process() -> None:
    example = str(EXAMPLES / "refugee-applicant-6-months.yaml")
    proc = run_process("evaluate", example, "--json")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == cli("evaluate", example, "--json").stdout
    assert json.loads(proc.stdout)["version"] == 1


def test_usage_errors_exit_2_in_process_too() -> None:
    proc = cli("evaluate")  # no file
    assert proc.returncode == 2 and proc.stdout == "" and "usage:" in proc.stderr


def test_text_output_is_readable() -> None:
    proc = cli("evaluate", str(EXAMPLES / "provisional-release.yaml"))
    assert proc.returncode == 0
    assert "大阪市淀川区" in proc.stdout and "NOT ELIGIBLE" in proc.stdout


def test_check_passes_on_the_bundled_rules() -> None:
    proc = run_process("check")
    assert proc.returncode == 0, proc.stderr
    assert "0 failed" in proc.stdout and "0 conditions lack" in proc.stdout


def test_check_reports_a_broken_rule_file_with_its_line(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    nhi = rules / "programmes" / "nhi.yaml"
    lines = nhi.read_text(encoding="utf-8").splitlines()
    target = next(i for i, line in enumerate(lines) if "eq: [{fact: person.employee_insurance}, false]" in line)
    lines[target] = lines[target].replace("eq:", "gte:")
    nhi.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = cli("check", "--rules", str(rules))
    assert proc.returncode == 1
    assert f"nhi.yaml:{target + 1}:" in proc.stderr
    assert "conditions.nhi.no_employee_insurance.test" in proc.stderr


def test_check_reports_a_failing_rule_test(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    params = rules / "parameters.yaml"
    params.write_text(params.read_text(encoding="utf-8").replace("value: 75\n", "value: 95\n"), encoding="utf-8")
    proc = cli("check", "--rules", str(rules))
    assert proc.returncode == 1
    assert "nhi.under_age_limit: expected fail, got pass" in proc.stderr


def test_gaps_json_traces_exclusions_to_rules_and_standards() -> None:
    proc = cli("gaps", "--municipality", "27100", "--as-of", "2026-11-29", "--json")
    assert proc.returncode == 0, proc.stderr
    table = json.loads(proc.stdout)
    assert table["municipality"] == {"code": "27100", "name": "大阪市", "layers": ["00000", "27000", "27100"]}
    rows = table["rows"]
    row = next(r for r in rows if r["residence_status"] == "provisional_release" and r["programme"] == "nhi"
               and r["refugee_procedure"] == "none")
    assert row["outcome"] == "not_eligible" and row["rule"] == "nhi.resident_record"
    icescr = next(s for s in row["standards"] if s["instrument"] == "ICESCR" and s["article"] == "12")
    # GC 14's paragraph number was not read beside the passage: it is only offered as unconfirmed
    assert icescr["document"] == "E/C.12/2000/4" and icescr["paragraph"] is None
    assert icescr["paragraph_unconfirmed"] == "34" and icescr["mark"] == "argued"
    assert any(s["document"] == "CCPR/C/JPN/CO/7" for s in row["standards"])
    assert all(not r["standards"] and not r["rule"] for r in rows if r["outcome"] == "eligible")
    intern = next(r for r in rows if r["residence_status"] == "technical_intern" and r["programme"] == "welfare")
    assert not any(s["instrument"] == "Refugee Convention" for s in intern["standards"])


def test_gaps_rejects_an_unknown_municipality() -> None:
    proc = cli("gaps", "--municipality", "99999")
    assert proc.returncode == 2 and "municipality" in proc.stderr
