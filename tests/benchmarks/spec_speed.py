"""What a live learning-rate change costs the GUI thread with a 20,000-row CSV loaded.

    QT_QPA_PLATFORM=offscreen python -m tests.benchmarks.spec_speed [--rows 20000] [--repeats 20]

The main window opens a CSV of ``--rows`` rows (two features, a 0/1 label), trains one batch
(so the run is started and a change goes to the trainer live), then the learning-rate control
is set ``--repeats`` times; each ``setValue`` runs every slot on the GUI thread synchronously
(the panel's reaction, ``Trainer.update``, the pending-changes diff, the dataset/loss check),
so its wall time is the GUI thread's cost. Also timed: one loss change (the compatibility
marks of every loss against every dataset entry), how many times the CSV was parsed (read and
converted, not cache lookups), and the start-up of a second window that remembers the CSV
(settings saved by the first one's close, the engine's cache emptied as in a new process,
timed until its model is built). Prints medians in milliseconds. Issue 15's bounds, with
``--rows 100000``: start-up <= 2 s, a loss change <= 100 ms.

The same script runs against an older checkout (``PYTHONPATH=that/checkout``) to give a
before/after pair; it needs only ``MainWindow``, ``panel.add_csv``, ``panel.set_value``,
``window.step`` and ``window.trainer``, which both have.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6 import QtCore, QtWidgets  # noqa: E402

from engine import datasets  # noqa: E402


def write_csv(path, rows):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(rows, 2))
    y = (x[:, 0] * x[:, 1] > 0).astype(int)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("a,b,label\n")
        for (a, b), label in zip(x, y):
            handle.write(f"{a:.6f},{b:.6f},{label}\n")


def wait_until(app, condition, timeout=30.0):
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the window did not get there in time")
        app.processEvents(QtCore.QEventLoop.AllEvents, 20)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args(argv)
    folder = tempfile.mkdtemp(prefix="losslab-spec-speed-")
    csv_path = os.path.join(folder, "rows.csv")
    write_csv(csv_path, args.rows)

    # the file really read and converted (the engine's cache's hits are not counted)
    datasets.clear_csv_cache()

    def parses():
        return sum(datasets.csv_parses().values())

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
    from gui import MainWindow
    settings = QtCore.QSettings(os.path.join(folder, "settings.ini"), QtCore.QSettings.IniFormat)
    window = MainWindow(settings)
    window.show()
    window.panel.add_csv(csv_path, select=True)
    wait_until(app, lambda: window.trainer is not None
               and window.trainer.config.dataset == f"csv:{csv_path}")
    window.step()
    wait_until(app, lambda: window.trainer.step_count >= 1)
    opened = parses()

    lr_times = []
    for index in range(args.repeats):
        rate = 0.01 if index % 2 else 0.02
        started = time.perf_counter()
        window.panel.set_value("learning_rate", rate)
        lr_times.append(time.perf_counter() - started)
        app.processEvents()
    lr_parses = parses() - opened

    loss_times = []
    for loss in ("hinge", "binary_crossentropy", "squared_hinge", "binary_crossentropy"):
        started = time.perf_counter()
        window.panel.set_value("loss", loss)
        loss_times.append(time.perf_counter() - started)
        app.processEvents()
    loss_parses = parses() - opened - lr_parses

    print(f"rows {args.rows}: CSV parsed {opened} times on opening it")
    print(f"live learning-rate change: median {statistics.median(lr_times) * 1e3:.3f} ms, "
          f"max {max(lr_times) * 1e3:.3f} ms over {args.repeats}; CSV parsed {lr_parses} "
          f"times")
    print(f"loss change: median {statistics.median(loss_times) * 1e3:.1f} ms over "
          f"{len(loss_times)}; CSV parsed {loss_parses} times")
    window.close()
    app.processEvents()

    datasets.clear_csv_cache()  # as in a new process: the file is read again
    before = parses()
    started = time.perf_counter()
    again = MainWindow(QtCore.QSettings(os.path.join(folder, "settings.ini"),
                                        QtCore.QSettings.IniFormat))
    again.show()
    wait_until(app, lambda: again.trainer is not None
               and again.trainer.config.dataset == f"csv:{csv_path}")
    print(f"start-up remembering the CSV: {time.perf_counter() - started:.2f} s; CSV parsed "
          f"{parses() - before} times")
    again.close()
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
