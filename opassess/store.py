"""The library: every workshop, kept in one local SQLite file that survives crashes.

Every write is one `BEGIN IMMEDIATE ... COMMIT` transaction with synchronous=FULL, committed
before the call returns: once a save returns, the edit is on disk. The file is opened by one
OpAssess process at a time (an OS lock on library.lock), checked at open (not SQLite, another
program's database, a failed integrity check: moved aside, never deleted), migrated forward
inside a transaction, and copied to rolling backups at open and at close.

Tables are normalised (one row per participant, rating, consensus, target and action) so a small
edit writes only the rows it changed: `save_change` asks changes.py what differs.

Each workshop keeps its own frozen copy of its framework, stored once per distinct copy: a row of
`frameworks` named by the SHA-256 of its JSON, which workshops name in turn. Adapting one
workshop's wording stores a new copy and points that workshop alone at it; a copy no workshop
names any more is removed in the same transaction.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import sqlite3
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Set
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

from opassess import __version__
from opassess.files import (
    date_from_text,
    date_text,
    fsync_file,
    fsync_folder,
    plain_os_reason,
)
from opassess.locking import FileLock, LockHeld

# The workshop model is imported where a workshop is read or written, not here: the home window
# lists workshops from their summary rows alone, and the model's import is a cost at start-up.
if TYPE_CHECKING:
    from opassess.changes import WorkshopChange
    from opassess.frameworks import Framework
    from opassess.workshop import Action, Workshop

log = logging.getLogger(__name__)

LIBRARY_FILE = "library.sqlite3"
LOCK_FILE = "library.lock"
BACKUP_DIR = "backups"
DEFAULT_KEEP_BACKUPS = 10
# PRAGMA application_id: "OpAs" in ASCII. Tells our file apart from any other SQLite database.
APPLICATION_ID = 0x4F704173
# Only this process writes (the OS lock sees to that), so waiting long for a lock means another
# program has the file open: better to say so quickly than to freeze the window.
BUSY_TIMEOUT_S = 1.0

K = TypeVar("K")


# -- errors -------------------------------------------------------------------------------------


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


# -- schema and migrations ----------------------------------------------------------------------

_SCHEMA_V1 = """
CREATE TABLE library_info (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Each distinct framework copy once: fingerprint is the SHA-256 (hex) of json's UTF-8 bytes,
-- json is framework_to_dict as written, read back with framework_from_trusted_dict. A row is
-- never changed: different wording is a different row.
CREATE TABLE frameworks (
    fingerprint TEXT PRIMARY KEY NOT NULL,
    json TEXT NOT NULL
);

CREATE TABLE workshops (
    id TEXT PRIMARY KEY NOT NULL,
    title TEXT NOT NULL,
    organisation TEXT NOT NULL,
    team TEXT NOT NULL,
    held_on TEXT,
    facilitator TEXT NOT NULL,
    name_display TEXT NOT NULL,
    reassess_on TEXT,
    reassesses TEXT,
    created_at TEXT NOT NULL,
    modified_at TEXT NOT NULL,
    search_text TEXT NOT NULL,
    scope_json TEXT NOT NULL,
    framework TEXT NOT NULL REFERENCES frameworks (fingerprint)
);

-- Covers the library list and its search.
CREATE INDEX workshops_listing ON workshops (
    modified_at DESC, id, title, organisation, team, held_on, reassess_on, reassesses, search_text
);

-- Finds whether any workshop still names a framework copy (and lets SQLite check the key).
CREATE INDEX workshops_by_framework ON workshops (framework);

CREATE TABLE participants (
    workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    PRIMARY KEY (workshop_id, id)
) WITHOUT ROWID;

-- seq (the rowid, made explicit so VACUUM keeps it) is the order the rows were added: it gives
-- back a mapping in its own order. Ratings name a participant without a foreign key: rewriting
-- the participant rows must not cascade into ratings the edit did not touch.
CREATE TABLE ratings (
    seq INTEGER PRIMARY KEY,
    workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
    participant_id TEXT NOT NULL,
    dimension_id TEXT NOT NULL,
    stage TEXT NOT NULL,
    evidence TEXT NOT NULL,
    UNIQUE (workshop_id, participant_id, dimension_id)
);

CREATE TABLE consensus (
    seq INTEGER PRIMARY KEY,
    workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
    dimension_id TEXT NOT NULL,
    stage TEXT NOT NULL,
    rationale TEXT NOT NULL,
    dissent TEXT NOT NULL,
    UNIQUE (workshop_id, dimension_id)
);

CREATE TABLE targets (
    seq INTEGER PRIMARY KEY,
    workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
    dimension_id TEXT NOT NULL,
    stage TEXT NOT NULL,
    UNIQUE (workshop_id, dimension_id)
);

CREATE TABLE actions (
    seq INTEGER PRIMARY KEY,
    workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    dimension_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    responsible TEXT NOT NULL,
    accountable TEXT NOT NULL,
    due_on TEXT,
    status TEXT NOT NULL,
    UNIQUE (workshop_id, id)
);

-- Loading reads one workshop's rows in seq order: these serve both at once, whatever the planner
-- would otherwise guess without statistics (a scan of the whole table, on a small file).
CREATE INDEX ratings_in_order ON ratings (workshop_id, seq);
CREATE INDEX consensus_in_order ON consensus (workshop_id, seq);
CREATE INDEX targets_in_order ON targets (workshop_id, seq);
CREATE INDEX actions_in_order ON actions (workshop_id, seq);
"""


@dataclass(frozen=True)
class Migration:
    """One forward step: SQL or a function run inside the upgrade transaction."""

    version: int  # the schema version this step produces
    opassess: str  # the first OpAssess release that reads that version (shown to older ones)
    apply: str | Callable[[sqlite3.Connection], None]


# Ordered, never edited once released: a new schema is a new entry at the end.
MIGRATIONS: list[Migration] = [
    Migration(1, "0.1.0", _SCHEMA_V1),
]


def schema_version() -> int:
    """The schema version this OpAssess writes (the last migration's)."""
    return MIGRATIONS[-1].version


# -- values -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkshopSummary:
    """One line of the library list."""

    id: str
    title: str
    organisation: str
    team: str
    held_on: date | None
    reassess_on: date | None
    reassesses: str | None
    modified_at: datetime
    participant_count: int
    reassessed: bool = False  # a later workshop in the library re-assesses this one


# -- the library --------------------------------------------------------------------------------


class Library:
    """An open library. Use `Library.open(folder)`; close it (or use `with`) when done."""

    def __init__(
        self, data_dir: Path, conn: sqlite3.Connection, lock: FileLock, keep_backups: int
    ) -> None:
        self.data_dir = data_dir
        self.path = data_dir / LIBRARY_FILE
        self.keep_backups = keep_backups
        self._conn: sqlite3.Connection | None = conn
        self._lock = lock
        self._last_stamp = ""
        self._backed_up: tuple[Any, ...] | None = None  # _saved_state of the newest backup
        self._framework_memo: tuple[Framework, str, str] | None = None

    # -- opening and closing --------------------------------------------------------------------

    @classmethod
    def open(cls, data_dir: Path, *, keep_backups: int = DEFAULT_KEEP_BACKUPS) -> Library:
        """Open (or create) the library in `data_dir`, checking, backing up and upgrading it."""
        if keep_backups < 1:
            raise ValueError("keep_backups must be at least 1")
        data_dir = Path(data_dir)
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LibraryError(f"The data folder {data_dir} cannot be created ({exc}).") from exc
        lock = _acquire_lock(data_dir)
        conn = None
        try:
            conn = _open_checked(data_dir)
            library = cls(data_dir, conn, lock, keep_backups)
            # Before any upgrade: the backup is what to go back to if the new version misbehaves.
            library._backed_up = _newest_backup_state(data_dir)
            library._backup_if_changed(check=False)
            _migrate(conn)
            return library
        except BaseException:
            if conn is not None:
                conn.close()
            lock.release()
            raise

    def close(self) -> None:
        """Back up what changed, close the file and let go of the lock. Safe to call twice."""
        conn = self._conn
        if conn is None:
            return
        try:
            try:
                self._backup_if_changed(check=True)
            except (LibraryError, OSError, sqlite3.Error) as exc:
                # Closing must not fail because a backup could not be written: the library
                # itself is committed. Say so in the log rather than keep the file open.
                log.warning("No backup was written when closing the library: %s", exc)
            with suppress(sqlite3.Error):
                conn.execute("PRAGMA optimize")
        finally:
            self._conn = None
            conn.close()
            self._lock.release()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def closed(self) -> bool:
        return self._conn is None

    # -- reading --------------------------------------------------------------------------------

    def exists(self, workshop_id: str) -> bool:
        with self._reading() as conn:
            row = conn.execute("SELECT 1 FROM workshops WHERE id = ?", (workshop_id,)).fetchone()
        return row is not None

    def load(self, workshop_id: str) -> Workshop:
        """The workshop as last saved; WorkshopNotFound if there is none with that id."""
        with self._reading() as conn:
            return _load(conn, workshop_id)

    def list_workshops(self, search: str = "") -> list[WorkshopSummary]:
        """Every workshop, most recently changed first; `search` matches title/organisation/team
        (case-insensitive, anywhere in the text)."""
        needle = search.strip().casefold()
        sql = _LIST_SQL.format(where="WHERE instr(w.search_text, ?) > 0" if needle else "")
        with self._reading() as conn:
            rows = conn.execute(sql, (needle,) if needle else ()).fetchall()
            # Over the whole library, not only the rows a search found.
            looked_at_again = {earlier for (earlier,) in conn.execute(REASSESSED_SQL)}
        return [
            WorkshopSummary(
                id=row[0],
                title=row[1],
                organisation=row[2],
                team=row[3],
                held_on=date_from_text(row[4]),
                reassess_on=date_from_text(row[5]),
                reassesses=row[6],
                modified_at=datetime.fromisoformat(row[7]),
                participant_count=row[8],
                reassessed=row[0] in looked_at_again,
            )
            for row in rows
        ]

    # -- writing --------------------------------------------------------------------------------

    def add(self, workshop: Workshop) -> None:
        """Store a new workshop; DuplicateWorkshop if its id is taken (e.g. undo of a delete)."""
        self.add_many((workshop,))

    def add_many(self, workshops: Iterable[Workshop]) -> int:
        """Store several new workshops in one transaction (imports, tests); returns how many."""
        workshops = list(workshops)
        with self._transaction() as conn:
            for workshop in workshops:
                if _exists(conn, workshop.id):
                    raise DuplicateWorkshop(workshop.id)
            self._insert(conn, workshops)
        return len(workshops)

    def replace(self, workshop: Workshop) -> None:
        """Overwrite a stored workshop as a whole (e.g. after an import or a repair)."""
        with self._transaction() as conn:
            old_framework = _framework_of(conn, workshop.id)
            if old_framework is None:
                raise WorkshopNotFound(workshop.id)
            conn.execute("DELETE FROM workshops WHERE id = ?", (workshop.id,))
            self._insert(conn, [workshop])
            conn.execute(_DROP_UNUSED_FRAMEWORK, (old_framework,))

    def save_change(self, before: Workshop, after: Workshop) -> WorkshopChange:
        """Write what differs between `before` (as stored) and `after`, and nothing else."""
        from opassess.changes import changes_between

        change = changes_between(before, after)
        if not change:
            return change
        wid = after.id
        with self._transaction() as conn:
            columns: dict[str, Any] = {"modified_at": self._stamp()}
            if change.details:
                columns.update(_detail_columns(after))
            if change.scope:
                columns["scope_json"] = _dumps(list(after.scope))
            old_framework = None
            if change.framework:
                old_framework = _framework_of(conn, wid)
                fingerprint, text = self._framework_row(after.framework)
                conn.execute(_INSERT_FRAMEWORK, (fingerprint, text))
                columns["framework"] = fingerprint
            assignments = ", ".join(f"{name} = ?" for name in columns)
            updated = conn.execute(
                f"UPDATE workshops SET {assignments} WHERE id = ?", (*columns.values(), wid)
            )
            if updated.rowcount == 0:
                raise WorkshopNotFound(wid)
            if old_framework is not None:
                conn.execute(_DROP_UNUSED_FRAMEWORK, (old_framework,))
            if change.participants:
                conn.execute("DELETE FROM participants WHERE workshop_id = ?", (wid,))
                conn.executemany(_INSERT_PARTICIPANT, _participant_rows(after))
            if change.ratings:
                _write_keyed(
                    conn,
                    wid,
                    before.ratings,
                    after.ratings,
                    change.ratings,
                    delete="DELETE FROM ratings WHERE workshop_id = ? "
                    "AND participant_id = ? AND dimension_id = ?",
                    upsert=_UPSERT_RATING,
                    key_params=lambda key: key,
                    row=lambda key, r: (wid, key[0], key[1], r.stage, r.evidence),
                )
            if change.consensus:
                _write_keyed(
                    conn,
                    wid,
                    before.consensus,
                    after.consensus,
                    change.consensus,
                    delete="DELETE FROM consensus WHERE workshop_id = ? AND dimension_id = ?",
                    upsert=_UPSERT_CONSENSUS,
                    key_params=lambda key: (key,),
                    row=lambda key, c: (wid, key, c.stage, c.rationale, c.dissent),
                )
            if change.targets:
                _write_keyed(
                    conn,
                    wid,
                    before.targets,
                    after.targets,
                    change.targets,
                    delete="DELETE FROM targets WHERE workshop_id = ? AND dimension_id = ?",
                    upsert=_UPSERT_TARGET,
                    key_params=lambda key: (key,),
                    row=lambda key, stage: (wid, key, stage),
                )
            if change.actions:
                _write_actions(conn, wid, before.actions, after.actions, change.actions)
        return change

    def delete(self, workshop_id: str) -> Workshop:
        """Remove a workshop and return it as it was, so that `add` can undo the deletion."""
        with self._transaction() as conn:
            workshop = _load(conn, workshop_id)
            old_framework = _framework_of(conn, workshop_id)
            conn.execute("DELETE FROM workshops WHERE id = ?", (workshop_id,))
            conn.execute(_DROP_UNUSED_FRAMEWORK, (old_framework,))
        return workshop

    # -- internals ------------------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise LibraryError("The library is closed.")
        return self._conn

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        # No explicit read transaction: this connection is the only writer (the OS lock sees to
        # that) and it is not writing while it reads, so the statements see one state.
        conn = self._connection()
        try:
            yield conn
        except sqlite3.Error as exc:
            raise _library_error(exc, writing=False) from exc

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT: all of it on disk when this returns, or none of it."""
        conn = self._connection()
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _library_error(exc, writing=True) from exc
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                # If even the rollback fails the transaction is gone; report the first problem.
                with suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            if isinstance(exc, (sqlite3.Error, UnicodeEncodeError)):
                raise _library_error(exc, writing=True) from exc
            raise

    def _stamp(self) -> str:
        """modified_at now, strictly later than the last one this library wrote."""
        stamp = _iso_utc(_utc_now())
        if stamp <= self._last_stamp:
            stamp = _iso_utc(datetime.fromisoformat(self._last_stamp) + timedelta(microseconds=1))
        self._last_stamp = stamp
        return stamp

    def _framework_row(self, framework: Framework) -> tuple[str, str]:
        """The fingerprint and JSON of a framework copy (its row in `frameworks`)."""
        # Workshops share their framework object until one is adapted: serialise it once.
        memo = self._framework_memo
        if memo is not None and memo[0] is framework:
            return memo[1], memo[2]
        from opassess.frameworks import framework_to_dict

        text = _dumps(framework_to_dict(framework))
        import hashlib  # only writes need it; keeps OpenSSL off the start-up path

        fingerprint = hashlib.sha256(text.encode("utf-8")).hexdigest()
        self._framework_memo = (framework, fingerprint, text)
        return fingerprint, text

    def _insert(self, conn: sqlite3.Connection, workshops: Sequence[Workshop]) -> None:
        workshop_rows, participants, ratings, consensus, targets, actions = [], [], [], [], [], []
        frameworks: dict[str, str] = {}  # each distinct copy once, however many workshops share it
        for w in workshops:
            fingerprint, text = self._framework_row(w.framework)
            frameworks[fingerprint] = text
            workshop_rows.append(
                {
                    "id": w.id,
                    **_detail_columns(w),
                    "modified_at": self._stamp(),
                    "scope_json": _dumps(list(w.scope)),
                    "framework": fingerprint,
                }
            )
            participants.extend(_participant_rows(w))
            ratings.extend(
                (w.id, key[0], key[1], r.stage, r.evidence) for key, r in w.ratings.items()
            )
            consensus.extend(
                (w.id, d, c.stage, c.rationale, c.dissent) for d, c in w.consensus.items()
            )
            targets.extend((w.id, d, stage) for d, stage in w.targets.items())
            for dimension_id, items in w.actions.items():
                actions.extend(_action_rows(w.id, dimension_id, items))
        conn.executemany(_INSERT_FRAMEWORK, frameworks.items())
        names = list(workshop_rows[0]) if workshop_rows else []
        conn.executemany(
            f"INSERT INTO workshops ({', '.join(names)}) "
            f"VALUES ({', '.join(':' + n for n in names)})",
            workshop_rows,
        )
        conn.executemany(_INSERT_PARTICIPANT, participants)
        conn.executemany(_UPSERT_RATING, ratings)
        conn.executemany(_UPSERT_CONSENSUS, consensus)
        conn.executemany(_UPSERT_TARGET, targets)
        conn.executemany(_INSERT_ACTION, actions)

    def _backup_if_changed(self, *, check: bool) -> Path | None:
        """Copy the library to backups/ unless the newest backup already holds this state."""
        conn = self._connection()
        state = _saved_state(conn)
        if state is None or state == self._backed_up:
            return None
        # A damaged library must never push good backups out of the rotation.
        if check and not _quick_check_ok(conn):
            log.warning("The library failed its integrity check; no backup was written.")
            return None
        try:
            path = _write_backup(conn, self.data_dir, self.keep_backups)
        except (OSError, sqlite3.Error) as exc:
            log.warning("No backup of the library could be written: %s", exc)
            return None
        self._backed_up = state
        return path

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        return f"<Library {self.path} ({state})>"


# -- queries ------------------------------------------------------------------------------------

_LIST_SQL = """
SELECT w.id, w.title, w.organisation, w.team, w.held_on, w.reassess_on, w.reassesses,
       w.modified_at,
       (SELECT count(*) FROM participants AS p WHERE p.workshop_id = w.id)
FROM workshops AS w {where}
ORDER BY w.modified_at DESC, w.id
"""

LOAD_SQL = {
    "workshop": "SELECT title, organisation, team, held_on, facilitator, name_display, "
    "reassess_on, reassesses, created_at, scope_json, framework "
    "FROM workshops WHERE id = ?",
    "participants": "SELECT id, name, role FROM participants WHERE workshop_id = ? "
    "ORDER BY position",
    "ratings": "SELECT participant_id, dimension_id, stage, evidence FROM ratings "
    "WHERE workshop_id = ? ORDER BY seq",
    "consensus": "SELECT dimension_id, stage, rationale, dissent FROM consensus "
    "WHERE workshop_id = ? ORDER BY seq",
    "targets": "SELECT dimension_id, stage FROM targets WHERE workshop_id = ? ORDER BY seq",
    "actions": "SELECT dimension_id, position, id, text, responsible, accountable, due_on, "
    "status FROM actions WHERE workshop_id = ? ORDER BY seq",
}
LIST_SQL = _LIST_SQL.format(where="")
# The workshops a later one re-assesses (read from the listing's covering index).
REASSESSED_SQL = "SELECT DISTINCT reassesses FROM workshops WHERE reassesses IS NOT NULL"
# Only when the copy a workshop names is not in the cache of parsed frameworks yet.
FRAMEWORK_SQL = "SELECT json FROM frameworks WHERE fingerprint = ?"

# A copy already stored (another workshop has the same wording) is left as it is.
_INSERT_FRAMEWORK = (
    "INSERT INTO frameworks (fingerprint, json) VALUES (?, ?) ON CONFLICT (fingerprint) DO NOTHING"
)
# After a workshop stops naming a copy: remove it unless another workshop still names it.
_DROP_UNUSED_FRAMEWORK = (
    "DELETE FROM frameworks WHERE fingerprint = ? AND NOT EXISTS "
    "(SELECT 1 FROM workshops AS w WHERE w.framework = frameworks.fingerprint)"
)

_INSERT_PARTICIPANT = (
    "INSERT INTO participants (workshop_id, id, position, name, role) VALUES (?, ?, ?, ?, ?)"
)
_UPSERT_RATING = (
    "INSERT INTO ratings (workshop_id, participant_id, dimension_id, stage, evidence) "
    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (workshop_id, participant_id, dimension_id) "
    "DO UPDATE SET stage = excluded.stage, evidence = excluded.evidence"
)
_UPSERT_CONSENSUS = (
    "INSERT INTO consensus (workshop_id, dimension_id, stage, rationale, dissent) "
    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (workshop_id, dimension_id) DO UPDATE SET "
    "stage = excluded.stage, rationale = excluded.rationale, dissent = excluded.dissent"
)
_UPSERT_TARGET = (
    "INSERT INTO targets (workshop_id, dimension_id, stage) VALUES (?, ?, ?) "
    "ON CONFLICT (workshop_id, dimension_id) DO UPDATE SET stage = excluded.stage"
)
_INSERT_ACTION = (
    "INSERT INTO actions (workshop_id, id, dimension_id, position, text, responsible, "
    "accountable, due_on, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _exists(conn: sqlite3.Connection, workshop_id: str) -> bool:
    return (
        conn.execute("SELECT 1 FROM workshops WHERE id = ?", (workshop_id,)).fetchone() is not None
    )


def _framework_of(conn: sqlite3.Connection, workshop_id: str) -> str | None:
    """The fingerprint of the framework copy a workshop names; None if there is no such workshop."""
    row = conn.execute("SELECT framework FROM workshops WHERE id = ?", (workshop_id,)).fetchone()
    return None if row is None else row[0]


def _load(conn: sqlite3.Connection, workshop_id: str) -> Workshop:
    from opassess.workshop import Action, Consensus, Participant, Rating, Workshop

    key = (workshop_id,)
    row = conn.execute(LOAD_SQL["workshop"], key).fetchone()
    if row is None:
        raise WorkshopNotFound(workshop_id)
    (title, organisation, team, held_on, facilitator, name_display, reassess_on, reassesses,
     created_at, scope_json, fingerprint) = row  # fmt: skip
    participants = tuple(
        Participant(pid, name, role)
        for pid, name, role in conn.execute(LOAD_SQL["participants"], key)
    )
    ratings = {
        (pid, did): Rating(pid, did, stage, evidence)
        for pid, did, stage, evidence in conn.execute(LOAD_SQL["ratings"], key)
    }
    consensus = {
        did: Consensus(stage, rationale, dissent)
        for did, stage, rationale, dissent in conn.execute(LOAD_SQL["consensus"], key)
    }
    targets = dict(conn.execute(LOAD_SQL["targets"], key).fetchall())
    grouped: dict[str, list[tuple[int, Action]]] = {}
    for did, position, aid, text, responsible, accountable, due_on, status in conn.execute(
        LOAD_SQL["actions"], key
    ):
        action = Action(aid, text, responsible, accountable, date_from_text(due_on), status)
        grouped.setdefault(did, []).append((position, action))
    actions = {
        did: tuple(action for _, action in sorted(items, key=lambda item: item[0]))
        for did, items in grouped.items()
    }
    return Workshop(
        id=workshop_id,
        title=title,
        framework=_stored_framework(conn, fingerprint),
        organisation=organisation,
        team=team,
        held_on=date_from_text(held_on),
        facilitator=facilitator,
        participants=participants,
        scope=tuple(json.loads(scope_json)),
        ratings=ratings,
        consensus=consensus,
        targets=targets,
        actions=actions,
        reassess_on=date_from_text(reassess_on),
        reassesses=reassesses,
        name_display=name_display,
        created_at=datetime.fromisoformat(created_at),
    )


def _detail_columns(w: Workshop) -> dict[str, Any]:
    return {
        "title": w.title,
        "organisation": w.organisation,
        "team": w.team,
        "held_on": date_text(w.held_on),
        "facilitator": w.facilitator,
        "name_display": w.name_display,
        "reassess_on": date_text(w.reassess_on),
        "reassesses": w.reassesses,
        "created_at": w.created_at.isoformat(),
        "search_text": "\n".join((w.title, w.organisation, w.team)).casefold(),
    }


def _participant_rows(w: Workshop) -> list[tuple[Any, ...]]:
    return [(w.id, p.id, i, p.name, p.role) for i, p in enumerate(w.participants)]


def _action_rows(
    workshop_id: str, dimension_id: str, actions: Sequence[Action], start: int = 0
) -> list[tuple[Any, ...]]:
    return [
        (
            workshop_id,
            a.id,
            dimension_id,
            i,
            a.text,
            a.responsible,
            a.accountable,
            date_text(a.due_on),
            a.status,
        )
        for i, a in enumerate(actions[start:], start)
    ]


# -- writing only what changed, in order --------------------------------------------------------


def order_plan(
    before_keys: Sequence[K], after_keys: Sequence[K], changed: Set[K]
) -> tuple[list[K], list[K]]:
    """Which changed keys to rewrite where they are, and which to move to the end (in order).

    Rows are read back in the order they were added (seq), as a dict keeps its keys. A changed
    key that stays in place must keep its row (an upsert); a key the edit moved to the end (as
    building a new dict without it, then adding it, does) must get a new row. Unchanged rows are
    never touched: if the new order cannot be reached without touching them, the changed keys are
    rewritten in place and only the order of the mapping differs, never its content.
    """
    position = {key: i for i, key in enumerate(before_keys)}
    # The longest prefix of the new order that the old rows already have, in the same order...
    prefix = 0
    last = -1
    for key in after_keys:
        i = position.get(key)
        if i is None or i < last:
            break
        last = i
        prefix += 1
    # ...then the shortest tail made only of changed keys, which can be appended afresh.
    tail_start = len(after_keys)
    while tail_start > 0 and after_keys[tail_start - 1] in changed:
        tail_start -= 1
    if tail_start > prefix:
        return [k for k in after_keys if k in changed], []
    return [k for k in after_keys[:prefix] if k in changed], list(after_keys[prefix:])


def _write_keyed(
    conn: sqlite3.Connection,
    workshop_id: str,
    before: Mapping[K, Any],
    after: Mapping[K, Any],
    changed: Set[K],
    *,
    delete: str,
    upsert: str,
    key_params: Callable[[K], tuple[Any, ...]],
    row: Callable[[K, Any], tuple[Any, ...]],
) -> None:
    """Write the changed keys of one-row-per-key mapping (ratings, consensus, targets)."""
    in_place, moved = order_plan(list(before), list(after), changed)
    gone = [key for key in changed if key not in after]
    # A moved key that existed loses its old row so its new one sorts last.
    drop = gone + [key for key in moved if key in before]
    if drop:
        conn.executemany(delete, [(workshop_id, *key_params(key)) for key in drop])
    writes = in_place + moved
    if writes:
        conn.executemany(upsert, [row(key, after[key]) for key in writes])


def _write_actions(
    conn: sqlite3.Connection,
    workshop_id: str,
    before: Mapping[str, Sequence[Action]],
    after: Mapping[str, Sequence[Action]],
    changed: Set[str],
) -> None:
    """Rewrite the actions of the changed barriers, keeping the mapping's order of barriers."""
    in_place, moved = order_plan(list(before), list(after), changed)
    delete_all = "DELETE FROM actions WHERE workshop_id = ? AND dimension_id = ?"
    for dimension_id in changed:
        if dimension_id not in after or (dimension_id in moved and dimension_id in before):
            conn.execute(delete_all, (workshop_id, dimension_id))
    for dimension_id in in_place:
        items = after[dimension_id]
        # The barrier's place is its first row (lowest seq): keep that row, rewritten as the
        # first action, and replace the rest.
        anchor = conn.execute(
            "SELECT min(seq) FROM actions WHERE workshop_id = ? AND dimension_id = ?",
            (workshop_id, dimension_id),
        ).fetchone()[0]
        if anchor is None:
            conn.executemany(_INSERT_ACTION, _action_rows(workshop_id, dimension_id, items))
            continue
        conn.execute(
            "DELETE FROM actions WHERE workshop_id = ? AND dimension_id = ? AND seq <> ?",
            (workshop_id, dimension_id, anchor),
        )
        first = items[0]
        conn.execute(
            "UPDATE actions SET id = ?, position = 0, text = ?, responsible = ?, "
            "accountable = ?, due_on = ?, status = ? WHERE seq = ?",
            (
                first.id,
                first.text,
                first.responsible,
                first.accountable,
                date_text(first.due_on),
                first.status,
                anchor,
            ),
        )
        conn.executemany(_INSERT_ACTION, _action_rows(workshop_id, dimension_id, items, 1))
    for dimension_id in moved:
        conn.executemany(
            _INSERT_ACTION, _action_rows(workshop_id, dimension_id, after[dimension_id])
        )


# -- opening: lock, checks, migrations ----------------------------------------------------------


def _acquire_lock(data_dir: Path) -> FileLock:
    lock = FileLock(data_dir / LOCK_FILE)
    try:
        lock.acquire()
    except LockHeld as held:
        where = f" (process {held.pid})" if held.pid else ""
        raise LibraryInUse(
            f"This library is already open in another OpAssess window{where}. "
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
    _set_orphans_aside(path)
    if path.exists():
        # A zero-byte file is what an interrupted first start (or a sync tool's placeholder)
        # leaves. With no backups there never was anything in it: start afresh. With backups,
        # the library once had content, so an empty file means it was cut short: keep it aside
        # and say so, rather than quietly start an empty library that backups would rotate over.
        if path.stat().st_size == 0 and backups(data_dir):
            _damaged(data_dir, "it is empty although there are backups (it was probably cut short)")
        _inspect(data_dir, path)
    conn = _connect(path)
    try:
        # WAL: readers never block the writer and a commit is one append. synchronous=FULL
        # syncs that append at every commit, so a returned save survives power loss too.
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.Error as exc:
        conn.close()
        raise _library_error(exc, writing=False) from exc
    return conn


def _inspect(data_dir: Path, path: Path) -> None:
    """Raise LibraryDamaged or LibraryTooNew for a file we must not use; otherwise return.

    The look is read-only: a read-write connection would replay a -wal into the file and delete
    it when closing, changing a file we are about to refuse or keep aside as it was.
    """
    sides_before = {side for side in _side_files(path) if side.exists()}
    verdict: str | None = None
    requires: str | None = None
    version = 0
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
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
        raise _library_error(exc, writing=False) from exc
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


def _required_release(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute(
            "SELECT value FROM library_info WHERE key = 'requires_opassess'"
        ).fetchone()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def _quick_check_ok(conn: sqlite3.Connection) -> bool:
    """True when PRAGMA quick_check finds nothing wrong; OperationalError (busy...) is raised."""
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.OperationalError:
        raise
    except sqlite3.DatabaseError:
        return False  # malformed beyond what quick_check can report in rows
    return rows == [("ok",)]


def _migrate(conn: sqlite3.Connection) -> None:
    """Run every migration newer than the file, all in one transaction, or none of them."""
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    steps = [m for m in MIGRATIONS if m.version > current]
    if not steps:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        for step in steps:
            if callable(step.apply):
                step.apply(conn)
            else:
                # One statement at a time: executescript would commit the transaction first.
                for statement in step.apply.split(";"):
                    if statement.strip():
                        conn.execute(statement)
        # PRAGMA values cannot be bound; both are integers from this module.
        conn.execute(f"PRAGMA user_version = {int(steps[-1].version)}")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(
            "INSERT INTO library_info (key, value) VALUES ('requires_opassess', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (steps[-1].opassess,),
        )
        conn.execute("COMMIT")
    except BaseException as exc:
        if conn.in_transaction:
            with suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        if not isinstance(exc, Exception):
            raise
        if current == 0:
            raise LibraryError(f"A new library could not be created here ({exc}).") from exc
        raise LibraryUpgradeFailed(
            f"This library could not be upgraded for OpAssess {__version__} ({exc}). "
            "Nothing was changed; the library is as it was."
        ) from exc


# -- damage, backups and restore ----------------------------------------------------------------

_BACKUP_NAME = re.compile(r"^library-(\d{8}T\d{6}\.\d{6}Z)\.sqlite3$")
_SIDE_FILES = ("-wal", "-shm")


def _side_files(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in _SIDE_FILES]


def backups(data_dir: Path) -> list[Path]:
    """The backups of the library in `data_dir`, newest first (not checked; see LibraryDamaged)."""
    folder = Path(data_dir) / BACKUP_DIR
    try:
        names = [p for p in folder.iterdir() if _BACKUP_NAME.match(p.name)]
    except OSError:
        return []
    # The timestamp is fixed-width, so name order is time order.
    return sorted(names, key=lambda p: p.name, reverse=True)


def restore_backup(data_dir: Path, backup: Path) -> None:
    """Put `backup` in place as the library. Refused while a library file is there, or open."""
    data_dir = Path(data_dir)
    lock = _acquire_lock(data_dir)
    try:
        target = data_dir / LIBRARY_FILE
        if target.exists():
            raise LibraryError(
                "There is already a library file in that folder, so the backup was not "
                "restored. Move it away first if you want the backup instead."
            )
        if not _backup_is_good(Path(backup)):
            raise LibraryError(
                "That backup cannot be restored: it is damaged or not an OpAssess library. "
                "Choose another."
            )
        _set_orphans_aside(target)
        partial = data_dir / (LIBRARY_FILE + ".restoring")
        try:
            shutil.copyfile(backup, partial)
            fsync_file(partial)
            os.replace(partial, target)
            fsync_folder(data_dir)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise LibraryError(f"The backup could not be restored ({exc}).") from exc
    finally:
        lock.release()


def _damaged(data_dir: Path, reason: str) -> NoReturn:
    """Move the library file (and its WAL) aside under a new name and raise LibraryDamaged."""
    path = data_dir / LIBRARY_FILE
    stamp = _utc_now().strftime("%Y%m%dT%H%M%SZ")
    kept = _unused_name(data_dir, f"library.damaged-{stamp}", ".sqlite3")
    try:
        for suffix in _SIDE_FILES:
            side = path.with_name(path.name + suffix)
            if side.exists():
                os.replace(side, kept.with_name(kept.name + suffix))
        os.replace(path, kept)
        fsync_folder(data_dir)
    except OSError as exc:
        raise LibraryError(
            f"The library file could not be used ({reason}) and could not be moved aside "
            f"({exc}). Nothing was deleted."
        ) from exc
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


# -- conversions --------------------------------------------------------------------------------


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _iso_utc(moment: datetime) -> str:
    # Always with microseconds and the same offset: text order is then time order.
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


class _FrameworkCache:
    """Parsed framework copies by fingerprint, the most recently used kept.

    A fingerprint names one content in any library, so the cache can serve them all. Workshops
    share frameworks, so it also shares one object between them (and `is` compares them fast).
    """

    def __init__(self, size: int = 32) -> None:
        self._size = size
        self._items: OrderedDict[str, Framework] = OrderedDict()

    def get(self, fingerprint: str) -> Framework | None:
        framework = self._items.get(fingerprint)
        if framework is not None:
            self._items.move_to_end(fingerprint)
        return framework

    def put(self, fingerprint: str, framework: Framework) -> None:
        self._items[fingerprint] = framework
        self._items.move_to_end(fingerprint)
        while len(self._items) > self._size:
            self._items.popitem(last=False)

    def clear(self) -> None:
        self._items.clear()


_FRAMEWORKS = _FrameworkCache()


def _stored_framework(conn: sqlite3.Connection, fingerprint: str) -> Framework:
    """The framework copy stored under `fingerprint`, read without the file schema."""
    framework = _FRAMEWORKS.get(fingerprint)
    if framework is None:
        row = conn.execute(FRAMEWORK_SQL, (fingerprint,)).fetchone()
        if row is None:
            raise LibraryError(
                "The library file is damaged: a workshop's framework is missing. "
                "Restore the newest backup."
            )
        from opassess.frameworks import framework_from_trusted_dict

        framework = framework_from_trusted_dict(json.loads(row[0]))
        _FRAMEWORKS.put(fingerprint, framework)
    return framework


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


__all__ = [
    "APPLICATION_ID",
    "DEFAULT_KEEP_BACKUPS",
    "LIBRARY_FILE",
    "MIGRATIONS",
    "DuplicateWorkshop",
    "Library",
    "LibraryDamaged",
    "LibraryError",
    "LibraryInUse",
    "LibraryTooNew",
    "LibraryUpgradeFailed",
    "Migration",
    "WorkshopNotFound",
    "WorkshopSummary",
    "backups",
    "restore_backup",
    "schema_version",
]
