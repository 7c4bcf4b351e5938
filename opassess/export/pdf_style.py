"""What every PDF this program writes shares: the bundled font, paragraph styles, stage colours and
shapes, the phrases the printouts build from a framework's own words, and the one way user text
becomes paragraph markup.

reportlab's Paragraph reads a small XML-like markup, so text typed by a person ("<b>", "&amp;",
a stray control character) must never reach it raw: it would be taken as markup, fail to parse,
or crash the writer. `para_text` is the only door for user text into a Paragraph; `plain_text`
cleans text that is drawn directly (canvas strings, chart labels, PDF metadata).

DejaVu Sans is bundled and embedded (as a subset) so that Welsh, Polish, Greek, Turkish and
Cyrillic names print, and read back, exactly as typed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from opassess.frameworks import Framework, Terms, capitalised
from opassess.palette import (
    DISAGREEMENT_COLOUR,
    NOT_SURE_COLOUR,
    NOT_SURE_SHAPE,
    stage_colour_at,
    stage_shape_at,
)
from opassess.paths import resources_dir
from opassess.workshop import NOT_SURE

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"

# C0 and C1 control characters (tab and newline are handled first), DEL, and lone surrogates
# (which cannot be encoded at all): shown as the replacement character, so a stray byte is
# visible in the printout rather than silently dropped or fatal.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
REPLACEMENT = "\ufffd"
# Longer texts are cut into several paragraphs, at a space where there is one: reportlab splits
# a paragraph across pages, but re-wraps the whole remainder at every page, so a 100,000
# character paragraph costs time quadratic in its length.
CHUNK = 2000


def plain_text(text: str) -> str:
    """User text cleaned for drawing directly: one line, no control characters."""
    text = text.replace("\r\n", "\n").replace("\t", " ")
    text = " ".join(text.replace("\r", "\n").split("\n"))
    return _UNPRINTABLE.sub(REPLACEMENT, text)


def para_text(text: str) -> str:
    """User text as Paragraph markup that prints literally: & < > escaped, newlines kept as
    line breaks, control characters shown as the replacement character."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    text = _UNPRINTABLE.sub(REPLACEMENT, text)
    return escape(text).replace("\n", "<br/>")


def text_chunks(text: str, size: int = CHUNK) -> list[str]:
    """Split long text into pieces of about `size` characters: at a line break if there is one
    in the second half of the piece, else at a space, else anywhere."""
    pieces = []
    while len(text) > size:
        cut = text.rfind("\n", size // 2, size)
        if cut < 0:
            cut = text.rfind(" ", size // 2, size)
        if cut < 0:
            cut = size
        pieces.append(text[:cut])
        text = text[cut:].lstrip("\n ") if cut < size else text[cut:]
    pieces.append(text)
    return pieces


def paragraphs(text: str, style: Any, prefix: str = "") -> list[Any]:
    """User text as one or more Paragraphs (several when long, so it splits across pages
    cheaply). `prefix` is markup (already safe) put before the first piece."""
    from reportlab.platypus import Paragraph

    pieces = text_chunks(text)
    return [
        Paragraph((prefix if index == 0 else "") + para_text(piece), style)
        for index, piece in enumerate(pieces)
    ]


@lru_cache(maxsize=1)
def register_fonts() -> str:
    """Register the bundled DejaVu Sans (regular and bold, as one family) once; its name."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    fonts = resources_dir() / "fonts"
    pdfmetrics.registerFont(TTFont(FONT, str(fonts / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(fonts / "DejaVuSans-Bold.ttf")))
    # No italic face is bundled: italic asks fall back to the upright faces.
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, FONT_BOLD)
    addMapping(FONT, 0, 1, FONT)
    addMapping(FONT, 1, 1, FONT_BOLD)
    return FONT


@lru_cache(maxsize=1)
def styles() -> dict[str, Any]:
    """The paragraph styles every PDF uses, by name."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5, spaceAfter=3)
    grey = colors.HexColor("#555555")
    return {
        "body": body,
        "small": ParagraphStyle("small", body, fontSize=8, leading=10, spaceAfter=1),
        "tiny": ParagraphStyle("tiny", body, fontSize=7, leading=8.6, spaceAfter=1),
        "cell": ParagraphStyle("cell", body, fontSize=8.5, leading=10.5, spaceAfter=0),
        "cell_bold": ParagraphStyle(
            "cell_bold", body, fontName=FONT_BOLD, fontSize=8.5, leading=10.5, spaceAfter=0
        ),
        "muted": ParagraphStyle("muted", body, textColor=grey),
        "cell_muted": ParagraphStyle(
            "cell_muted", body, fontSize=8.5, leading=10.5, spaceAfter=0, textColor=grey
        ),
        "quote": ParagraphStyle("quote", body, leftIndent=10, spaceAfter=4),
        "title": ParagraphStyle(
            "title", body, fontName=FONT_BOLD, fontSize=24, leading=30, spaceAfter=10
        ),
        "subtitle": ParagraphStyle("subtitle", body, fontSize=13, leading=17, spaceAfter=4),
        "h1": ParagraphStyle(
            "h1",
            body,
            fontName=FONT_BOLD,
            fontSize=16,
            leading=20,
            spaceBefore=4,
            spaceAfter=8,
            keepWithNext=1,
        ),
        "h2": ParagraphStyle(
            "h2",
            body,
            fontName=FONT_BOLD,
            fontSize=11.5,
            leading=15,
            spaceBefore=8,
            spaceAfter=4,
            keepWithNext=1,
        ),
        "h3": ParagraphStyle(
            "h3",
            body,
            fontName=FONT_BOLD,
            fontSize=10,
            leading=13,
            spaceBefore=5,
            spaceAfter=2,
            keepWithNext=1,
        ),
        "warning": ParagraphStyle("warning", body, textColor=colors.HexColor(DISAGREEMENT_COLOUR)),
    }


def stage_colour(source: Framework | tuple[str, ...], stage: str) -> str:
    """The hex colour for a stage id (or NOT_SURE): a framework's own (its stage's colour, or
    the palette's for its place), or, given only level ids, the palette's for its place."""
    if isinstance(source, Framework):
        return source.colour_of(stage)
    if stage == NOT_SURE or stage not in source:
        return NOT_SURE_COLOUR
    return stage_colour_at(source.index(stage))


def stage_shape(level_ids: tuple[str, ...], stage: str) -> str:
    """The shape for a stage id (or NOT_SURE), as on the screens."""
    if stage == NOT_SURE or stage not in level_ids:
        return NOT_SURE_SHAPE
    return stage_shape_at(level_ids.index(stage))


def marker(shape: str, x: float, y: float, size: float, fill: str) -> Any:
    """A vector dot of `shape`, centred on (x, y), `size` points across."""
    import math

    from reportlab.graphics.shapes import Circle, Polygon
    from reportlab.lib import colors

    colour = colors.HexColor(fill)
    r = size / 2
    common: dict[str, Any] = {"fillColor": colour, "strokeColor": colors.white, "strokeWidth": 0.4}
    if shape == "circle":
        return Circle(x, y, r, **common)
    if shape == "square":
        return rect(x - r * 0.9, y - r * 0.9, r * 1.8, r * 1.8, **common)
    if shape == "triangle":
        return Polygon([x - r, y - r * 0.85, x + r, y - r * 0.85, x, y + r], **common)
    if shape == "inverted-triangle":
        return Polygon([x - r, y + r * 0.85, x + r, y + r * 0.85, x, y - r], **common)
    if shape == "diamond":
        return Polygon([x, y - r, x + r, y, x, y + r, x - r, y], **common)
    # The hexagon, or the star's ten points alternating between two radii.
    points: list[float] = []
    step = 2 if shape == "star" else 1
    count = 10 if shape == "star" else 6
    for i in range(count):
        radius = r if step == 1 or i % 2 == 0 else r * 0.45
        angle = math.pi / 2 + 2 * math.pi * i / count
        points += [x + radius * math.cos(angle), y + radius * math.sin(angle)]
    return Polygon(points, **common)


def rect(x: float, y: float, width: float, height: float, **style: Any) -> Any:
    """A vector rectangle; `style` as reportlab's shape keywords (fillColor, strokeColor...)."""
    from reportlab.graphics.shapes import Rect

    return Rect(x, y, width, height, **style)


def drawing(width: float, height: float) -> Any:
    """A vector drawing whose text state starts in the bundled font.

    A bare Drawing opens every render with Helvetica, which then sits in the file as an
    unembedded standard font even though no visible text uses it.
    """
    from reportlab.graphics.shapes import Drawing

    return Drawing(width, height, initialFontName=FONT, initialFontSize=8)


# -- words ----------------------------------------------------------------------------------------
# Phrases the report, the forms and the workbook build from a framework's words. The defaults of
# Terms are the breakthrough model's, so its printouts read exactly as they always have.


def document_kind(framework: Framework) -> str:
    """What a document's subject calls the workshop: 'Breakthrough' for the breakthrough model
    (whose ideas for action are breakthroughs), otherwise the framework's own name."""
    if framework.terms.suggestion == Terms().suggestion:
        return capitalised(framework.terms.suggestion)
    return framework.name


def details_table(details: Sequence[tuple[str, str]], label_width: float, width: float) -> Any:
    """A cover's label and value pairs, labels in bold, both escaped for Paragraph markup."""
    from reportlab.platypus import Paragraph, Table, TableStyle

    s = styles()
    rows = [
        [Paragraph(para_text(label), s["cell_bold"]), Paragraph(para_text(value), s["cell"])]
        for label, value in details
    ]
    table = Table(rows, colWidths=[label_width, width - label_width], hAlign="LEFT", splitInRow=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table
