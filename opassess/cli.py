"""Headless subcommands: `main.py demo|frameworks|import|list|export|backups|restore ...`.

Exit codes: 0 success; 2 a problem the user can act on, with a one-line reason on stderr;
1 an unexpected failure. A user's mistake never prints a traceback.

Every subcommand's parser and its function sit here (past 700 lines) so the command line reads as
one list; each command is a few lines over the use cases in opassess.services and its neighbours.
"""

from __future__ import annotations

import argparse
import queue
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from opassess import __version__
from opassess.paths import default_data_dir

if TYPE_CHECKING:
    from datetime import date, datetime

    from opassess.frameworks import Framework
    from opassess.gathering import GatherChoice
    from opassess.interchange import WorkshopExists
    from opassess.room import Room
    from opassess.room_console import StopRequests
    from opassess.room_server import RoomServer
    from opassess.services import ConflictChoice, ExportName, RollUp, RollUpExportName
    from opassess.store import Library, WorkshopSummary
    from opassess.workshop import Workshop

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2
GuiLauncher = Callable[[Path, bool], int]
MAX_DEMO_PARTICIPANTS = 200


class UserError(Exception):
    """A problem the user can act on; its message is printed as one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line and exit 2, as for every other user error
        self.exit(EXIT_USAGE, f"{self.prog}: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="opassess",
        description="Facilitated self-assessment workshops on the breakthrough model. "
        "With no command, the desktop application opens.",
    )
    parser.add_argument("--version", action="version", version=f"OpAssess {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="the library folder (default: $OPASSESS_DATA_DIR, else your user data folder)",
    )
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="open the main window with the demo workshop, visit every screen, then exit",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    demo = commands.add_parser("demo", help="write a realistic demo workshop")
    demo.add_argument("--out", metavar="FILE", help="write it as a session file (.opassess)")
    demo.add_argument("--add", action="store_true", help="add it to the library")
    demo.add_argument(
        "--participants",
        type=int,
        default=8,
        metavar="N",
        help=f"team size, 1 to {MAX_DEMO_PARTICIPANTS} (default 8)",
    )
    demo.add_argument("--seed", type=int, default=2002, help="vary the generated ratings")
    demo.add_argument(
        "--teams",
        type=int,
        metavar="N",
        help="instead, N teams of one organisation, each assessed --rounds times "
        "(with --add, or --out FOLDER for a session file each)",
    )
    demo.add_argument(
        "--rounds", type=int, default=2, metavar="R", help="with --teams: assessments a team"
    )
    demo.add_argument(
        "--framework",
        metavar="ID",
        help="a framework's id, or its name (default: the breakthrough model); see `frameworks`",
    )

    frameworks = commands.add_parser(
        "frameworks", help="list the frameworks, or import or export a framework file"
    )
    framework_files = frameworks.add_mutually_exclusive_group()
    framework_files.add_argument(
        "--export",
        nargs=2,
        metavar=("FRAMEWORK", "FILE"),
        help="write a framework (id or name) to a framework file (.json)",
    )
    framework_files.add_argument(
        "--import",
        dest="import_file",
        metavar="FILE",
        help="add a framework file to your own frameworks (all or nothing)",
    )
    frameworks.add_argument(
        "--replace",
        action="store_true",
        help="with --import: replace your framework that has the same id",
    )

    importer = commands.add_parser(
        "import", help="add session files to the library (files, or folders of them)"
    )
    importer.add_argument(
        "files",
        metavar="FILE_OR_FOLDER",
        nargs="+",
        help="session files, or folders whose session files (sub-folders too) are gathered",
    )
    conflict = importer.add_mutually_exclusive_group()
    conflict.add_argument(
        "--replace", action="store_true", help="if the workshop is already there, replace it"
    )
    conflict.add_argument(
        "--keep-both", action="store_true", help="if the workshop is already there, keep both"
    )

    lister = commands.add_parser("list", help="list the workshops in the library")
    lister.add_argument(
        "--search",
        default="",
        help="only those whose title, organisation or team contains this text",
    )

    exporter = commands.add_parser("export", help="export a workshop")
    exporter.add_argument(
        "workshop",
        metavar="WORKSHOP_OR_FILE",
        help="a workshop in the library (its id, the first characters of it, or its title), "
        "or a session file",
    )
    exporter.add_argument("--json", metavar="PATH", help="write a session file (.opassess)")
    exporter.add_argument("--xlsx", metavar="PATH", help="write the Excel workbook")
    exporter.add_argument("--pdf", metavar="PATH", help="write the PDF report")

    forms = commands.add_parser("forms", help="write rating forms for people to fill in")
    forms.add_argument("workshop", metavar="WORKSHOP_OR_FILE")
    forms.add_argument("--pdf", metavar="PATH", help="printable paper forms, one per participant")
    forms.add_argument(
        "--xlsx", metavar="DIR", help="a spreadsheet form per participant, into this folder"
    )
    existing = forms.add_mutually_exclusive_group()
    existing.add_argument(
        "--missing-only",
        action="store_true",
        help="with --xlsx: leave forms already in the folder (perhaps filled in) as they are",
    )
    existing.add_argument(
        "--replace",
        action="store_true",
        help="with --xlsx: write over forms already in the folder, filled in or not",
    )

    ratings = commands.add_parser(
        "import-ratings", help="take filled-in spreadsheet forms into a workshop (all or nothing)"
    )
    ratings.add_argument("workshop", metavar="WORKSHOP", help="a workshop in the library")
    ratings.add_argument("files", metavar="FILE", nargs="+")

    guide = commands.add_parser("guide", help="save the facilitator's guide")
    guide.add_argument("--pdf", metavar="PATH", required=True, help="write it as a PDF")

    room = commands.add_parser(
        "room", help="open a room: everyone rates a workshop from their own phone"
    )
    room.add_argument("workshop", metavar="WORKSHOP", help="a workshop in the library")
    room.add_argument(
        "--bind",
        metavar="ADDRESS",
        required=True,
        help="this computer's address on the room's network (127.0.0.1 for a trial)",
    )
    room.add_argument("--port", type=int, default=0, help="a port (default: any free one)")

    comparer = commands.add_parser(
        "compare",
        help="compare teams: each team's agreed stages side by side, with where they differ",
    )
    comparer.add_argument(
        "--organisation", default="", help="only workshops whose organisation contains this"
    )
    comparer.add_argument("--team", default="", help="only workshops whose team contains this")
    comparer.add_argument(
        "--from",
        dest="held_from",
        type=_typed_date,
        metavar="DATE",
        help="only workshops held on or after this date: 31/03/2027, 31 Mar 2027, 2027-03-31, t",
    )
    comparer.add_argument(
        "--to",
        dest="held_to",
        type=_typed_date,
        metavar="DATE",
        help="only workshops held on or before this date, written the same ways",
    )
    comparer.add_argument("--tag", default="", help="only workshops with this tag")
    latest = comparer.add_mutually_exclusive_group()
    latest.add_argument(
        "--latest",
        dest="latest",
        action="store_true",
        default=True,  # Filters().latest_only, unimported here to keep start-up light
        help="only each team's latest workshop, leaving out those a re-assessment followed "
        "(the default, as in the window)",
    )
    latest.add_argument(
        "--all",
        dest="latest",
        action="store_false",
        help="every workshop, a team assessed twice counted twice",
    )
    comparer.add_argument("--xlsx", metavar="PATH", help="write the roll-up Excel workbook")
    comparer.add_argument("--pdf", metavar="PATH", help="write the roll-up PDF report")

    listing = commands.add_parser("backups", help="list the library's backups, newest first")
    listing.add_argument(
        "--dismiss",
        action="store_true",
        help="stop offering the backups from before a damage (they are kept, in a folder of "
        "their own)",
    )
    restore = commands.add_parser(
        "restore",
        help="put a backup in place of the library (a library already there is kept aside)",
    )
    restore.add_argument(
        "backup", metavar="BACKUP", help="a backup file listed by `backups`, or its name"
    )
    return parser


def main(argv: Sequence[str] | None = None, launch_gui: GuiLauncher | None = None) -> int:
    """Run a subcommand, or with none hand over to `launch_gui` (main.py passes the Qt app in,
    so the core never imports it)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if launch_gui is not None and (plain := _plain_gui_launch(argv)) is not None:
        return launch_gui(default_data_dir(plain[0]), plain[1])
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        if launch_gui is None:
            return _fail("the desktop application starts from main.py; name a command here.")
        return launch_gui(default_data_dir(args.data_dir), args.smoke_test)
    try:
        code = _COMMANDS[args.command](args)
        sys.stdout.flush()  # a reader gone shows here, not as a complaint at exit
        return code
    except BrokenPipeError:
        # the reader went away (`compare | head`): what it wanted it has; nothing went wrong.
        # Python would complain again at exit while flushing, so stdout goes nowhere now.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except UserError as exc:
        return _fail(str(exc))
    except Exception as exc:
        from opassess.services import user_message

        message = user_message(exc)
        if message is None:
            raise
        return _fail(" ".join(message.split("\n")))


def _plain_gui_launch(argv: Sequence[str]) -> tuple[str | None, bool] | None:
    """(data dir, smoke test) when `argv` only opens the window, else None for the full parser.

    Building the parser with every subcommand costs about 10 ms, a noticeable share of the
    window's start-up; the plain launch, by far the most common, needs none of it. Anything
    else, abbreviations and mistakes included, goes to argparse, which decides as it always has.
    """
    data_dir: str | None = None
    smoke_test = False
    words = iter(argv)
    for word in words:
        if word == "--smoke-test":
            smoke_test = True
        elif word.startswith("--data-dir="):
            data_dir = word.partition("=")[2]
        elif word == "--data-dir":
            data_dir = next(words, None)
            if data_dir is None or data_dir.startswith("-"):
                return None
        else:
            return None
    return data_dir, smoke_test


def _fail(message: str) -> int:
    print(f"opassess: {message}", file=sys.stderr)
    return EXIT_USAGE


def _library(args: argparse.Namespace) -> Library:
    from opassess.store import Library

    return Library.open(default_data_dir(args.data_dir))


def _command_demo(args: argparse.Namespace) -> int:
    from opassess.demo import demo_workshop
    from opassess.interchange import write_session_file

    if not 1 <= args.participants <= MAX_DEMO_PARTICIPANTS:
        raise UserError(f"--participants must be between 1 and {MAX_DEMO_PARTICIPANTS}.")
    if not args.out and not args.add:
        raise UserError("say where the demo goes: --out FILE, --add, or both.")
    if args.teams is not None:
        return _demo_teams(args)
    framework = None
    if args.framework:
        with _library(args) as library:
            framework = _find_framework(library, args.framework)
    workshop = demo_workshop(participants=args.participants, seed=args.seed, framework=framework)
    if args.out:
        write_session_file(workshop, Path(args.out))
        print(f"Wrote the demo workshop “{workshop.title}” to {args.out}")
    if args.add:
        with _library(args) as library:
            library.add(workshop)
        print(f"Added the demo workshop “{workshop.title}” ({workshop.id}) to the library")
    return EXIT_OK


def _demo_teams(args: argparse.Namespace) -> int:
    from opassess.demo import demo_organisation
    from opassess.files import safe_file_stem
    from opassess.interchange import write_session_file

    try:
        workshops = demo_organisation(args.teams, seed=args.seed, rounds=args.rounds)
    except ValueError as exc:
        raise UserError(f"{exc}.") from exc
    if args.out:
        folder = Path(args.out)
        folder.mkdir(parents=True, exist_ok=True)
        for workshop in workshops:
            name = f"{safe_file_stem(workshop.title)} {workshop.id[:8]}.opassess"
            write_session_file(workshop, folder / name)
        print(f"Wrote {len(workshops)} demo workshops to {folder}")
    if args.add:
        with _library(args) as library:
            library.add_many(workshops)
        print(f"Added {len(workshops)} demo workshops of {args.teams} teams to the library")
    return EXIT_OK


def _find_framework(library: Library, reference: str) -> Framework:
    """A framework by its id, or its exact name (any case), built-in or the team's own."""
    from opassess.framework_library import available_frameworks

    entries = available_frameworks(library)
    for entry in entries:
        if reference == entry.framework.id or reference.casefold() in (
            entry.framework.name.casefold(),
            entry.framework.title.casefold(),
        ):
            return entry.framework
    known = ", ".join(entry.framework.id for entry in entries)
    raise UserError(f"no framework {reference!r}; the frameworks are: {known}.")


def _command_frameworks(args: argparse.Namespace) -> int:
    from opassess.framework_library import (
        FrameworkExists,
        available_frameworks,
        export_framework_file,
        import_framework_file,
    )

    with _library(args) as library:
        if args.export:
            reference, target = args.export
            framework = _find_framework(library, reference)
            export_framework_file(framework, Path(target))
            print(f"Wrote the framework “{framework.title}” to {target}")
            return EXIT_OK
        if args.import_file:
            try:
                imported = import_framework_file(
                    library, Path(args.import_file), replace_existing=args.replace
                )
            except FrameworkExists as exists:
                raise UserError(f"{exists} Add --replace to replace it.") from exists
            print(f"Imported the framework “{imported.title}” ({imported.id})")
            return EXIT_OK
        if args.replace:
            raise UserError("--replace goes with --import FILE.")
        for entry in available_frameworks(library):
            framework = entry.framework
            kind = "built-in" if entry.builtin else "own"
            stages = ", ".join(level.name for level in framework.levels)
            print(
                f"{framework.id}\t{framework.title}\t{kind}\t"
                f"{len(framework.dimensions)} {framework.terms.dimensions}\t{stages}"
            )
    return EXIT_OK


def _command_import(args: argparse.Namespace) -> int:
    from opassess.gathering import session_files

    paths = session_files(args.files)
    if len(paths) == 1 and not Path(args.files[0]).is_dir():
        return _import_one(args, paths[0])
    return _gather(args, paths)


def _import_one(args: argparse.Namespace, path: Path) -> int:
    from opassess.services import import_session

    choice: ConflictChoice | None = (
        "replace" if args.replace else "keep-both" if args.keep_both else None
    )

    def choose(exists: WorkshopExists) -> ConflictChoice:
        if choice is None:
            raise exists  # its message says to add --replace or --keep-both
        return choice

    with _library(args) as library:
        result = import_session(library, path, choose)
    assert result is not None  # `choose` never leaves the file out
    done = {"added": "Added", "replaced": "Replaced", "kept-both": "Kept both: added"}
    print(f"{done[result.action]} “{result.title}” ({result.workshop_id})")
    return EXIT_OK


def _gather(args: argparse.Namespace, paths: list[Path]) -> int:
    """Many files at once: each all or nothing, a summary of what each did. Workshops already
    here but different keep the library's version unless --replace or --keep-both."""
    from opassess.gathering import gather, plan_gathering

    with _library(args) as library:
        plan = plan_gathering(library, paths)
        choice: GatherChoice = (
            "replace" if args.replace else "keep-both" if args.keep_both else "keep-library"
        )
        summary = gather(library, plan, choice)
    print(f"Read {plan.files} session file{'' if plan.files == 1 else 's'}:")
    for line in summary.lines():
        print(f"  {line}")
    if summary.kept_library:
        print("  (add --replace or --keep-both to take the files' versions of those)")
    return EXIT_OK if not summary.left_out else EXIT_USAGE


def _command_list(args: argparse.Namespace) -> int:
    from datetime import date

    with _library(args) as library:
        summaries = library.list_workshops(args.search)
    if not summaries:
        print("No workshops match." if args.search else "The library is empty.")
        return EXIT_OK
    from opassess.services import is_due
    from opassess.wording import format_date

    today = date.today()
    for s in summaries:
        # "25 September 2026" is the longest a date reads: the titles after it line up.
        held = format_date(s.held_on, "no date").ljust(17)
        due = "  re-assessment due" if is_due(s, today) else ""
        where = " / ".join(x for x in (s.organisation, s.team) if x)
        print(f"{s.id[:8]}  {held}  {s.title}  [{where}]  {s.participant_count} people{due}")
    return EXIT_OK


def _command_export(args: argparse.Namespace) -> int:
    from opassess.services import EXPORTS, ExportOptions, export

    wanted = [(name, path) for name, path in _requested_exports(args) if path]
    if not wanted:
        raise UserError("say what to write: --json PATH, --xlsx PATH, --pdf PATH (one or more).")
    workshop = _find_workshop(args, args.workshop)
    needs_earlier = any(EXPORTS[name].needs_earlier for name, _path in wanted)
    options = ExportOptions(earlier=_earlier_workshop(args, workshop) if needs_earlier else None)
    for name, path in wanted:
        export(name, workshop, Path(path), options)
        print(f"Wrote the {EXPORTS[name].noun} {path}")
    return EXIT_OK


def _requested_exports(args: argparse.Namespace) -> list[tuple[ExportName, str | None]]:
    return [("session", args.json), ("workbook", args.xlsx), ("report", args.pdf)]


def _command_guide(args: argparse.Namespace) -> int:
    from opassess.export.guide_pdf import write_guide_pdf

    write_guide_pdf(Path(args.pdf))
    print(f"Wrote the facilitator's guide {args.pdf}")
    return EXIT_OK


def _command_forms(args: argparse.Namespace) -> int:
    from opassess.services import ExportOptions, export, forms_already_there

    if not (args.pdf or args.xlsx):
        raise UserError("say what to write: --pdf PATH, --xlsx DIR, or both.")
    workshop = _find_workshop(args, args.workshop)
    if args.pdf:
        export("paper-forms", workshop, Path(args.pdf))
        print(f"Wrote {len(workshop.participants)} paper forms to {args.pdf}")
    if args.xlsx:
        folder = Path(args.xlsx)
        if folder.exists() and not folder.is_dir():
            raise UserError(f"{folder} is a file: give a folder for the spreadsheet forms.")
        if any(parent.is_file() for parent in folder.parents):
            # said the same everywhere: Windows would report "already exists" for this
            raise UserError(
                f"could not make the folder {folder}: part of the path is not a folder."
            )
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            from opassess.files import plain_os_reason

            raise UserError(
                f"could not make the folder {folder}: {plain_os_reason(exc, 'write')}"
            ) from exc
        there = forms_already_there(workshop, folder)
        if there and not (args.missing_only or args.replace):
            count = len(there)
            raise UserError(
                f"{count} of these forms {'is' if count == 1 else 'are'} already in {folder}, "
                "perhaps filled in: add --missing-only to write only the others, or --replace "
                "to write over them."
            )
        written = export(
            "spreadsheet-forms", workshop, folder, ExportOptions(keep_existing=args.missing_only)
        )
        print(f"Wrote {len(written)} spreadsheet forms to {folder}")  # type: ignore[arg-type]
    return EXIT_OK


def _command_import_ratings(args: argparse.Namespace) -> int:
    from opassess.services import RATING_FORMS_EDIT, read_rating_forms
    from opassess.session import EditSession

    with _library(args) as library:
        summary = _find_summary(library, args.workshop)
        session = EditSession.open(library, summary.id)
        forms = read_rating_forms(session.workshop, [Path(f) for f in args.files])
        change = session.apply(RATING_FORMS_EDIT, forms.apply_to)
    print(f"{forms.outcome(bool(change), session.workshop).rstrip('.')} into “{summary.title}”")
    return EXIT_OK


def _find_workshop(args: argparse.Namespace, reference: str) -> Workshop:
    """A session file path, or a library workshop by id, id prefix or title."""
    from opassess.interchange import read_session_file

    path = Path(reference)
    if path.is_file():
        return read_session_file(path)
    with _library(args) as library:
        return library.load(_find_summary(library, reference, or_file=True).id)


def _earlier_workshop(args: argparse.Namespace, workshop: Workshop) -> Workshop | None:
    """The workshop `workshop` re-assesses, when the library has it (for the movement)."""
    from opassess.services import earlier_workshop
    from opassess.store import LIBRARY_FILE, LibraryError

    if not workshop.reassesses:
        return None
    if not (default_data_dir(args.data_dir) / LIBRARY_FILE).is_file():
        return None  # no library to look in; none is made for the asking
    try:
        with _library(args) as library:
            return earlier_workshop(library, workshop)
    except LibraryError as problem:
        print(f"Without the movement since last time: {problem}", file=sys.stderr)
    return None


def _find_summary(library: Library, reference: str, or_file: bool = False) -> WorkshopSummary:
    """A library workshop by id, id prefix (4 characters or more) or exact title."""
    summaries = library.list_workshops()
    by_id = [s for s in summaries if s.id == reference]
    if not by_id and len(reference) >= 4:
        by_id = [s for s in summaries if s.id.startswith(reference)]
    matches = by_id or [s for s in summaries if s.title.casefold() == reference.casefold()]
    if not matches:
        what = "session file or workshop" if or_file else "workshop"
        raise UserError(f"no {what} called {reference!r} (see `list`).")
    if len(matches) > 1:
        ids = ", ".join(s.id[:8] for s in matches[:5])
        raise UserError(f"{reference!r} matches {len(matches)} workshops ({ids}); use an id.")
    return matches[0]


def _typed_date(text: str) -> date:
    """A date typed as in the window's date fields (opassess.dates.parse_date), day first."""
    from opassess.dates import DATE_FORMS, DateError, parse_date

    try:
        day = parse_date(text)
    except DateError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    if day is None:
        raise argparse.ArgumentTypeError(f"give a date: {DATE_FORMS}")
    return day


def _command_compare(args: argparse.Namespace) -> int:
    """Compare the library's teams; without --xlsx or --pdf, print each team's agreed stages."""
    from opassess.rollup import Filters
    from opassess.services import ROLLUP_EXPORTS, export_rollup, load_comparison

    if args.held_from and args.held_to and args.held_from > args.held_to:
        raise UserError("--from is after --to: no workshop can be held in between.")
    filters = Filters(
        organisation=args.organisation.strip(),
        team=args.team.strip(),
        held_from=args.held_from,
        held_to=args.held_to,
        tag=args.tag.strip(),
        latest_only=args.latest,
    )
    with _library(args) as library:
        rollup = load_comparison(library, filters)
    requested: list[tuple[RollUpExportName, str | None]] = [
        ("rollup-workbook", args.xlsx),
        ("rollup-report", args.pdf),
    ]
    wanted = [(name, path) for name, path in requested if path]
    for name, path in wanted:
        export_rollup(name, rollup, Path(path))
        print(f"Wrote the {ROLLUP_EXPORTS[name].noun} {path}")
    if not wanted:
        _print_comparison(rollup)
    return EXIT_OK


def _print_comparison(rollup: RollUp) -> None:
    """The heatmap as text: each team, then each dimension's agreed stage; then the notes."""
    from datetime import date

    from opassess.rollup import held_range, note_lines, team_names, teams_words
    from opassess.wording import format_date

    comparison = rollup.comparison
    framework = comparison.framework
    names = team_names(comparison)
    print(f"{teams_words(comparison)} on {framework.title}, held {held_range(comparison)}")
    width = max((len(name) for _, name in comparison.dimensions), default=0)
    for team in comparison.teams:
        where = " / ".join(x for x in (team.organisation, format_date(team.held_on)) if x)
        print()
        print(f"{names[team.workshop_id]}  [{where}]" if where else names[team.workshop_id])
        for dimension_id, name in comparison.dimensions:
            stage = team.stage_names.get(dimension_id) or "not agreed"
            print(f"  {name.ljust(width)}  {stage}")
    print()
    print("Notes:")
    for line in note_lines(comparison, rollup.filters, date.today()):
        print(f"- {line}")


def _command_backups(args: argparse.Namespace) -> int:
    from opassess.store import backups, dismiss_recovery, kept_backups, recovery_offer

    data_dir = default_data_dir(args.data_dir)
    if args.dismiss:
        folder = dismiss_recovery(data_dir)
        if folder is None:
            print("Nothing was being offered.")
        else:
            print(f"The backups from before the damage are no longer offered; kept in {folder}")
        return EXIT_OK
    offer = recovery_offer(data_dir)
    offered = set(offer.backups) if offer else set()
    current = [path for path in backups(data_dir) if path not in offered]
    kept = kept_backups(data_dir)
    if offer is None and not kept:
        if not current:
            print("No backups yet.")
        for path in current:
            print(path)
        return EXIT_OK
    if offer is not None:
        set_aside = ", ".join(path.name for path in offer.set_aside)
        print(
            f"Backups from before the library was found damaged on {_when(offer.found_at)} "
            f"(set aside as {set_aside}):"
        )
        for path in offer.backups:
            print(f"  {path}")
        print(
            "  Offered at every start until you restore one (restore BACKUP) or dismiss them "
            "(backups --dismiss)."
        )
    print("Backups of the current library:" if current else "No backups of the current library.")
    for path in current:
        print(f"  {path}")
    if kept:
        print("Kept from before a damage (no longer offered):")
        for path in kept:
            print(f"  {path}")
    return EXIT_OK


def _when(moment: datetime) -> str:
    from opassess.wording import format_date

    local = moment.astimezone()
    return f"{format_date(local.date())} at {local:%H:%M}"


def _command_restore(args: argparse.Namespace) -> int:
    from opassess.store import BACKUP_DIR, restore_backup

    data_dir = default_data_dir(args.data_dir)
    backup = Path(args.backup)
    listed = data_dir / BACKUP_DIR / backup.name
    if not backup.exists() and backup.name == args.backup and listed.exists():
        backup = listed  # a name as `backups` lists it
    kept = restore_backup(data_dir, backup)
    print(f"Restored {backup.name} as the library in {data_dir}")
    if kept is not None:
        print(f"The library that was there is kept as {kept.name}")
    return EXIT_OK


def _command_room(args: argparse.Namespace) -> int:
    """Serve a room from this terminal until "quit", Ctrl+C or a request to stop (SIGTERM, or
    on Windows Ctrl+Break or the console closing), printing who joins and submits."""
    from opassess.room_console import StopRequests

    if not 0 <= args.port <= 65535:
        raise UserError("--port must be between 0 and 65535.")
    stop = StopRequests.install()
    try:
        _serve_room(args, stop)
    finally:
        stop.finished()  # the library is closed: a closing console may end the process now
    return EXIT_OK


def _serve_room(args: argparse.Namespace, stop: StopRequests) -> None:
    from opassess.room import OwnerThread, Room, network_advice, recorder
    from opassess.room_console import help_lines, progress_line, run_command
    from opassess.room_server import RoomServer
    from opassess.session import EditSession

    with _library(args) as library:
        summary = _find_summary(library, args.workshop)
        session = EditSession.open(library, summary.id)
        if not session.workshop.participants:
            raise UserError(f"“{summary.title}” has no participants yet: add the team first.")
        owner = OwnerThread()
        room = Room(lambda: session.workshop, recorder(owner, session.apply))
        try:
            server = RoomServer(room, args.bind, args.port)
        except OSError as exc:
            raise UserError(
                f"cannot open the room on {args.bind}:{args.port} ({exc.strerror})."
            ) from None
        typed = _typed_lines()
        server.start()
        try:
            _print_room(server, room, network_advice(args.bind))
            print("\n".join(help_lines()), flush=True)
            shown = None
            pin = room.pin
            while not stop.requested.is_set():
                owner.run_pending(timeout=0.2)
                while not typed.empty():
                    answer = run_command(room, typed.get_nowait())
                    print("\n".join(answer.lines), flush=True)
                    if answer.close_room:
                        stop.requested.set()
                    if answer.pin_said:  # said by the command itself
                        pin = room.pin
                if room.pin != pin:  # changed by the room, after many wrong tries: every time
                    pin = room.pin
                    print(f"{room.alert}\nPIN {pin}", flush=True)
                now = progress_line(room, "Type “let in” to let them try again.")
                if now != shown:
                    print(now, flush=True)
                    shown = now
        except KeyboardInterrupt:
            pass
        finally:
            server.stop()
            owner.run_pending()  # anything a phone sent as the room closed is not left waiting
            print("Room closed.", flush=True)


def _typed_lines() -> queue.Queue[str]:
    """Lines typed in the terminal, read on a thread of their own so the room keeps serving;
    with no terminal (a service, a script) nothing is read and the room runs on."""
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        while True:
            try:
                line = sys.stdin.readline()
            except OSError:  # started in the background: nothing to read until brought forward
                time.sleep(1)
                continue
            except ValueError:
                return
            if not line:
                return
            lines.put(line)

    # A room started in the background (`&`) would be stopped by the terminal for reading it;
    # told to ignore that, a read fails instead, and is tried again.
    sigttin = getattr(signal, "SIGTTIN", None)
    if sigttin is not None:
        signal.signal(sigttin, signal.SIG_IGN)
    if sys.stdin is not None:
        threading.Thread(target=read, name="opassess-room-console", daemon=True).start()
    return lines


def _print_room(server: RoomServer, room: Room, tips: list[str]) -> None:
    import segno

    from opassess.room_console import codes_text

    segno.make(server.url, error="m").terminal(compact=True)
    print(f"Room open at {server.url}")
    print(f"PIN {room.pin}")
    if room.anonymous:
        print("One-person codes to hand out: " + codes_text(room))
    for tip in tips:
        print(f"- {tip}")
    print("Type quit (or press Ctrl+C) to close the room.", flush=True)


_COMMANDS = {
    "demo": _command_demo,
    "frameworks": _command_frameworks,
    "import": _command_import,
    "list": _command_list,
    "export": _command_export,
    "forms": _command_forms,
    "import-ratings": _command_import_ratings,
    "guide": _command_guide,
    "backups": _command_backups,
    "restore": _command_restore,
    "room": _command_room,
    "compare": _command_compare,
}


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
