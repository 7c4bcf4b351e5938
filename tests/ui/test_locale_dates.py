"""The report's dates from the GUI and from the CLI are the same on a German desktop.

The GUI's QApplication sets the C library's locale from the environment (the fixtures in
tests/conftest.py build that desktop): a report written after it must still name its months in
English, exactly as `main.py export --pdf` does.
"""

from __future__ import annotations

GUI_SCRIPT = """
import sys
from PySide6.QtWidgets import QApplication
app = QApplication([])  # sets the C library's locale from the environment, as the GUI does
from opassess.export.pdf import write_report
from opassess.interchange import read_session_file
write_report(read_session_file(sys.argv[1]), sys.argv[2])
"""


def test_the_report_prints_the_same_english_dates_from_the_gui_and_the_cli(
    cli_report, report_written_by, assert_same_english_dates
):
    assert_same_english_dates(report_written_by(GUI_SCRIPT), cli_report)
