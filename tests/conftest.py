"""What both halves of the suite use: a German desktop for child processes, and the demo report
printed there from the command line, to prove dates never follow the computer's language.

The GUI's QApplication sets the C library's locale from the environment, so a month named
through strftime (%B, %b) would print in the desktop's language from the GUI and in English from
the command line. tests/core/test_wording.py sets the locale as QApplication does, without Qt;
tests/ui/test_locale_dates.py goes through QApplication itself.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GERMAN = "de_DE.UTF-8"
# Dates whose German month names differ from the English ones, for the demo report.
HELD_ON = date(2026, 12, 5)  # "5 December 2026", never "5 Dezember 2026"
REASSESS_ON = date(2027, 3, 1)  # "1 March 2027", never "1 März 2027"
ENGLISH = ("5 December 2026", "1 March 2027")  # written out here, not by the code under test
GERMAN_MONTHS = ("Januar", "Februar", "März", "Mai", "Juni", "Juli", "Oktober", "Dezember")
DATE = re.compile(r"\b\d{1,2} [^\W\d_]+ \d{4}\b")


def run_child(args: list[str], env: dict[str, str]) -> None:
    """Run `python args…` in the project folder; fail with its output if it fails."""
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def pdf_words(path: Path) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


@pytest.fixture(scope="session")
def german_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of a German desktop for a child process: a de_DE.UTF-8 locale compiled
    with localedef into a temporary folder (LOCPATH), and LC_ALL and LANG naming it; Qt, if a
    child starts it, draws off screen. Skips when the locale cannot be built or does not load."""
    localedef = shutil.which("localedef")
    if localedef is None:
        pytest.skip("localedef is missing: it builds the German locale these tests run under")
    folder = tmp_path_factory.mktemp("locales")
    built = subprocess.run(
        [localedef, "-i", "de_DE", "-f", "UTF-8", str(folder / GERMAN)],
        capture_output=True,
        text=True,
        check=False,
    )
    if not (folder / GERMAN).exists():
        pytest.skip(f"localedef could not build {GERMAN} (no locale sources?): {built.stderr}")
    env = {k: v for k, v in os.environ.items() if not k.startswith("LC_") and k != "LANG"}
    env.update(LOCPATH=str(folder), LC_ALL=GERMAN, LANG=GERMAN, QT_QPA_PLATFORM="offscreen")
    env["OPASSESS_DATA_DIR"] = str(folder / "library")  # never the user's own library
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import locale, datetime; locale.setlocale(locale.LC_ALL, '');"
            "print(datetime.date(2026, 12, 5).strftime('%B'))",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if probe.stdout.strip() != "Dezember":
        pytest.skip(f"the {GERMAN} locale built does not load: {probe.stdout}{probe.stderr}")
    return env


@pytest.fixture
def german_demo(german_env: dict[str, str], tmp_path: Path) -> Path:
    """A demo session file written by `main.py demo --out` on the German desktop, its workshop
    held on HELD_ON and to be re-assessed on REASSESS_ON."""
    from opassess.interchange import read_session_file, write_session_file
    from opassess.workshop import update_details

    path = tmp_path / "demo.opassess"
    run_child(["main.py", "demo", "--participants", "3", "--out", str(path)], german_env)
    dated = update_details(read_session_file(path), held_on=HELD_ON, reassess_on=REASSESS_ON)
    write_session_file(dated, path)
    return path


@pytest.fixture
def cli_report(german_env: dict[str, str], german_demo: Path, tmp_path: Path) -> str:
    """The text of the demo's PDF report as `main.py export --pdf` writes it on that desktop."""
    path = tmp_path / "from-the-cli.pdf"
    run_child(["main.py", "export", str(german_demo), "--pdf", str(path)], german_env)
    return pdf_words(path)


@pytest.fixture
def report_written_by(
    german_env: dict[str, str], german_demo: Path, tmp_path: Path
) -> Callable[[str], str]:
    """Runs a script on the German desktop with the demo session file and a PDF path as its
    arguments; returns the text of the PDF it wrote."""

    def written(script: str) -> str:
        path = tmp_path / "from-a-script.pdf"
        run_child(["-c", script, str(german_demo), str(path)], german_env)
        return pdf_words(path)

    return written


@pytest.fixture
def assert_same_english_dates() -> Callable[[str, str], None]:
    """Checks that a report prints the dates the CLI's does, in English and never German."""

    def check(text: str, cli_text: str) -> None:
        assert DATE.findall(text) == DATE.findall(cli_text)
        for shown in ENGLISH:
            assert shown in text and shown in cli_text
        for printed in (text, cli_text):
            assert not [m for m in GERMAN_MONTHS if re.search(rf"\b{m}\b", printed)]

    return check
