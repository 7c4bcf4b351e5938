"""Before a library file is used: the lock, the checks, and what is set aside rather than used.

The file is opened by one OpAssess process at a time (an OS lock on library.lock) and checked
first: not SQLite, another program's database or a failed integrity check, it is moved aside
(never deleted); too new, it is left exactly as it was. A -wal without its database is set
aside too. Restoring a backup puts it in place under the same lock.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import stat
from contextlib import suppress
from pathlib import Path
from typing import NoReturn

from opassess.files import fsync_file, fsync_folder, plain_os_reason
from opassess.locking import FileLock, LockHeld
from opassess.store.backup import (
    LIBRARY_FILE,
    _backup_is_good,
    _forget_damage,
    _move_kept_apart,
    _note_damage,
    _note_missing,
    _utc_now,
    backups,
)
from opassess.store.errors import (
    LibraryDamaged,
    LibraryError,
    LibraryInUse,
    LibraryTooNew,
    _library_error,
)
from opassess.store.schema import (
    APPLICATION_ID,
    _quick_check_ok,
    _required_release,
    schema_version,
)

LOCK_FILE = "library.lock"
# Only this process writes (the OS lock sees to that), so waiting long for a lock means another
# program has the file open: better to say so quickly than to freeze the window.
BUSY_TIMEOUT_S = 1.0

_SIDE_FILES = ("-wal", "-shm")
_SMALLEST_DATABASE = 512  # bytes: SQLite's smallest page; a database is at least one page

log = logging.getLogger(__name__)


def _side_files(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in _SIDE_FILES]


def _acquire_lock(data_dir: Path) -> FileLock:
    lock = FileLock(data_dir / LOCK_FILE)
    try:
        lock.acquire()
    except LockHeld as held:
        where = f" (process {held.pid})" if held.pid else ""
        raise LibraryInUse(
            f"This library is already open in another OpAssess window or command{where}. "
            "Close it there, or use a different data folder.",
            held.pid,
        ) from None
    except OSError as exc:
        raise LibraryError(
            f"The data folder {data_dir} cannot be used: {plain_os_reason(exc, 'write')}"
        ) from exc
    return lock


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None)


def _open_checked(data_dir: Path) -> sqlite3.Connection:
    """Connect to the library file after making sure it is ours, sound and not too new."""
    path = data_dir / LIBRARY_FILE
    _refuse_what_is_not_a_file(path)
    _set_orphans_aside(path)
    _make_side_files_writable(path)
    if path.exists():
        # A zero-byte file is what an interrupted first start (or a sync tool's placeholder)
        # leaves. With no backups there never was anything in it: start afresh. With backups,
        # the library once had content, so an empty file means it was cut short: keep it aside
        # and say so, rather than quietly start an empty library that backups would rotate over.
        size = path.stat().st_size
        if size == 0 and backups(data_dir):
            _damaged(data_dir, "it is empty although there are backups (it was probably cut short)")
        # Shorter than the smallest page, SQLite takes it for an empty database and would write
        # over it: it is not one, so it is kept aside like any other file that is not.
        if 0 < size < _SMALLEST_DATABASE:
            _damaged(data_dir, "it is not a database")
        _inspect(data_dir, path)
    else:
        try:
            _note_missing(data_dir)
        except OSError as exc:
            log.warning("The backups of a missing library could not be noted: %s", exc)
    return _connect_for_use(path)


def _connect_for_use(path: Path) -> sqlite3.Connection:
    """The library's one connection, set up for durability (the file already checked)."""
    try:
        conn = _connect(path)
    except sqlite3.Error as exc:
        raise _library_error(exc, writing=False, folder=path.parent) from exc
    try:
        # WAL: readers never block the writer and a commit is one append. synchronous=FULL
        # syncs that append at every commit, so a returned save survives power loss too.
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.Error as exc:
        conn.close()
        raise _library_error(exc, writing=False, folder=path.parent) from exc
    return conn


def _refuse_what_is_not_a_file(path: Path) -> None:
    """A folder (or a device, a pipe...) where the library file belongs: say so, by name."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise LibraryError(
            f"The library file {path} cannot be read: {plain_os_reason(exc, 'read')}"
        ) from exc
    if stat.S_ISREG(mode):
        return
    what = "a folder" if stat.S_ISDIR(mode) else "not an ordinary file"
    raise LibraryError(
        f"The library file {path} is {what}, so the library cannot be opened. Move or rename "
        "it, then try again."
    )


def _make_side_files_writable(path: Path) -> None:
    """Give the -wal and -shm the library file's permissions again when they lost them.

    SQLite creates them with the permissions of the library file, so opening a library once
    while its file was read-only leaves read-only ones behind, and every later save would fail
    however writable the library file is again. Only this process uses them (the OS lock sees
    to that), so setting them right is safe; when that is not possible, the message names them.
    """
    try:
        library_mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return
    if not library_mode & stat.S_IWUSR:
        return  # the library itself is read-only: saying so is the write's job
    for side in _side_files(path):
        try:
            side_mode = stat.S_IMODE(side.stat().st_mode)
        except OSError:
            continue
        if side_mode & stat.S_IWUSR:
            continue
        try:
            os.chmod(side, library_mode)
        except OSError as exc:
            raise LibraryError(
                f"The library's working file {side.name} (beside {path.name} in {path.parent}) "
                f"is read-only and could not be made writable "
                f"({plain_os_reason(exc, 'write').rstrip('.')}). Make it writable, then try "
                "again; do not delete it, as it may hold the latest changes."
            ) from exc


def _inspect(data_dir: Path, path: Path) -> None:
    """Raise LibraryDamaged or LibraryTooNew for a file we must not use; otherwise return.

    The look is read-only: a read-write connection would replay a -wal into the file and delete
    it when closing, changing a file we are about to refuse or keep aside as it was.
    """
    sides_before = {side for side in _side_files(path) if side.exists()}
    verdict: str | None = None
    requires: str | None = None
    version = 0
    try:
        conn = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S
        )
    except sqlite3.Error as exc:
        raise _library_error(exc, writing=False, folder=data_dir) from exc
    try:
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        except sqlite3.OperationalError:
            raise  # cannot open or busy: not damage
        except sqlite3.DatabaseError:
            verdict = "it is not a database"
        else:
            if app_id == 0 and version == 0 and not tables:
                pass  # new, or never finished creating: the first migration builds it
            elif app_id != APPLICATION_ID or version < 1 or "workshops" not in tables:
                verdict = "it is another program's database, not an OpAssess library"
            elif version > schema_version():
                verdict = "too new"
                requires = _required_release(conn)
            elif not _quick_check_ok(conn):
                verdict = "it failed its integrity check"
    except sqlite3.Error as exc:
        raise _library_error(exc, writing=False, folder=data_dir) from exc
    finally:
        conn.close()
    if verdict == "too new":
        if not sides_before:
            _tidy_side_files(path)
        raise LibraryTooNew(version, schema_version(), requires)
    if verdict is not None:
        _damaged(data_dir, verdict)


def _tidy_side_files(path: Path) -> None:
    # The read-only look left an empty -wal and a -shm. A read-write connection that reads and
    # closes with nothing to checkpoint removes both (under SQLite's own locks) and leaves the
    # database file itself as it was.
    with suppress(sqlite3.Error):
        conn = _connect(path)
        try:
            conn.execute("PRAGMA user_version").fetchone()
        finally:
            conn.close()


def restore_backup(data_dir: Path, backup: Path) -> Path | None:
    """Put `backup` in place as the library; refused while the library is open.

    A library file already there (a new one started after a damage, say) is first moved aside
    under a name with the time, never overwritten: that name is returned (None when there was
    none). Restoring ends the offer of backups kept from before a damage.
    """
    data_dir = Path(data_dir)
    backup = Path(backup)
    lock = _acquire_lock(data_dir)
    try:
        target = data_dir / LIBRARY_FILE
        if not _backup_is_good(backup):
            raise LibraryError(
                f"The backup {backup.name} cannot be restored: it is damaged, missing or not an "
                "OpAssess library. Choose another."
            )
        _set_orphans_aside(target)
        partial = data_dir / (LIBRARY_FILE + ".restoring")
        kept: Path | None = None
        try:
            shutil.copyfile(backup, partial)
            fsync_file(partial)
            if os.path.lexists(target):
                kept = _set_aside(data_dir, "library.before-restore")
            os.replace(partial, target)
            fsync_folder(data_dir)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            where = f" The library that was there is kept as {kept.name}." if kept else ""
            raise LibraryError(
                f"The backup could not be restored: {plain_os_reason(exc, 'write')}{where}"
            ) from exc
        try:
            _forget_damage(data_dir)
        except OSError as exc:  # restored all the same; the offer is only made again
            log.warning("The note of backups kept after a damage could not be removed: %s", exc)
        return kept
    finally:
        lock.release()


def dismiss_recovery(data_dir: Path) -> Path | None:
    """Stop offering the backups kept from before a damage; the folder they are kept in.

    They are never deleted: they move to a folder of their own in backups/, out of the
    rotation, so no library prunes them. None when nothing was being offered.
    """
    data_dir = Path(data_dir)
    lock = _acquire_lock(data_dir)
    try:
        try:
            kept = _move_kept_apart(data_dir)
            _forget_damage(data_dir)
        except OSError as exc:
            raise LibraryError(
                "The backups from before the damage could not be moved out of the rotation: "
                f"{plain_os_reason(exc, 'write')} They are still offered."
            ) from exc
        return kept
    finally:
        lock.release()


def _set_aside(data_dir: Path, stem: str) -> Path:
    """Move the library file (and its -wal and -shm) to stem-<time>.sqlite3; that name."""
    path = data_dir / LIBRARY_FILE
    stamp = _utc_now().strftime("%Y%m%dT%H%M%SZ")
    kept = _unused_name(data_dir, f"{stem}-{stamp}", ".sqlite3")
    # Its side files go with it, under the same new name, so the copy aside opens as it was.
    for suffix in _SIDE_FILES:
        side = path.with_name(path.name + suffix)
        if side.exists():
            os.replace(side, kept.with_name(kept.name + suffix))
    os.replace(path, kept)
    fsync_folder(data_dir)
    return kept


def _damaged(data_dir: Path, reason: str) -> NoReturn:
    """Move the library file (and its WAL) aside under a new name and raise LibraryDamaged."""
    try:
        kept = _set_aside(data_dir, "library.damaged")
    except OSError as exc:
        raise LibraryError(
            f"The library file could not be used ({reason}) and could not be moved aside "
            f"({plain_os_reason(exc, 'write').rstrip('.')}). Nothing was deleted."
        ) from exc
    try:
        # The backups there are now are what to go back to: kept and offered at every start.
        _note_damage(data_dir, kept, reason)
    except OSError as exc:
        log.warning("The backups from before the damage could not be noted: %s", exc)
    raise LibraryDamaged(reason, kept, [b for b in backups(data_dir) if _backup_is_good(b)])


def _set_orphans_aside(path: Path) -> None:
    # A -wal without its database would be replayed into whatever file takes the name next.
    if path.exists():
        return
    sides = [path.with_name(path.name + s) for s in _SIDE_FILES]
    if not any(side.exists() for side in sides):
        return
    stamp = _utc_now().strftime("%Y%m%dT%H%M%SZ")
    kept = _unused_name(path.parent, f"library.orphaned-{stamp}", ".sqlite3")
    for side, suffix in zip(sides, _SIDE_FILES, strict=True):
        if side.exists():
            os.replace(side, kept.with_name(kept.name + suffix))


def _unused_name(folder: Path, stem: str, suffix: str) -> Path:
    """folder/stem+suffix, or stem-2, stem-3...: a name that no file (or its WAL) has yet."""
    n = 1
    while True:
        candidate = folder / (f"{stem}{suffix}" if n == 1 else f"{stem}-{n}{suffix}")
        taken = [candidate, *(candidate.with_name(candidate.name + s) for s in _SIDE_FILES)]
        if not any(p.exists() for p in taken):
            return candidate
        n += 1
