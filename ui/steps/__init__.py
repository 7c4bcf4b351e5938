"""The guided steps: Setup, Explain, Rate, Consensus, Plan, Review.

Each step is a StepPage: it receives its controller in the constructor, subscribes to it there,
and redraws from `controller.workshop` whenever the workshop changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import QLocale, Signal
from PySide6.QtWidgets import QDateEdit, QWidget

if TYPE_CHECKING:
    from opassess.changes import WorkshopChange
    from ui.controller import WorkshopController


class StepPage(QWidget):
    title: ClassVar[str] = ""
    # What the step is for, shown under the step bar; one sentence.
    purpose: ClassVar[str] = ""

    undo_pause_changed = Signal()  # undo_paused() may say something new
    projector_changed = Signal()  # projector_html() may say something new

    def __init__(self, controller: WorkshopController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        controller.changed.connect(self.on_workshop_changed)

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


def english_dates(edit: QDateEdit, display_format: str) -> None:
    """Show `edit`'s date in `display_format` with English month and day names, as every date
    the program shows is (opassess.wording.format_date), whatever the desktop's language; its
    calendar pop-up follows."""
    edit.setLocale(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    edit.setDisplayFormat(display_format)
