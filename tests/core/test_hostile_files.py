"""Hostile files are plain refusals: one line naming the file and the reason, exit 2, never a
traceback, and nothing written; the same reader serves session files, framework files and the
room's requests."""

from __future__ import annotations

import json

import pytest

from opassess.validation import JsonProblem, parse_json

HOSTILE = {
    "an integer of 5,000 digits": ('{"format": ' + "9" * 5000 + "}", "number too long"),
    "nesting 50,000 deep": ("[" * 50_000 + "]" * 50_000, "nested too deeply"),
    "a lone surrogate": ('{"format": "\\ud800"}', "not text"),
    "NaN": ('{"format": NaN}', "NaN is not a JSON value"),
    "a key twice": ('{"a": 1, "a": 2}', "appears twice"),
    "not JSON": ("{format: 1}", "not valid JSON at line 1"),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_every_hostile_json_text_is_a_plain_problem(case: str):
    text, reason = HOSTILE[case]
    with pytest.raises(JsonProblem) as problem:
        parse_json(text)
    assert reason in str(problem.value)
    assert "Traceback" not in str(problem.value) and len(str(problem.value)) < 200


def test_plain_json_reads_as_json():
    assert parse_json('{"a": [1, 2.5, "é", null, true]}') == {"a": [1, 2.5, "é", None, True]}


@pytest.mark.parametrize("case", HOSTILE)
@pytest.mark.parametrize(
    "command", [("import",), ("frameworks", "--import")], ids=["session file", "framework file"]
)
def test_a_hostile_file_is_one_line_and_exit_2(run, tmp_path, case: str, command: tuple):
    text, reason = HOSTILE[case]
    hostile = tmp_path / "hostile.json"
    hostile.write_text(text, encoding="utf-8")
    code, _, err = run(*command, str(hostile))
    assert code == 2, err
    assert err.startswith("opassess: hostile.json: ") and err.count("\n") == 1, err
    assert reason in err
    assert run("list")[1].strip() == "The library is empty."


def test_one_hostile_file_in_a_batch_leaves_the_good_one_to_come_in(run, tmp_path):
    good = tmp_path / "good.opassess"
    assert run("demo", "--out", str(good))[0] == 0
    bad = tmp_path / "bad.opassess"
    bad.write_text(HOSTILE["an integer of 5,000 digits"][0], encoding="utf-8")
    _code, out, err = run("import", str(bad), str(good))
    assert "Traceback" not in out + err
    assert "bad.opassess" in out + err and "number too long" in out + err
    listed = run("list")[1]
    title = json.loads(good.read_text(encoding="utf-8"))["workshop"]["title"]
    assert title in listed


def test_a_framework_of_ten_stages_is_refused_in_numbers_not_a_data_dump(tmp_path):
    from opassess.frameworks import (
        FrameworkError,
        default_framework,
        framework_to_dict,
        load_framework,
    )

    data = framework_to_dict(default_framework())
    data["id"] = "ten-stages"
    level = data["levels"][0]
    data["levels"] = [{**level, "id": f"s{n}", "name": f"Stage {n}"} for n in range(10)]
    path = tmp_path / "ten.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(FrameworkError) as refused:
        load_framework(path)
    message = str(refused.value)
    assert "levels: has 10 items; at most 9 allowed" in message
    assert "Stage 3" not in message and len(message) < 300


def test_a_workshop_that_re_assesses_itself_is_refused(run, tmp_path):
    path = tmp_path / "self.opassess"
    assert run("demo", "--out", str(path))[0] == 0
    document = json.loads(path.read_text(encoding="utf-8"))
    document["workshop"]["reassesses"] = document["workshop"]["id"]
    path.write_text(json.dumps(document), encoding="utf-8")
    code, _, err = run("import", str(path))
    assert code == 2 and "re-assessment of itself" in err
