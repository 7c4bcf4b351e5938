"""opassess.wording: one way to say each thing, the same in every export and on every computer."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from opassess import wording
from opassess.analysis import movement, summarise, summarise_barrier, target_gap
from opassess.demo import demo_workshop
from opassess.export.xlsx import sheet_contents
from opassess.frameworks import NOT_SURE, Framework, Level
from opassess.interchange import read_session_file, write_session_file
from opassess.wording import (
    NOT_RATED_LABEL,
    NOT_SURE_LABEL,
    compared_stage_name,
    count_words,
    format_date,
    gap_words,
    movement_words,
    stage_name,
    status_label,
    target_words,
)
from opassess.workshop import (
    ACTION_STATUSES,
    NAME_DISPLAYS,
    NameDisplay,
    Workshop,
    WorkshopError,
    agree_consensus,
    chart_label_choices,
    chart_labels,
    distinct_initials,
    set_target,
    shows_names,
    start_reassessment,
    update_details,
)

ROOT = Path(__file__).resolve().parent.parent.parent


# -- dates ------------------------------------------------------------------------------------


def test_a_date_for_people_is_day_month_year_in_english():
    assert format_date(date(2026, 12, 5)) == "5 December 2026"
    assert format_date(date(2027, 1, 31)) == "31 January 2027"
    assert [format_date(date(2026, m, 1)).split()[1] for m in range(1, 13)] == [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ]  # fmt: skip
    assert format_date(None) == "" and format_date(None, "not set") == "not set"


def test_no_module_names_a_month_through_strftime():
    """%B and %b follow the C library's locale, which the GUI sets from the desktop."""
    offenders = [
        f"{path.relative_to(ROOT)}: {code}"
        for folder in ("opassess", "ui")
        for path in (ROOT / folder).rglob("*.py")
        for code in ("%B", "%b", "%A", "%a", "%c", "%x")
        if code in path.read_text(encoding="utf-8")
    ]
    assert not offenders


def test_wording_imports_only_the_standard_library():
    """Cheap to import: the start-up path (the home list) shows its dates."""
    script = (
        "import sys\n"
        "before = set(sys.modules)\n"
        "import opassess.wording\n"
        "print('\\n'.join(sorted(m for m in set(sys.modules) - before if m.startswith("
        "('opassess.', 'PySide6', 'openpyxl', 'reportlab')))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["opassess.wording"]


# -- the locale cannot change a printed date ------------------------------------------------------

LOCALE_SCRIPT = """
import locale, sys
locale.setlocale(locale.LC_ALL, "")  # what QApplication does, without Qt
from opassess.export.pdf import write_report
from opassess.interchange import read_session_file
write_report(read_session_file(sys.argv[1]), sys.argv[2])
"""


def test_a_german_locale_leaves_the_reports_dates_in_english(
    cli_report, report_written_by, assert_same_english_dates
):
    """The report written after the process takes the desktop's locale (as the GUI does)
    prints the dates `main.py export` prints: in English. tests/ui/test_locale_dates.py does
    the same through QApplication itself."""
    assert_same_english_dates(report_written_by(LOCALE_SCRIPT), cli_report)


# -- stages -----------------------------------------------------------------------------------


def test_a_stage_is_named_by_the_workshops_own_framework(workshop: Workshop):
    assert stage_name(workshop, "starting") == "Starting"
    assert stage_name(workshop.framework, "developing") == "Developing"
    assert stage_name(workshop, NOT_SURE) == NOT_SURE_LABEL == "Not sure"
    assert stage_name(workshop, None) == "" and stage_name(workshop, None, "not set") == "not set"
    assert stage_name(workshop, "gone-since") == "gone-since"  # a stage the copy no longer has
    assert NOT_RATED_LABEL == "Not rated"


def test_a_stage_renamed_in_one_workshop_is_named_as_that_workshop_says(workshop: Workshop):
    renamed = dataclasses.replace(
        workshop.framework,
        levels=tuple(
            Level(level.id, "Just begun" if level.id == "starting" else level.name)
            for level in workshop.framework.levels
        ),
    )
    later = dataclasses.replace(workshop, framework=renamed)
    assert stage_name(later, "starting") == "Just begun"
    assert stage_name(workshop, "starting") == "Starting"
    assert compared_stage_name(later, workshop, "starting") == "Just begun"


def test_a_comparison_names_a_stage_from_either_workshop(framework: Framework):
    previous = demo_workshop(participants=3)
    fewer = dataclasses.replace(framework, levels=framework.levels[:2])
    current = dataclasses.replace(start_reassessment(previous), framework=fewer)
    first, gone = framework.levels[0], framework.levels[2]
    assert compared_stage_name(current, previous, gone.id) == gone.name
    assert compared_stage_name(current, previous, first.id) == first.name
    assert compared_stage_name(current, previous, None) is None
    assert compared_stage_name(current, previous, "unknown") == "unknown"


def test_the_workbook_names_stages_and_statuses_the_shared_way():
    demo = demo_workshop(participants=6)
    contents = {sheet.name: sheet for sheet in sheet_contents(demo)}
    sheets = {name: sheet.rows for name, sheet in contents.items()}
    ratings = sheets["Ratings"]
    stages = {row[3] for row in ratings[1:]}
    assert stages <= {stage_name(demo, s) for s in (*demo.framework.level_ids, NOT_SURE)}
    assert NOT_SURE_LABEL in stages
    statuses = {row[5] for row in sheets["Actions"][1:]}
    assert statuses <= set(wording.ACTION_STATUS_LABELS.values())
    header = sheets["Summary"][contents["Summary"].header_row - 1]
    assert header[-2:] == [NOT_SURE_LABEL, NOT_RATED_LABEL]


# -- actions ----------------------------------------------------------------------------------


def test_every_action_status_has_its_words():
    assert tuple(wording.ACTION_STATUS_LABELS) == ACTION_STATUSES
    assert [status_label(s) for s in ACTION_STATUSES] == [
        "Planned",
        "In progress",
        "Done",
        "Dropped",
    ]
    assert status_label("on-hold") == "On hold"  # a status from a later version still reads


def test_every_follow_up_outcome_has_its_words_on_every_surface():
    from opassess.wording import FOLLOW_UP_LABELS, NOT_MARKED_LABEL, follow_up_label
    from opassess.workshop import FOLLOW_UP_OUTCOMES

    assert tuple(FOLLOW_UP_LABELS) == FOLLOW_UP_OUTCOMES
    assert [follow_up_label(o) for o in FOLLOW_UP_OUTCOMES] == [
        "Done",
        "Partly done",
        "Not done",
        "Dropped",
    ]
    assert follow_up_label(None) == NOT_MARKED_LABEL == "Not marked yet"


def test_what_became_of_last_times_actions_is_counted_in_words():
    from opassess.wording import follow_up_summary

    assert follow_up_summary([]) == ""
    assert follow_up_summary(["dropped", "done", None, "partly", "done"]) == (
        "Of last time's 5 actions: 2 done, 1 partly done, 1 dropped; 1 not marked yet."
    )
    assert follow_up_summary([None]) == "Of last time's 1 action: 1 not marked yet."


# -- counts, gaps and movement ----------------------------------------------------------------


def test_counts_in_words():
    assert count_words(0, "stage") == "no stages"
    assert count_words(1, "stage") == "one stage"
    assert count_words(2, "action") == "two actions"
    assert count_words(12, "stage") == "12 stages"


def test_gap_words():
    assert gap_words(None) == ""
    assert gap_words(1) == "one stage to go"
    assert gap_words(2) == "two stages to go"
    assert gap_words(0) == "already there: the aim is to hold this stage"
    assert gap_words(-1) == "one stage below the agreed stage, on purpose"


def test_the_gap_is_counted_in_one_place(workshop: Workshop):
    barrier = workshop.framework.dimensions[0].id  # agreed Starting, target Developing
    assert target_gap(workshop, barrier) == 1 == summarise_barrier(workshop, barrier).gap
    held = set_target(workshop, barrier, "starting")
    assert target_gap(held, barrier) == 0
    lower = agree_consensus(held, barrier, "developing", confirm_below=True)
    assert target_gap(lower, barrier) == -1 == summarise(lower)[0].gap
    assert target_gap(set_target(workshop, barrier, None), barrier) is None
    other = workshop.framework.dimensions[1].id
    assert target_gap(workshop, other) is None


def test_movement_in_words(workshop: Workshop):
    barrier = workshop.framework.dimensions[0].id
    later = start_reassessment(workshop)
    (first, *_) = movement(workshop, later)
    assert (movement_words(first), target_words(first)) == ("not agreed yet", "")
    moved = agree_consensus(later, barrier, "developing")
    (first, *_) = movement(workshop, moved)
    assert (movement_words(first), target_words(first)) == ("forward one stage", " (reached)")
    back = agree_consensus(later, barrier, "starting")
    (first, *_) = movement(workshop, back)
    assert (movement_words(first), target_words(first)) == ("no change", " (not yet reached)")


# -- names on charts ----------------------------------------------------------------------------


def test_name_display_is_a_typed_choice_that_stores_its_plain_value(
    workshop: Workshop, tmp_path: Path
):
    assert NAME_DISPLAYS == ("anonymous", "initials", "names")  # the schema's enum, in order
    assert [str(choice) for choice in NameDisplay] == list(NAME_DISPLAYS)
    assert f"{NameDisplay.INITIALS}" == "initials"
    chosen = update_details(workshop, name_display="initials")
    assert chosen.name_display is NameDisplay.INITIALS
    path = tmp_path / "initials.opassess"
    write_session_file(chosen, path)
    stored = json.loads(path.read_text(encoding="utf-8"))["workshop"]["name_display"]
    assert stored == "initials" and type(stored) is str
    assert read_session_file(path).name_display is NameDisplay.INITIALS
    with pytest.raises(WorkshopError, match="anonymous, initials, names"):
        update_details(workshop, name_display="nicknames")


def test_the_anonymity_rule_is_decided_once(workshop: Workshop):
    anonymous = update_details(workshop, name_display=NameDisplay.ANONYMOUS)
    initials = update_details(workshop, name_display=NameDisplay.INITIALS)
    assert shows_names(workshop) and shows_names(initials) and not shows_names(anonymous)
    # A workshop read from the library before the choice was typed holds the plain string.
    assert not shows_names(dataclasses.replace(workshop, name_display="anonymous"))
    assert set(chart_labels(anonymous).values()) == {""}
    assert chart_label_choices(anonymous) == []
    assert chart_label_choices(initials) == [distinct_initials(workshop.participants)]
    assert chart_label_choices(workshop) == [
        chart_labels(workshop),
        distinct_initials(workshop.participants),
    ]


def test_the_question_before_an_early_reveal_names_who_is_missing_or_only_counts():
    import dataclasses

    from opassess.demo import demo_workshop
    from opassess.wording import reveal_question
    from opassess.workshop import NameDisplay, update_details

    workshop = demo_workshop(participants=4)
    assert reveal_question(workshop) is None  # everyone has rated
    last = workshop.participants[-1]
    unfinished = dataclasses.replace(
        workshop, ratings={k: r for k, r in workshop.ratings.items() if k[0] != last.id}
    )
    asked = reveal_question(unfinished)
    assert asked and "Only 3 of 4 people have rated" in asked and last.name in asked
    anonymous = update_details(unfinished, name_display=NameDisplay.ANONYMOUS)
    asked = reveal_question(anonymous)
    assert asked and "One person has still to finish." in asked and last.name not in asked
