"""The keyboard shortcuts dialog (Help ▸ Keyboard shortcuts, Ctrl+/)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

SHORTCUTS = (
    ("Ctrl+N", "New workshop"),
    ("Ctrl+I", "Import session files"),
    ("Ctrl+E", "Export this workshop as a session file"),
    ("Ctrl+L", "Back to the library"),
    ("Ctrl+Z", "Undo"),
    ("Ctrl+Shift+Z / Ctrl+Y", "Redo"),
    ("Ctrl+1 … Ctrl+6", "Go to a step: Setup, Explain, Rate, Consensus, Plan, Review"),
    ("Ctrl+PgDown / Ctrl+PgUp", "Next / previous step"),
    ("F5", "Projector view on or off; Esc leaves it"),
    ("Ctrl+F", "Search the library"),
    ("Delete", "Delete the selected workshop (with undo)"),
    ("Fast entry: 1 2 3", "Record a stage and move to the next cell"),
    ("Fast entry: 0 or N", "Record “not sure”"),
    ("Fast entry: Enter", "Type the evidence for the cell"),
    ("Fast entry: Delete", "Clear the cell's rating"),
    ("Consensus: Alt+Up / Alt+Down", "Previous / next barrier"),
    ("Private rating: 1 2 3 / 0", "Choose a stage / not sure; Ctrl+Enter for the next barrier"),
    ("F1", "The facilitator's guide, open at the current step"),
    ("Ctrl+/", "This list"),
)


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(640, 520)
        table = QTableWidget(len(SHORTCUTS), 2)
        table.setHorizontalHeaderLabels(["Keys", "What they do"])
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (keys, meaning) in enumerate(SHORTCUTS):
            table.setItem(row, 0, QTableWidgetItem(keys))
            table.setItem(row, 1, QTableWidgetItem(meaning))
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
