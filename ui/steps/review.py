"""Review: the whole workshop on one page, and exporting it as a session file.

The page is generated HTML in a QTextBrowser, so it scrolls, prints and copies as one document.
Every piece of text a person typed (names, evidence, rationale, actions) is escaped: a name like
"<b>&Co</b>" shows as those characters, never as markup.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDir, QEvent, QObject, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from opassess.analysis import BarrierSummary, movement, summarise
from opassess.changes import WorkshopChange
from opassess.frameworks import capitalised
from opassess.wording import (
    NOT_MARKED_LABEL,
    NOT_RATED_LABEL,
    NOT_SURE_LABEL,
    compared_stage_name,
    count_words,
    follow_up_label,
    follow_up_summary,
    format_date,
    gap_words,
    movement_words,
    stage_name,
    status_label,
    target_words,
)
from opassess.workshop import Workshop, reassessment_date_warning
from ui.controller import WorkshopController
from ui.steps import StepPage

if TYPE_CHECKING:
    from ui.operations import FileDialogs

LoadPrevious = Callable[[str], "Workshop | None"]

READABLE_WIDTH = 1200  # pixels of text, at most

_STYLE = """
h1 { font-size: x-large; margin-bottom: 6px; }
h2 { font-size: large; margin-top: 26px; margin-bottom: 6px; }
h3 { font-size: medium; margin-top: 14px; margin-bottom: 4px; }
p { margin-top: 4px; margin-bottom: 4px; }
table { margin-top: 6px; margin-bottom: 8px; }
th { text-align: left; font-weight: bold; }
td, th { padding: 3px 8px; }
.muted { color: #595959; }
.warn { color: #B00020; }
"""
_TABLE = "<table border='1' cellspacing='0' cellpadding='4' style='border-collapse: collapse'>"


def _e(value: object) -> str:
    """Escape user text for the page, keeping its line breaks."""
    return html.escape(str(value)).replace("\n", "<br>")


# -- the document -------------------------------------------------------------------------------


def review_html(workshop: Workshop, previous: Workshop | None = None) -> str:
    """The whole workshop as one HTML document; `previous` is the workshop it re-assesses."""
    terms = workshop.framework.terms
    parts = [f"<h1>{_e(workshop.title)}</h1>", _details(workshop), _participants(workshop)]
    for summary in summarise(workshop):
        parts.append(_barrier(workshop, summary))
    parts.append(f"<h2>{_e(capitalised(terms.reassessment))}</h2>")
    if workshop.reassess_on:
        parts.append(f"<p>Look again by <b>{_e(format_date(workshop.reassess_on))}</b>.</p>")
    else:
        parts.append(
            f"<p class='muted'>No {_e(terms.reassessment)} date yet. Most teams look again in "
            "6 to 12 months (set it in the Plan step).</p>"
        )
    if workshop.reassesses:
        parts.append(_movement_section(workshop, previous))
    return "".join(parts)


def _details(workshop: Workshop) -> str:
    rows = [
        ("Organisation", workshop.organisation),
        ("Team", workshop.team),
        ("Held on", format_date(workshop.held_on)),
        ("Facilitator", workshop.facilitator),
        ("Framework", workshop.framework.title),
    ]
    cells = "".join(
        f"<tr><th>{label}</th><td>{_e(value) if value else '<span class=muted>not given</span>'}"
        "</td></tr>"
        for label, value in rows
    )
    return f"<table cellspacing='0' cellpadding='3'>{cells}</table>"


def _participants(workshop: Workshop) -> str:
    people = workshop.participants
    heading = f"<h2>Participants ({len(people)})</h2>"
    if not people:
        return heading + "<p class='muted'>Nobody has been added yet.</p>"
    rows = "".join(
        f"<tr><td>{_e(p.name)}</td><td>{_e(p.role) if p.role else ''}</td></tr>" for p in people
    )
    return f"{heading}{_TABLE}<tr><th>Name</th><th>Role</th></tr>{rows}</table>"


def _barrier(workshop: Workshop, summary: BarrierSummary) -> str:
    dimension = workshop.framework.dimension(summary.dimension_id)
    terms = workshop.framework.terms
    parts = [f"<h2>{_e(dimension.name)}</h2>"]

    headers = [stage_name(workshop, level) for level in summary.counts]
    headers += [NOT_SURE_LABEL, NOT_RATED_LABEL]
    counts = [*summary.counts.values(), summary.not_sure, summary.missing]
    parts.append(
        _TABLE
        + "<tr>"
        + "".join(f"<th>{_e(h)}</th>" for h in headers)
        + "</tr><tr>"
        + "".join(f"<td align='center'>{n}</td>" for n in counts)
        + "</tr></table>"
    )
    if summary.disagreement_reasons:
        reasons = "; ".join(summary.disagreement_reasons)  # in the framework's words
        spread = f"<span class='warn'>Worth discussing: {_e(reasons)}.</span>"
    elif summary.spread is None:
        spread = f"No {_e(terms.level)} ratings yet."
    elif summary.spread == 0:
        spread = f"Everyone who gave a {_e(terms.level)} gave the same one."
    else:
        apart = count_words(summary.spread, terms.level, terms.levels)
        spread = f"The ratings are {_e(apart)} apart."
    parts.append(f"<p>{spread}</p>")

    agreed = workshop.consensus.get(summary.dimension_id)
    agreed_label = f"Agreed {_e(terms.level)}:"
    if agreed is None:
        parts.append(f"<p><b>{agreed_label}</b> <span class='muted'>not agreed yet</span></p>")
    else:
        parts.append(f"<p><b>{agreed_label}</b> {_e(stage_name(workshop, agreed.stage))}</p>")
        if agreed.rationale:
            parts.append(f"<p><b>Why:</b> {_e(agreed.rationale)}</p>")
        if agreed.dissent:
            parts.append(f"<p><b>Dissent:</b> {_e(agreed.dissent)}</p>")
    if summary.target is None:
        parts.append("<p><b>Target:</b> <span class='muted'>none yet</span></p>")
    else:
        gap = f" ({_e(gap_words(summary.gap, terms))})" if summary.gap is not None else ""
        parts.append(f"<p><b>Target:</b> {_e(stage_name(workshop, summary.target))}{gap}</p>")

    actions = workshop.actions_for(summary.dimension_id)
    if not actions:
        parts.append("<p class='muted'>No key actions yet.</p>")
        return "".join(parts)
    rows = "".join(
        f"<tr><td>{number}</td><td>{_e(a.text)}</td><td>{_e(a.responsible)}</td>"
        f"<td>{_e(a.accountable)}</td><td>{_e(format_date(a.due_on))}</td>"
        f"<td>{_e(status_label(a.status))}</td></tr>"
        for number, a in enumerate(actions, start=1)
    )
    parts.append(
        f"{_TABLE}<tr><th></th><th>Action</th><th>Responsible</th><th>Accountable</th>"
        f"<th>Due</th><th>Status</th></tr>{rows}</table>"
    )
    return "".join(parts)


def _movement_section(workshop: Workshop, previous: Workshop | None) -> str:
    heading = "<h2>Movement since last time</h2>"
    if previous is None:
        # "re-assesses" is the one verb the default noun has; a stocktake follows a workshop up.
        verb = (
            "re-assesses"
            if workshop.framework.terms.reassessment == "re-assessment"
            else ("follows up")
        )
        return (
            heading + f"<p class='muted'>The workshop this one {verb} is not in the library, "
            "so there is nothing to compare with.</p>"
        )

    def named(stage: str | None) -> str:
        name = compared_stage_name(workshop, previous, stage)
        return _e(name) if name is not None else "<span class='muted'>not agreed</span>"

    terms = workshop.framework.terms
    dimension = _e(capitalised(terms.dimension))
    held = f", held on {_e(format_date(previous.held_on))}" if previous.held_on else ""
    parts = [heading, f"<p>Compared with “{_e(previous.title)}”{held}.</p>"]
    if warning := reassessment_date_warning(workshop, previous):
        parts.append(f"<p class='warn'>{_e(warning)}</p>")
    moves = movement(previous, workshop)
    rows = []
    for move in moves:
        target = (
            named(move.target_before) if move.target_before else "<span class=muted>none</span>"
        )
        target += target_words(move)
        rows.append(
            f"<tr><td>{_e(move.name)}</td><td>{named(move.before)}</td><td>{named(move.now)}</td>"
            f"<td>{_e(movement_words(move, terms))}</td><td>{target}</td></tr>"
        )
    parts.append(
        f"{_TABLE}<tr><th>{dimension}</th><th>Last time</th><th>Now</th><th>Change</th>"
        f"<th>Last time's target</th></tr>{''.join(rows)}</table>"
    )
    rows = []
    outcomes: list[str | None] = []
    for move in moves:
        for number, a in enumerate(move.earlier_actions):
            span = len(move.earlier_actions)
            barrier = f"<td rowspan='{span}'>{_e(move.name)}</td>" if number == 0 else ""
            marked = workshop.followups.get(a.id)
            outcomes.append(marked.outcome if marked else None)
            became = (
                f"<b>{_e(follow_up_label(marked.outcome))}</b>"
                if marked
                else f"<span class='muted'>{_e(NOT_MARKED_LABEL)}</span>"
            )
            note = _e(marked.note) if marked else ""
            rows.append(
                f"<tr>{barrier}<td>{_e(a.text)}</td><td>{_e(a.responsible)}</td>"
                f"<td>{_e(format_date(a.due_on))}</td><td>{became}</td><td>{note}</td></tr>"
            )
    if rows:
        unmarked = (
            " <span class='muted'>Mark the rest at the start of Setup.</span>"
            if None in outcomes
            else ""
        )
        parts.append(
            "<h3>What became of last time's key actions</h3>"
            f"<p>{_e(follow_up_summary(outcomes))}{unmarked}</p>"
            # the action's words get the room, not the note beside what became of it
            f"{_TABLE}<tr><th width='16%'>{dimension}</th><th width='34%'>Action</th>"
            "<th>Responsible</th><th>Due</th>"
            f"<th>What became of it</th><th width='20%'>Note</th></tr>{''.join(rows)}</table>"
        )
    return "".join(parts)


# -- the page -----------------------------------------------------------------------------------


class ReviewPage(StepPage):
    title = "Review"
    purpose_template = (
        "The whole workshop on one page: check it through, then export it to keep or share."
    )

    def __init__(
        self,
        controller: WorkshopController,
        load_previous: LoadPrevious | None = None,
        dialogs: FileDialogs | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(controller, parent)
        self._load_previous = load_previous
        if dialogs is None:  # on its own, as in tests: the app's settings, asked where to save
            from ui.operations import FileDialogs
            from ui.settings import AppSettings

            dialogs = FileDialogs(self, AppSettings())
        self.dialogs = dialogs
        self._exported_folder: Path | None = None
        self._stale = True

        self.browser = QTextBrowser()
        self.browser.setAccessibleName("Workshop review")
        self.browser.setOpenLinks(False)
        self.browser.document().setDefaultStyleSheet(_STYLE)
        self.browser.document().setDocumentMargin(16)
        self.browser.viewport().installEventFilter(self)

        self.export_button = QPushButton("Export session file…")
        self.export_button.setToolTip(
            "Save the whole workshop as one .opassess file, to keep, move to another "
            "computer or share."
        )
        self.export_buttons = QHBoxLayout()  # one row of export buttons; room for more formats
        self.export_buttons.addWidget(self.export_button)

        self.export_status = QLabel()
        self.export_status.setTextFormat(Qt.TextFormat.PlainText)
        self.export_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.export_status.setWordWrap(True)
        self.open_folder_button = QPushButton("Open folder")
        self.open_folder_button.setToolTip("Show the exported file's folder")
        self.open_folder_button.hide()

        row = QHBoxLayout()
        row.addLayout(self.export_buttons)
        row.addSpacing(12)
        row.addWidget(self.export_status)
        row.addWidget(self.open_folder_button)
        row.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.browser, 1)
        layout.addLayout(row)

        self.export_button.clicked.connect(self.export_session_file)
        self.open_folder_button.clicked.connect(self.open_export_folder)
        self.refresh()

    # -- the document -----------------------------------------------------------------------

    def previous_workshop(self) -> Workshop | None:
        earlier = self.controller.workshop.reassesses
        if earlier is None or self._load_previous is None:
            return None
        return self._load_previous(earlier)

    def on_workshop_changed(self, change: WorkshopChange) -> None:
        # A long document is not rebuilt for every edit made on another step: only when seen.
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.browser.viewport() and event.type() == QEvent.Type.Resize:
            # Long lines are hard to read: past a comfortable width the text stops widening.
            wide = self.browser.viewport().width() > READABLE_WIDTH
            mode = (
                QTextEdit.LineWrapMode.FixedPixelWidth
                if wide
                else QTextEdit.LineWrapMode.WidgetWidth
            )
            if self.browser.lineWrapMode() != mode:
                self.browser.setLineWrapColumnOrWidth(READABLE_WIDTH)
                self.browser.setLineWrapMode(mode)
        return False

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def entered(self) -> None:
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        workshop = self.controller.workshop
        scroll = self.browser.verticalScrollBar()
        position = scroll.value()
        self.browser.setHtml(review_html(workshop, self.previous_workshop()))
        scroll.setValue(position)
        self._stale = False

    # -- export -----------------------------------------------------------------------------

    def export_session_file(self) -> Path | None:
        """Ask where, write the session file, and say where it went; None if not written."""
        from ui.operations import export_session_file

        path = export_session_file(self.dialogs, self.controller.workshop)
        if path is None:
            self.export_status.clear()
            self.open_folder_button.hide()
            return None
        self._exported_folder = path.parent
        status = f"Exported to {QDir.toNativeSeparators(str(path))}"
        self.export_status.setText(status)
        # Wide enough for the whole path on one line when it fits; longer paths wrap.
        self.export_status.setMinimumWidth(
            min(self.export_status.fontMetrics().horizontalAdvance(status) + 8, 700)
        )
        self.open_folder_button.show()
        return path

    def open_export_folder(self) -> None:
        if self._exported_folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._exported_folder)))

    # -- projector --------------------------------------------------------------------------

    def projector_html(self) -> str | None:
        workshop = self.controller.workshop
        rows = []
        for dimension in workshop.scoped_dimensions():
            agreed = workshop.consensus.get(dimension.id)
            target = workshop.targets.get(dimension.id)
            rows.append(
                f"<tr><td>{_e(dimension.name)}</td>"
                f"<td>{_e(stage_name(workshop, agreed.stage)) if agreed else '–'}</td>"
                f"<td>{_e(stage_name(workshop, target)) if target else '–'}</td></tr>"
            )
        return (
            f"<div style='font-size:x-large'><h1>{_e(workshop.title)}</h1>"
            "<table cellspacing='0' cellpadding='10' border='1' style='border-collapse: collapse'>"
            f"<tr><th align='left'>{_e(capitalised(workshop.framework.terms.dimension))}</th>"
            "<th align='left'>Agreed</th>"
            f"<th align='left'>Target</th></tr>{''.join(rows)}</table></div>"
        )
