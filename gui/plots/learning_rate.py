"""The learning-rate plot, with LARS/LAMB's per-array trust ratios on a right log axis."""

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore

from engine.history import GrowableArray
from gui.buffers import SeriesPyramid, kept_peaks
from gui.i18n import tr
from gui.plots.curves import LiveCurve
from gui.plots.legend import side_legend
from gui.plots.overlay import StepPlot
from gui.plots.style import (RIGHT_MARGIN, TICK_OVERHANG, cache_painting, class_color,
                             spread_labels, visible_span, x_pixel)


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


def trust_names(count, config):
    """Names of a model's ``count`` parameter arrays, for the trust-ratio legend."""
    layers = len(config.hidden_layers) + 1
    if count == 2 * layers:
        return tuple(f"{kind}{i + 1}" for i in range(layers) for kind in ("W", "b"))
    if count == layers:
        return tuple(tr("layer {number}", number=i + 1) for i in range(layers))
    return tuple(tr("array {number}", number=i + 1) for i in range(count))


#: Below this plot width the trust-ratio axis drops its title (the legend names the curves).
RATIO_LABEL_MIN_WIDTH = 300


class LearningRatePlot(StepPlot):
    """Learning rate per batch; for LARS/LAMB the per-array trust ratios on a right log axis.

    Trust ratios span decades (1e-3 to 1e7 at ordinary settings), so their axis is
    logarithmic: on a linear one the large ones were a solid block hiding the learning rate.
    """

    COLUMN = "learning_rate"
    RUN_FIELD = "learning_rate"

    def __init__(self, parent=None):
        super().__init__(parent, "learningRatePlot", tr("Learning rate"), tr("learning rate"))
        item = self.getPlotItem()
        item.setAxisItems({"right": PowerAxis("right")})
        ratio_axis = item.getAxis("right")
        ratio_axis.enableAutoSIPrefix(False)
        ratio_axis.setLogMode(False, True)
        ratio_axis.setStyle(hideOverlappingLabels=TICK_OVERHANG)  # as _style gave the old one
        spread_labels(ratio_axis)
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

    def start_run(self, run):
        names = ()
        if run.config.optimizer in ("lars", "lamb"):
            names = trust_names(run.facts.parameter_arrays, run.config)
        self.reset(names)
        self.plan(run)

    def take_progress(self, run, progress):
        chunk = progress.chunk
        if len(chunk.step):  # the rates came with the run's columns (show_run)
            self._append_ratios(chunk.step, chunk.trust_ratio)
        if any(event.field in ("epochs", "batch_size") for event in chunk.events):
            self.plan(run)

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
        self._append_ratios(steps, trust_ratios)
        self._dirty = True

    def _append_current(self, steps):
        self.append(steps["step"], steps["learning_rate"], None, steps["epoch"],
                    steps["samples"], steps["seconds"])

    def _append_ratios(self, steps, trust_ratios):
        """The trust ratios (shape (m, p), or None) of the last m of ``steps``."""
        if trust_ratios is not None and self.ratios is not None and len(trust_ratios):
            trust_ratios = np.asarray(trust_ratios, dtype=np.float64)
            if trust_ratios.shape[1] == self.ratios.view.shape[1]:
                self.ratio_steps.extend(np.asarray(steps)[-len(trust_ratios):])
                self.ratios.extend(trust_ratios)
        self._dirty = True

    def _run_pyramid(self, rates):
        return kept_peaks(rates)

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

    def describe(self, x, y):
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
