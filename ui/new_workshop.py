"""A new workshop: its title and the framework it rates, the breakthrough model unless chosen.

The list shows every framework, built-in and the team's own; beside it what the chosen one
rates, on which stages, and where it comes from, so a facilitator can tell them apart.
"""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from opassess.framework_library import FrameworkEntry
from opassess.frameworks import Framework, capitalised
from opassess.workshop import MAX_NAME_LENGTH


def framework_overview_html(framework: Framework) -> str:
    """What a framework rates and on which stages, for a chooser's preview."""
    terms = framework.terms
    # A coloured square and dark text, as Explain shows them: amber on white is hard to read.
    stages = " → ".join(
        f"<span style='color:{framework.colour_of(level.id)}'>■</span> <b>{escape(level.name)}</b>"
        for level in framework.levels
    )
    dimensions = "".join(f"<li>{escape(d.name)}</li>" for d in framework.dimensions)
    parts = [
        f"<h3>{escape(framework.title)}</h3>",
        f"<p>{escape(framework.summary)}</p>" if framework.summary else "",
        f"<p><b>{escape(capitalised(terms.levels))}:</b> {stages}</p>",
        f"<p><b>{len(framework.dimensions)} {escape(terms.dimensions)}:</b></p>",
        f"<ul>{dimensions}</ul>",
        f"<p><small>{escape(framework.scale_note)}</small></p>" if framework.scale_note else "",
        f"<p><small>Source: {escape(framework.source)}</small></p>" if framework.source else "",
    ]
    return "".join(parts)


class NewWorkshopDialog(QDialog):
    """Asks for a title and a framework; `chosen_framework` and `title` once accepted."""

    def __init__(self, entries: list[FrameworkEntry], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New workshop")
        self.entries = entries
        self.title_field = QLineEdit("New workshop")
        self.title_field.selectAll()
        self.title_field.setMaxLength(MAX_NAME_LENGTH)
        self.framework_list = QListWidget()
        self.framework_list.setAccessibleName("Framework")
        for entry in entries:
            self.framework_list.addItem(entry.label)
        self.preview = QTextBrowser()
        self.preview.setOpenLinks(False)
        self.framework_list.currentRowChanged.connect(self._show_preview)
        self.framework_list.itemDoubleClicked.connect(lambda _item: self.accept())

        form = QFormLayout()
        form.addRow("&Title", self.title_field)
        label = QLabel("&Framework")
        label.setBuddy(self.framework_list)
        chooser = QHBoxLayout()
        chooser.addWidget(self.framework_list, 2)
        chooser.addWidget(self.preview, 3)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(label)
        layout.addLayout(chooser, 1)
        layout.addWidget(buttons)
        self.resize(860, 520)
        if entries:
            self.framework_list.setCurrentRow(0)

    @property
    def title(self) -> str:
        return self.title_field.text().strip() or "New workshop"

    @property
    def chosen_framework(self) -> Framework | None:
        row = self.framework_list.currentRow()
        return self.entries[row].framework if 0 <= row < len(self.entries) else None

    def _show_preview(self, row: int) -> None:
        if 0 <= row < len(self.entries):
            self.preview.setHtml(framework_overview_html(self.entries[row].framework))


def ask_new_workshop(
    entries: list[FrameworkEntry], parent: QWidget | None = None
) -> tuple[str, Framework] | None:
    """The title and framework for a new workshop, or None if the facilitator cancels."""
    dialog = NewWorkshopDialog(entries, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.chosen_framework is None:
        return None
    return dialog.title, dialog.chosen_framework
