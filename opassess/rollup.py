"""Across workshops: a team followed over its re-assessments, and many teams compared.

A *series* is a workshop and every workshop that re-assesses it, directly or through another, in
the order they were held: each dimension's agreed stage and target at each, and what became of
each action by the next workshop. A *comparison* sets teams side by side on one framework: the
agreed stage of each team on each dimension (the heatmap), the spread of its members' ratings,
and where the teams differ most from each other. Workshops on another version of the framework
are compared on the dimensions they share, matched by id, and the comparison says which it left
out. Stages are compared by their place in each workshop's own framework copy; nothing is added
up into a score.

Everything here works on summaries and workshops a caller has loaded, so the same figures serve
the window, the command line and the roll-up exports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from opassess.analysis import summarise
from opassess.frameworks import Framework, capitalised
from opassess.wording import format_date
from opassess.workshop import Action, Workshop

# How far apart two teams' agreed stages must be for the dimension to count as one where the
# teams see things differently.
TEAMS_APART = 2


class SummaryRow(Protocol):
    """What the library's listing gives of a workshop (the store's WorkshopSummary is one)."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def organisation(self) -> str: ...
    @property
    def team(self) -> str: ...
    @property
    def held_on(self) -> date | None: ...
    @property
    def reassesses(self) -> str | None: ...
    @property
    def reassessed(self) -> bool: ...  # a later workshop in the library re-assesses it


# -- series -------------------------------------------------------------------------------------


def series_ids(summaries: Sequence[SummaryRow], workshop_id: str) -> list[str]:
    """The ids of the series `workshop_id` belongs to, first held first.

    Walks back to the first workshop (the one that re-assesses nothing still in the library),
    then takes everything that re-assesses it, directly or not. Undated workshops come last, in
    the order they were made.
    """
    by_id = {s.id: s for s in summaries}
    if workshop_id not in by_id:
        raise KeyError(workshop_id)
    root, seen = workshop_id, {workshop_id}
    while (earlier := by_id[root].reassesses) in by_id and earlier not in seen:
        seen.add(earlier)
        root = earlier
    children: dict[str, list[str]] = {}
    for summary in summaries:
        if summary.reassesses:
            children.setdefault(summary.reassesses, []).append(summary.id)
    members, queue = [root], [root]
    while queue:
        for child in children.get(queue.pop(0), []):
            if child not in members:
                members.append(child)
                queue.append(child)
    order = {identifier: index for index, identifier in enumerate(members)}
    return sorted(
        members, key=lambda i: (by_id[i].held_on is None, by_id[i].held_on or date.min, order[i])
    )


@dataclass(frozen=True)
class SeriesPoint:
    """One dimension at one workshop of a series."""

    workshop_id: str
    held_on: date | None
    stage: str | None  # agreed stage id
    stage_name: str | None
    position: int | None  # 0 for the framework's first stage
    target: str | None
    target_name: str | None
    target_position: int | None


@dataclass(frozen=True)
class ActionOutcome:
    """An action agreed at one workshop, and what became of it by the next."""

    dimension_id: str
    action: Action
    agreed_at: str  # the workshop's id
    outcome: str  # a FOLLOW_UP_OUTCOMES value, or the action's own status if nobody marked it
    note: str
    marked: bool  # the facilitator marked it at the next workshop


@dataclass(frozen=True)
class Series:
    workshops: tuple[Workshop, ...]  # first held first
    dimensions: tuple[tuple[str, str], ...]  # (id, latest name), the latest framework's order
    points: Mapping[str, tuple[SeriesPoint, ...]]  # dimension id -> a point per workshop
    actions: tuple[ActionOutcome, ...]

    def levels_of(self, workshop: Workshop) -> tuple[str, ...]:
        return tuple(level.name for level in workshop.framework.levels)

    @property
    def most_levels(self) -> int:
        """The largest stage count among the series' frameworks (the trend chart's height)."""
        return max(len(w.framework.levels) for w in self.workshops)


def build_series(workshops: Sequence[Workshop]) -> Series:
    """The series of `workshops`, given first held first (see series_ids)."""
    if not workshops:
        raise ValueError("a series has at least one workshop")
    latest = workshops[-1].framework
    names: dict[str, str] = {}
    order: list[str] = []
    for workshop in reversed(workshops):
        for dimension in workshop.framework.dimensions:
            if dimension.id in workshop.scope and dimension.id not in names:
                names[dimension.id] = dimension.name
                order.append(dimension.id)
    position = {d: i for i, d in enumerate(latest.dimension_ids)}
    seen_first = {d: i for i, d in enumerate(order)}
    order.sort(key=lambda d: (position.get(d, len(position)), seen_first[d]))
    points = {
        dimension_id: tuple(_point(workshop, dimension_id) for workshop in workshops)
        for dimension_id in order
    }
    actions: list[ActionOutcome] = []
    for workshop in workshops:
        # The workshop that re-assesses this one marks its actions, whatever the dates say.
        following = next((w for w in workshops if w.reassesses == workshop.id), None)
        for dimension_id in order:
            for action in workshop.actions_for(dimension_id):
                actions.append(_outcome(workshop, following, dimension_id, action))
    return Series(tuple(workshops), tuple((d, names[d]) for d in order), points, tuple(actions))


def _point(workshop: Workshop, dimension_id: str) -> SeriesPoint:
    framework = workshop.framework
    agreed = workshop.consensus.get(dimension_id)
    stage = agreed.stage if agreed else None
    target = workshop.targets.get(dimension_id)
    return SeriesPoint(
        workshop_id=workshop.id,
        held_on=workshop.held_on,
        stage=stage,
        stage_name=_level_name(framework, stage),
        position=_position(framework, stage),
        target=target,
        target_name=_level_name(framework, target),
        target_position=_position(framework, target),
    )


def _outcome(
    workshop: Workshop, following: Workshop | None, dimension_id: str, action: Action
) -> ActionOutcome:
    marked = following.followups.get(action.id) if following is not None else None
    if marked is not None:
        return ActionOutcome(dimension_id, action, workshop.id, marked.outcome, marked.note, True)
    return ActionOutcome(dimension_id, action, workshop.id, action.status, "", False)


def _level_name(framework: Framework, stage: str | None) -> str | None:
    if stage is None:
        return None
    return next((level.name for level in framework.levels if level.id == stage), stage)


def _position(framework: Framework, stage: str | None) -> int | None:
    if stage is None or stage not in framework.level_ids:
        return None
    return framework.level_index(stage)


# -- comparison ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """Which workshops of the library to compare; empty fields match everything."""

    organisation: str = ""
    team: str = ""
    held_from: date | None = None
    held_to: date | None = None
    tag: str = ""
    # Only each team's latest among the workshops chosen (see latest_of), so a team that was
    # assessed twice is compared once, as it stands now.
    # Every surface compares a team as it stands now unless asked for every workshop: a team
    # assessed twice would otherwise count as two teams.
    latest_only: bool = True

    def matches(self, summary: SummaryRow, tags: Iterable[str] = ()) -> bool:
        """Whether a workshop passes the organisation, team, date and tag filters."""
        if (
            self.organisation
            and self.organisation.casefold() not in summary.organisation.casefold()
        ):
            return False
        if self.team and self.team.casefold() not in summary.team.casefold():
            return False
        if self.held_from and (summary.held_on is None or summary.held_on < self.held_from):
            return False
        if self.held_to and (summary.held_on is None or summary.held_on > self.held_to):
            return False
        return not self.tag or self.tag.casefold() in {t.casefold() for t in tags}


def latest_of(workshops: Sequence[Workshop]) -> list[Workshop]:
    """Each team's latest among `workshops`: one is left out when another of them re-assesses it
    and has agreed something (a re-assessment just started does not hide the results before it)."""
    superseded = {w.reassesses for w in workshops if w.reassesses is not None and w.consensus}
    return [w for w in workshops if w.id not in superseded]


@dataclass(frozen=True)
class TeamRow:
    """One workshop in a comparison."""

    workshop_id: str
    title: str
    organisation: str
    team: str
    held_on: date | None
    stages: Mapping[str, str | None]  # dimension id -> agreed stage id
    positions: Mapping[str, int | None]  # dimension id -> its place, 0 for the first stage
    stage_names: Mapping[str, str | None]
    spreads: Mapping[str, int | None]  # dimension id -> stages between lowest and highest rating
    counts: Mapping[str, Mapping[str, int]]  # dimension id -> stage id -> ratings
    not_sure: Mapping[str, int]

    @property
    def label(self) -> str:
        """How a chart names the team: its team, else its title."""
        return self.team or self.title


@dataclass(frozen=True)
class DimensionAcrossTeams:
    """One dimension across the compared teams: where they differ from each other."""

    dimension_id: str
    name: str
    agreed_teams: int  # teams that agreed a stage
    lowest: int | None
    highest: int | None
    teams_per_stage: Mapping[str, int]  # stage id -> teams that agreed it

    @property
    def apart(self) -> int | None:
        """Stages between the lowest and the highest team."""
        if self.lowest is None or self.highest is None:
            return None
        return self.highest - self.lowest

    @property
    def teams_differ(self) -> bool:
        return (self.apart or 0) >= TEAMS_APART


@dataclass(frozen=True)
class Comparison:
    framework: Framework  # the newest compared workshop's copy: names and stage order
    dimensions: tuple[tuple[str, str], ...]  # (id, name) shared by every compared workshop
    teams: tuple[TeamRow, ...]
    across: tuple[DimensionAcrossTeams, ...]  # same order as `dimensions`
    left_out_dimensions: tuple[str, ...] = ()  # names not shared by every version compared
    other_frameworks: tuple[str, ...] = ()  # titles of workshops on another framework: left out
    versions: int = 1  # distinct framework copies among the compared workshops
    notes: tuple[str, ...] = field(default=())

    def most_apart(self) -> list[DimensionAcrossTeams]:
        """Dimensions where the teams differ most from each other first."""
        return sorted(
            (a for a in self.across if a.apart is not None),
            key=lambda a: (-(a.apart or 0), [d for d, _ in self.dimensions].index(a.dimension_id)),
        )


def compare(
    workshops: Sequence[Workshop], progress: Callable[[int, int], object] | None = None
) -> Comparison:
    """Compare workshops on one framework (the most common framework id among them); those on
    another framework are left out and named; versions are compared on shared dimensions."""
    if not workshops:
        raise ValueError("choose at least one workshop to compare")
    by_framework: dict[str, list[Workshop]] = {}
    for workshop in workshops:
        by_framework.setdefault(workshop.framework.id, []).append(workshop)
    main_id = max(by_framework, key=lambda f: len(by_framework[f]))
    # By organisation, then team, then date: how a reader looks for a team in a long list.
    chosen = sorted(
        by_framework[main_id],
        key=lambda w: (
            w.organisation.casefold(),
            (w.team or w.title).casefold(),
            w.held_on or date.min,
        ),
    )
    others = tuple(w.title for w in workshops if w.framework.id != main_id)
    newest = max(chosen, key=lambda w: (w.held_on or date.min, w.created_at))
    framework = newest.framework
    shared = [
        d.id
        for d in framework.dimensions
        if all(w.framework.has_dimension(d.id) and d.id in w.scope for w in chosen)
    ]
    all_ids: dict[str, str] = {}
    for workshop in chosen:
        for dimension in workshop.framework.dimensions:
            if dimension.id in workshop.scope:
                all_ids.setdefault(dimension.id, dimension.name)
    left_out = tuple(name for d, name in all_ids.items() if d not in shared)
    teams = []
    for index, workshop in enumerate(chosen):
        teams.append(_team_row(workshop, shared))
        if progress is not None:
            progress(index + 1, len(chosen))
    across = tuple(_across(framework, d, teams) for d in shared)
    distinct: list[Framework] = []
    for workshop in chosen:  # frameworks hold dicts, so they are compared, not hashed
        if not any(workshop.framework is f or workshop.framework == f for f in distinct):
            distinct.append(workshop.framework)
    versions = len(distinct)
    notes = []
    if versions > 1:
        notes.append(
            f"The teams used {versions} versions of {framework.name}: they are compared on the "
            f"{len(shared)} {framework.terms.dimensions} all of them rated, matched by id."
        )
    if left_out:
        names = ", ".join(f"“{n}”" for n in left_out)
        notes.append(f"Left out, as not every team rated it: {names}.")
    if others:
        notes.append(
            f"Left out, being on another framework: {', '.join(f'“{t}”' for t in others)}."
        )
    return Comparison(
        framework=framework,
        dimensions=tuple((d, framework.dimension(d).name) for d in shared),
        teams=tuple(teams),
        across=across,
        left_out_dimensions=left_out,
        other_frameworks=others,
        versions=versions,
        notes=tuple(notes),
    )


def _team_row(workshop: Workshop, dimensions: Sequence[str]) -> TeamRow:
    framework = workshop.framework
    stages: dict[str, str | None] = {}
    spreads: dict[str, int | None] = {}
    counts: dict[str, Mapping[str, int]] = {}
    not_sure: dict[str, int] = {}
    summaries = {s.dimension_id: s for s in summarise(workshop)}
    for dimension_id in dimensions:
        agreed = workshop.consensus.get(dimension_id)
        stages[dimension_id] = agreed.stage if agreed else None
        summary = summaries.get(dimension_id)
        spreads[dimension_id] = summary.spread if summary else None
        counts[dimension_id] = dict(summary.counts) if summary else {}
        not_sure[dimension_id] = summary.not_sure if summary else 0
    return TeamRow(
        workshop_id=workshop.id,
        title=workshop.title,
        organisation=workshop.organisation,
        team=workshop.team,
        held_on=workshop.held_on,
        stages=stages,
        positions={d: _position(framework, s) for d, s in stages.items()},
        stage_names={d: _level_name(framework, s) for d, s in stages.items()},
        spreads=spreads,
        counts=counts,
        not_sure=not_sure,
    )


def _across(
    framework: Framework, dimension_id: str, teams: Sequence[TeamRow]
) -> DimensionAcrossTeams:
    positions = [p for t in teams if (p := t.positions[dimension_id]) is not None]
    per_stage = dict.fromkeys(framework.level_ids, 0)
    for team in teams:
        stage = team.stages[dimension_id]
        if stage is not None:
            per_stage[stage] = per_stage.get(stage, 0) + 1
    return DimensionAcrossTeams(
        dimension_id=dimension_id,
        name=framework.dimension(dimension_id).name,
        agreed_teams=len(positions),
        lowest=min(positions) if positions else None,
        highest=max(positions) if positions else None,
        teams_per_stage=per_stage,
    )


# -- how every surface names what it compares (window, command line, workbook, report) -----


def team_names(comparison: Comparison) -> dict[str, str]:
    """Workshop id -> how the outputs name the team: its team (else its title). Where two rows
    would read the same (a team assessed twice, two organisations' "Senior team"), each gets
    what tells them apart: its organisation, then its date, then the start of its id."""
    teams = comparison.teams
    extras: dict[str, list[str]] = {team.workshop_id: [] for team in teams}

    def name(team: TeamRow) -> str:
        added = extras[team.workshop_id]
        return f"{team.label} ({', '.join(added)})" if added else team.label

    telling: tuple[Callable[[TeamRow], str], ...] = (
        lambda team: team.organisation,
        lambda team: format_date(team.held_on),
        lambda team: team.workshop_id[:8],
    )
    for tell in telling:
        groups: dict[str, list[TeamRow]] = {}
        for team in teams:
            groups.setdefault(name(team), []).append(team)
        for group in groups.values():
            # Only what differs within the group is worth adding.
            if len(group) > 1 and len({tell(team) for team in group}) > 1:
                for team in group:
                    if tell(team):
                        extras[team.workshop_id].append(tell(team))
    return {team.workshop_id: name(team) for team in teams}


def teams_words(comparison: Comparison) -> str:
    """How many were compared: '12 teams', or '24 workshops of 8 teams' when some team was
    assessed more than once (a team is its organisation and its name)."""
    rows = comparison.teams
    distinct = len({(t.organisation.casefold(), t.label.casefold()) for t in rows})
    if distinct == len(rows):
        return f"{len(rows)} team{'' if len(rows) == 1 else 's'}"
    return f"{len(rows)} workshops of {distinct} team{'' if distinct == 1 else 's'}"


def compared_words(filters: Filters | None) -> str:
    """What was compared, as a phrase: 'every workshop in the library', or 'workshops whose
    organisation contains “North”, held on or after 1 January 2026 and tagged “pilot”'."""
    if filters is None:
        return "the workshops chosen"
    parts: list[str] = []
    if filters.organisation:
        parts.append(f"whose organisation contains “{filters.organisation}”")
    if filters.team:
        parts.append(f"whose team contains “{filters.team}”")
    if filters.held_from and filters.held_to:
        parts.append(f"held {format_date(filters.held_from)} to {format_date(filters.held_to)}")
    elif filters.held_from:
        parts.append(f"held on or after {format_date(filters.held_from)}")
    elif filters.held_to:
        parts.append(f"held on or before {format_date(filters.held_to)}")
    if filters.tag:
        parts.append(f"tagged “{filters.tag}”")
    if not parts:
        return (
            "each team's latest workshop"
            if filters.latest_only
            else ("every workshop in the library")
        )
    if filters.latest_only:
        parts.append("the latest of each team")
    if len(parts) == 1:
        return f"workshops {parts[0]}"
    return f"workshops {', '.join(parts[:-1])} and {parts[-1]}"


# -- what the roll-up outputs list: actions, dates and notes ------------------------------------

CLOSED_STATUSES = ("done", "dropped")  # an action in one of these is never overdue
NOT_AGREED = "Not agreed"


def is_overdue(action: Action, today: date, followed_up: str = "") -> bool:
    """Due before today and neither done nor dropped: by its own status, or as `followed_up`
    marked it at the team's next workshop."""
    return (
        action.due_on is not None
        and action.due_on < today
        and action.status not in CLOSED_STATUSES
        and followed_up not in CLOSED_STATUSES
    )


@dataclass(frozen=True)
class ActionLine:
    """One action of one compared team."""

    workshop_id: str
    team: str  # as team_names gives it
    organisation: str
    workshop: str  # the workshop's title
    dimension: str  # the name its own framework copy gives the dimension
    action: Action
    followed_up: str  # what the next workshop marked became of it (a FOLLOW_UP_OUTCOMES value)
    overdue: bool


def action_lines(
    comparison: Comparison, workshops: Sequence[Workshop], today: date
) -> list[ActionLine]:
    """Every action of every compared team, team by team in the comparison's order, each
    team's in its framework's order of dimensions; workshops the comparison left out, none.
    An action a later workshop among `workshops` marked done or dropped is not overdue."""
    by_id = {workshop.id: workshop for workshop in workshops}
    followed_up = {
        action_id: marked.outcome
        for workshop in workshops
        for action_id, marked in workshop.followups.items()
    }
    names = team_names(comparison)
    lines: list[ActionLine] = []
    for team in comparison.teams:
        workshop = by_id.get(team.workshop_id)
        if workshop is None:
            continue
        for dimension in workshop.framework.dimensions:
            for action in workshop.actions_for(dimension.id):
                outcome = followed_up.get(action.id, "")
                lines.append(
                    ActionLine(
                        workshop_id=workshop.id,
                        team=names[team.workshop_id],
                        organisation=workshop.organisation,
                        workshop=workshop.title,
                        dimension=dimension.name,
                        action=action,
                        followed_up=outcome,
                        overdue=is_overdue(action, today, outcome),
                    )
                )
    return lines


def held_range(comparison: Comparison) -> str:
    """When the compared workshops were held: '5 January 2026 to 1 December 2026'."""
    dates = sorted(team.held_on for team in comparison.teams if team.held_on is not None)
    undated = len(comparison.teams) - len(dates)
    if not dates:
        return "no dates recorded"
    span = format_date(dates[0])
    if dates[-1] != dates[0]:
        span += f" to {format_date(dates[-1])}"
    if undated:
        span += f" ({undated} without a date)"
    return span


def note_lines(comparison: Comparison, filters: Filters | None, today: date) -> list[str]:
    """The notes both outputs end with: what was compared, what was left out and why, and how
    to read a stage's position and an overdue action."""
    framework = comparison.framework
    terms = framework.terms
    first = framework.levels[0].name if framework.levels else ""
    lines = [f"Compared {teams_words(comparison)}: {compared_words(filters)}."]
    lines += comparison.notes
    if not comparison.notes:
        lines.append(
            f"Every team rated the same {terms.dimensions} on the same version of "
            f"{framework.title}: nothing was left out."
        )
    lines.append(
        f"{capitalised(terms.levels)} are compared by their place in each team's own copy of "
        f"the framework, 1 for the first ({first}); nothing is added up into a score."
    )
    lines.append(
        f"An action is overdue when it was due before {format_date(today)} and is neither "
        "done nor dropped, by its own status or as the team's next workshop marked it."
    )
    return lines
