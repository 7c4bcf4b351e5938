from __future__ import annotations

import json
from pathlib import Path

import pytest

from opassess.frameworks import (
    NOT_SURE,
    FrameworkError,
    builtin_frameworks,
    edit_dimension,
    framework_from_dict,
    framework_to_dict,
    load_framework,
)


def test_breakthrough_model_has_six_barriers_three_stages_eight_breakthroughs(framework):
    assert framework.level_ids == ("starting", "developing", "consolidating")
    assert len(framework.dimensions) == 6
    assert len(framework.suggestions) == 8
    for dimension in framework.dimensions:
        assert dimension.explanation
        for level in framework.level_ids:
            assert 3 <= len(dimension.descriptors[level]) <= 5, (dimension.id, level)
    for suggestion in framework.suggestions:
        assert 4 <= len(suggestion.actions) <= 6, suggestion.id


def test_breakthroughs_map_to_barriers_as_the_paper_does(framework):
    numbers = {
        d.id: [s.number for s in framework.suggestions_for(d.id)] for d in framework.dimensions
    }
    assert numbers == {
        "leaders-not-interested": [1],
        "no-time-to-learn": [2],
        "too-many-priorities": [3, 4],
        "what-we-do-must-change": [5],
        "system-does-not-help": [6, 7],
        "some-people-do-not-perform": [8],
    }


def test_every_bundled_framework_loads():
    assert "audit-commission-breakthrough-2002" in builtin_frameworks()


def test_json_round_trip_is_exact(framework):
    assert framework_from_dict(framework_to_dict(framework)) == framework


def _write(tmp_path: Path, data) -> Path:
    path = tmp_path / "custom.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_error_names_the_file_and_the_field(framework, tmp_path):
    data = framework_to_dict(framework)
    data["dimensions"][2]["name"] = 42
    with pytest.raises(FrameworkError, match=r"custom\.json: dimensions\[2\]\.name"):
        load_framework(_write(tmp_path, data))


def test_descriptor_for_an_unknown_stage_is_refused(framework, tmp_path):
    data = framework_to_dict(framework)
    data["dimensions"][0]["descriptors"]["expert"] = ["x"]
    with pytest.raises(FrameworkError, match=r"dimensions\[0\]\.descriptors: unknown level"):
        load_framework(_write(tmp_path, data))


def test_suggestion_for_an_unknown_barrier_is_refused(framework, tmp_path):
    data = framework_to_dict(framework)
    data["suggestions"][1]["dimensions"] = ["nowhere"]
    with pytest.raises(FrameworkError, match=r"suggestions\[1\]\.dimensions\[0\]"):
        load_framework(_write(tmp_path, data))


def test_duplicate_ids_are_refused(framework, tmp_path):
    data = framework_to_dict(framework)
    data["dimensions"][1]["id"] = data["dimensions"][0]["id"]
    with pytest.raises(FrameworkError, match=r"dimensions\[1\]\.id: duplicate"):
        load_framework(_write(tmp_path, data))


def test_no_stage_may_take_the_not_sure_id(framework, tmp_path):
    """A stage called "not-sure" could not be told from a "not sure" answer."""
    data = framework_to_dict(framework)
    data["levels"][1]["id"] = NOT_SURE
    with pytest.raises(FrameworkError, match=r"custom\.json: levels\[1\]\.id: 'not-sure' is kept"):
        load_framework(_write(tmp_path, data))


def test_broken_json_and_missing_file_are_clear(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"format": 1,', encoding="utf-8")
    with pytest.raises(FrameworkError, match=r"broken\.json: not valid JSON at line 1, column"):
        load_framework(path)
    with pytest.raises(FrameworkError, match=r"absent\.json: cannot be read"):
        load_framework(tmp_path / "absent.json")


def test_edit_dimension_changes_a_copy_only(framework):
    edited = edit_dimension(
        framework,
        "no-time-to-learn",
        name="We never stop to learn",
        descriptors={"starting": ["  Reviews are cancelled  ", ""]},
    )
    assert edited.dimension("no-time-to-learn").name == "We never stop to learn"
    starting = edited.dimension("no-time-to-learn").descriptors["starting"]
    assert starting == ("Reviews are cancelled",)
    assert edited.dimension("no-time-to-learn").descriptors["developing"] == (
        framework.dimension("no-time-to-learn").descriptors["developing"]
    )
    assert framework.dimension("no-time-to-learn").name == "There's no time to learn"
    with pytest.raises(FrameworkError):
        edit_dimension(framework, "no-time-to-learn", name="   ")
    with pytest.raises(FrameworkError, match="at most 500"):
        edit_dimension(framework, "no-time-to-learn", name="x" * 501)
