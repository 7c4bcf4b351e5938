"""The wall chart: a dot per rating, never overlapping, hidden until revealed, rows to select."""

from __future__ import annotations

import dataclasses
import itertools
import random

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QImage

from opassess.analysis import by_disagreement, summarise
from opassess.demo import demo_workshop
from opassess.wording import spread_words
from opassess.workshop import NOT_SURE, Workshop, chart_labels, clear_rating, record_rating
from ui.style import PROJECTOR_BACKGROUND
from ui.wallchart import (
    ORDER_DISAGREEMENT,
    ORDER_FRAMEWORK,
    WallChart,
    hidden_words,
)


def wide_workshop(participants: int, barriers: int = 12, seed: int = 7) -> Workshop:
    """The demo team at `participants` strong, rating `barriers` barriers: the framework's six
    and copies of them under new ids."""
    base = demo_workshop(participants=participants)
    framework = base.framework
    originals = framework.dimensions
    copies = tuple(
        dataclasses.replace(d, id=f"{d.id}-{n}", name=f"{d.name} ({n})")
        for n, d in zip(
            itertools.count(2), itertools.islice(itertools.cycle(originals), barriers - 6)
        )
    )
    framework = dataclasses.replace(framework, dimensions=originals + copies)
    rng = random.Random(seed)
    stages = [*framework.level_ids, NOT_SURE]
    workshop = dataclasses.replace(base, framework=framework, scope=framework.dimension_ids)
    for dimension in copies:
        for participant in workshop.participants:
            workshop = record_rating(
                workshop, participant.id, dimension.id, rng.choice(stages), "Seen it happen."
            )
    return workshop


def make_chart(qtbot, workshop: Workshop, size: QSize | None = None, revealed=True, **kwargs):
    chart = WallChart(**kwargs)
    qtbot.addWidget(chart)
    chart.resize(size or QSize(1280, 800))
    chart.set_workshop(workshop)
    chart.set_revealed(revealed)
    return chart


def assert_dots_fit(chart: WallChart, workshop: Workshop) -> None:
    placement = chart.placement()
    expected = {k for k in workshop.ratings if k[1] in workshop.scope}
    placed = [(d.participant_id, d.dimension_id) for d in placement.dots]
    assert len(placed) == len(set(placed)) == len(expected)
    assert set(placed) == expected
    for dot in placement.dots:
        row = placement.row(dot.dimension_id)
        assert row is not None
        assert row.cells[dot.stage].contains(dot.rect), dot
        assert workshop.rating(dot.participant_id, dot.dimension_id).stage == dot.stage
    cells: dict[tuple[str, str], list] = {}
    for dot in placement.dots:
        cells.setdefault((dot.dimension_id, dot.stage), []).append(dot.rect)
    for rects in cells.values():
        for a, b in itertools.combinations(rects, 2):
            assert not a.intersects(b), (a, b)


def test_forty_people_on_twelve_barriers_get_a_legible_dot_each_and_none_overlap(qtbot):
    workshop = wide_workshop(40)
    chart = make_chart(qtbot, workshop)
    assert len(chart.placement().rows) == 12
    assert_dots_fit(chart, workshop)
    assert chart.placement().dot_size >= 8


def test_a_crowded_cell_and_two_hundred_people_still_fit(qtbot):
    workshop = wide_workshop(40)
    for participant in workshop.participants:  # everyone on one stage of one barrier
        workshop = record_rating(workshop, participant.id, workshop.scope[0], "developing")
    chart = make_chart(qtbot, workshop)
    assert_dots_fit(chart, workshop)

    crowd = wide_workshop(200)
    chart.set_workshop(crowd)
    assert_dots_fit(chart, crowd)
    assert chart.placement().dot_size >= 3


def test_dots_shrink_as_the_team_grows(qtbot):
    small = make_chart(qtbot, demo_workshop(participants=8)).placement().dot_size
    large = make_chart(qtbot, wide_workshop(40)).placement().dot_size
    assert large < small


def test_hidden_chart_shows_only_how_many_have_rated(qtbot, demo):
    workshop = clear_rating(demo, demo.participants[0].id, demo.scope[1])
    chart = make_chart(qtbot, workshop, revealed=False)
    placement = chart.placement()
    assert placement.dots == ()
    assert placement.dot_size == 0
    assert not placement.sprites
    first, second = placement.rows[0], placement.rows[1]
    assert first.hidden_text == "8 ratings in — hidden until revealed"
    assert second.hidden_text == "7 of 8 ratings in — hidden until revealed"
    for row in placement.rows:
        assert row.spread_text == "" and row.reasons == () and row.flag_rect is None
        assert row.consensus is None and row.target is None
    assert "Spread" not in [text for _key, text, _rect in placement.headers]

    chart.set_revealed(True)
    assert len(chart.placement().dots) == len(workshop.ratings)
    assert all(row.hidden_text == "" for row in chart.placement().rows)


def test_hidden_and_spread_wording():
    assert hidden_words(0, 8) == "No ratings yet — hidden until revealed"
    assert hidden_words(1, 1) == "1 rating in — hidden until revealed"
    assert spread_words(None) == "No stage chosen yet"
    assert spread_words(0) == "All at one stage"
    assert spread_words(1) == "1 stage apart"
    assert spread_words(2) == "2 stages apart"


def test_rows_say_the_spread_flag_disagreement_and_mark_agreed_stage_and_target(qtbot, demo):
    chart = make_chart(qtbot, demo)
    summaries = {s.dimension_id: s for s in summarise(demo)}
    for row in chart.placement().rows:
        summary = summaries[row.dimension_id]
        assert row.spread_text == spread_words(summary.spread)
        assert row.reasons == summary.disagreement_reasons
        assert (row.flag_rect is not None) == summary.disagreement
        assert row.consensus == demo.consensus[row.dimension_id].stage
        assert row.target == demo.targets[row.dimension_id]
    flagged = chart.placement().row("leaders-not-interested")
    assert flagged.spread_text == "2 stages apart"
    assert "ratings are 2 stages apart" in chart._tooltip_at(flagged.flag_rect.center())


def test_order_by_disagreement_once_revealed_only(qtbot, demo):
    chart = make_chart(qtbot, demo, revealed=False)
    framework_order = list(demo.scope)
    chart.set_order(ORDER_DISAGREEMENT)
    assert chart.row_order() == framework_order  # ordering would give hidden ratings away
    chart.set_revealed(True)
    expected = [s.dimension_id for s in by_disagreement(summarise(demo))]
    assert expected != framework_order
    assert chart.row_order() == expected
    assert [r.dimension_id for r in chart.placement().rows] == expected
    chart.set_order(ORDER_FRAMEWORK)
    assert chart.row_order() == framework_order
    with pytest.raises(ValueError):
        chart.set_order("alphabetical")


def test_clicking_a_row_selects_its_barrier(qtbot, demo):
    chart = make_chart(qtbot, demo)
    chart.show()
    row = chart.placement().rows[2]
    with qtbot.waitSignal(chart.barrier_clicked) as clicked:
        qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=row.rect.center().toPoint())
    assert clicked.args == [row.dimension_id]
    assert chart.selected() == row.dimension_id


def test_up_and_down_keys_move_the_selection_in_the_shown_order(qtbot, demo):
    chart = make_chart(qtbot, demo)
    chart.set_order(ORDER_DISAGREEMENT)
    order = chart.row_order()
    chart.set_selected(order[0])
    chart.show()
    chart.setFocus()
    with qtbot.waitSignal(chart.barrier_clicked) as moved:
        qtbot.keyClick(chart, Qt.Key.Key_Down)
    assert moved.args == [order[1]]
    qtbot.keyClick(chart, Qt.Key.Key_Up)
    qtbot.keyClick(chart, Qt.Key.Key_Up)  # stays on the first row
    assert chart.selected() == order[0]
    qtbot.keyClick(chart, Qt.Key.Key_End)
    assert chart.selected() == order[-1]


def test_set_selected_does_not_announce(qtbot, demo):
    chart = make_chart(qtbot, demo)
    with qtbot.assertNotEmitted(chart.barrier_clicked):
        chart.set_selected(demo.scope[3])
    assert chart.selected() == demo.scope[3]


def test_labels_follow_the_name_setting(qtbot, demo):
    chart = make_chart(qtbot, demo)
    placement = chart.placement()
    assert placement.labels_shown
    names = chart_labels(demo)
    assert {d.label for d in placement.dots} <= set(names.values())
    assert any(d.label == names[d.participant_id] for d in placement.dots)

    chart.set_workshop(dataclasses.replace(demo, name_display="initials"))
    initials = chart_labels(dataclasses.replace(demo, name_display="initials"))
    assert all(d.label == initials[d.participant_id] for d in chart.placement().dots)

    chart.set_workshop(dataclasses.replace(demo, name_display="anonymous"))
    assert not chart.placement().labels_shown
    assert all(d.label == "" and d.label_rect is None for d in chart.placement().dots)

    chart.set_workshop(demo)
    dot = chart.placement().dots[0]
    assert chart._tooltip_at(dot.rect.center()).startswith(names[dot.participant_id] + ": ")
    chart.set_labels(False)
    assert all(d.label == "" for d in chart.placement().dots)
    # Nor does the tooltip of a dot name who put it there.
    dot = chart.placement().dots[0]
    tip = chart._tooltip_at(dot.rect.center())
    assert tip and names[dot.participant_id] not in tip


def test_names_that_do_not_fit_are_dropped_rather_than_squeezed(qtbot):
    chart = make_chart(qtbot, wide_workshop(40))
    placement = chart.placement()
    assert placement.labels_dropped
    assert all(d.label == "" for d in placement.dots)


def test_one_changed_rating_moves_its_dot(qtbot, demo):
    chart = make_chart(qtbot, demo)
    person, barrier = demo.participants[0].id, demo.scope[0]
    before = demo.rating(person, barrier).stage
    after = "consolidating" if before != "consolidating" else "starting"
    chart.set_workshop(record_rating(demo, person, barrier, after))
    dot = next(
        d for d in chart.placement().dots if (d.participant_id, d.dimension_id) == (person, barrier)
    )
    assert dot.stage == after
    assert chart.placement().row(barrier).cells[after].contains(dot.rect)


def test_projector_mode_is_dark_with_bigger_type_and_dots(qtbot, demo):
    normal = make_chart(qtbot, demo, size=QSize(1920, 1080))
    projector = make_chart(qtbot, demo, size=QSize(1920, 1080), projector=True)
    assert projector.projector and not normal.projector
    image = projector.grab().toImage()
    assert image.pixelColor(2, 2) == QColor(PROJECTOR_BACKGROUND)
    big, small = projector.placement(), normal.placement()
    assert big.style.name_font.pixelSize() > small.style.name_font.pointSizeF()
    assert big.dot_size > small.dot_size


def test_render_png_at_projector_resolution(qtbot, demo, tmp_path):
    chart = make_chart(qtbot, demo, size=QSize(640, 400))
    path = tmp_path / "chart.png"
    assert chart.render_png(str(path))
    image = QImage(str(path))
    assert image.size() == QSize(1920, 1080)
    assert chart.size() == QSize(640, 400)  # the widget itself is left alone
    assert chart.render_png(str(tmp_path / "small.png"), QSize(800, 450), projector=True)
    assert QImage(str(tmp_path / "small.png")).pixelColor(1, 1) == QColor(PROJECTOR_BACKGROUND)


def test_no_workshop_and_nothing_in_scope_paint_a_message(qtbot, demo):
    chart = make_chart(qtbot, demo)
    chart.set_workshop(None)
    assert chart.placement().message
    chart.grab()
    chart.set_workshop(dataclasses.replace(demo, scope=()))
    assert chart.placement().message == "No barriers are in scope."
    chart.grab()


def test_screen_and_report_give_each_stage_the_same_shape():
    from opassess.export.pdf_style import stage_shape as report_shape
    from ui.wallchart_paint import stage_shape as screen_shape

    levels = tuple(f"stage-{i}" for i in range(9))
    for stage in (*levels, NOT_SURE):
        assert screen_shape(levels, stage) == report_shape(levels, stage)


def test_a_stage_word_of_two_words_is_said_once(qtbot):
    # "maturity stage": the reasons are the core's, already in the framework's words.
    import dataclasses

    from opassess.analysis import summarise_barrier

    base = demo_workshop(participants=8)
    framework = base.framework
    terms = dataclasses.replace(framework.terms, level="maturity stage", levels="maturity stages")
    workshop = dataclasses.replace(base, framework=dataclasses.replace(framework, terms=terms))
    barrier = workshop.scope[0]
    people = [p.id for p in workshop.participants]
    low, high = framework.level_ids[0], framework.level_ids[-1]
    for index, person in enumerate(people):
        workshop = record_rating(workshop, person, barrier, low if index % 2 else high)
    summary = summarise_barrier(workshop, barrier)
    said = " ".join(summary.disagreement_reasons) + " " + spread_words(summary.spread, terms)
    assert "maturity maturity" not in said and "2 maturity stages apart" in said
