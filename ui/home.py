"""Home: the workshop library, recent first."""

from __future__ import annotations

from datetime import date
from html import escape as _escape
from typing import Any

from opassess.store import Library, WorkshopSummary
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)


class WorkshopListModel(QAbstractTableModel):
    HEADERS = ("Held on", "Workshop", "Organisation", "Team", "People", "Re-assess by")

    def __init__(self, summaries: list[WorkshopSummary]) -> None:
        super().__init__()
        self._rows = summaries
        self._today = date.today()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                row.held_on.isoformat() if row.held_on else "",
                row.title,
                row.organisation,
                row.team,
                str(row.participant_count),
                row.reassess_on.isoformat() if row.reassess_on else "",
            )[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and self._due(row):
            return "Due for re-assessment"
        return None

    def _due(self, row: WorkshopSummary) -> bool:
        return row.reassess_on is not None and row.reassess_on <= self._today

    def summary_at(self, row: int) -> WorkshopSummary:
        return self._rows[row]


class HomeWindow(QMainWindow):
    def __init__(self, library: Library) -> None:
        super().__init__()
        self._library = library
        self.setWindowTitle("OpAssess")
        self.resize(1100, 700)

        self._table = QTableView()
        self._table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self._table.setAccessibleName("Workshops in the library")
        self._table.horizontalHeader().setStretchLastSection(True)
        self._demo_button = QPushButton("Add the demo workshop")
        self._demo_button.setAccessibleName("Add the demo workshop")
        self._overview = QTextBrowser()
        self._overview.setAccessibleName("Workshop overview")
        self._empty = QLabel("The library is empty. Add the demo workshop to see how a finished "
                             "workshop looks.")

        buttons = QHBoxLayout()
        buttons.addWidget(self._demo_button)
        buttons.addStretch(1)
        layout = QVBoxLayout()
        layout.addLayout(buttons)
        layout.addWidget(self._empty)
        layout.addWidget(self._table, 2)
        layout.addWidget(self._overview, 3)
        central = QWidget()
        central.setLayout(layout)
        self.setCentralWidget(central)
        self._connect_signals()
        self.refresh()

    def _connect_signals(self) -> None:
        self._demo_button.clicked.connect(self.open_demo)
        self._table.doubleClicked.connect(lambda index: self.show_workshop(index.row()))
        self._table.activated.connect(lambda index: self.show_workshop(index.row()))

    def refresh(self) -> None:
        self._model = WorkshopListModel(self._library.list_workshops())
        self._table.setModel(self._model)
        self._table.resizeColumnsToContents()
        self._empty.setVisible(self._model.rowCount() == 0)
        self.statusBar().showMessage(f"{self._model.rowCount()} workshops · saved")

    def open_demo(self) -> None:
        """Add the demo workshop (once) and show it."""
        from opassess.demo import demo_workshop

        demo = demo_workshop()
        existing = [s for s in self._library.list_workshops() if s.title == demo.title]
        if not existing:
            self._library.add(demo)
        self.refresh()
        for row in range(self._model.rowCount()):
            if self._model.summary_at(row).title == demo.title:
                self._table.selectRow(row)
                self.show_workshop(row)
                break

    def show_workshop(self, row: int) -> None:
        from opassess.analysis import summarise

        workshop = self._library.load(self._model.summary_at(row).id)
        levels = {lv.id: lv.name for lv in workshop.framework.levels}
        lines = [f"<h2>{_escape(workshop.title)}</h2>",
                 f"<p>{_escape(workshop.organisation)} · {_escape(workshop.team)} · "
                 f"{len(workshop.participants)} participants</p>",
                 "<table cellpadding=4><tr><th align=left>Barrier</th><th>Agreed</th>"
                 "<th>Target</th><th>Spread</th><th>Disagreement</th></tr>"]
        for s in summarise(workshop):
            lines.append(
                f"<tr><td>{_escape(s.name)}</td><td>{levels.get(s.consensus or '', '—')}</td>"
                f"<td>{levels.get(s.target or '', '—')}</td>"
                f"<td>{'—' if s.spread is None else s.spread}</td>"
                f"<td>{_escape('; '.join(s.disagreement_reasons)) or 'no'}</td></tr>"
            )
        lines.append("</table>")
        self._overview.setHtml("".join(lines))
