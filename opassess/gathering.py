"""Gathering an organisation's results into one library: many session files at once.

A performance office collects a session file from each management team. `plan_gathering` reads
and checks every file first and sorts it: new to the library, already here as it is, already here
but different, refused (with the reason), or the same workshop twice in the batch. Nothing is
written until `gather` applies the plan, with one choice for every workshop that differs (replace
the library's, keep the library's, or keep both); each file is added in its own transaction, so
a refused file changes nothing and the rest still come in. Workshops are matched by id, so
gathering the same files again adds nothing.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from opassess import SESSION_FILE_SUFFIX
from opassess.interchange import (
    SessionFileError,
    WorkshopLibrary,
    as_imported_copy,
    read_session_file,
)
from opassess.workshop import Workshop

GatherChoice = Literal["replace", "keep-library", "keep-both"]
GATHER_CHOICES: tuple[GatherChoice, ...] = ("replace", "keep-library", "keep-both")


@dataclass(frozen=True)
class Incoming:
    path: Path
    workshop: Workshop


@dataclass(frozen=True)
class GatherPlan:
    """What a batch of files would do, read and checked, before anything is written."""

    new: tuple[Incoming, ...] = ()
    same: tuple[Incoming, ...] = ()  # already in the library exactly as in the file
    different: tuple[Incoming, ...] = ()  # already in the library, changed since
    repeated: tuple[Incoming, ...] = ()  # the same workshop again in this batch: left out
    refused: tuple[tuple[Path, str], ...] = ()  # (file, why)

    @property
    def files(self) -> int:
        return sum(
            len(group) for group in (self.new, self.same, self.different, self.repeated)
        ) + len(self.refused)


@dataclass
class GatherSummary:
    """What gathering did, file by file."""

    added: list[str] = field(default_factory=list)  # titles
    replaced: list[str] = field(default_factory=list)
    kept_both: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # already here as in the file
    kept_library: list[str] = field(default_factory=list)  # differed; the library's kept
    left_out: list[tuple[str, str]] = field(default_factory=list)  # (file, why)
    # (file, why): a file that only repeats another of the batch: nothing lost, nothing wrong
    repeats: list[tuple[str, str]] = field(default_factory=list)
    imported_ids: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.replaced or self.kept_both)

    def lines(self) -> list[str]:
        """The summary in words, a line for each kind of outcome that happened."""
        said = []
        for count, words in (
            (len(self.added), "added"),
            (len(self.replaced), "replaced with the file's version"),
            (len(self.kept_both), "added as a copy beside the library's"),
            (len(self.unchanged), "already in the library as they are: unchanged"),
            (len(self.kept_library), "already in the library and different: the library's kept"),
        ):
            if count:
                said.append(f"{count} workshop{'' if count == 1 else 's'} {words}")
        for name, why in self.repeats:
            said.append(f"{name}: {why}")
        for name, why in self.left_out:
            said.append(f"Not imported: {why}" if why.startswith(name) else f"{name}: {why}")
        return said or ["No session files were found."]


def _copy_id(workshop: Workshop) -> str:
    """A kept-both copy's id: the same for the same workshop content, whenever it is gathered."""
    import hashlib
    import json
    import uuid

    from opassess.interchange import workshop_to_document

    content = json.dumps(workshop_to_document(workshop)["workshop"], sort_keys=True)
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"opassess:kept-both:{workshop.id}:{digest}"))


def session_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The files named, and the session files inside any folder named (all its sub-folders),
    in a stable order, each once."""
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob(f"*{SESSION_FILE_SUFFIX}") if p.is_file()))
        else:
            found.append(path)
    unique: dict[Path, None] = {}
    for path in found:
        unique.setdefault(path.resolve(), None)
    return list(unique)


def plan_gathering(library: WorkshopLibrary, paths: Sequence[Path]) -> GatherPlan:
    """Read and check every file, and sort it; the library is only read."""
    new: list[Incoming] = []
    same: list[Incoming] = []
    different: list[Incoming] = []
    repeated: list[Incoming] = []
    refused: list[tuple[Path, str]] = []
    seen: set[str] = set()
    for path in paths:
        try:
            workshop = read_session_file(path)
        except SessionFileError as problem:
            refused.append((path, str(problem)))
            continue
        incoming = Incoming(path, workshop)
        if workshop.id in seen:
            repeated.append(incoming)
            continue
        seen.add(workshop.id)
        if not library.exists(workshop.id):
            new.append(incoming)
        elif library.load(workshop.id) == workshop:
            same.append(incoming)
        else:
            different.append(incoming)
    return GatherPlan(tuple(new), tuple(same), tuple(different), tuple(repeated), tuple(refused))


def gather(
    library: WorkshopLibrary, plan: GatherPlan, on_different: GatherChoice = "keep-library"
) -> GatherSummary:
    """Apply a plan: new workshops added, differing ones as `on_different` says."""
    if on_different not in GATHER_CHOICES:
        raise ValueError(f"on_different is one of {', '.join(GATHER_CHOICES)}")
    summary = GatherSummary()
    for incoming in plan.new:
        library.add(incoming.workshop)
        summary.added.append(incoming.workshop.title)
        summary.imported_ids.append(incoming.workshop.id)
    for incoming in plan.different:
        workshop = incoming.workshop
        if on_different == "replace":
            library.replace(workshop)
            summary.replaced.append(workshop.title)
            summary.imported_ids.append(workshop.id)
        elif on_different == "keep-both":
            # The copy's id comes from the file's content, so gathering the same files again
            # finds the copy it made before instead of adding another.
            copy = dataclasses.replace(as_imported_copy(workshop), id=_copy_id(workshop))
            if library.exists(copy.id):
                summary.unchanged.append(copy.title)
                continue
            library.add(copy)
            summary.kept_both.append(copy.title)
            summary.imported_ids.append(copy.id)
        else:
            summary.kept_library.append(workshop.title)
    summary.unchanged.extend(incoming.workshop.title for incoming in plan.same)
    firsts = {i.workshop.id: i for i in (*plan.new, *plan.same, *plan.different)}
    for incoming in plan.repeated:
        first = firsts[incoming.workshop.id]
        if incoming.workshop == first.workshop:
            why = f"the same as {first.path.name}, which was taken; nothing more to add."
            summary.repeats.append((incoming.path.name, why))
            continue
        why = (
            f"“{incoming.workshop.title}” is also in {first.path.name}, with other content: "
            f"only {first.path.name} was taken. Import this file on its own to choose."
        )
        summary.left_out.append((incoming.path.name, why))
    summary.left_out.extend((path.name, why) for path, why in plan.refused)
    return summary
