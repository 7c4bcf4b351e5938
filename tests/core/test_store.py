"""The library: exact round trips, minimal writes, listing, damage, versions, backups, locking."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opassess import store
from opassess.changes import WorkshopChange, changes_between
from opassess.frameworks import Framework, framework_from_dict, framework_to_dict
from opassess.store import (
    APPLICATION_ID,
    LIBRARY_FILE,
    DuplicateWorkshop,
    Library,
    LibraryDamaged,
    LibraryError,
    LibraryInUse,
    LibraryTooNew,
    LibraryUpgradeFailed,
    Migration,
    WorkshopNotFound,
    backups,
    order_plan,
    restore_backup,
    schema_version,
)
from opassess.store.rows import _FRAMEWORKS
from opassess.workshop import (
    MAX_TEXT_LENGTH,
    NOT_SURE,
    Action,
    Consensus,
    Participant,
    Rating,
    Workshop,
    WorkshopError,
    adapt_dimension,
    add_action,
    add_participant,
    agree_consensus,
    clear_consensus,
    clear_rating,
    move_participant,
    new_workshop,
    record_evidence,
    record_rating,
    remove_action,
    remove_participant,
    set_scope,
    set_target,
    update_action,
    update_details,
    update_participant,
)

REPO = Path(__file__).resolve().parents[2]
CHILD_TABLES = ("participants", "ratings", "consensus", "targets", "actions")


# -- helpers ------------------------------------------------------------------------------------


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "OpAssess"


@pytest.fixture
def library(data_dir: Path) -> Iterator[Library]:
    with Library.open(data_dir) as lib:
        yield lib


@pytest.fixture(scope="module")
def shared_library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    """One library for the property tests: opening a file per example would dominate."""
    with Library.open(tmp_path_factory.mktemp("shared")) as lib:
        yield lib


def orders(w: Workshop) -> tuple[Any, ...]:
    """Everything equality ignores: the order of every mapping and tuple."""
    return (
        [p.id for p in w.participants],
        list(w.ratings),
        list(w.consensus),
        list(w.targets),
        [(d, [a.id for a in items]) for d, items in w.actions.items()],
        w.scope,
    )


def assert_same(loaded: Workshop, expected: Workshop) -> None:
    assert loaded == expected
    assert orders(loaded) == orders(expected)
    assert loaded.created_at.utcoffset() == expected.created_at.utcoffset()


def sample_workshop(framework: Framework, title: str = "Leadership team") -> Workshop:
    ws = new_workshop(framework, title=title, organisation="Riverside Council", team="CMT")
    ws = add_participant(ws, "Priya Shah", "Chief Executive")
    ws = add_participant(ws, "Tomás Ó Briain", "Director of Finance")
    first, second = ws.participants
    barrier = framework.dimensions[0].id
    ws = record_rating(ws, first.id, barrier, "starting", "Performance is item 9 of 10.")
    ws = record_rating(ws, second.id, barrier, "developing", "Quarterly reviews since April.")
    ws = agree_consensus(ws, barrier, "starting", "Reviews exist but nobody acts on them.")
    ws = set_target(ws, barrier, "developing")
    return add_action(ws, barrier, "Performance first on every agenda", due_on=date(2026, 6, 30))


def rows(conn: sqlite3.Connection) -> dict[str, set[tuple[Any, ...]]]:
    return {t: set(conn.execute(f"SELECT * FROM {t}")) for t in CHILD_TABLES}


def save(library: Library, before: Workshop, after: Workshop) -> WorkshopChange:
    """Save an edit as the edit session does: what changed worked out once, then written."""
    change = changes_between(before, after)
    library.save_change(before, after, change)
    return change


def raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(str(path), isolation_level=None)


def framework_rows(library: Library) -> dict[str, str]:
    """The stored framework copies, json by fingerprint."""
    return dict(library._connection().execute("SELECT fingerprint, json FROM frameworks"))


def framework_named(library: Library, workshop_id: str) -> str:
    """The fingerprint of the framework copy a workshop's row names."""
    sql = "SELECT framework FROM workshops WHERE id = ?"
    return library._connection().execute(sql, (workshop_id,)).fetchone()[0]


def unused_frameworks(library: Library) -> int:
    sql = (
        "SELECT count(*) FROM frameworks WHERE fingerprint NOT IN (SELECT framework FROM workshops)"
    )
    return library._connection().execute(sql).fetchone()[0]


# -- round trips --------------------------------------------------------------------------------


def test_a_workshop_loads_back_exactly(library: Library, workshop: Workshop) -> None:
    library.add(workshop)
    assert_same(library.load(workshop.id), workshop)
    assert library.exists(workshop.id)
    assert not library.exists("no-such-id")


texts = st.one_of(
    st.text(),  # every code point but surrogates: controls, NUL, emoji, right-to-left
    st.sampled_from(
        ["", "\x00", "a\x00b", "\u202eevil\u202c", "مرحبا بالعالم", "👩🏽‍💻🏳️‍🌈", "\r\n\t"]
    ),
)
dates = st.none() | st.dates()
offsets = st.none() | st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))


@st.composite
def workshops(draw: st.DrawFn, framework: Framework) -> Workshop:
    people = draw(st.lists(st.tuples(texts, texts, texts), unique_by=lambda t: t[0], max_size=5))
    ratings = draw(st.dictionaries(st.tuples(texts, texts), st.tuples(texts, texts), max_size=8))
    action_rows = draw(
        st.lists(
            st.tuples(st.sampled_from(["a", "b", "c", "é"]), texts, texts, texts, dates),
            unique_by=lambda t: t[1],
            max_size=6,
        )
    )
    actions: dict[str, tuple[Action, ...]] = {}
    for dimension_id, action_id, text, responsible, due_on in action_rows:
        action = Action(action_id, text, responsible, draw(texts), due_on, draw(texts))
        actions[dimension_id] = (*actions.get(dimension_id, ()), action)
    dimension = dataclasses.replace(framework.dimensions[0], name=draw(texts), question=draw(texts))
    adapted = dataclasses.replace(framework, dimensions=(dimension, *framework.dimensions[1:]))
    return Workshop(
        id=draw(texts),
        title=draw(texts),
        framework=draw(st.sampled_from([framework, adapted])),
        organisation=draw(texts),
        team=draw(texts),
        held_on=draw(dates),
        facilitator=draw(texts),
        participants=tuple(Participant(*p) for p in people),
        scope=tuple(draw(st.lists(texts, max_size=4))),
        ratings={k: Rating(k[0], k[1], *v) for k, v in ratings.items()},
        consensus=draw(
            st.dictionaries(texts, st.builds(Consensus, texts, texts, texts), max_size=4)
        ),
        targets=draw(st.dictionaries(texts, texts, max_size=4)),
        actions=actions,
        reassess_on=draw(dates),
        reassesses=draw(st.none() | texts),
        name_display=draw(texts),
        created_at=draw(st.datetimes(timezones=offsets)),
    )


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_any_text_round_trips_exactly(
    shared_library: Library, framework: Framework, data: st.DataObject
) -> None:
    workshop = data.draw(workshops(framework))
    shared_library.add(workshop)
    try:
        assert_same(shared_library.load(workshop.id), workshop)
    finally:
        shared_library.delete(workshop.id)
    assert unused_frameworks(shared_library) == 0


def test_long_evidence_round_trips(library: Library, workshop: Workshop) -> None:
    evidence = ("Evidence 😀 מבחן \x00\x07 " * 6000)[:MAX_TEXT_LENGTH]
    assert len(evidence) == MAX_TEXT_LENGTH
    participant = workshop.participants[0].id
    barrier = workshop.scope[1]
    long = record_rating(workshop, participant, barrier, NOT_SURE, evidence)
    library.add(long)
    assert library.load(long.id).rating(participant, barrier).evidence == evidence


def test_the_library_reads_back_a_framework_copy_the_file_schema_would_refuse(
    library: Library, workshop: Workshop
) -> None:
    # The store never re-validates its own copy: whatever it wrote, it reads back as it was
    # (here a name over the schema's 500 characters and descriptors for one stage only).
    first = workshop.framework.dimensions[0]
    odd = dataclasses.replace(first, name="N" * 600, descriptors={"developing": ("Only this",)})
    framework = dataclasses.replace(
        workshop.framework, dimensions=(odd, *workshop.framework.dimensions[1:])
    )
    with pytest.raises(ValueError):
        framework_from_dict(framework_to_dict(framework))
    unusual = dataclasses.replace(workshop, framework=framework)
    library.add(unusual)
    assert_same(library.load(unusual.id), unusual)


def test_workshops_share_one_loaded_framework(library: Library, framework: Framework) -> None:
    first, second = sample_workshop(framework), sample_workshop(framework)
    library.add_many([first, second])
    assert library.load(first.id).framework is library.load(second.id).framework


# -- framework copies, stored once --------------------------------------------------------------


def test_workshops_with_the_same_framework_share_one_stored_copy(
    library: Library, framework: Framework
) -> None:
    first, second, third = (sample_workshop(framework, f"Workshop {i}") for i in range(3))
    library.add_many([first, second])
    library.add(third)  # in a later transaction too
    # The same wording reached another way (an equal but separate object) is the same copy.
    fourth = dataclasses.replace(
        sample_workshop(framework), framework=dataclasses.replace(framework)
    )
    library.add(fourth)
    stored = framework_rows(library)
    assert len(stored) == 1
    ((fingerprint, text),) = stored.items()
    assert fingerprint == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert json.loads(text) == framework_to_dict(framework)
    assert {framework_named(library, w.id) for w in (first, second, third, fourth)} == {fingerprint}


def test_adapting_one_workshop_leaves_the_others_framework_as_it_was(
    data_dir: Path, framework: Framework
) -> None:
    first, second = sample_workshop(framework, "Adapted"), sample_workshop(framework, "Kept")
    barrier = framework.dimension_ids[0]
    adapted = adapt_dimension(first, barrier, name="Our own words", question="Why not?")
    with Library.open(data_dir) as library:
        library.add_many([first, second])
        shared = framework_named(library, second.id)
        save(library, first, adapted)
        assert framework_named(library, second.id) == shared
        assert framework_named(library, first.id) != shared
        assert len(framework_rows(library)) == 2
    _FRAMEWORKS.clear()  # read back from the file, not from memory
    with Library.open(data_dir) as library:
        kept, changed = library.load(second.id), library.load(first.id)
    assert_same(kept, second)
    assert kept.framework == framework
    assert kept.framework.dimension(barrier).name == framework.dimension(barrier).name
    assert_same(changed, adapted)
    assert changed.framework.dimension(barrier).name == "Our own words"


def test_a_copy_no_workshop_names_is_removed(library: Library, framework: Framework) -> None:
    first, second = sample_workshop(framework, "First"), sample_workshop(framework, "Second")
    barrier = framework.dimension_ids[0]
    library.add_many([first, second])
    original = framework_named(library, first.id)

    # save_change: the first workshop's own wording; the shared copy stays for the second.
    adapted = adapt_dimension(first, barrier, question="Why?")
    save(library, first, adapted)
    assert set(framework_rows(library)) == {original, framework_named(library, first.id)}
    # Adapted again: the copy it had alone goes, in the same save.
    again = adapt_dimension(adapted, barrier, question="Why now?")
    save(library, adapted, again)
    assert set(framework_rows(library)) == {original, framework_named(library, first.id)}
    assert unused_frameworks(library) == 0
    # Back to the shared wording: one copy for both.
    save(library, again, dataclasses.replace(again, framework=framework))
    assert set(framework_rows(library)) == {original}

    # replace: a whole new workshop value with its own wording, then back.
    library.replace(adapted)
    assert len(framework_rows(library)) == 2
    library.replace(first)
    assert set(framework_rows(library)) == {original}

    # delete: a copy goes with the last workshop that names it, not before.
    save(library, first, adapted)
    library.delete(first.id)
    assert set(framework_rows(library)) == {original}
    library.delete(second.id)
    assert framework_rows(library) == {}


def test_a_workshop_cannot_name_a_framework_copy_that_is_not_stored(
    library: Library, workshop: Workshop
) -> None:
    library.add(workshop)
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        library._connection().execute("UPDATE workshops SET framework = 'missing'")


def test_text_that_cannot_be_stored_is_refused_and_nothing_is_saved(
    library: Library, workshop: Workshop
) -> None:
    broken = dataclasses.replace(workshop, title="half a pair \ud800")
    with pytest.raises(LibraryError, match="cannot be stored"):
        library.add(broken)
    assert library.list_workshops() == []


def test_a_failed_batch_stores_nothing(library: Library, framework: Framework) -> None:
    good = sample_workshop(framework)
    twice = sample_workshop(framework)
    twice = dataclasses.replace(twice, participants=twice.participants * 2)
    with pytest.raises(LibraryError, match="repeats an id"):
        library.add_many([good, twice])
    assert not library.exists(good.id)
    assert framework_rows(library) == {}


# -- writing only what changed ------------------------------------------------------------------


class Recorder:
    """The statements one call sends to SQLite, and how many rows they changed."""

    def __init__(self, library: Library) -> None:
        self.conn = library._connection()
        self.statements: list[str] = []

    def __enter__(self) -> Recorder:
        self.changes = self.conn.total_changes
        self.conn.set_trace_callback(self.statements.append)
        return self

    def __exit__(self, *exc: object) -> None:
        self.conn.set_trace_callback(None)
        self.changes = self.conn.total_changes - self.changes

    def writes(self) -> list[str]:
        return [s for s in self.statements if s.split()[0] in ("INSERT", "UPDATE", "DELETE")]

    def tables_written(self) -> set[str]:
        found = set()
        for statement in self.writes():
            words = statement.replace("(", " ").split()
            verb = words[0]
            found.add(words[2] if verb in ("INSERT", "DELETE") else words[1])
        return found


def test_recording_a_rating_writes_one_rating_row_and_the_time(
    library: Library, workshop: Workshop
) -> None:
    library.add(workshop)
    conn = library._connection()
    before_rows = rows(conn)
    someone = workshop.participants[0].id
    after = record_rating(workshop, someone, workshop.scope[2], "consolidating", "New.")
    with Recorder(library) as recorder:
        change = save(library, workshop, after)
    assert change.ratings == {(someone, workshop.scope[2])}
    assert recorder.tables_written() == {"workshops", "ratings"}
    assert recorder.changes == 2  # modified_at, and the one rating row
    after_rows = rows(conn)
    assert after_rows["ratings"] - before_rows["ratings"] == {
        (
            max(r[0] for r in after_rows["ratings"]),
            workshop.id,
            someone,
            workshop.scope[2],
            "consolidating",
            "New.",
        )
    }
    for table in CHILD_TABLES:
        assert before_rows[table] <= after_rows[table]
    assert_same(library.load(workshop.id), after)


def test_only_the_rows_the_given_change_names_are_written(
    library: Library, workshop: Workshop
) -> None:
    library.add(workshop)
    first, second = (p.id for p in workshop.participants[:2])
    barrier = workshop.scope[2]
    after = record_rating(workshop, first, barrier, "consolidating", "Named in the change.")
    after = record_rating(after, second, barrier, "developing", "Not named.")
    after = update_details(after, title="Not named either")
    named = WorkshopChange(ratings=frozenset({(first, barrier)}))
    with Recorder(library) as recorder:
        library.save_change(workshop, after, named)
    assert recorder.tables_written() == {"workshops", "ratings"}
    assert recorder.changes == 2  # modified_at, and the one rating the change names
    stored = library.load(workshop.id)
    assert stored.rating(first, barrier) == after.rating(first, barrier)
    assert stored.rating(second, barrier) == workshop.rating(second, barrier)
    assert stored.title == workshop.title
    # A change naming nothing writes nothing, whatever `after` holds.
    with Recorder(library) as recorder:
        library.save_change(workshop, after, WorkshopChange())
    assert recorder.statements == []


@pytest.mark.parametrize(
    ("edit", "tables", "changed_rows"),
    [
        (lambda w: update_details(w, title="Renamed"), {"workshops"}, 1),
        (lambda w: set_scope(w, w.scope[:3]), {"workshops"}, 1),
        (
            lambda w: adapt_dimension(w, w.scope[0], question="Why?"),
            {"workshops", "frameworks"},
            3,  # the new copy, the workshop naming it, and its old copy (now unused) removed
        ),
        (lambda w: agree_consensus(w, w.scope[1], "developing"), {"workshops", "consensus"}, 2),
        (lambda w: set_target(w, w.scope[0], "consolidating"), {"workshops", "targets"}, 2),
        (lambda w: set_target(w, w.scope[0], None), {"workshops", "targets"}, 2),
        (lambda w: clear_consensus(w, w.scope[0]), {"workshops", "consensus"}, 2),
        (
            lambda w: record_evidence(w, w.participants[1].id, w.scope[0], "More."),
            {"workshops", "ratings"},
            2,
        ),
        (
            lambda w: clear_rating(w, w.participants[1].id, w.scope[0]),
            {"workshops", "ratings"},
            2,
        ),
        (lambda w: add_participant(w, "Sam"), {"workshops", "participants"}, 6),
        (
            lambda w: remove_participant(w, w.participants[0].id),
            {"workshops", "participants", "ratings"},
            5,  # time, two participants out and one back in, their one rating
        ),
        (lambda w: add_action(w, w.scope[3], "Fix it"), {"workshops", "actions"}, 2),
    ],
)
def test_each_edit_touches_only_its_own_rows(
    library: Library, workshop: Workshop, edit: Any, tables: set[str], changed_rows: int
) -> None:
    library.add(workshop)
    before_rows = rows(library._connection())
    after = edit(workshop)
    with Recorder(library) as recorder:
        save(library, workshop, after)
    assert recorder.tables_written() == tables
    assert recorder.changes == changed_rows
    after_rows = rows(library._connection())
    for table in set(CHILD_TABLES) - tables:
        assert before_rows[table] == after_rows[table]
    assert_same(library.load(workshop.id), after)


def test_a_details_edit_does_not_rewrite_the_framework_copy(
    library: Library, workshop: Workshop
) -> None:
    library.add(workshop)
    with Recorder(library) as recorder:
        save(library, workshop, update_details(workshop, team="Board"))
    assert recorder.tables_written() == {"workshops"}
    assert not any("framework" in s for s in recorder.statements)


def test_saving_no_change_writes_nothing(library: Library, workshop: Workshop) -> None:
    library.add(workshop)
    with Recorder(library) as recorder:
        change = save(library, workshop, workshop)
    assert not change
    assert recorder.statements == []


def test_saving_a_deleted_workshop_fails_and_writes_nothing(
    library: Library, workshop: Workshop
) -> None:
    after = update_details(workshop, title="Lost")
    with pytest.raises(WorkshopNotFound):
        save(library, workshop, after)
    assert library.list_workshops() == []


ACTIONS = (
    "rate",
    "evidence",
    "unrate",
    "agree",
    "disagree",
    "target",
    "untarget",
    "add_action",
    "update_action",
    "remove_action",
    "join",
    "leave",
    "move",
    "rename",
    "details",
    "scope",
    "adapt",
)


def apply(w: Workshop, name: str, data: st.DataObject) -> Workshop:
    """One random edit through the workshop's own functions; WorkshopError if it cannot apply."""
    draw = data.draw
    stages = w.framework.level_ids
    dimension = draw(st.sampled_from(w.framework.dimension_ids))
    text = draw(texts)

    def pick(options: Any) -> Any:
        options = list(options)
        if not options:
            raise WorkshopError("nothing to pick")
        return draw(st.sampled_from(options))

    every_action = [a.id for items in w.actions.values() for a in items]
    if name == "rate":
        return record_rating(
            w, pick(p.id for p in w.participants), dimension,
            draw(st.sampled_from([*stages, NOT_SURE])), draw(st.none() | texts),
        )  # fmt: skip
    if name == "evidence":
        return record_evidence(w, *pick(w.ratings), text)
    if name == "unrate":
        return clear_rating(w, *pick(w.ratings))
    if name == "agree":
        return agree_consensus(w, dimension, draw(st.sampled_from(stages)), text, draw(texts))
    if name == "disagree":
        return clear_consensus(w, pick(w.consensus))
    if name == "target":
        return set_target(w, dimension, draw(st.sampled_from(stages)), confirm_below=True)
    if name == "untarget":
        return set_target(w, dimension, None)
    if name == "add_action":
        return add_action(w, dimension, text, due_on=draw(dates))
    if name == "update_action":
        return update_action(w, pick(every_action), text=text, status="in-progress")
    if name == "remove_action":
        return remove_action(w, pick(every_action))
    if name == "join":
        return add_participant(w, text, draw(texts))
    if name == "leave":
        return remove_participant(w, pick(p.id for p in w.participants))
    if name == "move":
        return move_participant(w, pick(p.id for p in w.participants), draw(st.integers(0, 9)))
    if name == "rename":
        return update_participant(w, pick(p.id for p in w.participants), name=text)
    if name == "details":
        return update_details(w, title=text, organisation=draw(texts))
    if name == "scope":
        return set_scope(w, draw(st.lists(st.sampled_from(w.framework.dimension_ids))))
    return adapt_dimension(w, dimension, question=text)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)  # fmt: skip
@given(data=st.data())
def test_any_sequence_of_edits_is_saved_exactly(
    shared_library: Library, framework: Framework, data: st.DataObject
) -> None:
    current = sample_workshop(framework)
    shared_library.add(current)
    for _ in range(data.draw(st.integers(1, 30))):
        try:
            edited = apply(current, data.draw(st.sampled_from(ACTIONS)), data)
        except WorkshopError:
            continue
        if save(shared_library, current, edited):
            current = edited
        # else the edit changed nothing but, perhaps, a mapping's order (update_action with the
        # same text moves its barrier last): changes_between sees no change, nothing is written,
        # and the library still holds `current`, order included.
        assert_same(shared_library.load(current.id), current)
    # The same state written from scratch reads back the same: nothing stale was left behind.
    shared_library.replace(current)
    assert_same(shared_library.load(current.id), current)
    assert unused_frameworks(shared_library) == 0


@pytest.mark.parametrize(
    ("before", "after", "changed", "in_place", "moved"),
    [
        ("abc", "abc", "b", "b", ""),  # edited where it is
        ("abc", "abcd", "d", "", "d"),  # new key at the end
        ("abc", "acb", "b", "", "b"),  # rebuilt without b, then b added
        ("abc", "ac", "b", "", ""),  # removed
        ("abc", "bca", "a", "", "a"),
        ("abc", "cab", "c", "c", "ab"),  # an undo: a and b written again after c, as they were
        ("abdc", "adbc", "d", "d", "bc"),  # d edited and put before b: b and c follow again
        ("ab", "abxy", "y", "", "y"),  # x is not part of the change: not written
        ("", "xy", "xy", "", "xy"),
    ],
)
def test_order_plan(before: str, after: str, changed: str, in_place: str, moved: str) -> None:
    assert order_plan(list(before), list(after), set(changed)) == (list(in_place), list(moved))


# -- listing, deleting, not found ---------------------------------------------------------------


def test_list_is_most_recent_first_and_searchable(library: Library, framework: Framework) -> None:
    first = sample_workshop(framework, "Straße planning")
    second = dataclasses.replace(
        sample_workshop(framework, "Budget review"), organisation="ÓCALLAGHAN Trust"
    )
    third = dataclasses.replace(sample_workshop(framework, "Away day"), team="Finance team")
    for w in (first, second, third):
        library.add(w)
    assert [s.id for s in library.list_workshops()] == [third.id, second.id, first.id]
    save(library, first, update_details(first, facilitator="Alex"))
    listed = library.list_workshops()
    assert [s.id for s in listed] == [first.id, third.id, second.id]
    assert listed[0].participant_count == 2
    assert listed[0].title == "Straße planning"
    assert listed[0].organisation == "Riverside Council"
    assert listed[0].modified_at > listed[1].modified_at > listed[2].modified_at
    assert listed[0].modified_at.tzinfo is not None
    assert [s.id for s in library.list_workshops("STRASSE")] == [first.id]
    assert [s.id for s in library.list_workshops("ócallaghan")] == [second.id]
    assert [s.id for s in library.list_workshops("  FINANCE ")] == [third.id]
    assert {s.id for s in library.list_workshops("riverside")} == {first.id, third.id}
    assert library.list_workshops("nothing like it") == []


def test_list_and_load_are_a_fixed_number_of_queries(
    library: Library, framework: Framework
) -> None:
    library.add_many(sample_workshop(framework) for _ in range(20))
    with Recorder(library) as recorder:
        summaries = library.list_workshops()
    assert len(summaries) == 20
    assert len(recorder.statements) == 2  # the rows, and which of them were re-assessed
    _FRAMEWORKS.clear()
    with Recorder(library) as recorder:
        library.load(summaries[5].id)
    assert len(recorder.statements) == 8  # one per table, and the framework copy
    with Recorder(library) as recorder:
        library.load(summaries[6].id)
    assert len(recorder.statements) == 7  # the copy is parsed already


def test_a_workshop_that_has_been_re_assessed_says_so_whatever_the_search(
    library: Library, framework: Framework
) -> None:
    from opassess.workshop import start_reassessment

    earlier = sample_workshop(framework)
    library.add(earlier)
    assert not library.list_workshops()[0].reassessed
    later = dataclasses.replace(start_reassessment(earlier), title="Second look, spring")
    library.add(later)
    by_id = {s.id: s for s in library.list_workshops()}
    assert by_id[earlier.id].reassessed and not by_id[later.id].reassessed
    (found,) = [s for s in library.list_workshops(earlier.title) if s.id == earlier.id]
    assert found.reassessed  # the later one need not match the search


def test_listing_reads_the_covering_index(library: Library) -> None:
    plan = " ".join(
        str(row) for row in library._connection().execute("EXPLAIN QUERY PLAN " + store.LIST_SQL)
    )
    assert "COVERING INDEX workshops_listing" in plan


def test_delete_returns_the_workshop_so_add_can_undo_it(
    library: Library, workshop: Workshop
) -> None:
    library.add(workshop)
    deleted = library.delete(workshop.id)
    assert_same(deleted, workshop)
    assert not library.exists(workshop.id)
    for table in CHILD_TABLES:
        assert library._connection().execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)
    library.add(deleted)
    assert_same(library.load(workshop.id), workshop)


def test_missing_and_duplicate_workshops_are_plain_errors(
    library: Library, workshop: Workshop
) -> None:
    for call in (library.load, library.delete):
        with pytest.raises(WorkshopNotFound) as caught:
            call("no-such-id")
        assert isinstance(caught.value, LibraryError)
        assert (
            str(caught.value) == "That workshop is not in the library (it may have been deleted)."
        )
    with pytest.raises(WorkshopNotFound):
        library.replace(workshop)
    library.add(workshop)
    with pytest.raises(DuplicateWorkshop) as duplicate:
        library.add(workshop)
    assert isinstance(duplicate.value, LibraryError)
    assert duplicate.value.workshop_id == workshop.id
    assert str(duplicate.value) == "That workshop is already in the library."


def test_replace_overwrites_the_whole_workshop(
    library: Library, workshop: Workshop, framework: Framework
) -> None:
    library.add(workshop)
    other = dataclasses.replace(sample_workshop(framework, "Something else"), id=workshop.id)
    library.replace(other)
    assert_same(library.load(workshop.id), other)
    assert len(library.list_workshops()) == 1


def test_a_closed_library_says_so(data_dir: Path) -> None:
    library = Library.open(data_dir)
    library.close()
    library.close()  # twice is fine
    assert library.closed
    with pytest.raises(LibraryError, match="closed"):
        library.list_workshops()


def test_a_busy_file_is_never_a_raw_database_is_locked(
    data_dir: Path, workshop: Workshop, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("opassess.store.opening.BUSY_TIMEOUT_S", 0.05)
    with Library.open(data_dir) as library:
        other_program = raw(data_dir / LIBRARY_FILE)
        other_program.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(LibraryInUse) as caught:
                library.add(workshop)
        finally:
            other_program.execute("ROLLBACK")
            other_program.close()
        assert "locked" not in str(caught.value)
        assert "not saved" in str(caught.value)
        library.add(workshop)  # and it works once the other program lets go
        assert library.exists(workshop.id)


# -- opening: damage ----------------------------------------------------------------------------


def make_library(data_dir: Path, framework: Framework, count: int = 2) -> list[Workshop]:
    stored = [sample_workshop(framework, f"Workshop {i}") for i in range(count)]
    with Library.open(data_dir) as library:
        library.add_many(stored)
    return stored


def test_a_new_folder_becomes_a_new_library(data_dir: Path) -> None:
    with Library.open(data_dir) as library:
        assert library.list_workshops() == []
    conn = raw(data_dir / LIBRARY_FILE)
    assert conn.execute("PRAGMA application_id").fetchone() == (APPLICATION_ID,)
    assert conn.execute("PRAGMA user_version").fetchone() == (schema_version(),)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    conn.close()


def test_the_connection_is_set_up_for_durability(library: Library) -> None:
    conn = library._connection()
    assert conn.isolation_level is None
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert conn.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone() == (1,)


def test_garbage_is_moved_aside_and_reported(data_dir: Path) -> None:
    data_dir.mkdir()
    garbage = os.urandom(3000)
    (data_dir / LIBRARY_FILE).write_bytes(garbage)
    with pytest.raises(LibraryDamaged) as caught:
        Library.open(data_dir)
    damaged = caught.value
    assert isinstance(damaged, LibraryError)
    assert "not a database" in str(damaged)
    assert damaged.kept_aside.read_bytes() == garbage
    assert damaged.kept_aside.name.startswith("library.damaged-")
    assert damaged.backups == []
    assert not (data_dir / LIBRARY_FILE).exists()
    with Library.open(data_dir) as library:  # the lock was let go; a new library starts
        assert library.list_workshops() == []


def test_a_zero_byte_file_without_backups_is_a_new_library(data_dir: Path) -> None:
    data_dir.mkdir()
    (data_dir / LIBRARY_FILE).write_bytes(b"")
    with Library.open(data_dir) as library:
        assert library.list_workshops() == []
    assert list(data_dir.glob("library.damaged-*")) == []


def test_a_zero_byte_file_with_backups_is_damage(data_dir: Path, framework: Framework) -> None:
    make_library(data_dir, framework)
    (data_dir / LIBRARY_FILE).write_bytes(b"")
    with pytest.raises(LibraryDamaged) as caught:
        Library.open(data_dir)
    assert "empty" in str(caught.value)
    assert caught.value.kept_aside.stat().st_size == 0
    assert caught.value.backups == backups(data_dir) != []


def test_another_programs_database_is_moved_aside(data_dir: Path) -> None:
    data_dir.mkdir()
    conn = raw(data_dir / LIBRARY_FILE)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.execute("INSERT INTO recipes VALUES ('soup')")
    conn.close()
    with pytest.raises(LibraryDamaged, match="another program") as caught:
        Library.open(data_dir)
    kept = raw(caught.value.kept_aside)
    assert kept.execute("SELECT name FROM recipes").fetchall() == [("soup",)]
    kept.close()


def corrupt(path: Path, table: str = "ratings") -> None:
    """Overwrite the head of one table's root page: SQLite still opens it, quick_check fails."""
    conn = raw(path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(path, "r+b") as handle:
        handle.seek((root[0] - 1) * page_size)
        handle.write(b"\xff" * 16)


def test_a_file_failing_its_check_is_moved_aside_under_a_new_name(
    data_dir: Path, framework: Framework, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored = make_library(data_dir, framework)
    corrupt(data_dir / LIBRARY_FILE)
    damaged_bytes = (data_dir / LIBRARY_FILE).read_bytes()
    (data_dir / (LIBRARY_FILE + "-wal")).write_bytes(b"the wal that belongs to it")
    # Something already has the name the damaged file would get: it must survive untouched.
    moment = datetime(2026, 11, 21, 10, 15, tzinfo=timezone.utc)
    monkeypatch.setattr("opassess.store.opening._utc_now", lambda: moment)
    taken = data_dir / "library.damaged-20261121T101500Z.sqlite3"
    taken.write_bytes(b"an earlier damaged library")
    with pytest.raises(LibraryDamaged, match="integrity check") as caught:
        Library.open(data_dir)
    kept = caught.value.kept_aside
    assert kept != taken
    assert kept.name == "library.damaged-20261121T101500Z-2.sqlite3"
    assert taken.read_bytes() == b"an earlier damaged library"
    assert kept.read_bytes() == damaged_bytes
    assert Path(str(kept) + "-wal").read_bytes() == b"the wal that belongs to it"
    assert not (data_dir / (LIBRARY_FILE + "-wal")).exists()
    # The good backup is offered, and restoring it gives back what was saved.
    assert caught.value.backups == backups(data_dir)[:1]
    restore_backup(data_dir, caught.value.backups[0])
    with Library.open(data_dir) as library:
        assert {s.id for s in library.list_workshops()} == {w.id for w in stored}
        assert_same(library.load(stored[0].id), stored[0])


def test_damaged_backups_are_not_offered(data_dir: Path, framework: Framework) -> None:
    make_library(data_dir, framework)
    good = backups(data_dir)
    bad = data_dir / "backups" / "library-29991231T235959.999999Z.sqlite3"
    bad.write_bytes(b"not a backup at all")
    (data_dir / LIBRARY_FILE).write_bytes(b"garbage")
    with pytest.raises(LibraryDamaged) as caught:
        Library.open(data_dir)
    assert backups(data_dir)[0] == bad
    assert caught.value.backups == good
    with pytest.raises(LibraryError, match="cannot be restored"):
        restore_backup(data_dir, bad)
    assert not (data_dir / LIBRARY_FILE).exists()


def test_restore_keeps_the_library_there_aside_and_refuses_an_open_one(
    data_dir: Path, framework: Framework
) -> None:
    make_library(data_dir, framework)
    with Library.open(data_dir) as library:
        library.add(sample_workshop(framework, "After the backup"))
    before = (data_dir / LIBRARY_FILE).read_bytes()
    with Library.open(data_dir), pytest.raises(LibraryInUse):
        restore_backup(data_dir, backups(data_dir)[-1])
    assert (data_dir / LIBRARY_FILE).read_bytes() == before
    kept = restore_backup(data_dir, backups(data_dir)[-1])
    assert kept is not None and kept.name.startswith("library.before-restore-")
    assert kept.read_bytes() == before  # set aside whole, never overwritten
    with Library.open(data_dir) as library:
        assert "After the backup" not in {s.title for s in library.list_workshops()}


def test_a_stray_wal_without_its_library_is_set_aside(data_dir: Path) -> None:
    data_dir.mkdir()
    (data_dir / (LIBRARY_FILE + "-wal")).write_bytes(b"left over")
    with Library.open(data_dir) as library:
        assert library.list_workshops() == []
    (orphan,) = data_dir.glob("library.orphaned-*.sqlite3-wal")
    assert orphan.read_bytes() == b"left over"


# -- opening: versions and migrations -----------------------------------------------------------


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "library.lock"
    }


def test_a_library_from_a_newer_version_is_refused_untouched(
    data_dir: Path, framework: Framework
) -> None:
    make_library(data_dir, framework)
    conn = raw(data_dir / LIBRARY_FILE)
    conn.execute(f"PRAGMA user_version = {schema_version() + 1}")
    conn.execute("UPDATE library_info SET value = '9.1' WHERE key = 'requires_opassess'")
    conn.close()
    before = snapshot(data_dir)
    with pytest.raises(LibraryTooNew) as caught:
        Library.open(data_dir)
    message = str(caught.value)
    assert "OpAssess 9.1 or later" in message
    assert "Nothing was changed" in message
    assert caught.value.version == schema_version() + 1
    assert snapshot(data_dir) == before
    with pytest.raises(LibraryTooNew):  # and the lock was let go
        Library.open(data_dir)


def test_an_empty_sqlite_file_is_created_by_the_migrations(data_dir: Path) -> None:
    data_dir.mkdir()
    conn = raw(data_dir / LIBRARY_FILE)
    conn.execute("PRAGMA journal_mode = WAL")  # writes a header: a real, empty database
    conn.close()
    assert (data_dir / LIBRARY_FILE).stat().st_size > 0
    with Library.open(data_dir) as library:
        conn = library._connection()
        assert conn.execute("PRAGMA user_version").fetchone() == (schema_version(),)
        info = dict(conn.execute("SELECT key, value FROM library_info"))
        assert info == {"requires_opassess": store.MIGRATIONS[-1].opassess}


def test_the_migration_list_is_ordered_from_one() -> None:
    versions = [m.version for m in store.MIGRATIONS]
    assert versions == list(range(1, len(versions) + 1))
    assert schema_version() == versions[-1]


NOW = schema_version()


def add_colour(conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE workshops SET title = title || ' (checked)'")


def test_a_new_migration_upgrades_and_keeps_the_data(
    data_dir: Path, framework: Framework, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored = make_library(data_dir, framework)
    monkeypatch.setattr(
        "opassess.store.schema.MIGRATIONS",
        [
            *store.MIGRATIONS,
            Migration(
                NOW + 1,
                "9.1.0",
                "ALTER TABLE workshops ADD COLUMN colour TEXT; "
                "CREATE TABLE tags (workshop_id TEXT, tag TEXT)",
            ),
            Migration(NOW + 2, "9.2.0", add_colour),
        ],
    )
    with Library.open(data_dir) as library:
        conn = library._connection()
        assert conn.execute("PRAGMA user_version").fetchone() == (NOW + 2,)
        assert conn.execute("SELECT count(*) FROM tags").fetchone() == (0,)
        assert conn.execute("SELECT value FROM library_info").fetchone() == ("9.2.0",)
        loaded = library.load(stored[0].id)
        assert loaded.title == stored[0].title + " (checked)"
        assert_same(dataclasses.replace(loaded, title=stored[0].title), stored[0])
    # The backup taken before the upgrade still has the old version.
    versions = []
    for backup in backups(data_dir):
        conn = raw(backup)
        versions.append(conn.execute("PRAGMA user_version").fetchone()[0])
        conn.close()
    assert NOW in versions


def test_a_failing_migration_changes_nothing(
    data_dir: Path, framework: Framework, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored = make_library(data_dir, framework)

    def half_done(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE tags (tag TEXT)")
        conn.execute("DELETE FROM ratings")
        raise RuntimeError("step 2 broke")

    original = list(store.MIGRATIONS)
    monkeypatch.setattr(
        "opassess.store.schema.MIGRATIONS", [*original, Migration(NOW + 1, "9.1.0", half_done)]
    )
    with pytest.raises(LibraryUpgradeFailed, match="Nothing was changed") as caught:
        Library.open(data_dir)
    assert isinstance(caught.value, LibraryError)
    conn = raw(data_dir / LIBRARY_FILE)
    assert conn.execute("PRAGMA user_version").fetchone() == (NOW,)
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'tags'").fetchall() == []
    conn.close()
    monkeypatch.setattr("opassess.store.schema.MIGRATIONS", original)
    with Library.open(data_dir) as library:
        assert_same(library.load(stored[0].id), stored[0])


# -- backups ------------------------------------------------------------------------------------


def test_backups_rotate_and_are_each_a_good_copy(data_dir: Path, framework: Framework) -> None:
    for i in range(5):
        with Library.open(data_dir, keep_backups=3) as library:
            library.add(sample_workshop(framework, f"Workshop {i}"))
    found = backups(data_dir)
    assert len(found) == 3
    assert found == sorted(found, reverse=True)
    for number, backup in enumerate(found):
        assert not Path(str(backup) + "-wal").exists()
        conn = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
        assert conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        # newest first: the newest holds all five workshops, the next one four...
        assert conn.execute("SELECT count(*) FROM workshops").fetchone() == (5 - number,)
        conn.close()


def test_no_backup_when_nothing_changed(data_dir: Path, framework: Framework) -> None:
    make_library(data_dir, framework)
    count = len(backups(data_dir))
    assert count == 1
    for _ in range(3):
        Library.open(data_dir).close()
    assert len(backups(data_dir)) == count


def test_a_backup_is_taken_at_open_when_the_last_session_ended_without_one(
    data_dir: Path, framework: Framework
) -> None:
    library = Library.open(data_dir)
    library.add(sample_workshop(framework))
    # Ended without close (a crash): no backup of that workshop yet.
    library._connection().close()
    library._lock.release()
    assert backups(data_dir) == []
    Library.open(data_dir).close()
    (backup,) = backups(data_dir)
    conn = raw(backup)
    assert conn.execute("SELECT count(*) FROM workshops").fetchone() == (1,)
    conn.close()


def test_a_library_failing_its_check_is_not_backed_up_at_close(
    data_dir: Path, framework: Framework, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Damage that appears while open must not rotate good backups out.
    library = Library.open(data_dir)
    library.add(sample_workshop(framework))
    monkeypatch.setattr("opassess.store.library._quick_check_ok", lambda conn: False)
    library.close()
    assert backups(data_dir) == []


def test_interrupted_backup_copies_are_cleared(data_dir: Path, framework: Framework) -> None:
    make_library(data_dir, framework)
    leftover = data_dir / "backups" / "library-20260101T000000.000000Z.sqlite3.partial"
    leftover.write_bytes(b"half a copy")
    with Library.open(data_dir) as library:
        library.add(sample_workshop(framework))
    assert not leftover.exists()
    assert all(b.suffix == ".sqlite3" for b in backups(data_dir))


# -- a second instance --------------------------------------------------------------------------

HOLDER = """
import sys
from pathlib import Path
from opassess.store import Library
library = Library.open(Path(sys.argv[1]))
print("open", flush=True)
sys.stdin.readline()
library.close()
"""


def test_a_second_process_is_told_who_has_the_library(data_dir: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(data_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        assert holder.stdout is not None and holder.stdin is not None
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(LibraryInUse) as caught:
            Library.open(data_dir)
        assert caught.value.pid == holder.pid
        assert str(caught.value) == (
            "This library is already open in another OpAssess window or command "
            f"(process {holder.pid}). Close it there, or use a different data folder."
        )
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert holder.wait(timeout=30) == 0
    finally:
        holder.kill()
        holder.wait()
    Library.open(data_dir).close()


@pytest.mark.skipif(os.name == "nt", reason="POSIX signals")
def test_a_killed_holder_leaves_the_library_free(data_dir: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(data_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "open"
    holder.kill()
    holder.wait()
    Library.open(data_dir).close()


def test_a_second_open_in_the_same_process_is_refused(data_dir: Path) -> None:
    with Library.open(data_dir):
        with pytest.raises(LibraryInUse, match=f"process {os.getpid()}"):
            Library.open(data_dir)
        with pytest.raises(LibraryInUse):
            Library.open(data_dir / ".." / data_dir.name)
    Library.open(data_dir).close()


def test_a_data_folder_that_cannot_be_written_is_told_in_plain_words(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from opassess import locking

    def read_only(self) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(locking.FileLock, "acquire", read_only)
    with pytest.raises(store.LibraryError) as caught:
        Library.open(data_dir)
    assert str(caught.value).endswith("cannot be used: the disk is read-only.")
    assert "Errno" not in str(caught.value)
