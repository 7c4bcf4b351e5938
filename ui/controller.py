"""Controllers: the only way the windows change a workshop or the library.

A widget calls one method with the user's intent; the controller applies it through the core
(which checks the rules and commits it to disk), then emits a signal that the views redraw from.
Errors a person can act on come back as a `failed` signal with a plain message, never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from opassess.changes import WorkshopChange
from opassess.session import EditSession
from opassess.store import LibraryError
from opassess.workshop import TargetBelowConsensus, Workshop, WorkshopError

Confirm = Callable[[str], bool]


class WorkshopController(QObject):
    """One open workshop: edits, undo/redo, and the facilitator's view state."""

    changed = Signal(object)  # WorkshopChange: what the last edit, undo or redo touched
    history_changed = Signal()  # undo/redo availability or labels changed
    saved = Signal(str)  # a short status: what was saved
    failed = Signal(str)  # a message for the user; nothing was changed
    revealed_changed = Signal(bool)  # the team's ratings shown or hidden on shared screens
    barrier_selected = Signal(str)  # the barrier under discussion (mirrored on the projector)

    def __init__(
        self, session: EditSession, confirm: Confirm | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._confirm = confirm or (lambda _message: False)
        self._revealed = False
        self._barrier = session.workshop.scope[0] if session.workshop.scope else ""

    @property
    def workshop(self) -> Workshop:
        return self._session.workshop

    # -- edits ------------------------------------------------------------------------------------

    def apply(self, label: str, edit: Callable[..., Workshop], *args: Any, **kwargs: Any) -> bool:
        """Apply one edit; True when it was made (or changed nothing), False when refused."""
        try:
            change = self._session.apply(label, edit, *args, **kwargs)
        except TargetBelowConsensus as question:
            if not self._confirm(str(question)):
                return False
            return self.apply(label, edit, *args, **{**kwargs, "confirm_below": True})
        except WorkshopError as refusal:
            self.failed.emit(str(refusal))
            return False
        except (LibraryError, OSError) as problem:
            self.failed.emit(f"Not saved: {problem}")
            return False
        self._announce(change, f"Saved: {label}")
        return True

    def undo(self) -> None:
        if self._session.history.can_undo:
            label = self._session.history.undo_label
            self._guarded(self._session.undo, f"Undone: {label}")

    def redo(self) -> None:
        if self._session.history.can_redo:
            label = self._session.history.redo_label
            self._guarded(self._session.redo, f"Redone: {label}")

    @property
    def undo_label(self) -> str | None:
        return self._session.history.undo_label

    @property
    def redo_label(self) -> str | None:
        return self._session.history.redo_label

    # -- view state shared by the steps and the projector ------------------------------------------

    @property
    def revealed(self) -> bool:
        return self._revealed

    def set_revealed(self, revealed: bool) -> None:
        if revealed != self._revealed:
            self._revealed = revealed
            self.revealed_changed.emit(revealed)

    @property
    def selected_barrier(self) -> str:
        return self._barrier

    def select_barrier(self, dimension_id: str) -> None:
        if dimension_id != self._barrier and dimension_id in self.workshop.scope:
            self._barrier = dimension_id
            self.barrier_selected.emit(dimension_id)

    # -- internals --------------------------------------------------------------------------------

    def _guarded(self, step: Callable[[], WorkshopChange], status: str) -> None:
        try:
            change = step()
        except (LibraryError, OSError) as problem:
            self.failed.emit(f"Not saved: {problem}")
            return
        self._announce(change, status)

    def _announce(self, change: WorkshopChange, status: str) -> None:
        if change.scope and self._barrier not in self.workshop.scope and self.workshop.scope:
            self._barrier = self.workshop.scope[0]
            self.barrier_selected.emit(self._barrier)
        if change:
            self.changed.emit(change)
            self.saved.emit(status)
        self.history_changed.emit()
