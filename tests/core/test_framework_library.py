"""The framework library: built-in frameworks, a team's own copies, framework files in and out."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from pathlib import Path

import pytest

from opassess.demo import demo_workshop
from opassess.framework_library import (
    FrameworkExists,
    available_frameworks,
    check_framework,
    delete_framework,
    duplicate_framework,
    export_framework_file,
    import_framework_file,
    save_framework,
)
from opassess.frameworks import (
    DEFAULT_FRAMEWORK_ID,
    FrameworkError,
    builtin_frameworks,
    default_framework,
    edit_dimension,
    framework_to_dict,
)
from opassess.store import Library
from opassess.store.opening import LIBRARY_FILE
from opassess.store.schema import MIGRATIONS

BUILT_IN = {
    DEFAULT_FRAMEWORK_ID: (3, "barrier"),
    "nao-operational-delivery-2021": (4, "area"),
    "nao-systematic-improvement": (4, "insight"),
    "delivery-confidence": (4, "question"),
}


@pytest.fixture
def library(tmp_path: Path):
    with Library.open(tmp_path / "data") as opened:
        yield opened


def test_every_built_in_framework_loads_with_its_own_stages_and_words():
    frameworks = builtin_frameworks()
    assert set(frameworks) == set(BUILT_IN)
    for framework_id, (stages, word) in BUILT_IN.items():
        framework = frameworks[framework_id]
        assert len(framework.levels) == stages
        assert framework.terms.dimension == word
        assert check_framework(framework) == framework  # what the editor saves reads back
        for dimension in framework.dimensions:
            # every stage described, and where it comes from said
            assert all(dimension.descriptors[level] for level in framework.level_ids)
            if framework_id != DEFAULT_FRAMEWORK_ID:
                assert dimension.source_note and dimension.prompts and dimension.warning_signs
        assert framework.suggestions
        assert all(s.actions for s in framework.suggestions)


def test_the_designed_scale_says_it_was_designed_and_delivery_confidence_is_red_to_green():
    frameworks = builtin_frameworks()
    assert "designed" in frameworks["nao-systematic-improvement"].scale_note.lower()
    confidence = frameworks["delivery-confidence"]
    assert [level.name for level in confidence.levels] == [
        "Red",
        "Amber-red",
        "Amber-green",
        "Green",
    ]
    assert confidence.terms.reassessment == "stocktake"
    assert len(set(confidence.colours)) == 4
    assert confidence.colour_of("red") != confidence.colour_of("green")


def test_the_breakthrough_model_comes_first_then_the_others_then_the_teams_own(library):
    own = duplicate_framework(default_framework(), "Our model", library)
    save_framework(library, own)
    entries = available_frameworks(library)
    assert entries[0].framework.id == DEFAULT_FRAMEWORK_ID
    assert [e.builtin for e in entries] == [True] * 4 + [False]
    assert entries[-1].label == "Our model (own)"


def test_a_duplicate_gets_a_new_id_and_remembers_its_origin(library):
    first = duplicate_framework(default_framework(), "Our model", library)
    assert first.id == "our-model"
    assert first.based_on == DEFAULT_FRAMEWORK_ID
    assert first.levels == default_framework().levels
    save_framework(library, first)
    second = duplicate_framework(default_framework(), "Our model", library)
    assert second.id != first.id and second.id.startswith("our-model-")
    with pytest.raises(FrameworkError, match="name"):
        duplicate_framework(default_framework(), "   ", library)


def test_saving_checks_the_framework_and_names_the_field(library):
    own = duplicate_framework(default_framework(), "Our model", library)
    broken = dataclasses.replace(
        own, levels=(dataclasses.replace(own.levels[0], name=""), *own.levels[1:])
    )
    with pytest.raises(FrameworkError, match=r"levels\[0\]\.name"):
        save_framework(library, broken)
    assert library.own_frameworks() == []
    with pytest.raises(FrameworkError, match="built-in"):
        save_framework(library, default_framework())


def test_editing_the_teams_framework_leaves_a_workshop_on_it_as_it_was(library):
    own = save_framework(library, duplicate_framework(default_framework(), "Ours", library))
    workshop = demo_workshop(6, framework=own)
    library.add(workshop)
    renamed = edit_dimension(own, own.dimensions[0].id, name="Leaders look elsewhere")
    save_framework(library, renamed)
    assert library.own_frameworks()[0].dimensions[0].name == "Leaders look elsewhere"
    assert library.load(workshop.id).framework.dimensions[0].name == own.dimensions[0].name


def test_a_framework_file_round_trips_between_libraries(library, tmp_path: Path):
    own = duplicate_framework(builtin_frameworks()["delivery-confidence"], "Stocktake", library)
    save_framework(library, own)
    path = tmp_path / "stocktake.json"
    export_framework_file(own, path)
    with Library.open(tmp_path / "other") as other:
        imported = import_framework_file(other, path)
        assert imported == own
        assert other.own_frameworks() == [own]
        with pytest.raises(FrameworkExists) as caught:
            import_framework_file(other, path)
        assert caught.value.existing == own
        changed = dataclasses.replace(own, name="Stocktake, revised")
        export_framework_file(changed, path)
        import_framework_file(other, path, replace_existing=True)
        assert [f.name for f in other.own_frameworks()] == ["Stocktake, revised"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        (json.dumps({"format": 1}), "is a required property"),
        ("BAD_LEVEL", r"levels\[1\]\.id: 'not-sure' is kept"),
        ("BAD_DESCRIPTOR", r"dimensions\[0\]\.descriptors: unknown level 'excellent'"),
        ("BUILT_IN", "id of a built-in framework"),
    ],
)
def test_a_refused_framework_file_leaves_the_library_as_it_was(
    library, tmp_path: Path, content: str, message: str
):
    kept = save_framework(library, duplicate_framework(default_framework(), "Kept", library))
    data = framework_to_dict(dataclasses.replace(kept, id="incoming"))
    if content == "BAD_LEVEL":
        data["levels"][1]["id"] = "not-sure"
        content = json.dumps(data)
    elif content == "BAD_DESCRIPTOR":
        data["dimensions"][0]["descriptors"]["excellent"] = ["Far beyond"]
        content = json.dumps(data)
    elif content == "BUILT_IN":
        content = json.dumps(framework_to_dict(default_framework()))
    path = tmp_path / "incoming.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(FrameworkError, match=message) as caught:
        import_framework_file(library, path)
    assert "incoming.json" in str(caught.value)
    assert library.own_frameworks() == [kept]


def test_deleting_returns_the_framework_so_it_can_be_saved_again(library):
    own = save_framework(library, duplicate_framework(default_framework(), "Gone", library))
    removed = delete_framework(library, own.id)
    assert library.own_frameworks() == []
    save_framework(library, removed)
    assert library.own_frameworks() == [own]
    with pytest.raises(FrameworkError, match="no framework of your own"):
        delete_framework(library, "nothing-here")


# What each schema version added, taken away again: a file as that older release left it.
_UNDO = {
    3: ("DROP TABLE followups", "ALTER TABLE workshops DROP COLUMN tags_json"),
    2: ("DROP TABLE own_frameworks",),
}


def _as_written_by(folder: Path, version: int) -> None:
    conn = sqlite3.connect(folder / LIBRARY_FILE)
    for later in range(MIGRATIONS[-1].version, version, -1):
        for statement in _UNDO[later]:
            conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()


def test_every_older_library_upgrades_and_keeps_its_workshops(tmp_path: Path):
    assert set(_UNDO) == set(range(2, MIGRATIONS[-1].version + 1))  # a new version needs its undo
    for version in range(1, MIGRATIONS[-1].version):
        folder = tmp_path / f"v{version}"
        workshop = demo_workshop(5)
        with Library.open(folder) as old:
            old.add(workshop)
        _as_written_by(folder, version)
        with Library.open(folder) as upgraded:
            assert upgraded.load(workshop.id) == workshop
            upgraded.save_own_framework(duplicate_framework(default_framework(), "Ours"))
            assert [f.name for f in upgraded.own_frameworks()] == ["Ours"]
