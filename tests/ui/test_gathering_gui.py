"""Gathering many teams' session files from the window: one question, one summary."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import QSettings

from opassess.demo import demo_workshop
from opassess.interchange import write_session_file
from ui.controller import LibraryController
from ui.main_window import MainWindow


def _window(qtbot, library, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(LibraryController(library), settings)
    qtbot.addWidget(window)
    return window


def _returns(tmp_path: Path, count: int) -> Path:
    folder = tmp_path / "returns"
    folder.mkdir()
    for n in range(count):
        workshop = dataclasses.replace(demo_workshop(4, seed=n), title=f"Team {n}")
        write_session_file(workshop, folder / f"team-{n}.opassess")
    return folder


def test_a_folder_is_gathered_with_a_summary(qtbot, library, tmp_path):
    window = _window(qtbot, library, tmp_path)
    folder = _returns(tmp_path, 6)
    told: list[str] = []
    window.dialogs.inform = lambda _title, text: told.append(text)
    window.dialogs.choose_folder = lambda *args: folder
    window.gather_action.trigger()
    assert told == ["6 workshops added"]
    assert window.home.model.rowCount() == 6


def test_several_dropped_files_ask_once_about_those_that_differ(qtbot, library, tmp_path):
    window = _window(qtbot, library, tmp_path)
    folder = _returns(tmp_path, 4)
    paths = sorted(folder.glob("*.opassess"))
    told: list[str] = []
    window.dialogs.inform = lambda _title, text: told.append(text)
    window.operations.import_files(paths)
    for summary in library.list_workshops()[:2]:
        stored = library.load(summary.id)
        library.replace(dataclasses.replace(stored, title=stored.title + " (ours)"))
    asked: list[str] = []

    def ask(_title, text, choices):
        asked.append(text)
        return "replace"

    window.dialogs.ask_which = ask
    imported = window.operations.import_files(paths)
    assert len(asked) == 1 and asked[0].startswith("2 of these workshops are already")
    assert len(imported) == 2
    assert told[-1] == (
        "2 workshops replaced with the file's version\n"
        "2 workshops already in the library as they are: unchanged"
    )
    assert not any(s.title.endswith("(ours)") for s in library.list_workshops())


def test_a_hostile_file_in_a_batch_is_named_and_the_good_one_comes_in(
    qtbot, library, tmp_path
):
    window = _window(qtbot, library, tmp_path)
    folder = _returns(tmp_path, 1)
    bad = folder / "bad.opassess"
    bad.write_text('{"format": ' + "9" * 5000 + "}", encoding="utf-8")
    told: list[str] = []
    window.dialogs.inform = lambda _title, text: told.append(text)
    window.operations.import_files([bad, folder / "team-0.opassess"])
    assert window.home.model.rowCount() == 1
    assert told and "bad.opassess" in told[0] and "number too long" in told[0]
