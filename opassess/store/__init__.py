"""The library: every workshop, kept in one local SQLite file that survives crashes.

`Library` is the way in; the modules behind it each do one job:

- library.py: `Library` and `WorkshopSummary`. Every write is one `BEGIN IMMEDIATE ... COMMIT`
  transaction with synchronous=FULL, committed before the call returns: once a save returns,
  the edit is on disk. Rolling backups are taken at open and at close. A -wal deleted while
  the library is open is noticed at the next read or save, and its changes kept.
- opening.py: one OpAssess process at a time (an OS lock on library.lock); the file checked at
  open (not SQLite, another program's database, a failed integrity check: moved aside, never
  deleted; too new: left as it was); restoring a backup in its place (a library already there
  moved aside, never overwritten).
- schema.py: the tables, and the migrations that move a file forward inside one transaction.
- rows.py: a workshop as rows and back. Tables are normalised (one row per participant, rating,
  consensus, target and action) so a small edit writes only the rows it changed: the ones the
  caller's `WorkshopChange` names. Each workshop keeps its own frozen copy of its framework,
  stored once per distinct copy: a row of `frameworks` named by the SHA-256 of its JSON.
  Adapting one workshop's wording stores a new copy and points that workshop alone at it; a
  copy no workshop names any more is removed in the same transaction.
- backup.py: the rolling backups, written checked and complete or not at all; after a damage,
  the backups from before it never rotated out, and offered until restored or dismissed.
- errors.py: `LibraryError` and its kinds, and SQLite's failures said in plain words.
"""

from __future__ import annotations

from opassess.store.backup import (
    BACKUP_DIR,
    RECOVERY_FILE,
    Recovery,
    backup_time,
    backups,
    kept_backups,
    recovery_offer,
)
from opassess.store.errors import (
    DuplicateWorkshop,
    LibraryDamaged,
    LibraryError,
    LibraryInUse,
    LibraryTooNew,
    LibraryUpgradeFailed,
    WorkshopNotFound,
)
from opassess.store.library import (
    DEFAULT_KEEP_BACKUPS,
    LIST_SQL,
    REASSESSED_SQL,
    Library,
    WorkshopSummary,
)
from opassess.store.opening import LIBRARY_FILE, LOCK_FILE, dismiss_recovery, restore_backup
from opassess.store.rows import FRAMEWORK_SQL, LOAD_SQL, order_plan
from opassess.store.schema import APPLICATION_ID, MIGRATIONS, Migration, schema_version

__all__ = [
    "APPLICATION_ID",
    "BACKUP_DIR",
    "DEFAULT_KEEP_BACKUPS",
    "FRAMEWORK_SQL",
    "LIBRARY_FILE",
    "LIST_SQL",
    "LOAD_SQL",
    "LOCK_FILE",
    "MIGRATIONS",
    "REASSESSED_SQL",
    "RECOVERY_FILE",
    "DuplicateWorkshop",
    "Library",
    "LibraryDamaged",
    "LibraryError",
    "LibraryInUse",
    "LibraryTooNew",
    "LibraryUpgradeFailed",
    "Migration",
    "Recovery",
    "WorkshopNotFound",
    "WorkshopSummary",
    "backup_time",
    "backups",
    "dismiss_recovery",
    "kept_backups",
    "order_plan",
    "recovery_offer",
    "restore_backup",
    "schema_version",
]
