"""Guard against PySide6 6.12.0's refcount bug (the pin in requirements.txt says why).

On CPython 3.11, PySide6 6.12.0 lowered ``None``'s reference count on every call of an
overridden virtual returning None (``paintEvent`` and friends) until the interpreter aborted.
requirements.txt pins ``<6.12``; this test fails on any version that brings the bug back.
"""

import sys

import pytest
from PySide6 import QtGui, QtWidgets

pytestmark = pytest.mark.gui
REPAINTS = 3000


class PaintCounter(QtWidgets.QWidget):
    def __init__(self):
        super().__init__()
        self.paints = 0

    def paintEvent(self, event):
        painter = QtGui.QPainter(self)
        painter.fillRect(self.rect(), QtGui.QColor(255, 255, 255))
        painter.end()
        self.paints += 1


def test_overridden_paint_event_keeps_none_refcount(qtbot):
    widget = PaintCounter()
    qtbot.addWidget(widget)
    widget.resize(40, 40)
    widget.show()
    qtbot.waitExposed(widget, timeout=5000)
    before = sys.getrefcount(None)
    for _ in range(REPAINTS):
        widget.grab()
    after = sys.getrefcount(None)
    assert widget.paints >= REPAINTS
    assert after >= before - 100
