"""Results that leave the room: Excel workbook, PDF report, paper forms, spreadsheet forms.

openpyxl and reportlab are imported inside these modules' functions' callers only when an export
is asked for, never on the start-up path.
"""

from __future__ import annotations


class ExportError(Exception):
    """An export that could not be written; the message says what happened and what to do."""
