"""Engine training speed against a PyTorch CPU loop on the same models.

    python -m tests.benchmarks.engine_speed            # the full table (about 10 minutes)
    python -m tests.benchmarks.engine_speed --quick    # 2 repetitions of 0.3 s each

For each model and batch size it times the engine's whole training loop (``Trainer.fit`` with the
history on, shuffling every epoch) and, when torch is importable, the same model, loss and
optimizer as a plain PyTorch loop (``nn.Sequential``, ``loss.backward()``, ``optimizer.step()``,
one ``randperm`` per epoch, ``loss.item()`` per batch as the history needs). Each figure is the
median of the repetitions, each at least ``--seconds`` long. Torch gets as many threads as NumPy's
BLAS (both are reported).

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


def _timed_runs(run_for_steps, seconds, repeats):
    """Median steps/s over ``repeats`` runs of at least ``seconds`` each."""
    steps = 64
    while True:  # calibrate: grow until one run takes a tenth of the target
        started = time.perf_counter()
        run_for_steps(steps)
        if time.perf_counter() - started > seconds / 10 or steps > 10 ** 7:
            break
        steps *= 4
    rate = steps / (time.perf_counter() - started)
    steps = max(1, int(rate * seconds))
    rates = []
    for _ in range(repeats):
        started = time.perf_counter()
        done = run_for_steps(steps)
        rates.append(done / (time.perf_counter() - started))
    return statistics.median(rates)


def engine_rate(model, batch, dtype, optimizer, seconds, repeats, dataset):
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

    return _timed_runs(run, seconds, repeats)


def torch_rate(model, batch, dtype, optimizer, seconds, repeats, dataset):
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

    def run(steps):
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

    return _timed_runs(run, seconds, repeats)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="2 repetitions of 0.3 s")
    parser.add_argument("--seconds", type=float, default=1.0)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--models", default="ABC")
    parser.add_argument("--batches", default=",".join(map(str, BATCHES)))
    parser.add_argument("--dtypes", default="float64,float32")
    parser.add_argument("--optimizers", default="sgd,adam,lars",
                        help="adam and lars are timed at batch 32 only, against sgd")
    args = parser.parse_args(argv)
    if args.quick:
        args.seconds, args.repeats = 0.3, 2
    try:
        import torch
        torch.set_num_threads(blas_threads())
        torch_version = torch.__version__
    except ImportError:
        torch = None
        torch_version = "not installed"
    batches = [int(b) for b in args.batches.split(",")]
    dtypes = args.dtypes.split(",")
    print(f"# machine: {platform.machine()}, {os.cpu_count()} cores, "
          f"{platform.python_implementation()} {platform.python_version()}, numpy "
          f"{np.__version__}, BLAS threads {blas_threads()}, torch {torch_version}"
          + (f" ({torch.get_num_threads()} threads)" if torch else ""))
    print(f"# medians of {args.repeats} runs of >= {args.seconds:g} s each; SGD lr "
          f"{LEARNING_RATE}")
    print()
    print("| model | batch | dtype | engine steps/s | engine samples/s | torch steps/s "
          "| engine/torch |")
    print("|---|---:|---|---:|---:|---:|---:|")
    for model in args.models:
        dataset = make_dataset(model)
        for batch in batches:
            for dtype in dtypes:
                ours = engine_rate(model, batch, dtype, "sgd", args.seconds, args.repeats,
                                   dataset)
                theirs = (torch_rate(model, batch, dtype, "sgd", args.seconds, args.repeats,
                                     dataset) if torch else None)
                ratio = f"{ours / theirs:.2f}x" if theirs else "n/a"
                print(f"| {model} | {batch} | {dtype} | {ours:,.0f} | {ours * batch:,.0f} | "
                      + (f"{theirs:,.0f}" if theirs else "n/a") + f" | {ratio} |", flush=True)
    optimizers = [o for o in args.optimizers.split(",") if o != "sgd"]
    if optimizers:
        print()
        print("| model | batch | optimizer | steps/s | step time vs sgd |")
        print("|---|---:|---|---:|---:|")
        for model in args.models:
            dataset = make_dataset(model)
            base = engine_rate(model, 32, "float64", "sgd", args.seconds, args.repeats, dataset)
            print(f"| {model} | 32 | sgd | {base:,.0f} | 1.00x |", flush=True)
            for optimizer in optimizers:
                rate = engine_rate(model, 32, "float64", optimizer, args.seconds,
                                   args.repeats, dataset)
                print(f"| {model} | 32 | {optimizer} | {rate:,.0f} | {base / rate:.2f}x |",
                      flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
