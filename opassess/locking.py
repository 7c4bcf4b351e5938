"""An exclusive lock on a file, held by one process (and one holder within it) at a time.

The operating system releases the lock when the holding process ends, however it ends, so a crash
never leaves a library locked. The holder writes its process id into the file so that a second
instance can say which process has the library open.
"""

from __future__ import annotations

import errno
import os
import sys
import threading
from contextlib import suppress
from pathlib import Path

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt
else:
    import fcntl

# Windows locks byte ranges and a locked range cannot be read by others: lock one byte far past
# the process id so that a second instance can still read the id.
_WINDOWS_LOCK_OFFSET = 1 << 20
_PID_WIDTH = 20
_CONTENTION = {errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK, getattr(errno, "EDEADLK", -1)}

# Locks this process holds. POSIX flock already refuses a second descriptor in the same process,
# but Windows and some network file systems do not: the registry makes the rule the same
# everywhere.
_held: set[str] = set()
_held_guard = threading.Lock()


class LockHeld(Exception):
    """Someone else holds the lock; `pid` is their process id when it could be read."""

    def __init__(self, pid: int | None) -> None:
        super().__init__(f"locked by process {pid}" if pid else "locked")
        self.pid = pid


class FileLock:
    """An exclusive, non-blocking lock on `path` (created if missing, never deleted)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._key = os.path.normcase(os.path.abspath(self.path))
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        """Take the lock now or raise LockHeld; OSError if the file cannot be opened at all."""
        if self._fd is not None:
            raise LockHeld(os.getpid())
        with _held_guard:
            if self._key in _held:
                raise LockHeld(os.getpid())
            flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0)
            fd = os.open(self.path, flags, 0o644)
            try:
                _lock(fd)
            except OSError as exc:
                pid = _read_pid(fd)
                os.close(fd)
                # On Windows the file is open, so a one-byte lock can only fail because another
                # holds it, whatever errno comes with it (Wine gives 0).
                held = exc.errno in _CONTENTION or isinstance(exc, BlockingIOError)
                if held or sys.platform == "win32":
                    raise LockHeld(pid) from None
                raise
            # The id only improves a message; the lock itself is what matters.
            with suppress(OSError):
                _write_pid(fd)
            _held.add(self._key)
            self._fd = fd

    def release(self) -> None:
        """Let go of the lock; harmless when not held."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        with _held_guard:
            _held.discard(self._key)
            try:
                _unlock(fd)
            finally:
                os.close(fd)


def _write_pid(fd: int) -> None:
    # Fixed width, so a shorter id never leaves digits of a longer one behind (no truncation,
    # which Windows refuses on a file with a locked range).
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, f"{os.getpid():<{_PID_WIDTH}}\n".encode("ascii"))
    os.fsync(fd)


def _read_pid(fd: int) -> int | None:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        text = os.read(fd, _PID_WIDTH + 1).decode("ascii", "replace").strip()
        return int(text) if text.isdigit() else None
    except (OSError, ValueError):
        return None


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only

    def _lock(fd: int) -> None:
        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
