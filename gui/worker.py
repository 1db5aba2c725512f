"""The training worker: a QObject living on a QThread that drives one ``Trainer`` at a time.

The GUI thread asks for work through queued signals (attach a trainer, run, step, refresh the
data view); the worker answers with :class:`Progress` objects carrying NumPy chunks at most
``1 / CHUNK_SECONDS`` times a second, :class:`RunEnd` when ``fit`` returns, and ``errored``
with a message for any exception. The decision surface and the other data views are computed
here, in the worker thread, a few times a second.

Stopping and pausing use ``threading.Event`` flags that ``Trainer.fit`` polls between
batches. :class:`JobCounter` lets the GUI wait (briefly, with a timeout) until every job it
queued has finished -- used by Stop, Reset and closing the window.
"""

import functools
import threading
import time
import traceback
from dataclasses import dataclass, field

import numpy as np
from PySide6 import QtCore

from engine import BatchChunk
from engine.lr_finder import find_lr
from gui.views import compute_view

# Batches reach the GUI this often: one chunk per frame of the batch plots (FAST_REDRAW_MS).
CHUNK_SECONDS = 1 / 10
VIEW_SECONDS = 0.5
LR_FINDER_STEPS = 200


@dataclass
class Progress:
    """What happened since the previous Progress of the same run.

    ``chunk`` is the engine's ``BatchChunk`` (per-batch arrays and events). Per new epoch,
    arrays of shape (e,) in ``epochs`` (train_loss, val_loss, train_accuracy, val_accuracy);
    ``best_epoch``; ``view`` a :class:`gui.views.DataView` or None.
    """

    run_id: int
    chunk: BatchChunk
    epochs: dict = field(default_factory=dict)
    best_epoch: int = None
    view: object = None
    step_count: int = 0
    current_epoch: int = 0


@dataclass
class RunEnd:
    """``fit`` returned: ``reason`` is the history's stop reason ("finished", "stopped",
    "diverged", "early_stopping") or "error"; ``message`` explains divergence or errors."""

    run_id: int
    reason: str
    message: str = ""


class JobCounter:
    """Counts jobs queued to the worker; the GUI can wait until all are done."""

    def __init__(self):
        self._condition = threading.Condition()
        self._count = 0

    def add(self):
        with self._condition:
            self._count += 1

    def done(self):
        with self._condition:
            self._count -= 1
            self._condition.notify_all()

    @property
    def busy(self):
        with self._condition:
            return self._count > 0

    def wait_idle(self, timeout):
        """Block until no job is queued or running; False if ``timeout`` seconds passed."""
        with self._condition:
            return self._condition.wait_for(lambda: self._count == 0, timeout)


def _job(slot):
    """A worker slot as one queued job: any failure goes to ``errored`` (never a traceback on
    the GUI), and the job counts as done however it ends, so the GUI's waits can finish."""
    @functools.wraps(slot)
    def run_job(self, *args):
        try:
            slot(self, *args)
        except Exception as error:  # noqa: BLE001 - every failure goes to the message box
            self._report(error)
        finally:
            self.jobs.done()
    return run_job


class TrainingWorker(QtCore.QObject):
    """Runs ``Trainer.fit`` / ``Trainer.step`` and computes data views, off the GUI thread."""

    progressed = QtCore.Signal(object)
    runEnded = QtCore.Signal(object)
    errored = QtCore.Signal(str)
    lrFound = QtCore.Signal(object)

    def __init__(self):
        super().__init__()
        self.stop_event = threading.Event()
        self.pause_event = threading.Event()
        self.jobs = JobCounter()
        self._run_id = 0
        self._trainer = None
        self._geometry = None
        self._epochs_sent = 0
        self._last_view = 0.0

    @QtCore.Slot(object)
    @_job
    def attach(self, payload):
        """Use a new trainer: ``payload`` is ``(run_id, trainer, geometry)``."""
        self._run_id, self._trainer, self._geometry = payload
        self._epochs_sent = 0
        self._emit(self._trainer.take_chunk(), with_view=True)

    @QtCore.Slot()
    @_job
    def run(self):
        """Train until the epochs are done, Stop, or divergence."""
        run_id, trainer = self._run_id, self._trainer
        if trainer is None:
            return
        try:
            self._last_view = time.perf_counter()
            history = trainer.fit(on_batches=self._on_batches, stop=self.stop_event,
                                  pause=self.pause_event, chunk_seconds=CHUNK_SECONDS)
            self._emit(trainer.take_chunk(), with_view=True)
        except Exception as error:  # noqa: BLE001 - every failure goes to the message box
            self._report(error)
            self.runEnded.emit(RunEnd(run_id, "error", str(error)))
            return
        message = history.diverged.message if history.diverged is not None else ""
        self.runEnded.emit(RunEnd(run_id, history.stop_reason or "stopped", message))

    @QtCore.Slot()
    @_job
    def step_once(self):
        """Train exactly one batch."""
        run_id, trainer = self._run_id, self._trainer
        if trainer is None:
            return
        trainer.step()
        self._emit(trainer.take_chunk(), with_view=True)
        diverged = trainer.history.diverged
        if diverged is not None:
            self.runEnded.emit(RunEnd(run_id, "diverged", diverged.message))

    @QtCore.Slot()
    @_job
    def refresh_view(self):
        """Recompute the data view for the current model."""
        if self._trainer is not None:
            self._emit(self._trainer.take_chunk(), with_view=True)

    @QtCore.Slot()
    @_job
    def find_learning_rate(self):
        """The LR range test from the current model's weights; the model itself is untouched."""
        trainer = self._trainer
        if trainer is not None:
            self.lrFound.emit(find_lr(trainer.config, num_steps=LR_FINDER_STEPS,
                                      trainer=trainer))

    def _on_batches(self, chunk):
        now = time.perf_counter()
        due = now - self._last_view >= VIEW_SECONDS or self.pause_event.is_set()
        self._emit(chunk, with_view=due)

    def _emit(self, chunk, with_view):
        trainer = self._trainer
        history = trainer.history
        n_epochs = history.n_epochs
        epochs = {}
        if n_epochs > self._epochs_sent:
            rows = slice(self._epochs_sent, n_epochs)
            epochs = {name: np.array(getattr(history, name)[rows], dtype=np.float64)
                      for name in ("train_loss", "val_loss", "train_accuracy", "val_accuracy")}
            self._epochs_sent = n_epochs
        view = None
        if with_view and self._geometry is not None:
            view = compute_view(trainer, self._geometry)
            self._last_view = time.perf_counter()
        self.progressed.emit(Progress(self._run_id, chunk, epochs, history.best_epoch, view,
                                      trainer.step_count, trainer.epoch))

    def _report(self, error):
        traceback.print_exc()
        self.errored.emit(f"{type(error).__name__}: {error}")
