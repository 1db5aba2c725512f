"""The per-epoch plots: train and validation loss (best epoch marked) and accuracy."""

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore

from engine.history import GrowableArray
from gui.i18n import QT_TR_NOOP, tr
from gui.plots.curves import RunCurve, finite_extent
from gui.plots.fair_range import diverged_from, fair_end, tame_part
from gui.plots.legend import side_legend
from gui.plots.overlay import RunOverlay
from gui.plots.protocol import CURRENT_RUN
from gui.plots.style import TRAIN_COLOR, VAL_COLOR, cache_painting, style_plot
from gui.plots.view import HoverReadout, RangeFollower


class EpochPlot(RunOverlay):
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
    columns : (str, str)
        The per-epoch columns of a run (gui.session.EPOCH_COLUMNS) it draws: train, validation.
    classification_only : bool
        Shown only while the current run classifies (accuracy means nothing for regression).
    """

    RUN_SERIES = (QT_TR_NOOP("train"), QT_TR_NOOP("validation"))

    def __init__(self, object_name, title, y_label, mark_best=False, legend_offset=None,
                 parent=None, columns=("train_loss", "val_loss"), classification_only=False):
        super().__init__(parent)
        self.columns = columns
        self.classification_only = classification_only
        item = style_plot(self, object_name, title, tr("epoch"), y_label)
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
        self._symbol = None  # the curves' symbols as last drawn
        self.expected_epochs = 0
        self._min = np.inf
        self._max = -np.inf
        self.fixed_y = None
        self._hidden_for_task = False  # hidden by start_run for a run it cannot draw
        self._init_runs()
        self.follower = RangeFollower(self)
        self.hover = HoverReadout(self, self.describe)

    def start_run(self, run):
        if self.classification_only:
            # hidden for a run it cannot draw, shown again only if hidden for that: a
            # lesson or View > Plots may have hidden it (showing it at each classification
            # run put an accuracy sliver beside the learning-rate lesson's epoch loss)
            applies = run.facts.task in ("binary", "multiclass")
            if not applies and not self.isHidden():
                self._hidden_for_task = True
                self.hide()
            elif applies and self._hidden_for_task:
                self._hidden_for_task = False
                self.show()
        self.reset()
        self.plan(run)

    def plan(self, run, epochs=None):
        """The planned epochs (0 until stopped: the axis follows the run)."""
        self.set_expected_epochs(epochs or run.facts.epochs or 0)

    def take_progress(self, run, progress):
        if progress.epochs:  # the epochs came with the run's columns (show_run)
            if self.best_line is not None:
                self.set_best_epoch(progress.best_epoch)
        if any(event.field in ("epochs", "batch_size") for event in progress.chunk.events):
            self.plan(run)

    def show_run(self, key, steps, epochs):
        """Draw run ``key`` (added with :meth:`add_run`, or the current run, whose epochs
        not drawn yet are added) from its per-epoch columns."""
        train, val = self.columns
        if key != CURRENT_RUN:
            self.set_run_data(key, epochs[train], epochs.get(val))
            return
        start = len(self.train)
        new = np.asarray(epochs[train][start:], dtype=np.float64)
        if len(new):
            val_values = np.full(len(new), np.nan)
            given = np.asarray(epochs.get(val, ())[start:start + len(new)], dtype=np.float64)
            val_values[:len(given)] = given
            self.append(new, val_values)

    def set_run_data(self, key, train, val=None):
        """The per-epoch ``train`` and ``val`` values (shape (n,), NaN where none) of ``key``."""
        run = self._run(key)
        train = np.asarray(train, dtype=np.float64)
        val = np.full(len(train), np.nan) if val is None else np.asarray(val, dtype=np.float64)
        if len(val) != len(train):
            raise ValueError(f"run {key!r}: {len(train)} train values, {len(val)} validation")
        epochs = np.arange(1, len(train) + 1)
        run.data = {"train": train, "val": val}
        run.extent = self._extent(train, val)
        for curve, values in zip(run.items, (train, val)):
            curve.setData(epochs, values, connect="finite")
        self.follower.forget()
        self._runs_touched()

    def _extent(self, train, val):
        """(min, max, smallest positive) of a run's losses, a blow-up left out: a diverged
        run leaves through the top, the others keep the view (gui.plots.fair_range)."""
        return finite_extent(tame_part(train), tame_part(val))

    def _run_items(self, run):
        return [RunCurve(), RunCurve()], [QtCore.Qt.SolidLine, QtCore.Qt.DashLine]

    def _run_end(self, run, x_max=np.inf):
        # the validation curve's end (the one compared), the training one's without it
        shown = len(run.data["train"])
        if np.isfinite(x_max):
            shown = min(shown, int(np.floor(x_max)))
        goes_on = len(run.data["train"]) if shown < len(run.data["train"]) else None
        for values in (run.data["val"][:shown], run.data["train"][:shown]):
            if len(values) and np.isfinite(values[-1]):
                return float(len(values)), float(values[-1]), goes_on
        return None

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
        """Epochs of the longest of the current run and the visible kept runs, leaving out
        a kept run far longer than the others (gui.plots.fair_range): it goes on past the
        right edge."""
        return int(max(len(self.train), np.nan_to_num(self._kept_epochs())))

    def _kept_epochs(self):
        """Where the kept runs the view fits end, in epochs (NaN: none)."""
        ends = [len(run.data["train"]) for run in self._visible_runs()]
        return fair_end(zip(ends, ends), self.expected_epochs or np.nan)

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
        # no points rather than only NaN ones (a run diverging in its first epoch): its
        # symbols' bounds were nanmin of nothing, a RuntimeWarning at every repaint
        train = self.train.view
        has_train = bool(len(train)) and bool(np.isfinite(train).any())
        self.train_curve.setData(epochs if has_train else [], train if has_train else [],
                                 symbol=symbol, symbolSize=5, symbolBrush=TRAIN_COLOR,
                                 symbolPen=None, connect="finite")
        self.val_curve.setData(epochs if has_val else [], val if has_val else [],
                               symbol=symbol, symbolSize=5, symbolBrush=VAL_COLOR,
                               symbolPen=None, connect="finite")
        if symbol != self._symbol:
            self._symbol = symbol
            for curve in (self.train_curve, self.val_curve):
                self.getPlotItem().legend.restyled(curve)
        if self._epochs_shown():
            low, high = self._min, self._max
            if self.fixed_y is None and (diverged_from(self.train.view) is not None
                                         or diverged_from(self.val.view) is not None):
                low, high, _ = self._extent(self.train.view, self.val.view)
            for run in self._visible_runs():
                low, high = min(low, run.extent[0]), max(high, run.extent[1])
            low, high = self.fixed_y if self.fixed_y is not None else (low, high)
            kept = np.nan_to_num(self._kept_epochs())
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
        self.end_labels.update()

    def describe(self, x, y):
        n = len(self.train)
        if not n:
            return None
        epoch = int(np.clip(round(x), 1, n))
        text = tr("epoch {epoch}\ntrain {value:.5g}", epoch=epoch,
                  value=self.train.view[epoch - 1])
        if len(self.val) >= epoch and np.isfinite(self.val.view[epoch - 1]):
            text += tr("\nvalidation {value:.5g}", value=self.val.view[epoch - 1])
        return text


def epoch_loss_plot(parent=None):
    """The train and validation loss per epoch, the best epoch marked."""
    return EpochPlot("epochLossPlot", tr("Epoch loss"), tr("loss"), mark_best=True,
                     parent=parent)


def accuracy_plot(parent=None):
    """The train and validation accuracy per epoch (classification only), on 0..1."""
    plot = EpochPlot("accuracyPlot", tr("Accuracy"), tr("accuracy"), parent=parent,
                     columns=("train_accuracy", "val_accuracy"), classification_only=True)
    plot.set_fixed_y(0.0, 1.0)
    return plot
