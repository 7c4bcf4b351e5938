"""Setup and Explain: every change reaches the library, and the page follows undo."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from opassess.wording import format_date
from opassess.workshop import new_workshop, update_details
from ui.steps.explain import OVERVIEW, ExplainPage
from ui.steps.setup import SetupPage


def _fresh_controller(library, framework_source):
    from opassess.session import EditSession
    from ui.controller import WorkshopController

    workshop = new_workshop(framework_source.framework, title="Blank")
    library.add(workshop)
    return WorkshopController(EditSession.open(library, workshop.id))


def test_details_are_saved_when_a_field_is_left(qtbot, controller, library):
    page = SetupPage(controller)
    qtbot.addWidget(page)
    page.organisation_edit.setText("Northgate NHS Trust")
    page.organisation_edit.editingFinished.emit()
    assert library.load(controller.workshop.id).organisation == "Northgate NHS Trust"
    controller.undo()
    assert page.organisation_edit.text() == "Riverside Borough Council"


def test_an_empty_title_is_refused_and_the_field_restored(qtbot, controller, library):
    page = SetupPage(controller)
    qtbot.addWidget(page)
    with qtbot.waitSignal(controller.failed) as refusal:
        page.title_edit.setText("   ")
        page.title_edit.editingFinished.emit()
    assert "title" in refusal.args[0]
    assert page.title_edit.text() == controller.workshop.title != ""


def test_participants_added_by_keyboard_and_pasted(qtbot, library, demo):
    controller = _fresh_controller(library, demo)
    page = SetupPage(controller)
    qtbot.addWidget(page)
    page.new_name.setText("Siân ap Rhys")  # QTest types ASCII only
    qtbot.keyClicks(page.new_role, "Head of HR")
    qtbot.keyClick(page.new_role, Qt.Key.Key_Return)
    assert page.new_name.text() == "" and page.new_role.text() == ""
    added = page.paste_participants("Name\tRole\nSam Taylor\tDirector of Place\nSam Taylor\tHR\n")
    assert added == 2
    stored = library.load(controller.workshop.id)
    assert [(p.name, p.role) for p in stored.participants] == [
        ("Siân ap Rhys", "Head of HR"),
        ("Sam Taylor", "Director of Place"),
        ("Sam Taylor", "HR"),
    ]
    shown = [page.participant_model.index(r, 2).data() for r in range(3)]
    assert shown[1:] == ["Sam Taylor (Director of Place)", "Sam Taylor (HR)"]


def test_participant_edited_in_place_and_removed(qtbot, controller, library):
    page = SetupPage(controller)
    qtbot.addWidget(page)
    model = page.participant_model
    assert model.setData(model.index(0, 1), "Chief Executive (interim)")
    assert library.load(controller.workshop.id).participants[0].role == "Chief Executive (interim)"
    first_id = controller.workshop.participants[0].id
    page.participant_table.selectRow(0)
    page.remove_button.click()
    stored = library.load(controller.workshop.id)
    assert first_id not in {p.id for p in stored.participants}
    assert all(key[0] != first_id for key in stored.ratings)


def test_scope_and_name_display(qtbot, controller, library):
    page = SetupPage(controller)
    qtbot.addWidget(page)
    for dimension_id, box in page.scope_boxes.items():
        if dimension_id != "no-time-to-learn":
            box.setChecked(False)
    assert library.load(controller.workshop.id).scope == ("no-time-to-learn",)
    with qtbot.waitSignal(controller.failed):
        page.scope_boxes["no-time-to-learn"].setChecked(False)
    assert page.scope_boxes["no-time-to-learn"].isChecked()
    initials = next(b for b in page.name_group.buttons() if b.property("value") == "initials")
    initials.click()
    assert library.load(controller.workshop.id).name_display == "initials"


def test_wording_is_adapted_for_this_workshop_only(qtbot, controller, library, monkeypatch):
    page = SetupPage(controller)
    qtbot.addWidget(page)

    def accept_with_new_name(dialog):
        dialog.name.setText("Our leaders look elsewhere")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr("ui.steps.setup.WordingDialog.exec", accept_with_new_name)
    page.edit_wording("leaders-not-interested")
    stored = library.load(controller.workshop.id)
    assert stored.framework.dimension("leaders-not-interested").name == "Our leaders look elsewhere"
    assert page.scope_boxes["leaders-not-interested"].text() == "Our leaders look elsewhere"


def test_a_refused_wording_keeps_the_dialog_open_with_what_was_typed(
    qtbot, controller, library, monkeypatch
):
    page = SetupPage(controller)
    qtbot.addWidget(page)
    seen = []

    def save_a_blank_name_then_cancel(dialog):
        if not seen:
            dialog.name.setText("   ")
            dialog.question.setText("Do our leaders care?")
            dialog.accept()  # refused in the dialog itself: it stays open
            assert not dialog.problem.isHidden() and "needs a name" in dialog.problem.text()
            seen.append(dialog.question.text())
            return QDialog.DialogCode.Accepted  # as if saved regardless: the core refuses too
        seen.append((dialog.question.text(), dialog.problem.text()))
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr("ui.steps.setup.WordingDialog.exec", save_a_blank_name_then_cancel)
    page.edit_wording("leaders-not-interested")
    # Shown again with the core's reason and the question as typed; nothing stored.
    assert seen[1] == ("Do our leaders care?", "A barrier needs a name.")
    stored = library.load(controller.workshop.id)
    assert stored.framework.dimension("leaders-not-interested").name == "Leaders aren't interested"


def test_the_paste_button_adds_the_rows_on_the_clipboard(qtbot, library, demo):
    from PySide6.QtGui import QGuiApplication

    controller = _fresh_controller(library, demo)
    page = SetupPage(controller)
    qtbot.addWidget(page)
    QGuiApplication.clipboard().setText("Name\tRole\nAda Lovell\tFinance\nBo Chen\tHR\n")
    page.paste_button.click()
    names = [p.name for p in library.load(controller.workshop.id).participants]
    assert names[-2:] == ["Ada Lovell", "Bo Chen"]


def test_explain_shows_the_overview_then_a_barrier(qtbot, controller):
    page = ExplainPage(controller)
    qtbot.addWidget(page)
    assert page.current_key() == OVERVIEW
    assert "Three stages of development" in page.view.toPlainText()
    page.barriers.setCurrentRow(2)
    text = page.view.toPlainText()
    assert "There's no time to learn" in text and "Consolidating" in text
    assert "Join up your thinking and learn" in text
    assert controller.selected_barrier == "no-time-to-learn"
    assert "There&#x27;s no time to learn" in page.projector_html()


def test_the_on_charts_column_follows_the_name_setting(qtbot, library, demo):
    controller = _fresh_controller(library, demo)
    page = SetupPage(controller)
    qtbot.addWidget(page)
    page.paste_participants("Gina Grey\tIT\nGina Grey\tHR\nAnn Ash\t\n")
    model = page.participant_model

    def on_charts() -> list[str]:
        return [model.index(row, 2).data() for row in range(model.rowCount())][-3:]

    assert on_charts() == ["Gina Grey (IT)", "Gina Grey (HR)", "Ann Ash"]
    assert controller.apply("Names on charts", update_details, name_display="initials")
    assert on_charts() == ["GG1", "GG2", "AA"]
    assert controller.apply("Names on charts", update_details, name_display="anonymous")
    assert on_charts() == ["(a dot only)"] * 3


def test_a_workshop_date_after_the_reassessment_is_refused_and_shown_as_it_was(
    qtbot, controller, library
):
    from datetime import date

    page = SetupPage(controller)
    qtbot.addWidget(page)
    before = controller.workshop.held_on
    reassess = controller.workshop.reassess_on
    assert reassess is not None
    refused = []
    controller.failed.connect(refused.append)
    page.held_on_edit.edit.setFocus()
    page.held_on_edit.edit.selectAll()
    qtbot.keyClicks(page.held_on_edit.edit, f"1/1/{reassess.year + 1}")
    qtbot.keyClick(page.held_on_edit.edit, Qt.Key.Key_Return)
    assert refused and "re-assessment date" in refused[0]
    assert library.load(controller.workshop.id).held_on == before
    assert page.held_on_edit.value() == before
    assert page.held_on_edit.text() == format_date(before)
    assert isinstance(before, date)
