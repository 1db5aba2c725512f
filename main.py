"""LossLab: see what the knobs of neural-network training do.

``python main.py`` opens the app; ``python main.py --headless [flags] --out DIR`` trains without
a window and writes ``history.csv``, ``summary.json`` and ``loss.png`` to DIR. Every
TrainingConfig field is a flag named after it with dashes; ``--config FILE.json`` reads the same
fields from a file, and flags given beside it override the file.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import threading
import time

from engine import ConfigError, Trainer, TrainingConfig
from engine.config import parse_hidden_layers

_HELP = {
    "dataset": "circle, xor, gauss, spiral, moons, blobs, spiral3, sine, plane, counts, iris, "
               "digits, or csv:PATH",
    "noise": "label/feature noise of synthetic datasets, 0..1",
    "validation_split": "fraction of the data held out for validation, 0..0.9",
    "n_samples": "number of samples of a synthetic dataset",
    "label_column": "name of the label column of a CSV dataset (default: the last column)",
    "hidden_layers": "hidden layer sizes, e.g. 16,16 (empty string for none)",
    "activation": "hidden-layer activation",
    "output_activation": "output activation; auto picks the one the loss implies",
    "init": "kernel initialiser: glorot_uniform, he_uniform, he_normal",
    "loss": "one of the 13 Keras losses (or an alias such as mse, bce)",
    "optimizer": "sgd, momentum, nesterov, rmsprop, adam, adamw, adagrad, lamb, lars",
    "learning_rate": "base learning rate",
    "schedule": "constant, exponential, step, inverse_time, cosine",
    "decay_steps": "steps per decay period of the schedule",
    "decay_rate": "decay factor of the schedule",
    "warmup_epochs": "epochs of linear learning-rate warmup",
    "linear_scaling": "scale the learning rate by batch_size / base_batch_size (Goyal et al.)",
    "base_batch_size": "the batch size the base learning rate was tuned for",
    "batch_size": "samples per gradient step",
    "epochs": "passes over the training data",
    "l2": "L2 kernel regularisation factor",
    "early_stopping_patience": "stop after this many epochs without a better validation loss "
                               "(0 = never)",
    "seed": "random seed (data, initial weights, shuffling)",
    "dtype": "float64 or float32",
}


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line on stderr and exit status 2."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message}\n")


def _field_type(field):
    if field.name == "hidden_layers":
        return _wrap(parse_hidden_layers)
    default = field.default
    if field.name == "label_column":
        return str
    if isinstance(default, bool):
        return None
    if isinstance(default, int) or field.name in ("n_samples",):
        return int
    if isinstance(default, float) or default is None:
        return float
    return str


def _pace(text):
    """``--pace``: a positive number of steps per second, or ``max`` (None: full speed)."""
    if text.strip().lower() == "max":
        return None
    try:
        value = float(text)
    except ValueError:
        value = None
    if value is None or not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(
            f"--pace must be a positive number of steps per second or 'max', got {text!r}")
    return value


def _wrap(parse):
    def convert(text):
        try:
            return parse(text)
        except ConfigError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    convert.__name__ = parse.__name__
    return convert


def build_parser():
    parser = _Parser(prog="main.py", description=__doc__.split("\n\n")[0],
                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--headless", action="store_true",
                        help="train without a window and write results to --out")
    parser.add_argument("--out", default="runs/latest",
                        help="output folder of a headless run")
    parser.add_argument("--config", help="a JSON configuration file (flags override it)")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    parser.add_argument("--pace", type=_pace, default=None, metavar="N|max",
                        help="train at most N steps per second, to watch a run (default: max, "
                             "full speed)")
    parser.add_argument("--sweep", metavar="FIELD=VALUES",
                        help="train once per value, headless, and write sweep.csv and "
                             "sweep.png to --out: e.g. batch_size=8,32,128,512,full or "
                             "learning_rate=log:0.001:1:7")
    parser.add_argument("--strategies", default="fixed",
                        help="with --sweep: fixed, linear, lars, adam (comma-separated)")
    parser.add_argument("--seeds", type=int, default=1,
                        help="with --sweep: runs per point (seed, seed+1, ...)")
    group = parser.add_argument_group("training configuration (TrainingConfig fields)")
    for field in dataclasses.fields(TrainingConfig):
        flag = "--" + field.name.replace("_", "-")
        text = _HELP.get(field.name, field.name.replace("_", " ") +
                         " (optimizer hyperparameter; default: the optimizer's Keras default)")
        kind = _field_type(field)
        if kind is None:
            group.add_argument(flag, dest=field.name, action=argparse.BooleanOptionalAction,
                               default=argparse.SUPPRESS, help=text)
        else:
            group.add_argument(flag, dest=field.name, type=kind, default=argparse.SUPPRESS,
                               metavar=field.name.upper(),
                               help=f"{text} (default: {field.default!r})")
    return parser


def _config_from(args):
    base = TrainingConfig.from_json(args.config) if args.config else TrainingConfig()
    names = {f.name for f in dataclasses.fields(TrainingConfig)}
    overrides = {name: value for name, value in vars(args).items() if name in names}
    return base.replace(**overrides).validate()


def _fmt(value, spec=".4f"):
    return "n/a" if value is None or value != value else format(value, spec)


def run_headless(args):
    """Train as ``args`` say; write the three files. Returns the exit status."""
    try:
        config = _config_from(args)
        trainer = Trainer(config)
    except ConfigError as exc:
        print(f"main.py: error: {exc}", file=sys.stderr)
        return 2
    try:
        os.makedirs(args.out, exist_ok=True)
    except OSError as exc:
        print(f"main.py: error: cannot create output folder {args.out}: {exc}", file=sys.stderr)
        return 2

    def progress(result):
        if not args.quiet:
            print(f"epoch {result.epoch}/{trainer.epochs}  loss {result.train_loss:.4f}  "
                  f"val_loss {_fmt(result.val_loss)}  val_acc {_fmt(result.val_accuracy)}",
                  file=sys.stderr, flush=True)

    started = time.perf_counter()
    history = trainer.fit(on_epoch=progress, stop=threading.Event(), pace=args.pace)
    seconds = time.perf_counter() - started
    if history.diverged is not None:
        print(f"diverged: {history.diverged.message}", file=sys.stderr)

    train, val = trainer.evaluate("train"), trainer.evaluate("val")
    summary = {
        "config": config.to_dict(),
        "final": {"train_loss": train["loss"], "val_loss": val["loss"],
                  "train_accuracy": train["accuracy"], "val_accuracy": val["accuracy"]},
        "best_epoch": history.best_epoch,
        "epochs_completed": history.n_epochs,
        "steps": history.n_steps,
        "seconds": seconds,
        "steps_per_second": history.n_steps / seconds if seconds > 0 else None,
        "diverged": history.diverged is not None,
        "stop_reason": history.stop_reason,
        "events": [dataclasses.asdict(event) for event in history.events],
    }
    history.to_csv(os.path.join(args.out, "history.csv"))
    with open(os.path.join(args.out, "summary.json"), "w", encoding="utf-8") as handle:
        json.dump(_finite(summary), handle, indent=2)
        handle.write("\n")
    from gui.report import save_loss_png
    save_loss_png(history, os.path.join(args.out, "loss.png"),
                  title=f"{config.dataset} · {config.loss} · {config.optimizer}")
    if not args.quiet:
        print(f"wrote {args.out}/history.csv, summary.json, loss.png "
              f"({history.n_steps} steps, {summary['steps_per_second'] or 0:.0f} steps/s)",
              file=sys.stderr)
    return 0


def _finite(value):
    """JSON has no NaN: non-finite floats become null."""
    if isinstance(value, float):
        return value if value == value and abs(value) != float("inf") else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def run_sweep_headless(args):
    """Run ``--sweep`` through engine.sweep; write sweep.csv and sweep.png. Exit status."""
    from engine import sweep as sweeps
    try:
        config = _config_from(args)
        field, _, text = args.sweep.partition("=")
        field = field.strip().replace("-", "_")
        if not text:
            raise ConfigError(f"--sweep needs FIELD=VALUES, e.g. batch_size=8,32,128; got "
                              f"{args.sweep!r}")
        plan = sweeps.Sweep(config, field, sweeps.parse_values(field, text),
                            sweeps.parse_strategies(args.strategies), args.seeds)
        runner = sweeps.SweepRunner(plan, on_progress=None if args.quiet else _sweep_progress)
        os.makedirs(args.out, exist_ok=True)
    except ConfigError as exc:
        print(f"main.py: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"main.py: error: cannot create output folder {args.out}: {exc}", file=sys.stderr)
        return 2
    result = runner.start().wait()
    result.to_csv(os.path.join(args.out, "sweep.csv"))
    from gui.sweep_dialog import save_sweep_png
    save_sweep_png(result, os.path.join(args.out, "sweep.png"))
    if not args.quiet:
        for strategy, rows in result.summary().items():
            cells = ", ".join(f"{row['value']}: {_fmt(row['mean'])}"
                              + (f" ({row['diverged']} diverged)" if row["diverged"] else "")
                              for row in rows)
            print(f"{strategy}: {result.metric} {cells}", file=sys.stderr)
        print(f"wrote {args.out}/sweep.csv, sweep.png ({len(result.runs)} runs, "
              f"{result.seconds:.1f} s)", file=sys.stderr)
    return 0


def _sweep_progress(progress):
    eta = "" if progress.eta is None else f", about {progress.eta:.0f} s left"
    print(f"sweep: {progress.done}/{progress.total} runs{eta}", file=sys.stderr, flush=True)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser().parse_args(argv)
    if args.sweep:
        return run_sweep_headless(args)
    if args.headless:
        return run_headless(args)
    from gui.app import run
    return run([sys.argv[0], *argv])


if __name__ == "__main__":
    sys.exit(main())
