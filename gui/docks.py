"""The lessons' docks (issue 13): the lesson panel, the loss landscape and the loss explorer,
each in a dock of its own (tabbed together, shown from the View and Lessons menus), and the
lessons' entries at the top of the Lessons menu.

Why apart from the window: a lesson reaches into many parts (the draft and a new model, the
pace, the shown plots and x axis, the kept runs it sets aside and the results of its steps);
this class is where those wires are, and the window only holds it.
"""

import shiboken6
from PySide6 import QtCore, QtGui, QtWidgets

from gui import i18n
from gui.i18n import QT_TR_NOOP, tr
from gui.landscape import LandscapePlot
from gui.lesson_panel import LessonPanel
from gui.lesson_scene import LessonScene
from gui.loss_explorer import LossExplorer
from gui.plots import registry

#: Width (px) the window keeps for the control panel and the plots beside a docked lesson
#: dock (the layout tests find the plots readable at 1280 px); narrower, the dock floats.
PLOTS_BESIDE_DOCK = 1280
#: A floating lesson dock's width at least (px): the lesson panel's text and buttons.
LESSON_DOCK_WIDTH = 460
#: The docks' objectNames and titles.
DOCKS = (("lessonsDock", QT_TR_NOOP("Lessons")), ("landscapeDock", QT_TR_NOOP("Loss landscape")),
         ("lossExplorerDock", QT_TR_NOOP("Loss explorer")))


class LessonDocks:
    """The lesson panel, landscape and explorer docks of ``window`` (a ``MainWindow``, built
    as far as its menus, pace control, plots' actions and run overlays)."""

    def __init__(self, window):
        self.window = window
        self.scene = LessonScene(window.session)
        self.panel = LessonPanel(
            apply_config=self.apply_config, start=window.start_pause, keep_run=self.keep_run,
            opened=self.open_scene, set_pace=self._set_pace, show_views=self.show_views,
            set_log_y=window.set_log_y)
        window.session.run_ended.connect(
            lambda run, reason, message: self.panel.run_finished(reason, run.diverged_step))
        self.landscape = LandscapePlot()
        self.loss_explorer = LossExplorer()
        self.docks = {}
        for (name, title), widget in zip(DOCKS, (self.panel, self.landscape,
                                                  self.loss_explorer)):
            dock = QtWidgets.QDockWidget(title, window)
            dock.setObjectName(name)
            dock.setWidget(widget)
            window.addDockWidget(QtCore.Qt.RightDockWidgetArea, dock)
            window.menus["view"].addAction(dock.toggleViewAction())
            self.docks[name] = dock
            dock.visibilityChanged.connect(
                lambda visible, dock=dock: visible and QtCore.QTimer.singleShot(
                    0, lambda: self.place(dock)))
        self.lessons_dock = self.docks["lessonsDock"]
        window.tabifyDockWidget(self.lessons_dock, self.docks["landscapeDock"])
        window.tabifyDockWidget(self.lessons_dock, self.docks["lossExplorerDock"])
        for dock in self.docks.values():
            # hidden until the Lessons or View menu opens one: shown at start they took half
            # of a 1440-px window and squeezed the plots (seen on a fresh start)
            dock.hide()
        # the lessons come first in their menu, above the table's landscape and explorer
        lessons_menu = window.menus["lessons"]
        first = lessons_menu.actions()[0]
        self.actions = {}
        for lesson in self.panel.lessons:
            action = QtGui.QAction(lesson.title(i18n.language()), lessons_menu)
            action.triggered.connect(lambda _checked=False, key=lesson.key: self.open(key))
            lessons_menu.insertAction(first, action)
            self.actions[lesson.key] = action
        lessons_menu.insertSeparator(first)

    # -- the menus' commands -----------------------------------------------------------------

    def open(self, key):
        """Lessons menu: show lesson ``key`` in the lesson panel's dock."""
        self.panel.set_lesson(key)
        self.open_dock("lessonsDock")

    def open_dock(self, name):
        """Show the dock ``name`` ("lessonsDock", "landscapeDock", "lossExplorerDock") in
        front of the others."""
        dock = self.docks[name]
        dock.show()
        dock.raise_()

    def show_landscape(self):
        """Lessons > Loss Landscape: its dock in front."""
        self.open_dock("landscapeDock")

    def show_loss_explorer(self):
        """Lessons > Loss Explorer: its dock in front."""
        self.open_dock("lossExplorerDock")

    def bring_back_runs(self):
        """Lessons > Bring Back Set-Aside Runs."""
        self.scene.bring_back()

    # -- what a lesson asks of the window ----------------------------------------------------

    def apply_config(self, config):
        """A lesson step's configuration in the draft, then a new model of it."""
        window = self.window
        self.scene.focus(config.dataset)
        window.panel.set_batch_limit(config.batch_size)  # the old dataset's limit must not clip it
        window.panel.set_values(config.to_dict())
        return window.reset(quiet=True)

    def keep_run(self, lesson, step):
        # the run belongs to its step only once kept: its legend entries and the results;
        # the plots take the kept run, the older one set aside and the new scene at once
        with self.window.session.runs.batch():
            self.scene.keep(lesson, step)
            self.draw_kept_runs()
        self.show_results()

    def open_scene(self, key):
        """A lesson was chosen: the other runs are set aside (said, with the way back)."""
        with self.window.session.runs.batch():  # the plots drawn once, not once per change
            aside = self.scene.open(key)
            self.draw_kept_runs()
        self.show_results()
        if aside:
            self.window.statusBar().showMessage(tr(
                "{count} earlier runs set aside for this lesson: Lessons > Bring Back "
                "Set-Aside Runs shows them again.", count=aside), 15000)

    def show_views(self, plots, x_axis):
        """A lesson's views: its plots shown and the others hidden (View > Plots brings them
        back; a plot registered as ``always_shown`` stays), and its x axis."""
        window = self.window
        window.x_axis_combo.setCurrentIndex(window.x_axis_combo.findData(x_axis))
        if any(name in plots for name in window.plot_actions):
            for entry in registry.PLOTS:
                window.plot_actions[entry.name].setChecked(entry.name in plots
                                                           or entry.always_shown)

    def _set_pace(self, pace):
        combo = self.window.pace_combo
        combo.setCurrentIndex(combo.findData(pace))

    # -- kept runs, language, placement ------------------------------------------------------

    def draw_kept_runs(self):
        """Which kept runs the plots draw (the collection of runs' scene): while a lesson is
        open, the shown ones only, its own all named in the legends (issue 22)."""
        scene = self.scene
        lesson_runs = scene.runs_of(scene.lesson).values() if scene.lesson is not None else ()
        self.window.session.runs.set_scene(scene.lesson is not None,
                                           {kept.key for kept in lesson_runs})

    def show_results(self):
        lesson = self.panel.lesson
        self.panel.show_results(self.scene.runs_of(lesson.key) if lesson is not None else {})

    def retranslate(self):
        """The docks' titles and the lessons' menu entries in the current language (the
        window's ``retranslate`` calls this; the panel, landscape and explorer relabel
        themselves)."""
        for dock, (_name, title) in zip(self.docks.values(), DOCKS):
            dock.setWindowTitle(tr(title))
        for lesson in self.panel.lessons:
            self.actions[lesson.key].setText(lesson.title(i18n.language()))

    def place_all(self):
        """The window was resized: a docked lesson that now squeezes the plots floats."""
        for dock in self.docks.values():
            self.place(dock)

    def place(self, dock):
        """A lesson dock floats, as a window of its own beside the main one, when docked it
        would leave the plots less than :data:`PLOTS_BESIDE_DOCK` px of the window's width.

        Why floating rather than tabs or a growing window: the three docks already share one
        tabbed area, yet that area (370-580 px) beside the control panel left the plots 90 px
        view boxes and "valida…" legends at 1440 x 900, slivers at 1024 x 640; a window
        cannot grow past a small screen, and the plots are what a lesson asks the learner to
        watch. Floating, the lesson sits beside or over the window and the plots keep their
        size; on a wide window it docks, and a dock the user drags back in stays there until
        it is shown again.
        """
        window = self.window
        if not shiboken6.isValid(dock) or not dock.isVisible() or dock.isFloating():
            return
        width = max(dock.sizeHint().width(), LESSON_DOCK_WIDTH)
        if window.width() - width >= PLOTS_BESIDE_DOCK:
            return
        dock.setFloating(True)
        frame = window.frameGeometry()
        screen = (window.screen() or QtGui.QGuiApplication.primaryScreen()).availableGeometry()
        height = min(frame.height(), screen.height())
        x = frame.right() + 1
        if x + width > screen.right() + 1:  # no room beside: over the window's right edge
            x = max(screen.left(), screen.right() + 1 - width)
        dock.setGeometry(x, max(frame.top(), screen.top()), width, height)


__all__ = ["DOCKS", "LESSON_DOCK_WIDTH", "LessonDocks", "PLOTS_BESIDE_DOCK"]
