"""Rate: every participant rates every barrier in scope, privately or keyed in from paper.

Two modes share the page: "Private rating" (each person at the laptop in turn, seeing only their
own ratings) and "Fast entry" (the facilitator keys in the paper forms). A progress panel beside
both says who has rated how much; in private mode it says only who has finished.
"""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from opassess.analysis import ParticipantProgress, rating_progress
from opassess.changes import WorkshopChange
from opassess.frameworks import Terms
from opassess.workshop import Workshop
from ui.controller import PRIVATE_LOCKED, WorkshopController
from ui.labels import ElidedLabel
from ui.room import RoomController, RoomDialog
from ui.steps import StepPage, ask_with_safe_default
from ui.steps.rate_grid import FastEntryPanel
from ui.steps.rate_private import PrivateRatingPanel
from ui.style import scaled_font

PRIVATE = "private"
FAST = "fast"
MODES = (PRIVATE, FAST)
MODE_LABELS = {PRIVATE: "Private rating", FAST: "Fast entry"}
TAKE_BACK = "Facilitator: take the laptop back"
LOCKED_NOTE = "Private rating: everything else is locked."


def confirm_take_back(parent: QWidget) -> bool:
    """Ask before ending private rating: two deliberate presses, and Enter or Esc keep it
    private, so a participant cannot open everyone's ratings by accident."""
    return ask_with_safe_default(
        parent,
        "Take the laptop back?",
        "For the facilitator only: this ends private rating.",
        "The other steps, Fast entry and the menus open again, and they can show everyone's "
        "ratings. If you are rating, choose “Keep it private” and carry on.",
        "Take the laptop back",
        "Keep it private",
    )


def finished_sentence(progress: list[ParticipantProgress], terms: Terms | None = None) -> str:
    """'5 of 8 people have rated every barrier': progress only, never a rating."""
    dimension = (terms or Terms()).dimension
    if not progress:
        return "Nobody is on the team yet."
    done = sum(1 for p in progress if p.complete)
    if done == len(progress):
        return f"All {len(progress)} people have rated every {dimension}."
    return f"{done} of {len(progress)} people have rated every {dimension}."


class ProgressModel(QAbstractTableModel):
    """Per participant: how many barriers rated and how many lack evidence (counts only).

    In private mode it shows only whether each person has finished.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._progress: list[ParticipantProgress] = []
        self._names: dict[str, str] = {}
        self._private = True

    def set_progress(self, workshop: Workshop, progress: list[ParticipantProgress]) -> None:
        same_people = [p.participant_id for p in progress] == [
            p.participant_id for p in self._progress
        ]
        names = workshop.display_names()
        if same_people and names == self._names:
            self._progress = progress
            if progress:
                self.dataChanged.emit(
                    self.index(0, 0), self.index(len(progress) - 1, self.columnCount() - 1)
                )
            return
        self.beginResetModel()
        self._progress = progress
        self._names = names
        self.endResetModel()

    def set_private(self, private: bool) -> None:
        if private != self._private:
            self.beginResetModel()
            self._private = private
            self.endResetModel()

    def headers(self) -> tuple[str, ...]:
        return ("Person", "Finished") if self._private else ("Person", "Rated", "No evidence")

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._progress)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers())

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.ToolTipRole
            and self.headers()[section] == "No evidence"
        ):
            return "Ratings without evidence: an example helps the team challenge and agree."
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        progress = self._progress[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(progress, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(progress, index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return Qt.AlignmentFlag.AlignCenter
        return None

    def _text(self, progress: ParticipantProgress, column: int) -> str:
        if column == 0:
            return self._names.get(progress.participant_id, "")
        if self._private:
            return "Done" if progress.complete else "Not yet"
        if column == 1:
            return f"{progress.rated} of {progress.in_scope}"
        return str(progress.without_evidence) if progress.without_evidence else ""

    def _tooltip(self, progress: ParticipantProgress, column: int) -> str | None:
        if self._private or column != 2 or not progress.without_evidence:
            return None
        many = "rating has" if progress.without_evidence == 1 else "ratings have"
        return (
            f"{progress.without_evidence} {many} no evidence yet: "
            "an example helps the team challenge and agree."
        )


class ProgressPanel(QWidget):
    """Who has rated how much: a headline and a row per participant."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        heading = QLabel("Progress")
        heading.setFont(scaled_font(heading.font(), 1.3, bold=True))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Rating progress")
        self.evidence_note = QLabel()
        self.evidence_note.setWordWrap(True)
        self.evidence_note.setAccessibleName("Ratings without evidence")
        self.model = ProgressModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Progress per person")
        self.table.setSelectionMode(QTableView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab moves on, not from cell to cell
        self.table.verticalHeader().setVisible(False)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.model.modelReset.connect(self._fit_columns)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.evidence_note)
        layout.addWidget(self.table, 1)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 24)

    def _fit_columns(self) -> None:
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, self.model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

    def show_progress(self, workshop: Workshop, private: bool) -> None:
        progress = rating_progress(workshop)
        self.model.set_private(private)
        self.model.set_progress(workshop, progress)
        self.summary.setText(finished_sentence(progress, workshop.framework.terms))
        lacking = sum(p.without_evidence for p in progress)
        self.evidence_note.setVisible(not private and lacking > 0)
        self.evidence_note.setText(
            f"{lacking} {'rating has' if lacking == 1 else 'ratings have'} no evidence yet — "
            "worth asking for an example."
        )


class RatePage(StepPage):
    title = "Rate"
    purpose_template = (
        "Everyone rates each {dimension} on their own, with evidence, before the team compares."
    )

    mode_changed = Signal(str)  # PRIVATE or FAST

    def __init__(self, controller: WorkshopController, parent: QWidget | None = None) -> None:
        super().__init__(controller, parent)
        self.modes = QTabBar()
        self.modes.setAccessibleName("Rating mode")
        self.modes.setExpanding(False)
        self.modes.setDrawBase(False)
        self.modes.setFont(scaled_font(self.modes.font(), 1.1))
        for mode in MODES:
            self.modes.addTab(MODE_LABELS[mode])
        self.modes.setTabToolTip(0, "Each person at the laptop in turn, seeing only their own.")
        self.modes.setTabToolTip(1, "Key in the paper forms: a row per person.")
        self.private = PrivateRatingPanel(controller)
        self.fast_entry = FastEntryPanel(controller)
        self.progress = ProgressPanel()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.private)
        self.stack.addWidget(self.fast_entry)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.stack)
        splitter.addWidget(self.progress)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        self.splitter = splitter
        self._sized = False
        # Everyone at once from their own phone, over the laptop's network (off until opened).
        self.rooms = RoomController(controller, self)
        self.room_dialog: RoomDialog | None = None
        self.room_button = QPushButton("Rate from phones…")
        self.room_button.setToolTip(
            "Open a room on this laptop's network: everyone rates at once from their own phone."
        )
        self.room_button.clicked.connect(self.show_room)
        self.rooms.opened_changed.connect(self._room_opened)
        self.rooms.progress_changed.connect(self.projector_changed.emit)
        # Shown from the first name chosen until the facilitator takes the laptop back.
        # One line that gives way on a small screen, rather than a column of wrapped words.
        self.locked_note = ElidedLabel(LOCKED_NOTE)
        self.locked_note.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.take_back = QPushButton(f"{TAKE_BACK}…")
        self.take_back.setAccessibleName(TAKE_BACK)
        self.take_back.setAccessibleDescription(
            "Ends private rating, after asking; the other steps open again."
        )
        self.take_back.setToolTip(
            "Ends private rating, after asking: the other steps and Fast entry open again."
        )
        self.take_back.clicked.connect(self.take_laptop_back)
        top = QHBoxLayout()
        top.addWidget(self.modes)
        top.addStretch(1)
        top.addWidget(self.locked_note, 2)
        top.addWidget(self.take_back)
        top.addWidget(self.room_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

        self.modes.currentChanged.connect(lambda i: self.set_mode(MODES[i]))
        controller.private_session_changed.connect(self._show_lock)
        self._show_lock(controller.private_session)
        # Undo is off here (undo_paused): say why rather than let Ctrl+Z do nothing.
        for keys in ("Ctrl+Z", "Ctrl+Shift+Z", "Ctrl+Y"):
            shortcut = QShortcut(QKeySequence(keys), self.private)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda: self.controller.failed.emit(self.undo_paused()))
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._sized:
            # The rating screen gets the room; progress about a fifth, within its own needs.
            self._sized = True
            total = sum(self.splitter.sizes()) or self.width()
            side = min(self.progress.sizeHint().width(), total // 4)
            side = max(side, self.progress.minimumWidth())
            self.splitter.setSizes([total - side, side])

    # -- modes ------------------------------------------------------------------------------------

    @property
    def mode(self) -> str:
        return MODES[self.stack.currentIndex()]

    def set_mode(self, mode: str) -> None:
        if mode not in MODES:
            raise ValueError(f"mode is one of {MODES}")
        if mode == self.mode and self.modes.currentIndex() == MODES.index(mode):
            return
        if mode == FAST and self.controller.private_session:
            # Fast entry is everyone's ratings: not while the laptop goes round.
            self.modes.setCurrentIndex(MODES.index(self.mode))
            self.controller.failed.emit(PRIVATE_LOCKED)
            return
        self.private.reset()
        self.stack.setCurrentIndex(MODES.index(mode))
        self.modes.setCurrentIndex(MODES.index(mode))
        self._show_progress()
        if mode == FAST:
            self.fast_entry.view.setFocus()
        self.mode_changed.emit(mode)
        self.undo_pause_changed.emit()

    def _show_lock(self, locked: bool) -> None:
        # While the laptop goes round, the other mode (everyone's ratings) and the room's
        # controls are out of reach; only the facilitator's way back is offered.
        self.modes.setEnabled(not locked)
        self.modes.setToolTip(
            "The facilitator takes the laptop back to switch mode." if locked else ""
        )
        self.room_button.setEnabled(not locked)
        self.room_button.setVisible(not locked)  # room for the way back on a small screen
        if self.room_dialog is not None:
            self.room_dialog.set_locked(locked)
        self.locked_note.setVisible(locked)
        self.take_back.setVisible(locked)
        self.undo_pause_changed.emit()

    def take_laptop_back(self) -> bool:
        """The facilitator's deliberate way out of private rating, asked first. True when
        private rating has ended."""
        if not self.controller.private_session:
            return True
        if not confirm_take_back(self):
            return False
        self.private.reset()  # saves what was typed; no one's ratings left on screen
        self.controller.end_private_session()
        self.private.focus_names()
        return True

    # -- StepPage ---------------------------------------------------------------------------------

    def refresh(self) -> None:
        self.private.refresh()
        self.fast_entry.refresh()
        self._show_progress()

    def on_workshop_changed(self, change: WorkshopChange) -> None:
        self.private.on_change(change)
        self.fast_entry.on_change(change)
        if change.ratings or change.participants or change.scope:
            self._show_progress()
            self.projector_changed.emit()

    def entered(self) -> None:
        self.refresh()
        if self.mode == PRIVATE:
            self.private.focus_names()
        else:
            self.fast_entry.view.setFocus()

    def left(self) -> None:
        self.private.reset()
        if self.fast_entry.evidence_dialog.isVisible():
            self.fast_entry.evidence_dialog.accept()  # keep what was typed

    def closing(self) -> None:
        self.rooms.close()
        if self.room_dialog is not None:
            self.room_dialog.close()

    def show_room(self) -> None:
        if self.room_dialog is None:
            self.room_dialog = RoomDialog(self.rooms, self)
            self.room_dialog.set_locked(self.controller.private_session)
        self.room_dialog.show()
        self.room_dialog.raise_()
        self.room_dialog.activateWindow()

    def _room_opened(self, opened: bool) -> None:
        self.room_button.setText("Room open…" if opened else "Rate from phones…")
        self.projector_changed.emit()

    def undo_paused(self) -> str:
        # The laptop goes from hand to hand: undo would take back the last person's rating.
        if self.mode == PRIVATE or self.controller.private_session:
            return "Undo is off during private rating. Use Fast entry to correct a rating."
        return ""

    def projector_html(self) -> str | None:
        workshop = self.controller.workshop
        sentence = finished_sentence(rating_progress(workshop), workshop.framework.terms)
        joining = self.rooms.projector_html()
        return f"<h1>Rating</h1>{joining}<p>{escape(sentence)}</p>"

    def _show_progress(self) -> None:
        self.progress.show_progress(self.controller.workshop, private=self.mode == PRIVATE)
