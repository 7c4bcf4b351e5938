"""Every text a workshop holds has one limit, the same in the model, the session file's schema
and the framework file's schema: a session file cannot bring in what the screens refuse, and
what is refused is said plainly."""

from __future__ import annotations

import json

import pytest

from opassess.frameworks import default_framework
from opassess.interchange import SessionFileError, read_session_file, write_session_file
from opassess.validation import _validator
from opassess.workshop import (
    FILE_ALLOWANCE,
    MAX_NAME_LENGTH,
    MAX_NOTE_LENGTH,
    MAX_TEXT_LENGTH,
    Rating,
    WorkshopError,
    add_action,
    add_participant,
    agree_consensus,
    new_workshop,
    record_rating,
    start_reassessment,
    update_details,
)


def _defs() -> dict:
    return _validator("session.schema.json").schema["$defs"]


def test_the_session_schema_takes_what_edits_take_and_what_older_releases_stored():
    defs = _defs()
    assert defs["name"]["maxLength"] == MAX_NAME_LENGTH * FILE_ALLOWANCE
    assert defs["required_name"]["maxLength"] == MAX_NAME_LENGTH * FILE_ALLOWANCE
    assert defs["required_text"]["maxLength"] == MAX_NOTE_LENGTH * FILE_ALLOWANCE
    assert defs["long_text"]["maxLength"] == MAX_TEXT_LENGTH * FILE_ALLOWANCE


def test_a_workshop_stored_with_longer_texts_than_edits_take_still_travels(tmp_path):
    # an older release took any length: what it stored can still be handed over and read back
    import dataclasses

    workshop = _workshop()
    person = workshop.participants[0].id
    older = dataclasses.replace(
        workshop,
        title="T" * (MAX_NAME_LENGTH + 100),
        ratings={
            (person, workshop.scope[0]): Rating(
                person, workshop.scope[0], "starting", "e" * (MAX_TEXT_LENGTH + 5000)
            )
        },
    )
    path = tmp_path / "older.opassess"
    write_session_file(older, path)
    assert read_session_file(path).ratings == older.ratings


@pytest.mark.parametrize("schema", ["session.schema.json", "framework.schema.json"])
def test_no_text_in_a_file_is_without_a_limit(schema: str):
    unlimited = []

    def walk(node, path):
        if isinstance(node, dict):
            is_text = node.get("type") == "string" or node.get("type") == ["string", "null"]
            if is_text and not {"maxLength", "enum", "pattern", "format"} & set(node):
                unlimited.append(path)
            for key, value in node.items():
                walk(value, f"{path}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{path}[{index}]")

    walk(_validator(schema).schema, "")
    assert unlimited in ([], ["/properties/generator"]), unlimited


def _workshop():
    workshop = new_workshop(default_framework(), title="Limits")
    return add_participant(workshop, "Ann Lee")


@pytest.mark.parametrize(
    ("edit", "said"),
    [
        (lambda w: update_details(w, title="t" * (MAX_NAME_LENGTH + 1)), "The title"),
        (lambda w: update_details(w, organisation="o" * (MAX_NAME_LENGTH + 1)), "organisation"),
        (lambda w: add_participant(w, "n" * (MAX_NAME_LENGTH + 1)), "The name"),
        (
            lambda w: record_rating(
                w, w.participants[0].id, w.scope[0], "starting", "e" * (MAX_TEXT_LENGTH + 1)
            ),
            "The evidence",
        ),
        (
            lambda w: agree_consensus(w, w.scope[0], "starting", "r" * (MAX_TEXT_LENGTH + 1)),
            "The rationale",
        ),
        (lambda w: add_action(w, w.scope[0], "a" * (MAX_NOTE_LENGTH + 1)), "The action"),
        (
            lambda w: add_action(w, w.scope[0], "Do it", responsible="r" * (MAX_NAME_LENGTH + 1)),
            "responsible",
        ),
    ],
)
def test_every_edit_refuses_a_text_past_its_limit_and_says_which(edit, said):
    with pytest.raises(WorkshopError) as refused:
        edit(_workshop())
    assert said in str(refused.value) and "at most" in str(refused.value)


def test_texts_at_their_limits_go_through_a_session_file_whole(tmp_path):
    workshop = _workshop()
    workshop = update_details(workshop, title="T" * MAX_NAME_LENGTH, team="x" * MAX_NAME_LENGTH)
    person = workshop.participants[0].id
    workshop = record_rating(workshop, person, workshop.scope[0], "starting", "e" * MAX_TEXT_LENGTH)
    workshop = add_action(workshop, workshop.scope[0], "a" * MAX_NOTE_LENGTH)
    path = tmp_path / "limits.opassess"
    write_session_file(workshop, path)
    back = read_session_file(path)
    assert back.title == workshop.title and back.ratings == workshop.ratings


def test_a_session_file_past_a_limit_is_refused_where_it_is(tmp_path):
    workshop = _workshop()
    path = tmp_path / "team.opassess"
    write_session_file(workshop, path)
    document = json.loads(path.read_text(encoding="utf-8"))
    document["workshop"]["participants"][0]["name"] = "n" * 400_000  # nobody typed this
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(SessionFileError) as refused:
        read_session_file(path)
    message = str(refused.value)
    assert "participants[0].name" in message and len(message) < 1000


def test_a_re_assessment_of_a_long_title_keeps_within_the_limit():
    workshop = update_details(_workshop(), title="L" * MAX_NAME_LENGTH)
    again = start_reassessment(workshop)
    assert len(again.title) <= MAX_NAME_LENGTH and again.title.endswith(")")
