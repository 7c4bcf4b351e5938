"""After a damage: the backups from before it are kept, offered at every start, and restorable.

The first start after a damage sets the damaged file aside; later starts work on a new library.
That new library's backups must never push out the ones from before the damage, every start
offers those until one is restored or they are dismissed, and restoring with the new library in
place keeps the new library aside rather than overwrite it or refuse.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from opassess.frameworks import Framework
from opassess.store import (
    BACKUP_DIR,
    LIBRARY_FILE,
    RECOVERY_FILE,
    Library,
    LibraryDamaged,
    LibraryError,
    backups,
    dismiss_recovery,
    kept_backups,
    recovery_offer,
    restore_backup,
)
from opassess.workshop import new_workshop

KEEP = 3


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "library"


def sessions(data_dir: Path, framework: Framework, titles: list[str]) -> None:
    """One start and close per title, each adding a workshop: a backup at each."""
    for title in titles:
        with Library.open(data_dir, keep_backups=KEEP) as library:
            library.add(new_workshop(framework, title=title))


def titles(data_dir: Path) -> set[str]:
    with Library.open(data_dir, keep_backups=KEEP) as library:
        return {s.title for s in library.list_workshops()}


def damage(data_dir: Path) -> LibraryDamaged:
    (data_dir / LIBRARY_FILE).write_bytes(b"not a library any more")
    with pytest.raises(LibraryDamaged) as caught:
        Library.open(data_dir, keep_backups=KEEP)
    return caught.value


@pytest.fixture
def damaged(data_dir: Path, framework: Framework) -> tuple[list[Path], LibraryDamaged]:
    """A library of four workshops, its backups, then found damaged."""
    sessions(data_dir, framework, ["One", "Two", "Three", "Four"])
    before = backups(data_dir)
    assert len(before) == KEEP
    return before, damage(data_dir)


def test_a_new_library_never_pushes_out_the_backups_from_before_a_damage(
    data_dir: Path, framework: Framework, damaged: tuple[list[Path], LibraryDamaged]
) -> None:
    before, found = damaged
    assert found.backups == before
    assert "offered each time OpAssess starts" in str(found)
    # Later starts work on a new library, and back it up many times over.
    sessions(data_dir, framework, [f"New {n}" for n in range(2 * KEEP)])
    assert all(path.exists() for path in before)
    offer = recovery_offer(data_dir)
    assert offer is not None
    assert list(offer.backups) == before
    assert offer.set_aside == (found.kept_aside,)
    assert "not a database" in offer.reason
    # The new library's own backups still rotate.
    own = [b for b in backups(data_dir) if b not in before]
    assert len(own) == KEEP


def test_restoring_with_a_new_library_in_place_keeps_the_new_one_aside(
    data_dir: Path, framework: Framework, damaged: tuple[list[Path], LibraryDamaged]
) -> None:
    before, _found = damaged
    sessions(data_dir, framework, ["Started afresh"])
    new_library = (data_dir / LIBRARY_FILE).read_bytes()
    kept = restore_backup(data_dir, before[0])
    assert kept is not None and kept.name.startswith("library.before-restore-")
    assert kept.read_bytes() == new_library
    assert titles(data_dir) == {"One", "Two", "Three", "Four"}
    assert recovery_offer(data_dir) is None  # restored: no longer offered
    assert not (data_dir / RECOVERY_FILE).exists()
    # ...and what was started meanwhile is still there to open.
    with Library.open(kept.parent / "elsewhere") as elsewhere:
        assert elsewhere.list_workshops() == []
    assert kept.exists()


def test_the_offer_lasts_until_dismissed_and_the_backups_are_kept_apart(
    data_dir: Path, framework: Framework, damaged: tuple[list[Path], LibraryDamaged]
) -> None:
    before, _found = damaged
    for _ in range(3):  # every start
        Library.open(data_dir).close()
        assert recovery_offer(data_dir) is not None
    folder = dismiss_recovery(data_dir)
    assert folder is not None and folder.parent == data_dir / BACKUP_DIR
    assert recovery_offer(data_dir) is None
    assert kept_backups(data_dir) == [folder / p.name for p in before]
    assert not any(p.exists() for p in before)  # out of the rotation...
    sessions(data_dir, framework, [f"New {n}" for n in range(2 * KEEP)])
    assert all((folder / p.name).exists() for p in before)  # ...so never pruned
    restore_backup(data_dir, folder / before[0].name)  # and still restorable
    assert titles(data_dir) == {"One", "Two", "Three", "Four"}


def test_a_second_damage_before_restoring_offers_both_sets(
    data_dir: Path, framework: Framework, damaged: tuple[list[Path], LibraryDamaged]
) -> None:
    before, first = damaged
    sessions(data_dir, framework, ["New"])
    second = damage(data_dir)
    offer = recovery_offer(data_dir)
    assert offer is not None
    assert set(before) <= set(offer.backups)
    assert offer.set_aside == (first.kept_aside, second.kept_aside)
    assert all(p.exists() for p in offer.set_aside)


def test_a_damage_with_no_backups_offers_nothing(data_dir: Path) -> None:
    data_dir.mkdir()
    (data_dir / LIBRARY_FILE).write_bytes(b"garbage")
    with pytest.raises(LibraryDamaged):
        Library.open(data_dir)
    assert recovery_offer(data_dir) is None
    assert not (data_dir / RECOVERY_FILE).exists()


def test_an_unreadable_note_does_not_stop_the_library(
    data_dir: Path, damaged: tuple[list[Path], LibraryDamaged]
) -> None:
    (data_dir / RECOVERY_FILE).write_text("{ half a note", encoding="utf-8")
    # the note is no help, but the library file is gone and its backups are there: offered
    offer = recovery_offer(data_dir)
    assert offer is not None and "missing" in offer.reason
    Library.open(data_dir).close()


def test_restoring_a_backup_that_is_not_one_changes_nothing(
    data_dir: Path, damaged: tuple[list[Path], LibraryDamaged]
) -> None:
    Library.open(data_dir).close()
    library_file = (data_dir / LIBRARY_FILE).read_bytes()
    bogus = data_dir / "bogus.sqlite3"
    bogus.write_bytes(b"nothing")
    with pytest.raises(LibraryError, match=r"bogus\.sqlite3 cannot be restored"):
        restore_backup(data_dir, bogus)
    assert (data_dir / LIBRARY_FILE).read_bytes() == library_file
    assert list(data_dir.glob("library.before-restore-*")) == []
    assert recovery_offer(data_dir) is not None


# -- from the command line ----------------------------------------------------------------------


def test_backups_and_restore_from_the_command_line_with_a_new_library_in_place(
    run: Callable[..., tuple[int, str, str]], tmp_path: Path
) -> None:
    assert run("demo", "--add")[0] == 0
    data_dir = tmp_path / "library"
    (data_dir / LIBRARY_FILE).write_bytes(b"damaged")
    code, _, err = run("list")
    assert code == 2 and "moved aside" in err
    code, out, _ = run("list")  # a new library, empty
    assert code == 0
    code, out, err = run("backups")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("Backups from before the library was found damaged on ")
    offered = Path(lines[1].strip())
    assert offered.exists()
    assert "restore BACKUP" in out and "backups --dismiss" in out
    code, out, err = run("restore", str(offered))
    assert code == 0, err
    assert "library.before-restore-" in out
    code, out, _ = run("list")
    assert code == 0 and "Riverside" in out
    code, out, _ = run("backups")
    assert "found damaged" not in out


def test_dismissing_from_the_command_line(
    run: Callable[..., tuple[int, str, str]], tmp_path: Path
) -> None:
    run("demo", "--add")
    data_dir = tmp_path / "library"
    (data_dir / LIBRARY_FILE).write_bytes(b"damaged")
    run("list")
    code, out, err = run("backups", "--dismiss")
    assert code == 0, err
    assert "before-damage-" in out
    code, out, _ = run("backups")
    assert "found damaged" not in out
    assert "Kept from before a damage" in out
    code, out, err = run("backups", "--dismiss")
    assert code == 0 and "Nothing" in out


def test_restore_takes_a_backups_name_as_listed(
    run: Callable[..., tuple[int, str, str]], tmp_path: Path
) -> None:
    run("demo", "--add")
    (backup,) = backups(tmp_path / "library")
    code, out, err = run("restore", backup.name)
    assert code == 0, err
    assert "library.before-restore-" in out


def test_a_note_names_only_files_beside_the_library(data_dir: Path, damaged: Any) -> None:
    note = json.loads((data_dir / RECOVERY_FILE).read_text(encoding="utf-8"))
    note["backups"] = ["../../elsewhere.sqlite3", *note["backups"]]
    (data_dir / RECOVERY_FILE).write_text(json.dumps(note), encoding="utf-8")
    offer = recovery_offer(data_dir)
    assert offer is not None
    assert all(p.parent == data_dir / BACKUP_DIR for p in offer.backups)
