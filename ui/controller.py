"""Controllers: the only way the windows change a workshop or the library.

A widget calls one method with the user's intent; the controller applies it through the core
(which checks the rules and commits it to disk), then emits a signal that the views redraw from.
Errors a person can act on come back as a `failed` signal with a plain message, never a traceback.
"""

from __future__ import annotations

import errno
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from opassess.files import plain_os_reason
from opassess.store import Library, LibraryError, WorkshopSummary

# The workshop model, its edit session and session files are imported where they are used: the
# home window needs none of them, and their import is a cost at start-up.
if TYPE_CHECKING:
    from opassess.changes import WorkshopChange
    from opassess.framework_library import FrameworkEntry
    from opassess.frameworks import Framework
    from opassess.gathering import GatherChoice, GatherPlan, GatherSummary
    from opassess.rollup import Series
    from opassess.services import ChooseOnConflict
    from opassess.session import EditSession
    from opassess.workshop import Workshop

Confirm = Callable[[str], bool]

# Said when something would show the team's ratings while the laptop goes round.
PRIVATE_LOCKED = (
    "Private rating is under way: the other steps, Fast entry and anything that shows the "
    "team's ratings stay locked until the facilitator takes the laptop back."
)


def not_saved_message(problem: LibraryError | OSError) -> str:
    """Why a change could not be written, and what to do, for a change the screen still shows."""
    if isinstance(problem, OSError):
        reason = plain_os_reason(problem, "write")
        if problem.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", None)):
            advice = "Free some space on the disk"
        elif problem.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            advice = "Make sure the OpAssess data folder can be written to"
        else:
            advice = "Check the disk"
        return (
            f"This change could not be saved: {reason} It is not in the workshop yet. "
            f"{advice}, then make the change again; everything before it is safe."
        )
    text = str(problem)
    # The library's own messages already say plainly that the change was not saved.
    if "not saved" in text.lower():
        return f"{text} Everything before it is safe; make the change again once that is fixed."
    return f"This change could not be saved: {text}"


class WorkshopController(QObject):
    """One open workshop: edits, undo/redo, and the facilitator's view state."""

    changed = Signal(object)  # WorkshopChange: what the last edit, undo or redo touched
    history_changed = Signal()  # undo/redo availability or labels changed
    saved = Signal(str)  # a short status: what was saved
    failed = Signal(str)  # a message for the user; nothing was changed
    save_failed = Signal(str)  # the change could not be written (also sent as `failed`)
    revealed_changed = Signal(bool)  # the team's ratings shown or hidden on shared screens
    barrier_selected = Signal(str)  # the barrier under discussion (mirrored on the projector)
    # The laptop is going round for private rating: every view that could show a rating, or
    # lead to one, locks until the facilitator takes the laptop back.
    private_session_changed = Signal(bool)

    def __init__(
        self, session: EditSession, confirm: Confirm | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._confirm = confirm or (lambda _message: False)
        self._revealed = False
        self._private = False
        self._barrier = session.workshop.scope[0] if session.workshop.scope else ""

    @property
    def workshop(self) -> Workshop:
        return self._session.workshop

    # -- edits ------------------------------------------------------------------------------------

    def apply(self, label: str, edit: Callable[..., Workshop], *args: Any, **kwargs: Any) -> bool:
        """Apply one edit; True when it was made (or changed nothing), False when refused."""
        from opassess.workshop import TargetBelowConsensus, WorkshopError

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
            self._not_saved(problem)
            return False
        self._announce(change, f"Saved: {label}")
        return True

    def apply_from_elsewhere(self, label: str, edit: Callable[..., Workshop], *args: Any) -> None:
        """An edit sent from another device (a phone in the room): saved and redrawn like any
        other, but a refusal goes back to the sender as WorkshopError instead of onto this
        screen. A failure to save is shown here too, since the library is this laptop's."""
        try:
            change = self._session.apply(label, edit, *args)
        except (LibraryError, OSError) as problem:
            self._not_saved(problem)
            raise
        self._announce(change, f"Saved: {label}")

    def undo(self) -> None:
        # The last edit may be the previous person's rating.
        if self._session.history.can_undo and not self._private:
            label = self._session.history.undo_label
            self._guarded(self._session.undo, f"Undone: {label}")

    def redo(self) -> None:
        if self._session.history.can_redo and not self._private:
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
        """Show or hide the team's ratings on shared screens; never shown during private
        rating (see `reveal` for the question asked when someone has not finished)."""
        if revealed and self._private:
            self.failed.emit(PRIVATE_LOCKED)
            return
        if revealed != self._revealed:
            self._revealed = revealed
            self.revealed_changed.emit(revealed)

    def reveal(self, ask: Confirm | None = None) -> bool:
        """Reveal the ratings, asking first (`ask`, else the controller's confirm) when someone
        has still to rate every barrier. True when they are now revealed."""
        if self._private:
            self.failed.emit(PRIVATE_LOCKED)
            return False
        if not self._revealed:
            from opassess.wording import reveal_question

            question = reveal_question(self.workshop)
            if question is not None and not (ask or self._confirm)(question):
                return False
            self.set_revealed(True)
        return self._revealed

    @property
    def private_session(self) -> bool:
        """Whether the laptop is with the participants for private rating."""
        return self._private

    def begin_private_session(self) -> None:
        """Someone has chosen their name to rate: hide the ratings and lock every way to them
        until `end_private_session`, whoever picks the laptop up next."""
        self.set_revealed(False)
        if not self._private:
            self._private = True
            self.private_session_changed.emit(True)
            self.history_changed.emit()

    def end_private_session(self) -> None:
        """The facilitator has taken the laptop back."""
        if self._private:
            self._private = False
            self.private_session_changed.emit(False)
            self.history_changed.emit()

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
            self._not_saved(problem)
            return
        self._announce(change, status)

    def _not_saved(self, problem: LibraryError | OSError) -> None:
        message = not_saved_message(problem)
        self.save_failed.emit(message)
        self.failed.emit(message)

    def _announce(self, change: WorkshopChange, status: str) -> None:
        if change.scope and self._barrier not in self.workshop.scope and self.workshop.scope:
            self._barrier = self.workshop.scope[0]
            self.barrier_selected.emit(self._barrier)
        if change:
            self.changed.emit(change)
            self.saved.emit(status)
        self.history_changed.emit()


class LibraryController(QObject):
    """The workshop library as the home page uses it: list, create, import, export, delete."""

    listing_changed = Signal()
    frameworks_changed = Signal()  # a team's framework saved, imported or deleted
    failed = Signal(str)
    notice = Signal(str)

    def __init__(self, library: Library, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self._deleted: list[Workshop] = []

    def summaries(self, search: str = "") -> list[WorkshopSummary]:
        return self.library.list_workshops(search)

    def open_session(self, workshop_id: str) -> EditSession | None:
        from opassess.session import EditSession

        try:
            return EditSession.open(self.library, workshop_id)
        except LibraryError as problem:
            self.failed.emit(str(problem))
            return None

    def load(self, workshop_id: str) -> Workshop | None:
        try:
            return self.library.load(workshop_id)
        except LibraryError:
            return None

    def create(self, title: str = "New workshop", framework: Framework | None = None) -> str | None:
        """A new workshop held today, on `framework` (the breakthrough model unless another is
        chosen); returns its id."""
        from opassess.frameworks import default_framework
        from opassess.workshop import new_workshop

        workshop = new_workshop(framework or default_framework(), title=title, held_on=date.today())
        return self._add(workshop, f"Created “{workshop.title}”")

    # -- frameworks -----------------------------------------------------------------------------

    def frameworks(self) -> list[FrameworkEntry]:
        """Every framework to choose from, built-in first; only the built-in ones if the library
        cannot be read just now (the failure is said)."""
        from opassess.framework_library import available_frameworks

        try:
            return available_frameworks(self.library)
        except LibraryError as problem:
            self.failed.emit(str(problem))
            return available_frameworks(None)

    def save_framework(self, framework: Framework) -> str | None:
        """Check and keep a team's framework; returns what is wrong with it, None once saved."""
        from opassess.framework_library import save_framework
        from opassess.frameworks import FrameworkError

        try:
            saved = save_framework(self.library, framework)
        except (FrameworkError, LibraryError) as problem:
            return str(problem)
        self.frameworks_changed.emit()
        self.notice.emit(f"Saved the framework “{saved.title}”")
        return None

    def delete_framework(self, framework_id: str) -> Framework | None:
        from opassess.framework_library import delete_framework
        from opassess.frameworks import FrameworkError

        try:
            removed = delete_framework(self.library, framework_id)
        except (FrameworkError, LibraryError) as problem:
            self.failed.emit(str(problem))
            return None
        self.frameworks_changed.emit()
        self.notice.emit(f"Deleted the framework “{removed.title}”")
        return removed

    def import_framework(
        self, path: Path, replace: Callable[[Framework, Framework], bool]
    ) -> Framework | None:
        """Add a framework file, all or nothing; `replace(existing, incoming)` is asked when one
        of the team's own has its id. Returns what was imported."""
        from opassess.framework_library import FrameworkExists, import_framework_file
        from opassess.frameworks import FrameworkError

        try:
            try:
                imported = import_framework_file(self.library, path)
            except FrameworkExists as exists:
                if not replace(exists.existing, exists.incoming):
                    return None
                imported = import_framework_file(self.library, path, replace_existing=True)
        except (FrameworkError, LibraryError) as problem:
            self.failed.emit(f"Not imported: {problem}")
            return None
        self.frameworks_changed.emit()
        self.notice.emit(f"Imported the framework “{imported.title}”")
        return imported

    def export_framework(self, framework: Framework, path: Path) -> bool:
        from opassess.framework_library import export_framework_file
        from opassess.frameworks import FrameworkError

        try:
            export_framework_file(framework, path)
        except FrameworkError as problem:
            self.failed.emit(f"Not saved: {problem}")
            return False
        self.notice.emit(f"Saved “{framework.title}” as {path.name}")
        return True

    def add_demo(self) -> str | None:
        """The demo workshop, added once; returns its id."""
        from opassess.demo import demo_workshop

        demo = demo_workshop()
        for summary in self.summaries():
            if summary.title == demo.title and summary.organisation == demo.organisation:
                return summary.id
        return self._add(demo, "Added the demo workshop")

    def add_demo_organisation(self, teams: int = 6) -> int:
        """Demo teams of one organisation, each assessed twice: to try comparing teams and
        following one over time. Returns how many workshops were added."""
        from opassess.demo import demo_organisation

        workshops = demo_organisation(teams)
        try:
            self.library.add_many(workshops)
        except LibraryError as problem:
            self.failed.emit(str(problem))
            return 0
        self.listing_changed.emit()
        self.notice.emit(f"Added {teams} demo teams, each assessed twice")
        return len(workshops)

    def start_reassessment(
        self,
        workshop_id: str,
        choose_version: Callable[[Framework, Framework], Framework | None] | None = None,
    ) -> str | None:
        """A new workshop that re-assesses an earlier one, held today; returns its id.

        When the library's version of the framework differs from the copy the earlier workshop
        used, `choose_version(last_copy, current)` picks one (None cancels); without it, the
        earlier copy is kept, as the team adapted it.
        """
        from opassess.workshop import start_reassessment

        earlier = self.load(workshop_id)
        if earlier is None:
            self.failed.emit("That workshop is no longer in the library.")
            return None
        framework = earlier.framework
        current = next(
            (e.framework for e in self.frameworks() if e.framework.id == framework.id), None
        )
        if current is not None and current != framework and choose_version is not None:
            chosen = choose_version(framework, current)
            if chosen is None:
                return None
            framework = chosen
        later = start_reassessment(earlier, held_on=date.today(), framework=framework)
        word = framework.terms.reassessment
        return self._add(later, f"Started a {word} of “{earlier.title}”")

    def import_files(self, paths: list[Path], ask: ChooseOnConflict) -> list[str]:
        """Import session files one by one; each is all-or-nothing. Returns the imported ids."""
        from opassess.interchange import SessionFileError
        from opassess.services import import_session

        imported = []
        for path in paths:
            try:
                result = import_session(self.library, path, ask)
            except (SessionFileError, LibraryError) as problem:
                self.failed.emit(f"Not imported: {problem}")
                continue
            if result is None:
                continue
            imported.append(result.workshop_id)
            self.notice.emit(f"Imported “{result.title}”")
        if imported:
            self.listing_changed.emit()
        return imported

    def series(self, workshop_id: str) -> Series | None:
        """The workshop and all its re-assessments, first held first (opassess.rollup)."""
        from opassess.rollup import build_series, series_ids

        try:
            ids = series_ids(self.library.list_workshops(), workshop_id)
            return build_series([self.library.load(i) for i in ids])
        except (KeyError, LibraryError):
            self.failed.emit("That workshop is no longer in the library.")
            return None

    def gather(
        self, paths: list[Path], choose: Callable[[GatherPlan], GatherChoice | None]
    ) -> GatherSummary | None:
        """Many session files or folders at once (see opassess.gathering); `choose` is asked
        once when some workshops differ from the library's, None cancelling them all."""
        from opassess.gathering import gather, plan_gathering, session_files

        try:
            plan = plan_gathering(self.library, session_files(paths))
            choice: GatherChoice = "keep-library"
            if plan.different:
                picked = choose(plan)
                if picked is None:
                    return None
                choice = picked
            summary = gather(self.library, plan, choice)
        except LibraryError as problem:
            self.failed.emit(str(problem))
            return None
        if summary.changed:
            self.listing_changed.emit()
        return summary

    def earlier_workshop(self, workshop: Workshop) -> Workshop | None:
        """The workshop `workshop` re-assesses, if the library still has it (for the movement
        since then); None too when the library cannot be read just now."""
        from opassess.services import earlier_workshop

        try:
            return earlier_workshop(self.library, workshop)
        except LibraryError:
            return None

    def delete(self, workshop_id: str) -> str | None:
        """Delete a workshop, keeping it in memory so `undo_delete` can bring it back."""
        try:
            removed = self.library.delete(workshop_id)
        except LibraryError as problem:
            self.failed.emit(str(problem))
            return None
        self._deleted.append(removed)
        self.listing_changed.emit()
        return removed.title

    @property
    def can_undo_delete(self) -> bool:
        return bool(self._deleted)

    def undo_delete(self) -> str | None:
        if not self._deleted:
            return None
        workshop = self._deleted.pop()
        return self._add(workshop, f"Restored “{workshop.title}”")

    def _add(self, workshop: Workshop, notice: str) -> str | None:
        try:
            self.library.add(workshop)
        except LibraryError as problem:
            self.failed.emit(str(problem))
            return None
        self.listing_changed.emit()
        self.notice.emit(notice)
        return workshop.id
