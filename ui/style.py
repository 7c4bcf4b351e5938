"""Colours and type shared by every screen: colour-blind-safe, readable on a projector."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QColor, QFont

# The palette lives in the core, so the exports print the colours the screens show.
from opassess.palette import DISAGREEMENT_COLOUR, NOT_SURE_COLOUR, STAGE_COLOURS

if TYPE_CHECKING:
    from opassess.frameworks import Framework

__all__ = [
    "DISAGREEMENT_COLOUR",
    "NOT_SURE_COLOUR",
    "PROJECTOR_BACKGROUND",
    "PROJECTOR_TEXT",
    "STAGE_COLOURS",
    "scaled_font",
    "stage_colour",
]

PROJECTOR_BACKGROUND = "#101418"
PROJECTOR_TEXT = "#FFFFFF"


def stage_colour(framework: Framework, stage: str) -> QColor:
    """The colour of a stage id within a framework: the stage's own colour (red, amber, green
    in a delivery-confidence framework), else the palette's for its place; grey for not sure
    and for an id the framework does not have."""
    return QColor(framework.colour_of(stage))


def scaled_font(base: QFont, factor: float, bold: bool = False) -> QFont:
    font = QFont(base)
    size = font.pointSizeF() if font.pointSizeF() > 0 else 10.0
    font.setPointSizeF(size * factor)
    font.setBold(bold)
    return font
