"""Cold start: from a new process to the home window shown, against a bare PySide6 window.

Each run is a fresh interpreter (so imports are cold for Python, warm for the OS file cache,
alike for both), timed from spawn until the window has been shown and the event loop has run.
Our run goes through main.py's real path on a library with one demo workshop in it.

    .venv/bin/python bench/bench_startup.py [--runs 7]
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

BARE = """
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
window.resize(1280, 800)
window.show()
QTimer.singleShot(0, app.quit)
app.exec()
"""

# The real start-up path; the only change is that the event loop quits once the window is up.
OURS = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
_exec = QApplication.exec
def _quit_when_shown(_app=None):
    QTimer.singleShot(0, QApplication.quit)
    return _exec()
QApplication.exec = _quit_when_shown
sys.argv = ["main.py", "--data-dir", sys.argv[1]]
import main
code = main.main()
heavy = [m for m in ("pyqtgraph", "openpyxl", "reportlab") if m in sys.modules]
if heavy:
    raise SystemExit(f"heavy modules on the start-up path: {heavy}")
raise SystemExit(code)
"""


def timed(script: str, *args: str) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    # An installed app runs from compiled bytecode; without it every start recompiles sources.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [sys.executable, "main.py", "--data-dir", folder, "demo", "--add"],
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        timed(BARE)  # warm the OS file cache for both
        timed(OURS, folder)
        bare, ours = [], []
        for _ in range(runs):  # interleaved, so machine noise hits both alike
            bare.append(timed(BARE))
            ours.append(timed(OURS, folder))
    b, o = statistics.median(bare), statistics.median(ours)
    print(f"cold start to window shown, median of {runs} runs")
    print(f"  bare PySide6 window   {b * 1000:7.0f} ms")
    print(f"  OpAssess home         {o * 1000:7.0f} ms")
    print(f"  ratio                 {o / b:7.2f}x  (goal: within 1.5x)")


if __name__ == "__main__":
    main()
