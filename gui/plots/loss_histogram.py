"""Per-example losses: the histogram of every training example's loss at the last measurement
(log-spaced bins and one for exactly 0), beside the first one's outline.

The mean loss hides how it is spread: hinge-type losses put examples at exactly zero once they
are past the margin, crossentropy never does; a long tail of a few badly fitted points looks
the same in the mean as many slightly wrong ones. The legend gives the share at exactly zero.
"""

import numpy as np
import pyqtgraph as pg

from engine.instruments import LOSS_BIN_EDGES
from gui.i18n import tr
from gui.plots.curves import RunCurve
from gui.plots.instrument_plot import InstrumentPlot
from gui.plots.style import TRAIN_COLOR

BINS = tuple(f"loss_bin_{index}" for index in range(len(LOSS_BIN_EDGES)))
# Where the bars sit on the x axis (log10 of the loss): the "exactly 0" bin left of the
# smallest edge, one log bin's width apart from it.
LOG_EDGES = np.log10(LOSS_BIN_EDGES)
BIN_WIDTH = float(LOG_EDGES[1] - LOG_EDGES[0])
ZERO_X = float(LOG_EDGES[0] - 2 * BIN_WIDTH)
LEFT = np.concatenate([[ZERO_X], LOG_EDGES[:-1]])
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def ticks():
    """The x axis's labels: "0" under its bin, then every second power of ten."""
    major = [(ZERO_X + BIN_WIDTH / 2, "0")]
    for power in range(int(LOG_EDGES[0]), int(LOG_EDGES[-1]) + 1, 2):
        major.append((float(power), "1" if power == 0 else
                      "10" + str(power).translate(_SUPERSCRIPT)))
    return [major, []]


def shares(data, row):
    """The share of examples in each bin (the zero bin first) at ``row`` of ``data``."""
    counts = np.array([data[name][row] for name in BINS], dtype=np.float64)
    total = counts.sum()
    return counts / total if total > 0 else counts


def outline(heights):
    """A histogram's outline as a step line: ``(x, y)`` over the bins."""
    x = np.empty(2 * len(LEFT) + 2)
    y = np.zeros_like(x)
    x[1:-1:2] = LEFT
    x[2:-1:2] = LEFT + BIN_WIDTH
    x[0], x[-1] = LEFT[0], LEFT[-1] + BIN_WIDTH
    y[1:-1:2] = heights
    y[2:-1:2] = heights
    return x, y


class LossHistogramPlot(InstrumentPlot):
    """The last measured histogram as bars, the first as an outline, kept runs' last ones as
    outlines in their colours."""

    COLUMNS = ("loss_zero_fraction",) + BINS

    def __init__(self, parent=None):
        super().__init__("lossHistogramPlot", tr("Per-example losses"), tr("loss"),
                         tr("share of examples"), parent)
        self.getPlotItem().getAxis("bottom").setTicks(ticks())
        self.bars = self.add_item(pg.BarGraphItem(x0=LEFT, width=BIN_WIDTH * 0.9,
                                                  height=np.zeros(len(LEFT)),
                                                  brush=pg.mkBrush(*TRAIN_COLOR, 170),
                                                  pen=pg.mkPen(None)), tr("now"))
        self.first = self.add_item(pg.PlotDataItem(pen=pg.mkPen(120, 120, 120, width=1.5)),
                                   tr("start"))
        self.heights = np.zeros(len(LEFT))
        self.measured_at = None  # (step, epoch) of the bars
        self.zero_fraction = np.nan

    def current(self):
        data = super().current()
        if data is None:
            return None
        rows = ~np.isnan(data["loss_zero_fraction"])
        return {name: values[rows] for name, values in data.items()} if rows.any() else None

    def _draw_current(self, data):
        if data is None:
            self.heights = np.zeros(len(LEFT))
            self.measured_at, self.zero_fraction = None, np.nan
            self.first.setData([], [])
            self.legend.rename(self.bars, tr("now"))
        else:
            self.heights = shares(data, -1)
            self.measured_at = (int(data["step"][-1]), int(data["epoch"][-1]))
            self.zero_fraction = float(data["loss_zero_fraction"][-1])
            self.first.setData(*outline(shares(data, 0)) if len(data["step"]) > 1
                               else ([], []))
            self.legend.rename(self.bars, tr("epoch {epoch}: {share:.1%} exactly 0",
                                             epoch=self.measured_at[1],
                                             share=self.zero_fraction))
        self.bars.setOpts(height=self.heights)

    def _run_items(self, run):
        return [RunCurve()], [pg.QtCore.Qt.SolidLine]

    def _draw_run(self, run):
        data = run.data
        rows = (~np.isnan(data["loss_zero_fraction"]) if data and "loss_bin_0" in data
                else np.zeros(0, bool))
        if not rows.any():
            run.items[0].setData([], [])
            return
        last = {name: values[rows] for name, values in data.items()}
        run.items[0].setData(*outline(shares(last, -1)))

    def _label_points(self, run):
        """The run's outline is named at its highest bin (it ends at zero, as every outline
        does, past the last bin)."""
        data = run.data
        if "loss_bin_0" not in data:
            return None
        rows = ~np.isnan(data["loss_zero_fraction"])
        if not rows.any():
            return None
        heights = shares({name: values[rows] for name, values in data.items()}, -1)
        peak = int(np.argmax(heights))
        return [LEFT[peak] + BIN_WIDTH / 2], [heights[peak]]

    def _fit_range(self):
        """The bins on x, always; y from 0 to the highest bar or outline."""
        high = float(self.heights.max()) if len(self.heights) else 0.0
        for run in self._visible_runs():
            _, y = run.items[0].getData()
            if y is not None and len(y):
                high = max(high, float(np.nanmax(y)))
        if self.follower.following:
            self.getPlotItem().vb.setRange(xRange=(ZERO_X - BIN_WIDTH, LEFT[-1] + 2 * BIN_WIDTH),
                                           yRange=(0.0, 1.05 * max(high, 0.05)), padding=0)

    def describe(self, x, y):
        if self.measured_at is None:
            return None
        index = int(np.clip(np.searchsorted(LEFT, x, side="right") - 1, 0, len(LEFT) - 1))
        if index == 0:
            where = tr("exactly 0")
        else:
            where = f"{LOSS_BIN_EDGES[index - 1]:.2g} – {LOSS_BIN_EDGES[index]:.2g}"
        return tr("loss {where}\n{share:.1%} of examples (epoch {epoch})", where=where,
                  share=self.heights[index], epoch=self.measured_at[1])


__all__ = ["LossHistogramPlot", "outline", "shares"]
