"""One open workshop on screen: the step bar above the six step pages, each in a scroll area.

Made when a workshop opens, never at start-up: the home window is shown without it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ui.controller import LibraryController, WorkshopController
from ui.labels import ElidedLabel
from ui.operations import FileDialogs
from ui.steps import StepPage
from ui.style import DISAGREEMENT_COLOUR, scaled_font

# The link under the step bar that opens the guide at that step; ui.guide loads on first use.
STEP_LINK = "guide:step"


class MessageBar(QWidget):
    """A calm, dismissible line for a refusal or a problem: seen, but never in the way."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setStyleSheet(f"color: {DISAGREEMENT_COLOUR}; font-weight: bold")
        self.label.setAccessibleName("Message")
        close = QToolButton()
        close.setText("✕")
        close.setAccessibleName("Dismiss message")
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(close)
        self.hide()

    def show_message(self, text: str) -> None:
        self.label.setText(text)
        self.show()


def _scrolled(page: QWidget) -> QScrollArea:
    """`page` filling its place, and scrolling instead of squeezing when the window is smaller
    than the page can be (200% scaling on a small screen): text boxes keep their lines and the
    wall chart its rows."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    # Never a focus stop of its own: moving between steps puts the keyboard in the page, where
    # the page's shortcuts (Alt+Up/Down on Consensus) and the fast-entry keys work.
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    area.setWidget(page)
    return area


class WorkshopView(QWidget):
    """One open workshop: the step bar and the step pages."""

    def __init__(
        self, controller: WorkshopController, library: LibraryController, dialogs: FileDialogs
    ) -> None:
        super().__init__()
        from ui.steps.consensus import ConsensusPage
        from ui.steps.explain import ExplainPage
        from ui.steps.plan import PlanPage
        from ui.steps.rate import RatePage
        from ui.steps.review import ReviewPage
        from ui.steps.setup import SetupPage

        self.controller = controller
        self.back_button = QPushButton("◀ Library")
        self.back_button.setAccessibleName("Back to the library")
        self.heading = ElidedLabel()
        self.heading.setFont(scaled_font(self.heading.font(), 1.4, bold=True))
        self.purpose = QLabel()
        self.purpose.setWordWrap(True)
        self.guide_link = QLabel(f'<a href="{STEP_LINK}">Guide: how to run this step</a>')
        self.guide_link.setToolTip("The facilitator's guide for this step (F1)")
        self.guide_link.setAccessibleName("Guide: how to run this step")
        self.guide_link.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.message_bar = MessageBar()

        self.consensus_page = ConsensusPage(controller)
        self.rate_page = RatePage(controller)
        self.pages: list[StepPage] = [
            SetupPage(controller, load_previous=library.load),
            ExplainPage(controller),
            self.rate_page,
            self.consensus_page,
            PlanPage(controller),
            ReviewPage(controller, load_previous=library.load, dialogs=dialogs),
        ]
        self.stack = QStackedWidget()
        self.step_group = QButtonGroup(self)
        self.step_group.setExclusive(True)
        steps = QHBoxLayout()
        steps.setSpacing(2)
        for number, page in enumerate(self.pages):
            button = QPushButton(f"{number + 1}  {page.title}")
            button.setCheckable(True)
            button.setAccessibleName(f"Step {number + 1}: {page.title}")
            button.setToolTip(f"{page.purpose} (Ctrl+{number + 1})")
            button.setMinimumHeight(36)
            self.step_group.addButton(button, number)
            steps.addWidget(button, 1)
            self.stack.addWidget(_scrolled(page))

        header = QHBoxLayout()
        header.addWidget(self.back_button)
        header.addWidget(self.heading, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(steps)
        purpose_row = QHBoxLayout()
        purpose_row.addWidget(self.purpose, 1)
        purpose_row.addWidget(self.guide_link, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(purpose_row)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.stack, 1)

        self.step_group.idClicked.connect(self.go_to_step)
        controller.failed.connect(self.message_bar.show_message)
        controller.private_session_changed.connect(self._show_lock)
        controller.changed.connect(
            lambda change: self._update_heading() if change.details else None
        )
        self._update_heading()
        self.go_to_step(0)

    def add_export_buttons(self, actions: tuple[QAction, ...]) -> None:
        """The Review step's export row gets a button for each export the File menu offers."""
        review = self.pages[-1]
        for export_action in actions:
            button = QToolButton()
            button.setDefaultAction(export_action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            review.export_buttons.addWidget(button)

    @property
    def current_page(self) -> StepPage:
        return self.pages[self.stack.currentIndex()]

    def closing(self) -> None:
        """The workshop is closing: the current step is left, and every step stops its work."""
        self.current_page.left()
        for page in self.pages:
            page.closing()

    def go_to_step(self, index: int) -> None:
        index = max(0, min(index, len(self.pages) - 1))
        previous = self.stack.currentIndex()
        if self.controller.private_session and index != previous:
            # Every other step shows or leads to the team's ratings.
            self.step_group.button(previous).setChecked(True)
            return
        if previous != index:
            self.pages[previous].left()
        self.stack.setCurrentIndex(index)
        self.step_group.button(index).setChecked(True)
        page = self.pages[index]
        self.purpose.setText(page.purpose)
        self.message_bar.hide()
        page.entered()

    def resume_private_rating(self) -> None:
        """Open at private rating, locked, as it was when OpAssess closed mid-way round."""
        self.go_to_step(self.pages.index(self.rate_page))
        from ui.steps.rate import PRIVATE

        self.rate_page.set_mode(PRIVATE)
        self.controller.begin_private_session()
        self.rate_page.private.focus_names()

    def _show_lock(self, locked: bool) -> None:
        current = self.stack.currentIndex()
        for number, button in enumerate(self.step_group.buttons()):
            button.setEnabled(not locked or number == current)
        self.back_button.setEnabled(not locked)

    def _update_heading(self) -> None:
        workshop = self.controller.workshop
        where = " · ".join(x for x in (workshop.organisation, workshop.team) if x)
        self.heading.setText(f"{workshop.title}" + (f"  —  {where}" if where else ""))
