"""The colours and shapes shared by the screens and the exports."""

from __future__ import annotations

from opassess.export.pdf_style import marker, stage_colour, stage_shape
from opassess.palette import NOT_SURE_COLOUR, NOT_SURE_SHAPE, stage_colour_at, stage_shape_at
from opassess.workshop import NOT_SURE

MOST_STAGES = 9  # as framework.schema.json allows


def test_no_two_stages_look_alike_however_many_a_framework_has():
    looks = [(stage_colour_at(i), stage_shape_at(i)) for i in range(MOST_STAGES)]
    assert len(set(looks)) == MOST_STAGES
    assert NOT_SURE_COLOUR not in {colour for colour, _ in looks}
    assert NOT_SURE_SHAPE not in {shape for _, shape in looks}


def test_the_report_draws_every_stage_shape_and_not_sure():
    levels = tuple(f"stage-{i}" for i in range(MOST_STAGES))
    for stage in (*levels, NOT_SURE):
        shape = stage_shape(levels, stage)
        drawn = marker(shape, 10, 10, 8, stage_colour(levels, stage))
        assert drawn is not None, shape
    assert stage_shape(levels, NOT_SURE) == NOT_SURE_SHAPE
    assert stage_colour(levels, NOT_SURE) == NOT_SURE_COLOUR
