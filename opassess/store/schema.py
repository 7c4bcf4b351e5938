"""What a library file is: its tables, the migrations that build and upgrade them, its checks.

A file is ours when its application_id says so; its user_version is the schema version, and
library_info names the first OpAssess release that reads it (shown to an older one that cannot).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass

from opassess import __version__
from opassess.store.errors import (
    LibraryError,
    LibraryUpgradeFailed,
    _disk_full,
    _library_error,
)

# PRAGMA application_id: "OpAs" in ASCII. Tells our file apart from any other SQLite database.
APPLICATION_ID = 0x4F704173

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


# A team's own frameworks, editable, as framework_to_dict writes them. Workshops never name these
# rows: a workshop keeps its own frozen copy in `frameworks`, so editing one here changes no
# workshop already held.
_SCHEMA_V2 = """
CREATE TABLE own_frameworks (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    json TEXT NOT NULL,
    saved_at TEXT NOT NULL
) WITHOUT ROWID
"""


# Tags to find and compare teams by, and what became of an earlier workshop's actions (marked
# at its re-assessment, keyed by the earlier action's id).
_SCHEMA_V3 = """
ALTER TABLE workshops ADD COLUMN tags_json TEXT NOT NULL DEFAULT '[]';

CREATE TABLE followups (
    seq INTEGER PRIMARY KEY,
    workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
    action_id TEXT NOT NULL,
    outcome TEXT NOT NULL,
    note TEXT NOT NULL,
    UNIQUE (workshop_id, action_id)
);

CREATE INDEX followups_in_order ON followups (workshop_id, seq)
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
    Migration(2, "0.2.0", _SCHEMA_V2),
    Migration(3, "0.2.0", _SCHEMA_V3),
]


def schema_version() -> int:
    """The schema version this OpAssess writes (the last migration's)."""
    return MIGRATIONS[-1].version


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
        if _disk_full(exc, None):
            raise _library_error(exc, writing=False) from exc
        if current == 0:
            raise LibraryError(f"A new library could not be created here ({exc}).") from exc
        raise LibraryUpgradeFailed(
            f"This library could not be upgraded for OpAssess {__version__} ({exc}). "
            "Nothing was changed; the library is as it was."
        ) from exc


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
