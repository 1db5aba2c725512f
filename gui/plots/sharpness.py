"""Curvature: the sharpness (the training loss's top Hessian eigenvalue) against step, beside
the current rate's stability limit, the crossings marked.

Gradient descent is stable along a direction of curvature lambda only while the rate is below
2 / lambda: with sharpness above ``engine.instruments.stability_limit`` (2/eta, its momentum
form for heavy ball) the run is at or past the edge of stability (Cohen et al. 2021).
"""

import numpy as np
import pyqtgraph as pg

from gui.i18n import tr
from gui.plots.curves import RunCurve
from gui.plots.instrument_plot import InstrumentPlot, dashed, y_extent
from gui.plots.style import TRAIN_COLOR

LIMIT_COLOR = (214, 39, 40)


def limit_steps(step, limit, x_end):
    """The limit as a step line: each value from its step until the next one's, the last
    until ``x_end``; ``(x, y)`` of the finite values (empty if none)."""
    finite = np.isfinite(limit)
    step, limit = np.asarray(step, dtype=np.float64)[finite], limit[finite]
    if not len(step):
        return np.empty(0), np.empty(0)
    x = np.empty(2 * len(step))
    x[0::2] = step
    x[1::2] = np.append(step[1:], max(float(x_end), float(step[-1])))
    return x, np.repeat(limit, 2)


def crossings(step, sharpness, limit):
    """Steps where the sharpness reaches its limit from below (or is above it at the first
    measurement): each measurement's limit is the one it recorded."""
    measured = np.isfinite(sharpness) & np.isfinite(limit)
    above = sharpness[measured] >= limit[measured]
    before = np.concatenate([[False], above[:-1]])
    chosen = above & ~before
    return step[measured][chosen], sharpness[measured][chosen]


class SharpnessPlot(InstrumentPlot):
    """Sharpness per measurement (log axis) and the stability limit of the rate at each step."""

    COLUMNS = ("sharpness", "stability_limit")
    LOG_Y = True

    def __init__(self, parent=None):
        super().__init__("sharpnessPlot", tr("Curvature"), tr("step"), tr("sharpness"), parent)
        self.sharpness_curve = self.add_item(
            pg.PlotDataItem(pen=pg.mkPen(TRAIN_COLOR, width=2), symbol="o", symbolSize=4,
                            symbolBrush=TRAIN_COLOR, symbolPen=None),
            tr("sharpness λmax"))
        self.limit_curve = self.add_item(pg.PlotDataItem(pen=dashed(LIMIT_COLOR, 2)),
                                         tr("stability limit 2/η"))
        self.crossing_points = self.add_item(
            pg.ScatterPlotItem(size=11, symbol="x", brush=pg.mkBrush(LIMIT_COLOR),
                               pen=pg.mkPen(LIMIT_COLOR, width=2)), tr("crosses the limit"))
        self.crossing_points.setZValue(10)

    def current_end(self):
        """The current run's last step (where its limit line ends)."""
        return 0 if self.run is None else self.run.step_count

    def _draw_current(self, data):
        if data is None:
            for item in (self.sharpness_curve, self.limit_curve):
                item.setData([], [])
            self.crossing_points.setData([], [])
            return
        step = data["step"]
        sharpness = data.get("sharpness", np.full(len(step), np.nan))
        limit = data.get("stability_limit", np.full(len(step), np.nan))
        measured = np.isfinite(sharpness)
        self.sharpness_curve.setData(step[measured], sharpness[measured])
        self.limit_curve.setData(*limit_steps(step, limit, self.current_end()))
        x, y = crossings(step, sharpness, limit)
        with np.errstate(divide="ignore", invalid="ignore"):
            self.crossing_points.setData(x, np.log10(y))  # a scatter item is not log-mapped

    def _run_items(self, run):
        return [RunCurve(), RunCurve()], [pg.QtCore.Qt.SolidLine, pg.QtCore.Qt.DashLine]

    def _draw_run(self, run):
        data = run.data
        if not data:
            for item in run.items:
                item.setData([], [])
            return
        step = data["step"]
        sharpness = data.get("sharpness", np.full(len(step), np.nan))
        limit = data.get("stability_limit", np.full(len(step), np.nan))
        measured = np.isfinite(sharpness)
        run.items[0].setData(step[measured], sharpness[measured])
        run.items[1].setData(*limit_steps(step, limit, step[-1]))

    def _label_points(self, run):
        return run.data["step"], run.data.get("sharpness", ())

    def _extent(self):
        data = self.current()
        arrays, ends = [], [self.current_end()]
        for values in ([data] if data else []) + self._visible_data():
            arrays += [values.get(name, ()) for name in self.COLUMNS]
            ends.append(float(values["step"][-1]))
        low, high = y_extent(arrays, log=True)
        return max(ends), low, high

    def describe(self, x, y):
        data = self.current()
        if data is None or "sharpness" not in data:
            return None
        measured = np.isfinite(data["sharpness"])
        if not measured.any():
            return None
        step, sharpness = data["step"][measured], data["sharpness"][measured]
        limit = data.get("stability_limit", np.full(len(data["step"]), np.nan))[measured]
        index = int(np.argmin(np.abs(step - x)))
        return tr("step {step}\nsharpness {sharpness:.4g}\nlimit {limit:.4g}",
                  step=int(step[index]), sharpness=sharpness[index], limit=limit[index])


__all__ = ["SharpnessPlot", "crossings", "limit_steps"]
