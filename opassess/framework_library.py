"""The frameworks a facilitator chooses from: the built-in ones and the team's own.

A team's own framework starts as a copy of another (`duplicate_framework`), is edited, checked
against the framework schema and the loader's rules (`check_framework`) and saved in the library;
it travels as a framework file (`export_framework_file`, `import_framework_file`). An import is
all or nothing: a file that fails any check leaves the library as it was. A workshop keeps its
own frozen copy of whichever framework it started from, so none of this rewrites history.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from opassess.files import plain_os_reason, write_atomically
from opassess.frameworks import (
    DEFAULT_FRAMEWORK_ID,
    Framework,
    FrameworkError,
    builtin_frameworks,
    framework_from_dict,
    framework_to_dict,
    load_framework,
)

FRAMEWORK_FILE_SUFFIX = ".json"
MAX_FRAMEWORK_FILE_BYTES = 4 * 1024 * 1024  # ten times the largest built-in, with room to spare


class OwnFrameworkStore(Protocol):
    """Where a team's frameworks are kept (the store's Library is one)."""

    def own_frameworks(self) -> list[Framework]: ...

    def save_own_framework(self, framework: Framework) -> None: ...

    def delete_own_framework(self, framework_id: str) -> None: ...


class FrameworkExists(FrameworkError):
    """An imported framework has the id of one of the team's own; `existing` is that one."""

    def __init__(self, message: str, existing: Framework, incoming: Framework) -> None:
        super().__init__(message)
        self.existing = existing
        self.incoming = incoming


@dataclass(frozen=True)
class FrameworkEntry:
    framework: Framework
    builtin: bool

    @property
    def label(self) -> str:
        """How a list names it: 'Operational delivery (2021)', 'Our model (own)'."""
        return self.framework.title if self.builtin else f"{self.framework.title} (own)"


def available_frameworks(library: OwnFrameworkStore | None) -> list[FrameworkEntry]:
    """Every framework to choose from: the breakthrough model first, the other built-in ones by
    name, then the team's own by name."""
    builtin = sorted(
        builtin_frameworks().values(),
        key=lambda f: (f.id != DEFAULT_FRAMEWORK_ID, f.name.casefold()),
    )
    own = library.own_frameworks() if library is not None else []
    return [FrameworkEntry(f, True) for f in builtin] + [FrameworkEntry(f, False) for f in own]


def is_builtin(framework_id: str) -> bool:
    return framework_id in builtin_frameworks()


def check_framework(framework: Framework) -> Framework:
    """The framework as the loader would read it from a file, or FrameworkError naming the field
    (`dimensions[2].name: ...`): what the editor saves must import again anywhere."""
    return framework_from_dict(framework_to_dict(framework), origin="framework")


def duplicate_framework(
    framework: Framework, name: str, library: OwnFrameworkStore | None = None
) -> Framework:
    """An editable copy under a new name and a new id that no framework has."""
    name = name.strip()
    if not name:
        raise FrameworkError("name: give the copy a name.")
    taken = {entry.framework.id for entry in available_frameworks(library)}
    stem = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[:40] or "framework"
    identifier = stem if stem not in taken else f"{stem}-{secrets.token_hex(3)}"
    while identifier in taken:
        identifier = f"{stem}-{secrets.token_hex(3)}"
    return replace(
        framework,
        id=identifier,
        name=name,
        version="",
        based_on=framework.id,
    )


def save_framework(library: OwnFrameworkStore, framework: Framework) -> Framework:
    """Check and store a team's framework, replacing its earlier version; returns what was saved.

    A built-in framework's id is refused: the built-in ones are never edited in place.
    """
    if is_builtin(framework.id):
        raise FrameworkError(
            f"id: {framework.id!r} is a built-in framework's id; duplicate it to make your own."
        )
    checked = check_framework(framework)
    library.save_own_framework(checked)
    return checked


def delete_framework(library: OwnFrameworkStore, framework_id: str) -> Framework:
    """Remove a team's framework; returns it, so saving it again undoes the deletion."""
    for framework in library.own_frameworks():
        if framework.id == framework_id:
            library.delete_own_framework(framework_id)
            return framework
    raise FrameworkError(f"There is no framework of your own with the id {framework_id!r}.")


def export_framework_file(framework: Framework, path: str | Path) -> None:
    """Write a framework file that `import_framework_file` (on any laptop) reads back as it is."""
    path = Path(path)
    text = json.dumps(framework_to_dict(framework), ensure_ascii=False, indent=2) + "\n"
    try:
        write_atomically(path, text.encode("utf-8"))
    except OSError as exc:
        raise FrameworkError(f"{path.name}: {plain_os_reason(exc, 'write')}") from exc


def read_framework_file(path: str | Path) -> Framework:
    """A framework file checked against the schema and the loader's rules, or FrameworkError
    naming the file and the field."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise FrameworkError(f"{path.name}: {plain_os_reason(exc, 'read')}") from exc
    if size > MAX_FRAMEWORK_FILE_BYTES:
        raise FrameworkError(
            f"{path.name}: {size / 1024 / 1024:.1f} MB is too large for a framework file "
            f"(at most {MAX_FRAMEWORK_FILE_BYTES // 1024 // 1024} MB)."
        )
    return load_framework(path)


def import_framework_file(
    library: OwnFrameworkStore, path: str | Path, *, replace_existing: bool = False
) -> Framework:
    """Add a framework file to the team's own, all or nothing.

    A file with a built-in framework's id is refused (it is the built-in one, or pretends to be);
    one with the id of a framework of the team's own raises FrameworkExists unless
    `replace_existing`.
    """
    framework = read_framework_file(path)
    name = Path(path).name
    if is_builtin(framework.id):
        raise FrameworkError(
            f"{name}: id: {framework.id!r} is the id of a built-in framework, which is already "
            "here. To bring in an adapted copy, give the file's framework an id of its own."
        )
    existing = next((f for f in library.own_frameworks() if f.id == framework.id), None)
    if existing is not None and not replace_existing:
        raise FrameworkExists(
            f"{name}: a framework of your own already has the id {framework.id!r} "
            f"({existing.title}).",
            existing,
            framework,
        )
    library.save_own_framework(framework)
    return framework
