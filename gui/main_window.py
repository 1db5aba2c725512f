"""LossLab's main window: control panel, live plots, menus, toolbar and status bar.

The window sends its work as jobs (:mod:`gui.worker`: ``Jobs`` owns the worker's thread and
is the one place that pauses, stops and waits for it). Results arrive as
:class:`~gui.messages.Progress` chunks that the session takes and the plots (bound to the
session's events) buffer; the frame clock (:mod:`gui.plots.clock`) redraws.
"""

import functools
import sys

import shiboken6
from PySide6 import QtCore, QtGui, QtWidgets

from engine import ConfigError, Trainer, TrainingConfig, presets
from engine import config as engine_config
from engine.presets import DEFAULT_PACE
from gui import actions, drop, glossary, i18n, network_dock
from gui.controls import OPEN_CSV, SPEC_BY_FIELD, SPECS, ControlPanel
from gui.experiments import Experiments
from gui.files import FileCommands
from gui.export import image_format, save_image
from gui.i18n import QT_TR_NOOP, tr
from gui.glossary_dialog import GlossaryDialog, try_entry
from gui.landscape import LandscapePlot
from gui.lesson_panel import LessonPanel
from gui.lesson_scene import LessonScene
from gui.loss_explorer import LossExplorer
from gui.lr_dialog import LRFinderDialog
from gui.plots import registry
from gui.plots.clock import FrameClock
from gui.plots.drawer import RunOverlays
from gui.runs import CURRENT_KEY, X_MODES, RunTable, table_rows
from gui.session import RunFacts, RunState, Session
from gui.settings import Settings
from gui.setup_share import SetupShare
from gui.status import RunStatus, duration, ended_text, kept_text
from gui.views import geometry_for
from gui import messages
from gui import worker as jobs
from gui import qt_owner

REBUILD_DELAY_MS = 120
# The run table's row for the current run follows a running fit every third slow redraw.
TABLE_EVERY_TICKS = 3
# Closing the window waits this long for the worker (gui.app ends the process after it).
CLOSE_TIMEOUT_S = 1.5
# The training thread runs Python that holds the GIL; each time the GUI thread comes back from
# Qt's C++ (every paint call) it must wait for the GIL, up to Python's switch interval (5 ms by
# default). A 1 ms interval cut the event loop's p99 lateness while training from ~40 to ~25 ms.
GIL_SWITCH_INTERVAL_S = 0.001
#: The window's minimum size in pixels. Qt's own (881x462, from the widgets' minimums) left the
#: plots' data areas 10-60 px tall, the legends cut off at the window's edge.
MINIMUM_SIZE = (1024, 640)
#: Width (px) the window keeps for the control panel and the plots beside a docked lesson
#: dock (the layout tests find the plots readable at 1280 px); narrower, the dock floats.
PLOTS_BESIDE_DOCK = 1280
#: A floating lesson dock's width at least (px): the lesson panel's text and buttons.
LESSON_DOCK_WIDTH = 460
#: The titles of the lessons menu and dock, and of the loss landscape's and explorer's docks.
LESSON_TITLES = (QT_TR_NOOP("Lessons"), QT_TR_NOOP("Loss landscape"),
                 QT_TR_NOOP("Loss explorer"))
#: The pace control's choices in steps per second; None trains at full speed ("max").
PACES = (1, 3, 10, 30, 100, 300, 1000, None)
TEXT_INPUTS = (QtWidgets.QLineEdit, QtWidgets.QAbstractSpinBox, QtWidgets.QTextEdit,
               QtWidgets.QPlainTextEdit)


class MainWindow(QtWidgets.QMainWindow):
    """The LossLab window.

    Parameters
    ----------
    settings : QtCore.QSettings, optional
        Where to remember settings; by default the user's LossLab settings.
    """

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
        self._trainer = None
        self.last_message = None
        self._closing = False
        self.last_reset_error = ""
        self._slow_ticks = 0
        self.lr_dialog = None
        self._trained_run_id = None  # the run a train or step job was last sent for
        self._size_confirmed = None  # the large config the user agreed to build
        self._size_pending = False  # the last quiet reset waits for that agreement

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
        self._start_worker()
        self.network_dock = network_dock.install(self)  # View > Network

        self.clock.on_slow(self._after_redraw)
        self.clock.start()
        self._rebuild_timer = QtCore.QTimer(self)
        self._rebuild_timer.setSingleShot(True)
        self._rebuild_timer.setInterval(REBUILD_DELAY_MS)
        self._rebuild_timer.timeout.connect(lambda: self.reset(quiet=True))

        self._restore_settings()
        self.set_language(self.language)
        self._rebuild_timer.stop()
        if not self.reset(quiet=True):
            self._fall_back_to_default_dataset()

    # -- construction ------------------------------------------------------------------------

    def _build_plots(self):
        """The registry's plots (gui.plots.registry), each bound to the session, the controls
        some show above them, and the frame clock that redraws them."""
        self.plots, self.plot_controls = {}, {}
        for entry in registry.PLOTS:
            plot = entry.make()
            if plot.objectName() != entry.name:
                raise ValueError(f"plot {entry.name!r} is named {plot.objectName()!r}")
            plot.bind(self.session)
            self.plots[entry.name] = plot
            if entry.controls is not None:
                self.plot_controls[entry.name] = entry.controls(plot)
        self.clock = FrameClock({entry.name: (self.plots[entry.name], entry.cadence)
                                 for entry in registry.PLOTS}, self)
        self.clock.bind(self.session)

    def _build_panel(self):
        self.panel = ControlPanel()
        self.panel.valueChanged.connect(self._on_value_changed)
        self.panel.regenerateRequested.connect(self.regenerate)
        self.panel.remember_sections(self.settings)

    def _build_central(self):

        plots = self.plot_rows = QtWidgets.QSplitter(QtCore.Qt.Vertical)
        for row in registry.ROWS:
            splitter = QtWidgets.QSplitter(QtCore.Qt.Horizontal)
            splitter.setObjectName(f"{row}PlotRow")
            for entry in registry.PLOTS:
                if entry.row == row:
                    splitter.addWidget(self._plot_cell(entry))
                    splitter.setStretchFactor(splitter.count() - 1, entry.stretch)
            plots.addWidget(splitter)
        # equal heights: the bottom plots have a legend row of up to three lines to carry
        for index in range(plots.count()):
            plots.setStretchFactor(index, 1)
            plots.setCollapsible(index, False)
        self.splitter = QtWidgets.QSplitter(QtCore.Qt.Horizontal)
        self.splitter.addWidget(self.panel)  # it scrolls its sections itself
        self.splitter.addWidget(plots)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(1, False)
        self.setCentralWidget(self.splitter)
        # The smallest window whose plots stay readable (tests/test_layout.py measures it):
        # the control panel takes ~380 px, and three plots across need ~200 px each.
        self.setMinimumSize(*MINIMUM_SIZE)
        self.resize(1440, 880)

    def _plot_cell(self, entry):
        """The plot of ``entry``, with the controls it shows above it if any."""
        plot = self.plots[entry.name]
        controls = self.plot_controls.get(entry.name)
        if controls is None:
            return plot
        cell = QtWidgets.QWidget()
        layout = QtWidgets.QVBoxLayout(cell)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(controls)
        layout.addWidget(plot, 1)
        return cell

    def _build_actions(self):
        """The menus, the run toolbar and their actions, from the table in gui.actions."""
        self.actions_by_id, self.menus, self.toolbar = actions.build(self)
        self.space_shortcut = QtGui.QShortcut(QtGui.QKeySequence(QtCore.Qt.Key_Space), self)
        self.space_shortcut.activated.connect(self._space_start)
        log_check = self.plot_controls["batchLossPlot"].log_check
        log_check.toggled.connect(self.actions_by_id["logYAction"].setChecked)
        view_menu = self.menus["view"]
        self.plots_menu = view_menu.addMenu(tr("Plots"))
        self.plot_actions = {}
        for entry in registry.PLOTS:
            plot = self.plots[entry.name]
            action = QtGui.QAction(self.plots_menu, checkable=True)
            action.setChecked(entry.shown)
            plot.setVisible(entry.shown)
            action.toggled.connect(plot.setVisible)
            action.toggled.connect(lambda _checked, row=entry.row: self._fit_row(row))
            if entry.instruments:
                action.toggled.connect(self._choose_instruments)
            self.plots_menu.addAction(action)
            self.plot_actions[entry.name] = action
        for row in registry.ROWS:
            self._fit_row(row, resize=False)
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
        toolbar = self.toolbar
        self.pace_label = QtWidgets.QLabel()
        self.pace_combo = QtWidgets.QComboBox()
        self.pace_combo.setObjectName("paceCombo")
        for pace in PACES:
            self.pace_combo.addItem(str(pace), pace)
        self.pace_combo.currentIndexChanged.connect(self._on_pace)
        self.x_axis_label = QtWidgets.QLabel()
        self.x_axis_combo = QtWidgets.QComboBox()
        self.x_axis_combo.setObjectName("xAxisCombo")
        for mode in X_MODES:
            self.x_axis_combo.addItem(mode, mode)
        self.x_axis_combo.currentIndexChanged.connect(self._on_x_axis)
        for widget in (self.pace_label, self.pace_combo, None, self.x_axis_label,
                       self.x_axis_combo):
            toolbar.addSeparator() if widget is None else toolbar.addWidget(widget)

    def _build_runs(self):
        """The run table in a dock, and the kept runs' curves over the comparison plots."""
        self.overlays = RunOverlays([self.plots[entry.name] for entry in registry.PLOTS
                                     if entry.compares], self.clock)
        self.run_table = RunTable()
        self.run_table.visibilityToggled.connect(self.session.set_visible)
        self.run_table.runSelected.connect(self._on_run_selected)
        self.runs_dock = QtWidgets.QDockWidget("Runs", self)
        self.runs_dock.setObjectName("runsDock")
        self.runs_dock.setWidget(self.run_table)
        self.addDockWidget(QtCore.Qt.BottomDockWidgetArea, self.runs_dock)
        self.session.kept_changed.connect(self._on_kept_changed)
        self.session.run_ended.connect(lambda *_args: self.run_table.fill(table_rows(self.session)))

    def _build_lessons(self):
        """The lessons (issue 13): a Lessons menu, the lesson panel in a dock, and the loss
        landscape and the loss explorer in docks of their own (tabbed with it), each shown
        from the View menu and the Lessons menu."""
        def choose(combo, value):
            combo.setCurrentIndex(combo.findData(value))

        self.lesson_scene = LessonScene(self.session)
        self.lesson_panel = LessonPanel(
            apply_config=self.apply_lesson_config, start=self.start_pause,
            keep_run=self._keep_lesson_run,
            opened=self.open_lesson_scene,
            set_pace=lambda pace: choose(self.pace_combo, pace),
            show_views=self.show_lesson_views, set_log_y=self.set_log_y,
            language=self.language)
        self.session.run_ended.connect(
            lambda run, reason, message: self.lesson_panel.run_finished(reason,
                                                                        run.diverged_step))
        self.landscape = LandscapePlot(language=self.language)
        self.loss_explorer = LossExplorer(language=self.language)
        self.lesson_docks = {}
        for name, title, widget in (("lessonsDock", LESSON_TITLES[0], self.lesson_panel),
                                    ("landscapeDock", LESSON_TITLES[1], self.landscape),
                                    ("lossExplorerDock", LESSON_TITLES[2], self.loss_explorer)):
            dock = QtWidgets.QDockWidget(title, self)
            dock.setObjectName(name)
            dock.setWidget(widget)
            self.addDockWidget(QtCore.Qt.RightDockWidgetArea, dock)
            self.menus["view"].addAction(dock.toggleViewAction())
            self.lesson_docks[name] = dock
            dock.visibilityChanged.connect(
                lambda visible, dock=dock: visible and QtCore.QTimer.singleShot(
                    0, lambda: self._place_lesson_dock(dock)))
        self.lessons_dock = self.lesson_docks["lessonsDock"]
        self.tabifyDockWidget(self.lessons_dock, self.lesson_docks["landscapeDock"])
        self.tabifyDockWidget(self.lessons_dock, self.lesson_docks["lossExplorerDock"])
        for dock in self.lesson_docks.values():
            # hidden until the Lessons or View menu opens one: shown at start they took half
            # of a 1440-px window and squeezed the plots (seen on a fresh start)
            dock.hide()
        # the lessons come first in their menu, above the table's landscape and explorer
        lessons_menu = self.menus["lessons"]
        first = lessons_menu.actions()[0]
        self.lesson_actions = {}
        for lesson in self.lesson_panel.lessons:
            action = QtGui.QAction(lesson.title(self.language), lessons_menu)
            action.triggered.connect(lambda _checked=False, key=lesson.key: self.open_lesson(key))
            lessons_menu.insertAction(first, action)
            self.lesson_actions[lesson.key] = action
        lessons_menu.insertSeparator(first)

    def resizeEvent(self, event):
        super().resizeEvent(event)
        for dock in getattr(self, "lesson_docks", {}).values():
            self._place_lesson_dock(dock)  # a narrower window: a docked lesson floats

    def _place_lesson_dock(self, dock):
        """A lesson dock floats, as a window of its own beside this one, when docked it would
        leave the plots less than :data:`PLOTS_BESIDE_DOCK` px of the window's width.

        Why floating rather than tabs or a growing window: the three docks already share one
        tabbed area, yet that area (370-580 px) beside the control panel left the plots 90 px
        view boxes and "valida…" legends at 1440 x 900, slivers at 1024 x 640; a window
        cannot grow past a small screen, and the plots are what a lesson asks the learner to
        watch. Floating, the lesson sits beside or over the window and the plots keep their
        size; on a wide window it docks, and a dock the user drags back in stays there until
        it is shown again.
        """
        if not shiboken6.isValid(dock) or not dock.isVisible() or dock.isFloating():
            return
        width = max(dock.sizeHint().width(), LESSON_DOCK_WIDTH)
        if self.width() - width >= PLOTS_BESIDE_DOCK:
            return
        dock.setFloating(True)
        frame = self.frameGeometry()
        screen = (self.screen() or QtGui.QGuiApplication.primaryScreen()).availableGeometry()
        height = min(frame.height(), screen.height())
        x = frame.right() + 1
        if x + width > screen.right() + 1:  # no room beside: over the window's right edge
            x = max(screen.left(), screen.right() + 1 - width)
        dock.setGeometry(x, max(frame.top(), screen.top()), width, height)

    def _fit_row(self, row, resize=True):
        """A row of plots shows while one of its plots does (the instruments' row is empty
        until one is asked for); ``resize``: its plots share its width by their stretch and
        the shown rows the height, so a plot shown from the menu is not left a sliver."""
        index = registry.ROWS.index(row)
        splitter = self.plot_rows.widget(index)
        entries = [entry for entry in registry.PLOTS if entry.row == row]
        shown = [self.plot_actions[entry.name].isChecked() for entry in entries]
        splitter.setVisible(any(shown))
        if not resize or not any(shown):
            return
        weights = [max(entry.stretch, 1) * on for entry, on in zip(entries, shown)]
        width = max(self.plot_rows.width(), 1)
        splitter.setSizes([round(width * weight / sum(weights)) for weight in weights])
        rows = [self.plot_rows.widget(i).isVisibleTo(self.plot_rows)
                for i in range(self.plot_rows.count())]
        height = max(self.plot_rows.height(), 1)
        self.plot_rows.setSizes([height // sum(rows) if on else 0 for on in rows])

    def _choose_instruments(self, _checked=None):
        """The worker measures what the shown plots draw (gui.live_instruments)."""
        names = [name for entry in registry.PLOTS if self.plot_actions[entry.name].isChecked()
                 for name in entry.instruments]
        self.jobs.command(jobs.measure_instruments(names))
        self.jobs.submit(jobs.measure_instruments_now)  # now if idle, else after the fit

    def show_landscape(self):
        """Lessons > Loss Landscape: its dock in front."""
        self.open_lesson_dock("landscapeDock")

    def show_loss_explorer(self):
        """Lessons > Loss Explorer: its dock in front."""
        self.open_lesson_dock("lossExplorerDock")

    def show_lesson_views(self, plots, x_axis):
        """A lesson's views: its plots shown and the others hidden (View > Plots brings them
        back; a plot registered as ``always_shown`` stays), and its x axis."""
        self.x_axis_combo.setCurrentIndex(self.x_axis_combo.findData(x_axis))
        if any(name in plots for name in self.plot_actions):
            for entry in registry.PLOTS:
                self.plot_actions[entry.name].setChecked(entry.name in plots
                                                         or entry.always_shown)

    def open_lesson_dock(self, name):
        """Show the lesson dock ``name`` ("lessonsDock", "landscapeDock", "lossExplorerDock")
        in front of the others."""
        dock = self.lesson_docks[name]
        dock.show()
        dock.raise_()

    def open_lesson(self, key):
        """Lessons menu: show lesson ``key`` in the lesson panel's dock."""
        self.lesson_panel.set_lesson(key)
        self.lessons_dock.show()
        self.lessons_dock.raise_()

    def _keep_lesson_run(self, lesson, step):
        self.lesson_scene.keep(lesson, step)
        # the run belongs to its step only once kept: its legend entries and the results
        self._draw_kept_runs()
        self._show_lesson_results()

    def open_lesson_scene(self, key):
        """A lesson was chosen: the other runs are set aside (said, with the way back)."""
        aside = self.lesson_scene.open(key)
        self._draw_kept_runs()
        self._show_lesson_results()
        if aside:
            self.statusBar().showMessage(tr(
                "{count} earlier runs set aside for this lesson: Lessons > Bring Back "
                "Set-Aside Runs shows them again.", count=aside), 15000)

    def bring_back_runs(self):
        """Lessons > Bring Back Set-Aside Runs."""
        self.lesson_scene.bring_back()

    def apply_lesson_config(self, config):
        """A lesson step's configuration on the controls, then a new run of it."""
        self.lesson_scene.focus(config.dataset)
        self.panel.set_batch_limit(config.batch_size)  # the old dataset's limit must not clip it
        self.panel.set_values(config.to_dict())
        return self.reset(quiet=True)

    def _build_status_bar(self):
        bar = self.statusBar()
        self.run_status = RunStatus(self)
        # a message longer than the room the fields leave is cut: hovering shows it whole
        bar.messageChanged.connect(lambda text: self.statusBar().setToolTip(text))

    def _start_worker(self):
        self.jobs = jobs.Jobs(self)
        self.worker = self.jobs.worker
        for kind, handler in ((messages.Progress, self._on_progress),
                              (messages.RunEnd, self._on_run_ended),
                              (messages.Failed, self._on_failed)):
            self.jobs.on(kind, handler)
        self.jobs.fit_stopped.append(self._on_fit_stopped)
        self.session.state_changed.connect(self._show_state)
        self.jobs.start()

    # -- public API --------------------------------------------------------------------------

    @property
    def trainer(self):
        """The current ``engine.Trainer`` (None until a valid configuration was built).

        For tests and scripts that inspect a run after it stopped: while it runs, the worker
        thread owns it and the window itself reads only the session.
        """
        return self._trainer

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
        """The control panel's values as a validated ``TrainingConfig`` (ConfigError if not)."""
        config = TrainingConfig(**self.panel.config_kwargs())
        return config.validate()

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

    def _pause(self):
        if self.session.state == RunState.RUNNING:
            self.jobs.pause()
            self.session.set_state(RunState.PAUSED)

    def _on_fit_stopped(self):
        """A fit was stopped (for a job that needs the trainer idle, Stop or Reset): the run
        shows paused and its training time stops."""
        if self.session.state == RunState.RUNNING:
            self.session.set_state(RunState.PAUSED)
        if self.session.run is not None:
            self.session.run.pause()

    def _needs_new_model(self):
        """Start/Step build a new model when none is usable: none yet, an untrained one (so
        the settings shown are used), or changed settings waiting for the rebuild timer."""
        run = self.session.run
        # a step already sent counts as training even before its result arrives: the worker
        # can be idle while the result still waits in the event queue
        untrained = (run is not None and run.step_count == 0 and not self.jobs.busy
                     and self._trained_run_id != run.run_id)
        return run is None or untrained or self._rebuild_timer.isActive()

    def start_pause(self):
        """Start, pause or resume, as the Start button says."""
        state = self.session.state
        if state == RunState.RUNNING:
            self._pause()
            return
        if state == RunState.PAUSED and self.jobs.fit_active:
            self.jobs.resume()
            self.session.set_state(RunState.RUNNING)
            return
        if self._needs_new_model() or self.session.run.finished:
            if not self.reset():
                return
        self._launch_run()

    def _launch_run(self):
        self.run_status.fit_started(self.session.run.step_count)
        self.session.set_state(RunState.RUNNING)
        self._trained_run_id = self.session.run.run_id
        self.jobs.submit(jobs.Train())

    def step(self):
        """Train exactly one batch (a running fit stops first: the job needs the trainer)."""
        if self._needs_new_model():
            if not self.reset():
                return
        elif self.session.run.finished:
            if self.session.run.outcome != "diverged":
                self.statusBar().showMessage(
                    tr("The run has finished all its epochs: raise Epochs to go on, or Reset."),
                    5000)
                return
            if not self.reset():
                return
        self._trained_run_id = self.session.run.run_id
        self.jobs.submit(jobs.Step())

    def apply_suggested_settings(self):
        """Data > Suggested Settings: settings known to learn the chosen built-in dataset,
        with the line that says why, then a new model from them."""
        dataset = self.panel.value("dataset")
        try:
            preset = presets.suggested(dataset)
            # the defaults plus the preset: the settings its test trains headless
            config = TrainingConfig(**{"dataset": dataset, **preset.changes})
            self.panel.apply_config(config)
        except (ConfigError, ValueError, TypeError) as error:
            self.statusBar().showMessage(tr(str(error)), 8000)
            return False
        self.statusBar().showMessage(glossary.suggestion_why(dataset, self.language), 15000)
        return self.reset(quiet=True)

    def find_learning_rate(self):
        """Run > Find Learning Rate: the LR range test from the current model's weights.

        A running fit stops first; the result opens in a dialog that can set the rate.
        """
        if self.session.run is None or self._rebuild_timer.isActive():
            if not self.reset():
                return
        self.statusBar().showMessage(glossary.ui_text("finding_lr", self.language))
        self.jobs.submit(jobs.FindLearningRate({messages.LrFound: self._on_lr_found}))

    def _on_lr_found(self, found):
        self.statusBar().clearMessage()
        if found.result.stopped:
            return
        if self.lr_dialog is None:
            self.lr_dialog = LRFinderDialog(self)
            self.lr_dialog.useRate.connect(self._use_rate)
        self.lr_dialog.set_language(self.language)
        self.lr_dialog.show_result(found.result)
        self.lr_dialog.show()

    def _use_rate(self, rate):
        """The LR finder's suggestion, clamped (with a message) to the control's range."""
        spin = self.panel.widgets["learning_rate"]
        low, high = spin.minimum(), spin.maximum()
        if not low <= rate <= high:
            clamped = min(max(rate, low), high)
            self.statusBar().showMessage(
                tr("The suggested rate {rate:.3g} is outside the control's range "
                   "({low:g} to {high:g}); using {clamped:g}.", rate=rate, low=low, high=high,
                   clamped=clamped), 8000)
            rate = clamped
        self.panel.set_value("learning_rate", rate)

    def stop(self):
        """Stop training; the model and curves stay and Start continues from here."""
        self.jobs.halt_fit()
        if self.session.state in (RunState.RUNNING, RunState.PAUSED):
            self.session.set_state(RunState.READY)

    def reset(self, quiet=False):
        """Build a new model from the panel's settings; False if they are not valid.

        Nothing changes when the new model cannot be built: the previous run, its curves and
        the state stay as they were. ``quiet`` reports an invalid configuration in the panel
        instead of a message box (used when a setting changes before any training).
        """
        self._rebuild_timer.stop()
        self._size_pending = False
        try:
            config = self.current_config()
            dataset = self.session.datasets.get(config)
            if not self._confirm_size(config, dataset, quiet):
                return False
            trainer = Trainer(config, dataset=dataset)
            facts = RunFacts(trainer.dataset.task, trainer.n_train, trainer.steps_per_epoch,
                             trainer.epochs, geometry_for(trainer.dataset),
                             len(trainer.model.params))
        except (ConfigError, ValueError, OSError, MemoryError) as error:
            self.last_reset_error = str(error)
            self._update_pending(str(error))
            if not quiet:
                self.show_message("warning", tr("Cannot reset"),
                              glossary.ui_text("incompatible", self.language).format(
                                  reason=tr(str(error))))
            return False
        self.jobs.halt_fit()
        self._trainer = trainer
        run = self.session.new_run(config, facts)
        self.panel.set_batch_limit(facts.n_train)
        self._update_pending()
        self.jobs.submit(jobs.Attach(run.run_id, trainer, facts.geometry))
        self.run_status.update()
        self.run_table.fill(table_rows(self.session))
        return True

    def _confirm_size(self, config, dataset, quiet):
        """A model above the engine's soft bound (``engine.config.WARN_BYTES``) is built only
        once the user agreed, told its estimated memory and time; above ``MAX_BYTES`` the
        engine refuses it (``Trainer`` raises, and reset shows its message). A quiet reset
        (a setting changed) only says so in the status bar: Start or Reset asks."""
        outputs = dataset.n_classes if dataset.task == "multiclass" else 1
        estimate = config.estimate(len(dataset.y_train), dataset.n_features, outputs)
        if (estimate["bytes"] <= engine_config.WARN_BYTES
                or estimate["bytes"] > engine_config.MAX_BYTES or config == self._size_confirmed):
            return True
        size = estimate["bytes"]
        memory = f"{size / 2**30:.1f} GB" if size >= 2**30 else f"{size / 2**20:.0f} MB"
        if estimate["seconds"] is None:
            text = tr("This model needs about {memory} of memory ({parameters:,} parameters) "
                      "and about {time} per 1,000 steps at full speed; it trains until "
                      "stopped.", memory=memory, parameters=estimate["parameters"],
                      time=duration(max(1000 * estimate["seconds_per_step"], 1)))
        else:
            text = tr("This model needs about {memory} of memory ({parameters:,} parameters) "
                      "and about {time} for its {steps:,} steps at full speed.", memory=memory,
                      parameters=estimate["parameters"], steps=estimate["steps"],
                      time=duration(max(estimate["seconds"], 1)))
        if quiet:
            self._size_pending = True
            self.last_reset_error = text
            self.statusBar().showMessage(text + " " + tr("Start or Reset builds it."), 20000)
            return False
        if not self._ask(tr("Large model"), text + "\n\n" + tr("Build it?")):
            self.statusBar().showMessage(tr("The large model was not built."), 8000)
            return False
        self._size_confirmed = config
        return True

    def _fall_back_to_default_dataset(self):
        """A remembered dataset that cannot be used (a CSV file gone or changed) gives way to
        the default one, with a message; the window opens either way."""
        bad = self.panel.value("dataset")
        default = TrainingConfig().dataset
        if bad == default or self._size_pending:  # a large model waits for Start, not a fault
            return
        reason = self.last_reset_error
        self._restore_field("dataset", default)
        if self.reset(quiet=True):
            self.statusBar().showMessage(
                f"The last dataset ({bad}) cannot be used: {reason}. Using {default}.", 20000)

    def regenerate(self):
        """New sample of the dataset: next seed, new model."""
        self.panel.set_value("seed", self.panel.value("seed") + 1)
        self.reset()

    def _show_state(self, state):
        """Adapt the run buttons and actions to the session's state."""
        run = self.session.run
        if state == RunState.RUNNING:
            text = glossary.ui_text("pause", self.language)
            icon = QtWidgets.QStyle.SP_MediaPause
        elif state == RunState.PAUSED:
            text = glossary.ui_text("resume", self.language)
            icon = QtWidgets.QStyle.SP_MediaPlay
        elif run is not None and run.step_count > 0 and not run.finished:
            text = glossary.ui_text("continue", self.language)
            icon = QtWidgets.QStyle.SP_MediaPlay
        else:
            text = glossary.label("start", self.language)
            icon = QtWidgets.QStyle.SP_MediaPlay
        start = self.actions_by_id["startAction"]
        start.setText(text)
        start.setIcon(self.style().standardIcon(icon))
        running = state == RunState.RUNNING
        self.actions_by_id["stepAction"].setEnabled(not running)
        active = state in (RunState.RUNNING, RunState.PAUSED)
        self.actions_by_id["stopAction"].setEnabled(active)

    # -- live changes ------------------------------------------------------------------------

    def _on_value_changed(self, field, value):
        if field == "dataset" and value == OPEN_CSV:
            return  # gui.files opens the file
        run = self.session.run
        if run is None or (run.step_count == 0 and not self.jobs.fit_active):
            self._rebuild_timer.start()
            return
        spec = SPEC_BY_FIELD.get(field)
        if spec is not None and spec.live and run.config.optimizer == self.panel.value(
                "optimizer"):
            self.jobs.command(jobs.command("update", **{field: value}))
            if field in ("epochs", "batch_size"):
                self.session.plan_epochs(value if field == "epochs" else None)
            if self.session.state == RunState.RUNNING and field != "epochs":
                self.statusBar().showMessage(
                    tr("{name} will apply at the next epoch.", name=glossary.label(field))
                    if spec.live == "next epoch" else
                    tr("{name} will apply at the next batch.", name=glossary.label(field)), 5000)
        self._update_pending()

    def _pending_fields(self):
        if self.session.run is None:
            return []
        try:
            wanted = TrainingConfig(**self.panel.config_kwargs())
        except (ConfigError, ValueError):
            return ["hidden_layers"]
        # Live fields went to the trainer already; a new optimizer brings its own
        # hyperparameters, so listing "optimizer" covers them.
        live = {spec.field for spec in SPECS if spec.live}
        return [name for name in self.session.pending_changes(wanted) if name not in live
                and name in SPEC_BY_FIELD]

    def _update_pending(self, error=None):
        fields = self._pending_fields()
        self.panel.show_pending(fields)
        reason = error or self.panel.incompatibility_reason()
        if reason:
            text = glossary.ui_text("incompatible", self.language).format(reason=tr(reason))
            if fields:
                text = self.panel.pending_label.text() + "\n\n" + text
            self.panel.pending_label.setText(text)
            self.panel.pending_label.show()

    # -- worker results ----------------------------------------------------------------------

    def _on_progress(self, progress):
        if not self.session.apply_progress(progress):
            return
        for notice in progress.chunk.notices or ():  # e.g. accuracy stuck at chance: said
            self.statusBar().showMessage(tr(notice.message), 15000)

    def _on_run_ended(self, end):
        if self.session.run is None or end.run_id != self.session.run.run_id:
            return
        expected = end.reason == "diverged" and self.lesson_panel.expects_divergence()
        self.session.end_run(end.run_id, end.reason, end.message, end.diverged_step)
        run = self.session.run
        if end.reason == "diverged":
            at = end.diverged_step or run.step_count
            self.plots["batchLossPlot"].add_marker(at, tr("diverged at step {step}", step=at))
        if expected:  # the lesson step's result, said where the lesson is: no box to dismiss
            self.run_status.say(functools.partial(self.lesson_panel.result_text,
                                                  result=self.lesson_panel.last_result), 30000)
        elif end.reason == "diverged":
            self.show_message("warning", tr("Training diverged"),
                          tr("{message}\n\nThe curves up to that batch are kept. {advice}",
                             message=end.message,
                             advice=glossary.text('divergence', self.language)))
        elif end.reason in ("finished", "early_stopping"):
            self.run_status.say(functools.partial(ended_text, run, end.reason), 15000)
        elif end.reason == "error":
            self.show_message("critical", tr("Training error"), tr(end.message))
        self.run_status.update()

    def _on_failed(self, failed):
        if failed.title == "Cannot apply the change":
            self.statusBar().showMessage(tr(failed.message), 8000)
        else:
            self.show_message("critical", tr(failed.title), tr(failed.message))

    def show_message(self, kind, title, text):
        """A message box (QMessageBox's ``kind``: "warning", "critical", "information"),
        remembered as ``last_message``; none is shown while the window closes."""
        self.last_message = (kind, title, text)
        if self._closing:
            return
        getattr(QtWidgets.QMessageBox, kind)(self, title, text)

    def _ask(self, title, text):
        """OK or Cancel (Cancel is the default); True for OK. Never asks while closing."""
        self.last_message = ("question", title, text)
        if self._closing:
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
        """The frame clock's slow tick: the status bar, and while a run trains, its row of
        the run table every few ticks."""
        self.run_status.update()
        self._slow_ticks += 1
        if self.jobs.fit_active and self._slow_ticks % TABLE_EVERY_TICKS == 0:
            self.run_table.fill(table_rows(self.session))

    def set_log_y(self, enabled):
        """Show the batch loss on a log scale (View > Log-scale batch loss, and lessons)."""
        self.plot_controls["batchLossPlot"].log_check.setChecked(bool(enabled))

    # -- kept runs and pace ------------------------------------------------------------------

    def keep_run(self):
        """Run > Keep Run: the current run stays on the plots as a labelled overlay."""
        kept = self.session.keep_current()
        if kept is None:
            self.statusBar().showMessage(glossary.ui_text("kept_nothing", self.language), 5000)
            return None
        self.run_status.say(functools.partial(kept_text, kept), 5000)
        return kept

    def remove_selected_run(self):
        key = self.run_table.selected_key()
        if key is not None and key != CURRENT_KEY:
            self.session.remove_kept(key)

    def clear_kept_runs(self):
        self.session.clear_kept()

    def _on_kept_changed(self):
        # Saved as they change, not only at close: a crash or a kill loses no kept run.
        problems = self.session.save_kept(self.settings.data_folder("kept-runs"))
        if problems:
            self.statusBar().showMessage(_problems_text(problems), 15000)
        self._draw_kept_runs()
        self.run_table.fill(table_rows(self.session))
        self._show_lesson_results()

    def _draw_kept_runs(self):
        """The kept runs the lesson scene shows, on the plots; an open lesson's own runs are
        all named in the legends (issue 22)."""
        scene = self.lesson_scene
        lesson_runs = scene.runs_of(scene.lesson).values() if scene.lesson is not None else ()
        self.overlays.sync(scene.shown(self.session.kept), {kept.key for kept in lesson_runs})

    def _show_lesson_results(self):
        lesson = self.lesson_panel.lesson
        self.lesson_panel.show_results(
            self.lesson_scene.runs_of(lesson.key) if lesson is not None else {})

    def _on_run_selected(self, key):
        self.overlays.highlight(None if key == CURRENT_KEY else key)

    @property
    def pace(self):
        """The pace control's steps per second (None: full speed)."""
        return self.pace_combo.currentData()

    def _on_pace(self, _index=None):
        self.jobs.command(jobs.set_pace(self.pace))

    def _on_x_axis(self, _index=None):
        mode = self.x_axis_combo.currentData()
        self.overlays.set_x_mode(mode)  # the current run and the kept runs move together

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

    def _set_lessons_language(self, language):
        for widget in (self.lesson_panel, self.landscape, self.loss_explorer):
            widget.set_language(language)
        self._show_lesson_results()
        for dock, title in zip(self.lesson_docks.values(), LESSON_TITLES):
            dock.setWindowTitle(tr(title, language))
        for lesson in self.lesson_panel.lessons:
            self.lesson_actions[lesson.key].setText(lesson.title(language))

    def set_language(self, language):
        """Show labels, tooltips and the glossary in ``language`` ("en" or "ko")."""
        self.language = language
        i18n.set_language(language)
        self.language_actions[language].setChecked(True)
        self.panel.set_language(language)
        self._set_lessons_language(language)
        self.experiments.set_language(language)
        for entry in registry.PLOTS:
            plot = self.plots[entry.name]
            plot.setToolTip(glossary.tooltip(entry.term, language))
            plot.getPlotItem().setTitle(glossary.label(entry.term, language), size="10pt")
            self.plot_actions[entry.name].setText(glossary.label(entry.term, language))
        for controls in self.plot_controls.values():
            controls.set_language(language)
        actions.retranslate(self.actions_by_id, self.menus, self.toolbar, language)
        self.plots_menu.setTitle(tr("Plots", language))
        self.runs_dock.setWindowTitle(glossary.ui_text("runs_dock", language))
        self.pace_label.setText(" " + glossary.ui_text("pace", language) + " ")
        self.x_axis_label.setText(" " + glossary.ui_text("x_axis", language) + " ")
        for index, pace in enumerate(PACES):
            self.pace_combo.setItemText(index, glossary.ui_text("pace_max", language)
                                        if pace is None else glossary.ui_text(
                                            "pace_unit", language).format(pace=pace))
        for index, mode in enumerate(X_MODES):
            self.x_axis_combo.setItemText(index, glossary.ui_text(f"x_{mode}", language))
        if self.lr_dialog is not None:
            self.lr_dialog.set_language(language)
        self._show_state(self.session.state)
        self._update_pending()

    # -- settings and closing ----------------------------------------------------------------

    def _restore_settings(self):
        values = self.settings.read_config()
        if "optimizer" in values:
            self._restore_field("optimizer", values["optimizer"])
        for field, value in values.items():
            if field in SPEC_BY_FIELD and field != "optimizer" and value is not None:
                self._restore_field(field, value)
        geometry = self.settings.read("window/geometry", QtCore.QByteArray(), QtCore.QByteArray)
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
        splitter = self.settings.read("window/splitter", QtCore.QByteArray(), QtCore.QByteArray)
        if not splitter.isEmpty():
            self.splitter.restoreState(splitter)
        batch = self.plot_controls["batchLossPlot"]
        smoothing = self.settings.read("plots/smoothing", 60, int)
        batch.smoothing_slider.setValue(min(max(smoothing, 0), 99))
        batch.log_check.setChecked(self.settings.read("plots/log_y", False, bool))
        remembered = self.settings.read("run/pace", "", str)
        names = ["max" if pace is None else str(pace) for pace in PACES]
        self.pace_combo.setCurrentIndex(names.index(remembered) if remembered in names
                                        else PACES.index(DEFAULT_PACE))
        index = self.x_axis_combo.findData(self.settings.read("plots/x_axis", "step", str))
        self.x_axis_combo.setCurrentIndex(max(index, 0))
        problems = self.session.load_kept(self.settings.data_folder("kept-runs"))
        if problems:
            # in the saved language: it is installed only after the settings are restored
            self.statusBar().showMessage(tr(
                "Some kept runs could not be read: {problems}", self.language,
                problems=_problems_text(problems, self.language)), 30000)

    def _restore_field(self, field, value):
        try:
            self.panel.set_value(field, value)
        except (ValueError, TypeError, OverflowError):
            return

    def save_settings(self):
        """Remember controls, geometry, language and plot options."""
        values = self.panel.config_kwargs()
        self.settings.write_config(values)
        self.settings.write("window/geometry", self.saveGeometry())
        self.settings.write("window/splitter", self.splitter.saveState())
        self.settings.write("language", self.language)
        batch = self.plot_controls["batchLossPlot"]
        self.settings.write("plots/smoothing", batch.smoothing_slider.value())
        self.settings.write("plots/log_y", batch.log_check.isChecked())
        self.settings.write("run/pace", str(self.pace or "max"))
        self.settings.write("plots/x_axis", self.x_axis_combo.currentData())
        for problem in self.session.save_kept(self.settings.data_folder("kept-runs")):
            print(f"LossLab: {problem}", file=sys.stderr)
        self.session.close_kept()
        self.settings.sync()

    def shutdown(self, timeout=jobs.HALT_TIMEOUT_S):
        """Stop training and the worker thread; safe to call more than once.

        Returns False when the worker was still inside one long batch after ``timeout``
        seconds (its thread is then still running; :func:`gui.app.run` exits regardless).
        """
        self._closing = True
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
        if not self._closing:
            self.save_settings()
        # Closed, the window deletes itself and all it parents (gui.qt_owner): unless a batch
        # outlasted the wait, as Qt aborts when a running QThread is deleted.
        qt_owner.delete_on_close(self, self.shutdown(CLOSE_TIMEOUT_S))
        super().closeEvent(event)


def _problems_text(problems, language=None):
    """The kept-run store's problems (``gui.model.store.Problem``) in ``language`` (default:
    the current one)."""
    return "; ".join(tr(problem.template, language, **problem.params) for problem in problems)
