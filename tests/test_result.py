"""The engine's result as a contract: the JSON that ``evaluate --json`` prints is the typed model dumped, it has
the keys it had before the model (tests/golden/result-keys.json, taken from the dict the engine returned until
then), it validates against the published schema, and the published schemas are what the models give now."""

from __future__ import annotations

import functools
import importlib.util
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from pydantic import TypeAdapter

from helper.result import Result, as_json
from tests.layers import EXAMPLES, ROOT, cli


def _schemas_script() -> Any:
    # by path: "scripts" is also tests/scripts.py, shared test data
    spec = importlib.util.spec_from_file_location("schemas_script", ROOT / "scripts" / "schemas.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SCRIPT = _schemas_script()
OUT: Path = SCRIPT.OUT
GOLDEN = Path(__file__).parent / "golden" / "result-keys.json"
EXAMPLE_NAMES = sorted(p.name for p in EXAMPLES.glob("*.*"))
OPEN_MAPS = ("params", "units", "name_params", "note_params")  # maps whose keys are the rules' own names


def _evaluate(example: str) -> dict[str, Any]:
    return json.loads(_printed(example))


@functools.cache
def _printed(example: str) -> str:
    proc = cli("evaluate", str(EXAMPLES / example), "--json")
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def key_sets(doc: Any) -> dict[str, list[str]]:
    """For each place in the document (list positions merged), the key sets its objects have."""
    out: dict[str, set[str]] = {}

    def walk(x: Any, path: str) -> None:
        if isinstance(x, dict):
            out.setdefault(path, set()).add(",".join(sorted(x)))
            for k, v in x.items():
                if k not in OPEN_MAPS:
                    walk(v, f"{path}.{k}")
        elif isinstance(x, list):
            for v in x:
                walk(v, path + "[]")

    walk(doc, "")
    return {p: sorted(v) for p, v in sorted(out.items())}


@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_the_json_has_the_keys_it_had_before_the_model(example: str) -> None:
    assert key_sets(_evaluate(example)) == json.loads(GOLDEN.read_text(encoding="utf-8"))[example]


def test_the_key_check_sees_a_dropped_key() -> None:
    doc: dict[str, Any] = {"results": [{"id": "a", "missing_facts": []}, {"id": "b"}]}
    assert key_sets(doc) == {"": ["results"], ".results[]": ["id", "id,missing_facts"]}
    del doc["results"][0]["missing_facts"]
    assert key_sets(doc)[".results[]"] == ["id"]


@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_the_json_validates_against_the_published_schema_and_reads_back_into_the_model(example: str) -> None:
    doc = _evaluate(example)
    schema = json.loads((OUT / "result.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(doc)
    # Every key is a field of the model, and a field left out is left out again: nothing is lost either way.
    again = TypeAdapter(Result).validate_python(doc, by_alias=True)
    assert as_json(again) == doc


def test_the_schema_refuses_a_null_where_the_key_would_be_left_out() -> None:
    doc = _evaluate("minimal.json")
    doc["results"][0]["alternatives"] = None
    schema = json.loads((OUT / "result.schema.json").read_text(encoding="utf-8"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(doc)


@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_the_examples_validate_against_the_answers_schema(example: str) -> None:
    text = (EXAMPLES / example).read_text(encoding="utf-8")
    doc = json.loads(json.dumps(yaml.safe_load(text), default=str))  # YAML dates as the ISO strings JSON has
    schema = json.loads((OUT / "answers.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(doc)


def test_the_published_schemas_are_what_the_models_give() -> None:
    for name, text in SCRIPT.schemas().items():
        assert (OUT / name).read_text(encoding="utf-8") == text, f"run scripts/schemas.py: {name} is stale"
