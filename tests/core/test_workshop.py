from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from opassess.changes import changes_between
from opassess.workshop import (
    NOT_SURE,
    TargetBelowConsensus,
    WorkshopError,
    adapt_dimension,
    add_action,
    add_participant,
    add_participants,
    agree_consensus,
    chart_labels,
    clear_rating,
    display_names,
    initials,
    new_workshop,
    parse_participant_rows,
    record_evidence,
    record_rating,
    remove_action,
    remove_participant,
    set_scope,
    set_target,
    start_reassessment,
    update_action,
    update_details,
)

LEADERS = "leaders-not-interested"
LEARN = "no-time-to-learn"


def test_new_workshop_has_every_barrier_in_scope(framework):
    ws = new_workshop(framework, title="  CMT  ", organisation="Riverside")
    assert ws.title == "CMT"
    assert ws.scope == framework.dimension_ids
    with pytest.raises(WorkshopError, match="needs a title"):
        new_workshop(framework, title=" ")


def test_scope_is_kept_in_framework_order_and_never_empty(workshop, framework):
    ws = set_scope(workshop, [LEARN, LEADERS])
    assert ws.scope == (LEADERS, LEARN)
    with pytest.raises(WorkshopError, match="at least one"):
        set_scope(workshop, [])
    with pytest.raises(WorkshopError, match="not a barrier"):
        set_scope(workshop, ["made-up"])


def test_rating_only_for_a_participant_and_a_barrier_of_this_workshop(workshop):
    somebody = workshop.participants[0].id
    with pytest.raises(WorkshopError, match="participant is not in this workshop"):
        record_rating(workshop, "stranger", LEADERS, "starting")
    with pytest.raises(WorkshopError, match="not a barrier"):
        record_rating(workshop, somebody, "made-up", "starting")
    out_of_scope = set_scope(workshop, [LEADERS])
    with pytest.raises(WorkshopError, match="not in scope"):
        record_rating(out_of_scope, somebody, LEARN, "starting")
    with pytest.raises(WorkshopError, match="not a stage"):
        record_rating(workshop, somebody, LEADERS, "expert")


def test_not_sure_is_a_rating_and_evidence_is_kept_when_the_stage_changes(workshop):
    pid = workshop.participants[0].id
    ws = record_rating(workshop, pid, LEARN, NOT_SURE, "No view yet")
    assert ws.rating(pid, LEARN).stage == NOT_SURE
    ws = record_rating(ws, pid, LEARN, "developing")
    assert ws.rating(pid, LEARN).evidence == "No view yet"
    ws = record_evidence(ws, pid, LEARN, "Learning sets since May")
    assert ws.rating(pid, LEARN).evidence == "Learning sets since May"
    assert clear_rating(ws, pid, LEARN).rating(pid, LEARN) is None
    with pytest.raises(WorkshopError, match="Choose a stage"):
        record_evidence(workshop, pid, LEARN, "text")


def test_edits_never_change_the_original_value(workshop):
    pid = workshop.participants[0].id
    before_ratings = dict(workshop.ratings)
    record_rating(workshop, pid, LEARN, "consolidating")
    assert dict(workshop.ratings) == before_ratings


def test_target_below_consensus_needs_confirmation(workshop):
    ws = agree_consensus(workshop, LEADERS, "developing")
    with pytest.raises(TargetBelowConsensus, match="below the agreed stage"):
        set_target(ws, LEADERS, "starting")
    assert set_target(ws, LEADERS, "starting", confirm_below=True).targets[LEADERS] == "starting"
    assert LEADERS not in set_target(ws, LEADERS, None).targets


def test_agreeing_a_stage_above_the_target_needs_confirmation(workshop):
    ws = set_target(agree_consensus(workshop, LEADERS, "starting"), LEADERS, "developing")
    with pytest.raises(TargetBelowConsensus, match="would be below the agreed stage"):
        agree_consensus(ws, LEADERS, "consolidating")
    raised = agree_consensus(ws, LEADERS, "consolidating", confirm_below=True)
    assert raised.consensus[LEADERS].stage == "consolidating"
    assert raised.targets[LEADERS] == "developing"
    # Once agreed, the notes can change without asking again.
    noted = agree_consensus(raised, LEADERS, "consolidating", "More examples came up.")
    assert noted.consensus[LEADERS].rationale == "More examples came up."
    # A stage at or below the target asks nothing.
    assert agree_consensus(ws, LEADERS, "developing").consensus[LEADERS].stage == "developing"


def test_no_fourth_action(workshop):
    ws = add_action(workshop, LEADERS, "Second")
    ws = add_action(ws, LEADERS, "Third")
    with pytest.raises(WorkshopError, match="at most 3 key actions"):
        add_action(ws, LEADERS, "Fourth")
    first = ws.actions_for(LEADERS)[0]
    ws = remove_action(ws, first.id)
    ws = add_action(ws, LEADERS, "Fourth, now that there is room")
    assert [a.text for a in ws.actions_for(LEADERS)] == [
        "Second",
        "Third",
        "Fourth, now that there is room",
    ]


def test_update_action_validates_fields(workshop):
    action = workshop.actions_for(LEADERS)[0]
    ws = update_action(workshop, action.id, status="done", due_on=date(2026, 9, 1))
    assert ws.actions_for(LEADERS)[0].status == "done"
    with pytest.raises(WorkshopError, match="status"):
        update_action(workshop, action.id, status="finished")
    with pytest.raises(WorkshopError, match="no field"):
        update_action(workshop, action.id, colour="red")
    with pytest.raises(WorkshopError, match="not in this workshop"):
        update_action(workshop, "nope", status="done")


def test_duplicate_names_are_told_apart(framework):
    ws = new_workshop(framework, title="t")
    ws = add_participants(
        ws,
        [
            ("Sam Taylor", "Director of Place"),
            ("Sam Taylor", "Head of HR"),
            ("Jo Lee", ""),
            ("jo lee", ""),
            ("Ann Ng", "Finance"),
            ("  ", "blank rows are skipped"),
        ],
    )
    assert len(ws.participants) == 5
    shown = list(display_names(ws.participants).values())
    assert shown == [
        "Sam Taylor (Director of Place)",
        "Sam Taylor (Head of HR)",
        "Jo Lee (1)",
        "jo lee (2)",
        "Ann Ng",
    ]
    assert len(set(shown)) == len(shown)


def test_initials():
    assert initials("Siân ap Rhys") == "SaR"
    assert initials("   ") == "?"


def test_a_renamed_participant_keeps_to_the_same_length_as_a_new_one(workshop):
    from opassess.workshop import MAX_NAME_LENGTH, update_participant

    first = workshop.participants[0].id
    with pytest.raises(WorkshopError, match="too long"):
        update_participant(workshop, first, name="x" * (MAX_NAME_LENGTH + 1))
    renamed = update_participant(workshop, first, name="x" * MAX_NAME_LENGTH)
    assert renamed.participant(first).name == "x" * MAX_NAME_LENGTH
    # A role, which tells two people of one name apart on every screen, has the same limit.
    with pytest.raises(WorkshopError, match="too long"):
        update_participant(workshop, first, role="r" * (MAX_NAME_LENGTH + 1))
    with pytest.raises(WorkshopError, match="too long"):
        add_participant(workshop, "Someone", "r" * (MAX_NAME_LENGTH + 1))


def test_shared_initials_are_numbered_and_never_taken_from_a_role(workshop):
    for name, role in (("Gina Grey", "IT"), ("Gina Grey", "HR"), ("Gary Green", ""), ("Ann", "")):
        workshop = add_participant(workshop, name, role)
    labels = chart_labels(update_details(workshop, name_display="initials"))
    added = [labels[p.id] for p in workshop.participants[-4:]]
    assert added == ["GG1", "GG2", "GG3", "A"]
    assert len(set(labels.values())) == len(labels)


def test_removing_a_participant_removes_their_ratings(workshop):
    pid = workshop.participants[0].id
    ws = remove_participant(workshop, pid)
    assert all(key[0] != pid for key in ws.ratings)
    assert len(ws.participants) == 1


def test_details_and_reassessment_date(workshop):
    ws = update_details(workshop, reassess_on=date(2027, 3, 1), name_display="initials")
    assert ws.reassess_on == date(2027, 3, 1)
    with pytest.raises(WorkshopError, match="before the workshop"):
        update_details(workshop, reassess_on=date(2020, 1, 1))
    with pytest.raises(WorkshopError, match="Names can be shown"):
        update_details(workshop, name_display="everything")
    assert update_details(ws, reassess_on=None).reassess_on is None
    # Nor can the workshop move past its own re-assessment date.
    with pytest.raises(WorkshopError, match="after its re-assessment date"):
        update_details(ws, held_on=date(2027, 8, 1))
    moved = update_details(ws, held_on=date(2027, 8, 1), reassess_on=date(2028, 2, 1))
    assert (moved.held_on, moved.reassess_on) == (date(2027, 8, 1), date(2028, 2, 1))
    # One stored the wrong way round (before the rule, or from a file) takes other edits.
    backwards = dataclasses.replace(ws, held_on=date(2027, 8, 1))
    assert update_details(backwards, title="Still editable", name_display="anonymous").title


def test_adapting_wording_changes_this_workshops_copy_only(workshop, framework):
    ws = adapt_dimension(workshop, LEADERS, name="Our leaders look elsewhere")
    assert ws.framework.dimension(LEADERS).name == "Our leaders look elsewhere"
    assert framework.dimension(LEADERS).name == "Leaders aren't interested"


def test_a_blank_barrier_name_is_refused_like_any_edit(workshop):
    with pytest.raises(WorkshopError, match="needs a name"):
        adapt_dimension(workshop, LEADERS, name="  ")


def test_reassessment_links_back_and_starts_clean(workshop):
    later = start_reassessment(workshop, held_on=date(2027, 3, 1))
    assert later.reassesses == workshop.id
    assert later.id != workshop.id
    assert [p.name for p in later.participants] == [p.name for p in workshop.participants]
    assert not set(p.id for p in later.participants) & set(p.id for p in workshop.participants)
    assert not later.ratings and not later.consensus and not later.actions
    assert later.framework == workshop.framework


def test_changes_name_exactly_what_an_edit_touched(workshop):
    pid = workshop.participants[1].id
    after = record_rating(workshop, pid, LEARN, "developing", "x")
    change = changes_between(workshop, after)
    assert change.ratings == {(pid, LEARN)}
    assert not change.details and not change.participants and not change.plan
    assert not changes_between(workshop, workshop)
    after = add_participant(workshop, "New person")
    assert changes_between(workshop, after).participants
    after = set_target(workshop, LEADERS, "consolidating")
    assert changes_between(workshop, after).targets == {LEADERS}


def test_editing_an_action_keeps_the_barriers_in_their_order(workshop):
    ws = add_action(workshop, LEARN, "Book review sessions")
    first = ws.actions_for(LEADERS)[0]
    ws = update_action(ws, first.id, status="in-progress")
    assert list(ws.actions) == [LEADERS, LEARN]


def test_chart_labels_follow_the_name_setting(workshop):
    first = workshop.participants[0].id
    assert chart_labels(workshop)[first] == "Priya Shah"
    assert chart_labels(update_details(workshop, name_display="initials"))[first] == "PS"
    assert chart_labels(update_details(workshop, name_display="anonymous"))[first] == ""


def test_rows_pasted_from_a_spreadsheet():
    pasted = "Name\tRole\nSiân ap Rhys\tHead of HR\tignored\n\nJo Lee, Director of Place\nAnn\n"
    assert parse_participant_rows(pasted) == [
        ("Siân ap Rhys", "Head of HR"),
        ("Jo Lee", "Director of Place"),
        ("Ann", ""),
    ]
    assert parse_participant_rows("Dee Ray; Finance, audit\r\n") == [("Dee Ray", "Finance, audit")]
