"""Core tests run as if Qt were not installed: importing it from here fails loudly."""

from __future__ import annotations

import importlib.abc
import sys
from datetime import date

import pytest

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


@pytest.fixture(autouse=True, scope="session")
def no_qt_in_the_core():
    already = [name for name in sys.modules if name.split(".")[0] in _FORBIDDEN]
    assert not already, f"Qt was imported before the core tests ran: {already[:3]}"
    blocker = _NoQt()
    sys.meta_path.insert(0, blocker)
    yield
    sys.meta_path.remove(blocker)


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
