"""Private rating: one participant at the laptop rates each barrier in turn.

The screen shows only what the person at the laptop chooses in this sitting. Answers given
earlier (at the laptop, on a form or from a phone) are kept but never shown, not even under the
same name: anyone can tap any name, so showing them would put one person's ratings one click
away from the next. Choosing again replaces them. Nothing typed survives the sitting either:
the text boxes forget their undo history and the clipboard forgets what was copied from them.
A stage is recorded the moment it is chosen; the evidence is saved as the person types (after a
short pause), when the text box loses focus, and on leaving the barrier, so nothing typed is lost.

The page, its flow from name to thank-you and its keyboard rules stay together (past 600 lines):
the privacy rules (nothing of one person shown to the next) are checked in one place.
"""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from opassess.changes import WorkshopChange
from opassess.frameworks import Dimension, capitalised
from opassess.wording import NOT_SURE_LABEL, number_words
from opassess.workshop import NOT_SURE, Rating, record_evidence, record_rating
from ui.controller import WorkshopController
from ui.steps import number_keys
from ui.steps.rate_cards import NOT_SURE_ID, NameChooser, StageChoice, ThanksPage, heading
from ui.steps.rate_grid import is_ctrl_enter
from ui.style import scaled_font, stage_colour

EVIDENCE_SAVE_DELAY_MS = 600
EVIDENCE_PROMPT = "What have you seen that makes you say this? Real behaviours and actions."
EVIDENCE_NUDGE = "Evidence helps the team challenge and agree — add an example if you can."
DRAFT_NUDGE = "Choose a {level} (or " + NOT_SURE_LABEL + ") so this example is kept."

WHO = "who"
RATING = "rating"
THANKS = "thanks"


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
        # barrier id -> the rating saved in this sitting: the only one the screen may show
        self._this_sitting: dict[str, Rating] = {}
        self._clipboard_before = ""  # the clipboard's text when the name was chosen

        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(EVIDENCE_SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save_evidence)

        self.stack = QStackedWidget()
        self.chooser = NameChooser(controller, self.fontMetrics().height() // 2)
        self.chooser.chosen.connect(self.choose)
        self.find_name = self.chooser.find_name
        self.names_scroll = self.chooser.names_scroll
        self.stack.addWidget(self.chooser)
        self.stack.addWidget(self._build_rating())
        thanks = ThanksPage(self.fontMetrics().height())
        self.pass_on = thanks.pass_on
        self.pass_on.clicked.connect(self.show_names)
        self.stack.addWidget(thanks)
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

    # -- building the rating screen --------------------------------------------------------------

    def _build_rating(self) -> QWidget:
        page = QWidget()
        self.rating_page = page

        self.rater = QLabel()
        self.rater.setTextFormat(Qt.TextFormat.PlainText)
        self.rater.setAccessibleName("Who is rating")
        self.counter = QLabel()
        self.not_me = QPushButton("Not you? Back to the names")
        self.not_me.setAccessibleName("Not you? Back to the names")
        self.not_me.setAutoDefault(True)
        self.not_me.clicked.connect(self.reset)
        top = QHBoxLayout()
        top.addWidget(self.rater, 1)
        top.addWidget(self.counter)
        top.addWidget(self.not_me)

        self.barrier_name = heading("", 1.7)
        self.question = heading("", 1.15)
        self.question.setAccessibleName("Question")
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.explanation.setTextFormat(Qt.TextFormat.PlainText)

        self.choice = StageChoice(self)
        self.stages = self.choice.group
        self.cards = self.choice.cards
        self.not_sure = self.choice.not_sure
        self.stages.idClicked.connect(self._stage_clicked)
        keys = QLabel()
        keys.setWordWrap(True)
        keys.setAlignment(Qt.AlignmentFlag.AlignCenter)
        keys.setAccessibleName("Keys")
        self.keys = keys
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
        self.back.setAutoDefault(True)
        self.back.clicked.connect(self.previous_barrier)
        self.next = QPushButton("Next")
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

        self.resumed = QLabel()
        self.resumed.setWordWrap(True)
        self.resumed.setTextFormat(Qt.TextFormat.PlainText)
        self.resumed.setAccessibleName("Where you start")
        self.resumed.setFont(scaled_font(self.resumed.font(), 1.05, bold=True))
        self.resumed.hide()
        self.kept_note = QLabel()
        self.kept_note.setWordWrap(True)
        self.kept_note.setTextFormat(Qt.TextFormat.PlainText)
        self.kept_note.setAccessibleName("Answered earlier")
        self.kept_note.hide()

        content = QWidget()
        body = QVBoxLayout(content)
        body.addWidget(self.resumed)
        body.addWidget(self.kept_note)
        body.addWidget(self.barrier_name)
        body.addWidget(self.question)
        body.addWidget(self.explanation)
        body.addLayout(self.choice.row)
        body.addLayout(not_sure_row)
        body.addSpacing(self.fontMetrics().height() // 2)
        body.addWidget(prompt)
        body.addWidget(self.evidence)
        body.addWidget(self.nudge)
        body.addStretch(1)
        self._describe()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        self.rating_scroll = scroll
        # Who is rating and Back, Next and the keys stay put outside the scrolling part: on a
        # small screen they are never below the fold, whatever the barrier's length.
        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setFrameShadow(QFrame.Shadow.Sunken)
        self.footer = QWidget()
        footer = QVBoxLayout(self.footer)
        footer.setContentsMargins(0, 0, 0, 0)
        footer.addWidget(rule)
        footer.addLayout(buttons)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.footer)
        return page

    def _describe(self) -> None:
        """Name the rating screen's parts in the framework's words."""
        framework = self.controller.workshop.framework
        terms = framework.terms
        self.rating_page.setAccessibleName(f"Rating one {terms.dimension}")
        self.counter.setAccessibleName(f"Which {terms.dimension}")
        self.barrier_name.setAccessibleName(capitalised(terms.dimension))
        self.explanation.setAccessibleName(f"About this {terms.dimension}")
        self.back.setAccessibleName(f"Previous {terms.dimension}")
        self.next.setAccessibleName(f"Next {terms.dimension}")
        self.keys.setText(
            f"Keys: {number_keys(len(framework.levels))} choose a {terms.level}"
            " · 0 or N: not sure · Ctrl+Enter: next"
        )

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
        self.chooser.rebuild()
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
            self.chooser.rebuild()
        if not self._participant:
            return
        if not workshop.has_participant(self._participant):
            # Removed from the team (or their addition undone): nothing left to save.
            self._clear_screen(save=False)
            self.show_names()
            return
        if change.framework:
            self._describe()
        if change.scope or change.framework:
            current = self.barrier_id
            self._barriers = workshop.scope
            if current in self._barriers:
                self._position = self._barriers.index(current)
            self._position = min(self._position, len(self._barriers) - 1)
            self._show_barrier()
        elif (self._participant, self.barrier_id) in change.ratings:
            self._sync_rating()

    # -- moving through the screens --------------------------------------------------------------

    def choose(self, participant_id: str) -> None:
        """Start rating as one participant, at their first barrier not yet rated."""
        workshop = self.controller.workshop
        workshop.participant(participant_id)
        self._participant = participant_id
        self._drafts = {}
        self._this_sitting = {}
        clipboard = QGuiApplication.clipboard()
        self._clipboard_before = clipboard.text() if clipboard is not None else ""
        self._barriers = workshop.scope
        unrated = [
            i
            for i, did in enumerate(self._barriers)
            if workshop.rating(participant_id, did) is None
        ]
        self._position = unrated[0] if unrated else 0
        # From the first name chosen until the facilitator takes the laptop back, nothing that
        # shows a rating is in reach (the controller's rule, which every view follows).
        self.controller.begin_private_session()
        self.rater.setText(f"Rating as {workshop.display_names()[participant_id]}")
        self.stack.setCurrentIndex(1)
        self._show_barrier()
        self._say_where_resumed(rated_before=self._position, all_rated=not unrated)
        self.participant_changed.emit(participant_id)

    def _say_where_resumed(self, *, rated_before: int, all_rated: bool) -> None:
        """Say plainly when the first barrier shown is not the first: nobody should rate
        barrier 3 believing it is barrier 2."""
        terms = self.controller.workshop.framework.terms
        if all_rated and self._barriers:
            text = (
                f"You have rated every {terms.dimension} already. Your answers are kept and not "
                f"shown; choose a {terms.level} on any {terms.dimension} to replace that answer, "
                "then Finish."
            )
        elif rated_before:
            name = self.controller.workshop.framework.dimension(self.barrier_id).name
            earlier = (
                f"the first {terms.dimension}"
                if rated_before == 1
                else f"the first {number_words(rated_before)}"
            )
            text = (
                f"Resuming at {terms.dimension} {self._position + 1} of {len(self._barriers)}: "
                f"{name} — you rated {earlier} earlier."
            )
        else:
            text = ""
        self.resumed.setText(text)
        self.resumed.setVisible(bool(text))

    def next_barrier(self) -> None:
        if not self._participant:
            return
        self.save_evidence()
        if self._position + 1 >= len(self._barriers):
            self.finish()
            return
        self._position += 1
        self.resumed.hide()
        self._show_barrier()

    def previous_barrier(self) -> None:
        if not self._participant or self._position == 0:
            return
        self.save_evidence()
        self._position -= 1
        self.resumed.hide()
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
        self.find_name.setText("")  # unlike clear(), forgets the undo history: who typed last
        self.stack.setCurrentIndex(0)
        self.focus_names()

    def focus_names(self) -> None:
        """The keyboard on the names: the search when there is one, else the first name."""
        if self.screen != WHO:
            return
        if self.find_name.isVisibleTo(self):
            self.find_name.setFocus()
        elif (first := self.chooser.first_listed) is not None:
            first.setFocus()

    def _clear_screen(self, *, save: bool = True) -> None:
        was_rating = bool(self._participant)
        if was_rating and save:
            self.save_evidence()
        self._save_timer.stop()
        self._participant = ""
        self._drafts = {}
        self._this_sitting = {}
        self._position = 0
        self.rater.clear()
        self.resumed.clear()
        self.resumed.hide()
        self.kept_note.hide()
        self._set_evidence("")
        self._check(None)
        if was_rating:
            self._forget_copied_text()
            self.participant_changed.emit("")

    def _forget_copied_text(self) -> None:
        """Text copied at the laptop during a sitting would be one Paste away from the next
        person: the clipboard is emptied if it changed since the name was chosen (what was
        there before, the facilitator's, is kept)."""
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None and clipboard.text() != self._clipboard_before:
            clipboard.clear()
        self._clipboard_before = ""

    # -- one barrier ------------------------------------------------------------------------------

    def _show_barrier(self) -> None:
        workshop = self.controller.workshop
        framework = workshop.framework
        dimension: Dimension = framework.dimension(self.barrier_id)
        total = len(self._barriers)
        terms = framework.terms
        self.counter.setText(f"{capitalised(terms.dimension)} {self._position + 1} of {total}")
        self.barrier_name.setText(dimension.name)
        self.question.setText(dimension.question)
        self.question.setVisible(bool(dimension.question))
        self.explanation.setText(dimension.explanation)
        self.explanation.setVisible(bool(dimension.explanation))
        self._ensure_cards(len(framework.levels))
        for card, level in zip(self.cards, framework.levels, strict=True):
            colour = stage_colour(framework, level.id)
            card.show_stage(level, tuple(dimension.descriptors.get(level.id, ())), colour)
        self.back.setEnabled(self._position > 0)
        last = self._position + 1 >= total
        self.next.setText("Finish" if last else "Next")
        self.next.setAccessibleName("Finish rating" if last else f"Next {terms.dimension}")
        rating = self._shown_rating()
        self._check(rating.stage if rating else None)
        stored = rating.evidence if rating else ""
        self._saved_text = stored
        self._set_evidence(stored if rating else self._drafts.get(self.barrier_id, ""))
        self._say_if_kept()
        self._update_nudge()
        focus = self.stages.checkedButton() or (self.cards[0].radio if self.cards else None)
        if focus is not None:
            focus.setFocus()
        # Each barrier starts at its top, its name in view, wherever the last one was left.
        self.rating_scroll.verticalScrollBar().setValue(0)
        self.rating_scroll.horizontalScrollBar().setValue(0)

    def _ensure_cards(self, count: int) -> None:
        self.choice.ensure_cards(count)
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
        width = self.rating_scroll.viewport().width()
        self.choice.arrange(width, self.fontMetrics().averageCharWidth())

    def _check(self, stage: str | None) -> None:
        self.choice.check(stage, self.controller.workshop.framework.level_ids)

    def _shown_rating(self) -> Rating | None:
        """The rating on screen: only the one saved in this sitting, and only while the
        workshop still holds exactly that (a phone sending under the same name replaces it,
        and what the phone sent is not this person's to see)."""
        mine = self._this_sitting.get(self.barrier_id)
        held = self.controller.workshop.rating(self._participant, self.barrier_id)
        if mine is None or held != mine:
            self._this_sitting.pop(self.barrier_id, None)
            return None
        return held

    def _remember_saved(self) -> None:
        held = self.controller.workshop.rating(self._participant, self.barrier_id)
        if held is not None:
            self._this_sitting[self.barrier_id] = held

    def _say_if_kept(self) -> None:
        answered = (
            self._shown_rating() is None
            and self.controller.workshop.rating(self._participant, self.barrier_id) is not None
        )
        if answered:
            terms = self.controller.workshop.framework.terms
            self.kept_note.setText(
                f"This {terms.dimension} was answered earlier under this name. The answer is "
                f"kept and not shown, so nobody else at the laptop can see it; choose a "
                f"{terms.level} to replace it, with your evidence."
            )
        self.kept_note.setVisible(answered)

    def _sync_rating(self) -> None:
        """The rating on screen changed elsewhere: show it, keeping unsaved typing."""
        rating = self._shown_rating()
        self._check(rating.stage if rating else None)
        stored = rating.evidence if rating else ""
        if self.evidence.toPlainText() == self._saved_text:
            self._set_evidence(stored)
        self._saved_text = stored
        self._say_if_kept()
        self._update_nudge()

    def _set_evidence(self, text: str) -> None:
        # Always set, never "already equal": an emptied box would keep its undo history, and
        # Ctrl+Z would bring the last person's words back for the next.
        self.evidence.blockSignals(True)
        self.evidence.setPlainText(text)
        self.evidence.document().clearUndoRedoStacks()
        self.evidence.blockSignals(False)

    def _update_nudge(self) -> None:
        has_text = bool(self.evidence.toPlainText().strip())
        rated = self.stages.checkedButton() is not None
        if has_text and not rated:
            level = self.controller.workshop.framework.terms.level
            self.nudge.setText(DRAFT_NUDGE.format(level=level))
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
            self._remember_saved()
            self.kept_note.hide()
        rating = self._shown_rating()
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
        rating = self._shown_rating()
        if rating is None:
            # The rules keep evidence with a rating: hold it until a stage is chosen (an answer
            # from before this sitting is replaced only by choosing again).
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
            self._remember_saved()

    # -- keys and focus ---------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.names_scroll.viewport() and event.type() == QEvent.Type.Resize:
            self.chooser.place_names()
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
