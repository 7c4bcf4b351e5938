"""The headless room: `main.py room` serves phones from a terminal, is run by typed commands,
and stops cleanly on quit, Ctrl+C or SIGTERM."""

from __future__ import annotations

import dataclasses
import http.client
import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from opassess.demo import demo_workshop
from opassess.store import Library
from opassess.workshop import NOT_SURE

ROOT = Path(__file__).resolve().parents[2]


def _post(port: int, path: str, body: dict, person: str = "") -> tuple[int, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Content-Type": "application/json", **({"X-Person": person} if person else {})}
    connection.request("POST", path, json.dumps(body).encode(), headers)
    response = connection.getresponse()
    status, document = response.status, json.loads(response.read())
    connection.close()
    return status, document


class HeadlessRoom:
    """`main.py room` in a child process, its output read on a thread so a test never hangs."""

    def __init__(self, tmp_path: Path, workshop_id: str) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "main.py"),
                "--data-dir",
                str(tmp_path),
                "room",
                workshop_id,
                "--bind",
                "127.0.0.1",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.wait_for(lambda line: line.startswith("Type quit"))
        opened = next(
            m
            for line in self.seen
            if (m := re.match(r"Room open at http://[^:]+:(\d+)(/r/\w+/)", line))
        )
        self.port, self.prefix = int(opened.group(1)), opened.group(2)
        self.pin = next(m.group(1) for line in self.seen if (m := re.match(r"PIN (\d{6})", line)))

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, wanted, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                continue
            self.seen.append(line)
            if wanted(line):
                return line
        raise AssertionError("the room never said it; it said:\n" + "\n".join(self.seen))

    def type(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def post(self, path: str, body: dict, person: str = "") -> tuple[int, dict]:
        return _post(self.port, self.prefix + path, body, person)

    def finish(self, timeout: float = 20) -> tuple[int, str]:
        """Wait for the room to end; what it printed is in `seen`, its errors returned."""
        self.process.wait(timeout)
        self._reader.join(5)
        while not self.lines.empty():
            self.seen.append(self.lines.get_nowait())
        assert self.process.stderr is not None
        return self.process.returncode, self.process.stderr.read()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.communicate()


def _room_workshop(tmp_path: Path, participants: int = 3):
    workshop = dataclasses.replace(demo_workshop(participants=participants), ratings={})
    with Library.open(tmp_path) as library:
        library.add(workshop)
    return workshop


def _stored(tmp_path: Path, workshop_id: str):
    with Library.open(tmp_path) as library:
        return library.load(workshop_id)


def test_a_headless_room_prints_its_address_and_pin_and_records_a_phone(tmp_path: Path):
    workshop = _room_workshop(tmp_path)
    room = HeadlessRoom(tmp_path, workshop.id)
    try:
        status, joined = room.post("api/join", {"pin": room.pin})
        assert status == 200 and len(joined["people"]) == 3
        first = joined["people"][0]
        status, claimed = room.post("api/claim", {"pin": room.pin, "participant_id": first["id"]})
        assert status == 200
        answers = {d: {"stage": NOT_SURE, "evidence": "From my phone"} for d in workshop.scope}
        status, received = room.post("api/submit", {"answers": answers}, claimed["person"])
        assert status == 200 and received["received"]
        room.wait_for(lambda line: "1 submitted" in line)
    finally:
        # Ctrl+C where the system can send it; typed "quit" on Windows, which cannot
        if os.name == "nt":
            room.type("quit")
        else:
            room.process.send_signal(signal.SIGINT)
        code, err = room.finish()
    assert code == 0, err
    assert "Room closed." in room.seen
    mine = [
        r for (pid, _), r in _stored(tmp_path, workshop.id).ratings.items() if pid == first["id"]
    ]
    assert len(mine) == len(workshop.scope) and all(r.evidence == "From my phone" for r in mine)


@pytest.mark.skipif(os.name == "nt", reason="Windows has no SIGTERM to send; Ctrl+Break instead")
def test_a_headless_room_stops_cleanly_when_asked_to_terminate(tmp_path: Path):
    workshop = _room_workshop(tmp_path)
    room = HeadlessRoom(tmp_path, workshop.id)
    try:
        _, joined = room.post("api/join", {"pin": room.pin})
        _, claimed = room.post(
            "api/claim", {"pin": room.pin, "participant_id": joined["people"][1]["id"]}
        )
        answers = {d: {"stage": NOT_SURE, "evidence": "Sent"} for d in workshop.scope}
        assert room.post("api/submit", {"answers": answers}, claimed["person"])[0] == 200
        room.process.send_signal(signal.SIGTERM)
        room.wait_for(lambda line: line == "Room closed.")
        code, err = room.finish()
    finally:
        room.kill()
    assert code == 0 and "Traceback" not in err
    assert len(_stored(tmp_path, workshop.id).ratings) == len(workshop.scope)
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", room.port), timeout=2).close()


def test_the_facilitator_runs_a_headless_room_by_typed_commands(tmp_path: Path):
    workshop = _room_workshop(tmp_path)
    room = HeadlessRoom(tmp_path, workshop.id)
    try:
        _, joined = room.post("api/join", {"pin": room.pin})
        person = joined["people"][0]
        assert room.post("api/claim", {"pin": room.pin, "participant_id": person["id"]})[0] == 200
        room.wait_for(lambda line: "1 of 3 joined" in line)
        room.type("who")
        room.wait_for(lambda line: person["name"] in line and "joined, rating" in line)
        room.type("free " + person["name"].split()[0].lower())
        room.wait_for(lambda line: line.startswith(person["name"] + " can be chosen again"))
        _, joined = room.post("api/join", {"pin": room.pin})
        assert person["name"] in [p["name"] for p in joined["people"]]
        for _ in range(8):  # this phone mistypes its PIN until it is locked out
            room.post("api/join", {"pin": "x"})
        assert room.post("api/join", {"pin": room.pin})[0] == 429
        room.wait_for(lambda line: "1 phone is locked out" in line and "let in" in line)
        room.type("let in")
        room.wait_for(lambda line: line.startswith("1 phone can try"))
        assert room.post("api/join", {"pin": room.pin})[0] == 200
        room.type("pin")
        new_pin = room.wait_for(lambda line: line.startswith("New PIN")).split()[2].rstrip(":")
        assert room.post("api/join", {"pin": room.pin})[0] == 403
        assert room.post("api/join", {"pin": new_pin})[0] == 200
        room.type("close rating")
        room.wait_for(lambda line: "Rating is closed" in line)
        room.type("nonsense")
        room.wait_for(lambda line: "is not a command here" in line)
        room.type("quit")
        room.wait_for(lambda line: line == "Room closed.")
        code, err = room.finish()
    finally:
        room.kill()
    assert code == 0 and "Traceback" not in err


def test_a_room_on_an_address_this_computer_does_not_have_says_so(tmp_path: Path):
    workshop = demo_workshop(participants=2)
    with Library.open(tmp_path) as library:
        library.add(workshop)
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "main.py"),
            "--data-dir",
            str(tmp_path),
            "room",
            workshop.id,
            "--bind",
            "192.0.2.1",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "cannot open the room on 192.0.2.1" in result.stderr
    assert "Traceback" not in result.stderr


def test_every_new_pin_the_room_takes_is_printed(tmp_path: Path):
    workshop = _room_workshop(tmp_path)
    room = HeadlessRoom(tmp_path, workshop.id)

    def wrong_pin(address: str) -> None:
        connection = http.client.HTTPConnection(
            "127.0.0.1", room.port, timeout=20, source_address=(address, 0)
        )
        connection.request(
            "POST",
            room.prefix + "api/join",
            json.dumps({"pin": "not a pin"}).encode(),
            {"Content-Type": "application/json"},
        )
        connection.getresponse().read()
        connection.close()

    try:
        pins = [room.pin]
        for batch in range(2):  # forty wrong tries from forty phones, twice
            threads = [
                threading.Thread(target=wrong_pin, args=(f"127.0.{10 + batch}.{n + 1}",))
                for n in range(40)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            line = room.wait_for(lambda line: re.fullmatch(r"PIN \d{6}", line) is not None)
            pins.append(line.split()[1])
        assert len(set(pins)) == 3
        assert any("joining is paused" in line for line in room.seen)
        room.type("quit")
        code, err = room.finish()
    finally:
        room.kill()
    assert code == 0 and "Traceback" not in err
