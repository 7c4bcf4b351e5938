"""Private rating: one participant at the laptop rates each barrier in turn.

The screen shows only the chosen participant's own earlier ratings, never anyone else's, and goes
back to the name chooser (no ratings visible) when they finish or the facilitator moves away.
A stage is recorded the moment it is chosen; the evidence is saved as the person types (after a
short pause), when the text box loses focus, and on leaving the barrier, so nothing typed is lost.
"""

from __future__ import annotations

from html import escape
from itertools import pairwise

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from opassess.changes import WorkshopChange
from opassess.frameworks import Dimension, Level
from opassess.wording import NOT_SURE_LABEL
from opassess.workshop import NOT_SURE, record_evidence, record_rating
from ui.controller import WorkshopController
from ui.steps.rate_grid import is_ctrl_enter, tint
from ui.style import NOT_SURE_COLOUR, scaled_font, stage_colour

EVIDENCE_SAVE_DELAY_MS = 600
EVIDENCE_PROMPT = "What have you seen that makes you say this? Real behaviours and actions."
EVIDENCE_NUDGE = "Evidence helps the team challenge and agree — add an example if you can."
DRAFT_NUDGE = f"Choose a stage (or {NOT_SURE_LABEL}) so this example is kept."
NOT_SURE_ID = 999  # a button id no stage uses (ids -1 and below are assigned by Qt)
# With more people than this, the name chooser offers a box to find a name.
FIND_NAME_FROM = 12
NAME_BUTTON_EMS = 16  # the longest a name's button text runs, in widths of "M"
MAX_NAME_COLUMNS = 4
# A stage card needs about this many characters of width to read well; narrower, they stack.
CARD_READABLE_CHARS = 32

WHO = "who"
RATING = "rating"
THANKS = "thanks"


def _heading(text: str, factor: float, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setFont(scaled_font(label.font(), factor, bold=True))
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def _large_button(text: str, factor: float = 1.25) -> QPushButton:
    button = QPushButton(text)
    button.setFont(scaled_font(button.font(), factor))
    button.setMinimumHeight(round(button.fontMetrics().height() * 2.4))
    button.setAutoDefault(True)  # Enter presses it, as Space does
    button.setAccessibleName(text)
    return button


class StageCard(QFrame):
    """One stage as a card: a radio button with the stage's name and its descriptors beneath.

    A click anywhere on the card chooses the stage.
    """

    def __init__(self, number: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stageCard")
        self.number = number
        self.radio = QRadioButton()
        self.radio.setFont(scaled_font(self.radio.font(), 1.2, bold=True))
        self.strip = QFrame()
        self.strip.setMinimumHeight(max(4, self.fontMetrics().height() // 3))
        self.strip.setAutoFillBackground(True)
        self.bullets = QLabel()
        self.bullets.setWordWrap(True)
        self.bullets.setTextFormat(Qt.TextFormat.RichText)
        self.bullets.setFont(scaled_font(self.bullets.font(), 1.05))
        self.bullets.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.addWidget(self.strip)
        layout.addWidget(self.radio)
        layout.addWidget(self.bullets, 1)
        self._colour = QColor(NOT_SURE_COLOUR)
        self.radio.toggled.connect(self._restyle)

    def show_stage(self, level: Level, descriptors: tuple[str, ...], colour: QColor) -> None:
        self._colour = colour
        self.radio.setText(f"{level.name}  ({self.number})")
        self.radio.setAccessibleName(level.name)
        self.radio.setAccessibleDescription(" ".join(descriptors) or level.summary)
        items = "".join(f"<li>{escape(line)}</li>" for line in descriptors)
        if not items and level.summary:
            items = f"<li>{escape(level.summary)}</li>"
        self.bullets.setText(f"<ul style='margin-left:0px; -qt-list-indent:1;'>{items}</ul>")
        self.strip.setStyleSheet(f"background-color: {colour.name()}; border: none;")
        self._restyle()

    def _restyle(self) -> None:
        if self.radio.isChecked():
            self.setStyleSheet(
                f"QFrame#stageCard {{ border: 3px solid {self._colour.name()};"
                f" border-radius: 6px; background-color: {tint(self._colour, 0.14).name()}; }}"
            )
        else:
            # The same width of frame as a chosen card, so nothing shifts on choosing.
            self.setStyleSheet(
                "QFrame#stageCard { border: 1px solid palette(mid); border-radius: 6px;"
                " padding: 2px; background-color: palette(base); }"
            )

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.radio.click()
            self.radio.setFocus()
            event.accept()
            return
        super().mousePressEvent(event)


class PrivateRatingPanel(QWidget):
    """Who is rating? → one barrier at a time → thank you, pass the laptop on."""

    # The participant now rating, or "" when the screen shows no ratings (names or thank you).
    participant_changed = Signal(str)

    def __init__(self, controller: WorkshopController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self._participant = ""
        self._position = 0
        self._barriers: tuple[str, ...] = ()
        self._saved_text = ""  # the evidence as stored for the barrier on screen
        self._drafts: dict[str, str] = {}  # barrier id -> evidence typed before a stage chosen
        self._name_buttons: dict[str, QPushButton] = {}
        self._shown_names: dict[str, str] | None = None
        self._listed: list[QPushButton] = []  # the name buttons the find box lets through
        self._widest_name = 1
        self._name_columns = 0

        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(EVIDENCE_SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save_evidence)

        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_chooser())
        self.stack.addWidget(self._build_rating())
        self.stack.addWidget(self._build_thanks())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        # Watched once every screen exists: the name grid's width, the rating keys, and the
        # evidence box losing focus.
        for watched in (
            self.names_scroll.viewport(),
            self.rating_scroll.viewport(),
            self.rating_page,
            self.evidence,
            self.not_me,
            self.back,
            self.next,
        ):
            watched.installEventFilter(self)
        self.refresh()

    # -- building the three screens --------------------------------------------------------------

    def _build_chooser(self) -> QWidget:
        page = QWidget()
        page.setAccessibleName("Who is rating?")
        self.who_heading = _heading("Who is rating?", 1.8, page)
        hint = QLabel("Choose your name. You will see only your own ratings, never anyone else's.")
        hint.setWordWrap(True)
        self.find_name = QLineEdit()
        self.find_name.setPlaceholderText("Type to find your name")
        self.find_name.setAccessibleName("Find your name")
        self.find_name.setClearButtonEnabled(True)
        self.find_name.textChanged.connect(self._filter_names)
        self.find_name.returnPressed.connect(self._choose_the_one_found)
        self.no_people = QLabel("Nobody is on the team yet: add the participants in Setup first.")
        self.no_people.setWordWrap(True)
        self.names_grid = QGridLayout()
        self.names_grid.setSpacing(self.fontMetrics().height() // 2)
        names = QWidget()
        names_layout = QVBoxLayout(names)
        names_layout.addLayout(self.names_grid)
        self.names_box = names_layout
        names_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from the search to the names
        scroll.setWidget(names)
        self.names_scroll = scroll
        layout = QVBoxLayout(page)
        layout.addWidget(self.who_heading)
        layout.addWidget(hint)
        layout.addWidget(self.find_name)
        layout.addWidget(self.no_people)
        layout.addWidget(scroll, 1)
        return page

    def _build_rating(self) -> QWidget:
        page = QWidget()
        page.setAccessibleName("Rating one barrier")
        self.rating_page = page

        self.rater = QLabel()
        self.rater.setTextFormat(Qt.TextFormat.PlainText)
        self.rater.setAccessibleName("Who is rating")
        self.counter = QLabel()
        self.counter.setAccessibleName("Which barrier")
        self.not_me = QPushButton("Not you? Back to the names")
        self.not_me.setAccessibleName("Not you? Back to the names")
        self.not_me.setAutoDefault(True)
        self.not_me.clicked.connect(self.reset)
        top = QHBoxLayout()
        top.addWidget(self.rater, 1)
        top.addWidget(self.counter)
        top.addWidget(self.not_me)

        self.barrier_name = _heading("", 1.7)
        self.barrier_name.setAccessibleName("Barrier")
        self.question = _heading("", 1.15)
        self.question.setAccessibleName("Question")
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.explanation.setTextFormat(Qt.TextFormat.PlainText)
        self.explanation.setAccessibleName("About this barrier")

        self.stages = QButtonGroup(self)
        self.stages.setExclusive(True)
        self.cards_row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.cards: list[StageCard] = []
        self.not_sure = QRadioButton(f"{NOT_SURE_LABEL}  (0 or N)")
        self.not_sure.setAccessibleName(NOT_SURE_LABEL)
        self.not_sure.setFont(scaled_font(self.not_sure.font(), 1.1))
        self.stages.addButton(self.not_sure, NOT_SURE_ID)
        self.stages.idClicked.connect(self._stage_clicked)
        keys = QLabel("Keys: 1, 2, 3 choose a stage · 0 or N: not sure · Ctrl+Enter: next")
        keys.setWordWrap(True)
        keys.setAlignment(Qt.AlignmentFlag.AlignCenter)
        keys.setAccessibleName("Keys")
        not_sure_row = QHBoxLayout()
        not_sure_row.addWidget(self.not_sure)
        not_sure_row.addStretch(1)

        prompt = QLabel(EVIDENCE_PROMPT)
        prompt.setWordWrap(True)
        prompt.setFont(scaled_font(prompt.font(), 1.05, bold=True))
        self.evidence = QPlainTextEdit()
        self.evidence.setAccessibleName("Evidence")
        self.evidence.setAccessibleDescription(EVIDENCE_PROMPT)
        self.evidence.setPlaceholderText("For example: what was done, by whom, and when.")
        self.evidence.setTabChangesFocus(True)
        self.evidence.setMinimumHeight(self.fontMetrics().lineSpacing() * 4)
        self.evidence.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.evidence.textChanged.connect(self._evidence_edited)
        prompt.setBuddy(self.evidence)
        self.nudge = QLabel(EVIDENCE_NUDGE)
        self.nudge.setWordWrap(True)
        self.nudge.setAccessibleName("Evidence note")

        self.back = QPushButton("Back")
        self.back.setAccessibleName("Previous barrier")
        self.back.setAutoDefault(True)
        self.back.clicked.connect(self.previous_barrier)
        self.next = QPushButton("Next")
        self.next.setAccessibleName("Next barrier")
        self.next.setAutoDefault(True)
        self.next.setFont(scaled_font(self.next.font(), 1.1, bold=True))
        self.next.clicked.connect(self.next_barrier)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back)
        buttons.addWidget(keys, 1)
        buttons.addWidget(self.next)
        for button in (self.back, self.next):
            button.setMinimumWidth(button.fontMetrics().horizontalAdvance("Finish") * 3)
            button.setMinimumHeight(round(button.fontMetrics().height() * 2))

        content = QWidget()
        body = QVBoxLayout(content)
        body.addLayout(top)
        body.addWidget(self.barrier_name)
        body.addWidget(self.question)
        body.addWidget(self.explanation)
        body.addLayout(self.cards_row)
        body.addLayout(not_sure_row)
        body.addSpacing(self.fontMetrics().height() // 2)
        body.addWidget(prompt)
        body.addWidget(self.evidence)
        body.addWidget(self.nudge)
        body.addStretch(1)
        body.addLayout(buttons)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        self.rating_scroll = scroll
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        return page

    def _build_thanks(self) -> QWidget:
        page = QWidget()
        page.setAccessibleName("Thank you")
        thanks = _heading("Thank you — please pass the laptop on.", 2.0, page)
        thanks.setAlignment(Qt.AlignmentFlag.AlignCenter)
        saved = QLabel("Your ratings are saved. Nobody else sees them until the team compares.")
        saved.setWordWrap(True)
        saved.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pass_on = _large_button("Next person: who is rating?")
        self.pass_on.clicked.connect(self.show_names)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.pass_on)
        row.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(thanks)
        layout.addWidget(saved)
        layout.addSpacing(self.fontMetrics().height())
        layout.addLayout(row)
        layout.addStretch(2)
        return page

    # -- what is showing --------------------------------------------------------------------------

    @property
    def screen(self) -> str:
        return (WHO, RATING, THANKS)[self.stack.currentIndex()]

    @property
    def participant_id(self) -> str:
        return self._participant

    @property
    def barrier_id(self) -> str:
        return self._barriers[self._position] if self._participant and self._barriers else ""

    @property
    def position(self) -> int:
        return self._position

    # -- redrawing --------------------------------------------------------------------------------

    def refresh(self) -> None:
        self._rebuild_names()
        self._barriers = self.controller.workshop.scope
        if self._participant and not self.controller.workshop.has_participant(self._participant):
            self._clear_screen(save=False)
            self.show_names()
        elif self._participant:
            self._position = min(self._position, len(self._barriers) - 1)
            self._show_barrier()

    def on_change(self, change: WorkshopChange) -> None:
        workshop = self.controller.workshop
        if change.participants:
            self._rebuild_names()
        if not self._participant:
            return
        if not workshop.has_participant(self._participant):
            # Removed from the team (or their addition undone): nothing left to save.
            self._clear_screen(save=False)
            self.show_names()
            return
        if change.scope or change.framework:
            current = self.barrier_id
            self._barriers = workshop.scope
            if current in self._barriers:
                self._position = self._barriers.index(current)
            self._position = min(self._position, len(self._barriers) - 1)
            self._show_barrier()
        elif (self._participant, self.barrier_id) in change.ratings:
            self._sync_rating()

    def _rebuild_names(self) -> None:
        names = self.controller.workshop.display_names()
        if names == self._shown_names:
            return
        self._shown_names = names
        for button in self._name_buttons.values():
            self.names_grid.removeWidget(button)
            button.hide()
            button.deleteLater()
        self._name_buttons = {}
        for pid, name in names.items():
            button = _large_button(name)
            # Made inside the page: never, even for a moment, a window of its own.
            button.setParent(self.names_box.parentWidget())
            button.setAccessibleName(f"Rate as {name}")
            # A very long name is cut, whole in the tooltip: every button is as wide as the
            # widest, so one long name would push the others off the screen.
            metrics = button.fontMetrics()
            room = metrics.horizontalAdvance("M") * NAME_BUTTON_EMS
            shown = metrics.elidedText(name, Qt.TextElideMode.ElideRight, room)
            if shown != name:
                button.setText(shown)
                button.setToolTip(name)
            button.clicked.connect(lambda _checked=False, pid=pid: self.choose(pid))
            self._name_buttons[pid] = button
        self._widest_name = max(
            (b.sizeHint().width() for b in self._name_buttons.values()), default=1
        )
        self.no_people.setVisible(not names)
        self.find_name.setVisible(len(names) > FIND_NAME_FROM)
        self._filter_names(self.find_name.text())

    def _filter_names(self, text: str) -> None:
        wanted = text.strip().casefold()
        names = self.controller.workshop.display_names()
        self._listed = [
            button
            for pid, button in self._name_buttons.items()
            if not wanted or wanted in names.get(pid, "").casefold()
        ]
        self._place_names(force=True)

    def _choose_the_one_found(self) -> None:
        if len(self._listed) == 1:
            self._listed[0].click()

    def _place_names(self, force: bool = False) -> None:
        """Lay the name buttons out in as many equal columns as the longest name allows."""
        spacing = self.names_grid.spacing()
        margins = self.names_box.contentsMargins()
        available = self.names_scroll.viewport().width() - margins.left() - margins.right()
        fits = (available + spacing) // (self._widest_name + spacing)
        columns = max(1, min(MAX_NAME_COLUMNS, fits))
        if columns == self._name_columns and not force:
            return
        self._name_columns = columns
        for button in self._name_buttons.values():
            self.names_grid.removeWidget(button)
        listed = set(map(id, self._listed))
        for button in self._name_buttons.values():
            button.setVisible(id(button) in listed)
        for position, button in enumerate(self._listed):
            self.names_grid.addWidget(button, position // columns, position % columns)
        for column in range(MAX_NAME_COLUMNS):
            self.names_grid.setColumnStretch(column, 1 if column < columns else 0)

    # -- moving through the screens --------------------------------------------------------------

    def choose(self, participant_id: str) -> None:
        """Start rating as one participant, at their first barrier not yet rated."""
        workshop = self.controller.workshop
        workshop.participant(participant_id)
        self._participant = participant_id
        self._drafts = {}
        self._barriers = workshop.scope
        unrated = [
            i
            for i, did in enumerate(self._barriers)
            if workshop.rating(participant_id, did) is None
        ]
        self._position = unrated[0] if unrated else 0
        self.rater.setText(f"Rating as {workshop.display_names()[participant_id]}")
        self.stack.setCurrentIndex(1)
        self._show_barrier()
        self.participant_changed.emit(participant_id)

    def next_barrier(self) -> None:
        if not self._participant:
            return
        self.save_evidence()
        if self._position + 1 >= len(self._barriers):
            self.finish()
            return
        self._position += 1
        self._show_barrier()

    def previous_barrier(self) -> None:
        if not self._participant or self._position == 0:
            return
        self.save_evidence()
        self._position -= 1
        self._show_barrier()

    def finish(self) -> None:
        """Save, forget whose turn it was, and show the pass-the-laptop-on screen."""
        self._clear_screen()
        self.stack.setCurrentIndex(2)
        self.pass_on.setFocus()

    def reset(self) -> None:
        """Save, forget whose turn it was, and go back to the names: no rating left on screen."""
        self._clear_screen()
        self.show_names()

    def show_names(self) -> None:
        if self._participant:
            self._clear_screen()
        self.find_name.clear()
        self.stack.setCurrentIndex(0)
        self.focus_names()

    def focus_names(self) -> None:
        """The keyboard on the names: the search when there is one, else the first name."""
        if self.screen != WHO:
            return
        if self.find_name.isVisibleTo(self):
            self.find_name.setFocus()
        elif self._listed:
            self._listed[0].setFocus()

    def _clear_screen(self, *, save: bool = True) -> None:
        was_rating = bool(self._participant)
        if was_rating and save:
            self.save_evidence()
        self._save_timer.stop()
        self._participant = ""
        self._drafts = {}
        self._position = 0
        self.rater.clear()
        self._set_evidence("")
        self._check(None)
        if was_rating:
            self.participant_changed.emit("")

    # -- one barrier ------------------------------------------------------------------------------

    def _show_barrier(self) -> None:
        workshop = self.controller.workshop
        framework = workshop.framework
        dimension: Dimension = framework.dimension(self.barrier_id)
        total = len(self._barriers)
        self.counter.setText(f"Barrier {self._position + 1} of {total}")
        self.barrier_name.setText(dimension.name)
        self.question.setText(dimension.question)
        self.question.setVisible(bool(dimension.question))
        self.explanation.setText(dimension.explanation)
        self.explanation.setVisible(bool(dimension.explanation))
        self._ensure_cards(len(framework.levels))
        for card, level in zip(self.cards, framework.levels, strict=True):
            colour = stage_colour(framework.level_ids, level.id)
            card.show_stage(level, tuple(dimension.descriptors.get(level.id, ())), colour)
        self.back.setEnabled(self._position > 0)
        last = self._position + 1 >= total
        self.next.setText("Finish" if last else "Next")
        self.next.setAccessibleName("Finish rating" if last else "Next barrier")
        rating = workshop.rating(self._participant, self.barrier_id)
        self._check(rating.stage if rating else None)
        stored = rating.evidence if rating else ""
        self._saved_text = stored
        self._set_evidence(stored if rating else self._drafts.get(self.barrier_id, ""))
        self._update_nudge()
        focus = self.stages.checkedButton() or (self.cards[0].radio if self.cards else None)
        if focus is not None:
            focus.setFocus()

    def _ensure_cards(self, count: int) -> None:
        while len(self.cards) < count:
            card = StageCard(len(self.cards) + 1)
            self.cards_row.addWidget(card, 1)
            self.stages.addButton(card.radio, len(self.cards))
            self.cards.append(card)
        while len(self.cards) > count:
            card = self.cards.pop()
            self.stages.removeButton(card.radio)
            card.deleteLater()
        self._arrange_cards()
        # Tab follows the screen: the stages, not sure, the evidence, then Back and Next.
        chain = [
            self.not_me,
            *(card.radio for card in self.cards),
            self.not_sure,
            self.evidence,
            self.back,
            self.next,
        ]
        for before, after in pairwise(chain):
            QWidget.setTabOrder(before, after)

    def _arrange_cards(self) -> None:
        """Cards side by side when there is room for them, one above another when not."""
        per_card = self.fontMetrics().averageCharWidth() * CARD_READABLE_CHARS
        room = self.rating_scroll.viewport().width() >= per_card * max(1, len(self.cards))
        wanted = QBoxLayout.Direction.LeftToRight if room else QBoxLayout.Direction.TopToBottom
        if self.cards_row.direction() != wanted:
            self.cards_row.setDirection(wanted)

    def _check(self, stage: str | None) -> None:
        """Show a stage as chosen (None: nothing chosen) without recording anything."""
        levels = self.controller.workshop.framework.level_ids
        if stage is None:
            self.stages.setExclusive(False)
            for button in self.stages.buttons():
                button.setChecked(False)
            self.stages.setExclusive(True)
            return
        button_id = NOT_SURE_ID if stage == NOT_SURE else levels.index(stage)
        button = self.stages.button(button_id)
        if button is not None:
            button.setChecked(True)

    def _sync_rating(self) -> None:
        """An undo or redo changed the rating on screen: show it, keeping unsaved typing."""
        rating = self.controller.workshop.rating(self._participant, self.barrier_id)
        self._check(rating.stage if rating else None)
        stored = rating.evidence if rating else ""
        if self.evidence.toPlainText() == self._saved_text:
            self._set_evidence(stored)
        self._saved_text = stored
        self._update_nudge()

    def _set_evidence(self, text: str) -> None:
        if self.evidence.toPlainText() == text:
            return
        self.evidence.blockSignals(True)
        self.evidence.setPlainText(text)
        self.evidence.blockSignals(False)

    def _update_nudge(self) -> None:
        has_text = bool(self.evidence.toPlainText().strip())
        rated = self.stages.checkedButton() is not None
        if has_text and not rated:
            self.nudge.setText(DRAFT_NUDGE)
        else:
            self.nudge.setText(EVIDENCE_NUDGE)
        self.nudge.setVisible(not has_text or not rated)

    # -- edits ------------------------------------------------------------------------------------

    def choose_stage(self, stage: str) -> None:
        """Record this participant's stage (or NOT_SURE) for the barrier on screen."""
        if not self._participant:
            return
        self._save_timer.stop()
        text = self.evidence.toPlainText()
        if self.controller.apply(
            "Rating", record_rating, self._participant, self.barrier_id, stage, text
        ):
            self._saved_text = text
            self._drafts.pop(self.barrier_id, None)
        rating = self.controller.workshop.rating(self._participant, self.barrier_id)
        self._check(rating.stage if rating else None)
        self._update_nudge()

    def _stage_clicked(self, button_id: int) -> None:
        levels = self.controller.workshop.framework.level_ids
        self.choose_stage(NOT_SURE if button_id == NOT_SURE_ID else levels[button_id])

    def _evidence_edited(self) -> None:
        self._update_nudge()
        self._save_timer.start()

    def save_evidence(self) -> None:
        """Store the evidence typed for the barrier on screen, if it changed."""
        self._save_timer.stop()
        if not self._participant or not self.barrier_id:
            return
        text = self.evidence.toPlainText()
        rating = self.controller.workshop.rating(self._participant, self.barrier_id)
        if rating is None:
            # The rules keep evidence with a rating: hold it until a stage is chosen.
            if text.strip():
                self._drafts[self.barrier_id] = text
            else:
                self._drafts.pop(self.barrier_id, None)
            return
        if rating.evidence == text:
            self._saved_text = text
            return
        if self.controller.apply(
            "Evidence", record_evidence, self._participant, self.barrier_id, text
        ):
            self._saved_text = text

    # -- keys and focus ---------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.names_scroll.viewport() and event.type() == QEvent.Type.Resize:
            self._place_names()
        elif watched is self.rating_scroll.viewport() and event.type() == QEvent.Type.Resize:
            self._arrange_cards()
        elif watched is self.evidence:
            if event.type() == QEvent.Type.FocusOut:
                self.save_evidence()
            elif event.type() == QEvent.Type.KeyPress and is_ctrl_enter(event):  # type: ignore[arg-type]
                self.next_barrier()
                return True
        elif watched is self.rating_page and event.type() == QEvent.Type.KeyPress:
            return self._rating_key(event)  # type: ignore[arg-type]
        elif event.type() == QEvent.Type.KeyPress and is_ctrl_enter(event):  # type: ignore[arg-type]
            # A focused button would take Ctrl+Enter as a press of itself: it means Next here.
            self.next_barrier()
            return True
        return super().eventFilter(watched, event)

    def _rating_key(self, event: QKeyEvent) -> bool:
        """Keys that reach the rating screen (the text box keeps its own typing)."""
        if is_ctrl_enter(event):
            self.next_barrier()
            return True
        if event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        ):
            return False
        text = event.text().strip().casefold()
        levels = self.controller.workshop.framework.level_ids
        if text in ("0", "n"):
            self.choose_stage(NOT_SURE)
            self.not_sure.setFocus()
            return True
        if text.isdigit() and 1 <= int(text) <= min(len(levels), 9):
            self.choose_stage(levels[int(text) - 1])
            self.cards[int(text) - 1].radio.setFocus()
            return True
        return False

    def hideEvent(self, event: QEvent) -> None:  # type: ignore[override]
        # Closing the window hides this panel first: keep what was typed.
        self.save_evidence()
        super().hideEvent(event)
