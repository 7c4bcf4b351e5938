"""JSON Schema validation with messages that say where the problem is."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from opassess.paths import resources_dir


class JsonProblem(ValueError):
    """Why a text is not JSON that can be taken in, in words for the person who sent it."""


class _DuplicateKey(ValueError):
    pass


class _NotJsonValue(ValueError):
    pass


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _no_constants(name: str) -> Any:
    raise _NotJsonValue(name)


def _short(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")


def parse_json(text: str) -> Any:
    """`text` as JSON, taken strictly, for every file or request from outside (session and
    framework files, a phone's answers): a key twice in one object, NaN or Infinity, nesting
    deeper than Python can follow, a number too long to read, or a lone surrogate (which could
    never be stored as text) is a JsonProblem with a plain reason, never a crash."""
    try:
        document = json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        raise JsonProblem(
            f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}."
        ) from None
    except _DuplicateKey as exc:
        raise JsonProblem(
            f"the key {_short(exc.args[0])} appears twice in one object, so its value is ambiguous."
        ) from None
    except _NotJsonValue as exc:
        raise JsonProblem(f"not valid JSON: {exc.args[0]} is not a JSON value.") from None
    except RecursionError:
        raise JsonProblem("the JSON is nested too deeply.") from None
    except ValueError:  # Python's limit on the digits of an integer
        raise JsonProblem("it holds a number too long to read.") from None
    try:
        for problem in broken_text(document, []):
            raise JsonProblem(problem)
    except RecursionError:
        raise JsonProblem("the JSON is nested too deeply.") from None
    return document


_SURROGATE = re.compile("[\ud800-\udfff]")


def broken_text(value: Any, parts: list[Any]) -> Iterator[str]:
    """Where strings hold a lone surrogate (a "\\ud800" escape): JSON allows it, text does not,
    so it could be neither stored nor written out."""
    if isinstance(value, str):
        if _SURROGATE.search(value):
            yield (
                f"{json_path(parts)}: contains a broken character (a lone surrogate escape "
                "such as \\ud800) that is not text"
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            if _SURROGATE.search(key):
                yield f"{json_path(parts)}: a key contains a broken character (a lone surrogate)"
            yield from broken_text(item, [*parts, key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from broken_text(item, [*parts, index])


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
        message = _counted(error) or error.message
        if len(message) > 200:
            message = message[:200] + "…"
        problems.append(f"{json_path(error.absolute_path)}: {message}")
    return problems


def _counted(error: Any) -> str:
    """A limit on a count or a length said in numbers, never by echoing the value: jsonschema
    would print a whole list of ten stages, or a text of any length, back at the reader."""
    limit, value = error.validator_value, error.instance
    if error.validator in ("maxItems", "minItems") and isinstance(value, list):
        most = "at most" if error.validator == "maxItems" else "at least"
        return f"has {len(value)} item{'s' if len(value) != 1 else ''}; {most} {limit} allowed"
    if error.validator in ("maxLength", "minLength") and isinstance(value, str):
        if error.validator == "minLength" and limit == 1:
            return "is empty; it needs some text"
        most = "at most" if error.validator == "maxLength" else "at least"
        return f"is {len(value):,} characters long; {most} {limit:,} allowed"
    if error.validator in ("maxProperties", "minProperties") and isinstance(value, dict):
        most = "at most" if error.validator == "maxProperties" else "at least"
        return f"has {len(value)} entries; {most} {limit} allowed"
    return ""
