"""Runs drawn over a plot beside the current run (kept runs, a sweep's racing runs), and
the per-step plot they share."""

import contextlib

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore

from gui.buffers import X_MODES, StepAxis, kept_axis, kept_extent, kept_float32
from gui.i18n import tr
from gui.plots.curves import RunCurve, finite_extent
from gui.plots.style import X_LABELS, faded, style_plot, visible_span
from gui.plots.protocol import CURRENT_RUN, LivePlot
from gui.plots.end_labels import EndLabels
from gui.plots.fair_range import diverged_from, fair_end
from gui.plots.view import HoverReadout, RangeFollower


class RunOnPlot:
    """One run (kept or racing) as one plot shows it: its label, colour, visibility, data
    and items."""

    def __init__(self, label, color):
        self.label = str(label)
        self.color = tuple(int(c) for c in color[:3])
        self.visible = True
        self.listed = False  # its legend entry stays whatever the room (a lesson's run)
        self.items = []
        self.styles = []  # a Qt pen style per item
        self.extent = (np.inf, -np.inf, np.inf)  # finite min, max, smallest positive
        self.data = {}
        self.x = {}  # x mode -> x of every step, computed once (kept data do not change)
        self.version = 0  # counts set_run_data calls
        self.drawn = None  # (visible, version, x mode, span) as a StepPlot last drew them
        self.styled = None  # (colour, width) of the pens its items were last given


class RunOverlay(LivePlot):
    """A live plot that draws other runs (kept, racing) over the current one, each in its
    colour and named in the legend.

    Runs are keyed by any hashable. The current run comes from the session's events (the
    plot's own ``append``/``reset``); these methods add, fill, hide, highlight and remove the
    others. A plot class defines ``_run_items(run)`` (new pyqtgraph items for one run, the
    first of which the legend names) and ``show_run(key, steps, epochs)`` (which of a run's
    columns it draws), and calls ``_init_runs()``.
    """

    HIGHLIGHT_WIDTH = 3.0
    RUN_WIDTH = 1.0
    #: The names of a run's curves, in ``_run_items`` order (the hover readout says which
    #: series a compared run's point is on; empty: the run's name alone).
    RUN_SERIES = ()

    def _init_runs(self):
        self.runs = {}
        self.highlighted = None
        self._runs_changed = True
        self.end_labels = EndLabels(self, self._run_end)

    def curve_run(self, curve):
        """``(run label, series name or None)`` of a compared run's ``curve``; None for
        any other item (the current run's curves, decorations)."""
        for run in self.runs.values():
            if curve in run.items:
                index = run.items.index(curve)
                return run.label, (tr(self.RUN_SERIES[index])
                                   if index < len(self.RUN_SERIES) else None)
        return None

    def _run_end(self, run, x_max=np.inf):
        """Where ``run``'s curve ends in data coordinates, or its last point at or before
        ``x_max`` if it goes on past it: ``(x, y, epochs)``, ``epochs`` the run's length in
        epochs if it goes on (None if not); None: nowhere."""
        return None

    def add_run(self, key, label, color):
        """Show a run under ``key`` with ``label`` in the legend and an RGB ``color``.

        An existing ``key`` is replaced. Its data come with :meth:`set_run_data`.
        """
        if key in self.runs:
            self.remove_run(key)
        run = RunOnPlot(label, color)
        run.items, run.styles = self._run_items(run)
        item = self.getPlotItem()
        for curve in run.items:
            item.addItem(curve)
        item.legend.add_spare(run.items[0], run.label)
        self.runs[key] = run
        self._restyle_runs()
        self._runs_touched()

    def rename_run(self, key, label):
        """Give run ``key`` a new legend name in place (a relabel when runs come or go): as
        cheap as a text change, where removing and adding it again made its items anew."""
        run = self._run(key)
        label = str(label)
        if label != run.label:
            run.label = label
            self.getPlotItem().legend.rename(run.items[0], label)

    def list_run(self, key, listed=True):
        """List run ``key`` in the legend before the other kept runs (a lesson's runs: the
        legend takes more lines rather than count them in "+N more", up to
        gui.plots.legend.LISTED_SHARE of the plot), or let it give way again when the rows are
        full (False, as a run is added)."""
        run = self._run(key)
        listed = bool(listed)
        if listed != run.listed:
            run.listed = listed
            self.getPlotItem().legend.addItem(run.items[0], run.label, spare=not listed,
                                              listed=listed)

    def order_runs(self, keys):
        """Name the runs ``keys`` in the legend in that order (the other entries first)."""
        legend = self.getPlotItem().legend
        legend.order([self.runs[key].items[0] for key in keys if key in self.runs])

    def remove_run(self, key):
        """Take the run ``key`` off the plot and out of the legend."""
        run = self._run(key)
        del self.runs[key]
        item = self.getPlotItem()
        item.legend.removeItem(run.items[0])
        for curve in run.items:
            item.removeItem(curve)
        if self.highlighted == key:
            self.highlighted = None
        # the axes fit the runs left: Clear Kept Runs left 0-200,000 samples and loss 0-20
        self.follower.forget()
        self._restyle_runs()
        self._runs_touched()

    def set_run_visible(self, key, visible):
        """Show or hide the run ``key`` (it stays in the legend, greyed, while hidden)."""
        run = self._run(key)
        run.visible = bool(visible)
        for curve in run.items:
            curve.setVisible(run.visible)
        self.follower.forget()
        self._runs_touched()

    def highlight_run(self, key):
        """Draw run ``key`` wider and on top and fade the others; None: all as usual."""
        if key is not None:
            self._run(key)
        self.highlighted = key
        self._restyle_runs()

    def _run(self, key):
        try:
            return self.runs[key]
        except KeyError:
            raise KeyError(f"no run {key!r} on {self.objectName()}; add_run it first") from None

    def _visible_runs(self):
        return [run for run in self.runs.values() if run.visible and run.data]

    @contextlib.contextmanager
    def batch_runs(self):
        """Add, fill, show and remove many runs (a sweep's), restyled and redrawn once at the
        end: each of these calls alone restyles and redraws every run, so keeping a sweep's
        60 runs one by one took seconds of the GUI thread."""
        if getattr(self, "_batching", False):
            yield
            return
        self._batching = True
        try:
            with self.getPlotItem().legend.deferred():  # its rows laid out once, at the end
                yield
        finally:
            self._batching = False
            if getattr(self, "_restyle_pending", False):  # runs came, went or were highlighted
                self._restyle_runs()
            self._runs_touched()

    def _restyle_runs(self):
        if getattr(self, "_batching", False):
            self._restyle_pending = True
            return
        self._restyle_pending = False
        for key, run in self.runs.items():
            chosen = key == self.highlighted
            color = run.color if self.highlighted is None or chosen else faded(run.color)
            width = self.HIGHLIGHT_WIDTH if chosen else self.RUN_WIDTH
            if run.styled == (color, width):
                continue  # a new pen re-sends a curve's data: only the runs whose style changed
            run.styled = (color, width)
            for curve, style in zip(run.items, run.styles):
                curve.setPen(pg.mkPen(color, width=width, style=style))
                curve.setZValue(5 if chosen else 1)

    def _runs_touched(self):
        self._runs_changed = True
        self._dirty = True
        if not getattr(self, "_batching", False):
            self.redraw()


class StepPlot(RunOverlay):
    """A plot of per-step series: redrawn when marked dirty, at the detail its view needs.

    :meth:`redraw` first lets the range follow the data, then draws the visible part: each
    subclass defines ``_follow()``, ``_draw()``, ``describe(x, y)`` (the hover text) and
    ``_append_current(steps)`` (adds the current run's new steps, columns of equal length, to
    its series), and calls :meth:`_watch_view` last in its ``__init__``: from then on a pan or
    zoom redraws at once, since another range needs another level of detail
    (gui.buffers.SeriesPyramid).
    """

    #: The per-step column (gui.session.STEP_COLUMNS) a run shows here, and the name of
    #: set_run_data's argument that takes it.
    COLUMN = None
    RUN_FIELD = None

    def __init__(self, parent, object_name, title, y_label):
        super().__init__(parent)
        style_plot(self, object_name, title, tr(X_LABELS["step"]), y_label)
        self.axis = StepAxis()
        self.steps = self.axis.step
        self.x_mode = "step"
        self.expected_steps = 0
        # the current run's (plan()): a kept run far longer goes on past the right edge
        self.planned_epochs = 0
        self._dirty = False
        self._redrawing = False
        self._runs_drawn = None
        self._init_runs()
        self.follower = RangeFollower(self)
        self.hover = HoverReadout(self, self.describe)

    def set_expected_steps(self, steps):
        """The run's planned length: the x axis grows towards it (RangeFollower.fit)."""
        self.expected_steps = int(steps)
        self.axis.epoch_length = 0
        self._dirty = True

    def plan(self, run, epochs=None):
        """The run's planned steps (its epochs, or 0 until stopped, times the steps of one)."""
        epochs = epochs or run.facts.epochs or 0
        self.planned_epochs = epochs
        self.set_expected_steps(epochs * run.facts.steps_per_epoch)

    def show_run(self, key, steps, epochs):
        """Draw run ``key`` (added with :meth:`add_run`, or the current run) from its per-step
        columns."""
        if key == CURRENT_RUN:
            self._grow(steps)
            return
        self.set_run_data(key, steps["step"], steps["epoch"], samples=steps.get("samples"),
                          seconds=steps.get("seconds"), **{self.RUN_FIELD: steps[self.COLUMN]})

    def _grow(self, steps):
        """The current run's steps not drawn yet, from its columns (the whole run so far)."""
        start = len(self.axis)
        if len(steps["step"]) > start:
            self._append_current({name: column[start:] for name, column in steps.items()})

    def set_x_mode(self, mode):
        """Put "step", "epoch", "samples" (seen) or "seconds" (of training) on the x axis.

        A run without samples or seconds (chunks that did not carry them) is not drawn in
        that mode.
        """
        if mode not in X_MODES:
            raise ValueError(f"x mode must be one of {', '.join(X_MODES)}; received {mode!r}")
        self.x_mode = mode
        self.getPlotItem().setLabel("bottom", tr(X_LABELS[mode]))
        self.follower.forget()
        self._x_mode_changed()
        self._runs_touched()

    def _x_mode_changed(self):
        """Move what is placed by step (markers) to the new x; nothing by default."""

    def current_x(self):
        """The current run's x in the x mode (None if it lacks that mode)."""
        return self.axis.x(self.x_mode)

    def end_run(self):
        """The run is over: the x axis ends at its last point (it had room to grow)."""
        self._ended = True
        x_end = self._x_end()
        if np.isfinite(x_end):
            self.follower.end(x_end)

    def set_run_data(self, key, step, epoch, loss=None, learning_rate=None, samples=None,
                     seconds=None):
        """The whole per-step history of run ``key``: arrays of equal length.

        ``step``, ``epoch`` (1-based, per step) and this plot's series (``loss`` for the
        batch-loss plot, ``learning_rate`` for the learning-rate plot; the other is ignored,
        so one call's arguments fit both); ``samples`` and ``seconds`` when the run has them.
        """
        run = self._run(key)
        values = {"loss": loss, "learning_rate": learning_rate}[self.RUN_FIELD]
        if values is None:
            raise ValueError(f"{self.objectName()} draws {self.RUN_FIELD}; it was not given")
        # made once per run and shared by the plots (an opened run's on the worker already)
        values = kept_float32(values)
        lengths = {len(a) for a in (step, epoch, values, samples, seconds) if a is not None}
        if len(lengths) > 1:
            raise ValueError(f"run {key!r}: the per-step arrays differ in length {lengths}")
        axis = kept_axis(step, epoch, samples, seconds)
        run.data = {"axis": axis, "values": values, "pyramid": self._run_pyramid(values)}
        run.version += 1
        run.x = {}
        # a loss's blow-up is left out of the range (gui.plots.fair_range); a diverged run
        # stops at it, so its tame part is short
        blow_up = diverged_from(values) if self.RUN_FIELD == "loss" else None
        run.extent = kept_extent(values) if blow_up is None else finite_extent(values[:blow_up])
        self.follower.forget()
        self._runs_touched()

    def _run_items(self, run):
        return [RunCurve()], [QtCore.Qt.SolidLine]

    def _run_end(self, run, x_max=np.inf):
        x = self._run_x(run)
        values = run.data["pyramid"].view  # the drawn (smoothed) series
        if x is None or not len(x) or not len(values):
            return None
        if x.dtype.kind in "iu" and np.isfinite(x_max):
            x_max = np.floor(x_max).astype(x.dtype)  # a float key converts all of x to float
        # (searched only when the view clips the run: 10M steps took 120-400 ms each time)
        last = len(x) - 1 if x_max >= x[-1] else int(np.searchsorted(x, x_max, side="right")) - 1
        if last < 0:
            return None
        epochs = None
        if last < len(x) - 1 and np.isfinite(self._run_epochs(run)):
            epochs = round(self._run_epochs(run))
        return float(x[last]), float(values[last]), epochs

    def run_x(self, key):
        """The x of every step of run ``key`` in the x mode (None if it lacks that mode)."""
        return self._run_x(self._run(key))

    def _run_x(self, run):
        if self.x_mode not in run.x:
            run.x[self.x_mode] = run.data["axis"].x(self.x_mode)
        return run.x[self.x_mode]

    def _x_end(self):
        """The last x of the current run and the visible kept runs (NaN: no points)."""
        return float(np.fmax(self._current_end(), self._kept_end()))

    def _current_end(self):
        x = self.current_x()
        return float(x[-1]) if x is not None and len(x) else np.nan

    def _kept_end(self):
        """Where the kept runs the view fits end (with the current run and its plan), a run
        far longer than the others left out (gui.plots.fair_range): it goes on past the
        right edge."""
        runs = [(self._run_epochs(run), x[-1]) for run, x in (
            (run, self._run_x(run)) for run in self._visible_runs()) if x is not None and len(x)]
        return fair_end(runs, self.planned_epochs or np.nan)

    def _run_epochs(self, run):
        """How many epochs run ``run`` trained (fractional)."""
        if "epoch" not in run.x:
            run.x["epoch"] = run.data["axis"].x("epoch")
        epochs = run.x["epoch"]
        return float(epochs[-1]) if epochs is not None and len(epochs) else np.nan

    def _runs_y_extent(self, low, high, low_positive):
        """The current run's y extent widened by the visible kept runs'."""
        for run in self._visible_runs():
            if self._run_x(run) is not None:
                low = min(low, run.extent[0])
                high = max(high, run.extent[1])
                low_positive = min(low_positive, run.extent[2])
        return low, high, low_positive

    def _planned_x(self):
        """Where the current run's x will end: its planned steps, in the x mode's units (by
        its pace so far: epochs, samples and seconds grow with the steps); where it ended once
        it has, so a switch of x mode after the end does not double the axis again."""
        end = self._current_end()
        if getattr(self, "_ended", False) and np.isfinite(end):
            return end
        if self.x_mode == "step":
            return self.expected_steps
        steps = self.axis.step.view
        if self.expected_steps and len(steps) and steps[-1] > 0 and np.isfinite(end):
            return end * self.expected_steps / float(steps[-1])
        return 0

    def _draw_runs(self):
        """Each visible kept run at the detail the view needs, only when the view changed."""
        view = self.getPlotItem().vb
        drawn_for = (self.x_mode, tuple(map(tuple, view.viewRange())), int(view.width()))
        view_changed = drawn_for != self._runs_drawn
        if not self._runs_changed and not view_changed:
            return
        self._runs_changed, self._runs_drawn = False, drawn_for
        for run in self.runs.values():
            # only the runs whose points to draw changed: their data, visibility, x mode or
            # the part of them in view (a new range that still shows all of a run, as a
            # sweep's growing axes do, leaves it as it is: each new curve path cost a
            # millisecond or so a run, and dozens of kept runs were drawn anew each tick)
            if not view_changed and run.drawn is not None and run.drawn[:2] == (
                    run.visible, run.version):
                continue
            x = self._run_x(run) if run.visible and run.data else None
            span = None if x is None else visible_span(self, x)
            drawn = (run.visible, run.version, self.x_mode, span)
            if drawn == run.drawn:
                continue
            run.drawn = drawn
            if x is None:
                run.items[0].setData([], [])
                continue
            run.items[0].setData(*run.data["pyramid"].display(x, *span))

    def redraw(self):
        """Push the visible part of the buffers, one entry per pixel, if anything changed."""
        if not self._dirty or self._redrawing:
            return
        self._redrawing = True
        try:
            if np.isfinite(self._x_end()):
                self._follow()
            self._dirty = False  # after _follow: its range change needs no second redraw
            self._draw()
            self._draw_runs()
            self.end_labels.update()
        finally:
            self._redrawing = False

    def _watch_view(self):
        """Redraw on every range change (called once the subclass's curves exist)."""
        self.getPlotItem().vb.sigRangeChanged.connect(self._range_changed)

    def _range_changed(self, *args):
        self._dirty = True
        self.redraw()
