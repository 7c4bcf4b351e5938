"""At start: backups kept from before a damage are offered every time, and restored from the
window with a new library in place; a library file that is a folder is a plain message."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from opassess.demo import demo_workshop
from opassess.store import (
    LIBRARY_FILE,
    Library,
    LibraryDamaged,
    kept_backups,
    recovery_offer,
)
from opassess.workshop import Workshop, new_id
from ui.app import run
from ui.main_window import MainWindow


@pytest.fixture
def answers(monkeypatch):
    """Each QMessageBox that opens: recorded, then answered with the next label in `given`
    (a button's text), as a click would; static ones (information, question...) too."""
    given: list[str] = []
    shown: list[tuple[str, str, str]] = []

    def fake_exec(box):
        shown.append((box.windowTitle(), box.text(), box.informativeText()))
        wanted = given.pop(0)
        (button,) = [b for b in box.buttons() if b.text() == wanted]
        button.click()
        return 0

    def fake_static(kind):
        def show(_parent, title, text, *_args, **_kwargs):
            shown.append((title, text, kind))
            if kind == "question":
                return (
                    QMessageBox.StandardButton.Yes
                    if given.pop(0) == "Yes"
                    else QMessageBox.StandardButton.No
                )
            return QMessageBox.StandardButton.Ok

        return show

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    for kind in ("warning", "critical", "information", "question"):
        monkeypatch.setattr(QMessageBox, kind, fake_static(kind))
    return given, shown


@pytest.fixture
def event_loop(monkeypatch):
    """run() without a real app.exec(); each start records the titles the window lists."""
    listed: list[set[str]] = []

    def fake_exec(_app):
        for window in QApplication.topLevelWidgets():
            if isinstance(window, MainWindow) and window.isVisible():
                listed.append({s.title for s in window.library.summaries()})
                window.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", fake_exec)
    return listed


def damaged_then_started_afresh(data_dir: Path) -> str:
    """A library with a workshop and its backups, found damaged, then a new one started."""
    workshop = demo_workshop(participants=3)
    with Library.open(data_dir) as library:
        library.add(workshop)
    Library.open(data_dir).close()
    (data_dir / LIBRARY_FILE).write_bytes(b"damaged")
    with pytest.raises(LibraryDamaged):
        Library.open(data_dir)
    for _ in range(12):  # the new library, started and closed again and again
        Library.open(data_dir).close()
    return workshop.title


def test_every_start_offers_the_backups_until_one_is_restored(qtbot, tmp_path, answers, event_loop):
    data_dir = tmp_path / "library"
    title = damaged_then_started_afresh(data_dir)
    given, shown = answers
    given.extend(["Not now", "Not now"])
    assert run(data_dir) == 0
    assert run(data_dir) == 0
    assert event_loop == [set(), set()]
    assert len(shown) == 2
    window_title, text, details = shown[0]
    assert window_title == "OpAssess: the library was damaged"
    assert "library.damaged-" in text and "nothing was deleted" in text
    assert "offered each time OpAssess starts" in details
    # Restored from the window, with the new library in place: that one is kept aside.
    given.append("Restore the newest backup")
    assert run(data_dir) == 0
    assert event_loop[-1] == {title}
    _title, info, kind = shown[-1]
    assert kind == "information" and "library.before-restore-" in info
    assert list(data_dir.glob("library.before-restore-*.sqlite3"))
    assert recovery_offer(data_dir) is None
    assert run(data_dir) == 0  # and no longer offered: nothing more shown
    assert len(shown) == 4


def test_a_chosen_backup_is_restored(qtbot, tmp_path, answers, event_loop, monkeypatch):
    data_dir = tmp_path / "library"
    workshop = demo_workshop(participants=3)
    with Library.open(data_dir) as library:
        library.add(workshop)
    with Library.open(data_dir) as library:
        library.add(_renamed(workshop))
    (data_dir / LIBRARY_FILE).write_bytes(b"damaged")
    offered = []

    def pick_oldest(_parent, _title, _label, labels, *_args):
        offered.extend(labels)
        return labels[-1], True

    monkeypatch.setattr(QInputDialog, "getItem", pick_oldest)
    given, _shown = answers
    given.append("Choose a backup…")
    assert run(data_dir) == 0
    assert len(offered) == 2
    assert event_loop == [{workshop.title}]  # the older backup: one workshop


def _renamed(workshop: Workshop) -> Workshop:
    return dataclasses.replace(workshop, id=new_id(), title="A second workshop")


def test_stopping_the_offer_keeps_the_backups_apart(qtbot, tmp_path, answers, event_loop):
    data_dir = tmp_path / "library"
    damaged_then_started_afresh(data_dir)
    given, shown = answers
    given.extend(["Stop offering it", "Yes"])
    assert run(data_dir) == 0
    assert recovery_offer(data_dir) is None
    assert kept_backups(data_dir)
    assert run(data_dir) == 0
    assert len(shown) == 2  # the offer and its confirmation, then nothing at the next start


def test_a_folder_where_the_library_file_belongs_is_a_dialog_naming_it(
    qtbot, tmp_path, answers, event_loop
):
    data_dir = tmp_path / "library"
    (data_dir / LIBRARY_FILE).mkdir(parents=True)
    assert run(data_dir) == 2
    _given, shown = answers
    ((title, text, kind),) = shown
    assert kind == "critical" and title == "OpAssess could not start"
    assert str(data_dir / LIBRARY_FILE) in text and "is a folder" in text
    assert event_loop == []


def test_a_library_file_gone_since_the_last_start_offers_its_backups_at_once(
    qtbot, tmp_path, answers, event_loop
):
    data_dir = tmp_path / "library"
    workshop = demo_workshop(participants=3)
    with Library.open(data_dir) as library:
        library.add(workshop)
    (data_dir / LIBRARY_FILE).unlink()  # deleted by hand, or moved by a sync tool
    given, shown = answers
    given.append("Restore the newest backup")
    assert run(data_dir) == 0
    _title, text, _details = shown[0]
    assert "missing" in text and "set aside" not in text
    assert event_loop == [{workshop.title}]
