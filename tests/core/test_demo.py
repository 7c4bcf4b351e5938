"""The demo workshop: a team that reads like a real one."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from opassess.demo import demo_workshop, load_demo_content


@pytest.mark.parametrize("participants", [1, 5, 8, 12, 40])
def test_colleagues_repeat_each_others_evidence_only_once_the_texts_run_out(participants):
    workshop = demo_workshop(participants=participants)
    bank = load_demo_content()["evidence"]
    for barrier in workshop.scope:
        given = [
            rating
            for (_, rated), rating in workshop.ratings.items()
            if rated == barrier
            and rating.evidence
            and rating.evidence in bank[barrier].get(rating.stage, ())
        ]
        per_stage = Counter(rating.stage for rating in given)
        per_text = Counter((rating.stage, rating.evidence) for rating in given)
        for (stage, _text), times in per_text.items():
            # Every text of a stage is used once before any is used again.
            assert times <= -(-per_stage[stage] // len(bank[barrier][stage]))


def test_the_stage_the_default_team_agreed_is_the_one_most_of_it_rated():
    """The written rationales speak of what most of the group saw: the ratings must agree."""
    workshop = demo_workshop()
    content = load_demo_content()["consensus"]
    for barrier in workshop.scope:
        stages = Counter(
            rating.stage for (_, rated), rating in workshop.ratings.items() if rated == barrier
        )
        agreed = content[barrier]["stage"]
        assert stages[agreed] == max(stages.values()), barrier


def test_demos_on_different_frameworks_are_different_workshops():
    from opassess.frameworks import builtin_frameworks

    ids = {demo_workshop(5, framework=f).id for f in builtin_frameworks().values()}
    assert len(ids) == len(builtin_frameworks())


@pytest.mark.parametrize("rounds", [2, 3])
def test_demo_teams_agree_actions_due_after_their_workshop_and_few_are_overdue(rounds):
    """Each round's actions are due after the workshop that agreed them, and on the demo's own
    dates (the latest round three weeks ago, today after it) only a few are overdue: those
    marked partly or not done when the team looked again."""
    from datetime import date

    from opassess.demo import demo_organisation
    from opassess.rollup import is_overdue

    workshops = demo_organisation(6, rounds=rounds)
    today = date.today()
    marked = {key: m.outcome for w in workshops for key, m in w.followups.items()}
    actions = [(w, a) for w in workshops for items in w.actions.values() for a in items]
    assert len(actions) == 6 * rounds * 18
    for workshop, action in actions:
        assert workshop.held_on is not None and action.due_on is not None
        assert workshop.held_on < action.due_on <= workshop.held_on + timedelta(days=366)
    assert max(w.held_on for w in workshops if w.held_on) < today
    overdue = [a for _, a in actions if is_overdue(a, today, marked.get(a.id, ""))]
    assert len(overdue) <= len(actions) // 5
    latest = {w.id for w in workshops} - {w.reassesses for w in workshops}
    assert not any(a in overdue for w, a in actions if w.id in latest)
    assert all(marked.get(a.id) in ("partly", "not-done") for a in overdue)
    notes = [m.note for w in workshops for m in w.followups.values()]
    assert any(notes) and not all(notes)
