"""A realistic demo workshop: a named team, ratings with evidence, consensus, targets, actions.

The people, evidence and plan come from resources/demo/demo_content.json; the spread of ratings
is drawn around each barrier's agreed stage with a seeded random generator, so a given size and
seed always give the same workshop (ids included).
"""

from __future__ import annotations

import json
import random
import uuid
from datetime import date, timedelta
from typing import Any

from opassess.frameworks import Framework, default_framework
from opassess.paths import resources_dir
from opassess.workshop import (
    NOT_SURE,
    Action,
    Consensus,
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
    rng = random.Random(f"{seed}:{participants}")
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
    return Workshop(
        id=make_id(),
        title=content["title"],
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
