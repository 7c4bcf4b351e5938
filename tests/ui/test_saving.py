"""A file name typed without its suffix: the file it then names is not replaced unasked."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from ui.saving import with_suffix


def test_the_suffix_is_added_and_an_existing_file_asked_about(qtbot, tmp_path, monkeypatch):
    parent = QWidget()
    qtbot.addWidget(parent)
    asked: list[str] = []
    answer = QMessageBox.StandardButton.No

    def question(_parent, _title, text, *_args):
        asked.append(text)
        return answer

    monkeypatch.setattr(QMessageBox, "question", question)
    assert with_suffix(parent, tmp_path / "report", ".pdf") == tmp_path / "report.pdf"
    assert with_suffix(parent, tmp_path / "report.PDF", ".pdf") == tmp_path / "report.PDF"
    assert not asked  # nothing there yet, or the save dialog itself asked

    (tmp_path / "keep.pdf").write_bytes(b"the earlier report")
    assert with_suffix(parent, tmp_path / "keep", ".pdf") is None
    assert asked and "keep.pdf" in asked[0]
    answer = QMessageBox.StandardButton.Yes
    assert with_suffix(parent, tmp_path / "keep", ".pdf") == tmp_path / "keep.pdf"
