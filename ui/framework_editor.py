"""Editing a team's own framework: its words, stages, what it rates and its ideas for action.

The dialog edits the framework's JSON form (opassess.frameworks.framework_to_dict) and hands
the result to a `save` callable (the library controller's), which checks it as any framework file
is checked and returns what is wrong, or None. Before that, the dialog names in words the field a
person most often gets wrong (a blank name, a colour, two stages of one name), on the tab where
it is; it stays open with everything typed, whatever is refused.

Ids are made once, from the first name given, and never change after: a later workshop on an
edited framework is compared with an earlier one by id, so renaming a stage keeps it comparable.

One dialog (past 600 lines): its four tabs edit one draft, and the tabs' hand-overs (a stage
renamed relabels every dimension's descriptor boxes) are easiest to follow in one place.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from opassess.frameworks import (
    MAX_NAME_LENGTH,
    NOT_SURE,
    Framework,
    capitalised,
    framework_from_dict,
    framework_to_dict,
)
from opassess.wording import article

MIN_STAGES, MAX_STAGES = 2, 9  # as framework.schema.json allows
MAX_DIMENSIONS = 40
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
TERM_FIELDS = (
    ("dimension", "What it rates (one)"),
    ("dimensions", "What it rates (several)"),
    ("level", "A stage (one)"),
    ("levels", "Stages (several)"),
    ("reassessment", "The next look"),
    ("suggestion", "An idea for action (one)"),
    ("suggestions", "Ideas for action (several)"),
)


def new_id(name: str, taken: set[str]) -> str:
    """An id for a new stage, dimension or idea, from its name, unlike any in `taken`."""
    stem = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[:50] or "item"
    identifier, number = stem, 2
    while identifier in taken or identifier == NOT_SURE:
        identifier, number = f"{stem}-{number}", number + 1
    return identifier


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _text_box(lines: list[str] | str, height: int = 70) -> QPlainTextEdit:
    box = QPlainTextEdit("\n".join(lines) if isinstance(lines, list) else lines)
    box.setTabChangesFocus(True)
    box.setMinimumHeight(height)
    return box


class FrameworkEditor(QDialog):
    """Edits a copy of a framework; `save(framework)` returns a problem or None once kept."""

    def __init__(
        self,
        framework: Framework,
        save: Callable[[Framework], str | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Edit framework: {framework.title}")
        self._save = save
        self.data: dict[str, Any] = copy.deepcopy(framework_to_dict(framework))
        self.data.setdefault("terms", {})
        self.saved: Framework | None = None
        self._dimension_row = -1
        self._suggestion_row = -1

        self.tabs = QTabWidget()
        self.tabs.addTab(self._about_tab(), "&About")
        self.tabs.addTab(self._stages_tab(), "&Stages")
        self.tabs.addTab(self._dimensions_tab(), "&Dimensions")
        self.tabs.addTab(self._suggestions_tab(), "&Ideas")
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #B00020; font-weight: bold")
        self.problem.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.try_save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(980, 700)
        self._refresh_dimension_list(0)
        self._refresh_suggestion_list(0)
        self._name_tabs()
        self.stage_table.itemChanged.connect(self._stage_edited)

    def _stage_edited(self, item: QTableWidgetItem) -> None:
        if item.column() == 0:  # the descriptor boxes are labelled with the stages' names
            self._sync_descriptor_boxes()
        elif item.column() == 2:
            self.stage_table.blockSignals(True)
            self._show_swatch(item.row())
            self.stage_table.blockSignals(False)

    # -- tabs -----------------------------------------------------------------------------------

    def _about_tab(self) -> QWidget:
        data = self.data
        self.name_field = QLineEdit(data["name"])
        self.name_field.setMaxLength(MAX_NAME_LENGTH)
        self.version_field = QLineEdit(data.get("version", ""))
        self.version_field.setMaxLength(40)
        self.summary_field = _text_box(data.get("summary", ""), 80)
        self.source_field = QLineEdit(data.get("source", ""))
        self.scale_note_field = _text_box(data.get("scale_note", ""), 50)
        form = QFormLayout()
        form.addRow("&Name", self.name_field)
        form.addRow("&Version", self.version_field)
        form.addRow("Su&mmary", self.summary_field)
        form.addRow("So&urce", self.source_field)
        form.addRow("Where the stages come &from", self.scale_note_field)
        words = QGridLayout()
        self.term_fields: dict[str, QLineEdit] = {}
        current = framework_from_dict(data).terms
        for row, (key, label) in enumerate(TERM_FIELDS):
            field = QLineEdit(getattr(current, key))
            field.setMaxLength(60)
            self.term_fields[key] = field
            words.addWidget(QLabel(label), row // 2, (row % 2) * 2)
            words.addWidget(field, row // 2, (row % 2) * 2 + 1)
        for field in self.term_fields.values():
            field.editingFinished.connect(self._name_tabs)
        form.addRow(QLabel("<b>The framework's words</b> (lower case, as in a sentence)"))
        form.addRow(words)
        page = QWidget()
        page.setLayout(form)
        return page

    def _stages_tab(self) -> QWidget:
        self.stage_table = QTableWidget(0, 3)
        self.stage_table.setHorizontalHeaderLabels(["Name", "What it means", "Colour (#RRGGBB)"])
        self.stage_table.horizontalHeader().setStretchLastSection(False)
        self.stage_table.setColumnWidth(0, 220)
        self.stage_table.setColumnWidth(1, 520)
        self.stage_table.setColumnWidth(2, 150)
        self.stage_table.setTabKeyNavigation(False)
        for level in self.data["levels"]:
            self._append_stage_row(level)
        self.add_stage_button = add = QPushButton("Add a stage")
        add.clicked.connect(self._add_stage)
        remove = QPushButton("Remove")
        remove.clicked.connect(self._remove_stage)
        up, down = QPushButton("Move up"), QPushButton("Move down")
        up.clicked.connect(lambda: self._move_stage(-1))
        down.clicked.connect(lambda: self._move_stage(1))
        row = QHBoxLayout()
        for button in (add, remove, up, down):
            row.addWidget(button)
        row.addStretch(1)
        self.stages_hint = hint = QLabel()
        hint.setWordWrap(True)
        layout = QVBoxLayout()
        layout.addWidget(hint)
        layout.addWidget(self.stage_table, 1)
        layout.addLayout(row)
        page = QWidget()
        page.setLayout(layout)
        return page

    def _dimensions_tab(self) -> QWidget:
        self.dimension_list = QListWidget()
        self.dimension_list.setDragDropMode(QAbstractItemView.DragDropMode.NoDragDrop)
        self.dimension_list.currentRowChanged.connect(self._show_dimension)
        add, remove = QPushButton("Add"), QPushButton("Remove")
        add.clicked.connect(self._add_dimension)
        remove.clicked.connect(self._remove_dimension)
        up, down = QPushButton("Up"), QPushButton("Down")
        up.clicked.connect(lambda: self._move_dimension(-1))
        down.clicked.connect(lambda: self._move_dimension(1))
        buttons = QHBoxLayout()
        for button in (add, remove, up, down):
            buttons.addWidget(button)
        left = QVBoxLayout()
        left.addWidget(self.dimension_list, 1)
        left.addLayout(buttons)

        self.dimension_name = QLineEdit()
        self.dimension_name.setMaxLength(MAX_NAME_LENGTH)
        self.dimension_group = QLineEdit()
        self.dimension_group.setMaxLength(200)
        self.dimension_question = QLineEdit()
        self.dimension_explanation = _text_box("", 70)
        self.descriptor_boxes_host = QWidget()
        self.descriptor_form = QFormLayout(self.descriptor_boxes_host)
        self.descriptor_boxes: dict[str, QPlainTextEdit] = {}
        self.dimension_prompts = _text_box("", 70)
        self.dimension_warnings = _text_box("", 60)
        self.dimension_source = QLineEdit()
        form = QFormLayout()
        form.addRow("Na&me", self.dimension_name)
        form.addRow("Group (optional)", self.dimension_group)
        form.addRow("&Question", self.dimension_question)
        form.addRow("Explanation", self.dimension_explanation)
        self.descriptor_heading = QLabel()
        form.addRow(self.descriptor_heading)
        form.addRow(self.descriptor_boxes_host)
        form.addRow("Questions to test a rating\n(one a line)", self.dimension_prompts)
        form.addRow("Warning signs\n(one a line)", self.dimension_warnings)
        form.addRow("Source note", self.dimension_source)
        editor = QWidget()
        editor.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(editor)
        layout = QHBoxLayout()
        layout.addLayout(left, 1)
        layout.addWidget(scroll, 3)
        page = QWidget()
        page.setLayout(layout)
        return page

    def _suggestions_tab(self) -> QWidget:
        self.suggestion_list = QListWidget()
        self.suggestion_list.currentRowChanged.connect(self._show_suggestion)
        add, remove = QPushButton("Add"), QPushButton("Remove")
        add.clicked.connect(self._add_suggestion)
        remove.clicked.connect(self._remove_suggestion)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        left = QVBoxLayout()
        left.addWidget(self.suggestion_list, 1)
        left.addLayout(buttons)
        self.suggestion_name = QLineEdit()
        self.suggestion_name.setMaxLength(MAX_NAME_LENGTH)
        self.suggestion_summary = _text_box("", 60)
        self.suggestion_dimensions = QListWidget()
        self.suggestion_dimensions.setMaximumHeight(150)
        self.suggestion_actions = _text_box("", 120)
        form = QFormLayout()
        form.addRow("Na&me", self.suggestion_name)
        form.addRow("Summary", self.suggestion_summary)
        form.addRow("Helps with", self.suggestion_dimensions)
        form.addRow("Actions\n(one a line)", self.suggestion_actions)
        layout = QHBoxLayout()
        layout.addLayout(left, 1)
        layout.addLayout(form, 3)
        page = QWidget()
        page.setLayout(layout)
        return page

    def _word(self, key: str, fallback: str) -> str:
        return self.term_fields[key].text().strip() or fallback

    def _name_tabs(self) -> None:
        """The tabs, buttons and hints say the framework's own words once they are typed."""
        level, levels = self._word("level", "stage"), self._word("levels", "stages")
        self.add_stage_button.setText(f"Add {article(level)}")
        self.stages_hint.setText(
            f"The {levels} in order: first the least developed, last the most. A blank colour "
            "takes the colour-blind-safe palette's colour for its place. What each looks like "
            f"is written for each of the {self._word('dimensions', 'dimensions')}, on their tab."
        )
        self.descriptor_heading.setText(
            f"<b>What each {escape(level)} looks like</b> (one example a line)"
        )
        self.tabs.setTabText(1, f"&{capitalised(self.term_fields['levels'].text() or 'stages')}")
        dimensions = self.term_fields["dimensions"].text() or "dimensions"
        self.tabs.setTabText(2, f"&{capitalised(dimensions)}")
        self.tabs.setTabText(
            3, f"&{capitalised(self.term_fields['suggestions'].text() or 'ideas')}"
        )

    # -- stages ---------------------------------------------------------------------------------

    def _append_stage_row(self, level: dict[str, Any]) -> None:
        row = self.stage_table.rowCount()
        self.stage_table.insertRow(row)
        name = QTableWidgetItem(level["name"])
        name.setData(Qt.ItemDataRole.UserRole, level["id"])
        self.stage_table.setItem(row, 0, name)
        self.stage_table.setItem(row, 1, QTableWidgetItem(level.get("summary", "")))
        self.stage_table.setItem(row, 2, QTableWidgetItem(level.get("colour", "")))
        self._show_swatch(row)

    def _show_swatch(self, row: int) -> None:
        """The colour cell painted in the colour typed, so a wrong one shows at once."""
        item = self.stage_table.item(row, 2)
        if item is None:
            return
        text = item.text().strip()
        if _COLOUR.match(text):
            colour = QColor(text)
            item.setBackground(colour)
            item.setForeground(QColor("#000000" if colour.lightness() > 140 else "#FFFFFF"))
        else:
            item.setData(Qt.ItemDataRole.BackgroundRole, None)
            item.setData(Qt.ItemDataRole.ForegroundRole, None)

    def _stage_rows(self) -> list[dict[str, str]]:
        rows = []
        for row in range(self.stage_table.rowCount()):
            cells = [self.stage_table.item(row, column) for column in range(3)]
            texts = [cell.text().strip() if cell is not None else "" for cell in cells]
            first = cells[0]
            identifier = first.data(Qt.ItemDataRole.UserRole) if first is not None else None
            rows.append(
                {"id": identifier or "", "name": texts[0], "summary": texts[1], "colour": texts[2]}
            )
        return rows

    def _add_stage(self) -> None:
        if self.stage_table.rowCount() >= MAX_STAGES:
            self._show_problem(
                1, f"A framework has at most {MAX_STAGES} {self._word('levels', 'stages')}."
            )
            return
        taken = {row["id"] for row in self._stage_rows()}
        name = f"{capitalised(self._word('level', 'stage'))} {self.stage_table.rowCount() + 1}"
        self._append_stage_row({"id": new_id(name, taken), "name": name})
        self.stage_table.setCurrentCell(self.stage_table.rowCount() - 1, 0)
        self.stage_table.editItem(self.stage_table.item(self.stage_table.rowCount() - 1, 0))
        self._sync_descriptor_boxes()

    def _remove_stage(self) -> None:
        row = self.stage_table.currentRow()
        if row < 0:
            return
        if self.stage_table.rowCount() <= MIN_STAGES:
            self._show_problem(
                1, f"A framework needs at least {MIN_STAGES} {self._word('levels', 'stages')}."
            )
            return
        self.stage_table.removeRow(row)
        self._sync_descriptor_boxes()

    def _move_stage(self, offset: int) -> None:
        row = self.stage_table.currentRow()
        target = row + offset
        if row < 0 or not 0 <= target < self.stage_table.rowCount():
            return
        rows = self._stage_rows()
        rows[row], rows[target] = rows[target], rows[row]
        # Rows re-added one by one must not each resync the descriptor boxes: a half-built
        # table would store the shown dimension's descriptors for its first stages only.
        self.stage_table.blockSignals(True)
        self.stage_table.setRowCount(0)
        for level in rows:
            self._append_stage_row(level)
        self.stage_table.setCurrentCell(target, 0)
        self.stage_table.blockSignals(False)
        self._sync_descriptor_boxes()

    # -- dimensions -----------------------------------------------------------------------------

    def _refresh_dimension_list(self, select: int) -> None:
        self.dimension_list.blockSignals(True)
        self.dimension_list.clear()
        for dimension in self.data["dimensions"]:
            self.dimension_list.addItem(QListWidgetItem(dimension["name"] or "(no name)"))
        self.dimension_list.blockSignals(False)
        self._dimension_row = -1
        if self.data["dimensions"]:
            self.dimension_list.setCurrentRow(max(0, min(select, len(self.data["dimensions"]) - 1)))
        self._refresh_suggestion_dimensions()

    def _sync_descriptor_boxes(self) -> None:
        """After the stages change: the shown dimension kept, its boxes made again."""
        row = self._dimension_row
        self._store_dimension()
        self._dimension_row = -1
        self._rebuild_descriptor_boxes()
        self._show_dimension(row)

    def _rebuild_descriptor_boxes(self) -> None:
        """One descriptor box per stage, in the stage table's order and with its name."""
        while self.descriptor_form.rowCount():
            self.descriptor_form.removeRow(0)
        self.descriptor_boxes = {}
        for stage in self._stage_rows():
            box = _text_box([], 100)  # room for a few examples, each a wrapped line
            self.descriptor_boxes[stage["id"]] = box
            self.descriptor_form.addRow(stage["name"] or "(no name)", box)

    def _show_dimension(self, row: int) -> None:
        self._store_dimension()
        self._dimension_row = -1
        if set(self.descriptor_boxes) != {s["id"] for s in self._stage_rows()}:
            self._rebuild_descriptor_boxes()
        if not 0 <= row < len(self.data["dimensions"]):
            return
        self._dimension_row = row
        dimension = self.data["dimensions"][row]
        self.dimension_name.setText(dimension["name"])
        self.dimension_group.setText(dimension.get("group", ""))
        self.dimension_question.setText(dimension.get("question", ""))
        self.dimension_question.setCursorPosition(0)  # its start, not its end, in view
        self.dimension_explanation.setPlainText(dimension.get("explanation", ""))
        for stage_id, box in self.descriptor_boxes.items():
            box.setPlainText("\n".join(dimension["descriptors"].get(stage_id, [])))
        self.dimension_prompts.setPlainText("\n".join(dimension.get("prompts", [])))
        self.dimension_warnings.setPlainText("\n".join(dimension.get("warning_signs", [])))
        self.dimension_source.setText(dimension.get("source_note", ""))

    def _store_dimension(self) -> None:
        """What the form shows goes back into the draft before another dimension is shown."""
        row = self._dimension_row
        if not 0 <= row < len(self.data["dimensions"]):
            return
        dimension = self.data["dimensions"][row]
        dimension["name"] = self.dimension_name.text().strip()
        dimension["group"] = self.dimension_group.text().strip()
        dimension["question"] = self.dimension_question.text().strip()
        dimension["explanation"] = self.dimension_explanation.toPlainText().strip()
        # Merged, not replaced: a stage without a box just now keeps what it had.
        dimension["descriptors"] = {
            **dimension["descriptors"],
            **{sid: _lines(box.toPlainText()) for sid, box in self.descriptor_boxes.items()},
        }
        dimension["prompts"] = _lines(self.dimension_prompts.toPlainText())
        dimension["warning_signs"] = _lines(self.dimension_warnings.toPlainText())
        dimension["source_note"] = self.dimension_source.text().strip()
        item = self.dimension_list.item(row)
        if item is not None:
            item.setText(dimension["name"] or "(no name)")

    def _add_dimension(self) -> None:
        self._store_dimension()
        if len(self.data["dimensions"]) >= MAX_DIMENSIONS:
            self._show_problem(2, f"A framework has at most {MAX_DIMENSIONS} of these.")
            return
        word = self.term_fields["dimension"].text() or "dimension"
        name = f"New {word}"
        taken = {d["id"] for d in self.data["dimensions"]}
        self.data["dimensions"].append({"id": new_id(name, taken), "name": name, "descriptors": {}})
        self._refresh_dimension_list(len(self.data["dimensions"]) - 1)
        self.dimension_name.setFocus()
        self.dimension_name.selectAll()

    def _remove_dimension(self) -> None:
        row = self.dimension_list.currentRow()
        if row < 0:
            return
        if len(self.data["dimensions"]) == 1:
            self._show_problem(2, "A framework rates at least one thing.")
            return
        self._store_dimension()
        removed = self.data["dimensions"].pop(row)["id"]
        for suggestion in self.data["suggestions"]:
            suggestion["dimensions"] = [d for d in suggestion["dimensions"] if d != removed]
        self._refresh_dimension_list(row)

    def _move_dimension(self, offset: int) -> None:
        row = self.dimension_list.currentRow()
        target = row + offset
        if row < 0 or not 0 <= target < len(self.data["dimensions"]):
            return
        self._store_dimension()
        items = self.data["dimensions"]
        items[row], items[target] = items[target], items[row]
        self._refresh_dimension_list(target)

    # -- ideas for action -----------------------------------------------------------------------

    def _refresh_suggestion_list(self, select: int) -> None:
        self.suggestion_list.blockSignals(True)
        self.suggestion_list.clear()
        for suggestion in self.data["suggestions"]:
            self.suggestion_list.addItem(suggestion["name"] or "(no name)")
        self.suggestion_list.blockSignals(False)
        self._suggestion_row = -1
        if self.data["suggestions"]:
            self.suggestion_list.setCurrentRow(
                max(0, min(select, len(self.data["suggestions"]) - 1))
            )

    def _refresh_suggestion_dimensions(self) -> None:
        row = self._suggestion_row
        self._store_suggestion()
        self.suggestion_dimensions.clear()
        for dimension in self.data["dimensions"]:
            item = QListWidgetItem(dimension["name"] or "(no name)")
            item.setData(Qt.ItemDataRole.UserRole, dimension["id"])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.suggestion_dimensions.addItem(item)
        self._suggestion_row = -1
        if 0 <= row < len(self.data["suggestions"]):
            self._show_suggestion(row)

    def _show_suggestion(self, row: int) -> None:
        self._store_suggestion()
        self._suggestion_row = row
        if not 0 <= row < len(self.data["suggestions"]):
            return
        suggestion = self.data["suggestions"][row]
        self.suggestion_name.setText(suggestion["name"])
        self.suggestion_summary.setPlainText(suggestion.get("summary", ""))
        for index in range(self.suggestion_dimensions.count()):
            item = self.suggestion_dimensions.item(index)
            ticked = item.data(Qt.ItemDataRole.UserRole) in suggestion["dimensions"]
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        self.suggestion_actions.setPlainText("\n".join(suggestion["actions"]))

    def _store_suggestion(self) -> None:
        row = self._suggestion_row
        if not 0 <= row < len(self.data["suggestions"]):
            return
        suggestion = self.data["suggestions"][row]
        suggestion["name"] = self.suggestion_name.text().strip()
        suggestion["summary"] = self.suggestion_summary.toPlainText().strip()
        suggestion["dimensions"] = [
            self.suggestion_dimensions.item(index).data(Qt.ItemDataRole.UserRole)
            for index in range(self.suggestion_dimensions.count())
            if self.suggestion_dimensions.item(index).checkState() == Qt.CheckState.Checked
        ]
        suggestion["actions"] = _lines(self.suggestion_actions.toPlainText())
        item = self.suggestion_list.item(row)
        if item is not None:
            item.setText(suggestion["name"] or "(no name)")

    def _add_suggestion(self) -> None:
        self._store_suggestion()
        taken = {s["id"] for s in self.data["suggestions"]}
        word = self.term_fields["suggestion"].text() or "idea"
        name = f"New {word}"
        self.data["suggestions"].append(
            {
                "id": new_id(name, taken),
                "name": name,
                "summary": "",
                "dimensions": [],
                "actions": [],
            }
        )
        self._refresh_suggestion_list(len(self.data["suggestions"]) - 1)
        self.suggestion_name.setFocus()
        self.suggestion_name.selectAll()

    def _remove_suggestion(self) -> None:
        row = self.suggestion_list.currentRow()
        if row < 0:
            return
        self._suggestion_row = -1
        self.data["suggestions"].pop(row)
        self._refresh_suggestion_list(row)

    # -- saving ---------------------------------------------------------------------------------

    def draft(self) -> dict[str, Any]:
        """The framework as the form now has it, in its JSON form."""
        self._store_dimension()
        self._store_suggestion()
        data = self.data
        data["name"] = self.name_field.text().strip()
        data["version"] = self.version_field.text().strip()
        data["summary"] = self.summary_field.toPlainText().strip()
        data["source"] = self.source_field.text().strip()
        data["scale_note"] = self.scale_note_field.toPlainText().strip()
        data["terms"] = {key: field.text().strip() for key, field in self.term_fields.items()}
        levels = []
        for stage in self._stage_rows():
            level = {"id": stage["id"], "name": stage["name"], "summary": stage["summary"]}
            if stage["colour"]:
                level["colour"] = stage["colour"]
            levels.append(level)
        data["levels"] = levels
        stage_ids = [level["id"] for level in levels]
        for dimension in data["dimensions"]:
            dimension["descriptors"] = {
                stage_id: dimension["descriptors"].get(stage_id, []) for stage_id in stage_ids
            }
        for number, suggestion in enumerate(data["suggestions"], start=1):
            suggestion["number"] = number
        return data

    def problem_in_words(self, data: dict[str, Any]) -> tuple[int, str] | None:
        """The first mistake a person is likely to make, named as the form names the field,
        with the tab it is on; the full check (schema and rules) follows on saving."""
        if not data["name"]:
            return 0, "Name: the framework needs a name."
        for key, label in TERM_FIELDS:
            if not data["terms"][key]:
                return 0, f"{label}: give the word the framework uses."
        seen: set[str] = set()
        word = data["terms"]["level"]
        for number, level in enumerate(data["levels"], start=1):
            where = f"{capitalised(word)} {number}"
            if not level["name"]:
                return 1, f"{where}: give it a name."
            if level["name"].casefold() in seen:
                return 1, f"{where}: another {word} is already called “{level['name']}”."
            seen.add(level["name"].casefold())
            if level.get("colour") and not _COLOUR.match(level["colour"]):
                return 1, (
                    f"{where} ({level['name']}): the colour is written #RRGGBB, "
                    f"such as #0072B2, not “{level['colour']}”."
                )
        for number, dimension in enumerate(data["dimensions"], start=1):
            if not dimension["name"]:
                return 2, f"Number {number} in the list has no name."
        for number, suggestion in enumerate(data["suggestions"], start=1):
            if not suggestion["name"]:
                return 3, f"Idea {number} has no name."
            if not suggestion["actions"]:
                return 3, f"{suggestion['name']}: give at least one action, or remove it."
        return None

    def try_save(self) -> None:
        data = self.draft()
        found = self.problem_in_words(data)
        if found is not None:
            self._show_problem(*found)
            return
        try:
            framework = framework_from_dict(data, origin="framework")
        except ValueError as problem:
            self._show_problem(self.tabs.currentIndex(), str(problem))
            return
        problem_text = self._save(framework)
        if problem_text:
            self._show_problem(self.tabs.currentIndex(), problem_text)
            return
        self.saved = framework
        self.accept()

    def _show_problem(self, tab: int, text: str) -> None:
        self.tabs.setCurrentIndex(tab)
        self.problem.setText(text)
        self.problem.show()
