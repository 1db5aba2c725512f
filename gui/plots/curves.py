"""Curve items: a live curve split in head and tail, and a kept run's bare curve."""

import numpy as np
import pyqtgraph as pg


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
        self.tail.opts["series"] = name  # unnamed (one legend entry); the hover names it
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


def finite_extent(*arrays):
    """(min, max, smallest positive) of the finite values in ``arrays`` (inf, -inf, inf if none)."""
    values = np.concatenate([np.asarray(a, dtype=np.float64).ravel() for a in arrays])
    values = values[np.isfinite(values)]
    if not len(values):
        return np.inf, -np.inf, np.inf
    positive = values[values > 0]
    return (float(values.min()), float(values.max()),
            float(positive.min()) if len(positive) else np.inf)
