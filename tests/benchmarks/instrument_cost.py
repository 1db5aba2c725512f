"""What the instruments cost: training with an InstrumentCallback against the same run without.

    python -m tests.benchmarks.instrument_cost             # 3 repetitions
    python -m tests.benchmarks.instrument_cost --repeats 5

Cases: the default run (``TrainingConfig()``) and the digits batch-size sweep's runs (digits,
(32,) relu, categorical crossentropy, SGD 0.1, 20 epochs, batch 8, 32, 128, 512 and the full
training set; tests/benchmarks/sweep_speed.py).

For each case the runs take turns in every repetition (so a busy spell of this shared machine
does not land on one side only): without instruments; with all four at the default cadence
("auto": at epoch ends, each instrument within its share of 10 % of the training time);
and each instrument alone at every epoch (and the start). Figures are medians over the
repetitions of ``Trainer.fit``'s CPU time on its thread (``time.thread_time``; the wall time
of these 0.1-0.5 s runs on a shared machine varied by more than the effect), and the
overhead is ``with / without - 1``. For the default cadence it also prints how many times each
instrument was measured in the last repetition, and the instruments' time as a share of the
training's (both CPU time of the training thread, as the cadence sees them: the quantity it
bounds).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

import numpy as np

from engine import Trainer, TrainingConfig
from engine.instruments import INSTRUMENTS, InstrumentCallback

COLUMN = {"sharpness": "sharpness", "noise_scale": "noise_scale",
          "losses": "loss_zero_fraction", "norms": None}


def cases():
    digits = dict(dataset="digits", loss="categorical_crossentropy", hidden_layers=(32,),
                  activation="relu", optimizer="sgd", learning_rate=0.1, epochs=20)
    yield "default run", TrainingConfig()
    for batch in (8, 32, 128, 512, 100_000):
        label = "full" if batch == 100_000 else batch
        yield f"digits batch {label}", TrainingConfig(**digits, batch_size=batch)


def timed_fit(config, callback=None):
    trainer = Trainer(config)
    started = time.thread_time()
    trainer.fit(callbacks=[] if callback is None else [callback])
    return time.thread_time() - started, trainer


def measured_count(trainer, name):
    table = trainer.history.instruments
    column = COLUMN[name] or next((c for c in table.columns if c.endswith("/ratio")), None)
    if column is None or column not in table.columns:
        return 0
    return int(np.count_nonzero(~np.isnan(table[column])))


def run_case(config, repeats):
    runs = {"off": [], "auto": [], **{name: [] for name in INSTRUMENTS}}
    auto = None
    for _ in range(repeats):
        runs["off"].append(timed_fit(config)[0])
        callback = InstrumentCallback()
        seconds, trainer = timed_fit(config, callback)
        runs["auto"].append(seconds)
        auto = (callback, trainer)
        for name in INSTRUMENTS:
            runs[name].append(timed_fit(config, InstrumentCallback((name,), every="epoch"))[0])
    base = statistics.median(runs["off"])
    overhead = {key: statistics.median(runs[key]) / base - 1 for key in runs if key != "off"}
    callback, trainer = auto
    counts = {name: measured_count(trainer, name) for name in INSTRUMENTS}
    training = callback.training_cpu()
    share = callback.spent / training if training else np.nan
    return base, overhead, counts, share


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"# machine: {platform.machine()}, CPython {platform.python_version()}, numpy "
          f"{np.__version__}; {args.repeats} repetitions, medians of Trainer.fit CPU time")
    print("| case | fit CPU s (off) | auto: overhead | auto: instruments CPU / training CPU "
          "| auto: times measured (sharpness, noise, losses, norms) | "
          + " | ".join(f"{name} every epoch" for name in INSTRUMENTS) + " |")
    print("|---|---:|---:|---:|---|" + "---:|" * len(INSTRUMENTS))
    for label, config in cases():
        base, overhead, counts, cpu_share = run_case(config, args.repeats)
        print(f"| {label} | {base:.3f} | {overhead['auto']:+.1%} | {cpu_share:.1%} | "
              + ", ".join(str(counts[name]) for name in INSTRUMENTS) + " | "
              + " | ".join(f"{overhead[name]:+.0%}" for name in INSTRUMENTS) + " |",
              flush=True)


if __name__ == "__main__":
    main()
