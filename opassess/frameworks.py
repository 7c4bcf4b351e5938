"""Assessment frameworks as data: levels (stages), dimensions (barriers), descriptors, suggestions.

A framework is an immutable value. A workshop keeps its own frozen copy, so editing a framework
file, or one workshop's wording, never rewrites another workshop's history.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from opassess.palette import NOT_SURE_COLOUR, stage_colour_at
from opassess.paths import resources_dir
from opassess.validation import JsonProblem, parse_json, schema_problems

FRAMEWORK_SCHEMA = "framework.schema.json"
_DEFAULT_TERMS = {
    "dimension": "barrier",
    "dimensions": "barriers",
    "level": "stage",
    "levels": "stages",
    "reassessment": "re-assessment",
    "suggestion": "breakthrough",
    "suggestions": "breakthroughs",
}
DEFAULT_FRAMEWORK_ID = "audit-commission-breakthrough-2002"
_DEFAULT_FILE = "breakthrough.json"
MAX_NAME_LENGTH = 500  # as framework.schema.json says for every name
# The answer of someone who cannot judge a barrier: kept apart from every stage, so no
# framework may give a stage this id.
NOT_SURE = "not-sure"


class FrameworkError(ValueError):
    """A framework that cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class Level:
    id: str
    name: str
    summary: str = ""
    colour: str = ""  # "#RRGGBB"; empty: the colour-blind-safe palette's colour for its place


@dataclass(frozen=True)
class Terms:
    """The words a framework uses for what is rated, its stages, the next look at it and its
    ideas for action.

    Lower case, as in running text; `capitalised` gives a heading's form.
    """

    dimension: str = "barrier"
    dimensions: str = "barriers"
    level: str = "stage"
    levels: str = "stages"
    reassessment: str = "re-assessment"
    suggestion: str = "breakthrough"  # an idea for action the framework offers
    suggestions: str = "breakthroughs"


def capitalised(word: str) -> str:
    """'barrier' -> 'Barrier', leaving the rest of the word as written ('re-assessment')."""
    return word[:1].upper() + word[1:]


@dataclass(frozen=True)
class Dimension:
    id: str
    name: str
    question: str = ""
    explanation: str = ""
    # level id -> observable behaviours at that level
    descriptors: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    group: str = ""  # a heading it sits under, such as "Whole system"
    prompts: tuple[str, ...] = ()  # questions that help a team test its rating
    warning_signs: tuple[str, ...] = ()
    source_note: str = ""  # which part of the source document it draws on


@dataclass(frozen=True)
class Suggestion:
    id: str
    name: str
    number: int | None = None
    summary: str = ""
    dimensions: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Framework:
    id: str
    name: str
    levels: tuple[Level, ...]
    dimensions: tuple[Dimension, ...]
    suggestions: tuple[Suggestion, ...] = ()
    source: str = ""
    summary: str = ""
    version: str = ""
    based_on: str = ""  # the framework this one was copied from, for a team's own
    scale_note: str = ""  # where the stages come from
    terms: Terms = field(default_factory=Terms)

    @property
    def title(self) -> str:
        """Its name with its version, as a list or a report names it."""
        return f"{self.name} ({self.version})" if self.version else self.name

    def colour_of(self, stage: str) -> str:
        """The hex colour of a stage id, grey for NOT_SURE or an id it does not know."""
        for index, level in enumerate(self.levels):
            if level.id == stage:
                return level.colour or stage_colour_at(index)
        return NOT_SURE_COLOUR

    @property
    def colours(self) -> tuple[str, ...]:
        """Each stage's hex colour, first stage first."""
        return tuple(self.colour_of(level.id) for level in self.levels)

    def dimension(self, dimension_id: str) -> Dimension:
        for dimension in self.dimensions:
            if dimension.id == dimension_id:
                return dimension
        raise KeyError(dimension_id)

    def has_dimension(self, dimension_id: str) -> bool:
        return any(d.id == dimension_id for d in self.dimensions)

    def level(self, level_id: str) -> Level:
        for level in self.levels:
            if level.id == level_id:
                return level
        raise KeyError(level_id)

    def level_index(self, level_id: str) -> int:
        """Position of a level, 0 for the first stage; KeyError for an unknown id."""
        for index, level in enumerate(self.levels):
            if level.id == level_id:
                return index
        raise KeyError(level_id)

    @property
    def level_ids(self) -> tuple[str, ...]:
        return tuple(level.id for level in self.levels)

    @property
    def dimension_ids(self) -> tuple[str, ...]:
        return tuple(dimension.id for dimension in self.dimensions)

    def suggestions_for(self, dimension_id: str) -> tuple[Suggestion, ...]:
        """The suggestions (breakthroughs) that help with one dimension, in their order."""
        return tuple(s for s in self.suggestions if dimension_id in s.dimensions)


def framework_from_dict(data: Any, origin: str = "framework") -> Framework:
    """Build a framework from its JSON form, validating structure and cross-references."""
    problems = schema_problems(data, FRAMEWORK_SCHEMA)
    if problems:
        raise FrameworkError(f"{origin}: " + "; ".join(problems))
    level_ids = [x["id"] for x in data["levels"]]
    _require_unique(level_ids, origin, "levels")
    if NOT_SURE in level_ids:
        raise FrameworkError(
            f"{origin}: levels[{level_ids.index(NOT_SURE)}].id: {NOT_SURE!r} is kept for "
            "“not sure” answers; give this stage another id"
        )
    for index, raw in enumerate(data["dimensions"]):
        unknown = sorted(set(raw["descriptors"]) - set(level_ids))
        if unknown:
            raise FrameworkError(
                f"{origin}: dimensions[{index}].descriptors: unknown level {unknown[0]!r}"
                f" (levels are {', '.join(level_ids)})"
            )
    dimension_ids = [d["id"] for d in data["dimensions"]]
    _require_unique(dimension_ids, origin, "dimensions")
    suggestions = data.get("suggestions", [])
    for index, raw in enumerate(suggestions):
        for position, dimension_id in enumerate(raw["dimensions"]):
            if dimension_id not in dimension_ids:
                raise FrameworkError(
                    f"{origin}: suggestions[{index}].dimensions[{position}]: "
                    f"unknown dimension {dimension_id!r}"
                )
    _require_unique([s["id"] for s in suggestions], origin, "suggestions")
    # Sound: fill in what a file may leave out (every stage gets its descriptors, in stage
    # order), giving the complete form framework_to_dict writes, and build from that.
    return framework_from_trusted_dict(
        {
            "id": data["id"],
            "name": data["name"],
            "source": data.get("source", ""),
            "summary": data.get("summary", ""),
            "version": data.get("version", ""),
            "based_on": data.get("based_on", ""),
            "scale_note": data.get("scale_note", ""),
            "terms": {**_DEFAULT_TERMS, **data.get("terms", {})},
            "levels": [
                {
                    "id": x["id"],
                    "name": x["name"],
                    "summary": x.get("summary", ""),
                    "colour": x.get("colour", "").upper(),
                }
                for x in data["levels"]
            ],
            "dimensions": [
                {
                    "id": d["id"],
                    "name": d["name"],
                    "group": d.get("group", ""),
                    "question": d.get("question", ""),
                    "explanation": d.get("explanation", ""),
                    "descriptors": {lid: d["descriptors"].get(lid, ()) for lid in level_ids},
                    "prompts": d.get("prompts", []),
                    "warning_signs": d.get("warning_signs", []),
                    "source_note": d.get("source_note", ""),
                }
                for d in data["dimensions"]
            ],
            "suggestions": [{**s, "summary": s.get("summary", "")} for s in suggestions],
        }
    )


def framework_from_trusted_dict(data: Mapping[str, Any]) -> Framework:
    """The exact inverse of framework_to_dict, for data this program wrote itself.

    For instance a workshop's frozen framework copy in the library. There is no schema check:
    the schema is for framework files people write, and a stored copy must read back as it was
    written even should a later release tighten the schema (validating would also cost about
    3 ms). Use framework_from_dict for anything from outside. Fields added since the first
    release are optional here, so copies stored before them read back with their defaults.
    """
    return Framework(
        id=data["id"],
        name=data["name"],
        levels=tuple(
            Level(x["id"], x["name"], x["summary"], x.get("colour", "")) for x in data["levels"]
        ),
        dimensions=tuple(
            Dimension(
                id=d["id"],
                name=d["name"],
                question=d["question"],
                explanation=d["explanation"],
                descriptors={k: tuple(v) for k, v in d["descriptors"].items()},
                group=d.get("group", ""),
                prompts=tuple(d.get("prompts", ())),
                warning_signs=tuple(d.get("warning_signs", ())),
                source_note=d.get("source_note", ""),
            )
            for d in data["dimensions"]
        ),
        suggestions=tuple(
            Suggestion(
                id=s["id"],
                name=s["name"],
                number=s.get("number"),
                summary=s["summary"],
                dimensions=tuple(s["dimensions"]),
                actions=tuple(s["actions"]),
            )
            for s in data["suggestions"]
        ),
        source=data["source"],
        summary=data["summary"],
        version=data.get("version", ""),
        based_on=data.get("based_on", ""),
        scale_note=data.get("scale_note", ""),
        terms=Terms(**{**_DEFAULT_TERMS, **data.get("terms", {})}),
    )


def framework_to_dict(framework: Framework) -> dict[str, Any]:
    """The JSON form of a framework; framework_from_dict reads it back unchanged.

    So does framework_from_trusted_dict, without the schema check, for data this program wrote.
    """
    # What a framework leaves at its default is not written, so a file of the breakthrough model
    # reads in releases older than these fields, and a stored copy keeps its fingerprint.
    terms = dataclasses.asdict(framework.terms)
    data: dict[str, Any] = {
        "format": 1,
        "id": framework.id,
        "name": framework.name,
        "source": framework.source,
        "summary": framework.summary,
        **_unless_empty(
            version=framework.version,
            based_on=framework.based_on,
            scale_note=framework.scale_note,
            terms=terms if terms != _DEFAULT_TERMS else {},
        ),
        "levels": [
            {"id": x.id, "name": x.name, "summary": x.summary, **_unless_empty(colour=x.colour)}
            for x in framework.levels
        ],
        "dimensions": [
            {
                "id": d.id,
                "name": d.name,
                **_unless_empty(group=d.group),
                "question": d.question,
                "explanation": d.explanation,
                "descriptors": {lid: list(items) for lid, items in d.descriptors.items()},
                **_unless_empty(
                    prompts=list(d.prompts),
                    warning_signs=list(d.warning_signs),
                    source_note=d.source_note,
                ),
            }
            for d in framework.dimensions
        ],
        "suggestions": [
            {
                "id": s.id,
                "name": s.name,
                **({"number": s.number} if s.number is not None else {}),
                "summary": s.summary,
                "dimensions": list(s.dimensions),
                "actions": list(s.actions),
            }
            for s in framework.suggestions
        ],
    }
    return data


def load_framework(path: str | Path) -> Framework:
    """Read and validate a framework file; errors name the file and the field."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FrameworkError(f"{path.name}: cannot be read ({exc})") from exc
    try:
        data = parse_json(text)
    except JsonProblem as problem:
        raise FrameworkError(f"{path.name}: {problem}") from None
    return framework_from_dict(data, origin=path.name)


def builtin_frameworks() -> dict[str, Framework]:
    """Every framework bundled in resources/frameworks, by id."""
    return dict(_bundled_frameworks())


@functools.cache
def _bundled_frameworks() -> tuple[tuple[str, Framework], ...]:
    # Read and checked once a run: the bundled files do not change while the program runs, and
    # checking four of them against the schema takes some 20 ms a time (every New workshop,
    # every list of frameworks). Frameworks are immutable, so the values are shared safely.
    frameworks: dict[str, Framework] = {}
    for path in sorted((resources_dir() / "frameworks").glob("*.json")):
        framework = default_framework() if path.name == _DEFAULT_FILE else load_framework(path)
        frameworks[framework.id] = framework
    return tuple(frameworks.items())


@functools.cache
def default_framework() -> Framework:
    """The Audit Commission breakthrough model (read once a run; the value is immutable)."""
    return load_framework(resources_dir() / "frameworks" / _DEFAULT_FILE)


def edit_dimension(
    framework: Framework,
    dimension_id: str,
    *,
    name: str | None = None,
    question: str | None = None,
    explanation: str | None = None,
    descriptors: Mapping[str, Iterable[str]] | None = None,
) -> Framework:
    """A copy of `framework` with one dimension's wording changed (a workshop's own adaptation)."""
    dimension = framework.dimension(dimension_id)
    changes: dict[str, Any] = {}
    if name is not None:
        if not name.strip():
            raise FrameworkError("A barrier needs a name.")
        if len(name.strip()) > MAX_NAME_LENGTH:
            raise FrameworkError(f"A barrier's name has at most {MAX_NAME_LENGTH} characters.")
        changes["name"] = name.strip()
    if question is not None:
        changes["question"] = question
    if explanation is not None:
        changes["explanation"] = explanation
    if descriptors is not None:
        unknown = set(descriptors) - set(framework.level_ids)
        if unknown:
            raise FrameworkError(f"Unknown stage {sorted(unknown)[0]!r}.")
        merged = dict(dimension.descriptors)
        for level_id, items in descriptors.items():
            merged[level_id] = tuple(item.strip() for item in items if item.strip())
        changes["descriptors"] = merged
    edited = dataclasses.replace(dimension, **changes)
    return dataclasses.replace(
        framework,
        dimensions=tuple(edited if d.id == dimension_id else d for d in framework.dimensions),
    )


def _unless_empty(**fields: Any) -> dict[str, Any]:
    return {name: value for name, value in fields.items() if value}


def _require_unique(ids: list[str], origin: str, where: str) -> None:
    seen: set[str] = set()
    for index, identifier in enumerate(ids):
        if identifier in seen:
            raise FrameworkError(f"{origin}: {where}[{index}].id: duplicate id {identifier!r}")
        seen.add(identifier)
