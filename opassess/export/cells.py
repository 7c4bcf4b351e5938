"""Text as spreadsheets and PDFs must receive it: never a formula, never a forbidden character."""

from __future__ import annotations

import re

# Characters XML 1.0 (and so .xlsx) cannot hold: C0 controls except tab, LF, CR; and U+FFFE/FFFF.
_FORBIDDEN_IN_XLSX = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
REPLACEMENT = "\ufffd"  # shown as a visible mark, so a reader sees something was there
# A cell starting with one of these is read as a formula (or DDE) by spreadsheet programs.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_CHARS = 32767  # Excel's limit for one cell


def spreadsheet_text(value: str) -> str:
    """`value` as literal text for a spreadsheet cell: forbidden characters replaced visibly,
    over-long text cut with a mark. Leading = + - @ tab CR stay as typed: the caller must also
    store the cell as a string (openpyxl: data_type 's'), which is what keeps it from being a
    formula; see `text_cell` in the workbook writer."""
    cleaned = _FORBIDDEN_IN_XLSX.sub(REPLACEMENT, value)
    if len(cleaned) > MAX_CELL_CHARS:
        cleaned = cleaned[: MAX_CELL_CHARS - 1] + "…"
    return cleaned


def looks_like_formula(value: str) -> bool:
    return value.startswith(_FORMULA_START)
