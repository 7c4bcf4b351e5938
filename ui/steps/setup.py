"""Setup: who, when, which barriers, how names show, and this workshop's own wording.

One page (about 550 lines with a re-assessment's follow-up beside it): details, people, scope,
names on charts and wording are all edits of the workshop's set-up, and redraw from one change.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from opassess.changes import WorkshopChange
from opassess.frameworks import Dimension, Terms, capitalised
from opassess.wording import dimension_count
from opassess.workshop import (
    NameDisplay,
    Workshop,
    adapt_dimension,
    add_participant,
    add_participants,
    chart_labels,
    display_names,
    move_participant,
    parse_participant_rows,
    reassessment_date_warning,
    remove_participant,
    set_scope,
    set_tags,
    shows_names,
    update_details,
    update_participant,
)
from ui.controller import WorkshopController
from ui.date_field import DateField
from ui.steps import StepPage
from ui.steps.setup_followups import FollowUpPanel
from ui.style import DISAGREEMENT_COLOUR

NAME_CHOICES = (
    (NameDisplay.NAMES, "Names"),
    (NameDisplay.INITIALS, "Initials"),
    (NameDisplay.ANONYMOUS, "Anonymous (dots only)"),
)


class ParticipantModel(QAbstractTableModel):
    """Participants as rows: name and role editable in place, and how each shows on the
    shared charts, as the workshop's name setting says."""

    HEADERS = ("Name", "Role", "On charts")

    def __init__(self, controller: WorkshopController) -> None:
        super().__init__()
        self._controller = controller
        self._rows = controller.workshop.participants
        self._shown = self._labels(controller.workshop)

    def reload(self, workshop: Workshop) -> None:
        self.beginResetModel()
        self._rows = workshop.participants
        self._shown = self._labels(workshop)
        self.endResetModel()

    def relabel(self, workshop: Workshop) -> None:
        """The name setting changed: only the last column does."""
        self._shown = self._labels(workshop)
        if self._rows:
            self.dataChanged.emit(self.index(0, 2), self.index(len(self._rows) - 1, 2))

    @staticmethod
    def _labels(workshop: Workshop) -> dict[str, str]:
        if not shows_names(workshop):
            return {p.id: "(a dot only)" for p in workshop.participants}
        return chart_labels(workshop)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return str(section + 1)

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.column() < 2 else base

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        participant = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return (participant.name, participant.role, self._shown[participant.id])[index.column()]
        return None

    def setData(self, index: QModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() > 1:
            return False
        participant = self._rows[index.row()]
        field = "name" if index.column() == 0 else "role"
        return self._controller.apply(
            "Edit participant", update_participant, participant.id, **{field: str(value)}
        )

    def participant_id(self, row: int) -> str:
        return self._rows[row].id


class WordingDialog(QDialog):
    """Edit this workshop's copy of one barrier: name, question, explanation, descriptors."""

    def __init__(
        self,
        dimension: Dimension,
        levels: list[tuple[str, str]],
        parent: QWidget,
        terms: Terms | None = None,
    ) -> None:
        super().__init__(parent)
        self.terms = terms or Terms()
        self.setWindowTitle(f"Wording: {dimension.name}")
        self.resize(720, 640)
        self.name = QLineEdit(dimension.name)
        self.question = QLineEdit(dimension.question)
        self.explanation = QPlainTextEdit(dimension.explanation)
        self.explanation.setTabChangesFocus(True)
        form = QFormLayout()
        # A framework that rates questions would label both fields "Question": the first is
        # the question's name.
        word = self.terms.dimension
        form.addRow("Name" if word == "question" else capitalised(word), self.name)
        form.addRow("Question", self.question)
        form.addRow("Explanation", self.explanation)
        self.descriptors: dict[str, QPlainTextEdit] = {}
        for level_id, level_name in levels:
            editor = QPlainTextEdit("\n".join(dimension.descriptors.get(level_id, ())))
            editor.setTabChangesFocus(True)
            editor.setAccessibleName(f"What you would see at {level_name}, one per line")
            editor.setPlaceholderText("One observable behaviour per line")
            self.descriptors[level_id] = editor
            form.addRow(level_name, editor)
        note = QLabel(
            "These changes apply to this workshop only. The model is a starting point: "
            "make the wording fit your organisation."
        )
        note.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {DISAGREEMENT_COLOUR}; font-weight: bold")
        self.problem.setAccessibleName("Problem")
        self.problem.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def accept(self) -> None:
        if not self.name.text().strip():
            self.show_problem(f"A {self.terms.dimension} needs a name.")
            self.name.setFocus()
            return
        super().accept()

    def show_problem(self, text: str) -> None:
        """Why the wording was not saved, in the dialog, with everything typed still there."""
        self.problem.setText(text)
        self.problem.show()

    def wording(self) -> dict[str, Any]:
        return {
            "name": self.name.text(),
            "question": self.question.text(),
            "explanation": self.explanation.toPlainText().strip(),
            "descriptors": {
                level_id: editor.toPlainText().splitlines()
                for level_id, editor in self.descriptors.items()
            },
        }


class SetupPage(StepPage):
    title = "Setup"
    purpose_template = (
        "Who is in the room, which {dimensions} you will look at, and how names show on charts."
    )

    def __init__(
        self,
        controller: WorkshopController,
        parent: QWidget | None = None,
        load_previous: Callable[[str], Workshop | None] | None = None,
    ) -> None:
        super().__init__(controller, parent)
        terms = self.terms
        # -- details
        self.title_edit = QLineEdit()
        self.organisation_edit = QLineEdit()
        self.team_edit = QLineEdit()
        self.facilitator_edit = QLineEdit()
        self.tags_edit = QLineEdit()
        self.tags_edit.setPlaceholderText("Words to find and compare teams by, with commas")
        self.held_on_edit = DateField("No date yet")
        details = QFormLayout()
        for label, editor in (
            ("Title", self.title_edit),
            ("Organisation", self.organisation_edit),
            ("Team", self.team_edit),
            ("Date", self.held_on_edit),
            ("Facilitator", self.facilitator_edit),
            ("Tags", self.tags_edit),
        ):
            editor.setAccessibleName(label)
            details.addRow(label, editor)
        self.held_on_edit.edit.setAccessibleName("Workshop date")
        details_box = QGroupBox("Workshop")
        details_box.setLayout(details)

        # -- participants
        self.participant_model = ParticipantModel(controller)
        self.participant_table = QTableView()
        self.participant_table.setModel(self.participant_model)
        self.participant_table.setAccessibleName("Participants")
        self.participant_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.participant_table.setTabKeyNavigation(False)  # Tab moves on, not from cell to cell
        self.participant_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Stretch
        )
        self.new_name = QLineEdit()
        self.new_name.setPlaceholderText("Name")
        self.new_name.setAccessibleName("New participant's name")
        self.new_role = QLineEdit()
        self.new_role.setPlaceholderText("Role (e.g. Director of Finance)")
        self.new_role.setAccessibleName("New participant's role")
        self.add_button = QPushButton("Add")
        self.paste_button = QPushButton("Paste from spreadsheet")
        self.paste_button.setToolTip(
            "Copy two columns (name and role) in a spreadsheet, then press this button"
        )
        self.remove_button = QPushButton("Remove")
        self.up_button = QPushButton("Move up")
        self.down_button = QPushButton("Move down")
        adder = QHBoxLayout()
        adder.addWidget(self.new_name, 2)
        adder.addWidget(self.new_role, 2)
        adder.addWidget(self.add_button)
        # Ways to add people above the list, what to do with a chosen one below it: two short
        # rows keep the page narrow enough for a small screen at 200%.
        paster = QHBoxLayout()
        paster.addWidget(self.paste_button)
        paster.addStretch(1)
        row_buttons = QHBoxLayout()
        for button in (self.paste_button, self.remove_button, self.up_button, self.down_button):
            button.setAccessibleName(button.text())
        for button in (self.remove_button, self.up_button, self.down_button):
            row_buttons.addWidget(button)
        row_buttons.addStretch(1)
        self.participant_count = QLabel()
        self.participant_count.setWordWrap(True)
        people = QVBoxLayout()
        people.addLayout(adder)
        people.addLayout(paster)
        people.addWidget(self.participant_table, 1)
        people.addLayout(row_buttons)
        people.addWidget(self.participant_count)
        people_box = QGroupBox("Participants")
        people_box.setLayout(people)

        # -- barriers in scope and wording
        self.scope_boxes: dict[str, QCheckBox] = {}
        self.wording_buttons: dict[str, QPushButton] = {}
        scope = QVBoxLayout()
        every = len(controller.workshop.framework.dimensions)
        if every > 2:
            all_of = dimension_count(every, terms).split(" ", 1)[0]  # "six barriers" -> "six"
            scope_text = (
                f"Teams may focus on one or two {terms.dimensions}, or look at all {all_of}."
            )
        else:
            scope_text = f"Choose the {terms.dimensions} you will look at."
        scope_note = QLabel(scope_text)
        scope_note.setWordWrap(True)
        scope.addWidget(scope_note)
        for dimension in controller.workshop.framework.dimensions:
            box = QCheckBox(dimension.name)
            box.setAccessibleName(f"In scope: {dimension.name}")
            wording = QPushButton("Wording…")
            wording.setAccessibleName(f"Edit the wording of {dimension.name}")
            line = QHBoxLayout()
            line.addWidget(box, 1)
            line.addWidget(wording)
            scope.addLayout(line)
            self.scope_boxes[dimension.id] = box
            self.wording_buttons[dimension.id] = wording
        scope_box = QGroupBox(f"{capitalised(terms.dimensions)} in scope")
        scope_box.setLayout(scope)

        # -- names on charts
        self.name_group = QButtonGroup(self)
        names = QHBoxLayout()
        for value, label in NAME_CHOICES:
            button = QRadioButton(label)
            button.setProperty("value", value.value)  # a plain string, read back by NameDisplay()
            self.name_group.addButton(button)
            names.addWidget(button)
        names.addStretch(1)
        names_box = QGroupBox("Names on shared charts")
        names_box.setLayout(names)

        left = QVBoxLayout()
        left.addWidget(details_box)
        left.addWidget(scope_box)
        left.addWidget(names_box)
        left.addStretch(1)
        columns = QHBoxLayout()
        columns.setContentsMargins(0, 0, 0, 0)
        columns.addLayout(left, 2)
        columns.addWidget(people_box, 3)
        # A re-assessment starts with what became of last time's actions, under the rest.
        self._load_previous = load_previous or (lambda _id: None)
        self.followups = FollowUpPanel(controller, self._load_previous)
        page = QVBoxLayout(self)  # the main window scrolls the page when it has to
        page.setContentsMargins(0, 0, 0, 0)
        page.addLayout(columns, 1)
        page.addWidget(self.followups)
        self._connect_signals()
        self.refresh()

    def _connect_signals(self) -> None:
        detail_fields = (
            (self.title_edit, "title"),
            (self.organisation_edit, "organisation"),
            (self.team_edit, "team"),
            (self.facilitator_edit, "facilitator"),
        )
        for editor, field in detail_fields:
            editor.editingFinished.connect(
                lambda editor=editor, field=field: self._save_detail(field, editor.text())
            )
        self.held_on_edit.committed.connect(self._save_date)
        self.tags_edit.editingFinished.connect(self._save_tags)
        self.add_button.clicked.connect(self._add_participant)
        self.new_name.returnPressed.connect(self._add_participant)
        self.new_role.returnPressed.connect(self._add_participant)
        self.paste_button.clicked.connect(lambda: self.paste_participants())  # not its `checked`
        self.remove_button.clicked.connect(self._remove_participant)
        self.up_button.clicked.connect(lambda: self._move_participant(-1))
        self.down_button.clicked.connect(lambda: self._move_participant(1))
        QShortcut(
            QKeySequence.StandardKey.Paste,
            self.participant_table,
            activated=self.paste_participants,
        )
        QShortcut(
            QKeySequence(Qt.Key.Key_Delete),
            self.participant_table,
            activated=self._remove_participant,
        )
        for dimension_id, box in self.scope_boxes.items():
            box.toggled.connect(lambda _on, d=dimension_id: self._save_scope())
            self.wording_buttons[dimension_id].clicked.connect(
                lambda _checked=False, d=dimension_id: self.edit_wording(d)
            )
        self.name_group.buttonClicked.connect(
            lambda button: self.controller.apply(
                "Names on charts",
                update_details,
                name_display=NameDisplay(button.property("value")),
            )
        )

    # -- redraw ---------------------------------------------------------------------------

    def on_workshop_changed(self, change: WorkshopChange) -> None:
        if change.followups:
            self.followups.refresh()
        if change.participants:
            self.participant_model.reload(self.controller.workshop)
        elif change.details:
            self.participant_model.relabel(self.controller.workshop)
        if change.details or change.scope or change.framework or change.participants:
            self.refresh(reload_participants=False)

    def refresh(self, reload_participants: bool = True) -> None:
        workshop = self.controller.workshop
        for editor, value in (
            (self.title_edit, workshop.title),
            (self.organisation_edit, workshop.organisation),
            (self.team_edit, workshop.team),
            (self.facilitator_edit, workshop.facilitator),
            (self.tags_edit, ", ".join(workshop.tags)),
        ):
            if editor.text() != value:
                editor.setText(value)
        self.held_on_edit.set_value(workshop.held_on)  # no date shows as none, never as today
        previous = self._load_previous(workshop.reassesses) if workshop.reassesses else None
        self.held_on_edit.set_warning(reassessment_date_warning(workshop, previous))
        if reload_participants:
            self.participant_model.reload(workshop)
        count = len(workshop.participants)
        self.participant_count.setText(
            f"{count} participant{'s' if count != 1 else ''}"
            if count
            else "No participants yet: add them one by one, or paste a list from a spreadsheet."
        )
        for dimension in workshop.framework.dimensions:
            box = self.scope_boxes[dimension.id]
            box.blockSignals(True)
            box.setChecked(dimension.id in workshop.scope)
            box.setText(dimension.name)
            box.blockSignals(False)
        for button in self.name_group.buttons():
            button.setChecked(NameDisplay(button.property("value")) == workshop.name_display)

    # -- intents --------------------------------------------------------------------------

    def _save_detail(self, field: str, value: str) -> None:
        unchanged = getattr(self.controller.workshop, field) == value.strip()
        if not unchanged and not self.controller.apply(
            "Workshop details", update_details, **{field: value}
        ):
            self.refresh(reload_participants=False)

    def _save_tags(self, text: str | None = None) -> None:
        tags = (text if text is not None else self.tags_edit.text()).split(",")
        wanted = tuple(" ".join(t.split()) for t in tags if t.strip())
        if wanted != self.controller.workshop.tags and not self.controller.apply(
            "Tags", set_tags, tags
        ):
            self.refresh(reload_participants=False)

    def _save_date(self, value: date | None) -> None:
        if not self.controller.apply("Workshop date", update_details, held_on=value):
            self.refresh(reload_participants=False)  # back to the date that stands

    def _add_participant(self) -> None:
        name = self.new_name.text()
        if not name.strip():
            self.new_name.setFocus()
            return
        if self.controller.apply("Add participant", add_participant, name, self.new_role.text()):
            self.new_name.clear()
            self.new_role.clear()
            self.new_name.setFocus()

    def paste_participants(self, text: str | None = None) -> int:
        """Add the (name, role) rows on the clipboard; returns how many were added."""
        if text is None:
            text = QGuiApplication.clipboard().text()
        rows = parse_participant_rows(text)
        if not rows:
            self.controller.failed.emit(
                "The clipboard holds no names: copy a column of names (and one of roles) first."
            )
            return 0
        self.controller.apply(f"Paste {len(rows)} participants", add_participants, rows)
        return len(rows)

    def _selected_participant(self) -> tuple[int, str] | None:
        rows = self.participant_table.selectionModel().selectedRows()
        if not rows:
            index = self.participant_table.currentIndex()
            if not index.isValid():
                return None
            row = index.row()
        else:
            row = rows[0].row()
        return row, self.participant_model.participant_id(row)

    def _remove_participant(self) -> None:
        chosen = self._selected_participant()
        if chosen:
            self.controller.apply("Remove participant", remove_participant, chosen[1])

    def _move_participant(self, step: int) -> None:
        chosen = self._selected_participant()
        if chosen:
            row, participant_id = chosen
            if self.controller.apply(
                "Move participant", move_participant, participant_id, row + step
            ):
                new_row = max(0, min(row + step, self.participant_model.rowCount() - 1))
                self.participant_table.selectRow(new_row)

    def _save_scope(self) -> None:
        chosen = [d for d, box in self.scope_boxes.items() if box.isChecked()]
        label = f"{capitalised(self.terms.dimensions)} in scope"
        if not self.controller.apply(label, set_scope, chosen):
            self.refresh(reload_participants=False)

    def edit_wording(self, dimension_id: str) -> None:
        framework = self.controller.workshop.framework
        dialog = WordingDialog(
            framework.dimension(dimension_id),
            [(level.id, level.name) for level in framework.levels],
            self,
            framework.terms,
        )
        # A refused wording reopens the dialog with its message, so nothing typed is lost.
        self.controller.failed.connect(dialog.show_problem)
        try:
            while dialog.exec() == QDialog.DialogCode.Accepted:
                wording = dialog.wording()
                label = f"{capitalised(framework.terms.dimension)} wording"
                if self.controller.apply(label, adapt_dimension, dimension_id, **wording):
                    break
        finally:
            self.controller.failed.disconnect(dialog.show_problem)

    def projector_html(self) -> str:
        from html import escape

        workshop = self.controller.workshop
        people = "".join(
            f"<li>{escape(name)}</li>" for name in display_names(workshop.participants).values()
        )
        where = " · ".join(escape(x) for x in (workshop.organisation, workshop.team) if x)
        return f"<h1>{escape(workshop.title)}</h1><p>{where}</p><ul>{people}</ul>"
