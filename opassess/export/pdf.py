"""The workshop report as a PDF: cover, wall chart, one section per barrier, the action plan,
the re-assessment date and the stage descriptors, all in the words of the workshop's framework
(its barriers may be "areas" or "questions", its stages "levels" or "ratings").

The wall chart and the spreads are vector drawings (reportlab.graphics), so they print sharp at
any size and their labels stay text. All user text goes through pdf_style.para_text, or
pdf_style.plain_text where it is drawn directly. The whole file is built in memory and written
with files.write_atomically: a failed export leaves any earlier report untouched.

Styles, shapes and page furniture live in pdf_style; what remains here runs past 500 lines because
it is the report's running order, section after section, which reads best as one story.
"""

from __future__ import annotations

import io
import itertools
import math
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from opassess.analysis import BarrierSummary, movement, summarise, unmatched
from opassess.export import ExportError, save_export
from opassess.export.pdf_style import (
    DISAGREEMENT_COLOUR,
    FONT,
    FONT_BOLD,
    details_table,
    document_kind,
    drawing,
    marker,
    para_text,
    paragraphs,
    plain_text,
    rect,
    register_fonts,
    stage_colour,
    stage_shape,
    styles,
)
from opassess.frameworks import capitalised
from opassess.wording import (
    NOT_MARKED_LABEL,
    article,
    compared_stage_name,
    follow_up_label,
    follow_up_summary,
    format_date,
    gap_words,
    movement_words,
    reassess_by,
    reassess_on,
    stage_name,
    status_label,
    target_words,
    unmatched_words,
)
from opassess.workshop import NOT_SURE, Workshop, chart_labels

MARGIN_X = 50.0
MARGIN_TOP = 58.0
MARGIN_BOTTOM = 50.0


def a4_document(
    buffer: io.BytesIO, *, title: str, subject: str, author: str = "OpAssess", template: Any = None
) -> Any:
    """An A4 document with the reports' margins and metadata; `template` a doc template class
    (SimpleDocTemplate unless given, as the guide gives its own for the contents page)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    return (template or SimpleDocTemplate)(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=title,
        author=author,
        subject=subject,
        creator="OpAssess",
    )


LABEL_WIDTH = 150.0  # the wall chart's barrier-name column
# The most lines of marks a wall chart cell shows, one mark per rating (240 ratings at one stage
# in a chart of four columns, a quarter of a page); past that, the row shows counts and bars.
MAX_DOT_LINES = 24
_SECTION_KEYS = itertools.count()  # tells page_section's sections apart


def write_report(workshop: Workshop, path: str | Path, previous: Workshop | None = None) -> None:
    """Write the workshop report to `path` as a PDF; ExportError if it cannot be written.
    `previous`, the workshop this one re-assesses, adds the movement since then."""
    save_export(report_bytes(workshop, previous), path, "The report")


def report_bytes(workshop: Workshop, previous: Workshop | None = None) -> bytes:
    """The report as PDF bytes."""
    header = " — ".join(plain_text(t) for t in (workshop.title, workshop.organisation) if t)
    return build_pdf(
        workshop,
        lambda width: report_story(workshop, width, previous),
        subject=f"{document_kind(workshop.framework)} workshop report",
        canvasmaker=numbered_canvas(header, skip_header_on_first=True),
        what="The report",
    )


def build_pdf(
    workshop: Workshop,
    story: Callable[[float], list[Any]],
    *,
    subject: str,
    canvasmaker: Any,
    what: str,
) -> bytes:
    """An A4 PDF in memory, with the workshop's title and facilitator as its metadata: `story`
    is given the text width and returns the flowables. ExportError if it cannot be laid out;
    `what` ("The report") names the document in that message."""
    from reportlab.platypus.doctemplate import LayoutError

    register_fonts()
    buffer = io.BytesIO()
    doc = a4_document(
        buffer,
        title=plain_text(workshop.title),
        author=plain_text(workshop.facilitator) or "OpAssess",
        subject=subject,
    )
    flowables = story(doc.width)
    try:
        doc.build(flowables, canvasmaker=canvasmaker)
    except LayoutError as exc:
        raise ExportError(f"{what} could not be laid out: {exc}") from exc
    return buffer.getvalue()


def page_section(header: str, label: str = "", numbering: str = "Page {number} of {total}") -> Any:
    """A flowable of no size that starts a section of the document on the page it lands on
    (put it straight after a page break). From that page on, the running header is `header`,
    pages are numbered within the section with `numbering` ("{number}", "{total}"), and
    `label` is printed at the left of the footer. Only numbered_canvas reads it."""
    from reportlab.platypus import Flowable

    key = next(_SECTION_KEYS)

    class PageSection(Flowable):
        def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
            return 0, 0

        def draw(self) -> None:
            self.canv.page_section = (key, header, label, numbering)  # type: ignore[attr-defined]

    return PageSection()


def numbered_canvas(header: str, *, skip_header_on_first: bool = False) -> Any:
    """A canvas class that draws the running header and "Page n of m" on every page once the
    page count is known. Pages after a page_section flowable carry that section's header,
    label and numbering instead."""
    from reportlab.lib import colors
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        # Canvas internals this class relies on, which reportlab's type stubs leave out.
        _pagesize: tuple[float, float]
        _startPage: Callable[[], None]

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # Every page starts in the bundled font, so no standard font is referenced at all.
            kwargs["initialFontName"] = kwargs.get("initialFontName") or FONT
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []
            self.page_section: tuple[int, str, str, str] | None = None

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            sections = [state["page_section"] for state in self._pages]
            totals = Counter(section[0] if section else None for section in sections)
            seen: Counter[int | None] = Counter()
            for state, section in zip(self._pages, sections, strict=True):
                self.__dict__.update(state)
                key = section[0] if section else None
                seen[key] += 1
                if section is None:
                    number, total = self.getPageNumber(), len(self._pages)
                    self._furniture(header, "", "Page {number} of {total}", number, total)
                else:
                    _, top, label, numbering = section
                    self._furniture(top, label, numbering, seen[key], totals[key])
                super().showPage()
            super().save()

        def _furniture(self, top: str, label: str, numbering: str, number: int, total: int) -> None:
            width, height = self._pagesize
            room = width - 2 * MARGIN_X
            self.saveState()
            self.setFillColor(colors.HexColor("#555555"))
            self.setStrokeColor(colors.HexColor("#BBBBBB"))
            self.setFont(FONT, 8)
            on_first = self.page_section is None and self.getPageNumber() == 1
            if top and not (skip_header_on_first and on_first):
                self.drawString(MARGIN_X, height - 34, fit_text(top, FONT, 8, room))
                self.line(MARGIN_X, height - 39, width - MARGIN_X, height - 39)
            count = numbering.format(number=number, total=total)
            self.drawRightString(width - MARGIN_X, 28, count)
            if label:
                rest = room - _string_width(count, FONT, 8) - 24
                if rest > 0:
                    self.drawString(MARGIN_X, 28, fit_text(label, FONT, 8, rest))
            self.restoreState()

    return NumberedCanvas


def fit_text(text: str, font: str, size: float, room: float) -> str:
    """One line of plain text, cut with "…" so it fits `room` points; empty when not even the
    "…" fits."""
    # Hardly a glyph is narrower than a fifth of the size: a text longer than this cannot fit,
    # and is cut down at once rather than measured whole on every page.
    most = int(room / (size * 0.2)) + 1
    if len(text) <= most and _string_width(text, font, size) <= room:
        return text
    text = text[:most]
    while text and _string_width(text + "…", font, size) > room:
        text = text[: max(0, len(text) - max(1, len(text) // 20))]
    return text + "…" if text or _string_width("…", font, size) <= room else ""


# -- the story ------------------------------------------------------------------------------------


def report_story(workshop: Workshop, width: float, previous: Workshop | None = None) -> list[Any]:
    from reportlab.platypus import PageBreak

    summaries = summarise(workshop)
    story: list[Any] = []
    story += cover(workshop, width)
    story.append(PageBreak())
    story += wall_chart_section(workshop, summaries, width)
    for summary in summaries:
        story.append(PageBreak())
        story += barrier_section(workshop, summary, width)
    story.append(PageBreak())
    story += action_plan(workshop, width)
    if previous is not None:
        story.append(PageBreak())
        story += movement_section(workshop, previous, width)
    story.append(PageBreak())
    story += descriptors_appendix(workshop)
    return story


def cover(workshop: Workshop, width: float) -> list[Any]:
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    s = styles()
    terms = workshop.framework.terms
    story: list[Any] = [Spacer(1, 40)]
    story += paragraphs(workshop.title, s["title"])
    for line in (workshop.organisation, workshop.team):
        if line:
            story += paragraphs(line, s["subtitle"])
    story.append(Spacer(1, 12))
    details = [
        ("Date", format_date(workshop.held_on, "not set")),
        ("Facilitator", workshop.facilitator or "not recorded"),
        ("Framework", workshop.framework.title),
        *((("Based on", workshop.framework.source),) if workshop.framework.source else ()),
        (f"{capitalised(terms.dimensions)} assessed", str(len(workshop.scope))),
        (reassess_by(terms), format_date(workshop.reassess_on, "not set")),
    ]
    table = details_table(details, 110, width)
    story += [
        table,
        Spacer(1, 18),
        Paragraph(f"Participants ({len(workshop.participants)})", s["h2"]),
    ]
    if workshop.participants:
        names = workshop.display_names()
        people: list[list[Any]] = [
            [Paragraph("Name", s["cell_bold"]), Paragraph("Role", s["cell_bold"])]
        ]
        people += [
            [paragraphs(names[p.id], s["cell"]), paragraphs(p.role, s["cell"])]
            for p in workshop.participants
        ]
        grid = Table(people, colWidths=[width * 0.45, width * 0.55], repeatRows=1, splitInRow=1)
        grid.setStyle(
            TableStyle(
                [
                    ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor("#444444")),
                    ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.HexColor("#CCCCCC")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("FONTNAME", (0, 0), (-1, -1), FONT),
                ]
            )
        )
        story.append(grid)
    else:
        story.append(Paragraph("No participants recorded.", s["muted"]))
    return story


# -- the wall chart -------------------------------------------------------------------------------


def _columns(workshop: Workshop) -> list[str]:
    return [*workshop.framework.level_ids, NOT_SURE]


def _label_lines(text: str, font: str, size: float, room: float, most: int = 4) -> list[str]:
    """`text` wrapped to `room` points, in at most `most` lines, the last marked "…" when cut."""
    from reportlab.lib.utils import simpleSplit

    # Hardly a glyph is narrower than a fifth of the size (see fit_text): no more of a long
    # text than this can show, so no more is wrapped.
    shown = most * (int(room / (size * 0.2)) + 1)
    lines: list[str] = []
    for line in simpleSplit(plain_text(text[:shown]), font, size, room) or [""]:
        # A word wider than the room (one long unbroken run) is broken between characters.
        while len(lines) <= most and _string_width(line, font, size) > room:
            fits = _fitting_length(line, font, size, room)
            lines.append(line[:fits])
            line = line[fits:]
        lines.append(line)
    if len(lines) > most or len(text) > shown:
        lines = lines[:most]
        lines[-1] = fit_text(lines[-1] + "…", font, size, room)
    return lines


def _fitting_length(line: str, font: str, size: float, room: float) -> int:
    """How many of `line`'s first characters fit `room` points (at least one)."""
    low, high = 1, len(line)
    while low < high:
        middle = (low + high + 1) // 2
        if _string_width(line[:middle], font, size) <= room:
            low = middle
        else:
            high = middle - 1
    return low


def wall_chart_section(
    workshop: Workshop, summaries: list[BarrierSummary], width: float
) -> list[Any]:
    from reportlab.platypus import Paragraph, Spacer

    s = styles()
    terms = workshop.framework.terms
    level = terms.level
    summarised: list[str] = []
    chart = wall_chart(workshop, summaries, width, summarised)
    said = (
        f"One mark per participant's rating, by colour and shape of {level}. "
        f"The {level} the team agreed has a solid outline; the target {level} a dashed one."
    )
    if summarised:
        said += (
            f" Where {article(terms.dimension)} has more ratings at one {level} than marks fit, "
            f"its row shows each {level}'s count with a bar as long as its share instead."
        )
    story: list[Any] = [Paragraph("Wall chart", s["h1"]), Paragraph(said, s["muted"])]
    story += [Spacer(1, 6), *chart, Spacer(1, 10), chart_legend(workshop, width)]
    return story


def wall_chart(
    workshop: Workshop,
    summaries: list[BarrierSummary],
    width: float,
    summarised_ids: list[str] | None = None,
) -> list[Any]:
    """The chart as flowables: a column header, then one vector drawing per barrier (so a chart
    of many barriers or a large team splits between rows across pages). A barrier with more
    ratings at one stage than MAX_DOT_LINES lines of marks hold shows a bar per stage instead
    (and its id is added to `summarised_ids`), so a row always fits its page."""
    from reportlab.graphics.shapes import Line, String
    from reportlab.lib import colors

    columns = _columns(workshop)
    framework = workshop.framework
    level_ids = framework.level_ids
    cell = (width - LABEL_WIDTH) / len(columns)
    most = max((max([*x.counts.values(), x.not_sure]) for x in summaries), default=0)
    pitch, dot = (11.0, 8.0) if most <= 40 else (7.0, 5.5)
    per_row = max(1, int((cell - 10) // pitch))

    names = [plain_text(stage_name(workshop, stage)) for stage in columns]
    size, above = _head_layout(names, cell)
    room = cell - (8 if above else 20)
    # A long stage name ("System continual improvement") wraps onto a few lines; each line is
    # cut to its column, so many stages never print over each other: the legend under the
    # chart names every stage in full.
    wrapped = [_label_lines(name, FONT_BOLD, size, room, most=3) for name in names]
    heads = [[fit_text(line, FONT_BOLD, size, room) for line in lines] for lines in wrapped]
    lines_most = max(len(lines) for lines in heads)
    pitch_line = size + 1.5
    bold: dict[str, Any] = {"fontName": FONT_BOLD, "fontSize": size}
    if above:  # the mark centred over the name, the name centred in its column
        head = drawing(width, 25 + pitch_line * (lines_most - 1))
        top = head.height - 20
    else:  # the mark left of the name, the two centred together
        head = drawing(width, 14 + 10 * lines_most)
        top = head.height - 17
    for index, (stage, lines) in enumerate(zip(columns, heads, strict=True)):
        x = LABEL_WIDTH + index * cell
        shape, colour = stage_shape(level_ids, stage), stage_colour(framework, stage)
        if above:
            head.add(marker(shape, x + cell / 2, head.height - 7, 8, colour))
            for number, line in enumerate(lines):
                y = top - pitch_line * number
                head.add(String(x + cell / 2, y, line, textAnchor="middle", **bold))
            continue
        text_width = max(_string_width(line, FONT_BOLD, size) for line in lines)
        start = x + max((cell - text_width - 12) / 2, 2)
        head.add(marker(shape, start + 4, top + 3, 8, colour))
        for number, line in enumerate(lines):
            head.add(String(start + 12, top - 10 * number, line, **bold))
    head.add(Line(0, 1, width, 1, strokeColor=colors.HexColor("#444444"), strokeWidth=0.8))
    flowables: list[Any] = [head]

    labels = chart_labels(workshop)
    for row_index, summary in enumerate(summaries):
        name_lines = _label_lines(summary.name, FONT_BOLD, 8.5, LABEL_WIDTH - 10)
        extra = 1 if summary.disagreement else 0
        by_stage: dict[str, list[str]] = {stage: [] for stage in columns}
        for rating in workshop.ratings_for(summary.dimension_id):
            key = rating.stage if rating.stage in by_stage else NOT_SURE
            by_stage[key].append(labels.get(rating.participant_id, ""))
        places = {
            stage: _dot_places(len(names), per_row, _beside_count(len(names), cell, pitch, dot))
            for stage, names in by_stage.items()
        }
        dot_rows = max((spots[-1][1] + 1 for spots in places.values() if spots), default=0)
        summarised = dot_rows > MAX_DOT_LINES
        if summarised:  # a mark and the count at the top of each cell, a bar under them
            dot_rows = 2
            places = {stage: [(0, 0)] if names else [] for stage, names in by_stage.items()}
        height = max(12 * (len(name_lines) + extra) + 12, dot_rows * pitch + 22, 40)
        row = drawing(width, height)
        if summarised and summarised_ids is not None:
            summarised_ids.append(summary.dimension_id)
        if row_index % 2 == 0:
            row.add(
                rect(0, 0, width, height, fillColor=colors.HexColor("#F3F3F3"), strokeColor=None)
            )
        y = height - 14
        for line in name_lines:
            row.add(String(6, y, line, fontName=FONT_BOLD, fontSize=8.5))
            y -= 12
        if summary.disagreement:
            row.add(
                String(
                    6,
                    y,
                    "Worth discussing",
                    fontName=FONT,
                    fontSize=7.5,
                    fillColor=colors.HexColor(DISAGREEMENT_COLOUR),
                )
            )
        for index, stage in enumerate(columns):
            x = LABEL_WIDTH + index * cell
            row.add(Line(x, 0, x, height, strokeColor=colors.HexColor("#CCCCCC"), strokeWidth=0.5))
            if stage == summary.consensus:
                row.add(
                    rect(
                        x + 2,
                        2,
                        cell - 4,
                        height - 4,
                        fillColor=None,
                        strokeColor=colors.HexColor("#222222"),
                        strokeWidth=1.8,
                    )
                )
            if stage == summary.target:
                inset = 5 if stage == summary.consensus else 2
                row.add(
                    rect(
                        x + inset,
                        inset,
                        cell - 2 * inset,
                        height - 2 * inset,
                        fillColor=None,
                        strokeColor=colors.HexColor("#222222"),
                        strokeWidth=1.0,
                        strokeDashArray=[4, 3],
                    )
                )
            count = len(by_stage[stage])
            if count:
                row.add(
                    String(
                        x + cell - 8,
                        height - 12,
                        f"{count:,}",
                        fontName=FONT,
                        fontSize=7,
                        fillColor=colors.HexColor("#555555"),
                        textAnchor="end",
                    )
                )
            colour = stage_colour(framework, stage)
            shape = stage_shape(level_ids, stage)
            if summarised and count:
                most_here = max(len(names) for names in by_stage.values())
                row.add(
                    rect(
                        x + 6,
                        height - 14 - pitch - dot / 2,
                        max(1.0, (cell - 12) * count / most_here),
                        dot,
                        fillColor=colors.HexColor(colour),
                        strokeColor=None,
                    )
                )
            for column, dot_row in places[stage]:
                cx = x + 10 + column * pitch
                cy = height - 12 - dot_row * pitch
                row.add(marker(shape, cx, cy, dot, colour))
        row.add(Line(0, 0, width, 0, strokeColor=colors.HexColor("#CCCCCC"), strokeWidth=0.5))
        flowables.append(row)
    return flowables


def _head_layout(names: list[str], cell: float) -> tuple[float, bool]:
    """The wall chart's column heads: a font size, and whether the mark goes above the name
    rather than beside it. Beside at full size while every word fits its column (three or four
    stages); with more stages, the mark above and a size or two smaller, so whole words print
    ("administration" in a fifth of the chart). A word too long even then is cut."""
    choices = ((8.5, False), (8.0, True), (7.5, True), (7.0, True))
    words = [word for name in names for word in name.split()]
    for size, above in choices:
        room = cell - (8 if above else 20)
        if all(_string_width(word, FONT_BOLD, size) <= room for word in words):
            return size, above
    return choices[-1]


def _beside_count(count: int, cell: float, pitch: float, dot: float) -> int:
    """How many dots fit on a cell's first line, left of the count in its top right corner."""
    count_left = cell - 8 - _string_width(f"{count:,}", FONT, 7) - 2
    return max(0, math.floor((count_left - 10 - dot / 2) / pitch) + 1)


def _dot_places(count: int, per_row: int, first_line: int) -> list[tuple[int, int]]:
    """(column, line) of each of a cell's `count` dots: `first_line` of them on the first
    line, beside the count, then `per_row` to each line below."""
    first_line = min(first_line, per_row)
    places = [(column, 0) for column in range(min(count, first_line))]
    for position in range(count - len(places)):
        places.append((position % per_row, 1 + position // per_row))
    return places


def chart_legend(workshop: Workshop, width: float) -> Any:
    from reportlab.graphics.shapes import String
    from reportlab.lib import colors

    framework = workshop.framework
    level_ids = framework.level_ids
    level = framework.terms.level
    items: list[tuple[str, Any]] = []
    for stage in _columns(workshop):
        items.append((stage_name(workshop, stage), ("marker", stage)))
    items += [(f"Agreed {level}", ("box", None)), (f"Target {level}", ("box", [4, 3]))]
    slot = width / 4
    # A long name wraps onto a second line; a row of the legend is as tall as its longest.
    labels = [_label_lines(label, FONT, 8.5, slot - 24, most=2) for label, _ in items]
    rows = [labels[start : start + 4] for start in range(0, len(labels), 4)]
    heights = [6 + 10 * max(len(lines) for lines in row) for row in rows]
    picture = drawing(width, sum(heights) + 4)
    for index, ((_, (kind, extra)), lines) in enumerate(zip(items, labels, strict=True)):
        x = (index % 4) * slot
        y = picture.height - 12 - sum(heights[: index // 4])
        if kind == "marker":
            picture.add(
                marker(
                    stage_shape(level_ids, extra), x + 6, y + 3, 9, stage_colour(framework, extra)
                )
            )
        else:
            picture.add(
                rect(
                    x,
                    y - 3,
                    14,
                    12,
                    fillColor=None,
                    strokeColor=colors.HexColor("#222222"),
                    strokeWidth=1.8 if extra is None else 1.0,
                    strokeDashArray=extra,
                )
            )
        for number, line in enumerate(lines):
            text = fit_text(line, FONT, 8.5, slot - 24)
            picture.add(String(x + 18, y - 10 * number, text, fontName=FONT, fontSize=8.5))
    return picture


def _string_width(text: str, font: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, font, size)


def spread_bars(workshop: Workshop, summary: BarrierSummary, width: float) -> Any:
    """Counts per stage (and not sure) as small horizontal vector bars."""
    from reportlab.graphics.shapes import String
    from reportlab.lib import colors

    framework = workshop.framework
    level_ids = framework.level_ids
    rows = [(stage, summary.counts.get(stage, 0)) for stage in level_ids]
    rows.append((NOT_SURE, summary.not_sure))
    total = max(1, len(workshop.participants))
    label_room, count_room = 110.0, 30.0
    bar_room = min(width - label_room - count_room, 260.0)
    # A stage name too long for its room wraps onto a second line, its row a line taller.
    names = [
        _label_lines(stage_name(workshop, stage), FONT, 8.5, label_room - 20, most=2)
        for stage, _ in rows
    ]
    picture = drawing(width, sum(5 + 10 * len(lines) for lines in names) + 2)
    y = picture.height + 2  # each row's first line sits 15 points below the row above
    for (stage, count), lines in zip(rows, names, strict=True):
        y -= 15
        colour = stage_colour(framework, stage)
        picture.add(marker(stage_shape(level_ids, stage), 5, y + 4, 8, colour))
        for number, line in enumerate(lines):
            text = fit_text(line, FONT, 8.5, label_room - 20)
            picture.add(String(14, y + 1 - 10 * number, text, fontName=FONT, fontSize=8.5))
        picture.add(
            rect(
                label_room, y, bar_room, 10, fillColor=colors.HexColor("#EEEEEE"), strokeColor=None
            )
        )
        if count:
            picture.add(
                rect(
                    label_room,
                    y,
                    bar_room * count / total,
                    10,
                    fillColor=colors.HexColor(colour),
                    strokeColor=None,
                )
            )
        picture.add(
            String(label_room + bar_room + 6, y + 1, f"{count:,}", fontName=FONT, fontSize=8.5)
        )
        y -= 10 * (len(lines) - 1)
    return picture


# -- one barrier ----------------------------------------------------------------------------------


def barrier_section(workshop: Workshop, summary: BarrierSummary, width: float) -> list[Any]:
    from reportlab.platypus import Paragraph, Spacer

    s = styles()
    terms = workshop.framework.terms
    dimension = workshop.framework.dimension(summary.dimension_id)
    story: list[Any] = paragraphs(dimension.name, s["h1"])
    if dimension.question:
        story += paragraphs(dimension.question, s["muted"])
    story.append(Paragraph("The spread", s["h2"]))
    story.append(spread_bars(workshop, summary, width))
    notes = []
    if summary.missing:
        notes.append(
            f"{summary.missing} of {len(workshop.participants)} did not rate this "
            f"{terms.dimension}."
        )
    if summary.disagreement:
        reasons = "; ".join(summary.disagreement_reasons)
        story.append(Spacer(1, 4))
        story.append(Paragraph(f"Worth discussing: {para_text(reasons)}.", s["warning"]))
    for note in notes:
        story.append(Paragraph(note, s["muted"]))

    story.append(Paragraph("Evidence", s["h2"]))
    labels = chart_labels(workshop)
    level_ids = workshop.framework.level_ids
    ratings = workshop.ratings_for(summary.dimension_id)
    any_rating = False
    for stage in _columns(workshop):
        group = [r for r in ratings if (r.stage if r.stage in level_ids else NOT_SURE) == stage]
        if not group:
            continue
        any_rating = True
        story.append(Paragraph(f"{para_text(stage_name(workshop, stage))} ({len(group)})", s["h3"]))
        for rating in group:
            label = labels.get(rating.participant_id, "")
            lead, prefix = (f"{label}:", "") if label else ("", "• ")
            if rating.evidence.strip():
                story += paragraphs(rating.evidence.strip(), s["quote"], prefix, lead)
            else:
                pieces = paragraphs("", s["quote"], prefix, lead)
                pieces[-1] = Paragraph(
                    pieces[-1].text + "<font color='#777777'>no evidence given</font>", s["quote"]
                )
                story += pieces
    if not any_rating:
        story.append(Paragraph("No ratings yet.", s["muted"]))

    story.append(Paragraph("What the team agreed", s["h2"]))
    agreed = workshop.consensus.get(summary.dimension_id)
    if agreed is None:
        story.append(Paragraph(f"No {terms.level} agreed yet.", s["body"]))
    else:
        story.append(
            Paragraph(
                f"Agreed {terms.level}: <b>{para_text(stage_name(workshop, agreed.stage))}</b>",
                s["body"],
            )
        )
        if agreed.rationale.strip():
            story += paragraphs(agreed.rationale.strip(), s["quote"], "<b>Why:</b> ")
        if agreed.dissent.strip():
            story += paragraphs(agreed.dissent.strip(), s["quote"], "<b>Dissent:</b> ")
    target = f"Target: <b>{para_text(stage_name(workshop, summary.target, 'not set'))}</b>"
    if summary.gap is not None:
        target += f" ({gap_words(summary.gap, terms)})"
    story.append(Paragraph(target, s["body"]))

    story.append(Paragraph("Key actions", s["h2"]))
    actions = workshop.actions_for(summary.dimension_id)
    if actions:
        story.append(actions_table(workshop, [(None, a) for a in actions], width))
    else:
        story.append(Paragraph("No actions agreed yet.", s["muted"]))
    return story


def actions_table(workshop: Workshop, rows: Sequence[tuple[str | None, Any]], width: float) -> Any:
    """Actions as a table of paragraphs; a barrier column when the rows carry barrier names.
    Rows split within themselves across pages, so a very long action still lays out."""
    from reportlab.platypus import Paragraph, Table

    s = styles()
    with_barrier = any(name is not None for name, _ in rows)
    fixed = [70.0, 70.0, 74.0, 58.0]  # "31 December 2026" fits the due column on one line
    head = ["Action", "Responsible", "Accountable", "Due", "Status"]
    if with_barrier:
        head = [capitalised(workshop.framework.terms.dimension), *head]
        fixed = [88.0, *fixed]
    flex = width - sum(fixed)
    widths = [88.0, flex, *fixed[1:]] if with_barrier else [flex, *fixed]
    data: list[list[Any]] = [[Paragraph(h, s["cell_bold"]) for h in head]]
    for name, action in rows:
        cells = [
            paragraphs(action.text, s["cell"]),
            paragraphs(action.responsible, s["cell"]),
            paragraphs(action.accountable, s["cell"]),
            Paragraph(format_date(action.due_on), s["cell"]),
            Paragraph(status_label(action.status), s["cell"]),
        ]
        if with_barrier:
            cells = [paragraphs(name or "", s["cell"]), *cells]
        data.append(cells)
    table = Table(data, colWidths=widths, repeatRows=1, splitInRow=1, hAlign="LEFT")
    table.setStyle(_table_style())
    return table


def action_plan(workshop: Workshop, width: float) -> list[Any]:
    from reportlab.platypus import Paragraph

    s = styles()
    terms = workshop.framework.terms
    story: list[Any] = [Paragraph("Action plan", s["h1"])]
    rows = [
        (dimension.name, action)
        for dimension in workshop.scoped_dimensions()
        for action in workshop.actions_for(dimension.id)
    ]
    if rows:
        story.append(actions_table(workshop, rows, width))
    else:
        story.append(Paragraph("No actions agreed yet.", s["muted"]))
    story.append(Paragraph(capitalised(terms.reassessment), s["h2"]))
    if workshop.reassess_on:
        story.append(
            Paragraph(
                f"The team will {reassess_on(terms)} on <b>{format_date(workshop.reassess_on)}"
                f"</b>, to see which {terms.dimensions} have moved and how the actions went.",
                s["body"],
            )
        )
    else:
        story.append(Paragraph(f"No {terms.reassessment} date set yet.", s["body"]))
    return story


def movement_section(workshop: Workshop, previous: Workshop, width: float) -> list[Any]:
    """Where each barrier stood at the workshop this one re-assesses, where it stands now, and
    what became of each action agreed then, as marked at this workshop's setup."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import CondPageBreak, Paragraph

    s = styles()
    held = f", held on {format_date(previous.held_on)}" if previous.held_on else ""
    story: list[Any] = [
        Paragraph("Movement since last time", s["h1"]),
        Paragraph(f"Compared with “{para_text(previous.title)}”{held}.", s["body"]),
    ]
    not_compared = unmatched_words(unmatched(previous, workshop), workshop.framework.terms)
    if not_compared:
        story.append(Paragraph(para_text(not_compared), s["warning"]))

    def named(stage: str | None) -> str:
        return compared_stage_name(workshop, previous, stage) or "not agreed"

    moves = movement(previous, workshop)
    terms = workshop.framework.terms
    head = [capitalised(terms.dimension), "Last time", "Now", "Change", "Last time's target"]
    rows = [
        [
            move.name,
            named(move.before),
            named(move.now),
            movement_words(move, terms),
            (named(move.target_before) if move.target_before else "none") + target_words(move),
        ]
        for move in moves
    ]
    story.append(text_table(head, rows, [None, 78.0, 78.0, 86.0, 100.0], width))
    earlier = [(move.name, action) for move in moves for action in move.earlier_actions]
    # Kept with the whole of a long table, the heading would leave this page blank below the
    # first: it needs only room for itself and the first rows (the table repeats its head).
    story.append(CondPageBreak(110))
    heading = ParagraphStyle("h2-over-a-table", parent=s["h2"], keepWithNext=0)
    story.append(Paragraph("What became of last time's key actions", heading))
    if earlier:
        marks = [workshop.followups.get(action.id) for _, action in earlier]
        counted = follow_up_summary([m.outcome if m else None for m in marks])
        story.append(Paragraph(para_text(counted), s["body"]))
        story.append(followups_table(workshop, earlier, width))
    else:
        story.append(Paragraph("No actions were agreed last time.", s["muted"]))
    return story


def followups_table(workshop: Workshop, rows: Sequence[tuple[str, Any]], width: float) -> Any:
    """Last time's actions, each with what became of it as this workshop marked it and the
    note made then ("Not marked yet" where nobody marked it)."""
    from reportlab.platypus import Paragraph, Table

    s = styles()
    head = [capitalised(workshop.framework.terms.dimension), "Action", "Responsible", "Due"]
    head.append("What became of it")
    fixed = [76.0, 70.0, 74.0, 120.0]  # "31 December 2026" fits the due column on one line
    widths = [fixed[0], width - sum(fixed), *fixed[1:]]
    data: list[list[Any]] = [[Paragraph(h, s["cell_bold"]) for h in head]]
    for name, action in rows:
        marked = workshop.followups.get(action.id)
        became: list[Any] = [
            Paragraph(
                f"<b>{follow_up_label(marked.outcome)}</b>" if marked else NOT_MARKED_LABEL,
                s["cell"] if marked else s["cell_muted"],
            )
        ]
        if marked and marked.note:
            became += paragraphs(marked.note, s["cell"])
        data.append(
            [
                paragraphs(name, s["cell"]),
                paragraphs(action.text, s["cell"]),
                paragraphs(action.responsible, s["cell"]),
                Paragraph(format_date(action.due_on), s["cell"]),
                became,
            ]
        )
    table = Table(data, colWidths=widths, repeatRows=1, splitInRow=1, hAlign="LEFT")
    table.setStyle(_table_style())
    return table


def text_table(
    head: list[str], rows: list[list[str]], widths: list[float | None], width: float
) -> Any:
    """Rows of plain text under a header row, in the report's table style; a None width
    takes what the others leave."""
    from reportlab.platypus import Paragraph, Table

    s = styles()
    flex = width - sum(w for w in widths if w is not None)
    columns = [flex if w is None else w for w in widths]
    data: list[list[Any]] = [[Paragraph(h, s["cell_bold"]) for h in head]]
    data += [[paragraphs(cell, s["cell"]) for cell in row] for row in rows]
    table = Table(data, colWidths=columns, repeatRows=1, splitInRow=1, hAlign="LEFT")
    table.setStyle(_table_style())
    return table


def _table_style() -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import TableStyle

    return TableStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8E8E8")),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor("#444444")),
            ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.HexColor("#BBBBBB")),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ]
    )


def descriptors_appendix(workshop: Workshop) -> list[Any]:
    """What each stage of each barrier in scope looks like; where the framework has them, also
    where its scale comes from, and per barrier the questions that test a rating, the warning
    signs and the part of the source it draws on."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Spacer

    s = styles()
    framework = workshop.framework
    story: list[Any] = [Paragraph(f"Appendix: {framework.terms.level} descriptors", s["h1"])]
    story += paragraphs(framework.title, s["muted"])
    if framework.scale_note:
        story += paragraphs(framework.scale_note, s["small"])
    if framework.source:  # credited whether or not the scale needs a note of its own
        story += paragraphs(framework.source, s["small"], "<b>Source:</b> ")
    if framework.scale_note or framework.source:
        story.append(Spacer(1, 6))
    for level in framework.levels:
        if level.summary:
            story += paragraphs(level.summary, s["small"], f"<b>{para_text(level.name)}:</b> ")
    group_style = ParagraphStyle(
        "group", s["muted"], fontSize=8, leading=10, spaceBefore=10, spaceAfter=0, keepWithNext=1
    )
    group = ""
    for dimension in workshop.scoped_dimensions():
        if dimension.group and dimension.group != group:
            story += paragraphs(dimension.group, group_style)
        group = dimension.group
        story += paragraphs(dimension.name, s["h2"])
        if dimension.question:
            story += paragraphs(dimension.question, s["muted"])
        for level in framework.levels:
            items = dimension.descriptors.get(level.id, ())
            if not items:
                continue
            story.append(Paragraph(para_text(level.name), s["h3"]))
            for item in items:
                story += paragraphs(item, s["small"], "• ")
        for heading, items in (
            ("Questions to test the rating", dimension.prompts),
            ("Warning signs", dimension.warning_signs),
        ):
            if items:
                story.append(Paragraph(heading, s["h3"]))
                for item in items:
                    story += paragraphs(item, s["small"], "• ")
        if dimension.source_note:
            story += paragraphs(dimension.source_note, s["tiny"], "<b>Source:</b> ")
    return story
