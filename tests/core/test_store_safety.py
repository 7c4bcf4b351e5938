"""The library's file in unusual states: what is there is never lost, and the message names it.

A folder where the library file belongs, side files left read-only, a full disk, a -wal deleted
while the library is open, the wording of a refusal, and the order rows come back in after undo.
"""

from __future__ import annotations

import dataclasses
import errno
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from opassess import __version__
from opassess.changes import changes_between
from opassess.frameworks import Framework
from opassess.store import (
    LIBRARY_FILE,
    Library,
    LibraryDamaged,
    LibraryError,
    LibraryTooNew,
    schema_version,
)
from opassess.store.errors import _library_error
from opassess.workshop import (
    Workshop,
    add_participant,
    clear_rating,
    new_workshop,
    record_rating,
)

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "OpAssess"


def sample(framework: Framework, title: str = "Leadership team") -> Workshop:
    workshop = new_workshop(framework, title=title)
    for name in ("Priya Shah", "Tomás Ó Briain", "Ada Jones"):
        workshop = add_participant(workshop, name)
    return workshop


def side(data_dir: Path, suffix: str) -> Path:
    return data_dir / (LIBRARY_FILE + suffix)


# -- a folder where the library file belongs ----------------------------------------------------


def test_a_folder_named_like_the_library_is_a_plain_message(data_dir: Path) -> None:
    (data_dir / LIBRARY_FILE).mkdir(parents=True)
    with pytest.raises(LibraryError) as caught:
        Library.open(data_dir)
    message = str(caught.value)
    assert str(data_dir / LIBRARY_FILE) in message
    assert "is a folder" in message
    assert (data_dir / LIBRARY_FILE).is_dir()  # left exactly where it was
    Library.open(data_dir / "elsewhere").close()  # and the lock was let go
    with pytest.raises(LibraryError):
        Library.open(data_dir)


def test_a_folder_named_like_the_library_is_one_line_from_the_command_line(
    run: Any, tmp_path: Path
) -> None:
    (tmp_path / "library" / LIBRARY_FILE).mkdir(parents=True)
    code, out, err = run("list")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"{LIBRARY_FILE} is a folder" in err


@pytest.mark.parametrize("content", [b"x", b"\0" * 511])
def test_a_file_too_short_to_be_a_database_is_kept_aside_not_written_over(
    data_dir: Path, content: bytes
) -> None:
    # SQLite takes a file shorter than a page for an empty database, and would write over it.
    data_dir.mkdir()
    (data_dir / LIBRARY_FILE).write_bytes(content)
    with pytest.raises(LibraryDamaged) as caught:
        Library.open(data_dir)
    assert caught.value.kept_aside.read_bytes() == content
    Library.open(data_dir).close()  # then a new library


# -- side files left read-only ------------------------------------------------------------------


CRASH_AFTER_A_SAVE = """
import os, sys
from pathlib import Path
from opassess.frameworks import default_framework
from opassess.store import Library
from opassess.workshop import new_workshop

library = Library.open(Path(sys.argv[1]))
library.add(new_workshop(default_framework(), title="Leadership team"))
os._exit(0)  # as a crash would: the -wal and -shm stay
"""


def test_side_files_left_read_only_are_given_the_librarys_permissions(
    data_dir: Path, framework: Framework
) -> None:
    # What opening the library once while its file was read-only leaves behind: a -wal and a
    # -shm with the file's permissions of the time (0444), here holding a saved workshop too.
    subprocess.run([sys.executable, "-c", CRASH_AFTER_A_SAVE, str(data_dir)], check=True, cwd=REPO)
    mode = stat.S_IMODE((data_dir / LIBRARY_FILE).stat().st_mode)
    for suffix in ("-wal", "-shm"):
        assert side(data_dir, suffix).stat().st_size > 0
        side(data_dir, suffix).chmod(0o444)
    with Library.open(data_dir) as library:
        for suffix in ("-wal", "-shm"):
            assert stat.S_IMODE(side(data_dir, suffix).stat().st_mode) == mode
        library.add(sample(framework, "Saved"))
    with Library.open(data_dir) as library:
        assert {s.title for s in library.list_workshops()} == {"Leadership team", "Saved"}


def test_side_files_that_cannot_be_made_writable_are_named(
    data_dir: Path, framework: Framework, monkeypatch: pytest.MonkeyPatch
) -> None:
    Library.open(data_dir).close()
    side(data_dir, "-shm").write_bytes(b"")
    side(data_dir, "-shm").chmod(0o444)

    def refused(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr("opassess.store.opening.os.chmod", refused)
    with pytest.raises(LibraryError) as caught:
        Library.open(data_dir)
    message = str(caught.value)
    assert f"{LIBRARY_FILE}-shm" in message and "read-only" in message
    assert "Errno" not in message


@pytest.mark.skipif(
    os.name == "nt" or os.geteuid() == 0, reason="POSIX permissions, which root ignores"
)
def test_a_library_opened_once_while_read_only_can_be_saved_to_again(
    data_dir: Path, framework: Framework
) -> None:
    with Library.open(data_dir) as library:
        library.add(sample(framework))
    library_file = data_dir / LIBRARY_FILE
    library_file.chmod(0o444)
    with Library.open(data_dir) as library:
        assert len(library.list_workshops()) == 1
    library_file.chmod(0o644)
    with Library.open(data_dir) as library:
        library.add(sample(framework, "Saved"))
        assert len(library.list_workshops()) == 2


# -- a full disk --------------------------------------------------------------------------------


def test_an_io_error_on_a_disk_with_no_space_left_says_the_disk_is_full(
    data_dir: Path, framework: Framework, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What SQLite says when it cannot make its 32 KB -shm: a disk I/O error, nothing more.
    with Library.open(data_dir) as library:
        library.add(sample(framework))

    def io_error(*_args: object, **_kwargs: object) -> sqlite3.Connection:
        raise sqlite3.OperationalError("disk I/O error")

    usage = shutil.disk_usage(data_dir)
    monkeypatch.setattr(
        "opassess.store.errors.shutil.disk_usage", lambda _folder: usage._replace(free=3000)
    )
    monkeypatch.setattr("opassess.store.opening.sqlite3.connect", io_error)
    with pytest.raises(LibraryError) as caught:
        Library.open(data_dir)
    assert str(caught.value) == "The disk is full. Free some space, then try again."
    # With room on the disk, an I/O error stays a disk error.
    monkeypatch.setattr(
        "opassess.store.errors.shutil.disk_usage", lambda _folder: usage._replace(free=1 << 30)
    )
    with pytest.raises(LibraryError, match="a disk error"):
        Library.open(data_dir)


@pytest.mark.parametrize(
    "failure",
    [
        OSError(errno.ENOSPC, "No space left on device"),
        sqlite3.OperationalError("database or disk is full"),
    ],
)
def test_a_full_disk_is_said_plainly_when_saving(failure: BaseException) -> None:
    message = str(_library_error(failure, writing=True))
    assert message == (
        "The disk is full. That change was not saved. Free some space, then try again."
    )


@pytest.mark.skipif(
    sys.platform != "linux" or os.geteuid() != 0 or shutil.which("mount") is None,
    reason="a small tmpfs needs Linux and permission to mount",
)
def test_a_nearly_full_disk_really_says_the_disk_is_full(
    tmp_path: Path, framework: Framework
) -> None:
    mount_point = tmp_path / "small"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount_point)],
        capture_output=True,
    )
    if mounted.returncode != 0:
        pytest.skip("no permission to mount a tmpfs here")
    try:
        data_dir = mount_point / "library"
        with Library.open(data_dir) as library:
            library.add(sample(framework))
        free = shutil.disk_usage(mount_point).free
        with open(mount_point / "filler", "wb") as filler:
            filler.write(b"\0" * max(free - 3000, 0))
        with pytest.raises(LibraryError) as caught:
            Library.open(data_dir)
        assert str(caught.value).startswith("The disk is full.")
        (mount_point / "filler").unlink()
        with Library.open(data_dir) as library:  # space freed: all there, nothing lost
            assert [s.title for s in library.list_workshops()] == ["Leadership team"]
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


# -- a -wal deleted while the library is open ---------------------------------------------------

LOSE_THE_WAL = """
import os, sys
from pathlib import Path
from opassess.frameworks import default_framework
from opassess.store import Library
from opassess.workshop import new_workshop

data_dir = Path(sys.argv[1])
wal = data_dir / "library.sqlite3-wal"
library = Library.open(data_dir)
library.add(new_workshop(default_framework(), title="Before"))
if sys.argv[2] == "deleted":
    os.unlink(wal)
else:
    os.replace(wal, data_dir / "moved")
    wal.write_bytes(b"someone else's file")
if sys.argv[3] == "save":
    library.add(new_workshop(default_framework(), title="After"))
else:
    library.list_workshops()
os._exit(0)  # as a crash would: no close, no checkpoint
"""


@pytest.mark.skipif(os.name == "nt", reason="Windows does not delete a file that is open")
@pytest.mark.parametrize(
    ("how", "then"), [("deleted", "save"), ("deleted", "read"), ("replaced", "save")]
)
def test_a_wal_lost_while_the_library_is_open_loses_nothing_at_a_crash(
    data_dir: Path, how: str, then: str
) -> None:
    subprocess.run(
        [sys.executable, "-c", LOSE_THE_WAL, str(data_dir), how, then], check=True, cwd=REPO
    )
    with Library.open(data_dir) as library:
        titles = {s.title for s in library.list_workshops()}
    assert titles == ({"Before", "After"} if then == "save" else {"Before"})
    if how == "replaced":
        (kept,) = data_dir.glob("library.orphaned-*.sqlite3-wal")
        assert kept.read_bytes() == b"someone else's file"


def test_a_library_whose_wal_was_deleted_goes_on_saving(
    data_dir: Path, framework: Framework
) -> None:
    if os.name == "nt":
        pytest.skip("Windows does not delete a file that is open")
    with Library.open(data_dir) as library:
        library.add(sample(framework, "One"))
        side(data_dir, "-wal").unlink()
        library.add(sample(framework, "Two"))
        assert side(data_dir, "-wal").exists()  # a new one, under its name
        library.add(sample(framework, "Three"))
        conn = library._connection()
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert conn.execute("PRAGMA synchronous").fetchone() == (2,)
        assert conn.execute("PRAGMA foreign_keys").fetchone() == (1,)
    with Library.open(data_dir) as library:
        assert {s.title for s in library.list_workshops()} == {"One", "Two", "Three"}


# -- what the refusals say ----------------------------------------------------------------------


def test_a_library_needing_a_later_build_of_this_release_does_not_name_this_release(
    data_dir: Path, framework: Framework
) -> None:
    with Library.open(data_dir) as library:
        library.add(sample(framework))
    conn = sqlite3.connect(str(data_dir / LIBRARY_FILE), isolation_level=None)
    conn.execute(f"PRAGMA user_version = {schema_version() + 1}")
    conn.execute(
        "UPDATE library_info SET value = ? WHERE key = 'requires_opassess'", (__version__,)
    )
    conn.close()
    with pytest.raises(LibraryTooNew) as caught:
        Library.open(data_dir)
    message = str(caught.value)
    assert f"OpAssess {__version__} or later" not in message
    assert "a later version of OpAssess than this one" in message
    assert f"(this is OpAssess {__version__})" in message


@pytest.mark.parametrize(
    ("requires", "named"), [("9.1", True), ("0.2", False), ("0.1.9", False), ("0.10", True)]
)
def test_a_release_is_named_only_when_it_is_newer_than_this_one(
    requires: str, named: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("opassess.store.errors.__version__", "0.2.0")
    message = str(LibraryTooNew(9, 3, requires))
    assert (f"needs OpAssess {requires} or later" in message) is named


def test_a_command_holding_the_library_is_not_called_a_window(data_dir: Path) -> None:
    from opassess.store import LibraryInUse

    with Library.open(data_dir), pytest.raises(LibraryInUse) as caught:
        Library.open(data_dir)
    assert "open in another OpAssess window or command" in str(caught.value)


# -- the order rows come back in ----------------------------------------------------------------


@pytest.fixture
def library(data_dir: Path) -> Iterator[Library]:
    with Library.open(data_dir) as lib:
        yield lib


def test_after_an_undo_a_reopened_workshop_keeps_its_order(
    library: Library, framework: Framework
) -> None:
    first, second, third = framework.dimension_ids[:3]
    rated = sample(framework)
    people = [p.id for p in rated.participants]
    for person in people:
        for barrier in (first, second, third):
            rated = record_rating(rated, person, barrier, framework.level_ids[0], person)
    library.add(rated)
    # Clear a rating in the middle, then undo it: the session holds `rated` again, in its order.
    cleared = clear_rating(rated, people[0], second)
    library.save_change(rated, cleared, changes_between(rated, cleared))
    library.save_change(cleared, rated, changes_between(cleared, rated))
    loaded = library.load(rated.id)
    assert loaded == rated
    assert list(loaded.ratings) == list(rated.ratings)
    # ...and so does every later undo of an undo.
    library.save_change(rated, cleared, changes_between(rated, cleared))
    assert list(library.load(rated.id).ratings) == list(cleared.ratings)
    moved = dataclasses.replace(rated, ratings=dict(reversed(list(rated.ratings.items()))))
    library.save_change(cleared, moved, changes_between(cleared, moved))
    assert list(library.load(rated.id).ratings) == list(moved.ratings)


@pytest.mark.skipif(os.name == "nt", reason="Windows does not let an open library be deleted")
def test_the_library_file_deleted_while_open_is_written_back_and_nothing_is_lost(
    tmp_path: Path,
):
    from opassess.demo import demo_workshop
    from opassess.store import Library
    from opassess.workshop import update_details

    folder = tmp_path / "lib"
    library = Library.open(folder)
    first, second = demo_workshop(participants=3), demo_workshop(participants=4, seed=2)
    second = dataclasses.replace(second, id="second")
    library.add(first)
    (folder / "library.sqlite3").unlink()  # a sync tool, or a slip in the file manager
    library.add(second)
    library.replace(update_details(first, title="Typed after the delete"))
    library.close()
    assert (folder / "library.sqlite3").exists()
    with Library.open(folder) as again:
        titles = {s.title for s in again.list_workshops()}
    assert "Typed after the delete" in titles and second.title in titles


def test_a_library_file_gone_since_the_last_start_offers_its_backups(tmp_path: Path):
    from opassess.demo import demo_workshop
    from opassess.store import Library, backups, recovery_offer

    folder = tmp_path / "lib"
    with Library.open(folder) as library:
        library.add(demo_workshop(participants=3))
    assert backups(folder)
    (folder / "library.sqlite3").unlink()
    offer = recovery_offer(folder)
    assert offer is not None and offer.backups and "missing" in offer.reason
    # the command line starts a new library, but the old backups stay protected and offered
    with Library.open(folder) as fresh:
        assert fresh.list_workshops() == []
    for _ in range(12):
        with Library.open(folder) as fresh:
            fresh.add(demo_workshop(participants=2, seed=_))
    offer = recovery_offer(folder)
    assert offer is not None and all(b.exists() for b in offer.backups)
