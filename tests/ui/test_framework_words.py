"""Every step and the wall chart speak the open workshop's framework: its word for what is rated
and for a stage, its stage names and colours, and as many stages as it has."""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import QModelIndex, QPointF, QSettings, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QTextDocument
from PySide6.QtGui import Qt as GuiQt  # mightBeRichText lives in QtGui's Qt namespace
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

from opassess.demo import demo_workshop
from opassess.frameworks import (
    Framework,
    builtin_frameworks,
    capitalised,
    framework_from_dict,
)
from opassess.palette import STAGE_COLOURS
from opassess.session import EditSession
from opassess.workshop import NOT_SURE, adapt_dimension, add_action, set_scope
from ui.controller import WorkshopController
from ui.operations import FileDialogs
from ui.settings import AppSettings
from ui.shortcuts import shortcuts
from ui.steps import StepPage
from ui.steps.consensus import ConsensusPage
from ui.steps.explain import OVERVIEW, ExplainPage
from ui.steps.plan import PlanPage
from ui.steps.rate import FAST, RatePage
from ui.steps.review import ReviewPage
from ui.steps.setup import SetupPage, WordingDialog
from ui.wallchart import WallChart

FRAMEWORKS = builtin_frameworks()
BREAKTHROUGH = "audit-commission-breakthrough-2002"
OTHERS = sorted(set(FRAMEWORKS) - {BREAKTHROUGH})
DELIVERY_RED = "#C0392B"  # delivery confidence's own red, not the palette's first colour


def controller_for(library, framework: Framework) -> WorkshopController:
    workshop = demo_workshop(8, framework=framework)
    library.add(workshop)
    return WorkshopController(EditSession.open(library, workshop.id), confirm=lambda _m: True)


@pytest.fixture(params=OTHERS)
def other(request, qtbot, library) -> WorkshopController:
    """A demo workshop on each built-in framework but the breakthrough model."""
    return controller_for(library, FRAMEWORKS[request.param])


def plain(text: str) -> str:
    """What a label or a page shows of its (maybe rich) text."""
    if not GuiQt.mightBeRichText(text):
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText()


def _item_texts(view: QAbstractItemView) -> list[str]:
    model = view.model()
    if model is None:
        return []
    roles = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
    found = []
    root = QModelIndex()
    # A list shows one column (a QListWidget's model keeps its columnCount private).
    columns = 1 if isinstance(view, QListView) else model.columnCount(root)
    rows = model.rowCount(root)
    for role in (*roles, Qt.ItemDataRole.AccessibleTextRole):
        for column in range(columns):
            found.append(model.headerData(column, Qt.Orientation.Horizontal, role))
        for row in range(rows):
            for column in range(columns):
                found.append(model.index(row, column).data(role))
    return [plain(str(x)) for x in found if x]


def shown_texts(root: QWidget) -> list[str]:
    """Every word the widgets under `root` show or say: texts, titles, tooltips, placeholders,
    accessible names, list and table contents, rich text as it reads."""
    texts: list[str] = []
    for widget in (root, *root.findChildren(QWidget)):
        texts += [
            widget.toolTip(),
            widget.windowTitle(),
            widget.accessibleName(),
            widget.accessibleDescription(),
        ]
        if isinstance(widget, (QLabel, QAbstractButton)):
            texts.append(widget.text())
        elif isinstance(widget, QLineEdit):
            texts += [widget.text(), widget.placeholderText()]
        elif isinstance(widget, (QTextEdit, QPlainTextEdit)):
            texts += [widget.toPlainText(), widget.placeholderText()]
        elif isinstance(widget, QGroupBox):
            texts.append(widget.title())
        elif isinstance(widget, QComboBox):
            texts += [widget.itemText(i) for i in range(widget.count())]
        elif isinstance(widget, QTabBar):
            for tab in range(widget.count()):
                texts += [widget.tabText(tab), widget.tabToolTip(tab)]
        if isinstance(widget, QAbstractItemView):
            texts += _item_texts(widget)
    return [plain(t) for t in texts if t]


def assert_in_framework_words(texts: list[str], framework: Framework) -> None:
    joined = "\n".join(texts)
    assert "barrier" not in joined.casefold(), [t for t in texts if "barrier" in t.casefold()]
    assert "breakthrough" not in joined.casefold(), [
        t for t in texts if "breakthrough" in t.casefold()
    ]
    assert framework.terms.dimension in joined.casefold()


def show(qtbot, page: QWidget) -> QWidget:
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    qtbot.waitExposed(page)
    return page


def review_page(qtbot, controller, library, tmp_path) -> ReviewPage:
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    page = ReviewPage(controller, load_previous=library.load)
    page.dialogs = FileDialogs(page, settings)
    return page


def every_page(qtbot, controller, library, tmp_path) -> list[StepPage]:
    return [
        show(qtbot, SetupPage(controller)),
        show(qtbot, ExplainPage(controller)),
        show(qtbot, RatePage(controller)),
        show(qtbot, ConsensusPage(controller)),
        show(qtbot, PlanPage(controller)),
        show(qtbot, review_page(qtbot, controller, library, tmp_path)),
    ]


# -- every step -----------------------------------------------------------------------------------


def test_every_step_speaks_the_frameworks_words(qtbot, other, library, tmp_path):
    framework = other.workshop.framework
    other.set_revealed(True)  # the evidence, spreads and flags show too
    for page in every_page(qtbot, other, library, tmp_path):
        texts = [*shown_texts(page), page.purpose]
        projected = page.projector_html()
        if projected:
            texts.append(plain(projected))
        if isinstance(page, RatePage):
            page.private.choose(other.workshop.participants[0].id)  # one person's screen
            texts += shown_texts(page)
            page.set_mode(FAST)
            texts += shown_texts(page)
        assert_in_framework_words(texts, framework)


def test_the_steps_name_the_frameworks_stages(qtbot, other, library, tmp_path):
    framework = other.workshop.framework
    _setup, explain, rate, consensus, plan, _review = every_page(qtbot, other, library, tmp_path)
    names = [level.name for level in framework.levels]
    assert [b.text() for b in consensus.stage_buttons.values()] == names
    assert [plan.target.itemText(i) for i in range(1, plan.target.count())] == names
    rate.set_mode(FAST)
    keys = plain(rate.fast_entry.keys.text())
    for number, name in enumerate(names, start=1):
        assert f"{number} {name}" in keys.replace("\xa0", " ")
    explained = explain.view.toPlainText()
    assert all(name in explained for name in names)
    assert f"The {framework.terms.dimensions} we will look at" in explained


def test_explain_shows_what_the_framework_carries(qtbot, other):
    framework = other.workshop.framework
    page = show(qtbot, ExplainPage(other))
    overview = page.view.toPlainText()
    assert framework.title in overview
    assert framework.source in overview
    assert framework.scale_note in overview
    groups = {d.group for d in framework.dimensions if d.group}
    assert all(group in overview for group in groups)
    listed = [page.barriers.item(row).text() for row in range(page.barriers.count())]
    assert all(group in listed for group in groups)  # headings in the list as well
    for dimension in framework.dimensions:
        html = page.projector_html_for(dimension.id)
        shown = plain(html)
        assert all(prompt in shown for prompt in dimension.prompts)
        assert all(sign in shown for sign in dimension.warning_signs)
        assert dimension.source_note in shown
        assert "Questions to test your rating" in shown and "Warning signs" in shown
        assert "font-size:small" in html  # the source note stays small
        for colour in framework.colours:
            assert colour in html


def test_explain_group_headings_are_passed_over(qtbot, library):
    framework = FRAMEWORKS["nao-operational-delivery-2021"]
    controller = controller_for(library, framework)
    page = show(qtbot, ExplainPage(controller))
    keys = [page.barriers.item(row).data(Qt.ItemDataRole.UserRole) for row in range(4)]
    assert keys[0] == OVERVIEW and keys[1] is None  # "Whole system", a heading
    page.barriers.setFocus()
    page.barriers.setCurrentRow(0)
    qtbot.keyClick(page.barriers, Qt.Key.Key_Down)
    assert page.current_key() == framework.dimensions[0].id


def test_the_breakthrough_model_keeps_its_words(qtbot, controller, library, tmp_path):
    pages = every_page(qtbot, controller, library, tmp_path)
    setup, explain, rate, consensus, plan, _review = pages
    titles = [box.title() for box in setup.findChildren(QGroupBox)]
    assert "Barriers in scope" in titles
    assert "Three stages of development" in explain.view.toPlainText()
    assert "Breakthroughs that help" in explain.projector_html_for(controller.selected_barrier)
    assert consensus.next_button.text() == "Next barrier ▼"
    labels = [label.text() for label in plan.findChildren(QLabel)]
    assert "&Re-assess by" in labels and "Ideas from the breakthroughs" in labels
    assert rate.purpose == (
        "Everyone rates each barrier on their own, with evidence, before the team compares."
    )
    assert shortcuts()[11] == ("Fast entry: 1 2 3", "Record a stage and move to the next cell")


def test_a_stocktake_is_named_as_the_framework_names_it(qtbot, library, tmp_path):
    framework = FRAMEWORKS["delivery-confidence"]
    controller = controller_for(library, framework)
    plan = show(qtbot, PlanPage(controller))
    labels = [label.text() for label in plan.findChildren(QLabel)]
    assert "&Next stocktake by" in labels and "Ideas from the suggestions" in labels
    review = show(qtbot, review_page(qtbot, controller, library, tmp_path))
    assert "Stocktake" in review.browser.toPlainText()


def test_shortcuts_follow_an_open_framework():
    listed = dict(shortcuts(FRAMEWORKS["delivery-confidence"]))
    assert listed["Fast entry: 1 2 3 4"] == "Record a rating and move to the next cell"
    assert listed["Consensus: Alt+Up / Alt+Down"] == "Previous / next question"


# -- the wall chart -------------------------------------------------------------------------------


def chart_for(qtbot, controller) -> WallChart:
    chart = WallChart()
    qtbot.addWidget(chart)
    chart.resize(1280, 800)
    chart.set_revealed(True)
    chart.set_workshop(controller.workshop)
    chart.show()
    qtbot.waitExposed(chart)
    return chart


def dot_colour(chart: WallChart, stage: str) -> QColor:
    """The colour at the middle of a drawn dot of `stage`."""
    dot = next(d for d in chart.placement().dots if d.stage == stage)
    image = chart.grab().toImage()
    centre = dot.rect.center()
    return QColor(image.pixel(int(centre.x()), int(centre.y())))


def test_the_wall_chart_has_a_row_per_dimension_in_the_frameworks_words(qtbot, other):
    framework = other.workshop.framework
    chart = chart_for(qtbot, other)
    placement = chart.placement()
    assert [r.dimension_id for r in placement.rows] == list(other.workshop.scope)
    headers = [text for _key, text, _rect in placement.headers]
    assert headers[0] == capitalised(framework.terms.dimension)
    shown = [text.replace("\n", " ") for text in headers[1 : 1 + len(framework.levels)]]
    assert shown == [level.name for level in framework.levels]  # wrapped, never cut
    assert placement.legend[0] == f"Agreed {framework.terms.level}"
    said = [r.spread_text for r in placement.rows] + [x for r in placement.rows for x in r.reasons]
    if framework.terms.level != "stage":
        assert not any("stage" in text for text in said), said
    for level in framework.levels:
        assert placement.colours[level.id] == QColor(framework.colour_of(level.id))


@pytest.mark.parametrize("projector", [False, True])
def test_long_stage_names_wrap_in_the_header_rather_than_lose_their_end(qtbot, library, projector):
    framework = FRAMEWORKS["nao-operational-delivery-2021"]
    controller = controller_for(library, framework)
    chart = WallChart(projector=projector)
    qtbot.addWidget(chart)
    chart.resize(1280, 800)
    chart.set_revealed(True)
    chart.set_workshop(controller.workshop)
    placement = chart.placement()
    metrics = QFontMetricsF(placement.style.header_font)
    for key, text, rect in placement.headers:
        if key in framework.level_ids:
            assert text.replace("\n", " ") == framework.level(key).name
            widest = max(metrics.horizontalAdvance(line) for line in text.split("\n"))
            assert widest <= rect.width()


def test_the_wall_chart_draws_the_frameworks_own_colours(qtbot, library):
    framework = FRAMEWORKS["delivery-confidence"]
    controller = controller_for(library, framework)
    chart = chart_for(qtbot, controller)
    assert chart.placement().colours["red"] == QColor(DELIVERY_RED)
    stages = {d.stage for d in chart.placement().dots}
    for stage in stages - {NOT_SURE}:
        assert dot_colour(chart, stage) == QColor(framework.colour_of(stage)), stage
    assert QColor(DELIVERY_RED) != QColor(STAGE_COLOURS[0])


# -- five stages ----------------------------------------------------------------------------------


def five_stage_framework() -> Framework:
    names = ("Absent", "Aware", "Practised", "Embedded", "Leading")
    return framework_from_dict(
        {
            "format": 1,
            "id": "five-stages",
            "name": "Five stages",
            "terms": {"dimension": "theme", "dimensions": "themes"},
            "levels": [
                {"id": name.lower(), "name": name, "summary": f"{name} in practice."}
                for name in names
            ],
            "dimensions": [
                {
                    "id": f"theme-{n}",
                    "name": f"Theme {n}",
                    "question": f"How are we doing on theme {n}?",
                    "descriptors": {name.lower(): [f"{name} behaviour {n}."] for name in names},
                }
                for n in range(1, 4)
            ],
        }
    )


def test_five_stages_on_the_wall_chart(qtbot, library):
    framework = five_stage_framework()
    controller = controller_for(library, framework)
    chart = chart_for(qtbot, controller)
    placement = chart.placement()
    assert len(placement.rows) == 3
    headers = [text for key, text, _rect in placement.headers if key in framework.level_ids]
    assert [text.replace("\n", " ") for text in headers] == [x.name for x in framework.levels]
    assert placement.headers[0][1] == "Theme"
    # Five columns of stages, each one wide enough and in order, then Not sure.
    cells = list(placement.rows[0].cells.values())
    assert len(cells) == 6
    assert all(a.right() <= b.left() + 0.5 for a, b in itertools.pairwise(cells))
    assert placement.colours["leading"] == QColor(STAGE_COLOURS[4])
    for stage in {d.stage for d in placement.dots} - {NOT_SURE}:
        assert dot_colour(chart, stage) == QColor(framework.colour_of(stage))


def test_five_stages_in_the_rate_grid(qtbot, library):
    framework = five_stage_framework()
    controller = controller_for(library, framework)
    page = show(qtbot, RatePage(controller))
    page.set_mode(FAST)
    grid = page.fast_entry
    keys = plain(grid.keys.text()).replace("\xa0", " ")
    assert "5 Leading" in keys
    assert "1, 2, 3, 4 or 5" in grid.view.accessibleDescription()
    assert "a column for each theme" in grid.intro.text()
    index = grid.model.index(0, 0)
    grid.view.setCurrentIndex(index)
    qtbot.keyClick(grid.view, Qt.Key.Key_5)
    person, theme = grid.model.key_at(index)
    assert controller.workshop.ratings[(person, theme)].stage == "leading"
    assert grid.model.data(index, Qt.ItemDataRole.DecorationRole) == QColor(STAGE_COLOURS[4])
    assert grid.model.data(index).startswith("Leading")
    grid.view.setCurrentIndex(index)
    qtbot.keyClick(grid.view, Qt.Key.Key_6)  # no sixth stage: nothing recorded
    assert controller.workshop.ratings[(person, theme)].stage == "leading"
    assert_in_framework_words(shown_texts(page), framework)


def test_five_stages_in_private_rating_and_consensus(qtbot, library):
    framework = five_stage_framework()
    controller = controller_for(library, framework)
    rate = show(qtbot, RatePage(controller))
    panel = rate.private
    panel.choose(controller.workshop.participants[0].id)
    assert len(panel.cards) == 5
    assert panel.counter.text().startswith("Theme 1 of")
    assert "1, 2, 3, 4, 5 choose a stage" in panel.keys.text()
    strip = panel.cards[4].strip.styleSheet()
    assert STAGE_COLOURS[4].lower() in strip.lower()
    consensus = show(qtbot, ConsensusPage(controller))
    assert [b.text() for b in consensus.stage_buttons.values()] == [
        level.name for level in framework.levels
    ]
    assert consensus.next_button.text() == "Next theme ▼"


def test_the_chart_tooltip_names_the_frameworks_stages(qtbot, library):
    controller = controller_for(library, FRAMEWORKS["delivery-confidence"])
    chart = chart_for(qtbot, controller)
    dot = next(d for d in chart.placement().dots if d.stage != NOT_SURE)
    said = chart._tooltip_at(QPointF(dot.rect.center()))
    assert controller.workshop.framework.level(dot.stage).name in said


# -- dialogs and refusals -------------------------------------------------------------------------


def test_the_wording_dialog_names_its_fields_in_the_frameworks_words(qtbot, library):
    framework = FRAMEWORKS["delivery-confidence"]
    controller = controller_for(library, framework)
    setup = show(qtbot, SetupPage(controller))
    dimension = framework.dimensions[0]
    dialog = WordingDialog(
        dimension, [(x.id, x.name) for x in framework.levels], setup, framework.terms
    )
    qtbot.addWidget(dialog)
    labels = [label.text() for label in dialog.findChildren(QLabel)]
    assert "Name" in labels and "Question" in labels  # never two fields called "Question"
    assert all(level.name in labels for level in framework.levels)
    dialog.name.setText("  ")
    dialog.accept()
    assert dialog.problem.text() == "A question needs a name."
    assert_in_framework_words(shown_texts(dialog), framework)


def test_refusals_use_the_frameworks_words(qtbot, library):
    framework = FRAMEWORKS["delivery-confidence"]
    controller = controller_for(library, framework)
    said: list[str] = []
    controller.failed.connect(said.append)
    workshop = controller.workshop
    full = next(d for d in workshop.scope if len(workshop.actions_for(d)) == 3)
    assert not controller.apply("Add an action", add_action, full, "One more")
    assert not controller.apply("Scope", set_scope, [])
    assert not controller.apply("Rename", adapt_dimension, full, name=" ")
    assert said == [
        "A question has at most 3 key actions; change or remove one first.",
        "Keep at least one question in scope.",
        "A question needs a name.",
    ]
