"""OpAssess: facilitated self-assessment on the breakthrough model."""

__version__ = "0.1.0"
