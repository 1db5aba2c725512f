"""Dropping on the window (issue 25 #15): a CSV file becomes the dataset as File > Open CSV makes
it, a run folder opens as File > Open Run opens it, anything else is named in the status bar."""

import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from gui.controls import VALUE_ROLE
from tests.benchmarks.open_run_speed import write_run


@pytest.fixture
def window(shared_window):
    """One window for the module's tests: each drop is measured against what the window held
    before it."""
    return shared_window


def mime_of(*paths, text=None):
    mime = QtCore.QMimeData()
    if paths:
        mime.setUrls([QtCore.QUrl.fromLocalFile(str(path)) for path in paths])
    if text is not None:
        mime.setText(text)
    return mime


def drop(window, mime):
    """Drag ``mime`` over the window and drop it, as a desktop would; whether the drag was
    accepted."""
    point = QtCore.QPoint(window.width() // 2, window.height() // 2)
    enter = QtGui.QDragEnterEvent(point, QtCore.Qt.CopyAction, mime, QtCore.Qt.LeftButton,
                                  QtCore.Qt.NoModifier)
    QtWidgets.QApplication.sendEvent(window, enter)
    event = QtGui.QDropEvent(QtCore.QPointF(point), QtCore.Qt.CopyAction, mime,
                             QtCore.Qt.LeftButton, QtCore.Qt.NoModifier)
    QtWidgets.QApplication.sendEvent(window, event)
    return enter.isAccepted() and event.isAccepted()


def test_the_window_accepts_drops(window):
    assert window.acceptDrops()


def test_a_dropped_csv_file_becomes_the_dataset(window, qtbot, tmp_path):
    path = tmp_path / "points.csv"
    path.write_text("a,b,label\n" + "".join(f"{i},{i % 3},{i % 2}\n" for i in range(40)))
    assert drop(window, mime_of(path))
    combo = window.panel.widgets["dataset"]
    qtbot.waitUntil(lambda: combo.currentData(VALUE_ROLE) == f"csv:{path}", timeout=10000)


def test_a_dropped_run_folder_opens_as_a_kept_run(window, qtbot, tmp_path):
    folder = tmp_path / "run"
    write_run(str(folder), 300)
    with qtbot.waitSignal(window.files.run_opener.finished, timeout=20000) as opened:
        assert drop(window, mime_of(folder))
    assert opened.args == [1]
    assert window.session.kept[-1].n_steps == 300


def test_anything_else_is_refused_with_a_status_message(window, tmp_path):
    other = tmp_path / "notes.txt"
    other.write_text("not data")
    combo = window.panel.widgets["dataset"]
    dataset = combo.currentData(VALUE_ROLE)
    kept = list(window.session.kept)
    status = window.statusBar()
    cases = [(mime_of(other), "notes.txt is neither a CSV file nor a run folder"),
             (mime_of(text="some text"), "Drop a CSV file to train on it"),
             (mime_of(tmp_path / "gone.csv"), "gone.csv does not exist"),
             (mime_of(other, other), "one file or folder at a time")]
    for mime, expected in cases:
        assert drop(window, mime)
        assert expected in status.currentMessage()
    assert combo.currentData(VALUE_ROLE) == dataset
    assert window.session.kept == kept  # nothing kept
