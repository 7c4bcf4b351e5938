"""The roll-up report as a PDF: many teams compared on one framework.

A cover (what was compared, how many teams, the framework, when they were held), the heatmap of
each team's agreed stage on each dimension, where the teams differ most, each re-assessed team's
movement since its earlier workshop, the overdue actions, and notes on what was left out. The
heatmap and the bars are vector drawings (reportlab.graphics); a stage reads from its colour, and
from its shape and name inside the cell, so the page also works in greyscale and for colour-blind
readers. The heatmap splits between rows across pages, its column heads on every page, so a
comparison of hundreds of teams lays out as easily as one of three.

The first part of this module is what both roll-up outputs list (team names, the actions and
which are overdue, what was compared, the notes): the workbook takes them from here, as this
module imports no reportlab until a page is laid out.

It runs to about 900 lines because it is the report's running order plus the vector heatmap that
splits across pages; the phrases both roll-up outputs share live here so the workbook never
loads reportlab and the report never loads openpyxl.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from opassess.analysis import Movement, movement
from opassess.export import ExportError, save_export
from opassess.export.pdf import (
    a4_document,
    fit_text,
    numbered_canvas,
)
from opassess.export.pdf_style import (
    DISAGREEMENT_COLOUR,
    FONT,
    FONT_BOLD,
    details_table,
    drawing,
    marker,
    para_text,
    plain_text,
    rect,
    register_fonts,
    stage_shape,
    styles,
)
from opassess.frameworks import Framework, capitalised
from opassess.palette import NOT_AGREED_FILL, text_colour_on
from opassess.rollup import (
    NOT_AGREED,
    ActionLine,
    Comparison,
    DimensionAcrossTeams,
    Filters,
    TeamRow,
    action_lines,
    compared_words,
    held_range,
    note_lines,
    team_names,
    teams_words,
)
from opassess.wording import format_date, level_count, stage_name, status_label
from opassess.workshop import Workshop

# A printed report lists the longest overdue this many; the workbook's Actions sheet has them all.
MAX_OVERDUE_LISTED = 150
HEAT_ROW = 22.0  # points: a team's name and, under it, its organisation and date
HEAT_LABEL = 150.0  # the heatmap's team-name column
BAR_LABEL = 170.0  # the dimension-name column beside the teams-per-stage bars
CELL_SIZE, CELL_LEADING = 8.0, 10.0  # the tables' text
# A table cell holds at most this many lines; the rest of a very long text is in the workbook.
MOST_CELL_LINES = 30


# -- the report (a framework's words are text too: they go through para_text) --------------


def write_rollup_report(
    comparison: Comparison,
    workshops: Sequence[Workshop],
    path: str | Path,
    *,
    filters: Filters | None = None,
    earlier: Mapping[str, Workshop] | None = None,
    today: date | None = None,
) -> None:
    """Write the roll-up report to `path`, replacing any file there atomically; ExportError if
    it cannot be laid out or written. `earlier` maps a compared workshop's id to the workshop it
    re-assesses, for the movement since then."""
    data = rollup_report_bytes(comparison, workshops, filters=filters, earlier=earlier, today=today)
    save_export(data, path, "The roll-up report")


def rollup_report_bytes(
    comparison: Comparison,
    workshops: Sequence[Workshop],
    *,
    filters: Filters | None = None,
    earlier: Mapping[str, Workshop] | None = None,
    today: date | None = None,
) -> bytes:
    """The roll-up report as PDF bytes."""
    from reportlab.platypus.doctemplate import LayoutError

    register_fonts()
    today = today or date.today()
    buffer = io.BytesIO()
    title = f"Teams compared: {plain_text(comparison.framework.title)}"
    doc = a4_document(buffer, title=title, subject="Roll-up report")
    story = rollup_story(comparison, workshops, doc.width, filters, earlier or {}, today)
    try:
        doc.build(story, canvasmaker=numbered_canvas(title, skip_header_on_first=True))
    except LayoutError as exc:
        raise ExportError(f"The roll-up report could not be laid out: {exc}") from exc
    return buffer.getvalue()


def rollup_story(
    comparison: Comparison,
    workshops: Sequence[Workshop],
    width: float,
    filters: Filters | None,
    earlier: Mapping[str, Workshop],
    today: date,
) -> list[Any]:
    from reportlab.platypus import PageBreak

    by_id = {workshop.id: workshop for workshop in workshops}
    names = team_names(comparison)
    lines = action_lines(comparison, workshops, today)
    story: list[Any] = []
    story += cover(comparison, width, filters, lines, today)
    story.append(PageBreak())
    story += heatmap_section(comparison, by_id, names, width)
    story.append(PageBreak())
    story += differences_section(comparison, width)
    trends = [
        (team, earlier[team.workshop_id], by_id[team.workshop_id])
        for team in comparison.teams
        if team.workshop_id in earlier and team.workshop_id in by_id
    ]
    if trends:
        story.append(PageBreak())
        story += trends_section(comparison, trends, names, width)
    story.append(PageBreak())
    story += overdue_section(comparison, [line for line in lines if line.overdue], width, today)
    story += notes_section(comparison, filters, today)
    return story


def cover(
    comparison: Comparison,
    width: float,
    filters: Filters | None,
    lines: Sequence[ActionLine],
    today: date,
) -> list[Any]:
    from reportlab.platypus import Paragraph, Spacer

    s = styles()
    framework = comparison.framework
    terms = framework.terms
    organisations = {team.organisation for team in comparison.teams if team.organisation}
    words = compared_words(filters)
    details = [
        ("Compared", capitalised(words)),
        ("Teams", teams_words(comparison)),
        ("Organisations", str(len(organisations))),
        ("Framework", framework.title),
        ("Held", held_range(comparison)),
        (f"{capitalised(terms.dimensions)} compared", str(len(comparison.dimensions))),
        ("Overdue actions", f"{sum(line.overdue for line in lines)} of {len(lines)}"),
        ("Report written", format_date(today)),
    ]
    table = details_table(details, 120, width)
    story: list[Any] = [
        Spacer(1, 40),
        Paragraph("Teams compared", s["title"]),
        Paragraph(para_text(framework.title), s["subtitle"]),
        Spacer(1, 12),
        table,
    ]
    if comparison.left_out_dimensions or comparison.other_frameworks or comparison.versions > 1:
        story += [
            Spacer(1, 10),
            Paragraph("Left out or matched: see the notes at the end.", s["warning"]),
        ]
    return story


# -- the heatmap ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeatCell:
    stage: str | None  # the agreed stage id; None: not agreed
    name: str
    colour: str
    shape: str


@dataclass(frozen=True)
class HeatRow:
    team: str
    detail: str  # organisation and date, under the team's name
    cells: tuple[HeatCell, ...]


def heat_rows(
    comparison: Comparison, workshops: Mapping[str, Workshop], names: Mapping[str, str]
) -> list[HeatRow]:
    """Each team's row of the heatmap, in its own framework copy's colours and shapes."""
    rows = []
    for team in comparison.teams:
        workshop = workshops.get(team.workshop_id)
        framework = workshop.framework if workshop is not None else comparison.framework
        cells = []
        for dimension_id, _name in comparison.dimensions:
            stage = team.stages.get(dimension_id)
            if stage is None:
                cells.append(HeatCell(None, NOT_AGREED, NOT_AGREED_FILL, ""))
            else:
                cells.append(
                    HeatCell(
                        stage,
                        stage_name(framework, stage),
                        framework.colour_of(stage),
                        stage_shape(framework.level_ids, stage),
                    )
                )
        # The date first: it fits where a long organisation is cut short.
        detail = " · ".join(x for x in (format_date(team.held_on), team.organisation) if x)
        rows.append(HeatRow(names[team.workshop_id], detail, tuple(cells)))
    return rows


def heatmap_section(
    comparison: Comparison,
    workshops: Mapping[str, Workshop],
    names: Mapping[str, str],
    width: float,
) -> list[Any]:
    from reportlab.platypus import Paragraph, Spacer

    s = styles()
    terms = comparison.framework.terms
    return [
        Paragraph(para_text(f"Agreed {terms.levels} by team"), s["h1"]),
        Paragraph(
            para_text(
                f"Each cell is the {terms.level} the team agreed for that {terms.dimension}: "
                f"its colour, its shape and its name. Teams run down the page, "
                f"{terms.dimensions} across."
            ),
            s["muted"],
        ),
        Spacer(1, 4),
        stage_legend(comparison.framework, width),
        Spacer(1, 8),
        heatmap(comparison, heat_rows(comparison, workshops, names), width),
    ]


def stage_legend(framework: Framework, width: float) -> Any:
    """Every stage as the heatmap shows it, and the look of a dimension without one."""
    from reportlab.graphics.shapes import String
    from reportlab.lib import colors

    items = [
        (level.name, framework.colour_of(level.id), stage_shape(framework.level_ids, level.id))
        for level in framework.levels
    ]
    items.append((NOT_AGREED, NOT_AGREED_FILL, ""))
    # Three to a row, fewer when a long stage name would be cut.
    longest = max(_width(plain_text(name), 8.5) for name, _, _ in items)
    per_row = next((n for n in (3, 2) if longest <= width / n - 36), 1)
    slot = width / per_row
    rows = (len(items) + per_row - 1) // per_row
    picture = drawing(width, rows * 16 + 2)
    for index, (name, colour, shape) in enumerate(items):
        x = (index % per_row) * slot
        y = picture.height - 15 - (index // per_row) * 16
        edge = colors.HexColor("#BBBBBB") if not shape else None  # light grey needs an edge
        picture.add(rect(x, y, 22, 13, fillColor=colors.HexColor(colour), strokeColor=edge))
        if shape:
            picture.add(marker(shape, x + 11, y + 6.5, 8, text_colour_on(colour)))
        text = fit_text(plain_text(name), FONT, 8.5, slot - 36)
        picture.add(String(x + 27, y + 3.5, text, fontName=FONT, fontSize=8.5))
    return picture


def _wrapped(text: str, font: str, size: float, room: float, most: int) -> list[str]:
    """`text` on at most `most` lines of `room` points, the last cut with "…" if need be."""
    from reportlab.lib.utils import simpleSplit

    if room <= size:
        return []
    lines = simpleSplit(plain_text(text), font, size, room) or [""]
    if len(lines) > most:
        lines = [*lines[: most - 1], " ".join(lines[most - 1 :])]
    return [fit_text(line, font, size, room) for line in lines]


def _cell_name(name: str, room: float) -> tuple[float, list[str]]:
    """A stage's name inside a heatmap cell: the largest of a few small sizes at which every
    word fits ("Consolidating" whole rather than cut), on at most two lines."""
    sizes = (6.5, 6.0, 5.5)
    words = plain_text(name).split()
    size = next(
        (size for size in sizes if all(_width(word, size) <= room for word in words)), sizes[-1]
    )
    return size, _wrapped(name, FONT, size, room, 2)


def _width(text: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, FONT, size)


def heatmap(comparison: Comparison, rows: Sequence[HeatRow], width: float) -> Any:
    """The heatmap as one flowable that splits between team rows across pages, drawing the
    column heads again at the top of each part."""
    from reportlab.graphics.shapes import Line, String
    from reportlab.lib import colors
    from reportlab.platypus import Flowable

    columns = max(len(comparison.dimensions), 1)
    label = min(HEAT_LABEL, width * 0.3)
    cell = (width - label) / columns
    head_size = 7.5 if cell >= 50 else 6.5
    heads = [_wrapped(name, FONT_BOLD, head_size, cell - 4, 5) for _, name in comparison.dimensions]
    head_height = 8 + (head_size + 1.5) * max((len(lines) for lines in heads), default=1)
    grey = colors.HexColor("#555555")
    rule = colors.HexColor("#444444")
    stripe = colors.HexColor("#F3F3F3")
    name_room = cell - 15
    # Stage names wrap the same way in every row: worked out once per stage, not per cell.
    stage_lines: dict[str, tuple[float, list[str]]] = {}

    def draw_part(part: Sequence[HeatRow], first_index: int) -> Any:
        height = head_height + len(part) * HEAT_ROW
        picture = drawing(width, height)
        for column, lines in enumerate(heads):
            centre = label + column * cell + cell / 2
            for number, line in enumerate(lines):  # the last line just above the rule
                y = height - head_height + 5 + (len(lines) - 1 - number) * (head_size + 1.5)
                picture.add(
                    String(
                        centre, y, line, fontName=FONT_BOLD, fontSize=head_size, textAnchor="middle"
                    )
                )
        top = height - head_height
        picture.add(Line(0, top, width, top, strokeColor=rule, strokeWidth=0.8))
        for offset, row in enumerate(part):
            y = top - (offset + 1) * HEAT_ROW
            if (first_index + offset) % 2 == 0:
                picture.add(rect(0, y, label, HEAT_ROW, fillColor=stripe, strokeColor=None))
            name = fit_text(plain_text(row.team), FONT_BOLD, 8, label - 8)
            picture.add(String(4, y + 11.5, name, fontName=FONT_BOLD, fontSize=8))
            if row.detail:
                detail = fit_text(plain_text(row.detail), FONT, 6.5, label - 8)
                picture.add(String(4, y + 3.5, detail, fontName=FONT, fontSize=6.5, fillColor=grey))
            for column, heat in enumerate(row.cells):
                x = label + column * cell
                fill = colors.HexColor(heat.colour)
                picture.add(
                    rect(x + 1, y + 1, cell - 2, HEAT_ROW - 2, fillColor=fill, strokeColor=None)
                )
                ink = text_colour_on(heat.colour) if heat.stage is not None else "#666666"
                text_x = x + 4
                if heat.shape and cell >= 14:
                    picture.add(marker(heat.shape, x + 7, y + HEAT_ROW / 2, 7, ink))
                    text_x = x + 12
                if heat.name not in stage_lines:
                    stage_lines[heat.name] = _cell_name(heat.name, name_room)
                size, lines = stage_lines[heat.name]
                base = y + HEAT_ROW / 2 - size * 0.35 + (len(lines) - 1) * (size + 0.7) / 2
                for number, line in enumerate(lines):
                    picture.add(
                        String(
                            text_x,
                            base - number * (size + 0.7),
                            line,
                            fontName=FONT,
                            fontSize=size,
                            fillColor=colors.HexColor(ink),
                        )
                    )
        picture.add(
            Line(0, 0.2, width, 0.2, strokeColor=colors.HexColor("#CCCCCC"), strokeWidth=0.5)
        )
        return picture

    class Heatmap(Flowable):
        def __init__(self, part: Sequence[HeatRow], first_index: int) -> None:
            super().__init__()
            self.part = part
            self.first_index = first_index

        def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
            self.width, self.height = width, head_height + len(self.part) * HEAT_ROW
            return self.width, self.height

        def split(self, available_width: float, available_height: float) -> list[Any]:
            fits = int((available_height - head_height) // HEAT_ROW)
            if fits < 1:
                return []  # not even one row with its heads: the next page
            if fits >= len(self.part):
                return [self]
            return [
                Heatmap(self.part[:fits], self.first_index),
                Heatmap(self.part[fits:], self.first_index + fits),
            ]

        def draw(self) -> None:
            draw_part(self.part, self.first_index).drawOn(self.canv, 0, 0)

    return Heatmap(list(rows), 0)


# -- where the teams differ -----------------------------------------------------------------------


def differences_section(comparison: Comparison, width: float) -> list[Any]:
    from reportlab.platypus import Paragraph, Spacer

    s = styles()
    terms = comparison.framework.terms
    story: list[Any] = [
        Paragraph("Where teams differ most", s["h1"]),
        Paragraph(
            para_text(
                f"Each bar is one {terms.dimension}: how many teams agreed each {terms.level}, "
                f"the {terms.dimensions} where the teams are furthest apart first."
            ),
            s["muted"],
        ),
        Spacer(1, 4),
        stage_legend(comparison.framework, width),
        Spacer(1, 6),
    ]
    ranked = comparison.most_apart()
    ranked += [a for a in comparison.across if a.apart is None]
    if not ranked:
        story.append(Paragraph(para_text(f"No {terms.dimensions} to compare."), s["muted"]))
    for across in ranked:
        story.append(teams_per_stage_bar(comparison, across, width))
    return story


def teams_per_stage_bar(comparison: Comparison, across: DimensionAcrossTeams, width: float) -> Any:
    """One dimension: its name and how far apart the teams are, and a bar of the teams per
    stage (its own colour and a count on each part)."""
    from reportlab.graphics.shapes import String
    from reportlab.lib import colors

    framework = comparison.framework
    terms = framework.terms
    name_lines = _wrapped(across.name, FONT_BOLD, 8.5, BAR_LABEL - 10, 3)
    height = max(34.0, 12 * len(name_lines) + 18)
    picture = drawing(width, height)
    y = height - 12
    for line in name_lines:
        picture.add(String(0, y, line, fontName=FONT_BOLD, fontSize=8.5))
        y -= 11
    if across.apart is None:
        said, ink = f"no {terms.level} agreed", "#555555"
    elif across.apart == 0:
        said, ink = f"every team at the same {terms.level}", "#555555"
    else:
        said = f"{level_count(across.apart, terms)} apart"
        ink = DISAGREEMENT_COLOUR if across.teams_differ else "#555555"
    picture.add(String(0, y, said, fontName=FONT, fontSize=7.5, fillColor=colors.HexColor(ink)))
    total = max(len(comparison.teams), 1)
    room = width - BAR_LABEL - 4
    order = [
        *framework.level_ids,
        *(s for s in across.teams_per_stage if s not in framework.level_ids),
    ]
    parts = [(stage, across.teams_per_stage.get(stage, 0)) for stage in order]
    parts.append(("", len(comparison.teams) - across.agreed_teams))
    x = BAR_LABEL
    bar_y = height / 2 - 7
    for stage, count in parts:
        if not count:
            continue
        colour = framework.colour_of(stage) if stage else NOT_AGREED_FILL
        share = room * count / total
        picture.add(
            rect(
                x,
                bar_y,
                share,
                14,
                fillColor=colors.HexColor(colour),
                strokeColor=colors.white,
                strokeWidth=0.5,
            )
        )
        label = str(count)
        if share >= 6 + 4 * len(label):
            picture.add(
                String(
                    x + share / 2,
                    bar_y + 4,
                    label,
                    fontName=FONT,
                    fontSize=7.5,
                    textAnchor="middle",
                    fillColor=colors.HexColor(text_colour_on(colour)),
                )
            )
        x += share
    return picture


# -- movement since the earlier workshop ----------------------------------------------------------


def movement_mark(move: Movement | None) -> str:
    """A re-assessed dimension in a few characters: '▲ 1' forward, '▼ 1' back, '=' no change,
    'new' for a dimension last time's version lacked, '–' when there is nothing to compare."""
    if move is None:
        return "–"
    if move.new_this_time:
        return "new"
    if move.steps is None:
        return "–"
    if move.steps > 0:
        return f"▲ {move.steps}"
    if move.steps < 0:
        return f"▼ {-move.steps}"
    return "="


def trends_section(
    comparison: Comparison,
    trends: Sequence[tuple[TeamRow, Workshop, Workshop]],
    names: Mapping[str, str],
    width: float,
) -> list[Any]:
    """Each re-assessed team: how each dimension moved since its earlier workshop."""
    from reportlab.platypus import Paragraph

    s = styles()
    terms = comparison.framework.terms
    story: list[Any] = [
        Paragraph("Movement since the earlier workshop", s["h1"]),
        Paragraph(
            para_text(
                "Teams compared here that re-assessed an earlier workshop still in the library: "
                f"▲ forward and ▼ back by that many {terms.levels}, = no change, "
                "“new” not rated last time, – nothing to compare."
            ),
            s["muted"],
        ),
    ]
    head = ["Team", "Since", *(name for _, name in comparison.dimensions)]
    rows = []
    for team, previous, current in trends:
        moves = {move.dimension_id: move for move in movement(previous, current)}
        rows.append(
            [
                names[team.workshop_id],
                format_date(previous.held_on, "no date"),
                *(movement_mark(moves.get(d)) for d, _ in comparison.dimensions),
            ]
        )
    fixed = [96.0, 66.0]
    each = (width - sum(fixed)) / max(len(comparison.dimensions), 1)
    story.append(wrapped_table(head, rows, [*fixed, *([each] * len(comparison.dimensions))], width))
    return story


# -- overdue actions and notes --------------------------------------------------------------------


def overdue_section(
    comparison: Comparison, overdue: Sequence[ActionLine], width: float, today: date
) -> list[Any]:
    from reportlab.platypus import Paragraph

    s = styles()
    terms = comparison.framework.terms
    story: list[Any] = [
        Paragraph("Overdue actions", s["h1"]),
        Paragraph(
            f"Due before {format_date(today)} and neither done nor dropped, the longest "
            "overdue first.",
            s["muted"],
        ),
    ]
    if not overdue:
        story.append(Paragraph("No action is overdue.", s["body"]))
        return story
    ordered = sorted(overdue, key=lambda line: (line.action.due_on or today, line.team))
    left_over = len(ordered) - MAX_OVERDUE_LISTED
    ordered = ordered[:MAX_OVERDUE_LISTED]
    head = ["Team", capitalised(terms.dimension), "Action", "Responsible", "Due", "Status"]
    rows = [
        [
            line.team,
            line.dimension,
            line.action.text,
            line.action.responsible,
            format_date(line.action.due_on),
            status_label(line.action.status),
        ]
        for line in ordered
    ]
    story.append(wrapped_table(head, rows, [80.0, 80.0, None, 68.0, 72.0, 50.0], width))
    if left_over > 0:
        story.append(
            Paragraph(
                f"… and {left_over} more, less long overdue. The roll-up workbook's Actions sheet "
                "lists every action, with filters by team, status and date.",
                s["muted"],
            )
        )
    return story


def notes_section(comparison: Comparison, filters: Filters | None, today: date) -> list[Any]:
    from reportlab.platypus import Paragraph

    s = styles()
    story: list[Any] = [Paragraph("Notes", s["h2"])]
    for line in note_lines(comparison, filters, today):
        story.append(Paragraph("• " + para_text(line), s["body"]))
    return story


def wrapped_table(
    head: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float | None], width: float
) -> Any:
    """Rows of plain text under a heading row that repeats on every page; a None width takes
    what the others leave.

    Each cell is wrapped here, once, and drawn as lines of text rather than as a Paragraph:
    a comparison of hundreds of teams can list thousands of actions, and laying out a
    Paragraph per cell took most of the report's time.
    """
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import LongTable, Paragraph, TableStyle

    s = styles()
    flex = width - sum(w for w in widths if w is not None)
    columns = [flex if w is None else w for w in widths]
    # Headings (a framework's long dimension names over narrow columns) take the largest of a
    # few sizes at which each word fits its column, rather than breaking inside a word.
    size = next(
        (
            size
            for size in (8.5, 7.5, 7.0, 6.5)
            if all(
                stringWidth(word, FONT_BOLD, size) <= room - 8
                for text, room in zip(head, columns, strict=True)
                for word in plain_text(text).split()
            )
        ),
        6.0,
    )
    heading = ParagraphStyle("rollup-heading", s["cell_bold"], fontSize=size, leading=size + 2)
    data: list[list[Any]] = [[Paragraph(para_text(text), heading) for text in head]]
    for row in rows:
        data.append(
            ["\n".join(cell_lines(text, room - 8)) for text, room in zip(row, columns, strict=True)]
        )
    # Rows are not split across pages (MOST_CELL_LINES keeps each shorter than a page): a row
    # split within itself drew its remainder over the footer.
    table = LongTable(data, colWidths=columns, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("FONTSIZE", (0, 1), (-1, -1), CELL_SIZE),
                ("LEADING", (0, 1), (-1, -1), CELL_LEADING),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8E8E8")),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor("#444444")),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.HexColor("#BBBBBB")),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def cell_lines(text: str, room: float) -> list[str]:
    """User text as the lines of a table cell `room` points wide: cleaned for drawing, a word
    too long for the cell cut with "…", at most MOST_CELL_LINES lines."""
    from reportlab.lib.utils import simpleSplit

    lines = simpleSplit(plain_text(text), FONT, CELL_SIZE, room) or [""]
    if len(lines) > MOST_CELL_LINES:
        lines = [*lines[: MOST_CELL_LINES - 1], lines[MOST_CELL_LINES - 1] + "…"]
    return [fit_text(line, FONT, CELL_SIZE, room) for line in lines]
