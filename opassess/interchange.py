"""Session files (.opassess): one workshop, complete, as a UTF-8 JSON document.

A session file carries everything a workshop holds, its own frozen copy of the framework
included, so it can be moved to another computer, archived, or handed to a colleague. The format
is documented in docs/session-file.md and described by resources/schemas/session.schema.json.

Reading is all-or-nothing: the whole document is checked (structure by the schema, then the rules
a schema cannot express) before any Workshop is built, and every problem is reported with the
file's name and the place in the document. Writing is atomic: a failed write leaves an existing
file exactly as it was. Write then read gives back an equal Workshop.

Writer and reader stay in one module (past 500 lines) so that each field's two directions are
read, and changed, side by side; that is what keeps the round trip exact.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from itertools import islice
from pathlib import Path
from typing import Any, Literal, Protocol

from opassess import __version__
from opassess.files import date_from_text, date_text, plain_os_reason, write_atomically
from opassess.frameworks import Framework, FrameworkError, framework_from_dict, framework_to_dict
from opassess.validation import JsonProblem, broken_text, parse_json, schema_problems
from opassess.workshop import (
    MAX_ACTIONS,
    NOT_SURE,
    Action,
    Consensus,
    FollowUp,
    NameDisplay,
    Participant,
    Rating,
    Workshop,
    new_id,
    utc_now,
)

SESSION_FORMAT = "opassess-session"
SESSION_VERSION = 1
SESSION_SCHEMA = "session.schema.json"
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_PROBLEMS = 5
CONFLICT_CHOICES = ("ask", "replace", "keep-both")
COPY_SUFFIX = " (imported copy)"

ImportAction = Literal["added", "replaced", "kept-both"]

_FRAMEWORK_PATH = "workshop.framework"
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class SessionFileError(ValueError):
    """A session file that cannot be read or written; the message names the file and the place.

    `problems` lists the individual "path: problem" lines when there are several.
    """

    def __init__(self, message: str, problems: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = tuple(problems)


class WorkshopExists(SessionFileError):
    """The file's workshop is already in the library: the caller must choose what to do."""

    def __init__(
        self, message: str, *, existing_id: str, existing_title: str, incoming: Workshop
    ) -> None:
        super().__init__(message)
        self.existing_id = existing_id
        self.existing_title = existing_title
        self.incoming = incoming


class WorkshopLibrary(Protocol):
    """What importing needs from the library of workshops."""

    def exists(self, workshop_id: str) -> bool: ...

    def add(self, workshop: Workshop) -> Any: ...

    def replace(self, workshop: Workshop) -> Any: ...

    def load(self, workshop_id: str) -> Workshop: ...


@dataclass(frozen=True)
class ImportResult:
    workshop_id: str
    title: str
    action: ImportAction


# -- workshop <-> document --------------------------------------------------------------------


def workshop_to_document(workshop: Workshop) -> dict[str, Any]:
    """The JSON form of a workshop as a session file holds it."""
    return {
        "format": SESSION_FORMAT,
        "version": SESSION_VERSION,
        "exported_at": utc_now().isoformat(),
        "generator": f"OpAssess {__version__}",
        "workshop": _workshop_dict(workshop),
    }


def workshop_from_document(document: Any, origin: str = "session file") -> Workshop:
    """Check a session document completely, then build its workshop.

    Raises SessionFileError naming `origin` and where the problem is; nothing is built unless
    the whole document is sound.
    """
    _check_header(document, origin)
    try:
        problems, framework = _document_problems(document)
    except RecursionError:
        raise SessionFileError(f"{origin}: the JSON is nested too deeply.") from None
    if problems:
        raise SessionFileError(f"{origin}: " + "; ".join(problems), problems)
    assert framework is not None
    return _build(document["workshop"], framework)


def as_imported_copy(workshop: Workshop) -> Workshop:
    """A copy with new ids for the workshop, its participants and actions, marked as a copy."""
    participant_ids = {p.id: new_id() for p in workshop.participants}
    return dataclasses.replace(
        workshop,
        id=new_id(),
        title=workshop.title + COPY_SUFFIX,
        participants=tuple(
            dataclasses.replace(p, id=participant_ids[p.id]) for p in workshop.participants
        ),
        ratings={
            (participant_ids[pid], did): dataclasses.replace(
                rating, participant_id=participant_ids[pid]
            )
            for (pid, did), rating in workshop.ratings.items()
        },
        actions={
            did: tuple(dataclasses.replace(action, id=new_id()) for action in actions)
            for did, actions in workshop.actions.items()
        },
    )


# -- files ------------------------------------------------------------------------------------


def write_session_file(workshop: Workshop, path: str | os.PathLike[str]) -> None:
    """Write a workshop to a session file, atomically: on failure an existing file is untouched.

    Raises SessionFileError with a plain message ("Could not write x.opassess: the disk is full.").
    """
    path = Path(path)
    name = path.name
    document = workshop_to_document(workshop)
    # Never write a file that cannot be read back.
    problems, _ = _document_problems(document)
    if problems:
        raise SessionFileError(f"Could not write {name}: " + "; ".join(problems), problems)
    data = (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    if len(data) > MAX_FILE_BYTES:
        raise SessionFileError(
            f"Could not write {name}: the workshop is too large for a session file "
            f"({_megabytes(len(data))}; the limit is {_megabytes(MAX_FILE_BYTES)})."
        )
    _atomic_write(path, data)


def read_session_file(path: str | os.PathLike[str]) -> Workshop:
    """Read and check a session file; any problem raises SessionFileError naming file and place."""
    path = Path(path)
    name = path.name
    data = _read_bytes(path)
    text = _decode(data, name)
    if not text.strip():
        raise SessionFileError(f"{name} is empty; a session file holds a workshop as JSON.")
    document = _parse_json(text, name)
    return workshop_from_document(document, origin=name)


def import_session_file(
    library: WorkshopLibrary, path: str | os.PathLike[str], on_conflict: str = "ask"
) -> ImportResult:
    """Bring a session file's workshop into the library.

    The file is read and checked first; on any problem the library is not touched. A workshop
    already in the library (same id) raises WorkshopExists when on_conflict is "ask"; "replace"
    overwrites it with the file's version; "keep-both" adds the file's workshop as a copy with new
    ids and " (imported copy)" after its title.
    """
    if on_conflict not in CONFLICT_CHOICES:
        raise ValueError(
            f"on_conflict is one of {', '.join(CONFLICT_CHOICES)}, not {on_conflict!r}"
        )
    workshop = read_session_file(path)
    if not library.exists(workshop.id):
        library.add(workshop)
        return ImportResult(workshop.id, workshop.title, "added")
    if on_conflict == "replace":
        library.replace(workshop)
        return ImportResult(workshop.id, workshop.title, "replaced")
    if on_conflict == "keep-both":
        copy = as_imported_copy(workshop)
        library.add(copy)
        return ImportResult(copy.id, copy.title, "kept-both")
    existing = library.load(workshop.id)
    raise WorkshopExists(
        f"{Path(path).name}: this workshop is already in the library as “{existing.title}”. "
        "Choose whether to replace it with the file's version, or keep both (the file's "
        "workshop comes in as a copy). On the command line, add --replace or --keep-both.",
        existing_id=existing.id,
        existing_title=existing.title,
        incoming=workshop,
    )


# -- writing helpers --------------------------------------------------------------------------


def _workshop_dict(workshop: Workshop) -> dict[str, Any]:
    return {
        "id": workshop.id,
        "title": workshop.title,
        "organisation": workshop.organisation,
        "team": workshop.team,
        "held_on": date_text(workshop.held_on),
        "facilitator": workshop.facilitator,
        "name_display": str(workshop.name_display),  # the plain value: "names" …
        "reassess_on": date_text(workshop.reassess_on),
        "reassesses": workshop.reassesses,
        "created_at": _datetime_text(workshop.created_at),
        "framework": framework_to_dict(workshop.framework),
        "scope": list(workshop.scope),
        "participants": [
            {"id": p.id, "name": p.name, "role": p.role} for p in workshop.participants
        ],
        "ratings": [
            {
                "participant_id": r.participant_id,
                "dimension_id": r.dimension_id,
                "stage": r.stage,
                "evidence": r.evidence,
            }
            for r in workshop.ratings.values()
        ],
        "consensus": [
            {
                "dimension_id": dimension_id,
                "stage": c.stage,
                "rationale": c.rationale,
                "dissent": c.dissent,
            }
            for dimension_id, c in workshop.consensus.items()
        ],
        "targets": [
            {"dimension_id": dimension_id, "stage": stage}
            for dimension_id, stage in workshop.targets.items()
        ],
        "actions": [
            {
                "id": a.id,
                "dimension_id": dimension_id,
                "text": a.text,
                "responsible": a.responsible,
                "accountable": a.accountable,
                "due_on": date_text(a.due_on),
                "status": a.status,
            }
            for dimension_id, actions in workshop.actions.items()
            for a in actions
        ],
        # Written only when there are some, so a file without them reads in older releases.
        **({"tags": list(workshop.tags)} if workshop.tags else {}),
        **(
            {
                "followups": [
                    {"action_id": action_id, "outcome": f.outcome, "note": f.note}
                    for action_id, f in workshop.followups.items()
                ]
            }
            if workshop.followups
            else {}
        ),
    }


def _datetime_text(value: datetime) -> str:
    # The app's times are always aware; a naive one is taken to be UTC rather than lost.
    offset = value.utcoffset()
    if offset is None:
        value = value.replace(tzinfo=timezone.utc)
    elif offset.seconds % 60 or offset.microseconds:
        # Offsets are whole minutes in practice, and not every reader keeps finer ones.
        value = value.astimezone(timezone.utc)
    return value.isoformat()


def _atomic_write(path: Path, data: bytes) -> None:
    try:
        write_atomically(path, data)
    except OSError as exc:
        raise _os_error("write", path, exc) from exc


def _os_error(verb: Literal["read", "write"], path: Path, exc: OSError) -> SessionFileError:
    return SessionFileError(f"Could not {verb} {path.name}: {plain_os_reason(exc, verb)}")


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


# -- reading helpers --------------------------------------------------------------------------


def _read_bytes(path: Path) -> bytes:
    too_large = SessionFileError(
        f"{path.name} is too large to be a session file (the limit is "
        f"{_megabytes(MAX_FILE_BYTES)})."
    )
    try:
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size > MAX_FILE_BYTES:
                raise too_large
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise _os_error("read", path, exc) from exc
    if len(data) > MAX_FILE_BYTES:
        raise too_large
    return data


def _decode(data: bytes, name: str) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        column = len(data[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        raise SessionFileError(
            f"{name}: not UTF-8 text (line {line}, column {column}); "
            "a session file is UTF-8 encoded JSON."
        ) from None
    # A byte order mark is not part of JSON, but some editors add one: ignore it.
    return text.removeprefix("\ufeff")


def _parse_json(text: str, name: str) -> Any:
    try:
        return parse_json(text)
    except JsonProblem as problem:
        raise SessionFileError(f"{name}: {problem}") from None


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _check_header(document: Any, origin: str) -> None:
    """The format marker and version, checked first so a newer file gets a useful message."""
    if not isinstance(document, dict) or "format" not in document:
        raise SessionFileError(
            f'{origin} is not an OpAssess session file (it has no "format": "{SESSION_FORMAT}").'
        )
    found = document["format"]
    if found != SESSION_FORMAT:
        hint = ""
        if "levels" in document and "dimensions" in document:
            hint = " It looks like a framework file; open it as a framework instead."
        raise SessionFileError(
            f"{origin} is not an OpAssess session file (its format is {_short(found)}; "
            f'a session file says "{SESSION_FORMAT}").{hint}'
        )
    if "version" not in document:
        raise SessionFileError(f"{origin}: version: missing; expected {SESSION_VERSION}.")
    version = document["version"]
    if type(version) is not int:
        raise SessionFileError(
            f"{origin}: version: expected a whole number such as {SESSION_VERSION}, "
            f"found {_short(version)}."
        )
    if version > SESSION_VERSION:
        raise SessionFileError(
            f"{origin} was written by a newer OpAssess (session format {version}); this version "
            f"reads format {SESSION_VERSION}. Update OpAssess to open it."
        )
    if version < 1:
        raise SessionFileError(
            f"{origin}: version: there is no session format {version}; "
            f"this version reads format {SESSION_VERSION}."
        )


def _document_problems(document: Any) -> tuple[list[str], Framework | None]:
    """Every problem of a document (up to MAX_PROBLEMS), and its framework when sound."""
    problems = schema_problems(document, SESSION_SCHEMA, limit=MAX_PROBLEMS)
    if problems:
        return problems, None
    raw = document["workshop"]
    try:
        framework = framework_from_dict(raw["framework"], origin=_FRAMEWORK_PATH)
    except FrameworkError as exc:
        message = str(exc)
        prefix = f"{_FRAMEWORK_PATH}: "
        if message.startswith(prefix):
            message = f"{_FRAMEWORK_PATH}.{message[len(prefix) :]}"
        return [message], None
    problems = list(islice(_rule_problems(raw, framework), MAX_PROBLEMS))
    return problems, framework


def _rule_problems(raw: dict[str, Any], framework: Framework) -> Iterator[str]:
    """What the schema cannot say: real dates, unique ids, references, the three-action limit."""
    yield from broken_text(raw, ["workshop"])  # a workshop built in memory, to be written

    problem = _datetime_problem(raw["created_at"])
    if problem:
        yield f"workshop.created_at: {problem}"
    for key in ("held_on", "reassess_on"):
        problem = _date_problem(raw[key])
        if problem:
            yield f"workshop.{key}: {problem}"
    if raw.get("reassesses") is not None and raw["reassesses"] == raw["id"]:
        yield (
            "workshop.reassesses: a workshop cannot be a re-assessment of itself; give the id "
            "of the workshop it follows, or null"
        )

    dimension_ids = set(framework.dimension_ids)
    level_ids = framework.level_ids
    stages = ", ".join(level_ids)
    terms = framework.terms  # the problems speak the file's framework's words

    def unknown_dimension(value: str) -> str:
        return f"{value!r} is not a {terms.dimension} of the file's framework"

    tags_seen: set[str] = set()
    for index, tag in enumerate(raw.get("tags", ())):
        plain = " ".join(tag.split()).casefold()  # as set_tags keeps a tag
        if not plain:
            yield f"workshop.tags[{index}]: a tag is blank"
        elif plain in tags_seen:
            yield f"workshop.tags[{index}]: {tag!r} is listed twice"
        tags_seen.add(plain)
    followed: set[str] = set()
    for index, followup in enumerate(raw.get("followups", ())):
        where = f"workshop.followups[{index}]"
        if raw["reassesses"] is None:
            yield f"{where}: only a {terms.reassessment} follows up earlier actions"
        elif followup["action_id"] in followed:
            yield f"{where}: action {followup['action_id']!r} is followed up twice"
        followed.add(followup["action_id"])

    in_scope: set[str] = set()
    for index, dimension_id in enumerate(raw["scope"]):
        where = f"workshop.scope[{index}]"
        if dimension_id not in dimension_ids:
            yield f"{where}: {unknown_dimension(dimension_id)}"
        elif dimension_id in in_scope:
            yield f"{where}: {dimension_id!r} is listed twice"
        in_scope.add(dimension_id)

    participant_ids: set[str] = set()
    for index, participant in enumerate(raw["participants"]):
        if participant["id"] in participant_ids:
            yield f"workshop.participants[{index}].id: duplicate id {participant['id']!r}"
        participant_ids.add(participant["id"])

    rated: set[tuple[str, str]] = set()
    for index, rating in enumerate(raw["ratings"]):
        where = f"workshop.ratings[{index}]"
        if rating["participant_id"] not in participant_ids:
            yield f"{where}.participant_id: no participant has the id {rating['participant_id']!r}"
        if rating["dimension_id"] not in dimension_ids:
            yield f"{where}.dimension_id: {unknown_dimension(rating['dimension_id'])}"
        if rating["stage"] != NOT_SURE and rating["stage"] not in level_ids:
            yield (
                f"{where}.stage: {rating['stage']!r} is not a {terms.level} of the file's "
                f"framework ({terms.levels} are {stages}, or {NOT_SURE})"
            )
        pair = (rating["participant_id"], rating["dimension_id"])
        if pair in rated:
            yield f"{where}: a second rating by the same participant of the same {terms.dimension}"
        rated.add(pair)

    for section, noun in (("consensus", "consensus"), ("targets", "target")):
        seen: set[str] = set()
        for index, item in enumerate(raw[section]):
            where = f"workshop.{section}[{index}]"
            if item["dimension_id"] not in dimension_ids:
                yield f"{where}.dimension_id: {unknown_dimension(item['dimension_id'])}"
            elif item["dimension_id"] in seen:
                yield f"{where}.dimension_id: a second {noun} for {item['dimension_id']!r}"
            seen.add(item["dimension_id"])
            if item["stage"] not in level_ids:
                yield (
                    f"{where}.stage: {item['stage']!r} is not a {terms.level} of the file's "
                    f"framework ({terms.levels} are {stages})"
                )

    action_ids: set[str] = set()
    per_dimension: dict[str, int] = {}
    for index, action in enumerate(raw["actions"]):
        where = f"workshop.actions[{index}]"
        if action["id"] in action_ids:
            yield f"{where}.id: duplicate id {action['id']!r}"
        action_ids.add(action["id"])
        dimension_id = action["dimension_id"]
        if dimension_id not in dimension_ids:
            yield f"{where}.dimension_id: {unknown_dimension(dimension_id)}"
        per_dimension[dimension_id] = per_dimension.get(dimension_id, 0) + 1
        if per_dimension[dimension_id] == MAX_ACTIONS + 1:
            yield (
                f"{where}: a {terms.dimension} has at most {MAX_ACTIONS} key actions, and this is "
                f"action {MAX_ACTIONS + 1} for {dimension_id!r}"
            )
        problem = _date_problem(action["due_on"])
        if problem:
            yield f"{where}.due_on: {problem}"


def _date_problem(value: str | None) -> str | None:
    if value is None:
        return None
    if _DATE.fullmatch(value):
        try:
            date.fromisoformat(value)
            return None
        except ValueError:
            pass
    return f"{_short(value)} is not a date (expected YYYY-MM-DD, e.g. 2026-03-12)"


def _parse_datetime(value: str) -> datetime:
    if value[-1:] in ("Z", "z"):
        value = value[:-1] + "+00:00"
    if not _DATE.match(value) or len(value) < 11 or value[10] not in "Tt ":
        raise ValueError(value)
    return datetime.fromisoformat(value)


def _datetime_problem(value: str) -> str | None:
    try:
        moment = _parse_datetime(value)
    except ValueError:
        return f"{_short(value)} is not a date and time (expected e.g. 2026-03-12T09:30:00+00:00)"
    if moment.tzinfo is None:
        return f"{_short(value)} has no time zone offset (e.g. +00:00)"
    return None


def _build(raw: dict[str, Any], framework: Framework) -> Workshop:
    """The workshop of a checked document."""
    actions: dict[str, list[Action]] = {}
    for item in raw["actions"]:
        actions.setdefault(item["dimension_id"], []).append(
            Action(
                id=item["id"],
                text=item["text"],
                responsible=item["responsible"],
                accountable=item["accountable"],
                due_on=date_from_text(item["due_on"]),
                status=item["status"],
            )
        )
    return Workshop(
        id=raw["id"],
        title=raw["title"],
        framework=framework,
        organisation=raw["organisation"],
        team=raw["team"],
        held_on=date_from_text(raw["held_on"]),
        facilitator=raw["facilitator"],
        participants=tuple(Participant(p["id"], p["name"], p["role"]) for p in raw["participants"]),
        scope=tuple(raw["scope"]),
        ratings={
            (r["participant_id"], r["dimension_id"]): Rating(
                r["participant_id"], r["dimension_id"], r["stage"], r["evidence"]
            )
            for r in raw["ratings"]
        },
        consensus={
            c["dimension_id"]: Consensus(c["stage"], c["rationale"], c["dissent"])
            for c in raw["consensus"]
        },
        targets={t["dimension_id"]: t["stage"] for t in raw["targets"]},
        actions={dimension_id: tuple(items) for dimension_id, items in actions.items()},
        reassess_on=date_from_text(raw["reassess_on"]),
        reassesses=raw["reassesses"],
        name_display=NameDisplay(raw["name_display"]),  # the schema allows only these
        created_at=_parse_datetime(raw["created_at"]),
        tags=tuple(" ".join(tag.split()) for tag in raw.get("tags", ())),
        followups={
            f["action_id"]: FollowUp(f["outcome"], f["note"]) for f in raw.get("followups", ())
        },
    )
