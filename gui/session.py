"""The app's state without Qt: the run state, the current run, pending changes, the dataset
cache and the kept runs, with plain-Python events the window subscribes to.

Why a separate, Qt-free object: the main window used to hold all of this beside its widgets,
so every feature touched it in several places and none of it could be tested without a window.
Here each fact lives once; the window (``gui.main_window``) only adapts it to widgets, and the
tests drive it directly (``tests/test_session.py``). No module imported here loads Qt -- a test
imports ``gui.session`` in a fresh interpreter and checks ``sys.modules``.

The session never touches a ``Trainer`` that the worker runs. What it knows about the current
run arrives as messages (:meth:`Session.apply_progress`, :meth:`Session.end_run`), and the
:class:`CurrentRun` keeps its own copy of the per-step and per-epoch arrays: that copy is what a
kept run freezes, and what the status bar and the run table read.
"""

import enum
import functools
import json
import os
import time
import types
from dataclasses import dataclass, field

import numpy as np

from engine import ConfigError, TrainingConfig, datasets, optimizers, spec
from engine.atomic import atomic_write
from engine.history import GrowableArray, InstrumentTable
from engine.trainer import LIVE_FIELDS
from gui.model.events import Event
from gui.model.labels import Label, Outcome
from gui.model.runs import CURRENT_KEY, Role, RunEntry, Runs
from gui.model.store import KeptStore, StoredRun

STEP_COLUMNS = ("step", "epoch", "samples", "seconds", "batch_loss", "learning_rate")
EPOCH_COLUMNS = ("train_loss", "val_loss", "train_accuracy", "val_accuracy")
#: Fields that decide the data a run trains on (a new sample needs a new dataset).
DATA_FIELDS = ("dataset", "noise", "validation_split", "n_samples", "label_column", "seed")
#: The order of a label's parts: the knobs a comparison most often turns first.
LABEL_ORDER = ("batch_size", "learning_rate", "optimizer", "loss", "schedule", "epochs",
               "hidden_layers", "activation", "dataset")
#: One colour per run, the same on every plot: Tableau 10 without the current run's and the
#: training curve's blue and without the validation curve's red (a kept run drawn in that red
#: read as a validation curve, issue 24 item 4).
RUN_COLORS = ((255, 127, 14), (44, 160, 44), (148, 103, 189), (140, 86, 75),
              (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207))


class RunState(str, enum.Enum):
    """Where the current run is; equal to its plain string ("running" == RunState.RUNNING)."""

    READY = "ready"
    RUNNING = "running"
    PAUSED = "paused"
    ENDED = "ended"


class DatasetCache:
    """Datasets by what decides their content, a CSV file by its version (size, mtime).

    Choosing a CSV file, changing the learning rate or pressing Reset then parses it once, not
    once per validation; an edited file (new size or modification time) is read again.
    """

    def __init__(self, capacity=4):
        self.capacity = capacity
        self._entries = {}
        self.loads = 0

    @staticmethod
    def key(config):
        """What decides the dataset ``config`` trains on, including the CSV file's version."""
        key = tuple(getattr(config, name) for name in DATA_FIELDS)
        name = config.dataset
        if isinstance(name, str) and name.startswith(datasets.CSV_PREFIX):
            path = os.path.expanduser(name[len(datasets.CSV_PREFIX):].strip())
            try:
                status = os.stat(path)
                key += (status.st_size, status.st_mtime_ns)
            except OSError:
                key += (None, None)
        return key

    def get(self, config):
        """The dataset for ``config``, loaded at most once per key (ConfigError if it fails)."""
        key = self.key(config)
        if key not in self._entries:
            dataset = datasets.load(
                config.dataset, noise=config.noise, validation_split=config.validation_split,
                seed=config.seed, n_samples=config.n_samples, label_column=config.label_column)
            self.loads += 1
            while len(self._entries) >= self.capacity:
                self._entries.pop(next(iter(self._entries)))
            self._entries[key] = dataset
        return self._entries[key]


@dataclass
class RunFacts:
    """What the views need to know about a trainer when it is built (read once, before the
    worker owns it): the dataset's task and size, the planned length of the run, how the data
    are drawn (a ``gui.views.ViewGeometry``) and the model's number of parameter arrays."""

    task: str
    n_train: int
    steps_per_epoch: int
    epochs: int
    geometry: object = None
    parameter_arrays: int = 0


class CurrentRun:
    """The run being trained, as the session sees it: its config, its facts, and a copy of
    every step and epoch that arrived as a message."""

    def __init__(self, run_id, config, facts, clock=time.monotonic):
        self.run_id = run_id
        self.config = config
        self.facts = facts
        self.started = time.time()
        self._clock = clock
        self.steps = {name: GrowableArray(np.float64) for name in STEP_COLUMNS}
        self.epochs = {name: GrowableArray(np.float64, capacity=64) for name in EPOCH_COLUMNS}
        self.best_epoch = None
        self.step_count = 0
        self.epoch = 0
        self.finished = False
        self.outcome = None
        self.diverged_step = None
        self.notices = []
        self.live = {}
        self.instruments = InstrumentTable()  # what the shown instrument views asked for
        self._active_since = None
        self._active_seconds = 0.0
        self._active_steps = 0
        self._steps_at_resume = 0

    @property
    def last_loss(self):
        loss = self.steps["batch_loss"].view
        return float(loss[-1]) if len(loss) else float("nan")

    def resume(self):
        """Training (a fit) begins or resumes: the wall time and speed count from here."""
        if self._active_since is None:
            self._active_since = self._clock()
            self._steps_at_resume = self.step_count

    def pause(self):
        """Training stops or pauses: the time since :meth:`resume` counts as training time."""
        if self._active_since is not None:
            self._active_seconds += self._clock() - self._active_since
            self._active_steps += self.step_count - self._steps_at_resume
            self._active_since = None

    @property
    def active(self):
        return self._active_since is not None

    @property
    def wall_seconds(self):
        """Seconds spent training (paused time excluded)."""
        extra = 0.0 if self._active_since is None else self._clock() - self._active_since
        return self._active_seconds + extra

    @property
    def steps_per_second(self):
        """Steps per training second over the whole run (0 before any timed step)."""
        steps = self._active_steps
        if self._active_since is not None:
            steps += self.step_count - self._steps_at_resume
        seconds = self.wall_seconds
        return steps / seconds if seconds > 0 else 0.0

    def add_steps(self, chunk):
        """Copy a ``BatchChunk``'s steps; samples and seconds come from the chunk when the
        engine sends them, else from the batch size and the training clock."""
        n = len(chunk.step)
        if not n:
            return
        samples = getattr(chunk, "samples", None)
        if samples is None:
            previous = self.steps["samples"].view
            start = float(previous[-1]) if len(previous) else 0.0
            batch = self.live.get("batch_size", self.config.batch_size)
            samples = start + batch * np.arange(1, n + 1, dtype=np.float64)
        seconds = getattr(chunk, "seconds", None)
        if seconds is None:
            seconds = np.full(n, self.wall_seconds)
        for name, column in step_columns(chunk, samples, seconds).items():
            self.steps[name].extend(np.asarray(column, dtype=np.float64))

    def add_instruments(self, rows):
        """Copy a chunk's instrument rows (``BatchChunk.instruments``; ``{}``: none)."""
        names = [name for name in rows if name not in ("step", "epoch")]
        for index in range(len(rows.get("step", ()))):
            self.instruments.record(int(rows["step"][index]), int(rows["epoch"][index]),
                                    {name: float(rows[name][index]) for name in names})

    def add_epochs(self, epochs):
        for name in EPOCH_COLUMNS:
            if name in epochs:
                self.epochs[name].extend(np.asarray(epochs[name], dtype=np.float64))


def step_columns(chunk, samples=None, seconds=None):
    """A ``BatchChunk``'s per-step arrays by their :data:`STEP_COLUMNS` names (the one place
    that maps the chunk's fields to the columns); ``samples`` and ``seconds`` stand in for
    the chunk's when given (None: the chunk's own, or NaN when it has none)."""
    n = len(chunk.step)
    given = {"samples": samples, "seconds": seconds}
    for name in given:
        if given[name] is None:
            given[name] = getattr(chunk, name, None)
        if given[name] is None:
            given[name] = np.full(n, np.nan)
    return {"step": chunk.step, "epoch": chunk.epoch, "samples": given["samples"],
            "seconds": given["seconds"], "batch_loss": chunk.loss,
            "learning_rate": chunk.learning_rate}


@dataclass
class KeptRun:
    """A finished or stopped run kept for comparison: frozen arrays plus what describes it."""

    key: int
    config: TrainingConfig
    steps: dict
    epochs: dict
    outcome: Outcome
    wall_seconds: float
    steps_per_second: float
    best_epoch: object = None
    started: float = 0.0
    color: tuple = (127, 127, 127)
    n_train: int = 0
    #: What it is called (a :class:`gui.model.labels.Label`), set by :meth:`Session.relabel`.
    label: Label = Label()
    visible: bool = True
    notices: list = field(default_factory=list)
    #: A name given as text when the run was kept (or a lesson step's name saved by an older
    #: version): its label, instead of the fields that differ from the other kept runs; "" for
    #: none.
    name: str = ""
    #: The kept-run store's id of this run ("" until saved); not shown.
    store_id: str = ""
    #: Its instrument measurements (``InstrumentTable.rows``: ``step``, ``epoch`` and one
    #: array per column; ``{}``: none), saved with it in the kept-run store.
    instruments: dict = field(default_factory=dict)
    #: The fields changed while it trained, with the value it started with (its label reads
    #: "lr 0.3→1.5"); ``config`` holds the values it ended with.
    live_from: dict = field(default_factory=dict)
    #: ``(lesson key, step key)`` of the lesson step it was kept for (None: not a lesson's):
    #: its label is the step's short label, in the language shown.
    lesson_step: tuple = None
    #: Set aside by a lesson's scene (hidden; Bring Back shows it again), and, for a lesson
    #: step's run, replaced by a later run of the same step; saved, so a restart keeps both.
    aside: bool = False
    superseded: bool = False

    def __post_init__(self):
        if isinstance(self.outcome, str):  # an outcome given as text (read as a saved one)
            self.outcome = Outcome.from_saved(None, self.outcome)

    @property
    def n_steps(self):
        return len(self.steps["step"])

    def final(self, name):
        values = self.epochs.get(name)
        return float(values[-1]) if values is not None and len(values) else float("nan")

    def to_json(self):
        """Its metadata as JSON. The outcome and a lesson run's name are saved as data
        ("outcome_data", "lesson_step") and, for the versions before them, as English text
        ("outcome", "name"), which is also what those versions' runs are read back from."""
        name = self.name or (str(self.label) if self.lesson_step else "")
        saved = {"key": self.key, "config": _config_dict(self.config),
                 "outcome": str(self.outcome), "outcome_data": self.outcome.to_json(),
                 "wall_seconds": self.wall_seconds, "steps_per_second": self.steps_per_second,
                 "best_epoch": self.best_epoch, "started": self.started,
                 "color": list(self.color), "n_train": self.n_train, "visible": self.visible,
                 "name": name, "live_from": _json_values(self.live_from)}
        if self.lesson_step:
            saved["lesson_step"] = list(self.lesson_step)
        saved.update({flag: True for flag in ("aside", "superseded") if getattr(self, flag)})
        return saved

    @classmethod
    def from_saved(cls, meta, arrays):
        lesson_step = meta.get("lesson_step")
        lesson_step = (tuple(lesson_step) if isinstance(lesson_step, list)
                       and len(lesson_step) == 2 and all(isinstance(key, str) and key
                                                         for key in lesson_step) else None)
        return cls(int(meta["key"]), TrainingConfig.from_dict(meta["config"]),
                   {name: arrays[f"step_{name}"] for name in STEP_COLUMNS},
                   {name: arrays[f"epoch_{name}"] for name in EPOCH_COLUMNS},
                   Outcome.from_saved(meta.get("outcome_data"), meta["outcome"]),
                   float(meta["wall_seconds"]),
                   float(meta["steps_per_second"]), meta.get("best_epoch"),
                   float(meta.get("started", 0.0)), tuple(meta["color"]),
                   int(meta.get("n_train", 0)), visible=bool(meta.get("visible", True)),
                   name="" if lesson_step else str(meta.get("name", "") or ""),
                   live_from=_live_from_saved(meta.get("live_from")),
                   lesson_step=lesson_step, aside=meta.get("aside") is True,
                   superseded=meta.get("superseded") is True)


def _json_values(values):
    """``values`` with tuples as lists (hidden layers), as JSON keeps them."""
    return {name: list(value) if isinstance(value, tuple) else value
            for name, value in values.items()}


def _live_from_saved(saved):
    """A saved ``live_from`` (a dict of field -> start value; anything else: none)."""
    if not isinstance(saved, dict):
        return {}
    return {str(name): tuple(value) if isinstance(value, list) else value
            for name, value in saved.items()}


def live_starts(config, live):
    """The fields of ``live`` (field -> value now) that differ from ``config``'s, with
    ``config``'s value: what a run's label shows as changed during the run."""
    fields = config.to_dict()
    return {name: getattr(config, name) for name, value in live.items()
            if name in fields and value != getattr(config, name)}


@functools.lru_cache(maxsize=4096)
def _config_dict(config):
    """``config.to_dict()``, once per config (read-only: shared by every caller): the window
    saves the kept runs on each change, and ``to_dict`` took 0.65 ms a run, 40 ms at 60 runs."""
    return config.to_dict()


def kept_from_run(run):
    """A :class:`KeptRun` from an ``engine.run.Run`` (a headless ``--out`` folder, loaded)."""
    history = run.history
    steps = {"step": history.step, "epoch": history.epoch,
             "samples": getattr(history, "samples", None), "seconds": getattr(
                 history, "seconds", None), "batch_loss": history.batch_loss,
             "learning_rate": history.learning_rate}
    n = history.n_steps
    # as the history holds them (steps int64, loss and rate float32), not copied to float64:
    # exact all the same (the kept-run store saves float64), and 160 MB less at 10M steps
    steps = {name: np.full(n, np.nan) if values is None or len(values) != n
             else np.asarray(values) for name, values in steps.items()}
    epochs = {name: np.asarray(getattr(history, name), dtype=np.float64)
              for name in EPOCH_COLUMNS}
    diverged = history.diverged
    outcome = Outcome.of_run(run.outcome if run.outcome != "running" else "stopped",
                             diverged.step if diverged is not None else None)
    live_from = {}
    for event in history.events:  # the first change of a field holds what the run began with
        live_from.setdefault(event.field, event.old)
    n_train = int(run.metadata.get("n_train", 0) or 0)
    kept = KeptRun(0, run.config, steps, epochs, outcome, float(run.wall_seconds or 0.0),
                   float(run.steps_per_second or 0.0), history.best_epoch, n_train=n_train,
                   instruments=history.instruments.rows(0)
                   if len(history.instruments) else {},
                   live_from={name: old for name, old in live_from.items()
                              if old != getattr(run.config, name, old)})
    return kept


def _effective_values(config, users, defaults):
    """``config.to_dict()`` as a comparison should see it: a field its optimizer or loss does
    not take is left out, and an optimizer hyperparameter or loss option at its default counts
    as None (not set), so "adam" and "adam with beta_1 0.9 spelled out" are the same run, sgd has
    no beta_1 to differ in, and lars's default momentum is implied by "lars".

    ``users`` maps a field that applies to some optimizers or losses to their names;
    ``defaults(optimizer)`` gives an optimizer's defaults.
    """
    values = config.to_dict()
    for param in spec.PARAMS:
        if param.name not in values or param.applies is None:
            continue
        if not param.applies_here(config, users[param.name]):
            del values[param.name]
        elif values[param.name] == (defaults(config.optimizer).get(param.name)
                                    if param.applies == "optimizer" else param.default):
            values[param.name] = None
    return values


@functools.lru_cache(maxsize=1)
def _users():
    """Field -> the optimizers or losses that take it (the registries do not change)."""
    return {param.name: frozenset(param.applies_to()) for param in spec.PARAMS
            if param.applies is not None}


@functools.lru_cache(maxsize=None)
def _optimizer_defaults(optimizer):
    try:
        return dict(optimizers.hyperparameters(optimizer))
    except (ConfigError, KeyError):
        return {}


@functools.lru_cache(maxsize=4096)
def _comparable(config):
    """``config``'s effective values and each one's JSON text (what comparisons compare),
    computed once per config: a sweep relabels every kept run each time one more is kept, and
    ``to_dict`` and the registries' answers made that 24 ms at 50 runs."""
    values = _effective_values(config, _users(), _optimizer_defaults)
    texts = {name: json.dumps(value, sort_keys=True) for name, value in values.items()}
    return types.MappingProxyType(values), types.MappingProxyType(texts)


def describe_differences(configs, n_train=None, live_from=None):
    """One :class:`gui.model.labels.Label` per config naming only what differs among them
    (shown as "batch 512 · lr 0.1 · lars").

    A single config, or configs that are all equal, are labelled by batch size and learning
    rate, the two knobs a comparison most often turns. A label says what its run used: never
    "None" or an option left off (a run that does not set a field differing elsewhere has no
    part for it; a switch on reads as its bare name), a batch of all training rows reads "full
    batch (1438)", and a field changed during the run reads "lr 0.3→1.5".

    Parameters
    ----------
    configs : sequence of TrainingConfig
        What each run ended with (live changes applied).
    n_train : sequence of int, optional
        Each run's training rows (0 or None: not known, the batch size is shown as it is).
    live_from : sequence of dict, optional
        Each run's fields changed live, with the value it started with.
    """
    n = len(configs)
    n_train = list(n_train) if n_train is not None else [0] * n
    live_from = [dict(d or {}) for d in live_from] if live_from is not None else [{}] * n
    compared = [_comparable(config) for config in configs]  # frozen: lists become tuples
    dicts = [values for values, _texts in compared]
    every = list(dict.fromkeys(name for d in dicts for name in d))
    null = json.dumps(None)
    names = [name for name in every  # a field a run does not use counts as not set (None)
             if len({texts.get(name, null) for _values, texts in compared}) > 1]
    names = names or ["batch_size", "learning_rate"]
    names += [name for name in every if name not in names
              and any(name in changed for changed in live_from)]
    labels = []
    for config, values, rows, changed in zip(configs, dicts, n_train, live_from):
        parts = _label_parts(names, config, values, rows, changed)
        if not parts:  # nothing it sets differs: named by the two knobs every run has
            parts = _label_parts(["batch_size", "learning_rate"], config, values, rows,
                                 changed)
        labels.append(Label(tuple(parts)))
    return labels


def _label_parts(names, config, values, rows, changed):
    """The parts of one run's label (see :mod:`gui.model.labels`) for the fields ``names``,
    in :data:`LABEL_ORDER`."""
    parts = []
    for name in sorted(names, key=lambda name: (LABEL_ORDER.index(name) if name in LABEL_ORDER
                                                 else len(LABEL_ORDER))):
        if name not in values:
            continue  # not used by this run's optimizer or loss
        value = getattr(config, name) if name in changed else values[name]
        ends = ([changed[name]] if name in changed else []) + [value]
        if name == "batch_size":
            parts.append((name, tuple(("full_batch", rows) if rows and end >= rows else end
                                      for end in ends)))
            continue
        if value is None or value is False and name not in changed:
            continue  # not set, or a switch left off: nothing the run used to name
        parts.append((name, tuple(tuple(end) if isinstance(end, list) else end
                                  for end in ends)))
    return parts


class Session:
    """Everything the app knows, with events for the window.

    Its runs -- the current one, a sweep's racing runs and the kept ones -- are one collection,
    :attr:`runs` (a :class:`gui.model.runs.Runs`, with its own events), which the drawer of
    runs and the run table read.

    Events (each an :class:`Event`): ``state_changed(state)``, ``run_started(run)``,
    ``progressed(run, progress)``, ``planned(run, epochs)`` (the planned length changed
    before the trainer took it), ``run_ended(run, reason, message)``,
    ``kept_changed()`` (a run was kept, removed, relabelled, shown or hidden).
    """

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self.state = RunState.READY
        self.run = None
        self.runs = Runs()
        self.datasets = DatasetCache()
        self._next_run_id = 0
        self._next_key = 0
        self._labels = None  # (kept configs, current config, their labels) last computed
        self._stores = {}  # folder -> KeptStore (see _kept_store)
        self.state_changed = Event()
        self.run_started = Event()
        self.progressed = Event()
        self.planned = Event()
        self.run_ended = Event()
        self.kept_changed = Event()

    # -- the run state ---------------------------------------------------------------------

    def set_state(self, state):
        state = RunState(state)
        if self.run is not None:
            (self.run.resume if state == RunState.RUNNING else self.run.pause)()
        self.state = state
        self.state_changed.emit(state)

    def new_run(self, config, facts):
        """A new current run (the trainer is built; the worker is about to own it)."""
        self._next_run_id += 1
        self.run = CurrentRun(self._next_run_id, config, facts, self.clock)
        self.state = RunState.READY
        with self.runs.batch():
            self.runs.remove([CURRENT_KEY])
            self.runs.add([RunEntry.of_current(self.run)])
        self.run_started.emit(self.run)
        self.state_changed.emit(self.state)
        return self.run

    def apply_progress(self, progress):
        """A worker's ``Progress`` for the current run; messages of older runs are ignored."""
        run = self.run
        if run is None or progress.run_id != run.run_id:
            return False
        chunk = progress.chunk
        for event in chunk.events:
            run.live[event.field] = event.new
            if event.field == "epochs":
                run.facts.epochs = None if event.new is None else int(event.new)
        run.add_steps(chunk)
        run.add_instruments(getattr(chunk, "instruments", None) or {})
        run.add_epochs(progress.epochs)
        run.notices.extend(getattr(chunk, "notices", ()) or ())
        run.best_epoch = progress.best_epoch
        run.step_count = progress.step_count
        run.epoch = progress.current_epoch
        run.finished = progress.finished
        if progress.steps_per_epoch:
            run.facts.steps_per_epoch = progress.steps_per_epoch
        self.runs.grow([self.runs.current], progress)
        self.progressed.emit(run, progress)
        return True

    def plan_epochs(self, epochs=None):
        """The current run's planned epochs changed (a live change of Epochs, shown before the
        trainer confirms it; None: as the run's facts say)."""
        if self.run is not None:
            self.runs.plan(epochs)
            self.planned.emit(self.run, epochs)

    def end_run(self, run_id, reason, message="", diverged_step=None):
        """The worker's fit returned: record the outcome, move to ENDED or READY."""
        run = self.run
        if run is None or run_id != run.run_id:
            return False
        run.pause()
        run.outcome = reason
        run.diverged_step = diverged_step
        ended = reason in ("finished", "early_stopping", "diverged")
        if ended:
            run.finished = True
        self.set_state(RunState.ENDED if ended else RunState.READY)
        self.runs.end(reason)
        self.run_ended.emit(run, reason, message)
        return True

    # -- pending changes -------------------------------------------------------------------

    def pending_changes(self, wanted):
        """Fields of ``wanted`` (a TrainingConfig) that differ from the current run's and wait
        for Reset: live fields go to the running trainer, so only the others are pending."""
        run = self.run
        if run is None:
            return []
        current = run.config
        return [name for name in wanted.to_dict() if name not in LIVE_FIELDS
                and getattr(wanted, name) != getattr(current, name)]

    # -- kept runs -------------------------------------------------------------------------

    def keep_current(self, name="", lesson_step=None):
        """Freeze the current run as a kept run (None when it has no step yet); a ``name``
        (text), or ``lesson_step`` (lesson key, step key) for a lesson's run, labels it
        instead of what differs."""
        run = self.run
        if run is None or run.step_count == 0 or not len(run.steps["step"]):
            return None
        used = {kept.color for kept in self.kept}
        color = next((c for c in RUN_COLORS if c not in used),
                     RUN_COLORS[self._next_key % len(RUN_COLORS)])
        config = run.config.replace(**{k: v for k, v in run.live.items()
                                       if k in run.config.to_dict()})
        kept = KeptRun(self._next_key, config,
                       {name: array.view.copy() for name, array in run.steps.items()},
                       {name: array.view.copy() for name, array in run.epochs.items()},
                       Outcome.of_run(run.outcome, run.diverged_step),
                       run.wall_seconds, run.steps_per_second, run.best_epoch, run.started,
                       color, run.facts.n_train, notices=list(run.notices),
                       instruments=run.instruments.rows(0) if len(run.instruments) else {},
                       live_from=live_starts(run.config, run.live))
        kept.name = str(name or "")
        kept.lesson_step = tuple(lesson_step) if lesson_step else None
        return self.add_kept_runs([kept])[0]

    @property
    def kept(self):
        """The kept runs' records (``KeptRun``), in the order kept: the collection's kept
        entries."""
        return [entry.record for entry in self.runs.of(Role.KEPT)]

    def new_key(self):
        """A key no run of this session has had (a kept or a racing run's)."""
        self._next_key += 1
        return self._next_key - 1

    def add_kept(self, kept):
        """Add a kept run from elsewhere (saved, opened); its key is made unique."""
        return self.add_kept_runs([kept])[0]

    def add_kept_runs(self, runs):
        """Add several kept runs (a sweep's) with one relabel and one ``kept_changed``: each
        relabel may rename every kept run, and the window draws a renamed run anew."""
        runs = list(runs)
        for kept in runs:
            kept.key = self.new_key()
        with self.runs.batch():
            self.runs.add(RunEntry.of_kept(kept) for kept in runs)
            self.relabel()
        self.kept_changed.emit()
        return runs

    def add_racing(self, label, color, config):
        """A sweep's run starts racing: its entry in :attr:`runs` (role racing, a new key),
        its columns empty until the sweep's chunks arrive."""
        entry = RunEntry.of_racing(self.new_key(), label, color, config, STEP_COLUMNS,
                                   EPOCH_COLUMNS)
        self.runs.add([entry])
        return entry

    def keep_racing(self, pairs):
        """Racing runs that ended become kept runs: ``pairs`` of (entry, ``KeptRun``), each
        record given its entry's key; one relabel and one ``kept_changed`` for all."""
        pairs = list(pairs)
        with self.runs.batch():
            for entry, kept in pairs:
                self.runs.keep(entry, kept)
            self.relabel()
        self.kept_changed.emit()
        return [kept for _entry, kept in pairs]

    def find(self, key):
        """The kept run ``key``'s record (None: no kept run has that key)."""
        entry = self.runs.get(key)
        return entry.record if entry is not None and entry.kept else None

    def remove_kept(self, key):
        with self.runs.batch():
            if self.find(key) is not None:
                self.runs.remove([key])
            self.relabel()
        self.kept_changed.emit()

    def clear_kept(self):
        self.runs.remove([entry.key for entry in self.runs.of(Role.KEPT)])
        self.kept_changed.emit()

    def set_visible(self, key, visible):
        kept = self.find(key)
        if kept is not None and kept.visible != visible:
            kept.visible = visible
            self.runs.update([self.runs.get(key)])
            self.kept_changed.emit()

    def set_aside(self, keys, aside=True, superseded=False):
        """Set the kept runs ``keys`` aside (hidden, and marked for Bring Back), or with
        ``aside`` False bring them back (shown); ``superseded`` marks them replaced by a later
        run of their lesson step. One ``kept_changed`` for all, if anything changed."""
        changed = []
        for kept in filter(None, map(self.find, keys)):
            wanted = (aside, not aside, kept.superseded or superseded)
            if (kept.aside, kept.visible, kept.superseded) != wanted:
                kept.aside, kept.visible, kept.superseded = wanted
                changed.append(self.runs.get(kept.key))
        if changed:
            self.runs.update(changed)
            self.kept_changed.emit()

    def relabel(self):
        """Label every kept run by what differs among the kept runs (a run kept with a name
        or for a lesson step by that); return the current run's label (what differs between it
        and them; an empty label without a current run)."""
        entries = self.runs.of(Role.KEPT)
        kept = [(e.record.config, e.record.n_train, e.record.live_from) for e in entries]
        run = self.run
        current = None
        if run is not None:
            starts = live_starts(run.config, run.live)
            current = (run.config.replace(**{k: run.live[k] for k in starts}),
                       run.facts.n_train, starts)
        # The run table asks every 1.2 s while a run trains; the labels change only with the
        # configs (describe_differences compares every field of every config as JSON).
        known = self._labels
        if known is None or known[0] != kept or known[1] != current:
            kept_labels = describe_differences(*zip(*kept)) if kept else []
            run_label = (Label() if current is None else
                         describe_differences(*zip(*(kept + [current])))[-1])
            known = self._labels = (kept, current, kept_labels, run_label)
        renamed = []
        for entry, label in zip(entries, known[2]):
            kept = entry.record
            label = (Label.of_step(*kept.lesson_step) if kept.lesson_step
                     else Label.of_text(kept.name) if kept.name else label)
            if label != kept.label:
                kept.label = label
                renamed.append(entry)
        self.runs.update(renamed)
        return known[3]

    # -- files -----------------------------------------------------------------------------

    def save_kept(self, folder):
        """Save the kept runs in the store at ``folder`` (:mod:`gui.model.store`): this
        session's new runs are added and its removed ones deleted, in one transaction; runs
        another instance saved there stay. Returns the problems (nothing raises)."""
        kept_runs = self.kept
        records = [StoredRun(kept.store_id, kept.to_json(), kept.steps, kept.epochs,
                             instruments=kept.instruments) for kept in kept_runs]
        problems = self._kept_store(folder).sync(records)
        for kept, record in zip(kept_runs, records):
            kept.store_id = record.uid
        return problems

    def load_kept(self, folder):
        """Add the kept runs saved in ``folder``; returns the problems met (each a
        :class:`gui.model.store.Problem`): a run that cannot be read is skipped and named,
        the rest load, and nothing stored is deleted."""
        def make(stored):
            arrays = {f"step_{name}": values for name, values in stored.steps.items()}
            arrays.update({f"epoch_{name}": values for name, values in stored.epochs.items()})
            kept = KeptRun.from_saved({**stored.meta, "key": 0}, arrays)
            kept.store_id = stored.uid
            kept.instruments = stored.instruments
            return kept
        runs, problems = self._kept_store(folder).load(make)
        if runs:
            self.add_kept_runs(runs)
        return problems

    def close_kept(self):
        """Close the stores' database connections (a save opens them again): the window's
        last act at close, so the database is whole in one file when the app has quit."""
        for store in self._stores.values():
            store.close()

    def _kept_store(self, folder):
        """The store at ``folder``, one per folder: it remembers which runs this session
        loaded or saved there (the only ones its saves may delete)."""
        folder = os.fspath(folder)
        if folder not in self._stores:
            self._stores[folder] = KeptStore(folder, STEP_COLUMNS, EPOCH_COLUMNS)
        return self._stores[folder]

    def export_runs(self, steps_path, epochs_path, progress=None):
        """All kept runs as two long CSV files (per step, per epoch): :func:`write_runs_csv`."""
        write_runs_csv(list(self.kept), steps_path, epochs_path, progress)


#: Rows of a kept run formatted at a time by :func:`write_runs_csv` (as ``History.to_csv``).
RUNS_CSV_CHUNK_ROWS = 8192


def write_runs_csv(kept, steps_path, epochs_path, progress=None):
    """Write the runs ``kept`` as two long CSV files, per step and per epoch.

    Both are written to temporary files and renamed only when both are complete, so a failure
    or a cancel leaves the files already at those paths as they were. The steps are formatted
    :data:`RUNS_CSV_CHUNK_ROWS` at a time (constant memory at any length); safe on any thread,
    since a kept run's arrays never change.

    Parameters
    ----------
    kept : list of KeptRun
    steps_path, epochs_path : str or os.PathLike
    progress : callable(float), optional
        Called with the fraction of step rows written (0 < f <= 1) after each chunk; if it
        raises, the export is abandoned (that is how the window cancels it).
    """
    total = sum(run.n_steps for run in kept)
    done = 0
    with atomic_write(steps_path) as steps, atomic_write(epochs_path) as epochs:
        steps.write("run," + ",".join(STEP_COLUMNS) + "\n")
        epochs.write("run,epoch," + ",".join(EPOCH_COLUMNS) + "\n")
        for run in kept:
            label = '"' + str(run.label).replace('"', '""') + '"'
            columns = [np.asarray(run.steps[name], dtype=np.float64) for name in STEP_COLUMNS]
            # step, epoch and samples are whole numbers, unless a file lacked them (NaN)
            formats = ["%d" if i < 3 and np.isfinite(values).all() else "%.9g"
                       for i, values in enumerate(columns)]
            row_format = label.replace("%", "%%") + "," + ",".join(formats) + "\n"
            for low in range(0, run.n_steps, RUNS_CSV_CHUNK_ROWS):
                high = min(low + RUNS_CSV_CHUNK_ROWS, run.n_steps)
                rows = zip(*(values[low:high].tolist() for values in columns))
                steps.write("".join([row_format % row for row in rows]))
                done += high - low
                if progress is not None:
                    progress(done / total)
            per_epoch = zip(*(np.asarray(run.epochs[name], dtype=np.float64).tolist()
                              for name in EPOCH_COLUMNS))
            epochs.write("".join(f"{label},{number}," + ",".join(f"{v:.9g}" for v in row)
                                 + "\n" for number, row in enumerate(per_epoch, start=1)))
    if progress is not None and total == 0:
        progress(1.0)
