"""The packaged application: what the build leaves out, and (slow) a real build that must work.

The slow test builds with PyInstaller (pip install -e ".[package]"), which takes a minute or more;
it runs only when asked: OPASSESS_SLOW_TESTS=1, or `-m slow`.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAX_FOLDER_MB = 400  # the trimmed Linux build is about 125 MB; far more means something leaked in


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


rules = _load("bundle_rules", ROOT / "packaging" / "bundle_rules.py")


def _qt_modules_imported() -> set[str]:
    sources = [ROOT / "main.py", *sorted((ROOT / "ui").rglob("*.py"))]
    found: set[str] = set()
    for source in sources:
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            for name in names:
                parts = name.split(".")
                if parts[0] == "PySide6" and len(parts) > 1 and parts[1].startswith("Qt"):
                    found.add(parts[1])
    return found


def test_every_qt_module_the_app_imports_is_bundled() -> None:
    missing = _qt_modules_imported() - set(rules.QT_MODULES_USED)
    assert not missing, (
        f"the application imports {sorted(missing)}, which the build leaves out: add them to "
        "QT_MODULES_USED in packaging/bundle_rules.py"
    )


def test_excluded_qt_modules_are_the_installed_ones_the_app_does_not_use() -> None:
    pyside = Path(importlib.util.find_spec("PySide6").origin).parent
    excluded = rules.qt_modules_excluded(pyside)
    assert "PySide6.QtQml" in excluded and "PySide6.QtNetwork" in excluded
    assert not {f"PySide6.{name}" for name in rules.QT_MODULES_USED} & set(excluded)


@pytest.mark.parametrize(
    ("source", "dest", "kept"),
    [
        ("libqoffscreen.so", "PySide6/Qt/plugins/platforms", True),
        ("libqxcb.so", "PySide6/Qt/plugins/platforms", True),
        ("libqwayland.so", "PySide6/Qt/plugins/platforms", True),
        ("qwindows.dll", "PySide6/plugins/platforms", True),
        ("libqcocoa.dylib", "PySide6/Qt/plugins/platforms", True),
        ("libqminimalegl.so", "PySide6/Qt/plugins/platforms", False),
        ("libqvnc.so", "PySide6/Qt/plugins/platforms", False),
        ("libqgtk3.so", "PySide6/Qt/plugins/platformthemes", False),
        ("libqxdgdesktopportal.so", "PySide6/Qt/plugins/platformthemes", True),
        ("libqjpeg.so", "PySide6/Qt/plugins/imageformats", False),
        ("libqsvgicon.so", "PySide6/Qt/plugins/iconengines", False),
        ("libxdg-shell.so", "PySide6/Qt/plugins/wayland-shell-integration", True),
        ("libivi-shell.so", "PySide6/Qt/plugins/wayland-shell-integration", False),
        ("qmodernwindowsstyle.dll", "PySide6/plugins/styles", True),
        (
            "libcomposeplatforminputcontextplugin.so",
            "PySide6/Qt/plugins/platforminputcontexts",
            True,
        ),
        ("libQt6Gui.so.6", "PySide6/Qt/lib", True),
    ],
)
def test_plugin_rules(source: str, dest: str, kept: bool) -> None:
    assert rules.keep_qt_plugin(source, dest) is kept


def test_qt_translations_are_left_out_and_resources_kept() -> None:
    assert not rules.keep_data("PySide6/Qt/translations/qtbase_de.qm")
    assert rules.keep_data("resources/fonts/DejaVuSans.ttf")
    assert rules.keep_data("resources/guide/index.html")


def _slow_tests_wanted(config: pytest.Config) -> bool:
    return os.environ.get("OPASSESS_SLOW_TESTS") == "1" or "slow" in (
        config.getoption("markexpr") or ""
    ).replace("not slow", "")


@pytest.mark.slow
def test_the_built_application_starts_and_exports(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    if not _slow_tests_wanted(request.config):
        pytest.skip("builds the application: set OPASSESS_SLOW_TESTS=1 or run with -m slow")
    pytest.importorskip("PyInstaller", reason='needs pip install -e ".[package]"')

    report_file = tmp_path / "report.json"
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "packaging" / "build.py"),
            "--dist",
            str(tmp_path / "dist"),
            "--work",
            str(tmp_path / "build"),
            "--json",
            str(report_file),
        ],
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    print(result.stdout)
    assert report_file.is_file(), f"the build did not finish:\n{result.stdout}\n{result.stderr}"
    report = json.loads(report_file.read_text())
    print(
        f"OpAssess build: {report['folder_mb']} MB as a folder, {report['zip_mb']} MB zipped, "
        f"built in {report['build_seconds']} s"
    )

    assert report["checks"] == {
        "smoke test": "ok",
        "demo session file": "ok",
        "Excel export": "ok",
        "PDF export": "ok",
    }
    assert result.returncode == 0 and report["passed"]
    assert 0 < report["folder_mb"] < MAX_FOLDER_MB


def test_the_trend_chart_draws_without_the_qt_modules_the_build_leaves_out(tmp_path) -> None:
    """pyqtgraph imports QtSvg, QtTest and the OpenGL modules if it can; the build leaves them
    out, so the series page must work with them missing."""
    blocked = sorted(
        name
        for name in rules.qt_modules_excluded(
            Path(importlib.util.find_spec("PySide6").origin).parent
        )
    )
    script = (
        "import os, sys\n"
        "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        f"BLOCKED = set({blocked!r})\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name in BLOCKED:\n"
        "            raise ImportError(f'{name} is not in the build')\n"
        "sys.meta_path.insert(0, Block())\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from opassess.demo import demo_organisation\n"
        "from opassess.rollup import build_series\n"
        "from ui.series import SeriesWindow\n"
        "workshops = [w for w in demo_organisation(1, rounds=3)]\n"
        "window = SeriesWindow(build_series(workshops))\n"
        f"print(window.save_png({str(tmp_path / 'trend.png')!r}))\n"
        "print(sorted(m for m in sys.modules if m in BLOCKED))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split("\n")[:2] == ["True", "[]"]
