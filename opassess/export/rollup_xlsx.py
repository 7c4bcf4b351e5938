"""The roll-up workbook: many teams compared on one framework, ready for filters and pivots.

Teams (a row per team and dimension), Heatmap (teams down, dimensions across, each cell its
agreed stage in that stage's colour, and a native chart of the teams per stage under it), Where
teams differ, Actions (every compared team's actions as an Excel table, overdue ones flagged)
and Notes. Headings use the framework's own words.

The sheets are laid out by the single-workshop workbook's writer (its styles, column widths,
frozen headings, filters and landscape print setup), so both workbooks look and print alike, and
text a person typed is stored as literal text, never a formula. The file is built in memory and
written in one atomic step. openpyxl is imported at the top: callers import this module only
when the workbook is asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from copy import copy
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.data_source import StrRef
from openpyxl.chart.series import SeriesLabel
from openpyxl.drawing.colors import ColorChoice
from openpyxl.drawing.fill import PatternFillProperties
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.worksheet import Worksheet

from opassess.export import save_export
from opassess.export.xlsx import (
    CREATOR,
    SheetContent,
    _keep_carriage_returns,
    _Writer,
    add_table,
    spread_header,
)
from opassess.frameworks import Terms, capitalised
from opassess.palette import NOT_AGREED_FILL, text_colour_on
from opassess.rollup import NOT_AGREED, Comparison, Filters, action_lines, note_lines, team_names
from opassess.wording import NOT_SURE_LABEL, article, stage_name, status_label
from opassess.workshop import Workshop

TEAMS = "Teams"
HEATMAP = "Heatmap"
DIFFERENCES = "Where teams differ"
ACTIONS = "Actions"
NOTES = "Notes"
SHEET_NAMES = (TEAMS, HEATMAP, DIFFERENCES, ACTIONS, NOTES)
ACTIONS_TABLE = "RollUpActions"
HEATMAP_FIRST_STAGE_COLUMN = 4  # after Team, Organisation and Held on
# For a stage whose colour an earlier stage already has (beyond the palette's six colours).
_HATCHINGS: tuple[Literal["wdDnDiag", "dkVert"], ...] = ("wdDnDiag", "dkVert")


# -- headings in the framework's words --------------------------------------------------------


def teams_header(terms: Terms) -> tuple[str, ...]:
    return (
        "Organisation",
        "Team",
        "Workshop",
        "Held on",
        capitalised(terms.dimension),
        f"Agreed {terms.level}",
        f"{capitalised(terms.level)} position",
        f"Target {terms.level}",
        spread_header(terms),
        NOT_SURE_LABEL,
    )


def heatmap_header(comparison: Comparison) -> tuple[str, ...]:
    return ("Team", "Organisation", "Held on", *(name for _, name in comparison.dimensions))


def differences_header(comparison: Comparison) -> tuple[str, ...]:
    framework = comparison.framework
    terms = framework.terms
    return (
        capitalised(terms.dimension),
        f"Teams that agreed {article(terms.level)}",
        f"Lowest {terms.level}",
        f"Highest {terms.level}",
        f"{capitalised(terms.levels)} apart",
        "Teams differ",
        *(f"Teams at {level.name}" for level in framework.levels),
    )


def actions_header(terms: Terms) -> tuple[str, ...]:
    return (
        "Team",
        "Organisation",
        "Workshop",
        capitalised(terms.dimension),
        "Action",
        "Responsible",
        "Accountable",
        "Due date",
        "Status",
        "At the next workshop",
        "Overdue",
    )


# -- writing ----------------------------------------------------------------------------------


def write_rollup_workbook(
    comparison: Comparison,
    workshops: Sequence[Workshop],
    path: Path,
    *,
    filters: Filters | None = None,
    today: date | None = None,
) -> None:
    """Write the roll-up workbook at `path`, replacing any file there atomically.

    Raises ExportError with a plain message when the file cannot be written; the file at `path`,
    if any, is then left as it was and no temporary file remains.
    """
    path = Path(path)
    data = rollup_workbook_bytes(comparison, workshops, filters=filters, today=today)
    save_export(data, path)


def rollup_workbook_bytes(
    comparison: Comparison,
    workshops: Sequence[Workshop],
    *,
    filters: Filters | None = None,
    today: date | None = None,
) -> bytes:
    """The complete roll-up .xlsx file, built in memory."""
    today = today or date.today()
    writer = _Writer()
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    workbook.properties.title = writer.text(f"Teams compared: {comparison.framework.title}")
    workbook.properties.creator = CREATOR
    workbook.properties.lastModifiedBy = CREATOR
    by_id = {workshop.id: workshop for workshop in workshops}
    for content in rollup_sheets(comparison, workshops, filters=filters, today=today):
        sheet = workbook.create_sheet(content.name)
        writer.fill(sheet, content)
        if content.name == HEATMAP:
            _colour_heatmap(sheet, content, comparison, by_id, writer)
            _add_heatmap_chart(sheet, content, comparison)
        elif content.name == ACTIONS:
            add_table(sheet, content, ACTIONS_TABLE)
    buffer = BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    if writer.has_carriage_return:
        data = _keep_carriage_returns(data)
    return data


def rollup_sheets(
    comparison: Comparison,
    workshops: Sequence[Workshop],
    *,
    filters: Filters | None = None,
    today: date | None = None,
) -> list[SheetContent]:
    """Every sheet's rows, in order: what the workbook holds, before any styling."""
    today = today or date.today()
    framework = comparison.framework
    terms = framework.terms
    by_id = {workshop.id: workshop for workshop in workshops}
    names = team_names(comparison)

    team_rows: list[list[Any]] = [list(teams_header(terms))]
    for team in comparison.teams:
        workshop = by_id.get(team.workshop_id)
        for dimension_id, dimension_name in comparison.dimensions:
            position = team.positions.get(dimension_id)
            target = workshop.targets.get(dimension_id) if workshop is not None else None
            team_rows.append(
                [
                    team.organisation,
                    team.team,
                    team.title,
                    team.held_on,
                    dimension_name,
                    team.stage_names.get(dimension_id),
                    None if position is None else position + 1,
                    stage_name(workshop, target) if workshop and target else None,
                    team.spreads.get(dimension_id),
                    team.not_sure.get(dimension_id, 0),
                ]
            )

    heat_rows: list[list[Any]] = [list(heatmap_header(comparison))]
    for team in comparison.teams:
        heat_rows.append(
            [
                names[team.workshop_id],
                team.organisation,
                team.held_on,
                *(team.stage_names.get(d) or NOT_AGREED for d, _ in comparison.dimensions),
            ]
        )
    # Under the heatmap, the teams per stage for each dimension: the chart's data. Its columns
    # are the heatmap's, whose frozen heading names them; named again here, the long names
    # would set the columns' widths, where the heading wraps.
    spare = [None] * (HEATMAP_FIRST_STAGE_COLUMN - 2)
    per_stage: list[list[Any]] = [[f"Teams per {terms.level}"]]
    for level in framework.levels:
        per_stage.append(
            [level.name, *spare, *(a.teams_per_stage.get(level.id, 0) for a in comparison.across)]
        )
    not_agreed = [len(comparison.teams) - a.agreed_teams for a in comparison.across]
    if any(not_agreed):
        per_stage.append([NOT_AGREED, *spare, *not_agreed])
    heatmap = SheetContent(
        HEATMAP,
        [*heat_rows, [], *per_stage],
        autofilter=False,
        extra={"teams": len(comparison.teams), "per_stage_row": len(heat_rows) + 2},
    )

    difference_rows: list[list[Any]] = [list(differences_header(comparison))]
    ranked = comparison.most_apart()
    ranked += [a for a in comparison.across if a.apart is None]
    for across in ranked:
        difference_rows.append(
            [
                across.name,
                across.agreed_teams,
                _level_name(comparison, across.lowest),
                _level_name(comparison, across.highest),
                across.apart,
                None if across.apart is None else ("Yes" if across.teams_differ else "No"),
                *(across.teams_per_stage.get(level.id, 0) for level in framework.levels),
            ]
        )

    action_rows: list[list[Any]] = [list(actions_header(terms))]
    for line in action_lines(comparison, workshops, today):
        action = line.action
        action_rows.append(
            [
                line.team,
                line.organisation,
                line.workshop,
                line.dimension,
                action.text,
                action.responsible,
                action.accountable,
                action.due_on,
                status_label(action.status),
                status_label(line.followed_up) if line.followed_up else None,
                "Yes" if line.overdue else "No",
            ]
        )

    notes = [["Notes"], *([line] for line in note_lines(comparison, filters, today))]
    return [
        SheetContent(TEAMS, team_rows),
        heatmap,
        SheetContent(DIFFERENCES, difference_rows),
        SheetContent(ACTIONS, action_rows, autofilter=False),  # the table has its own filters
        SheetContent(NOTES, notes, autofilter=False),
    ]


def _level_name(comparison: Comparison, position: int | None) -> str | None:
    levels = comparison.framework.levels
    if position is None:
        return None
    return levels[position].name if position < len(levels) else str(position + 1)


def _colour_heatmap(
    sheet: Worksheet,
    content: SheetContent,
    comparison: Comparison,
    workshops: dict[str, Workshop],
    writer: _Writer,
) -> None:
    """Fill each stage cell with its stage's colour (the team's own framework copy's), the text
    in black or white, whichever reads better; then freeze the team column and filter the
    heatmap's rows only, not the counts under it."""
    styles: dict[tuple[str, str], Any] = {}

    def paint(row: int, column: int, colour: str) -> None:
        cell: Any = sheet.cell(row=row, column=column)  # its style array is set directly
        key = (colour, text_colour_on(colour))
        template = styles.get(key)
        if template is not None:
            cell._style = copy(template)
            return
        cell._style = copy(cell._style)  # never change a style other cells share
        cell.fill = PatternFill("solid", fgColor=colour.lstrip("#").upper())
        cell.font = Font(color=key[1].lstrip("#"))
        styles[key] = copy(cell._style)

    first = HEATMAP_FIRST_STAGE_COLUMN
    for offset, team in enumerate(comparison.teams):
        workshop = workshops.get(team.workshop_id)
        framework = workshop.framework if workshop is not None else comparison.framework
        for index, (dimension_id, _) in enumerate(comparison.dimensions):
            stage = team.stages.get(dimension_id)
            colour = framework.colour_of(stage) if stage is not None else NOT_AGREED_FILL
            paint(2 + offset, first + index, colour)
    start = content.extra["per_stage_row"]
    for cell in sheet[start]:
        if cell.value is not None:
            writer.style(cell, "heading")
    for index, level in enumerate(comparison.framework.levels):
        paint(start + 1 + index, 1, comparison.framework.colour_of(level.id))
    if len(content.rows) > start + len(comparison.framework.levels):
        paint(len(content.rows), 1, NOT_AGREED_FILL)
    last_column = get_column_letter(first + len(comparison.dimensions) - 1)
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = f"A1:{last_column}{1 + max(content.extra['teams'], 1)}"


def _add_heatmap_chart(sheet: Worksheet, content: SheetContent, comparison: Comparison) -> None:
    """A stacked bar per dimension: how many teams agreed each stage, in the stages' colours."""
    dimensions = len(comparison.dimensions)
    if not dimensions:
        return
    framework = comparison.framework
    terms = framework.terms
    first, last = HEATMAP_FIRST_STAGE_COLUMN, HEATMAP_FIRST_STAGE_COLUMN + dimensions - 1
    start = content.extra["per_stage_row"]
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = f"Teams per {terms.level}"
    chart.y_axis.title = "Teams"
    chart.y_axis.majorGridlines = None
    chart.x_axis.scaling.orientation = "maxMin"  # dimensions top to bottom, as across the sheet
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.legend.position = "b"
    colours = [framework.colour_of(level.id) for level in framework.levels]
    rows = len(content.rows) - start  # the stages, and "not agreed" when any team has none
    if rows > len(colours):
        colours.append(NOT_AGREED_FILL)
    seen: dict[str, int] = {}
    for offset, hex_colour in enumerate(colours):
        row = start + 1 + offset
        chart.add_data(
            Reference(sheet, min_col=first, max_col=last, min_row=row, max_row=row),
            from_rows=True,
            titles_from_data=False,
        )
        series = chart.series[-1]
        # Named by the stage's cell, so the legend says what the sheet says.
        series.tx = SeriesLabel(strRef=StrRef(f"{quote_sheetname(sheet.title)}!$A${row}"))
        colour = hex_colour.lstrip("#").upper()
        repeat = seen.get(colour, 0)
        seen[colour] = repeat + 1
        if not repeat:
            series.graphicalProperties.solidFill = colour
        else:  # more stages than the palette has colours: hatched in the repeated colour
            series.graphicalProperties.pattFill = PatternFillProperties(
                prst=_HATCHINGS[(repeat - 1) % len(_HATCHINGS)],
                # The stubs type srgbClr as RGBPercent; openpyxl itself passes hex strings.
                fgClr=ColorChoice(srgbClr=colour),  # type: ignore[arg-type]
                bgClr=ColorChoice(srgbClr="FFFFFF"),  # type: ignore[arg-type]
            )
        series.graphicalProperties.line.solidFill = "FFFFFF"
    chart.set_categories(Reference(sheet, min_col=first, max_col=last, min_row=1, max_row=1))
    chart.width = 20
    chart.height = max(7.5, 3 + 1.3 * dimensions)
    # Under the table rather than beside it: the printed page is fitted to the sheet's width.
    sheet.add_chart(chart, f"A{len(content.rows) + 3}")
