"""The guided steps: Setup, Explain, Rate, Consensus, Plan, Review.

Each step is a StepPage: it receives its controller in the constructor, subscribes to it there,
and redraws from `controller.workshop` whenever the workshop changes. What a page says follows the
open workshop's framework: its word for a barrier, a stage, a re-assessment (Framework.terms).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMessageBox, QWidget

if TYPE_CHECKING:
    from opassess.changes import WorkshopChange
    from opassess.frameworks import Terms
    from ui.controller import WorkshopController


def in_words(template: str, terms: Terms) -> str:
    """`template` with the framework's words put in: {dimension}, {dimensions}, {level},
    {levels}, {reassessment}, {suggestion}, {suggestions}, and {Dimension} and so on for a
    word that starts a sentence."""
    from opassess.frameworks import capitalised  # with the workshop: kept off start-up

    words = dataclasses.asdict(terms)
    words.update({name.capitalize(): capitalised(value) for name, value in words.items()})
    return template.format(**words)


def number_keys(count: int, conjunction: str = "") -> str:
    """The digit keys that choose one of `count` stages: '1, 2, 3', or with a conjunction
    '1, 2 or 3'; '1 to 9' past nine (only nine digits have keys)."""
    if count > 9:
        return "1 to 9"
    digits = [str(n) for n in range(1, max(count, 1) + 1)]
    if len(digits) == 1 or not conjunction:
        return ", ".join(digits)
    return f"{', '.join(digits[:-1])} {conjunction} {digits[-1]}"


class StepPage(QWidget):
    title: ClassVar[str] = ""
    # What the step is for, shown under the step bar; one sentence, worded by in_words.
    purpose_template: ClassVar[str] = ""

    undo_pause_changed = Signal()  # undo_paused() may say something new
    projector_changed = Signal()  # projector_html() may say something new

    def __init__(self, controller: WorkshopController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        controller.changed.connect(self.on_workshop_changed)

    @property
    def terms(self) -> Terms:
        """The open workshop's words for what it rates, its stages and the rest."""
        return self.controller.workshop.framework.terms

    @property
    def purpose(self) -> str:
        """What the step is for, in the open workshop's words."""
        return in_words(self.purpose_template, self.terms)

    def on_workshop_changed(self, change: WorkshopChange) -> None:
        """Redraw after an edit, undo or redo; override to redraw only what `change` touches."""
        self.refresh()

    def refresh(self) -> None:
        """Redraw everything from controller.workshop."""

    def entered(self) -> None:
        """Called when the facilitator moves to this step."""

    def left(self) -> None:
        """Called when the facilitator moves away (e.g. private rating clears its screen)."""

    def closing(self) -> None:
        """Called once when the workshop closes (or the app quits): stop what runs in the
        background, such as the Rate step's room."""

    def undo_paused(self) -> str:
        """Why undo and redo are off while this step shows, or "" when they are on."""
        return ""

    def projector_html(self) -> str | None:
        """What the projector shows for this step, as simple HTML in large type; None when the
        step has its own projector view (the wall chart). Never a private rating."""
        return None


def ask_with_safe_default(
    parent: QWidget, title: str, text: str, informative: str, go: str, stay: str
) -> bool:
    """A question whose safe answer (`stay`) is what Enter and Esc give, so nobody does the
    unsafe thing (ending private rating, revealing early) by a key pressed in passing. True
    only when `go` was pressed."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    if informative:
        box.setInformativeText(informative)
    go_button = box.addButton(go, QMessageBox.ButtonRole.AcceptRole)
    stay_button = box.addButton(stay, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(stay_button)
    box.setEscapeButton(stay_button)
    box.exec()
    return box.clickedButton() is go_button
