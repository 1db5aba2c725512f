"""The plots' common look: colours, axis style, tick labels that never overlap, cached
painting, and the helpers that pick what part of a series to draw."""

import math

import numpy as np
import pyqtgraph as pg
from PySide6 import QtWidgets

from gui import qt_owner
from gui.i18n import QT_TR_NOOP

pg.setConfigOptions(background="w", foreground="k", antialias=False)
qt_owner.install()  # every plot's menus are deleted with it, never by the collector


CLASS_COLORS = np.array([
    (245, 147, 34), (8, 119, 189), (44, 160, 44), (214, 39, 40), (148, 103, 189),
    (140, 86, 75), (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207),
], dtype=np.float64)
TRAIN_COLOR = (31, 119, 180)
VAL_COLOR = (214, 39, 40)
MAX_EPOCH_LINES = 100
# Fewer on-screen pixels than this between epoch starts and the boundary lines are thinned.
MIN_EPOCH_LINE_SPACING = 24


RUN_PALETTE = np.array([
    (31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189),
    (140, 86, 75), (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207),
], dtype=np.float64)
X_LABELS = {"step": QT_TR_NOOP("step"), "epoch": QT_TR_NOOP("epoch"),
            "samples": QT_TR_NOOP("samples seen"), "seconds": QT_TR_NOOP("training seconds")}


def class_color(index):
    """Return the RGB tuple used for class ``index``."""
    return tuple(int(c) for c in CLASS_COLORS[index % len(CLASS_COLORS)])


def run_color(index):
    """The colour of run number ``index`` (0, 1, ...): ten hues, each later round darker."""
    rounds, hue = divmod(int(index), len(RUN_PALETTE))
    return tuple(int(c) for c in RUN_PALETTE[hue] * 0.7 ** rounds)


def faded(color, amount=0.7):
    """``color`` mixed with white by ``amount``: an opaque look of a translucent line.

    Translucent pens make Qt stroke a long curve as one polygon, many times slower.
    """
    return tuple(int(round(c + (255 - c) * amount)) for c in color[:3])


#: Points drawn per set (train, validation) on the data plot. A 100,000-row CSV drawn whole
#: took 1.1 s to hand to pyqtgraph (per-point brushes) and shows a solid blob; a fixed random
#: sample of this many shows the same shape. Views and counts still use every point.
MAX_DRAWN_POINTS = 5000


def drawn_sample(*arrays, limit=MAX_DRAWN_POINTS):
    """The rows of ``arrays`` (same length) to draw: all of them up to ``limit``, else a fixed
    random sample of ``limit`` rows in their original order (the same on every call)."""
    count = len(arrays[0])
    if count <= limit:
        return arrays
    keep = np.sort(np.random.default_rng(0).choice(count, size=limit, replace=False))
    return tuple(array[keep] for array in arrays)


def one_per_colour(make, colors):
    """A pen or brush per point from ``make(rgb)``, one object per distinct colour.

    pyqtgraph renders and caches a scatter symbol per pen/brush *object*: a new brush per point
    rendered 2,000 symbols for the circle dataset (86 ms of the 160 ms that Start took).
    """
    unique, inverse = np.unique(np.asarray(colors).astype(int), axis=0, return_inverse=True)
    made = [make(tuple(int(v) for v in colour)) for colour in unique]
    return [made[index] for index in inverse.ravel()]


def visible_span(widget, x):
    """Indices ``[start, stop)`` of the increasing ``x`` inside the view, and a point budget.

    The budget is the view's width in pixels (at least 256, for a widget not laid out yet).
    """
    item = widget.getPlotItem()
    (x0, x1), _ = item.vb.viewRange()
    if item.ctrl.logXCheck.isChecked():
        x0, x1 = 10.0 ** min(x0, 300.0), 10.0 ** min(x1, 300.0)
    if x.dtype.kind == "i":
        # integer keys: a float key would make NumPy convert all of x (1 ms at 1M steps)
        limit = float(2 ** 62)
        x0 = x.dtype.type(math.ceil(min(max(x0, -limit), limit)))
        x1 = x.dtype.type(math.floor(min(max(x1, -limit), limit)))
    start = int(np.searchsorted(x, x0, side="left"))
    stop = int(np.searchsorted(x, x1, side="right"))
    return start, stop, max(256, int(item.vb.width()))


#: Pixels a tick label may reach past the end of its axis (the first and last label of the x
#: axis are centred on the view's edges); the plot's margins leave room for them.
TICK_OVERHANG = 14
#: Pixels of empty space right of each plot, so no plot's last label touches its neighbour
#: or the window's edge.
RIGHT_MARGIN = 10
#: Pixels kept between two tick labels of an axis.
TICK_LABEL_GAP = 2


def spread_labels(axis):
    """Make ``axis`` leave out any tick label that would overlap one already placed.

    pyqtgraph always labels the top level of ticks however little room there is, so on a
    short axis "0", "0.2", ..., "1.0" were drawn on top of each other, and on a log axis the
    minor ticks' labels (2-9 per decade) piled up at the top of each decade. The specs come
    level by level, major ticks first, so the ticks that keep their labels are the round ones.
    """
    generate = axis.generateDrawSpecs

    def spread(painter):
        specs = generate(painter)
        if specs is None:
            return None
        axis_spec, tick_specs, text_specs = specs
        placed = []
        for spec in text_specs:
            padded = spec[0].adjusted(-TICK_LABEL_GAP, -TICK_LABEL_GAP / 2, TICK_LABEL_GAP,
                                      TICK_LABEL_GAP / 2)
            if not any(padded.intersects(other[0]) for other in placed):
                placed.append(spec)
        return axis_spec, tick_specs, placed

    axis.generateDrawSpecs = spread


def style_plot(widget, object_name, title, x_label, y_label):
    """Common look: objectName, title, axis labels (no SI-prefix rescaling), light grid,
    tick labels that never overlap, room for the outermost ones."""
    widget.setObjectName(object_name)
    item = widget.getPlotItem()
    item.setTitle(title, size="10pt")
    item.setLabel("bottom", x_label)
    item.setLabel("left", y_label)
    for side in ("left", "bottom"):
        item.getAxis(side).enableAutoSIPrefix(False)
    for side in ("left", "bottom", "right"):
        axis = item.getAxis(side)
        axis.setStyle(hideOverlappingLabels=TICK_OVERHANG)
        spread_labels(axis)
    left, top, _right, bottom = item.layout.getContentsMargins()
    item.layout.setContentsMargins(left, top, RIGHT_MARGIN + TICK_OVERHANG // 2, bottom)
    item.showGrid(x=False, y=False)
    cache_painting(*(item.getAxis(side) for side in ("left", "bottom", "top", "right")),
                   item.titleLabel)
    widget.setMinimumSize(160, 130)
    return item


def cache_painting(*items):
    """Let Qt repaint these items from a pixmap cache when a neighbour's update overlaps them.

    A curve's dirty rectangle touches the axes beside it; without a cache each touch runs the
    axis's Python ``paint`` and so needs the GIL back from the training thread (up to the
    switch interval, which the main window sets to 1 ms). With the cache, Qt redraws them in
    C++ until the item itself changes.
    """
    for graphics_item in items:
        graphics_item.setCacheMode(QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)


def x_pixel(widget):
    """The x length of one pixel of ``widget``'s view; None on a log x axis or before layout."""
    item = widget.getPlotItem()
    if item.ctrl.logXCheck.isChecked():
        return None
    (x0, x1), _ = item.vb.viewRange()
    width = item.vb.width()
    return (x1 - x0) / width if width > 0 and x1 > x0 else None
