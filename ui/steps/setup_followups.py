"""At the start of a re-assessment: what became of each action agreed last time.

One row per earlier action: what it was, who was responsible, and a choice (done, partly done,
not done, dropped) with a note. Each choice is an edit of this workshop (`record_follow_up`),
saved at once and undoable like any other, and the series page and the roll-up read it back.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QWidget,
)

from opassess.wording import FOLLOW_UP_LABELS, NOT_MARKED_LABEL, format_date
from opassess.workshop import Workshop, record_follow_up
from ui.controller import WorkshopController

OUTCOME_CHOICES = (
    ("", NOT_MARKED_LABEL),
    *FOLLOW_UP_LABELS.items(),
)  # the words every surface uses


class FollowUpPanel(QGroupBox):
    """Last time's actions with what became of them; hidden unless this is a re-assessment
    whose earlier workshop is still in the library."""

    def __init__(
        self,
        controller: WorkshopController,
        load_previous: Callable[[str], Workshop | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("What became of last time's actions", parent)
        self.controller = controller
        self._load_previous = load_previous
        self.grid = QGridLayout(self)
        self.outcomes: dict[str, QComboBox] = {}
        self.notes: dict[str, QLineEdit] = {}
        self._previous_id: str | None = None
        self.rebuild()

    def rebuild(self) -> None:
        """Rows for the earlier workshop's actions (again only if that workshop changed)."""
        workshop = self.controller.workshop
        previous = self._load_previous(workshop.reassesses) if workshop.reassesses else None
        self.setVisible(previous is not None and any(previous.actions.values()))
        if previous is None or previous.id == self._previous_id:
            self.refresh()
            return
        self._previous_id = previous.id
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()
        self.outcomes.clear()
        self.notes.clear()
        held = format_date(previous.held_on, "last time")
        intro = QLabel(
            f"Agreed at “{previous.title}” ({held}). Mark each before the team rates again: "
            "it keeps the conversation honest, and the page of the team over time shows it."
        )
        intro.setWordWrap(True)
        self.grid.addWidget(intro, 0, 0, 1, 3)
        row = 1
        names = {d.id: d.name for d in previous.framework.dimensions}
        for dimension_id, actions in previous.actions.items():
            for action in actions:
                who = f" ({action.responsible})" if action.responsible else ""
                text = QLabel(f"<b>{_e(names.get(dimension_id, ''))}</b>: {_e(action.text)}{who}")
                text.setWordWrap(True)
                choice = QComboBox()
                for value, label in OUTCOME_CHOICES:
                    choice.addItem(label, value)
                choice.setAccessibleName(f"What became of: {action.text}")
                note = QLineEdit()
                note.setPlaceholderText("A note (optional)")
                note.setAccessibleName(f"Note on: {action.text}")
                choice.activated.connect(lambda _i, a=action.id: self._save(a))
                note.editingFinished.connect(lambda a=action.id: self._save(a))
                self.grid.addWidget(text, row, 0)
                self.grid.addWidget(choice, row, 1)
                self.grid.addWidget(note, row, 2)
                self.outcomes[action.id] = choice
                self.notes[action.id] = note
                row += 1
        self.grid.setColumnStretch(0, 3)
        self.grid.setColumnStretch(2, 2)
        self.refresh()

    def refresh(self) -> None:
        followups = self.controller.workshop.followups
        for action_id, choice in self.outcomes.items():
            marked = followups.get(action_id)
            index = choice.findData(marked.outcome if marked else "")
            choice.blockSignals(True)
            choice.setCurrentIndex(max(0, index))
            choice.blockSignals(False)
            note = self.notes[action_id]
            wanted = marked.note if marked else ""
            if note.text() != wanted and not note.hasFocus():
                note.setText(wanted)

    def _save(self, action_id: str) -> None:
        outcome = self.outcomes[action_id].currentData() or None
        note = self.notes[action_id].text()
        current = self.controller.workshop.followups.get(action_id)
        if outcome is None and current is None:
            return  # a note with nothing marked waits for the choice
        if current is not None and current.outcome == outcome and current.note == note.strip():
            return
        self.controller.apply(
            "What became of an action", record_follow_up, action_id, outcome, note
        )


def _e(text: str) -> str:
    from html import escape

    return escape(text)
