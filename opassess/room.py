"""Room voting: everyone rates at once from their own phone, over the laptop's own network.

A `Room` is the state of one open room: its address token, its join PIN, who has claimed which
name (or one-person code), who has submitted and whether rating is still open. It decides every
request on the core's rules and never shows one person's ratings to another. The HTTP side
(`RoomServer`) is the standard library's ThreadingHTTPServer: a room serves a dozen or so phones
for an hour, needs no framework, and nothing has to be installed or fetched to run it.

Submissions are recorded through the host's `record` callback with `record_ratings`, the same
core edit as private rating, so undo, the library's durability and the wall chart behave as
they always do. The callback may run the edit on another thread (the GUI's) and waits for it.

The room's rules and its HTTP handler stay in one module (past 600 lines): every request is
decided by the room, and reading the two side by side is how the security rules are checked.
"""

from __future__ import annotations

import json
import queue
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar, cast

from opassess.frameworks import NOT_SURE, Terms
from opassess.palette import NOT_SURE_COLOUR
from opassess.paths import resources_dir
from opassess.validation import schema_problems
from opassess.wording import NOT_SURE_LABEL, article, format_date
from opassess.workshop import Workshop, WorkshopError, record_ratings, shows_names

MAX_BODY_BYTES = 64 * 1024
PIN_DIGITS = 6
# A room token is short enough to type from the projector: 8 characters of an alphabet with no
# look-alikes (about 40 bits), and the PIN and the wrong-PIN limit stand behind it.
TOKEN_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
TOKEN_LENGTH = 8
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 5
# Wrong PINs from one phone: each waits a little longer, and past the limit that phone is refused.
WRONG_PIN_LIMIT = 8
WRONG_PIN_DELAY_S = 0.25
REQUEST_TIMEOUT_S = 15
_ASSETS = {
    "": ("phone.html", "text/html; charset=utf-8"),
    "phone.js": ("phone.js", "text/javascript; charset=utf-8"),
    "phone.css": ("phone.css", "text/css; charset=utf-8"),
}
_SECURITY_HEADERS = (
    ("Cache-Control", "no-store"),
    ("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; base-uri 'none'"),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
)

T = TypeVar("T")
Answers = tuple[tuple[str, str, str], ...]  # (barrier id, stage or NOT_SURE, evidence)
Recorder = Callable[[str, Answers], None]  # (participant id, answers); raises WorkshopError


class RoomRefusal(Exception):
    """A request the room turns down, with the HTTP status and a message for the phone."""

    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _random(alphabet: str, length: int) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


def page_words(terms: Terms) -> dict[str, str]:
    """The framework's words the phone page builds its sentences from ("Area 2 of 5")."""
    return {
        "dimension_word": terms.dimension,
        "dimensions_word": terms.dimensions,
        "level_word": terms.level,
        "levels_word": terms.levels,
    }


def time_words(moment: datetime) -> str:
    """'5 December 2026, 14:03': when a submission was received, as the phone shows it."""
    return f"{format_date(moment.date())}, {moment:%H:%M}"


@dataclass
class Progress:
    """What the desktop may show of one person: joined and submitted, never what they chose."""

    participant_id: str
    name: str
    joined: bool
    submitted: bool


@dataclass
class Room:
    """One open room for one workshop. Thread-safe: every request handler thread calls in."""

    current_workshop: Callable[[], Workshop]
    record: Recorder
    token: str = field(default_factory=lambda: _random(TOKEN_ALPHABET, TOKEN_LENGTH))
    pin: str = field(
        default_factory=lambda: "".join(secrets.choice("0123456789") for _ in range(PIN_DIGITS))
    )
    on_progress: Callable[[], None] | None = None
    rating_open: bool = True
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _people: dict[str, str] = field(default_factory=dict, repr=False)  # person token -> participant
    _claimed: dict[str, str] = field(
        default_factory=dict, repr=False
    )  # participant -> person token
    _submitted: dict[str, datetime] = field(default_factory=dict, repr=False)
    _codes: dict[str, str] = field(
        default_factory=dict, repr=False
    )  # one-person code -> participant
    _wrong_pins: dict[str, int] = field(default_factory=dict, repr=False)  # client -> count

    def __post_init__(self) -> None:
        self.refresh_codes()

    # -- the facilitator's side ------------------------------------------------------------------

    @property
    def anonymous(self) -> bool:
        return not shows_names(self.current_workshop())

    def refresh_codes(self) -> None:
        """Give every participant without one a one-person code (for an anonymous workshop)."""
        with self._lock:
            have = set(self._codes.values())
            taken = set(self._codes)
            for participant in self.current_workshop().participants:
                if participant.id in have:
                    continue
                code = _random(CODE_ALPHABET, CODE_LENGTH)
                while code in taken:
                    code = _random(CODE_ALPHABET, CODE_LENGTH)
                taken.add(code)
                self._codes[code] = participant.id

    def codes(self) -> list[str]:
        """The one-person codes to hand out, one per participant, in no telling order."""
        with self._lock:
            return sorted(self._codes)

    def progress(self) -> list[Progress]:
        workshop = self.current_workshop()
        with self._lock:
            return [
                Progress(p.id, p.name, p.id in self._claimed, p.id in self._submitted)
                for p in workshop.participants
            ]

    def close_rating(self) -> None:
        """No more submissions: the team is about to see the ratings."""
        self.rating_open = False
        self._changed()

    def reopen_rating(self) -> None:
        self.rating_open = True
        self._changed()

    def _changed(self) -> None:
        if self.on_progress is not None:
            self.on_progress()

    # -- what a phone may ask ----------------------------------------------------------------------

    def check_pin(self, pin: object, client: str) -> None:
        """Refuse a wrong PIN, slower each time, and past the limit refuse that phone outright."""
        with self._lock:
            wrong = self._wrong_pins.get(client, 0)
        if wrong >= WRONG_PIN_LIMIT:
            raise RoomRefusal(
                HTTPStatus.TOO_MANY_REQUESTS,
                "Too many wrong PINs from this phone: ask the facilitator to let you in.",
            )
        if isinstance(pin, str) and secrets.compare_digest(pin.strip().encode(), self.pin.encode()):
            return
        with self._lock:
            self._wrong_pins[client] = wrong + 1
        time.sleep(WRONG_PIN_DELAY_S * (wrong + 1))
        raise RoomRefusal(HTTPStatus.FORBIDDEN, "That PIN is not right: check it on the screen.")

    def join(self, body: dict[str, Any], client: str) -> dict[str, Any]:
        self.check_pin(body.get("pin"), client)
        workshop = self.current_workshop()
        with self._lock:
            free = [
                {"id": p.id, "name": p.name}
                for p in workshop.participants
                if p.id not in self._claimed
            ]
        anonymous = self.anonymous
        return {
            "workshop": workshop.title,
            "anonymous": anonymous,
            **page_words(workshop.framework.terms),
            "people": [] if anonymous else free,
        }

    def claim(self, body: dict[str, Any], client: str) -> dict[str, Any]:
        self.check_pin(body.get("pin"), client)
        workshop = self.current_workshop()
        if self.anonymous:
            code = body.get("code")
            if not isinstance(code, str):
                raise RoomRefusal(HTTPStatus.BAD_REQUEST, "Type the code the facilitator gave you.")
            with self._lock:
                participant_id = self._codes.get(code.strip().upper())
            if participant_id is None:
                raise RoomRefusal(HTTPStatus.FORBIDDEN, "That code is not one of this room's.")
            shown_name = ""
        else:
            participant_id = body.get("participant_id")
            if not isinstance(participant_id, str):
                raise RoomRefusal(HTTPStatus.BAD_REQUEST, "Choose your name from the list.")
            shown_name = ""
        try:
            participant = workshop.participant(participant_id)
        except (KeyError, WorkshopError):
            raise RoomRefusal(
                HTTPStatus.BAD_REQUEST, "That name is not in this workshop."
            ) from None
        if not self.anonymous:
            shown_name = participant.name
        person = secrets.token_urlsafe(24)
        with self._lock:
            if participant_id in self._claimed:
                raise RoomRefusal(
                    HTTPStatus.CONFLICT,
                    f"Someone has already joined as {shown_name or 'that code'}. If that was not "
                    "you, tell the facilitator.",
                )
            self._claimed[participant_id] = person
            self._people[person] = participant_id
        self._changed()
        return {"person": person, "name": shown_name}

    def release(self, participant_id: str) -> None:
        """Let a name be chosen again (a phone lost or the wrong name tapped); answers stay."""
        with self._lock:
            person = self._claimed.pop(participant_id, None)
            if person is not None:
                self._people.pop(person, None)
        self._changed()

    def _person(self, person: str | None) -> str:
        with self._lock:
            participant_id = self._people.get(person or "")
        if participant_id is None:
            raise RoomRefusal(
                HTTPStatus.UNAUTHORIZED, "This phone has not joined the room: join again."
            )
        return participant_id

    def form(self, person: str | None) -> dict[str, Any]:
        participant_id = self._person(person)
        workshop = self.current_workshop()
        framework = workshop.framework
        level_ids = framework.level_ids
        stages = [
            {
                "id": level.id,
                "name": level.name,
                "summary": level.summary,
                "colour": framework.colour_of(level.id),
            }
            for level in framework.levels
        ]
        barriers = [
            {
                "id": d.id,
                "name": d.name,
                "question": d.question,
                "descriptors": {lid: list(d.descriptors.get(lid, ())) for lid in level_ids},
            }
            for d in workshop.scoped_dimensions()
        ]
        with self._lock:
            at = self._submitted.get(participant_id)
        submitted = None
        if at is not None:
            answers = {
                d.id: {"stage": r.stage, "evidence": r.evidence}
                for d in workshop.scoped_dimensions()
                if (r := workshop.ratings.get((participant_id, d.id))) is not None
            }
            submitted = {"answers": answers, "at": time_words(at)}
        return {
            "workshop": workshop.title,
            "name": "" if self.anonymous else workshop.participant(participant_id).name,
            "open": self.rating_open,
            **page_words(framework.terms),
            "not_sure": {"id": NOT_SURE, "name": NOT_SURE_LABEL, "colour": NOT_SURE_COLOUR},
            "stages": stages,
            "barriers": barriers,
            "submitted": submitted,
        }

    def submit(self, person: str | None, body: dict[str, Any]) -> dict[str, Any]:
        participant_id = self._person(person)
        if not self.rating_open:
            raise RoomRefusal(
                HTTPStatus.CONFLICT,
                "Rating is closed: the team is looking at the ratings now. "
                "Talk to the facilitator.",
            )
        answers = self.answers_from(body)
        try:
            self.record(participant_id, answers)
        except WorkshopError as exc:
            raise RoomRefusal(HTTPStatus.BAD_REQUEST, str(exc)) from None
        now = datetime.now().replace(microsecond=0)
        with self._lock:
            self._submitted[participant_id] = now
        self._changed()
        return {"received": True, "at": time_words(now)}

    def answers_from(self, body: object) -> Answers:
        """A submission's answers, checked as strictly as a session file: the schema first, then
        the core's rules (every barrier in scope answered, each with one of its stages)."""
        problems = schema_problems(body, "room-submission.schema.json", limit=1)
        if problems:
            raise RoomRefusal(
                HTTPStatus.BAD_REQUEST, f"The answers could not be read ({problems[0]})."
            )
        assert isinstance(body, dict)
        given: dict[str, dict[str, str]] = body["answers"]
        workshop = self.current_workshop()
        terms = workshop.framework.terms
        scope = [d.id for d in workshop.scoped_dimensions()]
        unknown = [key for key in given if key not in scope]
        if unknown:
            raise RoomRefusal(
                HTTPStatus.BAD_REQUEST,
                f"The answers name {article(terms.dimension)} this workshop does not rate.",
            )
        missing = [workshop.framework.dimension(key).name for key in scope if key not in given]
        if missing:
            raise RoomRefusal(
                HTTPStatus.BAD_REQUEST,
                f"Answer every {terms.dimension} first: {missing[0]} has no answer.",
            )
        stages = set(workshop.framework.level_ids) | {NOT_SURE}
        if any(answer["stage"] not in stages for answer in given.values()):
            raise RoomRefusal(
                HTTPStatus.BAD_REQUEST,
                f"An answer names {article(terms.level)} this workshop does not use.",
            )
        return tuple(
            (key, given[key]["stage"], given[key].get("evidence", "").strip()) for key in scope
        )


class OwnerThread:
    """Runs work on the one thread that owns the library, for the server's request threads.

    A SQLite connection belongs to the thread that opened it, and an edit session is not meant
    to be shared: every submission is queued here and run, in turn, by the owner (the GUI's
    thread, or the headless room's main loop), which is also what lets a person rating at the
    laptop and phones submitting at once take their turns. `wake` tells the owner work is
    waiting (the GUI posts an event to its own thread); a loop can instead call
    `run_pending(timeout)`.
    """

    def __init__(self, wake: Callable[[], None] | None = None) -> None:
        self._jobs: queue.Queue[_Job] = queue.Queue()
        self._wake = wake

    def call(self, work: Callable[[], T], timeout: float = 30.0) -> T:
        """Run `work` on the owner thread and return its result (or raise its error)."""
        job = _Job(work)
        self._jobs.put(job)
        if self._wake is not None:
            self._wake()
        if not job.done.wait(timeout):
            job.abandoned = True
            raise RoomRefusal(
                HTTPStatus.SERVICE_UNAVAILABLE, "The laptop is busy: send your answers again."
            )
        if job.error is not None:
            raise job.error
        return cast(T, job.result)

    def run_pending(self, timeout: float = 0.0, limit: int | None = None) -> int:
        """On the owner thread: run the waiting work, waiting up to `timeout` for the first, and
        at most `limit` jobs (a window runs one per wake, so it repaints between them)."""
        ran = 0
        try:
            job = self._jobs.get(timeout=timeout) if timeout > 0 else self._jobs.get_nowait()
        except queue.Empty:
            return 0
        while True:
            if not job.abandoned:
                try:
                    job.result = job.work()
                except Exception as exc:  # handed back to the request that asked
                    job.error = exc
                ran += 1
            job.done.set()
            if limit is not None and ran >= limit:
                return ran
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                return ran


@dataclass
class _Job:
    work: Callable[[], Any]
    done: threading.Event = field(default_factory=threading.Event)
    result: Any = None
    error: Exception | None = None
    abandoned: bool = False


def recorder(owner: OwnerThread, apply: Callable[..., Any]) -> Recorder:
    """A room's recorder: `record_ratings` through an edit session's `apply`, on `owner`."""

    def record(participant_id: str, answers: Answers) -> None:
        owner.call(lambda: apply("Rate from a phone", record_ratings, participant_id, answers))

    return record


# -- HTTP --------------------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    server: RoomServer
    timeout = REQUEST_TIMEOUT_S
    server_version = "OpAssess"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:
        pass  # a room's requests are nobody's business, and the log is not for phones

    def do_GET(self) -> None:
        self._answer(self._get)

    def do_POST(self) -> None:
        self._answer(self._post)

    def _room_path(self) -> str:
        """The path inside the room ('', 'phone.js', 'api/form'), or refuse a wrong token."""
        path = self.path.split("?", 1)[0]
        prefix = f"/r/{self.server.room.token}/"
        if not path.startswith(prefix):
            if path == f"/r/{self.server.room.token}":
                raise _Redirect(prefix)
            raise RoomRefusal(HTTPStatus.NOT_FOUND, "There is no room at this address.")
        return path[len(prefix) :]

    def _get(self) -> tuple[HTTPStatus, bytes, str]:
        inner = self._room_path()
        if inner in _ASSETS:
            name, kind = _ASSETS[inner]
            return HTTPStatus.OK, self.server.asset(name), kind
        if inner == "api/form":
            return _json(self.server.room.form(self.headers.get("X-Person")))
        raise RoomRefusal(HTTPStatus.NOT_FOUND, "There is nothing at this address.")

    def _post(self) -> tuple[HTTPStatus, bytes, str]:
        inner = self._room_path()
        room = self.server.room
        actions = {
            "api/join": lambda body: room.join(_object(body), self.client_address[0]),
            "api/claim": lambda body: room.claim(_object(body), self.client_address[0]),
            "api/submit": lambda body: room.submit(self.headers.get("X-Person"), body),
        }
        action = actions.get(inner)
        if action is None:
            raise RoomRefusal(HTTPStatus.NOT_FOUND, "There is nothing at this address.")
        return _json(action(self._body()))

    def _body(self) -> Any:
        length_text = self.headers.get("Content-Length")
        if length_text is None or not length_text.isdigit():
            raise RoomRefusal(HTTPStatus.LENGTH_REQUIRED, "The request did not say its length.")
        length = int(length_text)
        if length > MAX_BODY_BYTES:
            self.close_connection = True
            raise RoomRefusal(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "That is more than a form can hold."
            )
        raw = self.rfile.read(length)
        try:
            return json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise RoomRefusal(HTTPStatus.BAD_REQUEST, "The request could not be read.") from None

    def _answer(self, handle: Callable[[], tuple[HTTPStatus, bytes, str]]) -> None:
        try:
            status, payload, kind = handle()
        except _Redirect as redirect:
            self._send(HTTPStatus.MOVED_PERMANENTLY, b"", "text/plain", location=redirect.target)
            return
        except RoomRefusal as refusal:
            status, payload, kind = _json({"error": refusal.message}, refusal.status)
        except Exception:  # never a trace or a path in a response: the phone gets a plain word
            status, payload, kind = _json(
                {"error": "Something went wrong on the laptop: tell the facilitator."},
                HTTPStatus.INTERNAL_SERVER_ERROR,
            )
            self.server.failures += 1
        self._send(status, payload, kind)

    def _send(self, status: HTTPStatus, payload: bytes, kind: str, location: str = "") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(payload)))
        if location:
            self.send_header("Location", location)
        for name, value in _SECURITY_HEADERS:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)


class _Redirect(Exception):
    def __init__(self, target: str) -> None:
        self.target = target


def _object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise RoomRefusal(HTTPStatus.BAD_REQUEST, "The request could not be read.")
    return body


def _json(document: object, status: HTTPStatus = HTTPStatus.OK) -> tuple[HTTPStatus, bytes, str]:
    return (
        status,
        json.dumps(document, ensure_ascii=False).encode("utf-8"),
        "application/json; charset=utf-8",
    )


class RoomServer(ThreadingHTTPServer):
    """The room's HTTP server, bound to one address the facilitator chose, on a free port."""

    daemon_threads = True
    allow_reuse_address = False
    # The standard library listens with a backlog of 5: a room of phones sending at the same
    # moment would overflow it, and the kernel would drop or reset most of them.
    request_queue_size = 64

    def __init__(self, room: Room, host: str, port: int = 0) -> None:
        self.room = room
        self.failures = 0
        self._assets: dict[str, bytes] = {}
        super().__init__((host, port), _Handler)
        self._thread: threading.Thread | None = None

    def asset(self, name: str) -> bytes:
        found = self._assets.get(name)
        if found is None:
            found = self._assets[name] = (resources_dir() / "room" / name).read_bytes()
        return found

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        host = str(self.server_address[0])
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{self.port}/r/{self.room.token}/"

    def start(self) -> None:
        """Serve on a background thread until `stop()`."""
        self._thread = threading.Thread(
            target=self.serve_forever, name="opassess-room", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop listening and close the socket: nothing listens once the room is closed."""
        if self._thread is not None:
            self.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self.server_close()


@dataclass(frozen=True)
class NetworkAddress:
    """An address the room may listen on, with where it comes from, for the facilitator's list."""

    address: str
    interface: str

    @property
    def is_loopback(self) -> bool:
        return self.address.startswith("127.") or self.address == "::1"


def network_addresses() -> list[NetworkAddress]:
    """This computer's IPv4 addresses, the network ones first and loopback (for a trial) last."""
    import ifaddr

    found: list[NetworkAddress] = []
    for adapter in ifaddr.get_adapters():
        for ip in adapter.ips:
            if isinstance(ip.ip, str) and not ip.ip.startswith("169.254."):
                found.append(NetworkAddress(ip.ip, adapter.nice_name))
    if not any(a.is_loopback for a in found):
        found.append(NetworkAddress("127.0.0.1", "loopback"))
    return sorted(set(found), key=lambda a: (a.is_loopback, a.address))


def network_advice(address: str) -> list[str]:
    """What to try when phones cannot reach the room, for the room screen and the CLI."""
    tips = [
        "Phones must be on the same Wi-Fi as this laptop, not on mobile data.",
        "If the address does not open, the Wi-Fi may keep devices apart (guest networks often "
        "do): turn on this laptop's own hotspot, join the phones to it, and open the room again "
        "on the hotspot's address.",
        "On Windows, allow OpAssess through the firewall on private networks when asked.",
        "If the QR code will not scan, type the address exactly as shown.",
    ]
    if address.startswith("127.") or address == "::1":
        tips.insert(0, "This address is only for a trial on this laptop: phones cannot reach it.")
    return tips
