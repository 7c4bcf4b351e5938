"""The main window: the library as home, an open workshop's guided steps, menus and status.

Actions, menus, the stack and the wiring (a little over 500 lines with the windows it opens:
frameworks, a team over time, teams compared); every flow itself lives in ui/operations.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QWidget,
)

from opassess import __version__
from ui.controller import PRIVATE_LOCKED, LibraryController, WorkshopController
from ui.home import HomePage
from ui.operations import FileDialogs, Operations
from ui.settings import AppSettings
from ui.style import DISAGREEMENT_COLOUR

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

    from ui.guide import GuideWindow
    from ui.wallchart import WallChart
    from ui.workshop_view import WorkshopView


class MainWindow(QMainWindow):
    def __init__(self, library: LibraryController, settings: QSettings | None = None) -> None:
        super().__init__()
        self.library = library
        self.settings = AppSettings(settings)
        self.dialogs = FileDialogs(self, self.settings)
        self.operations = Operations(self, self, library, self.dialogs)
        self.setWindowTitle("OpAssess")
        self.setMinimumSize(640, 480)
        self.workshop_controller: WorkshopController | None = None
        self.workshop_view: WorkshopView | None = None
        self.projector = None
        self.guide_window: GuideWindow | None = None
        self._side_windows: list[QWidget] = []  # Over time and Compare teams, while open

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
        self._create_actions()
        self._create_menus()
        self._connect_signals()
        self._restore_geometry()
        self._update_actions()
        self._resume_private_rating()

    def _resume_private_rating(self) -> None:
        """OpAssess closed while the laptop was going round: start where it was, locked, not on
        the library (whose exports and other windows show everyone's ratings)."""
        waiting = self.settings.private_rating_workshop
        if not waiting:
            return
        if any(summary.id == waiting for summary in self.library.summaries()):
            self.open_workshop(waiting)
        else:  # deleted since, or another library: nothing to resume
            self.settings.private_rating_workshop = ""

    # -- construction -------------------------------------------------------------------------

    def _create_actions(self) -> None:
        def action(
            text: str,
            shortcut: QKeySequence | str | None,
            slot: Callable[[], object],
            tip: str = "",
        ) -> QAction:
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
        operations = self.operations
        self.import_action = action(
            "&Import session files…", "Ctrl+I", operations.import_with_dialog
        )
        self.gather_action = action(
            "&Gather a folder of session files…",
            None,
            operations.gather_folder,
            "Bring every team's session files in a folder into this library at once",
        )
        self.export_action = action(
            "&Export session file…", "Ctrl+E", self.export_current, "Save this workshop to a file"
        )
        self.workbook_action = action(
            "Excel &workbook…",
            "Ctrl+Shift+E",
            lambda: operations.export_open_workshop("workbook"),
            "Save the workshop as an Excel workbook",
        )
        self.report_action = action(
            "PDF &report…",
            "Ctrl+P",
            lambda: operations.export_open_workshop("report"),
            "Save the workshop as a PDF report",
        )
        self.paper_forms_action = action(
            "&Paper rating forms (PDF)…",
            None,
            lambda: operations.export_open_workshop("paper-forms"),
            "Printable forms, one per participant, for rooms without the laptop",
        )
        self.spreadsheet_forms_action = action(
            "&Spreadsheet rating forms…",
            None,
            operations.export_spreadsheet_forms,
            "An Excel form per participant to fill in before or after the workshop",
        )
        self.import_forms_action = action(
            "Import &filled-in forms…",
            None,
            operations.import_rating_forms,
            "Take ratings from spreadsheet forms people filled in (all or nothing)",
        )
        self.chart_png_action = action(
            "Save wall chart as &PNG…",
            None,
            lambda: self._with_chart(operations.save_chart),
            "The wall chart at projector resolution, for slides",
        )
        self.chart_copy_action = action(
            "&Copy wall chart",
            "Ctrl+Shift+C",
            lambda: self._with_chart(operations.copy_chart),
            "Copy the wall chart as a picture",
        )
        self.demo_teams_action = action(
            "Add &demo teams",
            None,
            lambda: self.library.add_demo_organisation(),
            "Six demo teams of one council, each assessed twice: to try Compare and Over time",
        )
        self.frameworks_action = action(
            "Fra&meworks…",
            None,
            self.show_frameworks,
            "Look at the frameworks, make your own copy, edit it, import or export one",
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
            operations.save_guide_pdf,
            "The facilitator's guide as a PDF, to print or share",
        )

    def _create_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(self.new_action)
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.gather_action)
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
        file_menu.addAction(self.frameworks_action)
        file_menu.addAction(self.demo_teams_action)
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
        """The window's own wiring; a workshop's is made as it opens (`_connect_workshop`)."""
        operations = self.operations
        self.home.open_requested.connect(self.open_workshop)
        self.home.series_requested.connect(self.show_series)
        self.home.compare_requested.connect(self.show_compare)
        self.home.import_requested.connect(operations.import_files)
        self.home.import_dialog_requested.connect(operations.import_with_dialog)
        self.home.export_requested.connect(operations.export_session)
        self.home.delete_requested.connect(operations.delete_workshop)
        self.home.guide_requested.connect(lambda: self.show_guide())
        self.library.failed.connect(self._show_problem)
        self.library.notice.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.undo_delete_button.clicked.connect(self.undo)
        operations.status.connect(self.statusBar().showMessage)
        operations.recent_files_changed.connect(self._fill_recent_menu)
        operations.deleted_changed.connect(self._show_undo_delete)

    def _connect_workshop(self, controller: WorkshopController, view: WorkshopView) -> None:
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
        controller.private_session_changed.connect(lambda _locked: self._update_actions())
        controller.private_session_changed.connect(lambda _locked: self._mirror_on_projector())
        controller.private_session_changed.connect(
            lambda locked: self._remember_private_rating(controller, locked)
        )
        controller.private_session_changed.connect(
            lambda locked: self._close_side_windows() if locked else None
        )
        view.consensus_page.chart_options_changed.connect(self._chart_options_changed)
        self._connect_chart(view.consensus_page.chart)

    def _connect_chart(self, chart: WallChart) -> None:
        chart.save_requested.connect(lambda: self.operations.save_chart(chart))
        chart.copy_requested.connect(lambda: self.operations.copy_chart(chart))

    def _with_chart(self, use: Callable[[WallChart], None]) -> None:
        if self.workshop_view is not None:
            use(self.workshop_view.consensus_page.chart)

    # -- opening and closing workshops ---------------------------------------------------------

    def open_workshop(self, workshop_id: str) -> bool:
        session = self.library.open_session(workshop_id)
        if session is None:
            return False
        self._close_workshop_view()
        from ui.workshop_view import WorkshopView

        controller = WorkshopController(session, confirm=self.dialogs.confirm, parent=self)
        view = WorkshopView(controller, self.library, self.dialogs)
        self._connect_workshop(controller, view)
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
        if self.settings.private_rating_workshop == workshop_id:
            view.resume_private_rating()
            self.statusBar().showMessage(
                "Private rating was under way when OpAssess closed: it carries on, locked, "
                "until the facilitator takes the laptop back.",
                10000,
            )
        return True

    def _remember_private_rating(self, controller: WorkshopController, locked: bool) -> None:
        if locked:
            self.settings.private_rating_workshop = controller.workshop.id
        elif self.settings.private_rating_workshop == controller.workshop.id:
            self.settings.private_rating_workshop = ""

    def _show_title(self) -> None:
        if self.workshop_controller is not None:
            self.setWindowTitle(f"{self.workshop_controller.workshop.title} — OpAssess")

    def show_home(self) -> None:
        if self._private_session():
            return  # the library leads to every workshop's ratings
        self._close_workshop_view()
        self.home.refresh()
        self.stack.setCurrentWidget(self.home)
        self.setWindowTitle("OpAssess")
        self.undo_delete_button.setVisible(self.library.can_undo_delete)
        self._update_actions()

    def close_workshop(self) -> None:
        """Close the open workshop and show the library, without refreshing it."""
        self._close_workshop_view()
        self.stack.setCurrentWidget(self.home)

    def export_current(self) -> None:
        if self.workshop_controller is not None:
            self.operations.export_session(self.workshop_controller.workshop.id)

    def _close_workshop_view(self) -> None:
        if self.projector is not None:
            self.projector.close()
            self.projector = None
        if self.workshop_view is not None:
            self.workshop_view.closing()
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
        if self._private_session():
            return  # on one screen it would cover the laptop, with the step keys live
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
        self._update_actions()  # during private rating F5 only closed it: now it is off

    def _mirror_on_projector(self) -> None:
        if self.projector is None or self.workshop_view is None:
            return
        page = self.workshop_view.current_page
        self.projector.show_step(page.title, page.projector_html())

    # -- undo ------------------------------------------------------------------------------------

    def _private_session(self) -> bool:
        """Whether the laptop is going round for private rating (said, when it is)."""
        controller = self.workshop_controller
        if controller is None or not controller.private_session:
            return False
        controller.failed.emit(PRIVATE_LOCKED)
        return True

    def undo(self) -> None:
        if not self.undo_action.isEnabled():  # nothing to undo, or paused by the step
            return
        if self.workshop_controller is not None:
            self.workshop_controller.undo()
        elif self.library.can_undo_delete:
            self.operations.undo_delete()
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
        # While the laptop goes round for private rating, nothing that shows the team's ratings
        # or leads away from the Rate step is in reach: not by menu, not by shortcut.
        private = controller is not None and controller.private_session
        free = not private
        paused = ""
        if in_workshop:
            undo, redo = controller.undo_label, controller.redo_label
            if self.workshop_view is not None:
                paused = self.workshop_view.current_page.undo_paused()
            if paused or private:
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
            workshop_action.setEnabled(in_workshop and free)
        # New, import and the rest open or replace workshops: the library's, not the laptop's.
        for library_action in (
            self.new_action,
            self.import_action,
            self.gather_action,
            self.demo_teams_action,
            self.frameworks_action,
        ):
            library_action.setEnabled(free)
        self.recent_menu.setEnabled(free and bool(self.settings.recent_files))
        projecting = self.projector is not None and self.projector.isVisible()
        self.projector_action.setEnabled(in_workshop and (free or projecting))
        self.library_action.setEnabled(in_workshop and free)
        self.saved_label.setVisible(in_workshop)  # the save status is a workshop's
        for step_action in (self.next_step_action, self.previous_step_action, *self.step_actions):
            step_action.setEnabled(in_workshop and free)

    def _show_saved(self, status: str) -> None:
        self.saved_label.setStyleSheet("")
        self.saved_label.setText(f"✓ {status} · {datetime.now():%H:%M}")

    def _show_not_saved(self, _message: str) -> None:
        self.saved_label.setStyleSheet(f"color: {DISAGREEMENT_COLOUR}; font-weight: bold")
        self.saved_label.setText(f"⚠ Last change not saved · {datetime.now():%H:%M}")

    def _show_problem(self, message: str) -> None:
        if self.workshop_view is not None and self.stack.currentWidget() is self.workshop_view:
            self.workshop_view.message_bar.show_message(message)
        else:
            QMessageBox.warning(self, "OpAssess", message)

    def _show_undo_delete(self) -> None:
        self.undo_delete_button.setVisible(self.library.can_undo_delete)
        self._update_actions()

    # -- settings: geometry and recent files -------------------------------------------------------

    def _restore_geometry(self) -> None:
        geometry = self.settings.window_geometry
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1280, 800)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._close_workshop_view()
        self.settings.window_geometry = self.saveGeometry()
        self.settings.sync()
        super().closeEvent(event)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = self.settings.recent_files
        for file in files:
            self.recent_menu.addAction(
                file.name, lambda f=file: self.operations.import_files([f])
            ).setToolTip(str(file))
        controller = self.workshop_controller
        self.recent_menu.setEnabled(bool(files) and not (controller and controller.private_session))

    # -- help ------------------------------------------------------------------------------------

    def show_series(self, workshop_id: str) -> None:
        from PySide6.QtCore import Qt  # not at import: see ui/home.py on the Qt namespace

        from ui.series import SeriesWindow

        series = self.library.series(workshop_id)
        if series is None:
            return
        window = SeriesWindow(series, self)
        window.save_button.clicked.connect(lambda: self.operations.save_series_chart(window))
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._keep_side_window(window)
        window.show()

    def show_compare(self) -> None:
        from PySide6.QtCore import Qt

        from ui.compare import CompareWindow

        window = CompareWindow(self.library, self.operations, self)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._keep_side_window(window)
        window.show()

    def _keep_side_window(self, window: QWidget) -> None:
        self._side_windows.append(window)
        window.destroyed.connect(lambda: self._side_windows.remove(window))

    def _close_side_windows(self) -> None:
        """Over time and Compare teams show the library's workshops, this one among them: not
        while the laptop goes round for private rating."""
        for window in list(self._side_windows):
            window.close()

    def show_frameworks(self) -> None:
        from ui.frameworks_window import FrameworksDialog

        FrameworksDialog(self.library, self.dialogs, self).exec()

    def show_shortcuts(self) -> None:
        from ui.shortcuts import ShortcutsDialog

        controller = self.workshop_controller
        framework = controller.workshop.framework if controller is not None else None
        ShortcutsDialog(self, framework=framework).exec()

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
            self.guide_window.pdf_requested.connect(self.operations.save_guide_pdf)
        self.guide_window.open_at(section_id)

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "About OpAssess",
            f"<h3>OpAssess {__version__}</h3><p>Facilitated self-assessment on the Audit "
            "Commission's breakthrough model (<i>Performance breakthroughs</i>, 2002). Works "
            "offline; every change is saved as you make it.</p>",
        )
