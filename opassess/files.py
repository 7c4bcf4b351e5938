"""Small pieces shared by everything that writes files: syncing to disk, and dates as text.

The library (store.py) and session files (interchange.py) both write a complete file under
another name, sync it, rename it into place and sync the folder, so that a crash leaves either
the old file or the new one, never half of one; and both keep dates as ISO 8601 text.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

_UNSAFE_IN_FILE_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED_ON_WINDOWS = {"CON", "PRN", "AUX", "NUL"} | {
    f"{device}{n}" for device in ("COM", "LPT") for n in range(1, 10)
}
_MAX_STEM = 120


def safe_file_stem(title: str) -> str:
    """A file name (without suffix) from a workshop's title that every common system accepts."""
    name = _UNSAFE_IN_FILE_NAMES.sub("-", title)
    name = " ".join(name.split())[:_MAX_STEM].strip(" .")
    if not name or name.upper() in _RESERVED_ON_WINDOWS:
        name = f"{name} workshop".strip()
    return name


def fsync_file(path: Path) -> None:
    """Flush a written file's content to the disk; OSError if that fails."""
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def fsync_folder(folder: Path) -> None:
    """Make a rename (or new name) in `folder` durable; OSError if that fails.

    POSIX needs the folder itself synced for that. Windows cannot open a folder and does not
    need it, so there this does nothing.
    """
    if not hasattr(os, "O_DIRECTORY"):
        return
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def date_text(value: date | None) -> str | None:
    """A date as YYYY-MM-DD text; None stays None."""
    return None if value is None else value.isoformat()


def date_from_text(text: str | None) -> date | None:
    """The date that date_text wrote; None stays None."""
    return None if text is None else date.fromisoformat(text)
