"""The colours and dot shapes every screen and every export shares.

Okabe-Ito colours, first stage to last: told apart with every common form of colour blindness.
Each stage also has a shape of its own, so the wall charts read in greyscale too.
"""

STAGE_COLOURS = ("#D55E00", "#E69F00", "#009E73", "#0072B2", "#CC79A7", "#56B4E9")
STAGE_SHAPES = ("circle", "square", "triangle", "inverted-triangle", "hexagon", "star")
NOT_SURE_COLOUR = "#7F7F7F"
NOT_SURE_SHAPE = "diamond"
DISAGREEMENT_COLOUR = "#B00020"


def stage_colour_at(index: int) -> str:
    """The hex colour of the stage at `index` (0 for the first stage)."""
    return STAGE_COLOURS[index % len(STAGE_COLOURS)]


def stage_shape_at(index: int) -> str:
    """The shape of the stage at `index`.

    Colours repeat after six stages; the shapes then move on by one, so no two stages of a
    framework (nine at most) share both colour and shape.
    """
    return STAGE_SHAPES[(index + index // len(STAGE_COLOURS)) % len(STAGE_SHAPES)]


NOT_AGREED_FILL = "#EEEEEE"  # a roll-up's heatmap cell where a team agreed nothing


def text_colour_on(fill: str) -> str:
    """Black or white, whichever reads better on the hex colour `fill` (WCAG contrast)."""

    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(fill.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    luminance = 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    return "#000000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#FFFFFF"
