"""Session files: exact round trips, every refusal names the file and the place, safe writes."""

from __future__ import annotations

import copy
import dataclasses
import errno
import json
import os
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opassess import interchange
from opassess.frameworks import default_framework, edit_dimension
from opassess.interchange import (
    ImportResult,
    SessionFileError,
    WorkshopExists,
    as_imported_copy,
    import_session_file,
    read_session_file,
    workshop_from_document,
    workshop_to_document,
    write_session_file,
)
from opassess.paths import resources_dir
from opassess.workshop import (
    ACTION_STATUSES,
    MAX_ACTIONS,
    MAX_TEXT_LENGTH,
    NAME_DISPLAYS,
    NOT_SURE,
    Action,
    Consensus,
    Participant,
    Rating,
    Workshop,
    record_evidence,
)

FRAMEWORK = default_framework()
LEVELS = FRAMEWORK.level_ids
DIMENSIONS = FRAMEWORK.dimension_ids
SCHEMAS = resources_dir() / "schemas"


class FakeLibrary:
    """The four library methods importing uses, over a dict, with a log of every change."""

    def __init__(self, *workshops: Workshop) -> None:
        self.workshops = {w.id: w for w in workshops}
        self.changes: list[tuple[str, str]] = []

    def exists(self, workshop_id: str) -> bool:
        return workshop_id in self.workshops

    def add(self, workshop: Workshop) -> None:
        assert workshop.id not in self.workshops
        self.workshops[workshop.id] = workshop
        self.changes.append(("add", workshop.id))

    def replace(self, workshop: Workshop) -> None:
        assert workshop.id in self.workshops
        self.workshops[workshop.id] = workshop
        self.changes.append(("replace", workshop.id))

    def load(self, workshop_id: str) -> Workshop:
        return self.workshops[workshop_id]


# -- strategies -------------------------------------------------------------------------------

_AWKWARD = [
    "\x00",
    "\x01",
    "\x1f",
    "\x7f",
    "\t",
    "\r\n",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\u200f",
    "\u202e",
    "😀",
    "👩🏽‍💻",
    "🏳️‍🌈",
    "שלום",
    "مرحبا بالعالم",
    "Siân ap Rhys",
    "Ó Briain",
    '"',
    "\\",
    "\\u0000",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "e\u0301",
]

# Any text JSON can hold: everything but lone surrogates, with the awkward cases made common.
_pieces = st.one_of(st.characters(codec="utf-8"), st.sampled_from(_AWKWARD))
any_text = st.lists(_pieces, max_size=30).map("".join)
some_text = st.lists(_pieces, min_size=1, max_size=30).map("".join)
ids = st.one_of(st.uuids().map(str), st.text(min_size=1, max_size=100))
maybe_date = st.none() | st.dates()
offsets = st.timedeltas(
    min_value=timedelta(hours=-23, minutes=-59), max_value=timedelta(hours=23, minutes=59)
).map(timezone)
moments = st.datetimes(
    min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1), timezones=offsets
)


@st.composite
def frameworks(draw):
    """The breakthrough model, sometimes with one barrier's wording adapted to arbitrary text."""
    framework = FRAMEWORK
    if draw(st.booleans()):
        name = draw(some_text.filter(lambda s: 0 < len(s.strip()) <= 500))
        framework = edit_dimension(
            framework,
            draw(st.sampled_from(DIMENSIONS)),
            name=name,
            question=draw(any_text),
            explanation=draw(any_text),
            descriptors={draw(st.sampled_from(LEVELS)): draw(st.lists(any_text, max_size=3))},
        )
    return framework


@st.composite
def workshops(draw):
    framework = draw(frameworks())
    participants = draw(
        st.lists(
            st.builds(Participant, ids, some_text, any_text), max_size=5, unique_by=lambda p: p.id
        )
    )
    ratings = {}
    if participants:
        keys = draw(
            st.lists(
                st.tuples(
                    st.sampled_from([p.id for p in participants]), st.sampled_from(DIMENSIONS)
                ),
                unique=True,
                max_size=10,
            )
        )
        for pid, did in keys:
            stage = draw(st.sampled_from((*LEVELS, NOT_SURE)))
            ratings[(pid, did)] = Rating(pid, did, stage, draw(any_text))
    consensus = draw(
        st.dictionaries(
            st.sampled_from(DIMENSIONS),
            st.builds(Consensus, st.sampled_from(LEVELS), any_text, any_text),
            max_size=4,
        )
    )
    targets = draw(
        st.dictionaries(st.sampled_from(DIMENSIONS), st.sampled_from(LEVELS), max_size=4)
    )
    flat = draw(
        st.lists(
            st.tuples(
                st.sampled_from(DIMENSIONS),
                st.builds(
                    Action,
                    ids,
                    some_text,
                    any_text,
                    any_text,
                    maybe_date,
                    st.sampled_from(ACTION_STATUSES),
                ),
            ),
            max_size=8,
            unique_by=lambda pair: pair[1].id,
        )
    )
    actions: dict[str, tuple[Action, ...]] = {}
    for did, action in flat:
        if len(actions.get(did, ())) < MAX_ACTIONS:
            actions[did] = (*actions.get(did, ()), action)
    return Workshop(
        id=(workshop_id := draw(ids)),
        title=draw(some_text),
        framework=framework,
        organisation=draw(any_text),
        team=draw(any_text),
        held_on=draw(maybe_date),
        facilitator=draw(any_text),
        participants=tuple(participants),
        scope=tuple(draw(st.lists(st.sampled_from(DIMENSIONS), unique=True, max_size=6))),
        ratings=ratings,
        consensus=consensus,
        targets=targets,
        actions=actions,
        reassess_on=draw(maybe_date),
        # any earlier workshop, never itself (a file saying so is refused)
        reassesses=draw(st.none() | ids.filter(lambda other: other != workshop_id)),
        name_display=draw(st.sampled_from(NAME_DISPLAYS)),
        created_at=draw(moments),
    )


# -- round trips ------------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(workshops())
def test_document_round_trip_is_exact(workshop):
    document = workshop_to_document(workshop)
    # The document is plain JSON: serialising and parsing changes nothing.
    assert json.loads(json.dumps(document, ensure_ascii=False)) == document
    assert workshop_from_document(document) == workshop


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(workshops())
def test_file_round_trip_is_exact(workshop):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "team.opassess"
        write_session_file(workshop, path)
        back = read_session_file(path)
        assert back == workshop
        assert [a.id for acts in back.actions.values() for a in acts] == [
            a.id for acts in workshop.actions.values() for a in acts
        ]
        assert back.participants == workshop.participants
        assert os.listdir(folder) == ["team.opassess"]


def test_fixture_workshop_round_trips_and_reads_as_documented(workshop, tmp_path):
    path = tmp_path / "team.opassess"
    write_session_file(workshop, path)
    raw = path.read_bytes()
    assert "Tomás Ó Briain".encode() in raw  # UTF-8, not \u escapes
    assert raw.startswith(b'{\n  "format": "opassess-session",\n  "version": 1,')
    document = json.loads(raw)
    assert set(document) == {"format", "version", "exported_at", "generator", "workshop"}
    assert document["generator"].startswith("OpAssess ")
    assert datetime.fromisoformat(document["exported_at"]).tzinfo is not None
    body = document["workshop"]
    assert body["held_on"] == "2026-03-12"
    assert body["actions"][0]["due_on"] == "2026-06-30"
    assert body["ratings"][0]["stage"] == "starting"
    assert read_session_file(path) == workshop


def test_long_evidence_survives_exactly(workshop, tmp_path):
    pid = workshop.participants[0].id
    barrier = DIMENSIONS[0]
    evidence = ("Evidence “quoted”, 😀, שלום, \x00\x1f\x7f\n" * 4000)[:MAX_TEXT_LENGTH]
    assert len(evidence) == MAX_TEXT_LENGTH
    workshop = record_evidence(workshop, pid, barrier, evidence)
    path = tmp_path / "long.opassess"
    write_session_file(workshop, path)
    back = read_session_file(path)
    assert back == workshop
    assert back.rating(pid, barrier).evidence == evidence


def test_control_characters_emoji_and_right_to_left_text(workshop, tmp_path):
    awkward = "".join(_AWKWARD) + "".join(chr(c) for c in range(0x20)) + "\x7f"
    workshop = dataclasses.replace(
        workshop,
        title=awkward,
        organisation=awkward,
        participants=(*workshop.participants, Participant("p-3", awkward, awkward)),
    )
    path = tmp_path / "awkward.opassess"
    write_session_file(workshop, path)
    assert read_session_file(path) == workshop


def test_reader_accepts_utc_z_and_a_byte_order_mark(workshop, tmp_path):
    document = workshop_to_document(workshop)
    document["workshop"]["created_at"] = "2026-03-12T09:30:00Z"
    path = tmp_path / "bom.opassess"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(document).encode())
    back = read_session_file(path)
    assert back.created_at == datetime(2026, 3, 12, 9, 30, tzinfo=timezone.utc)


def test_naive_creation_time_is_written_as_utc(workshop, tmp_path):
    naive = dataclasses.replace(workshop, created_at=datetime(2026, 3, 12, 9, 30))
    document = workshop_to_document(naive)
    assert document["workshop"]["created_at"] == "2026-03-12T09:30:00+00:00"


# -- the schema -------------------------------------------------------------------------------


def _schema(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


def test_bundled_schema_is_valid_and_a_written_document_validates(workshop):
    from jsonschema import Draft202012Validator

    schema = _schema("session.schema.json")
    Draft202012Validator.check_schema(schema)
    Draft202012Validator(schema).validate(workshop_to_document(workshop))


def test_schema_embeds_the_framework_schema_unchanged():
    session = _schema("session.schema.json")
    framework = _schema("framework.schema.json")
    body = {k: v for k, v in framework.items() if k not in ("$schema", "$id", "$defs")}
    assert session["$defs"]["framework"] == body
    for name, definition in framework["$defs"].items():
        assert session["$defs"][name] == definition


def test_schema_lists_match_the_model():
    defs = _schema("session.schema.json")["$defs"]
    assert tuple(defs["action"]["properties"]["status"]["enum"]) == ACTION_STATUSES
    assert tuple(defs["workshop"]["properties"]["name_display"]["enum"]) == NAME_DISPLAYS


def test_the_documented_example_is_a_valid_session_file(tmp_path):
    text = (resources_dir().parent / "docs" / "session-file.md").read_text(encoding="utf-8")
    example = text.split("```json\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "example.opassess"
    path.write_text(example, encoding="utf-8")
    workshop = read_session_file(path)
    assert workshop.participants[1].name == "Tomás Ó Briain"
    assert workshop.rating(workshop.participants[1].id, "leaders-not-interested").stage == NOT_SURE
    assert workshop_to_document(workshop)["workshop"] == json.loads(example)["workshop"]


# -- refusals ---------------------------------------------------------------------------------


def _save(tmp_path: Path, document, name: str = "team.opassess") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _refusal(path: Path) -> str:
    with pytest.raises(SessionFileError) as caught:
        read_session_file(path)
    return str(caught.value)


@pytest.fixture
def document(workshop):
    """A valid document with three participants, ratings, consensus, targets and actions."""
    document = workshop_to_document(workshop)
    body = document["workshop"]
    body["participants"].append(
        {"id": "9c0f3a52-1111-4e5e-8a3a-7d6f5c4b3a21", "name": "Ann Lee", "role": ""}
    )
    return document


def _p(document):
    return document["workshop"]["participants"]


BARRIER = DIMENSIONS[0]

# (change to a valid document, where the problem is, what the message says about it)
BROKEN = {
    "participant name not text": (
        lambda d: _p(d)[1].update(name=42),
        "workshop.participants[1].name",
        "not of type 'string'",
    ),
    "participant name empty": (
        lambda d: _p(d)[2].update(name=""),
        "workshop.participants[2].name",
        "",
    ),
    "missing title": (lambda d: d["workshop"].pop("title"), "workshop", "'title'"),
    "unknown field": (lambda d: d["workshop"].update(colour="red"), "workshop", "colour"),
    "invalid status": (
        lambda d: d["workshop"]["actions"][0].update(status="someday"),
        "workshop.actions[0].status",
        "someday",
    ),
    "invalid name display": (
        lambda d: d["workshop"].update(name_display="nicknames"),
        "workshop.name_display",
        "nicknames",
    ),
    "duplicate participant id": (
        lambda d: _p(d)[1].update(id=_p(d)[0]["id"]),
        "workshop.participants[1].id",
        "duplicate id",
    ),
    "rating by unknown participant": (
        lambda d: d["workshop"]["ratings"][1].update(participant_id="nobody"),
        "workshop.ratings[1].participant_id",
        "'nobody'",
    ),
    "rating of unknown barrier": (
        lambda d: d["workshop"]["ratings"][0].update(dimension_id="no-such-barrier"),
        "workshop.ratings[0].dimension_id",
        "'no-such-barrier'",
    ),
    "rating stage not a level": (
        lambda d: d["workshop"]["ratings"][0].update(stage="excellent"),
        "workshop.ratings[0].stage",
        "'excellent'",
    ),
    "duplicate rating": (
        lambda d: d["workshop"]["ratings"].append(dict(d["workshop"]["ratings"][0])),
        "workshop.ratings[2]",
        "second rating",
    ),
    "consensus not sure": (
        lambda d: d["workshop"]["consensus"][0].update(stage=NOT_SURE),
        "workshop.consensus[0].stage",
        "not-sure",
    ),
    "consensus of unknown barrier": (
        lambda d: d["workshop"]["consensus"][0].update(dimension_id="elsewhere"),
        "workshop.consensus[0].dimension_id",
        "'elsewhere'",
    ),
    "duplicate consensus": (
        lambda d: d["workshop"]["consensus"].append(dict(d["workshop"]["consensus"][0])),
        "workshop.consensus[1].dimension_id",
        "second consensus",
    ),
    "target stage unknown": (
        lambda d: d["workshop"]["targets"][0].update(stage="perfect"),
        "workshop.targets[0].stage",
        "'perfect'",
    ),
    "target of unknown barrier": (
        lambda d: d["workshop"]["targets"][0].update(dimension_id="elsewhere"),
        "workshop.targets[0].dimension_id",
        "'elsewhere'",
    ),
    "action of unknown barrier": (
        lambda d: d["workshop"]["actions"][0].update(dimension_id="elsewhere"),
        "workshop.actions[0].dimension_id",
        "'elsewhere'",
    ),
    "duplicate action id": (
        lambda d: d["workshop"]["actions"].append(dict(d["workshop"]["actions"][0])),
        "workshop.actions[1].id",
        "duplicate id",
    ),
    "four actions for one barrier": (
        lambda d: d["workshop"]["actions"].extend(
            dict(d["workshop"]["actions"][0], id=f"extra-{n}") for n in range(3)
        ),
        "workshop.actions[3]",
        "at most 3",
    ),
    "scope names unknown barrier": (
        lambda d: d["workshop"]["scope"].insert(1, "elsewhere"),
        "workshop.scope[1]",
        "'elsewhere'",
    ),
    "scope lists a barrier twice": (
        lambda d: d["workshop"]["scope"].append(BARRIER),
        f"workshop.scope[{len(DIMENSIONS)}]",
        "twice",
    ),
    "impossible date": (
        lambda d: d["workshop"].update(held_on="2026-02-30"),
        "workshop.held_on",
        "'2026-02-30' is not a date",
    ),
    "date in another shape": (
        lambda d: d["workshop"].update(reassess_on="12/03/2026"),
        "workshop.reassess_on",
        "not a date",
    ),
    "due date not a date": (
        lambda d: d["workshop"]["actions"][0].update(due_on="next week"),
        "workshop.actions[0].due_on",
        "'next week' is not a date",
    ),
    "creation time without zone": (
        lambda d: d["workshop"].update(created_at="2026-03-12T09:30:00"),
        "workshop.created_at",
        "no time zone",
    ),
    "creation time not a time": (
        lambda d: d["workshop"].update(created_at="yesterday"),
        "workshop.created_at",
        "not a date and time",
    ),
    "framework descriptor for unknown level": (
        lambda d: d["workshop"]["framework"]["dimensions"][2]["descriptors"].update(best=["x"]),
        "workshop.framework.dimensions[2].descriptors",
        "'best'",
    ),
    "framework barrier id twice": (
        lambda d: d["workshop"]["framework"]["dimensions"][3].update(id=BARRIER),
        "workshop.framework.dimensions[3].id",
        "duplicate id",
    ),
    "framework field wrong": (
        lambda d: d["workshop"]["framework"]["dimensions"][1].update(name=""),
        "workshop.framework.dimensions[1].name",
        "",
    ),
    "lone surrogate": (
        lambda d: d["workshop"]["ratings"][1].update(evidence="ok \ud800 not ok"),
        "workshop.ratings[1].evidence",
        "lone surrogate",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_refusal_names_the_file_and_the_place(case, document, tmp_path):
    change, where, said = BROKEN[case]
    change(document)
    message = _refusal(_save(tmp_path, document))
    assert message.startswith("team.opassess: "), message
    assert f"{where}: " in message, message
    assert said in message, message


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_refused_import_leaves_the_library_untouched(case, document, workshop, tmp_path):
    change, _, _ = BROKEN[case]
    change(document)
    library = FakeLibrary(workshop)
    before = dict(library.workshops)
    for choice in ("ask", "replace", "keep-both"):
        with pytest.raises(SessionFileError):
            import_session_file(library, _save(tmp_path, document), on_conflict=choice)
    assert library.workshops == before
    assert library.changes == []


def test_several_problems_are_reported_together(document, tmp_path):
    document["workshop"]["ratings"][0]["stage"] = "excellent"
    document["workshop"]["actions"][0]["due_on"] = "soon"
    with pytest.raises(SessionFileError) as caught:
        read_session_file(_save(tmp_path, document))
    assert caught.value.problems == (
        "workshop.ratings[0].stage: 'excellent' is not a stage of the file's framework "
        "(stages are starting, developing, consolidating, or not-sure)",
        "workshop.actions[0].due_on: 'soon' is not a date (expected YYYY-MM-DD, e.g. 2026-03-12)",
    )


def test_missing_file_and_folder(tmp_path):
    assert _refusal(tmp_path / "gone.opassess") == (
        "Could not read gone.opassess: the file does not exist."
    )
    folder = tmp_path / "folder.opassess"
    folder.mkdir()
    assert _refusal(folder).startswith("Could not read folder.opassess: ")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file(document, tmp_path):
    path = _save(tmp_path, document)
    path.chmod(0)
    assert _refusal(path) == "Could not read team.opassess: permission denied."


def test_not_utf8(tmp_path):
    path = tmp_path / "team.opassess"
    path.write_bytes(b'{\n  "format": "opassess-session",\n  "title": "Caf\xe9"\n}')
    assert _refusal(path) == (
        "team.opassess: not UTF-8 text (line 3, column 16); a session file is UTF-8 encoded JSON."
    )


def test_not_json(document, tmp_path):
    path = tmp_path / "team.opassess"
    path.write_text(json.dumps(document, indent=2)[:300], encoding="utf-8")
    message = _refusal(path)
    assert message.startswith("team.opassess: not valid JSON at line "), message
    assert ", column " in message


def test_empty_file(tmp_path):
    path = tmp_path / "team.opassess"
    path.write_bytes(b"")
    assert _refusal(path).startswith("team.opassess is empty")


def test_duplicate_keys_and_nan_are_refused(document, tmp_path):
    path = tmp_path / "team.opassess"
    text = json.dumps(document)
    path.write_text(text.replace('"title": ', '"title": "First", "title": ', 1), encoding="utf-8")
    assert "the key 'title' appears twice" in _refusal(path)
    path.write_text(text.replace('"version": 1', '"version": NaN'), encoding="utf-8")
    assert "NaN is not a JSON value" in _refusal(path)


def test_deep_nesting_is_refused(tmp_path):
    path = tmp_path / "team.opassess"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert "team.opassess" in _refusal(path)


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ([1, 2, 3], 'team.opassess is not an OpAssess session file (it has no "format"'),
        ({"title": "x"}, 'team.opassess is not an OpAssess session file (it has no "format"'),
        ({"format": "something-else"}, "its format is 'something-else'"),
    ],
)
def test_wrong_format(content, said, tmp_path):
    assert said in _refusal(_save(tmp_path, content))


def test_framework_file_opened_as_session(tmp_path):
    path = resources_dir() / "frameworks" / "breakthrough.json"
    message = _refusal(path)
    assert message.startswith("breakthrough.json is not an OpAssess session file")
    assert "framework file" in message


def test_newer_format_is_refused_with_advice(document, tmp_path):
    document["version"] = 2
    document["workshop"]["something_new"] = True
    assert _refusal(_save(tmp_path, document)) == (
        "team.opassess was written by a newer OpAssess (session format 2); this version reads "
        "format 1. Update OpAssess to open it."
    )


@pytest.mark.parametrize("version", ["1", 1.5, True, None, 0, -3])
def test_version_must_be_a_known_whole_number(version, document, tmp_path):
    document["version"] = version
    message = _refusal(_save(tmp_path, document))
    assert message.startswith("team.opassess: version: "), message


def test_missing_version(document, tmp_path):
    del document["version"]
    assert _refusal(_save(tmp_path, document)) == "team.opassess: version: missing; expected 1."


def test_oversized_file_is_refused(document, tmp_path, monkeypatch):
    path = _save(tmp_path, document)
    monkeypatch.setattr(interchange, "MAX_FILE_BYTES", 1000)
    assert _refusal(path).startswith("team.opassess is too large to be a session file")


def test_from_document_names_its_origin(document):
    document["workshop"]["participants"][1]["name"] = ""
    with pytest.raises(SessionFileError, match=r"^pasted text: workshop\.participants\[1\]\.name"):
        workshop_from_document(document, origin="pasted text")
    with pytest.raises(SessionFileError, match=r"^session file: workshop\.participants\[1\]"):
        workshop_from_document(document)


# -- importing --------------------------------------------------------------------------------


def test_import_adds_a_new_workshop(workshop, tmp_path):
    path = tmp_path / "team.opassess"
    write_session_file(workshop, path)
    library = FakeLibrary()
    result = import_session_file(library, path)
    assert result == ImportResult(workshop.id, workshop.title, "added")
    assert library.load(workshop.id) == workshop


def test_import_asks_when_the_workshop_is_already_there(workshop, tmp_path):
    path = tmp_path / "team.opassess"
    write_session_file(dataclasses.replace(workshop, title="Newer title"), path)
    library = FakeLibrary(workshop)
    with pytest.raises(WorkshopExists) as caught:
        import_session_file(library, path)
    error = caught.value
    assert isinstance(error, SessionFileError)
    assert error.existing_id == workshop.id
    assert error.existing_title == workshop.title
    assert error.incoming.title == "Newer title"
    message = str(error)
    assert message.startswith("team.opassess: ")
    assert f"“{workshop.title}”" in message
    assert "--replace" in message and "--keep-both" in message
    assert library.changes == []
    assert library.load(workshop.id) is workshop


def test_import_replaces_on_request(workshop, tmp_path):
    newer = dataclasses.replace(workshop, title="Newer title")
    path = tmp_path / "team.opassess"
    write_session_file(newer, path)
    library = FakeLibrary(workshop)
    result = import_session_file(library, path, on_conflict="replace")
    assert result == ImportResult(workshop.id, "Newer title", "replaced")
    assert library.load(workshop.id) == newer
    assert library.changes == [("replace", workshop.id)]


def test_replace_and_keep_both_just_add_when_there_is_no_conflict(workshop, tmp_path):
    path = tmp_path / "team.opassess"
    write_session_file(workshop, path)
    for choice in ("replace", "keep-both"):
        library = FakeLibrary()
        assert import_session_file(library, path, choice).action == "added"
        assert library.load(workshop.id) == workshop


def test_import_keeps_both_with_new_ids(workshop, tmp_path):
    path = tmp_path / "team.opassess"
    write_session_file(workshop, path)
    library = FakeLibrary(workshop)
    result = import_session_file(library, path, on_conflict="keep-both")
    assert result.action == "kept-both"
    assert result.title == workshop.title + " (imported copy)"
    assert result.workshop_id != workshop.id
    assert library.load(workshop.id) is workshop  # the original is unchanged
    copy_ = library.load(result.workshop_id)
    assert copy_.title == result.title
    old_people = {p.id for p in workshop.participants}
    new_people = {p.id for p in copy_.participants}
    assert old_people.isdisjoint(new_people)
    assert [(p.name, p.role) for p in copy_.participants] == [
        (p.name, p.role) for p in workshop.participants
    ]
    old_actions = [a for acts in workshop.actions.values() for a in acts]
    new_actions = [a for acts in copy_.actions.values() for a in acts]
    assert {a.id for a in old_actions}.isdisjoint({a.id for a in new_actions})
    assert [dataclasses.replace(a, id="") for a in new_actions] == [
        dataclasses.replace(a, id="") for a in old_actions
    ]
    # Ratings follow their participants to the new ids, keyed consistently.
    for (pid, did), rating in copy_.ratings.items():
        assert pid in new_people and rating.participant_id == pid and rating.dimension_id == did
    names_then = {
        (workshop.participant(k[0]).name, k[1]): r.stage for k, r in workshop.ratings.items()
    }
    names_now = {(copy_.participant(k[0]).name, k[1]): r.stage for k, r in copy_.ratings.items()}
    assert names_now == names_then
    assert (copy_.consensus, copy_.targets, copy_.framework, copy_.scope) == (
        workshop.consensus,
        workshop.targets,
        workshop.framework,
        workshop.scope,
    )


def test_imported_copy_is_itself_a_valid_session(workshop, tmp_path):
    path = tmp_path / "copy.opassess"
    copied = as_imported_copy(workshop)
    write_session_file(copied, path)
    assert read_session_file(path) == copied


def test_unknown_conflict_choice(workshop, tmp_path):
    path = tmp_path / "team.opassess"
    write_session_file(workshop, path)
    with pytest.raises(ValueError, match="on_conflict"):
        import_session_file(FakeLibrary(), path, on_conflict="merge")


# -- writing ----------------------------------------------------------------------------------


@pytest.fixture
def existing(workshop, tmp_path):
    """A session file already on disk, and its bytes."""
    path = tmp_path / "team.opassess"
    write_session_file(workshop, path)
    return path, path.read_bytes()


def _renamed_workshop(workshop):
    return dataclasses.replace(workshop, title="A different title")


def test_write_replaces_an_existing_file(existing, workshop):
    path, _ = existing
    write_session_file(_renamed_workshop(workshop), path)
    assert read_session_file(path).title == "A different title"
    assert os.listdir(path.parent) == ["team.opassess"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_write_keeps_the_file_mode(existing, workshop):
    path, _ = existing
    path.chmod(0o640)
    write_session_file(_renamed_workshop(workshop), path)
    assert path.stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize(
    ("code", "said"),
    [
        (errno.ENOSPC, "the disk is full."),
        (errno.EROFS, "the disk is read-only."),
        (errno.EIO, "the disk reported an input/output error."),
    ],
)
def test_failed_sync_leaves_the_old_file(code, said, existing, workshop, monkeypatch):
    path, before = existing

    def failing_fsync(fd):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(interchange.os, "fsync", failing_fsync)
    with pytest.raises(SessionFileError) as caught:
        write_session_file(_renamed_workshop(workshop), path)
    assert str(caught.value) == f"Could not write team.opassess: {said}"
    assert path.read_bytes() == before
    assert os.listdir(path.parent) == ["team.opassess"]


def test_failed_rename_leaves_the_old_file(existing, workshop, monkeypatch):
    path, before = existing

    def failing_replace(source, target):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(interchange.os, "replace", failing_replace)
    with pytest.raises(SessionFileError) as caught:
        write_session_file(_renamed_workshop(workshop), path)
    assert str(caught.value).startswith("Could not write team.opassess: permission denied")
    assert path.read_bytes() == before
    assert os.listdir(path.parent) == ["team.opassess"]


def test_interrupted_write_leaves_no_temp_file(existing, workshop, monkeypatch):
    path, before = existing

    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(interchange.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_session_file(_renamed_workshop(workshop), path)
    assert path.read_bytes() == before
    assert os.listdir(path.parent) == ["team.opassess"]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes anywhere")
def test_read_only_folder(existing, workshop):
    path, before = existing
    path.parent.chmod(0o555)
    try:
        with pytest.raises(SessionFileError, match=r"^Could not write team\.opassess: permission"):
            write_session_file(_renamed_workshop(workshop), path)
    finally:
        path.parent.chmod(0o755)
    assert path.read_bytes() == before
    assert os.listdir(path.parent) == ["team.opassess"]


def test_write_into_a_missing_folder(workshop, tmp_path):
    with pytest.raises(SessionFileError) as caught:
        write_session_file(workshop, tmp_path / "nowhere" / "team.opassess")
    assert str(caught.value) == "Could not write team.opassess: the folder does not exist."


def test_a_workshop_that_could_not_be_read_back_is_not_written(existing, workshop):
    path, before = existing
    broken = dataclasses.replace(
        workshop,
        participants=(*workshop.participants, Participant("x", "Broken \udc80 name")),
    )
    with pytest.raises(SessionFileError) as caught:
        write_session_file(broken, path)
    message = str(caught.value)
    assert message.startswith("Could not write team.opassess: workshop.participants[2].name: ")
    orphan = dataclasses.replace(workshop, participants=workshop.participants[1:])
    with pytest.raises(SessionFileError, match=r"workshop\.ratings\[0\]\.participant_id"):
        write_session_file(orphan, path)
    assert path.read_bytes() == before
    assert os.listdir(path.parent) == ["team.opassess"]


def test_oversized_workshop_is_not_written(existing, workshop, monkeypatch):
    path, before = existing
    monkeypatch.setattr(interchange, "MAX_FILE_BYTES", 1000)
    with pytest.raises(SessionFileError, match="too large for a session file"):
        write_session_file(workshop, path)
    assert path.read_bytes() == before


def test_documents_are_independent_of_the_workshop(workshop):
    document = workshop_to_document(workshop)
    copied = copy.deepcopy(document)
    document["workshop"]["participants"][0]["name"] = "Changed"
    assert workshop_from_document(copied) == workshop
    assert workshop.participants[0].name != "Changed"
