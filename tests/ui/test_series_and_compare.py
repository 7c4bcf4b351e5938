"""A team over time and teams side by side, from the library window."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from datetime import date
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QImage

from opassess.demo import demo_workshop
from opassess.workshop import Consensus, record_follow_up, set_tags, start_reassessment
from ui.compare import CompareWindow, HeatmapModel
from ui.controller import LibraryController
from ui.main_window import MainWindow
from ui.series import SeriesWindow

ROOT = Path(__file__).resolve().parents[2]


def _chain(library, rounds=3):
    first = demo_workshop(5, held_on=date(2025, 1, 10))
    library.add(first)
    chain = [first]
    for n in range(1, rounds):
        later = start_reassessment(chain[-1], held_on=date(2025, 1 + 4 * n, 10))
        later = dataclasses.replace(
            later,
            consensus={"leaders-not-interested": Consensus(("developing", "consolidating")[n % 2])},
        )
        for action in chain[-1].actions_for("leaders-not-interested"):
            later = record_follow_up(later, action.id, "done", "Seen through")
        library.add(later)
        chain.append(later)
    return chain


def test_the_series_window_plots_each_workshop_and_lists_what_became_of_actions(
    qtbot, library, tmp_path
):
    chain = _chain(library)
    series = LibraryController(library).series(chain[-1].id)
    window = SeriesWindow(series)
    qtbot.addWidget(window)
    assert [w.id for w in series.workshops] == [w.id for w in chain]
    texts = [text for _x, _y, text in window.points_by_spot]
    assert any("Leaders aren't interested\n10 May 2025: Consolidating" in t for t in texts)
    table = window.actions_table
    outcomes = {table.item(r, 4).text() for r in range(table.rowCount())}
    assert "Done" in outcomes  # marked at the next workshop
    assert any(o.endswith("(as recorded then)") for o in outcomes)
    path = tmp_path / "trend.png"
    window.save_png(str(path))
    image = QImage(str(path))
    assert (image.width(), image.height()) == (1920, 1080)
    assert image.pixelColor(5, 5) == QColor("#FFFFFF")


def _teams(library, count=9):
    for n in range(count):
        workshop = demo_workshop(5, seed=n, held_on=date(2026, 1 + n, 1))
        stage = ("starting", "developing", "consolidating")[n % 3]
        workshop = dataclasses.replace(
            workshop,
            team=f"Team {n}",
            organisation="Northshire" if n < 6 else "Southshire",
            consensus={**workshop.consensus, "no-time-to-learn": Consensus(stage)},
        )
        library.add(set_tags(workshop, ["pilot"] if n % 2 else []))


def test_compare_filters_and_colours_each_team_by_its_agreed_stage(qtbot, library):
    _teams(library)
    window = CompareWindow(LibraryController(library), None)
    qtbot.addWidget(window)
    window.organisation.setText("north")
    window.tag.setText("pilot")
    assert window.run()
    model = window.heatmap.model()
    assert isinstance(model, HeatmapModel)
    assert [
        model.headerData(r, Qt.Orientation.Vertical, Qt.ItemDataRole.DisplayRole)
        for r in range(model.rowCount())
    ] == ["Team 1", "Team 3", "Team 5"]
    column = [d for d, _ in window.comparison.dimensions].index("no-time-to-learn")
    framework = window.comparison.framework
    for row, stage in zip(range(3), ("developing", "starting", "consolidating"), strict=True):
        index = model.index(row, column)
        assert model.data(index, Qt.ItemDataRole.BackgroundRole) == QColor(
            framework.colour_of(stage)
        )
        assert model.data(index, Qt.ItemDataRole.DisplayRole) == framework.level(stage).name
    assert "3 teams on Performance breakthroughs" in window.summary.text()
    apart = window.apart.model()
    assert apart.data(apart.index(0, 0), Qt.ItemDataRole.DisplayRole) == "There's no time to learn"


def test_compare_says_when_nothing_matches_or_a_date_is_wrong(qtbot, library):
    _teams(library, 3)
    window = CompareWindow(LibraryController(library), None)
    qtbot.addWidget(window)
    qtbot.keyClicks(window.held_from.edit, "31/13/2026")
    assert not window.run()
    assert window.summary.text() == (
        "Held from: “31/13/2026” is not a day of the calendar. Still no date. Nothing compared."
    )
    window.held_from.edit.selectAll()
    qtbot.keyClicks(window.held_from.edit, "1/1/30")  # day first: 1 January 2030
    assert not window.run()
    assert window.summary.text() == (
        "No workshop matches: workshops held on or after 1 January 2030 and the latest of "
        "each team. Widen the filters and try again."
    )
    assert not window.workbook_button.isEnabled()


def test_the_library_opens_both_windows(qtbot, library, tmp_path):
    chain = _chain(library, 2)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(LibraryController(library), settings)
    qtbot.addWidget(window)
    window.home.select(chain[0].id)
    assert window.home.series_button.isEnabled()
    window.home.series_button.click()
    window.home.compare_button.click()
    kinds = {type(w).__name__ for w in window.findChildren(object) if hasattr(w, "isWindow")}
    assert {"SeriesWindow", "CompareWindow"} <= kinds


def test_pyqtgraph_is_not_imported_until_a_series_is_looked_at():
    code = "import sys, ui.main_window, ui.compare; print('pyqtgraph' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.stdout.strip() == "False", done.stderr


def test_the_compared_teams_are_saved_as_a_workbook_and_a_report(qtbot, library, tmp_path):
    import openpyxl

    _teams(library, 4)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    main = MainWindow(LibraryController(library), settings)
    qtbot.addWidget(main)
    main.operations.exports.show_dialogs = False
    window = CompareWindow(main.library, main.operations, main)
    qtbot.addWidget(window)
    assert window.run()
    targets = iter([tmp_path / "teams.xlsx", tmp_path / "teams.pdf"])
    main.dialogs.save_path = lambda *args: next(targets)
    with qtbot.waitSignal(main.operations.exports.finished, timeout=60000):
        window.workbook_button.click()
    with qtbot.waitSignal(main.operations.exports.finished, timeout=60000):
        window.report_button.click()
    sheet = openpyxl.load_workbook(tmp_path / "teams.xlsx")["Heatmap"]
    cells = {c.value for row in sheet.iter_rows() for c in row}
    assert {"Team 0", "Team 3"} <= {str(v) for v in cells}
    assert (tmp_path / "teams.pdf").read_bytes().startswith(b"%PDF")


def test_every_surface_names_two_organisations_senior_teams_alike(qtbot):
    # The window, the command line, the workbook and the report ask one rule for a team's
    # name (opassess.rollup.team_names); two rows must never read the same.
    import dataclasses

    from PySide6.QtCore import Qt

    from opassess.demo import demo_workshop
    from opassess.rollup import compare, team_names

    north = dataclasses.replace(
        demo_workshop(participants=3), id="north", organisation="Northgate", team="Senior team"
    )
    south = dataclasses.replace(
        demo_workshop(participants=3), id="south", organisation="Southmoor", team="Senior team"
    )
    comparison = compare([north, south])
    names = team_names(comparison)
    model = HeatmapModel(comparison, "stage")
    shown = [
        model.headerData(row, Qt.Orientation.Vertical, Qt.ItemDataRole.DisplayRole)
        for row in range(model.rowCount())
    ]
    assert shown == [names[team.workshop_id] for team in comparison.teams]
    assert len(set(shown)) == 2 and all("Senior team (" in name for name in shown)
