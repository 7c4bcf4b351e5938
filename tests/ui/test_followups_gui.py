"""A re-assessment starts with what became of last time's actions; tags are typed in Setup."""

from __future__ import annotations

from opassess.demo import demo_workshop
from opassess.session import EditSession
from opassess.workshop import FollowUp, start_reassessment
from ui.controller import WorkshopController
from ui.steps.setup import SetupPage


def _page(qtbot, library, workshop, load_previous=None):
    controller = WorkshopController(EditSession.open(library, workshop.id))
    page = SetupPage(controller, load_previous=load_previous or library.load)
    qtbot.addWidget(page)
    page.show()
    return page


def test_last_times_actions_are_marked_saved_and_undone(qtbot, library):
    earlier = demo_workshop(4)
    library.add(earlier)
    later = start_reassessment(earlier)
    library.add(later)
    page = _page(qtbot, library, later)
    panel = page.followups
    assert panel.isVisible()
    actions = [a for items in earlier.actions.values() for a in items]
    assert set(panel.outcomes) == {a.id for a in actions}
    first = actions[0].id
    panel.notes[first].setText("Half the visits happened")
    panel.outcomes[first].setCurrentIndex(panel.outcomes[first].findData("partly"))
    panel.outcomes[first].activated.emit(panel.outcomes[first].currentIndex())
    assert library.load(later.id).followups == {
        first: FollowUp("partly", "Half the visits happened")
    }
    page.controller.undo()
    assert library.load(later.id).followups == {}
    assert panel.outcomes[first].currentData() == ""


def test_a_first_workshop_has_no_follow_up_panel(qtbot, library, demo):
    page = _page(qtbot, library, demo)
    assert not page.followups.isVisible()


def test_tags_are_typed_with_commas_and_found_by_search(qtbot, library, demo):
    page = _page(qtbot, library, demo)
    page.tags_edit.setText(" North , pilot,, north ")
    page.tags_edit.editingFinished.emit()
    assert library.load(demo.id).tags == ("North", "pilot")
    assert page.tags_edit.text() == "North, pilot"
    assert [s.id for s in library.list_workshops("pilot")] == [demo.id]
