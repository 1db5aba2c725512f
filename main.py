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

from engine import ConfigError, Trainer, TrainingConfig, spec


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line on stderr and exit status 2."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message}\n")


def _converter(param):
    """The argparse ``type`` of a spec field: text -> value, checked against the spec.

    A value that is not a number is argparse's "invalid int value" error; one out of range
    gives the spec's message.
    """
    parse = {"int": int, "float": float}.get(param.kind, str)

    def convert(text):
        if param.optional and text.strip().lower() in ("none", param.none_word):
            return None
        value = parse(text)
        try:
            return param.check(value)
        except ConfigError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    convert.__name__ = parse.__name__
    return convert


def _flag_help(param):
    text = param.help
    if param.kind == "choice":
        text += f": {', '.join(param.valid_choices())}"
        if param.name == "dataset":
            text += ", or csv:PATH"
    elif param.kind in ("int", "float"):
        text += (f"; {param.interval()}" if param.kind == "float"
                 else f"; {param.minimum:.0f}..{param.maximum:.0f}")
    if param.optional:
        text += f"; {param.none_word} = {param.none_means}"
    if param.applies:
        text += f" (for {', '.join(param.applies_to())})"
    if param.live:
        text += f" [live: {param.live}]"
    default = param.default
    if isinstance(default, tuple):
        default = ",".join(str(v) for v in default)
    shown = param.none_word if default is None else default
    return f"{text} (default: {shown})"


def build_parser():
    """The command-line parser: the app's own flags, then one flag per spec field."""
    parser = _Parser(prog="main.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--headless", action="store_true",
                        help="train without a window and write results to --out")
    parser.add_argument("--out", default="runs/latest",
                        help="output folder of a headless run (default: runs/latest)")
    parser.add_argument("--config", help="a JSON configuration file (flags override it)")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    for group_name in spec.GROUPS:
        group = parser.add_argument_group(f"{group_name} (TrainingConfig fields)")
        for param in spec.PARAMS:
            if param.group != group_name:
                continue
            flag = "--" + param.name.replace("_", "-")
            if param.kind == "bool":
                group.add_argument(flag, dest=param.name,
                                   action=argparse.BooleanOptionalAction,
                                   default=argparse.SUPPRESS, help=_flag_help(param))
            else:
                group.add_argument(flag, dest=param.name, type=_converter(param),
                                   default=argparse.SUPPRESS,
                                   metavar=param.name.upper(), help=_flag_help(param))
    return parser


def _config_from(args):
    base = TrainingConfig.from_json(args.config) if args.config else TrainingConfig()
    names = set(spec.names())
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
    history = trainer.fit(on_epoch=progress, stop=threading.Event())
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


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser().parse_args(argv)
    if args.headless:
        return run_headless(args)
    from gui.app import run
    return run([sys.argv[0], *argv])


if __name__ == "__main__":
    sys.exit(main())
