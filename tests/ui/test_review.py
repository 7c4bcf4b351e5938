"""The Review step: the whole workshop on one page, movement since last time, session export."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox

from opassess.interchange import read_session_file
from opassess.services import EXPORTS
from opassess.session import EditSession
from opassess.wording import format_date
from opassess.workshop import (
    add_participant,
    agree_consensus,
    record_follow_up,
    start_reassessment,
    update_details,
)
from ui.controller import WorkshopController
from ui.operations import FileDialogs
from ui.settings import AppSettings
from ui.steps.review import ReviewPage


@pytest.fixture
def page(qtbot, controller, library, tmp_path):
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    made = ReviewPage(controller, load_previous=library.load)
    made.dialogs = FileDialogs(made, settings)
    qtbot.addWidget(made)
    made.resize(1280, 800)
    made.show()
    return made


@pytest.fixture
def messages(monkeypatch):
    """Message boxes, recorded instead of shown."""
    shown: list[tuple[str, str, str]] = []
    for kind in ("critical", "warning", "information"):
        monkeypatch.setattr(
            QMessageBox,
            kind,
            lambda _parent, title, text, *_a, kind=kind, **_k: shown.append((kind, title, text)),
        )
    return shown


def reassessment_controller(library, demo):
    """A controller on a new workshop that re-assesses the demo."""
    again = start_reassessment(demo)
    library.add(again)
    return WorkshopController(EditSession.open(library, again.id), confirm=lambda _m: True)


def test_the_page_shows_the_whole_workshop(page, demo):
    text = page.browser.toPlainText()
    assert demo.title in text
    assert demo.organisation in text and demo.team in text and demo.facilitator in text
    for participant in demo.participants:
        assert participant.name in text
        assert participant.role in text
    for dimension in demo.scoped_dimensions():
        assert dimension.name in text
        agreed = demo.consensus[dimension.id]
        assert agreed.rationale in text
        if agreed.dissent:
            assert agreed.dissent in text
        for action in demo.actions_for(dimension.id):
            assert action.text in text
            assert action.responsible in text
    assert "Not sure" in text and "Not rated" in text
    assert "Worth discussing" in text  # the demo has contested barriers
    assert "Look again by" in text
    assert "Movement since last time" not in text


def test_user_text_shows_literally_never_as_markup(page, controller):
    controller.apply("Add participant", add_participant, "<b>&Co</b>", "Guest <i>")
    controller.apply("Details", update_details, organisation="Smith & Sons <Ltd>")
    text = page.browser.toPlainText()
    assert "<b>&Co</b>" in text
    assert "Guest <i>" in text
    assert "Smith & Sons <Ltd>" in text
    generated = page.browser.toHtml()
    assert "&lt;b&gt;&amp;Co&lt;/b&gt;" in generated
    assert "<b>&Co</b>" not in generated


def test_a_reassessment_shows_movement_since_last_time(qtbot, library, demo):
    controller = reassessment_controller(library, demo)
    first = demo.scope[0]
    before = demo.consensus[first].stage
    later = demo.framework.level_ids[demo.framework.level_index(before) + 1]
    controller.apply("Agree", agree_consensus, first, later, "Visible progress since")
    page = ReviewPage(controller, load_previous=library.load)
    qtbot.addWidget(page)
    page.show()

    text = page.browser.toPlainText()
    assert "Movement since last time" in text
    assert f"Compared with “{demo.title}”" in text
    assert "forward one stage" in text
    assert "What became of last time's key actions" in text
    assert demo.actions_for(first)[0].text in text


def test_a_reassessment_shows_what_became_of_each_of_last_times_actions(qtbot, library, demo):
    controller = reassessment_controller(library, demo)
    earlier = [a for d in demo.scope for a in demo.actions_for(d)]
    done, partly, *rest = earlier
    controller.apply("Marked", record_follow_up, done.id, "done", "Signed off in March")
    controller.apply("Marked", record_follow_up, partly.id, "partly", "Two of <five> teams & more")
    page = ReviewPage(controller, load_previous=library.load)
    qtbot.addWidget(page)
    page.show()

    text = page.browser.toPlainText()
    assert "What became of last time's key actions" in text
    assert "as recorded then" not in text
    assert f"Of last time's {len(earlier)} actions: 1 done, 1 partly done; " in text
    assert f"{len(rest)} not marked yet" in text and "Mark the rest at the start of Setup" in text
    lines = text.splitlines()

    def line_after(action_text: str, *following: str) -> None:
        start = lines.index(action_text)
        assert lines[start + 1 : start + 1 + len(following)] == [*following]

    assert done.due_on is not None and partly.due_on is not None
    line_after(done.text, done.responsible, format_date(done.due_on), "Done", "Signed off in March")
    line_after(partly.text, partly.responsible)
    assert "Partly done" in text and "Two of <five> teams & more" in text
    assert text.count("Not marked yet") == len(rest)

    # Marked on Setup meanwhile: the page says so as soon as it is seen again.
    for action in rest:
        controller.apply("Marked", record_follow_up, action.id, "dropped", "")
    text = page.browser.toPlainText()
    assert "Not marked yet" not in text and "Mark the rest" not in text
    assert f"{len(rest)} dropped." in text


def test_a_reassessment_whose_earlier_workshop_is_gone_says_so(qtbot, library, demo):
    controller = reassessment_controller(library, demo)
    page = ReviewPage(controller, load_previous=lambda _id: None)
    qtbot.addWidget(page)
    text = page.browser.toPlainText()
    assert "Movement since last time" in text
    assert "not in the library" in text


def test_a_hidden_page_redraws_when_it_is_shown(qtbot, controller, library):
    page = ReviewPage(controller, load_previous=library.load)
    qtbot.addWidget(page)
    controller.apply("Details", update_details, team="Renamed team")
    assert "Renamed team" not in page.browser.toPlainText()
    page.show()
    assert "Renamed team" in page.browser.toPlainText()


def test_export_writes_a_session_file_that_reads_back_equal(page, controller, tmp_path):
    suggested = []
    target = tmp_path / "out" / "workshop copy"
    target.parent.mkdir()
    page.dialogs.choose_save_path = lambda _title, default, _filter: (
        suggested.append(default) or target
    )
    page.export_button.click()

    written = target.with_name("workshop copy.opassess")
    assert read_session_file(written) == controller.workshop
    assert Path(suggested[0]).name == f"{controller.workshop.title}.opassess"
    assert str(written) in page.export_status.text()
    assert page.open_folder_button.isVisible()


def test_open_folder_opens_the_exported_files_folder(page, tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    page.dialogs.choose_save_path = lambda *_args: tmp_path / "copy.opassess"
    page.export_session_file()
    page.open_folder_button.click()
    assert [url.toLocalFile() for url in opened] == [str(tmp_path)]


def test_a_cancelled_export_writes_nothing(page, tmp_path, messages):
    page.dialogs.choose_save_path = lambda *_args: None
    assert page.export_session_file() is None
    assert messages == []
    assert not page.open_folder_button.isVisible()


def test_an_export_failure_is_reported_without_crashing(page, tmp_path, messages):
    page.dialogs.choose_save_path = lambda *_args: tmp_path / "missing" / "copy.opassess"
    page.export_button.click()
    assert len(messages) == 1
    _kind, _title, text = messages[0]
    assert "copy.opassess" in text and "folder does not exist" in text
    assert not (tmp_path / "missing").exists()
    assert page.export_status.text() == ""
    assert not page.open_folder_button.isVisible()


def test_there_is_a_row_for_export_buttons(page):
    assert page.export_buttons.indexOf(page.export_button) == 0


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Performance review 2026", "Performance review 2026.opassess"),
        ('CMT: "away day" 3/4?', "CMT- -away day- 3-4-.opassess"),
        ("   ...   ", "workshop.opassess"),
        ("CON", "CON workshop.opassess"),
    ],
)
def test_the_suggested_file_name_is_safe_everywhere(title, expected):
    assert EXPORTS["session"].file_name(title) == expected


def test_projector_shows_a_compact_summary_with_text_escaped(page, controller, demo):
    controller.apply("Details", update_details, title="Plan <2027>")
    shown = page.projector_html()
    assert "Plan &lt;2027&gt;" in shown
    for dimension in demo.scoped_dimensions():
        assert dimension.name.replace("'", "&#x27;") in shown
    assert "Agreed" in shown and "Target" in shown
