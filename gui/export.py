"""Saving pictures: one plot or the whole window, PNG (any width) or SVG by file extension.

pyqtgraph 0.14.0's SVGExporter raises (DESIGN.md, Known traps), so SVG is drawn by Qt itself:
the widget renders into a ``QSvgGenerator``. PNG of a plot goes through pyqtgraph's
ImageExporter, which re-renders the scene at the requested width; the window is grabbed.
"""

import contextlib
import os

import pyqtgraph as pg
from pyqtgraph.exporters import ImageExporter
from PySide6 import QtCore, QtGui, QtSvg, QtWidgets

IMAGE_FILTER = "PNG image (*.png);;SVG drawing (*.svg)"


def image_format(path):
    """"png" or "svg" from the extension of ``path``; ValueError for anything else."""
    extension = os.path.splitext(str(path))[1].lower()
    if extension == ".png":
        return "png"
    if extension == ".svg":
        return "svg"
    raise ValueError(f"cannot save an image as {extension or 'a file without extension'!r}: "
                     f"use .png or .svg")


@contextlib.contextmanager
def drawn_afresh(widget):
    """Axes, legends and titles of ``widget``'s plots draw themselves, not their pixmap caches.

    They are cached for the screen (gui.plots.cache_painting), and in an SVG a cached item is
    a bitmap: the axes would be pictures instead of text and lines. Cached scatter points stay
    cached: as separate items they would be thousands of little bitmaps (19 MB for the window).
    """
    views = [widget] if isinstance(widget, pg.GraphicsView) else widget.findChildren(
        pg.GraphicsView)
    cached = [(item, item.cacheMode()) for view in views for item in view.scene().items()
              if isinstance(item, (pg.AxisItem, pg.LegendItem, pg.LabelItem))
              and item.cacheMode() != QtWidgets.QGraphicsItem.CacheMode.NoCache]
    for item, _ in cached:
        item.setCacheMode(QtWidgets.QGraphicsItem.CacheMode.NoCache)
    try:
        yield
    finally:
        for item, mode in cached:
            item.setCacheMode(mode)


def save_plot_png(plot_widget, path, width=None):
    """Save a ``pg.PlotWidget`` as PNG; ``width`` in pixels (None: the widget's own size)."""
    exporter = ImageExporter(plot_widget.getPlotItem())
    parameters = exporter.parameters()
    target_width = int(width) if width else max(int(plot_widget.width()), 1)
    # The exporter keeps the aspect ratio when the width changes.
    parameters["width"] = target_width
    parameters["antialias"] = True
    with drawn_afresh(plot_widget):
        exporter.export(str(path))


def save_widget_png(widget, path, width=None):
    """Save any widget (e.g. the main window) as PNG, scaled to ``width`` pixels if given."""
    with drawn_afresh(widget):
        pixmap = widget.grab()
    if width and int(width) != pixmap.width():
        pixmap = pixmap.scaledToWidth(int(width), QtCore.Qt.SmoothTransformation)
    if not pixmap.save(str(path), "PNG"):
        raise OSError(f"could not write {path}")


def save_widget_svg(widget, path, title="LossLab"):
    """Save any widget as an SVG drawing rendered by Qt (vector paths, text as text)."""
    size = widget.size()
    generator = QtSvg.QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(size)
    generator.setViewBox(QtCore.QRect(QtCore.QPoint(0, 0), size))
    generator.setTitle(title)
    painter = QtGui.QPainter()
    if not painter.begin(generator):
        raise OSError(f"could not write {path}")
    try:
        with drawn_afresh(widget):
            if isinstance(widget, pg.PlotWidget):
                painter.fillRect(QtCore.QRect(QtCore.QPoint(0, 0), size),
                                 widget.backgroundBrush())
                widget.scene().render(
                    painter, QtCore.QRectF(0, 0, size.width(), size.height()),
                    widget.mapToScene(widget.viewport().rect()).boundingRect())
            else:
                widget.render(painter, QtCore.QPoint(0, 0))
    finally:
        painter.end()


def save_image(widget, path, width=None):
    """Save ``widget`` as PNG or SVG according to the extension of ``path``."""
    kind = image_format(path)
    # pyqtgraph sizes an axis to its tick labels while painting it, and the layout follows
    # when the posted layout request runs: right after a zoom both are a frame behind. One
    # paint and the layout request settle them, so the picture is what the screen then shows.
    widget.grab()
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.LayoutRequest)
    if kind == "svg":
        save_widget_svg(widget, path)
    elif isinstance(widget, pg.PlotWidget):
        save_plot_png(widget, path, width)
    else:
        save_widget_png(widget, path, width)
