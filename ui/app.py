"""The desktop application's entry: open the library, show the main window."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from opassess import __version__
from opassess.paths import resources_dir

if TYPE_CHECKING:
    from opassess.store import Library, Recovery


def run(data_dir: Path, smoke_test: bool = False) -> int:
    """Start the GUI on the library in `data_dir`; with smoke_test, prove it works and exit."""
    from opassess.files import plain_os_reason
    from opassess.store import LibraryError

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("OpAssess")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("OpAssess")
    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "opassess.png")))
    try:
        library = _open_library(data_dir, offer=not smoke_test)
    except (LibraryError, OSError) as exc:
        if isinstance(exc, OSError):
            name = Path(exc.filename).name if exc.filename else "the data folder"
            message = f"The library could not be opened: {name}: {plain_os_reason(exc, 'read')}"
        else:
            message = str(exc)
        if smoke_test:
            print(f"opassess: {message}", file=sys.stderr)
        else:
            QMessageBox.critical(None, _start_problem_title(exc), message)
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


def _open_library(data_dir: Path, *, offer: bool) -> Library:
    """Open the library, first offering any backups kept from before a damage.

    They are offered at every start until one is restored or they are dismissed, so a library
    started afresh after a damage never hides them. A damage found now sets the file aside and
    keeps its backups: they are offered at once.
    """
    from opassess.store import Library, LibraryDamaged, recovery_offer

    if offer and (kept := recovery_offer(data_dir)) is not None:
        _offer_recovery(data_dir, kept)
    try:
        return Library.open(data_dir)
    except LibraryDamaged as damaged:
        kept = recovery_offer(data_dir) if offer else None
        if kept is None:
            raise
        _offer_recovery(data_dir, kept, damaged)
        return Library.open(data_dir)


RESTORE, LATER, DISMISS = "restore", "later", "dismiss"


def _offer_recovery(data_dir: Path, offer: Recovery, damaged: Exception | None = None) -> None:
    """Ask what to do with the kept backups, and do it; a refusal is told, the offer stays."""
    from opassess.store import LibraryError, dismiss_recovery, restore_backup

    choice, backup = _ask_about_backups(data_dir, offer, damaged)
    try:
        if choice == RESTORE and backup is not None:
            kept = restore_backup(data_dir, backup)
            if kept is not None:
                QMessageBox.information(
                    None,
                    "OpAssess: backup restored",
                    f"The backup from {_when(backup)} is now the library. The library that was "
                    f"in use is kept as {kept.name} in {data_dir}; nothing was overwritten.",
                )
        elif choice == DISMISS:
            dismiss_recovery(data_dir)
    except LibraryError as exc:
        QMessageBox.warning(None, "OpAssess: the backups were not changed", str(exc))


def _ask_about_backups(
    data_dir: Path, offer: Recovery, damaged: Exception | None
) -> tuple[str, Path | None]:
    """(RESTORE, the backup), (LATER, None) or (DISMISS, None), as the facilitator chooses."""
    from PySide6.QtWidgets import QInputDialog

    from opassess.wording import count_words

    title = "OpAssess: the library was damaged"
    if damaged is not None:
        reason = getattr(damaged, "reason", offer.reason)
        aside = getattr(damaged, "kept_aside", None)
        found = (
            f"The library could not be used ({reason}). It was set aside as "
            f"{aside.name if aside else 'another name'} in {data_dir}, and nothing was deleted."
        )
    else:
        names = ", ".join(path.name for path in offer.set_aside)
        found = (
            f"When OpAssess started on {_when(offer.found_at)}, the library could not be used "
            f"({offer.reason})."
        )
        if names:  # none when the file had gone: there was nothing to set aside
            found += f" It was set aside as {names} in {data_dir}, and nothing was deleted."
    count = len(offer.backups)
    if count == 1:
        kept = f"One backup from before then is kept, from {_when(offer.backups[0])}."
        offered = "It is offered each time OpAssess starts until you restore it or stop "
        stop = "Stop offering it"
        them = "it"
        moved = "the backup moves"
    else:
        kept = (
            f"{count_words(count, 'backup').capitalize()} from before then are kept; the "
            f"newest is from {_when(offer.backups[0])}."
        )
        offered = "They are offered each time OpAssess starts until you restore one or stop "
        stop = "Stop offering them"
        them = "them"
        moved = "the backups move"
    details = (
        f"{kept} Restoring puts a backup in place of the library now in use, which is kept "
        "aside under a new name, never overwritten.\n\n"
        f"{offered}offering {them}. Not now starts OpAssess with the library as it is (empty, "
        "if it was started afresh)."
    )
    while True:
        box = QMessageBox(QMessageBox.Icon.Warning, title, found)
        box.setInformativeText(details)
        restore = box.addButton("Restore the newest backup", QMessageBox.ButtonRole.AcceptRole)
        choose = None
        if count > 1:
            choose = box.addButton("Choose a backup…", QMessageBox.ButtonRole.ActionRole)
        later = box.addButton("Not now", QMessageBox.ButtonRole.RejectRole)
        dismiss = box.addButton(stop, QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(restore)
        box.setEscapeButton(later)
        box.exec()
        clicked = box.clickedButton()
        if clicked is restore:
            return RESTORE, offer.backups[0]
        if clicked is dismiss:
            answer = QMessageBox.question(
                None,
                title,
                f"{stop}? Nothing is deleted: {moved} to a folder of its own in "
                f"{data_dir / 'backups'}, where the restore command can still put {them} back.",
            )
            if answer == QMessageBox.StandardButton.Yes:
                return DISMISS, None
            continue
        if choose is not None and clicked is choose:
            labels = [f"{_when(path)}  ({path.name})" for path in offer.backups]
            label, accepted = QInputDialog.getItem(
                None, title, "Restore the backup from:", labels, 0, False
            )
            if accepted and label in labels:
                return RESTORE, offer.backups[labels.index(label)]
            continue
        return LATER, None


def _when(moment: datetime | Path) -> str:
    """A time for people, on this computer's clock: '8 December 2026 at 14:05'."""
    from opassess.store import backup_time
    from opassess.wording import format_date

    if isinstance(moment, Path):
        taken = backup_time(moment)
        if taken is None:
            return moment.name
        moment = taken
    local = moment.astimezone()
    return f"{format_date(local.date())} at {local:%H:%M}"


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
