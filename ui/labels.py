"""Labels that give way to the window rather than hold it open."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QWidget


class ElidedLabel(QLabel):
    """One line of plain text, cut with an ellipsis when there is no room for all of it.

    A plain QLabel is never narrower than its text, so a long workshop title would hold the
    window wider than a small screen at 200% scaling. The whole text stays in text(), the
    tooltip (when cut) and the accessible name.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full_text = ""
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(text)

    def text(self) -> str:  # type: ignore[override]
        return self._full_text

    def setText(self, text: str) -> None:  # type: ignore[override]
        self._full_text = text
        self.setAccessibleName(text)
        self._show_what_fits()
        self.updateGeometry()

    def sizeHint(self) -> QSize:
        margins = self.contentsMargins()
        width = self.fontMetrics().horizontalAdvance(self._full_text)
        return QSize(width + margins.left() + margins.right(), super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:
        room_for_a_word = self.fontMetrics().horizontalAdvance("Wor…")
        return QSize(room_for_a_word, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._show_what_fits()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._show_what_fits()
            self.updateGeometry()

    def _show_what_fits(self) -> None:
        shown = self.fontMetrics().elidedText(
            self._full_text, Qt.TextElideMode.ElideRight, self.contentsRect().width()
        )
        super().setText(shown)
        self.setToolTip(self._full_text if shown != self._full_text else "")
