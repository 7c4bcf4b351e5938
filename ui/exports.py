"""Running an export without freezing the window, and saying plainly how it went.

Workshops are immutable values, so handing one to a worker thread is safe: the thread only
reads it and writes a file. Widgets are touched on the GUI thread alone, through signals.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from opassess.services import user_message


class _Signals(QObject):
    finished = Signal(int, object)  # job number, whatever the work returned
    failed = Signal(int, str)


class _Job(QRunnable):
    def __init__(self, number: int, work: Callable[[], object]) -> None:
        super().__init__()
        self.number = number
        self.work = work
        self.signals = _Signals()

    def run(self) -> None:
        try:
            result = self.work()
        except Exception as exc:  # reported on the GUI thread, never lost in the worker
            problem = user_message(exc)
            if problem is None:  # a bug: its traceback goes to the log in the data folder
                from opassess.logs import log_unexpected

                log_unexpected(type(exc), exc, exc.__traceback__, "An export failed")
            self.signals.failed.emit(
                self.number, problem or f"The export failed unexpectedly: {exc!r}"
            )
            return
        self.signals.finished.emit(self.number, result)


class ExportRunner(QObject):
    """Runs exports in the background with a progress dialog.

    The worker's signals are connected to this object's slots, which live on the GUI thread,
    so Qt queues them there: no widget is ever touched from the worker.
    """

    finished = Signal(str, object)  # description, result
    failed = Signal(str)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._parent = parent
        self._running: dict[int, tuple[_Job, QProgressDialog, str, Path]] = {}
        self._numbers = 0
        # Off in tests and scripted runs: outcomes then arrive only through the signals.
        self.show_dialogs = True

    def run(self, description: str, work: Callable[[], object], folder: Path) -> None:
        """Start `work` in a worker thread; when done, offer to open `folder`."""
        progress = QProgressDialog(f"{description}…", None, 0, 0, self._parent)
        progress.setWindowTitle("OpAssess")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)  # quick exports never flash a dialog
        self._numbers += 1
        job = _Job(self._numbers, work)
        job.setAutoDelete(False)  # kept until its result has been handled here
        job.signals.finished.connect(self._job_finished)
        job.signals.failed.connect(self._job_failed)
        self._running[job.number] = (job, progress, description, folder)
        QThreadPool.globalInstance().start(job)

    @property
    def busy(self) -> bool:
        return bool(self._running)

    @Slot(int, object)
    def _job_finished(self, number: int, result: object) -> None:
        _job, progress, description, folder = self._running.pop(number)
        progress.close()
        self.finished.emit(description, result)
        if self.show_dialogs:
            self._offer_folder(description, folder)

    @Slot(int, str)
    def _job_failed(self, number: int, message: str) -> None:
        _job, progress, _description, _folder = self._running.pop(number)
        progress.close()
        self.failed.emit(message)
        if self.show_dialogs:
            QMessageBox.warning(self._parent, "Export failed", message)

    def _offer_folder(self, description: str, folder: Path) -> None:
        box = QMessageBox(self._parent)
        box.setWindowTitle("OpAssess")
        box.setText(f"{description}: done.\n\nSaved in {folder}")
        open_button = box.addButton("Open folder", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.exec()
        if box.clickedButton() is open_button:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
