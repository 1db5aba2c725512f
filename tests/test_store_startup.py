"""The app starts whatever its kept-run store holds (issue 25, item 2): each bad run is named
in the status bar, in the window's language, the rest load, and nothing is deleted.

A fresh process each, started as ``gui.app.run`` starts the app: start-up is the point (the
old store aborted it with exit 134 on every launch until the file was deleted by hand).
"""

import json
import os
import subprocess
import sys

import pytest

from tests.test_store import bad_legacy_store, contents

pytestmark = pytest.mark.gui
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SCRIPT = """
import json, sys
from PySide6 import QtCore, QtWidgets
app = QtWidgets.QApplication(sys.argv)
from gui.app import finish
from gui.main_window import MainWindow
window = MainWindow(QtCore.QSettings({settings!r}, QtCore.QSettings.IniFormat))
window.show()
def report():
    print(json.dumps({{"kept": [k.name for k in window.session.kept],
                      "status": window.statusBar().currentMessage()}}), flush=True)
    window.close()
QtCore.QTimer.singleShot(500, report)
sys.exit(finish(window, app.exec()))
"""


@pytest.mark.parametrize("language", [
    "ko", pytest.param("en", marks=pytest.mark.slow)])  # tests/test_store.py checks English
def test_the_app_starts_with_bad_kept_runs_and_names_each_in_the_status_bar(tmp_path,
                                                                          language):
    settings = tmp_path / "s.ini"
    settings.write_text(f"[General]\nlanguage={language}\n")
    folder = tmp_path / "kept-runs"  # the window's store, beside its settings file
    bad = bad_legacy_store(folder)
    before = contents(folder)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", SCRIPT.format(settings=str(settings))],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    assert shown["kept"] == ["run 0"]
    for name in bad:
        assert name in shown["status"]
    hangul = any("\uac00" <= ch <= "\ud7a3" for ch in shown["status"])
    assert hangul == (language == "ko")
    for name in bad:
        assert (folder / name).read_bytes() == before[name]


#: A window that keeps runs (through the session, as a sweep does: the window saves them when
#: ``kept_changed`` fires) and closes when told, in step with a second one (files ``go-*``).
WINDOW = """
import os, sys, time
from PySide6 import QtCore, QtWidgets
app = QtWidgets.QApplication(sys.argv)
from gui.app import finish
from gui.main_window import MainWindow
from tests.test_store import signed_run
settings, first, go = sys.argv[1], int(sys.argv[2]), sys.argv[3]
window = MainWindow(QtCore.QSettings(settings, QtCore.QSettings.IniFormat))
window.show()

def wait_for(path):
    deadline = time.monotonic() + 60
    while not os.path.exists(path) and time.monotonic() < deadline:
        time.sleep(0.001)

def keep():
    print("loaded", flush=True)
    wait_for(go + "-keep")
    for number in range(first, first + 3):
        window.session.add_kept(signed_run(number, steps=20000))
    window.session.remove_kept(window.session.kept[-3].key)
    print("ready", flush=True)
    wait_for(go)
    window.close()

QtCore.QTimer.singleShot(300, keep)
sys.exit(finish(window, app.exec()))
"""


@pytest.mark.slow  # tests/test_store.py runs the same with two sessions (2 s, not 9)
def test_two_windows_with_one_settings_folder_keep_both_sets_of_runs(tmp_path):
    from tests.test_store import loaded, save
    settings, go = tmp_path / "s.ini", tmp_path / "go"
    save(tmp_path / "kept-runs", [1]).close_kept()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    windows = [subprocess.Popen([sys.executable, "-c", WINDOW, str(settings), str(first),
                                 str(go)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for first in (100, 200)]
    try:
        for step, signal_file in (("loaded", tmp_path / "go-keep"), ("ready", go)):
            for window in windows:
                assert window.stdout.readline().strip() == step, window.stderr.read()
            signal_file.write_text(step)
        outputs = [window.communicate(timeout=60) for window in windows]
    finally:
        for window in windows:
            window.kill()
            window.wait(timeout=10)
    for window, (_out, err) in zip(windows, outputs):
        assert window.returncode == 0, err
    signatures, problems = loaded(tmp_path / "kept-runs")  # each run's arrays its own
    assert problems == []
    assert sorted(signatures) == [1, 101, 102, 201, 202]


def test_the_window_saves_a_run_when_it_is_kept_and_names_a_store_it_cannot_use(
        make_window, tmp_path):
    """In process: a run is in the store as soon as it is kept (a crash after that loses
    nothing) and gone when removed; a ``kept-runs`` that is a file is named in the status bar
    at start-up, and the runs kept go beside it."""
    from gui.model import store
    from tests.test_store import loaded, signed_run
    window = make_window(str(tmp_path / "s.ini"))
    folder = window.settings.data_folder("kept-runs")
    kept = window.session.add_kept(signed_run(7))
    assert loaded(folder) == ([7], [])
    window.session.remove_kept(kept.key)
    assert loaded(folder) == ([], [])
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "kept-runs").write_text("a file")
    window = make_window(str(tmp_path / "taken" / "s.ini"))
    message = window.statusBar().currentMessage()
    assert "kept-runs is a file, not a folder" in message
    window.session.add_kept(signed_run(8))
    fallback = window.settings.data_folder("kept-runs") + store.FALLBACK_SUFFIX
    assert os.path.isfile(os.path.join(fallback, store.DATABASE))
    assert (tmp_path / "taken" / "kept-runs").read_text() == "a file"
