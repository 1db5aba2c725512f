"""Engine training speed against a PyTorch CPU loop on the same models.

    python -m tests.benchmarks.engine_speed            # the full table (about 10 minutes)
    python -m tests.benchmarks.engine_speed --quick    # 2 repetitions of 0.3 s each

For each model and batch size it times the engine's whole training loop (``Trainer.fit`` with the
history on, shuffling every epoch) and, when torch is importable, the same model, loss and
optimizer as a plain PyTorch loop (``nn.Sequential``, ``loss.backward()``, ``optimizer.step()``,
one ``randperm`` per epoch, ``loss.item()`` per batch as the history needs). Each figure is the
median of the repetitions, each at least ``--seconds`` long; the engine and torch (or the
optimizers compared) take turns in every repetition and ratios are taken within a repetition, so
a busy spell of this shared machine does not land on one side only. Torch gets as many threads
as the engine gives NumPy's BLAS for that model and batch (engine.threads: one for small
products, else all; the "threads" column). The optimizer table compares Adam and LARS with SGD,
by default at batch 32 in float64 (``--optimizer-batches 1,32,256 --optimizer-dtypes
float64,float32`` for more).

Models: A 2-16-16-1 binary crossentropy (tanh); B 2-64-64-64-3 categorical crossentropy (relu);
C 64-256-256-10 categorical crossentropy (relu, digits-sized). Data are random, seeded, with
16,384 training samples so that even batch 2048 has several steps per epoch.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time

import numpy as np

from engine import Trainer, TrainingConfig
from engine.datasets import Dataset
from engine.threads import threads_for

MODELS = {
    "A": dict(n_in=2, hidden=(16, 16), n_out=1, activation="tanh", loss="binary_crossentropy"),
    "B": dict(n_in=2, hidden=(64, 64, 64), n_out=3, activation="relu",
              loss="categorical_crossentropy"),
    "C": dict(n_in=64, hidden=(256, 256), n_out=10, activation="relu",
              loss="categorical_crossentropy"),
}
BATCHES = (1, 8, 32, 256, 2048)
N_TRAIN = 16384
LEARNING_RATE = 0.01


def blas_threads():
    """Threads NumPy's BLAS uses: threadpoolctl if present, else the usual variables."""
    try:
        from threadpoolctl import threadpool_info
        infos = [i for i in threadpool_info() if i.get("user_api") == "blas"]
        if infos:
            return int(infos[0]["num_threads"])
    except ImportError:
        pass
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        if os.environ.get(name, "").isdigit():
            return int(os.environ[name])
    return os.cpu_count() or 1


def make_dataset(model):
    spec = MODELS[model]
    rng = np.random.default_rng(0)
    x = rng.normal(size=(N_TRAIN, spec["n_in"]))
    n_classes = max(spec["n_out"], 2)
    y = rng.integers(0, n_classes, N_TRAIN)
    task = "binary" if n_classes == 2 else "multiclass"
    return Dataset(name=f"bench-{model}", task=task, x_train=x, y_train=y,
                   x_val=np.empty((0, spec["n_in"])), y_val=np.empty(0, dtype=np.int64),
                   class_names=tuple(str(i) for i in range(n_classes)),
                   feature_names=tuple(f"x{i}" for i in range(spec["n_in"])),
                   n_features=spec["n_in"], n_classes=n_classes, description="benchmark data")


def _calibrated_steps(run_for_steps, seconds):
    """Steps that make one run last about ``seconds``."""
    steps = 64
    while True:  # grow until one run takes a tenth of the target
        started = time.perf_counter()
        run_for_steps(steps)
        elapsed = time.perf_counter() - started
        if elapsed > seconds / 10 or steps > 10 ** 7:
            return max(1, int(steps / elapsed * seconds))
        steps *= 4


def interleaved_rates(runners, seconds, repeats):
    """Median steps/s of each runner, the runners taking turns within every repetition.

    This machine is shared: a busy spell slows whichever run it hits. Taking turns puts each
    spell on all runners alike, and the ratios are taken within a repetition.

    Returns
    -------
    medians : list of float, one per runner
    ratios : list of float, the median over repetitions of runner[0] / runner[i]
    """
    steps = [_calibrated_steps(run, seconds) for run in runners]
    rates = [[] for _ in runners]
    for _ in range(repeats):
        for run, count, collected in zip(runners, steps, rates):
            started = time.perf_counter()
            done = run(count)
            collected.append(done / (time.perf_counter() - started))
    medians = [statistics.median(r) for r in rates]
    ratios = [statistics.median(a / b for a, b in zip(rates[0], r)) for r in rates]
    return medians, ratios


def engine_runner(model, batch, dtype, optimizer, dataset):
    """``run(steps) -> steps done``: Trainer.fit for whole epochs covering ``steps``."""
    spec = MODELS[model]
    per_epoch = -(-N_TRAIN // batch)

    def run(steps):
        epochs = max(1, -(-steps // per_epoch))
        config = TrainingConfig(dataset="circle", loss=spec["loss"], optimizer=optimizer,
                                learning_rate=LEARNING_RATE, hidden_layers=spec["hidden"],
                                activation=spec["activation"], batch_size=batch,
                                epochs=epochs, validation_split=0.0, dtype=dtype, seed=0)
        trainer = Trainer(config, dataset=dataset)
        trainer.fit()
        return trainer.history.n_steps

    return run


def engine_threads(model, batch):
    """BLAS threads the engine's fit uses for this model and batch (engine.threads)."""
    spec = MODELS[model]
    return threads_for(batch, [spec["n_in"], *spec["hidden"], spec["n_out"]]) or blas_threads()


def torch_runner(model, batch, dtype, optimizer, dataset):
    """``run(steps) -> steps done``: the same model, loss and optimizer as a PyTorch loop,
    on as many threads as the engine's BLAS gets for this model and batch."""
    import torch

    spec = MODELS[model]
    torch_dtype = torch.float64 if dtype == "float64" else torch.float32
    x = torch.tensor(dataset.x_train, dtype=torch_dtype)
    if spec["n_out"] == 1:
        y = torch.tensor(dataset.y_train[:, None], dtype=torch_dtype)
        criterion = torch.nn.BCEWithLogitsLoss()
    else:
        y = torch.tensor(dataset.y_train, dtype=torch.long)
        criterion = torch.nn.CrossEntropyLoss()
    activation = torch.nn.Tanh if spec["activation"] == "tanh" else torch.nn.ReLU
    sizes = [spec["n_in"], *spec["hidden"], spec["n_out"]]

    threads = engine_threads(model, batch)

    def run(steps):
        torch.set_num_threads(threads)
        torch.manual_seed(0)
        layers = []
        for i in range(len(sizes) - 1):
            layers.append(torch.nn.Linear(sizes[i], sizes[i + 1], dtype=torch_dtype))
            if i < len(sizes) - 2:
                layers.append(activation())
        net = torch.nn.Sequential(*layers)
        if optimizer == "adam":
            opt = torch.optim.Adam(net.parameters(), lr=LEARNING_RATE, eps=1e-7)
        else:
            opt = torch.optim.SGD(net.parameters(), lr=LEARNING_RATE)
        losses = torch.empty(steps, dtype=torch.float64)
        done = 0
        while done < steps:
            order = torch.randperm(N_TRAIN)
            xs, ys = x[order], y[order]
            for start in range(0, N_TRAIN, batch):
                if done == steps:
                    break
                opt.zero_grad(set_to_none=True)
                loss = criterion(net(xs[start:start + batch]), ys[start:start + batch])
                loss.backward()
                opt.step()
                losses[done] = loss.item()
                done += 1
        return done

    return run


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="2 repetitions of 0.3 s")
    parser.add_argument("--seconds", type=float, default=1.0)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--models", default="ABC")
    parser.add_argument("--batches", default=",".join(map(str, BATCHES)))
    parser.add_argument("--dtypes", default="float64,float32")
    parser.add_argument("--optimizers", default="sgd,adam,lars",
                        help="adam and lars are timed against sgd, at --optimizer-batches")
    parser.add_argument("--optimizer-batches", default="32")
    parser.add_argument("--optimizer-dtypes", default="float64")
    parser.add_argument("--optimizer-seconds", type=float, default=0.3)
    parser.add_argument("--optimizer-repeats", type=int, default=25,
                        help="many short turns: two runs of 7 x 1 s disagreed by up to 0.17 in "
                             "a ratio, two of 25 x 0.3 s by at most 0.06")
    args = parser.parse_args(argv)
    if args.quick:
        args.seconds, args.repeats = 0.3, 2
        args.optimizer_seconds, args.optimizer_repeats = 0.3, 2
    try:
        import torch
        torch_version = torch.__version__
    except ImportError:
        torch = None
        torch_version = "not installed"
    batches = [int(b) for b in args.batches.split(",")]
    dtypes = args.dtypes.split(",")
    print(f"# machine: {platform.machine()}, {os.cpu_count()} cores, "
          f"{platform.python_implementation()} {platform.python_version()}, numpy "
          f"{np.__version__}, BLAS threads {blas_threads()}, torch {torch_version}")
    print("# threads: what the engine's fit gives BLAS for the model and batch (engine.threads); "
          "torch gets the same")
    print(f"# {args.repeats} repetitions of >= {args.seconds:g} s per runner, runners taking "
          f"turns; steps/s are medians, ratios the median of per-repetition ratios; SGD lr "
          f"{LEARNING_RATE}")
    print()
    print("| model | batch | dtype | threads | engine steps/s | engine samples/s | torch steps/s "
          "| engine/torch |")
    print("|---|---:|---|---:|---:|---:|---:|---:|")
    for model in args.models:
        dataset = make_dataset(model)
        for batch in batches:
            for dtype in dtypes:
                runners = [engine_runner(model, batch, dtype, "sgd", dataset)]
                if torch:
                    runners.append(torch_runner(model, batch, dtype, "sgd", dataset))
                (ours, *theirs), (_, *ratio) = interleaved_rates(runners, args.seconds,
                                                                 args.repeats)
                print(f"| {model} | {batch} | {dtype} | {engine_threads(model, batch)} | "
                      f"{ours:,.0f} | {ours * batch:,.0f} | "
                      + (f"{theirs[0]:,.0f} | {ratio[0]:.2f}x |" if torch else "n/a | n/a |"),
                      flush=True)
    optimizers = [o for o in args.optimizers.split(",") if o != "sgd"]
    if optimizers:
        print()
        print(f"# {args.optimizer_repeats} repetitions of >= {args.optimizer_seconds:g} s per "
              f"optimizer, taking turns")
        print("| model | batch | dtype | " + " | ".join(f"{o} steps/s" for o in ["sgd", *optimizers])
              + " | " + " | ".join(f"{o} step / sgd step" for o in optimizers) + " |")
        print("|---|---:|---|" + "---:|" * (2 * len(optimizers) + 1))
        for model in args.models:
            dataset = make_dataset(model)
            for batch in [int(b) for b in args.optimizer_batches.split(",")]:
                for dtype in args.optimizer_dtypes.split(","):
                    runners = [engine_runner(model, batch, dtype, o, dataset)
                               for o in ["sgd", *optimizers]]
                    medians, ratios = interleaved_rates(runners, args.optimizer_seconds,
                                                        args.optimizer_repeats)
                    print(f"| {model} | {batch} | {dtype} | "
                          + " | ".join(f"{m:,.0f}" for m in medians) + " | "
                          + " | ".join(f"{r:.2f}x" for r in ratios[1:]) + " |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
