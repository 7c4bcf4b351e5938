"""Spreadsheet rating forms: one .xlsx per participant, filled in before the workshop and read
back as one undoable edit.

Each form has a visible sheet, "Rating form", where the participant picks a stage for every
barrier in scope from a drop-down (or Not sure) and writes their evidence, and a hidden sheet,
"opassess", that records which workshop and participant the form is for and each barrier it
was written with (row, id, name, question). Reading matches each visible row to its barrier by
the name in its column A, checked against its question, so a row inserted, deleted or moved
never carries an answer to another barrier; a row it cannot match is refused.

Reading checks every file before anything is applied, its size first: `read_rating_forms`
raises RatingFormError listing the problems (file, sheet, cell, what to do), and
`apply_rating_forms` is a pure edit, so importing a batch is all or nothing and one undo takes
it back.

openpyxl is imported inside the functions that need it, never when this module is imported.
Writing and reading stay together because the hidden sheet's layout is a contract between the
two.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from opassess.export import ExportError
from opassess.export.cells import spreadsheet_text
from opassess.files import PartWriteError, plain_os_reason, safe_file_stem, write_all_atomically
from opassess.frameworks import Terms, capitalised
from opassess.wording import NOT_SURE_LABEL, article, stage_name
from opassess.workshop import MAX_TEXT_LENGTH, NOT_SURE, Workshop, record_ratings

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell

FORM_SHEET = "Rating form"
DATA_SHEET = "opassess"
FORM_MARK = "opassess-rating-form"
FORM_VERSION = 1
MAX_EVIDENCE_CHARS = MAX_TEXT_LENGTH  # what an edit takes, as at the laptop
MAX_PROBLEMS = 10
# What a form could hold, checked before it is read. A filled form is tens of kilobytes; forty
# barriers, each with the longest evidence allowed, unpack to about 3 MB.
MAX_FORM_BYTES = 8 * 1024 * 1024  # the file
MAX_UNPACKED_BYTES = 8 * 1024 * 1024  # its parts unpacked, together
MAX_FORM_PARTS = 200  # a form has about ten; a spreadsheet program adds a few
MAX_SHEET_ROWS = 1000  # rows read on either sheet; a form ends by row 50 or so
MAX_SHEET_COLUMNS = 100  # columns a sheet may reach; A to E are the form's

# The visible sheet: title, instructions, who, the header, then one row per barrier.
TITLE_ROW = 1
INSTRUCTION_ROWS = (2, 3, 4)
WHO_ROW = 5
HEADER_ROW = 6
FIRST_BARRIER_ROW = 7
BARRIER_COL, QUESTION_COL, STAGE_COL, EVIDENCE_COL, DESCRIPTORS_COL = "A", "B", "C", "D", "E"

# The hidden sheet: labels in column A, values in column B; the barrier list below.
MARK_CELL, VERSION_CELL = "B1", "B2"
WORKSHOP_ID_CELL, WORKSHOP_TITLE_CELL = "B3", "B4"
PARTICIPANT_ID_CELL, PARTICIPANT_NAME_CELL = "B5", "B6"
# Then from row 9: A = row in the visible sheet, B = barrier id, C = name, D = question.
ROWS_HEADER_ROW = 8


class RatingFormError(ExportError):
    """Rating forms that cannot be imported; the message lists each problem on its own line."""


@dataclass(frozen=True)
class FormAnswers:
    """One participant's answers from one form: (barrier id, stage id or NOT_SURE, evidence)."""

    participant_id: str
    answers: tuple[tuple[str, str, str], ...]
    source: str


# -- writing ----------------------------------------------------------------------------------


def rating_form_paths(workshop: Workshop, folder: Path) -> dict[str, Path]:
    """Participant id -> where that participant's form goes in `folder`, in participant order
    (a shared name gets a number, so no form is written over another)."""
    names = workshop.display_names()
    paths: dict[str, Path] = {}
    used: set[str] = set()
    for participant in workshop.participants:
        stem = _form_stem(workshop.title, names[participant.id])
        unique, number = stem, 1
        while unique.casefold() in used:
            number += 1
            unique = f"{stem} ({number})"
        used.add(unique.casefold())
        paths[participant.id] = folder / f"{unique}.xlsx"
    return paths


def write_rating_forms(
    workshop: Workshop, folder: Path, *, keep_existing: bool = False
) -> list[Path]:
    """Write one rating form per participant into `folder`; the paths written, in participant
    order. With keep_existing, a form already there (perhaps filled in) is left alone.
    ExportError (naming the file) if one cannot be written."""
    names = workshop.display_names()
    paths = rating_form_paths(workshop, folder)
    forms = [
        (
            paths[p.id],
            _form_bytes(workshop, p.id, names[p.id], p.role),
        )
        for p in workshop.participants
        if not (keep_existing and paths[p.id].exists())
    ]
    try:
        # all or none: a full disk part-way must not leave some of the team without a form
        write_all_atomically(forms)
    except PartWriteError as exc:
        raise ExportError(
            f"Could not write the rating forms: “{exc.path.name}” failed, "
            f"{plain_os_reason(exc.cause, 'write')} None of the {len(forms)} were written, "
            "and forms already in the folder are as they were."
        ) from exc
    return [path for path, _ in forms]


def _form_stem(title: str, name: str) -> str:
    # The title is shortened first so the participant's name always survives in the file name.
    return safe_file_stem(f"{safe_file_stem(title)[:60].strip(' .')} - {name}")


def _form_bytes(workshop: Workshop, participant_id: str, name: str, role: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.workbook.protection import WorkbookProtection
    from openpyxl.worksheet.datavalidation import DataValidation

    dimensions = workshop.scoped_dimensions()
    terms = workshop.framework.terms
    level, level_heading = terms.level, capitalised(terms.level)
    dimension_heading = capitalised(terms.dimension)
    choices = _stage_choices(workshop)
    choices_text = _choices_text(choices)

    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = FORM_SHEET
    wrap = Alignment(wrap_text=True, vertical="top")
    bold = Font(bold=True)

    title = _text(sheet[f"A{TITLE_ROW}"], f"Rating form: {workshop.title}")
    title.font = Font(bold=True, size=14)
    instructions = (
        f"For each {terms.dimension}, choose {article(level)} in the {level_heading} column "
        f"from the drop-down list: {choices_text}.",
        f"In the Evidence column, write what you have seen that made you choose that {level}. "
        f"The last column describes what each {level} looks like.",
        "Save the file and send it back to the facilitator"
        + (f", {workshop.facilitator}" if workshop.facilitator else "")
        + ". Please keep the file as it is otherwise: do not add, move or delete rows.",
    )
    for row, text in zip(INSTRUCTION_ROWS, instructions, strict=True):
        _text(sheet[f"A{row}"], text)
    _text(sheet[f"A{WHO_ROW}"], "Name").font = bold
    _text(sheet[f"B{WHO_ROW}"], name)
    _text(sheet[f"C{WHO_ROW}"], "Role").font = bold
    _text(sheet[f"D{WHO_ROW}"], role)
    headers = {
        BARRIER_COL: dimension_heading,
        QUESTION_COL: _question_header(terms),
        STAGE_COL: level_heading,
        EVIDENCE_COL: "Evidence",
        DESCRIPTORS_COL: f"What each {level} looks like",
    }
    for column, text in headers.items():
        cell = _text(sheet[f"{column}{HEADER_ROW}"], text)
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor="DDE6F0")

    data = book.create_sheet(DATA_SHEET)
    data.sheet_state = "hidden"
    labels = (
        ("OpAssess rating form", FORM_MARK),
        ("Format version", str(FORM_VERSION)),
        ("Workshop id", workshop.id),
        ("Workshop title", workshop.title),
        ("Participant id", participant_id),
        ("Participant name", name),
    )
    for row, (label, value) in enumerate(labels, start=1):
        _text(data[f"A{row}"], label)
        _text(data[f"B{row}"], value)
    # Labels for a person who unhides the sheet; reading goes by position, not by these, except
    # that a label over column D says the questions are listed (not on forms made before).
    row_labels = ("Row", f"{dimension_heading} id", f"{dimension_heading} name", "Question")
    for column, text in zip("ABCD", row_labels, strict=True):
        _text(data[f"{column}{ROWS_HEADER_ROW}"], text)
    _text(data["E1"], f"{level_heading} choices")
    for row, choice in enumerate(choices, start=2):
        _text(data[f"E{row}"], choice)

    unlocked = Protection(locked=False)
    for offset, dimension in enumerate(dimensions):
        row = FIRST_BARRIER_ROW + offset
        _text(sheet[f"{BARRIER_COL}{row}"], dimension.name).alignment = wrap
        _text(sheet[f"{QUESTION_COL}{row}"], dimension.question).alignment = wrap
        _text(sheet[f"{DESCRIPTORS_COL}{row}"], _descriptors_text(workshop, dimension))
        sheet[f"{DESCRIPTORS_COL}{row}"].alignment = wrap
        for column in (STAGE_COL, EVIDENCE_COL):
            cell = sheet[f"{column}{row}"]
            cell.protection = unlocked
            cell.alignment = wrap
            cell.number_format = "@"  # what a participant types stays text, never a formula
        sheet.row_dimensions[row].height = 150
        data_row = ROWS_HEADER_ROW + 1 + offset
        data[f"A{data_row}"] = row
        _text(data[f"B{data_row}"], dimension.id)
        _text(data[f"C{data_row}"], dimension.name)
        _text(data[f"D{data_row}"], dimension.question)

    if dimensions:
        validation = DataValidation(
            type="list",
            formula1=_list_formula(choices),
            allow_blank=True,
            showDropDown=False,  # openpyxl's name for this is inverted: False shows the arrow
            showErrorMessage=True,
            errorStyle="stop",
            errorTitle=f"Not {article(level)}",
            error=f"Choose {choices_text} from the list.",
            showInputMessage=True,
            promptTitle=level_heading,
            prompt=f"Choose {choices_text}.",
        )
        last = FIRST_BARRIER_ROW + len(dimensions) - 1
        validation.add(f"{STAGE_COL}{FIRST_BARRIER_ROW}:{STAGE_COL}{last}")
        sheet.add_data_validation(validation)

    for column, width in zip("ABCDE", (28, 40, 18, 60, 80), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = f"A{FIRST_BARRIER_ROW}"
    sheet.protection.sheet = True  # light: no password, only the answer cells are editable
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    book.security = WorkbookProtection(lockStructure=True)
    book.active = 0

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _text(cell: Cell, value: str) -> Cell:
    """Write `value` as literal text: never a formula, never a forbidden character."""
    cell.value = spreadsheet_text(value)
    cell.data_type = "s"
    return cell


def _question_header(terms: Terms) -> str:
    """The heading over each barrier's question: 'Question', unless the framework calls what it
    rates a question, whose heading column A already is."""
    return "What it asks" if terms.dimension.casefold() == "question" else "Question"


def _descriptors_text(workshop: Workshop, dimension: Any) -> str:
    parts = []
    for level in workshop.framework.levels:
        lines = [f"{level.name}:"] + [
            f"• {line}" for line in dimension.descriptors.get(level.id, ())
        ]
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def _choices_text(choices: list[str]) -> str:
    return ", ".join(choices[:-1]) + f" or {choices[-1]}" if len(choices) > 1 else choices[0]


def _list_formula(choices: list[str]) -> str:
    """The drop-down's source: the names inline when Excel allows that (no comma or quote, at
    most 255 characters), otherwise the list kept on the hidden sheet."""
    inline = ",".join(choices)
    if len(inline) <= 255 and not any("," in c or '"' in c for c in choices):
        return f'"{inline}"'
    return f"'{DATA_SHEET}'!$E$2:$E${len(choices) + 1}"


# -- reading ----------------------------------------------------------------------------------
#
# A form is checked for size before it is opened, then read as plain values: the first few
# columns of the first MAX_SHEET_ROWS rows of its two sheets, however large the file says they
# are. Each row of 'Rating form' is matched to its barrier by the name in its column A, found in
# the hidden sheet's list (id, name and question as the form was written), and its question in
# column B must be that barrier's, so rows inserted, deleted or moved never carry an answer to
# another barrier: what cannot be matched is refused, naming the sheet and the cell.

READ_COLUMNS = 4  # A to D of either sheet: name, question, stage, evidence; the row list


class _Problems:
    """Problems found so far, up to MAX_PROBLEMS; `full` once there is no point reading on."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.more = False

    def add(self, line: str) -> None:
        if len(self.lines) < MAX_PROBLEMS:
            self.lines.append(line)
        else:
            self.more = True

    @property
    def full(self) -> bool:
        return len(self.lines) >= MAX_PROBLEMS


class _Sheet:
    """The values of a sheet's first READ_COLUMNS columns, as read, by row and column."""

    def __init__(self, rows: list[tuple[object, ...]]) -> None:
        self.rows = rows

    @property
    def last_row(self) -> int:
        return len(self.rows)

    def value(self, row: int, column: str) -> object:
        index = ord(column) - ord("A")
        if not 1 <= row <= len(self.rows) or index >= len(self.rows[row - 1]):
            return None
        return self.rows[row - 1][index]

    def text(self, row: int, column: str) -> str:
        """A cell's content as text ('' when empty); a formula comes back as typed, '=1+1'."""
        value = self.value(row, column)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value)

    def at(self, ref: str) -> str:
        """The text of a cell named like 'B3'."""
        return self.text(int(ref[1:]), ref[0])


@dataclass(frozen=True)
class _Listed:
    """A barrier as the hidden sheet lists it: the row it was written on and its wording."""

    row: int  # its row on 'Rating form' when the form was written
    dimension_id: str
    name: str
    question: str | None  # None on a form written before questions were listed


def read_rating_forms(workshop: Workshop, paths: Iterable[Path]) -> list[FormAnswers]:
    """Read filled-in rating forms for `workshop`, checking everything first.

    RatingFormError lists the problems (up to MAX_PROBLEMS, one a line, each naming the file,
    sheet and cell) if any form is too large to be a form, is not a rating form of this
    workshop, names an unknown participant, has a row that cannot be matched to its barrier (a
    barrier missing, twice, unknown, or beside another's question), holds something that is not
    a stage, has evidence without a stage or too much evidence, or if two forms are for the same
    participant. A row with neither stage nor evidence is not answered and is left out.
    """
    problems = _Problems()
    forms: list[FormAnswers] = []
    seen: dict[str, str] = {}  # participant id -> file it came from
    for path in paths:
        form = _read_form(workshop, Path(path), problems)
        if form is not None:
            earlier = seen.get(form.participant_id)
            if earlier is not None:
                name = workshop.display_names().get(form.participant_id, "this participant")
                problems.add(
                    f"{form.source}, sheet '{DATA_SHEET}', cell {PARTICIPANT_ID_CELL}: "
                    f"this is a second form for {name} (the first is {earlier}); "
                    "import only one form per participant."
                )
            else:
                seen[form.participant_id] = form.source
                forms.append(form)
        if problems.full:
            break
    if problems.lines:
        lines = list(problems.lines)
        if problems.more or problems.full:
            lines.append("There may be more problems; fix these and import again.")
        count = "One problem" if len(problems.lines) == 1 else "Problems"
        raise RatingFormError(
            f"{count} found in the rating forms; nothing was imported.\n" + "\n".join(lines)
        )
    return forms


def _read_form(workshop: Workshop, path: Path, problems: _Problems) -> FormAnswers | None:
    """One form's answers, or None after adding its problems."""
    from openpyxl import load_workbook

    source = path.name
    data = _form_package(path, problems)
    if data is None:
        return None
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # a damaged or foreign file can fail in many ways inside openpyxl
        problems.add(
            f"{source}: not an Excel workbook (.xlsx) that can be read; "
            "use the rating form as it was sent, saved as .xlsx."
        )
        return None
    try:
        return _read_book(workshop, source, book, problems)
    finally:
        book.close()


def _form_package(path: Path, problems: _Problems) -> bytes | None:
    """The file's bytes, once its size and its parts' unpacked sizes are within what a form
    could hold; None after adding the problem. Nothing is unpacked to find out: the sizes are
    the package's own, and reading a part stops at its stated size."""
    import zipfile

    source = path.name
    try:
        if path.stat().st_size > MAX_FORM_BYTES:
            problems.add(
                f"{source}: too large to be a rating form (more than "
                f"{_megabytes(MAX_FORM_BYTES)}); use the form as it was sent."
            )
            return None
        data = path.read_bytes()
    except OSError as exc:
        problems.add(f"{source}: could not be read: {plain_os_reason(exc, 'read')}")
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = package.infolist()
    except Exception:  # not a zip package at all, or a damaged one
        problems.add(
            f"{source}: not an Excel workbook (.xlsx) that can be read; "
            "use the rating form as it was sent, saved as .xlsx."
        )
        return None
    if len(parts) > MAX_FORM_PARTS:
        problems.add(
            f"{source}: has more parts than a rating form could hold; use the form as it was sent."
        )
        return None
    if sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
        problems.add(
            f"{source}: too large to be a rating form (more than "
            f"{_megabytes(MAX_UNPACKED_BYTES)} once unpacked); use the form as it was sent."
        )
        return None
    return data


def _read_sheet(book: Any, name: str, source: str, problems: _Problems) -> _Sheet | None:
    """The sheet's first columns, refused without reading when it says it reaches beyond where
    a form ends; rows beyond that are never read, whatever it says."""
    damaged = (
        f"{source}, sheet '{name}': cannot be read, the file may be damaged; "
        "fill in a fresh copy of the form."
    )
    try:
        sheet = book[name]
        rows, columns = sheet.max_row or 0, sheet.max_column or 0  # as the sheet states them
    except Exception:  # not a worksheet (a chart sheet), or one openpyxl cannot size
        problems.add(damaged)
        return None
    if rows > MAX_SHEET_ROWS or columns > MAX_SHEET_COLUMNS:
        problems.add(
            f"{source}, sheet '{name}': it reaches row {rows:,} and column "
            f"{_column_name(columns)}, beyond where a rating form ends (row "
            f"{MAX_SHEET_ROWS:,}, column {_column_name(MAX_SHEET_COLUMNS)}); delete what is "
            "beyond the form, or fill in a fresh copy of the form."
        )
        return None
    try:
        values = [
            tuple(row)
            for row in sheet.iter_rows(
                min_row=1,
                max_row=MAX_SHEET_ROWS,
                min_col=1,
                max_col=READ_COLUMNS,
                values_only=True,
            )
        ]
    except Exception:  # a damaged sheet can fail in many ways inside openpyxl
        problems.add(damaged)
        return None
    return _Sheet(values)


def _megabytes(size: int) -> str:
    return f"{size // (1024 * 1024)} MB"


def _column_name(number: int) -> str:
    from openpyxl.utils import get_column_letter

    try:
        return get_column_letter(number)
    except ValueError:
        return f"{number:,}"


def _read_book(
    workshop: Workshop, source: str, book: Any, problems: _Problems
) -> FormAnswers | None:
    if DATA_SHEET not in book.sheetnames:
        problems.add(
            f"{source}: not an OpAssess rating form (it has no sheet '{DATA_SHEET}'); "
            "use the form as it was sent."
        )
        return None
    if FORM_SHEET not in book.sheetnames:
        problems.add(
            f"{source}: the sheet '{FORM_SHEET}' is missing or was renamed; "
            f"name it '{FORM_SHEET}' again, or fill in a fresh copy of the form."
        )
        return None
    hidden = _read_sheet(book, DATA_SHEET, source, problems)
    if hidden is None:
        return None
    where = f"{source}, sheet '{DATA_SHEET}'"
    if hidden.at(MARK_CELL) != FORM_MARK:
        problems.add(f"{where}, cell {MARK_CELL}: not an OpAssess rating form.")
        return None
    version = hidden.at(VERSION_CELL)
    if version != str(FORM_VERSION):
        problems.add(
            f"{where}, cell {VERSION_CELL}: this form's format ({_shorten(version) or 'none'}) "
            "is not one this version of OpAssess reads; make new forms from this workshop."
        )
        return None
    workshop_id = hidden.at(WORKSHOP_ID_CELL)
    if workshop_id != workshop.id:
        other = _shorten(hidden.at(WORKSHOP_TITLE_CELL))
        problems.add(
            f"{where}, cell {WORKSHOP_ID_CELL}: this form is for another workshop"
            + (f", “{other}”" if other else "")
            + "; import it into that workshop, or send this workshop's form instead."
        )
        return None
    participant_id = hidden.at(PARTICIPANT_ID_CELL)
    if not workshop.has_participant(participant_id):
        name = _shorten(hidden.at(PARTICIPANT_NAME_CELL))
        problems.add(
            f"{where}, cell {PARTICIPANT_ID_CELL}: this form is for "
            + (f"“{name}”, who is" if name else "a participant who is")
            + " not in this workshop; add them again or make new forms."
        )
        return None

    found = len(problems.lines)
    listed, set_aside = _barrier_list(workshop, source, hidden, problems)
    sheet = _read_sheet(book, FORM_SHEET, source, problems)
    if sheet is None:
        return None
    _check_whose(workshop, participant_id, source, sheet, problems)
    answers = _read_answers(workshop, source, sheet, listed, set_aside, problems)
    if answers is None or len(problems.lines) > found or problems.more:
        return None
    return FormAnswers(participant_id, tuple(answers), source)


def _check_whose(
    workshop: Workshop, participant_id: str, source: str, sheet: _Sheet, problems: _Problems
) -> None:
    """The name on the form must still be the name it was made for: a copy of one person's
    form with another's name typed over it would put their answers on the wrong person."""
    shown = " ".join(sheet.at(f"B{WHO_ROW}").split())
    expected = {
        " ".join(name.split()).casefold()
        for name in (
            workshop.display_names()[participant_id],
            workshop.participant(participant_id).name,
        )
    }
    if shown.casefold() not in expected:
        made_for = workshop.display_names()[participant_id]
        problems.add(
            f"{source}, sheet '{FORM_SHEET}', cell B{WHO_ROW}: this form was made for "
            f"“{made_for}” but now names “{_shorten(shown) or 'nobody'}”; each person "
            "fills in their own form (make one with their name), or put the name back."
        )


def _barrier_list(
    workshop: Workshop, source: str, hidden: _Sheet, problems: _Problems
) -> tuple[list[_Listed], set[str]]:
    """The barriers the form was written with, as its hidden sheet lists them, and the names
    (as _key makes them) of those set aside after adding a problem about them."""
    framework, terms = workshop.framework, workshop.framework.terms
    where = f"{source}, sheet '{DATA_SHEET}'"
    damaged = f"the form's list of {terms.dimensions} is damaged"
    fresh = "fill in a fresh copy of the form."
    has_questions = bool(hidden.text(ROWS_HEADER_ROW, "D"))
    names = {dimension.id: _key(dimension.name) for dimension in framework.dimensions}
    listed: list[_Listed] = []
    set_aside: set[str] = set()
    rows_seen: set[int] = set()
    ids_seen: set[str] = set()
    for data_row in range(ROWS_HEADER_ROW + 1, hidden.last_row + 1):
        raw_row = hidden.value(data_row, "A")
        dimension_id, name = hidden.text(data_row, "B"), hidden.text(data_row, "C")
        if raw_row is None and not dimension_id and not name:
            continue
        row = _row_number(raw_row)
        problem = None
        if row is None or not FIRST_BARRIER_ROW <= row <= MAX_SHEET_ROWS or row in rows_seen:
            shown = _shorten(hidden.text(data_row, "A")) or "nothing"
            problem = (
                f"cell A{data_row}: {damaged} ('{shown}' is not the row of "
                f"{article(terms.dimension)}); {fresh}"
            )
        elif not framework.has_dimension(dimension_id):
            problem = (
                f"cell B{data_row}: '{_shorten(dimension_id)}' is not "
                f"{article(terms.dimension)} of this workshop."
            )
        elif dimension_id in ids_seen:
            problem = f"cell B{data_row}: the {terms.dimension} '{dimension_id}' is listed twice."
        elif not name.strip():
            problem = f"cell C{data_row}: {damaged} (a name is missing); {fresh}"
        elif _key(name) != names[dimension_id] and _key(name) in names.values():
            problem = (
                f"cell B{data_row}: {damaged} (the id '{dimension_id}' belongs to another "
                f"{terms.dimension} than “{_shorten(name)}” beside it); {fresh}"
            )
        if row is not None:
            rows_seen.add(row)
        if framework.has_dimension(dimension_id):
            ids_seen.add(dimension_id)
        if problem is not None:
            problems.add(f"{where}, {problem}")
            set_aside.add(_key(name))
            continue
        assert row is not None
        question = hidden.text(data_row, "D") if has_questions else None
        listed.append(_Listed(row, dimension_id, name, question))
    return listed, set_aside


def _read_answers(
    workshop: Workshop,
    source: str,
    sheet: _Sheet,
    listed: list[_Listed],
    set_aside: set[str],
    problems: _Problems,
) -> list[tuple[str, str, str]] | None:
    """Each row of 'Rating form' matched to its barrier by name (and question), then its
    answer checked; None after adding the problems. A row named like a barrier the list had
    a problem with (`set_aside`) is passed over: that problem has been told."""
    framework = workshop.framework
    terms = framework.terms
    stages = _stage_lookup(workshop)
    choices_text = _choices_text(_stage_choices(workshop))
    here = f"{source}, sheet '{FORM_SHEET}'"
    found = len(problems.lines)

    heading = (_key(capitalised(terms.level)), "evidence")
    header = next(
        (
            row
            for row in range(1, sheet.last_row + 1)
            if (_key(sheet.text(row, STAGE_COL)), _key(sheet.text(row, EVIDENCE_COL))) == heading
        ),
        None,
    )
    if header is None:
        problems.add(
            f"{here}: the heading row ({capitalised(terms.level)}, Evidence) is missing; "
            "fill in a fresh copy of the form."
        )
        return None
    by_name: dict[str, list[_Listed]] = {}
    for entry in listed:
        by_name.setdefault(_key(entry.name), []).append(entry)

    placed: dict[_Listed, int] = {}  # barrier -> the row it is on
    accounted: set[_Listed] = set()  # barriers a problem has named already
    twins: dict[tuple[_Listed, ...], list[int]] = {}  # one name and question -> rows with it
    for row in range(header + 1, sheet.last_row + 1):
        name = sheet.text(row, BARRIER_COL)
        stage_text = " ".join(sheet.text(row, STAGE_COL).split())
        evidence = sheet.text(row, EVIDENCE_COL).strip()
        answered = bool(stage_text or evidence)
        if not name.strip():
            if answered:
                column = STAGE_COL if stage_text else EVIDENCE_COL
                problems.add(
                    f"{here}, cell {column}{row}: an answer on a row with no "
                    f"{terms.dimension} named in column {BARRIER_COL}; put it on the row of the "
                    f"{terms.dimension} it is for."
                )
            continue
        candidates = by_name.get(_key(name), [])
        if not candidates:
            if answered and _key(name) not in set_aside:  # a note on its own row is left alone
                problems.add(
                    f"{here}, cell {BARRIER_COL}{row}: “{_shorten(name)}” is not "
                    f"{article(terms.dimension)} on this form; column {BARRIER_COL} must keep "
                    "the names as they were sent."
                )
            continue
        question = sheet.text(row, QUESTION_COL)
        matching = [
            entry
            for entry in candidates
            if entry.question is None or _key(entry.question) == _key(question)
        ]
        if not matching:
            accounted.update(candidates)
            problems.add(
                f"{here}, cell {QUESTION_COL}{row}: the question here belongs to another "
                f"{terms.dimension} than “{_shorten(name)}” in column {BARRIER_COL}, so the "
                "row's cells have been moved apart; put them back together, or fill in a fresh "
                "copy of the form."
            )
            continue
        if len(matching) > 1:  # the same name and question twice: settled below
            twins.setdefault(tuple(matching), []).append(row)
            continue
        entry = matching[0]
        if entry in placed:
            accounted.add(entry)
            problems.add(
                f"{here}, cell {BARRIER_COL}{row}: the {terms.dimension} “{_shorten(name)}” is "
                f"on this sheet twice (rows {placed[entry]} and {row}); keep one row for it."
            )
            continue
        placed[entry] = row
    # Barriers with one name and question are told apart only while every one of them is still
    # on the row it was written on: once any has moved, which is which cannot be known.
    for group, rows in twins.items():
        if sorted(rows) == sorted(entry.row for entry in group):
            placed.update((entry, entry.row) for entry in group)
            continue
        accounted.update(group)
        row = next((row for row in rows if row not in {entry.row for entry in group}), rows[0])
        problems.add(
            f"{here}, cell {BARRIER_COL}{row}: more than one {terms.dimension} is called "
            f"“{_shorten(group[0].name)}” and their rows have moved, so which is which cannot "
            "be told; put them back where they were, or fill in a fresh copy of the form."
        )
    for entry in listed:
        if entry not in placed and entry not in accounted:
            problems.add(
                f"{here}: the {terms.dimension} “{_shorten(entry.name)}” is missing (it was on "
                f"row {entry.row}); put its row back, or fill in a fresh copy of the form."
            )

    answers: list[tuple[str, str, str]] = []
    for entry, row in sorted(placed.items(), key=lambda item: item[1]):
        stage_ref, evidence_ref = f"{STAGE_COL}{row}", f"{EVIDENCE_COL}{row}"
        stage_text = " ".join(sheet.text(row, STAGE_COL).split())
        evidence = sheet.text(row, EVIDENCE_COL).strip()
        if not stage_text and not evidence:
            continue  # not answered
        if entry.dimension_id not in workshop.scope:
            problems.add(
                f"{here}, cell {BARRIER_COL}{row}: “{_shorten(entry.name)}” is not in scope for "
                "this workshop; bring it back into scope or clear that row."
            )
            continue
        stage = stages.get(_key(stage_text))
        if not stage_text:
            problems.add(
                f"{here}, cell {stage_ref}: there is evidence but no {terms.level}; "
                f"choose {choices_text}."
            )
        elif stage is None:
            problems.add(
                f"{here}, cell {stage_ref}: '{_shorten(stage_text)}' is not "
                f"{article(terms.level)}; choose {choices_text}."
            )
        if len(evidence) > MAX_EVIDENCE_CHARS:
            problems.add(
                f"{here}, cell {evidence_ref}: the evidence is too long ({len(evidence):,} "
                f"characters; at most {MAX_EVIDENCE_CHARS:,})."
            )
        if stage is not None:
            answers.append((entry.dimension_id, stage, evidence))
    if len(problems.lines) > found or problems.more:
        return None
    return answers


def _key(text: str) -> str:
    """Text as compared: case and runs of spaces, line breaks included, do not matter."""
    return " ".join(text.split()).casefold()


def _stage_choices(workshop: Workshop) -> list[str]:
    """What the stage drop-down offers: every stage's name, then Not sure."""
    return [stage_name(workshop, stage) for stage in (*workshop.framework.level_ids, NOT_SURE)]


def _stage_lookup(workshop: Workshop) -> dict[str, str]:
    """Accepted stage text, as _key makes it -> stage id or NOT_SURE: stage names and ids."""
    lookup = {_key(NOT_SURE_LABEL): NOT_SURE, _key(NOT_SURE): NOT_SURE}
    for level in workshop.framework.levels:
        lookup[_key(level.id)] = level.id
    for level in workshop.framework.levels:
        lookup[_key(level.name)] = level.id
    return lookup


def _row_number(value: object) -> int | None:
    """A whole number, as a number or as digits; None for anything else (a formula, True)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    digits = value.strip() if isinstance(value, str) else ""
    if digits.isascii() and digits.isdigit() and len(digits) <= 9:
        return int(digits)
    return None


def _shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- applying ---------------------------------------------------------------------------------


def apply_rating_forms(workshop: Workshop, forms: Iterable[FormAnswers]) -> Workshop:
    """Record every answer of the forms: a pure edit, applied by the caller as one undoable
    step. An answer replaces the participant's earlier rating and evidence for that barrier."""
    for form in forms:
        workshop = record_ratings(workshop, form.participant_id, form.answers)
    return workshop


def import_rating_forms(workshop: Workshop, paths: Iterable[Path]) -> Workshop:
    """Read and apply rating forms; RatingFormError, with the workshop untouched, on a problem."""
    return apply_rating_forms(workshop, read_rating_forms(workshop, paths))
