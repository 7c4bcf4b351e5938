"""The main window's manners: steps, projector, undo, delete, settings and recent files."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLabel, QMessageBox

from opassess.interchange import write_session_file
from opassess.workshop import new_workshop
from ui.controller import LibraryController
from ui.main_window import MainWindow
from ui.shortcuts import ShortcutsDialog


def _window(qtbot, library, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(LibraryController(library), settings)
    qtbot.addWidget(window)
    window.show()
    return window


def test_steps_are_free_to_move_between(qtbot, library, demo, tmp_path):
    window = _window(qtbot, library, tmp_path)
    assert window.open_workshop(demo.id)
    view = window.workshop_view
    titles = [page.title for page in view.pages]
    assert titles == ["Setup", "Explain", "Rate", "Consensus", "Plan", "Review"]
    window._go_to_step(4)
    assert view.current_page.title == "Plan"
    window.previous_step_action.trigger()
    assert view.current_page.title == "Consensus"
    window.next_step_action.trigger()
    window.next_step_action.trigger()
    window.next_step_action.trigger()
    assert view.current_page.title == "Review"


def test_projector_mirrors_the_step_and_escape_leaves(qtbot, library, demo, tmp_path):
    window = _window(qtbot, library, tmp_path)
    window.open_workshop(demo.id)
    window._go_to_step(1)
    window.projector_action.trigger()
    projector = window.projector
    assert projector is not None and projector.isVisible()
    assert not projector.showing_chart
    window._go_to_step(3)
    assert projector.showing_chart
    qtbot.keyClick(projector, Qt.Key.Key_Escape)
    assert window.projector is None


def test_undo_labels_follow_the_last_edit(qtbot, library, demo, tmp_path):
    from opassess.workshop import update_details

    window = _window(qtbot, library, tmp_path)
    assert window.saved_label.isHidden()  # the library has no save status of its own
    window.open_workshop(demo.id)
    assert not window.saved_label.isHidden()
    assert not window.undo_action.isEnabled()
    window.workshop_controller.apply("Workshop details", update_details, team="Top team")
    assert window.undo_action.text() == "&Undo Workshop details"
    assert window.saved_label.text().startswith("✓ Saved: Workshop details")
    window.undo_action.trigger()
    assert library.load(demo.id).team == demo.team
    assert window.redo_action.isEnabled()


def test_delete_asks_first_and_can_be_undone(qtbot, library, demo, tmp_path, monkeypatch):
    window = _window(qtbot, library, tmp_path)
    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: next(answers))
    window.operations.delete_workshop(demo.id)
    assert library.exists(demo.id)
    window.operations.delete_workshop(demo.id)
    assert not library.exists(demo.id)
    assert window.undo_action.isEnabled()
    assert window.undo_delete_button.isVisibleTo(window)
    # Into another workshop and back: the way back to the deleted one is still offered.
    other = new_workshop(demo.framework, title="Another team")
    library.add(other)
    assert window.open_workshop(other.id)
    assert not window.undo_delete_button.isVisibleTo(window)
    window.show_home()
    assert window.undo_delete_button.isVisibleTo(window)
    window.undo_action.trigger()
    assert library.load(demo.id) == demo
    assert not window.undo_delete_button.isVisibleTo(window)


def test_the_window_title_follows_a_renamed_workshop(qtbot, library, demo, tmp_path):
    from opassess.workshop import update_details

    window = _window(qtbot, library, tmp_path)
    assert window.open_workshop(demo.id)
    assert window.windowTitle() == f"{demo.title} — OpAssess"
    assert window.workshop_controller.apply("Title", update_details, title="Spring look")
    assert window.windowTitle() == "Spring look — OpAssess"
    window.undo()
    assert window.windowTitle() == f"{demo.title} — OpAssess"


def test_geometry_and_recent_files_are_remembered(qtbot, library, demo, tmp_path):
    window = _window(qtbot, library, tmp_path)
    window.resize(760, 560)
    closed_at = window.size()
    session_file = tmp_path / "team.opassess"
    write_session_file(new_workshop(demo.framework, title="Another team"), session_file)
    window.operations.import_files([session_file])
    window.close()
    again = _window(qtbot, library, tmp_path)
    assert again.settings.window_geometry is not None
    assert again.size() == closed_at
    assert again.settings.recent_files == [session_file]
    assert [a.text() for a in again.recent_menu.actions()] == ["team.opassess"]


def test_a_refused_edit_shows_a_message_in_the_workshop(qtbot, library, demo, tmp_path):
    from opassess.workshop import update_details

    window = _window(qtbot, library, tmp_path)
    window.open_workshop(demo.id)
    window.workshop_controller.apply("Workshop details", update_details, title=" ")
    bar = window.workshop_view.message_bar
    assert bar.isVisible() and "title" in bar.label.text()


def test_shortcuts_are_listed(qtbot):
    from PySide6.QtWidgets import QTableWidget

    dialog = ShortcutsDialog()
    qtbot.addWidget(dialog)
    table = dialog.findChild(QTableWidget)
    keys = [table.item(row, 0).text() for row in range(table.rowCount())]
    assert "Ctrl+Z" in keys and "F5" in keys


def _small_window_at_consensus(qtbot, library, demo, tmp_path):
    """The main window at its smallest on the Consensus step: (window, page, its scroll area).

    The window is returned so the caller holds it; qtbot also keeps it until the test ends."""
    window = _window(qtbot, library, tmp_path)
    assert window.open_workshop(demo.id)
    window.resize(640, 480)
    window._go_to_step(3)
    page = window.workshop_view.consensus_page
    qtbot.waitUntil(lambda: page.isVisible())
    return window, page, window.workshop_view.stack.currentWidget()


def test_a_window_smaller_than_a_step_scrolls_instead_of_squeezing_it(
    qtbot, library, demo, tmp_path
):
    """200% scaling on a small screen leaves a window of about 960x520: the Consensus step
    must keep every wall-chart row and the notes' lines, and scroll to show the rest."""
    _, page, area = _small_window_at_consensus(qtbot, library, demo, tmp_path)
    chart = page.chart
    assert chart.height() >= chart.minimumSizeHint().height()
    assert page.height() >= page.minimumSizeHint().height()
    assert area.widget() is page and area.verticalScrollBar().maximum() > 0


def test_moving_to_a_step_by_keyboard_leaves_its_shortcuts_working(qtbot, library, demo, tmp_path):
    """The scroll area around each step is never a focus stop: after Ctrl+4 from a Setup field,
    Alt+Down moves to the next barrier straight away."""
    from PySide6.QtWidgets import QApplication, QLineEdit

    window = _window(qtbot, library, tmp_path)
    assert window.open_workshop(demo.id)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    view = window.workshop_view
    view.pages[0].findChild(QLineEdit).setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert view.current_page.title == "Consensus"
    assert view.current_page.isAncestorOf(QApplication.focusWidget())
    first = window.workshop_controller.selected_barrier
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert window.workshop_controller.selected_barrier != first


def test_choosing_a_barrier_by_keyboard_scrolls_its_row_into_view(qtbot, library, demo, tmp_path):
    _, page, area = _small_window_at_consensus(qtbot, library, demo, tmp_path)
    bar = area.verticalScrollBar()
    chart = page.chart
    chart.set_selected(chart.row_order()[-1])
    bar.setValue(bar.maximum())  # the chart's top rows are out of sight
    qtbot.keyClick(chart, Qt.Key.Key_Home)
    first = chart.placement().row(chart.row_order()[0]).rect
    top_left = chart.mapTo(area.viewport(), first.topLeft().toPoint())
    assert 0 <= top_left.y() < area.viewport().height()


def test_next_barrier_leaves_a_scrolled_step_where_it_is(qtbot, library, demo, tmp_path):
    """Only a choice made on the chart scrolls to it: the Next barrier button, under the mouse,
    must not jump away, nor the rationale being typed."""
    _, page, area = _small_window_at_consensus(qtbot, library, demo, tmp_path)
    bar = area.verticalScrollBar()
    bar.setValue(bar.maximum())
    before = bar.value()
    selected = page.controller.selected_barrier
    qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)
    assert page.controller.selected_barrier != selected
    assert bar.value() == before


@pytest.mark.parametrize(
    ("width", "height"),
    [(960, 540), (910, 512)],
    ids=["1920x1080 at 200%", "1366x768 at 150%"],
)
def test_on_a_small_screen_at_high_scaling_no_step_scrolls_sideways(
    qtbot, library, demo, tmp_path, width, height
):
    """Every step fits the window's width (the Plan step folds each action's who / when /
    status onto two lines), and only scrolls down: for the finished demo and a new, empty
    workshop alike."""
    empty = new_workshop(demo.framework, title="New workshop")
    library.add(empty)
    window = _window(qtbot, library, tmp_path)
    window.resize(width, height)
    for workshop in (empty, demo):
        assert window.open_workshop(workshop.id)
        view = window.workshop_view
        for index, page in enumerate(view.pages):
            window._go_to_step(index)
            area = view.stack.currentWidget()
            qtbot.waitUntil(lambda area=area: area.viewport().width() > 0 and area.isVisible())
            qtbot.wait(20)  # the scroll bars follow the layout
            assert view.minimumSizeHint().width() <= view.width() <= width  # nothing cut off
            assert area.horizontalScrollBar().maximum() == 0, (workshop.title, page.title)
    window._go_to_step(4)
    plan = view.pages[4]
    slot = plan.slots[0]
    qtbot.waitUntil(lambda: slot.due.y() > slot.responsible.y())
    assert plan.detail_scroll.horizontalScrollBar().maximum() == 0
    window.resize(1500, 800)
    qtbot.waitUntil(lambda: slot.due.y() == slot.responsible.y())


def test_a_long_heading_gives_way_to_a_narrow_window(qtbot, library, demo, tmp_path):
    long = new_workshop(
        demo.framework,
        title="Performance management self-assessment of the corporate management team",
        organisation="The Royal Borough of Somewhere Quite Far Away Metropolitan Council",
        team="Corporate and democratic services leadership group",
    )
    library.add(long)
    window = _window(qtbot, library, tmp_path)
    assert window.open_workshop(long.id)
    window.resize(960, 540)
    heading = window.workshop_view.heading
    qtbot.waitUntil(lambda: heading.width() < heading.sizeHint().width())
    assert window.width() == 960
    assert heading.text().startswith(long.title) and long.team in heading.text()
    shown = QLabel.text(heading)
    assert shown.endswith("…") and len(shown) < len(heading.text())
    assert heading.toolTip() == heading.text() == heading.accessibleName()
    window.resize(heading.sizeHint().width() + 400, 600)
    qtbot.waitUntil(lambda: QLabel.text(heading) == heading.text())
    assert heading.toolTip() == ""


def test_tab_moves_on_from_the_read_only_tables_instead_of_cycling_their_cells(
    qtbot, library, demo, tmp_path
):
    from PySide6.QtWidgets import QApplication

    window = _window(qtbot, library, tmp_path)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)

    def tab_leaves(table) -> bool:
        table.setFocus()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is table)
        table.setCurrentIndex(table.model().index(0, 0))
        qtbot.keyClick(table, Qt.Key.Key_Tab)
        return QApplication.focusWidget() is not table

    assert tab_leaves(window.home.table)
    assert window.open_workshop(demo.id)
    view = window.workshop_view
    assert tab_leaves(view.pages[0].participant_table)
    window._go_to_step(2)
    assert tab_leaves(view.pages[2].progress.table)


def test_undo_is_off_while_the_laptop_goes_round_for_private_rating(
    qtbot, library, demo, tmp_path, monkeypatch
):
    """Undo would take back the previous person's rating: in private mode it is off, and it
    comes back in fast entry and on every other step."""
    fresh = new_workshop(demo.framework, title="Tonight's team")
    library.add(fresh)
    window = _window(qtbot, library, tmp_path)
    assert window.open_workshop(fresh.id)
    controller = window.workshop_controller
    from opassess.workshop import add_participant

    assert controller.apply("Add participant", add_participant, "Alice Ames")
    assert controller.apply("Add participant", add_participant, "Bob Bell")
    window._go_to_step(2)
    rate = window.workshop_view.pages[2]
    alice, bob = (p.id for p in controller.workshop.participants)
    rate.private.choose(alice)
    rate.private.choose_stage("developing")
    rate.private.finish()
    rate.private.choose(bob)
    assert not window.undo_action.isEnabled()
    assert "private rating" in window.undo_action.statusTip()
    window.undo()  # even if asked some other way, the menu's state is what counts
    window.undo_action.trigger()
    told = []
    controller.failed.connect(told.append)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    card = rate.private.cards[0].radio
    card.setFocus()
    qtbot.waitUntil(card.hasFocus)
    qtbot.keyClick(card, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert told and "private rating" in told[0]  # said why, not silently nothing
    assert controller.workshop.rating(alice, controller.workshop.scope[0]) is not None
    rate.private.reset()
    assert not window.undo_action.isEnabled()  # the next person may be at the laptop

    def take_back(box):
        box.clickedButton = lambda: next(
            b for b in box.buttons() if b.text() == "Take the laptop back"
        )
        return 0

    monkeypatch.setattr(QMessageBox, "exec", take_back)
    rate.take_back.click()
    rate.set_mode("fast")
    assert window.undo_action.isEnabled()
    rate.set_mode("private")
    assert not window.undo_action.isEnabled()
    window._go_to_step(3)
    assert window.undo_action.isEnabled()


def test_the_projector_follows_every_choice_on_the_explain_step(qtbot, library, demo, tmp_path):
    window = _window(qtbot, library, tmp_path)
    assert window.open_workshop(demo.id)
    window._go_to_step(1)
    window.projector_action.trigger()
    projector = window.projector
    explain = window.workshop_view.pages[1]
    shown = projector.browser.toPlainText
    first = demo.framework.dimension(window.workshop_controller.selected_barrier)
    descriptor = first.descriptors["starting"][0]  # only on the barrier's own page
    assert "Three stages of development" in shown() and descriptor not in shown()
    # The barrier already selected (the first), then back to the overview.
    explain.barriers.setCurrentRow(1)
    assert descriptor in shown()
    explain.barriers.setCurrentRow(0)
    assert "Three stages of development" in shown() and descriptor not in shown()


def test_no_widget_flashes_up_as_a_window_of_its_own(qtbot, library, tmp_path):
    """Buttons and labels made before they are laid out must not show as top-level windows,
    however briefly (they steal the focus, and flicker on a real desktop)."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication, QWidget

    from opassess.workshop import add_participant

    class WindowShows(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.seen: list[str] = []

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if (
                event.type() == QEvent.Type.Show
                and isinstance(watched, QWidget)
                and watched.isWindow()
            ):
                self.seen.append(type(watched).__name__)
            return False

    shows = WindowShows()
    QApplication.instance().installEventFilter(shows)
    try:
        window = _window(qtbot, library, tmp_path)  # an empty library: the welcome panel
        assert window.home.welcome.isVisible()
        window.home.welcome.demo_button.click()
        window._go_to_step(2)
        window.workshop_controller.apply("Add participant", add_participant, "Zoë Fairley")
        qtbot.wait(10)
    finally:
        QApplication.instance().removeEventFilter(shows)
    assert set(shows.seen) <= {"MainWindow"}, shows.seen


def test_replacing_the_open_workshop_from_a_file_shows_the_files_copy(
    qtbot, library, demo, tmp_path, monkeypatch
):
    """The screens must not keep the replaced copy: its next edit would write old values back."""
    from opassess.workshop import update_details

    path = tmp_path / "team.opassess"
    write_session_file(demo, path)
    window = _window(qtbot, library, tmp_path)
    assert window.open_workshop(demo.id)
    assert window.workshop_controller.apply("Title", update_details, title="Changed on screen")

    def choose_replace(box):
        replace = next(b for b in box.buttons() if b.text() == "Replace")
        box.clickedButton = lambda: replace
        return 0

    monkeypatch.setattr(QMessageBox, "exec", choose_replace)
    assert window.operations.import_files([path]) == [demo.id]
    controller = window.workshop_controller
    assert controller.workshop.title == demo.title
    assert window.workshop_view.heading.text().startswith(demo.title)
    assert controller.apply("Team", update_details, team="Board")
    stored = library.load(demo.id)
    assert (stored.title, stored.team) == (demo.title, "Board")


def test_the_shortcuts_work_from_the_projector_window_too(qtbot, library, demo, tmp_path):
    """On one screen the projector covers the window and has the keyboard: F5 must still turn
    it off, and the step keys and undo still work."""
    window = _window(qtbot, library, tmp_path)
    assert window.open_workshop(demo.id)
    window.projector_action.trigger()
    projector = window.projector
    projector.activateWindow()
    qtbot.waitUntil(projector.isActiveWindow)
    qtbot.keyClick(projector, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.workshop_view.stack.currentIndex() == 1
    qtbot.keyClick(projector, Qt.Key.Key_F5)
    assert window.projector is None and not projector.isVisible()


def test_fast_entry_shows_all_six_barriers_in_a_1280_wide_window(qtbot, library, demo, tmp_path):
    """Keying in paper forms on a laptop: every barrier's column in sight, no sideways scroll."""
    window = _window(qtbot, library, tmp_path)
    assert window.open_workshop(demo.id)
    window.resize(1280, 800)
    window._go_to_step(2)
    rate = window.workshop_view.pages[2]
    rate.set_mode("fast")
    grid = rate.fast_entry.view
    qtbot.waitUntil(lambda: grid.isVisible() and grid.horizontalHeader().length() > 0)
    qtbot.wait(50)
    assert grid.model().columnCount() == 6
    assert grid.horizontalScrollBar().maximum() == 0


def test_a_question_of_choices_defaults_to_the_safe_one(qtbot, library, tmp_path, monkeypatch):
    window = _window(qtbot, library, tmp_path)
    seen = {}

    def press(label):
        def exec_(box):
            seen["default"] = box.defaultButton().text()
            box.clickedButton = lambda: next(b for b in box.buttons() if b.text() == label)
            return 0

        return exec_

    choices = [
        ("Replace them", QMessageBox.ButtonRole.DestructiveRole, "replace"),
        ("Write only the missing ones", QMessageBox.ButtonRole.AcceptRole, "keep"),
    ]
    monkeypatch.setattr(QMessageBox, "exec", press("Replace them"))
    assert window.dialogs.ask_which("Title", "Text", choices) == "replace"
    assert seen["default"] == "Write only the missing ones"
    monkeypatch.setattr(QMessageBox, "exec", press("Cancel"))
    assert window.dialogs.ask_which("Title", "Text", choices) is None
