"""The training worker: one QObject on one QThread that runs any job, in order.

A job is a callable ``job(worker)`` run on the worker thread (:meth:`Worker.submit`); the jobs
the app uses are the functions below (:func:`attach`, :func:`train`, :func:`step`,
:func:`refresh_view`, :func:`find_learning_rate`, :func:`export_history`,
:func:`export_runs`, :func:`command`). Every job reports through
the same ``message`` signal with the plain objects of :mod:`gui.messages`; the window dispatches them by type. Adding a kind of job is
one function here, not a slot and a signal.

Why not superqt's ``create_worker``: it starts each job as a QRunnable on the global thread
pool, so two jobs can run at once and in any order, while the trainer must be owned by one
thread and its jobs (attach, run, step, ...) must run in the order asked. The same pattern --
a callable, its results as signals, a flag to abort it -- is written here once, on one thread.

The worker owns the current trainer: the GUI thread hands it over in :func:`attach` and never
touches it again. Commands to a running trainer (live knob changes) go through
:meth:`Worker.command`; a running fit applies them before its next batch, an idle worker at
once. Every job stops within one batch once ``stop_event`` is set: ``Trainer.fit`` and the LR
finder poll it per batch, the exports poll their cancel flag and ``closing`` per chunk of rows,
and the other jobs are a single batch or a single view.
"""

import collections
import functools
import threading
import time
import traceback
from PySide6 import QtCore

from engine.callbacks import Streamer
from engine.lr_finder import find_lr
from gui.i18n import QT_TR_NOOP
from gui.live_instruments import LiveInstruments
from gui.messages import Exported, ExportProgress, Failed, LrFound, Progress, RunEnd
from gui.model.network_pictures import compute_network
from gui.session import write_runs_csv
from gui.views import compute_view

# Batches reach the GUI this often: one chunk per frame of the batch plots (FAST_REDRAW_MS).
CHUNK_SECONDS = 1 / 10
# At this pace or slower every batch is its own chunk with its own data view: a learner
# watching slowly sees each step move the curve and the decision surface.
EVERY_BATCH_PACE = 30
VIEW_SECONDS = 0.5
LR_FINDER_STEPS = 200


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


class _Gate:
    """The ``pause`` flag ``Trainer.fit`` polls before every batch, which first applies the
    queued commands -- so a live change reaches the running trainer at the next batch, from
    the worker thread."""

    def __init__(self, worker):
        self._worker = worker

    def is_set(self):
        worker = self._worker
        if worker.commands:
            worker.run_commands()
        return worker.pause_event.is_set()


class Worker(QtCore.QObject):
    """Runs jobs on its thread, one after another, and sends what they report as ``message``.

    State a job may use (worker thread only): ``trainer``, ``geometry``, ``run_id``.
    """

    message = QtCore.Signal(object)
    _submitted = QtCore.Signal(object)

    def __init__(self):
        super().__init__()
        self.stop_event = threading.Event()
        self.pause_event = threading.Event()
        self.closing = threading.Event()
        self.jobs = JobCounter()
        self.commands = collections.deque()
        self.gate = _Gate(self)
        self.trainer = None
        self.geometry = None
        self.run_id = 0
        self.pace = None
        self.stream = None
        self.instruments = LiveInstruments()  # what the shown instrument views ask for
        self.network_wanted = False  # the network view is shown (show_network)
        self.last_view = 0.0
        self._submitted.connect(self._run)

    def submit(self, job):
        """Queue ``job(worker)`` to run on the worker thread after the jobs before it."""
        self.jobs.add()
        self._submitted.emit(job)

    def command(self, change):
        """Queue ``change(trainer)`` for the current trainer: before the next batch of a
        running fit, or as a job of its own when nothing runs."""
        self.commands.append(change)
        self.submit(_run_commands)

    @property
    def every_batch(self):
        """True when paced at :data:`EVERY_BATCH_PACE` steps/s or slower."""
        return self.pace is not None and self.pace <= EVERY_BATCH_PACE

    def run_commands(self):
        while self.commands:
            change = self.commands.popleft()
            if hasattr(change, "pace"):
                self.pace = change.pace
            if hasattr(change, "instruments"):
                self.instruments.choose(change.instruments)
            if hasattr(change, "network"):
                self.network_wanted = change.network
            if self.trainer is not None:
                self._guard("Cannot apply the change", change, self.trainer)

    @QtCore.Slot(object)
    def _run(self, job):
        try:
            if not self.closing.is_set():  # jobs still queued at close are dropped
                self._guard("Training error", job, self)
        finally:
            self.jobs.done()

    def _guard(self, title, function, *args):
        """Call ``function``; any exception becomes a :class:`Failed` message."""
        try:
            return function(*args)
        except Exception as error:  # noqa: BLE001 - every failure goes to a message
            traceback.print_exc()
            self.message.emit(Failed(title, f"{type(error).__name__}: {error}"))
            return None

    def emit_progress(self, chunk, with_view, epochs=None):
        """Send ``chunk`` with the epochs not sent yet (``epochs``, when the trainer's
        :class:`~engine.callbacks.Streamer` sliced them already), and a data view when
        ``with_view``."""
        trainer = self.trainer
        history = trainer.history
        if epochs is None:
            epochs = self.stream.new_epochs()
        view = network = None
        if with_view and self.geometry is not None:
            view = compute_view(trainer, self.geometry)
            if self.network_wanted:
                network = compute_network(trainer, self.geometry)
            self.last_view = time.perf_counter()
        self.message.emit(Progress(self.run_id, chunk, epochs, history.best_epoch, view,
                                   trainer.step_count, trainer.epoch, trainer.steps_per_epoch,
                                   trainer.finished, network=network))


    def send_chunk(self, chunk, epochs):
        """The stream of a running fit: each chunk with its epochs, and a data view when
        one is due."""
        due = (time.perf_counter() - self.last_view >= VIEW_SECONDS
               or self.pause_event.is_set() or self.every_batch)
        self.emit_progress(chunk, due, epochs)


def _run_commands(worker):
    worker.run_commands()


def attach(run_id, trainer, geometry):
    """Job: the worker owns ``trainer`` from now on (the GUI thread built it, then let go)."""
    def job(worker):
        worker.run_id, worker.trainer, worker.geometry = run_id, trainer, geometry
        worker.stream = Streamer(worker.send_chunk, trainer)
        trainer.set_pace(worker.pace)
        worker.instruments.set_trainer(trainer)
        worker.instruments.measure_now()  # the start, for the shown instrument views
        worker.emit_progress(trainer.take_chunk(), with_view=True)
    return job


def train(worker):
    """Job: train until the epochs are done, Stop, or divergence."""
    run_id, trainer = worker.run_id, worker.trainer
    if trainer is None:
        return

    try:
        worker.run_commands()
        worker.last_view = time.perf_counter()
        # the instruments first: what they measure at an epoch's end goes out with its chunk
        history = trainer.fit(callbacks=[worker.instruments, worker.stream],
                              stop=worker.stop_event,
                              pause=worker.gate,
                              chunk_seconds=0.0 if worker.every_batch else CHUNK_SECONDS)
        worker.emit_progress(trainer.take_chunk(), with_view=True)
    except Exception as error:  # noqa: BLE001 - the run ends with the error as its message
        traceback.print_exc()
        worker.message.emit(RunEnd(run_id, "error", f"{type(error).__name__}: {error}"))
        return
    diverged = history.diverged
    worker.message.emit(RunEnd(run_id, history.stop_reason or "stopped",
                               diverged.message if diverged is not None else "",
                               diverged.step if diverged is not None else None))
    measure_instruments_now(worker)  # where the run stopped, after its time was taken


def step(worker):
    """Job: train exactly one batch."""
    trainer = worker.trainer
    if trainer is None:
        return
    worker.run_commands()
    trainer.step()
    worker.emit_progress(trainer.take_chunk(), with_view=True)
    diverged = trainer.history.diverged
    if diverged is not None:
        worker.message.emit(RunEnd(worker.run_id, "diverged", diverged.message, diverged.step))


def refresh_view(worker):
    """Job: recompute the data view for the current model."""
    if worker.trainer is not None:
        worker.emit_progress(worker.trainer.take_chunk(), with_view=True)


def find_learning_rate(worker, steps=LR_FINDER_STEPS):
    """Job: the LR range test from the current model's weights; the model is untouched."""
    trainer = worker.trainer
    if trainer is not None:
        worker.message.emit(LrFound(worker.run_id, find_lr(trainer.config, num_steps=steps,
                                                           trainer=trainer,
                                                           stop=worker.stop_event)))


class ExportCancelled(Exception):
    """Raised inside an export's progress callback to abandon it (Cancel, or the app closing):
    the atomic write then discards its temporary file."""


def export_history(path, cancel=None):
    """Job: write the current run's per-step history as CSV (``History.to_csv``, atomic and
    streamed), with :class:`~gui.messages.ExportProgress` on the way. Setting ``cancel`` (a
    ``threading.Event``) or closing the app abandons it within one chunk of rows."""
    def job(worker):
        trainer = worker.trainer
        if trainer is None:
            return
        history = trainer.history
        _export(worker, path, history.n_steps, cancel, "Cannot export the history",
                lambda progress: history.to_csv(path, progress=progress))
    return job


def export_runs(kept, steps_path, epochs_path, cancel=None):
    """Job: write the kept runs ``kept`` (a list, frozen arrays) as two long CSV files
    (:func:`gui.session.write_runs_csv`), with progress and ``cancel`` as for
    :func:`export_history`."""
    def job(worker):
        rows = sum(run.n_steps for run in kept)
        _export(worker, steps_path, rows, cancel, QT_TR_NOOP("Cannot export the runs"),
                lambda progress: write_runs_csv(kept, steps_path, epochs_path, progress))
    return job


def _export(worker, path, rows, cancel, title, write):
    """Run ``write(progress)`` and report it: progress once per percent, then one
    :class:`~gui.messages.Exported` with the outcome."""
    sent = [0.0]

    def progress(fraction):
        if worker.closing.is_set() or (cancel is not None and cancel.is_set()):
            raise ExportCancelled
        if fraction >= 1.0 or fraction - sent[0] >= 0.01:
            sent[0] = fraction
            worker.message.emit(ExportProgress(path, fraction))

    try:
        write(progress)
    except ExportCancelled:
        worker.message.emit(Exported(path, 0, "cancelled", title=title))
        return
    except OSError as error:
        worker.message.emit(Exported(path, 0, "failed", str(error), title))
        return
    worker.message.emit(Exported(path, rows, title=title))


def set_pace(steps_per_second):
    """Command: train at most ``steps_per_second`` (None: full speed), from the next batch.

    The worker remembers the pace for the runs it attaches later; the trainer sleeps between
    batches (``Trainer.set_pace``, a sleep in the training thread, never a busy wait)."""
    def change(trainer):
        trainer.set_pace(steps_per_second)
    change.pace = steps_per_second
    return change


def measure_instruments(names):
    """Command: measure the instruments ``names`` (``engine.instruments.INSTRUMENTS``; empty:
    none) in the runs from now on, the running one included (gui.live_instruments)."""
    def change(trainer):
        """The worker takes the names (Worker.run_commands); the trainer is not touched."""
    change.instruments = tuple(names)
    return change


def show_network(shown):
    """Command: compute the network view's pictures with every data view (``shown``) or
    not; about 2 ms a view for nothing while the view is hidden."""
    def change(_trainer):
        pass
    change.network = bool(shown)
    return change


def measure_instruments_now(worker):
    """Job: measure the chosen instruments on the current model (between fits) and send them."""
    if worker.trainer is not None and worker.instruments.measure_now():
        worker.emit_progress(worker.trainer.take_chunk(), with_view=False)


def command(name, **changes):
    """A change for :meth:`Worker.command`: ``trainer.<name>(**changes)``."""
    return functools.partial(_call, name, changes)


def _call(name, changes, trainer):
    getattr(trainer, name)(**changes)
