"""Paper rating forms: a printable A4 PDF with one form per participant, for rooms where the
laptop cannot go round.

Each form carries the participant's name and role and the workshop's title, organisation and
date, a short instruction, then one block per barrier in scope: its name and question, what each
stage looks like (the framework's descriptors) under a tick box, a "Not sure" box, and ruled
lines for evidence. Barriers are numbered "Barrier n of m" (in the framework's own word: "Area
n of m", with its group where it has one) in the order of the columns of the fast-entry grid,
and the forms come in the order of its rows (the participants' order), so the facilitator can
key a pile of forms straight in.

Every form starts on a new page, and a barrier's block is kept on one page (unless wording
adapted at great length makes it longer than a page). Each page
repeats the participant's name in its running header and footer and is numbered within its own
form ("Page 2 of 3 of this form"), so loose sheets can be sorted back.

The document set-up, page furniture and atomic write are the report's (export/pdf.py); all user
text goes through pdf_style.para_text, or pdf_style.plain_text where it is drawn directly.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from opassess.export import save_export
from opassess.export.pdf import (
    MARGIN_BOTTOM,
    MARGIN_TOP,
    build_pdf,
    numbered_canvas,
    page_section,
)
from opassess.export.pdf_style import (
    FONT,
    FONT_BOLD,
    document_kind,
    drawing,
    para_text,
    paragraphs,
    plain_text,
    rect,
    styles,
)
from opassess.frameworks import Dimension, capitalised
from opassess.wording import NOT_SURE_LABEL, format_date
from opassess.workshop import Workshop, shows_names

BOX = 11.0  # a tick box's side, in points: about 4 mm
EVIDENCE_LINES = 4
LINE_PITCH = 20.0  # between ruled lines: about 7 mm, room for handwriting
FORM_NUMBERING = "Page {number} of {total} of this form"
RULE_COLOUR = "#8C8C8C"
GRID_COLOUR = "#B4B4B4"
HEAD_FILL = "#EFEFEF"
# The text area's height: the A4 page less its margins and the frame's padding top and bottom.
FRAME_HEIGHT = 841.89 - MARGIN_TOP - MARGIN_BOTTOM - 12
WHO_INDENT = 60.0  # the name and role, right of their labels


def write_paper_forms(workshop: Workshop, path: str | Path) -> None:
    """Write the paper forms, one per participant, to `path` as a PDF; ExportError if they
    cannot be written."""
    save_export(paper_forms_bytes(workshop), path, "The paper forms")


def paper_forms_bytes(workshop: Workshop) -> bytes:
    """The paper forms as PDF bytes. A workshop with no participants yet gets one form with
    the name and role left to be written in."""
    return build_pdf(
        workshop,
        lambda width: forms_story(workshop, width),
        subject=f"{document_kind(workshop.framework)} rating forms",
        canvasmaker=numbered_canvas(""),
        what="The paper forms",
    )


# -- the story ------------------------------------------------------------------------------------


def forms_story(workshop: Workshop, width: float) -> list[Any]:
    from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak

    names = workshop.display_names()  # as the rows of the fast-entry grid show them
    people = [(names[p.id], p.role) for p in workshop.participants]
    dimensions = workshop.scoped_dimensions()
    count = len(dimensions)
    # Every form has the same blocks: whether each fits on a page is measured once.
    fits = [
        _height(barrier_block(workshop, dimension, number, count, width), width) <= FRAME_HEIGHT
        for number, dimension in enumerate(dimensions, start=1)
    ]
    story: list[Any] = []
    for index, (name, role) in enumerate(people or [("", "")], start=1):
        if index > 1:
            story.append(PageBreak())
        label = f"Form {index} of {len(people)} · {plain_text(name)}" if name else "Rating form"
        header = f"{plain_text(name or 'Rating form')} — {plain_text(workshop.title)}"
        story.append(page_section(header, label, FORM_NUMBERING))
        story += form_heading(workshop, name, role, width)
        story += instructions(workshop)
        for number, (dimension, whole) in enumerate(zip(dimensions, fits, strict=True), start=1):
            block = barrier_block(workshop, dimension, number, count, width)
            if whole:
                story.append(KeepTogether(block))
            else:
                # Wording adapted at great length: the block cannot be kept on one page, so
                # it flows on from a page with room at least for its start.
                story += [CondPageBreak(FRAME_HEIGHT / 2), *block]
        if not dimensions:
            dimensions_word = workshop.framework.terms.dimensions
            story.append(_para(f"No {dimensions_word} are in scope for this workshop.", "muted"))
    return story


def form_heading(workshop: Workshop, name: str, role: str, width: float) -> list[Any]:
    """The workshop, then who the form is for (or lines to write it on)."""
    from reportlab.platypus import Paragraph

    s = form_styles()
    story: list[Any] = [Paragraph("Rating form", s["kicker"])]
    story += paragraphs(workshop.title, s["title"])
    details = [workshop.organisation, workshop.team]
    if workshop.held_on:
        details.append(format_date(workshop.held_on))
    shown = " · ".join(para_text(d) for d in details if d)
    if shown:
        story.append(Paragraph(shown, s["details"]))

    if not name:
        story.append(_write_in(width))
        return story
    # The labels sit in the paragraphs' hanging indent: no table, so even an absurdly long
    # name or role splits across pages as cheaply as any paragraph.
    story.append(_rule(width, 0.8, "#444444"))
    story += paragraphs(name, s["name"], _label("Name"))
    if role:
        story += paragraphs(role, s["role"], _label("Role"))
    story.append(_rule(width, 0.8, "#444444"))
    return story


def _label(text: str) -> str:
    return f'<bullet color="#555555" font="{FONT_BOLD}" size="8.5">{text}</bullet>'


def _write_in(width: float) -> Any:
    """Name and role lines to write on, for a form printed before anyone is listed."""
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    s = form_styles()
    rows = [
        [Paragraph(label, s["field"]), _write_in_line(width - 60 - 16)]
        for label in ("Name", "Role")
    ]
    table = Table(rows, colWidths=[60, width - 60], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LINEABOVE", (0, 0), (-1, 0), 0.8, colors.HexColor("#444444")),
                ("LINEBELOW", (0, -1), (-1, -1), 0.8, colors.HexColor("#444444")),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return table


def instructions(workshop: Workshop) -> list[Any]:
    """How to fill the form in."""
    from reportlab.platypus import Paragraph

    s = form_styles()
    terms = workshop.framework.terms
    back = f"to {para_text(workshop.facilitator)}" if workshop.facilitator else "to the facilitator"
    text = (
        f"For each {terms.dimension}, read what each {terms.level} looks like and "
        f"<b>tick one box</b>: the {terms.level} closest to what you have seen here, not what is "
        "planned or hoped for. Not every "
        "example has to fit. If you have not seen enough to judge, tick <b>Not sure</b>. Then, "
        "on the lines below, <b>write what you have seen</b> that made you choose: meetings, "
        "decisions, reports, things people did. There are no right answers; the team compares "
        f"views afterwards. Please hand the form back {back}."
    )
    story: list[Any] = [Paragraph("How to fill in this form", s["section"])]
    story.append(Paragraph(text, s["body"]))
    if not shows_names(workshop):
        story.append(
            Paragraph(
                "Your name is on this form only so that the facilitator can type your answers "
                "in. In this workshop the wall chart and the printed report do not show who "
                "gave which rating.",
                s["body"],
            )
        )
    return story


def barrier_block(
    workshop: Workshop, dimension: Dimension, number: int, total: int, width: float
) -> list[Any]:
    """One barrier: heading, question, the stage table with its tick boxes, evidence lines."""
    from reportlab.platypus import Paragraph, Spacer

    s = form_styles()
    kicker = f"{capitalised(workshop.framework.terms.dimension)} {number} of {total}"
    if dimension.group:  # "Area 1 of 5 · Whole system"
        kicker += f" · {para_text(dimension.group)}"
    story: list[Any] = [
        Spacer(1, 10),
        _rule(width, 1.2, "#333333"),
        Paragraph(kicker, s["kicker"]),
    ]
    story += paragraphs(dimension.name, s["barrier"])
    if dimension.question:
        story += paragraphs(dimension.question, s["question"])
    if dimension.explanation:
        story += paragraphs(dimension.explanation, s["explanation"])
    story.append(stage_table(workshop, dimension, width))
    story.append(
        Paragraph(
            "What have you seen that made you choose? Examples, events, documents:", s["prompt"]
        )
    )
    story.append(_ruled_lines(width))
    return story


def stage_table(workshop: Workshop, dimension: Dimension, width: float) -> Any:
    """A column per stage (tick box, name, descriptors) and a narrow one for Not sure."""
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    s = form_styles()
    levels = workshop.framework.levels
    not_sure = _tick_width(NOT_SURE_LABEL)
    column = (width - not_sure) / max(1, len(levels))
    style, above = _stage_labels([plain_text(level.name) for level in levels], column)
    head = [_tick(para_text(level.name), column, style, above) for level in levels]
    head.append(_tick(NOT_SURE_LABEL, not_sure, style, above))
    body: list[Any] = []
    for level in levels:
        items = dimension.descriptors.get(level.id, ())
        cell: list[Any] = []
        for item in items:
            cell += paragraphs(item, s["descriptor"], "<bullet>•</bullet>")
        if not cell and level.summary:
            cell = paragraphs(level.summary, s["aside"])
        body.append(cell)
    body.append(Paragraph("Not seen enough to judge", s["aside"]))
    table = Table(
        [head, body],
        colWidths=[column] * len(levels) + [not_sure],
        hAlign="LEFT",
        splitInRow=1,
    )
    grid = colors.HexColor(GRID_COLOUR)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(HEAD_FILL)),
                ("BOX", (0, 0), (-1, -1), 0.8, colors.HexColor("#444444")),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.HexColor("#444444")),
                ("INNERGRID", (0, 0), (-1, -1), 0.4, grid),
                ("LEFTPADDING", (0, 0), (-1, -1), 5),
                ("RIGHTPADDING", (0, 0), (-1, -1), 5),
                ("TOPPADDING", (0, 0), (-1, 0), 5),
                ("BOTTOMPADDING", (0, 0), (-1, 0), 5),
                ("TOPPADDING", (0, 1), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 1), (-1, -1), 4),
            ]
        )
    )
    return table


# -- pieces ---------------------------------------------------------------------------------------


def _height(flowables: list[Any], width: float) -> float:
    """The height the flowables take one after another, `width` wide."""
    total = 0.0
    for flowable in flowables:
        total += flowable.wrap(width, FRAME_HEIGHT)[1]
        total += flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return total


def _stage_labels(names: list[str], column: float) -> tuple[Any, bool]:
    """How the stage names sit in their header cells: the style, and whether the tick box
    goes above the name rather than beside it. A size smaller, then the box above, when a
    word would not fit (many stages make narrow columns); a word too long even then is split."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase.pdfmetrics import stringWidth

    style = form_styles()["stage"]
    words = {word[:100] for name in names for word in name.split()}
    sizes = (style.fontSize, style.fontSize - 1, style.fontSize - 2)
    choices = [(size, False) for size in sizes[:2]] + [(size, True) for size in sizes]
    for size, above in choices:
        room = _label_room(column, above)
        if all(stringWidth(word, style.fontName, size) <= room for word in words):
            break
    if size == style.fontSize:
        return style, above
    return ParagraphStyle(f"stage_{size}", style, fontSize=size, leading=size + 2.5), above


def _label_room(column: float, above: bool = False) -> float:
    """The width left for a tick box's label in a header cell of a column `column` wide."""
    # The cell's own padding, and the box and its gap when it sits beside the label.
    return max(10.0, column - 10 - (0 if above else BOX + 7))


def _tick(markup: str, width: float, style: Any, above: bool) -> Any:
    """A tick box with a (bold, wrapping) label beside it, or below it, for a header cell."""
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    box = drawing(BOX + 2, BOX + 2)
    box.add(
        rect(
            1,
            1,
            BOX,
            BOX,
            fillColor=colors.white,
            strokeColor=colors.HexColor("#222222"),
            strokeWidth=1.0,
        )
    )
    label = Paragraph(markup, style)
    if above:
        return [box, Spacer(1, 3), label]
    cell = Table([[box, label]], colWidths=[BOX + 7, _label_room(width)], hAlign="LEFT")
    cell.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return cell


def _tick_width(label: str) -> float:
    """The width of a table column whose header is a tick box and `label` on one line."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    style = form_styles()["stage"]
    return BOX + 7 + stringWidth(label, style.fontName, style.fontSize) + 10 + 2


def _ruled_lines(width: float) -> Any:
    from reportlab.graphics.shapes import Line
    from reportlab.lib import colors

    picture = drawing(width, EVIDENCE_LINES * LINE_PITCH + 2)
    for index in range(EVIDENCE_LINES):
        y = 1 + index * LINE_PITCH
        picture.add(Line(0, y, width, y, strokeColor=colors.HexColor(RULE_COLOUR), strokeWidth=0.5))
    return picture


def _write_in_line(width: float) -> Any:
    from reportlab.graphics.shapes import Line
    from reportlab.lib import colors

    picture = drawing(width, 18)
    picture.add(Line(0, 1, width, 1, strokeColor=colors.HexColor(RULE_COLOUR), strokeWidth=0.5))
    return picture


def _rule(width: float, thickness: float, colour: str) -> Any:
    from reportlab.graphics.shapes import Line
    from reportlab.lib import colors

    picture = drawing(width, thickness + 3)
    y = thickness / 2 + 3
    picture.add(Line(0, y, width, y, strokeColor=colors.HexColor(colour), strokeWidth=thickness))
    return picture


def _para(text: str, style: str) -> Any:
    from reportlab.platypus import Paragraph

    return Paragraph(text, form_styles()[style])


@lru_cache(maxsize=1)
def form_styles() -> dict[str, Any]:
    """The form's paragraph styles, built on the shared ones."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    base = styles()
    body = base["body"]
    grey = colors.HexColor("#555555")
    return {
        **base,
        "body": ParagraphStyle("form_body", body, fontSize=9, leading=12, spaceAfter=4),
        "kicker": ParagraphStyle(
            "kicker",
            body,
            fontName=FONT_BOLD,
            fontSize=7.5,
            leading=10,
            textColor=grey,
            spaceBefore=2,
            spaceAfter=1,
        ),
        "title": ParagraphStyle(
            "form_title", body, fontName=FONT_BOLD, fontSize=15, leading=19, spaceAfter=2
        ),
        "details": ParagraphStyle("details", body, textColor=grey, spaceAfter=10),
        "field": ParagraphStyle(
            "field", body, fontName=FONT_BOLD, fontSize=8.5, leading=11, textColor=grey
        ),
        "name": ParagraphStyle(
            "name",
            body,
            fontName=FONT_BOLD,
            fontSize=13,
            leading=17,
            leftIndent=WHO_INDENT,
            spaceBefore=4,
            spaceAfter=2,
        ),
        "role": ParagraphStyle(
            "role", body, fontSize=10, leading=13, leftIndent=WHO_INDENT, spaceAfter=4
        ),
        "section": ParagraphStyle(
            "section",
            body,
            fontName=FONT_BOLD,
            fontSize=10,
            leading=13,
            spaceBefore=10,
            spaceAfter=3,
            keepWithNext=1,
        ),
        "barrier": ParagraphStyle(
            "barrier",
            body,
            fontName=FONT_BOLD,
            fontSize=12.5,
            leading=16,
            spaceAfter=2,
        ),
        "question": ParagraphStyle("question", body, fontSize=9.5, leading=12.5, spaceAfter=3),
        "explanation": ParagraphStyle(
            "explanation",
            body,
            fontSize=8,
            leading=10.2,
            textColor=colors.HexColor("#444444"),
            spaceAfter=6,
        ),
        "stage": ParagraphStyle(
            "stage", body, fontName=FONT_BOLD, fontSize=9.5, leading=12, spaceAfter=0
        ),
        "descriptor": ParagraphStyle(
            "descriptor",
            body,
            fontSize=8,
            leading=10,
            leftIndent=8,
            bulletIndent=0,
            bulletFontName=FONT,
            bulletFontSize=8,
            spaceAfter=3,
        ),
        "aside": ParagraphStyle(
            "aside", body, fontSize=8, leading=10, textColor=grey, spaceAfter=0
        ),
        "prompt": ParagraphStyle(
            "prompt",
            body,
            fontName=FONT_BOLD,
            fontSize=8.5,
            leading=11,
            spaceBefore=8,
            spaceAfter=0,
        ),
    }
