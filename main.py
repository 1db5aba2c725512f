"""LossLab: see what the knobs of neural-network training do.

``python main.py`` opens the app; ``python main.py --headless [flags] --out DIR`` trains without
a window and writes ``history.csv``, ``epochs.csv``, ``summary.json`` and ``loss.png`` to DIR
(a run folder, :mod:`engine.run`; ``instruments.csv`` too with ``--instruments``). Every
TrainingConfig field is a flag named after it with dashes; ``--config FILE.json`` reads the same
fields from a file, and flags given beside it override the file.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import logging
import os
import signal
import sys
import tempfile
import threading
import time

from engine import ConfigError, Run, Trainer, TrainingConfig, instruments, spec
from engine.run import SaveError


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


def _instruments(text):
    try:
        return instruments.parse_instruments(text)
    except ConfigError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _cadence(text):
    try:
        return instruments.parse_cadence(text)
    except ConfigError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


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
    parser = _Parser(prog="main.py", description=__doc__.split("\n\n")[0],
                     epilog=EXIT_STATUSES)
    parser.add_argument("--headless", action="store_true",
                        help="train without a window and write results to --out")
    parser.add_argument("--out", default="runs/latest",
                        help="output folder of a headless run (default: runs/latest)")
    parser.add_argument("--config", help="a JSON configuration file (flags override it)")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    parser.add_argument("--pace", type=_pace, default=None, metavar="N|max",
                        help="train at most N steps per second, to watch a run (default: max, "
                             "full speed)")
    parser.add_argument("--instruments", type=_instruments, default=(), metavar="NAMES",
                        help="measure while training and write instruments.csv: "
                             "comma-separated from sharpness (top Hessian eigenvalue, with "
                             "the rate's stability limit), noise_scale (gradient noise "
                             "scale B_simple), losses (per-example loss histogram, fraction "
                             "at exactly 0), norms (per-layer |w|, |g|, |update|, ratio)")
    parser.add_argument("--instrument-every", type=_cadence, default="auto",
                        metavar="auto|epoch|N",
                        help="when --instruments measure: auto (at epoch ends, within 10%% "
                             "of the training time), epoch (at the start and every epoch) "
                             "or every N steps (and at the start); default: auto")
    parser.add_argument("--sweep", metavar="FIELD=VALUES",
                        help="train once per value, headless, and write sweep.csv and "
                             "sweep.png to --out: e.g. batch_size=8,32,128,512,full or "
                             "learning_rate=log:0.001:1:7")
    parser.add_argument("--strategies", default="fixed",
                        help="with --sweep: fixed, linear, lars, adam (comma-separated)")
    parser.add_argument("--seeds", type=int, default=1,
                        help="with --sweep: runs per point (seed, seed+1, ...)")
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


def config_from(args):
    base = TrainingConfig.from_json(args.config) if args.config else TrainingConfig()
    names = set(spec.names())
    overrides = {name: value for name, value in vars(args).items() if name in names}
    return base.replace(**overrides).validate()


def _fmt(value, spec=".4f"):
    return "n/a" if value is None or value != value else format(value, spec)


#: Exit statuses of a headless run (shown in ``--help``).
EXIT_STATUSES = """exit status of --headless: 0 the run finished and every file was written;
1 a file could not be written (stderr names it and why; the other files were written);
2 bad flags, config or data (nothing trained); 3 the run diverged (every file written, with
"diverged": true); 4 a sweep ended but some of its runs failed (a worker process died,
or a run raised an error: sweep.csv names each in its outcome and message columns; the others
ran); 130 stopped by Ctrl-C (every file written for the steps done, with "stopped": true; a
sweep writes the finished runs and marks the ones it stopped), or a second Ctrl-C quit without
saving (a sweep's second Ctrl-C ends its workers at once and still writes the finished
runs)."""
EXIT_WRITE_FAILED, EXIT_BAD_INPUT, EXIT_DIVERGED, EXIT_RUNS_FAILED, EXIT_INTERRUPTED = (
    1, 2, 3, 4, 130)


def run_headless(args):
    """Train as ``args`` say; write the run's files (:meth:`engine.Run.save`).

    Returns the exit status (:data:`EXIT_STATUSES`): a diverged run gets its own status so a
    script can tell it from a finished one without reading summary.json.
    """
    try:
        return _train_and_save(args)
    except KeyboardInterrupt:  # before training (loading data) or a second Ctrl-C in it
        print("main.py: interrupted: quit without saving", file=sys.stderr)
        return EXIT_INTERRUPTED


def _train_and_save(args):
    try:
        config = config_from(args)
        trainer = Trainer(config)
    except ConfigError as exc:
        return _fail(exc, EXIT_BAD_INPUT)
    problem = _unwritable(args.out)
    if problem:
        return _fail(problem, EXIT_BAD_INPUT)
    if config.batch_size > trainer.n_train:
        print(f"main.py: note: batch_size {config.batch_size} is larger than the "
              f"{trainer.n_train} training rows of {config.dataset}: each batch is the whole "
              f"training set ({trainer.n_train}); summary.json records batch_size_used",
              file=sys.stderr)

    def progress(result):
        if not args.quiet:
            print(f"epoch {result.epoch}/{trainer.epochs}  loss {result.train_loss:.4f}  "
                  f"val_loss {_fmt(result.val_loss)}  val_acc {_fmt(result.val_accuracy)}",
                  file=sys.stderr, flush=True)

    stop = threading.Event()
    started = datetime.datetime.now(datetime.timezone.utc)
    clock = time.perf_counter()
    callbacks = ([instruments.InstrumentCallback(args.instruments, every=args.instrument_every)]
                 if args.instruments else [])
    with stop_on_interrupt(stop):
        history = trainer.fit(callbacks=callbacks, on_epoch=progress, stop=stop,
                              pace=args.pace)
    for callback in callbacks:
        unmeasured = [name for name, count in callback.measured.items() if not count]
        if unmeasured:
            print(f"main.py: note: {', '.join(unmeasured)} not measured: at --instrument-every "
                  f"auto a measurement must fit in 10% of the training time, and this run was "
                  f"too short; --instrument-every epoch (or N steps) measures regardless of "
                  f"cost", file=sys.stderr)
    seconds = time.perf_counter() - clock
    if history.diverged is not None:
        print(f"diverged: {history.diverged.message}", file=sys.stderr)
    if stop.is_set():
        print(f"main.py: stopped at step {history.n_steps}; saving the steps done",
              file=sys.stderr)
    title = f"{config.dataset} · {config.loss} · {config.optimizer}"
    run = Run.from_trainer(trainer, label=title, started=started, wall_seconds=seconds)

    def draw_png(run, path):
        from gui.report import save_loss_png
        save_loss_png(run.history, path, title=title)

    # a first Ctrl-C while saving is ignored (it would only lose the results), a second quits
    with stop_on_interrupt(threading.Event()):
        try:
            written = run.save(args.out, draw_png=draw_png)
        except SaveError as exc:
            for name, error in exc.failures.items():
                print(f"main.py: error: could not write {os.path.join(args.out, name)}: "
                      f"{_reason(error)}", file=sys.stderr)
            if exc.written:
                print(f"main.py: wrote {', '.join(exc.written)} in {args.out}", file=sys.stderr)
            return EXIT_WRITE_FAILED
        except OSError as exc:
            return _fail(f"cannot write to output folder {args.out}: {_reason(exc)}",
                         EXIT_WRITE_FAILED)
    if not args.quiet:
        print(f"wrote {', '.join(written)} "
              f"({history.n_steps} steps, {run.steps_per_second or 0:.0f} steps/s)",
              file=sys.stderr)
    if history.diverged is not None:
        return EXIT_DIVERGED
    return EXIT_INTERRUPTED if stop.is_set() else 0


def _fail(problem, status):
    print(f"main.py: error: {problem}", file=sys.stderr)
    return status


def _reason(exc):
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)


RUN_FILES = ("history.csv", "epochs.csv", "instruments.csv", "summary.json", "loss.png")
SWEEP_FILES = ("sweep.csv", "sweep.png")


def _unwritable(folder, names=RUN_FILES):
    """Why the files ``names`` could not be written to ``folder`` (checked before training),
    or None. A later failure (a full disk) is still caught when saving."""
    if os.path.lexists(folder) and not os.path.isdir(folder):
        if os.path.islink(folder):
            return (f"output folder {folder} is a symbolic link to {os.readlink(folder)}, "
                    f"which does not exist; create that folder or choose another --out")
        return f"output folder {folder} is a file, not a folder; choose another --out"
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as exc:
        return f"cannot create output folder {folder}: {_reason(exc)}"
    for name in names:
        if os.path.isdir(os.path.join(folder, name)):
            return f"cannot write {os.path.join(folder, name)}: it is a folder"
    try:
        handle, probe = tempfile.mkstemp(prefix=".losslab-probe-", dir=folder)
        os.close(handle)
        os.unlink(probe)
    except OSError as exc:
        return f"cannot write to output folder {folder}: {_reason(exc)}"
    return None


@contextlib.contextmanager
def stop_on_interrupt(stop):
    """While inside, the first Ctrl-C (or SIGTERM) sets ``stop``; a second Ctrl-C raises
    KeyboardInterrupt. Outside the main thread signals cannot be caught: nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handle(signum, frame):
        if stop.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        stop.set()

    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def run_sweep_headless(args):
    """Run ``--sweep`` through engine.sweep; write sweep.csv and sweep.png. Exit status."""
    try:
        return _sweep_and_save(args)
    except KeyboardInterrupt:  # before the sweep started, or a second Ctrl-C while saving
        print("main.py: interrupted: quit without saving", file=sys.stderr)
        return EXIT_INTERRUPTED


def _sweep_and_save(args):
    from engine import sweep as sweeps
    try:
        config = config_from(args)
        field, _, text = args.sweep.partition("=")
        field = field.strip().replace("-", "_")
        if not text:
            raise ConfigError(f"--sweep needs FIELD=VALUES, e.g. batch_size=8,32,128; got "
                              f"{args.sweep!r}")
        plan = sweeps.Sweep(config, field, sweeps.parse_values(field, text),
                            sweeps.parse_strategies(args.strategies), args.seeds)

        def report_failure(run):  # said as it happens, even with --quiet
            if run.outcome in ("failed", "error"):
                print(f"sweep: run {field}={run.value}, {run.strategy}, seed {run.seed} "
                      f"{run.outcome}: {run.message}", file=sys.stderr, flush=True)

        runner = sweeps.SweepRunner(plan, on_progress=None if args.quiet else _sweep_progress,
                                    on_run=report_failure, pace=args.pace)
    except ConfigError as exc:
        return _fail(exc, EXIT_BAD_INPUT)
    problem = _unwritable(args.out, SWEEP_FILES)
    if problem:
        return _fail(problem, EXIT_BAD_INPUT)
    try:
        result, stopped = _run_sweep_until_done(runner)
    except Exception as exc:  # noqa: BLE001 -- the runs could not start (no processes)
        return _fail(f"the sweep could not run: {exc}", EXIT_WRITE_FAILED)
    # a first Ctrl-C while saving is ignored (it would only lose the results), a second quits
    with stop_on_interrupt(threading.Event()):
        status = _save_sweep(result, args.out)
    if status:
        return status
    if not args.quiet:
        for strategy, rows in result.summary().items():
            if not rows:
                continue
            cells = ", ".join(f"{row['value']}: {_fmt(row['mean'])}"
                              + (f" ({row['diverged']} diverged)" if row["diverged"] else "")
                              for row in rows)
            print(f"{strategy}: {result.metric} {cells}", file=sys.stderr)
        print(f"wrote {args.out}/sweep.csv, sweep.png ({len(result.runs)} runs, "
              f"{result.seconds:.1f} s)", file=sys.stderr)
    if stopped:
        finished = sum(run.completed for run in result.runs)
        halted = sum(run.outcome == "stopped" for run in result.runs)
        print(f"main.py: sweep stopped: {finished} of {len(runner.points)} runs finished, "
              f"{halted} stopped (marked \"stopped\" in sweep.csv), "
              f"{len(runner.points) - len(result.runs)} not started", file=sys.stderr)
        return EXIT_INTERRUPTED
    if result.failed:
        print(f"main.py: {len(result.failed)} of {len(result.runs)} runs failed; sweep.csv "
              f"names each (outcome, message)", file=sys.stderr)
        return EXIT_RUNS_FAILED
    return 0


def _run_sweep_until_done(runner):
    """Start ``runner`` and wait for it. The first Ctrl-C (or SIGTERM) cancels: every run
    stops at its next batch; a second ends the workers at once. Returns (result, stopped)."""
    stop = threading.Event()
    try:
        with stop_on_interrupt(stop):
            runner.start()
            while runner.wait(timeout=0.1) is None:
                if stop.is_set() and not runner.result.cancelled:
                    runner.cancel()
                    print("main.py: stopping the sweep at the next batch; Ctrl-C again ends "
                          "its workers now", file=sys.stderr, flush=True)
    except KeyboardInterrupt:
        runner.shutdown(timeout=0)
    return runner.wait(), stop.is_set()


def _save_sweep(result, folder):
    """Write sweep.csv and sweep.png to ``folder``; exit status 1 naming a file that failed
    (the other is still written), else 0."""
    from gui.sweep_dialog import save_sweep_png
    status = 0
    for name, save in (("sweep.csv", result.to_csv), ("sweep.png",
                                                      lambda path: save_sweep_png(result, path))):
        try:
            save(os.path.join(folder, name))
        except OSError as exc:
            print(f"main.py: error: could not write {os.path.join(folder, name)}: "
                  f"{_reason(exc)}", file=sys.stderr)
            status = EXIT_WRITE_FAILED
    return status


def _sweep_progress(progress):
    eta = "" if progress.eta is None else f", about {progress.eta:.0f} s left"
    print(f"sweep: {progress.done}/{progress.total} runs{eta}", file=sys.stderr, flush=True)


@contextlib.contextmanager
def _engine_progress(quiet):
    """While inside, the engine's progress messages (the reading of a long CSV file, logger
    ``engine``, level INFO) go to stderr, unless ``quiet``."""
    if quiet:
        yield
        return
    logger = logging.getLogger("engine")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser().parse_args(argv)
    if args.sweep or args.headless:
        with _engine_progress(args.quiet):
            return run_sweep_headless(args) if args.sweep else run_headless(args)
    from gui.app import run
    return run([sys.argv[0], *argv])


if __name__ == "__main__":
    sys.exit(main())
