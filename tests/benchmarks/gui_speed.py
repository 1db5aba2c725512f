"""The app under load: GUI training speed against headless, event-loop latency, big redraws.

    QT_QPA_PLATFORM=offscreen python -m tests.benchmarks.gui_speed

1. Model A (2-16-16-1, tanh, binary crossentropy, SGD) at batch size 1, in one process, in
   paired phases: the app's run paused while the same configuration trains headless
   (``Trainer.fit`` in a thread, the GUI thread asleep) for ``--seconds``, then the app's run
   resumed for ``--seconds`` while a 10 ms QTimer measures how late the event loop runs.
   ``--pairs`` pairs; the ratio is taken within each pair, so the busy spells of this shared
   machine (seconds long) mostly hit both sides alike. The app's run goes on through all pairs,
   so its plots hold ever more points, as in a long session.
   With ``--kept 0,10`` (the default) the pairs alternate between no kept runs and that many
   kept runs visible on every plot (issue 11: with 10 kept runs the app keeps >= 80 % of
   headless steps/s and a p99 lateness <= 50 ms, as with none); each kept run is
   ``--kept-steps`` steps long (default 20,000, a realistic run), built from its arrays.
2. The batch-loss plot with 1,000,000 points: one redraw after a new point arrives (the visible
   part of the level-of-detail series to the curves, then a full paint forced by ``grab``),
   median of 5.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6 import QtCore, QtWidgets  # noqa: E402

from engine import Trainer, TrainingConfig  # noqa: E402

MODEL_A = dict(dataset="circle", loss="binary_crossentropy", optimizer="sgd",
               learning_rate=0.03, hidden_layers=(16, 16), activation="tanh", batch_size=1,
               epochs=100000, n_samples=2000)


def headless_rate(seconds):
    """Steps/s of ``Trainer.fit`` in a thread while this (the GUI) thread sleeps."""
    trainer = Trainer(TrainingConfig(**MODEL_A))
    stop = threading.Event()
    thread = threading.Thread(target=trainer.fit, kwargs=dict(stop=stop))
    started = time.perf_counter()
    thread.start()
    time.sleep(seconds)
    steps = trainer.step_count
    elapsed = time.perf_counter() - started
    stop.set()
    thread.join()
    return steps / elapsed


def run_events(app, seconds):
    loop = QtCore.QEventLoop()
    QtCore.QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def app_phase(app, window, seconds):
    """Resume the app's run for ``seconds``: steps/s, timer lateness (ms), GUI thread CPU."""
    window.start_pause()  # resume
    run_events(app, 0.3)  # the first chunk after resuming
    ticks = []
    timer = QtCore.QTimer()
    timer.setTimerType(QtCore.Qt.PreciseTimer)
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    steps_before = window.trainer.step_count
    started = time.perf_counter()
    cpu_started = time.thread_time()
    timer.start()
    run_events(app, seconds)
    timer.stop()
    elapsed = time.perf_counter() - started
    rate = (window.trainer.step_count - steps_before) / elapsed
    gui_cpu = (time.thread_time() - cpu_started) / elapsed
    window.start_pause()  # pause
    run_events(app, 0.1)
    return rate, (np.diff(ticks) - 0.010) * 1000, gui_cpu


def kept_run(key, n_steps, steps_per_epoch=500):
    """A kept run of ``n_steps`` steps built straight from arrays (training it is slow)."""
    from gui.session import EPOCH_COLUMNS, KeptRun
    rng = np.random.default_rng(key)
    step = np.arange(1, n_steps + 1, dtype=np.float64)
    loss = 0.7 * np.exp(-step / (2000 + 500 * key)) + 0.05 * np.abs(rng.normal(size=n_steps))
    steps = {"step": step, "epoch": np.ceil(step / steps_per_epoch), "samples": step,
             "seconds": step / 20000, "batch_loss": loss,
             "learning_rate": np.full(n_steps, 0.01 * (key + 1))}
    n_epochs = n_steps // steps_per_epoch
    epochs = {name: np.linspace(0.7, 0.1, n_epochs) for name in EPOCH_COLUMNS}
    return KeptRun(key, TrainingConfig(**{**MODEL_A, "learning_rate": 0.01 * (key + 1)}),
                   steps, epochs, "finished", n_steps / 20000, 20000.0)


def set_kept(window, count, n_steps):
    """Show ``count`` kept runs on the plots (the same runs each time), or none."""
    session = window.session
    if len(session.kept) == count:
        return
    session.clear_kept()
    for key in range(count):
        session.add_kept(kept_run(key, n_steps))


def paired_rates(app, seconds, pairs, kept_counts=(0,), kept_steps=20000):
    from gui import MainWindow

    settings = QtCore.QSettings(os.path.join(tempfile.mkdtemp(), "bench.ini"),
                                QtCore.QSettings.IniFormat)
    window = MainWindow(settings)
    window.resize(1440, 900)
    window.show()
    window.panel.set_values(dict(MODEL_A))
    window.pace_combo.setCurrentIndex(window.pace_combo.count() - 1)  # full speed ("max")
    run_events(app, 2)
    window.start_pause()
    deadline = time.perf_counter() + 10
    while (window.trainer is None or window.trainer.step_count == 0) and (
            time.perf_counter() < deadline):
        app.processEvents()
    window.start_pause()  # pause; each pair resumes it
    run_events(app, 0.2)
    results = {count: ([], [], [], []) for count in kept_counts}
    for index in range(pairs * len(kept_counts)):
        count = kept_counts[index % len(kept_counts)]
        set_kept(window, count, kept_steps)
        run_events(app, 0.5)  # the kept runs drawn once, as when they were kept
        headless, gui, lateness, cpu = results[count]
        headless.append(headless_rate(seconds))
        rate, late, gui_cpu = app_phase(app, window, seconds)
        gui.append(rate)
        lateness.append(late)
        cpu.append(gui_cpu)
    points = len(window.plots["batchLossPlot"].steps)
    window.stop()
    window.session.clear_kept()
    window.close()
    return results, points


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
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--pairs", type=int, default=15,
                        help="pairs per number of kept runs")
    parser.add_argument("--kept", default="0,10",
                        help="numbers of kept runs to alternate between, comma-separated")
    parser.add_argument("--kept-steps", type=int, default=20000)
    parser.add_argument("--no-redraw", action="store_true",
                        help="skip the 1,000,000-point redraw")
    args = parser.parse_args(argv)
    kept_counts = tuple(int(part) for part in args.kept.split(","))
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    results, points = paired_rates(app, args.seconds, args.pairs, kept_counts, args.kept_steps)
    print(f"model A, batch 1, {args.pairs} pairs of {args.seconds:g} s (headless, then the "
          f"app) per number of kept runs ({args.kept_steps:,} steps each), alternating; "
          f"{points:,} points on the batch plot at the end")
    for count, (headless, gui, lateness, cpu) in results.items():
        ratios = sorted(g / h for g, h in zip(gui, headless))
        quartiles = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else ratios * 3
        late = np.concatenate(lateness)
        print(f"{count} kept: headless {statistics.median(headless):,.0f} steps/s, in the app "
              f"{statistics.median(gui):,.0f} steps/s (medians); app/headless per pair: "
              f"median {statistics.median(ratios):.0%}, quartiles {quartiles[0]:.0%}-"
              f"{quartiles[2]:.0%}, range {ratios[0]:.0%}-{ratios[-1]:.0%}; 10 ms timer "
              f"lateness p50 {np.percentile(late, 50):.1f} ms, p99 "
              f"{np.percentile(late, 99):.1f} ms, max {late.max():.1f} ms; GUI thread "
              f"{statistics.median(cpu):.0%} of one core")
    if args.no_redraw:
        return 0
    print(f"batch-loss plot, 1,000,000 points, one redraw: {redraw_million(app):.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
