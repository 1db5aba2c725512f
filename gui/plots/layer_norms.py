"""Layer norms: each parameter array's |w|, |g| and |update| / |w| at the last measurement
(log axis), the arrays along x.

LARS's premise (You et al. 2017) is that the ratio |w| / |g| differs between layers by orders
of magnitude, so one global rate moves some layers by a large fraction of their weights and
others hardly at all; |update| / |w| shows that fraction directly. LARS and LAMB scale each
layer's step by its trust ratio (the learning-rate plot's right axis) to even it out.
"""

import re

import numpy as np
import pyqtgraph as pg

from gui.i18n import tr
from gui.plots.curves import RunCurve
from gui.plots.instrument_plot import InstrumentPlot, y_extent

# The measured quantities drawn, with their colour and symbol.
SERIES = (("weight", (31, 119, 180), "o"), ("gradient", (255, 127, 14), "s"),
          ("ratio", (44, 160, 44), "t"))
_PARAM = re.compile(r"^dense_(\d+)/(kernel|bias)$")


def array_label(name):
    """"dense_2/kernel" -> "W2", "dense_2/bias" -> "b2"; other names as they are."""
    match = _PARAM.match(name)
    if not match:
        return name
    return ("W" if match.group(2) == "kernel" else "b") + match.group(1)


def array_names(table_columns):
    """The parameter arrays measured (in the table's order), from ``<array>/ratio`` columns."""
    return [name[:-len("/ratio")] for name in table_columns if name.endswith("/ratio")]


def latest(data, arrays):
    """``{quantity: values per array}`` at the last row of ``data`` where the norms were
    measured, and that row's epoch; (None, None) if they never were."""
    if not arrays:
        return None, None
    rows = ~np.isnan(data[f"{arrays[0]}/ratio"])
    if not rows.any():
        return None, None
    row = int(np.flatnonzero(rows)[-1])
    values = {quantity: np.array([data[f"{array}/{quantity}"][row] for array in arrays])
              for quantity, _color, _symbol in SERIES}
    return values, int(data["epoch"][row])


class LayerNormsPlot(InstrumentPlot):
    """|w|, |g| and |update| / |w| per parameter array; kept runs' |update| / |w| as lines."""

    LOG_Y = True

    def __init__(self, parent=None):
        super().__init__("layerNormsPlot", tr("Layer norms"), tr("parameter array"),
                         tr("norm"), parent)
        names = {"weight": tr("|w|"), "gradient": tr("|g|"), "ratio": tr("|update| / |w|")}
        self.curves = {}
        for quantity, color, symbol in SERIES:
            self.curves[quantity] = self.add_item(
                pg.PlotDataItem(pen=pg.mkPen(color, width=1.5), symbol=symbol, symbolSize=8,
                                symbolBrush=color, symbolPen=None), names[quantity])
        self.arrays = []
        self.values = None
        self.measured_epoch = None

    @property
    def COLUMNS(self):
        """The columns of the arrays' norms in the current run's table."""
        table = None if self.run is None else self.run.instruments
        names = array_names(table.columns) if table is not None else []
        return tuple(f"{array}/{quantity}" for array in names
                     for quantity in ("weight", "gradient", "update", "ratio"))

    def _draw_current(self, data):
        arrays = array_names(data) if data else []
        values, epoch = latest(data, arrays) if arrays else (None, None)
        self.arrays, self.values, self.measured_epoch = arrays, values, epoch
        x = np.arange(len(arrays), dtype=np.float64)
        for quantity, curve in self.curves.items():
            curve.setData(x, values[quantity]) if values else curve.setData([], [])
        self.getPlotItem().getAxis("bottom").setTicks(
            [[(index, array_label(name)) for index, name in enumerate(arrays)], []])

    def show_instruments(self, key, table):
        names = array_names(table)
        columns_wanted = {f"{array}/{quantity}" for array in names
                          for quantity in ("weight", "gradient", "update", "ratio")}
        run = self._run(key)
        run.data = {name: np.asarray(values) for name, values in table.items()
                    if name in columns_wanted or name in ("step", "epoch")} if names else {}
        run.version += 1
        self._draw_run(run)
        self.follower.forget()
        self._runs_touched()

    def _run_items(self, run):
        return [RunCurve()], [pg.QtCore.Qt.DashLine]

    def _draw_run(self, run):
        arrays = array_names(run.data) if run.data else []
        values, _epoch = latest(run.data, arrays) if arrays else (None, None)
        if values is None:
            run.items[0].setData([], [])
            return
        run.items[0].setData(np.arange(len(arrays), dtype=np.float64), values["ratio"])

    def _label_points(self, run):
        """The run's |update| / |w| per array: named at the last array."""
        arrays = array_names(run.data)
        values, _epoch = latest(run.data, arrays) if arrays else (None, None)
        if values is None:
            return None
        return np.arange(len(arrays), dtype=np.float64), values["ratio"]

    def _extent(self):
        arrays = list(self.values.values()) if self.values else []
        for run in self._visible_runs():
            values, _epoch = latest(run.data, array_names(run.data))
            if values is not None:
                arrays.append(values["ratio"])
        low, high = y_extent(arrays, log=True)
        return max(len(self.arrays) - 1, 1), low, high

    def _fit_range(self):
        super()._fit_range()
        if self.follower.following and self.arrays:  # half an array's room at both ends
            self.getPlotItem().vb.setXRange(-0.5, len(self.arrays) - 0.5, padding=0)

    def describe(self, x, y):
        if not self.values:
            return None
        index = int(np.clip(round(x), 0, len(self.arrays) - 1))
        return tr("{array} (epoch {epoch})\n|w| {weight:.3g}\n|g| {gradient:.3g}\n"
                  "|update| / |w| {ratio:.3g}", array=array_label(self.arrays[index]),
                  epoch=self.measured_epoch, weight=self.values["weight"][index],
                  gradient=self.values["gradient"][index], ratio=self.values["ratio"][index])


__all__ = ["LayerNormsPlot", "array_label", "array_names"]
