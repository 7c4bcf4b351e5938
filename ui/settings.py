"""What the application remembers between runs, each setting declared once with its type.

Settings live in an INI file beside the library (see ui/app.py), so a portable or test data
folder carries its own and never touches the user's.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT_FILES = 8
_LAST_FOLDER = "recent/folder"
_RECENT_FILES = "recent/files"
_WINDOW_GEOMETRY = "window/geometry"
_PRIVATE_RATING = "rating/private_workshop"


class AppSettings:
    """Typed access to the stored settings; nothing else reads or writes their keys."""

    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store if store is not None else QSettings()

    @property
    def last_folder(self) -> Path:
        """Where the last file was saved or opened; the first save dialog opens there."""
        value = self.store.value(_LAST_FOLDER)
        if value:
            return Path(str(value))
        from PySide6.QtCore import QStandardPaths

        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        return Path(documents) if documents else Path.home()

    @last_folder.setter
    def last_folder(self, folder: Path) -> None:
        self.store.setValue(_LAST_FOLDER, str(folder))

    @property
    def recent_files(self) -> list[Path]:
        """Session files saved or opened lately, newest first."""
        value = self.store.value(_RECENT_FILES, [])
        if isinstance(value, str):  # an INI file gives a one-item list back as a string
            value = [value]
        return [Path(str(v)) for v in value or []]

    def remember_file(self, path: Path) -> None:
        """Put `path` first among the recent files, and its folder as the last one used."""
        files = [path] + [f for f in self.recent_files if f != path]
        self.store.setValue(_RECENT_FILES, [str(f) for f in files[:MAX_RECENT_FILES]])
        self.last_folder = path.parent

    @property
    def window_geometry(self) -> QByteArray | None:
        value = self.store.value(_WINDOW_GEOMETRY)
        return value if isinstance(value, QByteArray) else None

    @window_geometry.setter
    def window_geometry(self, geometry: QByteArray) -> None:
        self.store.setValue(_WINDOW_GEOMETRY, geometry)

    @property
    def private_rating_workshop(self) -> str:
        """The workshop whose laptop was going round for private rating, if OpAssess closed
        before the facilitator took it back: it opens locked, as it was."""
        return str(self.store.value(_PRIVATE_RATING, "") or "")

    @private_rating_workshop.setter
    def private_rating_workshop(self, workshop_id: str) -> None:
        self.store.setValue(_PRIVATE_RATING, workshop_id)
        self.store.sync()  # a crash or a pulled plug must not unlock it

    def sync(self) -> None:
        self.store.sync()
