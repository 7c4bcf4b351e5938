"""Home: the library list, search, re-assessment, import/export, delete with undo."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication

from opassess.interchange import read_session_file, write_session_file
from opassess.workshop import new_workshop, update_details
from ui import home
from ui.controller import LibraryController
from ui.home import HomePage
from ui.main_window import MainWindow


def _page(qtbot, library):
    controller = LibraryController(library)
    page = HomePage(controller)
    qtbot.addWidget(page)
    return controller, page


def _welcoming(page) -> bool:
    return page.welcome.isVisibleTo(page) and not page.library_view.isVisibleTo(page)


def test_an_empty_library_opens_to_the_welcome_panel(qtbot, library):
    _, page = _page(qtbot, library)
    assert _welcoming(page)
    assert not page.table.isVisibleTo(page)
    text = page.welcome.title.text() + page.welcome.introduction.text()
    assert "OpAssess" in text and "six barriers" in text and "three stages" in text
    for button in (page.welcome.demo_button, page.welcome.new_button, page.welcome.import_button):
        assert button.isVisibleTo(page) and button.isEnabled()


def test_the_demo_button_adds_the_demo_and_opens_it(qtbot, library):
    _, page = _page(qtbot, library)
    with qtbot.waitSignal(page.open_requested) as opened:
        page.welcome.demo_button.click()
    assert library.load(opened.args[0]).organisation == "Riverside Borough Council"
    assert page.model.rowCount() == 1
    assert not _welcoming(page) and page.table.isVisibleTo(page)


def test_the_other_ways_in(qtbot, library):
    _, page = _page(qtbot, library)
    with qtbot.waitSignal(page.open_requested) as opened:
        page.welcome.new_button.click()
    assert library.exists(opened.args[0])
    with qtbot.waitSignal(page.import_dialog_requested):
        page.welcome.import_button.click()
    with qtbot.waitSignal(page.guide_requested):
        page.welcome.guide_link.linkActivated.emit("guide")


def test_deleting_the_last_workshop_welcomes_again(qtbot, library, demo):
    controller, page = _page(qtbot, library)
    assert not _welcoming(page) and page.model.rowCount() == 1
    controller.delete(demo.id)
    assert _welcoming(page)
    controller.undo_delete()
    assert not _welcoming(page) and page.model.rowCount() == 1


def test_a_search_that_matches_nothing_says_so_without_welcoming(qtbot, library, demo):
    _, page = _page(qtbot, library)
    assert page._no_match is None  # made only once a search finds nothing
    page.search.setText("nothing like this")
    assert page.model.rowCount() == 0
    assert not _welcoming(page)
    assert page.no_match.isVisibleTo(page) and not page.table.isVisibleTo(page)
    assert "No workshop matches “nothing like this”" in page.no_match.text()
    listing = page.library_view.layout()
    assert listing.indexOf(page.no_match) == listing.indexOf(page.table) - 1  # in its place
    page.search.clear()
    assert page.table.isVisibleTo(page) and not page.no_match.isVisibleTo(page)


def test_a_search_left_behind_when_the_library_empties_is_cleared(qtbot, library, demo):
    controller, page = _page(qtbot, library)
    page.search.setText("riverside")
    controller.delete(demo.id)
    assert _welcoming(page) and page.search.text() == ""
    controller.undo_delete()
    assert page.model.rowCount() == 1


def test_search_and_recent_first(qtbot, library, demo):
    other = new_workshop(demo.framework, title="Finance leadership check", organisation="Northgate")
    library.add(other)
    _, page = _page(qtbot, library)
    assert page.model.summary_at(0).id == other.id  # changed most recently
    page.search.setText("riverside")
    assert page.model.rowCount() == 1 and page.model.summary_at(0).id == demo.id
    page.search.setText("nothing like this")
    assert page.model.rowCount() == 0 and not page.welcome.isVisibleTo(page)


def test_workshops_due_for_reassessment_stand_out(qtbot, library, demo):
    overdue = update_details(
        new_workshop(demo.framework, title="Old one", held_on=date(2020, 1, 1)),
        reassess_on=date.today() - timedelta(days=1),
    )
    library.add(overdue)
    _, page = _page(qtbot, library)
    row = next(r for r in range(page.model.rowCount()) if page.model.summary_at(r).id == overdue.id)
    index = page.model.index(row, 5)
    assert "(due)" in index.data()
    assert index.data(Qt.ItemDataRole.FontRole).bold()
    assert "1 workshop is due" in page.due_note.text()


def test_a_workshop_already_re_assessed_is_no_longer_due(qtbot, library, demo):
    from opassess.workshop import start_reassessment

    overdue = update_details(
        new_workshop(demo.framework, title="Old one", held_on=date(2020, 1, 1)),
        reassess_on=date.today() - timedelta(days=1),
    )
    library.add(overdue)
    library.add(start_reassessment(overdue))
    _, page = _page(qtbot, library)
    row = next(r for r in range(page.model.rowCount()) if page.model.summary_at(r).id == overdue.id)
    assert "(due)" not in page.model.index(row, 5).data()
    assert "Re-assessed" in page.model.index(row, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert page.model.due_count() == 0 and not page.due_note.isVisibleTo(page)


def test_the_listing_roles_are_qts_own():
    assert Qt.ItemDataRole.DisplayRole == home.DISPLAY_ROLE
    assert Qt.ItemDataRole.ToolTipRole == home.TOOL_TIP_ROLE
    assert Qt.ItemDataRole.FontRole == home.FONT_ROLE
    assert Qt.ItemDataRole.ForegroundRole == home.FOREGROUND_ROLE


def test_the_table_shows_its_column_headings_and_every_workshop(qtbot, library, demo):
    library.add(new_workshop(demo.framework, title="Second look", organisation="Northgate"))
    _, page = _page(qtbot, library)
    shown = page.table.model()
    headings = [
        shown.headerData(column, Qt.Orientation.Horizontal) for column in range(shown.columnCount())
    ]
    assert headings == list(page.model.HEADERS)
    assert shown.rowCount() == page.model.rowCount() == 2
    titles = {shown.index(row, 1).data() for row in range(shown.rowCount())}
    assert titles == {demo.title, "Second look"}
    page.table.selectRow(1)
    assert page.selected_id() == page.model.summary_at(1).id
    page.search.setText("northgate")
    assert shown.rowCount() == 1 and shown.index(0, 2).data() == "Northgate"


def test_reassessment_links_back(qtbot, library, demo):
    _, page = _page(qtbot, library)
    page.select(demo.id)
    with qtbot.waitSignal(page.open_requested) as opened:
        page.reassess_button.click()
    later = library.load(opened.args[0])
    assert later.reassesses == demo.id and later.held_on == date.today()


def test_delete_then_undo(qtbot, library, demo):
    controller, page = _page(qtbot, library)
    assert controller.delete(demo.id) == demo.title
    assert page.model.rowCount() == 0 and not library.exists(demo.id)
    controller.undo_delete()
    assert library.load(demo.id) == demo
    assert page.model.rowCount() == 1


def test_the_delete_key_on_the_list_asks_to_delete_the_selected_workshop(qtbot, library, demo):
    _, page = _page(qtbot, library)
    page.show()
    page.activateWindow()
    page.select(demo.id)
    page.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.table)
    with qtbot.waitSignal(page.delete_requested) as asked:
        qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert asked.args == [demo.id]


def test_import_asks_about_an_existing_workshop(qtbot, library, demo, tmp_path):
    controller, page = _page(qtbot, library)
    path = tmp_path / "team.opassess"
    write_session_file(demo, path)
    asked = []
    assert controller.import_files([path], lambda exists: asked.append(exists) or None) == []
    assert asked and asked[0].existing_id == demo.id
    kept = controller.import_files([path], lambda exists: "keep-both")
    assert len(kept) == 1 and kept[0] != demo.id
    assert page.model.rowCount() == 2


def test_a_bad_file_is_reported_and_the_rest_imported(qtbot, library, demo, tmp_path):
    controller, _ = _page(qtbot, library)
    bad = tmp_path / "bad.opassess"
    bad.write_text("{ not json", encoding="utf-8")
    good = tmp_path / "good.opassess"
    write_session_file(new_workshop(demo.framework, title="Good one"), good)
    with qtbot.waitSignal(controller.failed) as failure:
        imported = controller.import_files([bad, good], lambda exists: None)
    assert "bad.opassess" in failure.args[0]
    assert len(imported) == 1


def test_export_from_the_library_writes_the_workshop_and_remembers_the_file(
    qtbot, library, demo, tmp_path
):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(LibraryController(library), settings)
    qtbot.addWidget(window)
    window.dialogs.choose_save_path = lambda _title, suggested, _filter: tmp_path / "out"
    window.home.export_requested.emit(demo.id)
    assert read_session_file(tmp_path / "out.opassess") == demo
    assert window.settings.recent_files[0] == tmp_path / "out.opassess"
    assert "out.opassess" in window.statusBar().currentMessage()


def test_dropping_session_files_asks_to_import_them(qtbot, library, tmp_path):
    _, page = _page(qtbot, library)
    mime = QMimeData()
    mime.setUrls(
        [
            QUrl.fromLocalFile(str(tmp_path / "a.opassess")),
            QUrl.fromLocalFile(str(tmp_path / "b.txt")),
        ]
    )
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(page.import_requested) as dropped:
        page.dropEvent(event)
    assert [p.name for p in dropped.args[0]] == ["a.opassess"]


def test_the_welcome_panel_opens_the_demo_in_the_main_window(qtbot, library, tmp_path):
    from PySide6.QtCore import QSettings

    from ui.main_window import MainWindow

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(LibraryController(library), settings)
    qtbot.addWidget(window)
    window.show()
    assert _welcoming(window.home)
    window.home.welcome.guide_link.linkActivated.emit("guide")
    assert window.guide_window is not None and window.guide_window.isVisible()
    window.guide_window.close()
    window.home.welcome.demo_button.click()
    assert window.stack.currentWidget() is window.workshop_view
    assert window.workshop_controller.workshop.organisation == "Riverside Borough Council"
    window.show_home()
    assert not _welcoming(window.home) and window.home.model.rowCount() == 1
