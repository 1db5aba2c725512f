"""File > Open Run (and a run folder dropped on the window) in the background.

A big run folder takes tens of seconds to read (10M steps: a 470 MB ``history.csv``), so the
reading is a worker job, as the exports are: :class:`LoadRuns` runs on the worker thread and
reports :class:`RunsLoadProgress` and one :class:`RunsLoaded`; :class:`RunOpener` is the
window's side, with the status bar's progress and Cancel (:class:`gui.progress.JobProgress`).
The runs are added to the session only when every folder has been read, so Cancel (or closing
the window) leaves nothing half-loaded.

Adding a 10M-step run used to hold the window for half a minute after the reading: drawing it
built its level-of-detail pyramids and saving it wrote 480 MB into the kept-run store, both on
the GUI thread. The job now does both on the worker: it prepares what the plots draw
(:func:`gui.buffers.prepare_kept`) and saves the runs in the store in one transaction of its
own (:meth:`gui.model.store.KeptStore.add`), so the window only adds the runs, looks their
pyramids up and finds them saved. Cancel or closing the window during the save rolls it back.
"""

import os
import threading
from dataclasses import dataclass, field

from PySide6 import QtCore, QtWidgets

from engine import ConfigError, messages
from engine.run import HISTORY_FILE, SUMMARY_FILE, Run
from gui import worker as jobs
from gui.buffers import prepare_kept
from gui.i18n import QT_TR_NOOP, tr
from gui.model.store import KeptStore, StoredRun
from gui.session import EPOCH_COLUMNS, STEP_COLUMNS, kept_from_run

CANNOT_OPEN = QT_TR_NOOP("Cannot open the run")
#: The status bar progress's label while a run opens.
OPENING = QT_TR_NOOP("Opening {name}")
#: The progress bar's share for reading the history files; preparing and saving take the rest.
READ_SHARE = 0.9
#: The batch loss's smoothing a run is prepared with when the window has no slider to ask.
DEFAULT_SMOOTHING = 0.6


@dataclass
class RunsLoadProgress:
    """Opening ``folder`` is under way: ``fraction`` (0 to 1) of its history bytes read."""

    folder: str
    fraction: float


@dataclass
class RunsLoaded:
    """Opening ``folder`` ended: ``runs`` (kept runs, in folder order) were read;
    ``problems`` holds ``(folder or None, message)`` for each run folder that could not be
    (the folder named when ``folder`` held several); ``cancelled`` when Cancel or closing
    stopped it (then ``runs`` is empty)."""

    folder: str
    runs: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    cancelled: bool = False


class LoadCancelled(Exception):
    """Raised inside the reader's progress callback to abandon the load."""


def run_folders(folder):
    """The run folders ``folder`` stands for: itself when it holds ``summary.json`` (or holds
    no run folder, so its own problem is named), else each sub-folder that does, sorted."""
    if os.path.isdir(folder) and not os.path.exists(os.path.join(folder, SUMMARY_FILE)):
        found = sorted(os.path.join(folder, name) for name in os.listdir(folder)
                       if os.path.exists(os.path.join(folder, name, SUMMARY_FILE)))
        return found or [folder]
    return [folder]


class LoadRuns(jobs.Job):
    """Job: read the run folder(s) ``folder`` stands for (:func:`run_folders`) as kept runs,
    prepare them for drawing (the batch loss smoothed at ``smoothing``) and, given a
    ``store_folder``, save them in the kept-run store there; progress once per percent
    (reading weighted by each ``history.csv``'s size, then the bytes saved). Setting
    ``cancel`` (a ``threading.Event``) or closing the app abandons it within one block of
    rows (``engine.history.READ_BLOCK_CHARS``) or of the save (which is rolled back). It needs
    the worker to itself: a running fit would hold it back until the fit ended, so the fit
    stops first (Start goes on)."""

    needs_idle_trainer = True

    def __init__(self, folder, cancel, handlers=None, store_folder=None,
                 smoothing=DEFAULT_SMOOTHING):
        super().__init__(handlers)
        self.folder, self.cancel = folder, cancel
        self.store_folder, self.smoothing = store_folder, smoothing

    def run(self, context):
        folder, cancel = self.folder, self.cancel
        folders = run_folders(folder)
        sizes = [_history_size(path) for path in folders]
        total = float(sum(sizes)) or 1.0
        done, sent = [0.0], [0.0]

        def report(overall):
            if context.closing.is_set() or cancel.is_set():
                raise LoadCancelled
            if overall - sent[0] >= 0.01:
                sent[0] = overall
                context.emit(RunsLoadProgress(folder, overall))

        def reading(size):
            return lambda fraction: report(READ_SHARE * (done[0] + fraction * size) / total)

        runs, problems = [], []
        try:
            for path, size in zip(folders, sizes):
                try:
                    runs.append(kept_from_run(Run.load(path, progress=reading(size))))
                except (ConfigError, OSError, ValueError, MemoryError) as error:
                    problems.append((path if len(folders) > 1 else None,
                                     messages.of(error) or str(error)))
                done[0] += size
            for kept in runs:
                prepare_kept(kept.steps, self.smoothing)
            report(READ_SHARE)
            if runs and self.store_folder is not None:
                self._save(runs, lambda fraction: report(
                    READ_SHARE + (1 - READ_SHARE) * fraction))
        except LoadCancelled:
            context.emit(RunsLoaded(folder, cancelled=True))
            return
        context.emit(RunsLoadProgress(folder, 1.0))
        context.emit(RunsLoaded(folder, runs, problems))

    def _save(self, runs, progress):
        """Save ``runs`` in the store in one transaction; each saved run knows its row
        (``store_id``). If the save fails, the runs are added unsaved and the window's own
        save tries again and names the problem."""
        records = [StoredRun("", kept.to_json(), kept.steps, kept.epochs,
                             instruments=kept.instruments) for kept in runs]
        KeptStore(self.store_folder, STEP_COLUMNS, EPOCH_COLUMNS).add(records, progress)
        for kept, record in zip(runs, records):
            kept.store_id = record.uid


def _history_size(folder):
    try:
        return os.path.getsize(os.path.join(folder, HISTORY_FILE))
    except OSError:
        return 0


class RunOpener(QtCore.QObject):
    """The window's side of opening runs: sends :class:`LoadRuns`, shows its progress in
    ``progress`` (a :class:`gui.progress.JobProgress`), adds the runs when they arrive.

    ``finished(int)`` is emitted with the number of runs added (0 after Cancel or failure).
    """

    finished = QtCore.Signal(int)

    def __init__(self, parent, session, settings, progress, show_message):
        super().__init__(parent)
        self.session, self.settings, self.progress = session, settings, progress
        self.status = parent.statusBar()
        self.show_message = show_message  # (kind, title, text): the window's message box
        self.cancel_event = None
        progress.cancelRequested.connect(self.cancel)
        parent.installEventFilter(self)

    @property
    def busy(self):
        return self.cancel_event is not None

    def open(self, folder, submit):
        """Start reading ``folder`` (``submit(job)`` sends the job to the worker, as
        :meth:`gui.worker.Jobs.submit`); False when
        a load is already under way (said in the status bar)."""
        if self.busy:
            self.status.showMessage(tr("A run is still opening: wait for it or cancel it."),
                                    8000)
            return False
        self.cancel_event = threading.Event()
        self._show(folder, 0.0)
        self.status.showMessage(tr("Opening the run(s) in {folder}…", folder=folder))
        submit(LoadRuns(folder, self.cancel_event, {
            RunsLoadProgress: self._on_progress, RunsLoaded: self._on_loaded},
            store_folder=self.settings.data_folder("kept-runs"), smoothing=self._smoothing()))
        return True

    def _smoothing(self):
        """The batch-loss plot's smoothing weight now (its slider, ``smoothingSlider``): the
        run's smoothed curve is made on the worker at that weight."""
        slider = self.parent().findChild(QtWidgets.QSlider, "smoothingSlider")
        return slider.value() / 100 if slider is not None else DEFAULT_SMOOTHING

    def eventFilter(self, watched, event):
        # The window closing abandons a load, and a save under way is rolled back at once
        # instead of making the window's last save wait for it (the next launch does not
        # show a run the window never added).
        if event.type() == QtCore.QEvent.Close and self.cancel_event is not None:
            self.cancel_event.set()
        return False

    def cancel(self):
        """The progress's Cancel: the load stops within one block of rows; nothing is added."""
        if self.cancel_event is not None:
            self.cancel_event.set()
            self.progress.cancel_button.setEnabled(False)

    def _show(self, folder, fraction):
        if self.progress.path != folder:
            self.progress.start(folder, OPENING)
        self.progress.set_fraction(fraction)

    def _on_progress(self, progress):
        self._show(progress.folder, progress.fraction)

    def _on_loaded(self, loaded):
        self.progress.finish()
        self.cancel_event = None
        if loaded.cancelled:
            self.status.showMessage(tr("Opening cancelled: no run was added."), 8000)
            self.finished.emit(0)
            return
        if loaded.runs:
            self.session.add_kept_runs(loaded.runs)
            self.settings.set_folder("runs", os.path.join(loaded.folder, "x"))
            self.status.showMessage(tr("Opened {count} run(s) from {folder}",
                                       count=len(loaded.runs), folder=loaded.folder), 8000)
        else:
            self.status.clearMessage()
        if loaded.problems:
            self.show_message("warning", tr(CANNOT_OPEN), "\n".join(
                f"{path}: {tr(text)}" if path else tr(text) for path, text in loaded.problems))
        self.finished.emit(len(loaded.runs))
