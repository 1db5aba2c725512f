"""A run: the configuration, the history it produced and what is known about it, as one object.

A :class:`Run` is what the app keeps to compare and what a headless run leaves behind, in one
folder format, so each can become the other:

``history.csv``
    One row per step: ``step, epoch, samples, seconds, batch_loss, learning_rate``
    (``samples``/``seconds`` where the history records them; see
    :meth:`engine.history.History.to_csv`).
``epochs.csv``
    One row per completed epoch: ``epoch, train_loss, val_loss, train_accuracy, val_accuracy,
    seconds`` (``nan`` where a value is not defined).
``instruments.csv``
    Only when the run measured instruments (:class:`engine.instruments.InstrumentCallback`):
    one row per measurement, ``step, epoch`` (steps trained and epochs completed when
    measured; step 0 is before training) and a column per measured value (see
    :meth:`engine.history.InstrumentTable.to_csv`). A separate file rather than columns of
    ``epochs.csv``: measurements fall on steps (the start, every N steps), not only on epochs.
``summary.json``
    The configuration, the final losses and accuracies, best epoch, steps, wall time, steps per
    second, the outcome, the live changes (events) and the run's label, colour and metadata.
``loss.png``
    A picture of the losses, drawn by a callable the caller passes (the engine has no Qt).

Every file is written atomically (:mod:`engine.atomic`): a failure leaves the file as it was
and the other files are still written; :class:`SaveError` then names each file that failed
and why. :meth:`Run.load` reads such a folder back, including folders written before
``epochs.csv`` and the samples/seconds columns existed; what a folder lacks stays missing. A
folder that is not a run is a :class:`~engine.errors.ConfigError` naming the file and the
problem.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import math
import os

import numpy as np

from . import history as _history
from .atomic import atomic_path, write_text
from .config import TrainingConfig
from .errors import ConfigError
from .history import Diverged, Event, History, InstrumentTable

#: What became of a run: it ran to its end (epochs done or early stopping), was stopped by the
#: user, or diverged. ``"running"`` is a run still training (the app's current run).
OUTCOMES = ("finished", "stopped", "diverged", "running")
HISTORY_FILE = "history.csv"
EPOCHS_FILE = "epochs.csv"
INSTRUMENTS_FILE = "instruments.csv"
SUMMARY_FILE = "summary.json"
PNG_FILE = "loss.png"
_FINAL_KEYS = ("train_loss", "val_loss", "train_accuracy", "val_accuracy")


class SaveError(OSError):
    """Some files of a run could not be written; the others were.

    Attributes
    ----------
    failures : dict
        File name -> the exception that stopped it.
    written : list of str
        The file names that were written.
    """

    def __init__(self, folder, failures, written):
        self.failures, self.written = failures, written
        reasons = "; ".join(f"{name}: {_reason(exc)}" for name, exc in failures.items())
        super().__init__(f"could not write {len(failures)} file(s) in {folder}: {reasons}")


class Run:
    """One training run: config + history + metadata.

    Parameters
    ----------
    config : TrainingConfig
    history : engine.History
    label : str
        Short text shown in legends and the run table ("batch 512 · lr 0.1").
    color : str or None
        A colour such as ``"#1f77b4"``, or None to let the app pick one.
    started : datetime.datetime or None
        When training began (timezone-aware preferred; saved as ISO 8601).
    wall_seconds : float or None
        Training time, excluding paused time where the caller measured it so.
    steps_per_second : float or None
        Defaults to ``steps / wall_seconds`` when both are known.
    outcome : str
        One of :data:`OUTCOMES`.
    final : dict or None
        ``train_loss, val_loss, train_accuracy, val_accuracy`` on the final weights (None
        where not defined).
    metadata : dict
        Anything else JSON can hold (e.g. ``batch_size_used``); saved in summary.json.
    """

    def __init__(self, config, history, label="", color=None, started=None, wall_seconds=None,
                 steps_per_second=None, outcome="finished", final=None, metadata=None):
        if not isinstance(config, TrainingConfig):
            raise ConfigError(f"Run needs a TrainingConfig, got {type(config).__name__}")
        if outcome not in OUTCOMES:
            raise ConfigError(f"outcome {outcome!r} is unknown; valid: {', '.join(OUTCOMES)}")
        self.config = config
        self.history = history
        self.label = label
        self.color = color
        self.started = started
        self.wall_seconds = wall_seconds
        if steps_per_second is None and wall_seconds and history.n_steps:
            steps_per_second = history.n_steps / wall_seconds
        self.steps_per_second = steps_per_second
        self.outcome = outcome
        self.final = dict(final) if final is not None else None
        self.metadata = dict(metadata or {})

    def __repr__(self):
        return (f"Run({self.label or self.config.dataset!r}, {self.outcome}, "
                f"{self.history.n_steps} steps)")

    # -- building ------------------------------------------------------------------------------

    @classmethod
    def from_trainer(cls, trainer, label="", color=None, started=None, wall_seconds=None,
                     metadata=None):
        """The run ``trainer`` has trained so far, with its final losses evaluated now.

        ``metadata`` gains ``batch_size_used`` (the configured batch size clamped to the
        training rows, which is what the first batch used) and ``n_train``.
        """
        history = trainer.history
        train, val = trainer.evaluate("train"), trainer.evaluate("val")
        final = {"train_loss": train["loss"], "val_loss": val["loss"],
                 "train_accuracy": train["accuracy"], "val_accuracy": val["accuracy"]}
        used = min(trainer.config.batch_size, trainer.n_train)
        extra = {"batch_size_used": used, "n_train": trainer.n_train, **(metadata or {})}
        return cls(trainer.config, history, label=label, color=color, started=started,
                   wall_seconds=wall_seconds, outcome=outcome_of(history), final=final,
                   metadata=extra)

    # -- reading -------------------------------------------------------------------------------

    @property
    def steps(self):
        return self.history.n_steps

    @property
    def stopped(self):
        """True when the user stopped the run before its end."""
        return self.outcome == "stopped"

    def summary(self):
        """The content of ``summary.json`` as a dict (JSON-ready: no NaN, no NumPy types)."""
        history = self.history
        diverged = history.diverged
        known = {
            "label": self.label,
            "color": self.color,
            "outcome": self.outcome,
            "started": self.started.isoformat() if self.started is not None else None,
            "config": self.config.to_dict(),
            "final": self.final,
            "best_epoch": history.best_epoch,
            "epochs_completed": history.n_epochs,
            "steps": history.n_steps,
            "seconds": self.wall_seconds,
            "steps_per_second": self.steps_per_second,
            "diverged": diverged is not None,
            "divergence": dataclasses.asdict(diverged) if diverged is not None else None,
            "stopped": self.stopped,
            "stop_reason": history.stop_reason,
            "events": [dataclasses.asdict(event) for event in history.events],
            "notices": [dataclasses.asdict(notice)
                        for notice in getattr(history, "notices", ())],
        }
        metadata = {k: v for k, v in self.metadata.items() if k not in known}
        known.update(metadata)
        return _jsonable(known)

    # -- files ---------------------------------------------------------------------------------

    def save(self, folder, draw_png=None):
        """Write the run's files into ``folder`` (created if needed), each atomically.

        Parameters
        ----------
        folder : str or os.PathLike
        draw_png : callable(run, path), optional
            Draws ``loss.png`` at ``path`` (a temporary name ending in ``.png``, renamed into
            place when it returns). Without it no picture is written.

        Returns
        -------
        list of str
            The paths written.

        Raises
        ------
        OSError
            The folder cannot be created (nothing was written).
        SaveError
            Some files failed (each named with its reason); the others were written.
        """
        folder = os.fspath(folder)
        os.makedirs(folder, exist_ok=True)
        writers = [(HISTORY_FILE, self.history.to_csv),
                   (EPOCHS_FILE, self.history.epochs_to_csv),
                   (SUMMARY_FILE, self._write_summary)]
        if len(self.history.instruments):
            writers.insert(2, (INSTRUMENTS_FILE, self.history.instruments.to_csv))
        if draw_png is not None:
            writers.append((PNG_FILE, lambda path: self._write_png(path, draw_png)))
        failures, written = {}, []
        for name, write in writers:
            path = os.path.join(folder, name)
            try:
                write(path)
            except Exception as exc:  # noqa: BLE001 -- each file's failure is reported, the
                failures[name] = exc  # others still written: nothing computed is lost
            else:
                written.append(path)
        if failures:
            raise SaveError(folder, failures, [os.path.basename(p) for p in written])
        return written

    def _write_summary(self, path):
        text = json.dumps(self.summary(), indent=2, allow_nan=False, ensure_ascii=False)
        write_text(path, text + "\n")

    def _write_png(self, path, draw_png):
        with atomic_path(path) as temp:
            draw_png(self, temp)

    @classmethod
    def load(cls, folder, progress=None):
        """Read a run folder written by :meth:`save` (or by an older headless run).

        ``progress(fraction)`` is called as ``history.csv`` (nearly all of a big run's bytes)
        is read; an exception it raises abandons the load and propagates (nothing is kept).

        Raises
        ------
        ConfigError
            Naming the file and the problem: the folder or ``summary.json`` or ``history.csv``
            is missing, unreadable or not what a run writes.
        """
        folder = os.fspath(folder)
        if not os.path.isdir(folder):
            raise ConfigError(f"run folder {folder} does not exist or is not a folder")
        summary = _read_summary(os.path.join(folder, SUMMARY_FILE))
        config = _field(summary, "config", dict)
        try:
            config = TrainingConfig.from_dict(config)
        except ConfigError as exc:
            raise ConfigError(f"{SUMMARY_FILE}: config: {exc}") from None
        epochs_path = os.path.join(folder, EPOCHS_FILE)
        history = History.from_csv(os.path.join(folder, HISTORY_FILE),
                                   epochs_path if os.path.exists(epochs_path) else None,
                                   progress=progress)
        steps = summary.get("steps")
        if steps is not None and steps != history.n_steps:
            raise ConfigError(f"{SUMMARY_FILE} says {steps} steps but {HISTORY_FILE} has "
                              f"{history.n_steps}: the files are from different runs or one "
                              f"is cut short")
        instruments_path = os.path.join(folder, INSTRUMENTS_FILE)
        if os.path.exists(instruments_path):
            history.instruments = InstrumentTable.from_csv(instruments_path)
        _restore_records(history, summary)
        outcome = summary.get("outcome") or _old_outcome(summary)
        if outcome not in OUTCOMES:
            raise ConfigError(f"{SUMMARY_FILE}: outcome {outcome!r} is unknown; valid: "
                              f"{', '.join(OUTCOMES)}")
        final = _field(summary, "final", dict, required=False)
        started = summary.get("started")
        if started is not None:
            try:
                started = datetime.datetime.fromisoformat(started)
            except (TypeError, ValueError):
                raise ConfigError(f"{SUMMARY_FILE}: started {started!r} is not an ISO 8601 "
                                  f"time") from None
        metadata = {k: v for k, v in summary.items() if k not in _SUMMARY_KEYS}
        return cls(config, history, label=_field(summary, "label", str, required=False) or "",
                   color=_field(summary, "color", str, required=False), started=started,
                   wall_seconds=_number(summary, "seconds"),
                   steps_per_second=_number(summary, "steps_per_second"), outcome=outcome,
                   final={k: final.get(k) for k in _FINAL_KEYS} if final else None,
                   metadata=metadata)


#: summary.json keys that Run.summary() builds; any other key is metadata.
_SUMMARY_KEYS = frozenset({"label", "color", "outcome", "started", "config", "final",
                           "best_epoch", "epochs_completed", "steps", "seconds",
                           "steps_per_second", "diverged", "divergence", "stopped",
                           "stop_reason", "events", "notices"})


def outcome_of(history):
    """``"diverged"``, ``"stopped"``, ``"finished"`` or ``"running"`` from a history."""
    if history.diverged is not None:
        return "diverged"
    if history.stop_reason == "stopped":
        return "stopped"
    if history.stop_reason in ("finished", "early_stopping"):
        return "finished"
    return "running"


def _old_outcome(summary):
    """The outcome of a summary written before outcomes were saved."""
    if summary.get("diverged"):
        return "diverged"
    if summary.get("stopped") or summary.get("stop_reason") == "stopped":
        return "stopped"
    return "finished"


def _read_summary(path):
    try:
        with open(path, encoding="utf-8-sig") as handle:
            summary = json.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"{SUMMARY_FILE} is missing in {os.path.dirname(path)}: not a run "
                          f"folder") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{SUMMARY_FILE} is not valid JSON: line {exc.lineno}, column "
                          f"{exc.colno}: {exc.msg}") from None
    except (OSError, UnicodeDecodeError, RecursionError) as exc:
        raise ConfigError(f"{SUMMARY_FILE} cannot be read: {exc}") from None
    if not isinstance(summary, dict):
        raise ConfigError(f"{SUMMARY_FILE} must hold a JSON object, got "
                          f"{type(summary).__name__}")
    return summary


def _field(summary, key, kind, required=True):
    value = summary.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, kind):
        what = "missing" if value is None else f"a {type(value).__name__}"
        raise ConfigError(f"{SUMMARY_FILE}: {key!r} must be a {kind.__name__}, it is {what}")
    return value


def _number(summary, key):
    value = summary.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(f"{SUMMARY_FILE}: {key!r} must be a number, got {value!r}")
    return float(value)


def _restore_records(history, summary):
    """Put events, notices, divergence and the stop reason from summary.json into history."""
    events = _field(summary, "events", list, required=False) or []
    try:
        history.events.extend(Event(**event) for event in events)
    except TypeError:
        raise ConfigError(f"{SUMMARY_FILE}: 'events' must be objects with step, field, old, "
                          f"new") from None
    notice_type = getattr(_history, "Notice", None)
    notices = _field(summary, "notices", list, required=False) or []
    if notice_type is not None and hasattr(history, "notices"):
        try:
            history.notices.extend(notice_type(**notice) for notice in notices)
        except TypeError:
            raise ConfigError(f"{SUMMARY_FILE}: 'notices' must be objects with step, kind, "
                              f"message") from None
    divergence = _field(summary, "divergence", dict, required=False)
    if divergence is not None:
        try:
            history.diverged = Diverged(**divergence)
            if history.diverged.loss is None:  # JSON has no inf: saved as null
                history.diverged = dataclasses.replace(history.diverged, loss=float("inf"))
        except TypeError:
            raise ConfigError(f"{SUMMARY_FILE}: 'divergence' must have step, loss and "
                              f"message") from None
    elif summary.get("diverged") and history.n_steps:
        # an older summary says only that it diverged: at its last step, with no message
        history.diverged = Diverged(history.n_steps, float(history.batch_loss[-1]), "")
    reason = summary.get("stop_reason")
    history.stop_reason = reason if isinstance(reason, str) else None


def _jsonable(value):
    """JSON has no NaN and no NumPy types: non-finite floats become null, scalars Python."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    return value


def _reason(exc):
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


__all__ = ["Run", "SaveError", "OUTCOMES", "outcome_of"]
