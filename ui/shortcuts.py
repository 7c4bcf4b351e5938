"""The keyboard shortcuts dialog (Help ▸ Keyboard shortcuts, Ctrl+/)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from opassess.frameworks import Framework


def shortcuts(framework: Framework | None = None) -> tuple[tuple[str, str], ...]:
    """Every shortcut and what it does, in the words of the open workshop's framework (the
    breakthrough model's when none is open): its word for a barrier and a stage, and a digit
    key for each of its stages."""
    dimension, level = "barrier", "stage"
    count = 3
    if framework is not None:
        dimension, level = framework.terms.dimension, framework.terms.level
        count = len(framework.levels)
    digits = " ".join(str(n) for n in range(1, min(count, 9) + 1))
    return (
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
        (f"Fast entry: {digits}", f"Record a {level} and move to the next cell"),
        ("Fast entry: 0 or N", "Record “not sure”"),
        ("Fast entry: Enter", "Type the evidence for the cell"),
        ("Fast entry: Delete", "Clear the cell's rating"),
        ("Consensus: Alt+Up / Alt+Down", f"Previous / next {dimension}"),
        (
            f"Private rating: {digits} / 0",
            f"Choose a {level} / not sure; Ctrl+Enter for the next {dimension}",
        ),
        (
            "During private rating",
            "The step, projector, export and undo keys are off until the facilitator takes "
            "the laptop back",
        ),
        ("F1", "The facilitator's guide, open at the current step"),
        ("Ctrl+/", "This list"),
    )


SHORTCUTS = shortcuts()


class ShortcutsDialog(QDialog):
    """The shortcuts as a table; given the open workshop's framework, in its words."""

    def __init__(self, parent: QWidget | None = None, framework: Framework | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(640, 520)
        listed = shortcuts(framework)
        table = QTableWidget(len(listed), 2)
        table.setHorizontalHeaderLabels(["Keys", "What they do"])
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (keys, meaning) in enumerate(listed):
            table.setItem(row, 0, QTableWidgetItem(keys))
            table.setItem(row, 1, QTableWidgetItem(meaning))
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
