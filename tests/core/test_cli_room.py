"""The headless room: `main.py room` serves phones from a terminal, and stops on Ctrl+C."""

from __future__ import annotations

import dataclasses
import http.client
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

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


def test_a_headless_room_prints_its_address_and_pin_and_records_a_phone(tmp_path: Path):
    workshop = demo_workshop(participants=3)
    workshop = dataclasses.replace(workshop, ratings={})
    with Library.open(tmp_path) as library:
        library.add(workshop)
    process = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "main.py"),
            "--data-dir",
            str(tmp_path),
            "room",
            workshop.id,
            "--bind",
            "127.0.0.1",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        address = pin = None
        for line in process.stdout:
            if found := re.match(r"Room open at (http://127\.0\.0\.1:(\d+)(/r/\w+/))", line):
                address = found
            if found_pin := re.match(r"PIN (\d{6})", line):
                pin = found_pin.group(1)
            if line.startswith("Ctrl+C"):
                break
        assert address and pin
        port, prefix = int(address.group(2)), address.group(3)
        status, joined = _post(port, prefix + "api/join", {"pin": pin})
        assert status == 200 and len(joined["people"]) == 3
        first = joined["people"][0]
        status, claimed = _post(
            port, prefix + "api/claim", {"pin": pin, "participant_id": first["id"]}
        )
        assert status == 200
        answers = {d: {"stage": NOT_SURE, "evidence": "From my phone"} for d in workshop.scope}
        status, received = _post(
            port, prefix + "api/submit", {"answers": answers}, claimed["person"]
        )
        assert status == 200 and received["received"]
        for line in process.stdout:
            if "1 submitted" in line:
                break
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert "Room closed." in out
    with Library.open(tmp_path) as library:
        stored = library.load(workshop.id)
    mine = [r for (pid, _), r in stored.ratings.items() if pid == first["id"]]
    assert len(mine) == len(workshop.scope) and all(r.evidence == "From my phone" for r in mine)


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
