"""A team over time: a workshop and all its re-assessments on one page.

The trend chart shows each dimension's agreed stage at each workshop (targets dashed), drawn
with pyqtgraph, which is imported only when this window opens; hovering a point says its date
and stage, the mouse wheel zooms, and the chart saves as a PNG at projector resolution. Below
it, every action agreed along the way and what became of it by the next workshop.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timezone
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from opassess.frameworks import capitalised
from opassess.rollup import Series
from opassess.wording import follow_up_label, format_date, status_label

PROJECTOR_SIZE = (1920, 1080)
# A line per dimension: colours that are not the stages' own, with a dash pattern each, so a
# chart of six lines still reads in greyscale.
_LINE_COLOURS = ("#000000", "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
_SYMBOLS = ("o", "s", "t", "d", "+", "x", "star", "p", "h")


def outcome_words(outcome: str, marked: bool) -> str:
    """'Partly done' for a follow-up marked at the next workshop; an unmarked action's own status,
    said as such."""
    if marked:
        return follow_up_label(outcome)
    return f"{status_label(outcome)} (as recorded then)"


def _timestamps(days: Sequence[date | None]) -> list[float]:
    """Seconds since 1970 for the date axis; an undated workshop sits 30 days after the one
    before it (or the last dated one), so it shows in its place in the series."""
    stamps: list[float] = []
    for day in days:
        if day is not None:
            stamps.append(datetime.combine(day, time(12), tzinfo=timezone.utc).timestamp())
        else:
            before = stamps[-1] if stamps else None
            if before is None:
                dated = [d for d in days if d is not None]
                first = min(dated) if dated else date.today()
                before = datetime.combine(first, time(12), tzinfo=timezone.utc).timestamp()
                before -= 30 * 86400
            stamps.append(before + 30 * 86400)
    return stamps


class SeriesWindow(QDialog):
    """The series a workshop belongs to: trend chart and action follow-through."""

    def __init__(self, series: Series, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.series = series
        latest = series.workshops[-1]
        terms = latest.framework.terms
        self.setWindowTitle(f"Over time: {latest.team or latest.title}")
        heading = QLabel(
            f"<h2>{_e(latest.team or latest.title)}</h2>"
            f"<p>{len(series.workshops)} workshops, {_dates(series)}; each "
            f"{_e(terms.dimension)}'s agreed {_e(terms.level)} at each, targets dashed.</p>"
        )
        heading.setWordWrap(True)
        self.chart = self._make_chart()
        self.reset_button = QPushButton("&Reset zoom")
        self.reset_button.clicked.connect(lambda: self.plot.enableAutoRange())
        self.save_button = QPushButton("&Save chart as PNG…")
        buttons = QHBoxLayout()
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.chart, 1)
        top_layout.addLayout(buttons)
        self.actions_table = self._make_actions_table()
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(self.actions_table)
        splitter.setSizes([520, 260])
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(splitter, 1)
        self.resize(1100, 820)

    # -- the trend chart ------------------------------------------------------------------------

    def _make_chart(self) -> QWidget:
        widget, self.plot, self.points_by_spot = self._build_chart()
        widget.scene().sigMouseMoved.connect(self._hover)
        self._plot_widget = widget
        return widget

    def _build_chart(
        self, legend_points: int = 10
    ) -> tuple[Any, Any, list[tuple[float, float, str]]]:
        """A chart widget, its plot, and each point's place and hover text; the legend's type in
        points (pyqtgraph sets it apart from the axes')."""
        import pyqtgraph as pg  # about half a second: only when a series is looked at

        series = self.series
        latest = series.workshops[-1].framework
        widget = pg.GraphicsLayoutWidget()
        widget.setBackground("w")
        plot = widget.addPlot(
            row=0, col=0, axisItems={"bottom": pg.DateAxisItem(orientation="bottom")}
        )
        # Beside the chart rather than over it, so no line hides behind a name.
        legend = pg.LegendItem(labelTextColor="#000000", labelTextSize=f"{legend_points}pt")
        widget.addItem(legend, row=0, col=1)
        plot.showGrid(x=True, y=True, alpha=0.25)
        left = plot.getAxis("left")
        left.setTicks([[(i, level.name) for i, level in enumerate(latest.levels)]])
        left.setStyle(autoExpandTextSpace=True)
        left.setWidth(max(60, 8 * max(len(level.name) for level in latest.levels)))
        for name in ("left", "bottom"):
            plot.getAxis(name).setTextPen("#000000")
            plot.getAxis(name).setPen("#000000")
        plot.setLabel("left", capitalised(latest.terms.level))
        plot.setYRange(-0.3, series.most_levels - 0.7, padding=0)
        plot.setMouseEnabled(x=True, y=False)  # zoom along time; the stages stay in view
        spots: list[tuple[float, float, str]] = []
        count = len(series.workshops)
        xs_all = _timestamps([w.held_on for w in series.workshops])
        # Lines of one stage at one date overlap; a small offset per dimension keeps each seen.
        spacing = (max(xs_all) - min(xs_all)) / max(1, count - 1) if count > 1 else 86400.0
        for index, (dimension_id, name) in enumerate(series.dimensions):
            colour = _LINE_COLOURS[index % len(_LINE_COLOURS)]
            points = series.points[dimension_id]
            offset = (index - len(series.dimensions) / 2) * spacing * 0.012
            xs = [x + offset for x, p in zip(xs_all, points, strict=True) if p.position is not None]
            ys = [p.position for p in points if p.position is not None]
            pen = pg.mkPen(colour, width=3, style=_dash(index))
            curve = plot.plot(
                xs,
                ys,
                pen=pen,
                symbol=_SYMBOLS[index % len(_SYMBOLS)],
                symbolSize=12,
                symbolBrush=colour,
                symbolPen="#FFFFFF",
            )
            legend.addItem(curve, _short(name))
            txs = [
                x + offset
                for x, p in zip(xs_all, points, strict=True)
                if p.target_position is not None
            ]
            tys = [p.target_position for p in points if p.target_position is not None]
            if tys:
                plot.plot(txs, tys, pen=pg.mkPen(colour, width=1, style=Qt.PenStyle.DashLine))
            for x, point in zip(xs_all, points, strict=True):
                if point.position is not None:
                    when = format_date(point.held_on, "undated")
                    target = f"; target {point.target_name}" if point.target_name else ""
                    spots.append(
                        (x + offset, point.position, f"{name}\n{when}: {point.stage_name}{target}")
                    )
        # Its own height at the top of its column: stretched to the chart's, its rows drift apart
        # and each name floats above its line.
        legend.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        widget.ci.layout.setAlignment(legend, Qt.AlignmentFlag.AlignTop)
        return widget, plot, spots

    def _hover(self, position: QPointF) -> None:
        """The nearest point's date and stage as a tooltip, within a few pixels."""
        view = self.plot.getViewBox()
        if not self.plot.sceneBoundingRect().contains(position):
            return
        best: tuple[float, str] | None = None
        for x, y, text in self.points_by_spot:
            spot = view.mapViewToScene(QPointF(x, y))
            distance = (spot - position).manhattanLength()
            if distance < 14 and (best is None or distance < best[0]):
                best = (distance, text)
        if best is None:
            QToolTip.hideText()
            return
        global_position = self._plot_widget.mapToGlobal(self._plot_widget.mapFromScene(position))
        QToolTip.showText(global_position, best[1], self._plot_widget)

    def hover_text_at(self, x: float, y: float) -> str:
        """What hovering the chart at data point (x, y) would say (for keyboard users and tests)."""
        for spot_x, spot_y, text in self.points_by_spot:
            if abs(spot_x - x) < 1 and spot_y == y:
                return text
        return ""

    def save_png(self, path: str) -> bool:
        """The chart with its legend at projector resolution, on white, as a PNG.

        A second chart is laid out off screen in the projector's shape at two thirds of its
        size, then drawn at full size, so its type is large enough to read across a room.
        """
        width, height = PROJECTOR_SIZE
        widget, _plot, _spots = self._build_chart(legend_points=13)  # as large as the axes
        widget.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        widget.resize(width * 2 // 3, height * 2 // 3)
        widget.show()
        QApplication.processEvents()  # lays the chart out at that size
        image = QImage(width, height, QImage.Format.Format_ARGB32)
        image.fill(QColor("#FFFFFF"))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        source = widget.mapToScene(widget.viewport().rect()).boundingRect()
        widget.scene().render(
            painter, QRectF(0, 0, width, height), source, Qt.AspectRatioMode.KeepAspectRatio
        )
        painter.end()
        widget.close()
        widget.deleteLater()
        return image.save(path, "PNG")

    # -- the actions ----------------------------------------------------------------------------

    def _make_actions_table(self) -> QTableWidget:
        series = self.series
        by_id = {w.id: w for w in series.workshops}
        names = dict(series.dimensions)
        headers = ["Agreed at", "For", "Action", "Responsible", "What became of it", "Note"]
        table = QTableWidget(len(series.actions), len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setTabKeyNavigation(False)
        table.setWordWrap(True)
        for row, outcome in enumerate(series.actions):
            workshop = by_id[outcome.agreed_at]
            values = [
                format_date(workshop.held_on, workshop.title),
                names.get(outcome.dimension_id, outcome.dimension_id),
                outcome.action.text,
                outcome.action.responsible,
                outcome_words(outcome.outcome, outcome.marked),
                outcome.note,
            ]
            for column, value in enumerate(values):
                table.setItem(row, column, QTableWidgetItem(value))
        table.resizeColumnsToContents()
        table.setColumnWidth(2, 380)
        table.horizontalHeader().setStretchLastSection(True)
        table.setAccessibleName("Actions and what became of them")
        return table


def _dash(index: int) -> Any:
    styles = (
        Qt.PenStyle.SolidLine,
        Qt.PenStyle.DashDotLine,
        Qt.PenStyle.DotLine,
        Qt.PenStyle.DashDotDotLine,
    )
    return styles[(index // 2) % len(styles)] if index % 2 else Qt.PenStyle.SolidLine


def _short(name: str, limit: int = 40) -> str:
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def _dates(series: Series) -> str:
    dated = [w.held_on for w in series.workshops if w.held_on is not None]
    if not dated:
        return "undated"
    return f"{format_date(min(dated))} to {format_date(max(dated))}"


def _e(text: str) -> str:
    from html import escape

    return escape(text)
