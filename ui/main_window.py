"""The main window: the library as home, an open workshop's guided steps, menus and status."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
)

from opassess import SESSION_FILE_SUFFIX, __version__
from opassess.files import safe_file_stem
from ui.controller import LibraryController, WorkshopController
from ui.home import HomePage
from ui.style import DISAGREEMENT_COLOUR

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

    from opassess.interchange import WorkshopExists
    from opassess.workshop import Workshop
    from ui.exports import ExportRunner
    from ui.guide import GuideWindow
    from ui.wallchart import WallChart
    from ui.workshop_view import WorkshopView

MAX_RECENT_FILES = 8
SESSION_FILTER = f"OpAssess session (*{SESSION_FILE_SUFFIX})"


class MainWindow(QMainWindow):
    def __init__(self, library: LibraryController, settings: QSettings | None = None) -> None:
        super().__init__()
        self.library = library
        self.settings = settings or QSettings()
        self.setWindowTitle("OpAssess")
        self.setMinimumSize(640, 480)
        self.workshop_controller: WorkshopController | None = None
        self.workshop_view: WorkshopView | None = None
        self.projector = None
        self.guide_window: GuideWindow | None = None

        self.home = HomePage(library)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.home)
        self.setCentralWidget(self.stack)
        self.saved_label = QLabel("All changes saved")
        self.saved_label.setAccessibleName("Save status")
        self.statusBar().addPermanentWidget(self.saved_label)
        self.undo_delete_button = QPushButton("Undo delete")
        self.undo_delete_button.hide()
        self.statusBar().addPermanentWidget(self.undo_delete_button)
        self._exports: ExportRunner | None = None
        self._replaced_while_open: str | None = None  # during an import, the open workshop
        self._create_actions()
        self._create_menus()
        self._connect_signals()
        self._restore_geometry()
        self._update_actions()

    @property
    def exports(self) -> ExportRunner:
        """Runs exports in the background; made for the first export, not at start-up."""
        if self._exports is None:
            from ui.exports import ExportRunner

            self._exports = ExportRunner(self)
            self._exports.finished.connect(
                lambda description, _result: self.statusBar().showMessage(
                    f"{description}: done", 8000
                )
            )
        return self._exports

    # -- construction -------------------------------------------------------------------------

    def _create_actions(self) -> None:
        def action(text: str, shortcut: QKeySequence | str | None, slot, tip: str = "") -> QAction:
            made = QAction(text, self)
            if shortcut is not None:
                # A list: PySide matches setShortcut()'s one argument against the `Qt`
                # namespace's key types, which builds that namespace (see ui/home.py).
                made.setShortcuts([QKeySequence(shortcut)])
            made.setStatusTip(tip)
            made.triggered.connect(slot)
            self.addAction(made)
            return made

        self.new_action = action("&New workshop", QKeySequence.StandardKey.New, self.home._new)
        self.import_action = action("&Import session files…", "Ctrl+I", self.import_with_dialog)
        self.export_action = action(
            "&Export session file…", "Ctrl+E", self.export_current, "Save this workshop to a file"
        )
        self.workbook_action = action(
            "Excel &workbook…",
            "Ctrl+Shift+E",
            self.export_workbook,
            "Save the workshop as an Excel workbook",
        )
        self.report_action = action(
            "PDF &report…", "Ctrl+P", self.export_report, "Save the workshop as a PDF report"
        )
        self.paper_forms_action = action(
            "&Paper rating forms (PDF)…",
            None,
            self.export_paper_forms,
            "Printable forms, one per participant, for rooms without the laptop",
        )
        self.spreadsheet_forms_action = action(
            "&Spreadsheet rating forms…",
            None,
            self.export_spreadsheet_forms,
            "An Excel form per participant to fill in before or after the workshop",
        )
        self.import_forms_action = action(
            "Import &filled-in forms…",
            None,
            self.import_rating_forms,
            "Take ratings from spreadsheet forms people filled in (all or nothing)",
        )
        self.chart_png_action = action(
            "Save wall chart as &PNG…",
            None,
            self.save_chart_png,
            "The wall chart at projector resolution, for slides",
        )
        self.chart_copy_action = action(
            "&Copy wall chart", "Ctrl+Shift+C", self.copy_chart, "Copy the wall chart as a picture"
        )
        self.library_action = action("Back to the &library", "Ctrl+L", self.show_home)
        self.quit_action = action("&Quit", QKeySequence.StandardKey.Quit, self.close)
        self.undo_action = action("&Undo", QKeySequence.StandardKey.Undo, self.undo)
        self.redo_action = action("&Redo", "Ctrl+Shift+Z", self.redo)
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.projector_action = action(
            "&Projector view", "F5", self.toggle_projector, "Show the current step on a projector"
        )
        self.next_step_action = action("&Next step", "Ctrl+PgDown", lambda: self._step_by(1))
        self.previous_step_action = action("&Previous step", "Ctrl+PgUp", lambda: self._step_by(-1))
        self.step_actions = []
        for number in range(6):
            self.step_actions.append(
                action(
                    f"Step {number + 1}",
                    f"Ctrl+{number + 1}",
                    lambda _c=False, n=number: self._go_to_step(n),
                )
            )
        self.shortcuts_action = action("&Keyboard shortcuts", "Ctrl+/", self.show_shortcuts)
        self.about_action = action("&About OpAssess", None, self.show_about)
        self.guide_action = action(
            "&Facilitator's guide",
            "F1",
            lambda: self.show_guide(),
            "How to prepare and run the workshop, step by step",
        )
        self.guide_pdf_action = action(
            "&Save the guide as PDF…",
            None,
            self.save_guide_pdf,
            "The facilitator's guide as a PDF, to print or share",
        )

    def _create_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(self.new_action)
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.export_action)
        file_menu.addAction(self.workbook_action)
        file_menu.addAction(self.report_action)
        file_menu.addSeparator()
        file_menu.addAction(self.paper_forms_action)
        file_menu.addAction(self.spreadsheet_forms_action)
        file_menu.addAction(self.import_forms_action)
        file_menu.addSeparator()
        self.recent_menu = file_menu.addMenu("Recent session &files")
        file_menu.addSeparator()
        file_menu.addAction(self.library_action)
        file_menu.addAction(self.quit_action)
        edit_menu = self.menuBar().addMenu("&Edit")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        view_menu = self.menuBar().addMenu("&View")
        view_menu.addAction(self.projector_action)
        view_menu.addAction(self.chart_png_action)
        view_menu.addAction(self.chart_copy_action)
        view_menu.addSeparator()
        view_menu.addAction(self.previous_step_action)
        view_menu.addAction(self.next_step_action)
        for step_action in self.step_actions:
            view_menu.addAction(step_action)
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(self.guide_action)
        help_menu.addAction(self.guide_pdf_action)
        help_menu.addSeparator()
        help_menu.addAction(self.shortcuts_action)
        help_menu.addAction(self.about_action)
        self._fill_recent_menu()

    def _connect_signals(self) -> None:
        self.home.open_requested.connect(self.open_workshop)
        self.home.import_requested.connect(self.import_files)
        self.home.import_dialog_requested.connect(self.import_with_dialog)
        self.home.export_requested.connect(self.export_workshop)
        self.home.delete_requested.connect(self.delete_workshop)
        self.home.guide_requested.connect(lambda: self.show_guide())
        self.library.failed.connect(self._show_problem)
        self.library.notice.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.undo_delete_button.clicked.connect(self.undo)

    # -- opening and closing workshops ---------------------------------------------------------

    def open_workshop(self, workshop_id: str) -> bool:
        session = self.library.open_session(workshop_id)
        if session is None:
            return False
        self._close_workshop_view()
        from ui.workshop_view import WorkshopView

        controller = WorkshopController(session, confirm=self._confirm, parent=self)
        view = WorkshopView(controller, self.library)
        view.back_button.clicked.connect(self.show_home)
        view.guide_link.linkActivated.connect(lambda _link: self.show_guide())
        view.stack.currentChanged.connect(lambda _i: self._mirror_on_projector())
        view.stack.currentChanged.connect(lambda _i: self._update_actions())
        for page in view.pages:
            page.undo_pause_changed.connect(self._update_actions)
            page.projector_changed.connect(self._mirror_on_projector)
        controller.saved.connect(self._show_saved)
        controller.save_failed.connect(self._show_not_saved)
        controller.history_changed.connect(self._update_actions)
        controller.changed.connect(lambda _change: self._mirror_on_projector())
        controller.changed.connect(lambda change: self._show_title() if change.details else None)
        controller.barrier_selected.connect(lambda _d: self._mirror_on_projector())
        view.consensus_page.chart_options_changed.connect(self._chart_options_changed)
        self._connect_chart(view.consensus_page.chart)
        view.add_export_buttons(
            (
                self.workbook_action,
                self.report_action,
                self.paper_forms_action,
                self.spreadsheet_forms_action,
            )
        )
        self.workshop_controller = controller
        self.workshop_view = view
        self.stack.addWidget(view)
        self.stack.setCurrentWidget(view)
        self._show_title()
        self.undo_delete_button.hide()
        self._update_actions()
        if self.projector is not None:
            self.projector.deleteLater()
            self.projector = None
        return True

    def _show_title(self) -> None:
        if self.workshop_controller is not None:
            self.setWindowTitle(f"{self.workshop_controller.workshop.title} — OpAssess")

    def show_home(self) -> None:
        self._close_workshop_view()
        self.home.refresh()
        self.stack.setCurrentWidget(self.home)
        self.setWindowTitle("OpAssess")
        self.undo_delete_button.setVisible(self.library.can_undo_delete)
        self._update_actions()

    def _close_workshop_view(self) -> None:
        if self.projector is not None:
            self.projector.close()
            self.projector = None
        if self.workshop_view is not None:
            self.workshop_view.current_page.left()
            self.stack.removeWidget(self.workshop_view)
            self.workshop_view.deleteLater()
            self.workshop_view = None
            self.workshop_controller = None

    # -- steps and projector ------------------------------------------------------------------

    def _go_to_step(self, index: int) -> None:
        if self.workshop_view is not None:
            self.workshop_view.go_to_step(index)

    def _step_by(self, step: int) -> None:
        if self.workshop_view is not None:
            self.workshop_view.go_to_step(self.workshop_view.stack.currentIndex() + step)

    def toggle_projector(self) -> None:
        if self.workshop_controller is None:
            return
        if self.projector is not None and self.projector.isVisible():
            self.projector.close()
            return
        from ui.projector import ProjectorWindow

        self.projector = ProjectorWindow(self.workshop_controller)
        # Whichever window has the keyboard, the shortcuts work: F5 again, Ctrl+Z, Ctrl+PgDown.
        self.projector.addActions(self.actions())
        self.projector.closed.connect(self._projector_closed)
        self._connect_chart(self.projector.chart)
        chart = self.workshop_view.consensus_page.chart
        self.projector.set_chart_options(chart.order, chart.labels)
        self._mirror_on_projector()
        self.projector.present()
        if self.projector.screen() is not self.screen():
            self.activateWindow()  # on its own display: the keyboard stays with the laptop

    def _chart_options_changed(self, order: str, labels: bool) -> None:
        if self.projector is not None:
            self.projector.set_chart_options(order, labels)

    def _projector_closed(self) -> None:
        self.projector = None

    def _mirror_on_projector(self) -> None:
        if self.projector is None or self.workshop_view is None:
            return
        page = self.workshop_view.current_page
        self.projector.show_step(page.title, page.projector_html())

    # -- undo ------------------------------------------------------------------------------------

    def undo(self) -> None:
        if not self.undo_action.isEnabled():  # nothing to undo, or paused by the step
            return
        if self.workshop_controller is not None:
            self.workshop_controller.undo()
        elif self.library.can_undo_delete:
            restored = self.library.undo_delete()
            self.undo_delete_button.setVisible(self.library.can_undo_delete)
            if restored:
                self.home.select(restored)
        self._update_actions()

    def redo(self) -> None:
        if not self.redo_action.isEnabled():
            return
        if self.workshop_controller is not None:
            self.workshop_controller.redo()
        self._update_actions()

    def _update_actions(self) -> None:
        controller = self.workshop_controller
        in_workshop = controller is not None
        paused = ""
        if in_workshop:
            undo, redo = controller.undo_label, controller.redo_label
            if self.workshop_view is not None:
                paused = self.workshop_view.current_page.undo_paused()
            if paused:
                undo = redo = None
        else:
            undo = "delete" if self.library.can_undo_delete else None
            redo = None
        self.undo_action.setEnabled(undo is not None)
        self.undo_action.setText(f"&Undo {undo}" if undo else "&Undo")
        self.redo_action.setEnabled(redo is not None)
        self.redo_action.setText(f"&Redo {redo}" if redo else "&Redo")
        for history_action in (self.undo_action, self.redo_action):
            history_action.setStatusTip(paused)
            history_action.setToolTip(paused or history_action.text().replace("&", ""))
        for workshop_action in (
            self.export_action,
            self.workbook_action,
            self.report_action,
            self.paper_forms_action,
            self.spreadsheet_forms_action,
            self.import_forms_action,
            self.chart_png_action,
            self.chart_copy_action,
        ):
            workshop_action.setEnabled(in_workshop)
        self.projector_action.setEnabled(in_workshop)
        self.library_action.setEnabled(in_workshop)
        self.saved_label.setVisible(in_workshop)  # the save status is a workshop's
        for step_action in (self.next_step_action, self.previous_step_action, *self.step_actions):
            step_action.setEnabled(in_workshop)

    def _show_saved(self, status: str) -> None:
        self.saved_label.setStyleSheet("")
        self.saved_label.setText(f"✓ {status} · {datetime.now():%H:%M}")

    def _show_not_saved(self, _message: str) -> None:
        self.saved_label.setStyleSheet(f"color: {DISAGREEMENT_COLOUR}; font-weight: bold")
        self.saved_label.setText(f"⚠ Last change not saved · {datetime.now():%H:%M}")

    # -- library operations ----------------------------------------------------------------------

    def import_with_dialog(self) -> None:
        files, _filter = QFileDialog.getOpenFileNames(
            self, "Import session files", self._last_folder(), SESSION_FILTER
        )
        if files:
            self.import_files([Path(f) for f in files])

    def import_files(self, paths: list[Path]) -> list[str]:
        self._replaced_while_open = None
        imported = self.library.import_files(paths, self._ask_conflict)
        for path in paths:
            self._remember_file(path)
        if self._replaced_while_open is not None:
            # The copy from the file, afresh; or, if the file failed after all, the one it
            # was to replace.
            self.open_workshop(self._replaced_while_open)
        elif len(imported) == 1 and self.workshop_controller is None:
            self.home.select(imported[0])
        return imported

    def _ask_conflict(self, exists: WorkshopExists) -> str | None:
        choice = self._ask_which(
            "Workshop already in the library",
            f"“{exists.existing_title}” is already in the library. Replace it with the copy "
            "from the file, or keep both?",
            [
                ("Replace", QMessageBox.ButtonRole.DestructiveRole, "replace"),
                ("Keep both", QMessageBox.ButtonRole.AcceptRole, "keep-both"),
            ],
        )
        open_now = self.workshop_controller
        replacing_open = open_now is not None and open_now.workshop.id == exists.existing_id
        if choice == "replace" and replacing_open:
            # Closed first, so nothing typed on its screens is saved over the file's copy, and
            # no later edit is made to the copy it held in memory.
            self._close_workshop_view()
            self.stack.setCurrentWidget(self.home)
            self._replaced_while_open = exists.existing_id
        return choice

    def _ask_which(
        self, title: str, text: str, choices: list[tuple[str, QMessageBox.ButtonRole, str]]
    ) -> str | None:
        """The value of the button chosen among `choices` (label, role, value), or None for
        Cancel. The accepting choice is the default, never the destructive one."""
        box = QMessageBox(self)
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

    def export_current(self) -> None:
        if self.workshop_controller is not None:
            self.export_workshop(self.workshop_controller.workshop.id)

    def export_workshop(self, workshop_id: str) -> None:
        workshop = self.library.load(workshop_id)
        if workshop is None:
            return
        file_name = safe_file_stem(workshop.title) + SESSION_FILE_SUFFIX
        suggested = Path(self._last_folder()) / file_name
        path = self._save_path(
            "Export session file", suggested, SESSION_FILTER, SESSION_FILE_SUFFIX
        )
        if path is not None and self.library.export(workshop_id, path):
            self._remember_file(path)

    # -- exports ---------------------------------------------------------------------------------

    def choose_save_path(self, title: str, suggested: Path, file_filter: str) -> Path | None:
        """Ask where to save; replaced in tests."""
        chosen, _filter = QFileDialog.getSaveFileName(self, title, str(suggested), file_filter)
        return Path(chosen) if chosen else None

    def _save_path(self, title: str, suggested: Path, file_filter: str, suffix: str) -> Path | None:
        from ui.saving import with_suffix

        chosen = self.choose_save_path(title, suggested, file_filter)
        return with_suffix(self, chosen, suffix) if chosen is not None else None

    def choose_folder(self, title: str) -> Path | None:
        chosen = QFileDialog.getExistingDirectory(self, title, self._last_folder())
        return Path(chosen) if chosen else None

    def choose_open_paths(self, title: str, file_filter: str) -> list[Path]:
        files, _filter = QFileDialog.getOpenFileNames(self, title, self._last_folder(), file_filter)
        return [Path(f) for f in files]

    def _export_to_file(self, description: str, suffix: str, file_filter: str, write) -> None:
        if self.workshop_controller is None or self.exports.busy:
            return
        workshop = self.workshop_controller.workshop
        suggested = Path(self._last_folder()) / (safe_file_stem(workshop.title) + suffix)
        path = self._save_path(f"Save the {description}", suggested, file_filter, suffix)
        if path is None:
            return
        self.settings.setValue("recent/folder", str(path.parent))
        self.exports.run(f"Saving the {description}", lambda: write(workshop, path), path.parent)

    def _earlier_workshop(self) -> Workshop | None:
        """The workshop the open one re-assesses, if the library has it: its exports then
        show the movement since, as the Review step does."""
        controller = self.workshop_controller
        earlier = controller.workshop.reassesses if controller is not None else None
        return self.library.load(earlier) if earlier else None

    def export_workbook(self) -> None:
        previous = self._earlier_workshop()

        def write(workshop, path: Path) -> None:
            from opassess.export.xlsx import write_workbook

            write_workbook(workshop, path, previous)

        self._export_to_file("Excel workbook", ".xlsx", "Excel workbook (*.xlsx)", write)

    def export_report(self) -> None:
        previous = self._earlier_workshop()

        def write(workshop, path: Path) -> None:
            from opassess.export.pdf import write_report

            write_report(workshop, path, previous)

        self._export_to_file("PDF report", ".pdf", "PDF document (*.pdf)", write)

    def export_paper_forms(self) -> None:
        def write(workshop, path: Path) -> None:
            from opassess.export.paper_forms import write_paper_forms

            write_paper_forms(workshop, path)

        self._export_to_file("paper rating forms", ".pdf", "PDF document (*.pdf)", write)

    def export_spreadsheet_forms(self) -> None:
        if self.workshop_controller is None or self.exports.busy:
            return
        folder = self.choose_folder("Choose a folder for the spreadsheet forms")
        if folder is None:
            return
        workshop = self.workshop_controller.workshop
        from opassess.export.rating_forms import rating_form_paths, write_rating_forms

        there = [p for p in rating_form_paths(workshop, folder).values() if p.exists()]
        keep_existing = False
        if there:
            choice = self._ask_about_existing_forms(there)
            if choice is None:
                return
            keep_existing = choice == "keep"
        self.settings.setValue("recent/folder", str(folder))

        def write() -> object:
            return write_rating_forms(workshop, folder, keep_existing=keep_existing)

        self.exports.run("Saving the spreadsheet rating forms", write, folder)

    def _ask_about_existing_forms(self, there: list[Path]) -> str | None:
        """'keep' or 'replace' for forms already in the folder (some may be filled in)."""
        count = len(there)
        return self._ask_which(
            "Rating forms already in this folder",
            f"{count} of these forms {'is' if count == 1 else 'are'} already in this folder "
            f"(“{there[0].name}”{' and others' if count > 1 else ''}). Some may be filled in: "
            "replacing them loses what was written there.",
            [
                ("Write only the missing ones", QMessageBox.ButtonRole.AcceptRole, "keep"),
                ("Replace them", QMessageBox.ButtonRole.DestructiveRole, "replace"),
            ],
        )

    def import_rating_forms(self) -> None:
        if self.workshop_controller is None:
            return
        paths = self.choose_open_paths("Import filled-in rating forms", "Excel workbook (*.xlsx)")
        if not paths:
            return
        from opassess.export import ExportError
        from opassess.export.rating_forms import apply_rating_forms, read_rating_forms

        try:
            forms = read_rating_forms(self.workshop_controller.workshop, paths)
        except ExportError as problem:
            QMessageBox.warning(self, "Rating forms not imported", str(problem))
            return
        before = self.workshop_controller.workshop
        if not self.workshop_controller.apply("Import rating forms", apply_rating_forms, forms):
            return
        answers = sum(len(form.answers) for form in forms)
        if self.workshop_controller.workshop == before:
            told = f"The {len(forms)} forms hold the ratings already here: nothing changed."
        else:
            undo = " Ctrl+Z undoes it." if self.undo_action.isEnabled() else ""
            told = f"Took {answers} ratings from {len(forms)} forms.{undo}"
        self.statusBar().showMessage(told, 10000)

    def save_chart_png(self) -> None:
        if self.workshop_view is not None:
            self._save_chart(self.workshop_view.consensus_page.chart)

    def copy_chart(self) -> None:
        if self.workshop_view is not None:
            self._copy_chart(self.workshop_view.consensus_page.chart)

    def _connect_chart(self, chart: WallChart) -> None:
        chart.save_requested.connect(lambda: self._save_chart(chart))
        chart.copy_requested.connect(lambda: self._copy_chart(chart))

    def _save_chart(self, chart: WallChart) -> None:
        """Save `chart` as a PNG at projector resolution, in the chart's own look."""
        workshop = self.workshop_controller.workshop
        suggested = Path(self._last_folder()) / (
            safe_file_stem(workshop.title) + " - wall chart.png"
        )
        path = self._save_path("Save the wall chart", suggested, "PNG image (*.png)", ".png")
        if path is None:
            return
        if chart.render_png(str(path)):
            self.statusBar().showMessage(f"Saved the wall chart as {path.name}", 8000)
        else:
            QMessageBox.warning(
                self,
                "Chart not saved",
                f"Could not save {path.name}. Check that the folder exists and that you may "
                "write to it, or choose another folder.",
            )

    def _copy_chart(self, chart: WallChart) -> None:
        from PySide6.QtGui import QGuiApplication

        QGuiApplication.clipboard().setImage(chart.render_image())
        self.statusBar().showMessage("Copied the wall chart: paste it into a slide", 8000)

    def delete_workshop(self, workshop_id: str) -> None:
        summary = next((s for s in self.library.summaries() if s.id == workshop_id), None)
        if summary is None:
            return
        answer = QMessageBox.question(
            self,
            "Delete workshop",
            f"Delete “{summary.title}” from the library? You can undo this until you close "
            "OpAssess.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        title = self.library.delete(workshop_id)
        if title:
            self.statusBar().showMessage(f"Deleted “{title}”. Ctrl+Z brings it back.", 10000)
            self.undo_delete_button.show()
            self._update_actions()

    def _show_problem(self, message: str) -> None:
        if self.workshop_view is not None and self.stack.currentWidget() is self.workshop_view:
            self.workshop_view.message_bar.show_message(message)
        else:
            QMessageBox.warning(self, "OpAssess", message)

    def _confirm(self, question: str) -> bool:
        answer = QMessageBox.question(self, "Please confirm", question)
        return answer == QMessageBox.StandardButton.Yes

    # -- settings: geometry and recent files -------------------------------------------------------

    def _restore_geometry(self) -> None:
        geometry = self.settings.value("window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1280, 800)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._close_workshop_view()
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.sync()
        super().closeEvent(event)

    def recent_files(self) -> list[str]:
        value = self.settings.value("recent/files", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in value or []]

    def _remember_file(self, path: Path) -> None:
        files = [str(path)] + [f for f in self.recent_files() if f != str(path)]
        self.settings.setValue("recent/files", files[:MAX_RECENT_FILES])
        self.settings.setValue("recent/folder", str(path.parent))
        self._fill_recent_menu()

    def _last_folder(self) -> str:
        return str(self.settings.value("recent/folder", str(Path.home())))

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = self.recent_files()
        for file in files:
            self.recent_menu.addAction(
                Path(file).name, lambda f=file: self.import_files([Path(f)])
            ).setToolTip(file)
        self.recent_menu.setEnabled(bool(files))

    # -- help ------------------------------------------------------------------------------------

    def show_shortcuts(self) -> None:
        from ui.shortcuts import ShortcutsDialog

        ShortcutsDialog(self).exec()

    def show_guide(self, section_id: str | None = None) -> None:
        """Open the facilitator's guide at `section_id`; by default at the current step's
        section when a workshop is open, else at the start."""
        from opassess.guide import section_for_step
        from ui.guide import GuideWindow

        if section_id is None:
            view = self.workshop_view
            section_id = section_for_step(view.current_page.title if view is not None else "")
        if self.guide_window is None:
            self.guide_window = GuideWindow(self)
            self.guide_window.pdf_requested.connect(self.save_guide_pdf)
        self.guide_window.open_at(section_id)

    def save_guide_pdf(self) -> None:
        """Save the facilitator's guide as a PDF, in the background like every export."""
        if self.exports.busy:
            return
        from opassess.guide import GUIDE_TITLE

        suggested = Path(self._last_folder()) / (safe_file_stem(GUIDE_TITLE) + ".pdf")
        path = self._save_path(
            "Save the facilitator's guide", suggested, "PDF document (*.pdf)", ".pdf"
        )
        if path is None:
            return
        self.settings.setValue("recent/folder", str(path.parent))

        def write() -> None:
            from opassess.export.guide_pdf import write_guide_pdf

            write_guide_pdf(path)

        self.exports.run("Saving the facilitator's guide", write, path.parent)

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "About OpAssess",
            f"<h3>OpAssess {__version__}</h3><p>Facilitated self-assessment on the Audit "
            "Commission's breakthrough model (<i>Performance breakthroughs</i>, 2002). Works "
            "offline; every change is saved as you make it.</p>",
        )
