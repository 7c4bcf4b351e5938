"""Room voting: everyone rates at once from their own phone, over the laptop's own network.

A `Room` is the state of one open room: its address token, its join PIN, who has claimed which
name (or one-person code), what each phone sent, the wrong PINs and codes each phone has tried,
and whether rating is still open. It decides every request on the core's rules and never shows
one person's ratings to another. The HTTP side is opassess.room_server.

Submissions are recorded through the host's `record` callback with `record_ratings`, the same
core edit as private rating, so undo, the library's durability and the wall chart behave as
they always do. The callback may run the edit on another thread (the GUI's) and waits for it.

The room's rules stay in one module (past 600 lines): every promise made to the people in the
room is decided here, and reading them together is how they are checked.
"""

from __future__ import annotations

import queue
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from http import HTTPStatus
from typing import Any, TypeVar, cast

from opassess.frameworks import NOT_SURE, Terms
from opassess.palette import NOT_SURE_COLOUR
from opassess.validation import schema_problems
from opassess.wording import NOT_SURE_LABEL, article, format_date
from opassess.workshop import Workshop, WorkshopError, record_ratings, shows_names

PIN_DIGITS = 6
# A room token is short enough to type from the projector: 8 characters of an alphabet with no
# look-alikes (about 40 bits), and the PIN and the wrong-try limits stand behind it.
TOKEN_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
TOKEN_LENGTH = 8
# One-person codes: 8 characters of 25 (about 37 bits), shown as two groups of four. With the
# limits below a phone gets a few dozen guesses an hour, so finding a colleague's code by
# guessing is hopeless, not merely slow.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 8
# Wrong PINs and wrong codes count together, per phone: each waits a little longer, and past the
# limit that phone is refused for a while (or until the facilitator lets it in again).
WRONG_TRY_LIMIT = 8
WRONG_TRY_DELAY_S = 0.25
WRONG_TRY_MAX_DELAY_S = 2.0
LOCKOUT_S = 5 * 60
# Wrong tries from every phone together: past this the PIN changes and the facilitator is told,
# so many addresses (or one guesser behind many) cannot share the per-phone allowance.
ROOM_WRONG_TRY_LIMIT = 40
# The evidence a phone may send for each barrier, in characters, as the page and the schema say.
EVIDENCE_CHARS = 4000
# Bytes are not characters: 4,000 characters may take 16,000 bytes of UTF-8, or 48,000 as JSON
# escapes (a character beyond the first 65,536 is two of them). The limit on a submission is
# worked out from what the form allows, not guessed.
_BYTES_PER_CHARACTER = 12
_BYTES_PER_ANSWER = 1024  # the barrier's id, the stage and the JSON around them
SMALL_BODY_BYTES = 4 * 1024  # joining and claiming carry a PIN and a name or code
# Reading a request (its line, headers and body) may take this long in all, whatever a slow or
# trickling client does; waiting for the laptop is not counted.
REQUEST_TIMEOUT_S = 15
READ_DEADLINE_S = 30
# Connections held open at once: per address (a room behind one NAT address still fits) and in all.
MAX_CONNECTIONS_PER_ADDRESS = 64
MAX_CONNECTIONS = 256
SECURITY_HEADERS = (
    ("Cache-Control", "no-store"),
    ("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; base-uri 'none'"),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
)
PIN_CHANGED_ALERT = (
    "Many wrong PINs or codes were tried, so the room has a new PIN: show it again. "
    "People already in carry on as they were."
)
# Twice that many within a lockout's time, and joining pauses for everyone: guessing from many
# addresses is then capped for the whole room, not only slowed per phone.
JOINING_PAUSED_ALERT = (
    "Someone keeps trying wrong PINs or codes, so joining is paused for five minutes and the "
    "room has a new PIN. People already in carry on. To let people join now, choose to let "
    "locked-out phones in."
)

T = TypeVar("T")
Answers = tuple[tuple[str, str, str], ...]  # (barrier id, stage or NOT_SURE, evidence)
# (participant id, answers, a check run just before storing, on the library's thread: it
# raises RoomRefusal if rating closed meanwhile); raises WorkshopError
Recorder = Callable[[str, Answers, Callable[[], None]], None]


class RoomRefusal(Exception):
    """A request the room turns down, with the HTTP status, a message for the phone and, when
    one thing typed is wrong, which ("pin" or "code"), so the page can point at it."""

    def __init__(self, status: HTTPStatus, message: str, wrong_field: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.wrong_field = wrong_field


def _random(alphabet: str, length: int) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


def _new_pin() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(PIN_DIGITS))


def shown_code(code: str) -> str:
    """'ACDE FGHJ': a one-person code as it is handed out, in two groups easy to copy."""
    return f"{code[:4]} {code[4:]}"


def typed_code(text: str) -> str:
    """A code as a person may type it (lower case, spaces, a dash) in the form it is kept."""
    return "".join(ch for ch in text.upper() if ch not in " -\t")


def submission_byte_limit(answers: int) -> int:
    """The most bytes a submission of `answers` answers may take when each holds as much
    evidence as the page allows, in the most verbose encoding a client may use."""
    return answers * (EVIDENCE_CHARS * _BYTES_PER_CHARACTER + _BYTES_PER_ANSWER) + 1024


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
class _Tries:
    """One phone's wrong PINs and codes, and until when it is refused."""

    wrong: int = 0
    locked_until: float = 0.0


@dataclass(frozen=True)
class _Sent:
    """What one phone sent, as recorded, and when: the only answers that phone is shown."""

    at: datetime
    answers: Answers


@dataclass
class Room:
    """One open room for one workshop. Thread-safe: every request handler thread calls in.

    Who may see what: a phone sees the form and, once it has sent them, its own answers as
    recorded, never anyone else's; freeing a name forgets what that phone sent, so the next
    phone to choose it starts afresh (the answers stay in the workshop). The facilitator sees
    who has joined and submitted, never what they chose.
    """

    current_workshop: Callable[[], Workshop]
    record: Recorder
    token: str = field(default_factory=lambda: _random(TOKEN_ALPHABET, TOKEN_LENGTH))
    pin: str = field(default_factory=_new_pin)
    on_progress: Callable[[], None] | None = None
    rating_open: bool = True
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    alert: str = ""  # for the facilitator: something about the room they should act on
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _people: dict[str, str] = field(default_factory=dict, repr=False)  # person token -> participant
    _claimed: dict[str, str] = field(
        default_factory=dict, repr=False
    )  # participant -> person token
    _submitted: set[str] = field(default_factory=set, repr=False)  # participants, for progress
    _sent: dict[str, _Sent] = field(default_factory=dict, repr=False)  # person token -> answers
    _codes: dict[str, str] = field(
        default_factory=dict, repr=False
    )  # one-person code -> participant
    _tries: dict[str, _Tries] = field(default_factory=dict, repr=False)  # client -> wrong tries
    _room_wrong: int = field(default=0, repr=False)
    _pin_changed_at: list[float] = field(default_factory=list, repr=False)
    _paused_until: float = field(default=0.0, repr=False)

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
            return [shown_code(code) for code in sorted(self._codes)]

    def progress(self) -> list[Progress]:
        workshop = self.current_workshop()
        names = workshop.display_names()  # two people called Sam told apart, as everywhere
        with self._lock:
            return [
                Progress(p.id, names[p.id], p.id in self._claimed, p.id in self._submitted)
                for p in workshop.participants
            ]

    def close_rating(self) -> None:
        """No more submissions: the team is about to see the ratings."""
        self.rating_open = False
        self._changed()

    def reopen_rating(self) -> None:
        self.rating_open = True
        self._changed()

    def change_pin(self) -> str:
        """A new PIN for joining; phones already in carry on with their own tokens."""
        with self._lock:
            self.pin = _new_pin()
            self._room_wrong = 0
        self._changed()
        return self.pin

    def locked_out(self) -> int:
        """How many phones are refused now for too many wrong PINs or codes."""
        now = self.clock()
        with self._lock:
            return sum(1 for t in self._tries.values() if t.locked_until > now)

    def joining_paused(self) -> bool:
        """Whether joining is paused for everyone after many wrong tries across the room."""
        now = self.clock()
        with self._lock:
            return self._paused_until > now

    def let_everyone_try_again(self) -> int:
        """Forget every wrong try (a phone that typed badly, or a room behind one address);
        returns how many phones were locked out."""
        lifted = self.locked_out()
        with self._lock:
            self._tries.clear()
            self._room_wrong = 0
            self._pin_changed_at.clear()
            self._paused_until = 0.0
            self.alert = ""
        self._changed()
        return lifted

    def dismiss_alert(self) -> None:
        self.alert = ""
        self._changed()

    def release(self, participant_id: str) -> None:
        """Let a name be chosen again (a phone lost or the wrong name tapped). The phone that
        held it is signed out and what it sent is forgotten here, so the next phone to choose
        the name sees none of it; the answers stay in the workshop until new ones replace them."""
        with self._lock:
            person = self._claimed.pop(participant_id, None)
            if person is not None:
                self._people.pop(person, None)
                self._sent.pop(person, None)
        self._changed()

    def release_by_name(self, typed: str) -> str:
        """Free the one name that `typed` matches (whole, or its start, any case); returns it,
        or raises LookupError with a sentence saying why not."""
        wanted = " ".join(typed.split()).casefold()
        if not wanted:
            raise LookupError("Type the name to free, as the room lists it.")
        names = self.current_workshop().display_names()  # as the room lists them
        exact = [pid for pid, name in names.items() if name.casefold() == wanted]
        found = exact or [pid for pid, name in names.items() if name.casefold().startswith(wanted)]
        if not found:
            raise LookupError(f"Nobody in this workshop is called {typed.strip()}.")
        if len(found) > 1:
            listed = ", ".join(names[pid] for pid in found)
            raise LookupError(f"{typed.strip()} could be {listed}: type more of it.")
        self.release(found[0])
        return names[found[0]]

    def _changed(self) -> None:
        if self.on_progress is not None:
            self.on_progress()

    # -- what a phone may ask ----------------------------------------------------------------------

    def _refuse_if_locked_out(self, client: str) -> None:
        now = self.clock()
        with self._lock:
            paused = self._paused_until > now
        if paused:
            raise RoomRefusal(
                HTTPStatus.TOO_MANY_REQUESTS,
                "Joining is paused for a few minutes after many wrong tries: ask the "
                "facilitator to let you in.",
            )
        with self._lock:
            tries = self._tries.get(client)
            if tries is None or not tries.locked_until:
                return
            if tries.locked_until <= now:  # the wait is over: a fresh start
                del self._tries[client]
                return
            minutes = max(1, round((tries.locked_until - now) / 60))
        raise RoomRefusal(
            HTTPStatus.TOO_MANY_REQUESTS,
            f"Too many wrong tries from this phone: wait {minutes} minute"
            f"{'s' if minutes != 1 else ''}, or ask the facilitator to let you in again.",
        )

    def _wrong_try(
        self,
        client: str,
        wrong_field: str,
        message: str,
        status: HTTPStatus = HTTPStatus.FORBIDDEN,
        room_wide: bool = True,
    ) -> RoomRefusal:
        """Count a wrong PIN, code or room address from `client`, wait a little, and say what
        was wrong. PINs and codes also count across the room (an address does not: a guess at
        the room's address must not let an outsider change the PIN of a room it cannot find)."""
        pin_changed = False
        now = self.clock()
        with self._lock:
            tries = self._tries.setdefault(client, _Tries())
            tries.wrong += 1
            wrong = tries.wrong
            locked_now = wrong == WRONG_TRY_LIMIT
            if wrong >= WRONG_TRY_LIMIT:
                tries.locked_until = now + LOCKOUT_S
            if room_wide:
                self._room_wrong += 1
            if self._room_wrong >= ROOM_WRONG_TRY_LIMIT:
                self.pin = _new_pin()
                self._room_wrong = 0
                self._pin_changed_at = [t for t in self._pin_changed_at if t > now - LOCKOUT_S]
                self._pin_changed_at.append(now)
                if len(self._pin_changed_at) >= 2:
                    self._paused_until = now + LOCKOUT_S
                    self.alert = JOINING_PAUSED_ALERT
                else:
                    self.alert = PIN_CHANGED_ALERT
                pin_changed = True
        if pin_changed or locked_now:  # the facilitator's screen says so
            self._changed()
        self.sleep(min(WRONG_TRY_DELAY_S * wrong, WRONG_TRY_MAX_DELAY_S))
        return RoomRefusal(status, message, wrong_field)

    def refuse_wrong_address(self, client: str) -> RoomRefusal:
        """A request for a room that is not this one (a mistyped or guessed token): counted
        against that phone like a wrong PIN, so the room's address cannot be guessed either."""
        self._refuse_if_locked_out(client)
        return self._wrong_try(
            client,
            "",
            "There is no room at this address.",
            HTTPStatus.NOT_FOUND,
            room_wide=False,
        )

    def check_pin(self, pin: object, client: str) -> None:
        """Refuse a wrong PIN, slower each time, and past the limit refuse that phone a while."""
        self._refuse_if_locked_out(client)
        with self._lock:
            expected = self.pin
        if isinstance(pin, str) and secrets.compare_digest(
            "".join(pin.split()).encode(), expected.encode()
        ):
            return
        raise self._wrong_try(client, "pin", "That PIN is not right: check it on the screen.")

    def join(self, body: dict[str, Any], client: str) -> dict[str, Any]:
        self.check_pin(body.get("pin"), client)
        workshop = self.current_workshop()
        names = workshop.display_names()
        with self._lock:
            free = [
                {"id": p.id, "name": names[p.id]}
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
        anonymous = self.anonymous
        if anonymous:
            code = body.get("code")
            if not isinstance(code, str) or not code.strip():
                raise RoomRefusal(
                    HTTPStatus.BAD_REQUEST, "Type the code the facilitator gave you.", "code"
                )
            with self._lock:
                participant_id = self._codes.get(typed_code(code))
            if participant_id is None:
                raise self._wrong_try(
                    client, "code", "That code is not one of this room's: check each letter."
                )
        else:
            chosen = body.get("participant_id")
            if not isinstance(chosen, str):
                raise RoomRefusal(HTTPStatus.BAD_REQUEST, "Choose your name from the list.")
            participant_id = chosen
        try:
            participant = workshop.participant(participant_id)
        except (KeyError, WorkshopError):
            raise RoomRefusal(
                HTTPStatus.BAD_REQUEST, "That name is not in this workshop."
            ) from None
        shown_name = "" if anonymous else workshop.display_names()[participant.id]
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

    def _person(self, person: str | None) -> str:
        present = {p.id for p in self.current_workshop().participants}
        with self._lock:
            participant_id = self._people.get(person or "")
            if participant_id is not None and participant_id not in present:
                # taken off the team at the laptop: the phone is signed out, its name gone
                self._people.pop(person or "", None)
                self._claimed.pop(participant_id, None)
                self._sent.pop(person or "", None)
                participant_id = None
        if participant_id is None:
            raise RoomRefusal(
                HTTPStatus.UNAUTHORIZED, "This phone has not joined the room: join again."
            )
        return participant_id

    def _own_answers(self, person: str, participant_id: str, workshop: Workshop) -> Any:
        """What this phone sent, if the workshop still holds exactly that (an undo at the
        laptop, or new ratings keyed in there, mean the phone is shown nothing to confirm)."""
        with self._lock:
            sent = self._sent.get(person)
        if sent is None:
            return None
        for barrier, stage, evidence in sent.answers:
            held = workshop.ratings.get((participant_id, barrier))
            if held is None or (held.stage, held.evidence) != (stage, evidence):
                return None
        answers = {b: {"stage": s, "evidence": e} for b, s, e in sent.answers}
        return {"answers": answers, "at": time_words(sent.at)}

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
        return {
            "workshop": workshop.title,
            "name": "" if self.anonymous else workshop.display_names()[participant_id],
            "open": self.rating_open,
            **page_words(framework.terms),
            "not_sure": {"id": NOT_SURE, "name": NOT_SURE_LABEL, "colour": NOT_SURE_COLOUR},
            "stages": stages,
            "barriers": barriers,
            "submitted": self._own_answers(person or "", participant_id, workshop),
        }

    def submission_limit(self) -> int:
        """The most bytes a submission to this workshop may take (see submission_byte_limit)."""
        return submission_byte_limit(len(self.current_workshop().scope))

    def _refuse_if_closed(self) -> None:
        if not self.rating_open:
            raise RoomRefusal(
                HTTPStatus.CONFLICT,
                "Rating is closed: the team is looking at the ratings now. "
                "Talk to the facilitator.",
            )

    def submit(self, person: str | None, body: dict[str, Any]) -> dict[str, Any]:
        participant_id = self._person(person)
        self._refuse_if_closed()
        answers = self.answers_from(body)
        try:
            self.record(participant_id, answers, self._refuse_if_closed)
        except WorkshopError as exc:
            raise RoomRefusal(HTTPStatus.BAD_REQUEST, str(exc)) from None
        now = datetime.now().replace(microsecond=0)
        with self._lock:
            # freed while this was being stored: the answers stand, but nobody is shown them
            if self._people.get(person or "") == participant_id:
                self._sent[person or ""] = _Sent(now, answers)
            self._submitted.add(participant_id)
        self._changed()
        return {"received": True, "at": time_words(now)}

    @staticmethod
    def _refuse_long_evidence(body: object, workshop: Workshop) -> None:
        """Evidence past the limit, said plainly with the barrier's name (the page stops the
        typing there, so only another client meets this)."""
        answers = body.get("answers") if isinstance(body, dict) else None
        if not isinstance(answers, dict):
            return
        framework = workshop.framework
        for key, answer in answers.items():
            evidence = answer.get("evidence") if isinstance(answer, dict) else None
            if isinstance(evidence, str) and len(evidence) > EVIDENCE_CHARS:
                named = framework.dimension(key).name if framework.has_dimension(key) else key
                raise RoomRefusal(
                    HTTPStatus.BAD_REQUEST,
                    f"The evidence for {named[:200]} is longer than {EVIDENCE_CHARS:,} "
                    "characters: shorten it and send again.",
                )

    def answers_from(self, body: object) -> Answers:
        """A submission's answers, checked as strictly as a session file: the schema first, then
        the core's rules (every barrier in scope answered, each with one of its stages)."""
        workshop = self.current_workshop()
        self._refuse_long_evidence(body, workshop)
        problems = schema_problems(body, "room-submission.schema.json", limit=1)
        if problems:
            where = problems[0].split(":", 1)[0]  # never the value itself, which may be huge
            raise RoomRefusal(HTTPStatus.BAD_REQUEST, f"The answers could not be read ({where}).")
        assert isinstance(body, dict)
        given: dict[str, dict[str, str]] = body["answers"]
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
            with job.lock:
                job.abandoned = not job.started
            if job.abandoned:  # never run: the phone may safely send again
                raise RoomRefusal(
                    HTTPStatus.SERVICE_UNAVAILABLE, "The laptop is busy: send your answers again."
                )
            job.done.wait()  # already running: its answer is the truth, stored or refused
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
            with job.lock:
                job.started = not job.abandoned
            if job.started:
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
    lock: threading.Lock = field(default_factory=threading.Lock)
    started: bool = False  # taken by the owner: it will finish, whatever the caller's patience
    abandoned: bool = False  # given up by the caller before the owner took it: never run


def recorder(owner: OwnerThread, apply: Callable[..., Any]) -> Recorder:
    """A room's recorder: `record_ratings` through an edit session's `apply`, on `owner`, after
    `still_open` has checked, there and then, that rating has not closed while it waited."""

    def record(participant_id: str, answers: Answers, still_open: Callable[[], None]) -> None:
        def store() -> None:
            still_open()
            apply("Rate from a phone", record_ratings, participant_id, answers)

        owner.call(store)

    return record


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
