"""Explain: the model as a facilitator presents it, one barrier at a time or all at once."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QTextBrowser,
    QWidget,
)

from opassess.changes import WorkshopChange
from opassess.frameworks import Framework
from opassess.palette import stage_colour_at
from ui.controller import WorkshopController
from ui.steps import StepPage

OVERVIEW = "__overview__"


def model_overview_html(framework: Framework, scope: tuple[str, ...]) -> str:
    """The whole model on one page: what it is, the stages, the barriers in scope."""
    stages = "".join(
        f"<li><b style='color:{stage_colour_at(i)}'>{escape(level.name)}</b>"
        f" — {escape(level.summary)}</li>"
        for i, level in enumerate(framework.levels)
    )
    barriers = "".join(
        f"<li><b>{escape(d.name)}</b><br>{escape(d.question)}</li>"
        for d in framework.dimensions
        if d.id in scope
    )
    return (
        f"<h1>{escape(framework.name)}</h1><p>{escape(framework.summary)}</p>"
        f"<h2>Three stages of development</h2><ul>{stages}</ul>"
        f"<h2>The barriers we will look at</h2><ul>{barriers}</ul>"
    )


def barrier_html(framework: Framework, dimension_id: str) -> str:
    """One barrier: the question, why it matters, what each stage looks like, what helps."""
    dimension = framework.dimension(dimension_id)
    cells = []
    for i, level in enumerate(framework.levels):
        colour = stage_colour_at(i)
        items = "".join(f"<li>{escape(x)}</li>" for x in dimension.descriptors.get(level.id, ()))
        cells.append(
            f"<td width='33%' valign='top' style='border-top: 6px solid {colour}; padding: 8px'>"
            f"<h3 style='color:{colour}'>{escape(level.name)}</h3><ul>{items}</ul></td>"
        )
    helps = "".join(
        f"<li><b>{escape(s.name)}</b> — {escape(s.summary)}</li>"
        for s in framework.suggestions_for(dimension_id)
    )
    helps_html = f"<h2>Breakthroughs that help</h2><ul>{helps}</ul>" if helps else ""
    return (
        f"<h1>{escape(dimension.name)}</h1>"
        f"<p><i>{escape(dimension.question)}</i></p><p>{escape(dimension.explanation)}</p>"
        f"<table width='100%' cellspacing='6'><tr>{''.join(cells)}</tr></table>{helps_html}"
    )


class ExplainPage(StepPage):
    title = "Explain"
    purpose = "Walk the team through the barriers and stages, so everyone rates the same thing."

    def __init__(self, controller: WorkshopController, parent: QWidget | None = None) -> None:
        super().__init__(controller, parent)
        self.barriers = QListWidget()
        self.barriers.setAccessibleName("Barriers")
        self.barriers.setMaximumWidth(340)
        # Long barrier names wrap, as on the Plan step, rather than hide behind a scroll bar.
        self.barriers.setWordWrap(True)
        self.barriers.setSpacing(2)
        self.barriers.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view = QTextBrowser()
        self.view.setAccessibleName("The model explained")
        self.view.setOpenLinks(False)
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
        for dimension in workshop.scoped_dimensions():
            QListWidgetItem(dimension.name, self.barriers).setData(
                Qt.ItemDataRole.UserRole, dimension.id
            )
        self.barriers.blockSignals(False)
        self._select_key(current or OVERVIEW)

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
        if item is None:
            return
        key = item.data(Qt.ItemDataRole.UserRole)
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
