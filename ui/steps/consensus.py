"""Consensus: reveal the team's ratings on the wall chart, talk through the spread, agree a stage.

The wall chart is on top; below it, for the barrier under discussion, the evidence behind the
dots (grouped by stage, only once the ratings are revealed, with names only as the workshop's
name setting allows) and the consensus form. The form has no Save button: picking the stage
saves at once, and the rationale and dissent save 600 ms after typing stops and when the field
is left. Redraws come from the controller's `changed` signal and update values in place, never
overwriting what someone is typing. At about 500 lines it is one page, left whole.
"""

from __future__ import annotations

import html
from typing import ClassVar

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QFocusEvent, QIcon, QKeySequence, QShortcut, QTextDocument
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from opassess.analysis import summarise
from opassess.changes import WorkshopChange
from opassess.wording import stage_name
from opassess.workshop import (
    NOT_SURE,
    Consensus,
    NameDisplay,
    Workshop,
    agree_consensus,
    chart_labels,
    clear_consensus,
    shows_names,
)
from ui.controller import WorkshopController
from ui.steps import StepPage, ask_with_safe_default
from ui.style import scaled_font
from ui.wallchart import ORDER_DISAGREEMENT, ORDER_FRAMEWORK, WallChart
from ui.wallchart_paint import stage_icon

SAVE_DELAY_MS = 600
REVEAL_TEXT = "Reveal ratings"
HIDE_TEXT = "Hide ratings"
HIDDEN_EVIDENCE = (
    "The ratings are hidden. When everyone has rated, press “Reveal ratings” to see the "
    "wall chart and the evidence behind each dot."
)
NO_EVIDENCE = "(no evidence given)"


def ask_before_revealing(parent: QWidget, question: str) -> bool:
    """Ask before revealing while someone has still to rate; keeping them hidden is the
    default, for Enter and Esc alike."""
    return ask_with_safe_default(
        parent, "Not everyone has rated", question, "", "Reveal now", "Keep hidden"
    )


def evidence_html(workshop: Workshop, dimension_id: str, show_names: bool) -> str:
    """The evidence behind one barrier's ratings, grouped by stage (framework order, then not
    sure), each with its author's chart label when names are shown and the workshop allows it.

    Stage headings show the stage's dot from the resource "stage:<id>" (see add_stage_icons)."""
    framework = workshop.framework
    labels = chart_labels(workshop) if show_names else {}
    groups: dict[str, list[tuple[str, str]]] = {key: [] for key in framework.level_ids}
    groups[NOT_SURE] = []
    for rating in workshop.ratings_for(dimension_id):
        groups.setdefault(rating.stage, []).append(
            (labels.get(rating.participant_id, ""), rating.evidence.strip())
        )
    parts = []
    for stage, items in groups.items():
        if stage == NOT_SURE and not items:
            continue
        name = stage_name(workshop, stage)
        parts.append(
            f'<h3><img src="stage:{html.escape(stage)}" width="14" height="14" align="middle"> '
            f"{html.escape(name)} <span style='font-weight:normal'>· {len(items)}</span></h3>"
        )
        if not items:
            level = framework.terms.level
            parts.append(f"<p style='color:gray'>No one chose this {html.escape(level)}.</p>")
            continue
        rows = []
        for label, evidence in items:
            text = (
                html.escape(evidence).replace("\n", "<br>")
                if evidence
                else f"<i style='color:gray'>{NO_EVIDENCE}</i>"
            )
            who = f"<b>{html.escape(label)}</b>: " if label else ""
            rows.append(f"<li>{who}{text}</li>")
        parts.append("<ul>" + "".join(rows) + "</ul>")
    return "".join(parts)


def add_stage_icons(document: QTextDocument, workshop: Workshop, size: int = 14) -> None:
    """Register each stage's dot (and not sure's) as "stage:<id>" images in `document`."""
    framework = workshop.framework
    for stage in (*framework.level_ids, NOT_SURE):
        document.addResource(
            QTextDocument.ResourceType.ImageResource,
            QUrl(f"stage:{stage}"),
            stage_icon(framework, stage, size).toImage(),
        )


class NoteEdit(QPlainTextEdit):
    """A multi-line note that reports when it is left (Tab moves on, as in a form)."""

    left = Signal()

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setTabChangesFocus(True)
        self.setAccessibleName(placeholder)

    def text(self) -> str:
        return self.toPlainText().strip()

    def set_text(self, value: str) -> None:
        """Show `value` unless the field already says it (so a caret never jumps mid-word)."""
        if self.text() != value.strip():
            with QSignalBlocker(self):
                self.setPlainText(value)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self.left.emit()


class ConsensusPage(StepPage):
    title: ClassVar[str] = "Consensus"
    purpose_template: ClassVar[str] = (
        "Reveal the ratings, talk through where the team differs, and agree a {level} for each "
        "{dimension}."
    )

    # The chart's row order and whether names are shown, for a projector to mirror.
    chart_options_changed = Signal(str, bool)

    def __init__(self, controller: WorkshopController, parent: QWidget | None = None) -> None:
        super().__init__(controller, parent)
        terms = self.terms
        self._dimension = controller.selected_barrier
        self._pending = ""  # the barrier whose typed notes wait to be saved
        # Notes typed before a stage is picked, kept per barrier until one is (or Clear).
        self._drafts: dict[str, tuple[str, str]] = {}
        self._names_wanted = True

        # Toolbar: reveal, order, names.
        self.reveal_button = QPushButton(REVEAL_TEXT)
        self.reveal_button.setCheckable(True)
        self.reveal_button.setFont(scaled_font(self.reveal_button.font(), 1.2, bold=True))
        self.reveal_button.setMinimumHeight(40)
        self.reveal_button.setToolTip("Show or hide the team's ratings on every shared screen")
        self.order_combo = QComboBox()
        self.order_combo.addItem("Framework order", ORDER_FRAMEWORK)
        self.order_combo.addItem("Most disagreement first", ORDER_DISAGREEMENT)
        self.order_combo.setAccessibleName(f"Order of the {terms.dimensions}")
        self.order_combo.setToolTip("Most disagreement first applies once ratings are revealed")
        self.names_check = QCheckBox("Show names")
        self.names_check.setChecked(True)
        toolbar = QHBoxLayout()
        toolbar.addWidget(self.reveal_button)
        toolbar.addSpacing(16)
        order_label = QLabel("Order:")
        order_label.setBuddy(self.order_combo)
        toolbar.addWidget(order_label)
        toolbar.addWidget(self.order_combo)
        toolbar.addSpacing(16)
        toolbar.addWidget(self.names_check)
        toolbar.addStretch(1)

        self.chart = WallChart()

        # The barrier under discussion.
        self.barrier_title = QLabel()
        self.barrier_title.setFont(scaled_font(self.barrier_title.font(), 1.25, bold=True))
        self.barrier_title.setWordWrap(True)
        self.barrier_question = QLabel()
        self.barrier_question.setWordWrap(True)
        self.previous_button = QPushButton(f"▲ Previous {terms.dimension}")
        self.previous_button.setToolTip(f"Previous {terms.dimension} (Alt+Up)")
        self.next_button = QPushButton(f"Next {terms.dimension} ▼")
        self.next_button.setToolTip(f"Next {terms.dimension} (Alt+Down)")
        heading = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.barrier_title)
        titles.addWidget(self.barrier_question)
        heading.addLayout(titles, 1)
        heading.addWidget(self.previous_button)
        heading.addWidget(self.next_button)

        self.evidence = QTextBrowser()
        self.evidence.setOpenLinks(False)
        self.evidence.setAccessibleName("Evidence behind the ratings")
        evidence_box = QGroupBox("Evidence behind the dots")
        QVBoxLayout(evidence_box).addWidget(self.evidence)

        # The consensus form.
        self.stage_group = QButtonGroup(self)
        self.stage_buttons: dict[str, QRadioButton] = {}
        self.stage_row = QHBoxLayout()
        self.rationale = NoteEdit(f"Why the team chose this {terms.level}")
        self.dissent = NoteEdit("Any dissent to record?")
        self.clear_button = QPushButton("Clear")
        self.clear_button.setToolTip(
            f"Remove the agreed {terms.level}, rationale and dissent (undo works)"
        )
        self.status = QLabel()
        self.status.setWordWrap(True)
        form_box = QGroupBox("Agreed consensus")
        form = QFormLayout(form_box)
        form.addRow(f"Agreed {terms.level}", self.stage_row)
        form.addRow("Rationale", self.rationale)
        form.addRow("Dissent", self.dissent)
        footer = QHBoxLayout()
        footer.addWidget(self.status, 1)
        footer.addWidget(self.clear_button)
        form.addRow(footer)

        details = QHBoxLayout()
        details.addWidget(evidence_box, 3)
        details.addWidget(form_box, 2)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addLayout(heading)
        lower_layout.addLayout(details, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.chart)
        self.splitter.addWidget(lower)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        layout = QVBoxLayout(self)
        layout.addLayout(toolbar)
        layout.addWidget(rule)
        layout.addWidget(self.splitter, 1)

        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save_notes)

        self.reveal_button.clicked.connect(self._reveal_clicked)
        self.order_combo.currentIndexChanged.connect(self._order_chosen)
        self.names_check.toggled.connect(self._names_chosen)
        self.chart.barrier_clicked.connect(controller.select_barrier)
        self.previous_button.clicked.connect(lambda: self.step_barrier(-1))
        self.next_button.clicked.connect(lambda: self.step_barrier(1))
        self.stage_group.idClicked.connect(self._stage_chosen)
        self.rationale.textChanged.connect(self._typed)
        self.dissent.textChanged.connect(self._typed)
        self.rationale.left.connect(self.save_notes)
        self.dissent.left.connect(self.save_notes)
        self.clear_button.clicked.connect(self.clear)
        controller.revealed_changed.connect(self._revealed_changed)
        controller.private_session_changed.connect(
            lambda _locked: self._sync_toolbar(controller.workshop)
        )
        controller.barrier_selected.connect(self._barrier_selected)
        for keys, step in (("Alt+Down", 1), ("Alt+Up", -1)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda s=step: self.step_barrier(s))

        self._levels: tuple[str, ...] = ()
        self._colours: tuple[str, ...] = ()
        self.refresh()

    # -- StepPage ---------------------------------------------------------------------------------

    def refresh(self) -> None:
        workshop = self.controller.workshop
        self._sync_toolbar(workshop)
        self.chart.set_revealed(self.controller.revealed)
        self.chart.set_workshop(workshop, summarise(workshop))
        self._dimension = self.controller.selected_barrier
        self.chart.set_selected(self._dimension)
        self._show_barrier()

    def on_workshop_changed(self, change: WorkshopChange) -> None:
        workshop = self.controller.workshop
        if change.details or change.participants:
            self._sync_toolbar(workshop)
        self.chart.set_workshop(workshop, summarise(workshop))
        if change.framework or change.scope:
            self._show_barrier()
            return
        dimension = self._dimension
        if change.details or change.participants or any(d == dimension for _p, d in change.ratings):
            self._show_evidence()
        if dimension in change.consensus:
            self._load_form()

    def left(self) -> None:
        self.save_notes()

    def projector_html(self) -> str | None:
        return None  # the projector shows the wall chart

    # -- actions ----------------------------------------------------------------------------------

    @property
    def dimension_id(self) -> str:
        """The barrier under discussion."""
        return self._dimension

    def step_barrier(self, step: int) -> None:
        """Select the next (1) or previous (-1) barrier, in the chart's order."""
        order = self.chart.row_order()
        if not order:
            return
        index = order.index(self._dimension) if self._dimension in order else 0
        index = max(0, min(len(order) - 1, index + step))
        self.controller.select_barrier(order[index])

    def save_notes(self) -> None:
        """Save the agreed stage with the rationale and dissent as typed, if anything changed."""
        self._save_timer.stop()
        dimension = self._pending or self._dimension
        self._pending = ""
        if not dimension or dimension != self._dimension:
            return
        stage = self._checked_stage()
        rationale, dissent = self.rationale.text(), self.dissent.text()
        if stage is None:
            if rationale or dissent:
                self._drafts[dimension] = (rationale, dissent)
                self.status.setText(
                    f"Pick the agreed {self.terms.level} to save the rationale and dissent."
                )
            else:
                self._drafts.pop(dimension, None)
            return
        current = self.controller.workshop.consensus.get(dimension)
        if current is not None and (current.stage, current.rationale, current.dissent) == (
            stage,
            rationale,
            dissent,
        ):
            return
        if self.controller.apply(
            "Agree consensus", agree_consensus, dimension, stage, rationale, dissent
        ):
            self._drafts.pop(dimension, None)
        else:  # refused, or a lower target not confirmed: the stored stage, the notes as typed
            self._drafts[dimension] = (rationale, dissent)
            self._check_stored_stage()

    def clear(self) -> None:
        """Remove the barrier's consensus (undo brings it back) and empty the form."""
        self._save_timer.stop()
        self._pending = ""
        self._drafts.pop(self._dimension, None)
        if self._dimension in self.controller.workshop.consensus:
            self.controller.apply("Clear consensus", clear_consensus, self._dimension)
        self.rationale.set_text("")
        self.dissent.set_text("")
        self._load_form()

    # -- redrawing --------------------------------------------------------------------------------

    def _sync_toolbar(self, workshop: Workshop) -> None:
        with QSignalBlocker(self.reveal_button):
            self.reveal_button.setChecked(self.controller.revealed)
        self.reveal_button.setText(HIDE_TEXT if self.controller.revealed else REVEAL_TEXT)
        self.reveal_button.setEnabled(not self.controller.private_session)
        anonymous = not shows_names(workshop)
        with QSignalBlocker(self.names_check):
            # Anonymous: the box is off and locked; the facilitator's choice returns with names.
            self.names_check.setChecked(self._names_wanted and not anonymous)
        initials = workshop.name_display == NameDisplay.INITIALS
        self.names_check.setText("Show initials" if initials else "Show names")
        self.names_check.setEnabled(not anonymous)
        self.names_check.setToolTip(
            "This workshop is anonymous: no names appear on shared screens (change it in Setup)"
            if anonymous
            else "Label the dots and the evidence with who said what"
        )

    def _show_barrier(self) -> None:
        workshop = self.controller.workshop
        if self._dimension not in workshop.scope:
            self._dimension = self.controller.selected_barrier
        dimension = (
            workshop.framework.dimension(self._dimension)
            if workshop.framework.has_dimension(self._dimension)
            else None
        )
        self.barrier_title.setText(
            dimension.name if dimension else f"No {self.terms.dimension} in scope"
        )
        self.barrier_question.setText(dimension.question if dimension else "")
        self.barrier_question.setVisible(bool(dimension and dimension.question))
        order = self.chart.row_order()
        position = order.index(self._dimension) if self._dimension in order else -1
        self.previous_button.setEnabled(position > 0)
        self.next_button.setEnabled(0 <= position < len(order) - 1)
        self._build_stage_buttons(workshop)
        self._show_evidence()
        self._load_form()

    def _show_evidence(self) -> None:
        workshop = self.controller.workshop
        if not self.controller.revealed:
            self.evidence.setPlainText(HIDDEN_EVIDENCE)
            return
        if self._dimension not in workshop.scope:
            self.evidence.clear()
            return
        show_names = self.names_check.isChecked() and shows_names(workshop)
        scroll = self.evidence.verticalScrollBar().value()
        add_stage_icons(self.evidence.document(), workshop)
        self.evidence.setHtml(evidence_html(workshop, self._dimension, show_names))
        self.evidence.verticalScrollBar().setValue(scroll)

    def _build_stage_buttons(self, workshop: Workshop) -> None:
        framework = workshop.framework
        levels = framework.level_ids
        # The icons carry the framework's colours: a new framework copy may bring new ones.
        if levels != self._levels or framework.colours != self._colours:
            for button in self.stage_buttons.values():
                self.stage_group.removeButton(button)
                button.deleteLater()
            self.stage_buttons = {}
            for index, level in enumerate(workshop.framework.levels):
                button = QRadioButton(level.name)
                button.setIcon(QIcon(stage_icon(framework, level.id, 16)))
                self.stage_group.addButton(button, index)
                self.stage_row.addWidget(button)
                self.stage_buttons[level.id] = button
            # Made after the notes, they would come after them on Tab: put them in their place.
            previous: QWidget = self.evidence
            for button in self.stage_buttons.values():
                QWidget.setTabOrder(previous, button)
                previous = button
            self._levels = levels
            self._colours = framework.colours
        if workshop.framework.has_dimension(self._dimension):
            descriptors = workshop.framework.dimension(self._dimension).descriptors
            for level, button in self.stage_buttons.items():
                said = descriptors.get(level, ())
                button.setToolTip("\n".join(f"• {line}" for line in said))

    def _load_form(self) -> None:
        """Show the stored consensus, keeping notes that are still being typed."""
        agreed = self._check_stored_stage()
        if self._pending != self._dimension:
            if agreed is not None:
                rationale, dissent = agreed.rationale, agreed.dissent
            else:
                rationale, dissent = self._drafts.get(self._dimension, ("", ""))
            self.rationale.set_text(rationale)
            self.dissent.set_text(dissent)
        enabled = self._dimension in self.controller.workshop.scope
        for widget in (self.rationale, self.dissent, *self.stage_buttons.values()):
            widget.setEnabled(enabled)
        self.clear_button.setEnabled(enabled and agreed is not None)
        if agreed is None:
            self.status.setText(f"Not agreed yet: pick the {self.terms.level} the team agrees on.")
        else:
            self.status.setText("Saved. Notes save as you type.")

    def _check_stored_stage(self) -> Consensus | None:
        """Check the stage button of the barrier's stored consensus (none if there is none)."""
        agreed = self.controller.workshop.consensus.get(self._dimension)
        self.stage_group.setExclusive(False)
        for level, button in self.stage_buttons.items():
            with QSignalBlocker(button):
                button.setChecked(agreed is not None and agreed.stage == level)
        self.stage_group.setExclusive(True)
        return agreed

    def _checked_stage(self) -> str | None:
        index = self.stage_group.checkedId()
        return self._levels[index] if 0 <= index < len(self._levels) else None

    # -- signals ----------------------------------------------------------------------------------

    def _barrier_selected(self, dimension_id: str) -> None:
        self.save_notes()  # notes typed for the barrier we are leaving
        self._dimension = dimension_id
        self.chart.set_selected(dimension_id)
        self._show_barrier()

    def _reveal_clicked(self, checked: bool) -> None:
        if checked:
            # Asked first, naming who has not finished, when not everyone has rated.
            self.controller.reveal(lambda question: ask_before_revealing(self, question))
        else:
            self.controller.set_revealed(False)
        self._sync_toolbar(self.controller.workshop)  # unchecked again when kept hidden

    def _revealed_changed(self, revealed: bool) -> None:
        self._sync_toolbar(self.controller.workshop)
        self.chart.set_revealed(revealed)
        self._show_barrier()  # the order may change, and the evidence shows or hides

    def _order_chosen(self, _index: int) -> None:
        self.chart.set_order(self.order_combo.currentData())
        self._show_barrier()
        self.chart_options_changed.emit(self.chart.order, self.chart.labels)

    def _names_chosen(self, shown: bool) -> None:
        self._names_wanted = shown
        self.chart.set_labels(shown)
        self._show_evidence()
        self.chart_options_changed.emit(self.chart.order, self.chart.labels)

    def _stage_chosen(self, _index: int) -> None:
        self._pending = self._dimension
        self.save_notes()

    def _typed(self) -> None:
        self._pending = self._dimension
        self._save_timer.start()
