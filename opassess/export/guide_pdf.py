"""The facilitator's guide as a printable PDF: a title page with linked contents, then every
section of the guide, with PDF bookmarks, links between sections, a running header and page
numbers.

The text comes from opassess.guide (the same sections the help window shows); every piece of it
reaches a Paragraph through pdf_style.para_text, with markup added only around the pieces. The
file is built in memory and written with files.write_atomically, in the bundled DejaVu fonts only.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from typing import Any

from opassess.export import ExportError, save_export
from opassess.export.pdf import a4_document, numbered_canvas
from opassess.export.pdf_style import FONT, para_text, register_fonts, styles
from opassess.guide import GUIDE_TITLE, Block, GuideSection, blocks, guide_sections, inline, plain

SOURCE = (
    "Based on the Audit Commission management paper <i>Performance breakthroughs: improving "
    "performance in public sector organisations</i> (2002)."
)
LINK_COLOUR = "#0B5CAD"
RULE_COLOUR = "#BBBBBB"
HEADER_FILL = "#EEF2F6"


def write_guide_pdf(path: str | Path) -> None:
    """Write the facilitator's guide to `path` as a PDF; ExportError if it cannot be written.
    A failed write leaves any earlier file at `path` untouched."""
    path = Path(path)
    data = guide_pdf_bytes()
    save_export(data, path, "The guide")


def guide_pdf_bytes() -> bytes:
    """The guide as PDF bytes."""
    from reportlab.platypus import SimpleDocTemplate
    from reportlab.platypus.doctemplate import LayoutError

    register_fonts()

    class GuideDocument(SimpleDocTemplate):
        def afterFlowable(self, flowable: Any) -> None:
            """Each section heading becomes a contents line and a PDF bookmark."""
            entry = getattr(flowable, "guide_entry", None)
            if entry is None:
                return
            key, title, level = entry
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(title, key, level=level, closed=True)
            if level == 0:
                self.notify("TOCEntry", (0, para_text(title), self.page, key))

    buffer = io.BytesIO()
    doc = a4_document(
        buffer,
        title=GUIDE_TITLE,
        subject="How to prepare and run a breakthrough workshop",
        template=GuideDocument,
    )
    story = guide_story(guide_sections(), doc.width)
    try:
        # Two passes: the first finds the page of every section for the contents.
        canvas = numbered_canvas(f"OpAssess — {GUIDE_TITLE}", skip_header_on_first=True)
        doc.multiBuild(story, canvasmaker=canvas)
    except LayoutError as exc:
        raise ExportError(f"The guide could not be laid out: {exc}") from exc
    return buffer.getvalue()


# -- the story ------------------------------------------------------------------------------------


def guide_story(sections: list[GuideSection], width: float) -> list[Any]:
    from reportlab.platypus import CondPageBreak, PageBreak, Paragraph, Spacer, TableStyle
    from reportlab.platypus.tableofcontents import TableOfContents

    s = guide_styles()
    # The table behind the contents names the bundled font, so no standard font is referenced.
    contents = TableOfContents(
        dotsMinLevel=0,
        levelStyles=[s["contents"]],
        tableStyle=TableStyle(
            [("FONTNAME", (0, 0), (-1, -1), FONT), ("VALIGN", (0, 0), (-1, -1), "TOP")]
        ),
    )
    story: list[Any] = [
        Spacer(1, 30),
        Paragraph(para_text(GUIDE_TITLE), s["title"]),
        Paragraph("Running a breakthrough workshop with OpAssess", s["subtitle"]),
        Paragraph(SOURCE, s["muted"]),
        Spacer(1, 18),
        Paragraph("Contents", s["h2"]),
        contents,
        PageBreak(),
    ]
    for number, section in enumerate(sections):
        if number:
            story.append(CondPageBreak(140))
        story += section_flowables(section, width)
    return story


def section_flowables(section: GuideSection, width: float) -> list[Any]:
    """One guide section: its heading (a link target named after the section id), then its
    blocks."""
    from reportlab.platypus import KeepTogether, Paragraph

    s = guide_styles()
    heading = Paragraph(f'<a name="{section.id}"/>{para_text(section.title)}', s["h1"])
    # Read back, when the page is known, by the template's afterFlowable.
    heading.guide_entry = (section.id, plain(section.title), 0)  # type: ignore[attr-defined]
    story: list[Any] = [heading]
    for index, block in enumerate(blocks(section.body)):
        made = block_flowables(block, width, f"{section.id}-{index}")
        if block.kind == "table":
            # A table stays on one page with the subheading and sentence that introduce it.
            while getattr(story[-1], "style", None) in (s["lead"], s["h2"]):
                made.insert(0, story.pop())
            made = [KeepTogether(made)]
        story += made
    return story


def block_flowables(block: Block, width: float, key: str) -> list[Any]:
    from reportlab.platypus import Paragraph, Spacer

    s = guide_styles()
    if block.kind == "heading":
        heading = Paragraph(markup(block.text), s["h2"])
        heading.guide_entry = (key, plain(block.text), 1)  # type: ignore[attr-defined]
        return [heading]
    if block.kind == "paragraph":
        # A paragraph that introduces a list or table ("For each barrier:") stays with it.
        lead = block.text.rstrip().endswith(":")
        return [Paragraph(markup(block.text), s["lead"] if lead else s["body"])]
    if block.kind in ("bullets", "numbers"):
        made = []
        for number, item in enumerate(block.items, start=1):
            mark = "•" if block.kind == "bullets" else f"{number}."
            made.append(Paragraph(markup(item.text), s[block.kind], bulletText=mark))
            made += [
                Paragraph(markup(child), s["children"], bulletText="–") for child in item.children
            ]
        return [*made, Spacer(1, 4)]
    if block.kind == "table":
        return [Spacer(1, 2), table(block.rows, width), Spacer(1, 8)]
    return []


def table(rows: tuple[tuple[str, ...], ...], width: float) -> Any:
    """A guide table: header row shaded, light rules, columns as wide as their text needs."""
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    s = guide_styles()
    cells = [
        [Paragraph(markup(cell), s["cell_bold"] if r == 0 else s["cell"]) for cell in row]
        for r, row in enumerate(rows)
    ]
    needs = [min(45, max(5, *(len(plain(row[c])) for row in rows))) for c in range(len(rows[0]))]
    widths = [width * need / sum(needs) for need in needs]
    made = Table(cells, colWidths=widths, repeatRows=1, hAlign="LEFT", splitInRow=1)
    made.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(HEADER_FILL)),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor("#444444")),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.HexColor("#CCCCCC")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return made


def markup(text: str) -> str:
    """Guide inline text as Paragraph markup: each run escaped by para_text, then wrapped."""
    parts = []
    for span in inline(text):
        safe = para_text(span.text)
        if span.kind == "bold":
            parts.append(f"<b>{safe}</b>")
        elif span.kind == "italic":
            parts.append(f"<i>{safe}</i>")
        elif span.kind == "link":
            parts.append(f'<a href="#{span.target}" color="{LINK_COLOUR}">{safe}</a>')
        else:
            parts.append(safe)
    return "".join(parts)


@lru_cache(maxsize=1)
def guide_styles() -> dict[str, Any]:
    """The report's styles, a size up for reading at arm's length, plus list styles whose
    bullets are set in the bundled font too."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    base = styles()
    body = ParagraphStyle(
        "guide_body", base["body"], fontSize=10.5, leading=14.5, spaceAfter=5, bulletFontName=FONT
    )
    listed: dict[str, Any] = {
        "leftIndent": 16,
        "bulletIndent": 3,
        "spaceAfter": 3,
        "bulletFontSize": 10.5,
    }
    return {
        "body": body,
        "lead": ParagraphStyle("guide_lead", body, keepWithNext=1),
        "muted": ParagraphStyle("guide_muted", body, textColor=colors.HexColor("#555555")),
        "title": ParagraphStyle("guide_title", base["title"], bulletFontName=FONT),
        "subtitle": ParagraphStyle("guide_subtitle", base["subtitle"], bulletFontName=FONT),
        "h1": ParagraphStyle(
            "guide_h1", base["h1"], fontSize=17, leading=22, spaceBefore=10, bulletFontName=FONT
        ),
        "h2": ParagraphStyle(
            "guide_h2", base["h2"], fontSize=12.5, leading=16, spaceBefore=8, bulletFontName=FONT
        ),
        "bullets": ParagraphStyle("guide_bullets", body, **listed),
        "numbers": ParagraphStyle("guide_numbers", body, **{**listed, "leftIndent": 18}),
        "children": ParagraphStyle(
            "guide_children", body, leftIndent=34, bulletIndent=22, spaceAfter=2
        ),
        "cell": ParagraphStyle(
            "guide_cell", base["cell"], fontSize=9.5, leading=12, bulletFontName=FONT
        ),
        "cell_bold": ParagraphStyle(
            "guide_cell_bold", base["cell_bold"], fontSize=9.5, leading=12, bulletFontName=FONT
        ),
        "contents": ParagraphStyle(
            "guide_contents",
            body,
            fontName=FONT,
            fontSize=11,
            leading=17,
            leftIndent=0,
            firstLineIndent=0,
            spaceAfter=0,
        ),
    }
