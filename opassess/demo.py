"""A realistic demo workshop: a named team, ratings with evidence, consensus, targets, actions.

The people, evidence and plan come from resources/demo/demo_content.json; the spread of ratings
is drawn around each barrier's agreed stage with a seeded random generator, so a given size and
seed always give the same workshop (ids included).
"""

from __future__ import annotations

import dataclasses
import json
import random
import uuid
from datetime import date, timedelta
from typing import Any

from opassess.frameworks import DEFAULT_FRAMEWORK_ID, Framework, default_framework
from opassess.paths import resources_dir
from opassess.workshop import (
    NOT_SURE,
    Action,
    Consensus,
    FollowUp,
    NameDisplay,
    Participant,
    Rating,
    Workshop,
    utc_now,
)

# How the team's ratings scatter around the stage it later agrees: mostly there, some on the side
# the barrier leans to, few on the other; a contested barrier splits the room. A few "not sure"
# and a few ratings with the evidence left blank, as in any real workshop.
CENTRE, LEAN, AGAINST_LEAN = 7, 3, 1
CONTESTED_WEIGHTS = {0: 4, 1: 4, 2: 3}
NOT_SURE_SHARE = 0.06
BLANK_EVIDENCE_SHARE = 0.05
REASSESS_AFTER_DAYS = 182


def load_demo_content() -> dict[str, Any]:
    with (resources_dir() / "demo" / "demo_content.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def demo_workshop(
    participants: int = 8,
    seed: int = 2002,
    *,
    held_on: date | None = None,
    framework: Framework | None = None,
) -> Workshop:
    """A complete demo workshop with `participants` members (1 to 200)."""
    if not 1 <= participants <= 200:
        raise ValueError("a demo team has 1 to 200 participants")
    framework = framework or default_framework()
    content = load_demo_content()
    # Another framework's demo is another workshop, with ids of its own; the breakthrough
    # model's keeps the ids it always had.
    salt = "" if framework.id == DEFAULT_FRAMEWORK_ID else f":{framework.id}"
    rng = random.Random(f"{seed}:{participants}{salt}")
    held_on = held_on or date.today() - timedelta(days=21)

    def make_id() -> str:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    team = _team(content["people"], participants, rng, make_id)
    by_role = {p.role: p.name for p in team}
    if not all(d.id in content["consensus"] for d in framework.dimensions):
        # Another framework: its own descriptors serve as the evidence, its suggestions as
        # the actions, and each agreed stage is drawn, so any framework gets a full demo.
        content = {**content, **_content_from_framework(framework, rng, team)}
    levels = framework.level_ids
    ratings: dict[tuple[str, str], Rating] = {}
    consensus: dict[str, Consensus] = {}
    targets: dict[str, str] = {}
    actions: dict[str, tuple[Action, ...]] = {}
    for dimension in framework.dimensions:
        agreed = content["consensus"][dimension.id]
        weights = _stage_weights(rng, levels, levels.index(agreed["stage"]), agreed["contested"])
        bank = content["evidence"][dimension.id]
        # Evidence a colleague already gave for this barrier and stage is drawn again only once
        # every text of that stage has been used: a demo team should not speak in chorus.
        unused: dict[str, list[str]] = {}
        for person in team:
            stage = NOT_SURE if rng.random() < NOT_SURE_SHARE else _weighted(rng, weights)
            if stage == NOT_SURE:
                evidence = "I have not seen enough of this area to judge yet."
            elif rng.random() < BLANK_EVIDENCE_SHARE:
                evidence = ""
            else:
                options = unused.get(stage) or list(bank[stage])
                # Drawn over the whole bank's size, as before, so the generator's later draws,
                # and with them the team's ratings, are what they always were.
                evidence = options.pop(rng.randrange(len(bank[stage])) % len(options))
                unused[stage] = options
            ratings[(person.id, dimension.id)] = Rating(person.id, dimension.id, stage, evidence)
        consensus[dimension.id] = Consensus(agreed["stage"], agreed["rationale"], agreed["dissent"])
        targets[dimension.id] = agreed["target"]
        actions[dimension.id] = tuple(
            Action(
                id=make_id(),
                text=item["text"],
                responsible=by_role.get(item["responsible_role"], team[0].name),
                accountable=by_role.get(item["accountable_role"], team[0].name),
                due_on=held_on + timedelta(days=item["due_in_days"]),
                status=item["status"],
            )
            for item in content["actions"][dimension.id]
        )
    title = content["title"]
    if salt:  # on another framework, the title says which, so the library tells demos apart
        title = f"{framework.name}: {title[:1].lower()}{title[1:]}"
    return Workshop(
        id=make_id(),
        title=title,
        framework=framework,
        organisation=content["organisation"],
        team=content["team"],
        held_on=held_on,
        facilitator=content["facilitator"],
        participants=tuple(team),
        scope=framework.dimension_ids,
        ratings=ratings,
        consensus=consensus,
        targets=targets,
        actions=actions,
        reassess_on=held_on + timedelta(days=REASSESS_AFTER_DAYS),
        name_display=NameDisplay.NAMES,
        created_at=utc_now(),
    )


def _team(
    people: list[dict[str, str]], size: int, rng: random.Random, make_id: Any
) -> list[Participant]:
    """The first `size` people; past the list, new names made from its first and last names."""
    team = [Participant(make_id(), p["name"], p["role"]) for p in people[:size]]
    firsts = [p["name"].split()[0] for p in people]
    lasts = [p["name"].split()[-1] for p in people]
    roles = [p["role"] for p in people[8:]] or [p["role"] for p in people]
    taken = {p.name for p in team}
    while len(team) < size:
        name = f"{rng.choice(firsts)} {rng.choice(lasts)}"
        if name in taken:
            continue
        taken.add(name)
        team.append(Participant(make_id(), name, rng.choice(roles)))
    return team


def _content_from_framework(
    framework: Framework, rng: random.Random, team: list[Participant]
) -> dict[str, Any]:
    """Consensus, evidence and actions drawn from a framework's own words, in the demo
    content's shape, for a framework the hand-written demo content does not cover."""
    levels = framework.levels
    roles = [p.role for p in team]
    evidence: dict[str, dict[str, list[str]]] = {}
    consensus: dict[str, dict[str, Any]] = {}
    actions: dict[str, list[dict[str, Any]]] = {}
    for dimension in framework.dimensions:
        evidence[dimension.id] = {
            level.id: list(dimension.descriptors.get(level.id) or [f"We are at {level.name}."])
            for level in levels
        }
        # Most teams place themselves in the lower half, leaving room to move up.
        centre = rng.choice([0, *range(1, len(levels) - 1), *range(1, len(levels) - 1)])
        agreed, above = levels[centre], levels[min(centre + 1, len(levels) - 1)]
        word = framework.terms.level
        consensus[dimension.id] = {
            "stage": agreed.id,
            "rationale": (
                f"Most of the evidence described {agreed.name}; the team could not yet point "
                f"to the everyday practice of {above.name} across the organisation."
            ),
            "dissent": (
                f"Two members saw signs of the next {word} in their own services."
                if rng.random() < 0.4
                else ""
            ),
            "target": above.id,
            "contested": rng.random() < 0.25,
        }
        ideas = [a for s in framework.suggestions_for(dimension.id) for a in s.actions]
        actions[dimension.id] = [
            {
                "text": text,
                "responsible_role": rng.choice(roles),
                "accountable_role": roles[0],
                "due_in_days": 30 * (index + 2),
                "status": ("in-progress", "planned", "planned")[index],
            }
            for index, text in enumerate(ideas[:3])
        ]
    return {"evidence": evidence, "consensus": consensus, "actions": actions}


def _stage_weights(
    rng: random.Random, levels: tuple[str, ...], centre: int, contested: bool
) -> dict[str, int]:
    if contested:
        # a split room gathers around the agreed stage; stages further off draw nobody
        return {
            level: CONTESTED_WEIGHTS[abs(i - centre)]
            for i, level in enumerate(levels)
            if abs(i - centre) in CONTESTED_WEIGHTS
        }
    lean = rng.choice((-1, 1))
    weights = {levels[centre]: CENTRE}
    for offset, weight in ((lean, LEAN), (-lean, AGAINST_LEAN)):
        if 0 <= centre + offset < len(levels):
            weights[levels[centre + offset]] = weight
    return weights


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


TEAM_NAMES = (
    "Adult social care",
    "Children's services",
    "Housing",
    "Environment and waste",
    "Finance and resources",
    "Planning and regeneration",
    "Customer services",
    "Public health",
    "Libraries and culture",
    "Highways and transport",
    "Revenues and benefits",
    "Legal and democratic services",
)


def demo_organisation(teams: int = 6, seed: int = 2002, rounds: int = 2) -> list[Workshop]:
    """Several management teams of one organisation, each assessed `rounds` times six months
    apart, their stages differing and moving, last time's actions followed up: enough to
    compare teams and follow one over time."""
    from opassess.workshop import start_reassessment

    if not 1 <= teams <= 200 or not 1 <= rounds <= 6:
        raise ValueError("a demo organisation has 1 to 200 teams and 1 to 6 rounds")
    rng = random.Random(f"organisation:{seed}:{teams}:{rounds}")
    # The latest round was held three weeks ago, as a lone demo workshop is; each round before
    # it half a year earlier.
    latest_held = date.today() - timedelta(days=21)
    first_held = latest_held - timedelta(days=REASSESS_AFTER_DAYS * (rounds - 1))
    workshops: list[Workshop] = []
    for number in range(teams):
        name = TEAM_NAMES[number % len(TEAM_NAMES)]
        if number >= len(TEAM_NAMES):
            name = f"{name} {number // len(TEAM_NAMES) + 1}"
        workshop = demo_workshop(rng.randint(5, 10), seed=seed + number, held_on=first_held)
        levels = workshop.framework.level_ids
        workshop = _restaged(
            workshop, rng, {d: rng.choice(range(len(levels) - 1)) for d in workshop.scope}
        )
        workshop = dataclasses.replace(
            workshop,
            title=f"{name}: performance self-assessment ({_month(first_held)})",
            team=f"{name} management team",
            tags=("pilot",) if number % 3 == 0 else (),
        )
        workshops.append(workshop)
        for _round in range(1, rounds):
            earlier = workshops[-1]
            held = (earlier.held_on or first_held) + timedelta(days=REASSESS_AFTER_DAYS)
            later = start_reassessment(earlier, held_on=held)
            later = dataclasses.replace(
                later,
                title=f"{name}: performance self-assessment ({_month(held)})",
                participants=earlier.participants,
                ratings=earlier.ratings,
                # the same plan again, as new actions with ids of their own, each due as long
                # after this workshop as it was after the last
                actions={
                    d: tuple(
                        dataclasses.replace(
                            a,
                            id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                            due_on=_due_after(a.due_on, earlier.held_on or first_held, held),
                        )
                        for a in items
                    )
                    for d, items in earlier.actions.items()
                },
                reassess_on=held + timedelta(days=REASSESS_AFTER_DAYS),
                tags=earlier.tags,
            )
            moved = {
                d: min(
                    len(levels) - 1,
                    max(0, levels.index(c.stage) + rng.choice((0, 0, 1, 1, 1, -1))),
                )
                for d, c in earlier.consensus.items()
            }
            later = _restaged(later, rng, moved)
            later = dataclasses.replace(
                later,
                followups={
                    action.id: _followed_up(action, rng)
                    for items in earlier.actions.values()
                    for action in items
                },
            )
            workshops.append(later)
    return workshops


# What became of last time's actions, as a team marks them: most done, some partly, a few not
# done or dropped; a note on about half, as a facilitator types them.
FOLLOW_UP_WEIGHTS = {"done": 5, "partly": 2, "not-done": 1, "dropped": 1}
FOLLOW_UP_NOTES = {
    "done": ("Finished on time.", "Done; the team now reports on it every month."),
    "partly": (
        "Started; the rest is carried into this round's plan.",
        "Half the services do it; the others by the summer.",
    ),
    "not-done": (
        "Overtaken by the budget round.",
        "Nobody had the time; agreed again with a named lead.",
    ),
    "dropped": ("The restructure made it unnecessary.",),
}


def _due_after(due: date | None, earlier_held: date, held: date) -> date | None:
    """An action's due date moved on with its workshop: as long after `held` as it was after
    `earlier_held`."""
    return None if due is None else held + (due - earlier_held)


def _followed_up(action: Action, rng: random.Random) -> FollowUp:
    """What became of one of last time's actions: done if it was already done by then,
    otherwise drawn; a note on about half."""
    outcome = "done" if action.status == "done" else _weighted(rng, FOLLOW_UP_WEIGHTS)
    note = rng.choice(FOLLOW_UP_NOTES[outcome]) if rng.random() < 0.5 else ""
    return FollowUp(outcome, note)


def _month(day: date) -> str:
    """'June 2026', the same on every computer (see opassess.wording)."""
    from opassess.wording import MONTHS

    return f"{MONTHS[day.month - 1]} {day.year}"


def _restaged(workshop: Workshop, rng: random.Random, stages: dict[str, int]) -> Workshop:
    """The workshop with each dimension agreed at the stage given (by place), the ratings drawn
    around it again, and a target one stage up."""
    levels = workshop.framework.level_ids
    ratings = {}
    for (person, dimension_id), rating in workshop.ratings.items():
        centre = stages.get(dimension_id)
        if centre is None or rating.stage == NOT_SURE:
            ratings[(person, dimension_id)] = rating
            continue
        place = min(len(levels) - 1, max(0, centre + rng.choice((0, 0, 0, 1, -1))))
        ratings[(person, dimension_id)] = dataclasses.replace(rating, stage=levels[place])
    consensus = {
        d: dataclasses.replace(workshop.consensus[d], stage=levels[place])
        if d in workshop.consensus
        else Consensus(levels[place])
        for d, place in stages.items()
    }
    targets = {d: levels[min(place + 1, len(levels) - 1)] for d, place in stages.items()}
    return dataclasses.replace(workshop, ratings=ratings, consensus=consensus, targets=targets)
