"""The facilitator's guide in the app: F1 and the Help menu, the step link, links between
sections, and the guide saved as a PDF in the background."""

from __future__ import annotations

from pypdf import PdfReader
from PySide6.QtCore import QSettings, QUrl
from PySide6.QtGui import QKeySequence

from opassess.guide import GUIDE_TITLE, STEP_SECTIONS, guide_section, guide_sections
from ui.controller import LibraryController
from ui.guide import GuideWindow, section_html
from ui.main_window import MainWindow


def _window(qtbot, library, tmp_path, workshop=None) -> MainWindow:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(LibraryController(library), settings)
    qtbot.addWidget(window)
    window.operations.exports.show_dialogs = False
    if workshop is not None:
        window.open_workshop(workshop.id)
    return window


def _shown(window: MainWindow) -> str:
    guide = window.guide_window
    assert guide is not None and guide.isVisible()
    assert not guide.isModal()
    assert guide.contents.currentItem().text() == guide_section(guide.current_id).title
    return guide.current_id


def test_help_menu_offers_the_guide_and_its_pdf(qtbot, library, tmp_path):
    window = _window(qtbot, library, tmp_path)
    help_menu = next(
        a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Help"
    )
    texts = [a.text().replace("&", "") for a in help_menu.actions()]
    assert texts[:2] == ["Facilitator's guide", "Save the guide as PDF…"]
    assert window.guide_action.shortcut() == QKeySequence("F1")
    assert window.guide_action.isEnabled() and window.guide_pdf_action.isEnabled()


def test_f1_opens_the_guide_at_the_current_step(qtbot, library, demo, tmp_path):
    window = _window(qtbot, library, tmp_path, demo)
    window.workshop_view.go_to_step(3)
    window.guide_action.trigger()
    assert _shown(window) == "consensus"
    assert "Reveal ratings" in window.guide_window.text.toPlainText()
    window.workshop_view.go_to_step(4)
    window.guide_action.trigger()  # the same window, now at the Plan
    assert _shown(window) == "plan"
    assert len(window.findChildren(GuideWindow)) == 1


def test_f1_without_a_workshop_opens_the_start(qtbot, library, tmp_path):
    window = _window(qtbot, library, tmp_path)
    window.guide_action.trigger()
    assert _shown(window) == guide_sections()[0].id


def test_each_step_link_opens_that_steps_section(qtbot, library, demo, tmp_path):
    window = _window(qtbot, library, tmp_path, demo)
    view = window.workshop_view
    assert view.guide_link.text().endswith("Guide: how to run this step</a>")
    for index, page in enumerate(view.pages):
        view.go_to_step(index)
        view.guide_link.linkActivated.emit("guide:step")
        assert _shown(window) == STEP_SECTIONS[page.title], page.title


def test_links_between_sections_and_contents_work(qtbot, library, tmp_path):
    window = _window(qtbot, library, tmp_path)
    window.show_guide("consensus")
    guide = window.guide_window
    assert "href='#challenge'" in section_html(guide_section("consensus"))
    guide.text.anchorClicked.emit(QUrl("#challenge"))
    assert guide.current_id == "challenge"
    guide.text.anchorClicked.emit(QUrl("#no-such-section"))
    assert guide.current_id == "challenge"
    guide.contents.setCurrentRow(0)
    assert guide.current_id == guide_sections()[0].id
    assert guide.text.font().pointSizeF() > window.font().pointSizeF()  # reads at a distance


def test_the_guide_is_saved_as_pdf_in_the_background(qtbot, library, tmp_path):
    window = _window(qtbot, library, tmp_path)
    asked = []

    def choose(title, suggested, file_filter):
        asked.append(suggested.name)
        return tmp_path / "guide"

    window.dialogs.choose_save_path = choose
    with qtbot.waitSignal(window.operations.exports.finished, timeout=60000):
        window.guide_pdf_action.trigger()
    path = tmp_path / "guide.pdf"  # suffix added when left off
    assert PdfReader(path).metadata.title == GUIDE_TITLE
    assert asked == ["Facilitator's guide.pdf"]
    assert window.settings.last_folder == tmp_path


def test_the_guide_windows_pdf_button_saves_too(qtbot, library, demo, tmp_path):
    window = _window(qtbot, library, tmp_path, demo)
    window.show_guide()
    window.dialogs.choose_save_path = lambda *args: tmp_path / "from the window.pdf"
    with qtbot.waitSignal(window.operations.exports.finished, timeout=60000):
        window.guide_window.pdf_button.click()
    assert (tmp_path / "from the window.pdf").read_bytes().startswith(b"%PDF")


def test_a_failed_guide_pdf_says_why(qtbot, library, tmp_path):
    window = _window(qtbot, library, tmp_path)
    window.dialogs.choose_save_path = lambda *args: tmp_path / "missing" / "guide.pdf"
    with qtbot.waitSignal(window.operations.exports.failed, timeout=60000) as failure:
        window.guide_pdf_action.trigger()
    assert "guide could not be saved" in failure.args[0]
    assert "folder does not exist" in failure.args[0]
