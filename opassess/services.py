"""The use cases the desktop and the command line share, each written once.

The command line prints what these return; the windows show it. Neither keeps its own copy of a
flow: what to export and how, which earlier workshop a report compares with, what an import does
when the workshop is already there, when a workshop is due again, and how a failure reads.

Imported on the way to the first window, so only the standard library is imported at the top;
each writer brings in openpyxl or reportlab when it runs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

from opassess import SESSION_FILE_SUFFIX

if TYPE_CHECKING:
    from opassess.export.rating_forms import FormAnswers
    from opassess.interchange import ImportResult, WorkshopExists, WorkshopLibrary
    from opassess.rollup import Comparison, Filters, SummaryRow
    from opassess.workshop import Workshop

ExportName = Literal["session", "workbook", "report", "paper-forms", "spreadsheet-forms"]
ConflictChoice = Literal["replace", "keep-both"]
# Asked when an imported workshop is already in the library; None leaves the file out.
ChooseOnConflict = Callable[["WorkshopExists"], "ConflictChoice | None"]
RATING_FORMS_EDIT = "Import rating forms"


class WorkshopSource(Protocol):
    """What the use cases read from a library (the store's Library is one)."""

    def exists(self, workshop_id: str) -> bool: ...

    def load(self, workshop_id: str) -> Workshop: ...


class ComparisonSource(WorkshopSource, Protocol):
    """What a comparison reads from a library (the store's Library is one)."""

    def list_workshops(self, search: str = "") -> Sequence[SummaryRow]: ...


class _Due(Protocol):
    @property
    def reassess_on(self) -> date | None: ...
    @property
    def reassessed(self) -> bool: ...


# -- exports ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportOptions:
    earlier: Workshop | None = None  # the workshop re-assessed, for the movement since then
    keep_existing: bool = False  # spreadsheet forms: leave forms already in the folder alone


ExportWriter = Callable[["Workshop", Path, ExportOptions], object]


@dataclass(frozen=True)
class ExportKind:
    name: ExportName
    title: str  # what a save dialog or a progress note calls it: "Excel workbook"
    noun: str  # what a sentence calls it once it is named: "workbook"
    suffix: str  # of the file written; "" when the export fills a folder
    file_filter: str  # for a save dialog
    needs_earlier: bool  # shows the movement since the workshop it re-assesses
    write: ExportWriter

    @property
    def to_folder(self) -> bool:
        return not self.suffix

    def file_name(self, title: str) -> str:
        """The file name suggested for a workshop called `title`, safe on every system."""
        from opassess.files import safe_file_stem

        return safe_file_stem(title) + self.suffix


def _write_session(workshop: Workshop, path: Path, _options: ExportOptions) -> None:
    from opassess.interchange import write_session_file

    write_session_file(workshop, path)


def _write_workbook(workshop: Workshop, path: Path, options: ExportOptions) -> None:
    from opassess.export.xlsx import write_workbook

    write_workbook(workshop, path, options.earlier)


def _write_report(workshop: Workshop, path: Path, options: ExportOptions) -> None:
    from opassess.export.pdf import write_report

    write_report(workshop, path, options.earlier)


def _write_paper_forms(workshop: Workshop, path: Path, _options: ExportOptions) -> None:
    from opassess.export.paper_forms import write_paper_forms

    write_paper_forms(workshop, path)


def _write_spreadsheet_forms(workshop: Workshop, folder: Path, options: ExportOptions) -> object:
    from opassess.export.rating_forms import write_rating_forms

    return write_rating_forms(workshop, folder, keep_existing=options.keep_existing)


_PDF_FILTER = "PDF document (*.pdf)"
EXPORTS: dict[ExportName, ExportKind] = {
    kind.name: kind
    for kind in (
        ExportKind(
            "session",
            "session file",
            "session file",
            SESSION_FILE_SUFFIX,
            f"OpAssess session (*{SESSION_FILE_SUFFIX})",
            False,
            _write_session,
        ),
        ExportKind(
            "workbook",
            "Excel workbook",
            "workbook",
            ".xlsx",
            "Excel workbook (*.xlsx)",
            True,
            _write_workbook,
        ),
        ExportKind("report", "PDF report", "report", ".pdf", _PDF_FILTER, True, _write_report),
        ExportKind(
            "paper-forms",
            "paper rating forms",
            "paper forms",
            ".pdf",
            _PDF_FILTER,
            False,
            _write_paper_forms,
        ),
        ExportKind(
            "spreadsheet-forms",
            "spreadsheet rating forms",
            "spreadsheet forms",
            "",
            "",
            False,
            _write_spreadsheet_forms,
        ),
    )
}


def forms_already_there(workshop: Workshop, folder: Path) -> list[Path]:
    """Spreadsheet forms of this workshop already in `folder`, perhaps filled in: asked about
    (window) or refused without a choice (command line) before anything is written over."""
    from opassess.export.rating_forms import rating_form_paths

    return [path for path in rating_form_paths(workshop, folder).values() if path.exists()]


def export(
    name: ExportName, workshop: Workshop, target: Path, options: ExportOptions | None = None
) -> object:
    """Write `workshop` as export `name` to `target` (a file, or a folder for the forms).

    Every writer replaces its file atomically: a failure leaves what was there before.
    """
    return EXPORTS[name].write(workshop, target, options or ExportOptions())


def earlier_workshop(library: WorkshopSource, workshop: Workshop) -> Workshop | None:
    """The workshop `workshop` re-assesses, when the library still has it; exports and the
    Review step then show the movement since. The library's own errors pass through."""
    earlier = workshop.reassesses
    if not earlier or not library.exists(earlier):
        return None
    return library.load(earlier)


# -- comparing teams ----------------------------------------------------------------------------


class NothingToCompare(Exception):
    """No workshop in the library matches what was asked for; the message says what that was."""


@dataclass(frozen=True)
class RollUp:
    """Teams compared, and what the roll-up outputs need besides the comparison."""

    comparison: Comparison
    workshops: tuple[Workshop, ...]  # every workshop loaded for it, compared or left out
    filters: Filters
    # A compared workshop's id -> the workshop it re-assesses, when the library still has it.
    earlier: Mapping[str, Workshop] = field(default_factory=dict)


def load_comparison(
    library: ComparisonSource,
    filters: Filters,
    ids: Sequence[str] | None = None,
    progress: Callable[[int, int], object] | None = None,
) -> RollUp:
    """Compare the library's workshops that match `filters` (and, given `ids`, only those).

    Loading is the slow part, so only workshops that pass the filters a summary can answer are
    loaded; the tag is checked on each loaded workshop. `progress(done, total)` follows the
    loading. NothingToCompare when no workshop matches.
    """
    import dataclasses

    from opassess.rollup import compare, latest_of

    # The library's search also looks in tags: with a tag asked for, it narrows the summaries
    # to the workshops that could carry it, before any is loaded.
    summaries = library.list_workshops(filters.tag.strip() if filters.tag else "")
    without_tag = dataclasses.replace(filters, tag="")
    candidates = [s for s in summaries if without_tag.matches(s)]
    if ids is not None:
        wanted = set(ids)
        candidates = [s for s in candidates if s.id in wanted]
    workshops: list[Workshop] = []
    for done, summary in enumerate(candidates, start=1):
        workshop = library.load(summary.id)
        if filters.matches(summary, workshop.tags):
            workshops.append(workshop)
        if progress is not None:
            progress(done, len(candidates))
    if filters.latest_only:  # among the workshops that passed the other filters
        workshops = latest_of(workshops)
    if not workshops:
        raise NothingToCompare(_nothing_matches(filters, ids))
    comparison = compare(workshops)
    loaded = {workshop.id: workshop for workshop in workshops}
    earlier: dict[str, Workshop] = {}
    for team in comparison.teams:
        previous_id = loaded[team.workshop_id].reassesses
        if previous_id and (previous_id in loaded or library.exists(previous_id)):
            earlier[team.workshop_id] = loaded.get(previous_id) or library.load(previous_id)
    return RollUp(comparison, tuple(workshops), filters, earlier)


def _nothing_matches(filters: Filters, ids: Sequence[str] | None) -> str:
    from opassess.rollup import Filters, compared_words

    asked = compared_words(filters)
    if ids is not None:
        asked = f"the workshops chosen, among {asked}"
    if asked in ("every workshop in the library", compared_words(Filters())):
        return "The library has no workshops to compare yet."
    return f"No workshop matches: {asked}. Widen the filters and try again."


RollUpExportName = Literal["rollup-workbook", "rollup-report"]
RollUpWriter = Callable[["RollUp", Path], object]


@dataclass(frozen=True)
class RollUpExportKind:
    name: RollUpExportName
    title: str  # what a save dialog or a progress note calls it
    noun: str  # what a sentence calls it once it is named
    suffix: str
    file_filter: str  # for a save dialog
    write: RollUpWriter

    def file_name(self, rollup: RollUp) -> str:
        """A file name to suggest: 'Teams compared - Performance breakthroughs.xlsx'."""
        from opassess.files import safe_file_stem

        return safe_file_stem(f"Teams compared - {rollup.comparison.framework.name}") + self.suffix


def _write_rollup_workbook(rollup: RollUp, path: Path) -> None:
    from opassess.export.rollup_xlsx import write_rollup_workbook

    write_rollup_workbook(rollup.comparison, rollup.workshops, path, filters=rollup.filters)


def _write_rollup_report(rollup: RollUp, path: Path) -> None:
    from opassess.export.rollup_pdf import write_rollup_report

    write_rollup_report(
        rollup.comparison,
        rollup.workshops,
        path,
        filters=rollup.filters,
        earlier=rollup.earlier,
    )


ROLLUP_EXPORTS: dict[RollUpExportName, RollUpExportKind] = {
    kind.name: kind
    for kind in (
        RollUpExportKind(
            "rollup-workbook",
            "roll-up Excel workbook",
            "roll-up workbook",
            ".xlsx",
            "Excel workbook (*.xlsx)",
            _write_rollup_workbook,
        ),
        RollUpExportKind(
            "rollup-report",
            "roll-up PDF report",
            "roll-up report",
            ".pdf",
            _PDF_FILTER,
            _write_rollup_report,
        ),
    )
}


def export_rollup(name: RollUpExportName, rollup: RollUp, target: Path) -> object:
    """Write the compared teams as roll-up export `name` to the file `target`, atomically: a
    failure (ExportError) leaves what was there before."""
    return ROLLUP_EXPORTS[name].write(rollup, target)


# -- imports ------------------------------------------------------------------------------------


def import_session(
    library: WorkshopLibrary, path: Path, choose: ChooseOnConflict
) -> ImportResult | None:
    """Bring a session file's workshop into `library`, all or nothing.

    When the workshop is already there, `choose` decides: replace it, keep both, or None to
    leave this file out (then None is returned). `choose` may raise instead, as the command
    line does when no choice was given.
    """
    from opassess.interchange import WorkshopExists, import_session_file

    try:
        return import_session_file(library, path)
    except WorkshopExists as exists:
        choice = choose(exists)
        if choice is None:
            return None
        return import_session_file(library, path, on_conflict=choice)


@dataclass(frozen=True)
class RatingFormsRead:
    """Filled-in spreadsheet forms, read and checked, ready to apply as one edit."""

    forms: list[FormAnswers]

    @property
    def answers(self) -> int:
        return sum(len(form.answers) for form in self.forms)

    def apply_to(self, workshop: Workshop) -> Workshop:
        from opassess.export.rating_forms import apply_rating_forms

        return apply_rating_forms(workshop, self.forms)

    def outcome(self, changed: bool, workshop: Workshop | None = None) -> str:
        """What the import did, in one sentence, naming whose forms they were."""
        count = len(self.forms)
        forms = f"{count} form{'' if count == 1 else 's'}"
        if workshop is not None:
            names = workshop.display_names()
            whose = ", ".join(names.get(form.participant_id, "?") for form in self.forms[:6])
            forms += f" ({whose}{', …' if count > 6 else ''})"
        hold = "holds" if count == 1 else "hold"
        if not self.answers:
            return f"The {forms} {hold} no ratings yet: nothing was taken."
        if not changed:
            return f"The {forms} {hold} the ratings already here: nothing changed."
        ratings = f"{self.answers} rating{'' if self.answers == 1 else 's'}"
        return f"Took {ratings} from {forms}."


def read_rating_forms(workshop: Workshop, paths: Sequence[Path]) -> RatingFormsRead:
    """Read filled-in forms for `workshop`; ExportError names every problem, and then nothing
    is applied."""
    from opassess.export.rating_forms import read_rating_forms as read_forms

    return RatingFormsRead(read_forms(workshop, list(paths)))


# -- the library at a glance --------------------------------------------------------------------


def is_due(summary: _Due, today: date) -> bool:
    """True when a workshop's re-assessment date has come and no re-assessment has started."""
    return (
        summary.reassess_on is not None and summary.reassess_on <= today and not summary.reassessed
    )


# -- failures -----------------------------------------------------------------------------------


def user_message(exc: BaseException, verb: Literal["read", "write"] = "write") -> str | None:
    """What to tell a person about `exc`, a problem they can act on; None for a bug.

    The messages of the core's own errors already say what happened and what to do. A file
    system error becomes a plain reason with the file's name, never a path or an errno.
    """
    from opassess.export import ExportError
    from opassess.frameworks import FrameworkError
    from opassess.interchange import SessionFileError
    from opassess.store import LibraryError
    from opassess.workshop import WorkshopError

    explained = (
        ExportError,
        FrameworkError,
        SessionFileError,
        LibraryError,
        WorkshopError,
        NothingToCompare,
    )
    if isinstance(exc, explained):
        return str(exc)
    if isinstance(exc, OSError):
        from opassess.files import plain_os_reason

        name = f" {Path(exc.filename).name}" if exc.filename else " the file"
        return f"Could not {verb}{name}: {plain_os_reason(exc, verb)}"
    return None
