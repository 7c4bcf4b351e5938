"""The frameworks a facilitator can choose from: look at one, make a team's own copy, edit it,
and carry it to another laptop as a file.

Every change goes through the library controller (which checks and stores it); this dialog only
shows the list and asks the questions. The built-in frameworks are never edited in place: a team
duplicates one and edits its copy.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from opassess.files import safe_file_stem
from opassess.framework_library import FRAMEWORK_FILE_SUFFIX, FrameworkEntry, duplicate_framework
from opassess.frameworks import Framework
from ui.controller import LibraryController
from ui.framework_editor import FrameworkEditor
from ui.new_workshop import framework_overview_html
from ui.operations import FileDialogs

FILE_FILTER = f"Framework files (*{FRAMEWORK_FILE_SUFFIX})"


class FrameworksDialog(QDialog):
    """The framework library: built-in frameworks and the team's own."""

    def __init__(
        self, library: LibraryController, dialogs: FileDialogs, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Frameworks")
        self.library = library
        self.dialogs = dialogs
        self.entries: list[FrameworkEntry] = []
        self.framework_list = QListWidget()
        self.framework_list.setAccessibleName("Frameworks")
        self.framework_list.currentRowChanged.connect(self._show)
        self.preview = QTextBrowser()
        self.duplicate_button = QPushButton("&Duplicate…")
        self.edit_button = QPushButton("&Edit…")
        self.delete_button = QPushButton("De&lete")
        self.import_button = QPushButton("&Import…")
        self.export_button = QPushButton("E&xport…")
        self.duplicate_button.clicked.connect(self.duplicate_chosen)
        self.edit_button.clicked.connect(self.edit_chosen)
        self.delete_button.clicked.connect(self.delete_chosen)
        self.import_button.clicked.connect(self.import_file)
        self.export_button.clicked.connect(self.export_chosen)
        self.duplicate_button.setToolTip("Make an editable copy of your own")
        self.edit_button.setToolTip(
            "Only your own frameworks can be edited: duplicate a built-in one"
        )
        buttons = QVBoxLayout()
        for button in (
            self.duplicate_button,
            self.edit_button,
            self.delete_button,
            self.import_button,
            self.export_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.framework_list, 2)
        body.addWidget(self.preview, 4)
        body.addLayout(buttons)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(close)
        self.resize(1000, 600)
        library.frameworks_changed.connect(self.refresh)
        self.refresh()

    # -- showing --------------------------------------------------------------------------------

    def refresh(self, select_id: str | None = None) -> None:
        chosen = select_id or (self.chosen.framework.id if self.chosen else None)
        self.entries = self.library.frameworks()
        self.framework_list.blockSignals(True)
        self.framework_list.clear()
        for entry in self.entries:
            self.framework_list.addItem(entry.label)
        self.framework_list.blockSignals(False)
        ids = [entry.framework.id for entry in self.entries]
        self.framework_list.setCurrentRow(ids.index(chosen) if chosen in ids else 0)
        self._show(self.framework_list.currentRow())

    @property
    def chosen(self) -> FrameworkEntry | None:
        row = self.framework_list.currentRow()
        return self.entries[row] if 0 <= row < len(self.entries) else None

    def _show(self, row: int) -> None:
        entry = self.entries[row] if 0 <= row < len(self.entries) else None
        self.preview.setHtml(framework_overview_html(entry.framework) if entry else "")
        own = entry is not None and not entry.builtin
        self.edit_button.setEnabled(own)
        self.delete_button.setEnabled(own)
        self.export_button.setEnabled(entry is not None)
        self.duplicate_button.setEnabled(entry is not None)

    # -- the user's intents ---------------------------------------------------------------------

    def duplicate_chosen(self) -> Framework | None:
        entry = self.chosen
        if entry is None:
            return None
        name, given = QInputDialog.getText(
            self,
            "Duplicate framework",
            "Name of your copy:",
            QLineEdit.EchoMode.Normal,
            f"{entry.framework.name} (our version)",
        )
        if not given:
            return None
        try:
            copy = duplicate_framework(entry.framework, name, self.library.library)
        except ValueError as problem:
            self.dialogs.warn("Not duplicated", str(problem))
            return None
        problem_text = self.library.save_framework(copy)
        if problem_text:
            self.dialogs.warn("Not duplicated", problem_text)
            return None
        self.refresh(copy.id)
        return copy

    def edit_chosen(self) -> Framework | None:
        entry = self.chosen
        if entry is None or entry.builtin:
            return None
        editor = FrameworkEditor(entry.framework, self.library.save_framework, self)
        if editor.exec() != QDialog.DialogCode.Accepted:
            return None
        self.refresh(entry.framework.id)
        return editor.saved

    def delete_chosen(self) -> None:
        entry = self.chosen
        if entry is None or entry.builtin:
            return
        if not self.dialogs.confirm(
            f"Delete the framework “{entry.framework.title}”? Workshops already held on it keep "
            "their own copy."
        ):
            return
        self.library.delete_framework(entry.framework.id)

    def import_file(self) -> None:
        for path in self.dialogs.choose_open_paths("Import a framework file", FILE_FILTER):
            imported = self.library.import_framework(path, self._ask_replace)
            if imported is not None:
                self.refresh(imported.id)

    def export_chosen(self) -> None:
        entry = self.chosen
        if entry is None:
            return
        path = self.dialogs.save_path(
            "Export framework",
            safe_file_stem(entry.framework.name) + FRAMEWORK_FILE_SUFFIX,
            FILE_FILTER,
            FRAMEWORK_FILE_SUFFIX,
        )
        if path is not None:
            self.library.export_framework(entry.framework, path)

    def _ask_replace(self, existing: Framework, incoming: Framework) -> bool:
        answer = QMessageBox.question(
            self,
            "Replace framework?",
            f"Your framework “{existing.title}” has the same id as the file's "
            f"“{incoming.title}”. Replace yours with the file's? Workshops already held keep "
            "their own copy.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes
