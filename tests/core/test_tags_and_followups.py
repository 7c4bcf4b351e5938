"""Tags to find and compare teams by, and what became of last time's actions: kept in the
library, in session files, and as edits that undo."""

from __future__ import annotations

from pathlib import Path

import pytest

from opassess.changes import changes_between
from opassess.demo import demo_workshop
from opassess.interchange import read_session_file, write_session_file
from opassess.session import EditSession
from opassess.store import Library
from opassess.workshop import (
    FollowUp,
    WorkshopError,
    record_follow_up,
    set_tags,
    start_reassessment,
)


@pytest.fixture
def library(tmp_path: Path):
    with Library.open(tmp_path / "library") as opened:
        yield opened


def test_tags_are_trimmed_kept_once_and_limited():
    workshop = set_tags(demo_workshop(3), ["  North ", "north", "", "2026  round"])
    assert workshop.tags == ("North", "2026 round")
    with pytest.raises(WorkshopError, match="at most 60"):
        set_tags(workshop, ["x" * 61])
    with pytest.raises(WorkshopError, match="at most 20 tags"):
        set_tags(workshop, [f"t{n}" for n in range(21)])


def test_only_a_reassessment_follows_up_and_outcomes_are_checked():
    earlier = demo_workshop(4)
    with pytest.raises(WorkshopError, match="Only a re-assessment"):
        record_follow_up(earlier, "any", "done")
    later = start_reassessment(earlier)
    action = earlier.actions["leaders-not-interested"][0]
    with pytest.raises(WorkshopError, match="one of done, partly, not-done, dropped"):
        record_follow_up(later, action.id, "finished")
    marked = record_follow_up(later, action.id, "partly", "  Half the visits happened. ")
    assert marked.followups == {action.id: FollowUp("partly", "Half the visits happened.")}
    assert changes_between(later, marked).followups == {action.id}
    assert record_follow_up(marked, action.id, None).followups == {}


def test_both_are_saved_as_edits_undone_and_found_by_search(library):
    earlier = demo_workshop(4)
    library.add(earlier)
    later = start_reassessment(earlier)
    library.add(later)
    session = EditSession.open(library, later.id)
    action = earlier.actions["no-time-to-learn"][1]
    session.apply("Tags", set_tags, ["North", "Pilot"])
    session.apply("Follow up", record_follow_up, action.id, "not-done", "No time booked.")
    stored = library.load(later.id)
    assert stored.tags == ("North", "Pilot")
    assert stored.followups[action.id] == FollowUp("not-done", "No time booked.")
    assert [s.id for s in library.list_workshops("pilot")] == [later.id]
    session.undo()
    assert library.load(later.id).followups == {}
    session.undo()
    assert library.load(later.id).tags == ()


def test_both_travel_in_a_session_file(tmp_path: Path):
    earlier = demo_workshop(4)
    later = set_tags(start_reassessment(earlier), ["South"])
    action = earlier.actions["too-many-priorities"][0]
    later = record_follow_up(later, action.id, "done", "On every agenda now.")
    path = tmp_path / "later.opassess"
    write_session_file(later, path)
    assert read_session_file(path) == later
    # and a workshop without either writes neither, as older releases wrote it
    write_session_file(earlier, path)
    text = path.read_text(encoding="utf-8")
    assert '"tags"' not in text and '"followups"' not in text


@pytest.mark.parametrize(
    ("tags", "problem"),
    [(["  "], "a tag is blank"), (["North", " north "], "is listed twice")],
)
def test_a_session_file_with_a_blank_or_repeated_tag_is_refused(tmp_path: Path, tags, problem):
    import json

    from opassess.interchange import SessionFileError

    path = tmp_path / "tags.opassess"
    write_session_file(set_tags(demo_workshop(3), ["North"]), path)
    document = json.loads(path.read_text(encoding="utf-8"))
    document["workshop"]["tags"] = tags
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(SessionFileError, match=problem):
        read_session_file(path)
