"""The Runs dock: the run table (``runTable``) and the runs' curves over the comparison plots
(the drawer, :class:`gui.plots.drawer.RunOverlays`), both reading the session's collection of
runs (``session.runs``).

Kept runs are saved as they change, not only at close: a crash or a kill loses none.
"""

from PySide6 import QtCore, QtWidgets

from gui import glossary
from gui.plots import registry
from gui.plots.drawer import RunOverlays
from gui.runs import CURRENT_KEY, RunTable, table_rows
from gui.window_settings import problems_text

# The run table's row for the current run follows a running fit every third slow redraw.
TABLE_EVERY_TICKS = 3


class RunsDock:
    """The run table in a dock of ``window`` (bottom area), and the drawer of its runs; ``window`` gives its session, settings, plots, clock, jobs, lessons and status
    bar."""

    def __init__(self, window):
        self.window = window
        session = window.session
        self.overlays = RunOverlays([window.plots[entry.name] for entry in registry.PLOTS
                                     if entry.compares], window.clock)
        self.overlays.bind(session.runs)  # every run of the session, the current one too
        self.table = RunTable()
        self.table.visibilityToggled.connect(session.set_visible)
        self.table.runSelected.connect(
            lambda key: self.overlays.highlight(None if key == CURRENT_KEY else key))
        self.dock = QtWidgets.QDockWidget("Runs", window)
        self.dock.setObjectName("runsDock")
        self.dock.setWidget(self.table)
        window.addDockWidget(QtCore.Qt.BottomDockWidgetArea, self.dock)
        session.kept_changed.connect(self._on_kept_changed)
        session.run_ended.connect(lambda *_args: self.fill())
        self._slow_ticks = 0

    def fill(self):
        """The table's rows from the session now."""
        self.table.fill(table_rows(self.window.session))

    def follow(self):
        """A slow tick of the frame clock: while a run trains, its row every few ticks."""
        self._slow_ticks += 1
        if self.window.jobs.fit_active and self._slow_ticks % TABLE_EVERY_TICKS == 0:
            self.fill()

    def remove_selected(self):
        """Run > Remove Selected Run (the current run's row is not a kept run)."""
        key = self.table.selected_key()
        if key is not None and key != CURRENT_KEY:
            self.window.session.remove_kept(key)

    def clear(self):
        """Run > Clear Kept Runs."""
        self.window.session.clear_kept()

    def _on_kept_changed(self):
        window = self.window
        problems = window.session.save_kept(window.settings.data_folder("kept-runs"))
        if problems:
            window.statusBar().showMessage(problems_text(problems), 15000)
        window.lessons.draw_kept_runs()
        self.fill()
        window.lessons.show_results()

    def retranslate(self):
        """The dock's title and the runs' legend names in the current language (the window's
        ``retranslate`` calls this: neither is a widget of its own)."""
        self.dock.setWindowTitle(glossary.ui_text("runs_dock"))
        self.overlays.retranslate()


__all__ = ["RunsDock", "TABLE_EVERY_TICKS"]
