"""Room voting over loopback: a real HTTP client against the room's real server."""

from __future__ import annotations

import json
import socket
import threading
from pathlib import Path

import pytest
from roomkit import NAMES, OpenRoom, answers_for, call, join_as, open_room_on

from opassess.frameworks import NOT_SURE
from opassess.room import WRONG_TRY_LIMIT, OwnerThread
from opassess.room_server import RoomServer
from opassess.session import EditSession


def test_people_submitting_at_once_land_in_the_library_exactly_once(open_room: OpenRoom):
    people = {name: join_as(open_room, name) for name in NAMES}
    results: dict[str, int] = {}

    def submit(name: str) -> None:
        status, _, _ = call(
            open_room, "POST", "api/submit", answers_for(open_room), person=people[name]
        )
        results[name] = status

    threads = [threading.Thread(target=submit, args=(name,)) for name in NAMES]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == dict.fromkeys(NAMES, 200)
    stored = open_room.stored()
    barriers = len(stored.scope)
    assert len(stored.ratings) == len(NAMES) * barriers
    assert {r.stage for r in stored.ratings.values()} == {"developing"}
    # one undo step per person, as with private rating
    assert open_room.owner.call(lambda: _undo_steps(open_room.session)) == len(NAMES)
    assert all(p.submitted and p.joined for p in open_room.room.progress())


def test_a_second_submission_replaces_the_first(open_room: OpenRoom):
    person = join_as(open_room, "Ann Lee")
    assert (
        call(open_room, "POST", "api/submit", answers_for(open_room, "starting"), person=person)[0]
        == 200
    )
    again = answers_for(open_room, NOT_SURE, "Changed my mind")
    assert call(open_room, "POST", "api/submit", again, person=person)[0] == 200
    stored = open_room.stored()
    ann = next(p.id for p in stored.participants if p.name == "Ann Lee")
    mine = [r for (pid, _), r in stored.ratings.items() if pid == ann]
    assert len(mine) == len(stored.scope)
    assert {r.stage for r in mine} == {NOT_SURE}
    assert all(r.evidence.startswith("Changed my mind") for r in mine)
    status, form, _ = call(open_room, "GET", "api/form", person=person)
    assert status == 200 and form["submitted"]["answers"][stored.scope[0]]["stage"] == NOT_SURE


def test_the_form_carries_the_framework_but_nobody_elses_ratings(open_room: OpenRoom):
    ann = join_as(open_room, "Ann Lee")
    bo = join_as(open_room, "Bo Chen")
    call(
        open_room,
        "POST",
        "api/submit",
        answers_for(open_room, "consolidating", "Ann's secret"),
        person=ann,
    )
    status, form, headers = call(open_room, "GET", "api/form", person=bo)
    assert status == 200
    assert [s["name"] for s in form["stages"]] == ["Starting", "Developing", "Consolidating"]
    assert len(form["barriers"]) == 6 and form["barriers"][0]["descriptors"]["starting"]
    assert form["submitted"] is None and form["name"] == "Bo Chen"
    assert "Ann's secret" not in json.dumps(form)
    assert headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]


def test_a_name_once_taken_is_gone_from_the_list_and_cannot_be_claimed_again(open_room: OpenRoom):
    join_as(open_room, "Ann Lee")
    _, joined, _ = call(open_room, "POST", "api/join", {"pin": open_room.room.pin})
    assert "Ann Lee" not in [p["name"] for p in joined["people"]]
    ann = next(p.id for p in open_room.session.workshop.participants if p.name == "Ann Lee")
    status, refused, _ = call(
        open_room, "POST", "api/claim", {"pin": open_room.room.pin, "participant_id": ann}
    )
    assert status == 409 and "already joined as Ann Lee" in refused["error"]


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("no person", 401),
        ("another person's token", 401),
        ("unknown barrier", 400),
        ("unknown stage", 400),
        ("a barrier left out", 400),
        ("malformed body", 400),
        ("wrong shape", 400),
        ("evidence too long", 400),
        ("oversized body", 413),
    ],
)
def test_bad_submissions_are_refused_and_nothing_is_written(
    open_room: OpenRoom, case: str, expected: int
):
    person = join_as(open_room, "Ann Lee")
    body: object = answers_for(open_room)
    raw = None
    first = open_room.session.workshop.scope[0]
    if case == "no person":
        person = ""
    elif case == "another person's token":
        person = ("y" if person[0] == "x" else "x") + person[1:]
    elif case == "unknown barrier":
        body["answers"]["no-such-barrier"] = {"stage": "starting"}
    elif case == "unknown stage":
        body["answers"][first]["stage"] = "excellent"
    elif case == "a barrier left out":
        del body["answers"][first]
    elif case == "malformed body":
        raw = b"{not json"
    elif case == "wrong shape":
        body = {"answers": [1, 2, 3]}
    elif case == "evidence too long":
        body["answers"][first]["evidence"] = "x" * 5000
    elif case == "oversized body":
        raw = b" " * (open_room.room.submission_limit() + 1)
    status, refused, _ = call(open_room, "POST", "api/submit", body, person=person, raw=raw)
    assert status == expected
    assert refused["error"] and "Traceback" not in refused["error"] and "/" not in refused["error"]
    assert open_room.stored().ratings == {}
    assert not any(p.submitted for p in open_room.room.progress())


def test_a_wrong_room_token_finds_nothing(open_room: OpenRoom):
    status, refused, _ = call(
        open_room, "POST", "api/join", {"pin": open_room.room.pin}, token="wrongtok"
    )
    assert status == 404 and "no room" in refused["error"]


def test_wrong_pins_are_slowed_then_refused(open_room: OpenRoom):
    waits: list[float] = []
    open_room.room.sleep = waits.append
    wrong = "0000000" if open_room.room.pin != "0000000" else "1111111"
    statuses = [
        call(open_room, "POST", "api/join", {"pin": wrong})[0] for _ in range(WRONG_TRY_LIMIT)
    ]
    assert statuses == [403] * WRONG_TRY_LIMIT
    assert waits == sorted(waits) and waits[-1] > waits[0]
    # past the limit even the right PIN is refused from that phone
    status, refused, _ = call(open_room, "POST", "api/join", {"pin": open_room.room.pin})
    assert status == 429 and "facilitator" in refused["error"]


def test_closed_rating_refuses_submissions(open_room: OpenRoom):
    person = join_as(open_room, "Ann Lee")
    open_room.room.close_rating()
    status, refused, _ = call(
        open_room, "POST", "api/submit", answers_for(open_room), person=person
    )
    assert status == 409 and "closed" in refused["error"]
    assert open_room.stored().ratings == {}


def test_an_anonymous_room_lists_no_names_and_takes_one_person_codes(tmp_path: Path):
    opened = open_room_on(tmp_path, anonymous=True)
    try:
        _, joined, _ = call(opened, "POST", "api/join", {"pin": opened.room.pin})
        assert joined["anonymous"] and joined["people"] == []
        codes = opened.room.codes()
        assert len(codes) == len(NAMES) == len(set(codes))
        status, claimed, _ = call(
            opened, "POST", "api/claim", {"pin": opened.room.pin, "code": codes[0].lower()}
        )
        assert status == 200 and claimed["name"] == ""
        again = call(opened, "POST", "api/claim", {"pin": opened.room.pin, "code": codes[0]})
        assert again[0] == 409
        assert (
            call(opened, "POST", "api/claim", {"pin": opened.room.pin, "code": "ZZZZ ZZZZ"})[0]
            == 403
        )
        status, form, _ = call(opened, "GET", "api/form", person=claimed["person"])
        assert status == 200 and form["name"] == ""
        assert (
            call(opened, "POST", "api/submit", answers_for(opened), person=claimed["person"])[0]
            == 200
        )
        assert len(opened.stored().ratings) == len(opened.session.workshop.scope)
    finally:
        opened.close()


def test_an_internal_failure_says_nothing_of_the_laptop(open_room: OpenRoom):
    person = join_as(open_room, "Ann Lee")

    def broken(*_args):
        raise RuntimeError("/home/someone/secret/path.py exploded")

    open_room.room.record = broken
    status, refused, _ = call(
        open_room, "POST", "api/submit", answers_for(open_room), person=person
    )
    assert status == 500 and "secret" not in refused["error"] and "/" not in refused["error"]


def test_nothing_listens_once_the_room_is_stopped(tmp_path: Path):
    opened = open_room_on(tmp_path)
    port = opened.server.port
    opened.close()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


def _undo_steps(session: EditSession) -> int:
    steps = 0
    while session.history.can_undo:
        session.history.commit_undo()
        steps += 1
    return steps


def test_a_room_of_phones_sending_at_once_fits_the_accept_queue():
    # The standard library's backlog of 5 would have the kernel drop or reset most of a room.
    assert RoomServer.request_queue_size >= 40


def test_the_owner_can_run_one_job_at_a_time_so_a_window_repaints_between():
    owner = OwnerThread()
    done: list[int] = []
    threads = [
        threading.Thread(target=owner.call, args=(lambda n=n: done.append(n),)) for n in range(3)
    ]
    for thread in threads:
        thread.start()
    ran = 0
    while ran < 3:
        ran += owner.run_pending(timeout=1.0, limit=1)
        assert len(done) == ran
    for thread in threads:
        thread.join()
    assert sorted(done) == [0, 1, 2]
