"""The program's front door: headless subcommands, or the desktop application when none is named.

main.py at the top of a source checkout and the installed `opassess` command both come here.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path


def launch_gui(data_dir: Path, smoke_test: bool) -> int:
    """Open the desktop application on the library in `data_dir`."""
    # The library's code first: once PySide6 is loaded it reads the source of each module an
    # import names (looking for its __feature__ switches); the modules the library imports for
    # itself (sqlite3, json, datetime and theirs) then escape that cost.
    import opassess.logs
    import opassess.store  # noqa: F401
    from ui.app import run

    return run(data_dir, smoke_test=smoke_test)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line in `argv` (the process's own by default); the exit status."""
    from opassess.cli import main as cli_main

    return cli_main(sys.argv[1:] if argv is None else argv, launch_gui=launch_gui)
