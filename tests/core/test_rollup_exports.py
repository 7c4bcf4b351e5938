"""The roll-up outputs: the comparison loaded from a library, the workbook and the PDF report,
read back and checked against the workshops themselves rather than against labels."""

from __future__ import annotations

import dataclasses
import errno
import os
import time
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from opassess import files
from opassess.demo import demo_workshop
from opassess.export import ExportError
from opassess.export.rollup_pdf import write_rollup_report
from opassess.export.rollup_xlsx import (
    ACTIONS,
    ACTIONS_TABLE,
    DIFFERENCES,
    HEATMAP,
    NOTES,
    SHEET_NAMES,
    TEAMS,
    write_rollup_workbook,
)
from opassess.frameworks import Terms, builtin_frameworks
from opassess.rollup import Filters, compare, team_names
from opassess.services import NothingToCompare, RollUp, export_rollup, load_comparison
from opassess.store import Library
from opassess.workshop import (
    Consensus,
    Workshop,
    record_follow_up,
    set_tags,
    start_reassessment,
)

TODAY = date(2026, 12, 7)  # every export here is written as if on this day


def team(n: int, participants: int = 4) -> Workshop:
    """Team n: a demo workshop with its own name, organisation, date and tags, and agreed stages
    that differ from team to team (the demo alone agrees the same stages everywhere)."""
    workshop = demo_workshop(participants, seed=n, held_on=date(2026, 1 + n % 12, 1 + n % 27))
    levels = workshop.framework.level_ids
    consensus = {
        dimension_id: Consensus(levels[(n + index) % len(levels)], "agreed")
        for index, dimension_id in enumerate(workshop.framework.dimension_ids)
        if (n, index) != (4, 1)  # team 4 agreed nothing on the second barrier
    }
    workshop = dataclasses.replace(
        workshop,
        team=f"=Team {n:03d}" if n == 0 else f"Team {n:03d}",  # "=" must stay text
        organisation="Southshire" if n % 3 == 0 else "Northshire",
        consensus=consensus,
    )
    return set_tags(workshop, ["pilot"] if n % 2 else ["wave two"])


def overdue(action, today: date = TODAY) -> bool:
    return (
        action.due_on is not None
        and action.due_on < today
        and action.status in ("planned", "in-progress")
    )


@pytest.fixture
def teams() -> list[Workshop]:
    return [team(n) for n in range(6)]


@pytest.fixture
def workbook(teams: list[Workshop], tmp_path: Path) -> openpyxl.Workbook:
    path = tmp_path / "teams.xlsx"
    write_rollup_workbook(compare(teams), teams, path, today=TODAY)
    return openpyxl.load_workbook(path)


def rows(sheet) -> list[tuple]:
    return list(sheet.iter_rows(min_row=2, values_only=True))


def day(value: object) -> date:
    assert isinstance(value, datetime), value  # a real date cell, not text
    return value.date()


# -- the workbook ----------------------------------------------------------------------------


def test_the_workbook_has_its_sheets_in_order(workbook: openpyxl.Workbook) -> None:
    assert tuple(workbook.sheetnames) == SHEET_NAMES


def test_each_team_and_barrier_row_is_the_workshops_own_consensus(
    teams: list[Workshop], workbook: openpyxl.Workbook
) -> None:
    sheet = workbook[TEAMS]
    by_team = {(row[1], row[4]): row for row in rows(sheet)}
    framework = teams[0].framework
    assert len(by_team) == len(teams) * len(framework.dimensions)
    for workshop in teams:
        for dimension in framework.dimensions:
            row = by_team[(workshop.team, dimension.name)]
            assert row[0] == workshop.organisation and row[2] == workshop.title
            assert day(row[3]) == workshop.held_on
            agreed = workshop.consensus.get(dimension.id)
            if agreed is None:
                assert row[5] is None and row[6] is None
            else:
                assert row[5] == framework.level(agreed.stage).name
                assert row[6] == framework.level_index(agreed.stage) + 1
            assert row[7] == framework.level(workshop.targets[dimension.id]).name
            ratings = [
                r.stage
                for r in workshop.ratings_for(dimension.id)
                if r.stage in framework.level_ids
            ]
            places = [framework.level_index(s) for s in ratings]
            assert row[8] == max(places) - min(places)
            assert row[9] == len(workshop.ratings_for(dimension.id)) - len(ratings)
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.print_title_rows == "$1:$1"


def test_heatmap_cells_are_the_agreed_stage_in_the_stages_colour(
    teams: list[Workshop], workbook: openpyxl.Workbook
) -> None:
    sheet = workbook[HEATMAP]
    framework = teams[0].framework
    header = [c.value for c in sheet[1]]
    assert header[3:] == [d.name for d in framework.dimensions]
    comparison = compare(teams)
    names = team_names(comparison)
    by_id = {w.id: w for w in teams}
    for row_number, row in enumerate(comparison.teams, start=2):
        workshop = by_id[row.workshop_id]
        assert sheet.cell(row_number, 1).value == names[workshop.id]
        for column, dimension in enumerate(framework.dimensions, start=4):
            cell = sheet.cell(row_number, column)
            agreed = workshop.consensus.get(dimension.id)
            if agreed is None:
                assert cell.value == "Not agreed"
                continue
            assert cell.value == framework.level(agreed.stage).name
            assert cell.fill.fgColor.rgb[-6:] == framework.colour_of(agreed.stage)[1:].upper()
    assert sheet.freeze_panes == "B2"


def test_heatmap_chart_counts_teams_per_stage_in_the_stages_colours(
    teams: list[Workshop], workbook: openpyxl.Workbook
) -> None:
    sheet = workbook[HEATMAP]
    framework = teams[0].framework
    (chart,) = sheet._charts
    assert chart.tagname == "barChart" and chart.grouping == "stacked"
    fills = [s.graphicalProperties.solidFill.srgbClr for s in chart.series]
    assert fills[:3] == [c[1:].upper() for c in framework.colours]
    assert len(fills) == 4  # and the teams that agreed nothing, as one team did
    assert chart.anchor._from.row >= len(teams) + 1 + 3  # under the table
    # The chart's data: for each barrier, the teams that agreed each stage.
    for offset, level in enumerate(framework.levels):
        reference = chart.series[offset].val.numRef.f
        row_number = int(reference.rsplit("$", 1)[1])
        counts = [sheet.cell(row_number, 4 + i).value for i in range(len(framework.dimensions))]
        assert counts == [
            sum(
                1
                for w in teams
                if (agreed := w.consensus.get(d.id)) is not None and agreed.stage == level.id
            )
            for d in framework.dimensions
        ]


def test_where_teams_differ_is_sorted_by_how_far_apart_they_are(
    teams: list[Workshop], workbook: openpyxl.Workbook
) -> None:
    framework = teams[0].framework
    found = rows(workbook[DIFFERENCES])
    assert {row[0] for row in found} == {d.name for d in framework.dimensions}
    apart = [row[4] for row in found]
    assert apart == sorted(apart, reverse=True)
    for row in found:
        dimension = next(d for d in framework.dimensions if d.name == row[0])
        places = [
            framework.level_index(w.consensus[dimension.id].stage)
            for w in teams
            if dimension.id in w.consensus
        ]
        assert row[1] == len(places)
        assert row[4] == max(places) - min(places)
        assert row[2] == framework.levels[min(places)].name


def test_the_actions_table_lists_every_action_with_dates_and_overdue_flags(
    teams: list[Workshop], workbook: openpyxl.Workbook
) -> None:
    sheet = workbook[ACTIONS]
    expected = {
        (w.team, a.text, a.due_on, a.responsible, a.accountable, overdue(a))
        for w in teams
        for actions in w.actions.values()
        for a in actions
    }
    listed = rows(sheet)
    assert len(listed) == sum(len(a) for w in teams for a in w.actions.values())
    assert {
        (row[0], row[4], day(row[7]), row[5], row[6], row[10] == "Yes") for row in listed
    } == expected
    assert any(row[10] == "Yes" for row in listed) and any(row[10] == "No" for row in listed)
    table = sheet.tables[ACTIONS_TABLE]
    assert table.ref == f"A1:K{len(listed) + 1}"
    assert sheet.cell(2, 8).number_format != "General"  # shown as a date


def test_an_action_marked_done_at_the_next_workshop_is_not_overdue(tmp_path: Path) -> None:
    first = team(1)
    late = [a for acts in first.actions.values() for a in acts if overdue(a)]
    later = start_reassessment(first, held_on=date(2026, 11, 1))
    later = record_follow_up(later, late[0].id, "done", "Finished in June")
    later = record_follow_up(later, late[1].id, "partly")
    path = tmp_path / "followed.xlsx"
    write_rollup_workbook(compare([first, later]), [first, later], path, today=TODAY)
    listed = {(row[4], day(row[7])): row for row in rows(openpyxl.load_workbook(path)[ACTIONS])}
    assert len(listed) == sum(len(acts) for acts in first.actions.values())  # none of its own
    done, partly = (listed[(a.text, a.due_on)] for a in late[:2])
    assert (done[9], done[10]) == ("Done", "No")
    assert partly[10] == "Yes"
    assert all(listed[(a.text, a.due_on)][10] == "Yes" for a in late[1:])


def test_a_team_name_starting_with_equals_stays_text(
    teams: list[Workshop], workbook: openpyxl.Workbook
) -> None:
    for sheet_name, column in ((TEAMS, 2), (HEATMAP, 1), (ACTIONS, 1)):
        cells = [
            cell
            for cell in workbook[sheet_name][openpyxl.utils.get_column_letter(column)]
            if isinstance(cell.value, str) and cell.value.startswith("=Team 000")
        ]
        assert cells, sheet_name
        assert all(cell.data_type == "s" for cell in cells)


def test_notes_say_what_was_left_out(teams: list[Workshop], tmp_path: Path) -> None:
    other = demo_workshop(3, framework=builtin_frameworks()["delivery-confidence"])
    comparison = compare([*teams, other])
    path = tmp_path / "with-other.xlsx"
    write_rollup_workbook(
        comparison, [*teams, other], path, filters=Filters(tag="pilot"), today=TODAY
    )
    book = openpyxl.load_workbook(path)
    notes = [row[0] for row in rows(book[NOTES])]
    for note in comparison.notes:
        assert note in notes
    assert any("tagged “pilot”" in note for note in notes)
    # The workshop left out has no row anywhere.
    assert len(rows(book[TEAMS])) == len(teams) * len(teams[0].framework.dimensions)
    assert not {row[4] for row in rows(book[TEAMS])} & {d.name for d in other.framework.dimensions}
    listed = {row[4] for row in rows(book[ACTIONS])}
    assert not listed & {a.text for acts in other.actions.values() for a in acts}


def test_a_failed_workbook_write_leaves_the_earlier_file(
    teams: list[Workshop], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "teams.xlsx"
    path.write_bytes(b"earlier")

    def full_disk(_path: Path, _data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files, "write_atomically", full_disk)
    with pytest.raises(ExportError, match=r"teams\.xlsx: the disk is full"):
        write_rollup_workbook(compare(teams), teams, path)
    with pytest.raises(ExportError, match=r"teams\.pdf"):
        write_rollup_report(compare(teams), teams, tmp_path / "teams.pdf")
    assert path.read_bytes() == b"earlier"


# -- the PDF report --------------------------------------------------------------------------


def pdf_words(path: Path) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(path).pages).split())


def test_the_report_names_every_team_barrier_and_overdue_action(
    teams: list[Workshop], tmp_path: Path
) -> None:
    path = tmp_path / "teams.pdf"
    write_rollup_report(compare(teams), teams, path, filters=Filters(), today=TODAY)
    text = pdf_words(path)
    reader = PdfReader(path)
    fonts = [
        font.get_object() for page in reader.pages for font in page["/Resources"]["/Font"].values()
    ]
    assert fonts and all("DejaVuSans" in str(font["/BaseFont"]) for font in fonts)
    for font in fonts:  # embedded, so names in any script print as typed
        assert "/FontFile2" in font["/FontDescriptor"].get_object()
    for workshop in teams:
        assert workshop.team in text
    for dimension in teams[0].framework.dimensions:
        assert dimension.name in text
    late = [a for w in teams for acts in w.actions.values() for a in acts if overdue(a)]
    assert late
    for action in late:
        assert action.text in text
    assert "Every team rated the same barriers" in text


def test_user_text_and_a_frameworks_own_words_print_literally(tmp_path: Path) -> None:
    framework = team(1).framework
    words = dataclasses.replace(
        framework, terms=Terms(dimension="R&D area", dimensions="R&D <areas>", levels="<levels>")
    )
    markup = dataclasses.replace(
        team(1), team="<b>Ops & Co</b>", organisation="A & B <i>", framework=words
    )
    other = dataclasses.replace(team(2), framework=words)
    path = tmp_path / "markup.pdf"
    write_rollup_report(compare([markup, other]), [markup, other], path, today=TODAY)
    text = pdf_words(path)
    assert "<b>Ops & Co</b>" in text and "A & B <i>" in text
    assert "R&D <areas>" in text and "Agreed <levels> by team" in text


def test_a_reassessed_team_shows_its_movement(tmp_path: Path) -> None:
    with Library.open(tmp_path / "library") as library:
        first = team(1)
        later = start_reassessment(first, held_on=date(2026, 11, 1))
        levels = later.framework.level_ids
        later = dataclasses.replace(
            later,
            team="Team 001",
            consensus={d: Consensus(levels[2], "moved") for d in later.framework.dimension_ids},
        )
        library.add_many([first, later, team(2)])
        rollup = load_comparison(library, Filters(held_from=date(2026, 10, 1)))
    assert [t.workshop_id for t in rollup.comparison.teams] == [later.id]
    assert rollup.earlier == {later.id: first}
    path = tmp_path / "movement.pdf"
    export_rollup("rollup-report", rollup, path)
    text = pdf_words(path)
    assert "Movement since the earlier workshop" in text
    moved = [
        2 - levels.index(first.consensus[d].stage)
        for d in first.framework.dimension_ids
        if d in first.consensus
    ]
    for steps in moved:
        assert (f"▲ {steps}" if steps > 0 else "=") in text


# -- loading a comparison from the library --------------------------------------------------


@pytest.fixture
def library(tmp_path: Path):
    with Library.open(tmp_path / "library") as opened:
        yield opened


def test_load_comparison_picks_by_filters_and_checks_tags_on_the_workshop(library) -> None:
    teams = [team(n) for n in range(8)]
    # Its title says "pilot", but it has no such tag: found by the search, then left out.
    decoy = dataclasses.replace(team(8), title="The pilot nobody tagged")
    library.add_many([*teams, decoy])
    calls: list[tuple[int, int]] = []
    rollup = load_comparison(library, Filters(tag="PILOT"), progress=lambda *c: calls.append(c))
    chosen = {t.workshop_id for t in rollup.comparison.teams}
    assert chosen == {w.id for w in teams if "pilot" in w.tags}
    assert calls[-1][0] == calls[-1][1] and len(calls) == len(chosen) + 1  # only those loaded
    south = load_comparison(library, Filters(organisation="south", held_to=date(2026, 6, 30)))
    assert [t.team for t in south.comparison.teams] == ["=Team 000", "Team 003"]


def test_load_comparison_takes_only_the_ids_given(library) -> None:
    teams = [team(n) for n in range(4)]
    library.add_many(teams)
    ids = [teams[2].id, teams[0].id, teams[3].id]
    rollup = load_comparison(library, Filters(), ids=ids)
    assert {t.workshop_id for t in rollup.comparison.teams} == set(ids)
    assert {w.id for w in rollup.workshops} == set(ids)


def test_nothing_to_compare_says_what_was_asked_for(library) -> None:
    with pytest.raises(NothingToCompare, match="no workshops to compare"):
        load_comparison(library, Filters())
    library.add(team(1))
    with pytest.raises(NothingToCompare, match="whose team contains “Nobody”"):
        load_comparison(library, Filters(team="Nobody"))


# -- many teams ------------------------------------------------------------------------------


def _slow_tests_wanted(config: pytest.Config) -> bool:
    return os.environ.get("OPASSESS_SLOW_TESTS") == "1" or "slow" in (
        config.getoption("markexpr") or ""
    ).replace("not slow", "")


@pytest.mark.parametrize("count", [60, pytest.param(300, marks=pytest.mark.slow, id="300-teams")])
def test_many_teams_export_to_both_files(
    count: int, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    if count > 60 and not _slow_tests_wanted(request.config):
        pytest.skip("about 12 s: set OPASSESS_SLOW_TESTS=1 or run with -m slow")
    teams = [team(n, participants=3) for n in range(count)]
    rollup = RollUp(compare(teams), tuple(teams), Filters())
    started = time.perf_counter()
    export_rollup("rollup-workbook", rollup, tmp_path / "many.xlsx")
    export_rollup("rollup-report", rollup, tmp_path / "many.pdf")
    # Generous: a layout that grew quadratically with the teams would take minutes.
    assert time.perf_counter() - started < count / 5
    book = openpyxl.load_workbook(tmp_path / "many.xlsx", read_only=True)
    assert book[TEAMS].max_row == 1 + count * 6
    assert book[HEATMAP].max_row > count
    book.close()
    # The heatmap runs over several pages after the cover (its rows alone say "organisation ·
    # date"), each with the barriers' names over its columns; every team is on one of them.
    pages = PdfReader(tmp_path / "many.pdf").pages
    heatmap = []
    for page in pages[1:]:
        text = page.extract_text()
        if " · " not in text:
            break
        heatmap.append(text)
    assert len(heatmap) >= count // 35
    assert all("Leaders" in text and "perform" in text for text in heatmap)
    assert all(any(f"Team {n:03d}" in text for text in heatmap) for n in range(1, count))


def test_a_long_overdue_list_is_cut_in_print_and_says_where_the_rest_are(
    teams: list[Workshop], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import opassess.export.rollup_pdf as rollup_pdf

    monkeypatch.setattr(rollup_pdf, "MAX_OVERDUE_LISTED", 5)
    path = tmp_path / "teams.pdf"
    write_rollup_report(compare(teams), teams, path, filters=Filters(), today=TODAY)
    text = pdf_words(path)
    late = [a for w in teams for acts in w.actions.values() for a in acts if overdue(a)]
    assert f"… and {len(late) - 5} more, less long overdue." in text
    assert "Actions sheet lists every action" in text
