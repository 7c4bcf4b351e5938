"""Small pieces shared by everything that writes files: atomic writes, syncing, plain error
reasons, safe file names, and dates as text.

The library (store.py) and session files (interchange.py) both write a complete file under
another name, sync it, rename it into place and sync the folder, so that a crash leaves either
the old file or the new one, never half of one; and both keep dates as ISO 8601 text.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from contextlib import suppress
from datetime import date
from pathlib import Path
from typing import Literal

_UNSAFE_IN_FILE_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED_ON_WINDOWS = {"CON", "PRN", "AUX", "NUL"} | {
    f"{device}{n}" for device in ("COM", "LPT") for n in range(1, 10)
}
_MAX_STEM = 120


def safe_file_stem(title: str) -> str:
    """A file name (without suffix) from a workshop's title that every common system accepts."""
    name = _UNSAFE_IN_FILE_NAMES.sub("-", title)
    name = " ".join(name.split())[:_MAX_STEM].strip(" .")
    if not name or name.upper() in _RESERVED_ON_WINDOWS:
        name = f"{name} workshop".strip()
    return name


def fsync_file(path: Path) -> None:
    """Flush a written file's content to the disk; OSError if that fails."""
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def fsync_folder(folder: Path) -> None:
    """Make a rename (or new name) in `folder` durable; OSError if that fails.

    POSIX needs the folder itself synced for that. Windows cannot open a folder and does not
    need it, so there this does nothing.
    """
    if not hasattr(os, "O_DIRECTORY"):
        return
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def date_text(value: date | None) -> str | None:
    """A date as YYYY-MM-DD text; None stays None."""
    return None if value is None else value.isoformat()


def date_from_text(text: str | None) -> date | None:
    """The date that date_text wrote; None stays None."""
    return None if text is None else date.fromisoformat(text)


class PartWriteError(OSError):
    """One of several files could not be written; `path` names it, and none were written."""

    def __init__(self, path: Path, cause: OSError) -> None:
        super().__init__(cause.errno, cause.strerror)
        self.path = path
        self.cause = cause


def write_all_atomically(files: list[tuple[Path, bytes]]) -> None:
    """Write every file, or none, leaving any earlier files as they were: each is written in
    full beside its target first (a full disk shows itself here); then every earlier file is
    moved aside (a file open in another program, as Excel holds one on Windows, shows itself
    here); only then are the new ones moved into place. On failure at any point what was done
    is undone, and PartWriteError names the file that could not be written."""
    staged: list[tuple[Path, Path]] = []  # (temp, target)
    aside: list[tuple[Path, Path]] = []  # (earlier file moved aside, target)
    placed: list[Path] = []
    try:
        for path, data in files:
            try:
                staged.append((_staged_copy(path, data), path))
            except OSError as exc:
                raise PartWriteError(path, exc) from exc
        for _, path in staged:
            if os.path.isdir(path):  # a folder of that name is not a file to replace
                raise PartWriteError(
                    path, IsADirectoryError(errno.EISDIR, "a folder has that name")
                )
            if os.path.lexists(path):
                kept = path.parent / f".{path.name[:100]}.{os.urandom(6).hex()}.old"
                try:
                    os.replace(path, kept)
                except OSError as exc:
                    raise PartWriteError(path, exc) from exc
                aside.append((kept, path))
        for temp, path in staged:
            try:
                os.replace(temp, path)
            except OSError as exc:
                raise PartWriteError(path, exc) from exc
            placed.append(path)
    except PartWriteError:
        for path in placed:
            with suppress(OSError):
                os.remove(path)
        for kept, path in aside:
            with suppress(OSError):
                os.replace(kept, path)
        aside = []
        raise
    finally:
        for temp, _ in staged:
            with suppress(OSError):
                os.remove(temp)  # gone already once moved into place
        for kept, _ in aside:
            with suppress(OSError):
                os.remove(kept)  # replaced for good
    if files:
        with suppress(OSError):
            fsync_folder(files[0][0].parent)


def _staged_copy(path: Path, data: bytes) -> Path:
    temp = path.parent / f".{path.name[:100]}.{os.urandom(6).hex()}.tmp"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with suppress(OSError):
            os.remove(temp)
        raise
    return temp


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` as the whole of `path`, or leave `path` as it was.

    A temp file in the same folder is written, flushed and synced, then renamed over the target;
    on any failure the temp file is removed and the OSError raised (see plain_os_reason).
    """
    folder = path.parent
    # os.urandom rather than uuid: importing uuid pulls in `platform`, a cost on every start-up.
    temp = folder / f".{path.name[:100]}.{os.urandom(6).hex()}.tmp"
    try:
        keep_mode: int | None = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        keep_mode = None
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(temp, flags, 0o666)
    try:
        try:
            handle = os.fdopen(fd, "wb")
        except BaseException:
            os.close(fd)
            raise
        with handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if keep_mode is not None:
            with suppress(OSError):
                os.chmod(temp, keep_mode)
        os.replace(temp, path)
    except BaseException:
        with suppress(OSError):
            os.remove(temp)
        raise
    # The new file is in place; making the rename itself durable is best effort.
    with suppress(OSError):
        fsync_folder(folder)


def plain_os_reason(exc: OSError, verb: Literal["read", "write"]) -> str:
    """Why a file could not be read or written, in words a person can act on."""
    code = exc.errno
    if code == errno.ENOSPC:
        return "the disk is full."
    if code == getattr(errno, "EDQUOT", None):
        return "the disk quota is used up."
    if code == errno.EROFS:
        return "the disk is read-only."
    if code in (errno.EACCES, errno.EPERM):
        if verb == "write":
            return (
                "permission denied (the folder or the file may be read-only, "
                "or the file may be open in another program)."
            )
        return "permission denied."
    if code == errno.ENOENT:
        return "the folder does not exist." if verb == "write" else "the file does not exist."
    if code == errno.ENOTDIR:
        return "part of the path is not a folder."
    if code == errno.EISDIR:
        return "it is a folder, not a file."
    if code == errno.ENAMETOOLONG:
        return "the name is too long."
    if code == errno.EIO:
        return "the disk reported an input/output error."
    reason = (exc.strerror or str(exc) or type(exc).__name__).strip().rstrip(".")
    return reason[:1].lower() + reason[1:] + "."
