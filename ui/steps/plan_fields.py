"""The Plan step's own fields: an action's row of inputs, a date that may be left empty, and the
guard that keeps a mouse wheel from changing a choice the reader only scrolled past.

Apart from the page (ui.steps.plan) so each widget reads on its own and the page keeps only its
layout, its refresh and the edits it forwards.
"""

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, QStringListModel, Qt, Signal
from PySide6.QtGui import QColor, QFocusEvent, QIcon, QKeyEvent, QPainter, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QToolButton,
    QWidget,
)

from opassess.wording import status_label
from opassess.workshop import (
    ACTION_STATUSES,
    Action,
    Workshop,
    due_date_warning,
)
from ui.date_field import DateField

# -- small widgets ------------------------------------------------------------------------------


class WheelGuard(QObject):
    """Lets the mouse wheel scroll the page instead of changing a combo or date under the
    pointer: a field only takes wheel turns once it has the focus."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Wheel and not watched.hasFocus():  # type: ignore[attr-defined]
            event.ignore()
            return True
        return False


class ActionTextEdit(QPlainTextEdit):
    """A short multi-line field for an action: Enter or leaving the field finishes the edit."""

    editingFinished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        lines = self.fontMetrics().lineSpacing() * 2
        margins = int(self.document().documentMargin() * 2) + self.frameWidth() * 2
        self.setFixedHeight(lines + margins + 4)

    def text(self) -> str:
        """The action as one line: Enter finishes the field, so line breaks are only pasted."""
        return " ".join(self.toPlainText().split())

    def set_text(self, value: str) -> None:
        if self.toPlainText() != value:
            self.setPlainText(value)
        self.document().setModified(False)

    def is_typing(self) -> bool:
        return self.hasFocus() and self.document().isModified()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.editingFinished.emit()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self.editingFinished.emit()


class OptionalDateEdit(DateField):
    """A due date or the re-assessment date: the one date field (ui.date_field), which may be
    left empty ('No date' / 'Not set'); no date stands in for "no date"."""


def dot_icon(colour: str | None, size: int = 12) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    if colour:
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colour))
        painter.drawEllipse(1, 1, size - 2, size - 2)
        painter.end()
    return QIcon(pixmap)


def _set_line(edit: QLineEdit, value: str) -> None:
    """Show a stored value unless the user is part-way through typing in this very field."""
    if edit.text() != value and not (edit.hasFocus() and edit.isModified()):
        edit.setText(value)
        edit.setModified(False)


class ActionSlot:
    """One of the three rows of key actions: an existing action, or the place to add one."""

    def __init__(self, index: int, names: QStringListModel, guard: WheelGuard) -> None:
        self.index = index
        self.action_id: str | None = None
        self.barrier = ""
        number = index + 1
        self.captions: list[QLabel] = []
        self.number = QLabel(f"{number}.")
        self.number.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.text = ActionTextEdit()
        self.text.setAccessibleName(f"Action {number}")
        self.responsible = QLineEdit()
        self.responsible.setAccessibleName(f"Action {number}: responsible")
        self.responsible.setPlaceholderText("Who does it")
        self.accountable = QLineEdit()
        self.accountable.setAccessibleName(f"Action {number}: accountable")
        self.accountable.setPlaceholderText("Who answers for it")
        for edit in (self.responsible, self.accountable):
            completer = QCompleter(names, edit)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            edit.setCompleter(completer)
        self.due = OptionalDateEdit("No date")
        self.due.edit.setAccessibleName(f"Action {number}: due date")
        self._workshop: Workshop | None = None
        self.due.committed.connect(lambda _value: self._warn_due())
        self.status = QComboBox()
        self.status.setAccessibleName(f"Action {number}: status")
        for status in ACTION_STATUSES:
            self.status.addItem(status_label(status), status)
        self.remove = QToolButton()
        self.remove.setText("Remove")
        self.remove.setToolTip(f"Remove action {number} (Undo brings it back)")
        self.remove.setAccessibleName(f"Remove action {number}")
        for widget in (self.status, self.due.edit):
            widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            widget.installEventFilter(guard)
        self._captioned = (self.responsible, self.accountable, self.due, self.status)
        for caption, widget in zip(
            ("Responsible", "Accountable", "Due", "Status"), self._captioned, strict=True
        ):
            label = QLabel(caption)
            label.setBuddy(widget.focusProxy() or widget)
            label.setMinimumHeight(self.responsible.sizeHint().height())  # level with the fields
            self.captions.append(label)
        policy = self.remove.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.remove.setSizePolicy(policy)

    @property
    def fields(self) -> tuple[QWidget, ...]:
        return (self.text, self.responsible, self.accountable, self.due, self.status)

    def place(self, grid: QGridLayout, row: int, one_line: bool = True) -> None:
        """Rows of a grid shared by all slots (so the columns line up): the action's text, then
        who, when and how it is going, on one line or, where the page is narrow, two."""
        top = Qt.AlignmentFlag.AlignTop
        grid.addWidget(self.number, row, 0, top)
        grid.addWidget(self.text, row, 1, 1, 9)
        captioned = zip(self.captions, self._captioned, strict=True)
        for place, (caption, widget) in enumerate(captioned):
            if one_line:
                line, column = row + 1, 1 + place * 2
            else:  # who above, when and how it is going below
                line, column = row + 1 + place // 2, 1 + (place % 2) * 2
            # At the top of the line: a note under the due date lengthens the line downwards
            # and leaves the fields beside it where they were.
            grid.addWidget(caption, line, column, top)
            grid.addWidget(widget, line, column + 1, top)
        if one_line:
            grid.addWidget(self.remove, row + 1, 9, top)
        else:
            grid.addWidget(self.remove, row + 2, 5, top)

    def pending(self) -> dict[str, object]:
        """What has been filled in beside the text of a slot that has no action yet."""
        return {
            "responsible": self.responsible.text(),
            "accountable": self.accountable.text(),
            "due_on": self.due.value(),
            "status": self.status.currentData(),
        }

    def show(
        self,
        barrier: str,
        action: Action | None,
        can_add: bool,
        workshop: Workshop | None = None,
    ) -> None:
        """Show an action's values, or an empty slot: the first free one invites a new action.
        `workshop` is the one the action belongs to, for the warnings its dates may need."""
        self._workshop = workshop
        fresh = barrier != self.barrier or (action is None and self.action_id is not None)
        self.barrier = barrier
        self.action_id = action.id if action else None
        if action is not None:
            self._show_values(action)
        elif fresh:
            self._show_values(Action("", ""))
        enabled = action is not None or can_add
        for widget in self.fields:
            widget.setEnabled(enabled)
        self.number.setEnabled(enabled)
        for caption in self.captions:
            caption.setEnabled(enabled)
        self.remove.setVisible(action is not None)
        self.text.setPlaceholderText("Add an action" if can_add and action is None else "")
        self.responsible.setPlaceholderText("Who does it" if enabled else "")
        self.accountable.setPlaceholderText("Who answers for it" if enabled else "")
        self._warn_due()

    def _warn_due(self) -> None:
        """Say so under the due date when it is before the workshop (opassess decides)."""
        workshop = self._workshop
        due = self.due.value()
        self.due.set_warning(due_date_warning(workshop, due) if workshop is not None else "")

    def _show_values(self, action: Action) -> None:
        if not self.text.is_typing():
            self.text.set_text(action.text)
        _set_line(self.responsible, action.responsible)
        _set_line(self.accountable, action.accountable)
        self.due.set_value(action.due_on)
        index = self.status.findData(action.status)
        if index >= 0 and index != self.status.currentIndex():
            with QSignalBlocker(self.status):
                self.status.setCurrentIndex(index)


# -- the page -----------------------------------------------------------------------------------
