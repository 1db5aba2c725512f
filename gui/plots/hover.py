"""The readout under the mouse on every plot: a crosshair, and a small text box beside it.

On a plot of runs (one with a ``curve_run(curve)`` method, :class:`gui.plots.overlay.RunOverlay`)
the crosshair snaps to the curve point nearest the mouse, among every visible curve of every
run, and the box says which run and series it is, the x (step, epoch, samples seen or wall
time, as the axis says) and the value. Elsewhere, or with no curve point near, the box shows
the plot's own ``describe(x, y)`` text (a data plot's prediction, ...).

Mouse moves arrive far faster than a readout is worth redrawing: each one only records the
position, and a single-shot timer works out the readout for the latest one at most
:data:`MAX_RATE_HZ` times a second, repainting only what changed.
"""

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore

from gui.i18n import tr

#: Readouts per second at most, however fast the mouse moves.
MAX_RATE_HZ = 25
#: A curve point farther than this from the mouse along x (in pixels) is not "near".
REACH_PX = 30
#: Beyond this many points in reach, a curve is sampled evenly (the nearest of a dense
#: curve is then found to within a pixel or two).
MAX_POINTS = 4096
#: The crosshair's pen.
CROSSHAIR_PEN = pg.mkPen(90, 90, 90, 160, width=1, style=QtCore.Qt.DashLine)


class HoverReadout:
    """Shows the value under the mouse as a crosshair and a small text box next to it.

    Parameters
    ----------
    plot_widget : gui.plots.protocol.LivePlot
        The plot to watch (any view with ``getPlotItem()``).
    describe : callable
        ``describe(x, y) -> str or None`` in data coordinates; None hides the box where no
        curve point is near.

    Attributes
    ----------
    updates : int
        How many times a readout was worked out (not how many mouse moves came).
    point : tuple or None
        ``(run, series, x, y)`` of the curve point shown, None when none is.
    """

    def __init__(self, plot_widget, describe):
        self._widget = plot_widget
        self._plot = plot_widget.getPlotItem()
        self._describe = describe
        self.updates = 0
        self.point = None
        self._scene_pos = None
        self.text_item = pg.TextItem(anchor=(0, 1), color=(20, 20, 20),
                                     fill=pg.mkBrush(255, 255, 240, 225),
                                     border=pg.mkPen(120, 120, 120))
        self.text_item.setZValue(1000)
        self.lines = (pg.InfiniteLine(angle=90, movable=False, pen=CROSSHAIR_PEN),
                      pg.InfiniteLine(angle=0, movable=False, pen=CROSSHAIR_PEN))
        self.marker = pg.ScatterPlotItem(size=8, pen=pg.mkPen(40, 40, 40, width=1.5),
                                         brush=pg.mkBrush(255, 255, 255, 200))
        for item in (self.text_item, *self.lines, self.marker):
            item.setZValue(1000)
            item.hide()
            self._plot.addItem(item, ignoreBounds=True)
        self._timer = QtCore.QTimer(plot_widget)
        self._timer.setSingleShot(True)
        self._timer.setInterval(int(1000 / MAX_RATE_HZ))
        self._timer.timeout.connect(self._update)
        plot_widget.scene().sigMouseMoved.connect(self._moved)
        self._leave = _LeaveFilter(self, plot_widget)
        plot_widget.viewport().installEventFilter(self._leave)

    def _moved(self, scene_pos):
        self._scene_pos = scene_pos
        if not self._timer.isActive():
            self._timer.start()

    def hide(self):
        """Hide the readout (the mouse left the view)."""
        self._scene_pos = None
        self.point = None
        for item in (self.text_item, *self.lines, self.marker):
            item.hide()

    def _update(self):
        self.updates += 1
        view = self._plot.vb
        scene_pos = self._scene_pos
        if scene_pos is None or not view.sceneBoundingRect().contains(scene_pos):
            self.hide()
            return
        point = view.mapSceneToView(scene_pos)
        x, y = point.x(), point.y()
        nearest = self.nearest(x, y) if hasattr(self._widget, "curve_run") else None
        if nearest is not None:
            run, series, x, y = nearest
            text = self._point_text(run, series, x, y)
            self.marker.setData([x], [y])
            self.marker.show()
        else:
            self.point = None
            self.marker.hide()
            log_x, log_y = self._log_modes()
            text = self._describe(10 ** x if log_x else x, 10 ** y if log_y else y)
        if text is None:
            self.hide()
            return
        if self.text_item.toPlainText() != text:
            self.text_item.setText(text)
        # keep the box inside the view: flip the anchor in the right half / top quarter
        (x0, x1), (y0, y1) = view.viewRange()
        self.text_item.setAnchor((1 if x > (x0 + x1) / 2 else 0,
                                  0 if y > y0 + 0.75 * (y1 - y0) else 1))
        self.text_item.setPos(x, y)
        self.lines[0].setPos(x)
        self.lines[1].setPos(y)
        for item in (self.text_item, *self.lines):
            item.show()

    def _log_modes(self):
        return self._plot.ctrl.logXCheck.isChecked(), self._plot.ctrl.logYCheck.isChecked()

    def curves(self):
        """The visible curves that carry data: each run's, and the plot's own named ones (a
        legend entry; decorations such as the epoch lines are not), with their points as
        drawn (in view coordinates: log10 on a log axis). Yields ``(curve, run, series,
        xs, ys)``."""
        for item in self._plot.items:
            if not isinstance(item, (pg.PlotDataItem, pg.PlotCurveItem)) or not item.isVisible():
                continue
            if isinstance(item, pg.PlotDataItem) and item.opts.get("pen") is None:
                continue  # points only (a scatter), not a curve
            owner = self._widget.curve_run(item)
            run, series = owner if owner is not None else (None, series_name(item))
            if owner is None and not series:
                continue
            xs, ys = item.getData()
            if xs is not None and len(xs):
                yield (item, run, series, np.asarray(xs, dtype=np.float64),
                       np.asarray(ys, dtype=np.float64))

    def nearest(self, x, y):
        """``(run, series, x, y)`` of the curve point nearest ``(x, y)`` on screen among
        those within :data:`REACH_PX` of it along x (run None: the current run), or None."""
        width, height = self._plot.vb.viewPixelSize()
        if not (width > 0 and height > 0):
            return None
        best = None
        for _curve, run, series, xs, ys in self.curves():
            if xs[0] <= xs[-1]:  # steps, epochs, samples and seconds only grow
                low = np.searchsorted(xs, x - REACH_PX * width, side="left")
                high = np.searchsorted(xs, x + REACH_PX * width, side="right")
            else:
                low, high = 0, len(xs)
            if high <= low:
                continue
            stride = max(1, (high - low) // MAX_POINTS)
            near_x, near_y = xs[low:high:stride], ys[low:high:stride]
            distance = np.hypot((near_x - x) / width, (near_y - y) / height)
            distance[~np.isfinite(distance)] = np.inf
            index = int(np.argmin(distance))
            if np.isfinite(distance[index]) and (best is None or distance[index] < best[0]):
                best = (distance[index], run, series, float(near_x[index]),
                        float(near_y[index]))
        return None if best is None else best[1:]

    def _point_text(self, run, series, x, y):
        log_x, log_y = self._log_modes()
        value_x, value_y = 10 ** x if log_x else x, 10 ** y if log_y else y
        # a curve keeps the name it was made with; the readout speaks the current language
        series = tr(series) if series else series
        self.point = (run, series, value_x, value_y)
        if run is None:
            head = tr("this run · {series}", series=series) if series else tr("this run")
        else:
            head = tr("{run} · {series}", run=run, series=series) if series else run
        x_label = self._plot.getAxis("bottom").labelText or "x"
        y_label = self._plot.getAxis("left").labelText or "y"
        shown_x = f"{value_x:.0f}" if float(value_x).is_integer() else f"{value_x:.5g}"
        return f"{head}\n{x_label} {shown_x}\n{y_label} {value_y:.5g}"


class _LeaveFilter(QtCore.QObject):
    """Hides the readout when the mouse leaves the plot (no move inside says so)."""

    def __init__(self, readout, parent):
        super().__init__(parent)
        self.readout = readout

    def eventFilter(self, watched, event):
        if event.type() == QtCore.QEvent.Leave:
            self.readout.hide()
        return False


def series_name(curve):
    """The series a curve of the current run draws: its legend name, or for the recent part
    of a live curve (gui.plots.curves.LiveCurve) the name of the whole."""
    return curve.name() or curve.opts.get("series")


__all__ = ["HoverReadout", "MAX_RATE_HZ", "REACH_PX", "series_name"]
