"""Shared test setup.

Qt runs offscreen, and Qt's settings go to a temporary folder, both set before any Qt import.
Qt itself is imported only by the fixtures GUI tests use, so engine tests never load it.
"""

import gc
import os
import sys
import tempfile

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# QSettings on Linux writes under XDG_CONFIG_HOME: never the user's real settings.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="losslab-test-config-")


def _running_qthreads():
    if "PySide6.QtCore" not in sys.modules:
        return []
    from PySide6.QtCore import QThread
    main = QThread.currentThread()
    running = []
    for obj in gc.get_objects():
        if isinstance(obj, QThread) and obj is not main:
            try:
                if obj.isRunning():
                    running.append(obj)
            except RuntimeError:  # the C++ thread object is already deleted
                continue
    return running


@pytest.fixture(autouse=True)
def no_dangling_qthread():
    """Fail any test that leaves a QThread running."""
    yield
    running = _running_qthreads()
    for thread in running:
        thread.quit()
        thread.wait(5000)
    assert not running, f"test left {len(running)} QThread(s) running"


@pytest.fixture
def settings_path(tmp_path):
    """Path of a per-test INI settings file."""
    return str(tmp_path / "losslab-settings.ini")


@pytest.fixture
def messages(monkeypatch):
    """Record message boxes instead of showing them (a modal box would block the test)."""
    from PySide6.QtWidgets import QMessageBox
    shown = []
    for kind in ("warning", "critical", "information", "question"):
        def record(parent, title, text, *args, _kind=kind, **kwargs):
            shown.append((_kind, title, text))
            return QMessageBox.Ok
        monkeypatch.setattr(QMessageBox, kind, staticmethod(record))
    monkeypatch.setattr(QMessageBox, "about", staticmethod(
        lambda parent, title, text: shown.append(("about", title, text))))
    return shown


@pytest.fixture
def make_window(qtbot, settings_path, messages):
    """Factory for main windows using a temporary settings file; all closed at teardown."""
    from PySide6.QtCore import QSettings
    from gui import MainWindow
    windows = []

    def make(path=settings_path):
        window = MainWindow(QSettings(path, QSettings.IniFormat))
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        qtbot.waitExposed(window, timeout=5000)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()


@pytest.fixture
def window(make_window):
    """One shown main window."""
    return make_window()


def pytest_collection_modifyitems(config, items):
    """Skip ``@pytest.mark.slow`` tests unless a ``-m`` expression was given (``-m slow``)."""
    if config.option.markexpr:
        return
    skip = pytest.mark.skip(reason="slow stress variant: run with -m slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
