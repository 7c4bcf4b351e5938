"""Where a file is saved: the name as typed, with its type's suffix added if it was left off."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget


def with_suffix(parent: QWidget, chosen: Path, suffix: str) -> Path | None:
    """`chosen`, ending in `suffix`; None if the user would rather not replace a file.

    The save dialog asks before replacing the file whose name was typed. When the suffix has to
    be added here, the file that name points at may exist as well: this asks about that one.
    """
    if chosen.suffix.lower() == suffix.lower():
        return chosen
    path = chosen.with_name(chosen.name + suffix)
    if path.exists():
        answer = QMessageBox.question(
            parent,
            "Replace the file?",
            f"“{path.name}” already exists in {path.parent}. Replace it?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
    return path
