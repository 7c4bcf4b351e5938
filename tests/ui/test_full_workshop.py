"""A whole workshop run through the main window's widgets, then found again after a restart."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox, QPushButton

from opassess.store import Library
from opassess.workshop import NOT_SURE
from ui.controller import LibraryController
from ui.main_window import MainWindow
from ui.steps.rate_private import THANKS

CTRL = Qt.KeyboardModifier.ControlModifier
LEADERS, LEARN = "leaders-not-interested", "no-time-to-learn"


def _window(qtbot, library, data_dir):
    settings = QSettings(str(data_dir / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(LibraryController(library), settings)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_a_workshop_from_start_to_finish(qtbot, tmp_path, monkeypatch):
    data_dir = tmp_path / "library"
    library = Library.open(data_dir)
    window = _window(qtbot, library, data_dir)

    # Home: a new workshop opens at Setup.
    window.home.new_button.click()
    view = window.workshop_view
    assert view is not None and view.current_page.title == "Setup"
    workshop_id = window.workshop_controller.workshop.id

    # Setup: details, three participants (typed and pasted), two barriers in scope.
    setup = view.pages[0]
    setup.title_edit.setText("Quarterly self-assessment")
    setup.title_edit.editingFinished.emit()
    setup.organisation_edit.setText("Northgate Council")
    setup.organisation_edit.editingFinished.emit()
    setup.new_name.setText("Ann Baker")
    setup.new_role.setText("Chief Executive")
    qtbot.keyClick(setup.new_role, Qt.Key.Key_Return)
    setup.paste_participants("Bo Chen\tFinance\nCy Diaz\tHR\n")
    for dimension_id, box in setup.scope_boxes.items():
        box.setChecked(dimension_id in (LEADERS, LEARN))
    ann, bo, cy = (p.id for p in window.workshop_controller.workshop.participants)

    # Rate, private mode: Ann at the laptop, by keyboard.
    assert window.step_actions[2].shortcut().toString() == "Ctrl+3"
    window.step_actions[2].trigger()
    rate = view.current_page
    assert rate.title == "Rate"
    rate.set_mode("private")
    panel = rate.private
    panel.choose(ann)
    qtbot.keyClick(panel.cards[0].radio, Qt.Key.Key_1)
    qtbot.keyClicks(panel.evidence, "Results come last on the agenda")
    qtbot.keyClick(panel.evidence, Qt.Key.Key_Return, CTRL)
    qtbot.keyClick(panel.cards[0].radio, Qt.Key.Key_2)
    qtbot.keyClick(panel.cards[0].radio, Qt.Key.Key_Return, CTRL)
    # Finished: a "pass the laptop on" screen with nothing of Ann's ratings on it.
    assert panel.screen == THANKS and not panel.participant_id
    shown = " ".join(b.text() for b in panel.findChildren(QPushButton) if b.isVisible())
    assert "Starting" not in shown and "Developing" not in shown

    # The facilitator takes the laptop back (asked first), and the other steps open again.
    assert not window.step_actions[3].isEnabled()

    def take_back(box):
        box.clickedButton = lambda: next(
            b for b in box.buttons() if b.text() == "Take the laptop back"
        )
        return 0

    monkeypatch.setattr(QMessageBox, "exec", take_back)
    rate.take_back.click()
    assert window.step_actions[3].isEnabled()

    # Rate, fast entry: Bo's and Cy's paper forms keyed in.
    rate.set_mode("fast")
    grid, model = rate.fast_entry.view, rate.fast_entry.model
    grid.setCurrentIndex(model.index(1, 0))
    for key in (Qt.Key.Key_3, Qt.Key.Key_2, Qt.Key.Key_1, Qt.Key.Key_0):
        qtbot.keyClick(grid, key)
    grid.setCurrentIndex(model.index(2, 0))
    qtbot.keyClick(grid, Qt.Key.Key_Return)
    rate.fast_entry.evidence_dialog.editor.setPlainText("Board minutes, March")
    rate.fast_entry.evidence_dialog.accept()

    # Consensus: reveal, agree a stage with a rationale and dissent.
    window._go_to_step(3)
    consensus = view.current_page
    consensus.reveal_button.click()
    assert window.workshop_controller.revealed
    window.workshop_controller.select_barrier(LEADERS)
    consensus.stage_buttons["developing"].click()
    consensus.rationale.set_text("Reviews happen; nobody acts yet")
    consensus.dissent.set_text("Bo thinks we are further on")
    consensus.save_notes()

    # Plan: a target, an action from the breakthroughs, and the re-assessment date.
    window._go_to_step(4)
    plan = view.current_page
    chosen = plan.target.findData("consolidating")
    plan.target.setCurrentIndex(chosen)
    plan.target.activated.emit(chosen)  # as a user's pick does
    idea = window.workshop_controller.workshop.framework.suggestions_for(LEADERS)[0].actions[0]
    plan.use_idea(idea)
    plan.reassess.committed.emit(date(2027, 6, 1))

    # Undo and redo from the Edit menu's actions.
    window.undo_action.trigger()
    assert window.workshop_controller.workshop.reassess_on is None
    window.redo_action.trigger()

    # The review page shows it all; then the app closes.
    window._go_to_step(5)
    review_text = view.current_page.browser.toPlainText()
    assert "Quarterly self-assessment" in review_text
    assert "Reviews happen; nobody acts yet" in review_text
    window.close()
    library.close()

    # Reopen the library as the next start of the app would, and find everything.
    with Library.open(data_dir) as reopened:
        stored = reopened.load(workshop_id)
    assert stored.title == "Quarterly self-assessment"
    assert stored.organisation == "Northgate Council"
    assert [(p.name, p.role) for p in stored.participants] == [
        ("Ann Baker", "Chief Executive"),
        ("Bo Chen", "Finance"),
        ("Cy Diaz", "HR"),
    ]
    assert stored.scope == (LEADERS, LEARN)
    assert stored.ratings[(ann, LEADERS)].stage == "starting"
    assert stored.ratings[(ann, LEADERS)].evidence == "Results come last on the agenda"
    assert stored.ratings[(ann, LEARN)].stage == "developing"
    assert stored.ratings[(bo, LEADERS)].stage == "consolidating"
    assert stored.ratings[(bo, LEARN)].stage == "developing"
    assert stored.ratings[(cy, LEADERS)].stage == "starting"
    assert stored.ratings[(cy, LEADERS)].evidence == "Board minutes, March"
    assert stored.ratings[(cy, LEARN)].stage == NOT_SURE
    assert stored.consensus[LEADERS].stage == "developing"
    assert stored.consensus[LEADERS].rationale == "Reviews happen; nobody acts yet"
    assert stored.consensus[LEADERS].dissent == "Bo thinks we are further on"
    assert stored.targets[LEADERS] == "consolidating"
    assert [a.text for a in stored.actions[LEADERS]] == [idea]
    assert stored.reassess_on == date(2027, 6, 1)
