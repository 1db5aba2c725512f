"""Noise scale: the gradient noise scale B_simple against step (log axis), the batch size
as a line, and the batch sizes above B_simple shaded.

B_simple = tr(Sigma) / |G|^2 (McCandlish et al. 2018) predicts the critical batch size: a
batch well below it buys almost proportionally faster progress, a batch above it spends
samples for little gain. Where the batch-size line runs through the shaded region, the run's
batch is larger than the gradient's noise makes useful at that point of training.
"""

import numpy as np
import pyqtgraph as pg

from gui.i18n import tr
from gui.plots.curves import RunCurve
from gui.plots.instrument_plot import InstrumentPlot, y_extent
from gui.plots.style import TRAIN_COLOR

BATCH_COLOR = (60, 60, 60)
WASTED_BRUSH = (255, 150, 40, 60)
# The shading's upper edge (log10 of a batch size): far above any plot's range.
WASTED_TOP = 12.0


class NoiseScalePlot(InstrumentPlot):
    """B_simple per measurement, the current batch size, and the wasteful batch sizes."""

    COLUMNS = ("noise_scale",)
    LOG_Y = True

    def __init__(self, parent=None):
        super().__init__("noiseScalePlot", tr("Noise scale"), tr("step"),
                         tr("batch size"), parent)
        # the shading is the region between the noise curve and WASTED_TOP (log10 units: a
        # fill level is not log-mapped): batch sizes the noise makes partly wasted
        self.wasted = self.add_item(
            pg.PlotDataItem(pen=None, fillLevel=WASTED_TOP, fillBrush=WASTED_BRUSH),
            tr("samples partly wasted"))
        self.noise_curve = self.add_item(
            pg.PlotDataItem(pen=pg.mkPen(TRAIN_COLOR, width=2), symbol="o", symbolSize=4,
                            symbolBrush=TRAIN_COLOR, symbolPen=None),
            tr("noise scale B_simple"))
        self.batch_line = self.add_item(
            pg.PlotDataItem(pen=pg.mkPen(BATCH_COLOR, width=1.5)), tr("batch size"))

    def batch_size(self):
        """The current run's batch size now (a live change included; at most the training
        rows); None before a run."""
        run = self.run
        if run is None:
            return None
        batch = int(run.live.get("batch_size", run.config.batch_size))
        return min(batch, run.facts.n_train) if run.facts.n_train else batch

    def _wants(self, chunk):
        return any(event.field == "batch_size" for event in chunk.events)

    def _x_end(self, data):
        ends = [1.0 if self.run is None else float(self.run.step_count)]
        for values in ([data] if data else []) + self._visible_data():
            ends.append(float(values["step"][-1]))
        return max(ends)

    def _draw_current(self, data):
        if data is None:
            self.noise_curve.setData([], [])
            self.wasted.setData([], [])
        else:
            measured = np.isfinite(data["noise_scale"])
            x, y = data["step"][measured], data["noise_scale"][measured]
            self.noise_curve.setData(x, y)
            self.wasted.setData(x, y)
        batch = self.batch_size()
        if batch is None:
            self.batch_line.setData([], [])
        else:
            self.batch_line.setData([0.0, self._x_end(data)], [float(batch)] * 2)

    def _run_items(self, run):
        return [RunCurve()], [pg.QtCore.Qt.SolidLine]

    def _draw_run(self, run):
        data = run.data
        if not data:
            run.items[0].setData([], [])
            return
        measured = np.isfinite(data["noise_scale"])
        run.items[0].setData(data["step"][measured], data["noise_scale"][measured])

    def _label_points(self, run):
        return run.data["step"], run.data["noise_scale"]

    def _extent(self):
        data = self.current()
        arrays = [values["noise_scale"] for values in ([data] if data else [])
                  + self._visible_data()]
        batch = self.batch_size()
        if batch is not None:
            arrays.append([batch])
        low, high = y_extent(arrays, log=True)
        return self._x_end(data), low, high

    def describe(self, x, y):
        data = self.current()
        if data is None:
            return None
        measured = np.isfinite(data["noise_scale"])
        if not measured.any():
            return None
        step, noise = data["step"][measured], data["noise_scale"][measured]
        index = int(np.argmin(np.abs(step - x)))
        return tr("step {step}\nnoise scale {noise:.4g}\nbatch size {batch}",
                  step=int(step[index]), noise=noise[index], batch=self.batch_size())


__all__ = ["NoiseScalePlot"]
