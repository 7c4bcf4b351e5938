"""Private stays private: while the laptop goes round, nothing on screen or one click away shows
anyone's ratings, until the facilitator takes the laptop back (DESIGN: promises are rules)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, QSettings, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from opassess.frameworks import default_framework
from opassess.session import EditSession
from opassess.workshop import (
    NameDisplay,
    add_participants,
    new_workshop,
    record_rating,
    update_details,
)
from ui.controller import LibraryController, WorkshopController
from ui.main_window import MainWindow
from ui.steps.consensus import ConsensusPage
from ui.steps.rate import FAST, PRIVATE, RatePage
from ui.steps.rate_private import RATING, THANKS, WHO

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
NAMES = ("Ann Baker", "Bo Chen", "Cy Diaz", "Di Evans", "Ed Fox", "Flo Gray")


class Answers:
    """QMessageBox.exec answered by pressing a button by its label; what was asked is kept."""

    def __init__(self, monkeypatch, label: str) -> None:
        self.label = label
        self.asked: list[str] = []
        self.defaults: list[str] = []

        def exec_(box: QMessageBox) -> int:
            self.asked.append(f"{box.text()}\n{box.informativeText()}")
            self.defaults.append(box.defaultButton().text() if box.defaultButton() else "")
            box.clickedButton = lambda: next(b for b in box.buttons() if b.text() == label)
            return 0

        monkeypatch.setattr(QMessageBox, "exec", exec_)


@pytest.fixture
def team(library):
    """Six people, every barrier in scope: Ann and Bo have finished, the rest have not."""
    workshop = new_workshop(default_framework(), title="Leadership team review")
    workshop = add_participants(workshop, [(name, "") for name in NAMES])
    for person in workshop.participants[:2]:
        for dimension_id in workshop.scope:
            workshop = record_rating(workshop, person.id, dimension_id, "developing", "Seen")
    library.add(workshop)
    return workshop


@pytest.fixture
def file_dialogs(monkeypatch):
    """Every file dialog recorded and cancelled, so an export that should not start cannot
    hang the test."""
    opened: list[str] = []

    def record(name, result):
        def ask(*_args, **_kwargs):
            opened.append(name)
            return result

        return ask

    monkeypatch.setattr(QFileDialog, "getSaveFileName", record("save", ("", "")))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", record("open", ([], "")))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", record("folder", ""))
    return opened


def open_window(qtbot, library, tmp_path, workshop, size=(1280, 800)) -> MainWindow:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(LibraryController(library), settings)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    assert window.open_workshop(workshop.id)
    return window


def at_the_laptop(window: MainWindow, screen: str) -> RatePage:
    """Cy at the laptop for private rating, left on `screen`."""
    window._go_to_step(2)
    rate = window.workshop_view.current_page
    assert isinstance(rate, RatePage) and rate.mode == PRIVATE
    cy = window.workshop_controller.workshop.participants[2].id
    rate.private.choose(cy)
    rate.private.choose_stage("starting")
    if screen == THANKS:
        rate.private.finish()
    elif screen == WHO:
        rate.private.reset()  # "Not you? Back to the names": the next person may be there
    assert rate.private.screen == screen
    return rate


def others_ratings_visible(window: MainWindow) -> bool:
    """Whether anything on the laptop's screen now shows the team's ratings."""
    view = window.workshop_view
    page = view.current_page
    if not isinstance(page, RatePage):
        return True  # every other step shows them, or leads to them in one click
    if page.mode == FAST:
        return True
    return window.workshop_controller.revealed


@pytest.mark.parametrize("screen", [RATING, THANKS, WHO])
def test_every_control_and_shortcut_is_locked_while_the_laptop_goes_round(
    qtbot, library, tmp_path, team, file_dialogs, screen
):
    window = open_window(qtbot, library, tmp_path, team)
    rate = at_the_laptop(window, screen)
    view, controller = window.workshop_view, window.workshop_controller
    cy = controller.workshop.participants[2].id

    # The step bar: every other step disabled, and a click on one does nothing.
    for number, button in enumerate(view.step_group.buttons()):
        assert button.isEnabled() == (number == 2), button.text()
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    view.go_to_step(3)  # however asked
    assert view.current_page is rate
    assert not view.back_button.isEnabled()

    # Fast entry, by click and however else asked.
    assert not rate.modes.isEnabled()
    fast_tab = rate.modes.tabRect(1).center()
    qtbot.mouseClick(rate.modes, Qt.MouseButton.LeftButton, pos=fast_tab)
    rate.set_mode(FAST)
    assert rate.mode == PRIVATE and rate.stack.currentWidget() is rate.private
    assert not rate.room_button.isEnabled()

    # Every shortcut that would switch step, project, reveal, export or undo, pressed where
    # the keyboard is.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    clipboard_before = QApplication.clipboard().image()
    keys = [
        *((getattr(Qt.Key, f"Key_{n}"), CTRL) for n in range(1, 7)),
        (Qt.Key.Key_PageDown, CTRL),
        (Qt.Key.Key_PageUp, CTRL),
        (Qt.Key.Key_F5, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_L, CTRL),
        (Qt.Key.Key_E, CTRL),
        (Qt.Key.Key_E, CTRL | SHIFT),
        (Qt.Key.Key_P, CTRL),
        (Qt.Key.Key_C, CTRL | SHIFT),
        (Qt.Key.Key_I, CTRL),
        (Qt.Key.Key_N, CTRL),
        (Qt.Key.Key_Z, CTRL),
        (Qt.Key.Key_Y, CTRL),
    ]
    for key, modifiers in keys:
        qtbot.keyClick(QApplication.focusWidget() or window, key, modifiers)
    assert window.workshop_view is view and view.current_page is rate
    assert rate.mode == PRIVATE and rate.private.screen == screen
    assert window.projector is None
    assert file_dialogs == []
    assert QApplication.clipboard().image() == clipboard_before
    assert controller.workshop.rating(cy, controller.workshop.scope[0]) is not None  # no undo

    # And the menu actions behind them: off, not merely ignored.
    locked = [
        window.new_action,
        window.import_action,
        window.gather_action,
        window.export_action,
        window.workbook_action,
        window.report_action,
        window.paper_forms_action,
        window.spreadsheet_forms_action,
        window.import_forms_action,
        window.chart_png_action,
        window.chart_copy_action,
        window.demo_teams_action,
        window.frameworks_action,
        window.library_action,
        window.undo_action,
        window.redo_action,
        window.projector_action,
        window.next_step_action,
        window.previous_step_action,
        *window.step_actions,
    ]
    assert [a.text() for a in locked if a.isEnabled()] == []
    assert not window.recent_menu.isEnabled()

    # Reveal is refused, however asked: the button, the controller, and its question.
    assert not view.consensus_page.reveal_button.isEnabled()
    view.consensus_page.reveal_button.click()
    controller.set_revealed(True)
    assert not controller.reveal(lambda _question: True)
    assert not controller.revealed and not view.consensus_page.chart.revealed
    window.show_home()  # the library leads to every workshop's ratings
    assert window.workshop_view is view
    assert not others_ratings_visible(window)


def test_the_projector_shows_nothing_private_while_the_laptop_goes_round(
    qtbot, library, tmp_path, team
):
    window = open_window(qtbot, library, tmp_path, team)
    controller = window.workshop_controller
    window._go_to_step(3)
    window.projector_action.trigger()
    projector = window.projector
    controller.set_revealed(True)
    assert projector.showing_chart and projector.chart.revealed

    rate = at_the_laptop(window, RATING)
    assert not controller.revealed  # choosing a name hides the ratings everywhere
    assert not projector.showing_chart and not projector.chart.revealed
    shown = projector.browser.toPlainText()
    assert "Rating" in shown and not any(name in shown for name in NAMES)
    # Even if it were asked for the chart, it shows none while the laptop goes round.
    projector.show_step("Consensus", None)
    assert not projector.showing_chart and not projector.chart.revealed
    assert "Private rating" in projector.browser.toPlainText()

    # F5 still closes it, but cannot open it again until the laptop is taken back.
    window.toggle_projector()
    assert window.projector is None
    assert not window.projector_action.isEnabled()
    window.toggle_projector()
    assert window.projector is None
    assert rate.private.screen == RATING


def test_only_the_facilitator_takes_the_laptop_back_and_that_unlocks(
    qtbot, library, tmp_path, team, monkeypatch
):
    window = open_window(qtbot, library, tmp_path, team)
    rate = at_the_laptop(window, THANKS)
    view = window.workshop_view
    take_back = rate.take_back
    assert take_back.isVisible() and take_back.accessibleName().startswith("Facilitator")
    assert take_back.focusPolicy() & Qt.FocusPolicy.TabFocus  # reachable by keyboard

    kept = Answers(monkeypatch, "Keep it private")
    qtbot.mouseClick(take_back, Qt.MouseButton.LeftButton)
    assert kept.asked and "facilitator" in kept.asked[0].lower()
    assert kept.defaults == ["Keep it private"]  # Enter keeps it private
    assert window.workshop_controller.private_session
    assert not rate.modes.isEnabled() and not window.step_actions[3].isEnabled()

    taken = Answers(monkeypatch, "Take the laptop back")
    take_back.setFocus()
    qtbot.keyClick(take_back, Qt.Key.Key_Space)
    assert taken.asked
    assert not window.workshop_controller.private_session
    assert rate.private.screen == WHO and not take_back.isVisible()
    assert rate.modes.isEnabled() and rate.room_button.isEnabled()
    assert all(b.isEnabled() for b in view.step_group.buttons())
    assert all(a.isEnabled() for a in (*window.step_actions, window.projector_action))
    assert window.export_action.isEnabled() and window.undo_action.isEnabled() is False
    rate.set_mode(FAST)
    assert rate.mode == FAST and window.undo_action.isEnabled()
    window.step_actions[3].trigger()
    assert view.current_page is view.consensus_page
    assert view.consensus_page.reveal_button.isEnabled()


# -- revealing before everyone has rated ----------------------------------------------------------


@pytest.fixture
def consensus(qtbot, library, team):
    controller = WorkshopController(EditSession.open(library, team.id))
    page = ConsensusPage(controller)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    return page


def test_revealing_before_everyone_has_rated_asks_and_names_who_is_missing(
    qtbot, consensus, monkeypatch
):
    controller = consensus.controller
    kept = Answers(monkeypatch, "Keep hidden")
    qtbot.mouseClick(consensus.reveal_button, Qt.MouseButton.LeftButton)
    (question,) = kept.asked
    assert "Only 2 of 6 people have rated every barrier" in question
    assert "Cy Diaz, Di Evans, Ed Fox and Flo Gray" in question
    assert "Ann Baker" not in question and "Bo Chen" not in question
    assert kept.defaults == ["Keep hidden"]
    assert not controller.revealed and not consensus.chart.revealed
    assert not consensus.reveal_button.isChecked()
    assert consensus.reveal_button.text() == "Reveal ratings"

    revealed = Answers(monkeypatch, "Reveal now")
    qtbot.mouseClick(consensus.reveal_button, Qt.MouseButton.LeftButton)
    assert revealed.asked and controller.revealed and consensus.chart.revealed
    qtbot.mouseClick(consensus.reveal_button, Qt.MouseButton.LeftButton)  # hiding asks nothing
    assert not controller.revealed and len(revealed.asked) == 1


def test_an_anonymous_workshop_is_asked_how_many_not_who(qtbot, consensus, monkeypatch):
    controller = consensus.controller
    controller.apply("Names", update_details, name_display=NameDisplay.ANONYMOUS)
    kept = Answers(monkeypatch, "Keep hidden")
    consensus.reveal_button.click()
    (question,) = kept.asked
    assert "Four people have still to finish" in question
    assert not any(name in question for name in NAMES)
    assert not controller.revealed


def test_once_everyone_has_rated_reveal_asks_nothing(qtbot, consensus, monkeypatch):
    controller = consensus.controller
    workshop = controller.workshop
    for person in workshop.participants[2:]:
        for dimension_id in workshop.scope:
            controller.apply("Rating", record_rating, person.id, dimension_id, "starting", "")
    asked = Answers(monkeypatch, "Keep hidden")
    consensus.reveal_button.click()
    assert asked.asked == [] and controller.revealed


# -- the private rating screen: where you are, and the way on always in view ---------------------


def inside(outer: QRect, widget, window) -> bool:
    top_left = widget.mapTo(window, QPoint(0, 0))
    return outer.contains(QRect(top_left, widget.size()))


@pytest.mark.parametrize(
    "size",
    [(1280, 800), (1024, 768), (683, 512), (640, 480)],
    ids=["1280x800", "1024x768", "1024x768 at 150%", "the smallest window"],
)
def test_each_barrier_starts_at_its_top_with_back_next_and_the_keys_in_view(
    qtbot, library, tmp_path, team, size
):
    window = open_window(qtbot, library, tmp_path, team, size)
    rate = at_the_laptop(window, RATING)
    panel = rate.private
    scroll = panel.rating_scroll.verticalScrollBar()
    qtbot.waitUntil(lambda: scroll.maximum() > 0)  # a barrier longer than the screen

    def name_in_view() -> bool:
        viewport = panel.rating_scroll.viewport()
        top = panel.barrier_name.mapTo(viewport, QPoint(0, 0)).y()
        return top >= 0 and top + panel.barrier_name.height() <= viewport.height()

    for move in (panel.next_barrier, panel.next_barrier, panel.previous_barrier):
        scroll.setValue(scroll.maximum())  # read to the end of this barrier
        assert not name_in_view()
        move()
        QApplication.processEvents()
        assert scroll.value() == 0 and name_in_view(), panel.counter.text()
    # Back, Next and the keys are outside the scrolling part, on the window whatever its size.
    on_screen = window.rect()
    for widget in (panel.back, panel.next, panel.keys, panel.counter):
        assert widget.isVisible() and not panel.rating_scroll.isAncestorOf(widget)
        assert inside(on_screen, widget, window), widget.accessibleName()
    # The page itself fits the window: nothing of it scrolled out of reach.
    outer = window.workshop_view.stack.currentWidget().verticalScrollBar()
    assert outer.maximum() == 0


def test_starting_at_a_later_barrier_is_said_plainly(qtbot, library, tmp_path, team):
    window = open_window(qtbot, library, tmp_path, team)
    controller = window.workshop_controller
    workshop = controller.workshop
    di = workshop.participants[3].id
    for dimension_id in workshop.scope[:2]:
        controller.apply("Rating", record_rating, di, dimension_id, "starting", "")
    window._go_to_step(2)
    panel = window.workshop_view.current_page.private

    panel.choose(di)
    third = workshop.framework.dimension(workshop.scope[2]).name
    assert panel.counter.text() == "Barrier 3 of 6"
    assert panel.resumed.isVisible()
    assert panel.resumed.text() == (
        f"Resuming at barrier 3 of 6: {third} — you rated the first two earlier."
    )
    panel.next_barrier()
    assert not panel.resumed.isVisible()  # said once, where it matters
    panel.reset()

    panel.choose(workshop.participants[4].id)  # Ed has rated nothing: nothing to say
    assert panel.counter.text() == "Barrier 1 of 6" and not panel.resumed.isVisible()
    panel.reset()

    panel.choose(workshop.participants[0].id)  # Ann has rated everything
    assert panel.resumed.isVisible() and "rated every barrier already" in panel.resumed.text()
    panel.reset()
    assert not panel.resumed.isVisible() and panel.resumed.text() == ""


def test_closing_opassess_mid_way_round_does_not_unlock_it(qtbot, library, tmp_path, team):
    window = open_window(qtbot, library, tmp_path, team)
    at_the_laptop(window, THANKS)
    window.close()  # quit, or the laptop's lid shut on a crash: the next start is the same

    # the next start goes straight back to private rating, not to the library's home page
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    again = MainWindow(LibraryController(library), settings)
    qtbot.addWidget(again)
    again.show()
    assert again.stack.currentWidget() is again.workshop_view
    view, controller = again.workshop_view, again.workshop_controller
    assert not again.library_action.isEnabled()
    assert controller.private_session and not controller.revealed
    assert isinstance(view.current_page, RatePage) and view.current_page.mode == PRIVATE
    assert view.current_page.private.screen == WHO
    assert not view.back_button.isEnabled()
    assert "carries on, locked" in again.statusBar().currentMessage()

    # once the facilitator has taken it back, the next start is unlocked
    controller.end_private_session()
    again.close()
    third = open_window(qtbot, library, tmp_path, team)
    assert not third.workshop_controller.private_session


def test_compare_and_over_time_windows_close_when_the_laptop_goes_round(
    qtbot, library, tmp_path, team
):
    window = open_window(qtbot, library, tmp_path, team)
    window.show_compare()
    window.show_series(team.id)
    side = list(window._side_windows)
    assert side and all(w.isVisible() for w in side)
    at_the_laptop(window, RATING)
    qtbot.waitUntil(lambda: not window._side_windows, timeout=3000)
    assert not window.library_action.isEnabled()  # and no way to open them again


def test_an_open_room_window_waits_for_the_facilitator(
    qtbot, library, tmp_path, team, monkeypatch
):
    window = open_window(qtbot, library, tmp_path, team)
    window._go_to_step(2)
    rate = window.workshop_view.current_page
    rate.show_room()
    dialog = rate.room_dialog
    dialog.addresses.setCurrentIndex(dialog.addresses.findData("127.0.0.1"))
    dialog.open_button.click()
    room = rate.rooms.room
    ann = team.participants[0].id
    room.claim({"pin": room.pin, "participant_id": ann}, "10.0.0.1")
    dialog.show_progress()
    pin = room.pin

    rate.private.choose(team.participants[2].id)
    controls = (
        dialog.free_button,
        dialog.let_in_button,
        dialog.new_pin_button,
        dialog.rating_button,
        dialog.close_button,
        dialog.people,
    )
    assert not any(control.isEnabled() for control in controls)
    assert dialog.lock_note.isVisibleTo(dialog)
    dialog.people.setCurrentRow(0)
    for act in (
        dialog.free_selected_name,
        dialog.give_new_pin,
        dialog._toggle_rating,
        dialog.let_locked_out_phones_in,
    ):
        act()
    assert room.pin == pin and room.rating_open and rate.rooms.is_open
    assert next(p for p in room.progress() if p.participant_id == ann).joined

    Answers(monkeypatch, "Take the laptop back")
    rate.take_laptop_back()
    assert dialog.close_button.isEnabled() and not dialog.lock_note.isVisibleTo(dialog)
    rate.rooms.close()
