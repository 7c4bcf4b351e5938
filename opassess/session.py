"""An open workshop being edited: apply an edit, persist it, remember it for undo.

This is the one path by which anything changes a stored workshop. The edit is computed first
(a rule broken raises before anything is written), then persisted in one transaction, and only
then becomes the current value and an undo step, so the screen never shows an unsaved state.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Concatenate, ParamSpec

from opassess.changes import WorkshopChange, changes_between
from opassess.history import History
from opassess.workshop import Workshop

if TYPE_CHECKING:
    from opassess.store import Library

P = ParamSpec("P")


class EditSession:
    def __init__(self, library: Library, workshop: Workshop, history: History | None = None):
        self._library = library
        self._workshop = workshop
        self.history = history or History()

    @classmethod
    def open(cls, library: Library, workshop_id: str) -> EditSession:
        return cls(library, library.load(workshop_id))

    @property
    def workshop(self) -> Workshop:
        return self._workshop

    def apply(
        self,
        label: str,
        edit: Callable[Concatenate[Workshop, P], Workshop],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> WorkshopChange:
        """Run `edit(workshop, *args, **kwargs)`, save the result, and record it for undo.

        Returns what changed (empty when the edit changed nothing: no undo step, no write).
        """
        before = self._workshop
        after = edit(before, *args, **kwargs)
        change = changes_between(before, after)
        if not change:
            return change
        self._library.save_change(before, after, change)
        self._workshop = after
        self.history.record(label, before, after)
        return change

    def undo(self) -> WorkshopChange:
        step = self.history.peek_undo()
        change = self._restore(step.before)
        self.history.commit_undo()
        return change

    def redo(self) -> WorkshopChange:
        step = self.history.peek_redo()
        change = self._restore(step.after)
        self.history.commit_redo()
        return change

    def _restore(self, value: Workshop) -> WorkshopChange:
        change = changes_between(self._workshop, value)
        if change:
            self._library.save_change(self._workshop, value, change)
        self._workshop = value
        return change

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"EditSession({self._workshop.title!r}, undo={self.history.undo_label!r})"
