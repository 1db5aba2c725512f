"""Open Run on a big run folder (issue 25 #8): the reader's time and peak memory, and how long
the window's event loop stalls while the folder opens.

    QT_QPA_PLATFORM=offscreen python -m tests.benchmarks.open_run_speed [--rows 10000000]
        [--folder PATH] [--no-gui] [--no-load]

Writes a run folder of ``--rows`` steps (10M steps: a 470 MB ``history.csv``; 2M for a quick
run) into ``--folder`` unless it holds one already (then it is reused), or into a temporary
folder, then, each in a fresh interpreter:

- ``Run.load`` of the folder: its seconds and the process's peak resident memory
  (``ru_maxrss``, what ``/usr/bin/time -v`` reports as "Maximum resident set size"), beside
  the same interpreter's peak after only importing the engine;
- the window opening the folder while a 10 ms timer runs (and the loop checks its
  conditions between turns of at most 50 ms): the longest gap between the timer's ticks
  from the click until a second after the run is kept, drawn on the batch-loss plot and in
  the kept-run database, and when it ended; the time until each of the three; how long
  closing the window takes afterwards; the window process's peak memory.

For a before/after pair, copy this file into the other checkout's ``tests/benchmarks`` and run
it there (the window's script imports ``gui`` from the current folder): it needs ``Run.load``
and the window's ``files.open_runs(folder)``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile

import numpy as np

STEPS_PER_EPOCH = 1000

LOAD = ("import sys, time; from engine.run import Run; import resource; "
        "base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss; "
        "t = time.perf_counter(); run = Run.load(sys.argv[1]); "
        "print(time.perf_counter() - t, run.steps, base)")

GUI = r"""
import contextlib, os, sqlite3, sys, tempfile, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6 import QtCore, QtWidgets
app = QtWidgets.QApplication([])
from gui import MainWindow
folder = tempfile.mkdtemp(prefix="losslab-open-run-")
window = MainWindow(QtCore.QSettings(os.path.join(folder, "s.ini"), QtCore.QSettings.IniFormat))
window.show()
for _ in range(20):
    app.processEvents()
database = os.path.join(window.settings.data_folder("kept-runs"), "kept.sqlite")
plot = window.findChild(QtWidgets.QWidget, "batchLossPlot")


def drawn():
    # nothing is drawn on the batch-loss plot before the run arrives: no run was started
    for item in plot.getPlotItem().items:
        x = item.getData()[0] if hasattr(item, "getData") else None
        if x is not None and len(x):
            return True
    return False


def saved():
    try:
        with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True,
                                                timeout=0)) as db:
            return db.execute("SELECT count(*) FROM runs").fetchone()[0] == 1
    except sqlite3.Error:
        return False


ticks = []
timer = QtCore.QTimer()
timer.setInterval(10)
timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
timer.start()
commands = getattr(window, "files", window)
began = time.perf_counter()
ticks.append(began)
commands.open_runs(sys.argv[1])
returned = time.perf_counter()
times = {}
deadline = began + 900
while time.perf_counter() < deadline:
    app.processEvents(QtCore.QEventLoop.AllEvents, 50)
    now = time.perf_counter()
    ticks.append(now)  # the loop's own turn: a handler that held it shows as a gap too
    if "kept" not in times and len(window.session.kept) == 1:
        times["kept"] = now
    if "kept" in times and "drawn" not in times and drawn():
        times["drawn"] = now
    if "drawn" in times and "saved" not in times and saved():
        times["saved"] = now
        deadline = now + 1.0  # a stall just after counts too
timer.stop()
gaps = [b - a for a, b in zip(ticks, ticks[1:])]
longest = max(range(len(gaps)), key=gaps.__getitem__)
ends = [times.get(name, float("nan")) - began for name in ("kept", "drawn", "saved")]
closing = time.perf_counter()
window.close()
closed = time.perf_counter() - closing
import resource
print(returned - began, max(gaps), ticks[longest + 1] - began, *ends, closed,
      len(window.session.kept),
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
import shutil
shutil.rmtree(folder, ignore_errors=True)  # the kept-run database: as large as the run
"""


def write_run(folder, rows):
    """A run folder of ``rows`` steps: summary.json, history.csv (the six columns the app
    writes, as ``History.to_csv`` formats them) and epochs.csv."""
    from engine.config import TrainingConfig
    os.makedirs(folder, exist_ok=True)
    epochs = -(-rows // STEPS_PER_EPOCH)
    summary = {"label": "big", "outcome": "finished", "config": TrainingConfig().to_dict(),
               "steps": rows, "epochs_completed": epochs}
    with open(os.path.join(folder, "summary.json"), "w", encoding="utf-8") as handle:
        json.dump(summary, handle)
    rng = np.random.default_rng(0)
    with open(os.path.join(folder, "history.csv"), "w") as handle:
        handle.write("step,epoch,samples,seconds,batch_loss,learning_rate\n")
        for low in range(0, rows, 200_000):
            step = np.arange(low + 1, min(low + 200_000, rows) + 1)
            table = np.column_stack([step, (step - 1) // STEPS_PER_EPOCH + 1, step * 32,
                                     step * 1e-3, rng.random(step.size).astype(np.float32),
                                     np.full(step.size, 0.01)])
            np.savetxt(handle, table, fmt=["%d", "%d", "%d", "%.6f", "%.7g", "%.7g"],
                       delimiter=",")
    with open(os.path.join(folder, "epochs.csv"), "w") as handle:
        handle.write("epoch,train_loss,val_loss,train_accuracy,val_accuracy,seconds\n")
        for epoch in range(1, epochs + 1):
            handle.write(f"{epoch},0.5,0.6,nan,nan,1.0\n")


def measure_load(folder):
    """(seconds, steps, peak bytes, peak bytes after importing the engine) of Run.load."""
    done = subprocess.run([sys.executable, "-c", LOAD, folder], capture_output=True, text=True,
                          check=True)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # kB on Linux
    seconds, steps, base = done.stdout.split()
    return float(seconds), int(steps), peak, int(base) * 1024


def measure_window(folder):
    """What opening ``folder`` costs the window, from the click: a dict of seconds
    (``returned``: until open_runs returned; ``stall``: the 10 ms timer's longest gap,
    ``stall_end``: when it ended;
    ``kept``, ``drawn``, ``saved``: until the run was in the session, on the batch-loss plot,
    in the kept-run database; ``close``: closing the window afterwards) and ``peak``, the
    window process's peak resident memory in bytes."""
    done = subprocess.run([sys.executable, "-c", GUI, folder], capture_output=True, text=True,
                          check=False, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    if done.returncode:
        raise RuntimeError(f"the window's process failed: {done.stderr[-3000:]}")
    *values, count, peak = done.stdout.split()[-9:]
    if int(count) != 1:
        raise RuntimeError(f"the window kept {count} runs, not 1: {done.stderr[-2000:]}")
    names = ("returned", "stall", "stall_end", "kept", "drawn", "saved", "close")
    return {**dict(zip(names, map(float, values))), "peak": int(peak) * 1024}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--folder", help="the run folder to open: written there (--rows "
                        "steps) when it holds no history.csv, reused when it does")
    parser.add_argument("--no-gui", action="store_true", help="measure Run.load only")
    parser.add_argument("--no-load", action="store_true", help="measure the window only")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="losslab-open-run-") as scratch:
        folder = args.folder or os.path.join(scratch, "big-run")
        if not os.path.exists(os.path.join(folder, "history.csv")):
            write_run(folder, args.rows)
        size = os.path.getsize(os.path.join(folder, "history.csv"))
        if not args.no_load:
            seconds, steps, peak, base = measure_load(folder)
            print(f"history.csv {size / 2**20:.0f} MB, {steps:,} steps: Run.load {seconds:.1f} "
                  f"s, peak memory {peak / 2**20:.0f} MB (after import {base / 2**20:.0f} MB; "
                  f"{(peak - base) / size:.2f}x the file)")
        if not args.no_gui:
            w = measure_window(folder)
            print(f"window, history.csv {size / 2**20:.0f} MB: longest event-loop stall "
                  f"{w['stall'] * 1000:.0f} ms (ending {w['stall_end']:.1f} s after the "
                  f"click) from the click until the run was saved; "
                  f"open_runs returned after {w['returned'] * 1000:.0f} ms; run kept after "
                  f"{w['kept']:.1f} s, drawn after {w['drawn']:.1f} s, saved after "
                  f"{w['saved']:.1f} s; closing took {w['close'] * 1000:.0f} ms; peak memory "
                  f"{w['peak'] / 2**20:.0f} MB")


if __name__ == "__main__":
    main()
