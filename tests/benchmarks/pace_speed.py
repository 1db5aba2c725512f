"""Pace accuracy and the cost of pacing, in one run.

    python -m tests.benchmarks.pace_speed            # 5 repetitions
    python -m tests.benchmarks.pace_speed --reps 5 --seconds 3

For paces 10, 100 and 1000 steps/s it trains the default config (circle, 2-8-8-1, batch 16) in
``Trainer.fit(pace=...)`` for ``--seconds`` and measures the rate from the history's own clock:
(steps - 1) / (seconds of the last step - seconds of the first). The pace holds when that is
within 10 % of the setting. For "max" it compares ``fit()`` at full speed with the bare
training core (``Trainer.train_batch`` in a loop, no chunks, no clock, no pace checks) over the same
number of steps, in short alternating turns (1,000 steps each): full speed holds when the
median ratio is within 3 %. Medians throughout, so a busy spell of this shared machine does
not land on one side only.
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time

from engine import Trainer, TrainingConfig
from engine.threads import BlasThreads, threads_for

PACES = (10.0, 100.0, 1000.0)


def paced_rate(pace, seconds):
    """Measured steps/s of a run held to ``pace`` for about ``seconds``."""
    trainer = Trainer(TrainingConfig(epochs=None))
    stop = threading.Event()
    timer = threading.Timer(seconds, stop.set)
    timer.start()
    history = trainer.fit(pace=pace, stop=stop)
    timer.join()
    elapsed = history.seconds[-1] - history.seconds[0]
    return (history.n_steps - 1) / elapsed


def max_against_bare(turns, epochs_per_turn=40):
    """Median ratio (and rates) of ``fit()`` at full speed to the bare training core.

    Two trainers of the default config take ``turns`` short turns each, alternating: one
    runs ``fit()`` for ``epochs_per_turn`` more epochs, the other the same number of steps
    of ``train_batch`` alone, so both see the same spells of this shared machine.
    """
    paced, bare = Trainer(TrainingConfig()), Trainer(TrainingConfig())
    ratios, fit_rates, bare_rates = [], [], []
    blas = BlasThreads()
    for _ in range(turns):
        paced.epochs = paced.epoch + epochs_per_turn
        before = paced.step_count
        started = time.perf_counter()
        paced.fit()
        fit_rate = (paced.step_count - before) / (time.perf_counter() - started)
        steps = paced.step_count - before
        bare.epochs = None
        blas.set(threads_for(bare.batch_size, bare.model.layer_sizes))  # as fit() does
        started = time.perf_counter()
        for _ in range(steps):
            bare.train_batch()  # the bare core full speed is measured against
        bare_rate = steps / (time.perf_counter() - started)
        blas.restore()
        ratios.append(fit_rate / bare_rate)
        fit_rates.append(fit_rate)
        bare_rates.append(bare_rate)
    return (statistics.median(ratios), statistics.median(fit_rates),
            statistics.median(bare_rates))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--turns", type=int, default=31)
    args = parser.parse_args(argv)
    results = {pace: [] for pace in PACES}
    for _ in range(args.reps):
        for pace in PACES:
            results[pace].append(paced_rate(pace, args.seconds))
    ratio, fit_max, bare = max_against_bare(args.turns)
    print(f"{'pace (steps/s)':>15} {'measured':>10} {'error':>8}  within")
    for pace in PACES:
        measured = statistics.median(results[pace])
        error = measured / pace - 1
        print(f"{pace:>15g} {measured:>10.1f} {error:>+8.1%}  {'yes' if abs(error) <= 0.10 else 'NO'}"
              f" (+-10 %)")
    print(f"{'max':>15} {fit_max:>10.0f} {ratio - 1:>+8.1%}  "
          f"{'yes' if ratio >= 0.97 else 'NO'} (within 3 % of the bare core, {bare:.0f} "
          f"steps/s; median of {args.turns} alternating turns)")


if __name__ == "__main__":
    main()
