"""Sweeps keep their finished runs when a worker process dies or the user presses Ctrl-C.

The kills and Ctrl-Cs are real signals: SIGKILL to one worker process, SIGINT to a headless
sweep's whole process group (what a terminal sends). Every wait is bounded; every test checks
that no process is left.
"""

import csv
import io
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from engine import TrainingConfig
from engine.pool import ProcessPool, WorkerDied
from engine.sweep import Sweep, SweepRunner

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TINY = TrainingConfig(dataset="circle", n_samples=400, hidden_layers=(4,), epochs=2,
                      learning_rate=0.1, batch_size=16)

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="finds worker processes through /proc")


def pool_workers():
    """The live worker processes of this process's ProcessPools."""
    return [child for child in multiprocessing.active_children()
            if child.name == "losslab-pool-worker"]


def no_children_left(timeout=10.0):
    deadline = time.monotonic() + timeout
    while multiprocessing.active_children():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


# ---- the pool ------------------------------------------------------------------------------

def _pid_then_sleep(seconds):
    time.sleep(seconds)
    return os.getpid()


def test_a_dead_worker_fails_only_its_task_and_a_new_worker_runs_the_rest():
    pool = ProcessPool(2)
    try:
        long = pool.submit(_pid_then_sleep, 30)
        other = pool.submit(_pid_then_sleep, 0.5)
        deadline = time.monotonic() + 30
        while not (long.running() and other.running() and len(pool_workers()) == 2):
            assert time.monotonic() < deadline, "the two tasks did not start within 30 s"
            time.sleep(0.02)
        # the worker of the long task: the one still busy after the other finishes
        first_pid = other.result(timeout=30)
        victim = next(w for w in pool_workers() if w.pid != first_pid)
        os.kill(victim.pid, signal.SIGKILL)
        error = long.exception(timeout=30)
        assert isinstance(error, WorkerDied)
        assert str(error) == (f"worker process {victim.pid} died (killed by SIGKILL) while "
                              f"running this task")
        assert pool.deaths == [error]
        later = [pool.submit(_pid_then_sleep, 0) for _ in range(3)]
        pids = {future.result(timeout=30) for future in later}
        assert victim.pid not in pids
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    assert no_children_left()


def test_terminate_ends_running_tasks_as_ended_not_died():
    pool = ProcessPool(1)
    try:
        task = pool.submit(_pid_then_sleep, 30)
        deadline = time.monotonic() + 30
        while not (task.running() and pool_workers()):
            assert time.monotonic() < deadline
            time.sleep(0.02)
        waiting = pool.submit(_pid_then_sleep, 0)
        time.sleep(0.3)
        pool.terminate()
        error = task.exception(timeout=30)
        assert isinstance(error, WorkerDied) and error.ended
        assert "was ended before its task finished" in str(error)
        assert waiting.cancelled()
    finally:
        pool.shutdown(wait=True)
    assert no_children_left()


# ---- a sweep whose worker dies ---------------------------------------------------------------

def test_a_sweep_whose_worker_is_killed_names_it_and_trains_the_rest():
    """SIGKILL to one of two workers mid-run: that run is "failed" with the process and
    signal, every other run trains to its end on a new worker; before, every run was an error
    and the summary empty."""
    sweep = Sweep(TINY.replace(epochs=30), "batch_size", (8, 16, 32, 64, 128, 256))
    running = set()
    both = threading.Event()

    def on_chunk(index, chunk):
        running.add(index)
        if len(running) >= 2:
            both.set()

    runner = SweepRunner(sweep, on_chunk=on_chunk, workers=2, pace=400)
    runner.start()
    try:
        assert both.wait(60), "two runs did not start within 60 s"
        victim = pool_workers()[0]
        os.kill(victim.pid, signal.SIGKILL)
        result = runner.wait(timeout=120)
    finally:
        runner.shutdown(timeout=5)
    assert result is not None
    failed = [run for run in result.runs if run.outcome == "failed"]
    assert len(failed) == 1 and result.failed == failed
    assert failed[0].message == (f"worker process {victim.pid} died (killed by SIGKILL) "
                                 f"while running this task")
    assert len(result.runs) == 6
    assert all(run.completed and run.steps > 0 for run in result.runs if run not in failed)
    rows = list(csv.DictReader(io.StringIO(result.csv_text())))
    assert [row["outcome"] for row in rows].count("failed") == 1
    assert next(row for row in rows if row["outcome"] == "failed")["message"] == (
        failed[0].message)
    assert len(result.summary()["fixed"]) == 5  # the other points are all there
    assert no_children_left()


def _headless(*args):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.Popen([sys.executable, os.path.join(ROOT, "main.py"), *args],
                            stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT,
                            start_new_session=True)


def _children(pid):
    pids = []
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                pids += [int(p) for p in handle.read().split()]
        except OSError:
            continue
    return pids


def _is_worker(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return b"spawn_main" in handle.read()
    except OSError:
        return False


def _group_gone(pgid, timeout=10.0):
    """True once no process of group ``pgid`` is left (workers, the resource tracker)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def _end_group(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(30)
    process.stderr.close()
    if not _group_gone(process.pid, 5):
        os.killpg(process.pid, signal.SIGKILL)


@linux_only
def test_a_headless_sweep_whose_worker_is_killed_says_so_and_exits_4(tmp_path):
    out = tmp_path / "sweep"
    process = _headless("--sweep", "batch_size=8,16,32", "--seeds", "2", "--dataset", "circle",
                        "--n-samples", "2000", "--hidden-layers", "16", "--epochs", "9",
                        "--pace", "1000", "--out", str(out))
    try:
        lines = []
        for line in process.stderr:  # a run has ended: both workers are warm and busy
            lines.append(line)
            if line.startswith("sweep: 1/6"):
                break
        time.sleep(0.3)
        workers = [pid for pid in _children(process.pid) if _is_worker(pid)]
        assert len(workers) >= 2, lines
        os.kill(workers[0], signal.SIGKILL)
        stderr = "".join(lines) + process.stderr.read()
        status = process.wait(timeout=120)
    finally:
        _end_group(process)
    assert status == 4, stderr
    said = (f"worker process {workers[0]} died (killed by SIGKILL) while running this task")
    assert f"failed: {said}" in stderr
    assert "1 of 6 runs failed" in stderr and "Traceback" not in stderr
    with open(out / "sweep.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 6
    assert [row["message"] for row in rows if row["outcome"] == "failed"] == [said]
    assert sum(row["outcome"] == "finished" for row in rows) == 5
    assert (out / "sweep.png").read_bytes()[:4] == b"\x89PNG"
    assert _group_gone(process.pid)


# ---- Ctrl-C on a headless sweep --------------------------------------------------------------

@linux_only
def test_ctrl_c_on_a_headless_sweep_writes_the_finished_runs_and_exits_130(tmp_path):
    """SIGINT to the sweep's process group once the short run has finished: the long one
    stops at its next batch and is marked, sweep.csv and sweep.png are written, exit 130, no
    traceback from the main process or the workers, no process left."""
    out = tmp_path / "sweep"
    process = _headless("--sweep", "epochs=2,100000", "--dataset", "circle", "--n-samples",
                        "400", "--hidden-layers", "4", "--out", str(out))
    try:
        lines = []
        for line in process.stderr:
            lines.append(line)
            if line.startswith("sweep: 1/2"):
                break
        time.sleep(0.3)  # the long run trains on
        began = time.monotonic()
        os.killpg(process.pid, signal.SIGINT)
        stderr = "".join(lines) + process.stderr.read()
        status = process.wait(timeout=60)
        took = time.monotonic() - began
    finally:
        _end_group(process)
    assert status == 130, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    assert "stopping the sweep at the next batch" in stderr
    assert "sweep stopped: 1 of 2 runs finished, 1 stopped" in stderr
    assert took < 30
    with open(out / "sweep.csv", newline="") as handle:
        rows = {row["value"]: row for row in csv.DictReader(handle)}
    assert rows["2"]["outcome"] == "finished" and rows["2"]["epochs"] == "2"
    assert rows["100000"]["outcome"] == "stopped" and 0 < int(rows["100000"]["steps"])
    assert (out / "sweep.png").read_bytes()[:4] == b"\x89PNG"
    assert _group_gone(process.pid)


# ---- the app -------------------------------------------------------------------------------

@pytest.mark.gui
def test_the_apps_sweep_ends_when_a_worker_dies_keeps_the_finished_runs_and_says_why(
        window, qtbot):
    from PySide6 import QtGui, QtWidgets
    window.panel.set_values({"dataset": "circle", "n_samples": 400, "hidden_layers": (4,),
                             "epochs": 30, "learning_rate": 0.1})
    window.pace_combo.setCurrentIndex(window.pace_combo.findData(300))
    window.findChild(QtGui.QAction, "sweepAction").trigger()
    dialog = window.experiments.dialog
    dialog.values_edit.setText("8,16,32,64")
    for name, check in dialog.strategy_checks.items():
        check.setChecked(name == "fixed")
    dialog.seeds_spin.setValue(1)
    running = set()
    dialog.runChunk.connect(lambda index, chunk: running.add(index))
    dialog.start_button.click()
    qtbot.waitUntil(lambda: len(running) >= 2, timeout=60000)
    victim = pool_workers()[0]
    with qtbot.waitSignal(dialog.sweepFinished, timeout=120000) as finished:
        os.kill(victim.pid, signal.SIGKILL)
    result = finished.args[0]
    assert [run.outcome for run in result.runs].count("failed") == 1
    assert sum(run.completed for run in result.runs) == 3
    qtbot.waitUntil(lambda: len(window.session.kept) == 3, timeout=10000)
    label = dialog.findChild(QtWidgets.QLabel, "sweepMessageLabel")
    assert label.isVisible()
    assert label.text() == (f"1 of 4 runs failed; the finished runs are kept. worker process "
                            f"{victim.pid} died (killed by SIGKILL) while running this task")
    english = label.text()
    window.set_language("ko")  # the open dialog tells it again, from the message's template
    assert label.text() == ("4회 중 1회가 실패했습니다. 완료된 실행은 보관됩니다. 작업자 프로세스 "
                            f"{victim.pid}이(가) 이 작업을 실행하던 중 종료되었습니다(SIGKILL 신호로 "
                            "강제 종료)")
    window.set_language("en")
    assert label.text() == english
    assert no_children_left()


@pytest.mark.gui
def test_a_dead_workers_message_reads_in_korean(qtbot):
    from gui.i18n import tr
    reason = WorkerDied(4321, -signal.SIGKILL)  # as a run's result carries it: its message
    text = tr("{failed} of {total} runs failed; the finished runs are kept. {reason}", "ko",
              failed=1, total=4, reason=reason)
    assert text == ("4회 중 1회가 실패했습니다. 완료된 실행은 보관됩니다. 작업자 프로세스 "
                    "4321이(가) 이 작업을 실행하던 중 종료되었습니다(SIGKILL 신호로 강제 종료)")
