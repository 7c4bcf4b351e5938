"""A room on loopback for the room's tests: its library on an owner thread, as the GUI's is,
and a plain HTTP client that returns the status, the JSON and the headers."""

from __future__ import annotations

import http.client
import json
import threading
from dataclasses import dataclass
from pathlib import Path

from opassess.frameworks import default_framework
from opassess.room import OwnerThread, Room, recorder
from opassess.room_server import RoomServer
from opassess.session import EditSession
from opassess.store import Library
from opassess.workshop import NameDisplay, add_participants, new_workshop, update_details

NAMES = ("Ann Lee", "Bo Chen", "Cara Diaz", "Dev Patel", "Eve Moss", "Finn Roe")


@dataclass
class OpenRoom:
    room: Room
    server: RoomServer
    owner: OwnerThread
    session: EditSession
    stop_owner: threading.Event
    owner_thread: threading.Thread

    def stored(self):
        """The workshop as the library holds it, read on the library's own thread."""
        return self.owner.call(lambda: self.library.load(self.session.workshop.id))

    def close(self) -> None:
        self.server.stop()
        self.stop_owner.set()
        self.owner_thread.join(timeout=10)


def open_room_on(tmp_path: Path, anonymous: bool = False) -> OpenRoom:
    """A room whose library lives on an owner thread, as the GUI's lives on its own."""
    workshop = new_workshop(default_framework(), title="Room test")
    workshop = add_participants(workshop, [(name, "") for name in NAMES])
    if anonymous:
        workshop = update_details(workshop, name_display=NameDisplay.ANONYMOUS)
    owner = OwnerThread()
    stop = threading.Event()
    ready = threading.Event()
    opened: dict = {}

    def own_the_library() -> None:
        library = Library.open(tmp_path / "data")
        library.add(workshop)
        opened["library"] = library
        opened["session"] = EditSession.open(library, workshop.id)
        ready.set()
        while not stop.is_set():
            owner.run_pending(timeout=0.05)
        library.close()

    thread = threading.Thread(target=own_the_library, daemon=True)
    thread.start()
    assert ready.wait(10)
    session = opened["session"]
    room = Room(lambda: session.workshop, recorder(owner, session.apply))
    server = RoomServer(room, "127.0.0.1")
    server.start()
    result = OpenRoom(room, server, owner, session, stop, thread)
    result.library = opened["library"]
    return result


def call(
    opened: OpenRoom,
    method: str,
    path: str,
    body: object = None,
    *,
    person: str = "",
    raw: bytes | None = None,
    token: str | None = None,
) -> tuple[int, dict, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", opened.server.port, timeout=10)
    headers = {"Content-Type": "application/json"}
    if person:
        headers["X-Person"] = person
    payload = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    connection.request(method, f"/r/{token or opened.room.token}/{path}", payload, headers)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    kind = response.getheader("Content-Type", "")
    document = json.loads(data) if kind.startswith("application/json") else {"text": data}
    return response.status, document, dict(response.getheaders())


def join_as(opened: OpenRoom, name: str) -> str:
    status, joined, _ = call(opened, "POST", "api/join", {"pin": opened.room.pin})
    assert status == 200
    person_id = next(p["id"] for p in joined["people"] if p["name"] == name)
    status, claimed, _ = call(
        opened, "POST", "api/claim", {"pin": opened.room.pin, "participant_id": person_id}
    )
    assert status == 200, claimed
    return claimed["person"]


def answers_for(opened: OpenRoom, stage: str = "developing", evidence: str = "We saw it") -> dict:
    return {
        "answers": {
            d.id: {"stage": stage, "evidence": f"{evidence} ({d.id})"}
            for d in opened.session.workshop.scoped_dimensions()
        }
    }
