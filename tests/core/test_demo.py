"""The demo workshop: a team that reads like a real one."""

from __future__ import annotations

from collections import Counter

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
