"""The learning-rate range test's result: loss against learning rate, and a rate to use.

The curve teaches the learning-rate term in one picture: flat on the left (too small, the loss
barely moves), falling in the middle, exploding on the right (too large, it diverges). The
dialog draws the measured batch losses faintly, the smoothed curve over them, the range where
the curve falls (shaded) and the suggested rate, and says why that rate was chosen.
"""

import math

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from gui import glossary, i18n
from gui.i18n import QT_TR_NOOP, tr
from gui.plots import cache_painting
from gui.plots.menu_texts import retranslate_menus

#: The engine's reasons (``engine.lr_finder.REASONS``), worded for the dialog.
REASON_TEXT = {
    "steepest": QT_TR_NOOP("Suggested: {rate}, where the smoothed loss falls fastest inside the "
                           "range where it falls ({low} to {high}, shaded). A trial run at this "
                           "rate from the same weights lowered the loss."),
    "stepped_down": QT_TR_NOOP("Suggested: {rate}. The smoothed loss falls fastest at {steepest}, "
                               "inside the range where it falls ({low} to {high}, shaded), but a "
                               "trial run at that rate did not train: the loss keeps falling in "
                               "the test for a few steps past the largest rate that trains. "
                               "{rate} is where it falls fastest among the lower rates, and a "
                               "trial run at it lowered the loss."),
    "none_trains": QT_TR_NOOP("No suggestion: the smoothed loss falls between {low} and {high} "
                              "(shaded), but no trial run at a rate in that range lowered the "
                              "loss. Try a smaller batch or another optimizer."),
    "no_fall": QT_TR_NOOP("No suggestion: the smoothed loss did not fall anywhere in the test. "
                          "The model may be stuck on a plateau; try another seed or a smaller "
                          "batch."),
    "too_short": QT_TR_NOOP("No suggestion: the test stopped after {steps} steps, too few to "
                            "tell."),
    "stopped": QT_TR_NOOP("No suggestion: the test was stopped before its trial run at "
                          "{steepest}, where the smoothed loss falls fastest ({low} to {high}, "
                          "shaded)."),
}


def _rate(value):
    return "–" if not math.isfinite(value) else f"{value:.3g}"


class LRFinderDialog(i18n.Retranslating, QtWidgets.QDialog):
    """Shows an ``engine.lr_finder.LRFinderResult``; emits ``useRate(float)`` on request."""

    useRate = QtCore.Signal(float)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("lrFinderDialog")
        self.resize(640, 460)
        layout = QtWidgets.QVBoxLayout(self)
        self.plot = pg.PlotWidget()
        self.plot.setObjectName("lrFinderPlot")
        item = self.plot.getPlotItem()
        item.setLogMode(x=True)
        item.getAxis("left").enableAutoSIPrefix(False)
        cache_painting(item.getAxis("left"), item.getAxis("bottom"))
        self.falling_region = pg.LinearRegionItem(movable=False,
                                                  brush=pg.mkBrush(44, 160, 44, 40),
                                                  pen=pg.mkPen(None))
        self.falling_region.setObjectName("lrFallingRange")
        self.falling_region.setZValue(-10)
        self.falling_region.hide()
        item.addItem(self.falling_region)
        self.curve = item.plot(pen=pg.mkPen(31, 119, 180, width=2))
        self.raw_curve = item.plot(pen=pg.mkPen(120, 120, 120, 90))
        self.raw_curve.setZValue(-5)
        marker_pen = pg.mkPen(44, 160, 44, width=1.5, style=QtCore.Qt.DashLine)
        self.suggestion_line = pg.InfiniteLine(angle=90, pen=marker_pen, label="",
                                               labelOpts={"position": 0.9,
                                                          "color": (30, 120, 30)})
        item.addItem(self.suggestion_line)
        layout.addWidget(self.plot, stretch=1)
        self.explanation = QtWidgets.QLabel()
        self.explanation.setObjectName("lrFinderExplanation")
        self.explanation.setWordWrap(True)
        layout.addWidget(self.explanation)
        buttons = QtWidgets.QDialogButtonBox()
        self.use_button = buttons.addButton("", QtWidgets.QDialogButtonBox.AcceptRole)
        self.use_button.setObjectName("useSuggestedLrButton")
        self.close_button = buttons.addButton(QtWidgets.QDialogButtonBox.Close)
        self.use_button.clicked.connect(self._use)
        self.close_button.clicked.connect(self.close)
        layout.addWidget(buttons)
        self.result = None
        self.retranslate()

    def retranslate(self):
        """Every text in the current language."""
        language = i18n.language()
        self.setWindowTitle(glossary.label("lr_finder", language))
        self.use_button.setText(glossary.ui_text("use_suggested_lr", language))
        item = self.plot.getPlotItem()
        item.setLabel("bottom", tr("learning rate"))
        item.setLabel("left", tr("smoothed loss"))
        retranslate_menus(self.plot)
        self._describe()

    def show_result(self, result):
        """Draw ``result``: the measured and smoothed curves, the falling range and the suggestion."""
        self.result = result
        self.curve.setData(np.asarray(result.lrs), np.asarray(result.losses))
        self.raw_curve.setData(np.asarray(result.lrs), np.asarray(result.raw_losses))
        low, high = result.falling
        has_range = math.isfinite(low) and math.isfinite(high)
        if has_range:
            self.falling_region.setRegion((np.log10(low), np.log10(high)))
        self.falling_region.setVisible(has_range)
        has_rate = math.isfinite(result.suggestion)
        if has_rate:
            self.suggestion_line.setPos(np.log10(result.suggestion))
            self.suggestion_line.label.setFormat(f"{result.suggestion:.3g}")
        self.suggestion_line.setVisible(has_rate)
        self.use_button.setEnabled(has_rate)
        self._fit_view(np.asarray(result.losses))
        self._describe()

    def _fit_view(self, losses):
        """Show the whole sweep, and the loss from its lowest point to a little above where
        it started falling: the blow-up at the end (often 10x the start) would flatten the
        part that matters into a line (fastai's plot cuts it off for the same reason)."""
        item = self.plot.getPlotItem()
        item.enableAutoRange(x=True)
        finite = losses[np.isfinite(losses)]
        if finite.size == 0:
            item.enableAutoRange(y=True)
            return
        lowest = int(np.argmin(losses))
        bottom, top = float(losses[lowest]), float(np.max(losses[:lowest + 1]))
        pad = 0.15 * (top - bottom) or 0.05 * abs(top) or 1.0
        item.setYRange(bottom - pad, top + 2 * pad, padding=0)

    def _describe(self):
        text = glossary.text("lr_finder", self.language)
        result = self.result
        if result is not None:
            low, high = result.falling
            text += "\n" + tr(REASON_TEXT[result.reason], self.language,
                              rate=_rate(result.suggestion), steepest=_rate(result.steepest),
                              low=_rate(low), high=_rate(high), steps=str(result.lrs.size))
        self.explanation.setText(text)

    def _use(self):
        if self.result is not None and math.isfinite(self.result.suggestion):
            self.useRate.emit(float(self.result.suggestion))
        self.close()
