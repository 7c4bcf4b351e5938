"""The package as a user installs it: a built wheel (not the editable checkout) in a fresh virtual
environment, run from outside the checkout, exports a demo workshop with its bundled data."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_every_package_folder_is_listed_for_the_build() -> None:
    """A package missing from pyproject's list would install without its modules."""
    tomllib = pytest.importorskip("tomllib", reason="tomllib is Python 3.11's")
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for top in ("opassess", "ui")
        for init in (ROOT / top).rglob("__init__.py")
    }
    assert found - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
    assert config["tool"]["setuptools"]["package-dir"]["opassess.resources"] == "resources"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # No build isolation: setuptools comes from this environment, so nothing is downloaded.
    _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(out), str(ROOT)],
        cwd=out,
    )
    (built,) = out.glob("opassess-*.whl")
    return built


def test_the_wheel_carries_the_bundled_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for resource in (p for p in (ROOT / "resources").rglob("*") if p.is_file()):
        if "__pycache__" in resource.parts:
            continue
        inside = "opassess/resources/" + resource.relative_to(ROOT / "resources").as_posix()
        assert inside in names, f"{inside} is missing from the wheel"
    assert "opassess/store/library.py" in names


def test_an_installed_wheel_exports_a_demo_workshop(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "env"
    venv.create(target, with_pip=False)
    bin_dir = target / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / ("python.exe" if os.name == "nt" else "python")
    site = Path(
        _run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
             cwd=tmp_path).strip()
    )
    # The dependencies come from this environment's site-packages, read after the new one's own
    # (a plain path line: the checkout's editable-install hook there is not run).
    (site / "outer.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    _run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
         "--no-index", "--quiet", str(wheel)],
        cwd=tmp_path,
    )

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["OPASSESS_DATA_DIR"] = str(tmp_path / "library")
    where = _run(
        [str(python), "-c", "from opassess.paths import resources_dir; print(resources_dir())"],
        cwd=tmp_path,
        env=env,
    ).strip()
    assert Path(where).resolve().is_relative_to(target.resolve())

    command = bin_dir / ("opassess.exe" if os.name == "nt" else "opassess")
    demo = tmp_path / "demo.opassess"
    _run([str(command), "demo", "--participants", "4", "--out", str(demo)], cwd=tmp_path, env=env)
    _run(
        [str(command), "export", str(demo), "--xlsx", str(tmp_path / "demo.xlsx"),
         "--pdf", str(tmp_path / "demo.pdf")],
        cwd=tmp_path,
        env=env,
    )
    # The stage and barrier names come from the bundled framework, read from the new environment.
    from openpyxl import load_workbook
    from pypdf import PdfReader

    from opassess.frameworks import default_framework

    framework = default_framework()
    book = load_workbook(tmp_path / "demo.xlsx", read_only=True)
    cells = {str(v) for sheet in book.worksheets for row in sheet.values for v in row if v}
    book.close()
    text = " ".join(page.extract_text() for page in PdfReader(tmp_path / "demo.pdf").pages)
    for name in [level.name for level in framework.levels] + [framework.dimensions[0].name]:
        assert name in cells
        assert name in " ".join(text.split())
