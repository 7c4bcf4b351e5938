"""Dates that look wrong are said plainly by the core, for every surface to ask; never refused."""

from __future__ import annotations

import dataclasses
from datetime import date

from opassess.frameworks import builtin_frameworks
from opassess.workshop import (
    add_action,
    due_date_warning,
    reassessment_date_warning,
    start_reassessment,
    update_action,
    update_details,
)

LEADERS = "leaders-not-interested"


def test_a_due_date_before_the_workshop_is_warned_of_and_still_stored(workshop):
    held = workshop.held_on
    assert held == date(2026, 3, 12)
    assert due_date_warning(workshop, date(2026, 3, 11)) == (
        "Due before the workshop itself (12 March 2026)."
    )
    for fine in (held, date(2026, 9, 1), None):
        assert due_date_warning(workshop, fine) == ""
    assert due_date_warning(dataclasses.replace(workshop, held_on=None), date(2000, 1, 2)) == ""
    # A warning, not a refusal: the date is kept as typed.
    ws = add_action(workshop, LEADERS, "Monthly review", due_on=date(2026, 1, 31))
    action = ws.actions_for(LEADERS)[-1]
    assert action.due_on == date(2026, 1, 31)
    edited = update_action(ws, action.id, due_on=date(2026, 2, 1))
    assert edited.actions_for(LEADERS)[-1].due_on == date(2026, 2, 1)


def test_a_reassessment_dated_before_the_one_it_follows_is_warned_of(workshop):
    later = start_reassessment(workshop, held_on=date(2026, 1, 10))
    said = reassessment_date_warning(later, workshop)
    assert said == (
        "This re-assessment is dated 10 January 2026, before the workshop it follows "
        "(12 March 2026): the trend will show the two the wrong way round. Check the date."
    )
    # Still a workshop that takes its edits: nothing is refused.
    assert update_details(later, title="Second look").title == "Second look"
    for fine in (date(2026, 3, 12), date(2026, 9, 1), None):
        assert reassessment_date_warning(dataclasses.replace(later, held_on=fine), workshop) == ""
    assert reassessment_date_warning(later, None) == ""
    assert reassessment_date_warning(later, dataclasses.replace(workshop, held_on=None)) == ""


def test_the_warning_speaks_the_frameworks_word_for_looking_again(workshop):
    other = next(
        f for f in builtin_frameworks().values() if f.terms.reassessment != "re-assessment"
    )
    earlier = dataclasses.replace(workshop, framework=other)
    later = start_reassessment(earlier, held_on=date(2025, 12, 1))
    said = reassessment_date_warning(later, earlier)
    assert said.startswith(f"This {other.terms.reassessment} is dated 1 December 2025")
