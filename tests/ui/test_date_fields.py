"""Every date field takes what a person types, day first, and stores exactly that: Setup's workshop
date, each action's due date, the re-assessment date and Compare's filters, typed key by key."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from opassess.rollup import Filters
from opassess.session import EditSession
from opassess.workshop import start_reassessment, update_action, update_details
from ui.compare import CompareWindow
from ui.controller import LibraryController, WorkshopController
from ui.date_field import DateField
from ui.steps.plan import PlanPage
from ui.steps.review import review_html
from ui.steps.setup import SetupPage

TODAY = date(2026, 12, 5)
FORMS = ["31/03/2027", "31/3/27", "31 Mar 2027", "31 March 2027", "2027-03-31"]
WANTED = date(2027, 3, 31)
NONSENSE = ["banana", "15 January", "2027", "31/02/2027", "32/3/2027", "31 March 2027 9am"]


def type_into(qtbot, field: DateField, text: str, then: Qt.Key = Qt.Key.Key_Return) -> None:
    """Select what the field shows and type over it, as a person does, then press `then`."""
    field.edit.setFocus()
    field.edit.selectAll()
    if text:
        qtbot.keyClicks(field.edit, text)
    else:
        qtbot.keyClick(field.edit, Qt.Key.Key_Delete)
    qtbot.keyClick(field.edit, then)


@pytest.fixture
def field(qtbot):
    made = DateField("No date", today=TODAY)
    qtbot.addWidget(made)
    made.show()
    qtbot.waitExposed(made)
    made.commits = []  # every value `committed` sent
    made.committed.connect(made.commits.append)
    return made


# -- the field on its own -------------------------------------------------------------------------


@pytest.mark.parametrize("text", [*FORMS, "31st March 2027", "Wed 31 Mar 2027", " 31 / 3 / 2027 "])
def test_each_form_typed_is_the_date_shown_and_sent(qtbot, field, text):
    type_into(qtbot, field, text)
    assert field.value() == WANTED
    assert field.commits == [WANTED]
    assert field.text() == "31 March 2027"  # shown as every date is shown
    assert not field.note.isVisibleTo(field)


@pytest.mark.parametrize("text", ["t", "T", "today"])
def test_t_and_today_are_today(qtbot, field, text):
    type_into(qtbot, field, text)
    assert field.value() == TODAY
    assert field.text() == "5 December 2026"


def test_the_old_mistakes_are_read_as_typed(qtbot, field):
    type_into(qtbot, field, "15 January 2027")  # once 8 January
    assert field.value() == date(2027, 1, 15)
    type_into(qtbot, field, "15/01/2027")  # once ignored
    type_into(qtbot, field, "2027-01-16")
    assert field.commits == [date(2027, 1, 15), date(2027, 1, 16)]


@pytest.mark.parametrize("key", [Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp])
def test_up_and_down_on_an_empty_field_make_up_no_date(qtbot, field, key):
    field.edit.setFocus()
    qtbot.keyClick(field.edit, key)
    qtbot.keyClick(field.edit, key)
    qtbot.keyClick(field.edit, Qt.Key.Key_Return)
    field.clearFocus()
    assert field.value() is None
    assert field.text() == ""
    assert field.commits == []


def test_up_and_down_move_a_date_a_day_and_keep_it_when_finished(qtbot, field):
    field.set_value(WANTED)
    field.edit.setFocus()
    qtbot.keyClick(field.edit, Qt.Key.Key_Up)
    assert field.text() == "1 April 2027"
    assert field.commits == []  # nothing stored while the person is still choosing
    qtbot.keyClick(field.edit, Qt.Key.Key_Down)
    qtbot.keyClick(field.edit, Qt.Key.Key_Down)
    qtbot.keyClick(field.edit, Qt.Key.Key_Return)
    assert field.value() == WANTED - timedelta(days=1)
    assert field.commits == [date(2027, 3, 30)]


def test_clearing_is_no_date_by_the_button_or_by_deleting_the_text(qtbot, field):
    field.set_value(WANTED)
    assert field.clear_button.isEnabled()
    field.clear_button.click()
    assert field.value() is None and field.text() == ""
    assert field.edit.placeholderText() == "No date"
    assert not field.clear_button.isEnabled()
    field.set_value(WANTED)
    type_into(qtbot, field, "")
    assert field.value() is None
    assert field.commits == [None, None]


@pytest.mark.parametrize("text", NONSENSE)
def test_nonsense_is_refused_in_words_and_the_last_good_date_stays(qtbot, field, text):
    field.set_value(WANTED)
    type_into(qtbot, field, text)
    assert field.value() == WANTED
    assert field.commits == []
    assert field.note.isVisibleTo(field)
    assert field.note.text() == field.problem()
    assert field.problem().endswith("Still 31 March 2027.")
    assert f"“{text.strip()}”" in field.problem()
    assert field.text() == text  # still there to put right
    # Leaving the field shows the date that stands again; the sentence stays until put right.
    field.edit.clearFocus()
    field.edit.focusOutEvent(_focus_out())
    assert field.text() == "31 March 2027"
    assert field.note.isVisibleTo(field)
    type_into(qtbot, field, "1/4/27")
    assert field.value() == date(2027, 4, 1)
    assert not field.note.isVisibleTo(field)


def test_escape_puts_back_the_date_that_stands(qtbot, field):
    field.set_value(WANTED)
    type_into(qtbot, field, "nonsense", then=Qt.Key.Key_Escape)
    assert field.text() == "31 March 2027"
    assert not field.problem()
    assert field.commits == []


def test_the_calendar_opens_at_the_date_and_a_day_picked_is_sent(qtbot, field):
    field.set_value(WANTED)
    field.calendar_button.click()
    assert field.calendar.selectedDate() == QDate(2027, 3, 31)
    assert field.calendar.locale().monthName(3) == "March"  # never the desktop's language
    assert field.calendar.firstDayOfWeek() == Qt.DayOfWeek.Monday
    field.calendar.clicked.emit(QDate(2027, 4, 2))
    assert field.value() == date(2027, 4, 2)
    assert field.commits == [date(2027, 4, 2)]
    empty = DateField(today=TODAY)
    qtbot.addWidget(empty)
    empty.open_calendar()  # an empty field opens at today, and choosing nothing stores nothing
    assert empty.calendar.selectedDate() == QDate(2026, 12, 5)
    assert empty.value() is None
    empty._menu.close()


def _focus_out():
    from PySide6.QtGui import QFocusEvent

    return QFocusEvent(QFocusEvent.Type.FocusOut, Qt.FocusReason.TabFocusReason)


# -- on every screen that asks for a date ---------------------------------------------------------


@pytest.fixture
def plain_dates(controller):
    """The demo held on 5 December 2026, with no re-assessment date yet."""
    assert controller.apply(
        "Dates", update_details, held_on=date(2026, 12, 5), reassess_on=None
    )
    return controller


@pytest.fixture
def plan(qtbot, plain_dates):
    page = PlanPage(plain_dates)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    return page


@pytest.fixture
def setup_page(qtbot, plain_dates):
    page = SetupPage(plain_dates)
    qtbot.addWidget(page)
    page.show()
    return page


def _first_action(controller):
    return controller.workshop.actions_for(controller.selected_barrier)[0]


@pytest.mark.parametrize("text", FORMS)
def test_setup_stores_the_workshop_date_as_typed(qtbot, setup_page, library, demo, text):
    type_into(qtbot, setup_page.held_on_edit, text)
    assert library.load(demo.id).held_on == WANTED
    assert setup_page.held_on_edit.text() == "31 March 2027"


def test_setup_shows_no_date_as_none_and_can_clear_it(qtbot, setup_page, controller, library):
    setup_page.held_on_edit.clear_button.click()
    assert library.load(controller.workshop.id).held_on is None
    setup_page.refresh()
    assert setup_page.held_on_edit.text() == ""  # not today's date pretending to be stored
    for key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
        qtbot.keyClick(setup_page.held_on_edit.edit, key)
    qtbot.keyClick(setup_page.held_on_edit.edit, Qt.Key.Key_Return)
    assert library.load(controller.workshop.id).held_on is None
    type_into(qtbot, setup_page.held_on_edit, "banana")
    assert library.load(controller.workshop.id).held_on is None
    assert "“banana” is not a date" in setup_page.held_on_edit.note.text()


@pytest.mark.parametrize("text", FORMS)
def test_an_empty_due_date_takes_each_form_typed(qtbot, plan, controller, library, demo, text):
    action = _first_action(controller)
    assert controller.apply("No date", update_action, action.id, due_on=None)
    due = plan.slots[0].due
    assert due.text() == ""
    type_into(qtbot, due, text)  # once "No date1/03/2027", then the old date back
    stored = library.load(demo.id).actions_for(controller.selected_barrier)[0]
    assert stored.due_on == WANTED
    assert due.text() == "31 March 2027"


def test_up_and_down_on_an_empty_due_date_store_nothing(qtbot, plan, controller, library, demo):
    action = _first_action(controller)
    assert controller.apply("No date", update_action, action.id, due_on=None)
    due = plan.slots[0].due
    due.edit.setFocus()
    for key in (Qt.Key.Key_Up, Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Return):
        qtbot.keyClick(due.edit, key)  # once 2 January 2000, saved
    plan.slots[0].responsible.setFocus()
    QApplication.processEvents()
    assert library.load(demo.id).actions_for(controller.selected_barrier)[0].due_on is None
    assert due.text() == ""


def test_nonsense_in_a_due_date_is_said_and_the_stored_date_stays(qtbot, plan, controller):
    action = _first_action(controller)
    due = plan.slots[0].due
    for text in NONSENSE:
        type_into(qtbot, due, text)
        assert _first_action(controller).due_on == action.due_on
        assert due.note.isVisibleTo(plan) and f"“{text}”" in due.note.text()


def test_a_due_date_before_the_workshop_is_kept_with_a_warning(qtbot, plan, controller):
    due = plan.slots[0].due
    type_into(qtbot, due, "1/12/2026")
    assert _first_action(controller).due_on == date(2026, 12, 1)
    assert due.note.isVisibleTo(plan)
    assert due.note.text() == "Due before the workshop itself (5 December 2026)."
    type_into(qtbot, due, "t")  # today, whatever it is, is not before the workshop's date...
    assert _first_action(controller).due_on == date.today()
    assert due.note.isVisibleTo(plan) == (date.today() < date(2026, 12, 5))
    type_into(qtbot, due, "5/12/2026")  # ...and the workshop's own day is fine
    assert not due.note.isVisibleTo(plan)


def test_the_pending_slot_warns_of_a_due_date_before_the_workshop_too(qtbot, plan, controller):
    last = controller.workshop.actions_for(controller.selected_barrier)[-1]
    from opassess.workshop import remove_action

    assert controller.apply("Remove", remove_action, last.id)
    free = plan.first_free_slot()
    type_into(qtbot, free.due, "30/11/26")
    assert free.due.value() == date(2026, 11, 30)
    assert free.due.warning().startswith("Due before the workshop itself")


@pytest.mark.parametrize("text", FORMS)
def test_the_reassessment_date_takes_each_form(qtbot, plan, library, demo, text):
    type_into(qtbot, plan.reassess, text)
    assert library.load(demo.id).reassess_on == WANTED
    plan.reassess.clear_button.click()
    assert library.load(demo.id).reassess_on is None
    for key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Return):
        qtbot.keyClick(plan.reassess.edit, key)
    assert library.load(demo.id).reassess_on is None


@pytest.mark.parametrize("text", FORMS)
def test_compare_reads_its_dates_the_same_way(qtbot, library, text):
    window = CompareWindow(LibraryController(library), None)
    qtbot.addWidget(window)
    qtbot.keyClicks(window.held_from.edit, "1/1/27")
    qtbot.keyClicks(window.held_to.edit, text)
    filters = window.filters()
    assert isinstance(filters, Filters)
    assert (filters.held_from, filters.held_to) == (date(2027, 1, 1), WANTED)
    window.held_to.clear_button.click()
    qtbot.keyClick(window.held_from.edit, Qt.Key.Key_Up)  # a date written: a day on
    filters = window.filters()
    assert filters is not None
    assert (filters.held_from, filters.held_to) == (date(2027, 1, 2), None)


@pytest.mark.parametrize("text", NONSENSE)
def test_compare_says_which_date_it_could_not_read(qtbot, library, text):
    window = CompareWindow(LibraryController(library), None)
    qtbot.addWidget(window)
    qtbot.keyClicks(window.held_to.edit, text)
    assert window.filters() is None
    assert window.summary.text().startswith(f"Held to: “{text}”")
    assert window.summary.text().endswith("Still no date. Nothing compared.")


# -- a re-assessment dated before the workshop it follows -----------------------------------------


def test_setup_and_review_warn_of_a_reassessment_dated_before_the_one_it_follows(
    qtbot, library, demo
):
    earlier = library.load(demo.id)
    later = start_reassessment(earlier, held_on=earlier.held_on + timedelta(days=200))
    library.add(later)
    controller = WorkshopController(EditSession.open(library, later.id), confirm=lambda _m: True)
    page = SetupPage(controller, load_previous=library.load)
    qtbot.addWidget(page)
    page.show()
    assert not page.held_on_edit.warning()
    before = earlier.held_on - timedelta(days=1)
    type_into(qtbot, page.held_on_edit, f"{before.day}/{before.month}/{before.year}")
    assert library.load(later.id).held_on == before  # a warning, not a refusal
    warning = page.held_on_edit.warning()
    assert warning.startswith("This re-assessment is dated") and "wrong way round" in warning
    assert page.held_on_edit.note.isVisibleTo(page)
    assert warning in review_html(controller.workshop, earlier).replace("&#x27;", "'")
    type_into(qtbot, page.held_on_edit, "t")
    assert not page.held_on_edit.warning()
    assert "wrong way round" not in review_html(controller.workshop, earlier)


def test_the_fields_are_line_edits_not_spin_boxes(setup_page, plan):
    """No field steps through sections of a date it does not have."""
    for field in (setup_page.held_on_edit, plan.slots[0].due, plan.reassess):
        assert isinstance(field.edit, QLineEdit)
