"""What every live plot's view does: follow the data with few range changes, and show the
value under the mouse (:class:`gui.plots.hover.HoverReadout`)."""

import math

import numpy as np

from gui.plots.hover import HoverReadout


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


__all__ = ["HoverReadout", "RangeFollower"]
