"""Colours and type shared by every screen: colour-blind-safe, readable on a projector."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont

# The palette lives in the core, so the exports print the colours the screens show.
from opassess.palette import DISAGREEMENT_COLOUR, NOT_SURE_COLOUR, STAGE_COLOURS, stage_colour_at

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


def stage_colour(level_ids: tuple[str, ...], stage: str) -> QColor:
    """The colour for a stage id (or NOT_SURE) within a framework's levels."""
    from opassess.workshop import NOT_SURE  # loaded with the workshop; kept off start-up

    if stage == NOT_SURE or stage not in level_ids:
        return QColor(NOT_SURE_COLOUR)
    return QColor(stage_colour_at(level_ids.index(stage)))


def scaled_font(base: QFont, factor: float, bold: bool = False) -> QFont:
    font = QFont(base)
    size = font.pointSizeF() if font.pointSizeF() > 0 else 10.0
    font.setPointSizeF(size * factor)
    font.setBold(bold)
    return font
