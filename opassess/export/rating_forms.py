"""Spreadsheet rating forms: one .xlsx per participant, filled in before the workshop and read
back as one undoable edit.

Each form has a visible sheet, "Rating form", where the participant picks a stage for every
barrier in scope from a drop-down (or Not sure) and writes their evidence, and a hidden sheet,
"opassess", that records which workshop and participant the form is for and which barrier each
row holds. Reading matches rows through the hidden sheet, so an edited barrier name in the
visible sheet changes nothing.

Reading checks every file before anything is applied: `read_rating_forms` raises
RatingFormError listing the problems (file, sheet, cell, what to do), and `apply_rating_forms`
is a pure edit, so importing a batch is all or nothing and one undo takes it back.

openpyxl is imported inside the functions that need it, never when this module is imported.
Writing and reading stay together (a little over 500 lines) because the hidden sheet's layout is
a contract between the two.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from opassess.export import ExportError
from opassess.export.cells import spreadsheet_text
from opassess.files import plain_os_reason, safe_file_stem, write_atomically
from opassess.frameworks import Terms, capitalised
from opassess.wording import NOT_SURE_LABEL, article, stage_name
from opassess.workshop import NOT_SURE, Workshop, record_ratings

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

FORM_SHEET = "Rating form"
DATA_SHEET = "opassess"
FORM_MARK = "opassess-rating-form"
FORM_VERSION = 1
MAX_EVIDENCE_CHARS = 20_000
MAX_PROBLEMS = 10
MAX_FORM_BYTES = 20 * 1024 * 1024  # a filled form is tens of kilobytes
MAX_FORM_ROWS = 500  # rows of the hidden sheet's barrier list read at most

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
ROWS_HEADER_ROW = 8  # then from row 9: A = row in the visible sheet, B = barrier id, C = name


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
    written = []
    for participant in workshop.participants:
        path = paths[participant.id]
        if keep_existing and path.exists():
            continue
        data = _form_bytes(workshop, participant.id, names[participant.id], participant.role)
        try:
            write_atomically(path, data)
        except OSError as exc:
            raise ExportError(
                f"Could not write the rating form “{path.name}”: {plain_os_reason(exc, 'write')}"
            ) from exc
        written.append(path)
    return written


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
    # Labels for a person who unhides the sheet; reading goes by position, not by these.
    row_labels = ("Row", f"{dimension_heading} id", f"{dimension_heading} name")
    for column, text in zip("ABC", row_labels, strict=True):
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


def read_rating_forms(workshop: Workshop, paths: Iterable[Path]) -> list[FormAnswers]:
    """Read filled-in rating forms for `workshop`, checking everything first.

    RatingFormError lists the problems (up to MAX_PROBLEMS, one a line, each naming the file,
    sheet and cell) if any form is not a rating form of this workshop, names an unknown
    participant or barrier, holds something that is not a stage, has evidence without a stage
    or too much evidence, or if two forms are for the same participant. A row with neither
    stage nor evidence is not answered and is left out.
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
    try:
        if path.stat().st_size > MAX_FORM_BYTES:
            problems.add(f"{source}: the file is too large to be a rating form.")
            return None
        data = path.read_bytes()
    except OSError as exc:
        problems.add(f"{source}: could not be read: {plain_os_reason(exc, 'read')}")
        return None
    try:
        book = load_workbook(io.BytesIO(data), data_only=False)
    except Exception:  # a damaged or foreign file can fail in many ways inside openpyxl
        problems.add(
            f"{source}: not an Excel workbook (.xlsx) that can be read; "
            "use the rating form as it was sent, saved as .xlsx."
        )
        return None

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
    data_sheet = book[DATA_SHEET]
    sheet = book[FORM_SHEET]
    where = f"{source}, sheet '{DATA_SHEET}'"
    if _value(data_sheet, MARK_CELL) != FORM_MARK:
        problems.add(f"{where}, cell {MARK_CELL}: not an OpAssess rating form.")
        return None
    version = _value(data_sheet, VERSION_CELL)
    if version != str(FORM_VERSION):
        problems.add(
            f"{where}, cell {VERSION_CELL}: this form's format ({version or 'none'}) is not one "
            "this version of OpAssess reads; make new forms from this workshop."
        )
        return None
    workshop_id = _value(data_sheet, WORKSHOP_ID_CELL)
    if workshop_id != workshop.id:
        other = _value(data_sheet, WORKSHOP_TITLE_CELL)
        problems.add(
            f"{where}, cell {WORKSHOP_ID_CELL}: this form is for another workshop"
            + (f", “{other}”" if other else "")
            + "; import it into that workshop, or send this workshop's form instead."
        )
        return None
    participant_id = _value(data_sheet, PARTICIPANT_ID_CELL)
    if not workshop.has_participant(participant_id):
        name = _value(data_sheet, PARTICIPANT_NAME_CELL)
        problems.add(
            f"{where}, cell {PARTICIPANT_ID_CELL}: this form is for "
            + (f"“{name}”, who is" if name else "a participant who is")
            + " not in this workshop; add them again or make new forms."
        )
        return None

    answers = _read_answers(workshop, source, data_sheet, sheet, problems)
    if answers is None:
        return None
    return FormAnswers(participant_id, tuple(answers), source)


def _read_answers(
    workshop: Workshop,
    source: str,
    data_sheet: Worksheet,
    sheet: Worksheet,
    problems: _Problems,
) -> list[tuple[str, str, str]] | None:
    framework = workshop.framework
    terms = framework.terms
    stages = _stage_lookup(workshop)
    choices_text = _choices_text(_stage_choices(workshop))
    where = f"{source}, sheet '{DATA_SHEET}'"
    answers: list[tuple[str, str, str]] = []
    rows_seen: set[int] = set()
    dimensions_seen: set[str] = set()
    found = len(problems.lines)
    last = min(data_sheet.max_row, ROWS_HEADER_ROW + MAX_FORM_ROWS)
    for data_row in range(ROWS_HEADER_ROW + 1, last + 1):
        raw_row = data_sheet[f"A{data_row}"].value
        dimension_id = _value(data_sheet, f"B{data_row}")
        if raw_row is None and not dimension_id:
            continue
        row = _row_number(raw_row)
        if row is None or row < FIRST_BARRIER_ROW or row in rows_seen:
            problems.add(f"{where}, cell A{data_row}: the form's row list is damaged.")
            continue
        if not framework.has_dimension(dimension_id) or dimension_id in dimensions_seen:
            problems.add(
                f"{where}, cell B{data_row}: "
                + (
                    f"'{dimension_id}' is not {article(terms.dimension)} of this workshop."
                    if dimension_id not in dimensions_seen
                    else f"the {terms.dimension} '{dimension_id}' is listed twice."
                )
            )
            continue
        rows_seen.add(row)
        dimensions_seen.add(dimension_id)

        stage_ref, evidence_ref = f"{STAGE_COL}{row}", f"{EVIDENCE_COL}{row}"
        stage_text = _value(sheet, stage_ref).strip()
        evidence = _value(sheet, evidence_ref).strip()
        if not stage_text and not evidence:
            continue  # not answered
        here = f"{source}, sheet '{FORM_SHEET}'"
        if dimension_id not in workshop.scope:
            name = framework.dimension(dimension_id).name
            problems.add(
                f"{where}, cell B{data_row}: “{name}” (row {row} of '{FORM_SHEET}') is not in "
                "scope for this workshop; bring it back into scope or clear that row."
            )
            continue
        stage = stages.get(stage_text.casefold())
        if not stage_text:
            problems.add(
                f"{here}, cell {stage_ref}: there is evidence but no {terms.level}; "
                f"choose {choices_text}."
            )
        elif stage is None:
            problems.add(
                f"{here}, cell {stage_ref}: '{_shorten(stage_text)}' is not "
                f"{article(terms.level)}; "
                f"choose {choices_text}."
            )
        if len(evidence) > MAX_EVIDENCE_CHARS:
            problems.add(
                f"{here}, cell {evidence_ref}: the evidence is too long ({len(evidence):,} "
                f"characters; at most {MAX_EVIDENCE_CHARS:,})."
            )
        if stage is not None:
            answers.append((dimension_id, stage, evidence))
    if len(problems.lines) > found or problems.more:
        return None
    return answers


def _stage_choices(workshop: Workshop) -> list[str]:
    """What the stage drop-down offers: every stage's name, then Not sure."""
    return [stage_name(workshop, stage) for stage in (*workshop.framework.level_ids, NOT_SURE)]


def _stage_lookup(workshop: Workshop) -> dict[str, str]:
    """Accepted stage text, casefolded -> stage id or NOT_SURE: stage names and ids."""
    lookup = {NOT_SURE_LABEL.casefold(): NOT_SURE, NOT_SURE.casefold(): NOT_SURE}
    for level in workshop.framework.levels:
        lookup[level.id.casefold()] = level.id
    for level in workshop.framework.levels:
        lookup[" ".join(level.name.split()).casefold()] = level.id
    return lookup


def _value(sheet: Worksheet, ref: str) -> str:
    """A cell's content as text ('' when empty); a formula comes back as typed, e.g. '=1+1'."""
    value = sheet[ref].value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _row_number(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
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
