"""The room on the desktop: phones submit while the window runs, the edit lands through the
workshop controller (saved, undoable, redrawn), and closing the workshop stops the server."""

from __future__ import annotations

import http.client
import json
import socket
import threading

import pytest

from opassess.frameworks import default_framework
from opassess.room import RoomRefusal
from opassess.session import EditSession
from opassess.workshop import NOT_SURE, add_participants, new_workshop, record_rating
from ui.controller import WorkshopController
from ui.room import RoomDialog
from ui.steps.rate import RatePage


@pytest.fixture
def fresh(library):
    workshop = new_workshop(default_framework(), title="Room on the desktop")
    workshop = add_participants(workshop, [("Ann Baker", ""), ("Bo Chen", ""), ("Cy Diaz", "")])
    library.add(workshop)
    return workshop


@pytest.fixture
def page(qtbot, library, fresh):
    controller = WorkshopController(EditSession.open(library, fresh.id))
    rate = RatePage(controller)
    qtbot.addWidget(rate)
    rate.show()
    yield rate
    rate.closing()


def post(url: str, path: str, body: dict, person: str = "") -> tuple[int, dict]:
    host, port = url.split("//")[1].split("/")[0].split(":")
    prefix = "/" + url.split("/", 3)[3]
    connection = http.client.HTTPConnection(host, int(port), timeout=20)
    headers = {"Content-Type": "application/json", **({"X-Person": person} if person else {})}
    connection.request("POST", prefix + path, json.dumps(body).encode(), headers)
    response = connection.getresponse()
    result = response.status, json.loads(response.read())
    connection.close()
    return result


def phone_submits(page: RatePage, name: str, stage: str, results: list) -> None:
    """What one phone does, on its own thread: join, claim a name, submit every barrier."""
    url, pin = page.rooms.server.url, page.rooms.room.pin
    _, joined = post(url, "api/join", {"pin": pin})
    person_id = next(p["id"] for p in joined["people"] if p["name"] == name)
    _, claimed = post(url, "api/claim", {"pin": pin, "participant_id": person_id})
    answers = {
        d: {"stage": stage, "evidence": f"{name} saw it"} for d in page.controller.workshop.scope
    }
    results.append(post(url, "api/submit", {"answers": answers}, claimed["person"]))


def test_a_phone_submission_is_saved_undoable_and_shown(qtbot, page: RatePage, library, fresh):
    page.rooms.open("127.0.0.1")
    changes = []
    page.controller.changed.connect(changes.append)
    # someone rates at the laptop while a phone submits
    ann = fresh.participants[0].id
    page.controller.apply("Rate", record_rating, ann, fresh.scope[0], "starting")
    results: list = []
    thread = threading.Thread(target=phone_submits, args=(page, "Bo Chen", "developing", results))
    thread.start()
    qtbot.waitUntil(lambda: bool(results), timeout=15000)
    thread.join()
    assert results[0][0] == 200
    workshop = page.controller.workshop
    bo = fresh.participants[1].id
    assert {workshop.ratings[(bo, d)].stage for d in fresh.scope} == {"developing"}
    assert workshop.ratings[(ann, fresh.scope[0])].stage == "starting"
    assert library.load(fresh.id).ratings == workshop.ratings  # durable, as any edit
    assert changes and any(change.ratings for change in changes)
    assert page.controller.undo_label == "Rate from a phone"
    page.controller.undo()
    assert (bo, fresh.scope[0]) not in page.controller.workshop.ratings


def test_the_dialog_and_projector_show_how_to_join_and_who_is_done_never_what(
    qtbot, page: RatePage
):
    page.show_room()
    dialog = page.room_dialog
    assert isinstance(dialog, RoomDialog)
    loopback = dialog.addresses.findData("127.0.0.1")
    assert loopback >= 0
    dialog.addresses.setCurrentIndex(loopback)
    dialog.open_button.click()
    assert page.rooms.is_open and not dialog.qr.pixmap().isNull()
    assert page.rooms.room.pin in dialog.pin.text()
    assert "phones cannot reach it" in dialog.advice.text()
    results: list = []
    thread = threading.Thread(target=phone_submits, args=(page, "Cy Diaz", NOT_SURE, results))
    thread.start()
    qtbot.waitUntil(lambda: bool(results), timeout=15000)
    thread.join()
    qtbot.waitUntil(lambda: "1 submitted" in dialog.summary.text(), timeout=5000)
    rows = [dialog.people.item(i).text() for i in range(dialog.people.count())]
    assert "Cy Diaz — ✓ submitted" in rows and "Ann Baker — not joined yet" in rows
    assert all("saw it" not in row and "Not sure" not in row for row in rows)
    html = page.projector_html()
    assert "data:image/png;base64," in html and page.rooms.room.pin in html
    assert "Cy Diaz saw it" not in html


def test_closing_the_workshop_stops_the_room(qtbot, page: RatePage):
    page.rooms.open("127.0.0.1")
    port = page.rooms.server.port
    page.closing()
    assert not page.rooms.is_open
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


def test_an_address_that_cannot_be_used_is_said_plainly(qtbot, page: RatePage):
    page.show_room()
    dialog = page.room_dialog
    dialog.addresses.clear()
    dialog.addresses.addItem("192.0.2.1 (gone)", "192.0.2.1")
    dialog.open_button.click()
    assert not page.rooms.is_open
    assert "could not open on 192.0.2.1" in dialog.problem.text()


def test_a_name_chosen_by_mistake_can_be_freed(qtbot, page: RatePage):
    page.show_room()
    dialog = page.room_dialog
    dialog.addresses.setCurrentIndex(dialog.addresses.findData("127.0.0.1"))
    dialog.open_button.click()
    url, pin = page.rooms.server.url, page.rooms.room.pin
    _, joined = post(url, "api/join", {"pin": pin})
    ann = next(p["id"] for p in joined["people"] if p["name"] == "Ann Baker")
    assert post(url, "api/claim", {"pin": pin, "participant_id": ann})[0] == 200
    qtbot.waitUntil(lambda: "1 of 3 joined" in dialog.summary.text(), timeout=5000)
    dialog.people.setCurrentRow(0)
    assert dialog.free_button.isEnabled()
    dialog.free_button.click()
    qtbot.waitUntil(lambda: "0 of 3 joined" in dialog.summary.text(), timeout=5000)
    _, again = post(url, "api/join", {"pin": pin})
    assert "Ann Baker" in [p["name"] for p in again["people"]]
    assert post(url, "api/claim", {"pin": pin, "participant_id": ann})[0] == 200


def test_the_facilitator_lets_locked_out_phones_in_and_sees_a_new_pin(qtbot, page: RatePage):
    page.show_room()
    dialog = page.room_dialog
    dialog.addresses.setCurrentIndex(dialog.addresses.findData("127.0.0.1"))
    dialog.open_button.click()
    room = page.rooms.room
    room.sleep = lambda _seconds: None
    url = page.rooms.server.url
    assert not dialog.let_in_button.isEnabled()
    wrong = "000000" if room.pin != "000000" else "111111"
    for _ in range(8):
        assert post(url, "api/join", {"pin": wrong})[0] == 403
    assert post(url, "api/join", {"pin": room.pin})[0] == 429
    qtbot.waitUntil(lambda: "1 phone is locked out" in dialog.summary.text(), timeout=5000)
    assert dialog.let_in_button.isEnabled()
    dialog.let_in_button.click()
    qtbot.waitUntil(lambda: not dialog.let_in_button.isEnabled(), timeout=5000)
    assert post(url, "api/join", {"pin": room.pin})[0] == 200

    # many wrong tries across the room: a new PIN, shown, and said
    for n in range(40):
        with pytest.raises(RoomRefusal):
            room.check_pin("wrong", f"10.1.0.{n}")
    qtbot.waitUntil(lambda: "new PIN" in dialog.alert.text(), timeout=5000)
    assert dialog.alert.isVisibleTo(dialog)
    assert dialog.pin.text() == f"PIN {room.pin}"
    assert f"PIN {room.pin}" in page.projector_html()
    old = room.pin
    dialog.new_pin_button.click()
    assert room.pin != old and dialog.pin.text() == f"PIN {room.pin}"
    assert not dialog.alert.isVisibleTo(dialog)


def test_the_facilitator_can_end_a_pause_on_joining(qtbot, page: RatePage):
    page.show_room()
    dialog = page.room_dialog
    dialog.addresses.setCurrentIndex(dialog.addresses.findData("127.0.0.1"))
    dialog.open_button.click()
    room = page.rooms.room
    room.sleep = lambda _seconds: None
    for n in range(80):  # one wrong try from each of eighty phones
        with pytest.raises(RoomRefusal):
            room.check_pin("wrong", f"10.4.0.{n}")
    assert room.joining_paused()
    qtbot.waitUntil(lambda: "Joining is paused" in dialog.summary.text(), timeout=5000)
    assert "joining is paused" in dialog.alert.text()
    assert dialog.let_in_button.isEnabled()
    dialog.let_in_button.click()
    assert not room.joining_paused()
    room.check_pin(room.pin, "10.4.1.1")
