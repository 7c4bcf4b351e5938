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
# Longer texts are cut into several paragraphs, each at most CHUNK characters, at a line break,
# else a sentence's end, else a space: reportlab splits a paragraph across pages, but wraps the
# whole remainder again on every page (and a table row all of its cells), so one paragraph of
# 100,000 characters costs time quadratic in its length. The pieces follow one another with no
# space between them, so a text cut at a line break or a sentence's end reads as typed.
CHUNK = 2000
_SENTENCE_END = re.compile(r"[.!?…][)\]\"'”’]*\s")


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
    """Split long text into pieces of at most `size` characters, each cut in the second half of
    its piece: after a line break if there is one there, else after a sentence's end, else at
    a space, else (one unbroken run of characters) anywhere. Line breaks and spaces at a cut
    are dropped: the next piece starts on a line of its own."""
    pieces = []
    start = 0
    while len(text) - start > size:
        low, high = start + size // 2, start + size
        cut = text.rfind("\n", low, high)
        if cut < 0:
            ends = [m.end() - 1 for m in _SENTENCE_END.finditer(text, low, high + 1)]
            cut = ends[-1] if ends else text.rfind(" ", low, high)
        if cut < 0:
            pieces.append(text[start:high])
            start = high
            continue
        pieces.append(text[start:cut].rstrip(" "))
        start = cut
        while start < len(text) and text[start] in " \n":
            start += 1
    pieces.append(text[start:])
    return pieces


class _Piece:
    """Made a reportlab Paragraph subclass on first use (reportlab is imported only when a
    PDF is made): a paragraph that remembers its lines for the width it was last wrapped to.
    A table wraps every cell of its rest again on each page it spills onto; a long cell's
    pieces then cost nothing but the one being split."""

    cls: Any = None

    @classmethod
    def make(cls, text: str, style: Any) -> Any:
        if cls.cls is None:
            from reportlab.platypus import Paragraph

            class Piece(Paragraph):
                _wrapped: tuple[Any, ...] | None = None

                def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
                    known = self._wrapped
                    if known is not None and known[0] == availWidth:
                        _, self.blPara, self.width, self.height, self._wrapWidths = known
                        return self.width, self.height
                    size = super().wrap(availWidth, availHeight)
                    self._wrapped = (
                        availWidth,
                        self.blPara,
                        self.width,
                        self.height,
                        self._wrapWidths,
                    )
                    return size

            cls.cls = Piece
        return cls.cls(text, style)


def paragraphs(text: str, style: Any, prefix: str = "", lead: str = "") -> list[Any]:
    """User text as one or more Paragraphs (several when long, so it splits across pages and
    table rows in time linear in its length), set one under the other with no space between.
    `prefix` is markup (already safe) put before the first piece; `lead`, user text printed in
    bold before the text (a speaker's name), is cut into pieces of its own when long."""
    pieces = [para_text(piece) for piece in text_chunks(text)]
    if lead:
        leads = [f"<b>{para_text(piece)}</b>" for piece in text_chunks(lead)]
        pieces = [*leads[:-1], f"{leads[-1]} {pieces[0]}", *pieces[1:]]
    pieces[0] = prefix + pieces[0]
    if len(pieces) == 1:
        return [_Piece.make(pieces[0], style)]
    return [
        _Piece.make(piece, _piece_style(style, index == 0, index == len(pieces) - 1))
        for index, piece in enumerate(pieces)
    ]


def _piece_style(style: Any, first: bool, last: bool) -> Any:
    """`style` for one piece of a text cut into several: the space before the first and after
    the last, none between, and only the last kept with what follows (a heading's pieces are
    kept together by following one another)."""
    from reportlab.lib.styles import ParagraphStyle

    changes: dict[str, Any] = {}
    if not first:
        changes["spaceBefore"] = 0
    if not last:
        changes["spaceAfter"] = 0
        changes["keepWithNext"] = 0
    if not changes:
        return style
    key = (id(style), first, last)
    made = _PIECE_STYLES.get(key)
    if made is None or made[0] is not style:
        if len(_PIECE_STYLES) > 256:  # styles made for one report only: none kept for long
            _PIECE_STYLES.clear()
        made = (style, ParagraphStyle(f"{style.name}-piece", parent=style, **changes))
        _PIECE_STYLES[key] = made
    return made[1]


_PIECE_STYLES: dict[tuple[int, bool, bool], tuple[Any, Any]] = {}


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
        [Paragraph(para_text(label), s["cell_bold"]), paragraphs(value, s["cell"])]
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
