"""The library: every workshop in one local SQLite file that survives crashes.

Every write is one `BEGIN IMMEDIATE ... COMMIT` transaction with synchronous=FULL, committed
before the call returns: once a save returns, the edit is on disk.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from opassess.files import date_from_text, fsync_folder
from opassess.locking import FileLock
from opassess.store.backup import (
    _newest_backup_state,
    _saved_state,
    _utc_now,
    _write_backup,
)
from opassess.store.errors import (
    DuplicateWorkshop,
    LibraryError,
    WorkshopNotFound,
    _library_error,
)
from opassess.store.opening import (
    LIBRARY_FILE,
    _acquire_lock,
    _connect_for_use,
    _open_checked,
    _unused_name,
)
from opassess.store.rows import (
    _DROP_UNUSED_FRAMEWORK,
    _INSERT_ACTION,
    _INSERT_FRAMEWORK,
    _INSERT_PARTICIPANT,
    _UPSERT_CONSENSUS,
    _UPSERT_FOLLOW_UP,
    _UPSERT_RATING,
    _UPSERT_TARGET,
    _action_rows,
    _detail_columns,
    _dumps,
    _exists,
    _framework_of,
    _load,
    _participant_rows,
    _write_changed_rows,
)
from opassess.store.schema import _migrate, _quick_check_ok

if TYPE_CHECKING:
    from opassess.changes import WorkshopChange
    from opassess.frameworks import Framework
    from opassess.workshop import Workshop

log = logging.getLogger(__name__)

DEFAULT_KEEP_BACKUPS = 10

_LIST_SQL = """
SELECT w.id, w.title, w.organisation, w.team, w.held_on, w.reassess_on, w.reassesses,
       w.modified_at,
       (SELECT count(*) FROM participants AS p WHERE p.workshop_id = w.id)
FROM workshops AS w {where}
ORDER BY w.modified_at DESC, w.id
"""

LIST_SQL = _LIST_SQL.format(where="")
# The workshops a later one re-assesses (read from the listing's covering index).
REASSESSED_SQL = "SELECT DISTINCT reassesses FROM workshops WHERE reassesses IS NOT NULL"


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
        # The -wal and the library file as SQLite opened them (device, inode): see _watch_wal.
        self._wal_identity: tuple[int, int] | None = None
        self._file_identity: tuple[int, int] | None = None

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
            library._watch_wal()
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

    def save_change(self, before: Workshop, after: Workshop, change: WorkshopChange) -> None:
        """Write the parts of `after` that `change` names, and nothing else.

        `before` is the workshop as stored: rows keep their place in its order where the edit
        allows. `change` is `changes_between(before, after)`, which the caller already has (it
        decides whether there is anything to save), so the two values are compared only once.
        """
        if not change:
            return
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
            _write_changed_rows(conn, before, after, change)

    def delete(self, workshop_id: str) -> Workshop:
        """Remove a workshop and return it as it was, so that `add` can undo the deletion."""
        with self._transaction() as conn:
            workshop = _load(conn, workshop_id)
            old_framework = _framework_of(conn, workshop_id)
            conn.execute("DELETE FROM workshops WHERE id = ?", (workshop_id,))
            conn.execute(_DROP_UNUSED_FRAMEWORK, (old_framework,))
        return workshop

    # -- the team's own frameworks --------------------------------------------------------------

    def own_frameworks(self) -> list[Framework]:
        """The frameworks a team made or imported, by name."""
        from opassess.frameworks import framework_from_trusted_dict

        with self._reading() as conn:
            rows = conn.execute("SELECT json FROM own_frameworks ORDER BY name, id").fetchall()
        return [framework_from_trusted_dict(json.loads(text)) for (text,) in rows]

    def save_own_framework(self, framework: Framework) -> None:
        """Store a team's framework, replacing the one with its id. The caller has validated it
        (opassess.services.save_framework); workshops that used it keep their own copies."""
        from opassess.frameworks import framework_to_dict

        text = _dumps(framework_to_dict(framework))
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO own_frameworks (id, name, json, saved_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET "
                "name = excluded.name, json = excluded.json, saved_at = excluded.saved_at",
                (framework.id, framework.name, text, _iso_utc(_utc_now())),
            )

    def delete_own_framework(self, framework_id: str) -> None:
        with self._transaction() as conn:
            conn.execute("DELETE FROM own_frameworks WHERE id = ?", (framework_id,))

    # -- internals ------------------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise LibraryError("The library is closed.")
        return self._conn

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        # No explicit read transaction: this connection is the only writer (the OS lock sees to
        # that) and it is not writing while it reads, so the statements see one state.
        self._watch_wal()
        conn = self._connection()
        try:
            yield conn
        except sqlite3.Error as exc:
            raise _library_error(exc, writing=False, folder=self.data_dir) from exc

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT: all of it on disk when this returns, or none of it."""
        conn = self._connection()
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _library_error(exc, writing=True, folder=self.data_dir) from exc
        try:
            yield conn
            conn.execute("COMMIT")
            self._watch_wal()
        except BaseException as exc:
            if conn.in_transaction:
                # If even the rollback fails the transaction is gone; report the first problem.
                with suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            if isinstance(exc, (sqlite3.Error, UnicodeEncodeError)):
                raise _library_error(exc, writing=True, folder=self.data_dir) from exc
            raise

    def _watch_wal(self) -> None:
        """Notice the library file or its -wal deleted (or replaced) behind the library's back,
        and make it safe."""
        self._watch_library_file()
        self._watch_working_file()

    def _watch_library_file(self) -> None:
        """The library file itself deleted or replaced while open (by hand, a sync tool, an
        antivirus): SQLite goes on writing to the file it opened, which nobody could reach
        once it is closed, so everything would be lost. Everything in it is copied back under
        the library's name (what now stands there kept aside) and the library goes on there."""
        try:
            found = os.stat(self.path)
        except FileNotFoundError:
            identity = None
        except OSError:
            return
        else:
            identity = (found.st_dev, found.st_ino)
        if self._file_identity is None or identity == self._file_identity:
            self._file_identity = identity
            return
        try:
            self._put_library_file_back(replaced=identity is not None)
        except (OSError, sqlite3.Error, LibraryError) as exc:
            log.warning("The library file %s went missing and could not be written back yet: "
                        "%s", self.path.name, exc)  # fmt: skip

    def _put_library_file_back(self, *, replaced: bool) -> None:
        conn = self._connection()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # into the file SQLite still has open
        stamp = _utc_now().strftime("%Y%m%dT%H%M%SZ")
        if replaced:  # not ours: kept aside, never written over
            kept = _unused_name(self.data_dir, f"library.replaced-{stamp}", ".sqlite3")
            os.replace(self.path, kept)
        copy = _unused_name(self.data_dir, f".library.restoring-{stamp}", ".sqlite3")
        target = sqlite3.connect(copy)
        try:
            conn.backup(target)
        finally:
            target.close()
        self._conn = None
        conn.close()
        os.replace(copy, self.path)
        fsync_folder(self.data_dir)
        self._conn = _connect_for_use(self.path)
        self._wal_identity = None
        found = os.stat(self.path)
        self._file_identity = (found.st_dev, found.st_ino)
        log.warning(
            "The library file %s was %s while the library was open; everything in it has been "
            "written back under its name, and the library goes on there.",
            self.path.name,
            "replaced by another file" if replaced else "deleted",
        )

    def _watch_working_file(self) -> None:
        """Notice a -wal deleted (or replaced) behind the library's back, and make it safe.

        SQLite goes on writing to the file it opened, so once the name is gone the changes
        since the last checkpoint live only in a file nobody can reach: a crash would lose them
        all. One stat at every read and after every commit notices it; the changes are then
        written into the library file and the connection opened afresh, with a new -wal.
        """
        wal = self.path.with_name(self.path.name + "-wal")
        try:
            found = os.stat(wal)
        except FileNotFoundError:
            identity = None
        except OSError:
            return  # cannot look: nothing to conclude
        else:
            identity = (found.st_dev, found.st_ino)
        if identity is not None and self._wal_identity in (None, identity):
            self._wal_identity = identity
            return
        if self._wal_identity is None:
            return  # no -wal seen yet (SQLite makes it at first use)
        try:
            self._reopen_after_losing_wal(wal, replaced=identity is not None)
        except (OSError, sqlite3.Error, LibraryError) as exc:
            # Tried again at the next read or save; closing checkpoints it too.
            log.warning("The library's working file %s went missing and could not be "
                        "written into the library yet: %s", wal.name, exc)  # fmt: skip

    def _reopen_after_losing_wal(self, wal: Path, *, replaced: bool) -> None:
        conn = self._connection()
        # Through the file SQLite still has open: everything committed goes into the library.
        busy, _frames, _done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:
            raise LibraryError("the library file was busy")
        log.warning(
            "The library's working file %s was %s while the library was open; every saved "
            "change has been written into the library file and a new working file started.",
            wal.name,
            "replaced by another file" if replaced else "deleted",
        )
        if replaced:
            # Not ours: kept aside (never deleted, never replayed into the library).
            stamp = _utc_now().strftime("%Y%m%dT%H%M%SZ")
            kept = _unused_name(self.data_dir, f"library.orphaned-{stamp}", ".sqlite3")
            os.replace(wal, kept.with_name(kept.name + "-wal"))
        self._conn = None
        conn.close()
        self._conn = _connect_for_use(self.path)
        self._wal_identity = None
        with suppress(OSError):
            found = os.stat(wal)
            self._wal_identity = (found.st_dev, found.st_ino)

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
        workshop_rows: list[dict[str, Any]] = []
        participants: list[tuple[Any, ...]] = []
        ratings: list[tuple[Any, ...]] = []
        consensus: list[tuple[Any, ...]] = []
        targets: list[tuple[Any, ...]] = []
        actions: list[tuple[Any, ...]] = []
        followups: list[tuple[Any, ...]] = []
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
            followups.extend((w.id, aid, f.outcome, f.note) for aid, f in w.followups.items())
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
        conn.executemany(_UPSERT_FOLLOW_UP, followups)

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


def _iso_utc(moment: datetime) -> str:
    # Always with microseconds and the same offset: text order is then time order.
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")
