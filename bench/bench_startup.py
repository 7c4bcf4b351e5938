"""Cold start: from a new process to the home window shown, against a bare PySide6 window.

Each run is a fresh interpreter (so imports are cold for Python, warm for the OS file cache,
alike for both). Two figures per run, read on the system's monotonic clock, which the parent
and the child share:

- shown: from spawn until the window is shown and the event loop has turned once (the child
  prints the clock there); what a person waits for;
- done: from spawn until the process has exited (closing the library, writing its backup,
  tearing Qt down included).

Our run goes through main.py's real path on a library with one demo workshop in it, and PySide6
is first imported where the application imports it: the event loop is told to stop once it has
turned by patching QApplication.exec as PySide6.QtWidgets finishes loading, not by importing
PySide6 beforehand (PySide6 hooks every import after its own, so importing it first would
change what is measured).

    .venv/bin/python bench/bench_startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SHOWN = "SHOWN"

# How the bare and the reference windows end: shown, and the clock printed once the event loop
# has turned.
SHOW_AND_QUIT = f"""
window.resize(1280, 800)
window.show()
def shown():
    print("{SHOWN}", time.monotonic(), flush=True)
    app.quit()
QTimer.singleShot(0, shown)
app.exec()
"""

BARE = """
import time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
""" + SHOW_AND_QUIT

# For reference, not the goal's baseline: PySide6 alone building a window of the home page's
# kind (menus of 27 actions with shortcuts, a search field, buttons, a table over a model of 12
# rows, a status bar), written the plain way. Most of what it adds to the bare window is PySide6
# making Python enums on first use: each widget class's, and the Qt namespace's (about 15 ms),
# which this window touches and OpAssess's home is written not to (see ui/home.py).
QT_ONLY = """
import time
from PySide6.QtCore import QAbstractTableModel, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QApplication, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QMainWindow, QPushButton, QTableView, QVBoxLayout, QWidget)

class Model(QAbstractTableModel):
    def rowCount(self, parent=None):
        return 12
    def columnCount(self, parent=None):
        return 6
    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{index.row()}, {index.column()}"
        return None

app = QApplication([])
window = QMainWindow()
page = QWidget()
search = QLineEdit()
search.setPlaceholderText("Search")
buttons = QHBoxLayout()
for text in ("New", "Demo", "Open", "Re-assess", "Import", "Export", "Delete"):
    buttons.addWidget(QPushButton(text))
table = QTableView()
model = Model()
table.setModel(model)
table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
layout = QVBoxLayout(page)
layout.addWidget(QLabel("Workshops"))
layout.addWidget(search)
layout.addLayout(buttons)
layout.addWidget(table, 1)
window.setCentralWidget(page)
for name in ("File", "Edit", "View", "Help"):
    menu = window.menuBar().addMenu(name)
    for number in range(7 if name != "Edit" else 6):
        action = QAction(f"{name} {number}", window)
        action.setShortcut(QKeySequence(f"Ctrl+Shift+{number}"))
        menu.addAction(action)
window.statusBar().addPermanentWidget(QLabel("All changes saved"))
""" + SHOW_AND_QUIT

# The real start-up path; the only change is that the event loop quits once it has turned.
OURS = f"""
import importlib.machinery, sys, time

class QuitOnceShown:  # a meta path finder; importlib.abc would add imports of its own
    def find_spec(self, name, path, target=None):
        if name != "PySide6.QtWidgets":
            return None
        sys.meta_path.remove(self)
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        load = spec.loader.exec_module

        def exec_module(module):
            load(module)
            from PySide6.QtCore import QTimer
            application = module.QApplication
            run_loop = application.exec

            def shown():
                print("{SHOWN}", time.monotonic(), flush=True)
                application.quit()

            def exec_until_shown(*_args):
                QTimer.singleShot(0, shown)
                return run_loop()

            application.exec = exec_until_shown

        spec.loader.exec_module = exec_module
        return spec

sys.meta_path.insert(0, QuitOnceShown())
sys.argv = ["main.py", "--data-dir", sys.argv[1]]
import main
code = main.main()
heavy = [m for m in ("pyqtgraph", "openpyxl", "reportlab") if m in sys.modules]
if heavy:
    raise SystemExit(f"heavy modules on the start-up path: {{heavy}}")
raise SystemExit(code)
"""


def timed(script: str, *args: str) -> tuple[float, float]:
    """(seconds to the window shown, seconds to the process done) for one fresh run."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    # An installed app runs from compiled bytecode; without it every start recompiles sources.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.monotonic()
    finished = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    done = time.monotonic()
    words = finished.stdout.split()
    if SHOWN not in words:
        raise SystemExit(f"the window was never shown:\n{finished.stdout}{finished.stderr}")
    shown = float(words[words.index(SHOWN) + 1])
    return shown - start, done - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [sys.executable, "main.py", "--data-dir", folder, "demo", "--add"],
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        jobs = {
            "bare PySide6 window": (BARE,),
            "PySide6 home-like window": (QT_ONLY,),
            "OpAssess home": (OURS, folder),
        }
        for job in jobs.values():  # warm the OS file cache for all
            timed(*job)
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in jobs}
        for _ in range(runs):  # interleaved, so machine noise hits all alike
            for name, job in jobs.items():
                times[name].append(timed(*job))
    medians = {
        name: (statistics.median(t[0] for t in taken), statistics.median(t[1] for t in taken))
        for name, taken in times.items()
    }
    bare_shown, bare_done = medians["bare PySide6 window"]
    print(f"cold start, median of {runs} runs            shown        done")
    for name, (shown, done) in medians.items():
        print(
            f"  {name:26s} {shown * 1000:5.0f} ms {shown / bare_shown:4.2f}x"
            f"  {done * 1000:5.0f} ms {done / bare_done:4.2f}x"
        )
    print("  goal: OpAssess home within 1.5x of the bare window")


if __name__ == "__main__":
    main()
