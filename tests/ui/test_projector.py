"""The projector window: the wall chart or a step's projector HTML, never a private rating."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QGuiApplication

import ui.projector
from opassess.workshop import record_rating
from ui.projector import ProjectorWindow
from ui.style import STAGE_COLOURS


@pytest.fixture
def window(qtbot, controller):
    made = ProjectorWindow(controller)
    qtbot.addWidget(made)
    made.resize(1280, 720)
    return made


def stage_pixels_in_rows(window: ProjectorWindow) -> int:
    """How many pixels of the chart's rows (below the header legend) have a stage's colour."""
    chart = window.chart
    image = chart.grab().toImage()
    rows = chart.placement().rows
    area = QRect(
        int(rows[0].rect.left()),
        int(rows[0].rect.top()),
        int(rows[0].rect.width()),
        int(rows[-1].rect.bottom() - rows[0].rect.top()),
    )
    colours = {QColor(c).rgb() for c in STAGE_COLOURS[:3]}
    found = 0
    for y in range(area.top(), area.bottom(), 3):
        for x in range(area.left(), area.right(), 3):
            if image.pixel(x, y) in colours:
                found += 1
    return found


def test_escape_closes_the_projector_and_says_so(window, qtbot):
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitSignal(window.closed, timeout=1000):
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.isVisible()


def test_show_step_switches_between_html_and_the_wall_chart(window):
    window.show_step("Plan", "<h1>Plan</h1><p>Three key actions for each barrier.</p>")
    assert not window.showing_chart
    assert "Three key actions" in window.browser.toPlainText()
    assert window.title_label.text() == "Plan"

    window.show_step("Consensus", None)
    assert window.showing_chart
    assert window.browser.toPlainText() == ""  # nothing of the last step lingers
    assert window.title_label.text() == "Consensus"

    window.show_step("Review", "<p>Where the team stands.</p>")
    assert not window.showing_chart
    assert "Where the team stands." in window.browser.toPlainText()


def test_never_shows_ratings_before_they_are_revealed(window, controller):
    window.show_step("Consensus", None)
    window.show()
    assert not window.chart.revealed
    assert window.chart.placement().dots == ()
    assert stage_pixels_in_rows(window) == 0
    # Nor the agreed stage, which would anchor the discussion.
    agreed = controller.workshop.consensus[controller.selected_barrier].stage
    assert controller.workshop.framework.level(agreed).name not in window.agreed_label.text()

    controller.set_revealed(True)
    assert window.chart.placement().dots
    assert stage_pixels_in_rows(window) > 0
    assert controller.workshop.framework.level(agreed).name in window.agreed_label.text()

    controller.set_revealed(False)
    assert window.chart.placement().dots == ()


def test_follows_the_barrier_under_discussion_and_every_edit(window, controller):
    window.show_step("Consensus", None)
    controller.set_revealed(True)
    barrier = controller.workshop.scope[2]
    controller.select_barrier(barrier)
    assert window.chart.selected() == barrier
    name = controller.workshop.framework.dimension(barrier).name
    assert name in window.agreed_label.text()

    person = controller.workshop.participants[0].id
    controller.apply("Rate", record_rating, person, barrier, "consolidating")
    dot = next(
        d
        for d in window.chart.placement().dots
        if (d.participant_id, d.dimension_id) == (person, barrier)
    )
    assert dot.stage == "consolidating"


def test_chart_mirrors_the_consensus_page_options(window, controller):
    controller.set_revealed(True)
    window.show_step("Consensus", None)
    window.set_chart_options("disagreement", labels=False)
    assert window.chart.order == "disagreement" and not window.chart.labels
    assert all(d.label == "" for d in window.chart.placement().dots)


def test_large_type_on_a_dark_background(window):
    window.show_step("Explain", "<p>Six barriers, three stages.</p>")
    window.show()
    assert window.browser.font().pixelSize() >= 18
    image = window.grab().toImage()
    assert image.pixelColor(5, window.height() - 5) == QColor(ui.projector.PROJECTOR_BACKGROUND)


def test_present_goes_full_screen(window, qtbot):
    window.present()
    qtbot.waitUntil(lambda: window.isVisible())
    assert window.windowState() & Qt.WindowState.WindowFullScreen
    window.close()


def test_second_screen_is_chosen_when_there_is_one(window, monkeypatch):
    primary = QGuiApplication.primaryScreen()
    other = object()

    class TwoScreens:
        @staticmethod
        def screens():
            return [primary, other]

        @staticmethod
        def primaryScreen():
            return primary

    monkeypatch.setattr(ui.projector, "QGuiApplication", TwoScreens)
    assert window._target_screen() is other


def test_a_long_page_scrolls_with_a_bar_as_dark_as_the_screen(window, qtbot):
    window.resize(900, 500)
    window.show()
    window.show_step("Review", "<h1>A long page</h1>" + "<p>Line of the review.</p>" * 80)
    bar = window.browser.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.isVisible() and bar.maximum() > 0)
    image = bar.grab().toImage()
    lightness = [
        QColor(image.pixel(x, y)).lightnessF()
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 4)
    ]
    assert max(lightness) < 0.5  # no light desktop bar on the dark screen
