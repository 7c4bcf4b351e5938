"""Choosing a framework for a new workshop, and a team's own framework made, edited and carried
as a file through the Frameworks dialog."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog, QInputDialog, QMessageBox

from opassess.framework_library import duplicate_framework, save_framework
from opassess.frameworks import DEFAULT_FRAMEWORK_ID, builtin_frameworks, default_framework
from ui.controller import LibraryController
from ui.framework_editor import FrameworkEditor
from ui.frameworks_window import FrameworksDialog
from ui.main_window import MainWindow
from ui.new_workshop import NewWorkshopDialog
from ui.operations import FileDialogs


@pytest.fixture
def window(qtbot, library, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    made = MainWindow(LibraryController(library), settings)
    qtbot.addWidget(made)
    return made


@pytest.fixture
def frameworks(qtbot, window):
    dialog = FrameworksDialog(window.library, window.dialogs, window)
    qtbot.addWidget(dialog)
    return dialog


def test_a_new_workshop_is_on_the_framework_chosen(window, library, new_workshop_answers):
    confidence = builtin_frameworks()["delivery-confidence"]
    new_workshop_answers.append(("Quarterly stocktake", confidence))
    window.home.new_button.click()
    workshop = window.workshop_controller.workshop
    assert workshop.title == "Quarterly stocktake"
    assert workshop.framework == confidence
    assert library.load(workshop.id).framework.terms.reassessment == "stocktake"


def test_cancelling_the_new_workshop_dialog_creates_nothing(window, library, new_workshop_answers):
    new_workshop_answers.append(None)
    window.home.new_button.click()
    assert library.list_workshops() == []
    assert window.workshop_view is None


def test_the_chooser_lists_every_framework_and_previews_its_stages(qtbot, window, library):
    save_framework(library, duplicate_framework(default_framework(), "Our model", library))
    dialog = NewWorkshopDialog(window.library.frameworks())
    qtbot.addWidget(dialog)
    labels = [dialog.framework_list.item(i).text() for i in range(dialog.framework_list.count())]
    assert labels[0] == "Performance breakthroughs"
    assert "Operational delivery (2021)" in labels
    assert labels[-1] == "Our model (own)"
    assert dialog.chosen_framework.id == DEFAULT_FRAMEWORK_ID  # the default stays first
    dialog.framework_list.setCurrentRow(labels.index("Operational delivery (2021)"))
    preview = dialog.preview.toPlainText()
    assert "System continual improvement" in preview and "5 areas" in preview
    dialog.title_field.setText("  Operations board  ")
    assert dialog.title == "Operations board"
    assert dialog.chosen_framework.id == "nao-operational-delivery-2021"


def test_duplicating_makes_an_editable_copy_of_ones_own(frameworks, library, monkeypatch):
    monkeypatch.setattr(
        QInputDialog, "getText", lambda *args, **kwargs: ("Stocktake, our way", True)
    )
    labels = [e.label for e in frameworks.entries]
    frameworks.framework_list.setCurrentRow(labels.index("Delivery confidence"))
    assert not frameworks.edit_button.isEnabled()  # the built-in one is not edited in place
    copy = frameworks.duplicate_chosen()
    assert copy is not None and copy.based_on == "delivery-confidence"
    assert [f.name for f in library.own_frameworks()] == ["Stocktake, our way"]
    assert frameworks.chosen.framework.id == copy.id
    assert frameworks.edit_button.isEnabled() and frameworks.delete_button.isEnabled()


def _own(library):
    return save_framework(library, duplicate_framework(default_framework(), "Ours", library))


def test_the_editor_saves_renamed_stages_new_words_and_a_new_stage(qtbot, window, library):
    own = _own(library)
    editor = FrameworkEditor(own, window.library.save_framework)
    qtbot.addWidget(editor)
    editor.term_fields["dimension"].setText("challenge")
    editor.term_fields["dimensions"].setText("challenges")
    editor.stage_table.item(0, 0).setText("Just beginning")
    editor.stage_table.item(0, 2).setText("#AA3377")
    editor._add_stage()
    editor.stage_table.item(3, 0).setText("Leading")
    editor.dimension_list.setCurrentRow(1)
    editor.descriptor_boxes[editor.stage_table.item(3, 0).data(256)].setPlainText(
        "Other councils visit to learn from us.\n\n  Reviews are routine.  "
    )
    editor.dimension_name.setText("No time to learn, even now")
    editor.try_save()
    assert editor.result() == QDialog.DialogCode.Accepted
    saved = library.own_frameworks()[0]
    assert saved.id == own.id
    assert [level.name for level in saved.levels] == [
        "Just beginning",
        "Developing",
        "Consolidating",
        "Leading",
    ]
    assert saved.levels[0].id == own.levels[0].id  # renaming keeps the id, so it compares
    assert saved.colour_of(saved.levels[0].id) == "#AA3377"
    assert saved.terms.dimensions == "challenges"
    second = saved.dimensions[1]
    assert second.name == "No time to learn, even now"
    assert second.descriptors[saved.levels[3].id] == (
        "Other councils visit to learn from us.",
        "Reviews are routine.",
    )
    assert second.descriptors[saved.levels[1].id] == own.dimensions[1].descriptors["developing"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda e: e.stage_table.item(1, 0).setText(""), "Stage 2: give it a name."),
        (lambda e: e.stage_table.item(2, 2).setText("blue"), "Stage 3 (Consolidating)"),
        (lambda e: e.stage_table.item(2, 0).setText("starting"), "already called"),
        (lambda e: e.name_field.setText(" "), "Name: the framework needs a name."),
        (lambda e: e.dimension_name.setText(""), "Number 1 in the list has no name."),
    ],
)
def test_the_editor_names_the_field_and_keeps_what_was_typed(
    qtbot, window, library, change, expected
):
    own = _own(library)
    editor = FrameworkEditor(own, window.library.save_framework)
    qtbot.addWidget(editor)
    editor.summary_field.setPlainText("Typed and not to be lost")
    change(editor)
    editor.try_save()
    assert expected in editor.problem.text()
    assert editor.result() != QDialog.DialogCode.Accepted
    assert editor.summary_field.toPlainText() == "Typed and not to be lost"
    assert library.own_frameworks() == [own]  # nothing saved


def test_a_framework_travels_as_a_file_and_a_refused_one_changes_nothing(
    frameworks, library, tmp_path: Path, monkeypatch
):
    own = _own(library)
    frameworks.refresh(own.id)
    path = tmp_path / "ours.json"
    frameworks.dialogs.save_path = lambda *args: path
    frameworks.export_chosen()
    assert json.loads(path.read_text(encoding="utf-8"))["id"] == own.id
    # on another laptop: the same file, and a broken one
    frameworks.library.delete_framework(own.id)
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": 1, "id": "x"}', encoding="utf-8")
    failures: list[str] = []
    frameworks.library.failed.connect(failures.append)
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: None)  # the window's own notice
    frameworks.dialogs.choose_open_paths = lambda *args: [broken, path]
    frameworks.import_file()
    assert failures and failures[0].startswith("Not imported: broken.json")
    assert library.own_frameworks() == [own]
    # the same file again asks before replacing; No keeps the one there
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.No)
    frameworks.dialogs.choose_open_paths = lambda *args: [path]
    frameworks.import_file()
    assert library.own_frameworks() == [own]


def test_the_frameworks_menu_item_opens_the_dialog(window, monkeypatch):
    opened = []
    monkeypatch.setattr(FrameworksDialog, "exec", lambda self: opened.append(self) or 0)
    window.frameworks_action.trigger()
    assert opened and len(opened[0].entries) == 4


def test_deleting_asks_and_keeps_workshops_held_on_it(frameworks, library):
    from opassess.demo import demo_workshop

    own = _own(library)
    workshop = demo_workshop(4, framework=own)
    library.add(workshop)
    frameworks.refresh(own.id)
    asked: list[str] = []
    frameworks.dialogs.confirm = lambda question: asked.append(question) or True
    frameworks.delete_chosen()
    assert asked and "keep" in asked[0]
    assert library.own_frameworks() == []
    assert library.load(workshop.id).framework == own


def test_the_file_dialogs_are_the_windows(frameworks, window):
    assert isinstance(frameworks.dialogs, FileDialogs) and frameworks.dialogs is window.dialogs


def test_reassessing_after_the_framework_changed_asks_which_version(window, library):
    from opassess.demo import demo_workshop
    from opassess.frameworks import edit_dimension

    own = _own(library)
    earlier = demo_workshop(5, framework=own)
    library.add(earlier)
    save_framework(library, edit_dimension(own, own.dimensions[0].id, name="Leaders look away"))
    asked = []

    def choose(last_copy, current):
        asked.append((last_copy, current))
        return current

    later_id = window.library.start_reassessment(earlier.id, choose)
    later = library.load(later_id)
    assert asked and asked[0][0] == own
    assert later.framework.dimensions[0].name == "Leaders look away"
    assert later.reassesses == earlier.id
    # unchanged: nobody is asked
    asked.clear()
    again = window.library.start_reassessment(later_id, choose)
    assert again and not asked
    # cancelled: nothing made
    before = len(library.list_workshops())
    assert window.library.start_reassessment(earlier.id, lambda *_: None) is None
    assert len(library.list_workshops()) == before


def test_moving_a_stage_keeps_every_stages_descriptors(qtbot, window, library):
    own = _own(library)
    editor = FrameworkEditor(own, window.library.save_framework)
    qtbot.addWidget(editor)
    editor.dimension_list.setCurrentRow(0)
    editor.stage_table.setCurrentCell(0, 0)
    editor._move_stage(1)
    editor.try_save()
    saved = library.own_frameworks()[0]
    assert saved.level_ids == ("developing", "starting", "consolidating")
    for before, after in zip(own.dimensions, saved.dimensions, strict=True):
        assert dict(after.descriptors) == dict(before.descriptors)
