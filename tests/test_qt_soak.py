"""Soak: window after window in one process -- build, train, keep runs, switch the language,
close -- with the collector run between, under faulthandler. Each window must be freed, the
process must not grow, and nothing may crash (the full suite's rare segfault and "pure virtual
method called" abort came from Qt objects the collector deleted at arbitrary moments).

It runs in its own process (a crash fails the test with faulthandler's traceback, not the
suite), under ``-m slow``; the default suite's ``tests/test_qt_ownership.py`` checks the same
ownership on a few windows in its own process.
"""

import os
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.gui
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SOAK = textwrap.dedent("""
    import gc, os, sys, tempfile, weakref
    from PySide6 import QtCore, QtWidgets
    app = QtWidgets.QApplication(sys.argv)
    from gui.main_window import MainWindow

    def rss_mb():
        with open("/proc/self/status") as handle:
            return next(int(line.split()[1]) / 1024 for line in handle
                        if line.startswith("VmRSS:"))

    def wait_until(condition, seconds):
        deadline = QtCore.QDeadlineTimer(int(seconds * 1000))
        while not condition():
            if deadline.hasExpired():
                raise SystemExit("timed out")
            app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 20)

    count = {count}
    settings = os.path.join(tempfile.mkdtemp(), "s.ini")
    alive = weakref.WeakSet()
    start = None
    for index in range(count):
        if index == 2:  # the first windows fill caches (fonts, translations, glyphs)
            start = rss_mb()
        window = MainWindow(QtCore.QSettings(settings, QtCore.QSettings.IniFormat))
        pace = window.findChild(QtWidgets.QComboBox, "paceCombo")
        pace.setCurrentIndex(pace.count() - 1)
        window.panel.set_values({{"epochs": 2, "batch_size": 64}})
        window.show()
        for run in range(2):
            window.findChild(QtWidgets.QAbstractButton, "startButton").click()
            wait_until(lambda: window.state == "ended", 30)
            assert window.keep_run() is not None
            window.reset()
        window.set_language("ko" if index % 2 == 0 else "en")
        wait_until(lambda: True, 0)
        window.clear_kept_runs()  # the settings file stays small: the next window starts alike
        window.close()
        alive.add(window)
        del window
        QtWidgets.QApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
        gc.collect()
    print("alive", len(alive))
    print("growth_mb_per_window", (rss_mb() - start) / (count - 2))
""")


def soak(count, tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path),
               XDG_CONFIG_HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path))
    result = subprocess.run([sys.executable, "-X", "faulthandler", "-c",
                             SOAK.format(count=count)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60 + 20 * count)
    assert result.returncode == 0, result.stderr[-4000:]
    report = dict(line.split() for line in result.stdout.splitlines() if line.strip())
    return int(report["alive"]), float(report["growth_mb_per_window"]), result.stderr


@pytest.mark.slow
def test_fifty_windows_in_one_process_under_faulthandler(tmp_path):
    alive, growth, stderr = soak(50, tmp_path)
    print(f"50 windows: {alive} alive, resident memory {growth:+.2f} MB a window")  # -rP
    assert alive == 0
    assert growth <= 2.0
    assert [line for line in stderr.splitlines()
            if line.strip() and "propagateSizeHints" not in line] == []
