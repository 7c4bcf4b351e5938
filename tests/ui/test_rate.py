"""The Rate step: private rating at the laptop, fast entry of paper forms, and progress."""

from __future__ import annotations

from html import escape

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
)

from opassess.frameworks import default_framework
from opassess.session import EditSession
from opassess.workshop import (
    NOT_SURE,
    add_participants,
    new_workshop,
    record_rating,
)
from ui.controller import WorkshopController
from ui.steps.rate import FAST, PRIVATE, RatePage
from ui.steps.rate_grid import MISSING_EVIDENCE_MARK
from ui.steps.rate_private import EVIDENCE_SAVE_DELAY_MS, RATING, THANKS, WHO

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def fresh(library):
    """Three people, every barrier in scope, nothing rated yet."""
    workshop = new_workshop(default_framework(), title="Leadership team review")
    workshop = add_participants(
        workshop, [("Ann Baker", "Chief executive"), ("Bo Chen", "Finance"), ("Cy Diaz", "HR")]
    )
    library.add(workshop)
    return workshop


@pytest.fixture
def fresh_controller(qtbot, library, fresh):
    return WorkshopController(EditSession.open(library, fresh.id))


def make_page(qtbot, controller) -> RatePage:
    page = RatePage(controller)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    qtbot.waitExposed(page)
    return page


def name_button(page: RatePage, name: str) -> QPushButton:
    (button,) = [
        b for b in page.private.findChildren(QPushButton) if b.text() == name and b.isVisible()
    ]
    return button


def visible_text(widget) -> str:
    """Everything a person could read in a widget: visible labels, buttons and text boxes."""
    parts = []
    for child in widget.findChildren(QLabel):
        if child.isVisibleTo(widget) and child.isVisible():
            parts.append(child.text())
    for child in widget.findChildren(QPushButton) + widget.findChildren(QRadioButton):
        if child.isVisible():
            parts.append(child.text())
    for child in widget.findChildren(QPlainTextEdit):
        if child.isVisible():
            parts.append(child.toPlainText())
    return "\n".join(parts)


def press(label: str):
    """A QMessageBox.exec that answers by pressing the button labelled `label`."""

    def exec_(box):
        box.clickedButton = lambda: next(b for b in box.buttons() if b.text() == label)
        return 0

    return exec_


def stored(library, workshop_id, participant_id, dimension_id):
    return library.load(workshop_id).ratings.get((participant_id, dimension_id))


# -- private rating -------------------------------------------------------------------------------


def test_private_rating_by_keyboard_records_stages_and_evidence(
    qtbot, library, fresh, fresh_controller
):
    page = make_page(qtbot, fresh_controller)
    panel = page.private
    ann = fresh.participants[0].id
    first, second, *_ = fresh.scope
    assert panel.screen == WHO

    qtbot.keyClick(name_button(page, "Ann Baker"), Qt.Key.Key_Space)
    assert panel.screen == RATING
    assert panel.counter.text() == "Barrier 1 of 6"
    assert panel.barrier_name.text() == fresh.framework.dimension(first).name

    qtbot.keyClick(panel.cards[0].radio, Qt.Key.Key_2)
    assert stored(library, fresh.id, ann, first).stage == "developing"
    assert panel.cards[1].radio.isChecked()

    qtbot.keyClicks(panel.evidence, "Directors ask why when results slip")
    qtbot.keyClick(panel.evidence, Qt.Key.Key_Return, CTRL)
    assert stored(library, fresh.id, ann, first).evidence == "Directors ask why when results slip"
    assert panel.counter.text() == "Barrier 2 of 6"

    qtbot.keyClick(panel.cards[0].radio, Qt.Key.Key_0)
    assert stored(library, fresh.id, ann, second).stage == NOT_SURE
    assert panel.not_sure.isChecked()
    qtbot.keyClick(panel.not_sure, Qt.Key.Key_Return, CTRL)
    qtbot.keyClick(panel.cards[0].radio, Qt.Key.Key_N)
    assert stored(library, fresh.id, ann, fresh.scope[2]).stage == NOT_SURE
    for _ in range(3):
        qtbot.keyClick(panel.cards[0].radio, Qt.Key.Key_Return, CTRL)
    assert panel.counter.text() == "Barrier 6 of 6"
    assert panel.next.text() == "Finish"
    qtbot.keyClick(panel.cards[0].radio, Qt.Key.Key_3)
    assert stored(library, fresh.id, ann, fresh.scope[5]).stage == "consolidating"

    qtbot.keyClick(panel.cards[0].radio, Qt.Key.Key_Return, CTRL)
    assert panel.screen == THANKS
    assert panel.participant_id == ""


def test_a_large_team_finds_a_name_by_typing(qtbot, library):
    from opassess.demo import demo_workshop

    workshop = demo_workshop(participants=40)
    library.add(workshop)
    page = make_page(qtbot, WorkshopController(EditSession.open(library, workshop.id)))
    panel = page.private
    assert panel.find_name.isVisible()
    someone = workshop.participants[17]
    names = workshop.display_names()
    qtbot.keyClicks(panel.find_name, someone.name.upper())
    visible = [b.text() for b in panel.findChildren(QPushButton) if b.isVisible()]
    assert visible == [n for n in names.values() if someone.name.casefold() in n.casefold()]
    assert len(visible) < len(names)
    qtbot.keyClick(name_button(page, names[someone.id]), Qt.Key.Key_Return)
    assert panel.participant_id == someone.id
    panel.reset()
    assert panel.find_name.text() == ""
    # Enter in the search takes the one name it found.
    everyone = [p.name for p in workshop.participants]
    unique = next(p for p in workshop.participants if everyone.count(p.name) == 1)
    qtbot.keyClicks(panel.find_name, unique.name)
    qtbot.keyClick(panel.find_name, Qt.Key.Key_Return)
    assert panel.participant_id == unique.id
    assert not panel.names_scroll.focusPolicy() & Qt.FocusPolicy.TabFocus


def test_entering_the_step_puts_the_keyboard_on_the_names(qtbot, fresh_controller):
    from PySide6.QtWidgets import QApplication

    page = make_page(qtbot, fresh_controller)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    first = fresh_controller.workshop.display_names()[fresh_controller.workshop.participants[0].id]
    page.entered()
    assert QApplication.focusWidget() is name_button(page, first)
    page.set_mode("fast")
    page.entered()
    assert QApplication.focusWidget() is page.fast_entry.view


def test_stage_cards_stack_when_the_screen_is_narrow(qtbot, fresh_controller):
    page = make_page(qtbot, fresh_controller)
    panel = page.private
    panel.choose(fresh_controller.workshop.participants[0].id)
    qtbot.waitUntil(lambda: panel.cards[0].isVisible())
    assert panel.cards[0].y() == panel.cards[1].y()
    page.resize(480, 700)
    qtbot.waitUntil(lambda: panel.cards[1].y() > panel.cards[0].y())


def test_digits_typed_in_the_evidence_box_are_text_not_stages(
    qtbot, library, fresh, fresh_controller
):
    page = make_page(qtbot, fresh_controller)
    page.private.choose(fresh.participants[0].id)
    qtbot.keyClicks(page.private.evidence, "2 of 3 directors")
    assert page.private.evidence.toPlainText() == "2 of 3 directors"
    assert library.load(fresh.id).ratings == {}


def test_back_and_next_buttons_move_between_barriers(qtbot, fresh_controller):
    page = make_page(qtbot, fresh_controller)
    panel = page.private
    panel.choose(fresh_controller.workshop.participants[1].id)
    assert not panel.back.isEnabled()
    qtbot.mouseClick(panel.next, Qt.MouseButton.LeftButton)
    assert panel.counter.text() == "Barrier 2 of 6"
    assert panel.back.isEnabled()
    qtbot.mouseClick(panel.back, Qt.MouseButton.LeftButton)
    assert panel.counter.text() == "Barrier 1 of 6"


def test_clicking_a_stage_card_records_it_with_the_evidence_typed_first(
    qtbot, library, fresh, fresh_controller
):
    page = make_page(qtbot, fresh_controller)
    panel = page.private
    bo = fresh.participants[1].id
    panel.choose(bo)
    qtbot.keyClicks(panel.evidence, "Reports are noted and the agenda moves on")
    panel.save_evidence()  # nothing to attach it to yet: kept on screen, nothing stored
    assert library.load(fresh.id).ratings == {}
    assert panel.nudge.isVisible()
    qtbot.mouseClick(panel.cards[0], Qt.MouseButton.LeftButton)
    rating = stored(library, fresh.id, bo, fresh.scope[0])
    assert rating.stage == "starting"
    assert rating.evidence == "Reports are noted and the agenda moves on"


def test_evidence_is_saved_after_a_pause_in_typing(qtbot, library, fresh, fresh_controller):
    page = make_page(qtbot, fresh_controller)
    panel = page.private
    cy = fresh.participants[2].id
    panel.choose(cy)
    qtbot.keyClick(panel.cards[0].radio, Qt.Key.Key_1)
    qtbot.keyClicks(panel.evidence, "Board asks for the monthly figures")
    assert stored(library, fresh.id, cy, fresh.scope[0]).evidence == ""
    qtbot.waitUntil(
        lambda: (
            stored(library, fresh.id, cy, fresh.scope[0]).evidence
            == "Board asks for the monthly figures"
        ),
        timeout=EVIDENCE_SAVE_DELAY_MS * 5,
    )


def test_evidence_is_saved_when_the_text_box_loses_focus(qtbot, library, fresh, fresh_controller):
    page = make_page(qtbot, fresh_controller)
    panel = page.private
    ann = fresh.participants[0].id
    panel.choose(ann)
    qtbot.keyClick(panel.cards[0].radio, Qt.Key.Key_2)
    qtbot.keyClicks(panel.evidence, "Standing item at every meeting")
    QApplication.sendEvent(panel.evidence, QFocusEvent(QEvent.Type.FocusOut))
    assert stored(library, fresh.id, ann, fresh.scope[0]).evidence == (
        "Standing item at every meeting"
    )


def test_evidence_is_saved_when_the_window_closes(qtbot, library, fresh, fresh_controller):
    page = make_page(qtbot, fresh_controller)
    panel = page.private
    bo = fresh.participants[1].id
    panel.choose(bo)
    qtbot.keyClick(panel.cards[0].radio, Qt.Key.Key_1)
    qtbot.keyClicks(panel.evidence, "Typed just before closing")
    page.close()
    assert stored(library, fresh.id, bo, fresh.scope[0]).evidence == "Typed just before closing"


def test_ctrl_enter_means_next_even_on_a_focused_button(qtbot, fresh_controller):
    page = make_page(qtbot, fresh_controller)
    panel = page.private
    panel.choose(fresh_controller.workshop.participants[0].id)
    panel.next_barrier()
    qtbot.keyClick(panel.back, Qt.Key.Key_Return, CTRL)
    assert panel.counter.text() == "Barrier 3 of 6"


def test_the_next_person_sees_none_of_the_last_persons_choices(qtbot, fresh, fresh_controller):
    page = make_page(qtbot, fresh_controller)
    panel = page.private
    panel.choose(fresh.participants[0].id)
    qtbot.keyClick(panel.cards[0].radio, Qt.Key.Key_3)
    qtbot.keyClicks(panel.evidence, "Only Ann should see this")
    panel.finish()
    qtbot.keyClick(panel.pass_on, Qt.Key.Key_Space)
    qtbot.keyClick(name_button(page, "Bo Chen"), Qt.Key.Key_Space)
    assert panel.counter.text() == "Barrier 1 of 6"
    assert panel.stages.checkedButton() is None
    assert panel.evidence.toPlainText() == ""
    assert "Only Ann should see this" not in visible_text(panel)


def test_empty_evidence_gets_a_gentle_note(qtbot, fresh_controller):
    page = make_page(qtbot, fresh_controller)
    panel = page.private
    panel.choose(fresh_controller.workshop.participants[0].id)
    qtbot.keyClick(panel.cards[0].radio, Qt.Key.Key_1)
    assert panel.nudge.isVisible()
    assert "Evidence helps the team challenge and agree" in panel.nudge.text()
    qtbot.keyClicks(panel.evidence, "An example")
    assert not panel.nudge.isVisible()


def test_answers_from_before_the_sitting_are_kept_but_never_shown(qtbot, controller, demo):
    # Anyone can tap any name: what was answered under a name before this sitting is one click
    # away from whoever is at the laptop, so it is not shown, not even to its owner.
    page = make_page(qtbot, controller)
    panel = page.private
    me, *others = demo.participants
    barrier = demo.scope[0]
    mine = demo.rating(me.id, barrier)
    panel.choose(me.id)
    assert panel.counter.text() == "Barrier 1 of 6"
    assert panel.stages.checkedButton() is None
    assert panel.evidence.toPlainText() == ""
    assert panel.kept_note.isVisibleTo(panel) and "kept and not shown" in panel.kept_note.text()
    assert "already" in panel.resumed.text() and "not shown" in panel.resumed.text()
    shown = visible_text(panel)
    for person in demo.participants:
        theirs = demo.rating(person.id, barrier)
        if theirs.evidence:
            assert theirs.evidence not in shown
    for other in others:
        assert other.name not in shown

    # typing without choosing again keeps the earlier answer as it was
    panel.evidence.setFocus()
    qtbot.keyClicks(panel.evidence, "A new example")
    panel.save_evidence()
    assert controller.workshop.rating(me.id, barrier) == mine

    # choosing again replaces it, and this sitting's answer is shown from then on
    panel.choose_stage(demo.framework.level_ids[0])
    replaced = controller.workshop.rating(me.id, barrier)
    assert replaced.stage == demo.framework.level_ids[0]
    assert replaced.evidence == "A new example"
    assert not panel.kept_note.isVisibleTo(panel)
    panel.next_barrier()
    panel.previous_barrier()
    assert panel.cards[0].radio.isChecked()
    assert panel.evidence.toPlainText() == "A new example"


def test_nothing_typed_in_one_sitting_can_be_brought_back_in_the_next(qtbot, controller, demo):
    from PySide6.QtWidgets import QApplication

    page = make_page(qtbot, controller)
    panel = page.private
    bo, cy = demo.participants[1], demo.participants[2]
    panel.choose(bo.id)
    panel.evidence.setFocus()
    qtbot.keyClicks(panel.evidence, "Bo's private words")
    panel.evidence.selectAll()
    panel.evidence.copy()
    qtbot.keyClick(panel.evidence, Qt.Key.Key_A, CTRL)
    qtbot.keyClick(panel.evidence, Qt.Key.Key_Delete)  # typed, copied, then emptied
    assert panel.evidence.toPlainText() == ""
    panel.reset()
    panel.find_name.setText("Cy")
    panel.choose(cy.id)
    panel.evidence.setFocus()
    qtbot.keyClick(panel.evidence, Qt.Key.Key_Z, CTRL)  # undo
    assert "Bo's" not in panel.evidence.toPlainText()
    assert not panel.evidence.document().isUndoAvailable()
    assert "Bo's" not in (QApplication.clipboard().text() or "")
    panel.reset()
    panel.find_name.setFocus()
    qtbot.keyClick(panel.find_name, Qt.Key.Key_Z, CTRL)
    assert panel.find_name.text() == ""


def test_finishing_shows_the_pass_on_screen_and_nothing_of_the_ratings(qtbot, controller, demo):
    page = make_page(qtbot, controller)
    panel = page.private
    me = demo.participants[3]
    panel.choose(me.id)
    for _ in demo.scope:
        qtbot.keyClick(panel.cards[0].radio, Qt.Key.Key_Return, CTRL)
    assert panel.screen == THANKS
    assert not panel.rating_page.isVisible()
    assert not panel.evidence.isVisible()
    assert panel.evidence.toPlainText() == ""
    assert panel.stages.checkedButton() is None
    shown = visible_text(panel)
    assert "please pass the laptop on" in shown
    levels = [level.name for level in demo.framework.levels]
    for participant in demo.participants:
        assert participant.name not in shown
    for word in [*levels, "Not sure"]:
        assert word not in shown
    qtbot.keyClick(panel.pass_on, Qt.Key.Key_Return)
    assert panel.screen == WHO


def test_leaving_the_step_clears_back_to_the_names_and_keeps_the_evidence(
    qtbot, library, fresh, fresh_controller
):
    page = make_page(qtbot, fresh_controller)
    panel = page.private
    ann = fresh.participants[0].id
    panel.choose(ann)
    qtbot.keyClick(panel.cards[0].radio, Qt.Key.Key_3)
    qtbot.keyClicks(panel.evidence, "Results reviewed every month")
    page.left()
    assert panel.screen == WHO
    assert panel.participant_id == ""
    assert panel.evidence.toPlainText() == ""
    assert panel.stages.checkedButton() is None
    assert stored(library, fresh.id, ann, fresh.scope[0]).evidence == (
        "Results reviewed every month"
    )


def test_the_mode_switch_is_locked_until_the_facilitator_takes_the_laptop_back(
    qtbot, fresh_controller, monkeypatch
):
    page = make_page(qtbot, fresh_controller)
    page.private.choose(fresh_controller.workshop.participants[0].id)
    assert not page.modes.isEnabled()
    qtbot.mouseClick(page.private.not_me, Qt.MouseButton.LeftButton)
    assert page.private.screen == WHO
    assert not page.modes.isEnabled()  # the next person may be at the laptop already
    monkeypatch.setattr(QMessageBox, "exec", press("Take the laptop back"))
    qtbot.mouseClick(page.take_back, Qt.MouseButton.LeftButton)
    assert page.modes.isEnabled()


def test_undo_is_refused_and_a_change_from_elsewhere_is_kept_but_not_shown(
    qtbot, library, fresh, fresh_controller
):
    page = make_page(qtbot, fresh_controller)
    panel = page.private
    ann = fresh.participants[0].id
    panel.choose(ann)
    qtbot.keyClick(panel.cards[0].radio, Qt.Key.Key_1)
    qtbot.keyClick(panel.cards[0].radio, Qt.Key.Key_3)
    fresh_controller.undo()  # however asked: it could take back the previous person's rating
    assert panel.cards[2].radio.isChecked()
    assert stored(library, fresh.id, ann, fresh.scope[0]).stage == "consolidating"
    fresh_controller.apply_from_elsewhere(
        "Rating", record_rating, ann, fresh.scope[0], "starting", ""
    )
    # stored, but not this sitting's to see: only what was chosen here is shown
    assert panel.stages.checkedButton() is None and panel.kept_note.isVisibleTo(panel)
    assert stored(library, fresh.id, ann, fresh.scope[0]).stage == "starting"


def test_a_participant_removed_while_rating_goes_back_to_the_names(qtbot, fresh, fresh_controller):
    from opassess.workshop import remove_participant

    page = make_page(qtbot, fresh_controller)
    failures = []
    fresh_controller.failed.connect(failures.append)
    panel = page.private
    cy = fresh.participants[2].id
    panel.choose(cy)
    qtbot.keyClicks(panel.evidence, "Half typed")
    fresh_controller.apply("Remove participant", remove_participant, cy)
    assert panel.screen == WHO
    assert panel.participant_id == ""
    assert failures == []
    assert not page.modes.isEnabled()  # still private until the facilitator takes it back
    assert [
        b.text() for b in panel.findChildren(QPushButton) if b.isVisible() and b.text() != "Back"
    ] == ["Ann Baker", "Bo Chen"]


# -- fast entry -----------------------------------------------------------------------------------


def fast_page(qtbot, controller) -> RatePage:
    page = make_page(qtbot, controller)
    page.set_mode(FAST)
    assert page.mode == FAST
    return page


def test_the_grid_is_people_by_barriers_in_the_paper_forms_order(qtbot, fresh_controller):
    page = fast_page(qtbot, fresh_controller)
    model = page.fast_entry.model
    workshop = fresh_controller.workshop
    assert model.rowCount() == len(workshop.participants)
    assert model.columnCount() == len(workshop.scope)
    for row, participant in enumerate(workshop.participants):
        assert model.headerData(row, Qt.Orientation.Vertical) == participant.name
    for column, dimension in enumerate(workshop.scoped_dimensions()):
        assert (
            model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
            == dimension.name
        )


def test_keying_a_stage_records_it_and_moves_right(qtbot, library, fresh, fresh_controller):
    page = fast_page(qtbot, fresh_controller)
    view, model = page.fast_entry.view, page.fast_entry.model
    view.setCurrentIndex(model.index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_2)
    assert stored(library, fresh.id, fresh.participants[0].id, fresh.scope[0]).stage == (
        "developing"
    )
    assert (view.currentIndex().row(), view.currentIndex().column()) == (0, 1)
    assert model.index(0, 0).data() == "Developing" + MISSING_EVIDENCE_MARK

    qtbot.keyClick(view, Qt.Key.Key_0)
    assert stored(library, fresh.id, fresh.participants[0].id, fresh.scope[1]).stage == NOT_SURE
    assert model.index(0, 1).data().startswith("?")
    qtbot.keyClick(view, Qt.Key.Key_N)
    qtbot.keyClick(
        view,
        Qt.Key.Key_Question,
        Qt.KeyboardModifier.ShiftModifier,
    )
    assert stored(library, fresh.id, fresh.participants[0].id, fresh.scope[3]).stage == NOT_SURE


def test_arrows_and_tab_move_between_cells(qtbot, fresh_controller):
    page = fast_page(qtbot, fresh_controller)
    view, model = page.fast_entry.view, page.fast_entry.model
    view.setCurrentIndex(model.index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert (view.currentIndex().row(), view.currentIndex().column()) == (1, 1)
    qtbot.keyClick(view, Qt.Key.Key_Left)
    assert (view.currentIndex().row(), view.currentIndex().column()) == (1, 0)


def test_keying_in_the_last_column_wraps_to_the_next_row(qtbot, fresh_controller):
    page = fast_page(qtbot, fresh_controller)
    view, model = page.fast_entry.view, page.fast_entry.model
    view.setCurrentIndex(model.index(0, model.columnCount() - 1))
    qtbot.keyClick(view, Qt.Key.Key_1)
    assert (view.currentIndex().row(), view.currentIndex().column()) == (1, 0)


def test_delete_clears_a_rating_and_undo_brings_it_back(qtbot, library, controller, demo):
    page = fast_page(qtbot, controller)
    view, model = page.fast_entry.view, page.fast_entry.model
    key = (demo.participants[2].id, demo.scope[1])
    view.setCurrentIndex(model.index(2, 1))
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert key not in library.load(demo.id).ratings
    assert model.index(2, 1).data() == ""
    controller.undo()
    assert library.load(demo.id).ratings[key] == demo.ratings[key]
    assert model.index(2, 1).data().startswith(model.stage_label(demo.ratings[key].stage)[:1])


def test_undo_of_a_keyed_rating_restores_the_blank_cell(qtbot, library, fresh, fresh_controller):
    page = fast_page(qtbot, fresh_controller)
    view, model = page.fast_entry.view, page.fast_entry.model
    view.setCurrentIndex(model.index(1, 2))
    qtbot.keyClick(view, Qt.Key.Key_3)
    fresh_controller.undo()
    assert library.load(fresh.id).ratings == {}
    assert model.index(1, 2).data() == ""


def test_enter_opens_the_evidence_editor_and_ctrl_enter_saves(
    qtbot, library, fresh, fresh_controller
):
    page = fast_page(qtbot, fresh_controller)
    entry = page.fast_entry
    view, model = entry.view, entry.model
    view.setCurrentIndex(model.index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_1)
    view.setCurrentIndex(model.index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    dialog = entry.evidence_dialog
    assert dialog.isVisible()
    assert "Ann Baker" in dialog.heading.text()
    qtbot.keyClicks(dialog.editor, "Chief executive asks about results")
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return, CTRL)
    assert not dialog.isVisible()
    rating = stored(library, fresh.id, fresh.participants[0].id, fresh.scope[0])
    assert rating.evidence == "Chief executive asks about results"
    assert model.index(0, 0).data() == "Starting"
    assert "Chief executive asks about results" in model.index(0, 0).data(
        Qt.ItemDataRole.ToolTipRole
    )


def test_escape_cancels_the_evidence_editor(qtbot, library, fresh, fresh_controller):
    fresh_controller.apply(
        "Rating",
        record_rating,
        fresh.participants[1].id,
        fresh.scope[0],
        "starting",
        "Kept as it was",
    )
    page = fast_page(qtbot, fresh_controller)
    entry = page.fast_entry
    entry.view.setCurrentIndex(entry.model.index(1, 0))
    qtbot.keyClick(entry.view, Qt.Key.Key_F2)
    assert entry.evidence_dialog.editor.toPlainText() == "Kept as it was"
    qtbot.keyClicks(entry.evidence_dialog.editor, " and more")
    qtbot.keyClick(entry.evidence_dialog.editor, Qt.Key.Key_Escape)
    assert not entry.evidence_dialog.isVisible()
    assert stored(library, fresh.id, fresh.participants[1].id, fresh.scope[0]).evidence == (
        "Kept as it was"
    )


def test_enter_on_an_unrated_cell_asks_for_a_stage_first(qtbot, fresh_controller):
    page = fast_page(qtbot, fresh_controller)
    entry = page.fast_entry
    entry.view.setCurrentIndex(entry.model.index(0, 0))
    qtbot.keyClick(entry.view, Qt.Key.Key_Return)
    assert not entry.evidence_dialog.isVisible()
    assert entry.message.isVisible()
    assert "Record a stage first" in entry.message.text()


def test_a_rating_edit_repaints_only_its_cell(qtbot, controller, demo):
    page = fast_page(qtbot, controller)
    model = page.fast_entry.model
    changed, resets = [], []
    model.dataChanged.connect(
        lambda top, bottom, *_: changed.append(
            (top.row(), top.column(), bottom.row(), bottom.column())
        )
    )
    model.modelReset.connect(lambda: resets.append(True))
    controller.apply("Rating", record_rating, demo.participants[4].id, demo.scope[3], NOT_SURE)
    assert changed == [(4, 3, 4, 3)]
    assert resets == []


def test_cells_show_missing_evidence_and_tooltips_show_evidence(qtbot, controller, demo):
    page = fast_page(qtbot, controller)
    model = page.fast_entry.model
    seen_missing = seen_present = False
    for row, participant in enumerate(demo.participants):
        for column, dimension_id in enumerate(demo.scope):
            rating = demo.rating(participant.id, dimension_id)
            index = model.index(row, column)
            text = index.data()
            if rating.stage == NOT_SURE:
                assert text.startswith("?")
            else:
                assert text.startswith(demo.framework.level(rating.stage).name)
            if rating.evidence.strip():
                seen_present = True
                assert not text.endswith(MISSING_EVIDENCE_MARK)
                tooltip = index.data(Qt.ItemDataRole.ToolTipRole)
                assert escape(rating.evidence, quote=False) in tooltip
            else:
                seen_missing = True
                assert text.endswith(MISSING_EVIDENCE_MARK)
                assert index.data(Qt.ItemDataRole.FontRole).italic()
            assert index.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert seen_missing and seen_present


# -- progress and projector -----------------------------------------------------------------------


def test_progress_counts_in_fast_entry_and_only_finished_in_private(qtbot, fresh, fresh_controller):
    ann, bo, _cy = (p.id for p in fresh.participants)
    for dimension_id in fresh.scope:
        fresh_controller.apply("Rating", record_rating, ann, dimension_id, "starting", "Seen it")
    fresh_controller.apply("Rating", record_rating, bo, fresh.scope[0], "developing")
    page = make_page(qtbot, fresh_controller)
    progress = page.progress.model

    def cells() -> list[list[str]]:
        return [
            [progress.index(r, c).data() for c in range(progress.columnCount())]
            for r in range(progress.rowCount())
        ]

    assert page.mode == PRIVATE
    assert cells() == [["Ann Baker", "Done"], ["Bo Chen", "Not yet"], ["Cy Diaz", "Not yet"]]
    page.set_mode(FAST)
    assert cells() == [
        ["Ann Baker", "6 of 6", ""],
        ["Bo Chen", "1 of 6", "1"],
        ["Cy Diaz", "0 of 6", ""],
    ]
    assert page.progress.summary.text() == "1 of 3 people have rated every barrier."
    assert page.progress.evidence_note.isVisible()

    fresh_controller.apply("Rating", record_rating, bo, fresh.scope[1], NOT_SURE, "Unsure")
    assert cells()[1] == ["Bo Chen", "2 of 6", "1"]


def test_projector_shows_progress_and_never_a_rating(qtbot, controller, demo):
    page = make_page(qtbot, controller)
    html = page.projector_html()
    assert "All 8 people have rated every barrier" in html
    for level in demo.framework.levels:
        assert level.name not in html
    assert "Not sure" not in html
    for participant in demo.participants:
        assert participant.name not in html


def test_projector_counts_who_has_finished(qtbot, fresh, fresh_controller):
    page = make_page(qtbot, fresh_controller)
    assert "0 of 3 people have rated every barrier" in page.projector_html()
    for dimension_id in fresh.scope:
        fresh_controller.apply(
            "Rating", record_rating, fresh.participants[2].id, dimension_id, "developing"
        )
    assert "1 of 3 people have rated every barrier" in page.projector_html()


def test_controls_have_accessible_names(qtbot, fresh_controller):
    page = make_page(qtbot, fresh_controller)
    page.private.choose(fresh_controller.workshop.participants[0].id)
    for widget in (
        page.modes,
        page.private.evidence,
        page.private.back,
        page.private.next,
        page.private.not_sure,
        *(card.radio for card in page.private.cards),
        page.fast_entry.view,
        page.progress.table,
    ):
        assert widget.accessibleName(), widget


def test_a_very_long_name_is_cut_rather_than_pushing_everyone_else_away(qtbot, library, demo):
    from opassess.workshop import MAX_NAME_LENGTH, add_participant

    long_name = ("Alexandra Montgomery-" * 12)[: MAX_NAME_LENGTH - 20] + " Smith"
    controller = WorkshopController(EditSession.open(library, demo.id))
    assert controller.apply("Add participant", add_participant, long_name)
    page = make_page(qtbot, controller)
    page.set_mode("fast")
    view = page.fast_entry.view
    qtbot.waitUntil(lambda: view.verticalHeader().width() > 0)
    # Every barrier column starts within the grid's view: none is pushed off to the right.
    last = view.model().columnCount() - 1
    assert view.columnViewportPosition(last) < view.viewport().width()
    assert view.verticalHeader().width() < view.width() // 2
    page.set_mode("private")
    buttons = [b for b in page.private.findChildren(QPushButton) if b.isVisible()]
    long_button = next(b for b in buttons if b.toolTip() == long_name)
    assert long_button.text().endswith("…")
    assert long_button.accessibleName() == f"Rate as {long_name}"
    assert long_button.width() < page.private.width() // 2


def test_answers_sent_from_elsewhere_during_a_sitting_are_not_shown(qtbot, controller, demo):
    # Anyone can tap any name, on the laptop or a phone: what a phone sends under the name
    # being rated at the laptop replaces the answer, and the screen shows none of it.
    from opassess.workshop import record_ratings

    page = make_page(qtbot, controller)
    panel = page.private
    person = demo.participants[1]
    first, second = demo.scope[0], demo.scope[1]
    panel.choose(person.id)
    panel.evidence.setFocus()
    qtbot.keyClicks(panel.evidence, "Mine")
    panel.choose_stage(demo.framework.level_ids[0])
    panel.next_barrier()
    controller.apply_from_elsewhere(
        "Rate from a phone",
        record_ratings,
        person.id,
        [(d, demo.framework.level_ids[-1], "PHONE SECRET") for d in demo.scope],
    )
    assert "PHONE SECRET" not in visible_text(panel)
    assert panel.stages.checkedButton() is None
    panel.previous_barrier()
    assert panel.barrier_id == first
    assert "PHONE SECRET" not in visible_text(panel) and panel.evidence.toPlainText() == ""
    assert panel.stages.checkedButton() is None
    assert panel.kept_note.isVisibleTo(panel)
    assert controller.workshop.rating(person.id, second).evidence == "PHONE SECRET"
