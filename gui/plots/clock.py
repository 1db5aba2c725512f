"""One frame clock for the live plots, at two cadences.

Batch-cadence plots (the batch loss) are redrawn at most every :data:`FAST_REDRAW_MS`, and
only when new batches arrived: a single-shot timer started by the data, so an idle window
wakes for nothing. Every plot (and whatever else subscribes to :attr:`FrameClock.slow`, such
as the status bar) is redrawn every :data:`SLOW_REDRAW_MS`, which also draws changes that
came without new batches. A plot hidden by the user or by its run is not redrawn; its changes
wait for it to be shown. A sweep's race (gui.race) draws its runs at :data:`RACE_REDRAW_MS`,
on a single-shot timer started by its runs' data (:meth:`FrameClock.wake_race`) in the same way.
"""

from PySide6 import QtCore

# 100 ms is about the delay still felt as immediate; against 66 ms it raised the app's speed
# at batch size 1 from 74-77% to 82% of headless (tests.benchmarks.gui_speed pairs, two runs
# each).
FAST_REDRAW_MS = 100
SLOW_REDRAW_MS = 400
#: A sweep's racing runs: the epoch plots' rate, and enough to see each run move. Each race
#: redraw hands every changed run's whole history to the plots that compare runs.
RACE_REDRAW_MS = 250


class FrameClock(QtCore.QObject):
    """Redraws ``plots`` (name -> (widget, cadence)) on two timers; see the module."""

    def __init__(self, plots, parent=None):
        super().__init__(parent)
        self.fast_plots = [plot for plot, cadence in plots.values() if cadence == "batch"]
        self.all_plots = [plot for plot, _cadence in plots.values()]
        self.slow_callbacks = []
        self.fast_timer = QtCore.QTimer(self)
        self.fast_timer.setSingleShot(True)
        self.fast_timer.setInterval(FAST_REDRAW_MS)
        self.fast_timer.timeout.connect(self.fast)
        self.slow_timer = QtCore.QTimer(self)
        self.slow_timer.setInterval(SLOW_REDRAW_MS)
        self.slow_timer.timeout.connect(self.slow)
        self.race_callbacks = []
        self.race_timer = QtCore.QTimer(self)
        self.race_timer.setSingleShot(True)
        self.race_timer.setInterval(RACE_REDRAW_MS)
        self.race_timer.timeout.connect(self.race)

    def bind(self, session):
        """New batches of the session's run start the fast timer (if it is not running)."""
        session.progressed.connect(self._progressed)

    def _progressed(self, _run, progress):
        if len(progress.chunk.step) and not self.fast_timer.isActive():
            self.fast_timer.start()

    def on_slow(self, callback):
        """Call ``callback()`` after each slow redraw."""
        self.slow_callbacks.append(callback)

    def on_race(self, callback):
        """Call ``callback()`` on each race tick (:meth:`wake_race` asks for the next)."""
        self.race_callbacks.append(callback)

    def wake_race(self):
        """A sweep's run changed: a race tick within :data:`RACE_REDRAW_MS` (if none is due)."""
        if not self.race_timer.isActive():
            self.race_timer.start()

    def start(self):
        self.slow_timer.start()

    def stop(self):
        self.fast_timer.stop()
        self.slow_timer.stop()
        self.race_timer.stop()

    def fast(self):
        """Redraw the batch-cadence plots."""
        for plot in self.fast_plots:
            if not plot.isHidden():
                plot.redraw()

    def slow(self):
        """Redraw every plot, then the slow subscribers."""
        for plot in self.all_plots:
            if not plot.isHidden():
                plot.redraw()
        for callback in self.slow_callbacks:
            callback()

    def race(self):
        """Redraw a sweep's racing runs (the race's callbacks)."""
        for callback in self.race_callbacks:
            callback()


__all__ = ["FAST_REDRAW_MS", "FrameClock", "RACE_REDRAW_MS", "SLOW_REDRAW_MS"]
