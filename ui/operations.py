"""The main window's flows: asking where, exporting, importing, charts, delete and undo delete.

Each flow asks what it must through `FileDialogs` (replaced in tests), does the work through
opassess.services (the same use cases the command line runs) and tells the window how it went
by signals; the window owns the menus and the screens.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from opassess import SESSION_FILE_SUFFIX
from opassess.files import safe_file_stem
from opassess.services import EXPORTS, ExportName, ExportOptions, export, forms_already_there

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

    from opassess.gathering import GatherChoice, GatherPlan
    from opassess.interchange import WorkshopExists
    from opassess.services import ConflictChoice, RollUp, RollUpExportName
    from opassess.workshop import Workshop
    from ui.controller import LibraryController, WorkshopController
    from ui.exports import ExportRunner
    from ui.home import HomePage
    from ui.series import SeriesWindow
    from ui.settings import AppSettings
    from ui.wallchart import WallChart

    Choice = tuple[str, QMessageBox.ButtonRole, str]  # a button's label, its role, its value


class FileDialogs:
    """Where to save, what to open, which of some choices: the questions the flows ask.

    Every dialog opens in the folder used last, and remembers the one chosen.
    """

    def __init__(self, parent: QWidget, settings: AppSettings) -> None:
        self.parent = parent
        self.settings = settings

    def choose_save_path(self, title: str, suggested: Path, file_filter: str) -> Path | None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self.parent, title, str(suggested), file_filter
        )
        return Path(chosen) if chosen else None

    def choose_folder(self, title: str) -> Path | None:
        chosen = QFileDialog.getExistingDirectory(self.parent, title, str(self.last_folder))
        return Path(chosen) if chosen else None

    def choose_open_paths(self, title: str, file_filter: str) -> list[Path]:
        files, _filter = QFileDialog.getOpenFileNames(
            self.parent, title, str(self.last_folder), file_filter
        )
        return [Path(f) for f in files]

    @property
    def last_folder(self) -> Path:
        return self.settings.last_folder

    def save_path(self, title: str, file_name: str, file_filter: str, suffix: str) -> Path | None:
        """Ask where to save `file_name`, suggested in the last folder; the suffix is added
        when it was left off (asking before replacing the file that then names). The chosen
        folder becomes the last one."""
        from ui.saving import with_suffix

        chosen = self.choose_save_path(title, self.last_folder / file_name, file_filter)
        path = with_suffix(self.parent, chosen, suffix) if chosen is not None else None
        if path is not None:
            self.settings.last_folder = path.parent
        return path

    def ask_which(self, title: str, text: str, choices: Sequence[Choice]) -> str | None:
        """The value of the button chosen among `choices`, or None for Cancel. The accepting
        choice is the default, never the destructive one."""
        box = QMessageBox(self.parent)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(title)
        box.setText(text)
        buttons = [(box.addButton(label, role), role, value) for label, role, value in choices]
        for button, role, _value in buttons:
            if role == QMessageBox.ButtonRole.AcceptRole:
                box.setDefaultButton(button)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        clicked = box.clickedButton()
        return next((value for button, _role, value in buttons if button is clicked), None)

    def confirm(self, question: str) -> bool:
        answer = QMessageBox.question(self.parent, "Please confirm", question)
        return answer == QMessageBox.StandardButton.Yes

    def warn(self, title: str, text: str) -> None:
        QMessageBox.warning(self.parent, title, text)

    def inform(self, title: str, text: str) -> None:
        QMessageBox.information(self.parent, title, text)


def export_session_file(dialogs: FileDialogs, workshop: Workshop) -> Path | None:
    """Ask where, then write `workshop` as a session file; None when cancelled or when it
    failed (after saying why). Used from the library, the menu and the Review step alike."""
    from opassess.services import user_message

    kind = EXPORTS["session"]
    path = dialogs.save_path(
        "Export session file",
        kind.file_name(workshop.title),
        kind.file_filter,
        kind.suffix,
    )
    if path is None:
        return None
    try:
        export("session", workshop, path)
    except Exception as problem:
        message = user_message(problem)
        if message is None:
            raise
        dialogs.warn("The session file was not exported", message)
        return None
    dialogs.settings.remember_file(path)
    return path


class WindowHost(Protocol):
    """What the flows need of the window they run in (the main window is one)."""

    workshop_controller: WorkshopController | None
    home: HomePage
    undo_action: QAction

    def open_workshop(self, workshop_id: str) -> bool: ...

    def close_workshop(self) -> None: ...


class Operations(QObject):
    """The flows the window's menus and the library page start."""

    status = Signal(str, int)  # a message for the status bar, and how long to show it (ms)
    recent_files_changed = Signal()
    deleted_changed = Signal()  # a workshop was deleted or brought back: undo delete changed

    def __init__(
        self,
        window: WindowHost,
        parent: QWidget,
        library: LibraryController,
        dialogs: FileDialogs,
    ) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.window = window
        self.library = library
        self.dialogs = dialogs
        self._exports: ExportRunner | None = None
        self._replaced_while_open: str | None = None  # during an import, the open workshop

    @property
    def exports(self) -> ExportRunner:
        """Runs exports in the background; made for the first export, not at start-up."""
        if self._exports is None:
            from ui.exports import ExportRunner

            self._exports = ExportRunner(self.parent_widget)
            self._exports.finished.connect(
                lambda description, _result: self.status.emit(f"{description}: done", 8000)
            )
        return self._exports

    @property
    def _workshop(self) -> Workshop | None:
        controller = self.window.workshop_controller
        return controller.workshop if controller is not None else None

    # -- exports ----------------------------------------------------------------------------

    def export_session(self, workshop_id: str) -> Path | None:
        """A library workshop (the open one, or one chosen on the library page) to a file."""
        workshop = self.library.load(workshop_id)
        if workshop is None:
            self.library.failed.emit("That workshop is no longer in the library.")
            return None
        path = export_session_file(self.dialogs, workshop)
        if path is not None:
            self.recent_files_changed.emit()
            self.status.emit(f"Exported “{workshop.title}” to {path.name}", 6000)
        return path

    def export_open_workshop(self, name: ExportName) -> None:
        """The open workshop as a workbook, report or paper forms, written in the background.

        The report and workbook show the movement since the workshop it re-assesses, as the
        Review step does."""
        workshop = self._workshop
        if workshop is None or self.exports.busy:
            return
        kind = EXPORTS[name]
        options = ExportOptions(
            earlier=self.library.earlier_workshop(workshop) if kind.needs_earlier else None
        )
        path = self.dialogs.save_path(
            f"Save the {kind.title}",
            kind.file_name(workshop.title),
            kind.file_filter,
            kind.suffix,
        )
        if path is None:
            return
        self.exports.run(
            f"Saving the {kind.title}", lambda: export(name, workshop, path, options), path.parent
        )

    def export_spreadsheet_forms(self) -> None:
        workshop = self._workshop
        if workshop is None or self.exports.busy:
            return
        folder = self.dialogs.choose_folder("Choose a folder for the spreadsheet forms")
        if folder is None:
            return
        there = forms_already_there(workshop, folder)
        keep_existing = False
        if there:
            choice = self._ask_about_existing_forms(there)
            if choice is None:
                return
            keep_existing = choice == "keep"
        self.dialogs.settings.last_folder = folder
        options = ExportOptions(keep_existing=keep_existing)
        self.exports.run(
            f"Saving the {EXPORTS['spreadsheet-forms'].title}",
            lambda: export("spreadsheet-forms", workshop, folder, options),
            folder,
        )

    def _ask_about_existing_forms(self, there: list[Path]) -> str | None:
        """'keep' or 'replace' for forms already in the folder (some may be filled in)."""
        count = len(there)
        return self.dialogs.ask_which(
            "Rating forms already in this folder",
            f"{count} of these forms {'is' if count == 1 else 'are'} already in this folder "
            f"(“{there[0].name}”{' and others' if count > 1 else ''}). Some may be filled in: "
            "replacing them loses what was written there.",
            [
                ("Write only the missing ones", QMessageBox.ButtonRole.AcceptRole, "keep"),
                ("Replace them", QMessageBox.ButtonRole.DestructiveRole, "replace"),
            ],
        )

    def save_guide_pdf(self) -> None:
        """Save the facilitator's guide as a PDF, in the background like every export."""
        if self.exports.busy:
            return
        from opassess.guide import GUIDE_TITLE

        path = self.dialogs.save_path(
            "Save the facilitator's guide",
            safe_file_stem(GUIDE_TITLE) + ".pdf",
            EXPORTS["report"].file_filter,
            ".pdf",
        )
        if path is None:
            return

        def write() -> None:
            from opassess.export.guide_pdf import write_guide_pdf

            write_guide_pdf(path)

        self.exports.run("Saving the facilitator's guide", write, path.parent)

    # -- imports ----------------------------------------------------------------------------

    def import_with_dialog(self) -> None:
        paths = self.dialogs.choose_open_paths(
            "Import session files", EXPORTS["session"].file_filter
        )
        if paths:
            self.import_files(paths)

    def gather_folder(self) -> None:
        folder = self.dialogs.choose_folder("Gather the session files in a folder")
        if folder is not None:
            self.gather([folder])

    def gather(self, paths: list[Path]) -> list[str]:
        """Many session files (or folders of them) at once, each all or nothing; one question
        for workshops that differ from the library's, and a summary of what each file did."""
        open_now = self._workshop
        closed: str | None = None

        def choose(plan: GatherPlan) -> GatherChoice | None:
            nonlocal closed
            count = len(plan.different)
            titles = ", ".join(f"“{i.workshop.title}”" for i in plan.different[:5])
            more = f" and {count - 5} more" if count > 5 else ""
            choice = self.dialogs.ask_which(
                "Workshops already in the library",
                f"{count} of these workshops {'is' if count == 1 else 'are'} already in the "
                f"library, and the files' versions differ: {titles}{more}. Keep the library's, "
                "replace them with the files' versions, or keep both?",
                [
                    ("Keep the library's", QMessageBox.ButtonRole.AcceptRole, "keep-library"),
                    ("Replace", QMessageBox.ButtonRole.DestructiveRole, "replace"),
                    ("Keep both", QMessageBox.ButtonRole.ActionRole, "keep-both"),
                ],
            )
            ids = {i.workshop.id for i in plan.different}
            if choice == "replace" and open_now is not None and open_now.id in ids:
                self.window.close_workshop()  # as for one file: nothing typed saved over it
                closed = open_now.id
            return cast("GatherChoice | None", choice)

        summary = self.library.gather(paths, choose)
        if closed is not None:
            self.window.open_workshop(closed)
        if summary is None:
            return []
        self.dialogs.inform("Gathered", "\n".join(summary.lines()))
        return summary.imported_ids

    def import_files(self, paths: list[Path]) -> list[str]:
        """Import session files, each all or nothing; returns the ids brought in. Several files,
        or a folder, are gathered with one question and a summary."""
        # A folder is gathered; one named like a session file is refused as one, saying why.
        if len(paths) > 1 or any(
            path.is_dir() and path.suffix.lower() != SESSION_FILE_SUFFIX for path in paths
        ):
            return self.gather(paths)
        self._replaced_while_open = None
        imported = self.library.import_files(paths, self._ask_conflict)
        for path in paths:
            self.dialogs.settings.remember_file(path)
        self.recent_files_changed.emit()
        if self._replaced_while_open is not None:
            # The copy from the file, afresh; or, if the file failed after all, the one it
            # was to replace.
            self.window.open_workshop(self._replaced_while_open)
        elif len(imported) == 1 and self.window.workshop_controller is None:
            self.window.home.select(imported[0])
        return imported

    def _ask_conflict(self, exists: WorkshopExists) -> ConflictChoice | None:
        choice = self.dialogs.ask_which(
            "Workshop already in the library",
            f"“{exists.existing_title}” is already in the library. Replace it with the copy "
            "from the file, or keep both?",
            [
                ("Replace", QMessageBox.ButtonRole.DestructiveRole, "replace"),
                ("Keep both", QMessageBox.ButtonRole.AcceptRole, "keep-both"),
            ],
        )
        open_now = self._workshop
        if choice == "replace" and open_now is not None and open_now.id == exists.existing_id:
            # Closed first, so nothing typed on its screens is saved over the file's copy, and
            # no later edit is made to the copy it held in memory.
            self.window.close_workshop()
            self._replaced_while_open = exists.existing_id
        return "replace" if choice == "replace" else "keep-both" if choice == "keep-both" else None

    def import_rating_forms(self) -> None:
        controller = self.window.workshop_controller
        if controller is None:
            return
        paths = self.dialogs.choose_open_paths(
            "Import filled-in rating forms", EXPORTS["workbook"].file_filter
        )
        if not paths:
            return
        from opassess.export import ExportError
        from opassess.services import RATING_FORMS_EDIT, read_rating_forms

        try:
            forms = read_rating_forms(controller.workshop, paths)
        except ExportError as problem:
            self.dialogs.warn("Rating forms not imported", str(problem))
            return
        before = controller.workshop
        if not controller.apply(RATING_FORMS_EDIT, forms.apply_to):
            return
        changed = controller.workshop != before
        told = forms.outcome(changed, controller.workshop)
        if changed and self.window.undo_action.isEnabled():
            told += " Ctrl+Z undoes it."
        self.status.emit(told, 10000)

    # -- the wall chart ---------------------------------------------------------------------

    def save_chart(self, chart: WallChart) -> None:
        """Save `chart` as a PNG at projector resolution, in the chart's own look."""
        workshop = self._workshop
        if workshop is not None:
            self._save_png("the wall chart", workshop.title + " - wall chart", chart.render_png)

    def export_rollup(self, name: RollUpExportName, rollup: RollUp) -> None:
        """Save compared teams as a roll-up workbook or report, in the background."""
        from opassess.services import ROLLUP_EXPORTS, export_rollup

        kind = ROLLUP_EXPORTS[name]
        path = self.dialogs.save_path(
            f"Save the {kind.title}", kind.file_name(rollup), kind.file_filter, kind.suffix
        )
        if path is not None:
            self.exports.run(
                f"Writing the {kind.noun}", lambda: export_rollup(name, rollup, path), path.parent
            )

    def save_series_chart(self, window: SeriesWindow) -> None:
        """The trend chart of a series as a PNG at projector resolution."""
        latest = window.series.workshops[-1]
        self._save_png(
            "the trend chart", (latest.team or latest.title) + " - over time", window.save_png
        )

    def _save_png(self, what: str, name: str, write: Callable[[str], bool]) -> None:
        """Ask where, write the picture with `write(path)`, and say how it went."""
        path = self.dialogs.save_path(
            f"Save {what}", safe_file_stem(name) + ".png", "PNG image (*.png)", ".png"
        )
        if path is None:
            return
        if write(str(path)):
            self.status.emit(f"Saved {what} as {path.name}", 8000)
        else:
            self.dialogs.warn(
                "Chart not saved",
                f"Could not save {path.name}. Check that the folder exists and that you may "
                "write to it, or choose another folder.",
            )

    def copy_chart(self, chart: WallChart) -> None:
        from PySide6.QtGui import QGuiApplication

        QGuiApplication.clipboard().setImage(chart.render_image())
        self.status.emit("Copied the wall chart: paste it into a slide", 8000)

    # -- delete and undo delete -------------------------------------------------------------

    def delete_workshop(self, workshop_id: str) -> None:
        summary = next((s for s in self.library.summaries() if s.id == workshop_id), None)
        if summary is None:
            return
        answer = QMessageBox.question(
            self.window,
            "Delete workshop",
            f"Delete “{summary.title}” from the library? You can undo this until you close "
            "OpAssess.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        title = self.library.delete(workshop_id)
        if title:
            self.status.emit(f"Deleted “{title}”. Ctrl+Z brings it back.", 10000)
            self.deleted_changed.emit()

    def undo_delete(self) -> None:
        restored = self.library.undo_delete()
        self.deleted_changed.emit()
        if restored:
            self.window.home.select(restored)
