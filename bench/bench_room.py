"""How fast the room stores 40 phones submitting at once, and whether the window stays responsive.

Run: .venv/bin/python bench/bench_room.py [--phones 40] [--rounds 5] [--seconds 3]

Set up as the app does, offscreen: a library in a temporary folder, a WorkshopController over an
EditSession, a RoomController open on 127.0.0.1, the Qt event loop running on the main thread.
Each round is a fresh workshop (the default framework's six barriers, `--phones` participants):
one thread per phone joins and claims its name (not timed), then all wait on a barrier and
submit at once, each on its own http.client connection. Timed: from the barrier's release to the
last response received, which the room sends once the submission is committed; afterwards the
library, read afresh, must hold every rating with the stage that was sent.

The baseline, in the same run and taking turns with ours: a bare ThreadingHTTPServer on loopback
whose POST handler reads and parses the JSON body and hands it through a queue.Queue to the main
thread, which inserts the six ratings into a bare sqlite3 table (WAL, synchronous=FULL, one
transaction per submission, as the library writes) and lets the handler answer 200; the same
phone threads, the same barrier. Prints the median of the rounds, their range and the ratio.

Then the window's responsiveness: a wall chart of the last workshop is shown, and a 5 ms
single-shot precise QTimer, re-armed each time it fires, records how late it fires; every tenth
time it also repaints the chart twice (a fixed piece of GUI work) and records how long that took.
Measured with the room closed and open and idle (taking turns, `--seconds` each in all), then
while the phones' submissions arrive (another `--rounds` rounds, samples from release to the last
response). Prints median and 95th percentile lateness, the repaint time, and the ratios to closed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import random
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_wallchart import none_reference_bug
from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication

from opassess.frameworks import NOT_SURE, default_framework
from opassess.room import RoomServer
from opassess.session import EditSession
from opassess.store import Library
from opassess.workshop import Workshop, add_participants, new_workshop
from ui.controller import WorkshopController
from ui.room import RoomController
from ui.wallchart import WallChart

FIRST = ["Priya", "Tomás", "Siân", "Alex", "Jordan", "Mei", "Kwame", "Ana", "Ravi", "Ingrid"]
LAST = ["Shah", "Ó Briain", "ap Rhys", "Morgan", "Lee", "Chen", "Mensah", "Silva", "Patel"]
EVIDENCE = "Seen at the last two planning meetings; the board still shows it."
TIMEOUT_S = 60.0
MAX_RESENDS = 50
TICK_MS = 5
WORK_EVERY = 10  # ticks between two pieces of GUI work
REPAINTS = 2  # the piece of GUI work: repaint the chart this many times
SEGMENTS = 3  # closed and open-idle take turns this many times each


# -- the phones -------------------------------------------------------------------------------


@dataclass
class Wave:
    """One round: every phone's submission, released at once."""

    phones: int
    released: float = 0.0
    finished: list[float] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    resets: int = 0  # submissions whose connection was reset, and sent again
    threads: list[threading.Thread] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return max(self.finished) - self.released

    @property
    def all_ok(self) -> bool:
        return len(self.statuses) == self.phones and all(s == 200 for s in self.statuses)

    def join(self) -> None:
        for thread in self.threads:
            thread.join(TIMEOUT_S)


def post(
    port: int, path: str, body: bytes, headers: dict[str, str] | None = None
) -> tuple[int, Any, int]:
    """One request on its own connection (both servers speak HTTP/1.0 and close after it):
    (status, parsed answer, times the connection was reset and the request sent again).

    Sent again at once, as a person would tap Submit again but sooner: when more connections
    arrive at once than the server's listen backlog holds, the kernel resets some of them before
    any request is read, so nothing was stored and sending again is safe."""
    resets = 0
    while True:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_S)
        try:
            connection.request(
                "POST", path, body, {"Content-Type": "application/json", **(headers or {})}
            )
            response = connection.getresponse()
            return response.status, json.loads(response.read() or b"null"), resets
        except (ConnectionResetError, ConnectionRefusedError, BrokenPipeError):
            resets += 1
            if resets > MAX_RESENDS:
                raise
        finally:
            connection.close()


Submit = Callable[[], tuple[int, Any, int]]


def start_wave(
    phones: int, prepare: Callable[[int], Submit], all_done: Callable[[], None]
) -> Wave:
    """Start one thread per phone: `prepare(i)` (untimed) gives its submit, sent on release."""
    wave = Wave(phones)
    lock = threading.Lock()

    def release() -> None:
        wave.released = time.perf_counter()

    barrier = threading.Barrier(phones, action=release)

    def phone(index: int) -> None:
        try:
            submit = prepare(index)
            barrier.wait(TIMEOUT_S)
            status, _, resets = submit()
        except Exception as exc:  # reported as a failed submission rather than a hung bench
            barrier.abort()
            print(f"phone {index}: {exc!r}", file=sys.stderr)
            status, resets = 0, 0
        finished = time.perf_counter()
        with lock:
            wave.finished.append(finished)
            wave.statuses.append(status)
            wave.resets += resets
            last = len(wave.statuses) == phones
        if last:
            all_done()

    wave.threads = [threading.Thread(target=phone, args=(i,), daemon=True) for i in range(phones)]
    for thread in wave.threads:
        thread.start()
    return wave


def answers_for(workshop: Workshop, rng: random.Random) -> dict[str, list[tuple[str, str]]]:
    """What each participant will send: (stage, evidence) per barrier in scope, drawn at random."""
    stages = [*workshop.framework.level_ids, NOT_SURE]
    return {
        p.id: [(rng.choice(stages), f"{EVIDENCE} ({p.name})") for _ in workshop.scope]
        for p in workshop.participants
    }


def submission(workshop: Workshop, sent: list[tuple[str, str]]) -> bytes:
    answers = {
        barrier: {"stage": stage, "evidence": evidence}
        for barrier, (stage, evidence) in zip(workshop.scope, sent, strict=True)
    }
    return json.dumps({"answers": answers}).encode()


def fresh_workshop(phones: int, round_number: int) -> Workshop:
    names = [f"{FIRST[i % len(FIRST)]} {LAST[i // len(FIRST) % len(LAST)]}" for i in range(phones)]
    names = [name if i < len(FIRST) * len(LAST) else f"{name} {i}" for i, name in enumerate(names)]
    workshop = new_workshop(default_framework(), title=f"Room bench, round {round_number}")
    return add_participants(workshop, [(name, "") for name in names])


# -- ours: the room on the GUI thread -----------------------------------------------------------


class Finished(QObject):
    """Tells the GUI thread's event loop, from a phone's thread, that the wave is over."""

    done = Signal()


@dataclass
class OurRound:
    wave: Wave
    stored: bool  # every rating in the library, read afresh, with the stage sent


def our_round(
    library: Library, phones: int, round_number: int, rng: random.Random
) -> tuple[OurRound, Workshop]:
    """One wave against the real room, the Qt event loop running until the last response."""
    workshop = fresh_workshop(phones, round_number)
    library.add(workshop)
    controller = WorkshopController(EditSession.open(library, workshop.id))
    rooms = RoomController(controller)
    rooms.open("127.0.0.1")
    sent = answers_for(workshop, rng)
    try:
        assert rooms.server is not None and rooms.room is not None
        port, pin = rooms.server.port, rooms.room.pin
        prefix = f"/r/{rooms.room.token}/api/"
        pin_body = json.dumps({"pin": pin}).encode()

        def prepare(index: int) -> Submit:
            participant = workshop.participants[index]
            status, joined, _ = post(port, prefix + "join", pin_body)
            if status != 200 or participant.id not in {p["id"] for p in joined["people"]}:
                raise RuntimeError(f"join answered {status}")
            claim = json.dumps({"pin": pin, "participant_id": participant.id}).encode()
            status, claimed, _ = post(port, prefix + "claim", claim)
            if status != 200:
                raise RuntimeError(f"claim answered {status}")
            body = submission(workshop, sent[participant.id])
            person = {"X-Person": claimed["person"]}
            return lambda: post(port, prefix + "submit", body, person)

        finished = Finished()
        loop = QEventLoop()
        finished.done.connect(loop.quit, Qt.ConnectionType.QueuedConnection)
        QTimer.singleShot(int(TIMEOUT_S * 2000), loop.quit)  # never hang on a lost phone
        wave = start_wave(phones, prepare, finished.done.emit)
        loop.exec()
        wave.join()
    finally:
        rooms.close()
    stored = library.load(workshop.id)
    expected = {
        (pid, barrier): answer
        for pid, answers in sent.items()
        for barrier, answer in zip(workshop.scope, answers, strict=True)
    }
    found = {key: (r.stage, r.evidence) for key, r in stored.ratings.items()}
    return OurRound(wave, wave.all_ok and found == expected), stored


# -- bare: http.server, a queue and sqlite3 ------------------------------------------------------

BARE_TABLE = """
CREATE TABLE IF NOT EXISTS ratings (
    seq INTEGER PRIMARY KEY,
    workshop_id TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    dimension_id TEXT NOT NULL,
    stage TEXT NOT NULL,
    evidence TEXT NOT NULL,
    UNIQUE (workshop_id, participant_id, dimension_id)
)"""
BARE_INSERT = (
    "INSERT INTO ratings (workshop_id, participant_id, dimension_id, stage, evidence) "
    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (workshop_id, participant_id, dimension_id) "
    "DO UPDATE SET stage = excluded.stage, evidence = excluded.evidence"
)

BareJob = tuple[str, Any, threading.Event]  # (participant id, parsed body, answered)


class BareServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        self.jobs: queue.Queue[BareJob] = queue.Queue()
        super().__init__(("127.0.0.1", 0), BareHandler)


class BareHandler(BaseHTTPRequestHandler):
    server: BareServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        stored = threading.Event()
        self.server.jobs.put((self.headers["X-Person"], body, stored))
        stored.wait(TIMEOUT_S)
        payload = b'{"received": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


def bare_round(conn: sqlite3.Connection, server: BareServer, phones: int, rng: random.Random) -> Wave:
    """The same wave against the bare server; the main thread writes each submission."""
    workshop = fresh_workshop(phones, 0)
    sent = answers_for(workshop, rng)
    port = server.server_address[1]

    def prepare(index: int) -> Submit:
        participant = workshop.participants[index]
        body = submission(workshop, sent[participant.id])
        person = {"X-Person": participant.id}
        return lambda: post(port, "/submit", body, person)

    over = threading.Event()
    wave = start_wave(phones, prepare, over.set)
    deadline = time.monotonic() + TIMEOUT_S * 2
    while not over.is_set() and time.monotonic() < deadline:
        try:
            person, body, stored = server.jobs.get(timeout=0.01)
        except queue.Empty:
            continue
        rows = [
            (workshop.id, person, barrier, answer["stage"], answer["evidence"])
            for barrier, answer in body["answers"].items()
        ]
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(BARE_INSERT, rows)
        conn.execute("COMMIT")
        stored.set()
    wave.join()
    (count,) = conn.execute(
        "SELECT count(*) FROM ratings WHERE workshop_id = ?", (workshop.id,)
    ).fetchone()
    if not wave.all_ok or count != phones * len(workshop.scope):
        raise SystemExit(f"the bare baseline stored {count} ratings: something is wrong")
    return wave


# -- the window's responsiveness -----------------------------------------------------------------


class Probe(QObject):
    """A 5 ms timer on the GUI thread: how late it fires, and now and then a fixed piece of GUI
    work timed. Single-shot and re-armed after each tick, so neither the work nor an earlier
    late tick counts in the next tick's lateness."""

    def __init__(self, widget: WallChart) -> None:
        super().__init__()
        self.widget = widget
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.late: list[tuple[float, float]] = []  # (when it fired, seconds late)
        self.work: list[tuple[float, float]] = []  # (when it started, seconds taken)
        self._due = 0.0
        self._ticks = 0

    def start(self) -> None:
        self._arm()

    def stop(self) -> None:
        self.timer.stop()

    def _arm(self) -> None:
        self.timer.start()
        self._due = time.perf_counter() + TICK_MS / 1000

    def _tick(self) -> None:
        now = time.perf_counter()
        self.late.append((now, now - self._due))
        self._ticks += 1
        if self._ticks % WORK_EVERY == 0:
            started = time.perf_counter()
            for _ in range(REPAINTS):
                self.widget.repaint()
            self.work.append((started, time.perf_counter() - started))
        self._arm()


@dataclass
class Responsiveness:
    late: list[float] = field(default_factory=list)
    work: list[float] = field(default_factory=list)

    def take(self, probe: Probe, start: float, end: float) -> None:
        self.late += [late for at, late in probe.late if start <= at <= end]
        self.work += [took for at, took in probe.work if start <= at <= end]


def run_loop_for(seconds: float) -> None:
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20, method="inclusive")[-1] if len(samples) > 1 else 0


# -- the run ------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=3.0, help="timer probe, closed and idle")
    parser.add_argument(
        "--backlog",
        type=int,
        help="listen backlog of both servers (default: the standard library's, as the room has)",
    )
    args = parser.parse_args()
    if args.backlog:  # what-if: a longer accept queue for the room and the baseline alike
        RoomServer.request_queue_size = BareServer.request_queue_size = args.backlog

    app = QApplication.instance() or QApplication(sys.argv[:1])
    import PySide6

    if none_reference_bug():
        print(
            f"PySide6 {PySide6.__version__} on Python {sys.version.split()[0]} loses a "
            "reference to None on every call that returns nothing, so this run would abort. "
            "Use a PySide6 release without that fault (6.11.3 works).",
            file=sys.stderr,
        )
        return 2

    rng = random.Random(2002)
    with tempfile.TemporaryDirectory() as folder:
        library = Library.open(Path(folder) / "library")
        bare_conn = sqlite3.connect(str(Path(folder) / "bare.db"), isolation_level=None)
        bare_conn.execute("PRAGMA journal_mode = WAL")
        bare_conn.execute("PRAGMA synchronous = FULL")
        bare_conn.execute(BARE_TABLE)
        bare_server = BareServer()
        threading.Thread(target=bare_server.serve_forever, daemon=True).start()
        try:
            # One round each first: imports, the submission schema, SQLite's caches.
            _, last = our_round(library, args.phones, 0, rng)
            bare_round(bare_conn, bare_server, args.phones, rng)
            ours: list[OurRound] = []
            bare: list[Wave] = []
            for number in range(1, args.rounds + 1):  # taking turns: a busy moment hits both
                done, last = our_round(library, args.phones, number, rng)
                ours.append(done)
                bare.append(bare_round(bare_conn, bare_server, args.phones, rng))

            chart = WallChart()
            chart.resize(1280, 800)
            chart.set_revealed(True)
            chart.set_workshop(last)
            chart.show()
            app.processEvents()
            probe = Probe(chart)
            closed, idle, busy = Responsiveness(), Responsiveness(), Responsiveness()
            rooms = RoomController(WorkshopController(EditSession.open(library, last.id)))
            segment = args.seconds / SEGMENTS
            probe.start()
            try:
                for _ in range(SEGMENTS):
                    start = time.perf_counter()
                    run_loop_for(segment)
                    closed.take(probe, start, time.perf_counter())
                    rooms.open("127.0.0.1")
                    run_loop_for(0.1)  # the server thread settled into its wait
                    start = time.perf_counter()
                    run_loop_for(segment)
                    idle.take(probe, start, time.perf_counter())
                    rooms.close()
                under_load: list[OurRound] = []
                for number in range(1, args.rounds + 1):
                    done, _ = our_round(library, args.phones, 100 + number, rng)
                    under_load.append(done)
                    busy.take(probe, done.wave.released, max(done.wave.finished))
            finally:
                probe.stop()
                rooms.close()
        finally:
            bare_server.shutdown()
            bare_server.server_close()
            bare_conn.close()
            library.close()

    ours_s = [r.wave.seconds * 1000 for r in ours]
    bare_s = [w.seconds * 1000 for w in bare]
    loaded_s = [r.wave.seconds * 1000 for r in under_load]
    stored = all(r.stored for r in [*ours, *under_load])
    print(
        f"room: {args.phones} phones x 6 barriers over loopback, {args.rounds} rounds; "
        f"{os.cpu_count()} cores, PySide6 {PySide6.__version__}, "
        f"Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}"
    )
    print()
    print(f"{args.phones} phones submitting at once, release to last stored    median ms   range ms")
    rows = [
        ("ours: room, GUI thread, library", ours_s),
        ("bare: http.server, queue, sqlite3", bare_s),
    ]
    for label, times in rows:
        span = f"{min(times):.0f}–{max(times):.0f}"
        print(f"  {label:58}{statistics.median(times):9.1f}{span:>11}")
    ratio = statistics.median(ours_s) / statistics.median(bare_s)
    print(f"  {'ours/bare':58}{ratio:8.1f}x")
    print(f"  every submission stored: {'yes' if stored else 'no'}")
    print()
    print(
        f"GUI thread, {TICK_MS} ms timer           late median ms  late p95 ms  "
        f"{REPAINTS} repaints ms  samples"
    )
    states = [
        ("room closed", closed),
        ("room open, idle", idle),
        (f"room open, {args.phones} phones submitting", busy),
    ]
    for label, seen in states:
        print(
            f"  {label:36}{statistics.median(seen.late) * 1000:10.2f}{p95(seen.late) * 1000:13.2f}"
            f"{statistics.median(seen.work) * 1000:14.2f}{len(seen.late):9}"
        )
    for label, seen in states[1:]:
        short = "open-idle/closed" if seen is idle else "submitting/closed"
        print(
            f"  {short:36}"
            f"{statistics.median(seen.late) / statistics.median(closed.late):9.1f}x"
            f"{p95(seen.late) / p95(closed.late):12.1f}x"
            f"{statistics.median(seen.work) / statistics.median(closed.work):13.1f}x"
        )
    print(
        f"  (with the timer and repaints running, the {args.phones} submissions took "
        f"{statistics.median(loaded_s):.0f} ms, median of {args.rounds})"
    )
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
