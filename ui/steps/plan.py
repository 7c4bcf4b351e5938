"""Plan: for each barrier, the stage to reach and up to three key actions, with ideas to borrow.

Every field applies as soon as the facilitator leaves it (there is no Save button). The page
redraws from the controller's `changed` signal by updating values in place, never by rebuilding
the widgets someone may be typing in. The fields themselves live in ui.steps.plan_fields; what
stays here (a little over 500 lines) is one page's layout, refresh and edits, which read together.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, QStringListModel, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from opassess.analysis import target_gap
from opassess.changes import WorkshopChange
from opassess.frameworks import Suggestion, Terms, capitalised
from opassess.wording import format_date, gap_words, stage_name, status_label
from opassess.workshop import (
    MAX_ACTIONS,
    Action,
    Workshop,
    add_action,
    remove_action,
    set_target,
    update_action,
    update_details,
)
from ui.controller import WorkshopController
from ui.steps import StepPage
from ui.steps.plan_fields import (
    ActionSlot,
    OptionalDateEdit,
    WheelGuard,
    dot_icon,
)
from ui.style import scaled_font

NO_TARGET = "No target yet"
NO_CONSENSUS = "Agree a {level} in the Consensus step first"
REASSESS_HINT = "Most teams look again in 6 to 12 months."
NEEDS_ACTIONS_COLOUR = "#E69F00"
DETAIL_MAX_WIDTH = 1250
# An action's grid rows: its text, who / when / status (one line, or two where narrow), a gap.
ROWS_PER_ACTION = 4
# The grid columns of the responsible and accountable names, and their least width on one line
# and on two (folded, the page is short of room: 150% on a 1366x768 laptop).
NAME_COLUMNS = (2, 4)
NAME_WIDTHS = {True: 150, False: 120}
# Keys that move a closed list's choice (the target opens its list for them instead).
_CHOICE_KEYS = (
    Qt.Key.Key_Up,
    Qt.Key.Key_Down,
    Qt.Key.Key_Home,
    Qt.Key.Key_End,
    Qt.Key.Key_PageUp,
    Qt.Key.Key_PageDown,
)


# -- words --------------------------------------------------------------------------------------


def stages_line(workshop: Workshop, dimension_id: str) -> str:
    """'Developing → Consolidating', 'Developing → no target yet' or 'no consensus yet'."""
    agreed = workshop.consensus.get(dimension_id)
    if agreed is None:
        return "no consensus yet"
    target = stage_name(workshop, workshop.targets.get(dimension_id), "no target yet")
    return f"{stage_name(workshop, agreed.stage)} → {target}"


def reassess_by(terms: Terms) -> str:
    """The label of the date to look again: 'Re-assess by', 'Next stocktake by'."""
    if terms.reassessment == "re-assessment":  # the one noun here with a verb of its own
        return "Re-assess by"
    return f"Next {terms.reassessment} by"


class PlanPage(StepPage):
    title = "Plan"
    purpose_template = (
        "For each {dimension}, agree the {level} to reach and up to three key actions: "
        "who does each, who answers for it, and by when."
    )

    def __init__(self, controller: WorkshopController, parent: QWidget | None = None) -> None:
        super().__init__(controller, parent)
        self._barrier_ids: tuple[str, ...] = ()
        self._ideas_key: tuple[str, tuple[Suggestion, ...]] | None = None
        self._use_buttons: list[tuple[QPushButton, str]] = []
        self._names = QStringListModel(self)
        self._guard = WheelGuard(self)
        self._needs_icon = dot_icon(NEEDS_ACTIONS_COLOUR)
        self._full_icon = dot_icon(None)

        terms = self.terms
        self.barriers = QListWidget()
        self.barriers.setAccessibleName(capitalised(terms.dimensions))
        self.barriers.setWordWrap(True)
        self.barriers.setSpacing(4)
        self.barriers.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.barriers.setMinimumWidth(240)
        self.barriers.setMaximumWidth(340)

        self.barrier_name = QLabel()
        self.barrier_name.setWordWrap(True)
        self.barrier_name.setFont(scaled_font(self.barrier_name.font(), 1.3, bold=True))
        self.barrier_question = QLabel()
        self.barrier_question.setWordWrap(True)
        self.barrier_question.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.agreed = QLabel()
        self.agreed.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.target = QComboBox()
        self.target.setAccessibleName(f"Target {terms.level}")
        self.target.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.target.installEventFilter(self._guard)
        self.target.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.gap = QLabel()

        self.slots = [ActionSlot(i, self._names, self._guard) for i in range(MAX_ACTIONS)]
        self.actions_hint = QLabel()
        self.actions_hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        self.ideas = QWidget()
        self.ideas_layout = QVBoxLayout(self.ideas)
        self.ideas_layout.setContentsMargins(0, 0, 0, 0)
        self.ideas_layout.setSpacing(10)

        self.reassess = OptionalDateEdit("Not set")
        self.reassess.edit.setAccessibleName(f"{capitalised(terms.reassessment)} date")
        self.reassess.edit.installEventFilter(self._guard)
        self.reassess.setMinimumWidth(170)

        self._build_layout()
        self.target.installEventFilter(self)  # keys that move the choice open the list

        self.barriers.currentItemChanged.connect(self._barrier_clicked)
        controller.barrier_selected.connect(self._barrier_selected)
        self.target.activated.connect(self._target_chosen)
        for slot in self.slots:
            self._connect_slot(slot)
        self.reassess.committed.connect(self._reassess_chosen)
        self.refresh()

    def _build_layout(self) -> None:
        terms = self.terms
        stage_row = QGridLayout()
        stage_row.setHorizontalSpacing(12)
        agreed_label = QLabel(f"Agreed {terms.level}")
        target_label = QLabel(f"&Target {terms.level}")
        target_label.setBuddy(self.target)
        stage_row.addWidget(agreed_label, 0, 0)
        stage_row.addWidget(self.agreed, 0, 1, 1, 2)
        stage_row.addWidget(target_label, 1, 0)
        stage_row.addWidget(self.target, 1, 1)
        stage_row.addWidget(self.gap, 1, 2)
        stage_row.setColumnStretch(2, 1)

        actions_heading = QLabel("Key actions")
        actions_heading.setFont(scaled_font(actions_heading.font(), 1.15, bold=True))
        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(6)
        for slot in self.slots:
            row = slot.index * ROWS_PER_ACTION
            slot.place(grid, row)
            if slot.index:
                grid.setRowMinimumHeight(row - 1, 10)
        grid.setColumnStretch(2, 1)
        grid.setColumnStretch(4, 1)
        for column in NAME_COLUMNS:
            grid.setColumnMinimumWidth(column, NAME_WIDTHS[True])
        self._actions_grid = grid
        self._actions_on_one_line = True
        self._one_line_width = 0

        ideas_heading = QLabel(f"Ideas from the {terms.suggestions}")
        ideas_heading.setFont(scaled_font(ideas_heading.font(), 1.15, bold=True))
        ideas_intro = QLabel(
            f"Actions other organisations found useful for this {terms.dimension}. "
            "Use puts one in the first free slot; change the wording afterwards to fit."
        )
        ideas_intro.setWordWrap(True)
        ideas_intro.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        detail = QWidget()
        detail.setMaximumWidth(DETAIL_MAX_WIDTH)  # on a wide screen, fields stay a usable size
        column = QVBoxLayout(detail)
        column.setContentsMargins(12, 4, 12, 12)
        column.setSpacing(8)
        column.addWidget(self.barrier_name)
        column.addWidget(self.barrier_question)
        column.addLayout(stage_row)
        column.addSpacing(8)
        column.addWidget(actions_heading)
        column.addLayout(grid)
        column.addWidget(self.actions_hint)
        column.addSpacing(12)
        column.addWidget(_rule())
        column.addWidget(ideas_heading)
        column.addWidget(ideas_intro)
        column.addWidget(self.ideas)
        column.addStretch(1)
        self.detail_scroll = QScrollArea()
        self.detail_scroll.setWidgetResizable(True)
        self.detail_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.detail_scroll.setWidget(detail)
        self.detail_scroll.viewport().installEventFilter(self)

        body = QHBoxLayout()
        body.addWidget(self.barriers)
        body.addWidget(self.detail_scroll, 1)

        reassess_label = QLabel("&" + reassess_by(terms))
        reassess_label.setBuddy(self.reassess.edit)
        reassess_label.setStyleSheet("font-weight: bold;")
        hint = QLabel(REASSESS_HINT)
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        bottom = QHBoxLayout()
        bottom.addWidget(reassess_label)
        bottom.addWidget(self.reassess)
        bottom.addSpacing(8)
        bottom.addWidget(hint, 1)

        bottom.setContentsMargins(4, 2, 4, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(body, 1)
        layout.addWidget(_rule())
        layout.addLayout(bottom)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.detail_scroll.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_action_rows()
        elif watched is self.target and event.type() == QEvent.Type.KeyPress:
            # On a closed list each key that moves the choice (arrows, Home, End, a letter)
            # would choose a stage, and one below the agreed stage asks to confirm: the keys
            # could never get past it. They open the list instead, where Enter chooses.
            key = event.key()  # type: ignore[attr-defined]
            text = event.text()  # type: ignore[attr-defined]
            moves = key in _CHOICE_KEYS or (text.isprintable() and text.strip() != "")
            if moves and not self.target.view().isVisible():
                self.target.showPopup()
                return True
        return False

    def _fit_action_rows(self) -> None:
        """Who, when and status on one line where they fit, else on two: at 200% on a small
        screen the page then needs no sideways scrolling."""
        if self._actions_on_one_line:  # the one-line width, measured while it is laid out so
            self._one_line_width = self._actions_grid.minimumSize().width()
        margins = self.detail_scroll.widget().layout().contentsMargins()
        room = self.detail_scroll.viewport().width() - margins.left() - margins.right()
        one_line = room >= self._one_line_width
        if one_line != self._actions_on_one_line:
            self._actions_on_one_line = one_line
            for slot in self.slots:
                slot.place(self._actions_grid, slot.index * ROWS_PER_ACTION, one_line)
            for column in NAME_COLUMNS:
                self._actions_grid.setColumnMinimumWidth(column, NAME_WIDTHS[one_line])

    def _connect_slot(self, slot: ActionSlot) -> None:
        slot.text.editingFinished.connect(lambda: self._text_finished(slot))
        for field in ("responsible", "accountable"):
            edit: QLineEdit = getattr(slot, field)
            edit.editingFinished.connect(lambda f=field, e=edit: self._line_finished(slot, f, e))
        slot.due.committed.connect(lambda value: self._field_finished(slot, "due_on", value))
        slot.status.activated.connect(
            lambda _index: self._field_finished(slot, "status", slot.status.currentData())
        )
        slot.remove.clicked.connect(lambda: self._remove(slot))

    # -- reading the workshop ---------------------------------------------------------------

    @property
    def barrier(self) -> str:
        """The barrier the page shows: the one the controller has selected."""
        return self.controller.selected_barrier

    def _actions(self) -> tuple[Action, ...]:
        return self.controller.workshop.actions_for(self.barrier)

    def _action(self, action_id: str | None) -> Action | None:
        return next((a for a in self._actions() if a.id == action_id), None)

    def first_free_slot(self) -> ActionSlot | None:
        count = len(self._actions())
        return self.slots[count] if count < MAX_ACTIONS else None

    # -- redrawing --------------------------------------------------------------------------

    def on_workshop_changed(self, change: WorkshopChange) -> None:
        if change.plan or change.details or change.scope or change.framework or change.participants:
            self.refresh()

    def refresh(self) -> None:
        workshop = self.controller.workshop
        self._refresh_barriers(workshop)
        self._refresh_names(workshop)
        self._refresh_detail(workshop)
        self.reassess.set_value(workshop.reassess_on)
        self.reassess.edit.setToolTip(
            f"The workshop was held on {format_date(workshop.held_on)}." if workshop.held_on else ""
        )

    def _refresh_barriers(self, workshop: Workshop) -> None:
        dimensions = workshop.scoped_dimensions()
        ids = tuple(d.id for d in dimensions)
        with QSignalBlocker(self.barriers):
            if ids != self._barrier_ids:
                self.barriers.clear()
                for dimension in dimensions:
                    item = QListWidgetItem()
                    item.setData(Qt.ItemDataRole.UserRole, dimension.id)
                    self.barriers.addItem(item)
                self._barrier_ids = ids
            for row, dimension in enumerate(dimensions):
                item = self.barriers.item(row)
                count = len(workshop.actions_for(dimension.id))
                lines = [dimension.name, stages_line(workshop, dimension.id)]
                if count < MAX_ACTIONS:
                    lines.append(f"{count} of {MAX_ACTIONS} actions")
                text = "\n".join(lines)
                if item.text() != text:
                    item.setText(text)
                    item.setToolTip(text)
                    item.setData(Qt.ItemDataRole.AccessibleTextRole, ", ".join(lines))
                    item.setIcon(self._needs_icon if count < MAX_ACTIONS else self._full_icon)
            if self.barrier in ids:
                row = ids.index(self.barrier)
                if self.barriers.currentRow() != row:
                    self.barriers.setCurrentRow(row)

    def _refresh_names(self, workshop: Workshop) -> None:
        names = list(dict.fromkeys(p.name for p in workshop.participants))
        if self._names.stringList() != names:
            self._names.setStringList(names)

    def _refresh_detail(self, workshop: Workshop) -> None:
        barrier = self.barrier
        if barrier not in workshop.scope:
            return
        dimension = workshop.framework.dimension(barrier)
        self.barrier_name.setText(dimension.name)
        self.barrier_question.setText(dimension.question)
        self.barrier_question.setVisible(bool(dimension.question))

        agreed = workshop.consensus.get(barrier)
        no_consensus = NO_CONSENSUS.format(level=self.terms.level)
        self.agreed.setText(stage_name(workshop, agreed.stage) if agreed else no_consensus)
        self.agreed.setStyleSheet("font-weight: bold;" if agreed else "font-style: italic;")
        self._refresh_target(workshop)

        actions = workshop.actions_for(barrier)
        for slot in self.slots:
            action = actions[slot.index] if slot.index < len(actions) else None
            slot.show(barrier, action, can_add=slot.index == len(actions), workshop=workshop)
        free = MAX_ACTIONS - len(actions)
        self.actions_hint.setText(
            f"All {MAX_ACTIONS} key actions are set: to add another, change or remove one."
            if free == 0
            else "Type an action and press Enter (or move on) to add it."
        )
        self._refresh_ideas(workshop, actions)

    def _refresh_target(self, workshop: Workshop) -> None:
        wanted = [(NO_TARGET, None)] + [
            (level.name, level.id) for level in workshop.framework.levels
        ]
        current = [
            (self.target.itemText(i), self.target.itemData(i)) for i in range(self.target.count())
        ]
        with QSignalBlocker(self.target):
            if current != wanted:
                self.target.clear()
                for text, data in wanted:
                    self.target.addItem(text, data)
            stages = [data for _text, data in wanted]
            target = workshop.targets.get(self.barrier)
            self.target.setCurrentIndex(stages.index(target) if target in stages else 0)
        gap = gap_words(target_gap(workshop, self.barrier), workshop.framework.terms)
        self.gap.setText(capitalised(gap))

    def _refresh_ideas(self, workshop: Workshop, actions: tuple[Action, ...]) -> None:
        suggestions = workshop.framework.suggestions_for(self.barrier)
        key = (self.barrier, suggestions)
        if key != self._ideas_key:
            self._ideas_key = key
            self._rebuild_ideas(suggestions)
        full = len(actions) >= MAX_ACTIONS
        taken = {a.text.casefold() for a in actions}
        dimension = workshop.framework.terms.dimension
        for button, text in self._use_buttons:
            if full:
                reason = (
                    f"This {dimension} already has {MAX_ACTIONS} key actions: "
                    "remove one to use this idea."
                )
            elif text.casefold() in taken:
                reason = f"This idea is already one of the {dimension}'s actions."
            else:
                reason = ""
            button.setEnabled(not reason)
            button.setToolTip(reason or "Add this as a key action in the first free slot.")

    def _rebuild_ideas(self, suggestions: tuple[Suggestion, ...]) -> None:
        while self.ideas_layout.count():
            item = self.ideas_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self._use_buttons = []
        if not suggestions:
            none = QLabel(
                f"The framework has no suggested actions for this {self.terms.dimension}."
            )
            none.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            self.ideas_layout.addWidget(none)
            return
        for suggestion in suggestions:
            self.ideas_layout.addWidget(self._idea_box(suggestion))

    def _idea_box(self, suggestion: Suggestion) -> QWidget:
        box = QFrame()
        box.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(box)
        grid.setContentsMargins(10, 8, 10, 8)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        word = capitalised(self.terms.suggestion)
        number = f"{word} {suggestion.number}: " if suggestion.number else ""
        name = QLabel(f"{number}{suggestion.name}")
        name.setStyleSheet("font-weight: bold;")
        name.setWordWrap(True)
        grid.addWidget(name, 0, 0, 1, 2)
        row = 1
        if suggestion.summary:
            summary = QLabel(suggestion.summary)
            summary.setWordWrap(True)
            summary.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            grid.addWidget(summary, row, 0, 1, 2)
            row += 1
        for text in suggestion.actions:
            button = QPushButton("Use")
            button.setAccessibleName(f"Use: {text}")
            button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            button.clicked.connect(lambda _checked=False, t=text: self.use_idea(t))
            label = QLabel(text)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(button, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(label, row, 1)
            self._use_buttons.append((button, text))
            row += 1
        grid.setColumnStretch(1, 1)
        return box

    # -- editing ----------------------------------------------------------------------------

    def _apply(
        self, label: str, edit: Callable[..., Workshop], *args: object, **kwargs: object
    ) -> bool:
        return self.controller.apply(label, edit, *args, **kwargs)

    def _barrier_selected(self, _dimension_id: str) -> None:
        self.refresh()

    def _barrier_clicked(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        if item is not None:
            self.controller.select_barrier(item.data(Qt.ItemDataRole.UserRole))

    def _target_chosen(self, index: int) -> None:
        stage = self.target.itemData(index)
        if stage == self.controller.workshop.targets.get(self.barrier):
            return
        if not self._apply("Set the target", set_target, self.barrier, stage):
            self._refresh_target(self.controller.workshop)  # refused or not confirmed

    def _text_finished(self, slot: ActionSlot) -> None:
        if slot.barrier != self.barrier:
            return
        text = slot.text.text()
        slot.text.document().setModified(False)  # finished: a redraw may show the stored text
        if slot.action_id is None:
            if text and slot.text.isEnabled():
                self._apply("Add an action", add_action, self.barrier, text, **slot.pending())
            return
        action = self._action(slot.action_id)
        if action is None or text == " ".join(action.text.split()):
            return
        if not self._apply("Edit an action", update_action, action.id, text=text):
            slot.text.set_text(action.text)

    def _line_finished(self, slot: ActionSlot, field: str, edit: QLineEdit) -> None:
        edit.setModified(False)  # finished: a redraw may now show the stored (trimmed) value
        self._field_finished(slot, field, edit.text().strip())

    def _field_finished(self, slot: ActionSlot, field: str, value: object) -> None:
        action = self._action(slot.action_id)
        if slot.barrier != self.barrier or action is None:
            return  # a slot without an action keeps its fields until its text is added
        if getattr(action, field) == value:
            return
        if not self._apply("Edit an action", update_action, action.id, **{field: value}):
            slot.show(self.barrier, action, can_add=False)

    def _remove(self, slot: ActionSlot) -> None:
        if slot.action_id is not None:
            self._apply("Remove an action", remove_action, slot.action_id)

    def use_idea(self, text: str) -> bool:
        """Add a suggested action in the first free slot (with whatever that slot already has)."""
        slot = self.first_free_slot()
        if slot is None:
            return False
        pending = slot.pending() if slot.barrier == self.barrier else {}
        return self._apply("Add an action", add_action, self.barrier, text, **pending)

    def _reassess_chosen(self, value: date | None) -> None:
        if value == self.controller.workshop.reassess_on:
            return
        label = f"Set the {self.terms.reassessment} date"
        if not self._apply(label, update_details, reassess_on=value):
            self.reassess.set_value(self.controller.workshop.reassess_on)

    # -- projector --------------------------------------------------------------------------

    def projector_html(self) -> str | None:
        workshop = self.controller.workshop
        barrier = self.barrier
        if barrier not in workshop.scope:
            return None
        e = html.escape
        dimension = workshop.framework.dimension(barrier)
        agreed = workshop.consensus.get(barrier)
        target = workshop.targets.get(barrier)
        terms = workshop.framework.terms
        if agreed is None:
            stages = f"No agreed {terms.level} yet"
        else:
            stages = (
                f"{e(stage_name(workshop, agreed.stage))} → "
                f"{e(stage_name(workshop, target, 'no target yet'))}"
            )
        parts = [f"<h1>{e(dimension.name)}</h1>", f"<p style='font-size:xx-large'>{stages}</p>"]
        gap = gap_words(target_gap(workshop, barrier), terms)
        if gap:
            parts.append(f"<p><i>{e(capitalised(gap))}</i></p>")
        actions = workshop.actions_for(barrier)
        if actions:
            parts.append("<h2>Key actions</h2><ol>")
            for action in actions:
                who = []
                if action.responsible:
                    who.append(f"Responsible: {e(action.responsible)}")
                if action.accountable:
                    who.append(f"Accountable: {e(action.accountable)}")
                if action.due_on:
                    who.append(f"Due {e(format_date(action.due_on))}")
                if action.status != "planned":
                    who.append(e(status_label(action.status)))
                detail = (
                    f"<br><span style='font-size:medium'>{' · '.join(who)}</span>" if who else ""
                )
                parts.append(f"<li style='margin-bottom:12px'>{e(action.text)}{detail}</li>")
            parts.append("</ol>")
        else:
            parts.append("<p>No key actions yet.</p>")
        return f"<div style='font-size:x-large'>{''.join(parts)}</div>"


def _rule() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line
