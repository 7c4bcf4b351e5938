"""How fast the room stores 40 phones submitting at once, and whether the window stays responsive.

Run: .venv/bin/python bench/bench_room.py [--phones 40] [--rounds 5] [--load-rounds 3]
                                          [--seconds 3] [--backlog N]

Set up as the app does, offscreen: a library in a temporary folder, a WorkshopController over an
EditSession, a RoomController open on 127.0.0.1, the Qt event loop running on the main thread.
Each round is a fresh workshop (the default framework's six barriers, `--phones` participants):
one thread per phone joins and claims its name (not timed, a few phones at a time), then all wait
on a barrier and submit at once, each on its own http.client connection. Timed: from the
barrier's release to the last response received, which the room sends once the submission is
committed; afterwards the library, read afresh, must hold every rating with the stage and
evidence that were sent. A connection the kernel resets (more phones at once than the server's
listen backlog holds) is sent again at once and counted.

The baseline, in the same run and taking turns with ours: a bare ThreadingHTTPServer on loopback,
with the room's listen backlog, whose POST handler reads and parses the JSON body and hands it
through a queue.Queue to the main thread, which writes the six ratings into a bare sqlite3 table
(WAL, synchronous=FULL, one transaction per submission, the library's upsert) and lets the
handler answer 200; the same phone threads, the same barrier. Prints the median of the rounds,
their range, the resets and the ratio.

Then the window's responsiveness, with a wall chart of the last workshop shown: how late a 5 ms
single-shot precise QTimer fires (re-armed each time it fires), and how long a fixed piece of
GUI work takes (five repaints of the chart, the event loop turning between two pieces). Measured
with the room closed and open and idle (taking turns, `--seconds` each in all), then while the
phones' submissions arrive (`--load-rounds` rounds for the timer and as many for the repaints,
from release to the last response). Prints the lateness (median, 95th percentile, worst), the
repaint time, and the ratios to the room closed.

`--backlog N` gives the room's server (and so the baseline's) a listen backlog of N instead of
the room's 64: what another accept queue would change (5 is the standard library's default).
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

from bench_wallchart import refuse_faulty_pyside
from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication

from opassess.frameworks import NOT_SURE, default_framework
from opassess.room_server import RoomServer
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
REPAINTS = 5  # the fixed piece of GUI work: repaint the chart this many times
CHUNKS = 5  # pieces of GUI work timed in each turn of closed and open-idle
SEGMENTS = 6  # closed and open-idle take turns this many times each
# People join over a minute or two, not in the same instant: fewer at once than the listen
# backlog, so the untimed joining does not wait on the kernel.
JOINING_AT_ONCE = 4


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

    When more connections arrive at once than the server's listen backlog holds, the kernel
    drops some (the client's kernel tries again after 1 s, then 2 s more) and resets others
    before any request is read. A reset one is sent again at once, as a person would tap Submit
    again but sooner; nothing of it was stored, and sending the same answers twice is harmless."""
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


def start_wave(phones: int, prepare: Callable[[int], Submit], all_done: Callable[[], None]) -> Wave:
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
    stored: bool  # every rating in the library, read afresh, as it was sent


def our_round(
    library: Library,
    phones: int,
    round_number: int,
    rng: random.Random,
    during: Callable[[], None] | None = None,
) -> tuple[OurRound, Workshop]:
    """One wave against the real room. The GUI thread runs the Qt event loop until the last
    response; or, given `during`, calls it and lets the loop turn once, in turn, from release."""
    workshop = fresh_workshop(phones, round_number)
    library.add(workshop)
    controller = WorkshopController(EditSession.open(library, workshop.id))
    rooms = RoomController(controller)
    rooms.open("127.0.0.1")
    sent = answers_for(workshop, rng)
    joining = threading.Semaphore(JOINING_AT_ONCE)
    try:
        assert rooms.server is not None and rooms.room is not None
        port, pin = rooms.server.port, rooms.room.pin
        prefix = f"/r/{rooms.room.token}/api/"
        pin_body = json.dumps({"pin": pin}).encode()

        def prepare(index: int) -> Submit:
            participant = workshop.participants[index]
            with joining:
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
        guard = QTimer()  # never hang on a lost phone
        guard.setSingleShot(True)
        guard.timeout.connect(loop.quit)
        if during is None:
            finished.done.connect(loop.quit, Qt.ConnectionType.QueuedConnection)
        guard.start(int(TIMEOUT_S * 2000))
        wave = start_wave(phones, prepare, finished.done.emit)
        if during is None:
            loop.exec()
        else:
            while len(wave.statuses) < phones and guard.isActive():
                if wave.released:
                    during()
                else:
                    time.sleep(0.001)  # joining needs nothing of the GUI thread
                QApplication.processEvents()
        guard.stop()
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


def bare_round(
    conn: sqlite3.Connection, server: BareServer, phones: int, rng: random.Random
) -> Wave:
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
    """A 5 ms timer on the GUI thread and how late it fires. Single-shot, re-armed each time it
    fires, so a late tick does not make the next one look early or late."""

    def __init__(self) -> None:
        super().__init__()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.late: list[tuple[float, float]] = []  # (when it was due, seconds late)
        self._due = 0.0

    def start(self) -> None:
        self._arm()

    def stop(self) -> None:
        self.timer.stop()

    def _arm(self) -> None:
        self.timer.start()
        self._due = time.perf_counter() + TICK_MS / 1000

    def _tick(self) -> None:
        self.late.append((self._due, time.perf_counter() - self._due))
        self._arm()


@dataclass
class Responsiveness:
    late: list[float] = field(default_factory=list)  # seconds, timer ticks
    work: list[float] = field(default_factory=list)  # seconds, pieces of GUI work

    def take_ticks(self, probe: Probe, start: float, end: float) -> None:
        """The ticks that fell due between `start` and `end`, however late they fired."""
        self.late += [late for due, late in probe.late if start <= due <= end]


def gui_work(chart: WallChart) -> Callable[[], float]:
    """The fixed piece of GUI work: repaint the chart REPAINTS times; returns seconds taken."""

    def work() -> float:
        started = time.perf_counter()
        for _ in range(REPAINTS):
            chart.repaint()
        return time.perf_counter() - started

    return work


def run_loop_for(seconds: float) -> None:
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def timed_work(work: Callable[[], float], chunks: int) -> list[float]:
    """`chunks` pieces of work, the event loop turning once between two."""
    taken = []
    for _ in range(chunks):
        taken.append(work())
        QApplication.processEvents()
    return taken


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20, method="inclusive")[-1] if len(samples) > 1 else 0


# -- the run ------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--load-rounds", type=int, default=3, help="rounds under the probes")
    parser.add_argument("--seconds", type=float, default=3.0, help="timer probe, closed and idle")
    parser.add_argument(
        "--backlog",
        type=int,
        help="listen backlog of both servers (default: the room's)",
    )
    args = parser.parse_args()
    if args.backlog:  # what-if: a longer accept queue for the room
        RoomServer.request_queue_size = args.backlog
    BareServer.request_queue_size = RoomServer.request_queue_size  # the same queue for both

    app = QApplication.instance() or QApplication(sys.argv[:1])
    if refuse_faulty_pyside():
        return 2
    import PySide6  # for the version in the heading

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
            under_load: list[OurRound] = []
            for number in range(1, args.rounds + 1):  # taking turns: a busy moment hits both
                done, last = our_round(library, args.phones, number, rng)
                ours.append(done)
                bare.append(bare_round(bare_conn, bare_server, args.phones, rng))

            # The window: a wall chart of the last workshop, every rating shown.
            chart = WallChart()
            chart.resize(1280, 800)
            chart.set_revealed(True)
            chart.set_workshop(last)
            chart.show()
            app.processEvents()
            work = gui_work(chart)
            probe = Probe()
            closed, idle, busy = Responsiveness(), Responsiveness(), Responsiveness()
            rooms = RoomController(WorkshopController(EditSession.open(library, last.id)))
            segment = args.seconds / SEGMENTS
            try:
                for _ in range(SEGMENTS):  # taking turns, as above
                    for state, room_open in ((closed, False), (idle, True)):
                        if room_open:
                            rooms.open("127.0.0.1")
                            run_loop_for(0.1)  # the server's thread settled into its wait
                        probe.start()
                        start = time.perf_counter()
                        run_loop_for(segment)
                        probe.stop()
                        state.take_ticks(probe, start, time.perf_counter())
                        state.work += timed_work(work, CHUNKS)
                        rooms.close()
                for number in range(1, args.load_rounds + 1):
                    probe.start()
                    timed, _ = our_round(library, args.phones, 100 + number, rng)
                    probe.stop()
                    busy.take_ticks(probe, timed.wave.released, max(timed.wave.finished))
                    worked, _ = our_round(
                        library,
                        args.phones,
                        200 + number,
                        rng,
                        during=lambda: busy.work.append(work()),
                    )
                    under_load += [timed, worked]
            finally:
                probe.stop()
                rooms.close()
                chart.close()
        finally:
            bare_server.shutdown()
            bare_server.server_close()
            bare_conn.close()
            library.close()

    ours_ms = [r.wave.seconds * 1000 for r in ours]
    bare_ms = [w.seconds * 1000 for w in bare]
    stored = all(r.stored for r in [*ours, *under_load])
    submissions = args.phones * args.rounds
    print(
        f"room: {args.phones} phones x 6 barriers over loopback, {args.rounds} rounds, "
        f"listen backlog {RoomServer.request_queue_size}; {os.cpu_count()} cores, "
        f"PySide6 {PySide6.__version__}, Python {sys.version.split()[0]}, "
        f"SQLite {sqlite3.sqlite_version}"
    )
    print()
    print(f"{args.phones} phones submitting at once: release to last stored")
    print(f"  {'':36}{'median ms':>10}{'range ms':>12}{'resets':>11}")
    rows = [
        ("ours: room, GUI thread, library", ours_ms, sum(r.wave.resets for r in ours)),
        ("bare: http.server, queue, sqlite3", bare_ms, sum(w.resets for w in bare)),
    ]
    for label, times, resets in rows:
        span = f"{min(times):.0f}–{max(times):.0f}"
        print(f"  {label:36}{statistics.median(times):10.1f}{span:>12}{resets:>7}/{submissions}")
    ratio = statistics.median(ours_ms) / statistics.median(bare_ms)
    print(f"  {'ours/bare':36}{ratio:9.1f}x")
    print(f"  every submission stored: {'yes' if stored else 'no'}")
    print()
    print(
        f"GUI thread: a {TICK_MS} ms timer, and {REPAINTS} repaints of the chart; "
        f"submitting over {args.load_rounds} rounds each"
    )
    print(f"  {'':36}{'late median':>12}{'p95':>9}{'worst':>9}{'ticks':>7}{'repaints':>10}")
    states = [
        ("room closed", closed),
        ("room open, idle", idle),
        (f"room open, {args.phones} phones submitting", busy),
    ]
    for label, seen in states:
        print(
            f"  {label:36}{statistics.median(seen.late) * 1000:9.2f} ms"
            f"{p95(seen.late) * 1000:9.2f}{max(seen.late) * 1000:9.2f}{len(seen.late):7}"
            f"{statistics.median(seen.work) * 1000:7.1f} ms"
        )
    for short, seen in (("open-idle/closed", idle), ("submitting/closed", busy)):
        print(
            f"  {short:36}"
            f"{statistics.median(seen.late) / statistics.median(closed.late):11.1f}x"
            f"{p95(seen.late) / p95(closed.late):8.1f}x"
            f"{'':16}"
            f"{statistics.median(seen.work) / statistics.median(closed.work):9.1f}x"
        )
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
