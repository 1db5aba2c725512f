"""The digits batch-size sweep on two worker processes against the same runs one after another.

    python -m tests.benchmarks.sweep_speed             # 5 batch sizes x 4 strategies x 3 seeds
    python -m tests.benchmarks.sweep_speed --epochs 5  # a quicker look

The sweep: digits, (32,) relu, categorical crossentropy, SGD at 0.1 (the fixed and linear
strategies' base rate at batch 32), 20 epochs, batch sizes 8, 32, 128, 512 and the full training
set, strategies fixed, linear, lars and adam, 3 seeds: 60 runs. "serial" trains them one after
another in this process (``engine.sweep.run_point``, BLAS on one thread, as each worker does);
"parallel" runs the same sweep through ``SweepRunner`` on a two-process pool, startup of the
processes and the manager included. The target is parallel / serial <= 0.6 on two cores.

It also prints the validation accuracy per batch size and strategy (mean and spread over the
seeds, diverged runs counted), as measured.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import multiprocessing
import os
import platform
import time

from engine import TrainingConfig
from engine.sweep import STRATEGIES, SweepResult, Sweep, SweepRunner, run_point


def make_sweep(epochs, seeds):
    base = TrainingConfig(dataset="digits", loss="categorical_crossentropy", optimizer="sgd",
                          learning_rate=0.1, hidden_layers=(32,), activation="relu",
                          epochs=epochs)
    return Sweep(base, "batch_size", (8, 32, 128, 512, "full"), STRATEGIES, seeds)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    sweep = make_sweep(args.epochs, args.seeds)
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"{sweep.size} runs of {args.epochs} epochs")

    started = time.perf_counter()
    serial = SweepResult(sweep, [run_point(point) for point in sweep.points()])
    serial_seconds = time.perf_counter() - started

    pool = concurrent.futures.ProcessPoolExecutor(
        max_workers=args.workers, mp_context=multiprocessing.get_context("spawn"))
    started = time.perf_counter()
    try:
        parallel = SweepRunner(sweep, executor=pool).start().wait()
    finally:
        pool.shutdown(wait=True)
    parallel_seconds = time.perf_counter() - started

    print(f"serial (one process):        {serial_seconds:7.2f} s")
    print(f"parallel ({args.workers} processes):     {parallel_seconds:7.2f} s "
          f"(pool and manager startup included)")
    print(f"ratio parallel / serial:     {parallel_seconds / serial_seconds:7.2f} "
          f"(target <= 0.6)")
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
