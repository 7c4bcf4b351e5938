"""How long the PDF report takes, against bare reportlab laying out the same pages.

Run: .venv/bin/python bench/bench_export_pdf.py [--participants 40] [--runs 5]

A demo workshop (40 participants by default, six barriers, evidence, consensus, targets, three
actions a barrier). Ours is the real export: `report_bytes` (analysis, the story of cover, wall
chart, one section per barrier, action plan and descriptors appendix, user text made safe and
cut into pieces, headings kept with what follows, page furniture drawn once the page count is
known, DejaVu Sans embedded as a subset) and `write_report` (the same, written atomically to a
file and synced).

The baseline, in the same run, is reportlab's platypus alone: a `SimpleDocTemplate` of the same
text (headings, questions, evidence with its speaker, agreed stage, rationale and dissent,
targets, action rows, descriptors), worked out and escaped beforehand, as one `Paragraph` per
text and `Table`s of `Paragraph` cells, in the same bundled DejaVu Sans (registered under its own
names, embedded as a subset), with the same page size, margins and type sizes, and vector
drawings of the chart, spreads and legend with about as many shapes as ours. It does no escaping
or cutting of text, no keep-with-next, no running header or page numbers, no label fitting.
Best of `--runs` for each after one warm-up, the three taking turns; prints milliseconds, the
ratio and both page counts.

With `--instructions`, valgrind's callgrind counts the instructions of one in-memory report and
of one bare build instead (`--calls` of each; a few minutes): a ratio that does not move with
the machine's load.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from io import BytesIO
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reportlab.graphics.shapes import Circle, Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from timing import add_instruction_options, best_ms, counted_instead

from opassess.analysis import summarise
from opassess.demo import demo_workshop
from opassess.export.pdf import (
    LABEL_WIDTH,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    report_bytes,
    report_story,
    write_report,
)
from opassess.export.pdf_style import styles
from opassess.palette import STAGE_COLOURS
from opassess.paths import resources_dir
from opassess.wording import format_date as long_date
from opassess.wording import stage_name
from opassess.wording import status_label as status_text
from opassess.workshop import NOT_SURE, Workshop, chart_labels

GOAL = 2.0
BARE_FONT, BARE_BOLD = "BareDejaVuSans", "BareDejaVuSans-Bold"
WIDTH = A4[0] - 2 * MARGIN_X
PAGE = re.compile(rb"/Type /Page\b(?!s)")

# The content, worked out before timing. Each block is a tuple whose first item says its kind:
# ("p", style, markup), ("break",), ("space", height), ("table", widths, rows of markup),
# ("chart", columns, rows), ("spread", [(name, count)], total), ("legend", labels).
Block = tuple[Any, ...]
CHART_NOTE = (
    "One mark per participant's rating, by colour and shape of stage. The stage the team "
    "agreed has a solid outline; the target stage a dashed one."
)
REASSESS_NOTE = "to see which barriers have moved and how the actions went."


def text(value: str) -> str:
    return escape(value).replace("\n", "<br/>")


def report_content(workshop: Workshop) -> list[Block]:
    """The report's text and figures, in the same order as ours lays them out."""
    summaries = summarise(workshop)
    levels = workshop.framework.level_ids
    columns = [*levels, NOT_SURE]
    labels = chart_labels(workshop)
    blocks: list[Block] = [("space", 40), ("p", "title", text(workshop.title))]
    blocks += [("p", "subtitle", text(t)) for t in (workshop.organisation, workshop.team) if t]
    details = [
        ("Date", long_date(workshop.held_on)),
        ("Facilitator", workshop.facilitator or "not recorded"),
        ("Framework", workshop.framework.name),
        ("Barriers assessed", str(len(workshop.scope))),
        ("Re-assess by", long_date(workshop.reassess_on)),
    ]
    blocks.append(("space", 12))
    blocks.append(("table", [110, WIDTH - 110], [[f"<b>{a}</b>", text(b)] for a, b in details]))
    blocks.append(("p", "h2", f"Participants ({len(workshop.participants)})"))
    names = workshop.display_names()
    people = [["<b>Name</b>", "<b>Role</b>"]]
    people += [[text(names[p.id]), text(p.role)] for p in workshop.participants]
    blocks.append(("table", [WIDTH * 0.45, WIDTH * 0.55], people))

    blocks += [("break",), ("p", "h1", "Wall chart")]
    blocks.append(("p", "muted", CHART_NOTE))
    chart_rows = []
    for summary in summaries:
        counts = [summary.counts.get(stage, 0) for stage in levels] + [summary.not_sure]
        chart_rows.append(
            (summary.name, summary.disagreement, counts, summary.consensus, summary.target)
        )
    names_of_columns = [stage_name(workshop, stage) for stage in columns]
    blocks.append(("chart", names_of_columns, chart_rows, columns))
    blocks.append(("legend", [*names_of_columns, "Agreed stage", "Target stage"]))

    action_head = ["Action", "Responsible", "Accountable", "Due", "Status"]
    fixed = [70.0, 70.0, 74.0, 58.0]

    def action_row(action: Any) -> list[str]:
        due = long_date(action.due_on) if action.due_on else ""
        return [
            text(action.text),
            text(action.responsible),
            text(action.accountable),
            due,
            status_text(action.status),
        ]

    for summary in summaries:
        dimension = workshop.framework.dimension(summary.dimension_id)
        blocks += [("break",), ("p", "h1", text(dimension.name))]
        if dimension.question:
            blocks.append(("p", "muted", text(dimension.question)))
        blocks.append(("p", "h2", "The spread"))
        spread = [(stage_name(workshop, s), summary.counts.get(s, 0)) for s in levels]
        spread.append((stage_name(workshop, NOT_SURE), summary.not_sure))
        blocks.append(("spread", spread, max(1, len(workshop.participants))))
        if summary.disagreement:
            reasons = text("; ".join(summary.disagreement_reasons))
            blocks.append(("p", "warning", f"Worth discussing: {reasons}."))
        if summary.missing:
            missing = (
                f"{summary.missing} of {len(workshop.participants)} did not rate this barrier."
            )
            blocks.append(("p", "muted", missing))
        blocks.append(("p", "h2", "Evidence"))
        ratings = workshop.ratings_for(summary.dimension_id)
        for stage in columns:
            group = [r for r in ratings if (r.stage if r.stage in levels else NOT_SURE) == stage]
            if not group:
                continue
            blocks.append(("p", "h3", f"{text(stage_name(workshop, stage))} ({len(group)})"))
            for rating in group:
                label = labels.get(rating.participant_id, "")
                prefix = f"<b>{text(label)}:</b> " if label else "• "
                evidence = text(rating.evidence.strip()) or "no evidence given"
                blocks.append(("p", "quote", prefix + evidence))
        blocks.append(("p", "h2", "What the team agreed"))
        agreed = workshop.consensus.get(summary.dimension_id)
        if agreed is not None:
            agreed_name = text(stage_name(workshop, agreed.stage))
            blocks.append(("p", "body", f"Agreed stage: <b>{agreed_name}</b>"))
            if agreed.rationale.strip():
                blocks.append(("p", "quote", "<b>Why:</b> " + text(agreed.rationale.strip())))
            if agreed.dissent.strip():
                blocks.append(("p", "quote", "<b>Dissent:</b> " + text(agreed.dissent.strip())))
        target = f"Target: <b>{text(stage_name(workshop, summary.target))}</b>"
        if summary.gap:
            steps = abs(summary.gap)
            way = "up" if summary.gap > 0 else "down"
            target += f" ({steps} stage{'s' if steps != 1 else ''} {way})"
        elif summary.gap == 0:
            target += " (hold the agreed stage)"
        blocks.append(("p", "body", target))
        blocks.append(("p", "h2", "Key actions"))
        rows = [[f"<b>{h}</b>" for h in action_head]]
        rows += [action_row(a) for a in workshop.actions_for(summary.dimension_id)]
        blocks.append(("table", [WIDTH - sum(fixed), *fixed], rows))

    blocks += [("break",), ("p", "h1", "Action plan")]
    rows = [[f"<b>{h}</b>" for h in ["Barrier", *action_head]]]
    for dimension in workshop.scoped_dimensions():
        rows += [[text(dimension.name), *action_row(a)] for a in workshop.actions_for(dimension.id)]
    blocks.append(("table", [88.0, WIDTH - sum(fixed) - 88.0, *fixed], rows))
    blocks.append(("p", "h2", "Re-assessment"))
    when = long_date(workshop.reassess_on)
    blocks.append(("p", "body", f"The team will re-assess on <b>{when}</b>, {REASSESS_NOTE}"))

    framework = workshop.framework
    blocks += [("break",), ("p", "h1", "Appendix: stage descriptors")]
    blocks.append(("p", "muted", text(framework.name)))
    for level in framework.levels:
        if level.summary:
            blocks.append(("p", "small", f"<b>{text(level.name)}:</b> {text(level.summary)}"))
    for dimension in workshop.scoped_dimensions():
        blocks.append(("p", "h2", text(dimension.name)))
        if dimension.question:
            blocks.append(("p", "muted", text(dimension.question)))
        for level in framework.levels:
            items = dimension.descriptors.get(level.id, ())
            if items:
                blocks.append(("p", "h3", text(level.name)))
                blocks += [("p", "small", "• " + text(item)) for item in items]
    return blocks


def bare_styles() -> dict[str, ParagraphStyle]:
    """The same type sizes as ours, in the bare font, with nothing kept with the next."""
    fonts = resources_dir() / "fonts"
    pdfmetrics.registerFont(TTFont(BARE_FONT, str(fonts / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BARE_BOLD, str(fonts / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(
        BARE_FONT, normal=BARE_FONT, bold=BARE_BOLD, italic=BARE_FONT, boldItalic=BARE_BOLD
    )
    return {
        name: ParagraphStyle(
            f"bare-{name}",
            style,
            fontName=BARE_BOLD if "Bold" in style.fontName else BARE_FONT,
            keepWithNext=0,
        )
        for name, style in styles().items()
    }


def bare_chart(columns: list[str], rows: list[tuple[Any, ...]], ids: list[str]) -> list[Drawing]:
    cell = (WIDTH - LABEL_WIDTH) / len(columns)
    per_row = max(1, int((cell - 10) // 11))
    head = Drawing(WIDTH, 24, initialFontName=BARE_FONT)
    for index, name in enumerate(columns):
        x = LABEL_WIDTH + index * cell
        head.add(Circle(x + 6, 10, 4, fillColor=colors.HexColor(STAGE_COLOURS[index % 6])))
        head.add(String(x + 14, 7, name, fontName=BARE_BOLD, fontSize=8.5))
    head.add(Line(0, 1, WIDTH, 1))
    drawings = [head]
    for row_index, (name, disagreement, counts, consensus, target) in enumerate(rows):
        height = max(40, -(-max(counts) // per_row) * 11 + 22)
        row = Drawing(WIDTH, height, initialFontName=BARE_FONT)
        if row_index % 2 == 0:
            row.add(
                Rect(0, 0, WIDTH, height, fillColor=colors.HexColor("#F3F3F3"), strokeColor=None)
            )
        row.add(String(6, height - 14, name, fontName=BARE_BOLD, fontSize=8.5))
        if disagreement:
            row.add(String(6, height - 26, "Worth discussing", fontName=BARE_FONT, fontSize=7.5))
        for index, count in enumerate(counts):
            x = LABEL_WIDTH + index * cell
            row.add(Line(x, 0, x, height, strokeColor=colors.HexColor("#CCCCCC")))
            if ids[index] in (consensus, target):
                row.add(Rect(x + 2, 2, cell - 4, height - 4, fillColor=None))
            if count:
                row.add(
                    String(x + cell - 8, height - 12, str(count), fontName=BARE_FONT, fontSize=7)
                )
            colour = colors.HexColor(STAGE_COLOURS[index % 6])
            for position in range(count):
                cx = x + 10 + position % per_row * 11
                cy = height - 12 - position // per_row * 11
                row.add(Circle(cx, cy, 4, fillColor=colour, strokeColor=colors.white))
        row.add(Line(0, 0, WIDTH, 0))
        drawings.append(row)
    return drawings


def bare_spread(rows: list[tuple[str, int]], total: int) -> Drawing:
    picture = Drawing(WIDTH, 15 * len(rows) + 2, initialFontName=BARE_FONT)
    for index, (name, count) in enumerate(rows):
        y = picture.height - 13 - index * 15
        colour = colors.HexColor(STAGE_COLOURS[index % 6])
        picture.add(Circle(5, y + 4, 4, fillColor=colour))
        picture.add(String(14, y + 1, name, fontName=BARE_FONT, fontSize=8.5))
        picture.add(Rect(110, y, 260, 10, fillColor=colors.HexColor("#EEEEEE"), strokeColor=None))
        if count:
            picture.add(Rect(110, y, 260 * count / total, 10, fillColor=colour, strokeColor=None))
        picture.add(String(376, y + 1, str(count), fontName=BARE_FONT, fontSize=8.5))
    return picture


def bare_legend(labels: list[str]) -> Drawing:
    picture = Drawing(WIDTH, 16 * -(-len(labels) // 4) + 4, initialFontName=BARE_FONT)
    for index, label in enumerate(labels):
        x, y = index % 4 * WIDTH / 4, picture.height - 12 - index // 4 * 16
        picture.add(Circle(x + 6, y + 3, 4.5, fillColor=colors.HexColor(STAGE_COLOURS[index % 6])))
        picture.add(String(x + 18, y, label, fontName=BARE_FONT, fontSize=8.5))
    return picture


TABLE_STYLE = TableStyle(
    [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor("#444444")),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.HexColor("#BBBBBB")),
    ]
)


def bare_story(blocks: list[Block], style: dict[str, ParagraphStyle]) -> list[Any]:
    story: list[Any] = []
    for block in blocks:
        kind = block[0]
        if kind == "p":
            story.append(Paragraph(block[2], style[block[1]]))
        elif kind == "break":
            story.append(PageBreak())
        elif kind == "space":
            story.append(Spacer(1, block[1]))
        elif kind == "table":
            cells = [[Paragraph(value, style["cell"]) for value in row] for row in block[2]]
            story.append(Table(cells, colWidths=block[1], repeatRows=1, style=TABLE_STYLE))
        elif kind == "chart":
            story += bare_chart(block[1], block[2], block[3])
        elif kind == "spread":
            story.append(bare_spread(block[1], block[2]))
        elif kind == "legend":
            story.append(bare_legend(block[1]))
    return story


def shape_count(story: list[Any]) -> int:
    return sum(len(f.contents) for f in story if isinstance(f, Drawing))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=40)
    parser.add_argument("--runs", type=int, default=5)
    add_instruction_options(parser)
    args = parser.parse_args()

    workshop = demo_workshop(participants=args.participants)
    blocks = report_content(workshop)
    style = bare_styles()

    def bare() -> bytes:
        buffer = BytesIO()
        doc = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=workshop.title,
        )
        doc.build(bare_story(blocks, style))
        return buffer.getvalue()

    jobs = {"ours": lambda: report_bytes(workshop), "bare": bare}
    labels = {
        "ours": "ours: report_bytes (in memory)",
        "bare": "bare: reportlab platypus (in memory)",
    }
    what = f"PDF report, {args.participants} participants"
    participants = ["--participants", str(args.participants)]
    if counted_instead(args, Path(__file__), jobs, labels, what, GOAL, participants):
        return

    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "report.pdf"
        ours_file, ours_memory, bare_memory = best_ms(
            args.runs, lambda: write_report(workshop, target), lambda: report_bytes(workshop), bare
        )
        size = target.stat().st_size

    ours_pdf, bare_pdf = report_bytes(workshop), bare()
    ours_shapes = shape_count(report_story(workshop, WIDTH))
    bare_shapes = shape_count(bare_story(blocks, style))
    ratio = ours_memory / bare_memory
    print(
        f"PDF report, {args.participants} participants x {len(workshop.scope)} barriers, "
        f"{len(workshop.ratings)} ratings, {size / 1024:.0f} kB; best of {args.runs}"
    )
    print(
        f"pages: ours {len(PAGE.findall(ours_pdf))}, bare {len(PAGE.findall(bare_pdf))}; "
        f"vector shapes: ours {ours_shapes}, bare {bare_shapes}"
    )
    print()
    print(f"  {'':40}{'ms':>8}")
    print(f"  {'ours: write_report (file, synced)':40}{ours_file:8.1f}")
    print(f"  {'ours: report_bytes (in memory)':40}{ours_memory:8.1f}")
    print(f"  {'bare: reportlab platypus (in memory)':40}{bare_memory:8.1f}")
    print(f"  {'ours/bare (in memory)':40}{ratio:7.2f}x  (goal: within {GOAL}x)")


if __name__ == "__main__":
    main()
