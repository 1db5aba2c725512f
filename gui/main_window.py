"""LossLab's main window: the composition of its parts.

The state is the Qt-free app model: the session (runs), the draft (:mod:`gui.model.draft`,
the configuration being edited, which the control panel shows) and the run commands
(:mod:`gui.model.commands`: start, pause, step, stop, reset, keep, and the run state they
own). The window builds the widgets and wires them to it: the plots in their rows
(:mod:`gui.plot_grid`), the actions from their table (:mod:`gui.actions`) and the toolbar's
drop-downs (:mod:`gui.toolbar_controls`), the Runs dock (:mod:`gui.runs_dock`), the lessons'
docks (:mod:`gui.docks`), the LR finder (:mod:`gui.lr_finding`), the worker's reports
(:mod:`gui.run_reports`) and the remembered settings (:mod:`gui.window_settings`).
Work goes to the worker as jobs (:mod:`gui.worker`; the commands' requests through
:mod:`gui.worker_port`); the frame clock (:mod:`gui.plots.clock`) redraws.
"""

import functools
import sys

from PySide6 import QtCore, QtGui, QtWidgets

from gui import actions, drop, glossary, i18n, network_dock, qt_owner, window_settings
from gui import worker as jobs
from gui.controls import SPEC_BY_FIELD, ControlPanel
from gui.docks import LessonDocks
from gui.experiments import Experiments
from gui.export import image_format, save_image
from gui.files import FileCommands
from gui.glossary_dialog import GlossaryDialog, try_entry
from gui.i18n import tr
from gui.lr_finding import LRFinding
from gui.model.commands import RunCommands
from gui.model.draft import Draft
from gui.plot_grid import PlotGrid
from gui.run_reports import RunReports
from gui.runs_dock import RunsDock
from gui.session import Session
from gui.settings import Settings
from gui.setup_share import SetupShare
from gui.status import RunStatus, kept_text
from gui.toolbar_controls import ToolbarControls
from gui.worker_port import JobsPort

REBUILD_DELAY_MS = 120
# Closing the window waits this long for the worker (gui.app ends the process after it).
CLOSE_TIMEOUT_S = 1.5
# The training thread runs Python that holds the GIL; each time the GUI thread comes back from
# Qt's C++ (every paint call) it must wait for the GIL, up to Python's switch interval (5 ms by
# default). A 1 ms interval cut the event loop's p99 lateness while training from ~40 to ~25 ms.
GIL_SWITCH_INTERVAL_S = 0.001
#: The window's minimum size in pixels. Qt's own (881x462, from the widgets' minimums) left the
#: plots' data areas 10-60 px tall, the legends cut off at the window's edge.
MINIMUM_SIZE = (1024, 640)
TEXT_INPUTS = (QtWidgets.QLineEdit, QtWidgets.QAbstractSpinBox, QtWidgets.QTextEdit,
               QtWidgets.QPlainTextEdit)


class MainWindow(i18n.Retranslating, QtWidgets.QMainWindow):
    """The LossLab window.

    Parameters
    ----------
    settings : QtCore.QSettings, optional
        Where to remember settings; by default the user's LossLab settings.
    """

    #: The window's own language, not the mixin's current one: read from the settings before
    #: it is installed (kept runs that fail to load are named in it), then the current one.
    language = glossary.DEFAULT_LANGUAGE

    def __init__(self, settings=None, parent=None):
        super().__init__(parent)
        sys.setswitchinterval(min(sys.getswitchinterval(), GIL_SWITCH_INTERVAL_S))
        self.setWindowTitle("LossLab")
        self.setAcceptDrops(True)  # a CSV file or a run folder dropped opens (gui/drop.py)
        self.settings = Settings(settings)
        self.language = self.settings.read("language", glossary.DEFAULT_LANGUAGE, str)
        if self.language not in glossary.LANGUAGES:
            self.language = glossary.DEFAULT_LANGUAGE
        self.session = Session()
        self.draft = Draft()  # the configuration being edited; the controls show it
        self.last_message = None

        self._build_plots()
        self._build_panel()
        self._build_central()
        self._build_actions()
        self._build_status_bar()
        self.files = FileCommands(self)  # File > Open CSV…, Load/Save Config…, exports
        self._build_runs()
        self._build_lessons()
        self.experiments = Experiments(self)  # Run > Sweep…, File > Export as Keras script…
        self.setup_share = SetupShare(self)  # Edit > Copy Setup, Edit > Paste Setup
        self.lr_finding = LRFinding(self)  # Run > Find Learning Rate…
        self._start_worker()
        self.network_dock = network_dock.install(self)  # View > Network

        self.clock.on_slow(self._after_redraw)
        self.clock.start()
        self._rebuild_timer = QtCore.QTimer(self)
        self._rebuild_timer.setSingleShot(True)
        self._rebuild_timer.setInterval(REBUILD_DELAY_MS)
        # a timer that outlived its rebuild (a reset came first) finds none due
        self._rebuild_timer.timeout.connect(
            lambda: self.commands.rebuild_pending and self.commands.rebuild())
        self.commands.rebuild_scheduled.connect(self._rebuild_timer.start)

        window_settings.restore(self)
        if self.language == i18n.language():
            i18n.relabel(self)  # this window's texts (retranslate), no other window's
        else:
            i18n.set_language(self.language)  # the remembered language: every window's texts
        self._rebuild_timer.stop()
        if not self.reset(quiet=True):
            self.commands.fall_back_to_default_dataset()

    # -- construction ------------------------------------------------------------------------

    def _build_plots(self):
        """The registry's plots in their rows, bound to the session, and their frame clock
        (gui.plot_grid)."""
        self.grid = grid = PlotGrid(self.session, self, self._choose_instruments)
        self.plots, self.plot_controls, self.clock = grid.plots, grid.controls, grid.clock

    def _build_panel(self):
        self.panel = ControlPanel(self.draft)
        self.panel.regenerateRequested.connect(self.regenerate)
        self.panel.remember_sections(self.settings)

    def _build_central(self):
        self.splitter = QtWidgets.QSplitter(QtCore.Qt.Horizontal)
        self.splitter.addWidget(self.panel)  # it scrolls its sections itself
        self.splitter.addWidget(self.grid.rows)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(1, False)
        self.setCentralWidget(self.splitter)
        # The smallest window whose plots stay readable (tests/test_layout.py measures it):
        # the control panel takes ~380 px, and three plots across need ~200 px each.
        self.setMinimumSize(*MINIMUM_SIZE)
        self.resize(1440, 880)

    def _build_actions(self):
        """The menus, the run toolbar and their actions, from the table in gui.actions."""
        self.actions_by_id, self.menus, self.toolbar = actions.build(self)
        space = QtGui.QShortcut(QtGui.QKeySequence(QtCore.Qt.Key_Space), self)
        space.activated.connect(self._space_start)
        log_check = self.plot_controls["batchLossPlot"].log_check
        log_check.toggled.connect(self.actions_by_id["logYAction"].setChecked)
        view_menu = self.menus["view"]
        self.plots_menu = self.grid.add_menu(view_menu)
        self.plot_actions = self.grid.actions
        language_menu = view_menu.addMenu("Language / 언어")
        group = QtGui.QActionGroup(self)
        self.language_actions = {}
        for code, name in glossary.LANGUAGES.items():
            action = QtGui.QAction(name, self, checkable=True)
            action.setObjectName(f"language_{code}")
            action.triggered.connect(lambda _checked=False, c=code: self.set_language(c))
            group.addAction(action)
            language_menu.addAction(action)
            self.language_actions[code] = action
        self.toolbar_controls = ToolbarControls(
            self.toolbar, lambda pace: self.jobs.command(jobs.set_pace(pace)),
            self._on_x_axis)
        self.pace_combo = self.toolbar_controls.pace_combo
        self.x_axis_combo = self.toolbar_controls.x_axis_combo

    def _build_runs(self):
        """The Runs dock: the run table and the kept runs' overlays (gui.runs_dock)."""
        self.runs = RunsDock(self)
        self.run_table, self.overlays = self.runs.table, self.runs.overlays

    def _build_lessons(self):
        """The lesson panel, landscape and explorer docks (gui.docks) and their parts."""
        self.lessons = lessons = LessonDocks(self)
        self.lesson_panel, self.landscape, self.loss_explorer = (
            lessons.panel, lessons.landscape, lessons.loss_explorer)
        self.lesson_docks, self.lessons_dock = lessons.docks, lessons.lessons_dock
        self.lesson_actions, self.lesson_scene = lessons.actions, lessons.scene

    def resizeEvent(self, event):
        super().resizeEvent(event)
        if hasattr(self, "lessons"):  # Qt resizes the window while it is being built
            self.lessons.place_all()

    def _choose_instruments(self, names):
        """The worker measures what the shown plots draw (gui.live_instruments)."""
        self.jobs.command(jobs.measure_instruments(names))
        self.jobs.submit(jobs.measure_instruments_now)  # now if idle, else after the fit

    def show_loss_explorer(self):
        """Lessons > Loss Explorer: its dock in front."""
        self.lessons.show_loss_explorer()

    def open_lesson_dock(self, name):
        """Show the lesson dock ``name`` in front of the others (gui.docks)."""
        self.lessons.open_dock(name)

    def open_lesson(self, key):
        """Lessons menu: show lesson ``key`` in the lesson panel's dock."""
        self.lessons.open(key)

    def apply_lesson_config(self, config):
        """A lesson step's configuration in the draft, then a new model of it."""
        return self.lessons.apply_config(config)

    def _build_status_bar(self):
        bar = self.statusBar()
        self.run_status = RunStatus(self)
        # a message longer than the room the fields leave is cut: hovering shows it whole
        bar.messageChanged.connect(lambda text: self.statusBar().setToolTip(text))

    def _start_worker(self):
        self.jobs = jobs.Jobs(self)
        self.worker = self.jobs.worker
        self.reports = RunReports(self)  # the worker's Progress, RunEnd and Failed, shown
        self.commands = commands = RunCommands(self.session, self.draft, JobsPort(self.jobs),
                                               ask=self._ask, language=lambda: self.language)
        self.jobs.fit_stopped.append(commands.on_fit_stopped)
        commands.said.connect(self.statusBar().showMessage)
        commands.warned.connect(self.show_message)
        commands.pending_changed.connect(self._update_pending)
        commands.fit_launched.connect(self.run_status.fit_started)
        commands.built.connect(self._on_built)
        commands.kept.connect(
            lambda kept: self.run_status.say(functools.partial(kept_text, kept), 5000))
        self.session.state_changed.connect(self._show_state)
        self.jobs.start()

    def _on_built(self, run):
        self.panel.set_batch_limit(run.facts.n_train)
        self.run_status.update()
        self.runs.fill()

    # -- public API --------------------------------------------------------------------------

    @property
    def trainer(self):
        """The current ``engine.Trainer`` (None until a valid configuration was built).

        For tests and scripts that inspect a run after it stopped: while it runs, the worker
        thread owns it and the window itself reads only the session.
        """
        return self.commands.trainer

    @property
    def state(self):
        """The session's :class:`gui.session.RunState` (equal to "ready", "running", ...)."""
        return self.session.state

    @property
    def steps_per_second(self):
        """The current run's speed over its training time (0 before it trained)."""
        run = self.session.run
        return run.steps_per_second if run is not None else 0.0

    def current_config(self):
        """The draft's values as a validated ``TrainingConfig`` (ConfigError if not)."""
        return self.draft.to_config()

    def save_image(self, path, target=None, width=None):
        """Save a plot (``target`` = its objectName) or the whole window (None) as PNG or SVG.

        The format follows the extension of ``path`` (.png or .svg); ``width`` in pixels
        scales a PNG (None: as on screen).
        """
        image_format(path)
        if target is None:
            widget = self
        elif target in self.plots:
            widget = self.plots[target]
        elif target == "networkView":
            widget = self.network_dock.view
        else:
            raise ValueError(f"target {target!r} is not one of: None (the window), "
                             f"{', '.join(self.plots)}, networkView")
        self.redraw_now()
        if target is not None:
            widget.redraw()  # a hidden plot waits for the clock until it is shown
        save_image(widget, path, width)

    # -- run control -------------------------------------------------------------------------

    def _space_start(self):
        """The Space shortcut: a focused text field keeps its space (typed into it)."""
        focus = QtWidgets.QApplication.focusWidget()
        if isinstance(focus, TEXT_INPUTS):
            return
        self.start_pause()

    def start_pause(self):
        """Start, pause or resume, as the Start button says (the run commands)."""
        self.commands.start_pause()

    def step(self):
        """Train exactly one batch (the run commands)."""
        return self.commands.step()

    def find_learning_rate(self):
        """Run > Find Learning Rate (gui.lr_finding)."""
        self.lr_finding.find()

    @property
    def lr_dialog(self):
        """The LR finder's dialog, once a result was shown (None before)."""
        return self.lr_finding.dialog

    def stop(self):
        """Stop training; the model and curves stay and Start continues from here."""
        self.commands.stop()

    def reset(self, quiet=False):
        """Build a new model from the draft; False if it is not valid (the run commands)."""
        return self.commands.reset(quiet)

    def regenerate(self):
        """New sample of the dataset: next seed, new model."""
        return self.commands.regenerate()

    # -- live changes ------------------------------------------------------------------------

    def _show_state(self, state):
        """The run buttons and actions follow the session's state (gui.actions)."""
        actions.show_run_state(self.actions_by_id, state, self.session.run, self.language)

    def _update_pending(self, error=None):
        """The note of changes waiting for Reset, and why the settings cannot train."""
        self.panel.show_pending(self.commands.pending_fields(SPEC_BY_FIELD),
                                error or self.draft.incompatibility())

    def show_message(self, kind, title, text):
        """A message box (QMessageBox's ``kind``: "warning", "critical", "information"),
        remembered as ``last_message``; none is shown while the window closes."""
        self.last_message = (kind, title, text)
        if self.commands.closing:
            return
        getattr(QtWidgets.QMessageBox, kind)(self, title, text)

    def _ask(self, title, text):
        """OK or Cancel (Cancel is the default); True for OK. Never asks while closing."""
        self.last_message = ("question", title, text)
        if self.commands.closing:
            return False
        boxes = QtWidgets.QMessageBox
        return boxes.question(self, title, text, boxes.Ok | boxes.Cancel,
                              boxes.Cancel) == boxes.Ok

    # -- redraws -----------------------------------------------------------------------------

    def redraw_now(self):
        """Draw every plot and the status bar now, not at the next tick of the frame clock
        (before saving an image, and for tests)."""
        self.clock.fast()
        self.clock.slow()

    def _after_redraw(self):
        """The frame clock's slow tick: the status bar and the run table's current row."""
        self.run_status.update()
        self.runs.follow()

    def set_log_y(self, enabled):
        """Show the batch loss on a log scale (View > Log-scale batch loss, and lessons)."""
        self.plot_controls["batchLossPlot"].log_check.setChecked(bool(enabled))

    # -- kept runs and pace ------------------------------------------------------------------

    def keep_run(self):
        """Run > Keep Run: the current run stays on the plots as a labelled overlay."""
        return self.commands.keep()

    def remove_selected_run(self):
        """Run > Remove Selected Run (gui.runs_dock)."""
        self.runs.remove_selected()

    def clear_kept_runs(self):
        """Run > Clear Kept Runs."""
        self.runs.clear()

    @property
    def pace(self):
        """The pace control's steps per second (None: full speed)."""
        return self.pace_combo.currentData()

    def _on_x_axis(self, mode):
        """The x axis of the current run and the kept runs, which move together."""
        self.overlays.set_x_mode(mode)

    # -- help, language ----------------------------------------------------------------------

    def show_glossary(self):
        GlossaryDialog(self.language, self, try_it=self.try_glossary_entry).exec()

    def try_glossary_entry(self, kind, name):
        """A glossary entry's "Try it": its lesson, or its settings (gui.glossary_dialog)."""
        return try_entry(self, kind, name)

    def show_about(self):
        QtWidgets.QMessageBox.about(
            self, tr("About LossLab"),
            tr("<h3>LossLab</h3><p>Learn what the knobs of neural-network training do: the loss "
               "function, the batch size (and LARS), the number of epochs (and overfitting) and "
               "the learning rate (and divergence).</p><p>A NumPy training engine runs on a "
               "background thread; the plots update live while you turn the knobs.</p>"))

    def set_language(self, language):
        """Show every text in ``language`` ("en" or "ko"): Qt tells every widget, each
        relabels itself (gui.i18n.set_language)."""
        i18n.set_language(language)

    def retranslate(self):
        """The texts the window holds that are no widgets of their own: actions, menus and
        the toolbar's, dock titles, the runs' legend names, the status line, the run
        buttons' state and the pending-changes note. Every widget relabels itself."""
        self.language = i18n.language()
        self.language_actions[self.language].setChecked(True)
        actions.retranslate(self.actions_by_id, self.menus, self.toolbar)
        self.toolbar_controls.retranslate()
        self.grid.retranslate()
        self.lessons.retranslate()
        self.runs.retranslate()
        self.run_status.retranslate()
        self._show_state(self.session.state)
        self._update_pending()

    # -- settings and closing ----------------------------------------------------------------

    def shutdown(self, timeout=jobs.HALT_TIMEOUT_S):
        """Stop training and the worker thread; safe to call more than once.

        Returns False when the worker was still inside one long batch after ``timeout``
        seconds (its thread is then still running; :func:`gui.app.run` exits regardless).
        """
        self.commands.closing = True
        self.experiments.shutdown()  # a sweep's processes end with the window
        self.clock.stop()
        self._rebuild_timer.stop()
        return self.jobs.shutdown(timeout)

    def dragEnterEvent(self, event):
        event.acceptProposedAction()  # every drop is answered: opened, or refused with why

    def dropEvent(self, event):
        """A CSV file opens as File > Open CSV does, a folder as File > Open Run does."""
        kind, target = drop.dropped(event.mimeData())
        event.acceptProposedAction()
        if kind == drop.CSV:
            self.files.open_csv(target)
        elif kind == drop.RUNS:
            self.files.open_runs(target)
        else:
            self.statusBar().showMessage(target, 10000)

    def closeEvent(self, event):
        if not self.commands.closing:
            window_settings.save(self)
        # Closed, the window deletes itself and all it parents (gui.qt_owner): unless a batch
        # outlasted the wait, as Qt aborts when a running QThread is deleted.
        qt_owner.delete_on_close(self, self.shutdown(CLOSE_TIMEOUT_S))
        super().closeEvent(event)

