"""The desktop application's entry: open the library, show the main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from opassess import __version__
from opassess.paths import resources_dir


def run(data_dir: Path, smoke_test: bool = False) -> int:
    """Start the GUI on the library in `data_dir`; with smoke_test, prove it works and exit."""
    from opassess.store import Library, LibraryDamaged, LibraryError, restore_backup

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("OpAssess")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("OpAssess")
    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "opassess.png")))
    try:
        try:
            library = Library.open(data_dir)
        except LibraryDamaged as damaged:
            if smoke_test or not damaged.backups or not _offer_backup(damaged):
                raise
            restore_backup(data_dir, damaged.backups[0])
            library = Library.open(data_dir)
    except LibraryError as exc:
        if smoke_test:
            print(f"opassess: {exc}", file=sys.stderr)
        else:
            QMessageBox.critical(None, _start_problem_title(exc), str(exc))
        return 2

    from opassess.logs import setup_logging, stop_logging
    from ui.controller import LibraryController
    from ui.errors import ErrorReporter, show_problem_dialog
    from ui.main_window import MainWindow

    # An unexpected error in any slot is logged in the data folder and told once; the window
    # stays open. A smoke test has nobody to tell, so it only logs and prints.
    reporter = ErrorReporter(setup_logging(data_dir), None if smoke_test else show_problem_dialog)
    with library, reporter:
        # Window settings live beside the library, so a portable or test data folder is
        # self-contained and never touches the user's own settings.
        settings = QSettings(str(data_dir / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(LibraryController(library), settings)
        window.show()
        try:
            if smoke_test:
                return _smoke_test(app, window)
            return app.exec()
        finally:
            stop_logging()


def _start_problem_title(problem: Exception) -> str:
    """The title of the message when the library cannot be opened at all."""
    from opassess.store import LibraryDamaged, LibraryInUse, LibraryTooNew

    if isinstance(problem, LibraryInUse):
        return "OpAssess is already open"
    if isinstance(problem, LibraryTooNew):
        return "OpAssess needs updating"
    if isinstance(problem, LibraryDamaged):
        return "OpAssess: the library is damaged"
    return "OpAssess could not start"


def _offer_backup(damaged: Exception) -> bool:
    newest = damaged.backups[0]  # type: ignore[attr-defined]
    answer = QMessageBox.warning(
        None,
        "OpAssess: the library is damaged",
        f"{damaged}\n\nOpen the newest good backup ({newest.name}) instead?",
        QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Open


def _smoke_test(app: QApplication, window: object) -> int:
    """Open the demo workshop, visit every step and the projector view, the demo's trend chart
    and a comparison, then quit."""
    result = {"code": 1}

    def visit() -> None:
        try:
            demo_id = window.library.add_demo()  # type: ignore[attr-defined]
            if not demo_id or not window.open_workshop(demo_id):  # type: ignore[attr-defined]
                raise RuntimeError("the demo workshop did not open")
            view = window.workshop_view  # type: ignore[attr-defined]
            for index in range(len(view.pages)):
                view.go_to_step(index)
                app.processEvents()
            window.toggle_projector()  # type: ignore[attr-defined]
            app.processEvents()
            if window.projector is None:  # type: ignore[attr-defined]
                raise RuntimeError("the projector view did not open")
            window.toggle_projector()  # type: ignore[attr-defined]
            window.show_home()  # type: ignore[attr-defined]
            app.processEvents()
            # The trend chart brings pyqtgraph and numpy: a packaged build must carry both.
            from ui.compare import CompareWindow
            from ui.series import SeriesWindow

            series = window.library.series(demo_id)  # type: ignore[attr-defined]
            if series is None:
                raise RuntimeError("the demo's series did not open")
            chart = SeriesWindow(series)
            chart.show()
            app.processEvents()
            chart.close()
            compared = CompareWindow(window.library, None)  # type: ignore[attr-defined]
            if not compared.run():
                raise RuntimeError("the comparison found nothing to compare")
            compared.close()
            result["code"] = 0
        except Exception as exc:  # reported, not raised: the smoke test's job is to say why
            print(f"opassess: smoke test failed: {exc!r}", file=sys.stderr)
        window.close()  # type: ignore[attr-defined]
        app.quit()

    QTimer.singleShot(0, visit)
    app.exec()
    return result["code"]
