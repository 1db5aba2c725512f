"""What the four instrument views share: they draw the measurements the worker made
(gui.live_instruments) from the current run's table, and a kept run's from its own.

The current run's measurements are the session's copy (``CurrentRun.instruments``, an
``engine.history.InstrumentTable``); a kept run's come as ``KeptRun.instruments`` through
:meth:`InstrumentPlot.show_instruments` (gui.plots.drawer.RunOverlays.draw). Nothing is computed
here beyond choosing what to draw: every number is the engine's.
"""

import math
import time

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore

from gui.plots.curves import finite_extent
from gui.plots.legend import side_legend
from gui.plots.log_ticks import fine_log_ticks
from gui.plots.overlay import RunOverlay
from gui.plots.style import cache_painting, style_plot
from gui.plots.view import HoverReadout, RangeFollower


# While a run trains, a view is redrawn at most this often (the frame clock asks 2.5 times a
# second): with the four views shown, redrawing each at the clock's pace took the default run
# at full speed from 0.58 to 0.84 s of GUI-thread CPU time over five runs
# (tests/benchmarks/instrument_views.py).
TRAINING_REDRAW_SECONDS = 1.0


def columns(table, names):
    """``{"step", "epoch", name: values}`` of the rows of ``table`` (an InstrumentTable or
    ``InstrumentTable.rows``'s dict) where any of ``names`` was measured; None if none was."""
    if table is None:
        return None
    known = [name for name in names if name in _names(table)]
    if not known or not len(table["step"] if isinstance(table, dict) else table.step):
        return None
    step = np.asarray(table["step"] if isinstance(table, dict) else table.step)
    epoch = np.asarray(table["epoch"] if isinstance(table, dict) else table.epoch)
    values = {name: np.asarray(table[name], dtype=np.float64) for name in known}
    rows = np.zeros(len(step), dtype=bool)
    for column in values.values():
        rows |= ~np.isnan(column)
    if not rows.any():
        return None
    result = {"step": step[rows], "epoch": epoch[rows]}
    result.update((name, column[rows]) for name, column in values.items())
    return result


def _names(table):
    return list(table) if isinstance(table, dict) else table.columns


class InstrumentPlot(RunOverlay):
    """A live plot of instrument measurements; kept runs drawn from theirs.

    A subclass sets :attr:`COLUMNS` (the table columns it reads), builds its items in
    ``__init__`` and defines ``_draw_current(data)`` (``data`` from :func:`columns`, or None:
    clear), ``_run_items(run)`` and ``_draw_run(run)`` (``run.data`` the same), ``_extent()``
    (x_max, y_min, y_max of what is drawn; or its own ``_fit_range``) and ``describe(x, y)``;
    ``_label_points(run)`` to name compared runs where their curves end, as the loss plots do.
    """

    COLUMNS = ()
    LOG_Y = False

    def __init__(self, object_name, title, x_label, y_label, parent=None):
        super().__init__(parent)
        item = style_plot(self, object_name, title, x_label, y_label)
        self.legend = side_legend(item)
        if self.LOG_Y:
            item.setLogMode(False, True)
            fine_log_ticks(item.getAxis("left"))  # a narrow range got one tick label
        self.run = None
        self._dirty = False
        self._drawn_at = -math.inf
        self._init_runs()
        self.follower = RangeFollower(self)
        self.hover = HoverReadout(self, self.describe)

    def add_item(self, graphics_item, name=None):
        """Add a pyqtgraph item to the view (and ``name`` to the legend)."""
        self.getPlotItem().addItem(graphics_item)
        if name is not None:
            self.legend.addItem(graphics_item, name)
        cache_painting(graphics_item)
        return graphics_item

    # -- the live-plot protocol ----------------------------------------------------------

    def start_run(self, run):
        # the range follows once the new run's first measurement is drawn: a neutral range
        # now (the follower's start_over) cost each view a repaint as a run starts
        self.run = run
        self.follower.forget()
        self._dirty = True

    def take_progress(self, run, progress):
        chunk = progress.chunk
        if getattr(chunk, "instruments", None) or self._wants(chunk):
            self._dirty = True

    def _wants(self, chunk):
        """Whether ``chunk`` changes what is drawn besides its instrument rows."""
        return False

    def end_run(self):
        self._dirty = True

    def current(self):
        """The current run's measurements of :attr:`COLUMNS` (:func:`columns`), or None."""
        return columns(None if self.run is None else self.run.instruments, self.COLUMNS)

    def redraw(self):
        """Draw the new measurements; while the run trains at most every
        :data:`TRAINING_REDRAW_SECONDS` (they come at epoch ends, and each redraw of a view is
        a new range and axes: about 10 ms of the GUI thread, and of the GIL the training
        needs)."""
        if not self._dirty:
            return
        now = time.monotonic()
        if (self.run is not None and self.run.active
                and now - self._drawn_at < TRAINING_REDRAW_SECONDS):
            return
        self._drawn_at = now
        self._dirty = False
        self._draw_current(self.current())
        self._fit_range()
        self.end_labels.update()

    def _fit_range(self):
        """Follow the data (the x axis from step 0 to the last measurement or step)."""
        x_max, y_min, y_max = self._extent()
        if np.isfinite([x_max, y_min, y_max]).all():
            self.follower.fit(x_max, y_min, y_max, log_y=self.LOG_Y, margin=0.08,
                              x_planned=self._planned_steps(x_max))

    def _planned_steps(self, x_max):
        """Where the x axis may grow to: the run's planned steps, its last one once over."""
        run = self.run
        if run is None or run.finished or not run.facts.epochs:
            return x_max
        return max(x_max, run.facts.epochs * run.facts.steps_per_epoch)

    # -- other runs (kept): gui.plots.drawer.RunOverlays -----------------------------------------

    def show_run(self, key, steps, epochs):
        """A run's per-step and per-epoch columns: these plots draw its instruments only
        (:meth:`show_instruments`)."""

    def show_instruments(self, key, table):
        """Draw run ``key``'s measurements (``InstrumentTable.rows``'s dict; ``{}``: none)."""
        run = self._run(key)
        run.data = columns(table, self.COLUMNS) or {}
        run.version += 1
        self._draw_run(run)
        self.follower.forget()
        self._runs_touched()

    def _run_end(self, run, x_max=np.inf):
        """Where a compared run is named (gui.plots.end_labels): the last of its
        :meth:`_label_points` at or before ``x_max`` (on a log axis, the last positive one)."""
        points = self._label_points(run) if run.data else None
        if points is None:
            return None
        x, y = (np.asarray(values, dtype=np.float64) for values in points)
        with np.errstate(invalid="ignore"):
            usable = np.isfinite(x) & np.isfinite(y) & (x <= x_max)
            if self.LOG_Y:
                usable &= y > 0
        if not usable.any():
            return None
        last = int(np.flatnonzero(usable)[-1])
        return float(x[last]), float(y[last]), None

    def _label_points(self, run):
        """``(x, y)`` of the points of ``run``'s curve (its ``data`` set), the last of which
        carries its name; None: it is not named."""
        return None

    def _visible_data(self):
        """The data of the visible kept runs that have some."""
        return [run.data for run in self._visible_runs()]


def y_extent(arrays, log):
    """(low, high) of the finite values of ``arrays`` (positive ones on a log axis); NaN, NaN
    if there are none."""
    low, high, low_positive = finite_extent(*arrays) if arrays else (np.inf, -np.inf, np.inf)
    if log:
        low = low_positive
    return (low, high) if low <= high else (np.nan, np.nan)


def dashed(color, width=1.5):
    return pg.mkPen(color, width=width, style=QtCore.Qt.DashLine)


__all__ = ["InstrumentPlot", "columns", "dashed", "y_extent"]
