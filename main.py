"""OpAssess: the desktop application by default, headless subcommands otherwise."""

from __future__ import annotations

import sys
from pathlib import Path


def _launch_gui(data_dir: Path, smoke_test: bool) -> int:
    from ui.app import run

    return run(data_dir, smoke_test=smoke_test)


def main(argv: list[str] | None = None) -> int:
    from opassess.cli import main as cli_main

    return cli_main(sys.argv[1:] if argv is None else argv, launch_gui=_launch_gui)


if __name__ == "__main__":
    sys.exit(main())
