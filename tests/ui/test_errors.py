"""Errors a person can act on: unexpected ones logged and told once, the library in use or
damaged at start, a change that cannot be saved, a session file that cannot be imported."""

from __future__ import annotations

import errno
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from opassess.demo import demo_workshop
from opassess.logs import log_path, setup_logging, stop_logging
from opassess.store import LIBRARY_FILE, Library
from opassess.workshop import update_details
from ui.app import run
from ui.controller import LibraryController
from ui.errors import ErrorReporter, problem_dialog, problem_text
from ui.main_window import MainWindow


@pytest.fixture
def dialogs(monkeypatch):
    """Every QMessageBox that would open: recorded (title, text, informative text), not shown."""
    shown: list[tuple[str, str, str]] = []

    def fake_exec(box):
        shown.append((box.windowTitle(), box.text(), box.informativeText()))
        return int(QMessageBox.StandardButton.Ok)

    def fake_static(kind):
        def show(_parent, title, text, *_args, **_kwargs):
            shown.append((title, text, kind))
            return QMessageBox.StandardButton.Ok

        return show

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    for kind in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, kind, fake_static(kind))
    return shown


@pytest.fixture
def logged(tmp_path):
    data_dir = tmp_path / "data"
    yield setup_logging(data_dir)
    stop_logging()


def _window(qtbot, library, tmp_path) -> MainWindow:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(LibraryController(library), settings)
    qtbot.addWidget(window)
    window.show()
    return window


def _raise_from(where: str) -> None:
    raise RuntimeError(f"a bug in {where}")


# -- unexpected errors ---------------------------------------------------------------------------


def test_the_log_lives_in_the_data_folder_and_is_made_only_when_needed(tmp_path, logged):
    assert logged == tmp_path / "data" / "logs" / "opassess.log" == log_path(tmp_path / "data")
    assert not logged.parent.exists()


@pytest.mark.qt_no_exception_capture
def test_a_slot_that_raises_is_logged_told_once_and_the_window_stays_open(
    qtbot, library, tmp_path, logged, dialogs
):
    window = _window(qtbot, library, tmp_path)
    button = QPushButton("Broken", window)
    button.clicked.connect(lambda: _raise_from("the broken button"))
    with ErrorReporter(logged):
        button.click()
        assert len(dialogs) == 1
        title, text, informative = dialogs[0]
        assert title == "OpAssess" and "Something went wrong" in text
        assert "Your work up to the last change is saved." in informative
        assert "Details were written to" in informative and str(logged) in informative
        log = logged.read_text(encoding="utf-8")
        assert "Traceback" in log and "RuntimeError: a bug in the broken button" in log

        button.click()  # the same error again: logged, not shown again
        assert len(dialogs) == 1
        assert logged.read_text(encoding="utf-8").count("a bug in the broken button") == 2

        QTimer.singleShot(0, lambda: _raise_from("a timer"))  # a different one is told
        qtbot.waitUntil(lambda: len(dialogs) == 2)
    assert window.isVisible()
    assert sys.excepthook is not None and not isinstance(sys.excepthook, ErrorReporter)


def test_the_hook_is_uninstalled_and_the_previous_one_restored(logged):
    before = sys.excepthook
    with ErrorReporter(logged) as reporter:
        assert sys.excepthook is reporter
    assert sys.excepthook is before


def test_when_the_log_cannot_be_written_the_dialog_says_so(tmp_path, dialogs):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be", encoding="utf-8")
    log_file = setup_logging(blocker)
    try:
        reporter = ErrorReporter(log_file)
        try:
            _raise_from("a read-only place")
        except RuntimeError:
            reporter(*sys.exc_info())
    finally:
        stop_logging()
    assert len(dialogs) == 1
    assert "could not be written to the log" in dialogs[0][2]
    assert "Details were written" not in dialogs[0][2]


def test_the_dialog_wording_is_plain(qtbot):
    log_file = Path("/data/logs/opassess.log")
    headline, paragraphs = problem_text(log_file, logged=True)
    assert headline == "Something went wrong, but OpAssess is still running."
    assert paragraphs[:2] == [
        "Your work up to the last change is saved.",
        f"Details were written to {log_file}.",
    ]
    box = problem_dialog(None, log_file, logged=True)
    qtbot.addWidget(box)
    assert [b.text() for b in box.buttons() if b.objectName() == "show_log_folder"] == [
        "Show the log folder"
    ]
    assert "Traceback" not in box.informativeText()


@pytest.fixture
def event_loop(monkeypatch):
    """run() without a real app.exec(): once exec has returned, Qt treats the application as
    closing for the rest of the test session. `then` runs where the event loop would."""
    calls = []

    def fake_exec(_app):
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        for then in calls:
            then([w for w in windows if w.isVisible()])
        return 0

    monkeypatch.setattr(QApplication, "exec", fake_exec)
    return calls


def test_run_installs_the_reporter_with_its_log_in_the_data_folder(qtbot, tmp_path, event_loop):
    seen = {}

    def look(windows):
        seen["hook"] = sys.excepthook
        for window in windows:
            window.close()

    event_loop.append(look)
    assert run(tmp_path / "data") == 0
    assert isinstance(seen["hook"], ErrorReporter)
    assert seen["hook"].log_file == tmp_path / "data" / "logs" / "opassess.log"
    assert sys.excepthook is not seen["hook"]


# -- at start: the library in use, or damaged ----------------------------------------------------


def test_a_library_open_elsewhere_says_what_happened_and_what_to_do(qtbot, tmp_path, dialogs):
    data_dir = tmp_path / "library"
    with Library.open(data_dir):  # another window has it open
        assert run(data_dir) == 2
    assert len(dialogs) == 1
    title, text, kind = dialogs[0]
    assert kind == "critical" and title == "OpAssess is already open"
    assert "already open in another OpAssess window" in text
    assert "Close it there, or use a different data folder." in text
    windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
    assert not any(w.isVisible() for w in windows)


def _damaged_library_with_a_backup(data_dir: Path) -> str:
    workshop = demo_workshop(participants=3)
    with Library.open(data_dir) as library:
        library.add(workshop)
    with Library.open(data_dir):  # a backup taken at open and close
        pass
    (data_dir / LIBRARY_FILE).write_bytes(b"")
    return workshop.id


def test_a_damaged_library_offers_the_newest_backup(
    qtbot, tmp_path, monkeypatch, dialogs, event_loop
):
    data_dir = tmp_path / "library"
    workshop_id = _damaged_library_with_a_backup(data_dir)
    offered = []

    def restore_newest(_data_dir, offer, damaged):
        offered.append(damaged)
        return "restore", offer.backups[0]

    monkeypatch.setattr("ui.app._ask_about_backups", restore_newest)
    listed = []

    def look(windows):
        for window in windows:
            listed.extend(s.id for s in window.library.summaries())
            window.close()

    event_loop.append(look)
    assert run(data_dir) == 0
    assert offered and offered[0].backups
    assert listed == [workshop_id]
    assert list(data_dir.glob("library.damaged-*"))  # the damaged file was kept aside
    assert dialogs == []


def test_declining_the_backup_starts_afresh_and_offers_it_again_next_time(
    qtbot, tmp_path, monkeypatch, dialogs, event_loop
):
    data_dir = tmp_path / "library"
    _damaged_library_with_a_backup(data_dir)
    asked = []

    def not_now(_data_dir, offer, damaged):
        asked.append((offer, damaged))
        return "later", None

    monkeypatch.setattr("ui.app._ask_about_backups", not_now)
    event_loop.append(lambda windows: [w.close() for w in windows])
    assert run(data_dir) == 0
    _offer, damaged = asked[0]
    assert "moved aside" in str(damaged) and "nothing was deleted" in str(damaged)
    event_loop.append(lambda windows: [w.close() for w in windows])
    assert run(data_dir) == 0
    assert len(asked) == 2 and asked[1][1] is None  # offered again, at the next start
    assert asked[1][0].backups == asked[0][0].backups
    assert dialogs == []


# -- during an edit: a change that cannot be saved -----------------------------------------------


def test_a_full_disk_during_an_edit_is_said_plainly(qtbot, library, demo, tmp_path, monkeypatch):
    window = _window(qtbot, library, tmp_path)
    window.open_workshop(demo.id)
    controller = window.workshop_controller

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Library, "save_change", full)
    with qtbot.waitSignal(controller.failed) as failure:
        assert not controller.apply("Workshop details", update_details, team="Top team")
    message = failure.args[0]
    assert message.startswith("This change could not be saved: the disk is full.")
    assert "Free some space on the disk, then make the change again" in message
    assert "Errno" not in message
    bar = window.workshop_view.message_bar
    assert bar.isVisible() and bar.label.text() == message
    assert window.saved_label.text().startswith("⚠ Last change not saved")
    assert controller.workshop.team == demo.team  # the screen is not told it was saved
    assert controller.undo_label is None

    monkeypatch.undo()  # space freed: the same change now goes through
    assert controller.apply("Workshop details", update_details, team="Top team")
    assert window.saved_label.text().startswith("✓ Saved: Workshop details")
    assert library.load(demo.id).team == "Top team"


def test_a_read_only_data_folder_during_an_edit(qtbot, controller, monkeypatch):
    def read_only(*_args, **_kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(Library, "save_change", read_only)
    with qtbot.waitSignal(controller.failed) as failure:
        controller.apply("Workshop details", update_details, team="Top team")
    assert "the disk is read-only" in failure.args[0]
    assert "Make sure the OpAssess data folder can be written to" in failure.args[0]


def test_the_library_reporting_a_full_disk_is_not_said_twice(qtbot, controller, monkeypatch):
    from opassess.store import LibraryError

    def full(*_args, **_kwargs):
        raise LibraryError("The disk is full. That change was not saved.")

    monkeypatch.setattr(Library, "save_change", full)
    with qtbot.waitSignal(controller.save_failed) as failure:
        controller.apply("Workshop details", update_details, team="Top team")
    assert failure.args[0].startswith("The disk is full. That change was not saved.")
    assert "Not saved:" not in failure.args[0]


# -- import: a session file that cannot be read --------------------------------------------------


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: p.write_text("{ not json", encoding="utf-8"), "not valid JSON at line 1"),
        (lambda p: p.write_bytes(b"\x00\x01PK\x03"), "not valid JSON"),
        (lambda p: p.write_text('{"a": 1}', encoding="utf-8"), "is not an OpAssess session file"),
        (lambda p: p.mkdir(), "it is a folder, not a file"),
        (lambda p: None, "the file does not exist"),
    ],
    ids=["broken-json", "binary", "other-json", "folder", "missing"],
)
def test_an_unreadable_session_file_is_named_with_its_problem(
    qtbot, library, tmp_path, dialogs, make, expected
):
    window = _window(qtbot, library, tmp_path)
    path = tmp_path / "from a colleague.opassess"
    make(path)
    assert window.operations.import_files([path]) == []
    assert len(dialogs) == 1
    _title, text, _kind = dialogs[0]
    assert text.startswith("Not imported: ")
    assert "from a colleague.opassess" in text and expected in text
    assert "Traceback" not in text
    assert library.list_workshops() == []
