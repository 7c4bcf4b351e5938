"""The room as a security tester tries it, all on loopback: guessing codes and PINs, taking a
freed name, posting from another site, malformed and hostile requests, oversized answers the
page allows, a restart on the same port, and clients that trickle or crowd the server."""

from __future__ import annotations

import json
import socket
import threading
import time
from pathlib import Path

import pytest
from roomkit import NAMES, OpenRoom, answers_for, call, join_as, open_room_on

from opassess.room import (
    CODE_ALPHABET,
    CODE_LENGTH,
    EVIDENCE_CHARS,
    JOINING_PAUSED_ALERT,
    LOCKOUT_S,
    MAX_CONNECTIONS,
    MAX_CONNECTIONS_PER_ADDRESS,
    PIN_CHANGED_ALERT,
    READ_DEADLINE_S,
    ROOM_WRONG_TRY_LIMIT,
    SECURITY_HEADERS,
    WRONG_TRY_LIMIT,
    Room,
    RoomRefusal,
)
from opassess.room_server import RoomServer
from opassess.validation import _validator
from opassess.workshop import record_rating

# -- guessing ------------------------------------------------------------------------------------


def _wrong_pin(room: Room) -> str:
    return "000000" if room.pin != "000000" else "111111"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _bare_room(anonymous: bool = False) -> tuple[Room, FakeClock, list[float]]:
    """A room with no server, on a clock the test moves, that never really waits."""
    from opassess.frameworks import default_framework
    from opassess.workshop import NameDisplay, add_participants, new_workshop, update_details

    workshop = add_participants(
        new_workshop(default_framework(), title="Guessing"), [(n, "") for n in NAMES]
    )
    if anonymous:
        workshop = update_details(workshop, name_display=NameDisplay.ANONYMOUS)
    clock, waits = FakeClock(), []
    room = Room(lambda: workshop, lambda *_: None, clock=clock, sleep=waits.append)
    return room, clock, waits


def test_wrong_codes_count_against_the_phone_like_wrong_pins(tmp_path: Path):
    opened = open_room_on(tmp_path, anonymous=True)
    waits: list[float] = []
    opened.room.sleep = waits.append
    try:
        pin = opened.room.pin
        statuses = [
            call(opened, "POST", "api/claim", {"pin": pin, "code": f"WRONG{n:03}"})
            for n in range(WRONG_TRY_LIMIT)
        ]
        assert [s for s, _, _ in statuses] == [403] * WRONG_TRY_LIMIT
        assert all(body["field"] == "code" for _, body, _ in statuses)
        assert waits == sorted(waits) and waits[-1] > waits[0]
        # now even the right PIN and a real code are refused from this phone
        code = opened.room.codes()[0]
        status, refused, _ = call(opened, "POST", "api/claim", {"pin": pin, "code": code})
        assert status == 429 and "facilitator" in refused["error"]
        assert not any(p.joined for p in opened.room.progress())
    finally:
        opened.close()


def test_a_mixture_of_wrong_pins_and_codes_shares_one_allowance():
    room, _, _ = _bare_room(anonymous=True)
    for n in range(WRONG_TRY_LIMIT):
        with pytest.raises(RoomRefusal) as refused:
            if n % 2:
                room.check_pin(_wrong_pin(room), "10.0.0.5")
            else:
                room.claim({"pin": room.pin, "code": "AAAA AAAA"}, "10.0.0.5")
        assert refused.value.status == 403
    with pytest.raises(RoomRefusal) as locked:
        room.check_pin(room.pin, "10.0.0.5")
    assert locked.value.status == 429
    room.check_pin(room.pin, "10.0.0.6")  # another phone is not affected


def test_guessing_a_colleagues_code_is_hopeless_within_the_limits():
    # Every phone gets WRONG_TRY_LIMIT guesses per lockout, and the whole room at most
    # ROOM_WRONG_TRY_LIMIT before the PIN changes and the facilitator is told. Even granting a
    # guesser who reads each new PIN off the projector at once, from 250 addresses, for a day:
    codes = len(CODE_ALPHABET) ** CODE_LENGTH
    guesses_a_day = 250 * WRONG_TRY_LIMIT * (24 * 3600 / LOCKOUT_S)
    chance = 1 - (1 - 6 / codes) ** guesses_a_day
    assert codes > 10**11
    assert chance < 1e-4, f"{chance:.4%}"  # under one in ten thousand
    assert ROOM_WRONG_TRY_LIMIT <= 50


def test_lockouts_expire_and_the_facilitator_can_lift_them():
    room, clock, _ = _bare_room()
    for _ in range(WRONG_TRY_LIMIT):
        with pytest.raises(RoomRefusal):
            room.check_pin(_wrong_pin(room), "10.0.0.5")
    assert room.locked_out() == 1
    with pytest.raises(RoomRefusal) as locked:
        room.check_pin(room.pin, "10.0.0.5")
    assert "wait 5 minutes" in locked.value.message
    clock.now += LOCKOUT_S + 1
    room.check_pin(room.pin, "10.0.0.5")  # the wait is over
    assert room.locked_out() == 0
    for _ in range(WRONG_TRY_LIMIT):
        with pytest.raises(RoomRefusal):
            room.check_pin(_wrong_pin(room), "10.0.0.5")
    assert room.let_everyone_try_again() == 1
    room.check_pin(room.pin, "10.0.0.5")


def test_many_wrong_tries_across_the_room_change_the_pin_and_tell_the_facilitator():
    room, _, _ = _bare_room()
    told: list[str] = []
    room.on_progress = lambda: told.append(room.alert)
    joined = room.claim({"pin": room.pin, "participant_id": room.progress()[0].participant_id}, "a")
    old_pin = room.pin
    for n in range(ROOM_WRONG_TRY_LIMIT):  # one try from each of many addresses
        with pytest.raises(RoomRefusal):
            room.check_pin("not the pin", f"10.0.{n // 250}.{n % 250}")
    assert room.pin != old_pin and room.alert == PIN_CHANGED_ALERT
    assert PIN_CHANGED_ALERT in told
    with pytest.raises(RoomRefusal):
        room.check_pin(old_pin, "10.9.9.9")
    room.check_pin(room.pin, "10.9.9.9")
    assert room.form(joined["person"])["name"] == NAMES[0]  # people already in carry on


# -- names freed and answers kept private -------------------------------------------------------


def test_a_freed_name_forgets_what_its_phone_sent(open_room: OpenRoom):
    ann = join_as(open_room, "Ann Lee")
    secret = answers_for(open_room, "consolidating", "Ann's secret")
    assert call(open_room, "POST", "api/submit", secret, person=ann)[0] == 200
    ann_id = next(p.participant_id for p in open_room.room.progress() if p.name == "Ann Lee")
    open_room.room.release(ann_id)

    assert call(open_room, "GET", "api/form", person=ann)[0] == 401  # that phone is signed out
    newcomer = join_as(open_room, "Ann Lee")
    status, form, _ = call(open_room, "GET", "api/form", person=newcomer)
    assert status == 200 and form["submitted"] is None
    assert "Ann's secret" not in json.dumps(form) and "consolidating" not in json.dumps(
        form["submitted"]
    )
    # the answers stay in the workshop, and the room still counts them as in
    assert len(open_room.stored().ratings) == len(open_room.session.workshop.scope)
    assert next(p for p in open_room.room.progress() if p.name == "Ann Lee").submitted


def test_a_phone_is_never_shown_ratings_it_did_not_send(open_room: OpenRoom):
    bo_id = next(p.participant_id for p in open_room.room.progress() if p.name == "Bo Chen")
    first = open_room.session.workshop.scope[0]
    # keyed in at the laptop, from Bo's paper form
    open_room.owner.call(
        lambda: open_room.session.apply(
            "Rate", record_rating, bo_id, first, "starting", "From paper"
        )
    )
    bo = join_as(open_room, "Bo Chen")
    _, form, _ = call(open_room, "GET", "api/form", person=bo)
    assert form["submitted"] is None and "From paper" not in json.dumps(form)
    assert call(open_room, "POST", "api/submit", answers_for(open_room), person=bo)[0] == 200
    _, form, _ = call(open_room, "GET", "api/form", person=bo)
    assert form["submitted"]["answers"][first]["stage"] == "developing"
    # changed at the laptop after it was sent: the phone no longer confirms what it sent
    open_room.owner.call(
        lambda: open_room.session.apply("Rate", record_rating, bo_id, first, "starting", "Edited")
    )
    _, form, _ = call(open_room, "GET", "api/form", person=bo)
    assert form["submitted"] is None and "Edited" not in json.dumps(form)


# -- only the room's own page may post ----------------------------------------------------------


def _claim_headers(opened: OpenRoom, **headers: str) -> tuple[int, dict]:
    first = opened.session.workshop.participants[0].id
    body = json.dumps({"pin": opened.room.pin, "participant_id": first}).encode()
    status, document, _ = _raw(
        opened,
        f"POST /r/{opened.room.token}/api/claim HTTP/1.1\r\n"
        + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        + f"Content-Length: {len(body)}\r\n\r\n",
        body,
    )
    return status, document


@pytest.mark.parametrize(
    ("case", "headers", "expected"),
    [
        ("a form on another site", {"Content-Type": "text/plain"}, 415),
        ("no content type", {}, 415),
        ("another origin", {"Content-Type": "application/json", "Origin": "http://evil.test"}, 403),
        ("an opaque origin", {"Content-Type": "application/json", "Origin": "null"}, 403),
        (
            "a cross-site fetch",
            {"Content-Type": "application/json", "Sec-Fetch-Site": "cross-site"},
            403,
        ),
        ("another host name", {"Content-Type": "application/json", "Host": "evil.test"}, 421),
        ("no host", {"Content-Type": "application/json", "Host": ""}, 421),
    ],
)
def test_only_the_rooms_own_page_can_claim_a_name(
    open_room: OpenRoom, case: str, headers: dict, expected: int
):
    headers = {"Host": f"127.0.0.1:{open_room.server.port}", **headers}
    if not headers["Host"]:
        del headers["Host"]
    status, refused = _claim_headers(open_room, **headers)
    assert status == expected, case
    assert refused["error"]
    assert not any(p.joined for p in open_room.room.progress())


def test_the_rooms_own_page_can_claim_a_name(open_room: OpenRoom):
    origin = f"http://127.0.0.1:{open_room.server.port}"
    status, claimed = _claim_headers(
        open_room,
        Host=f"127.0.0.1:{open_room.server.port}",
        Origin=origin,
        **{"Content-Type": "application/json; charset=utf-8", "Sec-Fetch-Site": "same-origin"},
    )
    assert status == 200 and claimed["person"]


def test_a_page_is_not_served_under_another_host_name(open_room: OpenRoom):
    status, refused, headers = _raw(
        open_room, f"GET /r/{open_room.room.token}/ HTTP/1.1\r\nHost: rebound.test\r\n\r\n"
    )
    assert status == 421 and "not the room" in refused["error"]
    _has_documented_headers(headers)


# -- malformed and hostile requests ----------------------------------------------------------------


def _raw(
    opened: OpenRoom, head: str, body: bytes = b"", *, client: str = "127.0.0.1"
) -> tuple[int, dict, dict]:
    """Send exactly these bytes and read the answer: status, JSON (or {}), headers."""
    with socket.create_connection(
        ("127.0.0.1", opened.server.port), timeout=20, source_address=(client, 0)
    ) as connection:
        connection.sendall(head.encode("latin-1", "surrogateescape") + body)
        data = b""
        while chunk := connection.recv(65536):
            data += chunk
    return _parse_response(data)


def _parse_response(data: bytes) -> tuple[int, dict, dict]:
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    kind = headers.get("Content-Type", "")
    document = json.loads(body) if kind.startswith("application/json") and body else {}
    return status, document, headers


def _has_documented_headers(headers: dict) -> None:
    for name, value in SECURITY_HEADERS:
        assert headers.get(name) == value, name


def _submit_head(opened: OpenRoom, person: str, length: int | str) -> str:
    return (
        f"POST /r/{opened.room.token}/api/submit HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{opened.server.port}\r\nContent-Type: application/json\r\n"
        f"X-Person: {person}\r\nContent-Length: {length}\r\n\r\n"
    )


def _answers_with(opened: OpenRoom, evidence_json: str) -> bytes:
    """A submission whose first evidence is `evidence_json`, spliced in as raw JSON text."""
    body = answers_for(opened)
    first = opened.session.workshop.scope[0]
    body["answers"][first]["evidence"] = "@@EVIDENCE@@"
    return json.dumps(body).replace('"@@EVIDENCE@@"', evidence_json).encode()


@pytest.mark.parametrize(
    "case",
    [
        "length above the body",
        "length in superscript digits",
        "negative length",
        "length beyond any form",
        "nesting 30,000 deep",
        "a 5,000-digit number",
        "a lone surrogate in evidence",
        "bytes that are not UTF-8",
        "not JSON",
    ],
)
def test_a_malformed_submission_gets_a_plain_4xx_and_nothing_is_written(
    open_room: OpenRoom, case: str
):
    open_room.server.request_timeout_s = 1.0
    person = join_as(open_room, "Ann Lee")
    started = time.monotonic()
    if case == "length above the body":
        body = json.dumps(answers_for(open_room)).encode()
        head, payload = _submit_head(open_room, person, len(body) + 100), body
    elif case == "length in superscript digits":
        head, payload = _submit_head(open_room, person, "²"), b"{}"
    elif case == "negative length":
        head, payload = _submit_head(open_room, person, "-1"), b"{}"
    elif case == "length beyond any form":
        head, payload = _submit_head(open_room, person, "99999999999"), b""
    else:
        payload = {
            "nesting 30,000 deep": b"[" * 30_000 + b"]" * 30_000,
            "a 5,000-digit number": b'{"answers": ' + b"9" * 5000 + b"}",
            "a lone surrogate in evidence": _answers_with(open_room, '"evidence \\ud800 here"'),
            "bytes that are not UTF-8": b'{"answers": "\xff\xfe"}',
            "not JSON": b"{answers: nope}",
        }[case]
        head = _submit_head(open_room, person, len(payload))
    if case == "length above the body":
        # the body never arrives in full, and the client waits without closing
        with socket.create_connection(("127.0.0.1", open_room.server.port), timeout=20) as conn:
            conn.sendall(head.encode("latin-1") + payload)
            data = b""
            while chunk := conn.recv(65536):
                data += chunk
        status, refused, headers = _parse_response(data)
    else:
        status, refused, headers = _raw(open_room, head.encode("utf-8").decode("latin-1"), payload)
    assert 400 <= status < 500, (case, status, refused)
    assert refused["error"] and "Traceback" not in refused["error"]
    _has_documented_headers(headers)
    assert time.monotonic() - started < 10
    assert open_room.stored().ratings == {}
    assert open_room.server.failures == 0


def test_what_the_page_allows_is_accepted_whole(open_room: OpenRoom):
    # Six answers of 4,000 Chinese characters: 72,000 bytes of UTF-8, and 144,000 as escapes.
    person = join_as(open_room, "Ann Lee")
    body = answers_for(open_room)
    text = ("评估证据" * EVIDENCE_CHARS)[:EVIDENCE_CHARS]
    for answer in body["answers"].values():
        answer["evidence"] = text
    for payload in (
        json.dumps(body, ensure_ascii=False).encode("utf-8"),
        json.dumps(body).encode("ascii"),
    ):
        status, received, _ = _raw(
            open_room, _submit_head(open_room, person, len(payload)), payload
        )
        assert status == 200, received
    stored = open_room.stored()
    assert {r.evidence for r in stored.ratings.values()} == {text}
    # the schema's limit and the page's are the room's
    schema = _validator("room-submission.schema.json").schema
    evidence = schema["properties"]["answers"]["additionalProperties"]["properties"]["evidence"]
    assert evidence["maxLength"] == EVIDENCE_CHARS
    page = open_room.server.asset("phone.html").decode()
    assert f'maxlength="{EVIDENCE_CHARS}"' in page
    assert f"const MAX_EVIDENCE = {EVIDENCE_CHARS};" in open_room.server.asset("phone.js").decode()


@pytest.mark.parametrize(
    ("case", "request_text", "expected"),
    [
        (
            "a method the room does not take",
            "PUT /r/{token}/ HTTP/1.1\r\nHost: {host}\r\n\r\n",
            405,
        ),
        ("DELETE", "DELETE /r/{token}/api/form HTTP/1.1\r\nHost: {host}\r\n\r\n", 405),
        ("OPTIONS", "OPTIONS /r/{token}/api/claim HTTP/1.1\r\nHost: {host}\r\n\r\n", 405),
        ("an invented method", "BREW /r/{token}/ HTTP/1.1\r\nHost: {host}\r\n\r\n", 405),
        ("a garbled request line", "GARBAGE\r\n\r\n", 400),
        ("a bad version", "GET /r/{token}/ HTTP/9.x\r\nHost: {host}\r\n\r\n", 400),
        ("HTTP/0.9, which has no headers", "GET /r/{token}/\r\n", 400),
        ("an address 70,000 long", "GET /" + "a" * 70_000 + " HTTP/1.1\r\n\r\n", 414),
        (
            "too many headers",
            "GET /r/{token}/ HTTP/1.1\r\nHost: {host}\r\n" + "X-A: b\r\n" * 120 + "\r\n",
            431,
        ),
        ("a wrong room", "GET /r/nottheroom/ HTTP/1.1\r\nHost: {host}\r\n\r\n", 404),
        ("no person", "GET /r/{token}/api/form HTTP/1.1\r\nHost: {host}\r\n\r\n", 401),
        ("nothing there", "GET /r/{token}/secret HTTP/1.1\r\nHost: {host}\r\n\r\n", 404),
        (
            "a post with no length",
            "POST /r/{token}/api/join HTTP/1.1\r\nHost: {host}\r\n"
            "Content-Type: application/json\r\n\r\n",
            411,
        ),
        (
            "a join too large",
            "POST /r/{token}/api/join HTTP/1.1\r\nHost: {host}\r\n"
            "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n",
            413,
        ),
        ("the page", "GET /r/{token}/ HTTP/1.1\r\nHost: {host}\r\n\r\n", 200),
        ("the page, without the slash", "GET /r/{token} HTTP/1.1\r\nHost: {host}\r\n\r\n", 301),
    ],
)
def test_every_answer_is_plain_and_carries_the_documented_headers(
    open_room: OpenRoom, case: str, request_text: str, expected: int
):
    text = request_text.replace("{token}", open_room.room.token).replace(
        "{host}", f"127.0.0.1:{open_room.server.port}"
    )
    status, document, headers = _raw(open_room, text)
    assert status == expected, (case, document)
    _has_documented_headers(headers)
    if status >= 400:
        assert headers["Content-Type"].startswith("application/json"), case
        assert document["error"] and "<" not in document["error"]
    if status == 405:
        assert headers["Allow"] == "GET, HEAD, POST"
    assert open_room.server.failures == 0


def test_head_answers_like_get_without_a_body(open_room: OpenRoom):
    host = f"127.0.0.1:{open_room.server.port}"
    with socket.create_connection(("127.0.0.1", open_room.server.port), timeout=10) as connection:
        connection.sendall(
            f"HEAD /r/{open_room.room.token}/ HTTP/1.1\r\nHost: {host}\r\n"
            "Connection: close\r\n\r\n".encode()
        )
        data = b""
        while chunk := connection.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status, _, headers = _parse_response(head + b"\r\n\r\n")
    assert status == 200 and body == b""
    assert int(headers["Content-Length"]) == len(open_room.server.asset("phone.html"))
    _has_documented_headers(headers)


# -- the server itself -------------------------------------------------------------------------


def test_a_room_can_open_again_on_the_same_port_at_once(open_room: OpenRoom, tmp_path: Path):
    port = open_room.server.port
    # the server closes these connections first, leaving them waiting in the kernel
    for _ in range(3):
        assert (
            _raw(
                open_room,
                f"GET /r/{open_room.room.token}/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                "Connection: close\r\n\r\n",
            )[0]
            == 200
        )
    open_room.server.stop()
    again = RoomServer(open_room.room, "127.0.0.1", port)
    try:
        assert again.port == port
    finally:
        again.server_close()


def _trickle(port: int, stop: threading.Event, ended: list[float]) -> None:
    """A client that sends a request's headers a byte at a time, for as long as it is let."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
            connection.sendall(b"GET / HTTP/1.1\r\n")
            while not stop.is_set():
                connection.sendall(b"X")
                time.sleep(0.1)
    except OSError:
        pass
    ended.append(time.monotonic())


def test_trickling_clients_are_let_go_and_cannot_crowd_out_the_phones(open_room: OpenRoom):
    server = open_room.server
    server.read_deadline_s = 1.5
    server.max_connections_per_address = 10
    stop, ended = threading.Event(), []
    clients = [
        threading.Thread(target=_trickle, args=(server.port, stop, ended), daemon=True)
        for _ in range(16)
    ]
    started = time.monotonic()
    for client in clients:
        client.start()
    time.sleep(0.5)
    # from another address, a phone is served at once
    status, _, _ = _raw(
        open_room,
        f"GET /r/{open_room.room.token}/ HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n\r\n",
        client="127.0.0.2",
    )
    assert status == 200
    assert server.turned_away >= 6  # the sixth and later from one address
    for client in clients:
        client.join(10)
    stop.set()
    assert len(ended) == 16
    assert max(ended) - started < 6, "a trickling client was held past its deadline"
    deadline = time.monotonic() + 5
    while server.open_connections() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.open_connections() == 0


def test_connections_in_all_are_capped_and_the_next_is_told_the_room_is_busy(
    open_room: OpenRoom,
):
    server = open_room.server
    server.max_connections = 4
    # one connection from each of four addresses: nobody holds more than a fair share
    held = [
        socket.create_connection(
            ("127.0.0.1", server.port), timeout=10, source_address=(f"127.0.0.{11 + n}", 0)
        )
        for n in range(4)
    ]
    try:
        time.sleep(0.3)
        status, busy, headers = _raw(
            open_room,
            f"GET /r/{open_room.room.token}/ HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n\r\n",
            client="127.0.0.3",
        )
        assert status == 503 and "busy" in busy["error"]
        _has_documented_headers(headers)
    finally:
        for connection in held:
            connection.close()
    deadline = time.monotonic() + 5
    while server.open_connections() and time.monotonic() < deadline:
        time.sleep(0.05)
    status, _, _ = _raw(
        open_room,
        f"GET /r/{open_room.room.token}/ HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n\r\n",
    )
    assert status == 200


def test_the_limits_are_stated_in_the_room_api_document():
    doc = (Path(__file__).parents[2] / "docs" / "room-api.md").read_text(encoding="utf-8")
    for fact in (
        f"{WRONG_TRY_LIMIT} wrong",
        f"{LOCKOUT_S // 60} minutes",
        f"{ROOM_WRONG_TRY_LIMIT} wrong",
        f"{EVIDENCE_CHARS:,} characters",
        f"at most {MAX_CONNECTIONS_PER_ADDRESS} at once from one address",
        f"{MAX_CONNECTIONS} in all",
        f"within {READ_DEADLINE_S} s",
        "Threat model",
    ):
        assert fact in doc, fact


# -- found by trying the room from outside ------------------------------------------------------


def test_guessing_the_rooms_address_is_limited_like_a_pin(open_room: OpenRoom):
    open_room.room.sleep = lambda _seconds: None
    host = f"127.0.0.1:{open_room.server.port}"
    for _ in range(5):  # what a browser asks for by itself is no guess
        status, _, _ = _raw(open_room, f"GET /favicon.ico HTTP/1.1\r\nHost: {host}\r\n\r\n")
        assert status == 404
    guesses = [
        _raw(open_room, f"GET /r/guess{n:03}/ HTTP/1.1\r\nHost: {host}\r\n\r\n")[0]
        for n in range(WRONG_TRY_LIMIT + 2)
    ]
    assert guesses[:WRONG_TRY_LIMIT] == [404] * WRONG_TRY_LIMIT
    assert guesses[WRONG_TRY_LIMIT:] == [429, 429]
    # an address guessed is not a wrong PIN: the room's PIN stays as it was
    assert open_room.room.alert == ""


def test_guessing_from_many_addresses_pauses_joining_for_everyone():
    room, clock, _ = _bare_room()
    told: list[str] = []
    room.on_progress = lambda: told.append(room.alert)
    first_pin = room.pin
    for n in range(2 * ROOM_WRONG_TRY_LIMIT):
        with pytest.raises(RoomRefusal):
            room.check_pin("000000" if n % 2 else "111111", f"10.2.{n // 250}.{n % 250}")
    assert room.pin != first_pin and room.alert == JOINING_PAUSED_ALERT
    with pytest.raises(RoomRefusal) as paused:  # the right PIN too, from a new phone
        room.check_pin(room.pin, "10.9.9.9")
    assert paused.value.status == 429 and "paused" in paused.value.message
    clock.now += LOCKOUT_S + 1
    room.check_pin(room.pin, "10.9.9.9")  # the pause ends by itself
    for n in range(2 * ROOM_WRONG_TRY_LIMIT):
        with pytest.raises(RoomRefusal):
            room.check_pin("not it", f"10.3.{n // 250}.{n % 250}")
    room.let_everyone_try_again()  # or the facilitator ends it
    room.check_pin(room.pin, "10.9.9.8")


def test_a_request_cut_at_its_deadline_is_told_why(open_room: OpenRoom):
    open_room.server.read_deadline_s = 1.0
    with socket.create_connection(("127.0.0.1", open_room.server.port), timeout=10) as conn:
        conn.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        started = time.monotonic()
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    status, refused, headers = _parse_response(data)
    assert status == 408 and "too long" in refused["error"]
    _has_documented_headers(headers)
    assert time.monotonic() - started < 5


def test_a_few_addresses_holding_every_connection_cannot_keep_the_room_out(
    open_room: OpenRoom,
):
    server = open_room.server
    server.max_connections = 6
    held = [socket.create_connection(("127.0.0.1", server.port), timeout=10) for _ in range(6)]
    try:
        time.sleep(0.3)
        status, _, _ = _raw(
            open_room,
            f"GET /r/{open_room.room.token}/ HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n\r\n",
            client="127.0.0.4",
        )
        assert status == 200 and server.evicted >= 1
    finally:
        for connection in held:
            connection.close()


@pytest.mark.parametrize(
    ("case", "request_text", "expected"),
    [
        ("a blank line", "\r\n", 400),
        ("spaces", "   \r\n", 400),
        ("HTTP/1.2", "GET /r/{token}/ HTTP/1.2\r\nHost: {host}\r\n\r\n", 505),
        ("HTTP/2.0", "GET /r/{token}/ HTTP/2.0\r\nHost: {host}\r\n\r\n", 505),
    ],
)
def test_odd_request_lines_are_answered_plainly(
    open_room: OpenRoom, case: str, request_text: str, expected: int
):
    text = request_text.replace("{token}", open_room.room.token).replace(
        "{host}", f"127.0.0.1:{open_room.server.port}"
    )
    status, document, headers = _raw(open_room, text)
    assert status == expected, case
    assert document["error"]
    _has_documented_headers(headers)


def test_a_post_says_it_comes_from_the_page_itself(open_room: OpenRoom):
    host = f"127.0.0.1:{open_room.server.port}"
    status, _ = _claim_headers(
        open_room, Host=host, **{"Content-Type": "application/json", "Sec-Fetch-Site": "none"}
    )
    assert status == 403
    body = b'{"pin": NaN}'
    status, refused, _ = _raw(
        open_room,
        f"POST /r/{open_room.room.token}/api/join HTTP/1.1\r\nHost: {host}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n",
        body,
    )
    assert status == 400 and refused["error"] == "The request could not be read."


def test_evidence_past_the_limit_is_refused_in_a_sentence_not_echoed(open_room: OpenRoom):
    person = join_as(open_room, "Ann Lee")
    body = answers_for(open_room)
    first = open_room.session.workshop.scope[0]
    body["answers"][first]["evidence"] = "x" * (EVIDENCE_CHARS + 1)
    status, refused, _ = call(open_room, "POST", "api/submit", body, person=person)
    name = open_room.session.workshop.framework.dimension(first).name
    assert status == 400 and name in refused["error"] and "4,000 characters" in refused["error"]
    assert "xxxx" not in refused["error"] and len(refused["error"]) < 300


def test_closing_rating_stops_answers_already_waiting_to_be_stored(open_room: OpenRoom):
    # A submission queued for the library just before Close rating is refused there and then,
    # not stored after the team has started looking.
    person = join_as(open_room, "Ann Lee")
    real = open_room.room.record

    def close_first(participant_id, answers, still_open):
        open_room.room.close_rating()  # the facilitator, while this waited its turn
        real(participant_id, answers, still_open)

    open_room.room.record = close_first
    status, refused, _ = call(
        open_room, "POST", "api/submit", answers_for(open_room), person=person
    )
    assert status == 409 and "closed" in refused["error"]
    assert open_room.stored().ratings == {}


def test_a_phone_whose_person_left_the_team_is_signed_out_not_failed(open_room: OpenRoom):
    from opassess.workshop import remove_participant

    person = join_as(open_room, "Bo Chen")
    bo = next(p.participant_id for p in open_room.room.progress() if p.name == "Bo Chen")
    open_room.owner.call(
        lambda: open_room.session.apply("Remove participant", remove_participant, bo)
    )
    for method, path, body in (
        ("GET", "api/form", None),
        ("POST", "api/submit", answers_for(open_room)),
    ):
        status, refused, _ = call(open_room, method, path, body, person=person)
        assert status == 401 and "join again" in refused["error"]
    assert open_room.server.failures == 0


def test_two_people_of_one_name_are_told_apart_on_the_phones_and_the_console(tmp_path: Path):
    from opassess.room_console import run_command
    from opassess.workshop import add_participant

    opened = open_room_on(tmp_path)
    try:
        opened.owner.call(lambda: opened.session.apply("Add", add_participant, "Ann Lee"))
        _, joined, _ = call(opened, "POST", "api/join", {"pin": opened.room.pin})
        listed = [p["name"] for p in joined["people"]]
        assert len(listed) == len(set(listed)) and "Ann Lee (2)" in listed
        second = next(p["id"] for p in joined["people"] if p["name"] == "Ann Lee (2)")
        call(opened, "POST", "api/claim", {"pin": opened.room.pin, "participant_id": second})
        answer = run_command(opened.room, "free Ann Lee (2)")
        assert answer.lines[0].startswith("Ann Lee (2) can be chosen again")
        assert "could be" in run_command(opened.room, "free ann").lines[0]
    finally:
        opened.close()


def test_a_store_already_under_way_is_waited_for_not_abandoned():
    import threading as _threading

    from opassess.room import OwnerThread

    owner = OwnerThread()
    started, release = _threading.Event(), _threading.Event()
    results: list[object] = []

    def slow():
        started.set()
        release.wait(5)
        return "stored"

    caller = _threading.Thread(target=lambda: results.append(owner.call(slow, timeout=0.2)))
    caller.start()
    runner = _threading.Thread(target=lambda: owner.run_pending(timeout=2))
    runner.start()
    assert started.wait(2)
    caller.join(0.5)  # past the caller's patience, but the store has begun
    release.set()
    caller.join(5)
    runner.join(5)
    assert results == ["stored"]
