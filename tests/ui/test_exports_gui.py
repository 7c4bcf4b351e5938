"""Exports from the window: in the background, with a plain message when they fail."""

from __future__ import annotations

import dataclasses
import zipfile
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QSettings, QSize
from PySide6.QtGui import QColor, QGuiApplication, QImage
from PySide6.QtWidgets import QMessageBox

from opassess.export.rating_forms import FIRST_BARRIER_ROW, FORM_SHEET
from ui.controller import LibraryController
from ui.main_window import MainWindow
from ui.style import STAGE_COLOURS


def _window(qtbot, library, workshop, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(LibraryController(library), settings)
    qtbot.addWidget(window)
    window.operations.exports.show_dialogs = False
    window.open_workshop(workshop.id)
    return window


def _forms_exported(qtbot, library, workshop, tmp_path):
    """The window on `workshop`, its spreadsheet rating forms just written to `tmp_path`:
    (window, the forms' paths in participant order)."""
    window = _window(qtbot, library, workshop, tmp_path)
    window.dialogs.choose_folder = lambda *args: tmp_path
    with qtbot.waitSignal(window.operations.exports.finished, timeout=60000) as done:
        window.spreadsheet_forms_action.trigger()
    return window, [Path(p) for p in done.args[1]]


@pytest.fixture
def unrated(library, demo):
    """The demo team before anyone has rated."""
    workshop = dataclasses.replace(demo, id="unrated-team", title="Unrated team", ratings={})
    library.add(workshop)
    return workshop


@pytest.fixture
def warnings(monkeypatch):
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _parent, title, text, *rest: shown.append((title, text))
    )
    return shown


def test_workbook_and_report_are_written_in_the_background(qtbot, library, demo, tmp_path):
    window = _window(qtbot, library, demo, tmp_path)
    targets = iter([tmp_path / "results", tmp_path / "report.pdf"])
    window.dialogs.choose_save_path = lambda *args: next(targets)
    with qtbot.waitSignal(window.operations.exports.finished, timeout=60000):
        window.workbook_action.trigger()
    book = openpyxl.load_workbook(tmp_path / "results.xlsx")  # suffix added when left off
    assert "Summary" in book.sheetnames
    with qtbot.waitSignal(window.operations.exports.finished, timeout=60000):
        window.report_action.trigger()
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    assert window.settings.last_folder == tmp_path


def test_a_failed_export_says_why_and_leaves_nothing(qtbot, library, demo, tmp_path, warnings):
    window = _window(qtbot, library, demo, tmp_path)
    window.operations.exports.show_dialogs = True
    missing = tmp_path / "no such folder" / "report.pdf"
    window.dialogs.choose_save_path = lambda *args: missing
    with qtbot.waitSignal(window.operations.exports.failed, timeout=60000) as failure:
        window.report_action.trigger()
    assert "report.pdf" in failure.args[0] and "folder does not exist" in failure.args[0]
    assert warnings == [("Export failed", failure.args[0])]
    assert not missing.parent.exists()
    assert window.workshop_controller is not None  # the workshop stays open


def test_cancelled_dialog_exports_nothing(qtbot, library, demo, tmp_path):
    window = _window(qtbot, library, demo, tmp_path)
    window.dialogs.choose_save_path = lambda *args: None
    window.workbook_action.trigger()
    assert not window.operations.exports.busy
    assert list(tmp_path.glob("*.xlsx")) == []


def test_forms_out_and_filled_forms_back_in_as_one_undoable_edit(qtbot, library, unrated, tmp_path):
    window, written = _forms_exported(qtbot, library, unrated, tmp_path)
    assert len(written) == len(unrated.participants)
    for path, stage in zip(written[:2], ["Developing", "Not sure"], strict=True):
        book = openpyxl.load_workbook(path)
        book[FORM_SHEET][f"C{FIRST_BARRIER_ROW}"] = stage
        book[FORM_SHEET][f"D{FIRST_BARRIER_ROW}"] = "Seen at the March team meeting."
        book.save(path)

    window.dialogs.choose_open_paths = lambda *args: written[:2]
    window.operations.import_rating_forms()

    controller = window.workshop_controller
    first_barrier = unrated.scoped_dimensions()[0].id
    assert {dim for _pid, dim in controller.workshop.ratings} == {first_barrier}
    got = {pid: r.stage for (pid, _dim), r in controller.workshop.ratings.items()}
    assert got == {unrated.participants[0].id: "developing", unrated.participants[1].id: "not-sure"}
    assert library.load(unrated.id).ratings == controller.workshop.ratings  # saved
    assert "Ctrl+Z" in window.statusBar().currentMessage()
    window.operations.import_rating_forms()  # the same forms again change nothing, and say so
    assert "nothing changed" in window.statusBar().currentMessage()
    assert window.undo_action.text() == "&Undo Import rating forms"

    window.undo_action.trigger()
    assert controller.workshop.ratings == {}
    assert library.load(unrated.id).ratings == {}


def test_a_bad_form_is_refused_whole_with_file_and_cell(
    qtbot, library, unrated, tmp_path, warnings
):
    window, (good, bad, *_) = _forms_exported(qtbot, library, unrated, tmp_path)
    for path, stage in [(good, "Developing"), (bad, "Brilliant")]:
        book = openpyxl.load_workbook(path)
        book[FORM_SHEET][f"C{FIRST_BARRIER_ROW}"] = stage
        book.save(path)

    window.dialogs.choose_open_paths = lambda *args: [good, bad]
    window.operations.import_rating_forms()

    ((title, text),) = warnings
    assert title == "Rating forms not imported"
    assert bad.name in text and f"C{FIRST_BARRIER_ROW}" in text and "Brilliant" in text
    assert window.workshop_controller.workshop.ratings == {}  # not even the good form
    assert library.load(unrated.id).ratings == {}


def test_forms_edited_out_of_shape_are_imported_right_or_refused_naming_the_file(
    qtbot, library, unrated, tmp_path, warnings
):
    """A row inserted above the answers still lands each on its own barrier; a deleted row, or
    a file far larger than a form, is refused with a message naming the file and nothing is
    imported."""
    window, (shifted, deleted, huge, *_) = _forms_exported(qtbot, library, unrated, tmp_path)
    second = unrated.scoped_dimensions()[1]
    for path in (shifted, deleted):
        book = openpyxl.load_workbook(path)
        sheet = book[FORM_SHEET]
        sheet.protection.sheet = False
        sheet.insert_rows(FIRST_BARRIER_ROW)  # every barrier moves down a row
        sheet[f"C{FIRST_BARRIER_ROW + 2}"] = "Consolidating"  # beside the second barrier
        if path == deleted:
            sheet.delete_rows(FIRST_BARRIER_ROW + 3)
        book.save(path)
    with (
        zipfile.ZipFile(huge, "a", zipfile.ZIP_DEFLATED) as package,
        package.open("xl/media/padding.bin", "w") as member,
    ):
        for _ in range(16):
            member.write(bytes(1_000_000))

    window.dialogs.choose_open_paths = lambda *args: [shifted]
    window.operations.import_rating_forms()
    controller = window.workshop_controller
    ((_pid, dimension), rating), *others = controller.workshop.ratings.items()
    assert others == [] and dimension == second.id and rating.stage == "consolidating"
    window.undo_action.trigger()

    for path, said in [(deleted, "is missing (it was on row 9)"), (huge, "too large")]:
        window.dialogs.choose_open_paths = lambda *args, path=path: [shifted, path]
        window.operations.import_rating_forms()
        title, text = warnings.pop()
        assert title == "Rating forms not imported"
        assert path.name in text and said in text and "nothing was imported" in text
        assert controller.workshop.ratings == {} and library.load(unrated.id).ratings == {}


def test_nothing_chosen_imports_nothing(qtbot, library, unrated, tmp_path, warnings):
    window = _window(qtbot, library, unrated, tmp_path)
    window.dialogs.choose_open_paths = lambda *args: []
    window.operations.import_rating_forms()
    assert warnings == [] and window.workshop_controller.workshop.ratings == {}


def test_paper_forms_from_the_file_menu(qtbot, library, demo, tmp_path):
    pytest.importorskip("opassess.export.paper_forms")
    window = _window(qtbot, library, demo, tmp_path)
    window.dialogs.choose_save_path = lambda *args: tmp_path / "forms.pdf"
    with qtbot.waitSignal(window.operations.exports.finished, timeout=60000):
        window.paper_forms_action.trigger()
    assert (tmp_path / "forms.pdf").read_bytes().startswith(b"%PDF")


def test_wall_chart_saved_at_projector_resolution_and_copied(qtbot, library, demo, tmp_path):
    window = _window(qtbot, library, demo, tmp_path)
    window.workshop_controller.set_revealed(True)
    window.workshop_view.go_to_step(3)  # the chart follows the workshop on its own page
    window.dialogs.choose_save_path = lambda *args: tmp_path / "chart"
    window.chart_png_action.trigger()
    image = QImage(str(tmp_path / "chart.png"))
    assert image.size() == QSize(1920, 1080)
    starting = QColor(STAGE_COLOURS[0]).rgb()
    body = [image.pixel(x, y) for x in range(0, 1920, 2) for y in range(120, 1080, 2)]
    assert body.count(starting) > 100  # the team's dots, below the legend: revealed and drawn

    QGuiApplication.clipboard().clear()
    window.chart_copy_action.trigger()
    assert QGuiApplication.clipboard().image().size() == QSize(1920, 1080)


def test_chart_context_menu_requests_reach_the_window(qtbot, library, demo, tmp_path):
    window = _window(qtbot, library, demo, tmp_path)
    window.dialogs.choose_save_path = lambda *args: tmp_path / "from the menu.png"
    window.workshop_view.consensus_page.chart.save_requested.emit()
    assert (tmp_path / "from the menu.png").exists()


def test_a_chart_that_cannot_be_saved_says_so(qtbot, library, demo, tmp_path, warnings):
    window = _window(qtbot, library, demo, tmp_path)
    window.dialogs.choose_save_path = lambda *args: tmp_path / "missing" / "chart.png"
    window.chart_png_action.trigger()
    ((title, text),) = warnings
    assert title == "Chart not saved" and "chart.png" in text


def test_a_bare_file_name_never_replaces_the_file_it_comes_to_unasked(
    qtbot, library, demo, tmp_path, monkeypatch
):
    """Typing "keep" where keep.pdf exists: the save dialog saw no clash, so OpAssess asks."""
    window = _window(qtbot, library, demo, tmp_path)
    kept = tmp_path / "keep.pdf"
    kept.write_bytes(b"the earlier report")
    window.dialogs.choose_save_path = lambda *args: tmp_path / "keep"
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.No)
    window.report_action.trigger()
    assert not window.operations.exports.busy
    assert kept.read_bytes() == b"the earlier report"
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(window.operations.exports.finished, timeout=60000):
        window.report_action.trigger()
    assert kept.read_bytes().startswith(b"%PDF")


def test_exporting_forms_again_keeps_the_filled_in_ones_unless_told(
    qtbot, library, unrated, tmp_path, monkeypatch
):
    from opassess.workshop import add_participant

    window, (filled, *_) = _forms_exported(qtbot, library, unrated, tmp_path)
    book = openpyxl.load_workbook(filled)
    book[FORM_SHEET][f"C{FIRST_BARRIER_ROW}"] = "Developing"
    book.save(filled)
    assert window.workshop_controller.apply("Add participant", add_participant, "Late Comer")

    asked = []
    monkeypatch.setattr(
        window.operations,
        "_ask_about_existing_forms",
        lambda there: asked.append(len(there)) or "keep",
    )
    with qtbot.waitSignal(window.operations.exports.finished, timeout=60000) as again:
        window.spreadsheet_forms_action.trigger()
    assert asked == [len(unrated.participants)]
    assert [Path(p).name for p in again.args[1]] == [
        p.name for p in tmp_path.glob("*Late Comer*.xlsx")
    ]
    assert openpyxl.load_workbook(filled)[FORM_SHEET][f"C{FIRST_BARRIER_ROW}"].value == "Developing"

    monkeypatch.setattr(window.operations, "_ask_about_existing_forms", lambda there: None)
    window.spreadsheet_forms_action.trigger()
    assert not window.operations.exports.busy  # cancelled: nothing written
    monkeypatch.setattr(window.operations, "_ask_about_existing_forms", lambda there: "replace")
    with qtbot.waitSignal(window.operations.exports.finished, timeout=60000) as replaced:
        window.spreadsheet_forms_action.trigger()
    assert len(replaced.args[1]) == len(unrated.participants) + 1
    assert openpyxl.load_workbook(filled)[FORM_SHEET][f"C{FIRST_BARRIER_ROW}"].value is None


def test_a_re_assessments_report_and_workbook_show_the_movement(qtbot, library, demo, tmp_path):
    from pypdf import PdfReader

    from opassess.workshop import start_reassessment

    later = start_reassessment(demo)
    library.add(later)
    window = _window(qtbot, library, later, tmp_path)
    targets = iter([tmp_path / "again.pdf", tmp_path / "again.xlsx"])
    window.dialogs.choose_save_path = lambda *args: next(targets)
    with qtbot.waitSignal(window.operations.exports.finished, timeout=60000):
        window.report_action.trigger()
    text = " ".join(page.extract_text() for page in PdfReader(tmp_path / "again.pdf").pages)
    assert "Movement since last time" in text and demo.title in text
    with qtbot.waitSignal(window.operations.exports.finished, timeout=60000):
        window.workbook_action.trigger()
    assert "Movement" in openpyxl.load_workbook(tmp_path / "again.xlsx").sheetnames
