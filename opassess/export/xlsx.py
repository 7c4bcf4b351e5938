"""The workshop as an Excel workbook: summary with a chart, ratings ready for pivot tables, the
agreed stages and plan, an action tracker, and the framework's wording. Headings use the
framework's own words (a "Question" and its "Rating"); the module's header constants are the
breakthrough model's, which Terms() gives.

Every piece of text a person typed is written as literal text (never a formula, whatever it
starts with), with characters a workbook cannot hold replaced by a visible mark. The workbook is
built in memory and written in one atomic step, so a failed export leaves no half-written file
and an earlier file unchanged.

openpyxl is imported at the top of this module; callers import the module only when an export is
asked for. It runs to about 600 lines: what each sheet holds (SheetContent) and the one writer
that lays every sheet out in the same styles stay together, so a sheet and its look change as one.
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass, field
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, Reference
from openpyxl.drawing.colors import ColorChoice
from openpyxl.drawing.fill import PatternFillProperties
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from opassess.analysis import movement, summarise, unmatched
from opassess.export import save_export
from opassess.export.cells import MAX_CELL_CHARS, REPLACEMENT, spreadsheet_text
from opassess.frameworks import Framework, Terms, capitalised
from opassess.wording import (
    NOT_RATED_LABEL,
    NOT_SURE_LABEL,
    compared_stage_name,
    follow_up_label,
    movement_words,
    reassess_by,
    stage_name,
    status_label,
    target_words,
    unmatched_words,
)
from opassess.workshop import Workshop

SUMMARY = "Summary"
RATINGS = "Ratings"
PLAN = "Consensus and plan"
ACTIONS = "Actions"
DESCRIPTORS = "Descriptors"
MOVEMENT = "Movement"  # only in a re-assessment's workbook
DATE_FORMAT = "d mmm yyyy"
ACTIONS_TABLE = "ActionTracker"
CREATOR = "OpAssess"

MAX_WIDTH = 60
LINE_HEIGHT = 15  # points per line of 11 pt text
MAX_HEIGHT = 409  # the tallest row a spreadsheet allows, in points
MIN_WIDTH = 8
DATE_WIDTH = 12
_SURROGATES = re.compile("[\ud800-\udfff]")
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")
# Counts and stage distances sit in narrow columns beside text: centred, a digit does not read
# as the first character of the text to its right.
_COUNT = Alignment(horizontal="center", vertical="top")
# For a stage whose colour an earlier stage already has (beyond the palette's six colours).
_HATCHINGS: tuple[Literal["wdDnDiag", "dkVert"], ...] = ("wdDnDiag", "dkVert")
# The descriptors sheet's extra columns, each there only when some barrier in scope has it.
PROMPTS_HEADER = "Questions to test the rating"
WARNING_SIGNS_HEADER = "Warning signs"
SOURCE_NOTE_HEADER = "Source"


# -- headings in the framework's words --------------------------------------------------------


def suggestions_sheet(terms: Terms) -> str:
    """The sheet of the framework's ideas for action: 'Breakthroughs', 'Suggestions'."""
    return capitalised(terms.suggestions)


def sheet_names(terms: Terms) -> tuple[str, ...]:
    return (SUMMARY, RATINGS, PLAN, ACTIONS, DESCRIPTORS, suggestions_sheet(terms))


def movement_header(terms: Terms) -> tuple[str, ...]:
    return (
        capitalised(terms.dimension),
        "Last time",
        "Now",
        "Change",
        "Last time's target",
        "Last time's action",
        "Responsible",
        "Due",
        "What became of it",
        "Note",
    )


def ratings_header(terms: Terms) -> tuple[str, ...]:
    dimension, level = capitalised(terms.dimension), capitalised(terms.level)
    return ("Participant", "Role", dimension, level, "Evidence")


def plan_header(terms: Terms) -> tuple[str, ...]:
    return (
        capitalised(terms.dimension),
        f"Agreed {terms.level}",
        "Rationale",
        "Dissent",
        f"Target {terms.level}",
        "Action",
        "Responsible",
        "Accountable",
        "Due",
        "Status",
    )


def actions_header(terms: Terms) -> tuple[str, ...]:
    return (
        "Action",
        capitalised(terms.dimension),
        "Responsible",
        "Accountable",
        "Due date",
        "Status",
    )


def descriptors_header(terms: Terms) -> tuple[str, ...]:
    return (capitalised(terms.dimension), capitalised(terms.level), "Descriptor")


def suggestions_header(terms: Terms) -> tuple[str, ...]:
    return (
        "Number",
        capitalised(terms.suggestion),
        "Summary",
        capitalised(terms.dimensions),
        "Suggested action",
    )


def gap_header(terms: Terms) -> str:
    return f"Gap to target ({terms.levels})"


def spread_header(terms: Terms) -> str:
    return f"Spread ({terms.levels})"


def chart_title(terms: Terms) -> str:
    """'Ratings per stage'; where the stages are themselves called ratings, that would say
    nothing, so 'Participants per rating'."""
    if terms.level == "rating":
        return f"Participants per {terms.level}"
    return f"Ratings per {terms.level}"


# The breakthrough model's headings, as Terms' defaults give them.
_BREAKTHROUGH = Terms()
BREAKTHROUGHS = suggestions_sheet(_BREAKTHROUGH)
SHEET_NAMES = sheet_names(_BREAKTHROUGH)
MOVEMENT_HEADER = movement_header(_BREAKTHROUGH)
RATINGS_HEADER = ratings_header(_BREAKTHROUGH)
PLAN_HEADER = plan_header(_BREAKTHROUGH)
ACTIONS_HEADER = actions_header(_BREAKTHROUGH)
DESCRIPTORS_HEADER = descriptors_header(_BREAKTHROUGH)
BREAKTHROUGHS_HEADER = suggestions_header(_BREAKTHROUGH)
GAP_HEADER = gap_header(_BREAKTHROUGH)
SPREAD_HEADER = spread_header(_BREAKTHROUGH)


def write_workbook(workshop: Workshop, path: Path, previous: Workshop | None = None) -> None:
    """Write `workshop` as an .xlsx workbook at `path`, replacing any file there atomically;
    `previous`, the workshop it re-assesses, adds a sheet of the movement since then.

    Raises ExportError with a plain message when the file cannot be written; the file at `path`,
    if any, is then left as it was and no temporary file remains.
    """
    path = Path(path)
    data = workbook_bytes(workshop, previous)
    save_export(data, path)


def workbook_bytes(workshop: Workshop, previous: Workshop | None = None) -> bytes:
    """The complete .xlsx file for `workshop`, built in memory."""
    writer = _Writer()
    buffer = BytesIO()
    writer.build(workshop, previous).save(buffer)
    data = buffer.getvalue()
    if writer.has_carriage_return:
        data = _keep_carriage_returns(data)
    return data


def cell_text(value: str) -> str:
    """`value` as this workbook stores it: spreadsheet-safe, and no longer than Excel allows."""
    # Printable text holds no control character, lone surrogate or non-character, and at this
    # length fits whatever its script: most cells, passed through without the two scans below.
    if len(value) <= MAX_CELL_CHARS // 2 and value.isprintable():
        return value
    text = _SURROGATES.sub(REPLACEMENT, spreadsheet_text(value))
    # Excel's limit counts UTF-16 units: a character beyond the BMP (an emoji) counts twice.
    if len(text) > MAX_CELL_CHARS // 2 and _utf16_length(text) > MAX_CELL_CHARS:
        while _utf16_length(text) > MAX_CELL_CHARS - 1:
            text = text[: -max(1, (_utf16_length(text) - MAX_CELL_CHARS + 1) // 2)]
        text += "…"
    return text


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


# -- the content of each sheet ----------------------------------------------------------------


@dataclass
class SheetContent:
    """One sheet's cells as plain values (text, whole numbers, dates or None), header included."""

    name: str
    rows: list[list[Any]]
    header_row: int = 1  # 1-based row of the column headings
    label_rows: int = 0  # leading rows of label/value pairs (the Summary's workshop details)
    autofilter: bool = True
    extra: dict[str, Any] = field(default_factory=dict)


def sheet_contents(workshop: Workshop, previous: Workshop | None = None) -> list[SheetContent]:
    """Every sheet's rows, in order: what the workbook holds, before any styling."""
    framework = workshop.framework
    terms = framework.terms
    levels = framework.levels
    dimensions = workshop.scoped_dimensions()

    def stage(level_id: str | None) -> str | None:  # an empty cell for no stage
        return None if level_id is None else stage_name(workshop, level_id)

    details: list[list[Any]] = [
        ["Workshop", workshop.title],
        ["Organisation", workshop.organisation],
        ["Team", workshop.team],
        ["Date", workshop.held_on],
        ["Facilitator", workshop.facilitator],
        ["Participants", len(workshop.participants)],
        [reassess_by(terms), workshop.reassess_on],
    ]
    summary_header = [
        capitalised(terms.dimension),
        f"Agreed {terms.level}",
        f"Target {terms.level}",
        gap_header(terms),
        spread_header(terms),
        "Disagreement",
        *(level.name for level in levels),
        NOT_SURE_LABEL,
        NOT_RATED_LABEL,
    ]
    summary_rows = [
        [
            s.name,
            stage(s.consensus),
            stage(s.target),
            s.gap,
            s.spread,
            "; ".join(s.disagreement_reasons),
            *s.counts.values(),
            s.not_sure,
            s.missing,
        ]
        for s in summarise(workshop)
    ]
    summary = SheetContent(
        SUMMARY,
        [*details, [], summary_header, *summary_rows],
        header_row=len(details) + 2,
        label_rows=len(details),
        autofilter=False,
        extra={
            "first_count_column": 7,
            "levels": len(levels),
            "barriers": len(summary_rows),
            "colours": framework.colours,
            "title": chart_title(terms),
        },
    )

    names = workshop.display_names()
    ratings_rows: list[list[Any]] = [list(ratings_header(terms))]
    for dimension in dimensions:
        for participant in workshop.participants:
            rating = workshop.ratings.get((participant.id, dimension.id))
            if rating is not None:
                ratings_rows.append(
                    [
                        names[participant.id],
                        participant.role,
                        dimension.name,
                        stage(rating.stage),
                        rating.evidence,
                    ]
                )

    plan_rows: list[list[Any]] = [list(plan_header(terms))]
    action_rows: list[list[Any]] = [list(actions_header(terms))]
    for dimension in dimensions:
        agreed = workshop.consensus.get(dimension.id)
        barrier = [
            dimension.name,
            stage(agreed.stage) if agreed else None,
            agreed.rationale if agreed else None,
            agreed.dissent if agreed else None,
            stage(workshop.targets.get(dimension.id)),
        ]
        actions = workshop.actions_for(dimension.id)
        if not actions:
            plan_rows.append([*barrier, None, None, None, None, None])
        for index, action in enumerate(actions):
            status = status_label(action.status)
            plan_rows.append(
                [
                    *(barrier if index == 0 else [dimension.name, None, None, None, None]),
                    action.text,
                    action.responsible,
                    action.accountable,
                    action.due_on,
                    status,
                ]
            )
            action_rows.append(
                [
                    action.text,
                    dimension.name,
                    action.responsible,
                    action.accountable,
                    action.due_on,
                    status,
                ]
            )

    descriptor_rows = _descriptor_rows(framework, dimensions)

    in_scope = {d.id: d.name for d in dimensions}
    breakthrough_rows: list[list[Any]] = [list(suggestions_header(terms))]
    for suggestion in framework.suggestions:
        helped = [in_scope[d] for d in suggestion.dimensions if d in in_scope]
        if not helped:
            continue
        first = [suggestion.number, suggestion.name, suggestion.summary, "; ".join(helped)]
        for action_text in suggestion.actions or ("",):
            breakthrough_rows.append([*first, action_text])

    sheets = [
        summary,
        SheetContent(RATINGS, ratings_rows),
        SheetContent(PLAN, plan_rows),
        SheetContent(ACTIONS, action_rows, autofilter=False),
        SheetContent(DESCRIPTORS, descriptor_rows),
        SheetContent(suggestions_sheet(terms), breakthrough_rows),
    ]
    if previous is not None:
        sheets.insert(3, _movement_sheet(workshop, previous))
    return sheets


def _descriptor_rows(framework: Framework, dimensions: Sequence[Any]) -> list[list[Any]]:
    """A row per descriptor line. A framework whose barriers carry questions to test a rating,
    warning signs or a source note gets a column for each, filled on a barrier's first row
    (one item a line); a framework without them (the breakthrough model) gets none."""
    extras = [
        (header, name)
        for header, name in (
            (PROMPTS_HEADER, "prompts"),
            (WARNING_SIGNS_HEADER, "warning_signs"),
            (SOURCE_NOTE_HEADER, "source_note"),
        )
        if any(getattr(d, name) for d in dimensions)
    ]
    rows: list[list[Any]] = [[*descriptors_header(framework.terms), *(h for h, _ in extras)]]
    for dimension in dimensions:
        lines: list[tuple[str | None, str | None]] = [
            (level.name, line)
            for level in framework.levels
            for line in dimension.descriptors.get(level.id, ())
        ]
        if extras and not lines:
            lines = [(None, None)]  # no descriptors: the extras still get a row
        for index, (level_name, line) in enumerate(lines):
            row = [dimension.name, level_name, line]
            if index == 0:
                row += [_lines(getattr(dimension, name)) for _, name in extras]
            rows.append(row)
    return rows


def _lines(value: str | tuple[str, ...]) -> str | None:
    """A list as one cell, an item a line; None for nothing, so the cell stays empty."""
    text = value if isinstance(value, str) else "\n".join(f"• {item}" for item in value)
    return text or None


def _movement_sheet(workshop: Workshop, previous: Workshop) -> SheetContent:
    """A row per barrier: last time's stage, now, the change and last time's target; then
    one row per action agreed last time, with what became of it and the note, as marked at
    this workshop's setup ("Not marked yet" where nobody marked it)."""

    def named(stage: str | None) -> str | None:
        return compared_stage_name(workshop, previous, stage)

    terms = workshop.framework.terms
    rows: list[list[Any]] = [list(movement_header(terms))]
    for move in movement(previous, workshop):
        target = named(move.target_before)
        line = [
            move.name,
            named(move.before),
            named(move.now),
            movement_words(move, terms),
            (target + target_words(move)) if target else None,
        ]
        actions = move.earlier_actions or (None,)
        for index, action in enumerate(actions):
            said: list[Any] = [None] * 5
            if action is not None:
                marked = workshop.followups.get(action.id)
                said = [
                    action.text,
                    action.responsible or None,
                    action.due_on,
                    follow_up_label(marked.outcome if marked else None),
                    marked.note if marked and marked.note else None,
                ]
            rows.append([*(line if index == 0 else [move.name, None, None, None, None]), *said])
    not_compared = unmatched_words(unmatched(previous, workshop), terms)
    if not_compared:
        rows += [[], [not_compared]]
    return SheetContent(MOVEMENT, rows)


# -- writing ----------------------------------------------------------------------------------


class _Writer:
    def __init__(self) -> None:
        self.has_carriage_return = False
        self.styles: dict[str, Any] = {}

    def build(self, workshop: Workshop, previous: Workshop | None = None) -> Workbook:
        workbook = Workbook()
        workbook.remove(workbook.worksheets[0])
        workbook.properties.title = self.text(workshop.title)
        workbook.properties.creator = CREATOR
        workbook.properties.lastModifiedBy = CREATOR
        for content in sheet_contents(workshop, previous):
            sheet = workbook.create_sheet(content.name)
            self.fill(sheet, content)
            if content.name == SUMMARY:
                _add_chart(sheet, content)
            elif content.name == ACTIONS:
                add_table(sheet, content)
        return workbook

    def style(self, cell: Any, kind: str) -> None:
        """Give `cell` one of the workbook's few styles.

        Setting font, fill and alignment through openpyxl hashes each one per cell, which cost
        as much as the rest of the export; the first cell of a kind is styled that way and the
        others share its style indexes. Sharing one array is safe because no cell is styled
        twice: the workbook is saved as soon as it is built.
        """
        template = self.styles.get(kind)
        if template is not None:
            cell._style = template
            return
        if kind in ("heading", "label"):
            cell.font = _HEADER_FONT
        if kind == "heading":
            cell.fill = _HEADER_FILL
            cell.alignment = _WRAP
        elif kind == "wrap":
            cell.alignment = _WRAP
        elif kind == "top":
            cell.alignment = _TOP
        elif kind == "date":
            cell.number_format = DATE_FORMAT
            cell.alignment = _TOP
        elif kind == "count":
            cell.alignment = _COUNT
        self.styles[kind] = copy(cell._style)

    def text(self, value: str) -> str:
        text = cell_text(value)
        if "\r" in text:
            self.has_carriage_return = True
        return text

    def fill(self, sheet: Worksheet, content: SheetContent) -> None:
        # The workshop details may run on to the right; only their labels set a width.
        labels = [row[:1] for row in content.rows[: content.label_rows]]
        headings = content.rows[content.header_row - 1]
        body = content.rows[content.label_rows : content.header_row - 1]
        body += content.rows[content.header_row :]
        widths = _column_widths([*labels, *body], headings)
        heading_lines = max(
            (
                _heading_lines(text, widths.get(column) or MAX_WIDTH)
                for column, text in enumerate(headings, start=1)
            ),
            default=1,
        )
        if heading_lines > 1:
            height = min(heading_lines * LINE_HEIGHT, MAX_HEIGHT)
            sheet.row_dimensions[content.header_row].height = height
        wrap = {column for column, width in widths.items() if width is None}
        cells = sheet._cells  # each cell made once, without the lookup sheet.cell() does
        for row_number, row in enumerate(content.rows, start=1):
            heading = row_number == content.header_row
            label = row_number <= content.label_rows
            lines = 1
            if wrap and not label and not heading:
                wrapped = (row[column - 1] for column in wrap if column <= len(row))
                lines = max((_wrapped_lines(value) for value in wrapped), default=1)
                if lines > 1:
                    sheet.row_dimensions[row_number].height = min(lines * LINE_HEIGHT, MAX_HEIGHT)
            for column, value in enumerate(row, start=1):
                if value is None or value == "":
                    continue
                cell = Cell(sheet, row=row_number, column=column)
                if isinstance(value, str):
                    # Stored as literal text, even when it starts with "=". cell_text has
                    # already made it safe, so openpyxl's own value checks are skipped.
                    cell._value = self.text(value)  # type: ignore[attr-defined]
                    cell.data_type = "s"
                else:
                    cell.value = value
                cells[row_number, column] = cell
                if heading:
                    self.style(cell, "heading")
                elif label and column == 1:
                    self.style(cell, "label")
                elif isinstance(value, date):
                    self.style(cell, "date")
                elif isinstance(value, int) and not label:
                    self.style(cell, "count")
                elif column in wrap and not label:
                    self.style(cell, "wrap")
                elif lines > 1 and isinstance(value, str) and not label:
                    self.style(cell, "top")  # level with the first line of the wrapped text
        for column, width in widths.items():
            letter = get_column_letter(column)
            sheet.column_dimensions[letter].width = MAX_WIDTH if width is None else width
        last_column = get_column_letter(max(len(content.rows[content.header_row - 1]), 1))
        last_row = max(len(content.rows), content.header_row + 1)
        sheet.freeze_panes = f"A{content.header_row + 1}"
        sheet.print_title_rows = f"{content.header_row}:{content.header_row}"
        if content.autofilter:
            sheet.auto_filter.ref = f"A{content.header_row}:{last_column}{last_row}"
        setup = sheet.page_setup
        setup.orientation = "landscape"
        setup.paperSize = sheet.PAPERSIZE_A4
        setup.fitToWidth = 1
        setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def _wrapped_lines(value: object) -> int:
    """About how many lines `value` takes in a wrapped column of MAX_WIDTH.

    Row heights are written out because LibreOffice keeps a row at its stored height when it
    opens a workbook, so wrapped text would otherwise print over the rows below it.
    """
    if not isinstance(value, str) or (len(value) <= _CHARS_PER_LINE and "\n" not in value):
        return 1
    return sum(max(1, math.ceil(len(line) / _CHARS_PER_LINE)) for line in value.splitlines())


def _heading_lines(text: object, width: float) -> int:
    """How many lines a heading wraps to in a column `width` characters wide (bold, so a
    little narrower than its width says, and room kept for a filter button)."""
    if not isinstance(text, str):
        return 1
    room = max(int(width) - 3, 1)
    lines, used = 1, 0
    for word in text.split():
        if used and used + 1 + len(word) > room:
            lines, used = lines + 1, len(word)
        else:
            used += len(word) + (1 if used else 0)
    return lines


# A column MAX_WIDTH "0"s wide holds a few more characters of ordinary text than that.
_CHARS_PER_LINE = MAX_WIDTH * 7 // 6


def _column_widths(
    rows: Sequence[Sequence[Any]], headings: Sequence[Any] = ()
) -> dict[int, float | None]:
    """Column -> width in characters; None for a column whose text needs wrapping.

    Headings wrap, so they ask only for their longest word: "Gap to target (stages)" over a
    column of single digits would otherwise widen the sheet, and the printed page is fitted to
    the sheet's width.
    """
    longest: dict[int, int] = {
        column: max(map(len, text.split()), default=0)
        for column, text in enumerate(headings, start=1)
        if isinstance(text, str)
    }
    wraps: set[int] = set()
    for row in rows:
        for column, value in enumerate(row, start=1):
            if value is None:
                continue
            if isinstance(value, str):
                if len(value) > MAX_WIDTH or "\n" in value or "\r" in value:
                    wraps.add(column)
                    continue
                length = len(value)
            elif isinstance(value, date):
                length = DATE_WIDTH
            else:
                length = len(str(value))
            if length > longest.get(column, 0):
                longest[column] = length
    widths: dict[int, float | None] = {}
    for column in sorted(set(longest) | wraps):
        if column in wraps:
            widths[column] = None
        else:
            widths[column] = float(min(max(longest[column] + 2, MIN_WIDTH), MAX_WIDTH))
    return widths


def _add_chart(sheet: Worksheet, content: SheetContent) -> None:
    """A stacked bar per barrier: how many rated it at each stage."""
    barriers = content.extra["barriers"]
    first = content.extra["first_count_column"]
    last = first + content.extra["levels"] - 1
    header = content.header_row
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = content.extra["title"]
    chart.y_axis.title = "Participants"
    chart.y_axis.majorGridlines = None
    chart.x_axis.scaling.orientation = "maxMin"  # barriers top to bottom, as in the table
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.legend.position = "b"
    chart.add_data(
        Reference(sheet, min_col=first, max_col=last, min_row=header, max_row=header + barriers),
        titles_from_data=True,
    )
    chart.set_categories(
        Reference(sheet, min_col=1, max_col=1, min_row=header + 1, max_row=header + barriers)
    )
    # The stages in the framework's colours, as on the screens: its own where it gives them
    # (delivery confidence's red to green), else the colour-blind-safe palette's, never the
    # spreadsheet's default red and green. A framework may have more stages than the palette
    # has colours; on screen a shape tells those apart, here a hatching in the repeated colour.
    colours: tuple[str, ...] = content.extra["colours"]
    seen: dict[str, int] = {}
    for series, hex_colour in zip(chart.series, colours, strict=True):
        colour = hex_colour.lstrip("#").upper()
        repeat = seen.get(colour, 0)
        seen[colour] = repeat + 1
        if not repeat:
            series.graphicalProperties.solidFill = colour
        else:
            series.graphicalProperties.pattFill = PatternFillProperties(
                prst=_HATCHINGS[(repeat - 1) % len(_HATCHINGS)],
                # The stubs type srgbClr as RGBPercent; openpyxl itself passes hex strings.
                fgClr=ColorChoice(srgbClr=colour),  # type: ignore[arg-type]
                bgClr=ColorChoice(srgbClr="FFFFFF"),  # type: ignore[arg-type]
            )
        series.graphicalProperties.line.solidFill = colour
    chart.width = 18
    chart.height = max(7.5, 2 + 1.2 * barriers)
    # Under the table rather than beside it: the printed page is fitted to the sheet's width,
    # and a chart to the right would shrink the table's text to fit both on the page.
    sheet.add_chart(chart, f"A{len(content.rows) + 3}")


def add_table(sheet: Worksheet, content: SheetContent, name: str = ACTIONS_TABLE) -> None:
    """Actions as an Excel table called `name`: filter buttons, banded rows, grows as typed into
    (the roll-up workbook's action list is one too)."""
    last_row = max(len(content.rows), 2)  # a table needs a row under its headings
    last_column = get_column_letter(len(content.rows[0]))
    table = Table(displayName=name, ref=f"A1:{last_column}{last_row}")
    table.tableStyleInfo = TableStyleInfo(
        name="TableStyleMedium2", showRowStripes=True, showColumnStripes=False
    )
    sheet.add_table(table)


def _keep_carriage_returns(data: bytes) -> bytes:
    """Escape carriage returns in the package's XML as &#13;, which a reader keeps.

    A raw CR in XML text is read back as a line feed, so text typed with one would not read back
    as typed. openpyxl's writer leaves it raw; this rewrites the parts that hold it.
    """
    source = zipfile.ZipFile(BytesIO(data))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = source.read(info)
            if info.filename.endswith(".xml") and b"\r" in part:
                part = part.replace(b"\r", b"&#13;")
            target.writestr(info, part)
    return out.getvalue()
