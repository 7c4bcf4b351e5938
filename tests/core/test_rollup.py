"""Across workshops: a series of re-assessments and a comparison of teams, asserted against the
workshops themselves rather than against labels."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from opassess.demo import demo_workshop
from opassess.frameworks import builtin_frameworks, default_framework
from opassess.rollup import Filters, build_series, compare, series_ids
from opassess.store import Library
from opassess.workshop import (
    Consensus,
    record_follow_up,
    set_tags,
    start_reassessment,
)

LEVELS = default_framework().level_ids


@pytest.fixture
def library(tmp_path: Path):
    with Library.open(tmp_path / "library") as opened:
        yield opened


def _with_stages(workshop, stages: dict[str, str]):
    return dataclasses.replace(
        workshop,
        consensus={d: Consensus(s, "agreed") for d, s in stages.items()},
        targets={d: LEVELS[min(LEVELS.index(s) + 1, 2)] for d, s in stages.items()},
    )


def _series(library, rounds: int = 4):
    """A team assessed `rounds` times, six months apart, moving forward on one barrier."""
    first = demo_workshop(5, held_on=date(2025, 1, 15))
    chain = [first]
    library.add(first)
    for n in range(1, rounds):
        later = start_reassessment(chain[-1], held_on=date(2025 + n // 2, 1 + 6 * (n % 2), 15))
        stage = LEVELS[min(n, 2)]
        later = _with_stages(
            later, {"leaders-not-interested": stage, "no-time-to-learn": "starting"}
        )
        earlier_action = chain[-1].actions_for("leaders-not-interested")
        if earlier_action:
            later = record_follow_up(later, earlier_action[0].id, "partly", "Some of it")
        library.add(later)
        chain.append(later)
    return chain


def test_a_series_is_found_from_any_of_its_workshops_in_the_order_held(library):
    chain = _series(library, 4)
    library.add(demo_workshop(4, seed=9))  # another team, not in the series
    summaries = library.list_workshops()
    expected = [w.id for w in chain]
    for member in chain:
        assert series_ids(summaries, member.id) == expected


def test_the_series_holds_each_stage_target_and_what_became_of_each_action(library):
    chain = _series(library, 4)
    series = build_series(
        [library.load(i) for i in series_ids(library.list_workshops(), chain[0].id)]
    )
    leaders = series.points["leaders-not-interested"]
    assert [p.stage for p in leaders] == [
        chain[0].consensus["leaders-not-interested"].stage,
        "developing",
        "consolidating",
        "consolidating",
    ]
    assert [p.position for p in leaders][1:] == [1, 2, 2]
    assert [p.held_on for p in leaders] == [w.held_on for w in chain]
    assert leaders[1].target == "consolidating"
    # the first workshop's first leadership action was marked "partly" at the second
    first_action = chain[0].actions_for("leaders-not-interested")[0]
    outcome = next(o for o in series.actions if o.action.id == first_action.id)
    assert (outcome.outcome, outcome.note, outcome.marked) == ("partly", "Some of it", True)
    # the last workshop's actions have nobody after them: their own status stands
    assert all(not o.marked for o in series.actions if o.agreed_at == chain[-1].id)
    assert series.most_levels == 3


def _teams(count: int):
    teams = []
    for n in range(count):
        workshop = demo_workshop(6, seed=n, held_on=date(2026, 1 + n % 12, 1))
        workshop = dataclasses.replace(
            workshop,
            team=f"Team {n:03d}",
            organisation="Northshire" if n % 3 else "Southshire",
        )
        teams.append(set_tags(workshop, ["pilot"] if n % 2 else []))
    return teams


def test_the_heatmap_is_each_teams_agreed_stage_and_the_spread_its_members(library):
    teams = _teams(12)
    comparison = compare(teams)
    assert [d for d, _ in comparison.dimensions] == list(default_framework().dimension_ids)
    by_id = {t.id: t for t in teams}
    # by organisation, then team: how a reader looks for a team in a long list
    keys = [(r.organisation.casefold(), r.label.casefold()) for r in comparison.teams]
    assert keys == sorted(keys)
    for row in comparison.teams:
        workshop = by_id[row.workshop_id]
        for dimension_id, _name in comparison.dimensions:
            agreed = workshop.consensus[dimension_id].stage
            assert row.stages[dimension_id] == agreed
            assert row.positions[dimension_id] == LEVELS.index(agreed)
            stages = {r.stage for r in workshop.ratings_for(dimension_id) if r.stage in LEVELS}
            indices = [LEVELS.index(s) for s in stages]
            assert row.spreads[dimension_id] == (max(indices) - min(indices) if indices else None)
    for across in comparison.across:
        agreed = [t.consensus[across.dimension_id].stage for t in teams]
        assert across.teams_per_stage == {s: agreed.count(s) for s in LEVELS}
        assert across.apart == max(map(LEVELS.index, agreed)) - min(map(LEVELS.index, agreed))
    assert comparison.most_apart()[0].apart == max(a.apart for a in comparison.across)
    assert comparison.notes == ()


def test_versions_are_compared_on_what_they_share_and_other_frameworks_left_out():
    teams = _teams(3)
    framework = teams[0].framework
    trimmed = dataclasses.replace(
        framework,
        version="2",
        dimensions=tuple(d for d in framework.dimensions if d.id != "some-people-do-not-perform"),
    )
    teams[2] = dataclasses.replace(
        teams[2],
        framework=trimmed,
        scope=tuple(d for d in teams[2].scope if d != "some-people-do-not-perform"),
    )
    other = demo_workshop(4, framework=builtin_frameworks()["delivery-confidence"])
    comparison = compare([*teams, other])
    assert "some-people-do-not-perform" not in [d for d, _ in comparison.dimensions]
    assert len(comparison.dimensions) == 5 and len(comparison.teams) == 3
    assert comparison.left_out_dimensions == ("Some people don't perform",)
    assert comparison.other_frameworks == (other.title,)
    assert comparison.versions == 2
    assert any("2 versions" in note for note in comparison.notes)


def test_filters_pick_by_organisation_team_dates_and_tag(library):
    teams = _teams(12)
    library.add_many(teams)
    tags = {t.id: t.tags for t in teams}
    summaries = library.list_workshops()

    def chosen(filters: Filters) -> set[str]:
        return {s.team for s in summaries if filters.matches(s, tags[s.id])}

    assert chosen(Filters(organisation="south")) == {f"Team {n:03d}" for n in (0, 3, 6, 9)}
    assert chosen(Filters(tag="PILOT")) == {f"Team {n:03d}" for n in range(1, 12, 2)}
    assert chosen(Filters(held_from=date(2026, 11, 1))) == {"Team 010", "Team 011"}
    assert chosen(Filters(team="team 00", held_to=date(2026, 3, 1))) == {
        "Team 000",
        "Team 001",
        "Team 002",
    }


def test_the_demo_organisation_gives_teams_that_differ_and_move(library):
    from opassess.demo import demo_organisation

    workshops = demo_organisation(6, rounds=3)
    library.add_many(workshops)
    assert len(workshops) == 18
    firsts = [w for w in workshops if w.reassesses is None]
    comparison = compare(firsts)
    assert len(comparison.teams) == 6 and any(a.apart for a in comparison.across)
    series = build_series(
        [library.load(i) for i in series_ids(library.list_workshops(), firsts[0].id)]
    )
    assert len(series.workshops) == 3
    marked = [o for o in series.actions if o.marked]
    assert marked and all(o.agreed_at != series.workshops[-1].id for o in marked)


def test_latest_of_leaves_out_what_a_later_chosen_one_re_assesses(library):
    from opassess.rollup import latest_of

    chain = _series(library, 3)
    assert [w.id for w in latest_of(chain)] == [chain[-1].id]
    # among the chosen only: without the last, the middle one is the latest
    assert [w.id for w in latest_of(chain[:2])] == [chain[1].id]
    # a re-assessment just started (nothing agreed) does not hide the results before it
    draft = start_reassessment(chain[-1])
    assert [w.id for w in latest_of([*chain, draft])] == [chain[-1].id, draft.id]


def test_a_date_filter_with_latest_only_keeps_a_team_re_assessed_after_the_range(library):
    from opassess.services import load_comparison

    chain = _series(library, 3)  # held 2025-01-15, 2025-07-15, 2026-01-15
    rollup = load_comparison(library, Filters(held_to=date(2025, 12, 31), latest_only=True))
    assert [w.id for w in rollup.workshops] == [chain[1].id]


def test_what_became_of_an_action_is_read_from_the_workshop_that_re_assesses_it():
    first = demo_workshop(4, held_on=date(2025, 1, 1))
    second = start_reassessment(first, held_on=date(2025, 6, 1))
    action = first.actions_for("leaders-not-interested")[0]
    second = record_follow_up(second, action.id, "done", "")
    third = start_reassessment(second, held_on=date(2025, 3, 1))  # a date typed wrongly
    series = build_series([first, third, second])  # the order the dates give
    outcome = next(o for o in series.actions if o.action.id == action.id)
    assert (outcome.outcome, outcome.marked) == ("done", True)
