"""The learning-rate range test's result: loss against learning rate, and a rate to use.

The curve teaches the learning-rate term in one picture: flat on the left (too small, the loss
barely moves), falling in the middle, exploding on the right (too large, it diverges).
"""

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from gui import glossary
from gui.i18n import tr
from gui.plots import cache_painting


class LRFinderDialog(QtWidgets.QDialog):
    """Shows an ``engine.lr_finder.LRFinderResult``; emits ``useRate(float)`` on request."""

    useRate = QtCore.Signal(float)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("lrFinderDialog")
        self.resize(640, 440)
        layout = QtWidgets.QVBoxLayout(self)
        self.plot = pg.PlotWidget()
        self.plot.setObjectName("lrFinderPlot")
        item = self.plot.getPlotItem()
        item.setLogMode(x=True)
        item.setLabel("bottom", tr("learning rate"))
        item.setLabel("left", tr("smoothed loss"))
        item.getAxis("left").enableAutoSIPrefix(False)
        cache_painting(item.getAxis("left"), item.getAxis("bottom"))
        self.curve = item.plot(pen=pg.mkPen(31, 119, 180, width=2))
        marker_pen = pg.mkPen(44, 160, 44, width=1.5, style=QtCore.Qt.DashLine)
        self.suggestion_line = pg.InfiniteLine(angle=90, pen=marker_pen, label="",
                                               labelOpts={"position": 0.9,
                                                          "color": (30, 120, 30)})
        item.addItem(self.suggestion_line)
        layout.addWidget(self.plot, stretch=1)
        self.explanation = QtWidgets.QLabel()
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
        self.set_language(glossary.DEFAULT_LANGUAGE)

    def set_language(self, language):
        self.language = language
        self.setWindowTitle(glossary.label("lr_finder", language))
        self.use_button.setText(glossary.ui_text("use_suggested_lr", language))
        self._describe()

    def show_result(self, result):
        """Draw ``result`` (lrs, smoothed losses, suggestion)."""
        self.result = result
        self.curve.setData(np.asarray(result.lrs), np.asarray(result.losses))
        self.suggestion_line.setPos(np.log10(result.suggestion))
        self.suggestion_line.label.setFormat(f"{result.suggestion:.3g}")
        self.plot.getPlotItem().enableAutoRange()
        self._describe()

    def _describe(self):
        text = glossary.text("lr_finder", self.language)
        if self.result is not None:
            text += "\n" + glossary.ui_text("lr_suggestion", self.language).format(
                rate=f"{self.result.suggestion:.3g}", steepest=f"{self.result.steepest:.3g}")
        self.explanation.setText(text)

    def _use(self):
        if self.result is not None:
            self.useRate.emit(float(self.result.suggestion))
        self.close()
