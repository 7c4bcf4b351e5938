"""Teams side by side: choose workshops by organisation, team, dates and tag, and see a heatmap
of their agreed stages, the spread of each team's ratings, and where the teams differ most.

Loading many workshops happens in small steps with a progress dialog the facilitator can cancel,
so a library of thousands stays responsive; the figures come from opassess.rollup.compare, the
same the roll-up workbook and report print.
"""

from __future__ import annotations

import textwrap
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from opassess.frameworks import capitalised
from opassess.rollup import Comparison, Filters, team_names, teams_words
from opassess.wording import level_count
from opassess.workshop import Workshop
from ui.controller import LibraryController
from ui.date_field import DateField

if TYPE_CHECKING:
    from opassess.services import RollUp, RollUpExportName
    from ui.operations import Operations

STEP = 25  # workshops loaded between two turns of the event loop (about 15 ms)
Index = QModelIndex | QPersistentModelIndex


def readable_on(background: QColor) -> QColor:
    """Black or white, whichever reads on `background` (by perceived brightness)."""
    brightness = 0.299 * background.red() + 0.587 * background.green() + 0.114 * background.blue()
    return QColor("#000000" if brightness > 150 else "#FFFFFF")


class HeatmapModel(QAbstractTableModel):
    """Teams by dimensions: each cell a team's agreed stage, in the stage's colour; or, as the
    spread view, how far apart its members' ratings were."""

    def __init__(self, comparison: Comparison, show: str = "stage") -> None:
        super().__init__()
        self.comparison = comparison
        self.show = show  # "stage" or "spread"
        # as every other surface names them: two organisations' "Senior team" told apart
        self.names = team_names(comparison)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self.comparison.teams)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.comparison.dimensions)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if orientation == Qt.Orientation.Horizontal:
            name = self.comparison.dimensions[section][1]
            # On lines of their own: a header does not wrap, and a long name cut in its middle
            # ("erstand that what we d") says nothing.
            return name if role == Qt.ItemDataRole.ToolTipRole else textwrap.fill(name, 20)
        team = self.comparison.teams[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{team.title} ({team.organisation})" if team.organisation else team.title
        return self.names[team.workshop_id]

    def data(self, index: Index, role: int = 0) -> Any:
        team = self.comparison.teams[index.row()]
        dimension_id, name = self.comparison.dimensions[index.column()]
        terms = self.comparison.framework.terms
        if role == Qt.ItemDataRole.DisplayRole:
            if self.show == "spread":
                spread = team.spreads[dimension_id]
                return "—" if spread is None else level_count(spread, terms)
            return team.stage_names[dimension_id] or "not agreed"
        if role == Qt.ItemDataRole.BackgroundRole and self.show == "stage":
            stage = team.stages[dimension_id]
            return QColor(self.comparison.framework.colour_of(stage)) if stage else None
        if role == Qt.ItemDataRole.ForegroundRole and self.show == "stage":
            stage = team.stages[dimension_id]
            if stage:
                return readable_on(QColor(self.comparison.framework.colour_of(stage)))
        if role == Qt.ItemDataRole.ToolTipRole:
            spread = team.spreads[dimension_id]
            return (
                f"{self.names[team.workshop_id]}, {name}: agreed "
                f"{team.stage_names[dimension_id] or 'nothing yet'}; "
                f"ratings {level_count(spread or 0, terms)} apart"
            )
        return None


class CompareWindow(QDialog):
    """Choose teams, compare them, and export the roll-up."""

    def __init__(
        self,
        library: LibraryController,
        operations: Operations | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Compare teams")
        self.library = library
        self.operations = operations
        self.comparison: Comparison | None = None
        self.rollup: RollUp | None = None
        self.workshops: list[Workshop] = []
        self.organisation = QLineEdit()
        self.team = QLineEdit()
        self.held_from = DateField("Any date")
        self.held_to = DateField("Any date")
        self.held_from.edit.setAccessibleName("Held from")
        self.held_to.edit.setAccessibleName("Held to")
        self.tag = QLineEdit()
        self.latest_only = QCheckBox("Only each team's latest workshop")
        self.latest_only.setChecked(Filters().latest_only)  # the default every surface has
        self.compare_button = QPushButton("&Compare")
        self.compare_button.setDefault(True)
        self.compare_button.clicked.connect(self.run)
        filters = QFormLayout()
        filters.addRow("&Organisation contains", self.organisation)
        filters.addRow("&Team contains", self.team)
        dates = QHBoxLayout()
        top_aligned = Qt.AlignmentFlag.AlignTop  # a note under one date leaves the other be
        to_label = QLabel("to")
        to_label.setMinimumHeight(self.held_to.edit.sizeHint().height())
        for widget in (self.held_from, to_label, self.held_to):
            dates.addWidget(widget, 0, top_aligned)
        dates.addStretch(1)
        held_label = QLabel("Hel&d from")
        held_label.setBuddy(self.held_from.edit)
        filters.addRow(held_label, dates)
        filters.addRow("Ta&g", self.tag)
        filters.addRow("", self.latest_only)
        top = QHBoxLayout()
        top.addLayout(filters, 1)
        top.addWidget(self.compare_button, 0, Qt.AlignmentFlag.AlignBottom)
        self.summary = QLabel("Choose which teams to compare, then Compare.")
        self.summary.setWordWrap(True)
        self.heatmap = self._grid("Heatmap of agreed stages")
        self.spread = self._grid("Spread of each team's ratings")
        self.apart = QTableView()
        self.apart.setAccessibleName("Where the teams differ most")
        self.apart.setTabKeyNavigation(False)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.heatmap, "&Heatmap")
        self.tabs.addTab(self.spread, "S&pread")
        self.tabs.addTab(self.apart, "&Where teams differ")
        self.workbook_button = QPushButton("Excel &workbook…")
        self.report_button = QPushButton("PDF &report…")
        for button in (self.workbook_button, self.report_button):
            button.setEnabled(False)
        self.workbook_button.clicked.connect(lambda: self._export("rollup-workbook"))
        self.report_button.clicked.connect(lambda: self._export("rollup-report"))
        exports = QHBoxLayout()
        exports.addStretch(1)
        exports.addWidget(self.workbook_button)
        exports.addWidget(self.report_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(exports)
        self.resize(1200, 760)

    @staticmethod
    def _grid(name: str) -> QTableView:
        view = QTableView()
        view.setAccessibleName(name)
        view.setTabKeyNavigation(False)
        view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        view.horizontalHeader().setMinimumSectionSize(90)
        view.setWordWrap(True)
        return view

    # -- choosing and loading -------------------------------------------------------------------

    def filters(self) -> Filters | None:
        """The filters typed, or None after saying which date could not be read."""
        dates: list[date | None] = []
        for label, field in (("Held from", self.held_from), ("Held to", self.held_to)):
            if not field.finish():  # what is typed there now, not what was there before
                self.summary.setText(f"{label}: {field.problem()} Nothing compared.")
                field.setFocus()
                return None
            dates.append(field.value())
        return Filters(
            organisation=self.organisation.text().strip(),
            team=self.team.text().strip(),
            held_from=dates[0],
            held_to=dates[1],
            tag=self.tag.text().strip(),
            latest_only=self.latest_only.isChecked(),
        )

    def run(self) -> bool:
        """Load the chosen workshops in steps and compare them; False if none or cancelled."""
        from opassess.services import NothingToCompare, load_comparison

        filters = self.filters()
        if filters is None:
            return False
        progress = QProgressDialog("Loading the workshops…", "Cancel", 0, 0, self)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)

        def loaded(done: int, total: int) -> None:
            if done % STEP and done != total:
                return
            progress.setMaximum(total)
            progress.setValue(done)
            QApplication.processEvents()  # the window repaints and Cancel is heard
            if progress.wasCanceled():
                raise _Cancelled

        try:
            rollup = load_comparison(self.library.library, filters, progress=loaded)
        except _Cancelled:
            self.summary.setText("Cancelled: nothing compared.")
            return False
        except NothingToCompare as nothing:
            self.summary.setText(str(nothing))
            self._show(None)
            return False
        finally:
            progress.close()
        self.rollup = rollup
        self.workshops = list(rollup.workshops)
        self._show(rollup.comparison)
        return True

    def _show(self, comparison: Comparison | None) -> None:
        self.comparison = comparison
        for button in (self.workbook_button, self.report_button):
            button.setEnabled(comparison is not None)
        if comparison is None:
            for view in (self.heatmap, self.spread, self.apart):
                view.setModel(None)
            return
        self.heatmap.setModel(HeatmapModel(comparison, "stage"))
        self.spread.setModel(HeatmapModel(comparison, "spread"))
        self.apart.setModel(_ApartModel(comparison))
        self.apart.resizeColumnsToContents()
        framework = comparison.framework
        lines = [
            f"{teams_words(comparison)} on {framework.title}, compared on "
            f"{len(comparison.dimensions)} {framework.terms.dimensions}.",
            *comparison.notes,
        ]
        self.summary.setText(" ".join(lines))

    def _export(self, name: RollUpExportName) -> None:
        if self.rollup is not None and self.operations is not None:
            self.operations.export_rollup(name, self.rollup)


class _Cancelled(Exception):
    """The facilitator cancelled loading."""


class _ApartModel(QAbstractTableModel):
    """Dimensions where the teams stand furthest apart first."""

    def __init__(self, comparison: Comparison) -> None:
        super().__init__()
        self.rows = comparison.most_apart()
        self.framework = comparison.framework
        terms = self.framework.terms
        self.headings = (
            capitalised(terms.dimension),
            f"{capitalised(terms.levels)} apart",
            f"Lowest {terms.level}",  # as the workbook says: the stages, not the teams
            f"Highest {terms.level}",
            *(level.name for level in self.framework.levels),
        )

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headings)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headings[section]
        return None

    def data(self, index: Index, role: int = 0) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        row = self.rows[index.row()]
        levels = self.framework.levels
        column = index.column()
        if column == 0:
            return row.name
        if column == 1:
            return level_count(row.apart or 0, self.framework.terms)
        if column in (2, 3):
            position = row.lowest if column == 2 else row.highest
            return levels[position].name if position is not None and position < len(levels) else ""
        level = levels[column - 4]
        return row.teams_per_stage.get(level.id, 0)
