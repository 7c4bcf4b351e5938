"""Home: the workshop library, most recently changed first."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QConcatenateTablesProxyModel,
    QModelIndex,
    QObject,
    QSignalBlocker,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDropEvent,
    QFont,
    QKeySequence,
    QShortcut,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from opassess import SESSION_FILE_SUFFIX
from opassess.services import is_due
from opassess.store import WorkshopSummary
from opassess.wording import format_date
from ui.controller import LibraryController
from ui.style import DISAGREEMENT_COLOUR, scaled_font

if TYPE_CHECKING:
    from opassess.frameworks import Framework
    from ui.welcome import WelcomePanel


# The home window is shown without touching PySide6's `Qt` namespace: the first touch makes
# PySide build all ~90 of its Python enums, about a tenth of the start-up. So the listing
# compares roles as the plain ints it is given (tests/ui/test_home.py checks them against Qt's)
# and has no headerData(): PySide would hand it a `Qt.Orientation` as the table is set up.
DISPLAY_ROLE = 0  # Qt.ItemDataRole.DisplayRole
TOOL_TIP_ROLE = 3  # Qt.ItemDataRole.ToolTipRole
FONT_ROLE = 6  # Qt.ItemDataRole.FontRole
FOREGROUND_ROLE = 9  # Qt.ItemDataRole.ForegroundRole
SORT_ROLE = 256  # Qt.ItemDataRole.UserRole: what a column sorts by (the real date, not its text)


class WorkshopListModel(QAbstractTableModel):
    """Adapter over the library listing; data() only switches on role."""

    HEADERS = ("Held on", "Workshop", "Organisation", "Team", "People", "Re-assess by")

    def __init__(self, today: date | None = None) -> None:
        super().__init__()
        self._rows: list[WorkshopSummary] = []
        self._today = today or date.today()

    def set_rows(self, rows: list[WorkshopSummary]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def with_headings(self, parent: QObject) -> QConcatenateTablesProxyModel:
        """These rows under their column headings, for the table to show.

        The headings are a model of Qt's own with no rows, joined above the listing: a
        concatenation takes its column headings from its first model, so the header and a
        screen reader both read them there, without a call into Python."""
        headings = QStandardItemModel(0, len(self.HEADERS), parent)
        headings.setHorizontalHeaderLabels(list(self.HEADERS))
        table = QConcatenateTablesProxyModel(parent)
        table.addSourceModel(headings)
        table.addSourceModel(self)
        return table

    def data(self, index: QModelIndex, role: int = DISPLAY_ROLE) -> Any:
        row = self._rows[index.row()]
        column = index.column()
        if role == DISPLAY_ROLE:
            return self._text(row, column)
        if role == SORT_ROLE:
            return self._sort_key(row, column)
        if role == TOOL_TIP_ROLE:
            if self.is_due(row):
                return "Due for re-assessment: start a re-assessment from this workshop"
            if row.reassessed:
                return "Re-assessed: a later workshop in the library looks at this one again"
            if row.reassesses:
                return "A re-assessment of an earlier workshop"
        if role == FOREGROUND_ROLE and column == 5 and self.is_due(row):
            return QColor(DISAGREEMENT_COLOUR)
        if role == FONT_ROLE and self.is_due(row):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _text(self, row: WorkshopSummary, column: int) -> str:
        if column == 0:
            return format_date(row.held_on)
        if column == 1:
            return row.title
        if column == 2:
            return row.organisation
        if column == 3:
            return row.team
        if column == 4:
            return str(row.participant_count)
        if row.reassess_on is None:
            return ""
        due = "  (due)" if self.is_due(row) else ""
        return format_date(row.reassess_on) + due

    def _sort_key(self, row: WorkshopSummary, column: int) -> Any:
        """What a column sorts by: ISO dates (which sort as the dates do; "" before any date,
        never by the shown '5 December 2026'), the count, or else the shown text."""
        if column == 0:
            return row.held_on.isoformat() if row.held_on else ""
        if column == 5:
            return row.reassess_on.isoformat() if row.reassess_on else ""
        if column == 4:
            return row.participant_count
        return self._text(row, column)

    def is_due(self, row: WorkshopSummary) -> bool:
        """Past its re-assessment date, and no re-assessment of it started yet."""
        return is_due(row, self._today)

    def summary_at(self, row: int) -> WorkshopSummary:
        return self._rows[row]

    def due_count(self) -> int:
        return sum(1 for row in self._rows if self.is_due(row))


class HomePage(QWidget):
    """The library: search, open, re-assess, import, export, delete (with undo).

    While the library holds no workshop, a welcome panel takes its place.
    """

    open_requested = Signal(str)  # workshop id
    import_requested = Signal(list)  # paths dropped on the page
    import_dialog_requested = Signal()
    export_requested = Signal(str)  # workshop id
    delete_requested = Signal(str)  # workshop id
    guide_requested = Signal()  # the facilitator's guide, from the welcome panel
    series_requested = Signal(str)  # workshop id: it and its re-assessments over time
    compare_requested = Signal()

    def __init__(self, library: LibraryController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.setAcceptDrops(True)

        heading = QLabel("Workshops")
        heading.setFont(scaled_font(heading.font(), 1.6, bold=True))
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search by title, organisation or team")
        self.search.setAccessibleName("Search workshops")
        self.search.setClearButtonEnabled(True)

        self.new_button = QPushButton("New workshop")
        self.demo_button = QPushButton("Open the demo workshop")
        self.open_button = QPushButton("Open")
        self.reassess_button = QPushButton("Re-assess…")
        self.reassess_button.setToolTip("Start a new workshop that re-assesses the selected one")
        self.import_button = QPushButton("Import…")
        self.export_button = QPushButton("Export…")
        self.delete_button = QPushButton("Delete")
        self.series_button = QPushButton("Over time…")
        self.series_button.setToolTip(
            "The selected workshop and all its re-assessments: stages over time, actions followed"
        )
        self.compare_button = QPushButton("Compare teams…")
        self.compare_button.setToolTip("Set teams side by side: a heatmap of their agreed stages")
        for button in (
            self.new_button,
            self.demo_button,
            self.open_button,
            self.reassess_button,
            self.series_button,
            self.compare_button,
            self.import_button,
            self.export_button,
            self.delete_button,
        ):
            button.setAccessibleName(button.text().rstrip("…"))

        self.model = WorkshopListModel()
        self.table = QTableView()
        self.table.setModel(self.model.with_headings(self))
        self.table.setAccessibleName("Workshops in the library")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab moves on, not from cell to cell
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

        self._no_match: QLabel | None = None  # made for the first search that finds nothing
        self._welcome: WelcomePanel | None = None  # made on first run only
        self.due_note = QLabel()
        self.due_note.setStyleSheet(f"color: {DISAGREEMENT_COLOUR}; font-weight: bold")

        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.search, 2)
        actions = QHBoxLayout()
        for button in (self.new_button, self.demo_button, self.import_button, self.compare_button):
            actions.addWidget(button)
        actions.addStretch(1)
        for button in (
            self.open_button,
            self.reassess_button,
            self.series_button,
            self.export_button,
            self.delete_button,
        ):
            actions.addWidget(button)
        # The library proper, shown once there is a workshop; the welcome panel until then.
        self.library_view = QWidget()
        listing = QVBoxLayout(self.library_view)
        listing.setContentsMargins(0, 0, 0, 0)
        listing.addLayout(top)
        listing.addLayout(actions)
        listing.addWidget(self.due_note)
        listing.addWidget(self.table, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.library_view, 1)
        self._connect_signals()
        self.refresh()

    @property
    def welcome(self) -> WelcomePanel:
        """The first-run panel, made when first needed: most starts open a library with
        workshops in it, and never pay for it."""
        if self._welcome is None:
            from ui.welcome import WelcomePanel

            self._welcome = WelcomePanel()
            self._welcome.hide()
            self._welcome.demo_requested.connect(self._demo)
            self._welcome.new_requested.connect(self._new)
            self._welcome.import_requested.connect(self.import_dialog_requested.emit)
            self._welcome.guide_requested.connect(self.guide_requested.emit)
            self.layout().insertWidget(0, self._welcome, 1)
        return self._welcome

    @property
    def no_match(self) -> QLabel:
        """Says that a search found nothing, in place of the table."""
        if self._no_match is None:
            from PySide6.QtCore import Qt

            self._no_match = QLabel()
            self._no_match.setWordWrap(True)
            self._no_match.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self._no_match.setFrameShape(QFrame.Shape.StyledPanel)
            self._no_match.setAccessibleName("No match")
            self._no_match.hide()
            listing = self.library_view.layout()
            listing.insertWidget(listing.indexOf(self.table), self._no_match, 1)
        return self._no_match

    def _connect_signals(self) -> None:
        self.search.textChanged.connect(lambda _text: self.refresh())
        self.table.activated.connect(lambda index: self._open_row(index.row()))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._enable_buttons())
        self.open_button.clicked.connect(lambda: self._open_row(self._selected_row()))
        self.new_button.clicked.connect(self._new)
        self.demo_button.clicked.connect(self._demo)
        self.reassess_button.clicked.connect(self._reassess)
        self.series_button.clicked.connect(self._series)
        self.compare_button.clicked.connect(self.compare_requested.emit)
        self.import_button.clicked.connect(self.import_dialog_requested.emit)
        self.export_button.clicked.connect(self._export)
        self.delete_button.clicked.connect(self._delete)
        self.library.listing_changed.connect(self.refresh)
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self.search.setFocus)
        QShortcut(QKeySequence("Del"), self.table, activated=self._delete)

    def refresh(self) -> None:
        selected = self.selected_id()
        self.model.set_rows(self.library.summaries(self.search.text()))
        has_rows = self.model.rowCount() > 0
        searching = bool(self.search.text().strip())
        # A search that matches nothing is not an empty library: only the latter welcomes.
        first_run = not has_rows and (not searching or not self.library.summaries())
        if first_run and searching:
            with QSignalBlocker(self.search):
                self.search.clear()
        if first_run or self._welcome is not None:
            self.welcome.setVisible(first_run)
        self.library_view.setVisible(not first_run)
        nothing_matches = not has_rows and not first_run
        if nothing_matches or self._no_match is not None:
            self.no_match.setVisible(nothing_matches)
        self.table.setVisible(has_rows)
        if nothing_matches:
            from html import escape  # only a search that finds nothing needs it

            self.no_match.setText(
                f"<h3>No workshop matches “{escape(self.search.text().strip())}”</h3>"
                "<p>Try fewer or other words, or clear the search to see every workshop.</p>"
            )
        due = self.model.due_count()
        self.due_note.setVisible(due > 0)
        self.due_note.setText(
            f"{due} workshop{'s are' if due != 1 else ' is'} due for re-assessment."
        )
        if selected:
            self.select(selected)
        self._enable_buttons()

    def select(self, workshop_id: str) -> None:
        for row in range(self.model.rowCount()):
            if self.model.summary_at(row).id == workshop_id:
                self.table.selectRow(row)
                return

    def selected_id(self) -> str | None:
        row = self._selected_row()
        return self.model.summary_at(row).id if row >= 0 else None

    def _selected_row(self) -> int:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return rows[0].row() if rows else -1

    def _enable_buttons(self) -> None:
        chosen = self._selected_row() >= 0
        for button in (
            self.open_button,
            self.reassess_button,
            self.series_button,
            self.export_button,
            self.delete_button,
        ):
            button.setEnabled(chosen)

    def _open_row(self, row: int) -> None:
        if row >= 0:
            self.open_requested.emit(self.model.summary_at(row).id)

    def _new(self) -> None:
        from ui import new_workshop  # the dialog and the frameworks load when first asked for

        answer = new_workshop.ask_new_workshop(self.library.frameworks(), self)
        if answer is None:
            return
        created = self.library.create(*answer)
        if created:
            self.open_requested.emit(created)

    def _demo(self) -> None:
        demo = self.library.add_demo()
        if demo:
            self.open_requested.emit(demo)

    def _reassess(self) -> None:
        chosen = self.selected_id()
        if chosen:
            created = self.library.start_reassessment(chosen, self._choose_version)
            if created:
                self.open_requested.emit(created)

    def _choose_version(self, last_copy: Framework, current: Framework) -> Framework | None:
        """Which version of a changed framework a re-assessment uses; last time's by default."""
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(self)
        box.setWindowTitle("Which version of the framework?")
        box.setText(
            f"“{current.title}” is not the same as the copy last time's workshop used: it has "
            "been edited since, or that workshop adapted its wording.\n\n"
            "Last time's copy compares everything. The current version is compared by what it "
            "still shares with last time, and the review says what it could not compare."
        )
        keep = box.addButton("Last time's copy", QMessageBox.ButtonRole.AcceptRole)
        newer = box.addButton("The current version", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(keep)
        box.exec()
        clicked = box.clickedButton()
        if clicked is keep:
            return last_copy
        if clicked is newer:
            return current
        return None

    def _series(self) -> None:
        chosen = self.selected_id()
        if chosen:
            self.series_requested.emit(chosen)

    def _export(self) -> None:
        chosen = self.selected_id()
        if chosen:
            self.export_requested.emit(chosen)

    def _delete(self) -> None:
        chosen = self.selected_id()
        if chosen:
            self.delete_requested.emit(chosen)

    # -- drag and drop of session files ----------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped_paths(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = self._dropped_paths(event)
        if paths:
            event.acceptProposedAction()
            self.import_requested.emit(paths)

    @staticmethod
    def _dropped_paths(event: QDragEnterEvent | QDropEvent) -> list[Path]:
        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        # Session files, and folders of them (an office gathering every team's returns).
        return [
            Path(url.toLocalFile())
            for url in mime.urls()
            if url.isLocalFile()
            and (
                url.toLocalFile().lower().endswith(SESSION_FILE_SUFFIX)
                or Path(url.toLocalFile()).is_dir()
            )
        ]
