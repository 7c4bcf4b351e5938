"""What happens when something goes wrong that nobody planned for: log it, say so once, carry on.

A slot that raises would otherwise print a traceback nobody sees (there is no console in the
packaged app) and leave the facilitator wondering whether the last click did anything. Every edit
is committed as it is made, so the honest message is short: this went wrong, your work is saved,
the details are in this file.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox, QWidget

from opassess.logs import error_signature, log_unexpected

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def problem_text(log_file: Path | None, logged: bool) -> tuple[str, list[str]]:
    """The dialog's headline and its paragraphs, as plain text."""
    headline = "Something went wrong, but OpAssess is still running."
    paragraphs = ["Your work up to the last change is saved."]
    if logged and log_file is not None:
        paragraphs.append(f"Details were written to {log_file}.")
        paragraphs.append(
            "If it keeps happening, send that file to whoever looks after OpAssess for you."
        )
    else:
        paragraphs.append("The details could not be written to the log.")
    return headline, paragraphs


def problem_dialog(parent: QWidget | None, log_file: Path | None, logged: bool) -> QMessageBox:
    """The plain warning: what happened, that the work is safe, where the details are."""
    # Imported here: the reporter is installed at every start, the dialog is rarely needed.
    import html

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    headline, paragraphs = problem_text(log_file, logged)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("OpAssess")
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(f"<b>{html.escape(headline)}</b>")
    # The path on a line of its own, so it is not broken where a folder name happens to wrap.
    shown = [html.escape(p) for p in paragraphs]
    if logged and log_file is not None:
        shown[1] = f"Details were written to<br><code>{html.escape(str(log_file))}</code>"
    box.setInformativeText("".join(f"<p>{p}</p>" for p in shown))
    box.setStyleSheet("QLabel#qt_msgbox_informativelabel { min-width: 500px; }")
    if logged and log_file is not None:
        folder = box.addButton("Show the log folder", QMessageBox.ButtonRole.ActionRole)
        folder.setObjectName("show_log_folder")
    box.addButton(QMessageBox.StandardButton.Ok)
    box.setDefaultButton(QMessageBox.StandardButton.Ok)
    return box


def show_problem_dialog(parent: QWidget | None, log_file: Path | None, logged: bool) -> None:
    """Show the problem dialog and wait; the reporter's default way of telling."""
    box = problem_dialog(parent, log_file, logged)
    box.exec()
    clicked = box.clickedButton()
    if clicked is not None and clicked.objectName() == "show_log_folder" and log_file:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_file.parent)))


class ErrorReporter:
    """A sys.excepthook: log every unexpected error, tell the person once per kind of error.

    The window is left running: the error ended one slot, not the application.
    """

    def __init__(
        self,
        log_file: Path | None,
        show: Callable[[QWidget | None, Path | None, bool], None] | None = show_problem_dialog,
    ) -> None:
        self.log_file = log_file
        self._show = show  # None: log and print only, for scripted runs with nobody watching
        self._seen: set[tuple] = set()
        self._showing = False
        self._previous: Callable[..., object] | None = None

    def install(self) -> ErrorReporter:
        self._previous = sys.excepthook
        sys.excepthook = self
        return self

    def uninstall(self) -> None:
        if sys.excepthook is self:
            sys.excepthook = self._previous or sys.__excepthook__
        self._previous = None

    def __enter__(self) -> ErrorReporter:
        return self.install()

    def __exit__(self, *_exc: object) -> None:
        self.uninstall()

    def __call__(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            (self._previous or sys.__excepthook__)(exc_type, exc, tb)
            return
        logged = log_unexpected(exc_type, exc, tb)
        if self._show is None:
            sys.__excepthook__(exc_type, exc, tb)
            return
        signature = error_signature(exc_type, exc, tb)
        if signature in self._seen or self._showing:
            return  # said once already (or saying it now); the log has every occurrence
        self._seen.add(signature)
        self._showing = True
        try:
            self._show(QApplication.activeWindow(), self.log_file, logged)
        except Exception as failure:  # the reporter itself must never raise
            log_unexpected(
                type(failure), failure, failure.__traceback__, "The error dialog itself failed"
            )
        finally:
            self._showing = False
