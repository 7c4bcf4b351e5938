"""Undo and redo, owned by the core: a stack of earlier workshop values with a label each."""

from __future__ import annotations

from dataclasses import dataclass

from opassess.workshop import Workshop

DEFAULT_DEPTH = 500


@dataclass(frozen=True)
class Step:
    label: str
    before: Workshop
    after: Workshop


class History:
    """Undo and redo steps for one open workshop; edits share structure, so steps are cheap."""

    def __init__(self, depth: int = DEFAULT_DEPTH) -> None:
        self._undo: list[Step] = []
        self._redo: list[Step] = []
        self._depth = depth

    def record(self, label: str, before: Workshop, after: Workshop) -> None:
        """Remember an edit that has been applied; a new edit forgets what could be redone."""
        self._undo.append(Step(label, before, after))
        if len(self._undo) > self._depth:
            del self._undo[0]
        self._redo.clear()

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    @property
    def undo_label(self) -> str | None:
        return self._undo[-1].label if self._undo else None

    @property
    def redo_label(self) -> str | None:
        return self._redo[-1].label if self._redo else None

    def peek_undo(self) -> Step:
        if not self._undo:
            raise IndexError("nothing to undo")
        return self._undo[-1]

    def peek_redo(self) -> Step:
        if not self._redo:
            raise IndexError("nothing to redo")
        return self._redo[-1]

    def commit_undo(self) -> Step:
        """Move the newest step to the redo stack, once its undo has been applied and saved."""
        step = self._undo.pop()
        self._redo.append(step)
        return step

    def commit_redo(self) -> Step:
        step = self._redo.pop()
        self._undo.append(step)
        return step

    def clear(self) -> None:
        self._undo.clear()
        self._redo.clear()
