"""Spreadsheet rating forms: written per participant, filled in, read back as one edit."""

from __future__ import annotations

import dataclasses
import re
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from opassess.demo import demo_workshop
from opassess.export import ExportError
from opassess.export.rating_forms import (
    DATA_SHEET,
    FIRST_BARRIER_ROW,
    FORM_SHEET,
    FormAnswers,
    RatingFormError,
    apply_rating_forms,
    import_rating_forms,
    read_rating_forms,
    write_rating_forms,
)
from opassess.files import safe_file_stem
from opassess.workshop import (
    NOT_SURE,
    Workshop,
    adapt_dimension,
    add_participant,
    remove_participant,
    set_scope,
)


@pytest.fixture
def demo() -> Workshop:
    """The demo team without ratings, plus a participant with a Welsh name."""
    ws = dataclasses.replace(demo_workshop(participants=4), ratings={})
    return add_participant(ws, "Siân ap Rhys", "Head of Housing")


def fill(path: Path, answers: dict[int, tuple[object, object]]) -> None:
    """Fill a form as a participant would: row offset -> (stage, evidence)."""
    book = openpyxl.load_workbook(path)
    sheet = book[FORM_SHEET]
    for offset, (stage, evidence) in answers.items():
        row = FIRST_BARRIER_ROW + offset
        sheet[f"C{row}"] = stage
        sheet[f"D{row}"] = evidence
    book.save(path)


def problem_lines(error: pytest.ExceptionInfo[RatingFormError]) -> list[str]:
    return str(error.value).splitlines()[1:]


def test_filled_forms_round_trip_into_ratings(demo: Workshop, tmp_path: Path) -> None:
    paths = write_rating_forms(demo, tmp_path)
    assert len(paths) == len(demo.participants)
    dims = [d.id for d in demo.scoped_dimensions()]
    first, siân = demo.participants[0], demo.participants[-1]
    fill(
        paths[0],
        {
            0: ("Starting", "Item 9 of 10 at CMT."),
            1: ("  developing ", "=1+1"),
            2: ("not sure", None),
            3: ("consolidating", ""),
        },
    )
    fill(paths[-1], {0: ("NOT SURE", "Cannot judge yet — ŵ ŷ 中文"), 5: ("developing", 42)})

    result = import_rating_forms(demo, paths)

    expected = {
        (first.id, dims[0]): ("starting", "Item 9 of 10 at CMT."),
        (first.id, dims[1]): ("developing", "=1+1"),
        (first.id, dims[2]): (NOT_SURE, ""),
        (first.id, dims[3]): ("consolidating", ""),
        (siân.id, dims[0]): (NOT_SURE, "Cannot judge yet — ŵ ŷ 中文"),
        (siân.id, dims[5]): ("developing", "42"),
    }
    got = {key: (r.stage, r.evidence) for key, r in result.ratings.items()}
    assert got == expected
    assert demo.ratings == {}  # a pure edit: the original is untouched


def test_formula_looking_evidence_is_read_as_text_and_written_as_text(
    demo: Workshop, tmp_path: Path
) -> None:
    demo = adapt_dimension(demo, demo.scope[0], name='=HYPERLINK("x")')
    path = write_rating_forms(demo, tmp_path)[0]
    book = openpyxl.load_workbook(path)
    name_cell = book[FORM_SHEET][f"A{FIRST_BARRIER_ROW}"]
    assert name_cell.value == '=HYPERLINK("x")' and name_cell.data_type == "s"
    fill(path, {0: ("Developing", "=SUM(A1:A3)")})
    (form,) = read_rating_forms(demo, [path])
    assert form.answers == ((demo.scope[0], "developing", "=SUM(A1:A3)"),)


def test_level_ids_are_accepted(demo: Workshop, tmp_path: Path) -> None:
    path = write_rating_forms(demo, tmp_path)[0]
    fill(path, {0: ("consolidating", "x"), 1: ("not-sure", "")})
    (form,) = read_rating_forms(demo, [path])
    assert [a[1] for a in form.answers] == ["consolidating", NOT_SURE]


def test_form_layout_drop_down_hidden_sheet_and_protection(demo: Workshop, tmp_path: Path) -> None:
    path = write_rating_forms(demo, tmp_path)[0]
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [FORM_SHEET, DATA_SHEET]
    assert book[DATA_SHEET].sheet_state == "hidden"
    assert book[DATA_SHEET]["B3"].value == demo.id
    assert book[DATA_SHEET]["B5"].value == demo.participants[0].id
    sheet = book[FORM_SHEET]
    text = " ".join(str(sheet[f"A{row}"].value) for row in range(1, 5)).casefold()
    assert "drop-down" in text and "not sure" in text and "evidence" in text
    assert "facilitator" in text
    assert sheet["B5"].value == demo.participants[0].name
    assert sheet["D5"].value == demo.participants[0].role

    dims = demo.scoped_dimensions()
    last = FIRST_BARRIER_ROW + len(dims) - 1
    for offset, dimension in enumerate(dims):
        row = FIRST_BARRIER_ROW + offset
        assert sheet[f"A{row}"].value == dimension.name
        assert sheet[f"B{row}"].value == dimension.question
        assert "Starting:" in sheet[f"E{row}"].value
        assert sheet[f"D{row}"].alignment.wrap_text
        assert not sheet[f"C{row}"].protection.locked
        assert not sheet[f"D{row}"].protection.locked
        assert sheet[f"A{row}"].protection.locked
    assert sheet.protection.sheet

    (validation,) = sheet.data_validations.dataValidation
    assert validation.type == "list"
    assert str(validation.sqref) == f"C{FIRST_BARRIER_ROW}:C{last}"
    assert validation.formula1 == '"Starting,Developing,Consolidating,Not sure"'
    assert validation.showErrorMessage and validation.error
    assert validation.showInputMessage and validation.prompt


def test_rows_follow_the_scope_in_framework_order(demo: Workshop, tmp_path: Path) -> None:
    ids = demo.framework.dimension_ids
    scoped = set_scope(demo, [ids[4], ids[1]])
    book = openpyxl.load_workbook(write_rating_forms(scoped, tmp_path)[0])
    sheet = book[FORM_SHEET]
    names = [sheet[f"A{FIRST_BARRIER_ROW + i}"].value for i in range(3)]
    assert names == [
        scoped.framework.dimension(ids[1]).name,
        scoped.framework.dimension(ids[4]).name,
        None,
    ]


def test_file_names_are_safe_and_distinct(demo: Workshop, tmp_path: Path) -> None:
    ws = add_participant(demo, "a/b:c*?", "")
    ws = add_participant(ws, "a\\b:c*?", "")  # the same file name once made safe
    paths = write_rating_forms(ws, tmp_path)
    assert len({p.name.casefold() for p in paths}) == len(paths)
    for path in paths:
        assert path.exists() and path.parent == tmp_path
        assert path.name == safe_file_stem(path.stem) + ".xlsx"
        assert path.name.startswith(safe_file_stem(ws.title))
    assert paths[-2].name == f"{ws.title} - a-b-c--.xlsx"
    assert paths[-1].name == f"{ws.title} - a-b-c-- (2).xlsx"
    assert any("Siân ap Rhys" in p.name for p in paths)


def test_unwritable_folder_is_a_plain_export_error(demo: Workshop, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"Could not write the rating forms: .*folder"):
        write_rating_forms(demo, tmp_path / "missing")


def test_a_disk_that_fills_part_way_leaves_no_forms_half_written(
    demo: Workshop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    import opassess.files

    real = opassess.files._staged_copy
    written: list[Path] = []

    def fills_up(path: Path, data: bytes) -> Path:
        if len(written) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        written.append(path)
        return real(path, data)

    monkeypatch.setattr(opassess.files, "_staged_copy", fills_up)
    earlier = tmp_path / "kept.xlsx"
    earlier.write_bytes(b"a form sent last week")
    with pytest.raises(ExportError) as refused:
        write_rating_forms(demo, tmp_path)
    message = str(refused.value)
    assert "the disk is full" in message and f"None of the {len(demo.participants)}" in message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.xlsx"]  # no form, no temp file
    assert earlier.read_bytes() == b"a form sent last week"


def test_bad_stage_names_file_sheet_and_cell(demo: Workshop, tmp_path: Path) -> None:
    path = write_rating_forms(demo, tmp_path)[-1]
    fill(path, {0: ("Sometimes", "x")})
    with pytest.raises(RatingFormError) as error:
        read_rating_forms(demo, [path])
    assert problem_lines(error) == [
        f"{path.name}, sheet 'Rating form', cell C{FIRST_BARRIER_ROW}: 'Sometimes' is not a "
        "stage; choose Starting, Developing, Consolidating or Not sure."
    ]
    assert "Siân ap Rhys.xlsx" in str(error.value)


def test_evidence_without_stage_and_too_much_evidence(demo: Workshop, tmp_path: Path) -> None:
    path = write_rating_forms(demo, tmp_path)[0]
    fill(path, {0: (None, "seen it"), 1: ("Starting", "x" * 20_001)})
    with pytest.raises(RatingFormError) as error:
        read_rating_forms(demo, [path])
    first, second = problem_lines(error)
    assert first.startswith(f"{path.name}, sheet 'Rating form', cell C{FIRST_BARRIER_ROW}: ")
    assert "no stage" in first
    assert second.startswith(f"{path.name}, sheet 'Rating form', cell D{FIRST_BARRIER_ROW + 1}: ")
    assert "too long" in second


def test_not_an_xlsx_and_not_a_rating_form(demo: Workshop, tmp_path: Path) -> None:
    text = tmp_path / "notes.xlsx"
    text.write_text("hello", encoding="utf-8")
    plain = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(plain)
    missing = tmp_path / "gone.xlsx"
    with pytest.raises(RatingFormError) as error:
        read_rating_forms(demo, [text, plain, missing])
    lines = problem_lines(error)
    assert lines[0].startswith("notes.xlsx: not an Excel workbook")
    assert lines[1].startswith("plain.xlsx: not an OpAssess rating form")
    assert lines[2].startswith("gone.xlsx: could not be read: the file does not exist")


def test_wrong_format_version(demo: Workshop, tmp_path: Path) -> None:
    path = write_rating_forms(demo, tmp_path)[0]
    book = openpyxl.load_workbook(path)
    book[DATA_SHEET]["B2"] = "99"
    book.save(path)
    with pytest.raises(RatingFormError, match=r"sheet 'opassess', cell B2: this form's format"):
        read_rating_forms(demo, [path])


def test_form_for_another_workshop_is_refused(demo: Workshop, tmp_path: Path) -> None:
    other = dataclasses.replace(demo, id="another-id", title="Last year's workshop")
    (tmp_path / "other").mkdir()
    path = write_rating_forms(other, tmp_path / "other")[0]
    with pytest.raises(RatingFormError) as error:
        read_rating_forms(demo, [path])
    (line,) = problem_lines(error)
    assert line.startswith(f"{path.name}, sheet 'opassess', cell B3: ")
    assert "another workshop, “Last year's workshop”" in line


def test_participant_not_in_workshop_is_refused(demo: Workshop, tmp_path: Path) -> None:
    path = write_rating_forms(demo, tmp_path)[-1]
    gone = remove_participant(demo, demo.participants[-1].id)
    with pytest.raises(RatingFormError) as error:
        read_rating_forms(gone, [path])
    (line,) = problem_lines(error)
    assert line.startswith(f"{path.name}, sheet 'opassess', cell B5: ")
    assert "“Siân ap Rhys”, who is not in this workshop" in line


def test_barrier_out_of_scope_or_unknown(demo: Workshop, tmp_path: Path) -> None:
    path = write_rating_forms(demo, tmp_path)[0]
    fill(path, {0: ("Starting", ""), 1: ("Starting", "")})
    narrowed = set_scope(demo, demo.scope[1:])
    with pytest.raises(RatingFormError) as error:
        read_rating_forms(narrowed, [path])
    (line,) = problem_lines(error)
    name = demo.scoped_dimensions()[0].name
    assert line == (
        f"{path.name}, sheet 'Rating form', cell A{FIRST_BARRIER_ROW}: “{name}” is not in scope "
        "for this workshop; bring it back into scope or clear that row."
    )

    book = openpyxl.load_workbook(path)
    book[DATA_SHEET]["B10"] = "made-up-barrier"
    book.save(path)
    with pytest.raises(RatingFormError) as error:
        read_rating_forms(demo, [path])
    (line,) = problem_lines(error)
    assert line == (
        f"{path.name}, sheet 'opassess', cell B10: 'made-up-barrier' is not a barrier of this "
        "workshop."
    )


def test_unanswered_rows_out_of_scope_are_ignored(demo: Workshop, tmp_path: Path) -> None:
    path = write_rating_forms(demo, tmp_path)[0]
    fill(path, {1: ("Starting", "")})
    narrowed = set_scope(demo, demo.scope[1:])
    (form,) = read_rating_forms(narrowed, [path])
    assert form.answers == ((demo.scope[1], "starting", ""),)


def test_same_participant_twice_is_refused(demo: Workshop, tmp_path: Path) -> None:
    path = write_rating_forms(demo, tmp_path)[0]
    copy = tmp_path / "copy.xlsx"
    copy.write_bytes(path.read_bytes())
    with pytest.raises(RatingFormError) as error:
        read_rating_forms(demo, [path, copy])
    (line,) = problem_lines(error)
    assert line.startswith("copy.xlsx, sheet 'opassess', cell B5: this is a second form for ")
    assert path.name in line


def test_one_bad_file_means_nothing_is_applied(demo: Workshop, tmp_path: Path) -> None:
    paths = write_rating_forms(demo, tmp_path)
    fill(paths[0], {0: ("Starting", "fine")})
    fill(paths[1], {0: ("Developing", "fine")})
    fill(paths[2], {3: ("Often", "bad")})
    before = demo
    with pytest.raises(RatingFormError) as error:
        import_rating_forms(demo, paths)
    assert demo is before and demo.ratings == {}
    (line,) = problem_lines(error)
    assert line.startswith(f"{paths[2].name}, sheet 'Rating form', cell C{FIRST_BARRIER_ROW + 3}")
    assert "nothing was imported" in str(error.value)


def test_problems_are_capped(demo: Workshop, tmp_path: Path) -> None:
    paths = write_rating_forms(demo, tmp_path)
    for path in paths:
        fill(path, {i: ("Often", "") for i in range(6)})
    with pytest.raises(RatingFormError) as error:
        read_rating_forms(demo, paths)
    lines = problem_lines(error)
    assert len(lines) == 11 and lines[-1].startswith("There may be more problems")


def test_apply_is_a_pure_edit_replacing_earlier_answers(demo: Workshop) -> None:
    pid, did = demo.participants[0].id, demo.scope[0]
    form = FormAnswers(pid, ((did, "starting", "first"),), "a.xlsx")
    once = apply_rating_forms(demo, [form])
    again = apply_rating_forms(once, [FormAnswers(pid, ((did, NOT_SURE, ""),), "b.xlsx")])
    assert once.rating(pid, did).evidence == "first"
    assert (again.rating(pid, did).stage, again.rating(pid, did).evidence) == (NOT_SURE, "")
    assert demo.ratings == {}


def test_stage_names_with_commas_use_the_list_on_the_hidden_sheet(
    demo: Workshop, tmp_path: Path
) -> None:
    levels = tuple(
        dataclasses.replace(level, name=f"{level.name}, more or less")
        for level in demo.framework.levels
    )
    ws = dataclasses.replace(demo, framework=dataclasses.replace(demo.framework, levels=levels))
    path = write_rating_forms(ws, tmp_path)[0]
    book = openpyxl.load_workbook(path)
    (validation,) = book[FORM_SHEET].data_validations.dataValidation
    assert validation.formula1 == "'opassess'!$E$2:$E$5"
    choices = [book[DATA_SHEET][f"E{row}"].value for row in range(2, 6)]
    assert choices == [level.name for level in levels] + ["Not sure"]
    fill(path, {0: ("developing, MORE or less", "")})
    (form,) = read_rating_forms(ws, [path])
    assert form.answers == ((ws.scope[0], "developing", ""),)


def test_renamed_form_sheet_is_named_in_the_problem(demo: Workshop, tmp_path: Path) -> None:
    path = write_rating_forms(demo, tmp_path)[0]
    book = openpyxl.load_workbook(path)
    book[FORM_SHEET].title = "My answers"
    book.save(path)
    with pytest.raises(RatingFormError) as error:
        read_rating_forms(demo, [path])
    (line,) = problem_lines(error)
    assert line.startswith(f"{path.name}: the sheet 'Rating form' is missing or was renamed")


def test_forms_already_in_the_folder_can_be_left_alone(demo: Workshop, tmp_path: Path) -> None:
    from opassess.export.rating_forms import rating_form_paths

    first = write_rating_forms(demo, tmp_path)
    assert first == list(rating_form_paths(demo, tmp_path).values())
    first[0].write_bytes(b"filled in by hand")
    assert write_rating_forms(demo, tmp_path, keep_existing=True) == []
    assert first[0].read_bytes() == b"filled in by hand"
    assert write_rating_forms(demo, tmp_path) == first  # replaced when asked to
    assert first[0].read_bytes() != b"filled in by hand"


# -- what a person might do to a form in a spreadsheet -----------------------------------------
#
# Each edit is what someone could do in Excel after taking the sheet's protection off (it has no
# password). Every one either lands each answer on the barrier named on its row or is refused,
# naming the sheet and the cell: no answer ever lands on another barrier.

ANSWERS = ("Starting", "Developing", "Consolidating", "Not sure", "Developing", "Starting")
STAGE_IDS = {"Starting": "starting", "Developing": "developing", "Consolidating": "consolidating"}


def edit(path: Path, change: Callable[[Any], object]) -> None:
    """Open a form, take the protection off as a person can, change it and save it."""
    book = openpyxl.load_workbook(path)
    book.security = None
    book[FORM_SHEET].protection.sheet = False
    change(book)
    book.save(path)


def row_of(sheet: Any, name: str) -> int:
    """The row of 'Rating form' that names a barrier in column A."""
    (row,) = [cell.row for cell in sheet["A"] if cell.value == name]
    return row


def answer_every_barrier(demo: Workshop, path: Path) -> None:
    """Answer each barrier by its name, with evidence naming it."""

    def answer(book: Any) -> None:
        sheet = book[FORM_SHEET]
        for dimension, stage in zip(demo.scoped_dimensions(), ANSWERS, strict=True):
            row = row_of(sheet, dimension.name)
            sheet[f"C{row}"] = stage
            sheet[f"D{row}"] = f"About {dimension.name}."

    edit(path, answer)


def assert_on_their_barriers(demo: Workshop, form: FormAnswers) -> None:
    expected = {
        dimension.id: (STAGE_IDS.get(stage, NOT_SURE), f"About {dimension.name}.")
        for dimension, stage in zip(demo.scoped_dimensions(), ANSWERS, strict=True)
    }
    assert {dim: (stage, evidence) for dim, stage, evidence in form.answers} == expected


def refusal(demo: Workshop, path: Path) -> list[str]:
    with pytest.raises(RatingFormError) as error:
        read_rating_forms(demo, [path])
    assert "nothing was imported" in str(error.value)
    return problem_lines(error)


def test_a_row_inserted_after_answering_keeps_answers_on_their_barriers(
    demo: Workshop, tmp_path: Path
) -> None:
    path = write_rating_forms(demo, tmp_path)[0]
    answer_every_barrier(demo, path)

    def insert_rows(book: Any) -> None:
        sheet = book[FORM_SHEET]
        sheet.insert_rows(FIRST_BARRIER_ROW + 2)
        sheet.insert_rows(FIRST_BARRIER_ROW)
        sheet[f"A{FIRST_BARRIER_ROW}"] = "My notes for the workshop"  # a note, no answer

    edit(path, insert_rows)
    (form,) = read_rating_forms(demo, [path])
    assert_on_their_barriers(demo, form)


def test_answers_typed_after_inserting_a_row_land_on_the_barrier_beside_them(
    demo: Workshop, tmp_path: Path
) -> None:
    path = write_rating_forms(demo, tmp_path)[0]
    edit(path, lambda book: book[FORM_SHEET].insert_rows(FIRST_BARRIER_ROW + 1, amount=2))
    answer_every_barrier(demo, path)
    (form,) = read_rating_forms(demo, [path])
    assert_on_their_barriers(demo, form)


def test_an_answer_on_an_inserted_row_with_no_barrier_is_refused(
    demo: Workshop, tmp_path: Path
) -> None:
    path = write_rating_forms(demo, tmp_path)[0]
    row = FIRST_BARRIER_ROW + 1

    def insert_and_answer(book: Any) -> None:
        book[FORM_SHEET].insert_rows(row)
        book[FORM_SHEET][f"C{row}"] = "Developing"

    edit(path, insert_and_answer)
    assert refusal(demo, path) == [
        f"{path.name}, sheet 'Rating form', cell C{row}: an answer on a row with no barrier "
        "named in column A; put it on the row of the barrier it is for."
    ]


def test_a_deleted_row_is_refused_naming_the_missing_barrier(
    demo: Workshop, tmp_path: Path
) -> None:
    path = write_rating_forms(demo, tmp_path)[0]
    answer_every_barrier(demo, path)
    edit(path, lambda book: book[FORM_SHEET].delete_rows(FIRST_BARRIER_ROW + 1))
    lost = demo.scoped_dimensions()[1].name
    assert refusal(demo, path) == [
        f"{path.name}, sheet 'Rating form': the barrier “{lost}” is missing (it was on row "
        f"{FIRST_BARRIER_ROW + 1}); put its row back, or fill in a fresh copy of the form."
    ]


def test_rows_moved_into_another_order_keep_answers_on_their_barriers(
    demo: Workshop, tmp_path: Path
) -> None:
    path = write_rating_forms(demo, tmp_path)[0]
    answer_every_barrier(demo, path)
    first, last = FIRST_BARRIER_ROW, FIRST_BARRIER_ROW + len(demo.scope) - 1

    def swap_first_and_last_and_move_one_down(book: Any) -> None:
        sheet = book[FORM_SHEET]
        sheet.move_range(f"A{first}:E{first}", rows=40)  # cut the first row out of the way
        sheet.move_range(f"A{last}:E{last}", rows=first - last)  # the last into its place
        sheet.move_range(f"A{first + 40}:E{first + 40}", rows=last - first - 40)
        sheet.move_range(f"A{first + 2}:E{first + 2}", rows=30)  # one far below, a gap left

    edit(path, swap_first_and_last_and_move_one_down)
    sheet = openpyxl.load_workbook(path)[FORM_SHEET]
    assert sheet[f"A{first}"].value == demo.scoped_dimensions()[-1].name
    assert sheet[f"A{first + 2}"].value is None
    (form,) = read_rating_forms(demo, [path])
    assert_on_their_barriers(demo, form)


def test_a_barrier_copied_onto_a_second_row_is_refused(demo: Workshop, tmp_path: Path) -> None:
    path = write_rating_forms(demo, tmp_path)[0]
    row = FIRST_BARRIER_ROW + len(demo.scope) + 1

    def copy_first_row(book: Any) -> None:
        sheet = book[FORM_SHEET]
        for column in "ABCDE":
            sheet[f"{column}{row}"] = sheet[f"{column}{FIRST_BARRIER_ROW}"].value
        sheet[f"C{row}"] = "Developing"

    edit(path, copy_first_row)
    name = demo.scoped_dimensions()[0].name
    assert refusal(demo, path) == [
        f"{path.name}, sheet 'Rating form', cell A{row}: the barrier “{name}” is on this sheet "
        f"twice (rows {FIRST_BARRIER_ROW} and {row}); keep one row for it."
    ]


def test_names_sorted_apart_from_their_rows_are_refused(demo: Workshop, tmp_path: Path) -> None:
    """Sorting column A on its own moves the names away from the answers beside them."""
    path = write_rating_forms(demo, tmp_path)[0]
    answer_every_barrier(demo, path)
    first, second = FIRST_BARRIER_ROW, FIRST_BARRIER_ROW + 1

    def swap_names(book: Any) -> None:
        sheet = book[FORM_SHEET]
        sheet[f"A{first}"], sheet[f"A{second}"] = (
            sheet[f"A{second}"].value,
            sheet[f"A{first}"].value,
        )

    edit(path, swap_names)
    lines = refusal(demo, path)
    assert [line.split(":")[0] for line in lines] == [
        f"{path.name}, sheet 'Rating form', cell B{first}",
        f"{path.name}, sheet 'Rating form', cell B{second}",
    ]
    name = demo.scoped_dimensions()[1].name
    assert lines[0].endswith(
        f"the question here belongs to another barrier than “{name}” in column A, so the row's "
        "cells have been moved apart; put them back together, or fill in a fresh copy of the form."
    )


def test_an_edited_barrier_name_is_refused(demo: Workshop, tmp_path: Path) -> None:
    path = write_rating_forms(demo, tmp_path)[0]

    def rename(book: Any) -> None:
        book[FORM_SHEET][f"A{FIRST_BARRIER_ROW}"] = "Renamed by someone"
        book[FORM_SHEET][f"C{FIRST_BARRIER_ROW}"] = "Developing"

    edit(path, rename)
    name = demo.scoped_dimensions()[0].name
    assert refusal(demo, path) == [
        f"{path.name}, sheet 'Rating form', cell A{FIRST_BARRIER_ROW}: “Renamed by someone” is "
        "not a barrier on this form; column A must keep the names as they were sent.",
        f"{path.name}, sheet 'Rating form': the barrier “{name}” is missing (it was on row "
        f"{FIRST_BARRIER_ROW}); put its row back, or fill in a fresh copy of the form.",
    ]


def test_a_name_in_other_case_or_spacing_is_the_same_barrier(
    demo: Workshop, tmp_path: Path
) -> None:
    path = write_rating_forms(demo, tmp_path)[0]
    name = demo.scoped_dimensions()[0].name

    def retype(book: Any) -> None:
        book[FORM_SHEET][f"A{FIRST_BARRIER_ROW}"] = f"  {name.upper().replace(' ', '  ')} "
        book[FORM_SHEET][f"C{FIRST_BARRIER_ROW}"] = "Developing"

    edit(path, retype)
    (form,) = read_rating_forms(demo, [path])
    assert form.answers == ((demo.scope[0], "developing", ""),)


def test_sheets_reordered_or_added_change_nothing(demo: Workshop, tmp_path: Path) -> None:
    path = write_rating_forms(demo, tmp_path)[0]
    answer_every_barrier(demo, path)

    def reorder_and_add(book: Any) -> None:
        book.move_sheet(DATA_SHEET, offset=-1)
        notes = book.create_sheet("My notes", 0)
        notes["A1"] = "Barrier"
        notes["C7"] = "Consolidating"

    edit(path, reorder_and_add)
    assert openpyxl.load_workbook(path).sheetnames == ["My notes", DATA_SHEET, FORM_SHEET]
    (form,) = read_rating_forms(demo, [path])
    assert_on_their_barriers(demo, form)


@pytest.mark.parametrize(
    ("typed", "stage"),
    [
        ("developing", "developing"),
        ("  DEVELOPING  ", "developing"),
        ("Not  sure", NOT_SURE),
        ("not\u00a0sure", NOT_SURE),
        ("\tConsolidating\n", "consolidating"),
    ],
)
def test_a_stage_typed_in_any_case_or_spacing_is_read(
    demo: Workshop, tmp_path: Path, typed: str, stage: str
) -> None:
    path = write_rating_forms(demo, tmp_path)[0]
    fill(path, {0: (typed, None)})
    (form,) = read_rating_forms(demo, [path])
    assert form.answers == ((demo.scope[0], stage, ""),)


@pytest.mark.parametrize("typed", ["=C8", '="Developing"', "Amber", "Good", "2", "Starting?"])
def test_a_formula_or_another_scale_is_not_a_stage(
    demo: Workshop, tmp_path: Path, typed: str
) -> None:
    path = write_rating_forms(demo, tmp_path)[0]
    fill(path, {0: ("Starting", ""), 1: (typed, "")})
    (line,) = refusal(demo, path)
    assert line.startswith(f"{path.name}, sheet 'Rating form', cell C{FIRST_BARRIER_ROW + 1}: '")
    assert "is not a stage; choose Starting, Developing, Consolidating or Not sure." in line


def test_blank_cells_leave_a_barrier_unanswered(demo: Workshop, tmp_path: Path) -> None:
    path = write_rating_forms(demo, tmp_path)[0]
    fill(path, {0: ("", "   "), 1: (None, None), 2: ("Starting", None)})
    (form,) = read_rating_forms(demo, [path])
    assert form.answers == ((demo.scope[2], "starting", ""),)


@pytest.mark.parametrize("number", [1_000_000_000, 1e9, "nine", 0, -3, 9.5, "=A9", True])
def test_a_damaged_row_number_on_the_hidden_sheet_is_refused_plainly(
    demo: Workshop, tmp_path: Path, number: object
) -> None:
    path = write_rating_forms(demo, tmp_path)[0]
    fill(path, {0: ("Starting", "")})
    book = openpyxl.load_workbook(path)
    book[DATA_SHEET]["A9"] = number
    book.save(path)
    (line,) = refusal(demo, path)
    assert line.startswith(f"{path.name}, sheet 'opassess', cell A9: the form's list of barriers ")
    assert line.endswith("fill in a fresh copy of the form.")


def test_an_id_swapped_on_the_hidden_sheet_is_refused(demo: Workshop, tmp_path: Path) -> None:
    path = write_rating_forms(demo, tmp_path)[0]
    fill(path, {0: ("Starting", ""), 1: ("Consolidating", "")})
    book = openpyxl.load_workbook(path)
    data = book[DATA_SHEET]
    data["B9"], data["B10"] = data["B10"].value, data["B9"].value
    book.save(path)
    lines = refusal(demo, path)
    assert [line.split(":")[0] for line in lines] == [
        f"{path.name}, sheet 'opassess', cell B9",
        f"{path.name}, sheet 'opassess', cell B10",
    ]
    assert "belongs to another barrier" in lines[0]


def test_a_form_made_before_questions_were_listed_is_matched_by_name(
    demo: Workshop, tmp_path: Path
) -> None:
    path = write_rating_forms(demo, tmp_path)[0]

    def as_made_before(book: Any) -> None:
        for row in range(8, 9 + len(demo.scope)):
            book[DATA_SHEET][f"D{row}"] = None

    edit(path, as_made_before)
    answer_every_barrier(demo, path)
    edit(path, lambda book: book[FORM_SHEET].insert_rows(FIRST_BARRIER_ROW + 3))
    (form,) = read_rating_forms(demo, [path])
    assert_on_their_barriers(demo, form)


def test_two_barriers_with_one_name_are_told_apart_only_where_they_were_written(
    demo: Workshop, tmp_path: Path
) -> None:
    first, second = demo.scoped_dimensions()[:2]
    twins = adapt_dimension(demo, second.id, name=first.name, question=first.question)
    path = write_rating_forms(twins, tmp_path)[0]
    fill(path, {0: ("Starting", "first"), 1: ("Consolidating", "second")})
    (form,) = read_rating_forms(twins, [path])
    assert form.answers[:2] == (
        (first.id, "starting", "first"),
        (second.id, "consolidating", "second"),
    )

    edit(path, lambda book: book[FORM_SHEET].insert_rows(FIRST_BARRIER_ROW))
    with pytest.raises(RatingFormError) as error:
        read_rating_forms(twins, [path])
    assert problem_lines(error) == [
        f"{path.name}, sheet 'Rating form', cell A{FIRST_BARRIER_ROW + 2}: more than one barrier "
        f"is called “{first.name}” and their rows have moved, so which is which cannot be "
        "told; put them back where they were, or fill in a fresh copy of the form."
    ]


def test_a_missing_row_and_a_wrong_stage_are_told_together(demo: Workshop, tmp_path: Path) -> None:
    path = write_rating_forms(demo, tmp_path)[0]
    fill(path, {0: ("Often", ""), 2: ("Starting", "")})
    edit(path, lambda book: book[FORM_SHEET].delete_rows(FIRST_BARRIER_ROW + 1))
    lines = refusal(demo, path)
    assert [line.split(":")[0] for line in lines] == [
        f"{path.name}, sheet 'Rating form'",
        f"{path.name}, sheet 'Rating form', cell C{FIRST_BARRIER_ROW}",
    ]
    assert "is missing (it was on row 8)" in lines[0] and "'Often' is not a stage" in lines[1]


def test_a_chart_in_place_of_the_form_is_refused(demo: Workshop, tmp_path: Path) -> None:
    path = write_rating_forms(demo, tmp_path)[0]

    def chart_instead(book: Any) -> None:
        book.security = None
        book[FORM_SHEET].title = "Old form"
        book.create_chartsheet(FORM_SHEET)

    edit(path, chart_instead)
    (line,) = refusal(demo, path)
    assert line.startswith(f"{path.name}: not an Excel workbook (.xlsx) that can be read")


# -- forms beyond what a form could hold --------------------------------------------------------


def rebuild(path: Path, parts: dict[str, bytes | Callable[[Any], None]]) -> None:
    """Write the form's package again with some parts replaced or added; a callable writes its
    part in pieces into the open member, so a huge part never has to be held in memory."""
    with zipfile.ZipFile(path) as original:
        kept = {
            info.filename: original.read(info)
            for info in original.infolist()
            if info.filename not in parts
        }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        for name, data in kept.items():
            package.writestr(name, data)
        for name, part in parts.items():
            if isinstance(part, bytes):
                package.writestr(name, part)
            else:
                with package.open(name, "w", force_zip64=True) as member:
                    part(member)


def refused_quickly(demo: Workshop, path: Path) -> tuple[str, float, int]:
    """The one problem reading `path` raises, the seconds it took and the peak memory used."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(RatingFormError) as error:
            read_rating_forms(demo, [path])
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    (line,) = problem_lines(error)
    return line, seconds, peak


def test_a_million_row_form_is_refused_at_once(demo: Workshop, tmp_path: Path) -> None:
    path = write_rating_forms(demo, tmp_path)[0]
    sheet = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    head, tail = sheet.split("<sheetData>")[0], sheet.split("</sheetData>")[1]
    head = re.sub(r'<dimension ref="[^"]*" ?/>', '<dimension ref="A1:E1000000"/>', head)

    def rows(member: Any) -> None:
        member.write(f"{head}<sheetData>".encode())
        for start in range(1, 1_000_001, 10_000):
            member.write(
                "".join(
                    f'<row r="{r}"><c r="C{r}" t="inlineStr"><is><t>Starting</t></is></c>'
                    f'<c r="D{r}" t="inlineStr"><is><t>Evidence {r}</t></is></c></row>'
                    for r in range(start, start + 10_000)
                ).encode()
            )
        member.write(f"</sheetData>{tail}".encode())

    rebuild(path, {"xl/worksheets/sheet1.xml": rows})
    line, seconds, peak = refused_quickly(demo, path)
    assert path.stat().st_size > 8 * 1024 * 1024
    assert line == (
        f"{path.name}: too large to be a rating form (more than 8 MB); use the form as it was sent."
    )
    assert seconds < 0.5 and peak < 5_000_000, (seconds, peak)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(demo: Workshop, tmp_path: Path) -> None:
    path = write_rating_forms(demo, tmp_path)[0]

    def zeros(member: Any) -> None:
        for _ in range(64):
            member.write(bytes(1_000_000))

    rebuild(path, {"xl/media/image1.png": zeros})
    assert path.stat().st_size < 1_000_000
    line, seconds, peak = refused_quickly(demo, path)
    assert line == (
        f"{path.name}: too large to be a rating form (more than 8 MB once unpacked); "
        "use the form as it was sent."
    )
    assert seconds < 0.5 and peak < 5_000_000, (seconds, peak)


def test_too_many_parts_are_refused(demo: Workshop, tmp_path: Path) -> None:
    path = write_rating_forms(demo, tmp_path)[0]
    rebuild(path, {f"xl/media/image{n}.png": b"" for n in range(1000)})
    line, _seconds, _peak = refused_quickly(demo, path)
    assert line == (
        f"{path.name}: has more parts than a rating form could hold; use the form as it was sent."
    )


def test_a_sheet_claiming_to_reach_beyond_a_form_is_refused_before_reading(
    demo: Workshop, tmp_path: Path
) -> None:
    path = write_rating_forms(demo, tmp_path)[0]
    sheet = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    claimed = re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"', sheet)
    rebuild(path, {"xl/worksheets/sheet1.xml": claimed.encode()})
    line, seconds, _peak = refused_quickly(demo, path)
    assert line == (
        f"{path.name}, sheet 'Rating form': it reaches row 1,048,576 and column XFD, beyond "
        "where a rating form ends (row 1,000, column CV); delete what is beyond the form, or "
        "fill in a fresh copy of the form."
    )
    assert seconds < 0.5


def test_a_row_far_below_the_form_is_not_read(demo: Workshop, tmp_path: Path) -> None:
    """The size a sheet claims may be false: rows beyond where a form ends are never read, so a
    barrier moved there is missing, not imported from an unbounded read."""
    path = write_rating_forms(demo, tmp_path)[0]
    name = demo.scoped_dimensions()[-1].name
    last = FIRST_BARRIER_ROW + len(demo.scope) - 1
    sheet = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    far = 1_000_000_000
    moved = re.sub(rf'<row r="{last}"[^>]*>.*?</row>', "", sheet, flags=re.DOTALL)
    assert f'<row r="{last}"' not in moved
    moved = moved.replace(
        "</sheetData>",
        f'<row r="{far}"><c r="A{far}" t="inlineStr"><is><t>{name}</t></is></c>'
        f'<c r="C{far}" t="inlineStr"><is><t>Starting</t></is></c></row></sheetData>',
    )
    rebuild(path, {"xl/worksheets/sheet1.xml": moved.encode()})
    (line,) = refusal(demo, path)
    assert line.startswith(f"{path.name}, sheet 'Rating form': the barrier “{name}” is missing")


def test_a_hostile_form_is_one_line_and_exit_2_on_the_command_line(
    run: Callable[..., tuple[int, str, str]], demo: Workshop, tmp_path: Path
) -> None:
    from opassess.interchange import write_session_file

    session = tmp_path / "demo.opassess"
    write_session_file(demo, session)
    assert run("import", str(session))[0] == 0
    path = write_rating_forms(demo, tmp_path)[0]
    book = openpyxl.load_workbook(path)
    book[DATA_SHEET]["A9"] = 1e9
    book[FORM_SHEET][f"C{FIRST_BARRIER_ROW}"] = "Starting"
    book.save(path)

    code, out, err = run("import-ratings", demo.id, str(path))

    assert code == 2 and out == "" and "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith("opassess: ")
    assert f"{path.name}, sheet 'opassess', cell A9: the form's list of barriers" in err


def test_a_form_that_cannot_be_replaced_leaves_every_earlier_form_as_it_was(
    demo: Workshop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As when a filled-in form is open in Excel on Windows: moving it fails part-way through.
    import errno
    import os

    import opassess.files

    first = write_rating_forms(demo, tmp_path)
    for n, path in enumerate(first):
        path.write_bytes(f"filled in {n}".encode())
    real_replace = os.replace
    locked = first[3]

    def replace(source, target):
        if Path(source) == locked or Path(target) == locked:
            raise OSError(errno.EACCES, "The file is open in another program")
        return real_replace(source, target)

    monkeypatch.setattr(opassess.files.os, "replace", replace)
    with pytest.raises(ExportError) as refused:
        write_rating_forms(demo, tmp_path)
    assert locked.name in str(refused.value)
    assert [p.read_bytes() for p in first] == [f"filled in {n}".encode() for n in range(len(first))]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in first)


def test_a_copy_of_one_form_with_another_name_typed_over_is_refused(
    demo: Workshop, tmp_path: Path
) -> None:
    # Ruth's form, copied and unprotected, with Gareth's name typed over hers: his answers
    # would land on Ruth. The name on the form must be the one it was made for.
    from opassess.export.rating_forms import WHO_ROW, read_rating_forms

    path = write_rating_forms(demo, tmp_path)[0]
    made_for = demo.display_names()[demo.participants[0].id]
    other = demo.display_names()[demo.participants[1].id]
    book = openpyxl.load_workbook(path)
    sheet = book[FORM_SHEET]
    sheet.protection.sheet = False
    sheet[f"B{WHO_ROW}"] = other
    book.save(path)
    fill(path, {0: ("Starting", f"{other} says so")})
    with pytest.raises(RatingFormError) as refused:
        read_rating_forms(demo, [path])
    message = str(refused.value)
    assert f"cell B{WHO_ROW}" in message and f"made for “{made_for}”" in message
    assert f"now names “{other}”" in message


def test_a_blank_form_says_it_holds_no_ratings(demo: Workshop, tmp_path: Path) -> None:
    from opassess.services import read_rating_forms as read_for_the_library

    path = write_rating_forms(demo, tmp_path)[0]
    forms = read_for_the_library(demo, [path])
    name = demo.display_names()[demo.participants[0].id]
    assert (
        forms.outcome(False, demo)
        == f"The 1 form ({name}) holds no ratings yet: nothing was taken."
    )


def test_a_folder_named_like_a_form_stops_the_forms_and_is_left_alone(
    demo: Workshop, tmp_path: Path
) -> None:
    from opassess.export.rating_forms import rating_form_paths

    in_the_way = rating_form_paths(demo, tmp_path)[demo.participants[0].id]
    in_the_way.mkdir()
    with pytest.raises(ExportError) as refused:
        write_rating_forms(demo, tmp_path)
    assert in_the_way.name in str(refused.value) and "folder" in str(refused.value)
    assert in_the_way.is_dir() and [p.name for p in tmp_path.iterdir()] == [in_the_way.name]
