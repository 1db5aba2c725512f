"""The data plot: what the model learned (decision surface, fitted curve or confusion matrix),
and its two toggles (as TensorFlow Playground's): show the validation points, and discretize
the output (each class's region in one flat colour, a hard boundary, instead of shading by
the model's confidence; a regression surface in :data:`BANDS` flat bands)."""

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from gui import i18n
from gui.i18n import QT_TR_NOOP, tr
from gui.plots.legend import side_legend
from gui.plots.protocol import LivePlot
from gui.plots.style import (CLASS_COLORS, cache_painting, class_color, drawn_sample,
                             one_per_colour, style_plot)
from gui.plots.view import HoverReadout
from gui.views import _CLASS_COLORS, _VIRIDIS, _WHITE, value_colors

#: A discretized regression surface: this many bands of equal width over the targets' range.
BANDS = 8
#: A discretized class region's colour: the class colour at this strength on white (the
#: shading's strongest is 0.62; a little lighter keeps the points readable on it).
FLAT_STRENGTH = 0.45


class DataPlot(LivePlot):
    """What the model learned: decision surface, fitted curve or confusion matrix.

    The pictures are computed in the worker thread (:mod:`gui.views`); this widget only shows
    them. Training points are filled, validation points are rings.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        item = style_plot(self, "dataPlot", tr("Data and model"), "x₁", "x₂")
        side_legend(item)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setZValue(-20)
        item.addItem(self.image)
        self.train_points = pg.ScatterPlotItem(size=6, pen=pg.mkPen(255, 255, 255, 200))
        self.val_points = pg.ScatterPlotItem(size=7, brush=pg.mkBrush(0, 0, 0, 0))
        item.addItem(self.train_points)
        item.addItem(self.val_points)
        cache_painting(self.train_points, self.val_points, item.legend)
        self.fit_curve = item.plot(pen=pg.mkPen(214, 39, 40, width=2.5))
        # the scale of regression and count targets (the points' and the surface's colours)
        self.color_bar = pg.ColorBarItem(values=(0, 1), width=12, interactive=False,
                                         colorMap=pg.ColorMap(np.linspace(0, 1, len(_VIRIDIS)),
                                                              _VIRIDIS.astype(np.uint8)))
        self.color_bar.axis.enableAutoSIPrefix(False)
        item.layout.addItem(self.color_bar, 2, 4)
        self.color_bar.hide()
        self.cell_texts = []
        self.mode = None
        self.geometry = None
        self.view = None
        self._pending_view = None
        self.show_validation = True
        self.discretize = False
        self.hover = HoverReadout(self, self.describe)

    def set_show_validation(self, show):
        """Show or hide the validation points (on a surface or a curve; the scatter of
        predictions is the picture itself and stays)."""
        self.show_validation = bool(show)
        self._show_validation_points()

    def _show_validation_points(self):
        self.val_points.setVisible(self.show_validation or self.mode == "scatter")

    def set_discretize(self, discretize):
        """Draw the surface as flat regions (True) or shaded by confidence (False)."""
        self.discretize = bool(discretize)
        if self.view is not None and self.view.mode == "surface":
            self._draw_surface(self.view)

    def start_run(self, run):
        self.set_dataset(run.facts.geometry)

    def take_progress(self, run, progress):
        if progress.view is not None:
            self.show_view(progress.view)

    def set_dataset(self, geometry):
        """Show a new dataset; ``geometry`` is a :class:`gui.views.ViewGeometry`."""
        self.geometry = geometry
        self.view = None
        self._pending_view = None
        item = self.getPlotItem()
        for text_item in self.cell_texts:
            item.removeItem(text_item)
        self.cell_texts = []
        self.image.clear()
        self.fit_curve.setData([], [])
        self.train_points.setData([])
        self.val_points.setData([])
        self.mode = geometry.mode
        self.color_bar.setVisible(geometry.regression and geometry.mode == "surface")
        self.color_bar.setLevels(geometry.value_range)
        item.invertY(False)
        item.setAspectLocked(False)
        item.legend.clear()
        if geometry.mode in ("surface", "curve", "scatter"):
            item.setLabel("bottom", geometry.x_label)
            item.setLabel("left", geometry.y_label)
            item.showGrid(x=True, y=True, alpha=0.1)
        if geometry.mode == "surface":
            self._show_points(geometry)
            x0, x1, y0, y1 = geometry.extent
            item.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)
        elif geometry.mode == "curve":
            x_train, y_train = drawn_sample(geometry.x_train[:, 0], geometry.y_train)
            x_val, y_val = drawn_sample(geometry.x_val[:, 0], geometry.y_val)
            self.train_points.setData(x_train, y_train, pen=None,
                                      brush=pg.mkBrush(31, 119, 180, 150), size=5)
            self.val_points.setData(x_val, y_val, size=6,
                                    pen=pg.mkPen(31, 119, 180, 220),
                                    brush=pg.mkBrush(0, 0, 0, 0))
            item.legend.addItem(self.train_points, tr("train"))
            item.legend.addItem(self.val_points, tr("validation"))
            item.legend.addItem(self.fit_curve, tr("model"))
            item.enableAutoRange()
        elif geometry.mode == "scatter":
            item.legend.addItem(self.val_points, tr("validation"))
            item.enableAutoRange()
        elif geometry.mode == "confusion":
            k = len(geometry.class_names)
            item.setLabel("bottom", tr("predicted class"))
            item.setLabel("left", tr("true class"))
            item.showGrid(x=False, y=False)
            item.invertY(True)
            item.setAspectLocked(True)
            ticks = [[(i + 0.5, name) for i, name in enumerate(geometry.class_names)]]
            item.getAxis("bottom").setTicks(ticks)
            item.getAxis("left").setTicks(ticks)
            item.setRange(xRange=(0, k), yRange=(0, k), padding=0.02)
            for _ in range(k * k):
                text_item = pg.TextItem(anchor=(0.5, 0.5), color=(0, 0, 0))
                item.addItem(text_item)
                self.cell_texts.append(text_item)
        if geometry.mode != "confusion":
            item.getAxis("bottom").setTicks(None)
            item.getAxis("left").setTicks(None)
        self._show_validation_points()

    def _show_points(self, geometry):
        item = self.getPlotItem()
        for x, y, points, ring in ((geometry.x_train, geometry.y_train, self.train_points, False),
                                   (geometry.x_val, geometry.y_val, self.val_points, True)):
            x, y = drawn_sample(x, y)
            if geometry.regression:
                colors = geometry.value_colors(y)
            else:
                colors = CLASS_COLORS[np.asarray(y, dtype=np.int64) % len(CLASS_COLORS)]
            if ring:
                pens = one_per_colour(lambda c: pg.mkPen(c, width=1.6), colors)
                points.setData(x[:, 0], x[:, 1], pen=pens, brush=pg.mkBrush(255, 255, 255, 90),
                               size=7)
            else:
                brushes = one_per_colour(pg.mkBrush, colors)
                points.setData(x[:, 0], x[:, 1], brush=brushes,
                               pen=pg.mkPen(255, 255, 255, 220), size=6)
        if not geometry.regression:
            for index, name in enumerate(geometry.class_names):
                sample = pg.ScatterPlotItem(brush=pg.mkBrush(class_color(index)), size=7)
                item.legend.addItem(sample, name)

    def show_view(self, view):
        """Remember a freshly computed :class:`gui.views.DataView`; drawn on :meth:`redraw`."""
        self._pending_view = view

    def redraw(self):
        """Draw the last view received, if it is new."""
        view, self._pending_view = self._pending_view, None
        if view is None or self.geometry is None or view.mode != self.mode:
            return
        self.view = view
        if view.mode == "surface":
            self._draw_surface(view)
        elif view.mode == "curve":
            self.fit_curve.setData(view.x, view.y)
        elif view.mode == "scatter":
            self.val_points.setData(*drawn_sample(view.x, view.y), pen=None,
                                    brush=pg.mkBrush(31, 119, 180, 160), size=6)
            self.getPlotItem().setLabel("bottom", tr("true value"))
            self.getPlotItem().setLabel("left", tr("predicted value"))
        elif view.mode == "confusion":
            self._draw_confusion(view.matrix)

    def _draw_surface(self, view):
        x0, x1, y0, y1 = self.geometry.extent
        image = self._flat_image(view) if self.discretize else view.image
        self.image.setImage(image, autoLevels=False, levels=(0, 255),
                            rect=QtCore.QRectF(x0, y0, x1 - x0, y1 - y0))

    def _flat_image(self, view):
        """The surface in flat colours: each pixel its predicted class's colour, or its
        value's band (a grid of 72 x 72: well under a millisecond)."""
        if view.labels is not None:
            colors = _CLASS_COLORS[view.labels % len(_CLASS_COLORS)]
            rgb = _WHITE * (1 - FLAT_STRENGTH) + colors * FLAT_STRENGTH
        else:
            low, high = self.geometry.value_range
            span = max(high - low, 1e-12)
            band = np.clip(np.floor((view.values - low) / span * BANDS), 0, BANDS - 1)
            centres = low + (band + 0.5) * span / BANDS
            rgb = 0.55 * value_colors(centres.ravel(), low, high) + 0.45 * _WHITE
            rgb = rgb.reshape(*view.values.shape, 3)
        return rgb.astype(np.uint8)

    def _draw_confusion(self, matrix):
        k = len(matrix)
        totals = np.maximum(matrix.sum(axis=1, keepdims=True), 1)
        share = matrix / totals
        rgb = np.empty((k, k, 3))
        diagonal = np.eye(k, dtype=bool)
        good = np.array([44, 160, 44], dtype=np.float64)
        bad = np.array([214, 39, 40], dtype=np.float64)
        tint = np.where(diagonal[..., None], good, bad)
        rgb[:] = 255 - share[..., None] * (255 - tint)
        self.image.setImage(rgb.astype(np.uint8), autoLevels=False, levels=(0, 255),
                            rect=QtCore.QRectF(0, 0, k, k))
        small = k > 6
        font = QtGui.QFont()
        font.setPointSize(7 if small else 9)
        for index, text_item in enumerate(self.cell_texts):
            row, column = divmod(index, k)
            text_item.setText(str(int(matrix[row, column])))
            text_item.setFont(font)
            text_item.setPos(column + 0.5, row + 0.5)

    def describe(self, x, y):
        geometry, view = self.geometry, self.view
        if geometry is None:
            return None
        if self.mode == "confusion" and view is not None:
            k = len(view.matrix)
            column, row = int(np.floor(x)), int(np.floor(y))
            if 0 <= row < k and 0 <= column < k:
                names = geometry.class_names
                return tr("true {true}, predicted {predicted}\n{count} examples",
                          true=names[row], predicted=names[column],
                          count=int(view.matrix[row, column]))
            return None
        if self.mode == "surface":
            text = f"{geometry.x_label} {x:.3g}, {geometry.y_label} {y:.3g}"
            if view is not None and view.values is not None:
                x0, x1, y0, y1 = geometry.extent
                ny, nx = view.values.shape[:2]
                column = int((x - x0) / (x1 - x0) * nx)
                row = int((y - y0) / (y1 - y0) * ny)
                if 0 <= row < ny and 0 <= column < nx:
                    text += "\n" + view.describe(row, column)
            return text
        if self.mode == "curve":
            text = f"x {x:.3g}, y {y:.3g}"
            if view is not None and len(view.x):
                index = int(np.clip(np.searchsorted(view.x, x), 0, len(view.x) - 1))
                text += tr("\nmodel {value:.4g}", value=view.y[index])
            return text
        return f"{x:.3g}, {y:.3g}"


#: The toggles' texts (English; Korean in the catalogue).
_TEXTS = {
    "validation": QT_TR_NOOP("Validation points"),
    "validation_tip": QT_TR_NOOP("Show the validation points (rings) over the model's "
                                 "picture; the filled ones are the training points."),
    "discretize": QT_TR_NOOP("Discretize"),
    "discretize_tip": QT_TR_NOOP("Draw each predicted class as one flat colour (a hard "
                                 "decision boundary) instead of shading by how confident "
                                 "the model is; a regression surface in flat bands."),
}


class DataPlotControls(i18n.Retranslating, QtWidgets.QWidget):
    """The data plot's toggles, shown above it: ``showValidationCheck`` (the validation
    points) and ``discretizeCheck`` (a hard boundary instead of the confidence shading)."""

    def __init__(self, plot, parent=None):
        super().__init__(parent)
        row = QtWidgets.QHBoxLayout(self)
        row.setContentsMargins(6, 0, 6, 0)
        self.validation_check = QtWidgets.QCheckBox()
        self.validation_check.setObjectName("showValidationCheck")
        self.validation_check.setChecked(plot.show_validation)
        self.validation_check.toggled.connect(plot.set_show_validation)
        self.discretize_check = QtWidgets.QCheckBox()
        self.discretize_check.setObjectName("discretizeCheck")
        self.discretize_check.setChecked(plot.discretize)
        self.discretize_check.toggled.connect(plot.set_discretize)
        row.addWidget(self.validation_check)
        row.addSpacing(8)
        row.addWidget(self.discretize_check)
        row.addStretch(1)
        self.retranslate()

    def retranslate(self):
        texts = {key: tr(text) for key, text in _TEXTS.items()}
        self.validation_check.setText(texts["validation"])
        self.validation_check.setToolTip(texts["validation_tip"])
        self.discretize_check.setText(texts["discretize"])
        self.discretize_check.setToolTip(texts["discretize_tip"])
