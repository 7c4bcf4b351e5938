"""A saved edit survives the process being killed at any moment.

A writer process saves edits in a loop and prints each edit's number after save_change returns.
This test kills it with SIGKILL at random moments (some during opening, backup and recovery),
again and again, then proves that every printed edit is in the library and that the file passes
PRAGMA integrity_check and foreign_key_check. SIGKILL tests crash safety of the process, not of
the machine: data the OS has accepted survives it even unsynced; power-loss safety rests on
synchronous=FULL.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from opassess.frameworks import Framework
from opassess.store import LIBRARY_FILE, Library
from opassess.workshop import add_participant, new_workshop

pytestmark = pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")

REPO = Path(__file__).resolve().parents[2]
WRITER = Path(__file__).with_name("durability_writer.py")


def evidence(number: int) -> str:
    """What durability_writer.py records as the evidence of edit `number`."""
    return f"{number} " + "x" * (number * 37 % 3000)


def start_writer(data_dir: Path, workshop_id: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, str(WRITER), str(data_dir), workshop_id],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
    )


def kill(writer: subprocess.Popen[bytes]) -> tuple[list[int], bytes]:
    """SIGKILL the writer; the edit numbers it printed (whole lines only) and its stderr."""
    writer.send_signal(signal.SIGKILL)
    assert writer.stdout is not None and writer.stderr is not None
    # Read through the same buffered objects that readline() used: it may already hold lines
    # (communicate() would read the pipes underneath and miss them).
    out = writer.stdout.read()
    err = writer.stderr.read()
    writer.wait(timeout=30)
    lines = out.split(b"\n")[:-1]  # the last piece is unterminated, or empty
    return [int(line) for line in lines if line.isdigit()], err


def test_every_printed_edit_survives_random_kills(tmp_path: Path, framework: Framework) -> None:
    seed = int(os.environ.get("OPASSESS_DURABILITY_SEED", time.time_ns() % 1_000_000))
    rng = random.Random(seed)
    data_dir = tmp_path / "library"
    workshop = new_workshop(framework, title="Durability")
    for n in range(8):
        workshop = add_participant(workshop, f"Participant {n}")
    keys = [(p.id, d) for p in workshop.participants for d in workshop.scope]
    with Library.open(data_dir) as library:
        library.add(workshop)

    printed: list[int] = []
    silent_runs = 0  # runs since the last printed number that printed none
    kills = rng.randint(15, 25)
    for round_number in range(kills):
        writer = start_writer(data_dir, workshop.id)
        assert writer.stdout is not None
        watchdog = threading.Timer(60, writer.kill)
        watchdog.start()
        try:
            if round_number % 4 == 3:
                # From the start: lands in interpreter start-up, opening, recovery or backup.
                time.sleep(rng.uniform(0.02, 0.3))
            else:
                first = writer.stdout.readline()
                assert first == b"open\n", (seed, first, writer.stderr.read() if first else b"")
                time.sleep(rng.uniform(0.02, 0.3))
            numbers, err = kill(writer)
        finally:
            watchdog.cancel()
        assert b"Traceback" not in err, (seed, err.decode(errors="replace"))
        if numbers:
            # Numbering resumes after the last saved edit: each run may save one edit and be
            # killed before printing it, a run that printed nothing too, so that many may sit
            # between; an earlier number means a lost edit.
            if printed:
                latest = printed[-1] + 2 + silent_runs
                assert printed[-1] + 1 <= numbers[0] <= latest, (seed, printed[-1])
            assert numbers == list(range(numbers[0], numbers[0] + len(numbers))), seed
            printed.extend(numbers)
            silent_runs = 0
        else:
            silent_runs += 1

    assert len(printed) > 100, (seed, len(printed))  # the writer really got to work
    with Library.open(data_dir) as library:
        stored = library.load(workshop.id)
    stages = framework.level_ids
    newest: dict[tuple[str, str], int] = {}
    for key, rating in stored.ratings.items():
        number = int(rating.evidence.split()[0])
        # Each rating is whole: the edit's own key, stage and evidence, byte for byte.
        assert keys[number % len(keys)] == key, (seed, number)
        assert rating.stage == stages[number % len(stages)], (seed, number)
        assert rating.evidence == evidence(number), (seed, number)
        newest[key] = number
    for number in printed:
        # The key holds this edit, or a later edit of the same key: never an older one, and
        # never one beyond those that may have been saved but not yet printed.
        latest = printed[-1] + 1 + silent_runs
        assert number <= newest.get(keys[number % len(keys)], -1) <= latest, (seed, number)

    conn = sqlite3.connect(str(data_dir / LIBRARY_FILE))
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], seed
        # Every workshop names a stored framework copy, and the one copy is shared, not repeated.
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == [], seed
        assert conn.execute("SELECT count(*) FROM frameworks").fetchone() == (1,), seed
    finally:
        conn.close()
