"""The five live plots: batch loss, epoch loss, accuracy, learning rate and data/model view.

Every plot keeps its series in growable NumPy buffers and reuses one curve item per series
(``setData``, never ``clear``). Appending only marks a plot dirty; the main window's timers
call :meth:`redraw` up to 10 times a second for the batch plots and a few times a second for
the heavy views, so the GUI thread takes little time (and GIL) from the trainer. The per-step
series are :class:`gui.buffers.SeriesPyramid` s: a redraw hands pyqtgraph about one entry per
pixel of the visible range, whatever the length of the run.
"""

import contextlib
import math

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from engine.history import GrowableArray
from gui import qt_owner
from gui.buffers import X_MODES, DebiasedEMA, SeriesPyramid, StepAxis
from gui.i18n import QT_TR_NOOP, tr
from gui.views import _VIRIDIS

pg.setConfigOptions(background="w", foreground="k", antialias=False)
qt_owner.install()  # every plot's menus are deleted with it, never by the collector

CLASS_COLORS = np.array([
    (245, 147, 34), (8, 119, 189), (44, 160, 44), (214, 39, 40), (148, 103, 189),
    (140, 86, 75), (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207),
], dtype=np.float64)
TRAIN_COLOR = (31, 119, 180)
VAL_COLOR = (214, 39, 40)
MAX_EPOCH_LINES = 100
# Fewer on-screen pixels than this between epoch starts and the boundary lines are thinned.
MIN_EPOCH_LINE_SPACING = 24


RUN_PALETTE = np.array([
    (31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189),
    (140, 86, 75), (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207),
], dtype=np.float64)
X_LABELS = {"step": QT_TR_NOOP("step"), "epoch": QT_TR_NOOP("epoch"),
            "samples": QT_TR_NOOP("samples seen"), "seconds": QT_TR_NOOP("training seconds")}


def class_color(index):
    """Return the RGB tuple used for class ``index``."""
    return tuple(int(c) for c in CLASS_COLORS[index % len(CLASS_COLORS)])


def run_color(index):
    """The colour of run number ``index`` (0, 1, ...): ten hues, each later round darker."""
    rounds, hue = divmod(int(index), len(RUN_PALETTE))
    return tuple(int(c) for c in RUN_PALETTE[hue] * 0.7 ** rounds)


def faded(color, amount=0.7):
    """``color`` mixed with white by ``amount``: an opaque look of a translucent line.

    Translucent pens make Qt stroke a long curve as one polygon, many times slower.
    """
    return tuple(int(round(c + (255 - c) * amount)) for c in color[:3])


class HoverReadout:
    """Shows the value under the mouse as a small text box next to the cursor.

    Parameters
    ----------
    plot_widget : pg.PlotWidget
        The plot to watch.
    describe : callable
        ``describe(x, y) -> str or None`` in data coordinates; None hides the readout.
    """

    def __init__(self, plot_widget, describe):
        self._plot = plot_widget.getPlotItem()
        self._describe = describe
        self.text_item = pg.TextItem(anchor=(0, 1), color=(20, 20, 20),
                                     fill=pg.mkBrush(255, 255, 240, 225),
                                     border=pg.mkPen(120, 120, 120))
        self.text_item.setZValue(1000)
        self.text_item.hide()
        self._plot.addItem(self.text_item, ignoreBounds=True)
        plot_widget.scene().sigMouseMoved.connect(self._moved)

    def _moved(self, scene_pos):
        view = self._plot.vb
        if not view.sceneBoundingRect().contains(scene_pos):
            self.text_item.hide()
            return
        point = view.mapSceneToView(scene_pos)
        x, y = point.x(), point.y()
        log_x, log_y = self._plot.ctrl.logXCheck.isChecked(), self._plot.ctrl.logYCheck.isChecked()
        text = self._describe(10 ** x if log_x else x, 10 ** y if log_y else y)
        if text is None:
            self.text_item.hide()
            return
        self.text_item.setText(text)
        # Keep the box inside the view: flip the anchor in the right half / top quarter.
        (x0, x1), (y0, y1) = view.viewRange()
        self.text_item.setAnchor((1 if x > (x0 + x1) / 2 else 0, 0 if y > y0 + 0.75 * (y1 - y0)
                                  else 1))
        self.text_item.setPos(x, y)
        self.text_item.show()


class RangeFollower:
    """Keeps a view's range around the data with few changes instead of autoranging.

    Autorange would change the range (and repaint again) on most redraws; this only changes it
    when the data leave the current range. A user's pan or zoom stops the following; the
    plot's "A" button resumes it.
    """

    def __init__(self, plot_widget):
        self._plot = plot_widget.getPlotItem()
        self._view = self._plot.vb
        self._view.disableAutoRange()
        self.following = True
        self._x_range = None
        self._y_range = None
        self._y_data = None  # the data's own extent; the range adds the margin to it once
        self._view.sigRangeChangedManually.connect(self._stop_following)
        self._plot.autoBtn.clicked.connect(self.resume)

    def _stop_following(self, *args):
        self.following = False

    def resume(self):
        """Follow the data again (called by the "A" button after pyqtgraph's own handler)."""
        self._view.disableAutoRange()
        self.following = True
        self.forget()

    def forget(self):
        """Start from scratch on the next :meth:`fit` (new data, new axis mode)."""
        self._x_range = None
        self._y_range = None
        self._y_data = None

    def start_over(self, y_range=(0.0, 1.0)):
        """Follow again from an empty plot: a neutral range, none of the last run's.

        A reset used to keep whatever range the last run had left (2e22 after a divergence)
        until the first new point arrived.
        """
        self.following = True
        self.forget()
        self._view.setRange(xRange=(0.0, 1.0), yRange=y_range, padding=0)

    def end(self, x_end):
        """The data end at ``x_end`` for good: the x range stops there, not at its doubling."""
        if self.following and self._x_range is not None and np.isfinite(x_end):
            self._x_range = (0.0, max(float(x_end), 1.0))
            self._view.setXRange(*self._x_range, padding=0)

    def fit(self, x_max, y_min, y_max, log_y=False, margin=0.05, x_planned=0, x_kept=0):
        """Make sure [0, x_max] x [y_min, y_max] is visible, changing the range only if needed.

        The x range doubles when the data reach its end, up to ``x_planned`` (the run's planned
        length): a short run is drawn on its final axis at once, and a long one still fills
        the plot instead of sitting in the first pixels of an axis sized for the whole plan.
        ``x_kept`` is where finished (kept) runs end: the range reaches it, without doubling.
        ``x_max`` NaN: no current run, the kept runs alone set the x range.
        """
        if not np.isfinite(x_max):
            x_max, x_planned = x_kept, x_kept
        if not self.following or not np.isfinite([x_max, x_kept, y_min, y_max]).all():
            return
        if log_y:
            if y_max <= 0:
                return
            y_min = np.log10(y_min) if y_min > 0 else np.log10(y_max) - 1
            y_max = np.log10(y_max)
        x_max = max(float(x_max), 1.0)
        change_x = self._x_range is None or max(x_max, x_kept) > self._x_range[1]
        change_y = (self._y_range is None or y_min < self._y_range[0]
                    or y_max > self._y_range[1])
        if not (change_x or change_y):
            return
        if change_x:
            planned = float(x_planned) if x_planned else math.inf
            self._x_range = (0.0, max(x_max, min(2 * x_max, planned), float(x_kept)))
        if change_y:
            if self._y_data is not None:
                y_min, y_max = min(y_min, self._y_data[0]), max(y_max, self._y_data[1])
            self._y_data = (y_min, y_max)
            span = max(y_max - y_min, abs(y_max) * 1e-3, 1e-12)
            self._y_range = (y_min - margin * span, y_max + margin * span)
        self._view.setRange(xRange=self._x_range, yRange=self._y_range, padding=0)


#: Points drawn per set (train, validation) on the data plot. A 100,000-row CSV drawn whole
#: took 1.1 s to hand to pyqtgraph (per-point brushes) and shows a solid blob; a fixed random
#: sample of this many shows the same shape. Views and counts still use every point.
MAX_DRAWN_POINTS = 5000


def drawn_sample(*arrays, limit=MAX_DRAWN_POINTS):
    """The rows of ``arrays`` (same length) to draw: all of them up to ``limit``, else a fixed
    random sample of ``limit`` rows in their original order (the same on every call)."""
    count = len(arrays[0])
    if count <= limit:
        return arrays
    keep = np.sort(np.random.default_rng(0).choice(count, size=limit, replace=False))
    return tuple(array[keep] for array in arrays)


def _one_per_colour(make, colors):
    """A pen or brush per point from ``make(rgb)``, one object per distinct colour.

    pyqtgraph renders and caches a scatter symbol per pen/brush *object*: a new brush per point
    rendered 2,000 symbols for the circle dataset (86 ms of the 160 ms that Start took).
    """
    unique, inverse = np.unique(np.asarray(colors).astype(int), axis=0, return_inverse=True)
    made = [make(tuple(int(v) for v in colour)) for colour in unique]
    return [made[index] for index in inverse.ravel()]


def visible_span(widget, x):
    """Indices ``[start, stop)`` of the increasing ``x`` inside the view, and a point budget.

    The budget is the view's width in pixels (at least 256, for a widget not laid out yet).
    """
    item = widget.getPlotItem()
    (x0, x1), _ = item.vb.viewRange()
    if item.ctrl.logXCheck.isChecked():
        x0, x1 = 10.0 ** min(x0, 300.0), 10.0 ** min(x1, 300.0)
    if x.dtype.kind == "i":
        # integer keys: a float key would make NumPy convert all of x (1 ms at 1M steps)
        limit = float(2 ** 62)
        x0 = x.dtype.type(math.ceil(min(max(x0, -limit), limit)))
        x1 = x.dtype.type(math.floor(min(max(x1, -limit), limit)))
    start = int(np.searchsorted(x, x0, side="left"))
    stop = int(np.searchsorted(x, x1, side="right"))
    return start, stop, max(256, int(item.vb.width()))


#: Pixels a tick label may reach past the end of its axis (the first and last label of the x
#: axis are centred on the view's edges); the plot's margins leave room for them.
TICK_OVERHANG = 14
#: Pixels of empty space right of each plot, so no plot's last label touches its neighbour
#: or the window's edge.
RIGHT_MARGIN = 10
#: Pixels kept between two tick labels of an axis.
TICK_LABEL_GAP = 2


def _spread_labels(axis):
    """Make ``axis`` leave out any tick label that would overlap one already placed.

    pyqtgraph always labels the top level of ticks however little room there is, so on a
    short axis "0", "0.2", ..., "1.0" were drawn on top of each other, and on a log axis the
    minor ticks' labels (2-9 per decade) piled up at the top of each decade. The specs come
    level by level, major ticks first, so the ticks that keep their labels are the round ones.
    """
    generate = axis.generateDrawSpecs

    def spread(painter):
        specs = generate(painter)
        if specs is None:
            return None
        axis_spec, tick_specs, text_specs = specs
        placed = []
        for spec in text_specs:
            padded = spec[0].adjusted(-TICK_LABEL_GAP, -TICK_LABEL_GAP / 2, TICK_LABEL_GAP,
                                      TICK_LABEL_GAP / 2)
            if not any(padded.intersects(other[0]) for other in placed):
                placed.append(spec)
        return axis_spec, tick_specs, placed

    axis.generateDrawSpecs = spread


def _style(widget, object_name, title, x_label, y_label):
    """Common look: objectName, title, axis labels (no SI-prefix rescaling), light grid,
    tick labels that never overlap, room for the outermost ones."""
    widget.setObjectName(object_name)
    item = widget.getPlotItem()
    item.setTitle(title, size="10pt")
    item.setLabel("bottom", x_label)
    item.setLabel("left", y_label)
    for side in ("left", "bottom"):
        item.getAxis(side).enableAutoSIPrefix(False)
    for side in ("left", "bottom", "right"):
        axis = item.getAxis(side)
        axis.setStyle(hideOverlappingLabels=TICK_OVERHANG)
        _spread_labels(axis)
    left, top, _right, bottom = item.layout.getContentsMargins()
    item.layout.setContentsMargins(left, top, RIGHT_MARGIN + TICK_OVERHANG // 2, bottom)
    item.showGrid(x=False, y=False)
    cache_painting(*(item.getAxis(side) for side in ("left", "bottom", "top", "right")),
                   item.titleLabel)
    widget.setMinimumSize(160, 130)
    return item


class RowLegend(pg.LegendItem):
    """A legend in its own row of the plot's layout, between the title and the view box.

    pyqtgraph's legend floats over the view and covered curves and points wherever it was
    anchored; a column of its own right of the view (the next try) took 80-90 px of a plot's
    width and was cut off at the window's edge on small windows. In a row the entries flow
    side by side, as many to a line as the view is wide, and cost one text line of height.
    """

    def __init__(self, plot_item):
        super().__init__(offset=None, labelTextSize="8pt", verSpacing=-6, horSpacing=6)
        self.layout.setContentsMargins(2, 0, 2, 0)
        self._plot_item = plot_item
        self._entries = []  # (item, name, spare) in the order given
        self._made = {}  # id(item) -> its (sample, label), made once
        self._fitted = None  # (room, labels, texts) the names were last cut for
        self._hidden = 0
        self._more_sample = None
        self._rows_allowed = None
        self._deferring = False  # within deferred(): layout and count wait for its end
        self._relayout_pending = False
        self._count_pending = False
        policy = QtWidgets.QSizePolicy.Policy
        self.setSizePolicy(policy.Maximum, policy.Fixed)
        # the top axis's cell: no plot here shows a top axis, so it leaves the layout
        plot_item.layout.removeItem(plot_item.getAxis("top"))
        plot_item.layout.addItem(self, 1, 1)
        plot_item.layout.setAlignment(self, QtCore.Qt.AlignHCenter | QtCore.Qt.AlignBottom)
        # The widget's size, not the item's: an item cannot shrink below its layout's
        # minimum, so a legend too wide for the new size would never hear of it.
        view = plot_item.getViewWidget()
        if isinstance(view, pg.GraphicsView):
            view.sigDeviceRangeChanged.connect(self.fit_columns)
        plot_item.geometryChanged.connect(self.fit_columns)

    def _entry_width(self, sample, label):
        return (sample.boundingRect().width() + label.item.boundingRect().width()
                + 2 * self.layout.horizontalSpacing() + 4)

    def fit_columns(self, *_args):
        """As many entries to a line as fit over the view box (at least one)."""
        if not self.items:
            return
        self._fit_labels()
        room = self._room()
        widest = max(self._entry_width(sample, label) for sample, label in self.items)
        columns = int(min(max(room // max(widest, 1.0), 1), len(self.items)))
        rows_allowed = self.max_rows()
        if rows_allowed != self._rows_allowed and (
                self._hidden or len(self._entries) > columns * rows_allowed):
            self._rows_allowed = rows_allowed  # a new height: choose the entries again
            self._relayout()
            return
        self._rows_allowed = rows_allowed
        if columns == self.columnCount:
            return
        self.setColumnCount(columns)
        self.updateGeometry()
        item = self._plot_item
        view = item.getViewWidget()
        if view is not None and getattr(view, "centralWidget", None) is item:
            # the item was held at the old legend's minimum width: give it the view's again
            item.layout.invalidate()
            item.setGeometry(view.range)

    def _room(self):
        """The width the legend may take: the view box's, between the axes."""
        item = self._plot_item
        view = item.getViewWidget()  # the item itself can be stretched by a too-wide legend
        width = view.width() if view is not None else item.width()
        return width - sum(item.getAxis(side).width() for side in ("left", "right")
                           if item.getAxis(side).isVisible()) - RIGHT_MARGIN - TICK_OVERHANG

    @staticmethod
    def _full_name(label):
        """A label's whole name: as given, unless someone (a language change) set a new one."""
        if getattr(label, "shown_text", None) is not None and label.text == label.shown_text:
            return label.full_text
        return label.text

    def _fit_labels(self):
        """An entry wider than the room is cut with "…" (its whole name is its tooltip): a
        long kept-run label had stretched the plot past its widget and clipped its axes.
        Nothing to do while the room and the entries stay as they were (a view-range change
        during training calls this through fit_columns)."""
        room = self._room()
        fitted = (room, tuple(id(label) for _sample, label in self.items),
                  tuple(label.text for _sample, label in self.items))
        if fitted == self._fitted:
            return
        for sample, label in self.items:
            name = self._full_name(label)
            label.full_text = name
            limit = room - sample.boundingRect().width() - 2 * self.layout.horizontalSpacing() - 4
            metrics = QtGui.QFontMetricsF(label.item.font())
            shown = (name if metrics.horizontalAdvance(name) <= limit else
                     metrics.elidedText(name, QtCore.Qt.ElideRight, max(limit, 20.0)))
            if shown != label.text:
                label.setText(shown)
            label.shown_text = shown
            tip = name if shown != name else ""
            if label.toolTip() != tip:
                label.setToolTip(tip)
        self._fitted = (room, fitted[1], tuple(label.text for _sample, label in self.items))

    def addItem(self, item, name, spare=False):
        """Name ``item``; a ``spare`` entry (a kept run) gives way when the rows are full."""
        known = any(entry[0] is item for entry in self._entries)
        self._entries = [entry for entry in self._entries if entry[0] is not item]
        self._entries.append((item, name, spare))
        if spare and not known and self._hidden:
            # the rows are full and a new spare entry comes last: only the count changes
            # (a sweep keeps runs by the dozen, and each relayout cost 4 ms a plot)
            self._count_hidden(self._hidden + 1)
            return
        self._relayout()

    @contextlib.contextmanager
    def deferred(self):
        """Changes inside lay the rows out and write the "+N more" count once, at the end:
        each addItem or removeItem lays out every row (5 ms at 60 rows), and a sweep keeps
        runs by the batch."""
        if self._deferring:
            yield
            return
        self._deferring = True
        try:
            yield
        finally:
            self._deferring = False
            if self._relayout_pending:
                self._relayout()
            elif self._count_pending:
                self._show_count()

    def _count_hidden(self, hidden):
        self._hidden = hidden
        if self._deferring:
            self._count_pending = True
            return
        self._show_count()

    def _show_count(self):
        self._count_pending = False
        hidden = self._hidden
        more = self._made.get(id(self._more_sample))
        more[1].setText(tr("+{count} more (see Runs)", count=hidden))
        more[1].shown_text = None
        self._fitted = None
        self.fit_columns()

    def rename(self, item, name):
        """Give ``item``'s entry a new name in place: no relayout of every entry (10 ms at
        22 entries) when only a text changes, as the best epoch's does at each epoch end."""
        pair = self._made.get(id(item))
        if pair is None or pair not in self.items:
            self._entries = [(entry, name if entry is item else old, spare)
                             for entry, old, spare in self._entries]
            self._relayout()
            return
        self._entries = [(entry, name if entry is item else old, spare)
                         for entry, old, spare in self._entries]
        pair[1].setText(name)
        pair[1].shown_text = None
        self.fit_columns()

    def add_spare(self, item, name):
        self.addItem(item, name, spare=True)

    def removeItem(self, item):
        gone = [entry for entry in self._entries if entry[0] is item
                or (isinstance(item, str) and entry[1] == item)]
        if not gone:  # not in the legend (PlotItem.removeItem asks for every item)
            return
        shown = {id(sample.item) for sample, _label in self.items}
        self._entries = [entry for entry in self._entries if entry not in gone]
        if (self._hidden > len(gone) and all(entry[2] for entry in gone)
                and not any(id(entry[0]) in shown for entry in gone)):
            # spare entries the legend did not show: only the count changes
            for entry in gone:
                pair = self._made.pop(id(entry[0]), None)
                if pair is not None:
                    self._discard(*pair)
            self._count_hidden(self._hidden - len(gone))
            return
        self._relayout()

    def clear(self):
        self._entries = []
        self._relayout()

    def max_rows(self):
        """Lines the legend may take: LEGEND_SHARE of the plot's height, at least one."""
        view = self._plot_item.getViewWidget()
        height = view.height() if view is not None else self._plot_item.height()
        return max(1, int(LEGEND_SHARE * height // LEGEND_ROW_HEIGHT))

    @property
    def hidden_count(self):
        """Spare entries left out for want of room (the "+N more" entry counts them)."""
        return self._hidden

    def _relayout(self):
        """Lay the entries out again: the essential ones (the current run's curves, the best
        epoch) first, then the spare ones (kept runs) as far as ``max_rows`` lines allow, the
        rest counted in a last "+N more" entry (the run table lists every run).

        An entry's sample and label are made once and reused: making them anew for every
        entry on each change cost 2 ms an entry, and closed items by the dozen.
        """
        if self._deferring:
            self._relayout_pending = True
            return
        self._relayout_pending = self._count_pending = False  # the count comes with the rows
        # names changed on the labels since they were given (a language change relabels
        # them in place) are the names from now on
        current = {id(sample.item): self._full_name(label) for sample, label in self.items}
        self._entries = [(item, current.get(id(item), name), spare)
                         for item, name, spare in self._entries]
        for index in range(self.layout.count() - 1, -1, -1):
            self.layout.removeAt(index)
        made = self._made
        wanted = {id(item) for item, _name, _spare in self._entries}
        if self._more_sample is not None:
            wanted.add(id(self._more_sample))
        for key in [key for key in made if key not in wanted]:
            self._discard(*made.pop(key))
        self.items = []
        self._hidden = 0
        self.columnCount = -1  # makes fit_columns rebuild the rows
        self.rowCount = 1
        entries = self._entries
        if not entries:
            for pair in made.values():
                self._show_pair(pair, False)
            self.columnCount = 1
            self.updateSize()
            self.updateGeometry()
            return
        self._layout_entries()

    def _pair(self, item, name):
        """The (sample, label) of ``item``, made on first use, named ``name``."""
        made = self._made
        pair = made.get(id(item))
        if pair is None:
            label = pg.LabelItem(name, color=self.opts["labelTextColor"], justify="left",
                                 size=self.opts["labelTextSize"])
            sample = item if isinstance(item, self.sampleType) else self.sampleType(item)
            sample.sigClicked.connect(self.sigSampleClicked)
            pair = made[id(item)] = (sample, label)
        elif self._full_name(pair[1]) != name:
            pair[1].setText(name)
            pair[1].shown_text = None
        return pair

    @staticmethod
    def _show_pair(pair, shown):
        for part in pair:
            part.setVisible(shown)

    def _discard(self, sample, label):
        for part in (sample, label):
            part.close()
            scene = part.scene()
            if scene is not None:
                scene.removeItem(part)

    def _layout_entries(self):
        entries = self._entries
        essential = [(item, name) for item, name, spare in entries if not spare]
        spare = [(item, name) for item, name, spare in entries if spare]
        # Only the spare entries that could fit get a sample and label (a sweep keeps dozens
        # of runs, and naming each hidden one cost a text layout per entry and relayout):
        # as many as a line holds of the narrowest entry made so far, per allowed line, and
        # one to spare.
        known = [self._entry_width(*pair) for pair in
                 (self._made.get(id(item)) for item, _name in spare) if pair is not None]
        narrowest = max(MIN_ENTRY_WIDTH, min(known, default=MIN_ENTRY_WIDTH))
        fitting = self.max_rows() * max(1, int(self._room() // narrowest)) + 1
        ordered = [self._pair(item, name) for item, name in essential + spare[:fitting]]
        self.items = list(ordered)
        self.fit_columns()  # cuts too-long names first
        room = max(self.columnCount, 1) * self.max_rows()
        shown = ordered
        kept = ordered[:max(room - 1, len(essential))]
        hidden = len(essential) + len(spare) - len(kept)
        if len(essential) + len(spare) > room and hidden:
            # (essential entries alone never give way, so they may fill the rows with none
            # hidden: then there is no "+0 more")
            self._hidden = hidden
            if self._more_sample is None:
                self._more_sample = pg.PlotDataItem([], [], pen=None)
            more = self._pair(self._more_sample,
                              tr("+{count} more (see Runs)", count=self._hidden))
            shown = kept + [more]
            for index in range(self.layout.count() - 1, -1, -1):
                self.layout.removeAt(index)
            self.items = list(shown)
            self.columnCount = -1
            self.fit_columns()
        visible = {id(pair[0]) for pair in shown}
        for pair in self._made.values():
            self._show_pair(pair, id(pair[0]) in visible)
        self.updateSize()


#: A legend may take this share of its plot's height, in lines of this many pixels (8 pt).
LEGEND_SHARE = 0.2
LEGEND_ROW_HEIGHT = 15
#: The narrowest an entry can be (px): its 20 px sample, spacing and a one-letter name.
MIN_ENTRY_WIDTH = 40


def side_legend(item):
    """The plot's legend (``item.legend``), a :class:`RowLegend` above its view box."""
    legend = RowLegend(item)
    item.legend = legend
    cache_painting(legend)
    return legend


def cache_painting(*items):
    """Let Qt repaint these items from a pixmap cache when a neighbour's update overlaps them.

    A curve's dirty rectangle touches the axes beside it; without a cache each touch runs the
    axis's Python ``paint`` and so needs the GIL back from the training thread (up to the
    switch interval, which the main window sets to 1 ms). With the cache, Qt redraws them in
    C++ until the item itself changes.
    """
    for graphics_item in items:
        graphics_item.setCacheMode(QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)


class LiveCurve:
    """A growing curve drawn as two items, so that a new chunk repaints a strip, not the view.

    Each redraw hands the curve its whole visible part, yet while a run goes on only the end
    of it differs from the previous redraw. As one item, each change made Qt repaint the
    whole view, holding the GIL that the training thread needs: 7.8-9.3 ms of GUI-thread CPU
    a frame for a 900x500 batch-loss plot of 200k steps, 2.4-2.6 ms with the split. Here a
    *head* item keeps the points that did not change and a *tail* item takes the rest, so Qt
    repaints just the tail's strip. The head is replaced when its points change (a zoom, a
    coarser level of detail, a new range) or when the tail grows wider than ``TAIL_PIXELS``;
    a new tail starts ``KEEP_PIXELS`` before the end, which covers the entries a later redraw
    may still change.

    Parameters
    ----------
    pen : QPen
    name : str or None
        The legend's name for the curve (the head carries it; the tail has none).
    connect : {"all", "pairs"}
        As pyqtgraph's: a line through all points, or a segment per pair of points (the
        head then ends on a whole pair and the tail shares no point with it).
    """

    TAIL_PIXELS = 64
    KEEP_PIXELS = 16

    def __init__(self, pen, name=None, connect="all"):
        self.head = pg.PlotDataItem(pen=pen, name=name)
        self.tail = pg.PlotDataItem(pen=pen)
        self.connect = connect
        self._shown = (np.empty(0), np.empty(0))  # a copy of the points shown
        self._head_size = 0  # the head shows the first this many of them

    @property
    def items(self):
        """The two pyqtgraph items, head first."""
        return self.head, self.tail

    def set_data(self, x, y, pixel=None):
        """Show the curve through ``x``, ``y`` (x increasing); the same points again do nothing.

        ``pixel`` is the x length of one pixel of the view; None draws all of it as the head.
        """
        x, y = np.asarray(x), np.asarray(y)
        shown_x, shown_y = self._shown
        size = self._head_size
        if (len(x) == len(shown_x) and np.array_equal(x, shown_x)
                and np.array_equal(y, shown_y, equal_nan=True)):
            return
        keep = (pixel and 0 < size <= len(x) and np.array_equal(x[:size], shown_x[:size])
                and np.array_equal(y[:size], shown_y[:size], equal_nan=True)
                and x[-1] - shown_x[size - 1] <= self.TAIL_PIXELS * pixel)
        if not keep:
            size = len(x)
            if pixel and size:
                size = int(np.searchsorted(x, x[-1] - self.KEEP_PIXELS * pixel, side="right"))
                if self.connect == "pairs":
                    size -= size % 2
            self.head.setData(x[:size], y[:size], connect=self.connect)
            self._head_size = size
        self._shown = (x.copy(), y.copy())
        self._set_tail(x, y, size)

    def _set_tail(self, x, y, size):
        start = size - 1 if self.connect == "all" and size else size
        if len(x) - start < 2:
            start = len(x)
        self.tail.setData(x[start:], y[start:], connect=self.connect)

    def clear(self):
        """Show nothing."""
        self.set_data(np.empty(0), np.empty(0))

    def data(self):
        """The points shown, ``(x, y)``: the head's, then the tail's not shared with it."""
        (head_x, head_y), (tail_x, tail_y) = (
            (np.empty(0), np.empty(0)) if data[0] is None else data
            for data in (self.head.getOriginalDataset(), self.tail.getOriginalDataset()))
        skip = 1 if self.connect == "all" and len(head_x) and len(tail_x) else 0
        return np.concatenate([head_x, tail_x[skip:]]), np.concatenate([head_y, tail_y[skip:]])


def x_pixel(widget):
    """The x length of one pixel of ``widget``'s view; None on a log x axis or before layout."""
    item = widget.getPlotItem()
    if item.ctrl.logXCheck.isChecked():
        return None
    (x0, x1), _ = item.vb.viewRange()
    width = item.vb.width()
    return (x1 - x0) / width if width > 0 and x1 > x0 else None


class RunCurve(pg.PlotCurveItem):
    """A kept run's curve: a bare PlotCurveItem that follows the plot's log mode as a
    PlotDataItem does (log10 of each value, NaN at or below zero).

    A PlotDataItem carries a scatter item as well, costs ten times as much to make, and
    PlotItem.addItem walks every curve of the plot for each one added (decimation and its
    parameter list): a sweep that keeps 60 runs on four plots added 360 of them.
    """

    _log = (False, False)  # class defaults: PlotCurveItem.__init__ calls setData already

    def setLogMode(self, x_log, y_log):
        if (bool(x_log), bool(y_log)) != self._log:
            self._log = (bool(x_log), bool(y_log))
            x, y, options = self._given
            self.setData(x, y, **options)

    def setData(self, x=None, y=None, **options):
        """``x`` and ``y`` as given (``connect`` defaults to "finite": NaN breaks the line)."""
        x = np.asarray([] if x is None else x, dtype=np.float64)
        y = np.asarray([] if y is None else y, dtype=np.float64)
        options.setdefault("connect", "finite")
        self._given = (x, y, options)
        shown = [_log10(values) if log else values for values, log in zip((x, y), self._log)]
        self._bounds = tuple(_finite_range(values) for values in shown)
        super().setData(x=shown[0], y=shown[1], **options)

    def dataBounds(self, ax, frac=1.0, orthoRange=None):
        """The finite extent of the points, kept from :meth:`setData` (a kept run's data do
        not change): pyqtgraph computes it again on every change of the view, for each
        curve, and at 120 curves that was half of a range change's 21 ms."""
        bounds = getattr(self, "_bounds", None)
        if bounds is None or frac != 1.0 or orthoRange is not None:
            return super().dataBounds(ax, frac, orthoRange)
        return bounds[ax]

    def viewTransformChanged(self):
        # the data bounds stay; only the pen's pixel padding of the bounding rect changes
        self._boundingRect = None
        self.prepareGeometryChange()


def _finite_range(values):
    """(min, max) of the finite ``values``, as pyqtgraph's bounds: (None, None) for none."""
    low, high, _ = finite_extent(values)
    return (low, high) if low <= high else (None, None)


def _log10(values):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(values > 0, np.log10(np.where(values > 0, values, 1.0)), np.nan)


class KeptRun:
    """One kept run as one plot shows it: its label, colour, visibility, data and items."""

    def __init__(self, label, color):
        self.label = str(label)
        self.color = tuple(int(c) for c in color[:3])
        self.visible = True
        self.items = []
        self.styles = []  # a Qt pen style per item
        self.extent = (np.inf, -np.inf, np.inf)  # finite min, max, smallest positive
        self.data = {}
        self.x = {}  # x mode -> x of every step, computed once (kept data do not change)
        self.version = 0  # counts set_run_data calls
        self.drawn = None  # (visible, version, x mode, span) as a StepPlot last drew them
        self.styled = None  # (colour, width) of the pens its items were last given


def finite_extent(*arrays):
    """(min, max, smallest positive) of the finite values in ``arrays`` (inf, -inf, inf if none)."""
    values = np.concatenate([np.asarray(a, dtype=np.float64).ravel() for a in arrays])
    values = values[np.isfinite(values)]
    if not len(values):
        return np.inf, -np.inf, np.inf
    positive = values[values > 0]
    return (float(values.min()), float(values.max()),
            float(positive.min()) if len(positive) else np.inf)


class RunOverlay:
    """Kept runs drawn over a plot beside the current run, each in its colour, in the legend.

    Runs are keyed by any hashable. The current run stays where it was (the plot's own
    ``append``/``reset``); these methods add, fill, hide, highlight and remove the others.
    A plot class defines ``_run_items(run)`` (new pyqtgraph items for one run, the first of
    which the legend names), ``_load_run(run, **arrays)`` and calls ``_init_runs()``.
    """

    HIGHLIGHT_WIDTH = 3.0
    RUN_WIDTH = 1.0

    def _init_runs(self):
        self.runs = {}
        self.highlighted = None
        self._runs_changed = True

    def add_run(self, key, label, color):
        """Show a run under ``key`` with ``label`` in the legend and an RGB ``color``.

        An existing ``key`` is replaced. Its data come with :meth:`set_run_data`.
        """
        if key in self.runs:
            self.remove_run(key)
        run = KeptRun(label, color)
        run.items, run.styles = self._run_items(run)
        item = self.getPlotItem()
        for curve in run.items:
            item.addItem(curve)
        item.legend.add_spare(run.items[0], run.label)
        self.runs[key] = run
        self._restyle_runs()
        self._runs_touched()

    def rekey_run(self, key, new_key, label=None):
        """Let run ``key`` go on under ``new_key`` (and ``label``), its items as they are: a
        sweep's racing run becomes a kept run without its curves made again."""
        run = self._run(key)
        if new_key in self.runs and new_key != key:
            self.remove_run(new_key)
        del self.runs[key]
        self.runs[new_key] = run
        if self.highlighted == key:
            self.highlighted = new_key
        if label is not None:
            self.rename_run(new_key, label)

    def rename_run(self, key, label):
        """Give run ``key`` a new legend name in place (a relabel when runs come or go): as
        cheap as a text change, where removing and adding it again made its items anew."""
        run = self._run(key)
        label = str(label)
        if label != run.label:
            run.label = label
            self.getPlotItem().legend.rename(run.items[0], label)

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


def batch_runs(plots):
    """Every plot of ``plots`` (RunOverlay plots) takes the changes made inside at once, as
    one :meth:`RunOverlay.batch_runs` each: restyled, laid out and redrawn once."""
    stack = contextlib.ExitStack()
    for plot in plots:
        stack.enter_context(plot.batch_runs())
    return stack


class StepPlot(RunOverlay, pg.PlotWidget):
    """A plot of per-step series: redrawn when marked dirty, at the detail its view needs.

    :meth:`redraw` first lets the range follow the data, then draws the visible part: each
    subclass defines ``_follow()``, ``_draw()`` and ``_describe(x, y)`` (the hover text), and
    calls :meth:`_watch_view` last in its ``__init__``: from then on a pan or zoom redraws at
    once, since another range needs another level of detail (gui.buffers.SeriesPyramid).
    """

    RUN_FIELD = None  # the per-step series a kept run shows here (a set_run_data argument)

    def __init__(self, parent, object_name, title, y_label):
        super().__init__(parent)
        _style(self, object_name, title, tr(X_LABELS["step"]), y_label)
        self.axis = StepAxis()
        self.steps = self.axis.step
        self.x_mode = "step"
        self.expected_steps = 0
        self._dirty = False
        self._redrawing = False
        self._runs_drawn = None
        self._init_runs()
        self.follower = RangeFollower(self)
        self.hover = HoverReadout(self, self._describe)

    def set_expected_steps(self, steps):
        """The run's planned length: the x axis grows towards it (RangeFollower.fit)."""
        self.expected_steps = int(steps)
        self.axis.epoch_length = 0
        self._dirty = True

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
        values = np.asarray(values, dtype=np.float32)
        lengths = {len(a) for a in (step, epoch, values, samples, seconds) if a is not None}
        if len(lengths) > 1:
            raise ValueError(f"run {key!r}: the per-step arrays differ in length {lengths}")
        axis = StepAxis()
        axis.extend(step, epoch, samples, seconds)
        run.data = {"axis": axis, "values": values, "pyramid": self._run_pyramid(values)}
        run.version += 1
        run.x = {}
        run.extent = finite_extent(values)
        self.follower.forget()
        self._runs_touched()

    def _run_items(self, run):
        return [RunCurve()], [QtCore.Qt.SolidLine]

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
        ends = [x[-1] for x in (self._run_x(run) for run in self._visible_runs())
                if x is not None and len(x)]
        return float(max(ends)) if ends else np.nan

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
        finally:
            self._redrawing = False

    def _watch_view(self):
        """Redraw on every range change (called once the subclass's curves exist)."""
        self.getPlotItem().vb.sigRangeChanged.connect(self._range_changed)

    def _range_changed(self, *args):
        self._dirty = True
        self.redraw()


class BatchLossPlot(StepPlot):
    """Per-batch loss: raw (faint) and smoothed curves, epoch starts and change markers.

    A kept run shows its smoothed loss (the plot's smoothing weight) in the run's colour.
    """

    RUN_FIELD = "loss"

    def __init__(self, parent=None):
        super().__init__(parent, "batchLossPlot", tr("Batch loss"), tr("loss"))
        item = self.getPlotItem()
        side_legend(item)
        # Opaque light blue: the look of the line colour at 27 % over the white background.
        # A translucent pen makes Qt stroke the whole zigzag as one polygon, 30 times slower,
        # and QPainter holds the GIL (the trainer's) while it draws.
        self.raw_curve = LiveCurve(pg.mkPen(194, 218, 234), name=tr("raw"))
        self.smooth_curve = LiveCurve(pg.mkPen(31, 119, 180, width=2), name=tr("smoothed"))
        for curve in (self.raw_curve, self.smooth_curve):
            for curve_item in curve.items:
                item.addItem(curve_item)
        # Raw: min and max per pixel ("peak"), so no spike is hidden. Smoothed: already smooth,
        # so a mean per pixel (a peak zigzag of a 2 px pen is slow to paint).
        # float32, as the history keeps them: 35 bytes a step for both batch plots, not 53
        self.losses = SeriesPyramid("peak", dtype=np.float32)
        self.ema = DebiasedEMA(0.6, dtype=np.float32)
        # Opaque, as the raw curve: grey 150 at alpha 70 over white, which took 2.4 ms a frame
        self.epoch_lines = LiveCurve(pg.mkPen(226, 226, 226), connect="pairs")
        for curve_item in self.epoch_lines.items:
            curve_item.setZValue(-10)
            item.addItem(curve_item, ignoreBounds=True)
        self.markers = []
        self.log_y = False
        self._min = np.inf
        self._max = -np.inf
        self._min_positive = np.inf
        self._watch_view()

    def reset(self):
        """Forget all points and markers (a new model)."""
        self._ended = False
        self.steps.clear()
        self.losses.clear()
        self.ema.reset()
        self.axis.clear()
        for _, marker in self.markers:
            self.getPlotItem().removeItem(marker)
        self.markers = []
        self._min, self._max, self._min_positive = np.inf, -np.inf, np.inf
        self.follower.start_over(y_range=(-1.0, 0.0) if self.log_y else (0.0, 1.0))
        self.raw_curve.clear()
        self.smooth_curve.clear()
        self._place_epoch_lines()

    def append(self, steps, epochs, losses, samples=None, seconds=None):
        """Add a chunk: ``steps``, ``epochs``, ``losses`` (and optionally the cumulative
        ``samples`` and training ``seconds``) are arrays of shape (m,)."""
        if len(steps) == 0:
            return
        self.axis.extend(steps, epochs, samples, seconds)
        self.losses.extend(losses)
        self.ema.extend(losses)
        finite = np.asarray(losses)[np.isfinite(losses)]
        if len(finite):
            self._min = min(self._min, finite.min())
            self._max = max(self._max, finite.max())
            positive = finite[finite > 0]
            if len(positive):
                self._min_positive = min(self._min_positive, positive.min())
        self._dirty = True

    def add_marker(self, step, text):
        """Draw a labelled vertical line at ``step`` (a live change of a knob)."""
        line = pg.InfiniteLine(pos=step, angle=90, movable=False,
                               pen=pg.mkPen(200, 80, 0, width=1.5, style=QtCore.Qt.DashLine),
                               label=text,
                               labelOpts={"position": 0.92 - 0.12 * (len(self.markers) % 4),
                                          "color": (170, 60, 0), "fill": (255, 255, 255, 200),
                                          "anchors": [(0, 0.5), (0, 0.5)]})
        line.setZValue(50)
        self.getPlotItem().addItem(line)
        self.markers.append((step, line))
        line.setPos(self._x_of_step(step))

    def _x_of_step(self, step):
        x, steps = self.current_x(), self.steps.view
        if x is None or not len(steps):
            return step if self.x_mode == "step" else 0.0
        return float(x[min(int(np.searchsorted(steps, step)), len(steps) - 1)])

    def _x_mode_changed(self):
        for step, line in self.markers:
            line.setPos(self._x_of_step(step))

    def _run_pyramid(self, losses):
        ema = DebiasedEMA(self.ema.weight, dtype=np.float32)
        ema.extend(losses)
        return ema.output

    def set_smoothing(self, weight):
        """Recompute the smoothed curve with TensorBoard weight ``weight`` in [0, 0.99]."""
        self.ema.reset(weight)
        self.ema.extend(self.losses.view)
        for run in self.runs.values():
            if run.data:
                run.data["pyramid"] = self._run_pyramid(run.data["values"])
                run.version += 1  # other points to draw
        self._runs_touched()

    def set_log_y(self, enabled):
        """Switch the loss axis between linear and logarithmic."""
        self.log_y = bool(enabled)
        self.getPlotItem().setLogMode(y=self.log_y)
        self.follower.forget()
        self._dirty = True
        self.redraw()

    def _follow(self):
        low, high, low_positive = self._runs_y_extent(self._min, self._max, self._min_positive)
        self.follower.fit(self._current_end(), low_positive if self.log_y else low, high,
                          self.log_y, x_planned=self._planned_x(),
                          x_kept=np.nan_to_num(self._kept_end()))

    def _draw(self):
        x = self.current_x()
        if x is None:  # the current run lacks this x mode
            self.raw_curve.clear()
            self.smooth_curve.clear()
            self.epoch_lines.clear()
            return
        start, stop, budget = visible_span(self, x)
        pixel = x_pixel(self)
        self.raw_curve.set_data(*self.losses.display(x, start, stop, budget), pixel)
        self.smooth_curve.set_data(*self.ema.output.display(x, start, stop, budget), pixel)
        self._place_epoch_lines()

    def _place_epoch_lines(self, *args):
        # One curve for all boundaries, not an item per line: each Python-painted item costs a
        # GIL hand-over from the training thread on every repaint.
        x = self.current_x()
        starts = self.axis.starts.view[1:]
        starts = x[starts] if x is not None and len(starts) else np.empty(0)
        view = self.getPlotItem().vb
        (x0, x1), (y0, y1) = view.viewRange()
        visible = starts[(starts >= x0) & (starts <= x1)]
        if len(visible) > 1:
            per_epoch_px = view.width() / max(x1 - x0, 1e-9) * (
                (visible[-1] - visible[0]) / (len(visible) - 1))
            stride = max(1, int(np.ceil(MIN_EPOCH_LINE_SPACING / max(per_epoch_px, 1e-9))),
                         int(np.ceil(len(visible) / MAX_EPOCH_LINES)))
            visible = visible[::stride]
        if self.log_y:
            y0, y1 = 10.0 ** y0, 10.0 ** y1
        x = np.repeat(visible.astype(np.float64), 2)
        y = np.tile([y0, y1], len(visible))
        self.epoch_lines.set_data(x, y, x_pixel(self))

    def _describe(self, x, y):
        xs, steps = self.current_x(), self.steps.view
        if xs is None or not len(steps):
            return None
        index = int(np.clip(np.searchsorted(xs, x), 0, len(steps) - 1))
        if index > 0 and abs(xs[index - 1] - x) < abs(xs[index] - x):
            index -= 1
        return tr("step {step}\nloss {loss:.5g}\nsmoothed {smoothed:.5g}", step=steps[index],
                  loss=self.losses.view[index], smoothed=self.ema.output.view[index])


class EpochPlot(RunOverlay, pg.PlotWidget):
    """Train and validation series per epoch (loss or accuracy), best epoch optionally marked.

    Parameters
    ----------
    object_name, title, y_label : str
        Qt object name, plot title and y-axis label.
    mark_best : bool
        Draw a marker at the best epoch given to :meth:`set_best_epoch`.
    legend_offset : ignored
        Where the floating legend went; the legend now has its own column (side_legend).
        Accepted while callers on other branches still pass it.
    """

    def __init__(self, object_name, title, y_label, mark_best=False, legend_offset=None,
                 parent=None):
        super().__init__(parent)
        item = _style(self, object_name, title, tr("epoch"), y_label)
        side_legend(item)
        self.train_curve = item.plot(pen=pg.mkPen(TRAIN_COLOR, width=2), name=tr("train"))
        self.val_curve = item.plot(pen=pg.mkPen(VAL_COLOR, width=2), name=tr("validation"))
        for curve in (self.train_curve, self.val_curve):
            curve.setDownsampling(auto=True, method="peak")
            curve.setClipToView(True)
            cache_painting(curve.scatter)
        self.train = GrowableArray()
        self.val = GrowableArray()
        self.best_epoch = None
        self.best_line = None
        self.best_point = None
        if mark_best:
            # The number is the star's legend entry: written beside the line it covered
            # the curves and ticks, and was cut off at the view's edge on small plots.
            self.best_line = pg.InfiniteLine(angle=90, movable=False,
                                             pen=pg.mkPen(40, 150, 40, width=1.5,
                                                          style=QtCore.Qt.DotLine))
            self.best_point = pg.ScatterPlotItem(size=10, symbol="star",
                                                 brush=pg.mkBrush(40, 160, 40),
                                                 pen=pg.mkPen(20, 90, 20))
            item.addItem(self.best_line)
            item.addItem(self.best_point)
            cache_painting(self.best_point)
            self.best_line.hide()
        self._dirty = False
        self.expected_epochs = 0
        self._min = np.inf
        self._max = -np.inf
        self.fixed_y = None
        self._init_runs()
        self.follower = RangeFollower(self)
        self.hover = HoverReadout(self, self._describe)

    def set_run_data(self, key, train, val=None):
        """The per-epoch ``train`` and ``val`` values (shape (n,), NaN where none) of ``key``."""
        run = self._run(key)
        train = np.asarray(train, dtype=np.float64)
        val = np.full(len(train), np.nan) if val is None else np.asarray(val, dtype=np.float64)
        if len(val) != len(train):
            raise ValueError(f"run {key!r}: {len(train)} train values, {len(val)} validation")
        epochs = np.arange(1, len(train) + 1)
        run.data = {"train": train, "val": val}
        run.extent = finite_extent(train, val)
        for curve, values in zip(run.items, (train, val)):
            curve.setData(epochs, values, connect="finite")
        self.follower.forget()
        self._runs_touched()

    def _run_items(self, run):
        return [RunCurve(), RunCurve()], [QtCore.Qt.SolidLine, QtCore.Qt.DashLine]

    def set_fixed_y(self, low, high):
        """Keep the y axis at [low, high] (accuracy), following only the epochs on x."""
        self.fixed_y = (low, high)

    def set_expected_epochs(self, epochs):
        """The planned number of epochs, so the x axis does not rescale every epoch."""
        self.expected_epochs = int(epochs)
        self._dirty = True

    def reset(self):
        """Forget all epochs."""
        self.train.clear()
        self.val.clear()
        self.best_epoch = None
        self._min, self._max = np.inf, -np.inf
        self.follower.start_over(y_range=self.fixed_y or (0.0, 1.0))
        self._dirty = True
        self.redraw()

    def _epochs_shown(self):
        """Epochs of the longest of the current run and the visible kept runs."""
        return max([len(self.train)] + [len(run.data["train"]) for run in self._visible_runs()])

    def end_run(self):
        """The run is over: the x axis ends at its last epoch (or a longer kept run's)."""
        if self._epochs_shown():
            self.follower.end(self._epochs_shown() + 0.5)

    def append(self, train_values, val_values):
        """Add epochs: both arrays shape (m,); NaN where a value does not exist."""
        self.train.extend(train_values)
        self.val.extend(val_values)
        values = np.concatenate([np.asarray(train_values, dtype=np.float64),
                                 np.asarray(val_values, dtype=np.float64)])
        values = values[np.isfinite(values)]
        if len(values):
            self._min = min(self._min, values.min())
            self._max = max(self._max, values.max())
        self._dirty = True

    @property
    def best_text(self):
        """The best epoch's legend entry ("best epoch 17"), or "" while none is marked."""
        for sample, label in self.getPlotItem().legend.items:
            if sample.item is self.best_point:
                return label.text
        return ""

    def _set_best_text(self, text):
        legend = self.getPlotItem().legend
        shown = self.best_text
        if text == shown:
            return
        if shown and text:
            legend.rename(self.best_point, text)
        elif shown:
            legend.removeItem(self.best_point)
        else:
            legend.addItem(self.best_point, text)

    def set_best_epoch(self, epoch):
        """Mark epoch ``epoch`` (1-based) as best, or nothing for None."""
        if epoch != self.best_epoch:
            self.best_epoch = epoch
            self._dirty = True

    def redraw(self):
        """Push buffers to the curves if anything changed."""
        if not self._dirty:
            return
        self._dirty = False
        epochs = np.arange(1, len(self.train) + 1)
        symbol = "o" if len(epochs) <= 40 else None
        val = self.val.view
        has_val = bool(len(val)) and bool(np.isfinite(val).any())
        self.train_curve.setData(epochs, self.train.view, symbol=symbol, symbolSize=5,
                                 symbolBrush=TRAIN_COLOR, symbolPen=None, connect="finite")
        self.val_curve.setData(epochs if has_val else [], val if has_val else [],
                               symbol=symbol, symbolSize=5, symbolBrush=VAL_COLOR,
                               symbolPen=None, connect="finite")
        if self._epochs_shown():
            low, high = self._min, self._max
            for run in self._visible_runs():
                low, high = min(low, run.extent[0]), max(high, run.extent[1])
            low, high = self.fixed_y if self.fixed_y is not None else (low, high)
            kept = max([0] + [len(run.data["train"]) for run in self._visible_runs()])
            self.follower.fit(len(self.train) + 0.5 if len(self.train) else np.nan, low, high,
                              x_planned=self.expected_epochs + 0.5, x_kept=kept + 0.5)
        if self.best_line is not None:
            best = self.best_epoch
            if best is not None and 1 <= best <= len(epochs):
                series = val if has_val else self.train.view
                # shown first: a hidden label ignores new text (InfLineLabel.valueChanged),
                # and kept the number of the run before the last reset
                self.best_line.show()
                self.best_line.setPos(best)
                self._set_best_text(tr("best epoch {best}", best=best))
                self.best_point.setData([best], [series[best - 1]])
            else:
                self.best_line.hide()
                self.best_point.setData([], [])
                self._set_best_text("")

    def _describe(self, x, y):
        n = len(self.train)
        if not n:
            return None
        epoch = int(np.clip(round(x), 1, n))
        text = tr("epoch {epoch}\ntrain {value:.5g}", epoch=epoch,
                  value=self.train.view[epoch - 1])
        if len(self.val) >= epoch and np.isfinite(self.val.view[epoch - 1]):
            text += tr("\nvalidation {value:.5g}", value=self.val.view[epoch - 1])
        return text


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


class PowerAxis(pg.AxisItem):
    """A log axis labelled "10⁻⁴ … 1 … 10³": "0.0001" took 42 px of a narrow plot's width."""

    def tickStrings(self, values, scale, spacing):
        if not self.logMode:
            return super().tickStrings(values, scale, spacing)
        strings = []
        for value in values:
            power = round(value)
            if abs(value - power) > 1e-6:
                strings.append(f"{10 ** value:.2g}")
            elif power in (0, 1):
                strings.append(f"{10 ** power:g}")
            else:
                strings.append("10" + str(power).translate(_SUPERSCRIPT))
        return strings


#: Below this plot width the trust-ratio axis drops its title (the legend names the curves).
RATIO_LABEL_MIN_WIDTH = 300


class LearningRatePlot(StepPlot):
    """Learning rate per batch; for LARS/LAMB the per-array trust ratios on a right log axis.

    Trust ratios span decades (1e-3 to 1e7 at ordinary settings), so their axis is
    logarithmic: on a linear one the large ones were a solid block hiding the learning rate.
    """

    RUN_FIELD = "learning_rate"

    def __init__(self, parent=None):
        super().__init__(parent, "learningRatePlot", tr("Learning rate"), tr("learning rate"))
        item = self.getPlotItem()
        item.setAxisItems({"right": PowerAxis("right")})
        ratio_axis = item.getAxis("right")
        ratio_axis.enableAutoSIPrefix(False)
        ratio_axis.setLogMode(False, True)
        ratio_axis.setStyle(hideOverlappingLabels=TICK_OVERHANG)  # as _style gave the old one
        _spread_labels(ratio_axis)
        cache_painting(ratio_axis)
        self.legend = side_legend(item)
        self.lr_curve = LiveCurve(pg.mkPen(60, 60, 60, width=2), name=tr("learning rate"))
        for curve_item in self.lr_curve.items:
            item.addItem(curve_item)
        self.ratio_view = pg.ViewBox()
        item.scene().addItem(self.ratio_view)
        item.getAxis("right").linkToView(self.ratio_view)
        self.ratio_view.setXLink(item)
        item.vb.sigResized.connect(self._sync_views)
        self.ratio_curves = []
        self.rates = SeriesPyramid("peak", dtype=np.float32)
        self.ratio_steps = GrowableArray(np.int64)
        self.ratios = None
        self.ratio_names = []
        self._lr_max = 0.0
        self._watch_view()

    def _sync_views(self):
        self.ratio_view.setGeometry(self.getPlotItem().vb.sceneBoundingRect())
        self.ratio_view.linkedViewChanged(self.getPlotItem().vb, self.ratio_view.XAxis)
        self._label_ratio_axis()

    def _label_ratio_axis(self):
        if not getattr(self, "ratio_names", None):  # also during pyqtgraph's construction
            return
        axis = self.getPlotItem().getAxis("right")
        if not axis.isVisible():
            return
        wide = self.width() >= RATIO_LABEL_MIN_WIDTH
        if wide != bool(axis.labelText):
            # narrow: the axes drop their titles (the plot's title and the legend name both
            # curves, the tooltip explains them) so the view keeps its width
            item = self.getPlotItem()
            item.setLabel("right", tr("trust ratio") if wide else "")
            axis.showLabel(wide)
            item.setLabel("left", tr("learning rate") if wide else "")
            item.getAxis("left").showLabel(wide)
            self._set_right_margin(not wide)

    def _set_right_margin(self, tight):
        """Tight: the trust-ratio axis's own width leaves the bottom axis's last label room,
        so the plot's right margin goes (17 px of a 208 px plot at 1024 px)."""
        layout = self.getPlotItem().layout
        left, top, _right, bottom = layout.getContentsMargins()
        layout.setContentsMargins(left, top, 1 if tight else RIGHT_MARGIN + TICK_OVERHANG // 2,
                                  bottom)

    def reset(self, ratio_names=()):
        """Forget all points; ``ratio_names`` labels the trust-ratio curves (empty: none)."""
        self._ended = False
        self.axis.clear()
        self.rates.clear()
        self.ratio_steps.clear()
        self._lr_max = 0.0
        item = self.getPlotItem()
        for curve in self.ratio_curves:
            self.ratio_view.removeItem(curve)
            self.legend.removeItem(curve)  # only the first is in it
        self.ratio_curves = []
        self.ratio_names = list(ratio_names)
        self.ratios = (SeriesPyramid("peak", width=len(ratio_names), dtype=np.float32)
                       if ratio_names else None)
        for index, name in enumerate(self.ratio_names):
            color = class_color(index + 2)
            curve = pg.PlotDataItem(pen=pg.mkPen(color, width=1, style=QtCore.Qt.DashLine),
                                    name=name)
            curve.setLogMode(False, True)  # drawn as log10, as the right axis labels them
            self.ratio_view.addItem(curve)
            if not index:
                # one entry for them all (the hover names each): an entry per weight array
                # made the legend seven lines tall and squeezed the view to a strip
                self.legend.addItem(curve, tr("trust ratio"))
            self.ratio_curves.append(curve)
        if self.ratio_names:
            item.showAxis("right")
            item.setLabel("right", tr("trust ratio"))
            self._label_ratio_axis()
        else:
            item.hideAxis("right")
            item.setLabel("left", tr("learning rate"))
            item.getAxis("left").showLabel(True)
            self._set_right_margin(False)
        self.follower.start_over()
        self.lr_curve.clear()
        self._dirty = True

    def append(self, steps, rates, trust_ratios=None, epochs=None, samples=None, seconds=None):
        """Add a chunk: ``steps``/``rates`` shape (m,), ``trust_ratios`` shape (m, p) or None.

        ``epochs``, ``samples`` and ``seconds`` (shape (m,)) place the steps in the other x
        modes; without ``epochs`` all steps count as one epoch.
        """
        if len(steps) == 0:
            return
        self.axis.extend(steps, np.ones(len(steps), np.int64) if epochs is None else epochs,
                         samples, seconds)
        self.rates.extend(rates)
        finite = np.asarray(rates)[np.isfinite(rates)]
        if len(finite):
            self._lr_max = max(self._lr_max, float(finite.max()))
        if trust_ratios is not None and self.ratios is not None and len(trust_ratios):
            trust_ratios = np.asarray(trust_ratios, dtype=np.float64)
            if trust_ratios.shape[1] == self.ratios.view.shape[1]:
                self.ratio_steps.extend(np.asarray(steps)[-len(trust_ratios):])
                self.ratios.extend(trust_ratios)
        self._dirty = True

    def _run_pyramid(self, rates):
        pyramid = SeriesPyramid("peak", dtype=np.float32)
        pyramid.extend(rates)
        return pyramid

    def _follow(self):
        _, high, _ = self._runs_y_extent(0.0, self._lr_max, np.inf)
        self.follower.fit(self._current_end(), 0.0, high, margin=0.15,
                          x_planned=self._planned_x(), x_kept=np.nan_to_num(self._kept_end()))

    def _draw(self):
        x = self.current_x()
        if x is None:
            self.lr_curve.clear()
            for curve in self.ratio_curves:
                curve.setData([], [])
            return
        self.lr_curve.set_data(*self.rates.display(x, *visible_span(self, x)), x_pixel(self))
        if self.ratios is not None and len(self.ratios):
            ratio_x = self.ratio_steps.view
            if self.x_mode != "step":
                ratio_x = x[np.minimum(np.searchsorted(self.steps.view, ratio_x), len(x) - 1)]
            ratio_x, data = self.ratios.display(ratio_x, *visible_span(self, ratio_x))
            for column, curve in enumerate(self.ratio_curves):
                curve.setData(ratio_x, data[:, column])
            self.ratio_view.enableAutoRange(axis=pg.ViewBox.YAxis)

    def _describe(self, x, y):
        xs, steps = self.current_x(), self.steps.view
        if xs is None or not len(steps):
            return None
        index = int(np.clip(np.searchsorted(xs, x), 0, len(steps) - 1))
        text = tr("step {step}\nlearning rate {rate:.4g}", step=steps[index],
                  rate=self.rates.view[index])
        if self.ratios is not None and len(self.ratios):
            row = int(np.clip(np.searchsorted(self.ratio_steps.view, steps[index]), 0,
                              len(self.ratios) - 1))
            values = ", ".join(f"{name} {v:.3g}"
                               for name, v in zip(self.ratio_names, self.ratios.view[row]))
            text += tr("\ntrust ratios {values}", values=values)
        return text


class DataPlot(pg.PlotWidget):
    """What the model learned: decision surface, fitted curve or confusion matrix.

    The pictures are computed in the worker thread (:mod:`gui.views`); this widget only shows
    them. Training points are filled, validation points are rings.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        item = _style(self, "dataPlot", tr("Data and model"), "x₁", "x₂")
        side_legend(item)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setZValue(-20)
        item.addItem(self.image)
        self.train_points = pg.ScatterPlotItem(size=6, pen=pg.mkPen(255, 255, 255, 200))
        self.val_points = pg.ScatterPlotItem(size=7, brush=pg.mkBrush(0, 0, 0, 0))
        item.addItem(self.train_points)
        item.addItem(self.val_points)
        cache_painting(self.train_points, self.val_points, item.legend)
        self.fit_curve = item.plot(pen=pg.mkPen(214, 39, 40, width=2.5))
        # the scale of regression and count targets (the points' and the surface's colours)
        self.color_bar = pg.ColorBarItem(values=(0, 1), width=12, interactive=False,
                                         colorMap=pg.ColorMap(np.linspace(0, 1, len(_VIRIDIS)),
                                                              _VIRIDIS.astype(np.uint8)))
        self.color_bar.axis.enableAutoSIPrefix(False)
        item.layout.addItem(self.color_bar, 2, 4)
        self.color_bar.hide()
        self.cell_texts = []
        self.mode = None
        self.geometry = None
        self.view = None
        self._pending_view = None
        self.hover = HoverReadout(self, self._describe)

    def set_dataset(self, geometry):
        """Show a new dataset; ``geometry`` is a :class:`gui.views.ViewGeometry`."""
        self.geometry = geometry
        self.view = None
        self._pending_view = None
        item = self.getPlotItem()
        for text_item in self.cell_texts:
            item.removeItem(text_item)
        self.cell_texts = []
        self.image.clear()
        self.fit_curve.setData([], [])
        self.train_points.setData([])
        self.val_points.setData([])
        self.mode = geometry.mode
        self.color_bar.setVisible(geometry.regression and geometry.mode == "surface")
        self.color_bar.setLevels(geometry.value_range)
        item.invertY(False)
        item.setAspectLocked(False)
        item.legend.clear()
        if geometry.mode in ("surface", "curve", "scatter"):
            item.setLabel("bottom", geometry.x_label)
            item.setLabel("left", geometry.y_label)
            item.showGrid(x=True, y=True, alpha=0.1)
        if geometry.mode == "surface":
            self._show_points(geometry)
            x0, x1, y0, y1 = geometry.extent
            item.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)
        elif geometry.mode == "curve":
            x_train, y_train = drawn_sample(geometry.x_train[:, 0], geometry.y_train)
            x_val, y_val = drawn_sample(geometry.x_val[:, 0], geometry.y_val)
            self.train_points.setData(x_train, y_train, pen=None,
                                      brush=pg.mkBrush(31, 119, 180, 150), size=5)
            self.val_points.setData(x_val, y_val, size=6,
                                    pen=pg.mkPen(31, 119, 180, 220),
                                    brush=pg.mkBrush(0, 0, 0, 0))
            item.legend.addItem(self.train_points, tr("train"))
            item.legend.addItem(self.val_points, tr("validation"))
            item.legend.addItem(self.fit_curve, tr("model"))
            item.enableAutoRange()
        elif geometry.mode == "scatter":
            item.legend.addItem(self.val_points, tr("validation"))
            item.enableAutoRange()
        elif geometry.mode == "confusion":
            k = len(geometry.class_names)
            item.setLabel("bottom", tr("predicted class"))
            item.setLabel("left", tr("true class"))
            item.showGrid(x=False, y=False)
            item.invertY(True)
            item.setAspectLocked(True)
            ticks = [[(i + 0.5, name) for i, name in enumerate(geometry.class_names)]]
            item.getAxis("bottom").setTicks(ticks)
            item.getAxis("left").setTicks(ticks)
            item.setRange(xRange=(0, k), yRange=(0, k), padding=0.02)
            for _ in range(k * k):
                text_item = pg.TextItem(anchor=(0.5, 0.5), color=(0, 0, 0))
                item.addItem(text_item)
                self.cell_texts.append(text_item)
        if geometry.mode != "confusion":
            item.getAxis("bottom").setTicks(None)
            item.getAxis("left").setTicks(None)

    def _show_points(self, geometry):
        item = self.getPlotItem()
        for x, y, points, ring in ((geometry.x_train, geometry.y_train, self.train_points, False),
                                   (geometry.x_val, geometry.y_val, self.val_points, True)):
            x, y = drawn_sample(x, y)
            if geometry.regression:
                colors = geometry.value_colors(y)
            else:
                colors = CLASS_COLORS[np.asarray(y, dtype=np.int64) % len(CLASS_COLORS)]
            if ring:
                pens = _one_per_colour(lambda c: pg.mkPen(c, width=1.6), colors)
                points.setData(x[:, 0], x[:, 1], pen=pens, brush=pg.mkBrush(255, 255, 255, 90),
                               size=7)
            else:
                brushes = _one_per_colour(pg.mkBrush, colors)
                points.setData(x[:, 0], x[:, 1], brush=brushes,
                               pen=pg.mkPen(255, 255, 255, 220), size=6)
        if not geometry.regression:
            for index, name in enumerate(geometry.class_names):
                sample = pg.ScatterPlotItem(brush=pg.mkBrush(class_color(index)), size=7)
                item.legend.addItem(sample, name)

    def show_view(self, view):
        """Remember a freshly computed :class:`gui.views.DataView`; drawn on :meth:`redraw`."""
        self._pending_view = view

    def redraw(self):
        """Draw the last view received, if it is new."""
        view, self._pending_view = self._pending_view, None
        if view is None or self.geometry is None or view.mode != self.mode:
            return
        self.view = view
        if view.mode == "surface":
            x0, x1, y0, y1 = self.geometry.extent
            self.image.setImage(view.image, autoLevels=False, levels=(0, 255),
                                rect=QtCore.QRectF(x0, y0, x1 - x0, y1 - y0))
        elif view.mode == "curve":
            self.fit_curve.setData(view.x, view.y)
        elif view.mode == "scatter":
            self.val_points.setData(*drawn_sample(view.x, view.y), pen=None,
                                    brush=pg.mkBrush(31, 119, 180, 160), size=6)
            self.getPlotItem().setLabel("bottom", tr("true value"))
            self.getPlotItem().setLabel("left", tr("predicted value"))
        elif view.mode == "confusion":
            self._draw_confusion(view.matrix)

    def _draw_confusion(self, matrix):
        k = len(matrix)
        totals = np.maximum(matrix.sum(axis=1, keepdims=True), 1)
        share = matrix / totals
        rgb = np.empty((k, k, 3))
        diagonal = np.eye(k, dtype=bool)
        good = np.array([44, 160, 44], dtype=np.float64)
        bad = np.array([214, 39, 40], dtype=np.float64)
        tint = np.where(diagonal[..., None], good, bad)
        rgb[:] = 255 - share[..., None] * (255 - tint)
        self.image.setImage(rgb.astype(np.uint8), autoLevels=False, levels=(0, 255),
                            rect=QtCore.QRectF(0, 0, k, k))
        small = k > 6
        font = QtGui.QFont()
        font.setPointSize(7 if small else 9)
        for index, text_item in enumerate(self.cell_texts):
            row, column = divmod(index, k)
            text_item.setText(str(int(matrix[row, column])))
            text_item.setFont(font)
            text_item.setPos(column + 0.5, row + 0.5)

    def _describe(self, x, y):
        geometry, view = self.geometry, self.view
        if geometry is None:
            return None
        if self.mode == "confusion" and view is not None:
            k = len(view.matrix)
            column, row = int(np.floor(x)), int(np.floor(y))
            if 0 <= row < k and 0 <= column < k:
                names = geometry.class_names
                return tr("true {true}, predicted {predicted}\n{count} examples",
                          true=names[row], predicted=names[column],
                          count=int(view.matrix[row, column]))
            return None
        if self.mode == "surface":
            text = f"{geometry.x_label} {x:.3g}, {geometry.y_label} {y:.3g}"
            if view is not None and view.values is not None:
                x0, x1, y0, y1 = geometry.extent
                ny, nx = view.values.shape[:2]
                column = int((x - x0) / (x1 - x0) * nx)
                row = int((y - y0) / (y1 - y0) * ny)
                if 0 <= row < ny and 0 <= column < nx:
                    text += "\n" + view.describe(row, column)
            return text
        if self.mode == "curve":
            text = f"x {x:.3g}, y {y:.3g}"
            if view is not None and len(view.x):
                index = int(np.clip(np.searchsorted(view.x, x), 0, len(view.x) - 1))
                text += tr("\nmodel {value:.4g}", value=view.y[index])
            return text
        return f"{x:.3g}, {y:.3g}"
