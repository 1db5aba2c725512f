"""The app under load: GUI training speed against headless, event-loop latency, big redraws.

    QT_QPA_PLATFORM=offscreen python -m tests.benchmarks.gui_speed

1. Model A (2-16-16-1, tanh, binary crossentropy, SGD) at batch size 1: the steps/s the engine
   reaches inside the app while a 10 ms QTimer measures how late the event loop runs, against
   ``Trainer.fit`` alone for the same configuration, in the same process.
2. The batch-loss plot with 1,000,000 points: one redraw after a new point arrives (setData with
   peak downsampling, then a full paint forced by ``grab``), median of 5.
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

from engine import Trainer, TrainingConfig  # noqa: E402

MODEL_A = dict(dataset="circle", loss="binary_crossentropy", optimizer="sgd",
               learning_rate=0.03, hidden_layers=(16, 16), activation="tanh", batch_size=1,
               epochs=100000, n_samples=2000)


def headless_rate(seconds):
    trainer = Trainer(TrainingConfig(**MODEL_A))
    import threading
    stop = threading.Event()
    started = time.perf_counter()
    trainer.fit(on_batches=lambda chunk: stop.set() if time.perf_counter() - started >
                seconds else None, stop=stop)
    return trainer.step_count / (time.perf_counter() - started)


def gui_rate(app, seconds):
    from gui import MainWindow

    settings = QtCore.QSettings(os.path.join(tempfile.mkdtemp(), "bench.ini"),
                                QtCore.QSettings.IniFormat)
    window = MainWindow(settings)
    window.resize(1440, 900)
    window.show()
    window.panel.set_values({k: v for k, v in MODEL_A.items()})
    deadline = time.perf_counter() + 5
    while time.perf_counter() < deadline:
        app.processEvents()
    window.start_pause()
    while window.trainer is None or window.trainer.step_count == 0:
        app.processEvents()
    ticks = []
    timer = QtCore.QTimer()
    timer.setTimerType(QtCore.Qt.PreciseTimer)
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    steps_before = window.trainer.step_count
    started = time.perf_counter()
    cpu_started = time.thread_time()
    timer.start()
    loop = QtCore.QEventLoop()
    QtCore.QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()
    timer.stop()
    elapsed = time.perf_counter() - started
    gui_cpu = (time.thread_time() - cpu_started) / elapsed
    rate = (window.trainer.step_count - steps_before) / elapsed
    window.stop()
    window.close()
    lateness = (np.diff(ticks) - 0.010) * 1000
    return (rate, float(np.percentile(lateness, 50)), float(np.percentile(lateness, 99)),
            gui_cpu)


def redraw_million(app, repeats=5):
    import pyqtgraph as pg

    from gui.plots import BatchLossPlot

    plot = BatchLossPlot()
    plot.resize(900, 500)
    plot.show()
    rng = np.random.default_rng(0)
    n = 1_000_000
    losses = np.abs(rng.normal(1.0, 0.3, n)) * np.exp(-np.arange(n) / 3e5)
    plot.append(np.arange(1, n + 1), np.ones(n, dtype=np.int64), losses)
    times = []
    for i in range(repeats):
        # one more point, as a live chunk brings: setData, downsampling, then a full paint
        plot.append(np.array([n + i + 1]), np.array([1]), np.array([losses[-1]]))
        started = time.perf_counter()
        plot.redraw()
        plot.grab()
        times.append((time.perf_counter() - started) * 1000)
    plot.close()
    del pg
    return statistics.median(times)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    headless, gui, p50, p99, cpu = [], [], [], [], []
    for _ in range(args.rounds):  # interleaved, so a busy spell of the machine hits both
        headless.append(headless_rate(args.seconds))
        rate, median_late, p99_late, gui_cpu = gui_rate(app, args.seconds)
        gui.append(rate)
        p50.append(median_late)
        p99.append(p99_late)
        cpu.append(gui_cpu)
    ratios = [g / h for g, h in zip(gui, headless)]
    print(f"model A, batch 1, {args.rounds} interleaved rounds of {args.seconds:g} s "
          f"(medians): headless {statistics.median(headless):,.0f} steps/s, in the app "
          f"{statistics.median(gui):,.0f} steps/s; app/headless per round "
          f"{', '.join(f'{r:.0%}' for r in ratios)} (median {statistics.median(ratios):.0%})")
    print(f"event-loop lateness of a 10 ms timer while training: p50 "
          f"{statistics.median(p50):.1f} ms, p99 {statistics.median(p99):.1f} ms (worst round "
          f"{max(p99):.1f} ms); the GUI thread used {statistics.median(cpu):.0%} of one core")
    print(f"batch-loss plot, 1,000,000 points, one redraw: {redraw_million(app):.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
