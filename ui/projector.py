"""The projector: a second, full-screen window the whole room reads.

Dark background, large type, high contrast. For the Consensus step it shows the wall chart in
projector mode, following the controller (revealed or hidden, the barrier under discussion, every
edit), with that barrier's agreed stage in big text; for any other step it shows the HTML the
step's page offers through projector_html(). It is only ever given those two things, and the wall
chart obeys `revealed`, so a participant's private rating screen can never appear here.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QFont, QGuiApplication, QKeyEvent, QResizeEvent, QScreen
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from opassess.changes import WorkshopChange
from opassess.wording import stage_name
from ui.controller import WorkshopController
from ui.style import PROJECTOR_BACKGROUND, PROJECTOR_TEXT
from ui.wallchart import ORDER_FRAMEWORK, WallChart

_MUTED = "#C8D0D8"
# In place of the wall chart while the laptop goes round: the room sees nobody's ratings.
PRIVATE_HTML = (
    "<h1>Private rating</h1><p>Everyone rates on their own first. The ratings stay hidden "
    "until the whole team compares them.</p>"
)


class ProjectorWindow(QWidget):
    """What the room sees. Esc closes it (and emits `closed`)."""

    closed = Signal()

    def __init__(self, controller: WorkshopController) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.controller = controller
        self.setWindowTitle("OpAssess — projector")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.setObjectName("projector")
        self.setStyleSheet(
            f"#projector, QStackedWidget, QTextBrowser {{ background: {PROJECTOR_BACKGROUND};"
            f" color: {PROJECTOR_TEXT}; border: none }}"
            f" QLabel {{ color: {PROJECTOR_TEXT}; background: transparent }}"
            # A long page scrolls; a light desktop scroll bar would glare on the dark screen.
            f" QScrollBar:vertical {{ background: {PROJECTOR_BACKGROUND}; width: 12px }}"
            " QScrollBar::handle:vertical { background: #5B6573; min-height: 40px;"
            " border-radius: 6px }"
            " QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical { height: 0 }"
            " QScrollBar::add-page:vertical, QScrollBar::sub-page:vertical { background: none }"
        )
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(self.backgroundRole(), PROJECTOR_BACKGROUND)
        self.setPalette(palette)

        self.title_label = QLabel()
        self.title_label.setAccessibleName("Step")
        self.chart = WallChart(projector=True)
        self.chart.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Esc always reaches the window
        self.agreed_label = QLabel()
        self.agreed_label.setWordWrap(True)
        self.agreed_label.setTextFormat(Qt.TextFormat.RichText)
        self.agreed_label.setAccessibleName("Agreed stage")
        chart_page = QWidget()
        chart_layout = QVBoxLayout(chart_page)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        chart_layout.addWidget(self.chart, 1)
        chart_layout.addWidget(self.agreed_label)

        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.browser.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.browser.setAccessibleName("Projected step")

        self.stack = QStackedWidget()
        self.stack.addWidget(chart_page)
        self.stack.addWidget(self.browser)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(self.title_label)
        layout.addWidget(self.stack, 1)

        self._title = ""
        self._html: str | None = None
        controller.changed.connect(self._workshop_changed)
        controller.revealed_changed.connect(self._revealed_changed)
        controller.private_session_changed.connect(self._revealed_changed)
        controller.barrier_selected.connect(self._barrier_selected)
        self.chart.barrier_clicked.connect(controller.select_barrier)
        self._apply_fonts()
        self.show_step("", None)

    # -- public API -------------------------------------------------------------------------------

    def show_step(self, title: str, html: str | None) -> None:
        """Show a step: its projector HTML, or the wall chart when `html` is None."""
        if title != self._title:
            self._title = title
            self.title_label.setText(title)
            self.title_label.setVisible(bool(title))
        if html is None and self.controller.private_session:
            html = PRIVATE_HTML
        if html is None:
            self._html = None
            self.browser.clear()  # nothing of another step lingers behind the chart
            self._refresh_chart()
            self.stack.setCurrentIndex(0)
        else:
            if html != self._html:
                self._html = html
                self.browser.setHtml(html)
            self.stack.setCurrentIndex(1)

    @property
    def showing_chart(self) -> bool:
        return self.stack.currentIndex() == 0

    def set_chart_options(self, order: str = ORDER_FRAMEWORK, labels: bool = True) -> None:
        """Mirror the Consensus page's row order and name labels."""
        self.chart.set_order(order)
        self.chart.set_labels(labels)

    def present(self) -> None:
        """Full screen on the second screen when there is one, else on the current one."""
        screen = self._target_screen()
        if screen is not None:
            self.setScreen(screen)
            self.setGeometry(screen.geometry())
        self._apply_fonts()
        self.showFullScreen()
        self.raise_()

    # -- Qt ----------------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            event.accept()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        super().closeEvent(event)
        if event.isAccepted():
            self.closed.emit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._apply_fonts()

    # -- internals --------------------------------------------------------------------------------

    def _target_screen(self) -> QScreen | None:
        screens = QGuiApplication.screens()
        if len(screens) > 1:
            main = QApplication.activeWindow()
            current = main.screen() if main is not None else QGuiApplication.primaryScreen()
            return next((s for s in screens if s is not current), screens[1])
        active = QApplication.activeWindow()
        return active.screen() if active is not None else QGuiApplication.primaryScreen()

    def _apply_fonts(self) -> None:
        # Large type that scales with the screen: readable from the back of the room.
        height = max(self.height(), 600)
        body = QFont(self.font())
        body.setPixelSize(max(18, round(height / 30)))
        self.browser.setFont(body)
        self.browser.document().setDefaultFont(body)
        self.browser.document().setDefaultStyleSheet(
            f"body {{ color: {PROJECTOR_TEXT}; }} a {{ color: #56B4E9; }}"
        )
        title = QFont(body)
        title.setPixelSize(max(16, round(height / 40)))
        self.title_label.setFont(title)
        self.title_label.setStyleSheet(f"color: {_MUTED}")
        agreed = QFont(body)
        agreed.setPixelSize(max(20, round(height / 30)))
        self.agreed_label.setFont(agreed)

    def _workshop_changed(self, _change: WorkshopChange) -> None:
        if self.showing_chart:
            self._refresh_chart()  # else show_step brings the chart up to date

    def _refresh_chart(self) -> None:
        self.chart.set_revealed(self._revealed)
        self.chart.set_workshop(self.controller.workshop)
        self.chart.set_selected(self.controller.selected_barrier)
        self._show_agreed()

    @property
    def _revealed(self) -> bool:
        # The controller refuses to reveal during private rating; this screen checks again.
        return self.controller.revealed and not self.controller.private_session

    def _revealed_changed(self, _revealed: bool) -> None:
        self.chart.set_revealed(self._revealed)
        self._show_agreed()

    def _barrier_selected(self, dimension_id: str) -> None:
        self.chart.set_selected(dimension_id)
        self._show_agreed()

    def _show_agreed(self) -> None:
        """The barrier under discussion in big type, and once revealed its agreed stage."""
        workshop = self.controller.workshop
        dimension_id = self.controller.selected_barrier
        self.agreed_label.setAccessibleName(f"Agreed {workshop.framework.terms.level}")
        if dimension_id not in workshop.scope:
            self.agreed_label.setText("")
            return
        name = html.escape(workshop.framework.dimension(dimension_id).name)
        agreed = workshop.consensus.get(dimension_id)
        if not self._revealed:
            # Nothing that could anchor the discussion before the team has seen its ratings.
            self.agreed_label.setText(f"<b>{name}</b>")
            return
        if agreed is None:
            self.agreed_label.setText(f"<b>{name}</b><br>Not agreed yet")
            return
        stage = html.escape(stage_name(workshop, agreed.stage))
        target = workshop.targets.get(dimension_id)
        aim = f"  ·  target {html.escape(stage_name(workshop, target))}" if target else ""
        self.agreed_label.setText(f"<b>{name}</b><br>Agreed: <b>{stage}</b>{aim}")
