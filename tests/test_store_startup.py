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


@pytest.mark.parametrize("language", ["en", "ko"])
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
