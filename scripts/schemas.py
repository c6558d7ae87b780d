"""Write the published JSON Schemas of the two contracts from the models that define them.

    .venv/bin/python scripts/schemas.py          # write docs/schemas/*.schema.json
    .venv/bin/python scripts/schemas.py --check  # exit 1 if a published file differs from its model

docs/schemas/answers.schema.json is the answers file (helper/answers.py, docs/answers.md);
docs/schemas/result.schema.json is what ``evaluate --json`` prints (helper/result.py, docs/cli.md).
tests/test_schemas.py fails when a file here and its model disagree, so they cannot drift.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from helper.answers import Answers  # noqa: E402
from helper.result import json_schema as result_schema  # noqa: E402

OUT = ROOT / "docs" / "schemas"


def answers_schema() -> dict[str, Any]:
    schema = Answers.model_json_schema(mode="validation")
    schema["$id"] = "answers.schema.json"
    schema["title"] = "kyosei-helper answers file, version 1"
    return schema


def schemas() -> dict[str, str]:
    """File name -> text, as published."""
    return {name: json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
            for name, schema in (("answers.schema.json", answers_schema()), ("result.schema.json", result_schema()))}


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for name, text in schemas().items():
        path = OUT / name
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
            continue
        OUT.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    for name in stale:
        print(f"docs/schemas/{name} differs from its model: run scripts/schemas.py", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
