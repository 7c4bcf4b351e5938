"""Guards against a Qt binding that corrupts Python's reference counts (PySide6 6.12.0 did)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QRectF


def test_void_qt_calls_keep_the_reference_count_of_none():
    rect = QRectF(0, 0, 1, 1)
    before = sys.getrefcount(None)
    for _ in range(200):
        rect.setWidth(2)
    assert sys.getrefcount(None) >= before - 5, "this PySide6 release leaks references to None"
