"""Self-contained pieces of the private-rating screen: stage cards, the name chooser, thank you."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from opassess.frameworks import Level
from opassess.wording import NOT_SURE_LABEL
from opassess.workshop import NOT_SURE
from ui.controller import WorkshopController
from ui.steps.rate_grid import tint
from ui.style import NOT_SURE_COLOUR, scaled_font

NOT_SURE_ID = 999  # a button id no stage uses (ids -1 and below are assigned by Qt)
# A stage card needs about this many characters of width to read well; narrower, they stack.
CARD_READABLE_CHARS = 32
# With more people than this, the name chooser offers a box to find a name.
FIND_NAME_FROM = 12
NAME_BUTTON_EMS = 16  # the longest a name's button text runs, in widths of "M"
MAX_NAME_COLUMNS = 4


def heading(text: str, factor: float, parent: QWidget | None = None) -> QLabel:
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


class StageChoice:
    """The choice for one barrier: a card for each stage and Not sure, only one of them chosen.

    The group's button ids are the stages' positions, and NOT_SURE_ID for Not sure.
    """

    def __init__(self, parent: QObject) -> None:
        self.group = QButtonGroup(parent)
        self.group.setExclusive(True)
        self.row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.cards: list[StageCard] = []
        self.not_sure = QRadioButton(f"{NOT_SURE_LABEL}  (0 or N)")
        self.not_sure.setAccessibleName(NOT_SURE_LABEL)
        self.not_sure.setFont(scaled_font(self.not_sure.font(), 1.1))
        self.group.addButton(self.not_sure, NOT_SURE_ID)

    def ensure_cards(self, count: int) -> None:
        while len(self.cards) < count:
            card = StageCard(len(self.cards) + 1)
            self.row.addWidget(card, 1)
            self.group.addButton(card.radio, len(self.cards))
            self.cards.append(card)
        while len(self.cards) > count:
            card = self.cards.pop()
            self.group.removeButton(card.radio)
            card.deleteLater()

    def arrange(self, width: int, char_width: int) -> None:
        """Cards side by side when there is room for them, one above another when not."""
        per_card = char_width * CARD_READABLE_CHARS
        room = width >= per_card * max(1, len(self.cards))
        wanted = QBoxLayout.Direction.LeftToRight if room else QBoxLayout.Direction.TopToBottom
        if self.row.direction() != wanted:
            self.row.setDirection(wanted)

    def check(self, stage: str | None, level_ids: Sequence[str]) -> None:
        """Show a stage as chosen (None: nothing chosen) without recording anything."""
        if stage is None:
            self.group.setExclusive(False)
            for button in self.group.buttons():
                button.setChecked(False)
            self.group.setExclusive(True)
            return
        button_id = NOT_SURE_ID if stage == NOT_SURE else level_ids.index(stage)
        button = self.group.button(button_id)
        if button is not None:
            button.setChecked(True)


class NameChooser(QWidget):
    """Who is rating? A large button for each participant, and a box to find one in a big team."""

    chosen = Signal(str)  # the participant id whose button was pressed

    def __init__(
        self, controller: WorkshopController, spacing: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self._name_buttons: dict[str, QPushButton] = {}
        self._shown_names: dict[str, str] | None = None
        self._listed: list[QPushButton] = []  # the name buttons the find box lets through
        self._widest_name = 1
        self._name_columns = 0

        self.setAccessibleName("Who is rating?")
        self.who_heading = heading("Who is rating?", 1.8, self)
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
        self.names_grid.setSpacing(spacing)
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
        layout = QVBoxLayout(self)
        layout.addWidget(self.who_heading)
        layout.addWidget(hint)
        layout.addWidget(self.find_name)
        layout.addWidget(self.no_people)
        layout.addWidget(scroll, 1)

    @property
    def first_listed(self) -> QPushButton | None:
        return self._listed[0] if self._listed else None

    def rebuild(self) -> None:
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
            button.clicked.connect(lambda _checked=False, pid=pid: self.chosen.emit(pid))
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
        self.place_names(force=True)

    def _choose_the_one_found(self) -> None:
        if len(self._listed) == 1:
            self._listed[0].click()

    def place_names(self, force: bool = False) -> None:
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


class ThanksPage(QWidget):
    """Thank you, pass the laptop on: nothing of anyone's ratings on screen."""

    def __init__(self, spacing: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Thank you")
        thanks = heading("Thank you — please pass the laptop on.", 2.0, self)
        thanks.setAlignment(Qt.AlignmentFlag.AlignCenter)
        saved = QLabel("Your ratings are saved. Nobody else sees them until the team compares.")
        saved.setWordWrap(True)
        saved.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pass_on = _large_button("Next person: who is rating?")
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.pass_on)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(thanks)
        layout.addWidget(saved)
        layout.addSpacing(spacing)
        layout.addLayout(row)
        layout.addStretch(2)
