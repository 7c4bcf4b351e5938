"""The workshop aggregate and its rules.

A workshop is an immutable value. Every edit is a pure function that takes a workshop and returns
the edited one, or raises WorkshopError with a message a facilitator can act on. Immutability is
what makes undo exact (history.py keeps the earlier values) and lets the store work out precisely
which rows an edit touched (changes.py).

Mappings held by a workshop are never mutated in place: an edit builds a new mapping.

The value types and every edit stay in this one module (past 500 lines) on purpose: the edits are
the workshop's rules, and a rule is checked against the others more easily when they sit together.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from enum import Enum
from types import EllipsisType
from typing import Any

from opassess.frameworks import MAX_NAME_LENGTH as MAX_DIMENSION_NAME_LENGTH
from opassess.frameworks import NOT_SURE, Framework, FrameworkError, edit_dimension
from opassess.wording import format_date, stage_name


class NameDisplay(str, Enum):
    """How shared screens and printouts name the participants behind the ratings.

    A str-enum: each member equals, and is written to session files and the library as, its
    plain value ("names", "initials", "anonymous"), exactly the strings stored before it."""

    ANONYMOUS = "anonymous"  # dots only: nobody is named beside a rating
    INITIALS = "initials"
    NAMES = "names"

    def __str__(self) -> str:  # the value, as format() and f-strings give it
        return self.value


MAX_ACTIONS = 3
NAME_DISPLAYS = tuple(NameDisplay)  # in the order of the session file schema's enum
ACTION_STATUSES = ("planned", "in-progress", "done", "dropped")
# What became of an earlier workshop's action, marked at the start of its re-assessment.
FOLLOW_UP_OUTCOMES = ("done", "partly", "not-done", "dropped")
MAX_TAGS = 20
MAX_TAG_LENGTH = 60
# Every text a workshop holds has a limit: names and short lines; an action or a note; evidence,
# a rationale or dissent. Edits keep to these. Session files (their schema, which a test holds
# to these numbers) take five times as much, so what an older release stored, before these
# limits, still travels; past that a file is refused, as nobody types it.
MAX_NAME_LENGTH = 200
MAX_NOTE_LENGTH = 4000
MAX_TEXT_LENGTH = 20_000
FILE_ALLOWANCE = 5


class WorkshopError(ValueError):
    """An edit that breaks a workshop rule; the message says what and why."""


class TargetBelowConsensus(WorkshopError):
    """A target below the agreed stage: allowed only when the caller confirms it."""


def new_id() -> str:
    import uuid  # here, not at the top: it imports `platform`, a cost on every start-up

    return str(uuid.uuid4())


def utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


@dataclass(frozen=True)
class Participant:
    id: str
    name: str
    role: str = ""


@dataclass(frozen=True)
class Rating:
    """One participant's view of one barrier: a stage id or NOT_SURE, and the evidence for it."""

    participant_id: str
    dimension_id: str
    stage: str
    evidence: str = ""


@dataclass(frozen=True)
class Consensus:
    """The stage the team agreed for a barrier, why, and any dissent worth recording."""

    stage: str
    rationale: str = ""
    dissent: str = ""


@dataclass(frozen=True)
class Action:
    id: str
    text: str
    responsible: str = ""
    accountable: str = ""
    due_on: date | None = None
    status: str = "planned"


@dataclass(frozen=True)
class FollowUp:
    """What became of one action of the workshop this one re-assesses, and a note on it."""

    outcome: str  # one of FOLLOW_UP_OUTCOMES
    note: str = ""


RatingKey = tuple[str, str]  # (participant_id, dimension_id)


@dataclass(frozen=True)
class Workshop:
    id: str
    title: str
    framework: Framework
    organisation: str = ""
    team: str = ""
    held_on: date | None = None
    facilitator: str = ""
    participants: tuple[Participant, ...] = ()
    scope: tuple[str, ...] = ()
    ratings: Mapping[RatingKey, Rating] = field(default_factory=dict)
    consensus: Mapping[str, Consensus] = field(default_factory=dict)
    targets: Mapping[str, str] = field(default_factory=dict)
    actions: Mapping[str, tuple[Action, ...]] = field(default_factory=dict)
    reassess_on: date | None = None
    reassesses: str | None = None
    name_display: NameDisplay = NameDisplay.NAMES
    created_at: datetime = field(default_factory=utc_now)
    tags: tuple[str, ...] = ()  # for finding and comparing teams: "north", "2026 round"
    # earlier action id -> what became of it, for the workshop this one re-assesses
    followups: Mapping[str, FollowUp] = field(default_factory=dict)

    # -- reading ---------------------------------------------------------------------------

    def participant(self, participant_id: str) -> Participant:
        for participant in self.participants:
            if participant.id == participant_id:
                return participant
        raise WorkshopError("That participant is not in this workshop.")

    def has_participant(self, participant_id: str) -> bool:
        return any(p.id == participant_id for p in self.participants)

    def scoped_dimensions(self) -> tuple[Any, ...]:
        """The barriers in scope, in the framework's order."""
        return tuple(d for d in self.framework.dimensions if d.id in self.scope)

    def rating(self, participant_id: str, dimension_id: str) -> Rating | None:
        return self.ratings.get((participant_id, dimension_id))

    def ratings_for(self, dimension_id: str) -> list[Rating]:
        """Ratings of one barrier, in participant order."""
        found = []
        for participant in self.participants:
            rating = self.ratings.get((participant.id, dimension_id))
            if rating is not None:
                found.append(rating)
        return found

    def actions_for(self, dimension_id: str) -> tuple[Action, ...]:
        return self.actions.get(dimension_id, ())

    def display_names(self) -> dict[str, str]:
        """Participant id -> a name that tells apart people who share one."""
        return display_names(self.participants)


def display_names(participants: Iterable[Participant]) -> dict[str, str]:
    """Names as shown: a shared name gets the role, then a number, so nobody is mistaken."""
    participants = list(participants)
    by_name = Counter(p.name.casefold() for p in participants)
    by_name_role = Counter((p.name.casefold(), p.role.casefold()) for p in participants)
    seen: Counter[tuple[str, str]] = Counter()
    shown: dict[str, str] = {}
    for participant in participants:
        key = (participant.name.casefold(), participant.role.casefold())
        label = participant.name
        if by_name[key[0]] > 1:
            if participant.role and by_name_role[key] == 1:
                label = f"{participant.name} ({participant.role})"
            else:
                seen[key] += 1
                suffix = f"{participant.role}, {seen[key]}" if participant.role else str(seen[key])
                label = f"{participant.name} ({suffix})"
        shown[participant.id] = label
    return shown


def shows_names(workshop: Workshop) -> bool:
    """Whether shared screens and printouts may say who gave which rating (by name or by
    initials): False in an anonymous workshop. The one place that rule is decided."""
    return workshop.name_display != NameDisplay.ANONYMOUS


def chart_labels(workshop: Workshop) -> dict[str, str]:
    """Participant id -> the label shared screens show, as the workshop's name setting says:
    full names, initials, or nothing at all."""
    if not shows_names(workshop):
        return {p.id: "" for p in workshop.participants}
    if workshop.name_display == NameDisplay.INITIALS:
        return distinct_initials(workshop.participants)
    return display_names(workshop.participants)


def chart_label_choices(workshop: Workshop) -> list[dict[str, str]]:
    """The labels a chart may put beside its dots, best first: the name setting's own, then
    initials where full names would not fit; none at all in an anonymous workshop."""
    if not shows_names(workshop):
        return []
    choices = [chart_labels(workshop)]
    if workshop.name_display == NameDisplay.NAMES:
        choices.append(distinct_initials(workshop.participants))
    return choices


def distinct_initials(participants: Iterable[Participant]) -> dict[str, str]:
    """Participant id -> initials, numbered where people share them ('GG1', 'GG2'), so the
    room can tell every dot apart."""
    plain = {p.id: initials(p.name) for p in participants}
    shared = Counter(label.casefold() for label in plain.values())
    seen: Counter[str] = Counter()
    labels: dict[str, str] = {}
    for participant_id, label in plain.items():
        key = label.casefold()
        if shared[key] > 1:
            seen[key] += 1
            label = f"{label}{seen[key]}"
        labels[participant_id] = label
    return labels


def initials(name: str) -> str:
    """'Siân ap Rhys' -> 'SaR': what a chart shows when names are set to initials."""
    return "".join(part[0] for part in name.split() if part) or "?"


# -- creating ---------------------------------------------------------------------------------


def new_workshop(
    framework: Framework,
    *,
    title: str,
    organisation: str = "",
    team: str = "",
    held_on: date | None = None,
    facilitator: str = "",
    scope: Iterable[str] | None = None,
    workshop_id: str | None = None,
) -> Workshop:
    """A fresh workshop with every barrier of the framework in scope unless told otherwise."""
    workshop = Workshop(
        id=workshop_id or new_id(),
        title=_required_text(title, "A workshop needs a title.", MAX_NAME_LENGTH, "The title"),
        framework=framework,
        organisation=_limited_text(organisation, MAX_NAME_LENGTH, "The organisation"),
        team=_limited_text(team, MAX_NAME_LENGTH, "The team"),
        held_on=held_on,
        facilitator=_limited_text(facilitator, MAX_NAME_LENGTH, "The facilitator's name"),
        scope=framework.dimension_ids,
    )
    if scope is not None:
        workshop = set_scope(workshop, scope)
    return workshop


def start_reassessment(
    previous: Workshop, *, held_on: date | None = None, framework: Framework | None = None
) -> Workshop:
    """A new workshop that re-assesses `previous`: same team and scope, on the framework copy
    used last time unless `framework` (another version of it) is given. On another version the
    scope keeps what that version still has, by id; analysis.unmatched says what it lost."""
    framework = framework or previous.framework
    scope = tuple(d for d in previous.scope if framework.has_dimension(d))
    participants = tuple(Participant(new_id(), p.name, p.role) for p in previous.participants)
    said = f" ({framework.terms.reassessment})"
    title = previous.title
    if len(title) + len(said) > MAX_NAME_LENGTH:  # a long title keeps its start
        title = title[: MAX_NAME_LENGTH - len(said) - 1].rstrip() + "…"
    return Workshop(
        id=new_id(),
        title=title + said,
        framework=framework,
        organisation=previous.organisation,
        team=previous.team,
        held_on=held_on,
        facilitator=previous.facilitator,
        participants=participants,
        scope=scope or framework.dimension_ids,
        reassesses=previous.id,
        name_display=previous.name_display,
        tags=previous.tags,  # the same team, found and compared by the same words
    )


# -- details ----------------------------------------------------------------------------------


def update_details(
    workshop: Workshop,
    *,
    title: str | None = None,
    organisation: str | None = None,
    team: str | None = None,
    held_on: date | EllipsisType | None = ...,
    facilitator: str | None = None,
    name_display: NameDisplay | str | None = None,
    reassess_on: date | EllipsisType | None = ...,
) -> Workshop:
    """Change the workshop's descriptive fields; `...` leaves a date alone, None clears it."""
    changes: dict[str, Any] = {}
    if title is not None:
        changes["title"] = _required_text(
            title, "A workshop needs a title.", MAX_NAME_LENGTH, "The title"
        )
    if organisation is not None:
        changes["organisation"] = _limited_text(organisation, MAX_NAME_LENGTH, "The organisation")
    if team is not None:
        changes["team"] = _limited_text(team, MAX_NAME_LENGTH, "The team")
    if facilitator is not None:
        changes["facilitator"] = _limited_text(
            facilitator, MAX_NAME_LENGTH, "The facilitator's name"
        )
    if held_on is not ...:
        changes["held_on"] = held_on
    if reassess_on is not ...:
        changes["reassess_on"] = reassess_on
    held = changes.get("held_on", workshop.held_on)
    again = changes.get("reassess_on", workshop.reassess_on)
    reassessment = workshop.framework.terms.reassessment
    # Refused only in an edit of a date: a workshop stored with them the wrong way round (from
    # before this rule, or a session file) still takes its other edits.
    if held and again and again < held:
        if reassess_on is not ...:
            raise WorkshopError(f"The {reassessment} date is before the workshop itself.")
        if held_on is not ...:
            raise WorkshopError(
                f"The workshop cannot be after its {reassessment} date "
                f"({format_date(again)}): change that in Plan first."
            )
    if name_display is not None:
        if name_display not in NAME_DISPLAYS:
            raise WorkshopError(f"Names can be shown as {', '.join(NAME_DISPLAYS)}.")
        changes["name_display"] = NameDisplay(name_display)
    return dataclasses.replace(workshop, **changes)


# -- dates that look wrong: said plainly, never refused -----------------------------------------


def due_date_warning(workshop: Workshop, due_on: date | None) -> str:
    """A warning for an action due before the workshop that agreed it, or ""."""
    if due_on is None or workshop.held_on is None or due_on >= workshop.held_on:
        return ""
    return f"Due before the workshop itself ({format_date(workshop.held_on)})."


def reassessment_date_warning(workshop: Workshop, previous: Workshop | None) -> str:
    """A warning for a workshop dated before the one it re-assesses, or "": the trend orders
    workshops by date, so it would show the team's path the wrong way round."""
    if previous is None or workshop.held_on is None or previous.held_on is None:
        return ""
    if workshop.held_on >= previous.held_on:
        return ""
    return (
        f"This {workshop.framework.terms.reassessment} is dated {format_date(workshop.held_on)}, "
        f"before the workshop it follows ({format_date(previous.held_on)}): the trend will show "
        "the two the wrong way round. Check the date."
    )


def set_scope(workshop: Workshop, dimension_ids: Iterable[str]) -> Workshop:
    """Choose the barriers in scope (one to all). Ratings of barriers left out are kept."""
    wanted = set(dimension_ids)
    unknown = wanted - set(workshop.framework.dimension_ids)
    terms = workshop.framework.terms
    if unknown:
        raise WorkshopError(f"{sorted(unknown)[0]!r} is not a {terms.dimension} of this framework.")
    if not wanted:
        raise WorkshopError(f"Keep at least one {terms.dimension} in scope.")
    ordered = tuple(d for d in workshop.framework.dimension_ids if d in wanted)
    return dataclasses.replace(workshop, scope=ordered)


def adapt_dimension(workshop: Workshop, dimension_id: str, **wording: Any) -> Workshop:
    """Edit this workshop's own copy of a barrier's wording or stage descriptors."""
    _require_dimension(workshop, dimension_id, in_scope=False)
    # Checked here, in the framework's words, before frameworks.edit_dimension checks the same.
    terms = workshop.framework.terms
    name = wording.get("name")
    if name is not None and not name.strip():
        raise WorkshopError(f"A {terms.dimension} needs a name.")
    if name is not None and len(name.strip()) > MAX_DIMENSION_NAME_LENGTH:
        raise WorkshopError(
            f"A {terms.dimension}'s name has at most {MAX_DIMENSION_NAME_LENGTH} characters."
        )
    unknown = set(wording.get("descriptors") or ()) - set(workshop.framework.level_ids)
    if unknown:
        raise WorkshopError(f"Unknown {terms.level} {sorted(unknown)[0]!r}.")
    try:
        framework = edit_dimension(workshop.framework, dimension_id, **wording)
    except FrameworkError as refusal:  # an edit's refusal, told like any other
        raise WorkshopError(str(refusal)) from refusal
    return dataclasses.replace(workshop, framework=framework)


# -- participants -----------------------------------------------------------------------------


def add_participant(
    workshop: Workshop, name: str, role: str = "", participant_id: str | None = None
) -> Workshop:
    """Add a member of the team. Shared names are allowed and told apart by display_names."""
    participant = Participant(
        participant_id or new_id(),
        _required_text(name, "A participant needs a name.", MAX_NAME_LENGTH, "The name"),
        _limited_text(role, MAX_NAME_LENGTH, "The role"),
    )
    if workshop.has_participant(participant.id):
        raise WorkshopError("That participant is already in this workshop.")
    return dataclasses.replace(workshop, participants=(*workshop.participants, participant))


def add_participants(workshop: Workshop, rows: Iterable[tuple[str, str]]) -> Workshop:
    """Add several (name, role) rows at once, e.g. pasted from a spreadsheet; blanks skipped."""
    for name, role in rows:
        if name.strip():
            workshop = add_participant(workshop, name, role)
    return workshop


def parse_participant_rows(text: str) -> list[tuple[str, str]]:
    """(name, role) rows from text pasted out of a spreadsheet: one person a line, the role in
    the next column (tab, or else comma or semicolon); a header row such as "Name, Role" is
    skipped, as are blank lines."""
    rows: list[tuple[str, str]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        for separator in ("\t", ";", ","):
            if separator in line:
                name, _, rest = line.partition(separator)
                role = rest.split(separator)[0] if separator == "\t" else rest
                break
        else:
            name, role = line, ""
        name, role = name.strip(), role.strip()
        if not rows and name.casefold() in {"name", "names", "participant", "full name"}:
            continue
        if name:
            rows.append((name, role))
    return rows


def update_participant(
    workshop: Workshop, participant_id: str, *, name: str | None = None, role: str | None = None
) -> Workshop:
    current = workshop.participant(participant_id)
    edited = Participant(
        current.id,
        current.name
        if name is None
        else _required_text(name, "A participant needs a name.", MAX_NAME_LENGTH, "The name"),
        current.role if role is None else _limited_text(role, MAX_NAME_LENGTH, "The role"),
    )
    return dataclasses.replace(
        workshop,
        participants=tuple(edited if p.id == participant_id else p for p in workshop.participants),
    )


def remove_participant(workshop: Workshop, participant_id: str) -> Workshop:
    """Remove a participant and their ratings (undo brings both back)."""
    workshop.participant(participant_id)
    return dataclasses.replace(
        workshop,
        participants=tuple(p for p in workshop.participants if p.id != participant_id),
        ratings={k: v for k, v in workshop.ratings.items() if k[0] != participant_id},
    )


def move_participant(workshop: Workshop, participant_id: str, new_index: int) -> Workshop:
    current = workshop.participant(participant_id)
    others = [p for p in workshop.participants if p.id != participant_id]
    new_index = max(0, min(new_index, len(others)))
    others.insert(new_index, current)
    return dataclasses.replace(workshop, participants=tuple(others))


# -- ratings ----------------------------------------------------------------------------------


def record_rating(
    workshop: Workshop,
    participant_id: str,
    dimension_id: str,
    stage: str,
    evidence: str | None = None,
) -> Workshop:
    """Record one participant's stage (or NOT_SURE) for a barrier; evidence None keeps the old."""
    workshop.participant(participant_id)
    _require_dimension(workshop, dimension_id)
    if stage != NOT_SURE and stage not in workshop.framework.level_ids:
        raise WorkshopError(
            f"{stage!r} is not a {workshop.framework.terms.level}; choose "
            f"{', '.join(workshop.framework.level_ids)} or not sure."
        )
    key = (participant_id, dimension_id)
    if evidence is None:
        old = workshop.ratings.get(key)
        evidence = old.evidence if old else ""
    _require_length(evidence, MAX_TEXT_LENGTH, "The evidence")
    rating = Rating(participant_id, dimension_id, stage, evidence)
    return dataclasses.replace(workshop, ratings={**workshop.ratings, key: rating})


def record_ratings(
    workshop: Workshop, participant_id: str, answers: Iterable[tuple[str, str, str]]
) -> Workshop:
    """Record a participant's answers, (barrier id, stage or NOT_SURE, evidence) each, as one
    edit: each replaces that barrier's earlier rating and evidence. Paper, spreadsheet and phone
    answers all arrive this way."""
    for dimension_id, stage, evidence in answers:
        workshop = record_rating(workshop, participant_id, dimension_id, stage, evidence)
    return workshop


def record_evidence(
    workshop: Workshop, participant_id: str, dimension_id: str, evidence: str
) -> Workshop:
    """Change the evidence of a rating already made."""
    key = (participant_id, dimension_id)
    old = workshop.ratings.get(key)
    if old is None:
        level = workshop.framework.terms.level
        raise WorkshopError(f"Choose a {level} (or not sure) before adding evidence.")
    _require_length(evidence, MAX_TEXT_LENGTH, "The evidence")
    return dataclasses.replace(
        workshop, ratings={**workshop.ratings, key: dataclasses.replace(old, evidence=evidence)}
    )


def clear_rating(workshop: Workshop, participant_id: str, dimension_id: str) -> Workshop:
    key = (participant_id, dimension_id)
    if key not in workshop.ratings:
        return workshop
    return dataclasses.replace(
        workshop, ratings={k: v for k, v in workshop.ratings.items() if k != key}
    )


# -- consensus and plan -----------------------------------------------------------------------


def agree_consensus(
    workshop: Workshop,
    dimension_id: str,
    stage: str,
    rationale: str = "",
    dissent: str = "",
    *,
    confirm_below: bool = False,
) -> Workshop:
    """Record the stage the team agreed for a barrier, with the reasons and any dissent.

    A new stage above the barrier's target needs confirm_below=True: the target is then
    below the agreed stage, which the team must mean."""
    _require_dimension(workshop, dimension_id)
    _require_stage(workshop, stage)
    earlier = workshop.consensus.get(dimension_id)
    target = workshop.targets.get(dimension_id)
    framework = workshop.framework
    if (
        (earlier is None or earlier.stage != stage)
        and target is not None
        and framework.level_index(target) < framework.level_index(stage)
        and not confirm_below
    ):
        raise TargetBelowConsensus(
            f"The target ({stage_name(framework, target)}) would be below the agreed "
            f"{framework.terms.level} ({stage_name(framework, stage)}). Confirm to keep the "
            "lower target on purpose, or change the target in Plan."
        )
    _require_length(rationale, MAX_TEXT_LENGTH, "The rationale")
    _require_length(dissent, MAX_TEXT_LENGTH, "The dissent")
    consensus = Consensus(stage, rationale, dissent)
    return dataclasses.replace(workshop, consensus={**workshop.consensus, dimension_id: consensus})


def clear_consensus(workshop: Workshop, dimension_id: str) -> Workshop:
    return dataclasses.replace(
        workshop, consensus={k: v for k, v in workshop.consensus.items() if k != dimension_id}
    )


def set_target(
    workshop: Workshop, dimension_id: str, stage: str | None, *, confirm_below: bool = False
) -> Workshop:
    """Set the stage to reach. A target below the agreed stage needs confirm_below=True."""
    _require_dimension(workshop, dimension_id)
    if stage is None:
        return dataclasses.replace(
            workshop, targets={k: v for k, v in workshop.targets.items() if k != dimension_id}
        )
    _require_stage(workshop, stage)
    agreed = workshop.consensus.get(dimension_id)
    framework = workshop.framework
    if (
        agreed is not None
        and framework.level_index(stage) < framework.level_index(agreed.stage)
        and not confirm_below
    ):
        raise TargetBelowConsensus(
            f"The target ({stage_name(framework, stage)}) is below the agreed "
            f"{framework.terms.level} ({stage_name(framework, agreed.stage)}). "
            "Confirm to aim lower on purpose."
        )
    return dataclasses.replace(workshop, targets={**workshop.targets, dimension_id: stage})


def add_action(
    workshop: Workshop,
    dimension_id: str,
    text: str,
    *,
    responsible: str = "",
    accountable: str = "",
    due_on: date | None = None,
    status: str = "planned",
    action_id: str | None = None,
) -> Workshop:
    """Add one of the (at most three) key actions for a barrier."""
    _require_dimension(workshop, dimension_id)
    current = workshop.actions_for(dimension_id)
    if len(current) >= MAX_ACTIONS:
        raise WorkshopError(
            f"A {workshop.framework.terms.dimension} has at most {MAX_ACTIONS} key actions; "
            "change or remove one first."
        )
    _require_status(status)
    action = Action(
        action_id or new_id(),
        _required_text(text, "An action needs a description.", MAX_NOTE_LENGTH, "The action"),
        _limited_text(responsible, MAX_NAME_LENGTH, "Who is responsible"),
        _limited_text(accountable, MAX_NAME_LENGTH, "Who is accountable"),
        due_on,
        status,
    )
    return dataclasses.replace(
        workshop, actions={**workshop.actions, dimension_id: (*current, action)}
    )


def update_action(workshop: Workshop, action_id: str, **changes: Any) -> Workshop:
    """Change an action's text, responsible, accountable, due date or status."""
    dimension_id, action = _find_action(workshop, action_id)
    allowed = {"text", "responsible", "accountable", "due_on", "status"}
    unknown = set(changes) - allowed
    if unknown:
        raise WorkshopError(f"An action has no field {sorted(unknown)[0]!r}.")
    if "text" in changes:
        changes["text"] = _required_text(
            changes["text"], "An action needs a description.", MAX_NOTE_LENGTH, "The action"
        )
    for key, said in (("responsible", "Who is responsible"), ("accountable", "Who is accountable")):
        if key in changes:
            changes[key] = _limited_text(changes[key], MAX_NAME_LENGTH, said)
    if "status" in changes:
        _require_status(changes["status"])
    edited = dataclasses.replace(action, **changes)
    return _replace_actions(
        workshop,
        dimension_id,
        tuple(edited if a.id == action_id else a for a in workshop.actions_for(dimension_id)),
    )


def remove_action(workshop: Workshop, action_id: str) -> Workshop:
    dimension_id, _ = _find_action(workshop, action_id)
    remaining = tuple(a for a in workshop.actions_for(dimension_id) if a.id != action_id)
    return _replace_actions(workshop, dimension_id, remaining)


# -- helpers ----------------------------------------------------------------------------------


def set_tags(workshop: Workshop, tags: Iterable[str]) -> Workshop:
    """The workshop's tags: each trimmed, blanks and repeats (in any case) left out."""
    kept: list[str] = []
    for tag in tags:
        tag = " ".join(tag.split())
        if tag and tag.casefold() not in {k.casefold() for k in kept}:
            if len(tag) > MAX_TAG_LENGTH:
                raise WorkshopError(f"A tag has at most {MAX_TAG_LENGTH} characters.")
            kept.append(tag)
    if len(kept) > MAX_TAGS:
        raise WorkshopError(f"A workshop has at most {MAX_TAGS} tags.")
    return dataclasses.replace(workshop, tags=tuple(kept))


def record_follow_up(
    workshop: Workshop, action_id: str, outcome: str | None, note: str = ""
) -> Workshop:
    """Mark what became of an action of the workshop this one re-assesses (None clears it)."""
    if workshop.reassesses is None:
        raise WorkshopError(
            f"Only a {workshop.framework.terms.reassessment} follows up earlier actions."
        )
    followups = dict(workshop.followups)
    if outcome is None:
        followups.pop(action_id, None)
    else:
        if outcome not in FOLLOW_UP_OUTCOMES:
            raise WorkshopError(
                f"What became of an action is one of {', '.join(FOLLOW_UP_OUTCOMES)}."
            )
        followups[action_id] = FollowUp(outcome, _limited_text(note, MAX_NOTE_LENGTH, "The note"))
    return dataclasses.replace(workshop, followups=followups)


def _replace_actions(
    workshop: Workshop, dimension_id: str, actions: tuple[Action, ...]
) -> Workshop:
    # Rebuilt in place so a barrier keeps its position in the mapping (the store keeps order).
    if actions:
        updated = {**workshop.actions, dimension_id: actions}
    else:
        updated = {k: v for k, v in workshop.actions.items() if k != dimension_id}
    return dataclasses.replace(workshop, actions=updated)


def _find_action(workshop: Workshop, action_id: str) -> tuple[str, Action]:
    for dimension_id, actions in workshop.actions.items():
        for action in actions:
            if action.id == action_id:
                return dimension_id, action
    raise WorkshopError("That action is not in this workshop.")


def _require_dimension(workshop: Workshop, dimension_id: str, *, in_scope: bool = True) -> None:
    if not workshop.framework.has_dimension(dimension_id):
        dimension = workshop.framework.terms.dimension
        raise WorkshopError(f"{dimension_id!r} is not a {dimension} of this workshop.")
    if in_scope and dimension_id not in workshop.scope:
        name = workshop.framework.dimension(dimension_id).name
        raise WorkshopError(f"“{name}” is not in scope for this workshop.")


def _require_stage(workshop: Workshop, stage: str) -> None:
    if stage not in workshop.framework.level_ids:
        framework = workshop.framework
        raise WorkshopError(
            f"{stage!r} is not a {framework.terms.level}; choose {', '.join(framework.level_ids)}."
        )


def _require_status(status: str) -> None:
    if status not in ACTION_STATUSES:
        raise WorkshopError(f"An action's status is one of {', '.join(ACTION_STATUSES)}.")


def _required_text(
    value: str, message: str, max_length: int | None = None, what: str = "That"
) -> str:
    value = value.strip()
    if not value:
        raise WorkshopError(message)
    return value if max_length is None else _limited_text(value, max_length, what)


def _limited_text(value: str, max_length: int, what: str = "That") -> str:
    value = value.strip()
    _require_length(value, max_length, what)
    return value


def _require_length(value: str, max_length: int, what: str) -> None:
    """Refuse a text past its limit, saying which and by how much (kept as typed otherwise)."""
    if len(value) > max_length:
        raise WorkshopError(
            f"{what} is too long ({len(value):,} characters; at most {max_length:,})."
        )
