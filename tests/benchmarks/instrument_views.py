"""The app's speed with the four instrument views shown against hidden, on the default run.

    QT_QPA_PLATFORM=offscreen python -m tests.benchmarks.instrument_views
    QT_QPA_PLATFORM=offscreen python -m tests.benchmarks.instrument_views --pairs 9
    QT_QPA_PLATFORM=offscreen python -m tests.benchmarks.instrument_views --epochs 300 --runs 1

One window at full speed ("max" pace) trains the default run (the controls as a fresh start
sets them) to its end, in pairs: once with the views hidden (nothing measured), once with
sharpnessPlot, noiseScalePlot, lossHistogramPlot and layerNormsPlot shown (the worker
measures what they draw, gui.live_instruments, at its default budget). Which side goes first
alternates between pairs, so a busy spell of this shared machine does not land on one side
only. Speed is steps per second of training time (the session's ``CurrentRun.wall_seconds``);
each side of a pair trains ``--runs`` runs (one lasts ~0.3 s), its speed their steps
over their seconds; the figure is the median over the pairs of shown / hidden. Also the process's CPU time a step
(both threads, resets included: the work the views add, which a busy machine's scheduling
does not blur as it does wall time) and the instruments' CPU time against the training's
as the worker counts it (LiveInstruments.share).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6 import QtCore, QtWidgets  # noqa: E402

VIEWS = ("sharpnessPlot", "noiseScalePlot", "lossHistogramPlot", "layerNormsPlot")


def run_to_end(app, window, timeout=120.0):
    """Train the window's current configuration from a fresh model to its end: its steps and
    training seconds, and its trainer."""
    assert window.reset(quiet=True)
    window.start_pause()
    deadline = time.perf_counter() + timeout
    while window.state != "ended":
        if time.perf_counter() > deadline:
            raise RuntimeError("the run did not end in time")
        app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 20)
    run = window.session.run
    return run.step_count, run.wall_seconds, window.trainer


def show(window, shown):
    for name in VIEWS:
        window.plot_actions[name].setChecked(shown)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=7)
    parser.add_argument("--runs", type=int, default=3,
                        help="runs per side of a pair (one default run lasts ~0.3 s)")
    parser.add_argument("--epochs", type=int, default=None,
                        help="the default run with this many epochs (longer runs, same steps)")
    args = parser.parse_args(argv)
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    from gui import MainWindow
    folder = tempfile.mkdtemp(prefix="losslab-bench-")
    window = MainWindow(QtCore.QSettings(os.path.join(folder, "settings.ini"),
                                         QtCore.QSettings.IniFormat))
    window.pace_combo.setCurrentIndex(window.pace_combo.count() - 1)  # "max"
    window.resize(1440, 900)
    window.show()
    try:
        if args.epochs:
            window.panel.set_value("epochs", args.epochs)
        config = window.current_config()
        print(f"default run: {config.dataset}, layers {config.hidden_layers}, "
              f"{config.optimizer} {config.learning_rate}, batch {config.batch_size}, "
              f"{config.epochs} epochs")
        run_to_end(app, window)  # warm-up: first-run costs on neither side
        ratios, cpu_ratios, shares, counts = [], [], [], None
        for pair in range(args.pairs):
            speeds, cpu = {}, {}
            for shown in ((False, True) if pair % 2 == 0 else (True, False)):
                show(window, shown)
                steps = seconds = 0.0
                cpu_started = time.process_time()
                for _run in range(args.runs):
                    run_steps, run_seconds, trainer = run_to_end(app, window)
                    steps, seconds = steps + run_steps, seconds + run_seconds
                    if shown:
                        live = window.worker.instruments
                        shares.append(live.share)
                        counts = dict(live.inner.measured) if live.inner is not None else {}
                    else:
                        assert len(trainer.history.instruments) == 0  # nothing measured
                speeds[shown] = steps / seconds
                cpu[shown] = (time.process_time() - cpu_started) / steps
            ratios.append(speeds[True] / speeds[False])
            cpu_ratios.append(cpu[True] / cpu[False])
            print(f"pair {pair + 1}: hidden {speeds[False]:,.0f} steps/s, shown "
                  f"{speeds[True]:,.0f} steps/s, ratio {ratios[-1]:.3f}; process CPU a step "
                  f"shown / hidden {cpu_ratios[-1]:.3f}")
        print(f"\nshown / hidden, median of {args.pairs} pairs: {statistics.median(ratios):.3f} "
              f"(range {min(ratios):.3f}-{max(ratios):.3f}); speed drop "
              f"{1 - statistics.median(ratios):.1%}")
        print(f"process CPU time a step (both threads, resets included), shown / hidden: "
              f"median {statistics.median(cpu_ratios):.3f} (range {min(cpu_ratios):.3f}-"
              f"{max(cpu_ratios):.3f})")
        print(f"instruments' CPU time against the training's in the shown runs: median "
              f"{statistics.median(shares):.1%}; measurements in the last shown run of "
              f"{trainer.step_count} steps: {counts}")
    finally:
        window.close()
        QtWidgets.QApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)


if __name__ == "__main__":
    main()
