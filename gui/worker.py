"""The training worker: one QObject on one QThread that runs any job, in order, and the GUI
thread's side of it (:class:`Jobs`), the one place that pauses, stops and waits for it.

A job follows one protocol (:class:`Job`): ``run(context)`` on the worker thread, where the
context (the :class:`Worker`) gives the trainer, ``emit(message)`` and ``stopped()``; what it
reports are the plain objects of :mod:`gui.messages`, handled on the GUI thread by the job's
own ``handlers`` (by message type) or else by the handlers its owner set on :class:`Jobs`
(:meth:`Jobs.on`). A job that must not run beside a fit says so (``needs_idle_trainer``):
:meth:`Jobs.submit` stops a running fit first, so no caller writes that opening again. A plain
function ``job(context)`` is a job with neither. Adding a kind of job is one class here and
the action that submits it.

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
from engine.messages import failure, of as message_of
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
#: How long stopping a fit waits for the worker to be idle (seconds).
HALT_TIMEOUT_S = 10.0


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


class Job:
    """One kind of work for the worker thread, and how the GUI handles what it reports.

    ``run(context)`` runs on the worker thread (``context`` is the :class:`Worker`: its
    ``trainer``, ``emit(message)``, ``stopped()``). ``handlers`` maps a message type to the
    GUI-thread callable that takes it when this job reports it (others go to the handlers of
    :class:`Jobs`). ``needs_idle_trainer``: a running fit is stopped before this job (it
    reads or changes the trainer a fit is using). ``is_fit``: the job is a fit, which
    :meth:`Jobs.pause`, :meth:`Jobs.resume` and :meth:`Jobs.halt` act on.
    """

    needs_idle_trainer = False
    is_fit = False

    def __init__(self, handlers=None):
        self.handlers = dict(handlers or {})

    def run(self, context):
        """The work, on the worker thread (a subclass's)."""


class _CallJob(Job):
    """A plain function ``function(context)`` as a job."""

    def __init__(self, function):
        super().__init__()
        self.function = function

    def run(self, context):
        self.function(context)


class Worker(QtCore.QObject):
    """Runs jobs on its thread, one after another, and sends what they report as
    ``reported(job, message)``.

    State a job may use (worker thread only): ``trainer``, ``geometry``, ``run_id``.
    """

    reported = QtCore.Signal(object, object)
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
        self.current = None  # the job running now (worker thread)
        self._submitted.connect(self._run)

    def submit(self, job):
        """Queue ``job`` (a :class:`Job`, or a function of the worker) to run on the worker
        thread after the jobs before it. From the GUI thread, :meth:`Jobs.submit` is the way:
        it stops a running fit first when the job needs that."""
        self.jobs.add()
        self._submitted.emit(job if isinstance(job, Job) else _CallJob(job))

    def emit(self, message):
        """Report ``message`` (a :mod:`gui.messages` object) for the job running now."""
        self.reported.emit(self.current, message)

    def stopped(self):
        """True once Stop (or closing) asked the running job to end."""
        return self.stop_event.is_set() or self.closing.is_set()

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
        self.current = job
        try:
            if not self.closing.is_set():  # jobs still queued at close are dropped
                self._guard("Training error", job.run, self)
        finally:
            self.current = None
            self.jobs.done()

    def _guard(self, title, function, *args):
        """Call ``function``; any exception becomes a :class:`Failed` message."""
        try:
            return function(*args)
        except Exception as error:  # noqa: BLE001 - every failure goes to a message
            traceback.print_exc()
            self.emit(Failed(title, failure(error)))
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
        self.emit(Progress(self.run_id, chunk, epochs, history.best_epoch, view,
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


class Attach(Job):
    """The worker owns ``trainer`` from now on (the GUI thread built it, then let go)."""

    def __init__(self, run_id, trainer, geometry):
        super().__init__()
        self.run_id, self.trainer, self.geometry = run_id, trainer, geometry

    def run(self, worker):
        trainer = self.trainer
        worker.run_id, worker.trainer, worker.geometry = self.run_id, trainer, self.geometry
        worker.stream = Streamer(worker.send_chunk, trainer)
        trainer.set_pace(worker.pace)
        worker.instruments.set_trainer(trainer)
        worker.instruments.measure_now()  # the start, for the shown instrument views
        worker.emit_progress(trainer.take_chunk(), with_view=True)


class Train(Job):
    """Train until the epochs are done, Stop, or divergence."""

    is_fit = True

    def run(self, worker):
        run_id, trainer = worker.run_id, worker.trainer
        if trainer is None:
            return
        try:
            worker.run_commands()
            worker.last_view = time.perf_counter()
            # the instruments first: what they measure at an epoch's end goes out with its chunk
            history = trainer.fit(callbacks=[worker.instruments, worker.stream],
                                  stop=worker.stop_event, pause=worker.gate,
                                  chunk_seconds=0.0 if worker.every_batch else CHUNK_SECONDS)
            worker.emit_progress(trainer.take_chunk(), with_view=True)
        except Exception as error:  # noqa: BLE001 - the run ends with the error as its message
            traceback.print_exc()
            worker.emit(RunEnd(run_id, "error", failure(error)))
            return
        diverged = history.diverged
        worker.emit(RunEnd(run_id, history.stop_reason or "stopped",
                           diverged.message if diverged is not None else "",
                           diverged.step if diverged is not None else None))
        measure_instruments_now(worker)  # where the run stopped, after its time was taken


class Step(Job):
    """Train exactly one batch (a running fit stops first)."""

    needs_idle_trainer = True

    def run(self, worker):
        trainer = worker.trainer
        if trainer is None:
            return
        worker.run_commands()
        trainer.step()
        worker.emit_progress(trainer.take_chunk(), with_view=True)
        diverged = trainer.history.diverged
        if diverged is not None:
            worker.emit(RunEnd(worker.run_id, "diverged", diverged.message, diverged.step))


def refresh_view(worker):
    """Job: recompute the data view for the current model."""
    if worker.trainer is not None:
        worker.emit_progress(worker.trainer.take_chunk(), with_view=True)


class FindLearningRate(Job):
    """The LR range test from the current model's weights (a running fit stops first); the
    model is untouched. Reports one :class:`~gui.messages.LrFound`."""

    needs_idle_trainer = True

    def __init__(self, handlers=None, steps=LR_FINDER_STEPS):
        super().__init__(handlers)
        self.steps = steps

    def run(self, worker):
        trainer = worker.trainer
        if trainer is not None:
            worker.emit(LrFound(worker.run_id, find_lr(trainer.config, num_steps=self.steps,
                                                       trainer=trainer,
                                                       stop=worker.stop_event)))


class ExportCancelled(Exception):
    """Raised inside an export's progress callback to abandon it (Cancel, or the app closing):
    the atomic write then discards its temporary file."""


class Export(Job):
    """Write a file on the worker thread (a running fit stops first: the worker runs one job
    at a time), with :class:`~gui.messages.ExportProgress` once per percent and one
    :class:`~gui.messages.Exported` with the outcome. Setting ``cancel`` (a
    ``threading.Event``) or closing the app abandons it within one chunk of rows; the atomic
    write then leaves the old file as it was."""

    needs_idle_trainer = True
    title = "Cannot export the history"

    def __init__(self, path, cancel=None, handlers=None):
        super().__init__(handlers)
        self.path, self.cancel = path, cancel

    def rows_and_writer(self, worker):
        """(rows, write(progress)) for this export, or None when there is nothing to write."""

    def run(self, worker):
        found = self.rows_and_writer(worker)
        if found is None:
            return
        rows, write = found
        sent = [0.0]

        def progress(fraction):
            if worker.closing.is_set() or (self.cancel is not None and self.cancel.is_set()):
                raise ExportCancelled
            if fraction >= 1.0 or fraction - sent[0] >= 0.01:
                sent[0] = fraction
                worker.emit(ExportProgress(self.path, fraction))

        try:
            write(progress)
        except ExportCancelled:
            worker.emit(Exported(self.path, 0, "cancelled", title=self.title))
            return
        except OSError as error:
            worker.emit(Exported(self.path, 0, "failed", message_of(error) or str(error),
                                 self.title))
            return
        worker.emit(Exported(self.path, rows, title=self.title))


class ExportHistory(Export):
    """The current run's per-step history as CSV (``History.to_csv``, atomic and streamed)."""

    def rows_and_writer(self, worker):
        if worker.trainer is None:
            return None
        history = worker.trainer.history
        return history.n_steps, lambda progress: history.to_csv(self.path, progress=progress)


class ExportRuns(Export):
    """The kept runs ``kept`` (a list, frozen arrays) as two long CSV files
    (:func:`gui.session.write_runs_csv`)."""

    title = QT_TR_NOOP("Cannot export the runs")

    def __init__(self, kept, steps_path, epochs_path, cancel=None, handlers=None):
        super().__init__(steps_path, cancel, handlers)
        self.kept, self.epochs_path = kept, epochs_path

    def rows_and_writer(self, worker):
        return (sum(run.n_steps for run in self.kept),
                lambda progress: write_runs_csv(self.kept, self.path, self.epochs_path,
                                                progress))


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


class Jobs(QtCore.QObject):
    """The GUI thread's side of the worker: its thread, the jobs sent to it, and the only
    place that pauses, resumes, stops and waits for a fit.

    Messages come back to the job that reported them (its ``handlers``), else to the handlers
    set with :meth:`on`; each is then announced as ``delivered(message)`` (for tests and
    tools that watch the traffic). ``fit_stopped`` callbacks run when a fit was stopped for a
    job that needs an idle trainer, or by :meth:`halt` (its owner then shows the run paused).
    """

    delivered = QtCore.Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.thread = QtCore.QThread(parent)
        self.thread.setObjectName("trainingThread")
        self.worker = Worker()
        self.worker.moveToThread(self.thread)
        self.thread.finished.connect(self.worker.deleteLater)
        # Queued explicitly: the handlers touch widgets and timers, so they must run in the
        # GUI thread whatever PySide infers about the receiver of a Python callable.
        self.worker.reported.connect(self._deliver, QtCore.Qt.ConnectionType.QueuedConnection)
        self.handlers = {}
        self.fit_stopped = []
        self.fit_active = False  # a fit was sent and has not ended or been halted
        self.fit = None  # the last fit sent

    def start(self):
        self.thread.start()

    def on(self, kind, handler):
        """Handle messages of type ``kind`` that their job does not handle itself."""
        self.handlers[kind] = handler

    @property
    def busy(self):
        """True while a job is queued or running."""
        return self.worker.jobs.busy

    def submit(self, job):
        """Send ``job`` to the worker; a running fit stops first if the job needs that."""
        if getattr(job, "needs_idle_trainer", False) and self.fit_active:
            self.halt()
        if getattr(job, "is_fit", False):
            self.worker.stop_event.clear()
            self.worker.pause_event.clear()
            self.fit_active, self.fit = True, job
        self.worker.submit(job)

    def command(self, change):
        """A change for the trainer (:meth:`Worker.command`), at the next batch of a fit."""
        self.worker.command(change)

    def halt_fit(self):
        """:meth:`halt` if a fit runs (other jobs, such as an export, go on)."""
        if self.fit_active:
            self.halt()

    def pause(self):
        """Hold the running fit before its next batch."""
        self.worker.pause_event.set()

    def resume(self):
        """Let a held fit go on."""
        self.worker.pause_event.clear()

    def halt(self, timeout=HALT_TIMEOUT_S):
        """Stop the running job and wait until every queued job has finished; False if the
        worker was still busy after ``timeout`` seconds."""
        self.worker.stop_event.set()
        self.worker.pause_event.clear()
        idle = self.worker.jobs.wait_idle(timeout)
        if idle:
            # the jobs it stopped have ended: the next job must not find it set (a range test
            # after Stop ended at its first step, and its dialog never opened); still busy
            # after the timeout, a long batch is yet to see it
            self.worker.stop_event.clear()
        was_fit, self.fit_active = self.fit_active, False
        if was_fit:
            for callback in list(self.fit_stopped):
                callback()
        return idle

    def shutdown(self, timeout=HALT_TIMEOUT_S):
        """Stop every job and the thread; safe to call more than once. False when the worker
        was still inside one long batch after ``timeout`` seconds (its thread still runs)."""
        self.fit_active = False
        if not self.thread.isRunning():
            return True
        self.worker.closing.set()
        self.worker.stop_event.set()
        self.worker.pause_event.clear()
        if not self.worker.jobs.wait_idle(timeout):
            return False
        self.thread.quit()
        return self.thread.wait(int(timeout * 1000))

    def _deliver(self, job, message):
        if isinstance(message, RunEnd) and getattr(job, "is_fit", False):
            if job is not self.fit:
                return  # a halted fit's end, arriving after Start sent the next one
            self.fit_active = False
        handler = job.handlers.get(type(message)) if job is not None else None
        (handler or self.handlers[type(message)])(message)
        self.delivered.emit(message)
