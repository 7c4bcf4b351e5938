"""Undo and redo through the edit session, with a library double that records writes."""

from __future__ import annotations

import pytest

from opassess.changes import WorkshopChange, changes_between
from opassess.session import EditSession
from opassess.workshop import Workshop, WorkshopError, add_action, record_rating, set_target

LEADERS = "leaders-not-interested"


class RecordingLibrary:
    def __init__(self, workshop: Workshop) -> None:
        self.stored = workshop
        self.writes = 0
        self.fail_next = False

    def save_change(self, before: Workshop, after: Workshop, change: WorkshopChange) -> None:
        if self.fail_next:
            self.fail_next = False
            raise OSError("disk full")
        assert before == self.stored, "the session must save from what the library holds"
        assert change and change == changes_between(before, after), "and name what it changed"
        self.stored = after
        self.writes += 1


@pytest.fixture
def session(workshop):
    return EditSession(RecordingLibrary(workshop), workshop)


def test_every_edit_is_saved_and_undoable(session, workshop):
    pid = workshop.participants[0].id
    change = session.apply("Rate", record_rating, pid, LEADERS, "developing", "New evidence")
    assert change.ratings == {(pid, LEADERS)}
    assert session._library.stored.rating(pid, LEADERS).stage == "developing"
    assert session.history.undo_label == "Rate"

    session.undo()
    assert session.workshop == workshop
    assert session._library.stored == workshop
    assert session.history.redo_label == "Rate"

    session.redo()
    assert session.workshop.rating(pid, LEADERS).stage == "developing"
    assert session._library.stored == session.workshop


def test_a_broken_rule_changes_nothing(session, workshop):
    with pytest.raises(WorkshopError):
        session.apply("Add", add_action, "made-up", "Do something")
    assert session.workshop is workshop
    assert not session.history.can_undo
    assert session._library.writes == 0


def test_a_failed_save_leaves_the_screen_value_and_history_alone(session, workshop):
    session._library.fail_next = True
    with pytest.raises(OSError):
        session.apply("Target", set_target, LEADERS, "consolidating")
    assert session.workshop is workshop
    assert not session.history.can_undo


def test_an_edit_that_changes_nothing_is_not_an_undo_step(session, workshop):
    target = workshop.targets[LEADERS]
    assert not session.apply("Same target", set_target, LEADERS, target)
    assert not session.history.can_undo and session._library.writes == 0


def test_a_new_edit_forgets_redo_and_undo_walks_back_in_order(session, workshop):
    pid = workshop.participants[1].id
    session.apply("First", record_rating, pid, LEADERS, "starting")
    session.apply("Second", record_rating, pid, LEADERS, "consolidating")
    session.undo()
    session.apply("Third", set_target, LEADERS, "consolidating")
    assert not session.history.can_redo
    session.undo()
    session.undo()
    assert session.workshop == workshop
    with pytest.raises(IndexError):
        session.undo()
