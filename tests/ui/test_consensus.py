"""The Consensus step: reveal, the evidence behind the dots, and a form that saves itself."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from opassess.workshop import NOT_SURE, chart_labels, update_details
from ui.steps.consensus import HIDDEN_EVIDENCE, SAVE_DELAY_MS, ConsensusPage
from ui.wallchart import ORDER_DISAGREEMENT


@pytest.fixture
def page(qtbot, controller):
    made = ConsensusPage(controller)
    qtbot.addWidget(made)
    made.resize(1280, 800)
    made.show()
    qtbot.waitExposed(made)
    return made


def stored(library, demo):
    return library.load(demo.id)


def names_of(workshop):
    return [p.name for p in workshop.participants]


def test_title_and_projector_show_the_wall_chart(page):
    assert page.title == "Consensus"
    assert page.projector_html() is None


def test_reveal_button_toggles_the_ratings_and_the_evidence(page, controller, qtbot):
    assert not controller.revealed
    assert page.reveal_button.text() == "Reveal ratings"
    assert page.evidence.toPlainText() == HIDDEN_EVIDENCE
    assert page.chart.placement().dots == ()

    qtbot.mouseClick(page.reveal_button, Qt.MouseButton.LeftButton)
    assert controller.revealed
    assert page.reveal_button.text() == "Hide ratings"
    assert page.chart.revealed and page.chart.placement().dots
    shown = page.evidence.toPlainText()
    assert any(name in shown for name in names_of(controller.workshop))

    qtbot.mouseClick(page.reveal_button, Qt.MouseButton.LeftButton)
    assert not controller.revealed
    assert page.evidence.toPlainText() == HIDDEN_EVIDENCE
    assert not any(name in page.evidence.toPlainText() for name in names_of(controller.workshop))

    controller.set_revealed(True)  # e.g. from a menu: the page follows
    assert page.reveal_button.isChecked() and page.chart.revealed


def test_evidence_is_grouped_by_stage_with_each_label(page, controller):
    controller.set_revealed(True)
    workshop = controller.workshop
    dimension = page.dimension_id
    labels = chart_labels(workshop)
    text = page.evidence.toPlainText()
    headings = {level.id: text.index(f"{level.name} · ") for level in workshop.framework.levels}
    order = sorted(headings.values())
    assert order == list(headings.values())  # stages in the framework's order
    for rating in workshop.ratings_for(dimension):
        line = f"{labels[rating.participant_id]}: {rating.evidence}" if rating.evidence else ""
        where = text.index(line or labels[rating.participant_id])
        if rating.stage == NOT_SURE:
            assert where > order[-1]
            continue
        start = headings[rating.stage]
        later = [h for h in order if h > start]
        assert start < where < (later[0] if later else len(text))


def test_anonymous_workshop_shows_no_names_anywhere(page, controller, qtbot):
    controller.set_revealed(True)
    assert controller.apply("Names", update_details, name_display="anonymous")
    text = page.evidence.toPlainText()
    for name in names_of(controller.workshop):
        assert name not in text
        for part in name.split():
            assert f"{part}:" not in text
    assert all(d.label == "" for d in page.chart.placement().dots)
    assert not page.names_check.isEnabled()
    assert not page.names_check.isChecked()
    # The evidence itself is still there.
    rating = next(r for r in controller.workshop.ratings_for(page.dimension_id) if r.evidence)
    assert rating.evidence in text


def test_initials_and_the_show_names_box(page, controller, qtbot):
    controller.set_revealed(True)
    controller.apply("Names", update_details, name_display="initials")
    assert page.names_check.text() == "Show initials"
    labels = chart_labels(controller.workshop)
    text = page.evidence.toPlainText()
    assert any(f"{label}: " in text for label in labels.values())
    assert not any(name in text for name in names_of(controller.workshop))

    page.names_check.setChecked(False)
    assert not any(f"{label}: " in page.evidence.toPlainText() for label in labels.values())
    assert all(d.label == "" for d in page.chart.placement().dots)


def test_picking_the_stage_saves_at_once(page, controller, library, demo, qtbot):
    dimension = page.dimension_id
    page.clear()
    assert dimension not in stored(library, demo).consensus
    qtbot.mouseClick(page.stage_buttons["consolidating"], Qt.MouseButton.LeftButton)
    assert stored(library, demo).consensus[dimension].stage == "consolidating"
    assert controller.undo_label == "Agree consensus"


def test_typed_rationale_saves_after_a_pause_in_one_step(page, controller, library, demo, qtbot):
    dimension = page.dimension_id
    before = stored(library, demo).consensus[dimension]
    page.rationale.setFocus()
    page.rationale.moveCursor(page.rationale.textCursor().MoveOperation.End)
    qtbot.keyClicks(page.rationale, " Agreed after a vote.")
    assert stored(library, demo).consensus[dimension] == before  # not yet: still typing
    qtbot.waitUntil(
        lambda: stored(library, demo).consensus[dimension].rationale.endswith("after a vote."),
        timeout=SAVE_DELAY_MS * 5,
    )
    saved = stored(library, demo).consensus[dimension]
    assert saved.stage == before.stage and saved.dissent == before.dissent
    controller.undo()  # one undo step for the whole burst of typing
    assert stored(library, demo).consensus[dimension] == before
    assert page.rationale.toPlainText() == before.rationale


def test_leaving_the_dissent_field_saves_without_waiting(page, library, demo, qtbot):
    dimension = page.dimension_id
    page.activateWindow()
    page.dissent.setFocus()
    qtbot.waitUntil(page.dissent.hasFocus)
    page.dissent.selectAll()
    qtbot.keyClicks(page.dissent, "Finance disagrees.")
    page.rationale.setFocus()
    assert stored(library, demo).consensus[dimension].dissent == "Finance disagrees."


def test_notes_without_a_stage_wait_for_one(page, library, demo, qtbot):
    dimension = page.dimension_id
    page.clear()
    page.rationale.setPlainText("Most examples were from last year.")
    page.save_notes()
    assert dimension not in stored(library, demo).consensus
    assert "Pick the agreed stage" in page.status.text()
    qtbot.mouseClick(page.stage_buttons["starting"], Qt.MouseButton.LeftButton)
    saved = stored(library, demo).consensus[dimension]
    assert (saved.stage, saved.rationale) == ("starting", "Most examples were from last year.")


def test_notes_without_a_stage_are_still_there_after_looking_at_another_barrier(
    page, controller, library, demo, qtbot
):
    dimension = page.dimension_id
    page.clear()
    page.rationale.setPlainText("Most examples were from last year.")
    page.dissent.setPlainText("Finance disagrees.")
    page.step_barrier(1)
    assert page.dimension_id != dimension
    assert page.rationale.text() != "Most examples were from last year."
    page.step_barrier(-1)
    assert page.dimension_id == dimension
    assert page.rationale.text() == "Most examples were from last year."
    assert page.dissent.text() == "Finance disagrees."
    qtbot.mouseClick(page.stage_buttons["starting"], Qt.MouseButton.LeftButton)
    saved = stored(library, demo).consensus[dimension]
    assert saved.rationale == "Most examples were from last year."
    assert saved.dissent == "Finance disagrees."


def test_a_new_stage_above_the_target_asks_first(page, controller, library, demo, monkeypatch):
    """Raising the agreed stage over the target leaves the target lower: only on purpose."""
    levels = demo.framework.level_ids
    dimension = next(d for d, t in demo.targets.items() if t != levels[-1])
    controller.select_barrier(dimension)
    target = demo.targets[dimension]
    above = levels[levels.index(target) + 1]
    answers = []
    controller._confirm = lambda question: answers.append(question) or False
    page.stage_buttons[above].click()
    assert answers and "below the agreed stage" in answers[0]
    assert stored(library, demo).consensus[dimension].stage == demo.consensus[dimension].stage
    assert page.stage_buttons[demo.consensus[dimension].stage].isChecked()
    controller._confirm = lambda question: True
    page.stage_buttons[above].click()
    assert stored(library, demo).consensus[dimension].stage == above
    assert stored(library, demo).targets[dimension] == target


def test_clear_removes_the_consensus_and_undo_brings_it_back(page, controller, library, demo):
    dimension = page.dimension_id
    agreed = demo.consensus[dimension]
    page.clear_button.click()
    assert dimension not in stored(library, demo).consensus
    assert page.stage_group.checkedId() == -1
    assert page.rationale.toPlainText() == "" and not page.clear_button.isEnabled()
    controller.undo()
    assert stored(library, demo).consensus[dimension] == agreed
    assert page.stage_buttons[agreed.stage].isChecked()
    assert page.rationale.toPlainText() == agreed.rationale


def test_moving_to_another_barrier_saves_notes_still_pending(page, library, demo, qtbot):
    first = page.dimension_id
    page.dissent.setPlainText("Two directors were unsure.")  # typing: the save is pending
    page.next_button.click()
    assert page.dimension_id != first
    assert stored(library, demo).consensus[first].dissent == "Two directors were unsure."
    assert page.dissent.toPlainText() == demo.consensus[page.dimension_id].dissent


def test_chart_selection_and_the_controller_stay_in_step(page, controller, qtbot):
    row = page.chart.placement().rows[3]
    qtbot.mouseClick(page.chart, Qt.MouseButton.LeftButton, pos=row.rect.center().toPoint())
    assert controller.selected_barrier == row.dimension_id
    assert page.dimension_id == row.dimension_id
    name = controller.workshop.framework.dimension(row.dimension_id).name
    assert page.barrier_title.text() == name

    controller.select_barrier(controller.workshop.scope[1])  # e.g. from the projector
    assert page.chart.selected() == controller.workshop.scope[1]
    assert page.dimension_id == controller.workshop.scope[1]


def test_next_and_previous_buttons_and_alt_arrows(page, controller, qtbot):
    scope = controller.workshop.scope
    assert not page.previous_button.isEnabled()
    page.next_button.click()
    assert controller.selected_barrier == scope[1]
    page.previous_button.click()
    assert controller.selected_barrier == scope[0]

    page.activateWindow()
    page.rationale.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.rationale)
    qtbot.keyClick(page.rationale, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert controller.selected_barrier == scope[1]
    qtbot.keyClick(page.rationale, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert controller.selected_barrier == scope[0]


def test_next_follows_the_order_on_the_chart(page, controller, qtbot):
    controller.set_revealed(True)
    with qtbot.waitSignal(page.chart_options_changed) as options:
        page.order_combo.setCurrentIndex(page.order_combo.findData(ORDER_DISAGREEMENT))
    assert options.args == [ORDER_DISAGREEMENT, True]
    order = page.chart.row_order()
    controller.select_barrier(order[0])
    page.next_button.click()
    assert controller.selected_barrier == order[1]


def test_an_edit_elsewhere_redraws_the_chart(page, controller):
    from opassess.workshop import record_rating

    controller.set_revealed(True)
    person, barrier = controller.workshop.participants[0].id, page.dimension_id
    controller.apply("Rate", record_rating, person, barrier, NOT_SURE, "Not my area.")
    dot = next(
        d
        for d in page.chart.placement().dots
        if (d.participant_id, d.dimension_id) == (person, barrier)
    )
    assert dot.stage == NOT_SURE
    assert "Not my area." in page.evidence.toPlainText()


def test_tab_reaches_the_agreed_stage_before_the_notes_below_it(page):
    chain = []  # the focus stops after the evidence, up to Clear
    widget = page.evidence.nextInFocusChain()
    while widget is not page.clear_button and len(chain) < 40:
        takes_tab = widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        if takes_tab and not page.evidence.isAncestorOf(widget):
            chain.append(widget)
        widget = widget.nextInFocusChain()
    stages = list(page.stage_buttons.values())
    assert chain[: len(stages)] == stages
    assert chain.index(page.rationale) > chain.index(stages[-1])
