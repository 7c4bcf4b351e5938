"""OpAssess: the desktop application by default, headless subcommands otherwise."""

from __future__ import annotations

import sys
from pathlib import Path


def _launch_gui(data_dir: Path, smoke_test: bool) -> int:
    # The library's code first: once PySide6 is loaded it reads the source of each module an
    # import names (looking for its __feature__ switches); the modules the library imports for
    # itself (sqlite3, json, datetime and theirs) then escape that cost.
    import opassess.logs
    import opassess.store  # noqa: F401
    from ui.app import run

    return run(data_dir, smoke_test=smoke_test)


def main(argv: list[str] | None = None) -> int:
    from opassess.cli import main as cli_main

    return cli_main(sys.argv[1:] if argv is None else argv, launch_gui=_launch_gui)


if __name__ == "__main__":
    sys.exit(main())
