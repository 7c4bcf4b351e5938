"""Gathering many teams' session files into one library: exactly what changed, said per file."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from opassess.cli import main
from opassess.demo import demo_workshop
from opassess.gathering import gather, plan_gathering, session_files
from opassess.interchange import write_session_file
from opassess.store import Library


def _teams(count: int) -> list:
    return [
        dataclasses.replace(demo_workshop(5, seed=n), title=f"Team {n:02d}", team=f"Team {n:02d}")
        for n in range(count)
    ]


@pytest.fixture
def library(tmp_path: Path):
    with Library.open(tmp_path / "library") as opened:
        yield opened


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Fifty teams' files, in two sub-folders as an office's share would hold them."""
    root = tmp_path / "returns"
    for index, workshop in enumerate(_teams(50)):
        sub = root / ("north" if index % 2 else "south")
        sub.mkdir(parents=True, exist_ok=True)
        write_session_file(workshop, sub / f"team-{index:02d}.opassess")
    return root


def test_fifty_files_come_in_once_and_again_change_nothing(library, folder: Path):
    paths = session_files([folder])
    assert len(paths) == 50
    summary = gather(library, plan_gathering(library, paths))
    assert len(summary.added) == 50 and not summary.left_out
    assert len(library.list_workshops()) == 50
    assert summary.lines() == ["50 workshops added"]
    again = gather(library, plan_gathering(library, paths))
    assert not again.changed and len(again.unchanged) == 50
    assert len(library.list_workshops()) == 50


def test_changed_workshops_follow_the_one_choice_and_are_counted(library, folder: Path):
    paths = session_files([folder])
    gather(library, plan_gathering(library, paths))
    # three teams changed their titles in the library since
    for summary in library.list_workshops()[:3]:
        stored = library.load(summary.id)
        library.replace(dataclasses.replace(stored, title=stored.title + " (edited)"))
    plan = plan_gathering(library, paths)
    assert (len(plan.new), len(plan.same), len(plan.different)) == (0, 47, 3)
    kept = gather(library, plan)  # the library's kept by default
    assert len(kept.kept_library) == 3 and not kept.changed
    assert sum(s.title.endswith("(edited)") for s in library.list_workshops()) == 3
    replaced = gather(library, plan_gathering(library, paths), "replace")
    assert len(replaced.replaced) == 3
    assert not any(s.title.endswith("(edited)") for s in library.list_workshops())


def test_a_refused_file_changes_nothing_and_the_rest_come_in(library, tmp_path: Path):
    teams = _teams(3)
    paths = []
    for index, workshop in enumerate(teams):
        path = tmp_path / f"t{index}.opassess"
        write_session_file(workshop, path)
        paths.append(path)
    broken = tmp_path / "broken.opassess"
    text = (
        paths[1].read_text(encoding="utf-8").replace('"stage": "developing"', '"stage": "top"', 1)
    )
    broken.write_text(text, encoding="utf-8")
    twice = tmp_path / "again.opassess"
    twice.write_bytes(paths[0].read_bytes())
    plan = plan_gathering(library, [paths[0], broken, paths[2], twice])
    summary = gather(library, plan)
    assert summary.added == ["Team 00", "Team 02"]
    assert [name for name, _ in summary.left_out] == ["broken.opassess"]
    assert [name for name, _ in summary.repeats] == ["again.opassess"]
    assert "'top' is not a stage" in summary.left_out[0][1]
    assert {s.title for s in library.list_workshops()} == {"Team 00", "Team 02"}


def test_the_import_command_gathers_a_folder(tmp_path: Path, folder: Path, capsys):
    data = tmp_path / "office"
    assert main(["--data-dir", str(data), "import", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "Read 50 session files:" in out and "50 workshops added" in out
    assert main(["--data-dir", str(data), "import", str(folder)]) == 0
    assert "50 workshops already in the library as they are: unchanged" in capsys.readouterr().out


def test_demo_teams_written_to_a_folder_gather_into_a_library(tmp_path: Path, capsys):
    data, returns = tmp_path / "office", tmp_path / "returns"
    assert main(["--data-dir", str(data), "demo", "--teams", "3", "--out", str(returns)]) == 0
    assert len(list(returns.glob("*.opassess"))) == 6
    assert main(["--data-dir", str(data), "import", str(returns)]) == 0
    assert "6 workshops added" in capsys.readouterr().out
    code = main(["--data-dir", str(data), "demo", "--teams", "0", "--add"])
    assert code == 2 and "1 to 200 teams" in capsys.readouterr().err


def test_keep_both_adds_one_copy_however_often_the_files_are_gathered(library, tmp_path: Path):
    workshop = _teams(1)[0]
    path = tmp_path / "team.opassess"
    write_session_file(workshop, path)
    library.add(dataclasses.replace(workshop, title="Team 00 (edited here)"))
    first = gather(library, plan_gathering(library, [path]), "keep-both")
    assert len(first.kept_both) == 1
    again = gather(library, plan_gathering(library, [path]), "keep-both")
    assert not again.changed and len(again.unchanged) == 1
    assert len(library.list_workshops()) == 2


def test_the_same_workshop_twice_in_a_batch_says_whether_the_two_differ(library, tmp_path: Path):
    workshop = _teams(1)[0]
    first, same, other = (tmp_path / f"{n}.opassess" for n in ("a", "b", "c"))
    write_session_file(workshop, first)
    write_session_file(workshop, same)
    write_session_file(dataclasses.replace(workshop, title="Team 00, later"), other)
    summary = gather(library, plan_gathering(library, [first, same, other]))
    # a mere repeat is said, but nothing was lost: only a differing copy is left out
    assert dict(summary.repeats)["b.opassess"].startswith("the same as a.opassess")
    reasons = dict(summary.left_out)
    assert "b.opassess" not in reasons
    assert "with other content: only a.opassess was taken" in reasons["c.opassess"]


def test_a_file_that_only_repeats_another_is_no_failure(run, tmp_path: Path):
    first, again = tmp_path / "a.opassess", tmp_path / "b.opassess"
    assert run("demo", "--out", str(first))[0] == 0
    again.write_bytes(first.read_bytes())
    code, out, _ = run("import", str(first), str(again))
    assert code == 0 and "b.opassess: the same as a.opassess" in out
