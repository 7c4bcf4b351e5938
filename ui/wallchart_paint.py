"""How the wall chart looks: dot shapes and sprites, the placement a layout produces, and the paint.

Kept apart from the widget (ui.wallchart) so the drawing can be read, and reused for icons and
slides, without the widget's state, input and accessibility around it. A paint walks a
precomputed `ChartPlacement` and stamps one cached sprite per dot, so it costs O(dots).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QPolygonF,
)

from opassess.palette import NOT_SURE_COLOUR, NOT_SURE_SHAPE, stage_shape_at
from opassess.workshop import NOT_SURE
from ui.style import stage_colour

if TYPE_CHECKING:
    from opassess.frameworks import Framework

FLAG = "⚠"  # marks a row whose ratings disagree enough to talk about
HEADER_ICON = 0.75  # a header's stage shape, as a share of the header font's height


def stage_shape(level_ids: Sequence[str], stage: str) -> str:
    """The dot shape for a stage id (or NOT_SURE) within a framework's levels."""
    if stage == NOT_SURE or stage not in level_ids:
        return NOT_SURE_SHAPE
    return stage_shape_at(list(level_ids).index(stage))


def shape_path(shape: str, rect: QRectF) -> QPainterPath:
    """A dot of the given shape filling `rect`, sized so the shapes look equally heavy."""
    path = QPainterPath()
    cx, cy = rect.center().x(), rect.center().y()
    w, h = rect.width(), rect.height()
    if shape == "circle":
        path.addEllipse(rect)
    elif shape == "square":
        inset = w * 0.07
        path.addRect(rect.adjusted(inset, inset, -inset, -inset))
    elif shape == "diamond":
        path.addPolygon(
            QPolygonF(
                [
                    QPointF(cx, rect.top()),
                    QPointF(rect.right(), cy),
                    QPointF(cx, rect.bottom()),
                    QPointF(rect.left(), cy),
                ]
            )
        )
        path.closeSubpath()
    elif shape in ("triangle", "inverted-triangle"):
        top, bottom = rect.top(), rect.bottom()
        if shape == "inverted-triangle":
            top, bottom = bottom, top
        path.addPolygon(
            QPolygonF(
                [QPointF(cx, top), QPointF(rect.right(), bottom), QPointF(rect.left(), bottom)]
            )
        )
        path.closeSubpath()
    else:  # hexagon or star: polygons around the centre
        points = 6 if shape == "hexagon" else 10
        polygon = QPolygonF()
        for i in range(points):
            angle = math.pi / 2 + i * 2 * math.pi / points
            radius = w / 2 if shape == "hexagon" or i % 2 == 0 else w / 4.4
            polygon.append(
                QPointF(cx + radius * math.cos(angle), cy - radius * math.sin(angle) * h / w)
            )
        path.addPolygon(polygon)
        path.closeSubpath()
    return path


def stage_icon(
    framework: Framework,
    stage: str,
    size: int,
    outline: QColor | None = None,
    device_pixel_ratio: float = 1.0,
) -> QPixmap:
    """A stage's dot as a pixmap, for legends, buttons and headings: the framework's colour for
    the stage, the shape of its place."""
    return sprite(
        stage_colour(framework, stage),
        stage_shape(framework.level_ids, stage),
        size,
        outline or QColor(0, 0, 0, 150),
        device_pixel_ratio,
    )


# -- what the chart works out once per change ------------------------------------------------------


class DotPlacement(NamedTuple):  # a tuple: hundreds are made per change, so they must be cheap
    participant_id: str
    dimension_id: str
    stage: str  # a stage id or NOT_SURE
    rect: QRectF  # the dot itself
    label: str  # as drawn under the dot; "" when there is none
    label_rect: QRectF | None


@dataclass(frozen=True)
class RowPlacement:
    dimension_id: str
    name: str
    rect: QRectF  # the whole row, name to flag
    name_rect: QRectF
    name_lines: tuple[str, ...]  # the name wrapped (and elided) to fit
    cells: dict[str, QRectF]  # stage id or NOT_SURE -> its cell
    spread_text: str  # "" while hidden
    missing_text: str  # e.g. "2 yet to rate"; "" while hidden
    reasons: tuple[str, ...]  # why the row is flagged; () while hidden
    flag_rect: QRectF | None
    stat_rect: QRectF
    hidden_text: str  # "" once revealed
    consensus: str | None
    target: str | None


@dataclass(frozen=True)
class ChartStyle:
    projector: bool
    background: QColor
    alternate: QColor
    text: QColor
    muted: QColor
    grid: QColor
    selected: QColor
    accent: QColor
    flag: QColor
    outline: QColor
    name_font: QFont
    header_font: QFont
    small_font: QFont
    label_font: QFont
    flag_font: QFont
    margin: float
    max_dot: int
    min_labelled_dot: int
    frame_width: float


@dataclass(frozen=True)
class ChartPlacement:
    """Everything a paint needs, worked out for one size and one state of the data."""

    size: QSize
    revealed: bool
    rows: tuple[RowPlacement, ...]
    dots: tuple[DotPlacement, ...]
    dot_size: int
    labels_shown: bool
    labels_dropped: bool  # names were asked for but there is no room for them
    header_rect: QRectF
    headers: tuple[tuple[str, str, QRectF], ...]  # (stage id / NOT_SURE / "", text, rect)
    footer_rect: QRectF
    message: str  # shown instead of rows when there is nothing to chart
    style: ChartStyle
    sprites: dict[str, QPixmap]
    sprite_pad: float
    # Stage id (and NOT_SURE) -> its colour in the charted framework: the header's shapes.
    colours: Mapping[str, QColor] = field(default_factory=dict)
    # The footer's key to the frames and the flag, in the framework's words.
    legend: tuple[str, str, str] = ("Agreed stage", "Target", "Worth discussing")

    def row(self, dimension_id: str) -> RowPlacement | None:
        return next((r for r in self.rows if r.dimension_id == dimension_id), None)


_SPRITES: dict[tuple[int, str, int, int, float], QPixmap] = {}


def sprite(colour: QColor, shape: str, size: int, outline: QColor, dpr: float) -> QPixmap:
    """One dot, drawn once per colour, shape, size and screen, then stamped many times."""
    key = (colour.rgba(), shape, size, outline.rgba(), dpr)
    found = _SPRITES.get(key)
    if found is None:
        if len(_SPRITES) > 256:
            _SPRITES.clear()
        found = _SPRITES[key] = _draw_sprite(colour, shape, size, outline, dpr)
    return found


def _draw_sprite(colour: QColor, shape: str, size: int, outline: QColor, dpr: float) -> QPixmap:
    pad = max(1.0, size / 12)
    side = size + 2 * pad
    pixmap = QPixmap(math.ceil(side * dpr), math.ceil(side * dpr))
    pixmap.setDevicePixelRatio(dpr)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(outline, pad)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(colour)
        painter.drawPath(shape_path(shape, QRectF(pad, pad, size, size)))
    finally:
        painter.end()
    return pixmap


# -- painting: O(rows + dots) over the precomputed placement -------------------------------------


def paint_chart(painter: QPainter, placement: ChartPlacement, selected: str, focused: bool) -> None:
    style = placement.style
    width, height = placement.size.width(), placement.size.height()
    painter.fillRect(QRectF(0, 0, width, height), style.background)
    # Rules and frames are straight lines, and dots are pre-drawn sprites: no antialiasing
    # needed (it would triple the cost of a paint). Only the header's shapes turn it on.
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.setPen(style.text)

    if placement.message:
        painter.setFont(style.name_font)
        painter.setPen(style.muted)
        painter.drawText(
            QRectF(0, 0, width, height), Qt.AlignmentFlag.AlignCenter, placement.message
        )
        return

    level_ids = tuple(key for key, _text, _rect in placement.headers if key and key != NOT_SURE)
    _paint_header(painter, placement, level_ids)

    grid_pen = QPen(style.grid, 1)
    name_metrics = QFontMetricsF(style.name_font)
    for index, row in enumerate(placement.rows):
        if row.dimension_id == selected:
            painter.fillRect(row.rect, style.selected)
            bar = QRectF(
                row.rect.left(),
                row.rect.top(),
                max(4.0, style.frame_width * 1.5),
                row.rect.height(),
            )
            painter.fillRect(bar, style.accent)
        elif index % 2:
            painter.fillRect(row.rect, style.alternate)
        painter.setPen(style.text)
        painter.setFont(style.name_font)
        line_h = name_metrics.lineSpacing()
        block = line_h * len(row.name_lines)
        y = (
            row.name_rect.top()
            + max(0.0, (row.name_rect.height() - block) / 2)
            + name_metrics.ascent()
        )
        x = row.name_rect.left() + (style.frame_width if row.dimension_id == selected else 0)
        for text in row.name_lines:
            painter.drawText(QPointF(x, y), text)
            y += line_h
        painter.setPen(grid_pen)
        painter.drawLine(row.rect.bottomLeft(), row.rect.bottomRight())
        if row.hidden_text:
            cells = list(row.cells.values())
            span = QRectF(
                cells[0].left(),
                row.rect.top(),
                cells[-1].right() - cells[0].left(),
                row.rect.height(),
            )
            painter.setPen(style.muted)
            painter.setFont(style.small_font)
            painter.drawText(span, Qt.AlignmentFlag.AlignCenter, row.hidden_text)
            continue
        _paint_row_stats(painter, row, style)
        _paint_frames(painter, row, style)

    # Column rules, over the rows.
    if placement.rows:
        painter.setPen(grid_pen)
        top = placement.header_rect.top()
        # While hidden the rules stop at the header, leaving each row's count line clear.
        bottom = (
            placement.rows[-1].rect.bottom() if placement.revealed else placement.rows[0].rect.top()
        )
        first = placement.rows[0]
        lefts = [cell.left() for cell in first.cells.values()]
        lefts.append(list(first.cells.values())[-1].right())
        for x in lefts:
            painter.drawLine(QPointF(x, top), QPointF(x, bottom))
        painter.drawLine(
            QPointF(first.rect.left(), first.rect.top()),
            QPointF(first.rect.right(), first.rect.top()),
        )

    # The dots: one cached sprite each, then their labels.
    pad = placement.sprite_pad
    sprites = placement.sprites
    for dot in placement.dots:
        painter.drawPixmap(QPointF(dot.rect.left() - pad, dot.rect.top() - pad), sprites[dot.stage])
    if placement.labels_shown:
        painter.setFont(style.label_font)
        painter.setPen(style.text)
        centre = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
        for dot in placement.dots:
            if dot.label_rect is not None:
                painter.drawText(dot.label_rect, centre, dot.label)

    if focused and not style.projector:
        row = placement.row(selected)
        if row is not None:
            pen = QPen(style.accent, 1, Qt.PenStyle.DotLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(row.rect.adjusted(1, 1, -1, -1))

    _paint_footer(painter, placement)


def _paint_header(painter: QPainter, placement: ChartPlacement, level_ids: tuple[str, ...]) -> None:
    style = placement.style
    painter.setFont(style.header_font)
    metrics = QFontMetricsF(style.header_font)
    icon = round(metrics.height() * HEADER_ICON)
    for key, text, rect in placement.headers:
        painter.setPen(style.text)
        if not key:
            painter.drawText(
                rect.adjusted(6, 0, 0, 0),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                text,
            )
            continue
        # One line, or two where the layout wrapped a long stage name.
        room = rect.width() - icon - 12
        lines = [
            metrics.elidedText(line, Qt.TextElideMode.ElideRight, room) for line in text.split("\n")
        ]
        label = "\n".join(lines)
        total = icon + 6 + max(metrics.horizontalAdvance(line) for line in lines)
        x = rect.left() + max(4.0, (rect.width() - total) / 2)
        shape_rect = QRectF(x, rect.center().y() - icon / 2, icon, icon)
        painter.setPen(QPen(style.outline, max(1.0, icon / 12)))
        painter.setBrush(placement.colours.get(key, QColor(NOT_SURE_COLOUR)))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.drawPath(shape_path(stage_shape(level_ids, key), shape_rect))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(style.text)
        painter.drawText(
            QRectF(x + icon + 6, rect.top(), rect.width(), rect.height()),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            label,
        )


def _paint_row_stats(painter: QPainter, row: RowPlacement, style: ChartStyle) -> None:
    painter.setFont(style.small_font)
    metrics = QFontMetricsF(style.small_font)
    lines = [row.spread_text] + ([row.missing_text] if row.missing_text else [])
    text_rect = QRectF(row.stat_rect)
    if row.flag_rect is not None:
        text_rect.setRight(row.flag_rect.left())
    block = metrics.lineSpacing() * len(lines)
    y = text_rect.top() + (text_rect.height() - block) / 2 + metrics.ascent()
    for index, text in enumerate(lines):
        painter.setPen(style.text if index == 0 else style.muted)
        painter.drawText(
            QPointF(text_rect.left(), y),
            metrics.elidedText(text, Qt.TextElideMode.ElideRight, text_rect.width()),
        )
        y += metrics.lineSpacing()
    if row.flag_rect is not None:
        painter.setPen(style.flag)
        painter.setFont(style.flag_font)
        painter.drawText(row.flag_rect, Qt.AlignmentFlag.AlignCenter, FLAG)


def _paint_frames(painter: QPainter, row: RowPlacement, style: ChartStyle) -> None:
    half = style.frame_width / 2
    painter.setBrush(Qt.BrushStyle.NoBrush)
    if row.consensus in row.cells:
        painter.setPen(QPen(style.text, style.frame_width))
        painter.drawRect(
            row.cells[row.consensus].adjusted(half + 1, half + 1, -half - 1, -half - 1)
        )
    if row.target in row.cells:
        pen = QPen(style.text, max(1.5, style.frame_width * 0.6), Qt.PenStyle.DashLine)
        painter.setPen(pen)
        inset = style.frame_width + 2 if row.target == row.consensus else half + 1
        painter.drawRect(row.cells[row.target].adjusted(inset, inset, -inset, -inset))


def _paint_footer(painter: QPainter, placement: ChartPlacement) -> None:
    style = placement.style
    rect = placement.footer_rect
    painter.setFont(style.small_font)
    metrics = QFontMetricsF(style.small_font)
    middle = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
    if not placement.revealed:
        painter.setPen(style.muted)
        painter.drawText(rect, middle, "Ratings stay hidden until the facilitator reveals them.")
        return
    swatch = metrics.height() * 0.9
    space = metrics.horizontalAdvance("  ")
    x = rect.left()
    cy = rect.center().y()
    items = list(zip(("solid", "dash", "flag"), placement.legend, strict=True))
    for kind, text in items:
        if kind == "flag":
            painter.setPen(style.flag)
            painter.setFont(style.flag_font)
            flag_w = QFontMetricsF(style.flag_font).horizontalAdvance(FLAG)
            painter.drawText(QRectF(x, rect.top(), flag_w + 2, rect.height()), middle, FLAG)
            painter.setFont(style.small_font)
            x += flag_w + space * 0.75
        else:
            width = style.frame_width if kind == "solid" else max(1.5, style.frame_width * 0.6)
            pen_style = Qt.PenStyle.SolidLine if kind == "solid" else Qt.PenStyle.DashLine
            painter.setPen(QPen(style.text, width, pen_style))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(x, cy - swatch / 2, swatch * 1.6, swatch))
            x += swatch * 1.6 + space * 0.75
        painter.setPen(style.text)
        painter.drawText(
            QRectF(x, rect.top(), metrics.horizontalAdvance(text) + 2, rect.height()), middle, text
        )
        x += metrics.horizontalAdvance(text) + space * 2
    if placement.labels_dropped:
        painter.setPen(style.muted)
        note = "Too many dots to name them all" + ("" if style.projector else ": hover for who")
        painter.drawText(rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, note)
