"""Spreadsheet rating forms: written per participant, filled in, read back as one edit."""

from __future__ import annotations

import dataclasses
from pathlib import Path

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


def test_edited_barrier_names_do_not_matter(demo: Workshop, tmp_path: Path) -> None:
    path = write_rating_forms(demo, tmp_path)[0]
    book = openpyxl.load_workbook(path)
    book[FORM_SHEET][f"A{FIRST_BARRIER_ROW}"] = "Renamed by someone"
    book[FORM_SHEET][f"C{FIRST_BARRIER_ROW}"] = "Developing"
    book.save(path)
    (form,) = read_rating_forms(demo, [path])
    assert form.answers == ((demo.scope[0], "developing", ""),)


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
    with pytest.raises(ExportError, match=r"Could not write the rating form .*folder"):
        write_rating_forms(demo, tmp_path / "missing")


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
    assert line.startswith(f"{path.name}, sheet 'opassess', cell B9: ")
    assert "not in scope" in line

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
