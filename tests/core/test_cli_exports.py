"""The export commands end to end: `export`, `forms` and `import-ratings`, called as main.py
would call them, with the files they write read back by openpyxl and pypdf."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pypdf
import pytest
from test_rating_forms import fill

from opassess.demo import demo_workshop
from opassess.export.rating_forms import DATA_SHEET, FIRST_BARRIER_ROW, FORM_SHEET
from opassess.interchange import read_session_file, write_session_file
from opassess.workshop import NOT_SURE, Workshop

TEAM = 3  # small, so the whole file stays fast


@pytest.fixture
def demo() -> Workshop:
    return demo_workshop(participants=TEAM)


@pytest.fixture
def demo_file(demo: Workshop, tmp_path: Path) -> Path:
    path = tmp_path / "demo.opassess"
    write_session_file(demo, path)
    return path


@pytest.fixture
def in_library(run, demo_file: Path, demo: Workshop) -> Workshop:
    """The demo workshop, added to the library."""
    code, _, err = run("import", str(demo_file))
    assert code == 0, err
    return demo


def library_copy(run, tmp_path: Path, reference: str) -> Workshop:
    """The library's current version of a workshop, taken out with `export --json`."""
    out = tmp_path / "snapshot.opassess"
    code, _, err = run("export", reference, "--json", str(out))
    assert code == 0, err
    return read_session_file(out)


def workbook_text(path: Path) -> str:
    book = openpyxl.load_workbook(path, read_only=True)
    cells = (
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )
    text = "\n".join(cells)
    book.close()
    return text


def pdf_text(path: Path) -> str:
    reader = pypdf.PdfReader(path)
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def assert_one_line_error(code: int, out: str, err: str) -> None:
    assert code == 2, (out, err)
    assert err.startswith("opassess: ") and err.count("\n") == 1, err
    assert "Traceback" not in err


def reference_to(kind: str, workshop: Workshop, demo_file: Path) -> str:
    return {
        "session file": str(demo_file),
        "id": workshop.id,
        "id prefix": workshop.id[:8],
        "title": workshop.title,
        "title in other case": workshop.title.upper(),
    }[kind]


@pytest.mark.parametrize("source", ["session file", "title"])
def test_export_writes_a_workbook_and_a_report_that_read_back(
    run,
    in_library: Workshop,
    demo_file: Path,
    tmp_path: Path,
    source: str,
) -> None:
    xlsx, pdf = tmp_path / "out" / "workshop.xlsx", tmp_path / "out" / "report.pdf"
    xlsx.parent.mkdir()
    reference = reference_to(source, in_library, demo_file)

    code, out, err = run("export", reference, "--xlsx", str(xlsx), "--pdf", str(pdf))

    assert code == 0, err
    assert f"Wrote the workbook {xlsx}" in out and f"Wrote the report {pdf}" in out
    cells = workbook_text(xlsx)
    pages = pdf_text(pdf)
    assert in_library.title in cells and in_library.title in pages
    for participant in in_library.participants:
        assert participant.name in cells
        assert participant.name in pages


def test_export_of_a_session_file_needs_no_library(run, demo_file: Path, tmp_path: Path) -> None:
    code, _, err = run("export", str(demo_file), "--xlsx", str(tmp_path / "w.xlsx"))
    assert code == 0, err
    assert (tmp_path / "w.xlsx").is_file()
    assert run("list")[1].strip() == "The library is empty."


@pytest.mark.parametrize("source", ["id", "id prefix", "title", "title in other case"])
def test_export_json_finds_the_library_workshop(
    run,
    in_library: Workshop,
    demo_file: Path,
    tmp_path: Path,
    source: str,
) -> None:
    reference = reference_to(source, in_library, demo_file)
    assert library_copy(run, tmp_path, reference) == in_library


def test_forms_xlsx_writes_one_form_per_participant(
    run,
    in_library: Workshop,
    tmp_path: Path,
) -> None:
    folder = tmp_path / "forms" / "not yet made"

    code, out, err = run("forms", in_library.title, "--xlsx", str(folder))

    assert code == 0, err
    assert f"Wrote {TEAM} spreadsheet forms to {folder}" in out
    paths = sorted(folder.glob("*.xlsx"))
    assert len(paths) == TEAM
    names, ids = set(), set()
    for path in paths:
        book = openpyxl.load_workbook(path)
        assert book[DATA_SHEET]["B3"].value == in_library.id
        names.add(book[FORM_SHEET]["B5"].value)
        ids.add(book[DATA_SHEET]["B5"].value)
    assert names == {p.name for p in in_library.participants}
    assert ids == {p.id for p in in_library.participants}
    assert all(any(p.name in path.name for path in paths) for p in in_library.participants)


def test_forms_from_a_session_file(run, demo_file: Path, demo: Workshop, tmp_path: Path) -> None:
    code, _, err = run("forms", str(demo_file), "--xlsx", str(tmp_path / "forms"))
    assert code == 0, err
    assert len(list((tmp_path / "forms").glob("*.xlsx"))) == len(demo.participants)


def _forms_by_participant(run, workshop: Workshop, folder: Path) -> dict[str, Path]:
    code, _, err = run("forms", workshop.id, "--xlsx", str(folder))
    assert code == 0, err
    by_participant = {}
    for path in folder.glob("*.xlsx"):
        book = openpyxl.load_workbook(path)
        by_participant[book[DATA_SHEET]["B5"].value] = path
    return by_participant


def test_filled_forms_are_taken_into_the_library_workshop(
    run,
    in_library: Workshop,
    tmp_path: Path,
) -> None:
    forms = _forms_by_participant(run, in_library, tmp_path / "forms")
    first, second, third = in_library.participants
    dims = [d.id for d in in_library.scoped_dimensions()]
    fill(
        forms[first.id],
        {0: ("Consolidating", "Seen at the March board, item 1."), 1: ("Not sure", "")},
    )
    fill(forms[second.id], {2: ("starting", "=not a formula")})
    # the third form comes back blank: nothing of theirs changes

    code, out, err = run(
        "import-ratings",
        in_library.title,
        str(forms[first.id]),
        str(forms[second.id]),
        str(forms[third.id]),
    )

    assert code == 0, err
    whose = ", ".join(in_library.display_names()[p.id] for p in (first, second, third))
    assert out.strip() == f"Took 3 ratings from 3 forms ({whose}) into “{in_library.title}”"
    after = library_copy(run, tmp_path, in_library.id)
    got = {key: (r.stage, r.evidence) for key, r in after.ratings.items()}
    assert got[first.id, dims[0]] == ("consolidating", "Seen at the March board, item 1.")
    assert got[first.id, dims[1]] == (NOT_SURE, "")
    assert got[second.id, dims[2]] == ("starting", "=not a formula")
    changed = {(first.id, dims[0]), (first.id, dims[1]), (second.id, dims[2])}
    untouched = {k: v for k, v in got.items() if k not in changed}
    before = {k: (r.stage, r.evidence) for k, r in in_library.ratings.items() if k not in changed}
    assert untouched == before
    assert after.consensus == in_library.consensus and after.actions == in_library.actions
    code, out, _ = run("list")
    assert code == 0 and in_library.title in out and f"{TEAM} people" in out


def test_an_invalid_form_exits_2_naming_file_and_cell_and_imports_nothing(
    run,
    in_library: Workshop,
    tmp_path: Path,
) -> None:
    forms = _forms_by_participant(run, in_library, tmp_path / "forms")
    good, bad = (forms[p.id] for p in in_library.participants[:2])
    fill(good, {0: ("Developing", "A good answer that must not be imported.")})
    fill(bad, {3: ("Sometimes", "not a stage")})
    before = library_copy(run, tmp_path, in_library.id)

    code, out, err = run("import-ratings", in_library.id[:8], str(good), str(bad))

    assert_one_line_error(code, out, err)
    assert bad.name in err and f"cell C{FIRST_BARRIER_ROW + 3}" in err
    assert "'Sometimes' is not a stage" in err and "nothing was imported" in err
    assert out == ""
    assert library_copy(run, tmp_path, in_library.id) == before == in_library


def test_a_missing_form_file_exits_2_and_imports_nothing(
    run,
    in_library: Workshop,
    tmp_path: Path,
) -> None:
    code, out, err = run("import-ratings", in_library.id, str(tmp_path / "gone.xlsx"))
    assert_one_line_error(code, out, err)
    assert "gone.xlsx" in err and "does not exist" in err
    assert library_copy(run, tmp_path, in_library.id) == in_library


@pytest.mark.parametrize(
    ("command", "flag", "name"),
    [
        ("export", "--xlsx", "workshop.xlsx"),
        ("export", "--pdf", "report.pdf"),
        ("export", "--json", "workshop.opassess"),
        ("forms", "--pdf", "forms.pdf"),
    ],
)
def test_writing_into_a_missing_folder_exits_2_plainly(
    run,
    demo_file: Path,
    tmp_path: Path,
    command: str,
    flag: str,
    name: str,
) -> None:
    if (command, flag) == ("forms", "--pdf"):
        pytest.importorskip("opassess.export.paper_forms")
    target = tmp_path / "no such folder" / name

    code, out, err = run(command, str(demo_file), flag, str(target))

    assert_one_line_error(code, out, err)
    assert name in err and "folder does not exist" in err
    assert not target.parent.exists()


def test_forms_into_a_file_or_under_a_file_exits_2_plainly(
    run, demo_file: Path, tmp_path: Path
) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("kept")

    code, out, err = run("forms", str(demo_file), "--xlsx", str(a_file))
    assert_one_line_error(code, out, err)
    assert "is a file: give a folder" in err

    code, out, err = run("forms", str(demo_file), "--xlsx", str(a_file / "forms"))
    assert_one_line_error(code, out, err)
    assert "part of the path is not a folder" in err
    assert a_file.read_text() == "kept"


def test_an_unknown_workshop_exits_2(
    run, in_library: Workshop, demo_file: Path, tmp_path: Path
) -> None:
    form = tmp_path / "form.xlsx"
    form.write_bytes(b"")
    for args in (
        ("export", "no-such-workshop", "--xlsx", str(tmp_path / "w.xlsx")),
        ("export", str(tmp_path / "missing.opassess"), "--pdf", str(tmp_path / "r.pdf")),
        ("forms", "no-such-workshop", "--xlsx", str(tmp_path / "forms")),
        ("import-ratings", "no-such-workshop", str(form)),
        # ratings go into the library, never into a session file
        ("import-ratings", str(demo_file), str(form)),
    ):
        code, out, err = run(*args)
        assert_one_line_error(code, out, err)
        assert "no-such-workshop" in err or ".opassess" in err, err
        assert "(see `list`)" in err, err
    assert not any((tmp_path / n).exists() for n in ("w.xlsx", "r.pdf", "forms"))


def test_a_title_shared_by_two_workshops_asks_for_an_id(run, tmp_path: Path) -> None:
    for seed in ("1", "2"):
        assert run("demo", "--add", "--participants", "1", "--seed", seed)[0] == 0
    title = demo_workshop(participants=1).title
    code, out, err = run("export", title, "--xlsx", str(tmp_path / "w.xlsx"))
    assert_one_line_error(code, out, err)
    assert "matches 2 workshops" in err and "use an id" in err


def test_export_and_forms_say_what_to_write(run, demo_file: Path) -> None:
    for command in ("export", "forms"):
        code, out, err = run(command, str(demo_file))
        assert_one_line_error(code, out, err)
        assert "say what to write" in err


def test_forms_pdf_writes_a_paper_form_per_participant(
    run,
    in_library: Workshop,
    tmp_path: Path,
) -> None:
    pytest.importorskip("opassess.export.paper_forms")
    pdf = tmp_path / "paper forms.pdf"

    code, out, err = run("forms", in_library.id, "--pdf", str(pdf))

    assert code == 0, err
    assert f"Wrote {TEAM} paper forms to {pdf}" in out
    assert len(pypdf.PdfReader(pdf).pages) >= TEAM
    text = pdf_text(pdf)
    for participant in in_library.participants:
        assert participant.name in text


def test_forms_already_in_the_folder_are_never_written_over_without_being_asked(run, tmp_path):
    demo_file = tmp_path / "demo.opassess"
    assert run("demo", "--out", str(demo_file))[0] == 0
    folder = tmp_path / "forms"
    assert run("forms", str(demo_file), "--xlsx", str(folder))[0] == 0
    filled = sorted(folder.glob("*.xlsx"))[0]
    filled.write_bytes(b"filled in and sent back")
    code, _, err = run("forms", str(demo_file), "--xlsx", str(folder))
    assert code == 2 and "--missing-only" in err and "--replace" in err
    assert filled.read_bytes() == b"filled in and sent back"
    filled_name = filled.name
    missing = sorted(folder.glob("*.xlsx"))[1]
    missing.unlink()
    code, out, _ = run("forms", str(demo_file), "--xlsx", str(folder), "--missing-only")
    assert code == 0 and "Wrote 1 spreadsheet forms" in out and missing.exists()
    assert (folder / filled_name).read_bytes() == b"filled in and sent back"
    assert run("forms", str(demo_file), "--xlsx", str(folder), "--replace")[0] == 0
    assert (folder / filled_name).read_bytes() != b"filled in and sent back"
