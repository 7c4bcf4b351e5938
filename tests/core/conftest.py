"""Core tests need no Qt.

The full suite loads pytest-qt (which imports Qt) for the GUI tests, so there the proof is made
in a child process: tests/test_architecture.py runs this folder with OPASSESS_BLOCK_QT=1, where
any import of Qt, or of ui/, fails before a single core module is loaded.
"""

from __future__ import annotations

import importlib.abc
import os
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from roomkit import OpenRoom, open_room_on

from opassess.frameworks import Framework, default_framework
from opassess.workshop import (
    Workshop,
    add_action,
    add_participant,
    agree_consensus,
    new_workshop,
    record_rating,
    set_target,
)

_FORBIDDEN = ("PySide6", "shiboken6", "pyqtgraph", "ui")


class _NoQt(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        if fullname.split(".")[0] in _FORBIDDEN:
            raise ImportError(f"the core must not import {fullname}")
        return None


if os.environ.get("OPASSESS_BLOCK_QT") == "1":
    _loaded = [name for name in sys.modules if name.split(".")[0] in _FORBIDDEN]
    assert not _loaded, f"Qt was loaded before the core tests: {_loaded[:3]}"
    sys.meta_path.insert(0, _NoQt())


@pytest.fixture(scope="session")
def framework() -> Framework:
    return default_framework()


@pytest.fixture
def workshop(framework: Framework) -> Workshop:
    """A small workshop with two participants, ratings, a consensus, a target and an action."""
    ws = new_workshop(
        framework,
        title="Leadership team self-assessment",
        organisation="Riverside Council",
        team="Corporate management team",
        held_on=date(2026, 3, 12),
        facilitator="Alex Morgan",
    )
    ws = add_participant(ws, "Priya Shah", "Chief Executive")
    ws = add_participant(ws, "Tomás Ó Briain", "Director of Finance")
    first, second = ws.participants
    barrier = framework.dimensions[0].id
    ws = record_rating(ws, first.id, barrier, "starting", "Performance is item 9 of 10 at CMT.")
    ws = record_rating(ws, second.id, barrier, "developing", "Quarterly reviews since April.")
    ws = agree_consensus(ws, barrier, "starting", "Reviews exist but nobody acts on them.")
    ws = set_target(ws, barrier, "developing")
    ws = add_action(
        ws,
        barrier,
        "Put performance first on every CMT agenda",
        responsible="Priya Shah",
        accountable="Priya Shah",
        due_on=date(2026, 6, 30),
    )
    return ws


@pytest.fixture
def run(tmp_path, capsys):
    """The command line as main.py calls it, on a library in a temporary folder:
    run("list") -> (exit code, what it printed, what it printed on stderr)."""
    from opassess.cli import main

    data_dir = tmp_path / "library"

    def invoke(*args: str) -> tuple[int, str, str]:
        code = main(["--data-dir", str(data_dir), *args])
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


@pytest.fixture
def open_room(tmp_path: Path) -> Iterator[OpenRoom]:
    """A room on loopback for a workshop of six named people, closed after the test."""
    opened = open_room_on(tmp_path)
    yield opened
    opened.close()
