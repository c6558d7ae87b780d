"""`python -m helper check` loads letters/ as well as rules/ (issue 8 item 15): every template, fields.yaml,
vocabulary.yaml, addressees.yaml and eras.yaml, with problems as ``file:line: field: message``."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from helper.letters import templates as tpl
from tests.layers import cli

ROOT = Path(__file__).resolve().parents[1]


def letters_copy(tmp_path: Path) -> Path:
    target = tmp_path / "letters"
    shutil.copytree(ROOT / "letters", target)
    return target


def replace_line(path: Path, old: str, new: str) -> int:
    """Replace ``old`` in the first line that has it; returns that line's number (from 1)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    i = next(i for i, line in enumerate(lines) if old in line)
    lines[i] = lines[i].replace(old, new, 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return i + 1


def problems(directory: Path) -> list[str]:
    found, _n = tpl.check_letters(directory)
    return [str(p) for p in found]


def test_the_bundled_letters_have_no_problems() -> None:
    found, n = tpl.check_letters()
    assert [str(p) for p in found] == []
    assert n == len(tpl.kinds()) == 9


def test_check_fails_on_a_broken_template_with_its_file_and_line(tmp_path: Path) -> None:
    letters = letters_copy(tmp_path)
    line = replace_line(letters / "nhi_instalment.yaml", "style: field, field: letter.arrears",
                        "style: feild, field: letter.arrears")
    proc = cli("check", "--letters", str(letters))
    assert proc.returncode == 1
    assert f"nhi_instalment.yaml:{line}: blocks[" in proc.stderr
    assert "1 letter problems" in proc.stdout


def test_check_passes_on_an_unchanged_copy(tmp_path: Path) -> None:
    proc = cli("check", "--letters", str(letters_copy(tmp_path)))
    assert proc.returncode == 0, proc.stderr
    assert "9 letter templates, 0 letter problems" in proc.stdout


def test_an_unknown_field_in_uses_is_reported_at_its_line(tmp_path: Path) -> None:
    letters = letters_copy(tmp_path)
    line = replace_line(letters / "nhi_reduction.yaml", "  - applicant.phone", "  - applicant.phnoe")
    found = problems(letters)
    assert any(f"nhi_reduction.yaml:{line}: uses[" in p and p.endswith(
        "unknown field applicant.phnoe (not in fields.yaml)") for p in found), found


def test_every_broken_template_is_reported_not_only_the_first(tmp_path: Path) -> None:
    letters = letters_copy(tmp_path)
    a = replace_line(letters / "nhi_instalment.yaml", "kind: letter", "kind: leter")
    b = replace_line(letters / "nhi_appeal.yaml", "kind: letter", "kind: leter")
    found = problems(letters)
    assert any(f"nhi_instalment.yaml:{a}: kind:" in p for p in found), found
    assert any(f"nhi_appeal.yaml:{b}: kind:" in p for p in found), found


def test_fields_yaml_with_unknown_choices_is_reported(tmp_path: Path) -> None:
    letters = letters_copy(tmp_path)
    line = replace_line(letters / "fields.yaml", "choices: reason", "choices: reasons_typo")
    assert any(f"fields.yaml:{line}: fields." in p and "unknown choices 'reasons_typo'" in p
               for p in problems(letters)), problems(letters)


def test_vocabulary_addressees_and_eras_are_checked(tmp_path: Path) -> None:
    letters = letters_copy(tmp_path)
    v = replace_line(letters / "vocabulary.yaml", "kind: vocabulary", "kind: vocabulary\nextra_key: 1")
    a = replace_line(letters / "addressees.yaml", "kind: addressees", "kind: adressees")
    e = replace_line(letters / "eras.yaml", "first_year: 2019, from: 2019-05-01", "first_year: 2019, from: soon")
    found = problems(letters)
    assert any(f"vocabulary.yaml:{v + 1}: extra_key: unknown key" in p for p in found), found
    assert any(f"addressees.yaml:{a}: kind:" in p for p in found), found
    assert any(f"eras.yaml:{e}: eras[4]: bad era" in p for p in found), found


def test_yaml_syntax_errors_have_a_line(tmp_path: Path) -> None:
    letters = letters_copy(tmp_path)
    line = replace_line(letters / "welfare_acceptance.yaml", "kind: letter", "kind: [letter")
    found = problems(letters)
    assert len(found) == 1, found
    assert found[0].startswith(f"{letters / 'welfare_acceptance.yaml'}:"), found
    assert int(found[0].split(":")[1]) >= line


# -- every name a template uses is declared (a field in uses, or a value of a derived function it names)


def test_a_misspelt_name_in_when_is_an_error_with_file_and_line(tmp_path: Path) -> None:
    letters = letters_copy(tmp_path)
    line = replace_line(letters / "nhi_instalment.yaml", "when: letter.request_reduction_review",
                        "when: letter.request_reduction_reveiw")
    found = problems(letters)
    assert len(found) == 1, found
    assert f"nhi_instalment.yaml:{line}: blocks[" in found[0] and ".when: unknown name " in found[0], found
    assert "'letter.request_reduction_reveiw' (did you mean letter.request_reduction_review?)" in found[0]


def test_a_misspelt_name_in_a_nested_condition_is_an_error(tmp_path: Path) -> None:
    letters = letters_copy(tmp_path)
    path = letters / "welfare_application.yaml"
    text = path.read_text(encoding="utf-8")
    assert "{not: status_indefinite}" in text
    line = replace_line(path, "{not: status_indefinite}", "{not: status_indefinte}")
    found = problems(letters)
    assert any(f"welfare_application.yaml:{line}:" in p and "'status_indefinte'" in p for p in found), found


def test_a_misspelt_name_in_a_text_is_an_error_with_file_and_line(tmp_path: Path) -> None:
    letters = letters_copy(tmp_path)
    line = replace_line(letters / "nhi_instalment.yaml", "月額{letter.instalment}の", "月額{letter.instalmnet}の")
    replace_line(letters / "nhi_instalment.yaml", "pay {letter.instalment} a month", "pay {letter.instalmnet} a month")
    found = problems(letters)
    assert len(found) == 1, found
    assert f"nhi_instalment.yaml:{line}: blocks[" in found[0] and "unknown name 'letter.instalmnet'" in found[0]


def test_a_misspelt_name_in_a_refusal_text_is_an_error(tmp_path: Path) -> None:
    letters = letters_copy(tmp_path)
    line = replace_line(letters / "nhi_instalment.yaml", "is more than the whole amount unpaid ({letter.arrears})",
                        "is more than the whole amount unpaid ({letter.arears})")
    found = problems(letters)
    assert found == [f"{_shown(letters / 'nhi_instalment.yaml')}:{line}: refuse[2].text: unknown name "
                     "'letter.arears' (did you mean letter.arrears?): not a field in uses nor a derived value"]


def test_a_derived_value_needs_its_function_named(tmp_path: Path) -> None:
    letters = letters_copy(tmp_path)
    path = letters / "nhi_instalment.yaml"
    replace_line(path, "derived: [sender, instalment]", "derived: [sender]")
    found = problems(letters)
    assert found and all("is a value of the derived function 'instalment', which derived: does not name" in p
                         for p in found), found


def test_a_field_outside_uses_is_not_a_name_of_the_letter(tmp_path: Path) -> None:
    letters = letters_copy(tmp_path)
    line = replace_line(letters / "nhi_instalment.yaml", "when: letter.circumstances,", "when: letter.reason_detail,")
    found = problems(letters)
    assert found == [f"{_shown(letters / 'nhi_instalment.yaml')}:{line}: blocks[18].when: 'letter.reason_detail' "
                     "is a field this letter does not list in uses"], found


def test_an_unknown_derived_function_and_a_status_function_in_a_status_free_letter(tmp_path: Path) -> None:
    letters = letters_copy(tmp_path)
    line = replace_line(letters / "nhi_instalment.yaml", "derived: [sender, instalment]",
                        "derived: [sender, instalments, status]")
    found = problems(letters)
    assert f"{_shown(letters / 'nhi_instalment.yaml')}:{line}: derived[1]: unknown derived function 'instalments' " \
           "(did you mean instalment?): see helper/letters/derived" in found, found
    assert f"{_shown(letters / 'nhi_instalment.yaml')}:{line}: derived[2]: status: never, but the letter derives " \
           "'status'" in found, found


def test_member_names_are_known_only_inside_the_members_block(tmp_path: Path) -> None:
    letters = letters_copy(tmp_path)
    path = letters / "nhi_instalment.yaml"
    line = replace_line(path, 'ja: "以上", text: "End of the letter"', 'ja: "以上{m.name}", text: "End {m.name}"')
    found = problems(letters)
    assert len(found) == 1 and f":{line}: blocks[" in found[0] and "unknown name 'm.name'" in found[0], found


def _shown(path: Path) -> str:
    return tpl._display(path)


# -- the derived values: small functions, each writing only the names it declares


def _answers(kind: str) -> dict[str, Any]:
    from test_letters import answers_for  # the example answers of the letter tests (tests/ is on the path)

    return answers_for(kind)


@pytest.mark.parametrize("kind", tpl.kinds())
def test_each_derived_function_writes_only_the_names_it_declares(kind: str, rules: Any,
                                                                 monkeypatch: Any) -> None:
    from helper.answers import Answers
    from helper.letters import builder, derived

    t = tpl.template(kind)
    assert t.derived, kind
    b = builder._Builder(t, Answers.model_validate(_answers(kind)), rules, dt.date(2026, 11, 29))
    b.read()
    with monkeypatch.context() as m:  # the builder's own names only (fields, always, date)
        m.setattr(derived, "run", lambda facts, functions: None)
        b.context()
    assert set(b.ctx) <= set(t.uses) | derived.BUILTIN
    written: set[str] = set()
    for d in derived.REGISTRY.values():
        if d.name not in t.derived:
            continue
        before = set(b.ctx)
        d.fn(b)
        new = set(b.ctx) - before
        extra = {n for n in new if n not in d.provides and not re.fullmatch(r"benefit[0-9]+", n)}
        assert not extra, (d.name, extra)
        written |= new
    assert written, kind


def test_every_derived_function_is_named_by_a_template() -> None:
    from helper.letters import derived

    named = {f for kind in tpl.kinds() for f in tpl.template(kind).derived}
    assert set(derived.REGISTRY) == named


def test_the_builder_keeps_only_the_generic_machinery() -> None:
    source = (ROOT / "helper" / "letters" / "builder.py").read_text(encoding="utf-8")
    for kind_specific in ("guarantor_reason", "appeal_deadline", "filer_relation", "instalment_zero", "money_total"):
        assert kind_specific not in source, kind_specific
