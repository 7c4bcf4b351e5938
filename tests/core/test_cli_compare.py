"""`main.py compare`: teams picked by organisation, team, dates and tag, printed as text or
written as the roll-up workbook and report; called as main.py would call it."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from opassess.demo import demo_workshop
from opassess.export.rollup_xlsx import HEATMAP
from opassess.store import Library
from opassess.workshop import Consensus, Workshop, set_tags


def team(n: int) -> Workshop:
    """Team n of 12: Southshire when n is a multiple of 3, held on the first of month n + 1,
    tagged "pilot" when n is odd; its agreed stages differ from its neighbours'."""
    workshop = demo_workshop(3, seed=n, held_on=date(2026, 1 + n, 1))
    levels = workshop.framework.level_ids
    workshop = dataclasses.replace(
        workshop,
        team=f"Team {n:03d}",
        organisation="Southshire" if n % 3 == 0 else "Northshire",
        consensus={
            d: Consensus(levels[(n + i) % len(levels)], "agreed")
            for i, d in enumerate(workshop.framework.dimension_ids)
        },
    )
    return set_tags(workshop, ["pilot"] if n % 2 else [])


TEAMS = [team(n) for n in range(12)]


@pytest.fixture
def library_of_teams(tmp_path: Path) -> list[Workshop]:
    # Where conftest's `run` fixture keeps the library.
    with Library.open(tmp_path / "library") as library:
        library.add_many(TEAMS)
    return TEAMS


def printed_teams(out: str) -> set[str]:
    """The teams `compare` printed: each starts a line of its own, its barriers indented."""
    return {line.split("  [")[0] for line in out.splitlines() if line.startswith("Team ")}


def names(*numbers: int) -> set[str]:
    return {f"Team {n:03d}" for n in numbers}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ((), names(*range(12))),
        (("--organisation", "SOUTH"), names(0, 3, 6, 9)),
        (("--team", "team 01"), names(10, 11)),
        (("--tag", "Pilot"), names(1, 3, 5, 7, 9, 11)),
        (("--from", "2026-10-01"), names(9, 10, 11)),
        (("--to", "2026-02-01"), names(0, 1)),
        (("--from", "2026-03-01", "--to", "2026-08-01", "--tag", "pilot"), names(3, 5, 7)),
        (("--organisation", "north", "--tag", "pilot", "--to", "2026-06-30"), names(1, 5)),
        # the forms the window's date fields take, day first: the same teams as the ISO dates
        (("--from", "1/10/2026"), names(9, 10, 11)),
        (("--from", "1 Oct 2026"), names(9, 10, 11)),
        (("--to", "01/02/26"), names(0, 1)),
        (("--from", "1 March 2026", "--to", "1/8/2026", "--tag", "pilot"), names(3, 5, 7)),
    ],
)
def test_filters_choose_exactly_the_expected_teams(
    run, library_of_teams: list[Workshop], filters: tuple[str, ...], expected: set[str]
) -> None:
    code, out, err = run("compare", *filters)
    assert code == 0, err
    assert printed_teams(out) == expected
    assert out.startswith(f"{len(expected)} teams on Performance breakthroughs")


def test_the_text_heatmap_gives_each_teams_agreed_stage_then_the_notes(
    run, library_of_teams: list[Workshop]
) -> None:
    code, out, _ = run("compare", "--team", "Team 004")
    assert code == 0
    workshop = TEAMS[4]
    framework = workshop.framework
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Team 004"))
    for offset, dimension in enumerate(framework.dimensions, start=1):
        name, stage = lines[start + offset].strip().rsplit("  ", 1)
        assert name.strip() == dimension.name
        assert stage.strip() == framework.level(workshop.consensus[dimension.id].stage).name
    assert "Notes:" in lines
    assert any("nothing was left out" in line for line in lines)


def test_xlsx_and_pdf_are_written_for_the_teams_chosen(
    run, library_of_teams: list[Workshop], tmp_path: Path
) -> None:
    book, report = tmp_path / "teams.xlsx", tmp_path / "teams.pdf"
    code, out, err = run("compare", "--tag", "pilot", "--xlsx", str(book), "--pdf", str(report))
    assert code == 0, err
    assert str(book) in out and str(report) in out
    sheet = openpyxl.load_workbook(book)[HEATMAP]
    teams = {sheet.cell(row, 1).value for row in range(2, 8)}
    assert teams == names(1, 3, 5, 7, 9, 11)
    assert sheet.cell(8, 1).value is None  # nothing more in the heatmap
    text = " ".join(page.extract_text() for page in PdfReader(report).pages)
    assert all(name in text for name in names(1, 3, 5, 7, 9, 11))
    assert not any(name in text for name in names(0, 2, 4))
    assert "tagged “pilot”" in " ".join(text.split())


def assert_one_line_error(code: int, err: str) -> None:
    assert code == 2
    assert err.startswith("opassess") and err.count("\n") == 1, err
    assert "Traceback" not in err


def test_nothing_matching_exits_2_saying_what_was_asked_for(
    run, library_of_teams: list[Workshop], tmp_path: Path
) -> None:
    book = tmp_path / "none.xlsx"
    code, out, err = run("compare", "--organisation", "Westshire", "--xlsx", str(book))
    assert_one_line_error(code, err)
    assert "“Westshire”" in err and not out
    assert not book.exists()


def test_an_empty_library_exits_2(run) -> None:
    code, _, err = run("compare")
    assert_one_line_error(code, err)
    assert "no workshops to compare" in err


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        (("--from", "2026-13-01"), "is not a day of the calendar"),
        (("--to", "yesterday"), "is not a date: write it as 31/03/2027"),
        (("--from", "15 January"), "has no year"),  # never this year by guesswork
        (("--to", "2026"), "put / between the day, month and year"),
        (("--from", ""), "give a date"),
    ],
)
def test_a_date_that_is_not_one_whole_date_exits_2(
    run, capsys: pytest.CaptureFixture[str], arguments: tuple[str, str], says: str
) -> None:
    with pytest.raises(SystemExit) as exited:  # refused by the parser, as any usage mistake
        run("compare", *arguments)
    err = capsys.readouterr().err
    assert_one_line_error(int(exited.value.code or 0), err)
    assert arguments[0] in err and says in err


def test_from_after_to_exits_2(run, library_of_teams: list[Workshop]) -> None:
    code, _, err = run("compare", "--from", "2026-06-01", "--to", "2026-05-01")
    assert_one_line_error(code, err)
    assert "--from is after --to" in err


def test_an_unwritable_output_exits_2_plainly(
    run, library_of_teams: list[Workshop], tmp_path: Path
) -> None:
    code, _, err = run("compare", "--pdf", str(tmp_path / "no-such-folder" / "teams.pdf"))
    assert_one_line_error(code, err)
    assert "teams.pdf" in err and str(tmp_path) not in err


def test_latest_compares_each_team_once_as_it_stands_now(run):
    # by default, as the window does; --all counts every workshop
    assert run("demo", "--teams", "3", "--rounds", "3", "--add")[0] == 0
    code, out, _ = run("compare")
    assert code == 0 and out.startswith("3 teams on Performance breakthroughs")
    code, out, _ = run("compare", "--latest")
    assert code == 0 and out.startswith("3 teams on Performance breakthroughs")
    code, out, _ = run("compare", "--all")
    assert code == 0 and out.startswith("9 workshops of 3 teams")


def test_the_command_line_and_the_window_compare_the_same_by_default():
    from opassess.cli import build_parser
    from opassess.rollup import Filters

    assert build_parser().parse_args(["compare"]).latest is Filters().latest_only
