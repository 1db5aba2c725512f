"""The digits batch-size sweep on two worker processes against the same runs one after another.

    python -m tests.benchmarks.sweep_speed             # 5 batch sizes x 4 strategies x 3 seeds
    python -m tests.benchmarks.sweep_speed --epochs 5  # a quicker look
    python -m tests.benchmarks.sweep_speed --gui       # event-loop latency during the sweep

The sweep: digits, (32,) relu, categorical crossentropy, SGD at 0.1 (the fixed and linear
strategies' base rate at batch 32), 20 epochs, batch sizes 8, 32, 128, 512 and the full training
set, strategies fixed, linear, lars and adam, 3 seeds: 60 runs. "serial" trains them one after
another in this process (``engine.sweep.run_point``, BLAS on one thread, as each worker does);
"parallel" runs the same sweep through ``SweepRunner`` on a two-process pool, startup of the
processes and the manager included. The target is parallel / serial <= 0.6 on two cores.

It also prints the validation accuracy per batch size and strategy (mean and spread over the
seeds, diverged runs counted), as measured.

``--gui`` runs the same sweep from the app's Run > Sweep… (offscreen; the runs race on the
window's plots and each finished run is kept) and measures the GUI event loop meanwhile, from
Start until the race has kept the last run: a 10 ms timer's lateness, p50/p99/max (target p99
<= 50 ms).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import multiprocessing
import os
import platform
import statistics
import time

from engine import TrainingConfig
from engine.sweep import STRATEGIES, SweepResult, Sweep, SweepRunner, run_point


def make_sweep(epochs, seeds):
    base = TrainingConfig(dataset="digits", loss="categorical_crossentropy", optimizer="sgd",
                          learning_rate=0.1, hidden_layers=(32,), activation="relu",
                          epochs=epochs)
    return Sweep(base, "batch_size", (8, 32, 128, 512, "full"), STRATEGIES, seeds)


def gui_latency(sweep, workers):
    """Run ``sweep`` from the app (Run > Sweep…, the race drawn on the window's plots at full
    pace, each finished run kept); return (timer lateness in ms sorted, wall seconds, chunks)."""
    import tempfile

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6 import QtCore, QtWidgets

    from gui.main_window import MainWindow

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    settings = QtCore.QSettings(os.path.join(tempfile.mkdtemp(), "bench.ini"),
                                QtCore.QSettings.IniFormat)
    window = MainWindow(settings)
    window.pace_combo.setCurrentIndex(window.pace_combo.count() - 1)  # max: a real race
    base = sweep.base
    window.panel.set_values({"dataset": base.dataset, "loss": base.loss,
                             "optimizer": base.optimizer, "learning_rate": base.learning_rate,
                             "hidden_layers": list(base.hidden_layers),
                             "activation": base.activation, "epochs": base.epochs})
    window.resize(1280, 800)
    window.show()
    # the window settles first (its first layout, paint and the controls' deferred reset):
    # the sweep starts from a window at rest, as a user's does
    settle = QtCore.QEventLoop()
    QtCore.QTimer.singleShot(1500, settle.quit)
    settle.exec()
    dialog = window.experiments.open_sweep()
    dialog.values_edit.setText(",".join(str(v) for v in sweep.values))
    for name, check in dialog.strategy_checks.items():
        check.setChecked(name in sweep.strategies)
    dialog.seeds_spin.setValue(sweep.seeds)
    late, chunks = [], [0]
    dialog.runChunk.connect(lambda index, chunk: chunks.__setitem__(0, chunks[0] + 1))
    last = [time.perf_counter()]

    def tick():
        now = time.perf_counter()
        late.append(max(0.0, (now - last[0]) * 1000 - 10))
        last[0] = now

    timer = QtCore.QTimer(interval=10, timerType=QtCore.Qt.PreciseTimer)
    timer.timeout.connect(tick)
    loop = QtCore.QEventLoop()
    race = window.experiments.race
    # until the sweep has ended and the race has kept every finished run
    idle = QtCore.QTimer(interval=50)
    idle.timeout.connect(lambda: None if dialog.running or race.busy else loop.quit())
    started = time.perf_counter()
    timer.start()
    dialog.start()
    idle.start()
    QtCore.QTimer.singleShot(600_000, loop.quit)
    loop.exec()
    timer.stop()
    idle.stop()
    seconds = time.perf_counter() - started
    kept = len(window.session.kept)
    window.close()
    app.processEvents()
    return sorted(late), seconds, chunks[0], kept


def _load():
    """The 1-minute load average (other processes on this machine count too)."""
    return f"{os.getloadavg()[0]:.2f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3,
                        help="serial and parallel runs, taking turns")
    parser.add_argument("--manager", action="store_true",
                        help="also time the sweep on a given pool (stop flag via a Manager)")
    parser.add_argument("--gui", action="store_true",
                        help="measure the dialog's event loop during the sweep instead")
    args = parser.parse_args()
    sweep = make_sweep(args.epochs, args.seeds)
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"{sweep.size} runs of {args.epochs} epochs")
    if args.gui:
        late, seconds, chunks, kept = gui_latency(sweep, args.workers)
        print(f"sweep from the app: {seconds:.2f} s, {chunks} live chunks raced on the plots, "
              f"{kept} kept runs (load average {_load()})")
        print(f"10 ms timer lateness: p50 {late[len(late) // 2]:.1f} ms, "
              f"p99 {late[int(len(late) * 0.99)]:.1f} ms, max {late[-1]:.1f} ms "
              f"({len(late)} ticks; target p99 <= 50 ms)")
        return

    # serial and parallel take turns, so a load from elsewhere falls on both alike
    serial_times, parallel_times, ratios = [], [], []
    for repeat in range(args.repeats):
        started = time.perf_counter()
        serial = SweepResult(sweep, [run_point(point) for point in sweep.points()])
        serial_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        # the runner's own pool (no Manager process): what the app and --sweep use
        parallel = SweepRunner(sweep, workers=args.workers).start().wait()
        parallel_times.append(time.perf_counter() - started)
        ratios.append(parallel_times[-1] / serial_times[-1])
        print(f"repeat {repeat + 1}: serial {serial_times[-1]:6.2f} s, parallel "
              f"{parallel_times[-1]:6.2f} s, ratio {ratios[-1]:.2f}  (load average "
              f"{_load()})", flush=True)
    if args.manager:
        pool = concurrent.futures.ProcessPoolExecutor(
            max_workers=args.workers, mp_context=multiprocessing.get_context("spawn"))
        started = time.perf_counter()
        try:
            SweepRunner(sweep, executor=pool).start().wait()
        finally:
            pool.shutdown(wait=True)
        print(f"for comparison, a given process pool (a Manager for the stop flag): "
              f"{time.perf_counter() - started:.2f} s")
    serial_seconds, parallel_seconds = statistics.median(serial_times), statistics.median(
        parallel_times)
    print(f"serial (one process):        {serial_seconds:7.2f} s (median of {args.repeats})")
    print(f"parallel ({args.workers} processes):     {parallel_seconds:7.2f} s "
          f"(pool startup included; median)")
    print(f"ratio parallel / serial:     {statistics.median(ratios):7.2f} "
          f"(median of per-repeat ratios {', '.join(f'{r:.2f}' for r in ratios)}; "
          f"target <= 0.6)")
    same = all(a.final == b.final for a, b in zip(serial.runs, parallel.runs))
    print(f"same final metrics in both:  {same}")
    print()
    print(f"validation accuracy after {args.epochs} epochs, mean ± sd over {args.seeds} seeds "
          f"(parallel run):")
    summary = parallel.summary("val_accuracy")
    header = "strategy".ljust(9) + "".join(str(v).rjust(16) for v in sweep.values)
    print(header)
    for strategy, rows in summary.items():
        cells = []
        for row in rows:
            cell = f"{row['mean']:.3f}±{row['std']:.3f}"
            if row["diverged"]:
                cell += f" ({row['diverged']}d)"
            cells.append(cell.rjust(16))
        print(strategy.ljust(9) + "".join(cells))


if __name__ == "__main__":
    main()
