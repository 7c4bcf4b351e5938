"""The Plan step: targets, up to three key actions per barrier, ideas, the re-assessment date."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QApplication

from opassess.workshop import MAX_ACTIONS, clear_consensus, remove_action
from ui.steps.plan import PlanPage


@pytest.fixture
def page(qtbot, controller):
    made = PlanPage(controller)
    qtbot.addWidget(made)
    made.resize(1280, 800)
    made.show()
    return made


def barrier_of(controller):
    return controller.selected_barrier


def stored(library, demo):
    return library.load(demo.id)


def free_one_slot(controller):
    """The demo has three actions per barrier: remove the last so one slot is free."""
    last = controller.workshop.actions_for(controller.selected_barrier)[-1]
    assert controller.apply("Remove an action", remove_action, last.id)
    return last


def choose_target(page, stage):
    index = page.target.findData(stage)
    page.target.setCurrentIndex(index)
    page.target.activated.emit(index)


def pick_date(date_field, day):
    """Click a day in the field's calendar pop-up, as the user would."""
    qdate = QDate(day.year, day.month, day.day)
    date_field.calendar.clicked.emit(qdate)


def test_the_page_shows_the_selected_barrier(page, controller, demo):
    barrier = barrier_of(controller)
    assert page.barrier_name.text() == demo.framework.dimension(barrier).name
    assert page.agreed.text() == demo.framework.level(demo.consensus[barrier].stage).name
    assert page.target.currentData() == demo.targets[barrier]
    texts = [slot.text.text() for slot in page.slots]
    assert texts == [a.text for a in demo.actions_for(barrier)]


def test_the_barrier_list_follows_the_controller_and_selects_on_click(
    qtbot, page, controller, demo
):
    second = demo.scope[1]
    controller.select_barrier(second)
    assert page.barriers.currentItem().data(Qt.ItemDataRole.UserRole) == second
    assert page.barrier_name.text() == demo.framework.dimension(second).name

    third = page.barriers.item(2)
    centre = page.barriers.visualItemRect(third).center()
    qtbot.mouseClick(page.barriers.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert controller.selected_barrier == demo.scope[2]
    assert page.barrier_name.text() == demo.framework.dimension(demo.scope[2]).name


def test_the_barrier_list_shows_stages_and_marks_barriers_short_of_actions(page, controller):
    item = page.barriers.currentItem()
    name = controller.workshop.framework.dimension(controller.selected_barrier).name
    assert item.text() == f"{name}\nDeveloping → Consolidating"
    free_one_slot(controller)
    assert item.text() == f"{name}\nDeveloping → Consolidating\n2 of 3 actions"

    controller.apply("Clear consensus", clear_consensus, controller.selected_barrier)
    assert item.text() == f"{name}\nno consensus yet\n2 of 3 actions"
    assert page.agreed.text() == "Agree a stage in the Consensus step first"


def test_picking_a_target_saves_it(page, controller, library, demo):
    barrier = barrier_of(controller)
    agreed = demo.consensus[barrier].stage
    choose_target(page, agreed)
    assert stored(library, demo).targets[barrier] == agreed
    assert page.gap.text().startswith("Already there")
    assert controller.confirmations == []

    choose_target(page, None)
    assert barrier not in stored(library, demo).targets
    assert page.target.currentText() == "No target yet"


def test_a_target_below_the_agreed_stage_asks_first_and_is_stored(page, controller, library, demo):
    barrier = barrier_of(controller)
    framework = demo.framework
    agreed = demo.consensus[barrier].stage
    lower = framework.level_ids[framework.level_index(agreed) - 1]
    assert framework.level_index(agreed) > 0, "the demo's first barrier is agreed above Starting"

    choose_target(page, lower)
    assert len(controller.confirmations) == 1
    assert "below the agreed stage" in controller.confirmations[0]
    assert stored(library, demo).targets[barrier] == lower
    assert "below the agreed stage" in page.gap.text()


def test_a_refused_target_puts_the_picker_back(page, controller, library, demo):
    barrier = barrier_of(controller)
    controller._confirm = lambda _message: False
    framework = demo.framework
    agreed = demo.consensus[barrier].stage
    choose_target(page, framework.level_ids[framework.level_index(agreed) - 1])
    assert stored(library, demo).targets[barrier] == demo.targets[barrier]
    assert page.target.currentData() == demo.targets[barrier]


def test_typing_an_action_in_the_free_slot_and_pressing_enter_adds_it(
    qtbot, page, controller, library, demo
):
    free_one_slot(controller)
    slot = page.first_free_slot()
    assert slot is page.slots[2]
    assert slot.text.isEnabled()
    assert slot.text.placeholderText() == "Add an action"
    qtbot.keyClicks(slot.text, "Run a listening exercise with front-line teams")
    qtbot.keyClick(slot.text, Qt.Key.Key_Return)

    actions = stored(library, demo).actions_for(barrier_of(controller))
    assert len(actions) == MAX_ACTIONS
    assert actions[-1].text == "Run a listening exercise with front-line teams"
    assert page.slots[2].action_id == actions[-1].id
    assert page.first_free_slot() is None


def test_leaving_a_free_slot_adds_the_action_with_what_else_was_filled_in(
    qtbot, page, controller, library, demo
):
    free_one_slot(controller)
    slot = page.first_free_slot()
    slot.responsible.setText("Sam Taylor")
    pick_date(slot.due, date(2027, 6, 30))
    assert stored(library, demo).actions_for(barrier_of(controller))[-1].responsible != "Sam Taylor"

    slot.text.setPlainText("Publish the plan on the intranet")
    QApplication.sendEvent(
        slot.text, QFocusEvent(QEvent.Type.FocusOut, Qt.FocusReason.TabFocusReason)
    )

    added = stored(library, demo).actions_for(barrier_of(controller))[-1]
    assert added.text == "Publish the plan on the intranet"
    assert added.responsible == "Sam Taylor"
    assert added.due_on == date(2027, 6, 30)


def test_leaving_an_empty_free_slot_adds_nothing(page, controller, library, demo):
    free_one_slot(controller)
    slot = page.first_free_slot()
    slot.text.editingFinished.emit()
    assert len(stored(library, demo).actions_for(barrier_of(controller))) == MAX_ACTIONS - 1


def test_editing_responsible_accountable_due_and_status_updates_the_action(
    qtbot, page, controller, library, demo
):
    slot = page.slots[0]
    action_id = slot.action_id
    slot.responsible.clear()
    qtbot.keyClicks(slot.responsible, "Sam Taylor ")  # keyClicks types ASCII only
    qtbot.keyClick(slot.responsible, Qt.Key.Key_Return)
    slot.accountable.setText("Çağla Yılmaz")
    slot.accountable.editingFinished.emit()
    pick_date(slot.due, date(2027, 3, 31))
    slot.status.setCurrentIndex(slot.status.findData("done"))
    slot.status.activated.emit(slot.status.currentIndex())

    action = next(a for a in stored(library, demo).actions_for(barrier_of(controller)))
    assert action.id == action_id
    assert action.responsible == "Sam Taylor"
    assert action.accountable == "Çağla Yılmaz"
    assert action.due_on == date(2027, 3, 31)
    assert action.status == "done"
    assert slot.status.currentText() == "Done"

    slot.due.clear_button.click()
    assert stored(library, demo).actions_for(barrier_of(controller))[0].due_on is None
    assert slot.due.edit.text() == "" and slot.due.edit.placeholderText() == "No date"


def test_the_name_fields_complete_from_the_participants(page, demo):
    completer = page.slots[0].responsible.completer()
    names = completer.model().stringList()
    assert names == list(dict.fromkeys(p.name for p in demo.participants))


def test_clearing_an_actions_text_is_refused_and_the_text_comes_back(
    page, controller, library, demo
):
    messages = []
    controller.failed.connect(messages.append)
    slot = page.slots[0]
    original = slot.text.text()
    slot.text.setPlainText("   ")
    slot.text.editingFinished.emit()
    assert messages == ["An action needs a description."]
    assert slot.text.text() == original
    assert stored(library, demo).actions_for(barrier_of(controller))[0].text == original


def test_use_puts_a_suggested_action_in_the_first_free_slot(page, controller, library, demo):
    free_one_slot(controller)
    button, text = next((b, t) for b, t in page._use_buttons if b.isEnabled())
    button.click()
    actions = stored(library, demo).actions_for(barrier_of(controller))
    assert len(actions) == MAX_ACTIONS
    assert actions[-1].text == text
    assert page.slots[2].text.text() == text


def test_every_use_button_is_disabled_while_three_actions_are_set(page, controller):
    suggestions = controller.workshop.framework.suggestions_for(barrier_of(controller))
    assert len(page._use_buttons) == sum(len(s.actions) for s in suggestions) > 0
    for button, _text in page._use_buttons:
        assert not button.isEnabled()
        assert "remove one" in button.toolTip()
    assert not page.slots[2].text.placeholderText()
    assert page.use_idea(page._use_buttons[0][1]) is False


def test_remove_frees_a_slot(page, controller, library, demo):
    barrier = barrier_of(controller)
    first = page.slots[0].action_id
    page.slots[0].remove.click()
    actions = stored(library, demo).actions_for(barrier)
    assert len(actions) == MAX_ACTIONS - 1
    assert first not in [a.id for a in actions]
    assert page.slots[0].action_id == actions[0].id
    assert page.first_free_slot() is page.slots[2]
    assert page.slots[2].text.text() == ""
    assert not page.slots[2].remove.isVisible()
    assert all(b.isEnabled() for b, _t in page._use_buttons)


def test_the_reassessment_date_is_saved_and_can_be_cleared(page, library, demo):
    pick_date(page.reassess, date(2027, 9, 1))
    assert stored(library, demo).reassess_on == date(2027, 9, 1)
    page.reassess.clear_button.click()
    assert stored(library, demo).reassess_on is None
    assert page.reassess.edit.text() == "" and page.reassess.edit.placeholderText() == "Not set"


def test_a_reassessment_before_the_workshop_is_refused_and_the_date_comes_back(
    page, controller, library, demo
):
    messages = []
    controller.failed.connect(messages.append)
    pick_date(page.reassess, date(2001, 1, 1))
    assert messages and "before the workshop" in messages[0]
    assert stored(library, demo).reassess_on == demo.reassess_on
    assert page.reassess.value() == demo.reassess_on


def test_undo_restores_the_stored_value_and_the_page_redraws(page, controller, library, demo):
    barrier = barrier_of(controller)
    slot = page.slots[1]
    before = slot.responsible.text()
    slot.responsible.setText("Someone Else")
    slot.responsible.editingFinished.emit()
    page.slots[0].remove.click()
    assert len(stored(library, demo).actions_for(barrier)) == 2

    controller.undo()
    assert len(stored(library, demo).actions_for(barrier)) == MAX_ACTIONS
    assert page.slots[2].action_id is not None
    assert page.slots[1].responsible.text() == "Someone Else"

    controller.undo()
    assert stored(library, demo).actions_for(barrier)[1].responsible == before
    assert page.slots[1].responsible.text() == before


def test_a_redraw_keeps_what_the_user_is_typing(qtbot, page, controller):
    """Another edit arriving while a field has the focus must not overwrite the typing."""
    page.activateWindow()
    slot = page.slots[1]
    slot.responsible.setFocus()
    qtbot.waitUntil(slot.responsible.hasFocus)
    slot.responsible.selectAll()
    qtbot.keyClicks(slot.responsible, "Half typ")
    choose_target(page, None)  # an edit elsewhere on the page redraws it
    assert slot.responsible.text() == "Half typ"
    assert slot.responsible.hasFocus()


def test_only_three_slots_exist(page):
    assert len(page.slots) == MAX_ACTIONS == 3


def test_projector_html_shows_the_plan_with_user_text_escaped(page, controller):
    from opassess.workshop import update_action

    action = controller.workshop.actions_for(barrier_of(controller))[0]
    controller.apply("Edit", update_action, action.id, text="<script>x</script> & more")
    shown = page.projector_html()
    assert "&lt;script&gt;x&lt;/script&gt; &amp; more" in shown
    assert "<script>" not in shown
    assert "→" in shown
    assert action.responsible in shown


def test_scrolling_over_a_status_does_not_change_it(page, controller):
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent

    combo = page.slots[0].status
    before = combo.currentIndex()
    centre = QPointF(combo.rect().center())
    wheel = QWheelEvent(
        centre,
        QPointF(combo.mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, -120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(combo, wheel)
    assert combo.currentIndex() == before
    assert controller.workshop.actions_for(barrier_of(controller))[0].status == "in-progress"


def _cell(page, widget):
    grid = page._actions_grid
    return grid.getItemPosition(grid.indexOf(widget))[:2]


def test_action_fields_fold_onto_two_lines_when_narrow_and_back_keeping_what_is_typed(
    qtbot, page
):
    slot = page.slots[1]
    row = slot.index * 4
    one_line = {
        widget: _cell(page, widget)
        for widget in (slot.responsible, slot.accountable, slot.due, slot.status, slot.remove)
    }
    assert {cell[0] for cell in one_line.values()} == {row + 1}
    page.activateWindow()
    slot.responsible.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is slot.responsible)
    slot.responsible.setText("")
    qtbot.keyClicks(slot.responsible, "Half typ")

    page.resize(760, 800)
    qtbot.waitUntil(lambda: _cell(page, slot.due)[0] == row + 2)
    assert _cell(page, slot.responsible) == (row + 1, 2)
    assert _cell(page, slot.status) == (row + 2, 4)
    assert QApplication.focusWidget() is slot.responsible
    assert slot.responsible.text() == "Half typ"

    page.resize(1280, 800)
    qtbot.waitUntil(lambda: _cell(page, slot.due)[0] == row + 1)
    assert {widget: _cell(page, widget) for widget in one_line} == one_line
    assert QApplication.focusWidget() is slot.responsible


def test_arrow_keys_on_the_target_open_its_list_instead_of_choosing(qtbot, page, controller):
    """Each arrow press on a closed list would choose a stage, and one below the agreed stage
    asks first: the arrows open the list, where Enter chooses."""
    asked = []
    controller._confirm = lambda question: asked.append(question) or False
    before = dict(controller.workshop.targets)
    page.activateWindow()
    page.target.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.target)
    for key in (Qt.Key.Key_Down, Qt.Key.Key_Home, Qt.Key.Key_PageUp, Qt.Key.Key_S):
        qtbot.keyClick(page.target, key)
        qtbot.waitUntil(page.target.view().isVisible)
        assert not asked and controller.workshop.targets == before
        page.target.hidePopup()
        qtbot.waitUntil(lambda: not page.target.view().isVisible())
