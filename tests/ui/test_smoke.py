"""The packaged build and CI prove the GUI starts with `main.py --smoke-test`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def _run(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )


def test_smoke_test_opens_the_demo_and_exits_zero(tmp_path):
    result = _run("--smoke-test", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    listed = _run("list", data_dir=tmp_path)
    assert "Performance management self-assessment" in listed.stdout


def test_smoke_test_reports_a_library_in_use(tmp_path):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from opassess.store import Library; "
            f"lib = Library.open({str(tmp_path)!r}); print('open', flush=True); time.sleep(60)",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        result = _run("--smoke-test", data_dir=tmp_path)
        assert result.returncode == 2
        assert "already open" in result.stderr
        assert "Traceback" not in result.stderr
    finally:
        holder.kill()
        holder.wait()


# What the home window must not need: each is imported when its work is first asked for.
_NOT_AT_START_UP = (
    "opassess.workshop",
    "opassess.frameworks",
    "opassess.session",
    "opassess.interchange",
    "ui.exports",
    "ui.steps.setup",
    "ui.new_workshop",
    "ui.frameworks_window",
    "opassess.framework_library",
    "uuid",
    "pyqtgraph",
    "openpyxl",
    "reportlab",
)


def test_the_home_window_starts_without_the_workshop_model_or_exports(tmp_path):
    """A guard on the start-up path: the window comes up listing workshops from their summary
    rows, and the model, session files and exports load only once they are used. Nor is the
    `Qt` namespace touched until the window has been painted: PySide builds all of its enums
    at the first touch, about a tenth of the start-up (see ui/home.py)."""
    assert _run("demo", "--add", data_dir=tmp_path).returncode == 0
    script = (
        "import sys\n"
        "from PySide6 import QtCore\n"
        "from PySide6.QtWidgets import QApplication\n"
        "run_loop = QApplication.exec\n"
        "def painted_then_quit():\n"
        "    for window in QApplication.topLevelWidgets():\n"
        "        if window.isVisible():\n"
        "            window.grab()\n"
        "    print('Qt namespace built:', 'Qt' in vars(QtCore))\n"
        "    QApplication.quit()\n"
        "def once(*_args):\n"
        "    QtCore.QTimer.singleShot(0, painted_then_quit)\n"
        "    return run_loop()\n"
        "QApplication.exec = once\n"
        f"sys.argv = ['main.py', '--data-dir', {str(tmp_path)!r}]\n"
        "import main\n"
        "code = main.main()\n"
        f"print(sorted(set(sys.modules) & set({list(_NOT_AT_START_UP)!r})))\n"
        "raise SystemExit(code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    *_, built, imported = result.stdout.strip().splitlines()
    assert imported == "[]"
    assert built == "Qt namespace built: False"
