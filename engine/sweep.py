"""Sweeps: one numeric field over a list of values, crossed with strategies and seeds.

The article's claims about batch size are comparative -- a large batch makes fewer updates
and can lose accuracy; batch size and learning rate are linked; LARS keeps large batches
stable -- so a learner tests them by training the same model many times. A :class:`Sweep`
names the field, its values (a list, or a log-spaced range), the strategies and the number of
seeds; :class:`SweepRunner` trains every point in worker processes and collects a
:class:`SweepResult` (one :class:`RunResult` per run, ``to_csv``, per-strategy summaries).

Strategies say how the learning rate follows the batch size:

- ``fixed``: the configuration's learning rate at every batch size (no scaling);
- ``linear``: the linear scaling rule with warm-up (Goyal et al. 2017): the rate is
  ``learning_rate * batch_size / base_batch_size`` after a linear warm-up of
  ``warmup_epochs`` (the configuration's, or :data:`LINEAR_WARMUP_EPOCHS` when it has none);
- ``lars``: the LARS optimizer (torchlars's trust ratio per layer), its global rate scaled as
  in ``linear`` from :data:`LARS_LEARNING_RATE` at ``base_batch_size``, with the same warm-up;
- ``adam``: Adam at :data:`ADAM_LEARNING_RATE`, not scaled.

When the swept field is ``learning_rate`` itself, the swept value replaces the strategy's rate.

Where the runs go: any ``concurrent.futures.Executor``. By default an
:class:`engine.pool.ProcessPool` with one worker per core (``spawn`` start method, safe beside
Qt's threads), BLAS on one thread per process (the runs are small; two processes on two cores
beat two BLAS threads). Nothing trains on the caller's thread. A cluster's executor runs a
large sweep unchanged; with Dask::

    from dask.distributed import Client
    client = Client()                      # or Client("scheduler-address:8786")
    result = run_sweep(sweep, executor=client.get_executor())

The runner's own pool is an :class:`engine.pool.ProcessPool`: a worker that dies (killed, out
of memory) fails only the run it trained, named with the reason (outcome "failed"), and a new
worker trains the rest; its workers ignore Ctrl-C, which the caller turns into :meth:`cancel`.
Cancel, pace and live curves cross process boundaries through a shared stop flag and pace (two
numbers in shared memory, read without a lock) handed to each worker of the runner's own pool
as it starts, the live curves coming back on each worker's own pipe (plain ``threading``
objects for a ``ThreadPoolExecutor``; a ``multiprocessing.Manager``'s for any other executor):
each trainer polls the flag every :data:`POLL_SECONDS`, so
:meth:`SweepRunner.cancel` stops every run within a batch or two and keeps the finished ones;
with ``on_chunk`` each running run streams its :class:`RunChunk` s (batches and epochs) back
while it trains, at the shared pace, so a GUI can draw the race. Without ``on_chunk`` nothing
is sent while the runs train. (A Manager process took 0.17-0.29 s to start before any run.)
"""

from __future__ import annotations

import concurrent.futures
import csv
import dataclasses
import io
import math
import multiprocessing
import os
import queue
import threading
import time
from dataclasses import dataclass, field
from typing import Optional

import numpy as np

from . import datasets, messages, optimizers, pool
from .atomic import write_text
from .config import TrainingConfig
from .errors import ConfigError
from .threads import BlasThreads
from .callbacks import Callback, Streamer
from .trainer import BatchChunk

STRATEGIES = ("fixed", "linear", "lars", "adam")
#: Warm-up of the linear and lars strategies when the configuration has none (Goyal et al. warm
#: up for 5 of 90 epochs; 2 keeps a 20-epoch run's warm-up to a tenth of it).
LINEAR_WARMUP_EPOCHS = 2
#: LARS's global rate at ``base_batch_size``. On digits ((32,) relu, 20 epochs), LARS at
#: batch 32 reached 97-98 % validation accuracy with rates 1-3 and collapsed from 10 on.
LARS_LEARNING_RATE = 1.0
#: Keras's default Adam rate.
ADAM_LEARNING_RATE = 1e-3
#: Seconds between two looks at the shared stop flag inside a run.
POLL_SECONDS = 0.02
#: Seconds between two live chunks of one run.
CHUNK_SECONDS = 0.1
#: Seconds between two looks at the shared pace inside a run.
PACE_POLL_SECONDS = 0.25
#: Seconds the monitor thread waits for a run to end before it passes on the live chunks.
MONITOR_SECONDS = 0.05
#: How much lower the runner's own worker processes run than the caller (``os.nice``).
WORKER_NICE = 10
#: Seconds the monitor waits for a run's result once its stream said it ended.
RESULT_WAIT_SECONDS = 5.0
#: The value of a batch-size sweep that means the whole training set.
FULL = "full"

_INTEGER_FIELDS = {"batch_size", "epochs", "n_samples", "decay_steps", "base_batch_size",
                   "early_stopping_patience", "hidden_layers", "seed"}


def numeric_fields():
    """The TrainingConfig fields a sweep can vary (numbers; ``hidden_layers`` = every width).

    Returns
    -------
    list of str
    """
    names = []
    for item in dataclasses.fields(TrainingConfig):
        default = item.default
        numeric = (isinstance(default, (int, float)) and not isinstance(default, bool))
        if numeric or item.name in ("hidden_layers", "n_samples") or (
                default is None and item.name in _optimizer_fields()):
            names.append(item.name)
    return names


def _optimizer_fields():
    """Config fields that are optimizer hyperparameters of some optimizer."""
    every = set()
    for name in optimizers.names():
        every.update(optimizers.hyperparameters(name))
    every.discard("learning_rate")
    return {item.name for item in dataclasses.fields(TrainingConfig) if item.name in every}


def log_range(start, stop, n, integer=False):
    """``n`` log-spaced values from ``start`` to ``stop`` (both included).

    Parameters
    ----------
    start, stop : float
        Positive ends.
    n : int
        At least 2.
    integer : bool
        Round to whole numbers and drop repeats (for batch sizes, epochs, widths).

    Returns
    -------
    list of float or int
    """
    if not (isinstance(n, int) and n >= 2):
        raise ConfigError(f"a log-spaced range needs at least 2 values, got {n!r}")
    if not (start > 0 and stop > 0 and math.isfinite(start) and math.isfinite(stop)):
        raise ConfigError(f"a log-spaced range needs positive ends, got {start!r} and {stop!r}")
    values = np.geomspace(start, stop, n)
    if not integer:
        return [float(v) for v in values]
    rounded = []
    for value in values:
        whole = max(1, int(round(value)))
        if whole not in rounded:
            rounded.append(whole)
    return rounded


def parse_values(field_name, text):
    """Values of a sweep from text: ``"8,32,128,512,full"`` or ``"log:0.001:1:7"``.

    ``full`` (batch_size only) is the whole training set. ``log:START:STOP:N`` gives N
    log-spaced values. Whole-number fields take whole numbers.

    Returns
    -------
    list
        Numbers, and the string ``"full"`` where given.
    """
    if field_name not in numeric_fields():
        raise ConfigError(f"cannot sweep {field_name!r}: sweeps take a numeric field, one of "
                          f"{', '.join(numeric_fields())}")
    integer = field_name in _INTEGER_FIELDS
    text = str(text).strip()
    if text.lower().startswith("log:"):
        parts = text.split(":")
        try:
            start, stop, n = float(parts[1]), float(parts[2]), int(parts[3])
        except (IndexError, ValueError):
            raise ConfigError(f"{field_name}: {text!r} is not a log range; write "
                              f"log:START:STOP:N, e.g. log:0.001:1:7") from None
        if len(parts) != 4:
            raise ConfigError(f"{field_name}: {text!r} is not a log range; write "
                              f"log:START:STOP:N, e.g. log:0.001:1:7")
        return log_range(start, stop, n, integer=integer)
    parts = [p.strip() for p in text.split(",")]
    if "" in parts:
        raise ConfigError(f"{field_name}: {text!r} has an empty value; write values "
                          f"separated by commas, e.g. 8,32,128")
    values = []
    for part in parts:
        if part.lower() == FULL:
            if field_name != "batch_size":
                raise ConfigError(f"{field_name}: 'full' only means something for batch_size "
                                  f"(the whole training set)")
            values.append(FULL)
            continue
        try:
            number = float(part)
        except ValueError:
            raise ConfigError(f"{field_name}: {part!r} in {text!r} is not a number; write "
                              f"values separated by commas, e.g. 8,32,128") from None
        if integer:
            if number != int(number):
                raise ConfigError(f"{field_name}: {part!r} is not a whole number")
            number = int(number)
        values.append(number)
    return values


def parse_strategies(text):
    """``"fixed,linear,lars"`` -> ``("fixed", "linear", "lars")``; unknown names are an error."""
    names = tuple(part.strip().lower() for part in str(text).split(",") if part.strip())
    unknown = [name for name in names if name not in STRATEGIES]
    if unknown or not names:
        raise ConfigError(f"unknown strategy {', '.join(unknown) or repr(text)}; valid "
                          f"strategies: {', '.join(STRATEGIES)}")
    return names


def strategy_config(base, strategy):
    """``base`` as the strategy trains it (before the swept field is set).

    Parameters
    ----------
    base : TrainingConfig
    strategy : str
        One of :data:`STRATEGIES`.

    Returns
    -------
    TrainingConfig
    """
    if strategy == "fixed":
        return base.replace(linear_scaling=False)
    warmup = base.warmup_epochs or LINEAR_WARMUP_EPOCHS
    if strategy == "linear":
        return base.replace(linear_scaling=True, warmup_epochs=warmup)
    if strategy == "lars":
        return _with_optimizer(base, "lars", LARS_LEARNING_RATE).replace(
            linear_scaling=True, warmup_epochs=warmup)
    if strategy == "adam":
        return _with_optimizer(base, "adam", ADAM_LEARNING_RATE).replace(linear_scaling=False)
    raise ConfigError(f"unknown strategy {strategy!r}; valid strategies: "
                      f"{', '.join(STRATEGIES)}")


def _with_optimizer(base, name, learning_rate):
    """``base`` with another optimizer; hyperparameters it does not take go back to default."""
    accepted = optimizers.hyperparameters(name)
    defaults = {item.name: item.default for item in dataclasses.fields(TrainingConfig)}
    changes = {field_name: defaults[field_name] for field_name in _optimizer_fields()
               if field_name not in accepted and getattr(base, field_name) != defaults[field_name]}
    return base.replace(optimizer=name, learning_rate=learning_rate, **changes)


@dataclass(frozen=True)
class Point:
    """One run of a sweep: its place, swept value, strategy, seed and configuration."""

    index: int
    value: object
    strategy: str
    seed: int
    config: TrainingConfig

    @property
    def x(self):
        """The swept value as a number (``full`` becomes the training set's size)."""
        return float(getattr(self.config, "batch_size")) if self.value == FULL else (
            float(self.value))


@dataclass(frozen=True)
class Sweep:
    """What to sweep.

    Parameters
    ----------
    base : TrainingConfig
        Everything not swept.
    field : str
        One of :func:`numeric_fields`.
    values : sequence
        Numbers (``"full"`` allowed for batch_size); see :func:`parse_values`.
    strategies : sequence of str
        Members of :data:`STRATEGIES`.
    seeds : int
        Repeats of every point, with ``seed = base.seed + k``.
    """

    base: TrainingConfig
    field: str
    values: tuple
    strategies: tuple = ("fixed",)
    seeds: int = 1

    def __post_init__(self):
        object.__setattr__(self, "values", tuple(self.values))
        object.__setattr__(self, "strategies", tuple(self.strategies))
        if self.field not in numeric_fields():
            raise ConfigError(f"cannot sweep {self.field!r}: sweeps take a numeric field, one "
                              f"of {', '.join(numeric_fields())}")
        if not self.values:
            raise ConfigError("a sweep needs at least one value")
        parse_strategies(",".join(self.strategies))
        if not (isinstance(self.seeds, int) and not isinstance(self.seeds, bool)
                and 1 <= self.seeds <= 1000):
            raise ConfigError(f"seeds must be a whole number from 1 to 1000, got "
                              f"{self.seeds!r}")

    def points(self):
        """Every run, validated (a bad point is a ConfigError naming it).

        Returns
        -------
        list of Point
            Ordered by strategy, then value, then seed.
        """
        full_batch = None
        points = []
        for strategy in self.strategies:
            shaped = strategy_config(self.base, strategy)
            for value in self.values:
                for k in range(self.seeds):
                    if value == FULL:
                        if full_batch is None:
                            full_batch = _training_size(self.base)
                        setting = full_batch
                    elif self.field == "hidden_layers":
                        setting = (int(value),) * max(1, len(self.base.hidden_layers))
                    else:
                        setting = value
                    config = shaped.replace(**{self.field: setting,
                                               "seed": self.base.seed + k})
                    try:
                        config.validate()
                    except ConfigError as exc:
                        raise ConfigError(f"sweep point {self.field}={value} with strategy "
                                          f"{strategy}: {exc}") from None
                    points.append(Point(len(points), value, strategy, self.base.seed + k,
                                        config))
        return points

    @property
    def size(self):
        """Number of runs."""
        return len(self.values) * len(self.strategies) * self.seeds


def _training_size(config):
    """Rows of the training split of ``config``'s dataset (the full batch)."""
    data = datasets.load(config.dataset, noise=config.noise,
                         validation_split=config.validation_split, seed=config.seed,
                         n_samples=config.n_samples, label_column=config.label_column)
    return int(data.x_train.shape[0])


@dataclass
class RunResult:
    """How one run ended.

    ``final`` holds ``train_loss``, ``val_loss``, ``train_accuracy``, ``val_accuracy`` (None
    where they do not apply); ``outcome`` is "finished", "early_stopping", "diverged",
    "stopped" (cancelled mid-run), "failed" (the worker process training it died; ``message``
    names the process and how it ended) or "error" (the run raised; ``message`` says what).
    """

    index: int
    value: object
    strategy: str
    seed: int
    config: TrainingConfig
    final: dict
    steps: int
    epochs: int
    seconds: float
    diverged: bool
    diverged_step: Optional[int]
    outcome: str
    message: str = ""
    history: object = None

    @property
    def x(self):
        """The swept value as a number (``full`` becomes the batch size used)."""
        return float(self.config.batch_size) if self.value == FULL else float(self.value)

    @property
    def completed(self):
        """True when the run trained to its end (finished, stopped early or diverged)."""
        return self.outcome in ("finished", "early_stopping", "diverged")


@dataclass(frozen=True)
class Progress:
    """``done`` of ``total`` runs after ``elapsed`` seconds; ``eta`` seconds left (None at 0)."""

    done: int
    total: int
    elapsed: float
    eta: Optional[float]


#: The CSV's columns: the swept field's name, its value as given ("full" stays "full") and as a
#: number, then the run; ``learning_rate`` is the configured rate, ``scaled_learning_rate`` the
#: rate after the linear scaling rule (the rate trained at, warm-up and schedule aside).
CSV_COLUMNS = ("field", "value", "x", "strategy", "seed", "learning_rate",
               "scaled_learning_rate", "batch_size", "optimizer",
               "train_loss", "val_loss", "train_accuracy", "val_accuracy", "epochs", "steps",
               "seconds", "diverged", "diverged_step", "outcome", "message")


@dataclass
class SweepResult:
    """The runs of a sweep (finished ones, and those stopped by a cancel), in point order."""

    sweep: Sweep
    runs: list = field(default_factory=list)
    cancelled: bool = False
    seconds: float = 0.0

    @property
    def failed(self):
        """The runs that failed (their worker died) or raised, in point order."""
        return [run for run in self.runs if run.outcome in ("failed", "error")]

    @property
    def metric(self):
        """"val_accuracy" when the runs have one (classification), else "val_loss"."""
        for run in self.runs:
            if run.final.get("val_accuracy") is not None:
                return "val_accuracy"
        return "val_loss"

    def summary(self, metric=None):
        """Per strategy and value, the metric's mean and spread over seeds.

        Diverged runs are counted apart and left out of the mean (their metric is chance or
        NaN); runs stopped by a cancel are left out altogether.

        Returns
        -------
        dict of str to list of dict
            {strategy: [{"value", "x", "mean", "std", "n", "diverged"}, ...]} in value order.
        """
        metric = metric or self.metric
        table = {}
        for strategy in self.sweep.strategies:
            rows = []
            for value in self.sweep.values:
                runs = [r for r in self.runs if r.strategy == strategy and r.value == value
                        and r.completed]
                if not runs:
                    continue
                scores = [r.final.get(metric) for r in runs if not r.diverged]
                scores = [s for s in scores if s is not None and math.isfinite(s)]
                rows.append({"value": value, "x": runs[0].x,
                             "mean": float(np.mean(scores)) if scores else math.nan,
                             "std": float(np.std(scores)) if len(scores) > 1 else 0.0,
                             "n": len(scores), "diverged": sum(r.diverged for r in runs)})
            table[strategy] = rows
        return table

    def csv_text(self):
        """The results as CSV text, one row per run (columns :data:`CSV_COLUMNS`)."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for run in self.runs:
            final, config = run.final, run.config
            scaled = config.learning_rate * (config.batch_size / config.base_batch_size
                                             if config.linear_scaling else 1.0)
            writer.writerow([
                self.sweep.field, run.value, f"{run.x:g}", run.strategy, run.seed,
                f"{config.learning_rate:g}", f"{scaled:g}", config.batch_size, config.optimizer,
                *(_number(final.get(name)) for name in ("train_loss", "val_loss",
                                                        "train_accuracy", "val_accuracy")),
                run.epochs, run.steps, f"{run.seconds:.3f}", str(run.diverged).lower(),
                "" if run.diverged_step is None else run.diverged_step, run.outcome,
                run.message])
        return buffer.getvalue()

    def to_csv(self, path):
        """Write :meth:`csv_text` to ``path`` atomically (temp file, fsync, rename)."""
        write_text(path, self.csv_text())


def _number(value):
    return "" if value is None or not math.isfinite(value) else repr(float(value))


class _Polled:
    """A stop flag read through at most every ``interval`` seconds (a Manager Event's
    ``is_set`` is a round trip to another process; the trainer asks before every batch).

    ``wait(timeout)`` is the Event's too, so a paced or paused run sleeps on it and still
    sees a cancel within ``interval``.
    """

    def __init__(self, flag, interval=POLL_SECONDS):
        self.flag, self.interval = flag, interval
        self._next = 0.0
        self._set = False

    def is_set(self):
        if not self._set:
            now = time.monotonic()
            if now >= self._next:
                self._set = bool(self.flag.is_set())
                self._next = now + self.interval
        return self._set

    def wait(self, timeout=None):
        """Sleep until the flag is set or ``timeout`` seconds pass; return whether it is set."""
        deadline = math.inf if timeout is None else time.monotonic() + timeout
        while not self.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            time.sleep(min(self.interval, left))
        return True


@dataclass(frozen=True)
class RunChunk(BatchChunk):
    """A running run's new batches (a :class:`engine.trainer.BatchChunk`) and, in ``epochs``,
    its epochs finished since the previous chunk: arrays ``train_loss``, ``val_loss``,
    ``train_accuracy``, ``val_accuracy`` of shape (e,) (NaN where a value does not exist)."""

    epochs: dict = field(default_factory=dict)


class _FollowPace(Callback):
    """Reads the shared pace (None: full speed) at most every :data:`PACE_POLL_SECONDS`, at
    each chunk, and hands it to the trainer."""

    def __init__(self, trainer, pace):
        self.trainer, self.pace = trainer, pace
        self._pace_read = -math.inf
        self._pace_value = None
        self.follow(force=True)

    def follow(self, force=False):
        now = time.monotonic()
        if not force and now - self._pace_read < PACE_POLL_SECONDS:
            return
        self._pace_read = now
        value = float(self.pace.value)
        steps_per_second = value if value > 0 else None
        if force or steps_per_second != self._pace_value:
            self._pace_value = steps_per_second
            self.trainer.set_pace(steps_per_second)

    def on_batches(self, chunk):
        self.follow()


def _queue_chunk(chunks, index):
    """A :class:`Streamer`'s ``send`` that puts ``(index, RunChunk)`` on ``chunks``."""
    def send(chunk, epochs):
        values = {item.name: getattr(chunk, item.name) for item in dataclasses.fields(chunk)}
        chunks.put((index, RunChunk(**values, epochs=epochs)))
    return send


def run_point(point, stop=None, chunks=None, chunk_seconds=CHUNK_SECONDS,
              poll_seconds=POLL_SECONDS, pace=None):
    """Train one point of a sweep (in a worker process, or any thread); return a RunResult.

    Parameters
    ----------
    point : Point
    stop : object with ``is_set()``, optional
        Polled every ``poll_seconds``; once set the run ends with outcome "stopped".
    chunks : queue-like with ``put``, optional
        Receives ``(point.index, RunChunk)`` about every ``chunk_seconds`` while it trains,
        and ``(point.index, None)`` when it ends.
    pace : object with a ``value`` (steps per second, 0 for full speed), optional
        Shared with the runner, which may change it while the run trains (the app's pace
        control); read every :data:`PACE_POLL_SECONDS`.
    """
    from .trainer import Trainer

    blas = BlasThreads()
    blas.set(1)
    started = time.perf_counter()
    try:
        if stop is not None and stop.is_set():
            return _result(point, None, None, 0.0, "stopped")
        trainer = Trainer(point.config)
        callbacks = []
        if pace is not None:
            callbacks.append(_FollowPace(trainer, pace))
        if chunks is not None:
            callbacks.append(Streamer(_queue_chunk(chunks, point.index)))
        history = trainer.fit(callbacks=callbacks,
                              stop=None if stop is None else _Polled(stop, poll_seconds),
                              chunk_seconds=chunk_seconds)
        seconds = time.perf_counter() - started
        outcome = history.stop_reason or "finished"
        return _result(point, trainer, history, seconds, outcome)
    except Exception as exc:  # a run's failure is its result, not the sweep's end
        return _result(point, None, None, time.perf_counter() - started, "error",
                       messages.failure(exc))
    finally:
        blas.restore()
        if chunks is not None:  # the run's stream ends here: its result comes next
            chunks.put((point.index, None))


def _result(point, trainer, history, seconds, outcome, message=""):
    final = {"train_loss": None, "val_loss": None, "train_accuracy": None,
             "val_accuracy": None}
    if trainer is not None:
        train, val = trainer.evaluate("train"), trainer.evaluate("val")
        final = {"train_loss": train["loss"], "val_loss": val["loss"],
                 "train_accuracy": train["accuracy"], "val_accuracy": val["accuracy"]}
    diverged = history is not None and history.diverged is not None
    if diverged:
        message = history.diverged.message
    return RunResult(point.index, point.value, point.strategy, point.seed, point.config, final,
                     0 if history is None else history.n_steps,
                     0 if history is None else history.n_epochs, seconds, diverged,
                     history.diverged.step if diverged else None,
                     outcome, message, history)


# What a worker of a runner's own process pool shares with the runner, set once per process by
# the pool's initializer: the stop flag, the live chunks' way back (the worker's pipe, or None)
# and the pace (a Value). They pass to the workers as they start: no Manager process is needed.
_shared = {}


class SharedFlag:
    """A stop flag in shared memory, set by one process and read by many, without a lock (a
    ``multiprocessing.Event`` takes one to read: a worker killed while holding it would block
    every other). Passed to worker processes as they start."""

    def __init__(self, context=None):
        self._value = (context or multiprocessing.get_context("spawn")).RawValue("b", 0)

    def set(self):
        self._value.value = 1

    def is_set(self):
        return bool(self._value.value)

    def wait(self, timeout=None):
        """Sleep until set or ``timeout`` seconds pass; return whether it is set."""
        return _Polled(self).wait(timeout)


class _PoolChannel:
    """``put`` of the live chunks in a worker of the runner's own pool: up the worker's pipe."""

    @staticmethod
    def put(item):
        pool.send(item)


def _init_worker(stop, live, pace):
    _shared.update(stop=stop, chunks=_PoolChannel() if live else None, pace=pace)
    # below the app's priority: with one worker per core, the GUI (and its plots of the race)
    # would otherwise wait for a core behind two CPU-bound runs
    if hasattr(os, "nice"):
        try:
            os.nice(WORKER_NICE)
        except OSError:
            pass


def _run_shared(point, chunk_seconds, poll_seconds):
    """``run_point`` in a worker of the runner's own pool, with the flags it was started with."""
    return run_point(point, _shared["stop"], _shared["chunks"], chunk_seconds, poll_seconds,
                     _shared["pace"])


def default_executor(workers=None, initializer=None, initargs=(), on_message=None):
    """A process pool (:class:`engine.pool.ProcessPool`) with ``workers`` processes (default
    one per core), started with ``spawn`` (safe beside Qt's threads); a worker that dies fails
    its own task only."""
    return pool.ProcessPool(workers, initializer, initargs,
                            multiprocessing.get_context("spawn"), on_message)


class _Pace:
    """A pace holder for runs in threads (``value``: steps per second, 0 for full speed)."""

    def __init__(self, value=0.0):
        self.value = value


def _pace_value(pace):
    if pace is None:
        return 0.0
    if isinstance(pace, bool) or not isinstance(pace, (int, float)) or not (
            math.isfinite(pace) and pace > 0):
        raise ConfigError(f"pace must be a positive number of steps per second or None (full "
                          f"speed), got {pace!r}")
    return float(pace)


class SweepRunner:
    """Runs a sweep through an executor without blocking the caller.

    Parameters
    ----------
    sweep : Sweep
    executor : concurrent.futures.Executor, optional
        Default: a process pool of its own (:func:`default_executor`, ``workers`` processes),
        shut down when the sweep ends. A given executor is left running for its owner.
    on_progress : callable(Progress), optional
        Called at the start and after every finished run.
    on_chunk : callable(int, RunChunk), optional
        Live curves: called with a point's index and its new batches (and epochs) while it
        trains. Without it the runs send nothing while they train.
    on_run : callable(RunResult), optional
        Called as each run ends.
    pace : float, optional
        Steps per second for every run (None: full speed); :meth:`set_pace` changes it while
        the sweep runs.
    workers : int, optional
        Processes of the runner's own pool (default: one per core).

    All callbacks run on the runner's own monitor thread (a GUI passes them on to its thread,
    e.g. through a queued Qt signal).

    How the runs share the stop flag, the chunks and the pace: with the runner's own pool, as
    shared memory handed to each worker as it starts (the pool's initializer), the chunks
    coming back on the worker's own pipe;
    with a ``ThreadPoolExecutor``, as plain threading objects; with any other executor (a
    cluster's), through a ``multiprocessing.Manager`` whose proxies travel with each run.
    """

    def __init__(self, sweep, executor=None, on_progress=None, on_chunk=None, on_run=None,
                 chunk_seconds=CHUNK_SECONDS, poll_seconds=POLL_SECONDS, pace=None,
                 workers=None):
        self.sweep = sweep
        self.points = sweep.points()
        self._owns_executor = executor is None
        self.executor = executor
        self.workers = workers
        self.on_progress, self.on_chunk, self.on_run = on_progress, on_chunk, on_run
        self.chunk_seconds, self.poll_seconds = chunk_seconds, poll_seconds
        self._pace_setting = _pace_value(pace)
        self.result = SweepResult(sweep)
        self._manager = None
        self._pace = None
        self._chunks = None
        self._done = threading.Event()
        self._finished = queue.Queue()
        self._monitor = None
        self._futures = {}
        self._by_index = {}
        self._collected = set()
        self._started = None
        self._error = None
        self._lock = threading.Lock()
        self._begun = False
        self._cancel_requested = False

    def start(self):
        """Submit every run and return (self) without waiting for them.

        Submitting takes a fraction of a second (the processes start meanwhile); a GUI may
        call this from a helper thread. A :meth:`cancel` made meanwhile applies once all is
        submitted. If starting fails, the sweep is shut down and :meth:`wait` raises the error.
        """
        with self._lock:
            if self._begun:
                raise RuntimeError("this sweep was already started")
            self._begun = True
            try:
                self._start()
            except BaseException as exc:
                self._error = exc
                self._shutdown(locked=True)
                raise
            if self._cancel_requested:
                self._cancel()
        return self

    def _start(self):
        live = self.on_chunk is not None
        paced = self._pace_setting > 0 or live  # a watched race may be paced later
        if self.executor is None:
            context = multiprocessing.get_context("spawn")
            self.stop_flag = SharedFlag(context)
            self._chunks = queue.Queue() if live else None
            self._pace = context.Value("d", self._pace_setting, lock=False) if paced else None
            self.executor = default_executor(self.workers, _init_worker,
                                             (self.stop_flag, live, self._pace),
                                             on_message=self._chunks.put if live else None)

            def submit(point):
                return self.executor.submit(_run_shared, point, self.chunk_seconds,
                                            self.poll_seconds)
        else:
            if isinstance(self.executor, concurrent.futures.ThreadPoolExecutor):
                self.stop_flag = threading.Event()
                self._chunks = queue.Queue() if live else None
                self._pace = _Pace(self._pace_setting) if paced else None
            else:
                self._manager = multiprocessing.get_context("spawn").Manager()
                self.stop_flag = self._manager.Event()
                self._chunks = self._manager.Queue() if live else None
                self._pace = self._manager.Value("d", self._pace_setting) if paced else None

            def submit(point):
                return self.executor.submit(run_point, point, self.stop_flag, self._chunks,
                                            self.chunk_seconds, self.poll_seconds, self._pace)
        self._started = time.perf_counter()
        self._report_progress(0)
        # longest first, so no long run is left for the end while the other workers idle
        for point in sorted(self.points, key=expected_cost, reverse=True):
            future = submit(point)
            self._futures[future] = point
            self._by_index[point.index] = future
            future.add_done_callback(self._finished.put)
        self._monitor = threading.Thread(target=self._watch, name="sweep-monitor", daemon=True)
        self._monitor.start()

    @property
    def pace(self):
        """Steps per second the runs train at, as last set (None: full speed)."""
        return self._pace_setting or None

    def set_pace(self, pace):
        """Train every run at ``pace`` steps per second from now on (None: full speed).

        Applies within :data:`PACE_POLL_SECONDS` to running runs, and to those not started
        yet. A sweep started without ``on_chunk`` or a pace runs at full speed throughout.
        """
        self._pace_setting = _pace_value(pace)
        with self._lock:
            if self._pace is not None and not self._done.is_set():
                try:
                    self._pace.value = self._pace_setting
                except (OSError, EOFError, BrokenPipeError):  # the manager is gone: ended
                    pass

    def cancel(self):
        """Stop every run promptly; finished runs are kept. Returns at once."""
        with self._lock:
            self._cancel_requested = True
            if self._monitor is not None and not self._done.is_set():
                self._cancel()

    def _cancel(self):
        """(Lock held.) Set the shared stop flag and drop the runs not yet started."""
        self.result.cancelled = True
        self.stop_flag.set()
        for future in self._futures:
            future.cancel()

    def shutdown(self, timeout=1.0):
        """Cancel, wait up to ``timeout`` seconds, then end the processes of the runner's own
        pool that are still there (a worker still starting up, a run inside one long batch).

        For closing an app, or a second Ctrl-C: it returns within about ``timeout`` + 1 s. The
        runs that finished are kept; one whose process was ended counts as stopped. Returns
        :attr:`done`.
        """
        self.cancel()
        if self._monitor is None or self._done.wait(timeout):
            return self.done
        if self._owns_executor and isinstance(self.executor, pool.ProcessPool):
            self.executor.terminate()
        return self._done.wait(1.0)

    @property
    def done(self):
        """True once every run has ended (or was cancelled) and the workers are shut down."""
        return self._done.is_set()

    @property
    def error(self):
        """The exception that ended the sweep (starting or collecting failed), or None."""
        return self._error

    def wait(self, timeout=None):
        """Block until the sweep ends; return its :class:`SweepResult` (None on timeout)."""
        if not self._done.wait(timeout):
            return None
        if self._error is not None:
            raise self._error
        return self.result

    def _watch(self):
        try:
            remaining = len(self._futures)
            while remaining:
                try:
                    ended = [self._finished.get(timeout=MONITOR_SECONDS)]
                except queue.Empty:
                    ended = []
                while True:
                    try:
                        ended.append(self._finished.get_nowait())
                    except queue.Empty:
                        break
                self._drain_chunks()
                for future in ended:
                    remaining -= 1
                    if future not in self._collected:
                        self._collect(future)
            self._drain_chunks()
            self.result.runs.sort(key=lambda run: run.index)
            self.result.seconds = time.perf_counter() - self._started
        except BaseException as exc:  # keep it for wait(); the sweep still shuts down
            self._error = exc
        finally:
            self._shutdown()

    def _collect(self, future):
        self._collected.add(future)
        if future.cancelled():
            return
        error = future.exception()
        if isinstance(error, pool.WorkerDied):
            run = _result(self._futures[future], None, None, 0.0,
                          "stopped" if error.ended else "failed", messages.of(error))
        elif error is not None:
            point = self._futures[future]
            run = _result(point, None, None, 0.0, "error", messages.failure(error))
        else:
            run = future.result()
        self.result.runs.append(run)
        if self.on_run is not None:
            self.on_run(run)
        self._report_progress(len(self.result.runs))

    def _drain_chunks(self):
        chunks = self._chunks
        if chunks is None:
            return
        while True:
            try:
                index, chunk = chunks.get_nowait()
            except (queue.Empty, EOFError, OSError):
                return
            if chunk is not None:
                self.on_chunk(index, chunk)
                continue
            # the run's stream ended: its result is reported before any later chunk, so a
            # watcher sees each run end before the run that took its place begins
            future = self._by_index.get(index)
            if future is not None and future not in self._collected:
                try:
                    future.exception(timeout=RESULT_WAIT_SECONDS)
                except concurrent.futures.TimeoutError:
                    continue  # collected when it is done, as any other
                self._collect(future)

    def _report_progress(self, done):
        if self.on_progress is None:
            return
        elapsed = time.perf_counter() - self._started
        total = len(self.points)
        eta = elapsed / done * (total - done) if done else None
        self.on_progress(Progress(done, total, elapsed, eta))

    def _shutdown(self, locked=False):
        if self._owns_executor and self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
        if locked:
            self._stop_manager()
        else:
            with self._lock:
                self._stop_manager()

    def _stop_manager(self):
        """(Lock held.) Stop the manager process; the sweep is then done."""
        if self._manager is not None:
            self._manager.shutdown()
            self._manager = None
        self._done.set()


#: Seconds per step of per-call overhead, against seconds per sample of a step and per run
#: (building the trainer, evaluating), for :func:`expected_cost` (digits, (32,) relu, one
#: BLAS thread; only the ratios matter). LARS and Adam's update costs about one step more.
_STEP_SECONDS, _SAMPLE_SECONDS, _RUN_SECONDS = 45e-6, 0.15e-6, 0.02
_COSTLY_UPDATES = {"lars": 2.0, "lamb": 2.0, "adam": 1.9, "adamw": 1.9}


def expected_cost(point):
    """A run's expected seconds, up to a constant factor (inf: until stopped).

    Steps x (a fixed cost per step, larger for LARS and Adam, plus a cost per sample), plus a
    fixed cost per run: the longest runs are submitted first.
    """
    config = point.config
    if config.epochs is None:
        return math.inf
    batch = config.batch_size
    steps_per_epoch = max(1, math.ceil(config.n_samples * (1 - config.validation_split) / batch)
                          if config.n_samples else math.ceil(1500 / batch))
    per_step = _STEP_SECONDS * _COSTLY_UPDATES.get(config.optimizer, 1.0) + (
        _SAMPLE_SECONDS * batch * sum(config.hidden_layers or (1,)) / 32)
    return _RUN_SECONDS + config.epochs * steps_per_epoch * per_step


def run_sweep(sweep, executor=None, on_progress=None, on_chunk=None, on_run=None,
              workers=None):
    """Run ``sweep`` to its end through ``executor`` (default: a process pool of ``workers``
    processes) and return the :class:`SweepResult`. The caller's thread only waits."""
    runner = SweepRunner(sweep, executor, on_progress=on_progress, on_chunk=on_chunk,
                         on_run=on_run, workers=workers)
    return runner.start().wait()


__all__ = ["Sweep", "SweepRunner", "SweepResult", "RunResult", "Point", "Progress",
           "STRATEGIES", "parse_values", "parse_strategies", "log_range", "strategy_config",
           "numeric_fields", "run_sweep", "run_point", "default_executor", "RunChunk",
           "expected_cost", "SharedFlag"]
