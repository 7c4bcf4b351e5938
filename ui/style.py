"""Colours and type shared by every screen: colour-blind-safe, readable on a projector."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont

# Okabe-Ito colours, ordered from the first stage to the last: told apart with every common
# form of colour blindness, and each also has a distinct dot shape on the wall chart.
STAGE_COLOURS = ("#D55E00", "#E69F00", "#009E73", "#0072B2", "#CC79A7", "#56B4E9")
NOT_SURE_COLOUR = "#7F7F7F"
DISAGREEMENT_COLOUR = "#B00020"
PROJECTOR_BACKGROUND = "#101418"
PROJECTOR_TEXT = "#FFFFFF"


def stage_colour(level_ids: tuple[str, ...], stage: str) -> QColor:
    """The colour for a stage id (or NOT_SURE) within a framework's levels."""
    from opassess.workshop import NOT_SURE  # loaded with the workshop; kept off start-up

    if stage == NOT_SURE or stage not in level_ids:
        return QColor(NOT_SURE_COLOUR)
    return QColor(STAGE_COLOURS[level_ids.index(stage) % len(STAGE_COLOURS)])


def scaled_font(base: QFont, factor: float, bold: bool = False) -> QFont:
    font = QFont(base)
    size = font.pointSizeF() if font.pointSizeF() > 0 else 10.0
    font.setPointSizeF(size * factor)
    font.setBold(bold)
    return font
