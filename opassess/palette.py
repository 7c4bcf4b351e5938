"""The colours every screen and every export shares.

Okabe-Ito colours, first stage to last: told apart with every common form of colour blindness,
and on the wall charts each stage also has a shape of its own, so they read in greyscale too.
"""

STAGE_COLOURS = ("#D55E00", "#E69F00", "#009E73", "#0072B2", "#CC79A7", "#56B4E9")
NOT_SURE_COLOUR = "#7F7F7F"
DISAGREEMENT_COLOUR = "#B00020"
