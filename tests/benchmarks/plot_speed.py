"""Kept runs on the batch-loss plot: what one redraw costs with 20 runs of 100,000 steps.

    QT_QPA_PLATFORM=offscreen python -m tests.benchmarks.plot_speed [--runs 20] [--steps 100000]

The plot (900x500, as in a maximised window) holds ``--runs`` kept runs and a current run of
the same length. Three changes are timed from the call that makes them to the plot painted
(its redraw, then a full paint forced by ``grab``), each the median of ``--repeat``:

1. a pan (a new x range, which redraws at once): every kept run's visible part at the detail
   the view needs, handed to its curve;
2. a new chunk of the current run (200 steps) while the kept runs stay as they were: the
   kept curves are not touched, only the current run's tail;
3. an x-mode switch to samples seen (every kept run's x in that mode, computed once per run).

Also the same pan with no kept runs, so the ratio shows what the runs add. The goal of issue
11 is (1) at most 30 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6 import QtWidgets  # noqa: E402


def make_plot(runs, steps):
    from gui.plots import BatchLossPlot, run_color
    rng = np.random.default_rng(0)
    plot = BatchLossPlot()
    plot.resize(900, 500)
    plot.show()
    step = np.arange(1, steps + 1)
    epoch = (step - 1) // 1000 + 1
    for index in range(runs):
        batch = 2 ** (index % 10)
        loss = np.abs(np.exp(-step / (steps / (1 + index % 5))) + rng.normal(0, 0.1, steps))
        plot.add_run(index, f"run {index}", run_color(index))
        plot.set_run_data(index, step, epoch, loss=loss, samples=step * batch,
                          seconds=step * 1e-4 * (1 + index))
    plot.append(step, epoch, np.abs(rng.normal(1.0, 0.3, steps)), step * 4, step * 1e-4)
    plot.redraw()
    plot.grab()
    return plot


def timed(action, plot, repeat):
    """Median milliseconds from ``action(index)`` to the plot redrawn and painted (a change
    that redraws at once, as a pan does, leaves the redraw nothing to do)."""
    times = []
    for index in range(repeat):
        started = time.perf_counter()
        action(index)
        plot.redraw()
        plot.grab()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def pan(plot, steps):
    view = plot.getPlotItem().vb

    def action(index):
        low = (index % 7) * steps / 20
        view.setXRange(low, low + steps / 2, padding=0)
    return action


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args(argv)
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    plot = make_plot(args.runs, args.steps)
    app.processEvents()
    panned = timed(pan(plot, args.steps), plot, args.repeat)
    next_step = [args.steps + 1]

    def chunk(index):
        step = np.arange(next_step[0], next_step[0] + 200)
        next_step[0] += 200
        plot.append(step, (step - 1) // 1000 + 1, np.full(200, 0.5), step * 4, step * 1e-4)
    chunked = timed(chunk, plot, args.repeat)
    modes = ["samples", "step"]
    switched = timed(lambda index: plot.set_x_mode(modes[index % 2]), plot, args.repeat)
    bare = make_plot(0, args.steps)
    app.processEvents()
    alone = timed(pan(bare, args.steps), bare, args.repeat)
    print(f"batch-loss plot 900x500, {args.runs} kept runs of {args.steps:,} steps and a "
          f"current run of as many (medians of {args.repeat}):")
    print(f"  pan (every run redrawn, full paint): {panned:.1f} ms "
          f"(goal <= 30 ms; {alone:.1f} ms with no kept runs, x{panned / alone:.1f})")
    print(f"  a new chunk of the current run: {chunked:.1f} ms")
    print(f"  x-mode switch step <-> samples (includes the mode's x per run, cached): "
          f"{switched:.1f} ms")
    plot.close()
    bare.close()


if __name__ == "__main__":
    main()
