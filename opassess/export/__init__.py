"""Results that leave the room: Excel workbook, PDF report, paper forms, spreadsheet forms.

openpyxl and reportlab are imported inside these modules' functions' callers only when an export
is asked for, never on the start-up path.
"""

from __future__ import annotations

from pathlib import Path


class ExportError(Exception):
    """An export that could not be written; the message says what happened and what to do."""


def save_export(data: bytes, path: str | Path, what: str | None = None) -> None:
    """Write an export's bytes to `path` atomically: a failed write leaves any earlier file as it
    was. ExportError says why: 'Could not write plan.xlsx: the disk is full.', or, naming `what`,
    'The report could not be saved to report.pdf: the disk is full.'."""
    from opassess.files import plain_os_reason, write_atomically

    path = Path(path)
    try:
        write_atomically(path, data)
    except OSError as exc:
        reason = plain_os_reason(exc, "write")
        if what is None:
            raise ExportError(f"Could not write {path.name}: {reason}") from exc
        raise ExportError(f"{what} could not be saved to {path.name}: {reason}") from exc
