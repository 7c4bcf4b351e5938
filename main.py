"""OpAssess: the desktop application by default, headless subcommands otherwise."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from ui.launcher import main as run

    return run(argv)


if __name__ == "__main__":
    sys.exit(main())
