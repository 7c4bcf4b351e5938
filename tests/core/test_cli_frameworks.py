"""The frameworks from the command line: listed, a demo on any of them, files in and out."""

from __future__ import annotations

import json

import pytest

from opassess.interchange import read_session_file


def test_the_list_names_every_built_in_framework_with_its_words(run):
    code, out, _ = run("frameworks")
    assert code == 0
    rows = [line.split("\t") for line in out.splitlines()]
    assert [row[0] for row in rows] == [
        "audit-commission-breakthrough-2002",
        "delivery-confidence",
        "nao-operational-delivery-2021",
        "nao-systematic-improvement",
    ]
    assert rows[1][3:] == ["5 questions", "Red, Amber-red, Amber-green, Green"]


@pytest.mark.parametrize("reference", ["delivery-confidence", "Delivery confidence"])
def test_a_demo_on_another_framework(run, tmp_path, reference):
    target = tmp_path / "stocktake.opassess"
    code, _, _ = run("demo", "--framework", reference, "--out", str(target))
    assert code == 0
    workshop = read_session_file(target)
    assert workshop.framework.id == "delivery-confidence"
    assert {c.stage for c in workshop.consensus.values()} <= {
        "red",
        "amber-red",
        "amber-green",
        "green",
    }


def test_an_unknown_framework_is_named_with_the_ones_there_are(run):
    code, _, err = run("demo", "--framework", "nope", "--add")
    assert code == 2
    assert "no framework 'nope'" in err and "delivery-confidence" in err


def test_a_framework_file_out_and_back_in_under_its_own_id(run, tmp_path):
    target = tmp_path / "ops.json"
    assert run("frameworks", "--export", "nao-operational-delivery-2021", str(target))[0] == 0
    code, _, err = run("frameworks", "--import", str(target))
    assert code == 2 and "built-in framework" in err
    data = json.loads(target.read_text(encoding="utf-8"))
    data.update(id="our-operations", name="Our operations")
    target.write_text(json.dumps(data), encoding="utf-8")
    assert run("frameworks", "--import", str(target))[0] == 0
    code, _, err = run("frameworks", "--import", str(target))
    assert code == 2 and "--replace" in err
    assert run("frameworks", "--import", str(target), "--replace")[0] == 0
    code, out, _ = run("frameworks")
    assert "our-operations\tOur operations (2021)\town\t5 areas" in out
    # and a demo can be run on it
    assert run("demo", "--framework", "our-operations", "--add")[0] == 0


def test_a_broken_file_is_refused_naming_the_field(run, tmp_path):
    target = tmp_path / "broken.json"
    target.write_text(json.dumps({"format": 1, "id": "x", "name": "X", "levels": []}), "utf-8")
    code, _, err = run("frameworks", "--import", str(target))
    assert code == 2 and "broken.json" in err and "levels" in err
    assert "x\t" not in run("frameworks")[1]
