"""The first thing a new facilitator sees: what OpAssess is for and three ways to begin."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from opassess import SESSION_FILE_SUFFIX
from opassess.paths import resources_dir
from ui.style import scaled_font

INTRODUCTION = (
    "OpAssess guides a management team through a facilitated look at how well it manages "
    "performance. Each member rates, with evidence, which of three stages of development the "
    "organisation has reached on six barriers; the team then sees the spread on the projector, "
    "agrees where it stands, and agrees what to do next, who does it and when to look again."
)
GUIDE_LINK = "guide"
ACCENT = "#0072B2"
# Framed, so the three ways in read as buttons before the pointer reaches them.
CHOICE_STYLE = f"""
QPushButton#choice {{
    border: 1px solid #b9c0c8; border-radius: 8px; background: #ffffff; text-align: left;
}}
QPushButton#choice:hover {{ border-color: {ACCENT}; background: #f2f7fb; }}
QPushButton#choice:focus {{ border: 2px solid {ACCENT}; }}
QPushButton#choice:pressed {{ background: #e1edf6; }}
"""


class ChoiceButton(QPushButton):
    """A large button with a bold title and a line saying what it leads to."""

    def __init__(self, title: str, description: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("choice")
        self.setStyleSheet(CHOICE_STYLE)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAccessibleName(title.rstrip("…"))
        self.setAccessibleDescription(description)
        self.title_label = QLabel(title)
        self.title_label.setFont(scaled_font(self.title_label.font(), 1.3, bold=True))
        self.description_label = QLabel(description)
        self.description_label.setFont(scaled_font(self.description_label.font(), 1.05))
        arrow = QLabel("→")
        arrow.setFont(scaled_font(arrow.font(), 1.6))
        arrow.setStyleSheet(f"color: {ACCENT}")
        for label in (self.title_label, self.description_label, arrow):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        words = QVBoxLayout()
        words.setSpacing(2)
        words.addWidget(self.title_label)
        words.addWidget(self.description_label)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(20, 12, 20, 12)
        layout.addLayout(words, 1)
        layout.addWidget(arrow)

    def sizeHint(self) -> QSize:
        return self.layout().sizeHint().expandedTo(QSize(320, 64))

    def minimumSizeHint(self) -> QSize:
        return self.layout().minimumSize()


class WelcomePanel(QWidget):
    """Shown instead of the library table while the library holds no workshop."""

    demo_requested = Signal()
    new_requested = Signal()
    import_requested = Signal()
    guide_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.logo = QLabel()
        self.logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        icon = resources_dir() / "icons" / "opassess.png"
        pixmap = QPixmap(str(icon)) if icon.exists() else QPixmap()
        if not pixmap.isNull():
            ratio = self.devicePixelRatioF()
            scaled = pixmap.scaled(
                round(88 * ratio),
                round(88 * ratio),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            scaled.setDevicePixelRatio(ratio)
            self.logo.setPixmap(scaled)
        if pixmap.isNull():
            self.logo.hide()

        self.title = QLabel("Welcome to OpAssess")
        self.title.setFont(scaled_font(self.title.font(), 2.2, bold=True))
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.introduction = QLabel(INTRODUCTION)
        self.introduction.setFont(scaled_font(self.introduction.font(), 1.15))
        self.introduction.setWordWrap(True)
        self.introduction.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.demo_button = ChoiceButton(
            "Open the demo workshop",
            "A finished workshop to explore, every step filled in for a team of eight.",
        )
        self.new_button = ChoiceButton(
            "New workshop",
            "Start your own: name the team, choose the barriers, add the members.",
        )
        self.import_button = ChoiceButton(
            "Import a session file…",
            f"Open a workshop another facilitator sent you (a {SESSION_FILE_SUFFIX} file).",
        )
        self.guide_link = QLabel(
            f'<a href="{GUIDE_LINK}">Read the facilitator’s guide</a> before your first workshop'
        )
        self.guide_link.setFont(scaled_font(self.guide_link.font(), 1.1))
        self.guide_link.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.guide_link.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.guide_link.setAccessibleName("Read the facilitator’s guide")
        self.drop_hint = QLabel(
            f"You can also drop {SESSION_FILE_SUFFIX} files anywhere on this page."
        )
        self.drop_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.drop_hint.setEnabled(False)  # drawn in the muted colour of the current style

        column = QVBoxLayout()
        column.setSpacing(10)
        column.addWidget(self.logo)
        column.addWidget(self.title)
        column.addSpacing(4)
        column.addWidget(self.introduction)
        column.addSpacing(16)
        for button in (self.demo_button, self.new_button, self.import_button):
            column.addWidget(button)
        column.addSpacing(12)
        column.addWidget(self.guide_link)
        column.addWidget(self.drop_hint)
        content = QFrame()
        content.setLayout(column)
        content.setMaximumWidth(680)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(content, 8)
        row.addStretch(1)
        page = QWidget()
        centred = QVBoxLayout(page)
        centred.addStretch(2)
        centred.addLayout(row)
        centred.addStretch(3)
        # On a small screen at a large scale the panel scrolls rather than squeezing its words.
        scroller = QScrollArea()
        scroller.setWidget(page)
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        page.setAutoFillBackground(False)
        scroller.viewport().setAutoFillBackground(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroller)

        self.demo_button.clicked.connect(self.demo_requested.emit)
        self.new_button.clicked.connect(self.new_requested.emit)
        self.import_button.clicked.connect(self.import_requested.emit)
        self.guide_link.linkActivated.connect(self._link_activated)
        self.setFocusProxy(self.demo_button)

    def _link_activated(self, link: str) -> None:
        if link == GUIDE_LINK:
            self.guide_requested.emit()
