"""The wall chart: every rating as a dot, one row per barrier, one column per stage.

It stands in for the paper wall chart with sticky dots. Each dot has its stage's colour and its own
shape (circle, square, triangle; a diamond for "not sure"), so it reads in greyscale and with any
common colour blindness. The agreed stage has a thick frame, the target a dashed one, and each row
says how far apart the ratings are and flags a disagreement worth talking about (from
opassess.analysis: the chart computes no statistics of its own).

Until the facilitator reveals the ratings the chart shows only how many are in, never where: no
dots, no spread, no flags, and the rows stay in the framework's order (ordering by disagreement
would give the ratings away).

Drawn with QPainter rather than a plotting library: it is a categorical dot chart, and start-up
stays fast. All geometry is worked out once per data or size change (`placement()`); the paint, the
shapes and the sprites live in ui.wallchart_paint. The layout stays here, beside the state it reads
(reveal, order, names shown, the text-measure caches), which is why this module runs past 500 lines:
split further, every one of those would have to be passed across.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Sequence

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QAccessible,
    QColor,
    QContextMenuEvent,
    QFocusEvent,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
)
from PySide6.QtWidgets import QMenu, QScrollArea, QToolTip, QWidget

from opassess.analysis import BarrierSummary, by_disagreement, summarise
from opassess.frameworks import capitalised
from opassess.wording import NOT_SURE_LABEL, spread_words, stage_name
from opassess.workshop import NOT_SURE, Workshop, chart_label_choices, chart_labels
from ui.style import (
    DISAGREEMENT_COLOUR,
    PROJECTOR_BACKGROUND,
    PROJECTOR_TEXT,
    stage_colour,
)
from ui.wallchart_paint import (
    FLAG,
    HEADER_ICON,
    ChartPlacement,
    ChartStyle,
    DotPlacement,
    RowPlacement,
    paint_chart,
    sprite,
    stage_shape,
)

ORDER_FRAMEWORK = "framework"
ORDER_DISAGREEMENT = "disagreement"
ORDERS = (ORDER_FRAMEWORK, ORDER_DISAGREEMENT)

NOT_SURE_WEIGHT = 0.6  # the "Not sure" column's width against a stage column's
MIN_HEADER_SCALE = 0.7  # the smallest the header type shrinks to fit a long stage name
THREE_LINE_SCALE = 0.85  # ... and the smallest it shrinks to keep to two lines

_PROJECTOR_FLAG_COLOUR = "#FF8A80"  # the disagreement red, lightened to read on a dark screen


def hidden_words(rated: int, participants: int) -> str:
    """What a hidden row says: how many ratings are in, never what they are."""
    if rated == 0:
        return "No ratings yet — hidden until revealed"
    counted = f"{rated} of {participants}" if rated < participants else str(rated)
    return f"{counted} rating{'s' if rated != 1 else ''} in — hidden until revealed"


class WallChart(QWidget):
    """The team's ratings as dots on a wall chart; click a row (or Up/Down) to select a barrier."""

    barrier_clicked = Signal(str)
    # From the chart's context menu; the window owns the file dialog and the clipboard.
    save_requested = Signal()
    copy_requested = Signal()

    def __init__(self, parent: QWidget | None = None, projector: bool = False) -> None:
        super().__init__(parent)
        self._projector = projector
        self._workshop: Workshop | None = None
        self._summaries: list[BarrierSummary] = []
        self._revealed = False
        self._order = ORDER_FRAMEWORK
        self._selected = ""
        self._labels = True
        self._placement: ChartPlacement | None = None
        self._text_cache: dict[tuple[str, str, int, int], tuple[str, ...]] = {}
        self._width_cache: dict[str, dict[str, float]] = {}  # font key -> text -> width
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setAccessibleName("Wall chart of the team's ratings")

    # -- public API ------------------------------------------------------------------------------

    @property
    def projector(self) -> bool:
        return self._projector

    @property
    def revealed(self) -> bool:
        return self._revealed

    @property
    def order(self) -> str:
        return self._order

    @property
    def labels(self) -> bool:
        return self._labels

    def selected(self) -> str:
        return self._selected

    def workshop(self) -> Workshop | None:
        return self._workshop

    def set_workshop(
        self, workshop: Workshop | None, summaries: Sequence[BarrierSummary] | None = None
    ) -> None:
        """Chart this workshop; summaries default to analysis.summarise(workshop).

        A workshop is immutable, so being handed the very same one again (without summaries)
        changes nothing and costs nothing."""
        if workshop is self._workshop and summaries is None and workshop is not None:
            return
        self._workshop = workshop
        if workshop is None:
            self._summaries = []
        else:
            self._summaries = list(summaries) if summaries is not None else summarise(workshop)
            if self._selected not in workshop.scope:
                self._selected = workshop.scope[0] if workshop.scope else ""
        self._invalidate()

    def set_revealed(self, revealed: bool) -> None:
        if revealed != self._revealed:
            self._revealed = revealed
            self._invalidate()

    def set_order(self, order: str) -> None:
        """ORDER_FRAMEWORK, or ORDER_DISAGREEMENT (most disagreement first, once revealed)."""
        if order not in ORDERS:
            raise ValueError(f"order is one of {', '.join(ORDERS)}")
        if order != self._order:
            self._order = order
            self._invalidate()

    def set_selected(self, dimension_id: str) -> None:
        if dimension_id != self._selected:
            self._selected = dimension_id
            self.update()  # selection is drawn from the row rectangles: no new layout

    def set_labels(self, shown: bool) -> None:
        """Show participants' labels by the dots, as the workshop's name setting allows."""
        if shown != self._labels:
            self._labels = shown
            self._invalidate()

    def row_order(self) -> list[str]:
        """The barriers in the order the chart shows them."""
        return [s.dimension_id for s in self._ordered()]

    def placement(self) -> ChartPlacement:
        """The geometry of the chart at its current size (worked out now if out of date)."""
        if self._placement is None or self._placement.size != self.size():
            self._placement = self._place(
                self.size(), self._style(self.size(), self._projector), self.devicePixelRatioF()
            )
        return self._placement

    def render_image(self, size: QSize | None = None, projector: bool | None = None) -> QImage:
        """The chart drawn at `size` (projector resolution by default), for slides.

        `projector` picks the dark, large-type look; by default the chart's own."""
        size = size or QSize(1920, 1080)
        projector = self._projector if projector is None else projector
        placement = self._place(size, self._style(size, projector), 1.0)
        image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
        painter = QPainter(image)
        try:
            paint_chart(painter, placement, "", focused=False)  # a slide shows no selection
        finally:
            painter.end()
        return image

    def render_png(
        self, path: str, size: QSize | None = None, projector: bool | None = None
    ) -> bool:
        """Save the chart as a PNG (see render_image); False if the file could not be written."""
        return self.render_image(size, projector).save(path, "PNG")

    # -- Qt ----------------------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        return QSize(960, 540)

    def minimumSizeHint(self) -> QSize:
        style = self._style(self.size(), self._projector)
        rows = max(1, len(self._summaries))
        line = QFontMetricsF(style.name_font).lineSpacing()
        header = QFontMetricsF(style.header_font).lineSpacing() * 1.8
        footer = QFontMetricsF(style.small_font).lineSpacing() * 1.6
        return QSize(520, int(header + footer + rows * (line * 1.4 + 8) + 2 * style.margin))

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = QMenu(self)
        menu.addAction("Copy chart", self.copy_requested.emit)
        menu.addAction("Save chart as PNG…", self.save_requested.emit)
        menu.exec(event.globalPos())

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._placement = None
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.PaletteChange):
            self._text_cache.clear()
            self._width_cache.clear()
            self._invalidate()
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            paint_chart(painter, self.placement(), self._selected, self.hasFocus())
        finally:
            painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            row = self._row_at(event.position())
            if row is not None:
                self._choose(row.dimension_id)
                event.accept()
                return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        over_row = self._row_at(event.position()) is not None
        self.setCursor(
            Qt.CursorShape.PointingHandCursor if over_row else Qt.CursorShape.ArrowCursor
        )
        super().mouseMoveEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        order = self.row_order()
        key = event.key()
        plain = not (event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier)
        if (
            order
            and plain
            and key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Home, Qt.Key.Key_End)
        ):
            index = order.index(self._selected) if self._selected in order else -1
            if key == Qt.Key.Key_Up:
                index = max(0, index - 1)
            elif key == Qt.Key.Key_Down:
                index = min(len(order) - 1, index + 1)
            elif key == Qt.Key.Key_Home:
                index = 0
            else:
                index = len(order) - 1
            self._choose(order[index])
            event.accept()
            return
        super().keyPressEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self._tooltip_at(QPointF(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusOutEvent(event)

    # -- internals ---------------------------------------------------------------------------------

    def _invalidate(self) -> None:
        self._placement = None
        if QAccessible.isActive():  # only when a screen reader is listening
            self._describe()
        self.update()

    def _scroll_to(self, dimension_id: str) -> None:
        """Bring a row chosen on the chart into view when the chart sits in a step that scrolls
        (a small window): choosing by keyboard must never select a row nobody can see."""
        area = self.parentWidget()
        while area is not None and not isinstance(area, QScrollArea):
            area = area.parentWidget()
        if area is None or area.widget() is None or not self.isVisible():
            return
        row = self.placement().row(dimension_id)
        if row is not None:
            centre = self.mapTo(area.widget(), row.rect.center().toPoint())
            area.ensureVisible(centre.x(), centre.y(), 0, int(row.rect.height()))

    def _choose(self, dimension_id: str) -> None:
        # Only a choice made on the chart scrolls to it: Next barrier or Alt+Down, pressed while
        # typing the rationale, must leave the page where it is.
        self.set_selected(dimension_id)
        self._scroll_to(dimension_id)
        self.barrier_clicked.emit(dimension_id)

    def _ordered(self) -> list[BarrierSummary]:
        if self._revealed and self._order == ORDER_DISAGREEMENT:
            return by_disagreement(self._summaries)
        return list(self._summaries)

    def _row_at(self, point: QPointF) -> RowPlacement | None:
        return next((r for r in self.placement().rows if r.rect.contains(point)), None)

    def _tooltip_at(self, point: QPointF) -> str:
        placement = self.placement()
        row = next((r for r in placement.rows if r.rect.contains(point)), None)
        if row is None or self._workshop is None:
            return ""
        framework = self._workshop.framework
        if row.flag_rect is not None and row.flag_rect.contains(point):
            return "Worth discussing: " + "; ".join(row.reasons) + "."
        # Names as the chart shows them: none when "Show names" is off.
        labels = chart_labels(self._workshop) if self._labels else {}
        for dot in placement.dots:
            if dot.dimension_id == row.dimension_id and dot.rect.adjusted(-2, -2, 2, 2).contains(
                point
            ):
                stage = stage_name(framework, dot.stage)
                who = labels.get(dot.participant_id, "")
                return f"{who}: {stage}" if who else stage
        if row.name_rect.contains(point):
            dimension = framework.dimension(row.dimension_id)
            return f"{dimension.name}\n{dimension.question}".strip()
        return row.hidden_text

    def _describe(self) -> None:
        """A plain-text account of the chart for screen readers (no more than the chart shows)."""
        if self._workshop is None:
            self.setAccessibleDescription("")
            return
        framework = self._workshop.framework
        parts = []
        for s in self._ordered():
            if not self._revealed:
                answered = s.rated + s.not_sure
                parts.append(f"{s.name}: {hidden_words(answered, answered + s.missing)}")
                continue
            counts = ", ".join(
                f"{n} {stage_name(framework, level).lower()}" for level, n in s.counts.items()
            )
            agreed = f"; agreed {stage_name(framework, s.consensus).lower()}" if s.consensus else ""
            parts.append(f"{s.name}: {counts}, {s.not_sure} not sure{agreed}")
        self.setAccessibleDescription(". ".join(parts))

    def _style(self, size: QSize, projector: bool) -> ChartStyle:
        base = QFont(self.font())
        if projector:
            # Type scales with the screen so the back of the room can read it.
            pixels = round(min(max(size.height() / 36, 14.0), 56.0))
            base.setPixelSize(pixels)
            background, text = QColor(PROJECTOR_BACKGROUND), QColor(PROJECTOR_TEXT)
            alternate = QColor("#171D23")
            muted = QColor("#C8D0D8")
            grid = QColor("#3A4550")
            selected = QColor("#24384A")
            accent = QColor("#FFFFFF")
            flag = QColor(_PROJECTOR_FLAG_COLOUR)
            outline = QColor(255, 255, 255, 210)
            scale = pixels / 14.0
        else:
            factor = min(max(size.height() / 800, 1.0), 2.0)
            if factor > 1.0:
                points = base.pointSizeF()
                if points > 0:
                    base.setPointSizeF(points * factor)
                else:
                    base.setPixelSize(round(base.pixelSize() * factor))
            palette = self.palette()
            background = palette.base().color()
            alternate = palette.alternateBase().color()
            text = palette.text().color()
            muted = palette.placeholderText().color()
            grid = palette.mid().color()
            highlight = palette.highlight().color()
            selected = QColor(highlight)
            selected.setAlpha(55)
            accent = highlight
            flag = (
                QColor(DISAGREEMENT_COLOUR)
                if background.lightness() > 128
                else QColor(_PROJECTOR_FLAG_COLOUR)
            )
            outline = (
                QColor(0, 0, 0, 150) if background.lightness() > 128 else QColor(255, 255, 255, 190)
            )
            scale = QFontMetricsF(base).height() / 16.0 * factor
        header = QFont(base)
        header.setBold(True)
        small = _scaled(base, 0.85)
        small_label = _scaled(base, 0.78)
        flag_font = _scaled(header, 1.3)
        return ChartStyle(
            projector=projector,
            background=background,
            alternate=alternate,
            text=text,
            muted=muted,
            grid=grid,
            selected=selected,
            accent=accent,
            flag=flag,
            outline=outline,
            name_font=base,
            header_font=header,
            small_font=small,
            label_font=small_label,
            flag_font=flag_font,
            margin=round(8 * max(scale, 1.0)),
            max_dot=round((size.height() / 20) if projector else 24 * max(scale, 1.0)),
            min_labelled_dot=round(12 * max(scale, 1.0)) if projector else 9,
            frame_width=max(2.0, round(2.5 * max(scale, 1.0))),
        )

    # -- the layout: once per change of data, state or size ---------------------------------------

    def _place(self, size: QSize, style: ChartStyle, dpr: float) -> ChartPlacement:
        width, height = float(size.width()), float(size.height())
        margin = style.margin
        header_fm = QFontMetricsF(style.header_font)
        name_fm = QFontMetricsF(style.name_font)
        small_fm = QFontMetricsF(style.small_font)
        label_fm = QFontMetricsF(style.label_font)
        header_h = round(header_fm.lineSpacing() * 1.8)
        footer_h = round(small_fm.lineSpacing() * 1.7)
        header_rect = QRectF(margin, margin, width - 2 * margin, header_h)
        footer_rect = QRectF(margin, height - margin - footer_h, width - 2 * margin, footer_h)
        workshop = self._workshop
        summaries = self._ordered()

        def empty(message: str) -> ChartPlacement:
            return ChartPlacement(
                size,
                self._revealed,
                (),
                (),
                0,
                False,
                False,
                header_rect,
                (),
                footer_rect,
                message,
                style,
                {},
                0.0,
            )

        if workshop is None:
            return empty("No workshop is open.")
        framework = workshop.framework
        terms = framework.terms
        if not summaries:
            return empty(f"No {terms.dimensions} are in scope.")

        levels = framework.levels
        level_ids = tuple(level.id for level in levels)
        # Columns: barrier names | one per stage | a narrower "Not sure" | spread and flag.
        name_w = round(min(max(width * 0.24, header_fm.horizontalAdvance("M") * 9), width * 0.4))
        stat_candidates = [
            spread_words(0, terms),
            spread_words(2, terms),
            "2 yet to rate",
            "Spread",
        ]
        stat_w = round(
            min(
                max(self._widths(style.small_font, stat_candidates))
                + header_fm.horizontalAdvance(FLAG) * 1.6
                + margin * 2,
                width * 0.2,
            )
        )
        plot_left = margin + name_w
        plot_w = max(width - 2 * margin - name_w - stat_w, 1.0)
        stage_w = plot_w / (len(levels) + NOT_SURE_WEIGHT)
        not_sure_w = plot_w - stage_w * len(levels)
        column_x = [plot_left + i * stage_w for i in range(len(levels))] + [
            plot_left + len(levels) * stage_w
        ]
        column_w = [stage_w] * len(levels) + [not_sure_w]
        column_keys = (*level_ids, NOT_SURE)
        stat_left = plot_left + plot_w

        # A long stage name ("System continual improvement") wraps beside its shape (HEADER_ICON
        # of the font's height) rather than losing its end. Where its longest word is too wide
        # (large projector type, narrow columns) the header type shrinks, to MIN_HEADER_SCALE at
        # most; to save a third line, only a little (THREE_LINE_SCALE).
        titles = [level.name for level in levels] + [NOT_SURE_LABEL]

        def wrap_titles(font: QFont) -> list[tuple[str, ...]]:
            icon = round(QFontMetricsF(font).height() * HEADER_ICON)
            return [
                self._wrapped(title, font, column - icon - 12, 3)
                for title, column in zip(titles, column_w, strict=True)
            ]

        def too_wide(font: QFont) -> bool:
            icon = round(QFontMetricsF(font).height() * HEADER_ICON)
            return any(
                max(self._widths(font, title.split()), default=0.0) > column - icon - 12
                for title, column in zip(titles, column_w, strict=True)
            )

        header_font, scale = style.header_font, 1.0
        wrapped = wrap_titles(header_font)
        while (scale > MIN_HEADER_SCALE and too_wide(header_font)) or (
            scale > THREE_LINE_SCALE and any(len(lines) > 2 for lines in wrapped)
        ):
            scale = max(MIN_HEADER_SCALE, scale - 0.05)
            header_font = _scaled(style.header_font, scale)
            wrapped = wrap_titles(header_font)
        if scale < 1.0:
            style = dataclasses.replace(style, header_font=header_font)
            header_fm = QFontMetricsF(header_font)
        header_h = round(header_fm.lineSpacing() * (0.8 + max(len(w) for w in wrapped)))
        header_rect = QRectF(margin, margin, width - 2 * margin, header_h)
        headers = [("", capitalised(terms.dimension), QRectF(margin, margin, name_w, header_h))]
        headers += [
            (key, "\n".join(lines), QRectF(column_x[i], margin, column_w[i], header_h))
            for i, (key, lines) in enumerate(zip(column_keys, wrapped, strict=True))
        ]
        if self._revealed:
            headers.append(("", "Spread", QRectF(stat_left + margin - 6, margin, stat_w, header_h)))

        top = margin + header_h
        line = name_fm.lineSpacing()
        min_row = line * 1.4 + 8
        row_h = max((footer_rect.top() - top) / len(summaries), min_row)
        name_lines_max = max(1, int((row_h - 6) // line))

        # The ratings behind each row, in participant order (one dot per rating).
        ratings = {s.dimension_id: workshop.ratings_for(s.dimension_id) for s in summaries}
        participants = len(workshop.participants)

        # One dot size for the whole chart, as stickers on a wall are all the same size: the
        # largest at which the fullest cell still takes every dot without overlap.
        pad = math.ceil(style.frame_width) + 3  # just inside the agreed and target frames
        inner_stage = (stage_w - 2 * pad, row_h - 2 * pad)
        inner_not_sure = (not_sure_w - 2 * pad, row_h - 2 * pad)
        most_stage = most_not_sure = 0
        for found in ratings.values():
            counts: dict[str, int] = {}
            for rating in found:
                counts[rating.stage] = counts.get(rating.stage, 0) + 1
            most_not_sure = max(most_not_sure, counts.pop(NOT_SURE, 0))
            most_stage = max(most_stage, *counts.values(), 0)

        labels: dict[str, str] = {}
        labels_shown = labels_dropped = False
        dot = _largest_dot(
            most_stage, most_not_sure, inner_stage, inner_not_sure, style.max_dot, 0, 0
        )
        label_w = label_h = 0
        # Names first, initials where names won't fit; none in an anonymous workshop.
        candidates = chart_label_choices(workshop) if self._revealed and self._labels else []
        if candidates:
            for option in candidates:
                widest = max(self._widths(style.label_font, option.values()), default=0.0)
                widest = min(widest, stage_w * 0.45)
                lw = math.ceil(widest + label_fm.horizontalAdvance(" "))
                lh = math.ceil(label_fm.height())
                fitted = _largest_dot(
                    most_stage, most_not_sure, inner_stage, inner_not_sure, style.max_dot, lw, lh
                )
                if fitted >= style.min_labelled_dot:
                    labels, dot, label_w, label_h = option, fitted, lw, lh
                    labels_shown = True
                    break
            labels_dropped = not labels_shown and any(ratings.values())

        rows: list[RowPlacement] = []
        dots: list[DotPlacement] = []
        gap = _gap(dot)
        slot_w = max(dot + gap, label_w)
        slot_h = dot + gap + label_h
        for index, summary in enumerate(summaries):
            y = top + index * row_h
            rect = QRectF(margin, y, width - 2 * margin, row_h)
            cells = {
                key: QRectF(column_x[i], y, column_w[i], row_h) for i, key in enumerate(column_keys)
            }
            name_rect = QRectF(margin + 6, y + 3, name_w - 12, row_h - 6)
            name_lines = self._wrapped(
                summary.name, style.name_font, name_rect.width(), name_lines_max
            )
            stat_rect = QRectF(stat_left + margin, y, stat_w - margin, row_h)
            rated = summary.rated + summary.not_sure
            if self._revealed:
                flag_rect = None
                if summary.disagreement:
                    flag_w = QFontMetricsF(style.flag_font).horizontalAdvance(FLAG) * 1.3
                    flag_rect = QRectF(rect.right() - flag_w, y, flag_w, row_h)
                rows.append(
                    RowPlacement(
                        summary.dimension_id,
                        summary.name,
                        rect,
                        name_rect,
                        name_lines,
                        cells,
                        spread_words(summary.spread, terms),
                        f"{summary.missing} yet to rate" if summary.missing else "",
                        summary.disagreement_reasons,
                        flag_rect,
                        stat_rect,
                        "",
                        summary.consensus,
                        summary.target,
                    )
                )
            else:
                rows.append(
                    RowPlacement(
                        summary.dimension_id,
                        summary.name,
                        rect,
                        name_rect,
                        name_lines,
                        cells,
                        "",
                        "",
                        (),
                        None,
                        stat_rect,
                        hidden_words(rated, participants),
                        None,
                        None,
                    )
                )
                continue
            by_stage: dict[str, list] = {}
            for rating in ratings[summary.dimension_id]:
                by_stage.setdefault(rating.stage, []).append(rating)
            for stage, group in by_stage.items():
                cell = cells.get(stage)
                if cell is None:
                    continue  # a stage the framework no longer has: nowhere to put it
                inner = cell.adjusted(pad, pad, -pad, -pad)
                cols = max(1, min(len(group), int(inner.width() // slot_w)))
                block_h = -(-len(group) // cols) * slot_h
                x0 = round(inner.left())
                y0 = round(inner.top() + max(0.0, (inner.height() - block_h) / 2))
                for position, rating in enumerate(group):
                    sx = x0 + (position % cols) * slot_w
                    sy = y0 + (position // cols) * slot_h
                    dot_rect = QRectF(sx + (slot_w - dot) // 2, sy + gap // 2, dot, dot)
                    text = labels.get(rating.participant_id, "") if labels_shown else ""
                    label_rect = None
                    if text:
                        label_rect = QRectF(sx, sy + dot + gap // 2 + 1, slot_w, label_h)
                        text = self._elided(text, style.label_font, slot_w)
                    dots.append(
                        DotPlacement(
                            rating.participant_id,
                            summary.dimension_id,
                            stage,
                            dot_rect,
                            text,
                            label_rect,
                        )
                    )

        sprite_pad = max(1.0, dot / 12)
        # The framework's own colours (red to green for delivery confidence); shapes by place.
        colours = {key: stage_colour(framework, key) for key in column_keys}
        sprites = {}
        if dots:
            for key in column_keys:
                sprites[key] = sprite(
                    colours[key],
                    stage_shape(level_ids, key),
                    dot,
                    style.outline,
                    dpr,
                )
        return ChartPlacement(
            size=size,
            revealed=self._revealed,
            rows=tuple(rows),
            dots=tuple(dots),
            dot_size=dot if self._revealed else 0,
            labels_shown=labels_shown,
            labels_dropped=labels_dropped,
            header_rect=header_rect,
            headers=tuple(headers),
            footer_rect=footer_rect,
            message="",
            style=style,
            sprites=sprites,
            sprite_pad=sprite_pad,
            colours=colours,
            legend=(f"Agreed {terms.level}", "Target", "Worth discussing"),
        )

    def _widths(self, font: QFont, texts: Iterable[str]) -> list[float]:
        """The advance width of each text in `font`, measured once and remembered."""
        cache = self._width_cache.setdefault(font.key(), {})
        metrics = None
        found = []
        for text in texts:
            width = cache.get(text)
            if width is None:
                metrics = metrics or QFontMetricsF(font)
                width = cache[text] = metrics.horizontalAdvance(text)
            found.append(width)
        return found

    def _elided(self, text: str, font: QFont, width: float) -> str:
        if self._widths(font, (text,))[0] <= width:
            return text
        return QFontMetricsF(font).elidedText(text, Qt.TextElideMode.ElideRight, width)

    def _wrapped(self, text: str, font: QFont, width: float, max_lines: int) -> tuple[str, ...]:
        key = (text, font.key(), int(width), max_lines)
        found = self._text_cache.get(key)
        if found is None:
            found = self._text_cache[key] = _wrap(text, QFontMetricsF(font), width, max_lines)
        return found


# -- geometry helpers ---------------------------------------------------------------------------


def _scaled(font: QFont, factor: float) -> QFont:
    """`font` resized by `factor`, whether its size is in points or (on the projector) pixels."""
    scaled = QFont(font)
    if font.pixelSize() > 0:
        scaled.setPixelSize(max(8, round(font.pixelSize() * factor)))
    else:
        scaled.setPointSizeF(max(6.5, font.pointSizeF() * factor))
    return scaled


def _gap(dot: int) -> int:
    """Space between neighbouring dots: a quarter of a dot, never under two pixels."""
    return max(2, round(dot * 0.25))


def _fits(count: int, width: float, height: float, dot: int, label_w: int, label_h: int) -> bool:
    if count == 0:
        return True
    slot_w = max(dot + _gap(dot), label_w)
    slot_h = dot + _gap(dot) + label_h
    cols = min(count, int(width // slot_w))
    if cols < 1:
        return False
    return -(-count // cols) * slot_h <= height


def _largest_dot(
    most_stage: int,
    most_not_sure: int,
    stage_cell: tuple[float, float],
    not_sure_cell: tuple[float, float],
    max_dot: int,
    label_w: int,
    label_h: int,
) -> int:
    """The largest whole-pixel dot at which the fullest stage and not-sure cells hold their dots.

    Never below two pixels: past that the chart clips rather than vanish (200 people in a small
    window)."""
    for dot in range(max(max_dot, 2), 1, -1):
        if _fits(most_stage, *stage_cell, dot, label_w, label_h) and _fits(
            most_not_sure, *not_sure_cell, dot, label_w, label_h
        ):
            return dot
    return 2


def _wrap(text: str, metrics: QFontMetricsF, width: float, max_lines: int) -> tuple[str, ...]:
    """Word-wrap `text` to `width`, at most `max_lines` lines, the last elided if need be."""
    words = text.split()
    lines: list[str] = []
    current = ""
    for word in words:
        trial = f"{current} {word}" if current else word
        if current and metrics.horizontalAdvance(trial) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        rest = " ".join(lines[max_lines - 1 :])
        lines = [*lines[: max_lines - 1], rest]
    elide = Qt.TextElideMode.ElideRight
    return tuple(metrics.elidedText(line, elide, width) for line in lines)
