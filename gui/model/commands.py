"""The run commands: start, pause, step, stop, reset and keep, and the run state they own.

Why here and not in the window: what Start does depends on the session's state, on whether the
model on the worker is still untrained, on a pending rebuild, on a large model the user agreed
to build, on which run a job was last sent for. The window used to keep each of these as a flag
of its own beside its widgets; here they live with the commands that read them, without Qt, so
the state transitions are tested directly (``tests/test_commands.py``).

The commands never touch a thread. They ask a *worker port* to carry out requests (the window's
adapter, :class:`gui.worker_port.JobsPort`, turns each into a job of :mod:`gui.worker`):

- ``busy``, ``fit_active`` (properties): a job is running or queued; a fit holds the trainer;
- ``train()``, ``step()``, ``attach(run_id, trainer, geometry)``, ``pause()``, ``resume()``,
  ``halt()``, ``update(**changes)`` (a live change for the running trainer).

What the user is told goes out as events, which the window shows (the texts are already in
the current language: :func:`gui.i18n.tr` needs no Qt for English):

- ``said(text, milliseconds)``: a status-bar message;
- ``warned(kind, title, text)``: a message box ("warning", "critical");
- ``pending_changed(error)``: the changes waiting for Reset, or why the settings cannot train,
  changed (``error``: the reason a reset failed, or None);
- ``rebuild_scheduled()``: a setting changed before any training; :meth:`rebuild` soon (the
  window's timer lets a few quick edits make one model);
- ``fit_launched(step_count)``: a fit starts at that step;
- ``built(run)``: a new model and its current run (``run.facts``) are ready;
- ``kept(kept_run)``: the current run was kept (the window says so with its label).

``ask(title, text) -> bool`` (given at construction) is the one question: build a large model?
"""

from __future__ import annotations

from engine import ConfigError, Trainer, TrainingConfig, messages, presets, spec
from engine import config as engine_config
from gui import glossary
from gui.i18n import tr
from gui.model.events import Event
from gui.session import RunFacts, RunState
from gui.model.plan import duration
from gui.views import geometry_for

#: Fields a running trainer takes (the spec's ``live``), and when.
LIVE = spec.live_fields()


class RunCommands:
    """The commands of ``session``'s current run, built from ``draft``'s configuration.

    Parameters
    ----------
    session : gui.session.Session
    draft : gui.model.draft.Draft
    worker : object
        The worker port (see the module's docstring).
    ask : callable, optional
        ``ask(title, text) -> bool``; by default every question is answered no.
    language : callable, optional
        ``() -> str``, the language of the texts said (default: the current one).
    """

    def __init__(self, session, draft, worker, ask=None, language=None):
        self.session = session
        self.draft = draft
        self.worker = worker
        self._ask = ask or (lambda _title, _text: False)
        self._language = language or (lambda: None)
        self.trainer = None  # the last model built; the worker owns it while it trains
        self.trained_run_id = None  # the run a train or step request was last sent for
        self.size_confirmed = None  # the large config the user agreed to build
        self.size_pending = False  # the last quiet reset waits for that agreement
        self.rebuild_pending = False  # a setting changed before training: a rebuild is due
        self.closing = False  # the window is closing: nothing is asked or shown any more
        self.last_reset_error = ""
        self.said = Event()
        self.warned = Event()
        self.pending_changed = Event()
        self.rebuild_scheduled = Event()
        self.fit_launched = Event()
        self.built = Event()
        self.kept = Event()
        draft.changed.connect(self.on_draft_changed)

    # -- the run buttons ---------------------------------------------------------------------

    def start_pause(self):
        """Start, pause or resume, as the Start button says."""
        state = self.session.state
        if state == RunState.RUNNING:
            self.pause()
            return
        if state == RunState.PAUSED and self.worker.fit_active:
            self.worker.resume()
            self.session.set_state(RunState.RUNNING)
            return
        if self.needs_new_model() or self.session.run.finished:
            if not self.reset():
                return
        self._launch()

    def pause(self):
        """Pause a running fit (Start resumes it)."""
        if self.session.state == RunState.RUNNING:
            self.worker.pause()
            self.session.set_state(RunState.PAUSED)

    def step(self):
        """Train exactly one batch (a running fit stops first: the job needs the trainer)."""
        if self.needs_new_model():
            if not self.reset():
                return False
        elif self.session.run.finished:
            if self.session.run.outcome != "diverged":
                self.said.emit(tr("The run has finished all its epochs: raise Epochs to go "
                                  "on, or Reset."), 5000)
                return False
            if not self.reset():
                return False
        self.trained_run_id = self.session.run.run_id
        self.worker.step()
        return True

    def stop(self):
        """Stop training; the model and curves stay and Start continues from here."""
        self.worker.halt()
        if self.session.state in (RunState.RUNNING, RunState.PAUSED):
            self.session.set_state(RunState.READY)

    def keep(self):
        """Keep the current run as a labelled overlay; None (and said) when there is none."""
        kept = self.session.keep_current()
        if kept is None:
            self.said.emit(glossary.ui_text("kept_nothing", self._language()), 5000)
        else:
            self.kept.emit(kept)
        return kept

    def reset(self, quiet=False):
        """Build a new model from the draft; False if it is not valid.

        Nothing changes when the new model cannot be built: the previous run, its curves and
        the state stay as they were. ``quiet`` reports an invalid configuration in the
        pending note instead of a message box (a setting changed before any training).
        """
        self.rebuild_pending = False
        self.size_pending = False
        try:
            config = self.draft.to_config()
            dataset = self.session.datasets.get(config)
            if not self._confirm_size(config, dataset, quiet):
                return False
            trainer = Trainer(config, dataset=dataset)
            facts = RunFacts(trainer.dataset.task, trainer.n_train, trainer.steps_per_epoch,
                             trainer.epochs, geometry_for(trainer.dataset),
                             len(trainer.model.params))
        except (ConfigError, ValueError, OSError, MemoryError) as error:
            reason = messages.of(error) or str(error)  # translated where it is shown
            self.last_reset_error = reason
            self.pending_changed.emit(reason)
            if not quiet:
                self.warned.emit("warning", tr("Cannot reset"),
                                 glossary.ui_text("incompatible", self._language()).format(
                                     reason=tr(reason)))
            return False
        self.worker.halt()
        self.trainer = trainer
        run = self.session.new_run(config, facts)
        self.built.emit(run)
        self.pending_changed.emit(None)
        self.worker.attach(run.run_id, trainer, facts.geometry)
        return True

    def apply_suggested(self):
        """Data > Suggested Settings: settings known to learn the draft's built-in dataset
        (the defaults plus its preset: what the preset's test trains headless), with the
        line that says why, then a new model from them."""
        dataset = self.draft["dataset"]
        try:
            preset = presets.suggested(dataset)
            self.draft.apply(TrainingConfig(**{"dataset": dataset, **preset.changes}))
        except (ConfigError, ValueError, TypeError) as error:
            self.said.emit(tr(error), 8000)
            return False
        self.said.emit(glossary.suggestion_why(dataset, self._language()), 15000)
        return self.reset(quiet=True)

    def rebuild(self):
        """The due rebuild after settings changed before training (a quiet reset)."""
        return self.reset(quiet=True)

    def regenerate(self):
        """New sample of the dataset: the next seed, a new model."""
        self.draft.set("seed", min(self.draft["seed"] + 1, spec.SEED_MAX))
        return self.reset()

    def fall_back_to_default_dataset(self):
        """A remembered dataset that cannot be used (a CSV file gone or changed) gives way to
        the default one, with a message. Returns True when it did."""
        bad = self.draft["dataset"]
        default = TrainingConfig().dataset
        if bad == default or self.size_pending:  # a large model waits for Start, not a fault
            return False
        reason = self.last_reset_error
        self.draft.set("dataset", default)
        if not self.reset(quiet=True):
            return False
        self.said.emit(f"The last dataset ({bad}) cannot be used: {reason}. Using {default}.",
                       20000)
        return True

    # -- what the worker and the draft report ------------------------------------------------

    def on_fit_stopped(self):
        """A fit was stopped (for a job that needs the trainer idle, Stop or Reset): the run
        shows paused and its training time stops."""
        if self.session.state == RunState.RUNNING:
            self.session.set_state(RunState.PAUSED)
        if self.session.run is not None:
            self.session.run.pause()

    def on_draft_changed(self, field, value):
        """A setting changed: before any training it schedules a new model; a live setting
        goes to the running trainer (said when it applies later); the pending note follows."""
        run = self.session.run
        if run is None or (run.step_count == 0 and not self.worker.fit_active):
            self.rebuild_pending = True
            self.rebuild_scheduled.emit()
            return
        when = LIVE.get(field)
        if when is not None and run.config.optimizer == self.draft["optimizer"]:
            self.worker.update(**{field: value})
            if field in ("epochs", "batch_size"):
                self.session.plan_epochs(value if field == "epochs" else None)
            if self.session.state == RunState.RUNNING and field != "epochs":
                name = glossary.label(field)
                self.said.emit(tr("{name} will apply at the next epoch.", name=name)
                               if when == "next epoch" else
                               tr("{name} will apply at the next batch.", name=name), 5000)
        self.pending_changed.emit(None)

    def pending_fields(self, shown=None):
        """The settings changed since the run's model was built that wait for Reset (live
        ones went to the trainer; a new optimizer brings its own hyperparameters, so
        "optimizer" covers them). ``shown``: only these fields (those with a control)."""
        if self.session.run is None:
            return []
        try:
            wanted = TrainingConfig(**self.draft.kwargs())
        except (ConfigError, ValueError):
            return ["hidden_layers"]
        return [name for name in self.session.pending_changes(wanted) if name not in LIVE
                and (shown is None or name in shown)]

    # -- helpers -----------------------------------------------------------------------------

    def needs_new_model(self):
        """Start/Step build a new model when none is usable: none yet, an untrained one (so
        the settings shown are used), or changed settings waiting for their rebuild."""
        run = self.session.run
        # a step already sent counts as training even before its result arrives: the worker
        # can be idle while the result still waits in the event queue
        untrained = (run is not None and run.step_count == 0 and not self.worker.busy
                     and self.trained_run_id != run.run_id)
        return run is None or untrained or self.rebuild_pending

    def _launch(self):
        self.fit_launched.emit(self.session.run.step_count)
        self.session.set_state(RunState.RUNNING)
        self.trained_run_id = self.session.run.run_id
        self.worker.train()

    def _confirm_size(self, config, dataset, quiet):
        """A model above the engine's soft bound (``engine.config.WARN_BYTES``) is built only
        once the user agreed, told its estimated memory and time; above ``MAX_BYTES`` the
        engine refuses it (``Trainer`` raises, and reset says why). A quiet reset (a setting
        changed) only says so: Start or Reset asks."""
        outputs = dataset.n_classes if dataset.task == "multiclass" else 1
        estimate = config.estimate(len(dataset.y_train), dataset.n_features, outputs)
        if (estimate["bytes"] <= engine_config.WARN_BYTES
                or estimate["bytes"] > engine_config.MAX_BYTES or config == self.size_confirmed):
            return True
        text = size_text(estimate)
        if quiet:
            self.size_pending = True
            self.last_reset_error = text
            self.said.emit(text + " " + tr("Start or Reset builds it."), 20000)
            return False
        if self.closing or not self._ask(tr("Large model"), text + "\n\n" + tr("Build it?")):
            self.said.emit(tr("The large model was not built."), 8000)
            return False
        self.size_confirmed = config
        return True


def size_text(estimate):
    """What a large model needs (``TrainingConfig.estimate``'s memory and time), as a
    sentence."""
    size = estimate["bytes"]
    memory = f"{size / 2**30:.1f} GB" if size >= 2**30 else f"{size / 2**20:.0f} MB"
    if estimate["seconds"] is None:
        return tr("This model needs about {memory} of memory ({parameters:,} parameters) "
                  "and about {time} per 1,000 steps at full speed; it trains until "
                  "stopped.", memory=memory, parameters=estimate["parameters"],
                  time=duration(max(1000 * estimate["seconds_per_step"], 1)))
    return tr("This model needs about {memory} of memory ({parameters:,} parameters) "
              "and about {time} for its {steps:,} steps at full speed.", memory=memory,
              parameters=estimate["parameters"], steps=estimate["steps"],
              time=duration(max(estimate["seconds"], 1)))


__all__ = ["LIVE", "RunCommands", "size_text"]
