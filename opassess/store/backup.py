"""Rolling backups: a checked copy of the library in backups/, the oldest beyond a number removed.

A backup is written under another name and renamed once complete and checked, so a crash never
leaves something that looks like one. The library is copied only when its saved state moved on.
"""

from __future__ import annotations

import os
import re
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from opassess.files import fsync_file, fsync_folder
from opassess.store.schema import APPLICATION_ID, _quick_check_ok, schema_version

BACKUP_DIR = "backups"

_BACKUP_NAME = re.compile(r"^library-(\d{8}T\d{6}\.\d{6}Z)\.sqlite3$")


# The clock for every name and stamp the library writes: backups, files set aside, modified_at.
def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def backups(data_dir: Path) -> list[Path]:
    """The backups of the library in `data_dir`, newest first (not checked; see LibraryDamaged)."""
    folder = Path(data_dir) / BACKUP_DIR
    try:
        names = [p for p in folder.iterdir() if _BACKUP_NAME.match(p.name)]
    except OSError:
        return []
    # The timestamp is fixed-width, so name order is time order.
    return sorted(names, key=lambda p: p.name, reverse=True)


def _write_backup(conn: sqlite3.Connection, data_dir: Path, keep: int) -> Path:
    """A checked copy in backups/, then the oldest beyond `keep` removed."""
    folder = data_dir / BACKUP_DIR
    folder.mkdir(exist_ok=True)
    moment = _utc_now()
    while True:
        final = folder / f"library-{moment.strftime('%Y%m%dT%H%M%S.%fZ')}.sqlite3"
        if not final.exists():
            break
        moment += timedelta(microseconds=1)
    # Written under another name and renamed when complete and checked: a crash mid-copy
    # never leaves something that looks like a backup.
    partial = final.with_name(final.name + ".partial")
    target = sqlite3.connect(str(partial), isolation_level=None)
    try:
        conn.backup(target)
        # A self-contained file: no -wal beside it, readable read-only, copyable as is.
        target.execute("PRAGMA journal_mode = DELETE")
    finally:
        target.close()
    if not _backup_is_good(partial):
        partial.unlink(missing_ok=True)
        raise sqlite3.DatabaseError("the copy did not pass its integrity check")
    fsync_file(partial)
    os.replace(partial, final)
    fsync_folder(folder)
    _prune_backups(data_dir, keep)
    return final


def _prune_backups(data_dir: Path, keep: int) -> None:
    for old in backups(data_dir)[keep:]:
        old.unlink(missing_ok=True)
    for leftover in (data_dir / BACKUP_DIR).glob("*.partial"):
        leftover.unlink(missing_ok=True)  # from a copy interrupted by a crash


def _backup_is_good(path: Path) -> bool:
    """Opens read-only as an OpAssess library this version can read, and passes quick_check."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except (sqlite3.Error, OSError, ValueError):
        return False
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        return (
            app_id == APPLICATION_ID and 1 <= version <= schema_version() and _quick_check_ok(conn)
        )
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def _saved_state(conn: sqlite3.Connection) -> tuple[Any, ...] | None:
    """What tells one saved state from the next: every write moves modified_at or the count.

    None for a library not created yet, or one that cannot be read.
    """
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version < 1:
            return None  # nothing stored yet: nothing worth a backup
        count, newest = conn.execute("SELECT count(*), max(modified_at) FROM workshops").fetchone()
    except sqlite3.Error:
        return None
    return (version, count, newest)


def _newest_backup_state(data_dir: Path) -> tuple[Any, ...] | None:
    for candidate in backups(data_dir)[:1]:
        try:
            conn = sqlite3.connect(f"{candidate.resolve().as_uri()}?mode=ro", uri=True)
        except sqlite3.Error:
            return None
        try:
            return _saved_state(conn)
        finally:
            conn.close()
    return None
