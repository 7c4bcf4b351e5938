"""Explain: the framework as a facilitator presents it, one dimension at a time or all at once.

The same HTML goes to the projector, so it is written to read from the back of the room: large
headings, short lists, and only the sources in small type.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QTextBrowser,
    QWidget,
)

from opassess.changes import WorkshopChange
from opassess.frameworks import Dimension, Framework, capitalised
from opassess.wording import level_count
from ui.controller import WorkshopController
from ui.steps import StepPage

OVERVIEW = "__overview__"
PROMPTS_HEADING = "Questions to test your rating"
WARNINGS_HEADING = "Warning signs"
# Words for a scale a team grows along ("three stages of development"); any other scale (red
# to green ratings) is not one of development.
_GROWTH_WORDS = ("stage", "level")


def swatch(colour: str) -> str:
    """A stage's colour as a square before its name: a framework's own colour (amber-green)
    may be too light for text on a white page, so names stay in the text colour."""
    return f"<span style='color:{colour}'>■</span>&nbsp;"


def _small(text: str) -> str:
    """A source or a note: small, so it never competes with what the room reads."""
    return f"<p style='font-size:small'><i>{escape(text)}</i></p>"


def levels_heading(framework: Framework) -> str:
    """'Three stages of development', 'Four levels of development', 'The four ratings'."""
    terms = framework.terms
    count = level_count(len(framework.levels), terms)
    if terms.level in _GROWTH_WORDS:
        return f"{capitalised(count)} of development"
    return f"The {count}"


def _grouped(dimensions: list[Dimension]) -> list[tuple[str, list[Dimension]]]:
    """Dimensions under their group headings, in the framework's order (one untitled group
    when none has a group)."""
    groups: list[tuple[str, list[Dimension]]] = []
    for dimension in dimensions:
        if groups and groups[-1][0] == dimension.group:
            groups[-1][1].append(dimension)
        else:
            groups.append((dimension.group, [dimension]))
    return groups


def model_overview_html(framework: Framework, scope: tuple[str, ...]) -> str:
    """The whole framework on one page: what it is, its stages, the dimensions in scope."""
    terms = framework.terms
    stages = "".join(
        f"<li>{swatch(framework.colour_of(level.id))}<b>{escape(level.name)}</b>"
        f" — {escape(level.summary)}</li>"
        for level in framework.levels
    )
    scale_note = f"<p><i>{escape(framework.scale_note)}</i></p>" if framework.scale_note else ""
    in_scope = [d for d in framework.dimensions if d.id in scope]
    listed = []
    for group, members in _grouped(in_scope):
        items = "".join(
            f"<li><b>{escape(d.name)}</b>" + (f"<br>{escape(d.question)}" if d.question else "")
            for d in members
        )
        heading = f"<h3>{escape(group)}</h3>" if group else ""
        listed.append(f"{heading}<ul>{items}</ul>")
    source = _small(f"Source: {framework.source}") if framework.source else ""
    return (
        f"<h1>{escape(framework.title)}</h1><p>{escape(framework.summary)}</p>"
        f"<h2>{escape(levels_heading(framework))}</h2><ul>{stages}</ul>{scale_note}"
        f"<h2>The {escape(terms.dimensions)} we will look at</h2>{''.join(listed)}{source}"
    )


def _bullets(items: tuple[str, ...]) -> str:
    return "<ul>" + "".join(f"<li>{escape(x)}</li>" for x in items) + "</ul>"


def barrier_html(framework: Framework, dimension_id: str) -> str:
    """One dimension: its question, why it matters, what each stage looks like, the questions
    that test a rating, the warning signs, and what helps."""
    dimension = framework.dimension(dimension_id)
    terms = framework.terms
    width = 100 // max(1, len(framework.levels))
    cells = []
    for level in framework.levels:
        colour = framework.colour_of(level.id)
        items = "".join(f"<li>{escape(x)}</li>" for x in dimension.descriptors.get(level.id, ()))
        cells.append(
            f"<td width='{width}%' valign='top' style='border-top: 6px solid {colour};"
            f" padding: 8px'><h3>{swatch(colour)}{escape(level.name)}</h3>"
            f"<ul>{items}</ul></td>"
        )
    # Questions to ask and signs to watch for side by side: the room sees both at once.
    tests = []
    if dimension.prompts:
        tests.append(f"<h2>{PROMPTS_HEADING}</h2>{_bullets(dimension.prompts)}")
    if dimension.warning_signs:
        tests.append(f"<h2>{WARNINGS_HEADING}</h2>{_bullets(dimension.warning_signs)}")
    tests_html = ""
    if tests:
        column = 100 // len(tests)
        tests_html = (
            "<table width='100%' cellspacing='6'><tr>"
            + "".join(f"<td width='{column}%' valign='top'>{t}</td>" for t in tests)
            + "</tr></table>"
        )
    helps = "".join(
        f"<li><b>{escape(s.name)}</b> — {escape(s.summary)}</li>"
        for s in framework.suggestions_for(dimension_id)
    )
    helps_html = (
        f"<h2>{escape(capitalised(terms.suggestions))} that help</h2><ul>{helps}</ul>"
        if helps
        else ""
    )
    group = (
        f"<p style='font-size:small'><b>{escape(dimension.group.upper())}</b></p>"
        if dimension.group
        else ""
    )
    question = f"<p><i>{escape(dimension.question)}</i></p>" if dimension.question else ""
    note = _small(f"Source: {dimension.source_note}") if dimension.source_note else ""
    return (
        f"{group}<h1>{escape(dimension.name)}</h1>"
        f"{question}<p>{escape(dimension.explanation)}</p>"
        f"<table width='100%' cellspacing='6'><tr>{''.join(cells)}</tr></table>"
        f"{tests_html}{helps_html}{note}"
    )


class ExplainPage(StepPage):
    title = "Explain"
    purpose_template = (
        "Walk the team through the {dimensions} and {levels}, so everyone rates the same thing."
    )

    def __init__(self, controller: WorkshopController, parent: QWidget | None = None) -> None:
        super().__init__(controller, parent)
        self.barriers = QListWidget()
        self.barriers.setAccessibleName(capitalised(self.terms.dimensions))
        self.barriers.setMaximumWidth(340)
        # Long names wrap, as on the Plan step, rather than hide behind a scroll bar.
        self.barriers.setWordWrap(True)
        self.barriers.setSpacing(2)
        self.barriers.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view = QTextBrowser()
        self.view.setAccessibleName("The model explained")
        self.view.setOpenLinks(False)
        # Everything wraps to the width; with four stage columns Qt's rounding can leave the
        # table a pixel too wide, which would otherwise bring up a useless sideways scroll bar.
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QHBoxLayout(self)
        layout.addWidget(self.barriers, 1)
        layout.addWidget(self.view, 3)
        self.barriers.currentItemChanged.connect(self._chosen)
        controller.barrier_selected.connect(lambda _d: self._follow_selection())
        self.refresh()

    def on_workshop_changed(self, change: WorkshopChange) -> None:
        if change.framework or change.scope:
            self.refresh()

    def refresh(self) -> None:
        workshop = self.controller.workshop
        current = self.current_key()
        self.barriers.blockSignals(True)
        self.barriers.clear()
        QListWidgetItem("The model at a glance", self.barriers).setData(
            Qt.ItemDataRole.UserRole, OVERVIEW
        )
        for group, members in _grouped(list(workshop.scoped_dimensions())):
            if group:
                self._group_heading(group)
            for dimension in members:
                QListWidgetItem(dimension.name, self.barriers).setData(
                    Qt.ItemDataRole.UserRole, dimension.id
                )
        self.barriers.blockSignals(False)
        self._select_key(current or OVERVIEW)

    def _group_heading(self, group: str) -> None:
        """A group's name above its dimensions: read, never chosen (the keys pass over it)."""
        item = QListWidgetItem(group, self.barriers)
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        font = QFont(self.barriers.font())
        font.setBold(True)
        item.setFont(font)
        # Not greyed like a disabled entry: it is a heading.
        item.setForeground(QBrush(self.barriers.palette().text().color()))

    def current_key(self) -> str | None:
        item = self.barriers.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _select_key(self, key: str) -> None:
        for row in range(self.barriers.count()):
            if self.barriers.item(row).data(Qt.ItemDataRole.UserRole) == key:
                self.barriers.setCurrentRow(row)
                self._render(key)
                return
        self.barriers.setCurrentRow(0)
        self._render(OVERVIEW)

    def _chosen(self, item: QListWidgetItem | None) -> None:
        key = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if key is None:
            return
        if key != OVERVIEW:
            self.controller.select_barrier(key)
        self._render(key)

    def _follow_selection(self) -> None:
        if self.current_key() != OVERVIEW:
            self._select_key(self.controller.selected_barrier)

    def _render(self, key: str) -> None:
        self.view.setHtml(self.projector_html_for(key))
        self.projector_changed.emit()

    def projector_html_for(self, key: str) -> str:
        workshop = self.controller.workshop
        if key == OVERVIEW or key not in workshop.scope:
            return model_overview_html(workshop.framework, workshop.scope)
        return barrier_html(workshop.framework, key)

    def projector_html(self) -> str:
        return self.projector_html_for(self.current_key() or OVERVIEW)
