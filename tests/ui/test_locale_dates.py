"""Dates read the same on a German desktop: the report from the GUI and from the CLI, the date
fields, the library list.

The GUI's QApplication sets the C library's locale from the environment (the fixtures in
tests/conftest.py build that desktop): a report written after it must still name its months in
English, exactly as `main.py export --pdf` does. Qt's own date fields follow Qt's locale.
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QLocale, Qt

from opassess.wording import format_date
from opassess.workshop import update_action, update_details
from ui.steps.plan import PlanPage
from ui.steps.setup import SetupPage

GUI_SCRIPT = """
import sys
from PySide6.QtWidgets import QApplication
app = QApplication([])  # sets the C library's locale from the environment, as the GUI does
from opassess.export.pdf import write_report
from opassess.interchange import read_session_file
write_report(read_session_file(sys.argv[1]), sys.argv[2])
"""


def test_the_report_prints_the_same_english_dates_from_the_gui_and_the_cli(
    cli_report, report_written_by, assert_same_english_dates
):
    assert_same_english_dates(report_written_by(GUI_SCRIPT), cli_report)


@pytest.fixture
def german_qt_locale():
    """Qt's default locale German, as on a German desktop, for the widgets made meanwhile."""
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    yield
    QLocale.setDefault(before)


def test_the_date_fields_name_their_months_in_english_on_a_german_desktop(
    qtbot, controller, german_qt_locale
):
    assert QLocale().monthName(12) == "Dezember"  # the desktop the widgets are made on
    day = date(2026, 12, 5)
    barrier = controller.selected_barrier
    first = controller.workshop.actions_for(barrier)[0]
    assert controller.apply("Dates", update_details, held_on=day, reassess_on=date(2027, 3, 1))
    assert controller.apply("Due", update_action, first.id, due_on=day)
    setup, plan = SetupPage(controller), PlanPage(controller)
    for page in (setup, plan):
        qtbot.addWidget(page)
        page.refresh()
    assert setup.held_on_edit.text() == format_date(day) == "5 December 2026"
    assert plan.slots[0].due.edit.text() == "5 December 2026"
    assert plan.reassess.edit.text() == "1 March 2027"
    for field in (setup.held_on_edit, plan.slots[0].due, plan.reassess):
        assert field.calendar.locale().monthName(12) == "December"
    assert plan.reassess.edit.toolTip() == "The workshop was held on 5 December 2026."


def test_the_library_shows_dates_for_people_and_sorts_by_the_real_date(library, demo):
    from opassess.workshop import new_workshop
    from ui import home

    for title, held in (("Late", date(2026, 12, 5)), ("Early", date(2026, 2, 1))):
        library.add(new_workshop(demo.framework, title=title, held_on=held))
    model = home.WorkshopListModel(today=date(2026, 1, 1))
    model.set_rows(library.list_workshops())
    rows = {model.index(r, 1).data(): r for r in range(model.rowCount())}
    shown = model.index(rows["Late"], 0).data()
    assert shown == "5 December 2026"
    late, early = (model.data(model.index(rows[t], 0), home.SORT_ROLE) for t in ("Late", "Early"))
    assert early < late  # as the dates sort, though "1 February" > "5 December" as text
    assert Qt.ItemDataRole.UserRole == home.SORT_ROLE
