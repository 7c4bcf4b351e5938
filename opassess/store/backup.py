"""Rolling backups: a checked copy of the library in backups/, the oldest beyond a number removed.

A backup is written under another name and renamed once complete and checked, so a crash never
leaves something that looks like one. The library is copied only when its saved state moved on.

When a damaged library is set aside, the backups there are then are what to go back to. A
marker beside the library (library.recovery.json) names them and the file set aside: they are
never pruned while it is there, and each start offers them, until one is restored (the marker
goes) or they are dismissed (they move to a folder of their own in backups/, out of the
rotation, and the marker goes). A new library started meanwhile never pushes them out.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from opassess.files import fsync_file, fsync_folder, write_atomically
from opassess.store.schema import APPLICATION_ID, _quick_check_ok, schema_version

BACKUP_DIR = "backups"
RECOVERY_FILE = "library.recovery.json"
LIBRARY_FILE = "library.sqlite3"
# Backups dismissed after a damage: backups/before-damage-<when found>/, never pruned.
KEPT_DIR_PREFIX = "before-damage-"

_BACKUP_NAME = re.compile(r"^library-(\d{8}T\d{6}\.\d{6}Z)\.sqlite3$")
_STAMP = "%Y%m%dT%H%M%S.%fZ"

log = logging.getLogger(__name__)


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
    # Backups from before a damage are not this library's to rotate out (see the module).
    protected = _protected_names(data_dir)
    rotating = [b for b in backups(data_dir) if b.name not in protected]
    for old in rotating[keep:]:
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


def backup_time(path: Path) -> datetime | None:
    """When a backup was taken (UTC), read from its name; None for another name."""
    found = _BACKUP_NAME.match(path.name)
    if found is None:
        return None
    return datetime.strptime(found.group(1), _STAMP).replace(tzinfo=timezone.utc)


def kept_backups(data_dir: Path) -> list[Path]:
    """Backups dismissed after a damage, in their own folders of backups/, newest first."""
    folder = Path(data_dir) / BACKUP_DIR
    try:
        kept = [
            p
            for sub in folder.iterdir()
            if sub.is_dir() and sub.name.startswith(KEPT_DIR_PREFIX)
            for p in sub.iterdir()
            if _BACKUP_NAME.match(p.name)
        ]
    except OSError:
        return []
    return sorted(kept, key=lambda p: p.name, reverse=True)


# -- after a damage: the backups from before it, kept and offered ----------------------------------


@dataclass(frozen=True)
class Recovery:
    """Backups from before the library was found damaged, offered until restored or dismissed."""

    found_at: datetime  # when the damage was found (UTC), the first time if more than once
    reason: str
    set_aside: tuple[Path, ...]  # the files moved aside, oldest first
    backups: tuple[Path, ...]  # the good ones still there, newest first


def _read_marker(data_dir: Path) -> dict[str, Any] | None:
    try:
        text = (Path(data_dir) / RECOVERY_FILE).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        log.warning("The note of backups kept after a damage could not be read: %s", exc)
        return None
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        log.warning("The note of backups kept after a damage is not readable; ignored.")
        return None
    return data


def _marker_names(data: dict[str, Any], key: str) -> list[str]:
    names = data.get(key)
    if not isinstance(names, list):
        return []
    return [n for n in names if isinstance(n, str) and n == Path(n).name]


def _protected_names(data_dir: Path) -> set[str]:
    data = _read_marker(data_dir)
    return set() if data is None else set(_marker_names(data, "backups"))


MISSING_REASON = "the library file was missing although there are backups"


def _note_missing(data_dir: Path) -> None:
    """A library file gone while its backups remain (deleted, or moved by a sync tool): the
    backups there are now are protected and offered at every start, as after a damage,
    before a new library's own backups could push them out."""
    present = [b.name for b in backups(data_dir)]
    if not present or _read_marker(data_dir) is not None:
        return
    data = {"found_at": _utc_now().isoformat(), "reason": MISSING_REASON, "set_aside": []}
    data["backups"] = sorted(present, reverse=True)
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    write_atomically(Path(data_dir) / RECOVERY_FILE, text.encode("utf-8"))


def _note_damage(data_dir: Path, kept_aside: Path, reason: str) -> None:
    """Name the backups there are now, and the file just set aside, in the marker.

    Called under the library's lock when a damaged file has been set aside. A second damage
    before anything was restored adds to the first: every backup named stays protected.
    """
    present = [b.name for b in backups(data_dir)]
    data = _read_marker(data_dir)
    if data is None:
        if not present:
            return  # nothing to offer: the message says so
        data = {"found_at": _utc_now().isoformat(), "reason": reason}
    data["set_aside"] = [*_marker_names(data, "set_aside"), kept_aside.name]
    data["backups"] = sorted(set(_marker_names(data, "backups")) | set(present), reverse=True)
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    write_atomically(Path(data_dir) / RECOVERY_FILE, text.encode("utf-8"))


def recovery_offer(data_dir: Path) -> Recovery | None:
    """The backups kept from before a damage, when there are any left to offer; else None."""
    data_dir = Path(data_dir)
    data = _read_marker(data_dir)
    if data is None and not (data_dir / LIBRARY_FILE).exists() and backups(data_dir):
        # gone since the last start (the marker is written when a fresh one is made): offer
        # the backups now, before a new library is started
        data = {"reason": MISSING_REASON, "backups": [b.name for b in backups(data_dir)]}
    if data is None:
        return None
    folder = data_dir / BACKUP_DIR
    good = tuple(
        folder / name
        for name in sorted(_marker_names(data, "backups"), reverse=True)
        if _BACKUP_NAME.match(name) and _backup_is_good(folder / name)
    )
    if not good:
        return None
    try:
        found_at = datetime.fromisoformat(str(data.get("found_at")))
    except ValueError:
        found_at = backup_time(good[0]) or _utc_now()
    return Recovery(
        found_at=found_at,
        reason=str(data.get("reason") or "it could not be used"),
        set_aside=tuple(data_dir / name for name in _marker_names(data, "set_aside")),
        backups=good,
    )


def _forget_damage(data_dir: Path) -> None:
    (Path(data_dir) / RECOVERY_FILE).unlink(missing_ok=True)
    fsync_folder(Path(data_dir))


def _move_kept_apart(data_dir: Path) -> Path | None:
    """Move the backups the marker names out of the rotation; the folder they went to."""
    data = _read_marker(data_dir)
    if data is None:
        return None
    folder = Path(data_dir) / BACKUP_DIR
    try:
        found_at = datetime.fromisoformat(str(data.get("found_at")))
    except ValueError:
        found_at = _utc_now()
    kept = folder / f"{KEPT_DIR_PREFIX}{found_at.astimezone(timezone.utc):%Y%m%dT%H%M%SZ}"
    kept.mkdir(exist_ok=True)
    for name in _marker_names(data, "backups"):
        if (folder / name).exists():
            os.replace(folder / name, kept / name)
    fsync_folder(kept)
    fsync_folder(folder)
    return kept
