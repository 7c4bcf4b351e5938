"""GUI tests: Qt's offscreen platform, a library in a temporary folder, the demo workshop."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from opassess.demo import demo_workshop
from opassess.session import EditSession
from opassess.store import Library


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/ui/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.gui)


@pytest.fixture
def library(tmp_path):
    with Library.open(tmp_path / "library") as opened:
        yield opened


@pytest.fixture
def demo(library):
    workshop = demo_workshop(participants=8)
    library.add(workshop)
    return workshop


@pytest.fixture
def controller(qtbot, library, demo):
    from ui.controller import WorkshopController

    confirmations: list[str] = []

    def confirm(message: str) -> bool:
        confirmations.append(message)
        return True

    made = WorkshopController(EditSession.open(library, demo.id), confirm=confirm)
    made.confirmations = confirmations  # what the user was asked, for assertions
    return made


@pytest.fixture(autouse=True)
def new_workshop_answers(monkeypatch):
    """The New workshop dialog answered without showing it: the breakthrough model, unless a
    test puts its own (title, framework) answers in this list first; None cancels."""
    answers: list = []

    def ask(entries, parent=None):
        return answers.pop(0) if answers else ("New workshop", entries[0].framework)

    monkeypatch.setattr("ui.new_workshop.ask_new_workshop", ask)
    return answers
