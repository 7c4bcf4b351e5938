"""The Excel workbook: what it holds, that typed text stays text, that failures are safe."""

from __future__ import annotations

import dataclasses
import errno
import os
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opassess import files
from opassess.demo import demo_workshop
from opassess.export import ExportError
from opassess.export.cells import MAX_CELL_CHARS, spreadsheet_text
from opassess.export.xlsx import (
    ACTIONS,
    ACTIONS_HEADER,
    BREAKTHROUGHS,
    DESCRIPTORS,
    DESCRIPTORS_HEADER,
    GAP_HEADER,
    PLAN,
    PLAN_HEADER,
    RATINGS,
    RATINGS_HEADER,
    SHEET_NAMES,
    SUMMARY,
    cell_text,
    write_workbook,
)
from opassess.palette import STAGE_COLOURS
from opassess.workshop import (
    NOT_SURE,
    Rating,
    Workshop,
    adapt_dimension,
    add_action,
    add_participant,
    agree_consensus,
    new_workshop,
    record_rating,
    set_target,
    update_details,
)

NASTY = [
    "=SUM(A1)",
    '=HYPERLINK("http://example.com","click")',
    "+44 20 7946 0000",
    "-1",
    "@cmd",
    "\tindented",
    "\rcarriage",
    "line one\r\nline two",
    "bell\x07 and null\x00 and \x0b\x0c\x1f",
    "<b>bold</b> &amp; &lt;tag&gt; ]]> \"quoted\" 'single'",
    "Siân ap Rhys; Łukasz Żółć; Ελένη Παπαδοπούλου; Ольга Смирнова; Ayşe Yılmaz; فاطمة",
    "Emoji 👩🏽‍💼🚀 and combining é",
    "  leading and trailing spaces  ",
    "DDE =cmd|' /C calc'!A0",
]


def expected(value: str) -> str | None:
    """What a cell holding `value` reads back as: the sanitised text, or empty for blank."""
    return cell_text(value) or None


def load(path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(path)


def rows(sheet, start: int = 1) -> list[tuple]:
    return list(sheet.iter_rows(min_row=start, values_only=True))


def header(sheet, row: int = 1) -> tuple:
    return tuple(c for c in next(sheet.iter_rows(min_row=row, max_row=row, values_only=True)))


def no_formulas(book: openpyxl.Workbook) -> None:
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"


@pytest.fixture
def demo() -> Workshop:
    return demo_workshop(participants=12, held_on=date(2026, 3, 12))


@pytest.fixture
def demo_book(demo: Workshop, tmp_path: Path) -> openpyxl.Workbook:
    path = tmp_path / "demo.xlsx"
    write_workbook(demo, path)
    return load(path)


# -- structure ----------------------------------------------------------------------------------


def test_sheets_in_order_and_properties(demo: Workshop, demo_book: openpyxl.Workbook) -> None:
    assert demo_book.sheetnames == list(SHEET_NAMES)
    assert demo_book.properties.title == demo.title
    assert demo_book.properties.creator == "OpAssess"


def test_header_rows(demo_book: openpyxl.Workbook, demo: Workshop) -> None:
    assert header(demo_book[RATINGS]) == RATINGS_HEADER
    assert header(demo_book[PLAN]) == PLAN_HEADER
    assert header(demo_book[ACTIONS]) == ACTIONS_HEADER
    assert header(demo_book[DESCRIPTORS]) == DESCRIPTORS_HEADER
    summary_header = header(demo_book[SUMMARY], 9)
    stages = tuple(level.name for level in demo.framework.levels)
    assert summary_header == (
        "Barrier",
        "Agreed stage",
        "Target stage",
        GAP_HEADER,
        "Spread (stages)",
        "Disagreement",
        *stages,
        "Not sure",
        "Not rated",
    )
    assert "stages" in GAP_HEADER and "score" not in GAP_HEADER.lower()


def test_every_sheet_frozen_printable_and_sized(demo_book: openpyxl.Workbook) -> None:
    for sheet in demo_book:
        header_row = 9 if sheet.title == SUMMARY else 1
        assert sheet.freeze_panes == f"A{header_row + 1}", sheet.title
        assert sheet.print_title_rows == f"${header_row}:${header_row}", sheet.title
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.fitToWidth == 1
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert not sheet.merged_cells.ranges
        widths = [d.width for d in sheet.column_dimensions.values() if d.width]
        assert widths and all(8 <= w <= 60 for w in widths), sheet.title
    for name in (RATINGS, PLAN, DESCRIPTORS, BREAKTHROUGHS):
        assert demo_book[name].auto_filter.ref.startswith("A1:"), name
    assert demo_book[RATINGS].auto_filter.ref == f"A1:E{demo_book[RATINGS].max_row}"
    evidence = demo_book[RATINGS]["E2"]
    assert demo_book[RATINGS].column_dimensions["E"].width == 60
    assert evidence.alignment.wrap_text


def test_headings_wrap_instead_of_widening_the_printed_sheet(
    demo_book: openpyxl.Workbook,
) -> None:
    sheet = demo_book[SUMMARY]
    headings = {cell.value: cell for cell in sheet[9] if cell.value}
    gap = headings["Gap to target (stages)"]
    # A column of single digits: as wide as the heading's longest word, not its whole text.
    assert sheet.column_dimensions[gap.column_letter].width < len(gap.value)
    assert gap.alignment.wrap_text
    # The heading row is tall enough for the wrapped lines (LibreOffice keeps stored heights).
    assert sheet.row_dimensions[9].height >= 2 * 15
    # A sheet whose headings fit on one line keeps the default height.
    assert demo_book[RATINGS].row_dimensions[1].height is None
    # Counts are centred under them, so a digit never runs into the text beside it.
    count = sheet.cell(10, gap.column)
    assert isinstance(count.value, int) and count.alignment.horizontal == "center"
    assert sheet.cell(10, 1).alignment.horizontal is None  # text keeps its own alignment


def test_a_very_long_stage_name_keeps_the_heading_row_within_a_page(
    demo: Workshop, tmp_path: Path
) -> None:
    """The heading row repeats on every printed page: however long a stage's name, it stays
    no taller than any other row may be."""
    from opassess.frameworks import framework_from_dict, framework_to_dict

    document = framework_to_dict(demo.framework)
    document["levels"][0]["name"] = " ".join(["Stage", *["word"] * 99])
    adapted = dataclasses.replace(demo, framework=framework_from_dict(document))
    write_workbook(adapted, tmp_path / "long.xlsx")
    sheet = load(tmp_path / "long.xlsx")[SUMMARY]
    assert 15 < sheet.row_dimensions[9].height <= 409


def test_stages_beyond_the_six_colours_are_hatched_not_repeated(
    demo: Workshop, tmp_path: Path
) -> None:
    from opassess.frameworks import framework_from_dict, framework_to_dict

    document = framework_to_dict(demo.framework)
    document["levels"] += [{"id": f"extra-{n}", "name": f"Extra {n}"} for n in range(6)]
    nine = dataclasses.replace(demo, framework=framework_from_dict(document))
    write_workbook(nine, tmp_path / "nine.xlsx")
    series = load(tmp_path / "nine.xlsx")[SUMMARY]._charts[0].series
    assert len(series) == 9
    solid = [s.graphicalProperties.solidFill.srgbClr for s in series[:6]]
    assert solid == [colour.lstrip("#") for colour in STAGE_COLOURS]
    for stage, later in enumerate(series[6:]):
        assert later.graphicalProperties.solidFill is None
        hatched = later.graphicalProperties.pattFill
        assert hatched.prst and hatched.fgClr.srgbClr == solid[stage]


def test_summary_details_and_barriers(demo: Workshop, demo_book: openpyxl.Workbook) -> None:
    sheet = demo_book[SUMMARY]
    details = {row[0]: row[1] for row in rows(sheet)[:7]}
    assert details["Workshop"] == demo.title
    assert details["Organisation"] == demo.organisation
    assert details["Team"] == demo.team
    assert details["Date"] == datetime(2026, 3, 12)
    assert details["Facilitator"] == demo.facilitator
    assert details["Participants"] == 12
    assert details["Re-assess by"] == datetime.combine(demo.reassess_on, datetime.min.time())
    assert sheet["B4"].is_date
    framework = demo.framework
    table = rows(sheet, 10)
    assert [row[0] for row in table] == [d.name for d in demo.scoped_dimensions()]
    for row, dimension in zip(table, demo.scoped_dimensions(), strict=True):
        agreed = demo.consensus[dimension.id].stage
        target = demo.targets[dimension.id]
        assert row[1] == framework.level(agreed).name
        assert row[2] == framework.level(target).name
        assert row[3] == framework.level_index(target) - framework.level_index(agreed)
        assert isinstance(row[3], int) and isinstance(row[4], int)
        ratings = demo.ratings_for(dimension.id)
        for offset, level in enumerate(framework.levels):
            assert row[6 + offset] == sum(r.stage == level.id for r in ratings)
        assert row[9] == sum(r.stage == NOT_SURE for r in ratings)
        assert row[10] == len(demo.participants) - len(ratings)


def test_summary_has_a_stacked_bar_chart_of_the_counts(demo_book: openpyxl.Workbook) -> None:
    charts = demo_book[SUMMARY]._charts
    assert len(charts) == 1
    chart = charts[0]
    assert chart.tagname == "barChart"
    assert chart.grouping == "stacked"
    assert len(chart.series) == 3  # one per stage
    fills = [s.graphicalProperties.solidFill.srgbClr for s in chart.series]
    assert fills == [colour.lstrip("#") for colour in STAGE_COLOURS[:3]]  # as on the screens
    refs = [s.val.numRef.f for s in chart.series]
    assert refs[0] == "'Summary'!$G$10:$G$15"
    # Under the table, not over it nor beside it (which would shrink the printed page).
    assert chart.anchor._from.col == 0
    assert chart.anchor._from.row >= demo_book[SUMMARY].max_row


def test_every_rating_once_with_its_evidence(demo: Workshop, demo_book: openpyxl.Workbook) -> None:
    names = demo.display_names()
    got = rows(demo_book[RATINGS], 2)
    wanted = []
    for dimension in demo.scoped_dimensions():
        for rating in demo.ratings_for(dimension.id):
            stage = (
                "Not sure" if rating.stage == NOT_SURE else demo.framework.level(rating.stage).name
            )
            participant = demo.participant(rating.participant_id)
            wanted.append(
                (
                    names[participant.id],
                    participant.role or None,
                    dimension.name,
                    stage,
                    rating.evidence or None,
                )
            )
    assert len(got) == len(demo.ratings) == 12 * 6
    assert sorted(got, key=repr) == sorted(wanted, key=repr)
    assert got == wanted


def test_consensus_plan_and_actions(demo: Workshop, demo_book: openpyxl.Workbook) -> None:
    plan = rows(demo_book[PLAN], 2)
    tracker = rows(demo_book[ACTIONS], 2)
    framework = demo.framework
    position = 0
    for dimension in demo.scoped_dimensions():
        agreed = demo.consensus[dimension.id]
        actions = demo.actions_for(dimension.id)
        assert actions
        first = plan[position]
        assert first[:5] == (
            dimension.name,
            framework.level(agreed.stage).name,
            agreed.rationale,
            agreed.dissent or None,
            framework.level(demo.targets[dimension.id]).name,
        )
        for action in actions:
            row = plan[position]
            assert row[0] == dimension.name
            assert row[5:] == (
                action.text,
                action.responsible,
                action.accountable,
                datetime.combine(action.due_on, datetime.min.time()),
                {"planned": "Planned", "in-progress": "In progress", "done": "Done"}.get(
                    action.status, "Dropped"
                ),
            )
            position += 1
    assert position == len(plan)
    all_actions = [(d, a) for d in demo.scope for a in demo.actions_for(d)]
    assert len(tracker) == len(all_actions)
    for row, (dimension_id, action) in zip(tracker, all_actions, strict=True):
        assert row[0] == action.text
        assert row[1] == framework.dimension(dimension_id).name
        assert row[4] == datetime.combine(action.due_on, datetime.min.time())


def test_due_dates_are_real_dates(demo_book: openpyxl.Workbook) -> None:
    for name, column in ((ACTIONS, "E"), (PLAN, "I")):
        sheet = demo_book[name]
        for cell in sheet[column][1:]:
            assert cell.is_date, (name, cell.coordinate)
            assert cell.data_type == "d" or isinstance(cell.value, datetime)
            assert "yy" in cell.number_format


def test_actions_sheet_is_a_styled_table(demo: Workshop, demo_book: openpyxl.Workbook) -> None:
    sheet = demo_book[ACTIONS]
    assert list(sheet.tables) == ["ActionTracker"]
    table = sheet.tables["ActionTracker"]
    count = sum(len(a) for a in demo.actions.values())
    assert table.ref == f"A1:F{count + 1}"
    assert table.tableStyleInfo.name.startswith("TableStyle")
    assert [c.name for c in table.tableColumns] == list(ACTIONS_HEADER)


def test_actions_table_without_any_action(workshop: Workshop, tmp_path: Path) -> None:
    bare = dataclasses.replace(workshop, actions={})
    write_workbook(bare, tmp_path / "none.xlsx")
    book = load(tmp_path / "none.xlsx")
    assert book[ACTIONS].tables["ActionTracker"].ref == "A1:F2"
    plan = rows(book[PLAN], 2)
    assert len(plan) == len(workshop.scope)


def test_descriptors_and_breakthroughs(demo: Workshop, demo_book: openpyxl.Workbook) -> None:
    got = rows(demo_book[DESCRIPTORS], 2)
    wanted = [
        (d.name, level.name, line)
        for d in demo.scoped_dimensions()
        for level in demo.framework.levels
        for line in d.descriptors.get(level.id, ())
    ]
    assert got == wanted and got
    breakthroughs = rows(demo_book[BREAKTHROUGHS])
    assert breakthroughs[0][:2] == ("Number", "Breakthrough")
    suggested = [row[4] for row in breakthroughs[1:]]
    for suggestion in demo.framework.suggestions:
        for action in suggestion.actions:
            assert action in suggested


def test_only_barriers_in_scope(workshop: Workshop, tmp_path: Path) -> None:
    from opassess.workshop import set_scope

    first = workshop.framework.dimensions[0]
    narrowed = set_scope(workshop, [first.id])
    write_workbook(narrowed, tmp_path / "one.xlsx")
    book = load(tmp_path / "one.xlsx")
    assert [row[0] for row in rows(book[SUMMARY], 10)] == [first.name]
    assert {row[0] for row in rows(book[DESCRIPTORS], 2)} == {first.name}


# -- text stays text ------------------------------------------------------------------------------


def adversarial_workshop(framework, text: str) -> Workshop:
    """Every text field of a workshop holding `text` (kept valid where a field must be)."""
    name = text.strip()[:200] or "x"
    ws = new_workshop(
        framework,
        title=text if text.strip() else "x",
        organisation=text,
        team=text,
        facilitator=text,
        held_on=date(2026, 1, 5),
    )
    ws = update_details(ws, reassess_on=date(2026, 7, 5))
    ws = add_participant(ws, name, text)
    ws = add_participant(ws, "Second person", "")
    barrier = framework.dimensions[0].id
    ws = adapt_dimension(
        ws,
        barrier,
        name=name,
        descriptors={framework.levels[0].id: [text if text.strip() else "x"]},
    )
    first, second = ws.participants
    ws = record_rating(ws, first.id, barrier, "starting", text)
    ws = record_rating(ws, second.id, barrier, NOT_SURE, text)
    ws = agree_consensus(ws, barrier, "starting", text, text)
    ws = set_target(ws, barrier, "developing")
    return add_action(
        ws,
        barrier,
        text if text.strip() else "x",
        responsible=text,
        accountable=text,
        due_on=date(2026, 4, 1),
    )


def check_text_everywhere(ws: Workshop, text: str, path: Path) -> None:
    write_workbook(ws, path)
    book = load(path)
    no_formulas(book)
    want = expected(text.strip() if not text.strip() else text)
    sheet = book[SUMMARY]
    for row in (2, 3, 5):  # organisation, team, facilitator (stored stripped)
        assert sheet.cell(row, 2).value == expected(text.strip())
    for row in book[RATINGS].iter_rows(min_row=2):
        evidence = row[4]
        assert evidence.value == want
        if want is not None:
            assert evidence.data_type == "s"
    first = next(book[RATINGS].iter_rows(min_row=2, max_row=2))
    assert first[1].value == expected(text.strip())  # role
    plan = next(book[PLAN].iter_rows(min_row=2, max_row=2))
    assert plan[2].value == want and plan[3].value == want  # rationale, dissent
    assert plan[6].value == expected(text.strip())  # responsible
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert cell.data_type == "s"
                    assert len(cell.value) <= MAX_CELL_CHARS


@pytest.mark.parametrize("text", NASTY)
def test_adversarial_text_reads_back_as_typed(framework, text: str, tmp_path: Path) -> None:
    ws = adversarial_workshop(framework, text)
    check_text_everywhere(ws, text, tmp_path / "nasty.xlsx")


@pytest.mark.parametrize("text", ["=SUM(A1)", "+1", "-1", "@x", "\tx", "\rx"])
def test_formula_like_evidence_is_a_string_exactly(workshop: Workshop, text, tmp_path) -> None:
    first = workshop.participants[0]
    barrier = workshop.framework.dimensions[0].id
    ws = record_rating(workshop, first.id, barrier, "starting", text)
    write_workbook(ws, tmp_path / "f.xlsx")
    cell = load(tmp_path / "f.xlsx")[RATINGS]["E2"]
    assert cell.value == text
    assert cell.data_type == "s"


def test_forbidden_characters_are_replaced_visibly(workshop: Workshop, tmp_path: Path) -> None:
    first = workshop.participants[0]
    barrier = workshop.framework.dimensions[0].id
    ws = record_rating(workshop, first.id, barrier, "starting", "a\x00b\x08c\x1fd\ufffe\ud800e")
    write_workbook(ws, tmp_path / "c.xlsx")
    assert load(tmp_path / "c.xlsx")[RATINGS]["E2"].value == "a\ufffdb\ufffdc\ufffdd\ufffd\ufffde"


def test_huge_evidence_is_cut_with_a_mark(workshop: Workshop, tmp_path: Path) -> None:
    first = workshop.participants[0]
    barrier = workshop.framework.dimensions[0].id
    # more than a cell holds, as a library from before the evidence limit may have it
    huge = Rating(first.id, barrier, "starting", "=" + "e" * 99_999)
    ws = dataclasses.replace(workshop, ratings={**workshop.ratings, (first.id, barrier): huge})
    write_workbook(ws, tmp_path / "big.xlsx")
    cell = load(tmp_path / "big.xlsx")[RATINGS]["E2"]
    assert len(cell.value) == MAX_CELL_CHARS
    assert cell.value.startswith("=eee") and cell.value.endswith("…")
    assert cell.data_type == "s"


def test_huge_emoji_evidence_fits_excel_limit_in_utf16_units() -> None:
    text = cell_text("🚀" * 40_000)
    assert len(text.encode("utf-16-le")) // 2 <= MAX_CELL_CHARS
    assert text.endswith("…") and text.startswith("🚀")
    assert cell_text("short") == spreadsheet_text("short")


@given(st.text(max_size=60) | st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_text_passed_through_unscanned_is_already_safe(value: str) -> None:
    """cell_text returns printable text as it is: it must be exactly what the scans give."""
    scanned = spreadsheet_text(value)
    scanned = "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in scanned)
    assert cell_text(value) == scanned


def test_control_characters_lone_surrogates_and_non_characters_are_still_replaced() -> None:
    for bad in ("\x00", "\x1f", "\ud83d", "\ufffe", "\uffff"):
        assert cell_text(f"ab{bad}cd") == "ab\ufffdcd"
    assert cell_text("two\nlines\tand a tab") == "two\nlines\tand a tab"


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    names=st.lists(
        st.text(min_size=1, max_size=40).filter(lambda s: s.strip()), min_size=1, max_size=4
    ),
    evidence=st.lists(st.text(max_size=200), min_size=4, max_size=4),
)
def test_any_names_and_evidence_read_back(framework, tmp_path, names, evidence) -> None:
    ws = new_workshop(framework, title=names[0])
    for name in names:
        ws = add_participant(ws, name, evidence[0])
    barrier = framework.dimensions[1].id
    for participant, text in zip(ws.participants, evidence, strict=False):
        ws = record_rating(ws, participant.id, barrier, "developing", text)
    path = tmp_path / "any.xlsx"
    write_workbook(ws, path)
    book = load(path)
    no_formulas(book)
    got = rows(book[RATINGS], 2)
    shown = ws.display_names()
    assert got == [
        (
            expected(shown[p.id]),
            expected(evidence[0].strip()),
            framework.dimensions[1].name,
            "Developing",
            expected(text),
        )
        for p, text in zip(ws.participants, evidence, strict=False)
    ]
    assert book.properties.title == cell_text(names[0].strip())


def test_demo_workbook_has_no_formulas(demo_book: openpyxl.Workbook) -> None:
    no_formulas(demo_book)


# -- failing safely -------------------------------------------------------------------------------


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_missing_folder_is_a_plain_error(workshop: Workshop, tmp_path: Path) -> None:
    with pytest.raises(ExportError) as caught:
        write_workbook(workshop, tmp_path / "gone" / "plan.xlsx")
    assert str(caught.value) == "Could not write plan.xlsx: the folder does not exist."
    assert not (tmp_path / "gone").exists()
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0, reason="needs POSIX permissions and not root"
)
def test_read_only_folder_is_a_plain_error(workshop: Workshop, tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(ExportError) as caught:
            write_workbook(workshop, folder / "plan.xlsx")
        assert "Could not write plan.xlsx: permission denied" in str(caught.value)
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def test_full_disk_leaves_the_old_file_unchanged(
    workshop: Workshop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(b"the earlier export")

    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "replace", no_space)
    with pytest.raises(ExportError) as caught:
        write_workbook(workshop, path)
    assert str(caught.value) == "Could not write plan.xlsx: the disk is full."
    assert path.read_bytes() == b"the earlier export"
    assert leftovers(tmp_path) == []


def test_failure_while_writing_the_temp_file(
    workshop: Workshop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(b"old")

    def no_space(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", no_space)
    with pytest.raises(ExportError, match="the disk is full"):
        write_workbook(workshop, path)
    assert path.read_bytes() == b"old"
    assert leftovers(tmp_path) == []


def test_overwrites_an_earlier_export(workshop: Workshop, tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(b"old")
    write_workbook(workshop, path)
    assert load(path).sheetnames == list(SHEET_NAMES)
    assert leftovers(tmp_path) == []


def test_sheet_names_do_not_depend_on_barrier_names(framework, tmp_path: Path) -> None:
    ws = new_workshop(framework, title="t")
    for dimension in framework.dimensions:
        ws = adapt_dimension(ws, dimension.id, name="Sheet/[1]:*?' " + "x" * 40)
    write_workbook(ws, tmp_path / "names.xlsx")
    assert load(tmp_path / "names.xlsx").sheetnames == list(SHEET_NAMES)


# -- another spreadsheet program can open it ------------------------------------------------


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_ratings(demo: Workshop, tmp_path: Path) -> None:
    path = tmp_path / "demo.xlsx"
    write_workbook(demo, path)
    out = tmp_path / "out"
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out), str(path)],
        check=True,
        timeout=120,
        capture_output=True,
    )
    assert (out / "demo.pdf").stat().st_size > 1000


def test_rows_of_long_evidence_are_tall_enough(workshop: Workshop, tmp_path: Path) -> None:
    """Another spreadsheet program keeps a row at its stored height: wrapped text needs room."""
    pid = workshop.participants[0].id
    workshop = record_rating(workshop, pid, workshop.scope[0], "starting", "word " * 200)
    workshop = record_rating(workshop, pid, workshop.scope[1], "starting", "Short.")
    path = tmp_path / "tall.xlsx"
    write_workbook(workshop, path)
    sheet = openpyxl.load_workbook(path)["Ratings"]
    heights = {
        row[4].value: sheet.row_dimensions[row[0].row].height
        for row in sheet.iter_rows(min_row=2)
        if row[0].value
    }
    assert heights["Short."] is None  # one line: the default height
    assert heights[("word " * 200)] >= 15 * 12


def test_a_re_assessments_workbook_has_a_movement_sheet(tmp_path: Path) -> None:
    from opassess.export.xlsx import MOVEMENT, MOVEMENT_HEADER
    from opassess.workshop import agree_consensus, start_reassessment

    earlier = demo_workshop()
    later = start_reassessment(earlier, held_on=date(2027, 5, 11))
    for dimension, agreed in earlier.consensus.items():
        later = agree_consensus(later, dimension, agreed.stage)
    later = agree_consensus(later, "no-time-to-learn", "developing", confirm_below=True)
    write_workbook(later, tmp_path / "again.xlsx", earlier)
    book = load(tmp_path / "again.xlsx")
    assert book.sheetnames == [*SHEET_NAMES[:3], MOVEMENT, *SHEET_NAMES[3:]]
    found = rows(book[MOVEMENT])
    assert found[0] == MOVEMENT_HEADER
    moved = [row for row in found if row[3] == "forward one stage"]
    assert moved and moved[0][:3] == ("There's no time to learn", "Starting", "Developing")
    assert sum(1 for row in found[1:] if row[5]) == sum(map(len, earlier.actions.values()))
    write_workbook(later, tmp_path / "alone.xlsx")
    assert load(tmp_path / "alone.xlsx").sheetnames == list(SHEET_NAMES)


def test_the_movement_sheet_carries_what_became_of_each_of_last_times_actions(
    tmp_path: Path,
) -> None:
    from opassess.export.xlsx import MOVEMENT, MOVEMENT_HEADER
    from opassess.workshop import record_follow_up, start_reassessment

    earlier = demo_workshop()
    later = start_reassessment(earlier, held_on=date(2027, 5, 11))
    actions = [a for d in earlier.scope for a in earlier.actions_for(d)]
    done, partly, formula, *rest = actions
    later = record_follow_up(later, done.id, "done", "Signed off in March")
    later = record_follow_up(later, partly.id, "partly", "Two of five teams")
    later = record_follow_up(later, formula.id, "not-done", "=no budget")
    write_workbook(later, tmp_path / "again.xlsx", earlier)
    book = load(tmp_path / "again.xlsx")
    sheet = book[MOVEMENT]
    assert header(sheet) == MOVEMENT_HEADER
    assert MOVEMENT_HEADER[5:] == (
        "Last time's action",
        "Responsible",
        "Due",
        "What became of it",
        "Note",
    )
    found = {row[5]: row[5:] for row in rows(sheet, 2) if row[5]}
    assert len(found) == len(actions)
    assert found[done.text] == (
        done.text,
        done.responsible,
        datetime.combine(done.due_on, datetime.min.time()),  # a real date cell
        "Done",
        "Signed off in March",
    )
    assert found[partly.text][3:] == ("Partly done", "Two of five teams")
    assert found[formula.text][3:] == ("Not done", "=no budget")
    for action in rest:
        assert found[action.text][3:] == ("Not marked yet", None)
    assert not any("as recorded then" in str(v) for row in rows(sheet) for v in row)
    no_formulas(book)
