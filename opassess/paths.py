"""Where the application's bundled resources and the user's data live."""

from __future__ import annotations

import os
import sys
from importlib.util import find_spec
from pathlib import Path

DATA_DIR_ENV = "OPASSESS_DATA_DIR"


_CHECKOUT_RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def resources_dir() -> Path:
    """The bundled resources folder: in a frozen build, an installed package or a checkout."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    # Installed (wheel or editable), the folder is the package opassess.resources. Its spec says
    # where it is without importing importlib.resources (some 8 ms of a cold start); resources
    # are plain files on disk in every way this package is installed.
    try:
        spec = find_spec("opassess.resources")
    except ModuleNotFoundError:
        spec = None
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    # Run from a checkout that was never installed: the folder beside the package.
    return _CHECKOUT_RESOURCES


def default_data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The library folder: an explicit override, then $OPASSESS_DATA_DIR, then platformdirs."""
    if override:
        return Path(override).expanduser()
    from_env = os.environ.get(DATA_DIR_ENV)
    if from_env:
        return Path(from_env).expanduser()
    # Imported here: only the paths that need the user folder pay for it.
    from platformdirs import user_data_dir

    return Path(user_data_dir("OpAssess", appauthor=False, roaming=True))
