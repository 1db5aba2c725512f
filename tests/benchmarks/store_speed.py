"""Save and load time of the kept-run store, against the old files, in one run.

    python -m tests.benchmarks.store_speed             # 20 runs x 100,000 steps, 3 repetitions
    python -m tests.benchmarks.store_speed --runs 20 --steps 100000 --reps 3

Each repetition, in a fresh temporary folder, times:

- ``sqlite save``: ``Session.save_kept`` of all runs into an empty store (one transaction);
- ``sqlite load``: ``Session.load_kept`` of them in a new session (quick_check, every row);
- ``sqlite keep 1``: one more run kept and saved (what each Keep Run costs the window);
- ``sqlite close``: a save with nothing new (what closing the window costs);
- ``files save`` / ``files load``: the old format, written as the old ``save_kept`` did (an
  atomic ``np.savez`` per run, then ``kept.json``) and read back with ``np.load``.

Medians over the repetitions; the old format is timed in the same repetition as the new, so a
busy spell of this shared machine lands on both.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time

import numpy as np

from engine import TrainingConfig
from engine.atomic import atomic_write
from gui.session import EPOCH_COLUMNS, STEP_COLUMNS, KeptRun, Session


def make_runs(count, steps, seed=0):
    rng = np.random.default_rng(seed)
    runs = []
    for index in range(count):
        step_arrays = {name: rng.random(steps) for name in STEP_COLUMNS}
        epoch_arrays = {name: rng.random(steps // 1000 or 1) for name in EPOCH_COLUMNS}
        runs.append(KeptRun(index, TrainingConfig(learning_rate=0.01 * (index + 1)),
                            step_arrays, epoch_arrays, "finished", 10.0, 1000.0, 3,
                            color=(255, 127, 14), n_train=800))
    return runs


def timed(function):
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def files_save(runs, folder):
    """The old ``Session.save_kept``: an atomic .npz per run, then the index."""
    os.makedirs(folder, exist_ok=True)
    index = []
    for kept in runs:
        name = f"run-{kept.key}.npz"
        arrays = {f"step_{k}": v for k, v in kept.steps.items()}
        arrays.update({f"epoch_{k}": v for k, v in kept.epochs.items()})
        with atomic_write(os.path.join(folder, name), "wb") as handle:
            np.savez(handle, **arrays)
        index.append({"file": name, **kept.to_json()})
    with atomic_write(os.path.join(folder, "kept.json")) as handle:
        handle.write(json.dumps(index, indent=1))


def files_load(folder):
    with open(os.path.join(folder, "kept.json"), encoding="utf-8") as handle:
        index = json.load(handle)
    loaded = []
    for entry in index:
        with np.load(os.path.join(folder, entry["file"])) as arrays:
            loaded.append({key: arrays[key] for key in arrays.files})
    return loaded


def repetition(runs, extra):
    times = {}
    with tempfile.TemporaryDirectory() as root:
        store = os.path.join(root, "kept-runs")
        session = Session()
        session.add_kept_runs(list(runs))
        times["sqlite save"] = timed(lambda: session.save_kept(store))
        restored = Session()
        times["sqlite load"] = timed(lambda: restored.load_kept(store))
        assert len(restored.kept) == len(runs)
        restored.add_kept(extra)
        times["sqlite keep 1"] = timed(lambda: restored.save_kept(store))
        times["sqlite close"] = timed(lambda: restored.save_kept(store))
        size = sum(os.path.getsize(os.path.join(store, name)) for name in os.listdir(store))
        files = os.path.join(root, "files")
        times["files save"] = timed(lambda: files_save(runs, files))
        times["files load"] = timed(lambda: files_load(files))
    return times, size


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    runs = make_runs(args.runs, args.steps)
    extra = make_runs(1, args.steps, seed=1)[0]
    results, size = [], 0
    for _ in range(args.reps):
        times, size = repetition(runs, extra)
        results.append(times)
    megabytes = args.runs * args.steps * len(STEP_COLUMNS) * 8 / 1e6
    print(f"{args.runs} runs x {args.steps:,} steps ({megabytes:.0f} MB of arrays), "
          f"store on disk {size / 1e6:.0f} MB, median of {args.reps}:")
    for name in results[0]:
        print(f"  {name:14s} {statistics.median(r[name] for r in results) * 1000:8.0f} ms")
    for kind in ("save", "load"):
        ratio = statistics.median(r[f"sqlite {kind}"] / r[f"files {kind}"] for r in results)
        print(f"  sqlite/files {kind} ratio: {ratio:.2f}")


if __name__ == "__main__":
    main()
