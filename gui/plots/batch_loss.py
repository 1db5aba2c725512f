"""The batch-loss plot: raw and smoothed loss per batch, epoch starts, change markers."""

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from gui import glossary, i18n
from gui.buffers import DebiasedEMA, SeriesPyramid, kept_smoothed
from gui.i18n import tr
from gui.plots.curves import LiveCurve, finite_extent
from gui.plots.fair_range import diverged_from
from gui.plots.legend import side_legend
from gui.plots.overlay import StepPlot
from gui.plots.style import MAX_EPOCH_LINES, MIN_EPOCH_LINE_SPACING, visible_span, x_pixel


class BatchLossPlot(StepPlot):
    """Per-batch loss: raw (faint) and smoothed curves, epoch starts and change markers.

    A kept run shows its smoothed loss (the plot's smoothing weight) in the run's colour.
    """

    COLUMN = "batch_loss"
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

    def start_run(self, run):
        self.reset()
        self.plan(run)

    def take_progress(self, run, progress):
        """The chunk's losses; a live change of a knob and a notice ("not learning") each
        leave a marker at their step."""
        chunk = progress.chunk
        for event in chunk.events:
            self.add_marker(event.step, tr(event.label()))
            if event.field in ("epochs", "batch_size"):
                self.plan(run)
        for notice in chunk.notices or ():
            self.add_marker(notice.step, tr("not learning"))

    def _append_current(self, steps):
        self.append(steps["step"], steps["epoch"], steps["batch_loss"], steps["samples"],
                    steps["seconds"])

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
        self._dirty = True  # the end labels make room for its name at the next redraw

    def _x_of_step(self, step):
        x, steps = self.current_x(), self.steps.view
        if x is None or not len(steps):
            return step if self.x_mode == "step" else 0.0
        return float(x[min(int(np.searchsorted(steps, step)), len(steps) - 1)])

    def _x_mode_changed(self):
        for step, line in self.markers:
            line.setPos(self._x_of_step(step))

    def _run_pyramid(self, losses):
        return kept_smoothed(losses, self.ema.weight)

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
        low, high, low_positive = self._runs_y_extent(*self._current_extent())
        self.follower.fit(self._current_end(), low_positive if self.log_y else low, high,
                          self.log_y, x_planned=self._planned_x(),
                          x_kept=np.nan_to_num(self._kept_end()))

    def _current_extent(self):
        """The current run's (min, max, smallest positive) loss, a blow-up left out: a
        diverged run leaves through the top, the others keep the view
        (gui.plots.fair_range)."""
        start = diverged_from(self.losses.view)
        if start is None:
            return self._min, self._max, self._min_positive
        return finite_extent(self.losses.view[:start])

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

    def describe(self, x, y):
        xs, steps = self.current_x(), self.steps.view
        if xs is None or not len(steps):
            return None
        index = int(np.clip(np.searchsorted(xs, x), 0, len(steps) - 1))
        if index > 0 and abs(xs[index - 1] - x) < abs(xs[index] - x):
            index -= 1
        return tr("step {step}\nloss {loss:.5g}\nsmoothed {smoothed:.5g}", step=steps[index],
                  loss=self.losses.view[index], smoothed=self.ema.output.view[index])


class BatchLossControls(i18n.Retranslating, QtWidgets.QWidget):
    """The batch-loss plot's own controls, shown above it: the smoothing weight (objectName
    ``smoothingSlider``) and the log-scale loss axis (``logYCheck``)."""

    def __init__(self, plot, parent=None):
        super().__init__(parent)
        header = QtWidgets.QHBoxLayout(self)
        header.setContentsMargins(6, 0, 6, 0)
        self.smoothing_label = QtWidgets.QLabel()
        self.smoothing_slider = QtWidgets.QSlider(QtCore.Qt.Horizontal)
        self.smoothing_slider.setObjectName("smoothingSlider")
        self.smoothing_slider.setRange(0, 99)
        self.smoothing_slider.setValue(60)
        self.smoothing_slider.setMaximumWidth(180)
        self.smoothing_value = QtWidgets.QLabel("0.60")
        self.smoothing_value.setMinimumWidth(32)
        self.log_check = QtWidgets.QCheckBox()
        self.log_check.setObjectName("logYCheck")
        self.plot = plot
        self.smoothing_slider.valueChanged.connect(self._on_smoothing)
        self.log_check.toggled.connect(plot.set_log_y)
        header.addWidget(self.smoothing_label)
        header.addWidget(self.smoothing_slider)
        header.addWidget(self.smoothing_value)
        header.addSpacing(12)
        header.addWidget(self.log_check)
        header.addStretch(1)
        self.retranslate()

    def _on_smoothing(self, value):
        weight = value / 100
        self.smoothing_value.setText(f"{weight:.2f}")
        self.plot.set_smoothing(weight)

    def retranslate(self):
        self.smoothing_label.setText(glossary.ui_text("smoothing"))
        self.smoothing_slider.setToolTip(glossary.tooltip("smoothing"))
        self.log_check.setText(glossary.label("log_y"))
        self.log_check.setToolTip(glossary.tooltip("log_y"))
