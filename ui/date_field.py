"""One date field for people, on every screen that asks for a date: Setup's workshop date, each
action's due date, the re-assessment date and Compare's filters.

A line to type in, read by opassess.dates.parse_date (31/03/2027, 31/3/27, 31 Mar 2027,
31 March 2027, 2027-03-31, t for today; day first whatever the computer's language), a calendar
button, and a clear button. Empty is a real value: no date. What is shown is what is stored:
the field shows its date as opassess.wording.format_date writes it, and text that is not a date
is refused with a plain sentence under the field while the last good date stays. Up and Down
move a date a day; on an empty field they do nothing, so no date is ever made up.

A warning from the core (a due date before the workshop, say) shows in the same place, in
plain words, without refusing anything.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QEvent, QLocale, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QColor, QFocusEvent, QIcon, QKeyEvent, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from opassess.dates import DATE_FORMS, DateError, parse_date
from opassess.palette import DISAGREEMENT_COLOUR
from opassess.wording import format_date

WARNING_COLOUR = "#8A5A00"  # a dark amber that reads on white: a warning, not a refusal


def calendar_icon(size: int = 16, colour: QColor | None = None) -> QIcon:
    """A small page of a calendar, drawn so it shows on every computer whatever its fonts."""
    ink = colour or QColor("#404040")
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    painter.setPen(QPen(ink, 1))
    page = QRect(1, 2, size - 3, size - 4)
    painter.drawRect(page)
    painter.fillRect(QRect(1, 2, size - 3, max(3, size // 5)), ink)
    step = max(3, (size - 4) // 4)
    for row in range(2):
        for column in range(3):
            x = 3 + column * step + 1
            y = 2 + max(3, size // 5) + 2 + row * step
            painter.fillRect(QRect(x, y, 2, 2), ink)
    painter.drawLine(QPoint(4, 0), QPoint(4, 3))
    painter.drawLine(QPoint(size - 6, 0), QPoint(size - 6, 3))
    painter.end()
    return QIcon(pixmap)


class _DateLine(QLineEdit):
    """The typing line: Up and Down step a written date by a day, Escape puts back the stored
    date, Alt+Down or F4 opens the calendar; leaving it finishes the edit."""

    step = Signal(int)
    revert = Signal()
    open_calendar = Signal()
    left = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        alt = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        if key == Qt.Key.Key_F4 or (alt and key == Qt.Key.Key_Down):
            self.open_calendar.emit()
            return
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.step.emit(1 if key == Qt.Key.Key_Up else -1)
            return
        if key == Qt.Key.Key_Escape and self.isModified():
            self.revert.emit()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self.left.emit()


class DateField(QWidget):
    """A date a person types or picks, or no date.

    `committed` fires with the new value (a date, or None for no date) once the person has
    finished with a value different from the one shown last: Enter, leaving the field, a day
    picked in the calendar, or Clear. set_value (a stored value shown) never fires it.
    """

    committed = Signal(object)  # date | None

    def __init__(
        self,
        empty_text: str = "No date",
        parent: QWidget | None = None,
        *,
        clearable: bool = True,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self._value: date | None = None
        self._today = today  # what "t" means; the computer's date unless a test fixes it
        self._problem = ""
        self._warning = ""
        self.empty_text = empty_text
        self.edit = _DateLine()
        self.edit.setPlaceholderText(empty_text)
        self.edit.setToolTip(f"Type a date as {DATE_FORMS}.")
        self.edit.setAccessibleDescription(f"Type a date as {DATE_FORMS}.")
        self.calendar_button = QToolButton()
        ink = self.palette().color(QPalette.ColorRole.Text)
        self.calendar_button.setIcon(calendar_icon(16, ink))
        self.calendar_button.setToolTip("Choose the date on a calendar (Alt+Down)")
        self.calendar_button.setAccessibleName("Choose the date on a calendar")
        self.calendar_button.setAutoRaise(True)
        self.calendar_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.clear_button = QToolButton()
        self.clear_button.setText("✕")
        self.clear_button.setToolTip("Clear the date")
        self.clear_button.setAccessibleName("Clear the date")
        self.clear_button.setAutoRaise(True)
        self.clear_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.note = QLabel()  # a refusal of what was typed, or the core's warning
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.hide()
        # The note wraps to the field's width rather than widening the field when it shows.
        self.note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        # Room for the longest date shown, "30 September 2027", at any font size; the buttons
        # beside it kept small so a narrow window at high scaling still fits a row of a plan.
        room = self.edit.fontMetrics().horizontalAdvance("30 September 2027")
        self.edit.setMinimumWidth(room + 8)
        side = self.edit.sizeHint().height()
        for button in (self.calendar_button, self.clear_button):
            button.setFixedWidth(max(side - 2, 16))

        line = QHBoxLayout()
        line.setContentsMargins(0, 0, 0, 0)
        line.setSpacing(2)
        line.addWidget(self.edit, 1)
        line.addWidget(self.calendar_button)
        line.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(line)
        layout.addWidget(self.note)
        self.clear_button.setHidden(not clearable)  # parented first: never a window of its own
        self.setFocusProxy(self.edit)

        self.calendar = QCalendarWidget()
        # English day and month names, the week from Monday, whatever the desktop's language.
        self.calendar.setLocale(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setGridVisible(True)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.setAccessibleName("Calendar")
        self._menu = QMenu(self)
        holder = QWidgetAction(self._menu)
        holder.setDefaultWidget(self.calendar)
        self._menu.addAction(holder)
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)

        self.edit.returnPressed.connect(self._finish)
        self.edit.left.connect(self._finish)
        self.edit.step.connect(self._step)
        self.edit.revert.connect(self._revert)
        self.edit.open_calendar.connect(self.open_calendar)
        self.calendar_button.clicked.connect(self.open_calendar)
        self.clear_button.clicked.connect(self._clear)
        self._show_text()

    # -- reading and showing -------------------------------------------------------------------

    def value(self) -> date | None:
        """The last good date (None: no date); text being typed counts once it is finished."""
        return self._value

    def set_value(self, value: date | None) -> None:
        """Show a stored value (no signal); also what a later commit is compared with. Text the
        person is part-way through typing here is left alone."""
        if value != self._value:
            self._set_problem("")
        self._value = value
        if not (self.edit.hasFocus() and self.edit.isModified()):
            self._show_text()

    def text(self) -> str:
        """What the field shows: the date as people read it, or what is being typed."""
        return self.edit.text()

    def set_warning(self, text: str) -> None:
        """A plain warning under the field ("" for none); it refuses nothing."""
        self._warning = text
        self._update_note()

    def problem(self) -> str:
        """What was wrong with the last text typed, or ""."""
        return self._problem

    def warning(self) -> str:
        return self._warning

    def _show_text(self) -> None:
        self.edit.setText(format_date(self._value))
        self.edit.setModified(False)
        self._update_clear()

    def _update_clear(self) -> None:
        self.clear_button.setEnabled(self.isEnabled() and self._value is not None)

    def _set_problem(self, text: str) -> None:
        self._problem = text
        self._update_note()

    def _update_note(self) -> None:
        text = self._problem or self._warning
        colour = DISAGREEMENT_COLOUR if self._problem else WARNING_COLOUR
        self.note.setStyleSheet(f"color: {colour};")
        self.note.setText(text)
        self.note.setVisible(bool(text))
        self.edit.setAccessibleDescription(text or f"Type a date as {DATE_FORMS}.")

    # -- what the person does ------------------------------------------------------------------

    def finish(self) -> bool:
        """Read what was typed, as Enter or leaving the field does; False (and the reason
        under the field) when it is not a date."""
        if not self.edit.isModified() and self.edit.text() == format_date(self._value):
            return True
        try:
            chosen = parse_date(self.edit.text(), self._today)
        except DateError as refused:
            self._set_problem(f"{refused} Still {format_date(self._value, 'no date')}.")
            if self.edit.hasFocus():
                self.edit.selectAll()  # still here: type over it
            else:
                self._show_text()  # gone elsewhere: the field shows the date that stands
            return False
        self._set_problem("")
        self._choose(chosen)
        return True

    def _finish(self) -> None:
        self.finish()

    def _step(self, days: int) -> None:
        """Up or Down: the date written in the field a day later or earlier; nothing on an
        empty field or on text that is not a date (that is said when the edit finishes)."""
        try:
            written = parse_date(self.edit.text(), self._today)
        except DateError:
            return
        if written is None:
            return
        try:
            stepped = written + timedelta(days=days)
        except OverflowError:
            return
        self.edit.setText(format_date(stepped))
        self.edit.setModified(True)  # kept when the field is left, or on Enter

    def _revert(self) -> None:
        self._set_problem("")
        self._show_text()
        self.edit.selectAll()

    def _clear(self) -> None:
        self._set_problem("")
        self._choose(None)
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def open_calendar(self) -> None:
        shown = self._value or self._today or date.today()
        self.calendar.setSelectedDate(shown)
        self.calendar.setCurrentPage(shown.year, shown.month)
        self._menu.popup(self.edit.mapToGlobal(QPoint(0, self.edit.height())))
        self.calendar.setFocus(Qt.FocusReason.PopupFocusReason)

    def _picked(self, picked: object) -> None:
        self._menu.close()
        chosen = picked.toPython() if hasattr(picked, "toPython") else picked
        self._set_problem("")
        self._choose(chosen if isinstance(chosen, date) else None)
        self.edit.setFocus(Qt.FocusReason.PopupFocusReason)

    def _choose(self, chosen: date | None) -> None:
        changed = chosen != self._value
        self._value = chosen
        self._show_text()
        if changed:
            self.committed.emit(chosen)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.EnabledChange:
            self._update_clear()
