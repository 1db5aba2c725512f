"""Closing the app exits 0 within 2 s whatever the worker is doing, with a clean stderr.

Each job kind runs in a fresh process (offscreen) started the way ``gui.app.run`` starts the
app; the window is closed while the job runs and the time from close to process exit is
measured inside the process. The processes of every case start together (``closed``), then
take turns: each waits until no test runs and no other case's job does (``alone_lock``)
before it starts its job, so the job, the close and the exit run alone, as each test did
when it was marked ``alone``, while their start-ups (imports, window) overlap.
"""

import os
import subprocess
import sys
import threading
import time

import pytest

pytestmark = [pytest.mark.gui, pytest.mark.alone_child]  # each times a process to its exit
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SCRIPT = """
import sys, time
from PySide6 import QtCore, QtWidgets
app = QtWidgets.QApplication(sys.argv)
from gui.app import finish
from gui.main_window import MainWindow
window = MainWindow(QtCore.QSettings({settings!r}, QtCore.QSettings.IniFormat))
pace = window.findChild(QtWidgets.QComboBox, "paceCombo")
pace.setCurrentIndex(pace.count() - 1)
window.panel.set_values({values})
window.show()
def begin():
    import fcntl
    global held
    held = open({lock!r}, "a")  # the job, the close and the exit run alone: locked until exit
    fcntl.flock(held, fcntl.LOCK_EX)
    {action}
    QtCore.QTimer.singleShot({close_ms} - 300, close)
def close():
    print("closing", time.monotonic(), flush=True)
    window.close()
QtCore.QTimer.singleShot(300, begin)
sys.exit(finish(window, app.exec()))
"""

SMALL = {"batch_size": 1, "epochs": 100000}
# one batch takes seconds here: longer than closing may wait
HUGE = {"hidden_layers": [3072, 3072], "batch_size": 400, "epochs": 1000}
JOBS = {
    "run": (SMALL, "window.start_pause()", 1500),
    "step": (SMALL, "[window.step() for _ in range(50)]", 600),
    "lr_finder": ({"batch_size": 256, "hidden_layers": [256, 256]},
                  "window.find_learning_rate()", 500),
    "view_refresh": (SMALL, "[window.worker.submit(__import__('gui.worker').worker"
                            ".refresh_view) for _ in range(200)]", 500),
    "huge_model": (HUGE, "window.start_pause()", 2500),
    # a sweep's two processes train (and race on the plots) when the window closes: closed
    # once both have sent steps
    "sweep": (SMALL, "d = window.experiments.open_sweep(); d.values_edit.setText('8,16,32'); "
                     "d.seeds_spin.setValue(1); training = set(); "
                     "d.runChunk.connect(lambda index, chunk: (training.add(index), "
                     "len(training) == 2 and close())); d.start()", 120000),
}


class Closing:
    """One case's process: its output and the moment it exited, seen by a thread of its own
    (the test that reads them may come long after); ``path``, a file it writes."""

    def __init__(self, script, path=None):
        self.path = path
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        self.process = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True)
        self.thread = threading.Thread(target=self.wait_for_exit, daemon=True)
        self.thread.start()

    def wait_for_exit(self):
        self.stdout, self.stderr = self.process.communicate()
        self.exited = time.monotonic()

    def result(self, timeout=120):
        """(exit status, stdout, stderr, the time.monotonic() of the exit); a process still
        running after ``timeout`` s is ended (it may hold the lock the others wait for)."""
        self.thread.join(timeout)
        if self.thread.is_alive():
            self.end()
            pytest.fail(f"still running after {timeout} s")
        return self.process.returncode, self.stdout, self.stderr, self.exited

    def end(self):
        if self.process.poll() is None:
            self.process.kill()
        self.thread.join(30)


#: Issue 15: a close during a long Export History (3 million steps, several seconds to write)
#: exits as fast; the file is the old one or the complete new one, never half of it.
EXPORT_STEPS = 3_000_000
EXPORT_ACTION = (
    "import numpy as np; from engine.history import History; from gui import messages; "
    "h = History(); n = {n}; "
    "[(h.begin_epoch(), h.record_batches(np.full(1000, 0.5, np.float32), "
    "np.full(1000, 0.1, np.float32), np.arange(low + 1, low + 1001), "
    "np.arange(low, low + 1000) * 1e-4)) for low in range(0, n, 1000)]; "
    "window.worker.submit(lambda w: setattr(w.trainer, 'history', h)); "
    "window.jobs.delivered.connect(lambda m: isinstance(m, messages.ExportProgress) and "
    "m.fraction >= 0.05 and window.isVisible() and "
    "(print('fraction', m.fraction, flush=True), close())); "
    "window.files.export_history({path!r})")


@pytest.fixture(scope="module")
def closed(tmp_path_factory, alone_lock, kept_processes):
    """Each case's process (by job kind; "export": a close during a long export, its ``path``
    the file the export writes over), all started now; ended, if still running, after the
    module's last test."""
    cases = {}
    for kind, (values, action, close_ms) in JOBS.items():
        folder = tmp_path_factory.mktemp(f"close-{kind}")
        cases[kind] = SCRIPT.format(settings=str(folder / "s.ini"), values=values,
                                    action=action, close_ms=close_ms, lock=alone_lock)
    folder = tmp_path_factory.mktemp("close-export")
    export = folder / "history.csv"
    export.write_text("the good copy\n")
    cases["export"] = SCRIPT.format(
        settings=str(folder / "s.ini"), values=SMALL,
        action=EXPORT_ACTION.format(n=EXPORT_STEPS, path=str(export)),
        close_ms=120000,  # closed by the first progress past 5 %
        lock=alone_lock)
    running = {kind: Closing(script, export if kind == "export" else None)
               for kind, script in cases.items()}
    kept_processes.update(closing.process.pid for closing in running.values())
    yield running
    for closing in running.values():
        closing.end()
        kept_processes.discard(closing.process.pid)


@pytest.mark.parametrize("kind", sorted(JOBS))
def test_close_exits_zero_within_two_seconds(kind, closed):
    returncode, stdout, stderr, exited = closed[kind].result()
    assert returncode == 0, stderr
    closing = float(stdout.split("closing", 1)[1].split()[0])
    assert exited - closing < 2.0
    noise = [line for line in stderr.splitlines()
             if "propagateSizeHints" not in line and line.strip()]
    assert noise == []


def test_close_during_a_long_export_exits_zero_and_keeps_the_old_file(closed):
    returncode, stdout, stderr, exited = closed["export"].result()
    path = closed["export"].path
    assert returncode == 0, stderr
    fraction = float(stdout.split("fraction", 1)[1].split()[0])
    assert 0.05 <= fraction < 1.0  # closed mid-write
    closing = float(stdout.split("closing", 1)[1].split()[0])
    assert exited - closing < 2.0
    noise = [line for line in stderr.splitlines()
             if "propagateSizeHints" not in line and line.strip()]
    assert noise == []
    with open(path) as handle:
        first = handle.readline()
        rows = 1 + sum(1 for _ in handle)
    assert (first, rows) in (("the good copy\n", 1), (
        "step,epoch,samples,seconds,batch_loss,learning_rate\n", EXPORT_STEPS + 1))
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == []  # no temp
