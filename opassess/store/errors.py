"""What goes wrong in the library, in words for the user, and SQLite's failures put that way."""

from __future__ import annotations

import errno
import re
import shutil
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
        if requires and _release(requires) > _release(__version__):
            needed = f"OpAssess {requires} or later"
        else:
            # No release is named, or the one named is not newer than this one (a later build
            # of the same release wrote it): naming it would read as a contradiction.
            needed = "a later version of OpAssess than this one"
        super().__init__(
            f"This library was saved by a newer version of OpAssess and needs {needed} "
            f"(this is OpAssess {__version__}). Nothing was changed."
        )
        self.version = version
        self.supported = supported
        self.requires = requires


def _release(text: str) -> tuple[int, ...]:
    """A release number as numbers to compare ("0.10.1" after "0.9"); what is not a number
    ends it."""
    numbers = []
    for part in text.strip().split("."):
        digits = re.match(r"\d+", part)
        if digits is None:
            break
        numbers.append(int(digits.group()))
        if digits.end() < len(part):
            break
    while numbers and numbers[-1] == 0:  # 0.2 is 0.2.0
        numbers.pop()
    return tuple(numbers)


class LibraryUpgradeFailed(LibraryError):
    """A forward migration failed; it was rolled back, so the file is as it was."""


class LibraryDamaged(LibraryError):
    """The library file could not be used and was moved aside (never deleted)."""

    def __init__(self, reason: str, kept_aside: Path, backups: list[Path]) -> None:
        advice = (
            "Restore the newest backup. Its backups are kept, and offered each time OpAssess "
            "starts, until one is restored or they are dismissed."
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


# Less free space than this where the library lives turns SQLite's "disk I/O error" into "the
# disk is full": SQLite says only "I/O error" when it cannot grow its -shm (32 KB) or -wal.
_NEARLY_FULL_BYTES = 1 << 20
_SQLITE_FULL = 13
_SQLITE_IOERR = 10


def _disk_full(exc: BaseException, folder: Path | None) -> bool:
    """True when `exc` is, or most likely comes from, a full disk."""
    if isinstance(exc, OSError):
        return exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary == _SQLITE_FULL or "full" in str(exc).lower():
        return True
    if folder is None or not (primary == _SQLITE_IOERR or "i/o" in str(exc).lower()):
        return False
    try:
        return shutil.disk_usage(folder).free < _NEARLY_FULL_BYTES
    except OSError:
        return False


def _library_error(
    exc: BaseException, *, writing: bool, folder: Path | None = None
) -> LibraryError:
    """A plain message for a SQLite failure; never a raw 'database is locked'.

    `folder` is where the library lives: with it, an I/O error on a disk with almost no space
    left is said to be a full disk, which is what it is.
    """
    if isinstance(exc, LibraryError):
        return exc
    not_saved = " That change was not saved." if writing else ""
    if _disk_full(exc, folder):
        return LibraryError("The disk is full." + not_saved + " Free some space, then try again.")
    if isinstance(exc, OSError):
        from opassess.files import plain_os_reason

        return LibraryError(
            f"The library file could not be read or written: {plain_os_reason(exc, 'write')}"
            + not_saved
        )
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
