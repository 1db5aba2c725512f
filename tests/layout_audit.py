"""Where a window's plots and texts really are: the measurements behind tests/test_layout.py
(and /work/tools/screens.py, which prints them beside its screenshots).

Every text a plot draws is collected in window coordinates: the tick labels (from the axis's
own draw specs, the rectangles it paints its strings into), the axis labels, the title, the
legend entries and any text item inside the view box (the best-epoch label, markers).
"""

import itertools

import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

#: A view box (the data area) smaller than this, in pixels, is not a readable plot.
MIN_VIEW_WIDTH = 140
MIN_VIEW_HEIGHT = 80
#: Texts may touch (their boxes include the font's leading); more than this is an overlap.
OVERLAP_TOLERANCE = 1.0


def settle(window, app=None):
    """Paint and lay out until pyqtgraph's axes have sized themselves to their labels."""
    app = app or QtWidgets.QApplication.instance()
    for _ in range(4):
        app.processEvents()
        window.grab()
        QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.LayoutRequest)
    app.processEvents()


def _scene_rect_to_window(plot, rect, window):
    """A scene rectangle of ``plot`` in ``window``'s coordinates."""
    polygon = plot.mapFromScene(rect)
    local = polygon.boundingRect()
    top_left = plot.mapTo(window, local.topLeft())
    return QtCore.QRectF(top_left.x(), top_left.y(), local.width(), local.height())


def _text_item_rect(text_item):
    """The scene box of a QGraphicsTextItem's text (its document margin is empty space)."""
    margin = text_item.document().documentMargin()
    box = text_item.boundingRect().adjusted(margin, margin, -margin, -margin)
    return text_item.mapRectToScene(box)


def on_screen(widget):
    """The part of ``widget``'s rectangle its ancestors leave visible, in its coordinates."""
    shown = QtCore.QRect(widget.rect())
    offset = QtCore.QPoint(0, 0)
    child = widget
    while child.parentWidget() is not None and not child.isWindow():
        offset += child.pos()
        parent = child.parentWidget()
        shown &= parent.rect().translated(-offset)
        child = parent
    return shown


def axis_tick_texts(axis):
    """(scene rect, string) of each tick label ``axis`` draws now."""
    if not axis.isVisible() or not axis.style["showValues"]:
        return []
    image = QtGui.QImage(4, 4, QtGui.QImage.Format.Format_ARGB32)
    painter = QtGui.QPainter(image)
    try:
        painter.setFont(axis.style["tickFont"] or axis.font())
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    if specs is None:
        return []
    _, _, text_specs = specs
    return [(axis.mapRectToScene(rect), text) for rect, _flags, text in text_specs]


def plot_texts(plot):
    """Every text ``plot`` (a pg.PlotWidget) shows, as (kind, scene rect, text)."""
    item = plot.getPlotItem()
    texts = []
    for side in ("left", "bottom", "right", "top"):
        axis = item.getAxis(side)
        if not axis.isVisible():
            continue
        texts += [(f"{side} tick", rect, text) for rect, text in axis_tick_texts(axis)]
        if axis.label.isVisible() and axis.labelText:
            texts.append((f"{side} label", _text_item_rect(axis.label), axis.labelText))
    title = item.titleLabel
    if title.isVisible() and title.text:
        texts.append(("title", _text_item_rect(title.item), title.text))
    for legend in plot.scene().items():
        if isinstance(legend, pg.LegendItem) and legend.isVisible():
            for _sample, label in legend.items:
                if label.isVisible() and label.text:
                    texts.append(("legend", _text_item_rect(label.item), label.text))
    for graphics in item.vb.addedItems + [child for line in item.vb.addedItems
                                          if isinstance(line, pg.InfiniteLine)
                                          for child in line.childItems()]:
        if isinstance(graphics, pg.TextItem) and graphics.isVisible():
            text = graphics.toPlainText()
            if text and graphics.zValue() < 1000:  # the hover readout follows the mouse
                texts.append(("view text", _text_item_rect(graphics.textItem), text))
    return texts


def overlaps(texts, tolerance=OVERLAP_TOLERANCE):
    """Pairs of texts whose boxes overlap by more than ``tolerance`` pixels both ways."""
    found = []
    for (kind_a, a, text_a), (kind_b, b, text_b) in itertools.combinations(texts, 2):
        common = a.intersected(b)
        if common.width() > tolerance and common.height() > tolerance:
            found.append((f"{kind_a} {text_a!r}", f"{kind_b} {text_b!r}"))
    return found


def audit(window):
    """Problems with the window's visible plots as readable sentences (empty: none).

    Each plot must lie inside the window and be entirely on screen (not cut by a splitter or
    dock), its view box must be at least MIN_VIEW_WIDTH x MIN_VIEW_HEIGHT, every text inside
    the plot's visible area, and no two texts of a plot may overlap.
    """
    problems = []
    bounds = QtCore.QRectF(window.rect())
    for name, plot in window.plots.items():
        if not plot.isVisible():
            continue
        where = QtCore.QRectF(QtCore.QPointF(plot.mapTo(window, QtCore.QPoint(0, 0))),
                              QtCore.QSizeF(plot.size()))
        if not bounds.contains(where):
            problems.append(f"{name} at {where.getRect()} extends past the window "
                            f"{bounds.getRect()}")
        shown = on_screen(plot)
        if shown.size() != plot.size():
            problems.append(f"{name}: only {shown.width()}x{shown.height()} of its "
                            f"{plot.width()}x{plot.height()} px are on screen")
        view = plot.getPlotItem().vb.sceneBoundingRect()
        if view.width() < MIN_VIEW_WIDTH or view.height() < MIN_VIEW_HEIGHT:
            problems.append(f"{name}: view box {view.width():.0f}x{view.height():.0f} px, "
                            f"under {MIN_VIEW_WIDTH}x{MIN_VIEW_HEIGHT}")
        scene_area = QtCore.QRectF(plot.mapToScene(plot.viewport().rect()).boundingRect())
        texts = plot_texts(plot)
        for kind, rect, text in texts:
            if rect.intersected(scene_area) != rect:
                problems.append(f"{name}: {kind} {text!r} at {rect.getRect()} is clipped by "
                                f"the plot's edge {scene_area.getRect()}")
        for first, second in overlaps(texts):
            problems.append(f"{name}: {first} overlaps {second}")
    return problems


def view_sizes(window):
    """{plot name: (width, height)} of each visible plot's view box, in pixels."""
    sizes = {}
    for name, plot in window.plots.items():
        if plot.isVisible():
            view = plot.getPlotItem().vb.sceneBoundingRect()
            sizes[name] = (round(view.width()), round(view.height()))
    return sizes
