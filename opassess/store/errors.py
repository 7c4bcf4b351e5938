"""What goes wrong in the library, in words for the user, and SQLite's failures put that way."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from opassess import __version__


class LibraryError(Exception):
    """Anything that stops the library doing what was asked; the message is for the user."""


class WorkshopNotFound(LibraryError):
    def __init__(self, workshop_id: str) -> None:
        super().__init__("That workshop is not in the library (it may have been deleted).")
        self.workshop_id = workshop_id


class DuplicateWorkshop(LibraryError):
    def __init__(self, workshop_id: str) -> None:
        super().__init__("That workshop is already in the library.")
        self.workshop_id = workshop_id


class LibraryInUse(LibraryError):
    """Another OpAssess window (or another program) has the library open."""

    def __init__(self, message: str, pid: int | None = None) -> None:
        super().__init__(message)
        self.pid = pid


class LibraryTooNew(LibraryError):
    """The file was written by a newer OpAssess; it was left exactly as it was."""

    def __init__(self, version: int, supported: int, requires: str | None) -> None:
        needed = f"OpAssess {requires} or later" if requires else "a newer version of OpAssess"
        super().__init__(
            f"This library was saved by a newer version of OpAssess and needs {needed} "
            f"(this is OpAssess {__version__}). Nothing was changed."
        )
        self.version = version
        self.supported = supported
        self.requires = requires


class LibraryUpgradeFailed(LibraryError):
    """A forward migration failed; it was rolled back, so the file is as it was."""


class LibraryDamaged(LibraryError):
    """The library file could not be used and was moved aside (never deleted)."""

    def __init__(self, reason: str, kept_aside: Path, backups: list[Path]) -> None:
        advice = (
            "Restore the newest backup, or start a new library."
            if backups
            else "There is no backup to restore; opening the folder again starts a new library."
        )
        super().__init__(
            f"The library file could not be used: {reason}. It was moved aside to "
            f"{kept_aside.name} and nothing was deleted. {advice}"
        )
        self.reason = reason
        self.kept_aside = kept_aside
        self.backups = backups  # good backups, newest first


def _library_error(exc: BaseException, *, writing: bool) -> LibraryError:
    """A plain message for a SQLite failure; never a raw 'database is locked'."""
    if isinstance(exc, LibraryError):
        return exc
    not_saved = " That change was not saved." if writing else ""
    if isinstance(exc, UnicodeEncodeError):
        return LibraryError(
            "Some text contains a character that cannot be stored (an unpaired surrogate)."
            + not_saved
        )
    if isinstance(exc, sqlite3.IntegrityError):
        return LibraryError(f"The workshop repeats an id that must be unique ({exc}).{not_saved}")
    text = str(exc).lower()
    name = getattr(exc, "sqlite_errorname", "")
    if "locked" in text or "busy" in text or name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return LibraryInUse(
            "Another program is using the library file right now. Close it, then try again."
            + not_saved
        )
    if "full" in text:
        return LibraryError("The disk is full." + (not_saved or " Free some space."))
    if "readonly" in text or "read-only" in text:
        return LibraryError("The library file cannot be written (it is read-only)." + not_saved)
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return LibraryError(
            "The library file is damaged." + not_saved + " Reopen OpAssess to recover it."
        )
    if "i/o" in text:
        return LibraryError("The library file could not be read or written (a disk error)."
                            + not_saved)  # fmt: skip
    return LibraryError(f"The library could not do that ({exc})." + not_saved)
