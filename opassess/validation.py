"""JSON Schema validation with messages that say where the problem is."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from opassess.paths import resources_dir


def json_path(parts: Any) -> str:
    """Render a jsonschema path deque as `participants[3].name`."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


@cache
def _validator(schema_name: str) -> Any:
    # jsonschema costs ~100 ms to import: only file loading pays for it.
    from jsonschema import Draft202012Validator

    with (resources_dir() / "schemas" / schema_name).open(encoding="utf-8") as handle:
        schema = json.load(handle)
    return Draft202012Validator(schema)


def schema_problems(document: Any, schema_name: str, limit: int = 5) -> list[str]:
    """Up to `limit` readable problems of `document` against a bundled schema, best first."""
    validator = _validator(schema_name)
    errors = sorted(
        validator.iter_errors(document), key=lambda e: (list(e.absolute_path), e.message)
    )
    problems = []
    for error in errors[:limit]:
        message = error.message
        if len(message) > 200:
            message = message[:200] + "…"
        problems.append(f"{json_path(error.absolute_path)}: {message}")
    return problems
