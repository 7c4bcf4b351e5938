"""Build the desktop application with PyInstaller and prove the build works.

    .venv/bin/pip install -e ".[package]"
    .venv/bin/python packaging/build.py

Builds pyinstaller.spec into build/ and dist/ (one folder, for the system this runs on), then runs
the built executable on Qt's offscreen platform, with a throw-away library folder:

  --smoke-test                      the main window opens the demo workshop and visits every step
  demo --out FILE                   a demo workshop as a session file, read back and validated
  export FILE --xlsx X --pdf P      the workbook and the report, opened and checked

and prints the folder's size and the size of a zip of it. Exits 0 when every check passed, 1 when
one failed, 2 when the build itself could not run. Installs nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "pyinstaller.spec"
APP_NAME = "OpAssess"
RUN_TIMEOUT = 180  # seconds for one run of the built application


@dataclass
class Report:
    version: str = ""
    folder: str = ""
    build_seconds: float | None = None
    folder_mb: float | None = None
    zip_mb: float | None = None
    checks: dict[str, str] = field(default_factory=dict)  # name -> "ok" or what went wrong

    @property
    def passed(self) -> bool:
        return bool(self.checks) and all(result == "ok" for result in self.checks.values())


def package_version() -> str:
    sys.path.insert(0, str(ROOT))
    from opassess import __version__

    return __version__


def build(dist: Path, work: Path) -> float:
    """Run PyInstaller on the spec; return the seconds it took. Raises CalledProcessError."""
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(dist), "--workpath", str(work), str(SPEC)],
        cwd=ROOT,
        check=True,
    )
    return time.monotonic() - started


def executable(folder: Path) -> Path:
    return folder / (f"{APP_NAME}.exe" if sys.platform == "win32" else APP_NAME)


def folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()
               and not path.is_symlink())


def zipped_bytes(folder: Path, scratch: Path) -> int:
    archive = scratch / f"{folder.name}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bundle:
        for path in sorted(folder.rglob("*")):
            if path.is_file() or path.is_symlink():
                bundle.write(path, path.relative_to(folder.parent))
    size = archive.stat().st_size
    archive.unlink()
    return size


def run_app(app: Path, data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", OPASSESS_DATA_DIR=str(data_dir))
    return subprocess.run(
        [str(app), "--data-dir", str(data_dir), *args],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=RUN_TIMEOUT,
        check=False,
    )


def _failure(result: subprocess.CompletedProcess[str]) -> str:
    said = (result.stderr.strip() or result.stdout.strip()).splitlines()[-3:]
    return f"exit code {result.returncode}" + (": " + " | ".join(said) if said else "")


def check_session_file(path: Path) -> str:
    if not path.is_file():
        return f"{path.name} was not written"
    from opassess.interchange import read_session_file

    workshop = read_session_file(path)  # validates against the schema and the rules
    if not workshop.participants:
        return f"{path.name} holds no participants"
    return "ok"


def check_workbook(path: Path, title: str) -> str:
    if not path.is_file():
        return f"{path.name} was not written"
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        cells = {
            value
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if isinstance(value, str)
        }
        if len(book.sheetnames) < 3:
            return f"{path.name} has only the sheets {book.sheetnames}"
    finally:
        book.close()
    return "ok" if any(title in value for value in cells) else f"{path.name} lacks the title"


def check_report(path: Path, title: str) -> str:
    if not path.is_file():
        return f"{path.name} was not written"
    data = path.read_bytes()
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
        return f"{path.name} is not a complete PDF"
    if b"DejaVuSans" not in data:  # the bundled font was found and embedded
        return f"{path.name} does not embed the bundled font"
    try:
        from pypdf import PdfReader
    except ImportError:  # a packaging-only environment: the byte checks above have to do
        return "ok"
    words = " ".join(PdfReader(path).pages[0].extract_text().split())  # the title may wrap
    return "ok" if " ".join(title.split()) in words else f"{path.name}'s cover lacks the title"


def check_build(folder: Path, scratch: Path, report: Report) -> None:
    """Run the built application headless and record each check in `report.checks`."""
    app = executable(folder)
    if not app.is_file():
        report.checks["executable"] = f"{app} is missing"
        return
    data_dir = scratch / "library"
    checks = report.checks

    result = run_app(app, data_dir, "--smoke-test")
    checks["smoke test"] = "ok" if result.returncode == 0 else _failure(result)

    session = scratch / "demo.opassess"
    result = run_app(app, data_dir, "demo", "--out", str(session))
    checks["demo session file"] = (
        check_session_file(session) if result.returncode == 0 else _failure(result)
    )
    if checks["demo session file"] != "ok":
        return
    from opassess.interchange import read_session_file

    title = read_session_file(session).title
    workbook, pdf = scratch / "demo.xlsx", scratch / "demo.pdf"
    result = run_app(app, data_dir, "export", str(session), "--xlsx", str(workbook),
                     "--pdf", str(pdf))
    if result.returncode != 0:
        checks["Excel export"] = checks["PDF export"] = _failure(result)
        return
    checks["Excel export"] = check_workbook(workbook, title)
    checks["PDF export"] = check_report(pdf, title)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="default: dist/")
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="default: build/")
    parser.add_argument("--no-build", action="store_true",
                        help="check the application already in --dist instead of building it")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the report here")
    args = parser.parse_args(argv)

    report = Report(version=package_version())
    folder = args.dist.resolve() / f"{APP_NAME}-{report.version}"
    report.folder = str(folder)
    if not args.no_build:
        try:
            import PyInstaller  # noqa: F401
        except ImportError:
            print('PyInstaller is not installed: pip install -e ".[package]"', file=sys.stderr)
            return 2
        print(f"Building {APP_NAME} {report.version} for {sys.platform}...", flush=True)
        try:
            report.build_seconds = round(build(args.dist.resolve(), args.work.resolve()), 1)
        except subprocess.CalledProcessError as exc:
            print(f"PyInstaller failed with exit code {exc.returncode}", file=sys.stderr)
            return 2
        print(f"Built in {report.build_seconds:.0f} s: {folder}")

    with tempfile.TemporaryDirectory(prefix="opassess-build-check-") as scratch_name:
        scratch = Path(scratch_name)
        if folder.is_dir():
            report.folder_mb = round(folder_bytes(folder) / 2**20, 1)
            report.zip_mb = round(zipped_bytes(folder, scratch) / 2**20, 1)
        check_build(folder, scratch, report)
        # Windows cannot delete the library folder while anything still holds it open.
        shutil.rmtree(scratch / "library", ignore_errors=True)

    for name, result in report.checks.items():
        print(f"  {name}: {result}")
    if report.folder_mb is not None:
        print(f"Size: {report.folder_mb} MB as a folder, {report.zip_mb} MB zipped")
    if args.json:
        args.json.write_text(json.dumps(asdict(report) | {"passed": report.passed}, indent=2))
    print("All checks passed." if report.passed else "Some checks failed.")
    return 0 if report.passed else 1


if __name__ == "__main__":
    sys.exit(main())
