"""Fast entry: the facilitator keys in the paper forms, a row per person, a column per barrier.

Keyboard first: 1, 2, 3 (one digit per stage) record a stage and move to the next cell; 0, N or ?
record not sure;
Delete clears; Enter (or F2) opens the evidence editor. No mouse is ever needed.

The model, the key handling and the evidence editor stay in one module (just over 500 lines):
they share the cell-to-rating mapping, and the keyboard rules are easiest to check in one place.
"""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from opassess.changes import WorkshopChange
from opassess.frameworks import Terms
from opassess.wording import stage_name
from opassess.workshop import (
    NOT_SURE,
    Rating,
    Workshop,
    clear_rating,
    record_evidence,
    record_rating,
)
from ui.controller import WorkshopController
from ui.steps import number_keys
from ui.style import stage_colour

NOT_SURE_KEYS = ("0", "n", "?")
MISSING_EVIDENCE_MARK = " …"
TINT_STRENGTH = 0.28  # how much of the stage colour shows behind a cell's text
NAME_COLUMN_EMS = 18  # the widest the names column grows, in widths of "M"
# A column is never narrower than its longest stage name needs, up to this one: a longer name
# ("System continual improvement") is cut in the cell, whole in its tooltip, so every column
# stays in sight on a laptop.
WIDEST_STAGE_CELL = "Consolidating …"
# Beyond this many changed cells one dataChanged over their bounding box is cheaper.
MAX_SEPARATE_UPDATES = 64


def tint(colour: QColor, strength: float = TINT_STRENGTH) -> QColor:
    """The colour mixed into white: a background dark text stays readable on."""
    return QColor(
        round(255 + (colour.red() - 255) * strength),
        round(255 + (colour.green() - 255) * strength),
        round(255 + (colour.blue() - 255) * strength),
    )


def is_ctrl_enter(event: QKeyEvent) -> bool:
    return event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and bool(
        event.modifiers() & Qt.KeyboardModifier.ControlModifier
    )


class RatingGridModel(QAbstractTableModel):
    """Every participant's rating of every barrier in scope, read from a workshop value."""

    def __init__(self, workshop: Workshop, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._load(workshop)

    # -- keeping up with the workshop -------------------------------------------------------------

    def _load(self, workshop: Workshop) -> None:
        self._workshop = workshop
        self._participants = workshop.participants
        self._dimensions = workshop.scoped_dimensions()
        self._names = workshop.display_names()
        framework = workshop.framework
        self._levels = framework.level_ids
        self._rows = {p.id: row for row, p in enumerate(self._participants)}
        self._columns = {d.id: column for column, d in enumerate(self._dimensions)}
        self._colours = {
            stage: stage_colour(framework, stage) for stage in (*self._levels, NOT_SURE)
        }
        self._tints = {stage: tint(colour) for stage, colour in self._colours.items()}

    def set_workshop(self, workshop: Workshop, change: WorkshopChange | None = None) -> None:
        """Follow an edit: repaint only the changed cells when only ratings changed."""
        only_ratings = change is not None and not (
            change.participants or change.scope or change.framework
        )
        if not only_ratings:
            self.beginResetModel()
            self._load(workshop)
            self.endResetModel()
            return
        self._workshop = workshop
        cells = [
            (self._rows[pid], self._columns[did])
            for pid, did in change.ratings
            if pid in self._rows and did in self._columns
        ]
        if not cells:
            return
        if len(cells) > MAX_SEPARATE_UPDATES:
            rows = [r for r, _ in cells]
            columns = [c for _, c in cells]
            self.dataChanged.emit(
                self.index(min(rows), min(columns)), self.index(max(rows), max(columns))
            )
            return
        for row, column in cells:
            index = self.index(row, column)
            self.dataChanged.emit(index, index)

    # -- what a cell stands for -------------------------------------------------------------------

    def key_at(self, index: QModelIndex) -> tuple[str, str]:
        """The (participant id, barrier id) of a cell."""
        return self._participants[index.row()].id, self._dimensions[index.column()].id

    def index_of(self, participant_id: str, dimension_id: str) -> QModelIndex:
        if participant_id not in self._rows or dimension_id not in self._columns:
            return QModelIndex()
        return self.index(self._rows[participant_id], self._columns[dimension_id])

    def rating_at(self, index: QModelIndex) -> Rating | None:
        return self._workshop.ratings.get(self.key_at(index))

    def describe(self, index: QModelIndex) -> str:
        """'Name, barrier' for a cell: what an editor's title says."""
        pid, _ = self.key_at(index)
        return f"{self._names[pid]} · {self._dimensions[index.column()].name}"

    def stage_for_text(self, text: str) -> str | None:
        """The stage a typed character records: 1 for the first stage…; 0, N or ? not sure."""
        text = text.strip().casefold()
        if text in NOT_SURE_KEYS:
            return NOT_SURE
        if text.isdigit() and 1 <= int(text) <= len(self._levels):
            return self._levels[int(text) - 1]
        return None

    def stage_label(self, stage: str) -> str:
        return stage_name(self._workshop, stage)

    # -- Qt's model interface ---------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._participants)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._dimensions)

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(self._dimensions):
                return None
            dimension = self._dimensions[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{section + 1}. {dimension.name}"
            if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
                return dimension.name
            return None
        if not 0 <= section < len(self._participants):
            return None
        if role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return self._names[self._participants[section].id]
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        rating = self.rating_at(index)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(rating)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._tints[rating.stage] if rating else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor("#000000") if rating else None
        if role == Qt.ItemDataRole.DecorationRole:
            return self._colours[rating.stage] if rating else None
        if role == Qt.ItemDataRole.FontRole:
            return self._font(rating)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(index, rating)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._spoken(index, rating)
        return None

    # -- the parts of a cell ----------------------------------------------------------------------

    def _display(self, rating: Rating | None) -> str:
        if rating is None:
            return ""
        shown = "?" if rating.stage == NOT_SURE else self.stage_label(rating.stage)
        return shown if rating.evidence.strip() else shown + MISSING_EVIDENCE_MARK

    def _font(self, rating: Rating | None) -> QFont | None:
        if rating is None or rating.evidence.strip():
            return None
        font = QFont()
        font.setItalic(True)
        return font

    def _tooltip(self, index: QModelIndex, rating: Rating | None) -> str:
        heading = escape(self.describe(index), quote=False)
        if rating is None:
            keys = number_keys(len(self._levels))
            return f"<b>{heading}</b><br>Not rated yet: type {keys}, or 0 for not sure."
        evidence = rating.evidence.strip()
        said = (
            escape(evidence, quote=False).replace("\n", "<br>")
            if evidence
            else "<i>No evidence yet.</i>"
        )
        return f"<b>{heading}</b><br>{escape(self.stage_label(rating.stage))}<br>{said}"

    def _spoken(self, index: QModelIndex, rating: Rating | None) -> str:
        if rating is None:
            return "not rated"
        spoken = self.stage_label(rating.stage)
        return spoken if rating.evidence.strip() else f"{spoken}, no evidence yet"


class WrappingHeader(QHeaderView):
    """Column headers that wrap long barrier names onto as many lines as they need."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        self._height = 0
        self.sectionResized.connect(lambda *_: self.fit_height())

    def fit_height(self) -> None:
        """Grow or shrink to the tallest wrapped header at the columns' present widths."""
        model = self.model()
        margin = self.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, self)
        height = self.fontMetrics().height() + 2 * margin
        for section in range(self.count() if model is not None else 0):
            text = str(model.headerData(section, self.orientation()) or "")
            width = max(self.sectionSize(section) - 2 * margin, self.fontMetrics().height())
            bounds = self.fontMetrics().boundingRect(
                QRect(0, 0, width, 100_000),
                int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                text,
            )
            height = max(height, bounds.height() + 2 * margin)
        if height != self._height:
            self._height = height
            self.updateGeometry()
            table = self.parent()
            if isinstance(table, RatingGridView):
                table.fit_header()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(hint.width(), max(hint.height(), self._height))


class RatingGridView(QTableView):
    """The table, with the keys that record ratings; it asks, the panel applies."""

    stage_keyed = Signal(QModelIndex, str)
    clear_keyed = Signal(QModelIndex)
    evidence_requested = Signal(QModelIndex)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(True)
        self.setWordWrap(False)
        header = WrappingHeader(self)
        self.setHorizontalHeader(header)
        header.setSectionsClickable(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.describe(Terms(), ("Consolidating",))
        names = self.verticalHeader()
        names.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        # A long name is cut (whole in its tooltip), never pushing the barriers off the grid.
        names.setMaximumWidth(self.fontMetrics().horizontalAdvance("M") * NAME_COLUMN_EMS)
        names.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.doubleClicked.connect(self.evidence_requested)

    def describe(self, terms: Terms, stage_names: tuple[str, ...]) -> None:
        """Say what the grid holds in the framework's words, and make each column wide enough
        for its stage names (WIDEST_STAGE_CELL at most)."""
        self.setAccessibleName(f"Ratings: a row per person, a column per {terms.dimension}")
        self.setAccessibleDescription(
            f"Type {number_keys(len(stage_names), 'or')} to record a {terms.level}, 0 or N for "
            "not sure, Delete to clear, Enter to add evidence."
        )
        metrics = self.fontMetrics()
        widest = max((metrics.horizontalAdvance(f"{name} …") for name in stage_names), default=0)
        widest = min(widest, metrics.horizontalAdvance(WIDEST_STAGE_CELL))
        self.horizontalHeader().setMinimumSectionSize(widest + 30)

    def fit_header(self) -> None:
        """Make room for the header's new height."""
        self.updateGeometries()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        index = self.currentIndex()
        model = self.model()
        blocked = (
            Qt.KeyboardModifier.ControlModifier
            | Qt.KeyboardModifier.AltModifier
            | Qt.KeyboardModifier.MetaModifier
        )
        if (
            index.isValid()
            and isinstance(model, RatingGridModel)
            and not (event.modifiers() & blocked)
        ):
            key = event.key()
            if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.clear_keyed.emit(index)
                event.accept()
                return
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F2):
                self.evidence_requested.emit(index)
                event.accept()
                return
            stage = model.stage_for_text(event.text())
            if stage is not None:
                self.stage_keyed.emit(index, stage)
                event.accept()
                return
        super().keyPressEvent(event)


class EvidenceDialog(QDialog):
    """Edit one rating's evidence: Ctrl+Enter or OK saves, Esc cancels."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Evidence")
        self.setModal(True)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        bold = self.heading.font()
        bold.setBold(True)
        self.heading.setFont(bold)
        prompt = QLabel("What have you seen that makes you say this? Real behaviours and actions.")
        prompt.setWordWrap(True)
        self.editor = QPlainTextEdit()
        self.editor.setTabChangesFocus(True)
        self.editor.setAccessibleName("Evidence")
        self.editor.setPlaceholderText("For example: what was done, by whom, and when.")
        self.editor.setMinimumHeight(self.fontMetrics().lineSpacing() * 6)
        prompt.setBuddy(self.editor)
        self.editor.installEventFilter(self)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Save (Ctrl+Enter)")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(prompt)
        layout.addWidget(self.editor, 1)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 72)
        self.key: tuple[str, str] | None = None

    def edit(self, key: tuple[str, str], heading: str, evidence: str) -> None:
        self.key = key
        self.heading.setText(heading)
        self.editor.setPlainText(evidence)
        self.editor.moveCursor(self.editor.textCursor().MoveOperation.End)
        self.open()
        self.editor.setFocus()

    def text(self) -> str:
        return self.editor.toPlainText()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        is_key = event.type() == QEvent.Type.KeyPress
        if watched is self.editor and is_key and is_ctrl_enter(event):  # type: ignore[arg-type]
            self.accept()
            return True
        return super().eventFilter(watched, event)


class FastEntryPanel(QWidget):
    """The grid and its key legend; keys become controller edits."""

    def __init__(self, controller: WorkshopController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.model = RatingGridModel(controller.workshop, self)
        self.view = RatingGridView()
        self.view.setModel(self.model)
        self.evidence_dialog = EvidenceDialog(self)
        self.evidence_dialog.accepted.connect(self._save_evidence)
        self.evidence_dialog.finished.connect(lambda _result: self.view.setFocus())

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.keys = QLabel()
        self.keys.setWordWrap(True)
        self.keys.setTextFormat(Qt.TextFormat.RichText)
        self.keys.setAccessibleName("Keys for fast entry")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Fast entry message")
        self.message.setVisible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.intro)
        layout.addWidget(self.keys)
        layout.addWidget(self.view, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        layout.addLayout(bottom)

        self.view.stage_keyed.connect(self._record_stage)
        self.view.clear_keyed.connect(self._clear)
        self.view.evidence_requested.connect(self._open_evidence)
        self.refresh()

    # -- redrawing --------------------------------------------------------------------------------

    def refresh(self) -> None:
        self._follow(None)

    def on_change(self, change: WorkshopChange) -> None:
        self._follow(change)

    def _follow(self, change: WorkshopChange | None) -> None:
        current = self.view.currentIndex()
        key = self.model.key_at(current) if current.isValid() else None
        self.model.set_workshop(self.controller.workshop, change)
        if change is None or change.participants or change.scope or change.framework:
            self._describe_keys()
            self.view.horizontalHeader().fit_height()
            restored = self.model.index_of(*key) if key else QModelIndex()
            if not restored.isValid() and self.model.rowCount() and self.model.columnCount():
                restored = self.model.index(0, 0)
            if restored.isValid():
                self.view.setCurrentIndex(restored)

    def _describe_keys(self) -> None:
        framework = self.controller.workshop.framework
        levels = framework.levels
        terms = framework.terms
        self.intro.setText(
            f"Key in the paper forms: a row for each person, a column for each {terms.dimension}."
        )
        self.view.describe(terms, tuple(level.name for level in levels))
        parts = [
            f"<b>{n}</b>&nbsp;{escape(level.name)}" for n, level in enumerate(levels[:9], start=1)
        ]
        parts += [
            "<b>0</b>, <b>N</b> or <b>?</b>&nbsp;not sure",
            "<b>Delete</b>&nbsp;clears",
            "<b>Enter</b>&nbsp;evidence",
            f"<i>italic{MISSING_EVIDENCE_MARK}</i>&nbsp;= no evidence yet",
        ]
        self.keys.setText(" · ".join(parts))

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # -- edits ------------------------------------------------------------------------------------

    def _record_stage(self, index: QModelIndex, stage: str) -> None:
        pid, did = self.model.key_at(index)
        if self.controller.apply("Rating", record_rating, pid, did, stage):
            self.show_message("")
            self._move_on(index)

    def _move_on(self, index: QModelIndex) -> None:
        row, column = index.row(), index.column() + 1
        if column >= self.model.columnCount():
            row, column = row + 1, 0
        if row < self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(row, column))

    def _clear(self, index: QModelIndex) -> None:
        pid, did = self.model.key_at(index)
        self.controller.apply("Clear rating", clear_rating, pid, did)

    def _open_evidence(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        rating = self.model.rating_at(index)
        if rating is None:
            framework = self.controller.workshop.framework
            keys = number_keys(len(framework.levels))
            self.show_message(
                f"Record a {framework.terms.level} first ({keys}, or 0 for not sure), then press "
                "Enter to add the evidence."
            )
            return
        self.show_message("")
        heading = f"{self.model.describe(index)} — {self.model.stage_label(rating.stage)}"
        self.evidence_dialog.edit(self.model.key_at(index), heading, rating.evidence)

    def _save_evidence(self) -> None:
        key = self.evidence_dialog.key
        if key is None:
            return
        rating = self.controller.workshop.ratings.get(key)
        text = self.evidence_dialog.text()
        if rating is None or rating.evidence == text:
            return
        self.controller.apply("Evidence", record_evidence, key[0], key[1], text)
