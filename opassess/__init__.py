"""OpAssess: facilitated self-assessment on the breakthrough model."""

__version__ = "0.2.0"

# Here rather than in interchange, so the home window knows session files by name alone.
SESSION_FILE_SUFFIX = ".opassess"
