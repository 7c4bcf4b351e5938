from __future__ import annotations

from datetime import date

from opassess.analysis import by_disagreement, movement, rating_progress, summarise
from opassess.workshop import (
    NOT_SURE,
    add_action,
    add_participants,
    agree_consensus,
    new_workshop,
    record_rating,
    set_target,
    start_reassessment,
    update_action,
)

LEADERS, LEARN, PRIORITIES = "leaders-not-interested", "no-time-to-learn", "too-many-priorities"


def _team(framework, size=4):
    ws = new_workshop(framework, title="t", scope=[LEADERS, LEARN, PRIORITIES])
    return add_participants(ws, [(f"Person {i}", "") for i in range(size)])


def _rate(ws, dimension, stages):
    for participant, stage in zip(ws.participants, stages, strict=False):
        if stage is not None:
            ws = record_rating(ws, participant.id, dimension, stage, "")
    return ws


def test_counts_spread_and_majority(framework):
    ws = _team(framework)
    ws = _rate(ws, LEADERS, ["starting", "starting", "starting", "developing"])
    ws = _rate(ws, LEARN, ["starting", "consolidating", NOT_SURE, None])
    ws = _rate(ws, PRIORITIES, ["starting", "starting", "developing", "developing"])
    leaders, learn, priorities = summarise(ws)
    assert leaders.counts == {"starting": 3, "developing": 1, "consolidating": 0}
    assert (leaders.spread, leaders.majority, leaders.disagreement) == (1, "starting", False)
    assert learn.spread == 2 and learn.not_sure == 1 and learn.missing == 1
    assert "ratings are 2 stages apart" in learn.disagreement_reasons
    assert "no stage holds a majority" in learn.disagreement_reasons
    assert priorities.disagreement_reasons == ("no stage holds a majority",)
    assert [s.dimension_id for s in by_disagreement([leaders, learn, priorities])] == [
        LEARN,
        PRIORITIES,
        LEADERS,
    ]


def test_a_barrier_nobody_rated_is_not_a_disagreement(framework):
    summary = summarise(_team(framework))[0]
    assert summary.spread is None and summary.majority is None and not summary.disagreement
    assert summary.missing == 4


def test_mostly_not_sure_is_flagged(framework):
    ws = _rate(_team(framework), LEADERS, [NOT_SURE, NOT_SURE, "starting", None])
    assert "half or more are not sure" in summarise(ws)[0].disagreement_reasons


def test_gap_from_consensus_to_target(framework):
    ws = _team(framework)
    ws = agree_consensus(ws, LEADERS, "starting")
    ws = set_target(ws, LEADERS, "consolidating")
    assert summarise(ws)[0].gap == 2
    assert summarise(ws)[1].gap is None


def test_progress_counts_ratings_and_missing_evidence(framework):
    ws = _team(framework, size=2)
    first = ws.participants[0].id
    ws = record_rating(ws, first, LEADERS, "starting", "Board minutes, May")
    ws = record_rating(ws, first, LEARN, NOT_SURE, "  ")
    progress = rating_progress(ws)
    assert (progress[0].rated, progress[0].without_evidence, progress[0].complete) == (2, 1, False)
    assert progress[1].rated == 0


def test_movement_against_the_earlier_workshop(framework):
    before = _team(framework)
    before = agree_consensus(before, LEADERS, "starting")
    before = set_target(before, LEADERS, "developing")
    before = agree_consensus(before, LEARN, "developing")
    before = add_action(before, LEADERS, "Performance first on the agenda")
    later = start_reassessment(before, held_on=date(2027, 1, 1))
    later = agree_consensus(later, LEADERS, "developing")
    later = agree_consensus(later, LEARN, "starting")
    moves = {m.dimension_id: m for m in movement(before, later)}
    assert (moves[LEADERS].steps, moves[LEADERS].reached_target) == (1, True)
    assert moves[LEARN].steps == -1
    assert moves[PRIORITIES].steps is None
    assert [a.text for a in moves[LEADERS].earlier_actions] == ["Performance first on the agenda"]
    done = update_action(before, before.actions_for(LEADERS)[0].id, status="done")
    assert movement(done, later)[0].earlier_actions[0].status == "done"
