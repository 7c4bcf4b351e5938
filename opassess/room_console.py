"""The headless room's console: what a facilitator types to run a room from a terminal.

The room window's buttons, as typed commands: who has joined, free a name, let locked-out phones
try again, a new PIN, close or reopen rating, and close the room. Each command is a line; the
answer is a few lines to print. Kept apart from the terminal itself so it is tested directly.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from opassess.room import Progress, Room

# What Windows sends a console program when its window is closed, or the user logs off or the
# computer shuts down: the program has about five seconds, then it is ended.
_CTRL_CLOSE_EVENT, _CTRL_LOGOFF_EVENT, _CTRL_SHUTDOWN_EVENT = 2, 5, 6
_CLOSING_GRACE_S = 4.5

COMMANDS = (
    ("who", "who has joined and who has sent their answers"),
    ("free NAME", "let a name be chosen again (the wrong name tapped, a phone lost)"),
    ("let in", "let phones locked out after wrong PINs or codes try again"),
    ("pin", "give the room a new PIN (people already in carry on)"),
    ("codes", "the one-person codes again (anonymous workshops)"),
    ("close rating", "take no more answers: the team is about to see the ratings"),
    ("reopen rating", "take answers again"),
    ("quit", "close the room"),
)


def progress_words(person: Progress) -> str:
    """How far one person has got, never what they chose: for the window and the terminal."""
    if person.submitted and person.joined:
        return "✓ submitted"
    if person.submitted:
        return "✓ submitted, name free to choose again"
    if person.joined:
        return "joined, rating…"
    return "not joined yet"


def progress_line(room: Room, let_in_hint: str = "") -> str:
    """'3 of 8 joined, 2 submitted.', with whether rating is closed and phones are locked out,
    and `let_in_hint` (how this surface lets them in) when some are."""
    progress = room.progress()
    joined = sum(1 for p in progress if p.joined)
    submitted = sum(1 for p in progress if p.submitted)
    line = f"{joined} of {len(progress)} joined, {submitted} submitted."
    if not room.rating_open:
        line += " Rating is closed."
    locked = room.locked_out()
    if room.joining_paused():
        line += " Joining is paused after many wrong tries."
        if let_in_hint:
            line += f" {let_in_hint}"
    elif locked:
        line += f" {locked} phone{' is' if locked == 1 else 's are'} locked out after wrong tries."
        if let_in_hint:
            line += f" {let_in_hint}"
    return line


def codes_text(room: Room) -> str:
    """The one-person codes in one line, each "ACDE FGHJ", kept apart by a dot so the two
    halves of one code are not read as two codes."""
    return "  ·  ".join(room.codes())


@dataclass
class ConsoleAnswer:
    lines: list[str]
    close_room: bool = False
    pin_said: bool = False  # the answer gives a new PIN: nothing more to announce


def help_lines() -> list[str]:
    width = max(len(name) for name, _ in COMMANDS)
    return ["Type a command and press Enter:"] + [
        f"  {name.ljust(width)}  {what}" for name, what in COMMANDS
    ]


def run_command(room: Room, typed: str) -> ConsoleAnswer:
    """Carry out one typed line on `room`; unknown or incomplete lines say what would work."""
    words = typed.split()
    if not words:
        return ConsoleAnswer([])
    command = " ".join(words).casefold()
    head = words[0].casefold()
    if command in ("quit", "exit", "close", "close room", "close the room"):
        return ConsoleAnswer(["Closing the room…"], close_room=True)
    if command in ("help", "?"):
        return ConsoleAnswer(help_lines())
    if command == "who":
        lines = [f"  {p.name} — {progress_words(p)}" for p in room.progress()]
        return ConsoleAnswer([*lines, progress_line(room)])
    if head == "free":
        try:
            name = room.release_by_name(typed.strip()[len(words[0]) :])
        except LookupError as problem:
            return ConsoleAnswer([str(problem)])
        return ConsoleAnswer(
            [f"{name} can be chosen again. Answers already sent stay until new ones replace them."]
        )
    if command in ("let in", "unlock"):
        was_paused = room.joining_paused()
        lifted = room.let_everyone_try_again()
        said = ["Joining was paused: it is open again."] if was_paused else []
        if lifted:
            said.append(
                f"{lifted} phone{'' if lifted == 1 else 's'} can try the PIN or code again."
            )
        elif not was_paused:
            said.append("No phone is locked out. Wrong tries so far are forgotten.")
        return ConsoleAnswer(said)
    if command == "pin":
        new_pin = room.change_pin()
        return ConsoleAnswer([f"New PIN {new_pin}: people already in carry on."], pin_said=True)
    if command == "codes":
        if not room.anonymous:
            return ConsoleAnswer(["This workshop shows names: each person picks theirs."])
        return ConsoleAnswer(["One-person codes to hand out: " + codes_text(room)])
    if command == "close rating":
        room.close_rating()
        return ConsoleAnswer(["Rating is closed: phones can no longer send answers."])
    if command in ("reopen rating", "open rating"):
        room.reopen_rating()
        return ConsoleAnswer(["Rating is open again."])
    return ConsoleAnswer([f"“{typed.strip()}” is not a command here.", *help_lines()])


class StopRequests:
    """The system asking the headless room to stop, so it closes the room and the library
    properly rather than being cut off: SIGTERM; on Windows Ctrl+Break (SIGBREAK) and the
    console window closing. The C runtime would report a closing console as SIGBREAK too, but
    the system ends the process as soon as that handler returns, before Python runs its own;
    so on Windows a console handler asks the room to stop and waits until it has (or the
    system's few seconds are nearly up)."""

    def __init__(self) -> None:
        self.requested = threading.Event()
        self._done = threading.Event()
        self._console_handler: Any = None  # kept alive while it is installed

    @classmethod
    def install(cls) -> StopRequests:
        stops = cls()
        for name in ("SIGTERM", "SIGBREAK"):
            number = getattr(signal, name, None)
            if number is not None:
                signal.signal(number, lambda _signum, _frame: stops.requested.set())
        if os.name == "nt":
            stops._watch_console()
        return stops

    def _watch_console(self) -> None:
        import ctypes
        from ctypes import wintypes

        def on_console_event(event: int) -> bool:
            if event not in (_CTRL_CLOSE_EVENT, _CTRL_LOGOFF_EVENT, _CTRL_SHUTDOWN_EVENT):
                return False  # Ctrl+C and Ctrl+Break: Python's own handling
            self.requested.set()
            self._done.wait(_CLOSING_GRACE_S)
            return True

        handler_type: Callable[..., Any] = ctypes.WINFUNCTYPE(  # type: ignore[attr-defined]
            wintypes.BOOL, wintypes.DWORD
        )
        self._console_handler = handler_type(on_console_event)
        ctypes.windll.kernel32.SetConsoleCtrlHandler(  # type: ignore[attr-defined]
            self._console_handler, True
        )

    def finished(self) -> None:
        """The room and the library are closed: a closing console may end the process now."""
        self._done.set()
