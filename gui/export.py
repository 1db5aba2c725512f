"""Saving pictures: one plot or the whole window, PNG (any width) or SVG by file extension.

pyqtgraph 0.14.0's SVGExporter raises (pyqtgraph issue 3485), so SVG is drawn by Qt itself:
the widget renders into a ``QSvgGenerator``. PNG of a plot goes through pyqtgraph's
ImageExporter, which re-renders the scene at the requested width; the window is grabbed.
Every picture is made in memory first and then written atomically (:func:`write_atomically`).
"""

import contextlib
import os
import re
import xml.etree.ElementTree as ElementTree

import pyqtgraph as pg
from pyqtgraph.exporters import ImageExporter
from PySide6 import QtCore, QtGui, QtSvg, QtWidgets

from engine import atomic
from engine.messages import Message
from gui.i18n import QT_TR_NOOP, QT_TRANSLATE_NOOP

# Its errors' messages (engine.messages: the message boxes translate them), in the catalogue's
# engine context with the engine's.
NOT_AN_IMAGE_TYPE = QT_TRANSLATE_NOOP("engine", "cannot save an image as {extension}: use .png "
                                                "or .svg")
BAD_WIDTH = QT_TRANSLATE_NOOP("engine", "image width must be a whole number of pixels from 1 to "
                                        "{high}; received {width}")
NOT_SAVED = QT_TRANSLATE_NOOP("engine", "could not save {path}: {problem}")
IMAGE_FILTER = QT_TR_NOOP("PNG image (*.png);;SVG drawing (*.svg)")


def image_format(path):
    """"png" or "svg" from the extension of ``path``; ValueError for anything else."""
    extension = os.path.splitext(str(path))[1].lower()
    if extension == ".png":
        return "png"
    if extension == ".svg":
        return "svg"
    raise ValueError(Message(NOT_AN_IMAGE_TYPE,
                             extension=repr(extension or "a file without extension")))


@contextlib.contextmanager
def drawn_afresh(widget):
    """Axes, legends and titles of ``widget``'s plots draw themselves, not their pixmap caches.

    They are cached for the screen (gui.plots.cache_painting), and in an SVG a cached item is
    a bitmap: the axes would be pictures instead of text and lines. A scatter of at most
    :data:`VECTOR_POINTS` points (a curve's empty one, the best epoch's star) draws each point
    as a path: cached, each had been a view-sized transparent bitmap that renderers without
    embedded-image support (ImageMagick's own) refused. Larger scatters stay cached: as
    separate items they would be thousands of little bitmaps (19 MB for the window).
    """
    views = [widget] if isinstance(widget, pg.GraphicsView) else widget.findChildren(
        pg.GraphicsView)
    items = [item for view in views for item in view.scene().items()]
    small_scatters = [item for item in items if isinstance(item, pg.ScatterPlotItem)
                      and len(item.data) <= VECTOR_POINTS]
    cached = [(item, item.cacheMode()) for item in items
              if (isinstance(item, (pg.AxisItem, pg.LegendItem, pg.LabelItem))
                  or item in small_scatters)
              and item.cacheMode() != QtWidgets.QGraphicsItem.CacheMode.NoCache]
    symbol_caches = [(item, item.opts["useCache"]) for item in small_scatters]
    for item, _ in cached:
        item.setCacheMode(QtWidgets.QGraphicsItem.CacheMode.NoCache)
    for item, _ in symbol_caches:
        item.opts["useCache"] = False  # each symbol a path, not a piece of the symbol atlas
    try:
        yield
    finally:
        for item, mode in cached:
            item.setCacheMode(mode)
        for item, use in symbol_caches:
            item.opts["useCache"] = use


#: Scatters of at most this many points are drawn as vector paths in an SVG.
VECTOR_POINTS = 1000


MAX_WIDTH = 16384  # pixels: a larger PNG is a mistake (hundreds of MB), not a picture


def check_width(width):
    """``width`` as an int in [1, MAX_WIDTH], or None; ValueError naming the value otherwise."""
    if width is None:
        return None
    try:
        number = int(width)
        exact = number == width
    except (TypeError, ValueError, OverflowError):
        exact = False
    if not exact or not 1 <= number <= MAX_WIDTH:
        raise ValueError(Message(BAD_WIDTH, high=MAX_WIDTH, width=repr(width)))
    return number


def write_atomically(path, data):
    """Write ``data`` (bytes) to ``path`` through engine.atomic (a temporary file in the same
    folder, flushed, given the permissions a new or the old file has, renamed over ``path``).

    The picture is complete in memory before the file is touched, so a full disk or a missing
    permission leaves any earlier file intact and no empty or truncated one. Any failure is an
    OSError naming ``path`` and the reason.
    """
    path = os.fspath(path)
    try:
        atomic.write_bytes(path, data)
    except OSError as error:
        raise OSError(error.errno, Message(NOT_SAVED, path=path,
                                           problem=error.strerror or str(error))) from error


def _png_bytes(image):
    """``image`` (QImage or QPixmap) encoded as PNG."""
    buffer = QtCore.QBuffer()
    buffer.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise OSError("could not encode the picture as PNG")
    return bytes(buffer.data())


def _is_plot(widget):
    """A view holding one ``pg.PlotItem``: a ``pg.PlotWidget`` or a live plot
    (gui.plots.protocol.LivePlot)."""
    return isinstance(widget, pg.GraphicsView) and callable(getattr(widget, "getPlotItem", None))


def plot_png_bytes(plot_widget, width=None):
    """A plot (see :func:`_is_plot`) as PNG bytes, ``width`` pixels wide (None: its own)."""
    exporter = ImageExporter(plot_widget.getPlotItem())
    parameters = exporter.parameters()
    # The exporter keeps the aspect ratio when the width changes.
    parameters["width"] = width or max(int(plot_widget.width()), 1)
    parameters["antialias"] = True
    with drawn_afresh(plot_widget):
        image = exporter.export(toBytes=True)
    return _png_bytes(image)


def widget_png_bytes(widget, width=None):
    """Any widget (e.g. the main window) as PNG bytes, scaled to ``width`` pixels if given."""
    with drawn_afresh(widget):
        pixmap = widget.grab()
    if width and width != pixmap.width():
        pixmap = pixmap.scaledToWidth(width, QtCore.Qt.SmoothTransformation)
    return _png_bytes(pixmap)


def _window_drawing(widget, painter):
    """A window (or any widget) into an SVG painter: its widgets as the picture the screen
    shows, its plots over it as vectors.

    QSvgGenerator has no clipping, and Qt's widgets paint with clip regions: the menu bar fills
    its empty area last, clipped around the menus, so in the SVG that fill covered every menu
    title, and the group boxes' frames came out as stray lines. A picture of the widgets has
    none of that; the plots, the part worth scaling, stay paths and text.
    """
    painter.drawPixmap(QtCore.QPoint(0, 0), widget.grab())
    for view in widget.findChildren(pg.GraphicsView):
        if not view.isVisible() or view.window() is not widget.window():
            continue
        corner = view.mapTo(widget, QtCore.QPoint(0, 0))
        if not QtCore.QRect(QtCore.QPoint(0, 0), widget.size()).contains(
                QtCore.QRect(corner, view.size())):
            continue
        painter.save()
        painter.translate(corner)
        painter.fillRect(QtCore.QRect(QtCore.QPoint(0, 0), view.size()), view.backgroundBrush())
        view.scene().render(painter, QtCore.QRectF(0, 0, view.width(), view.height()),
                            view.mapToScene(view.viewport().rect()).boundingRect())
        painter.restore()


def widget_svg_bytes(widget, title="LossLab"):
    """Any widget as an SVG drawing rendered by Qt (vector paths, text as text).

    The generator's resolution is the widget's: pyqtgraph paints axes from QPictures
    recorded at the screen's DPI, and Qt rescales a QPicture played on a device of another
    resolution. At QSvgGenerator's default 72 dpi the axes came out at 72/96 of their size,
    so the curves ran past the end of the x axis and the points sat beside their ticks.
    """
    size = widget.size()
    buffer = QtCore.QBuffer()
    buffer.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
    generator = QtSvg.QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(size)
    generator.setViewBox(QtCore.QRect(QtCore.QPoint(0, 0), size))
    generator.setResolution(widget.logicalDpiX())
    generator.setTitle(title)
    painter = QtGui.QPainter()
    if not painter.begin(generator):
        raise OSError("could not start an SVG drawing")
    try:
        with drawn_afresh(widget):
            if _is_plot(widget):
                painter.fillRect(QtCore.QRect(QtCore.QPoint(0, 0), size),
                                 widget.backgroundBrush())
                widget.scene().render(
                    painter, QtCore.QRectF(0, 0, size.width(), size.height()),
                    widget.mapToScene(widget.viewport().rect()).boundingRect())
            else:
                _window_drawing(widget, painter)
    finally:
        painter.end()
    return bytes(buffer.data())


SVG_NAMESPACE = "http://www.w3.org/2000/svg"
XLINK_NAMESPACE = "http://www.w3.org/1999/xlink"
_MATRIX = re.compile(r"\s*matrix\(([^)]*)\)\s*$")
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_PATH_TOKEN = re.compile(r"[A-Za-z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def _tag(element):
    return element.tag.rsplit("}", 1)[-1]


def _cosmetic(element):
    return element.get("vector-effect") == "non-scaling-stroke"


def _matrix(group):
    """The (a, b, c, d, e, f) of a group's ``transform="matrix(...)"``, or None."""
    match = _MATRIX.match(group.get("transform", ""))
    if match is None:
        return None
    values = [float(v) for v in _NUMBER.findall(match.group(1))]
    return tuple(values) if len(values) == 6 else None


def _apply(matrix, x, y):
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f


def _points_text(matrix, numbers):
    pairs = (_apply(matrix, numbers[i], numbers[i + 1]) for i in range(0, len(numbers) - 1, 2))
    return " ".join(f"{x:.6g},{y:.6g}" for x, y in pairs)


def _baked_path(matrix, data):
    """Path data with ``matrix`` applied, for the absolute M, L, C, Q, S, T and Z commands Qt
    writes; None for anything else (the element is then left as it was)."""
    out, numbers = [], []

    def flush():
        if len(numbers) % 2:
            return False
        pairs = (_apply(matrix, numbers[i], numbers[i + 1]) for i in range(0, len(numbers), 2))
        out.extend(f"{x:.6g},{y:.6g}" for x, y in pairs)
        numbers.clear()
        return True

    for token in _PATH_TOKEN.findall(data):
        if token[0].isalpha():
            if token not in "MLCQSTZ" or not flush():
                return None
            out.append(token)
        else:
            numbers.append(float(token))
    return " ".join(out) if flush() else None


def _bake(element, matrix):
    """``element`` (a cosmetic stroke) with ``matrix`` applied to its coordinates, or None."""
    tag = _tag(element)
    baked = ElementTree.Element(element.tag, dict(element.attrib))
    if tag in ("polyline", "polygon"):
        numbers = [float(v) for v in _NUMBER.findall(element.get("points", ""))]
        baked.set("points", _points_text(matrix, numbers))
    elif tag == "path":
        data = _baked_path(matrix, element.get("d", ""))
        if data is None:
            return None
        baked.set("d", data)
    elif tag == "line":
        (x1, y1), (x2, y2) = (_apply(matrix, float(element.get(f"x{i}", 0)),
                                     float(element.get(f"y{i}", 0))) for i in (1, 2))
        for name, value in (("x1", x1), ("y1", y1), ("x2", x2), ("y2", y2)):
            baked.set(name, f"{value:.6g}")
    elif tag == "rect":
        x, y = float(element.get("x", 0)), float(element.get("y", 0))
        w, h = float(element.get("width", 0)), float(element.get("height", 0))
        corners = [x, y, x + w, y, x + w, y + h, x, y + h]
        baked = ElementTree.Element(element.tag.replace("rect", "polygon"),
                                    {k: v for k, v in element.attrib.items()
                                     if k not in ("x", "y", "width", "height")})
        baked.set("points", _points_text(matrix, corners))
    else:
        return None
    baked.tail = element.tail
    return baked


def bake_cosmetic_strokes(svg):
    """SVG bytes from QSvgGenerator with every cosmetic stroke drawn in the page's pixels.

    Qt writes a cosmetic pen (pyqtgraph's default: a width in screen pixels whatever the
    zoom) as ``vector-effect="non-scaling-stroke"`` inside a group whose transform maps the
    data to the page, e.g. ``matrix(2.2,0,0,-211,...)``. Renderers without vector effects
    (ImageMagick's own, SVG Tiny 1.1 viewers) scale the stroke with the transform: a 2 px curve
    came out 400 px thick. Here each such element gets the group's transform applied to its
    coordinates and moves to a group of its own without the transform, so its stroke width is
    in pixels for every renderer; painting order and the other elements stay as they were.
    """
    ElementTree.register_namespace("", SVG_NAMESPACE)
    ElementTree.register_namespace("xlink", XLINK_NAMESPACE)
    root = ElementTree.fromstring(svg)
    changed = False
    for parent in list(root.iter()):
        children = list(parent)
        if not any(_tag(child) == "g" and _matrix(child) is not None
                   and any(_cosmetic(element) for element in child) for child in children):
            continue
        rebuilt = []
        for child in children:
            matrix = _matrix(child) if _tag(child) == "g" else None
            if matrix is None or matrix == (1, 0, 0, 1, 0, 0) or not any(
                    _cosmetic(element) for element in child):
                rebuilt.append(child)
                continue
            # consecutive runs: elements as they were (under the transform), or baked ones
            runs = []
            for element in child:
                baked = _bake(element, matrix) if _cosmetic(element) else None
                kind = baked is not None
                if not runs or runs[-1][0] != kind:
                    runs.append((kind, []))
                runs[-1][1].append(baked if kind else element)
            for kind, elements in runs:
                group = ElementTree.Element(child.tag, dict(child.attrib))
                if kind:
                    group.set("transform", "matrix(1,0,0,1,0,0)")
                group.text, group.tail = child.text, child.tail
                group.extend(elements)
                rebuilt.append(group)
            changed = True
        for child in children:
            parent.remove(child)
        parent.extend(rebuilt)
    if not changed:
        return svg
    return b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n' + ElementTree.tostring(
        root, encoding="utf-8", xml_declaration=False)


def _outline(element):
    """A ``<path>`` drawing ``element``'s text (a ``<text>`` QSvgGenerator wrote) as glyph
    outlines, in the font Qt chose for it on screen (for Hangul: the font the app ships)."""
    text = "".join(element.itertext())
    size = float(element.get("font-size", "12"))
    font = QtGui.QFont(element.get("font-family", ""))
    font.setPixelSize(100)  # outlines at 100 px, scaled to the size: keeps fractional sizes
    font.setWeight(QtGui.QFont.Weight(int(float(element.get("font-weight", "400")))))
    font.setItalic(element.get("font-style") == "italic")
    outline = QtGui.QPainterPath()
    outline.addText(0, 0, font, text)
    outline = QtGui.QTransform(size / 100, 0, 0, size / 100, float(element.get("x", 0)),
                               float(element.get("y", 0))).map(outline)
    commands = []
    for index in range(outline.elementCount()):
        point = outline.elementAt(index)
        kind = {QtGui.QPainterPath.ElementType.MoveToElement: "M",
                QtGui.QPainterPath.ElementType.LineToElement: "L",
                QtGui.QPainterPath.ElementType.CurveToElement: "C"}.get(point.type, "")
        commands.append(f"{kind}{point.x:.2f},{point.y:.2f}")
    path = ElementTree.Element(element.tag.replace("text", "path"), {
        "fill": element.get("fill", "#000000"), "fill-opacity": element.get("fill-opacity", "1"),
        "stroke": "none", "fill-rule": "nonzero", "d": " ".join(commands) or "M0,0"})
    path.tail = element.tail
    return path


def outline_non_latin_text(svg):
    """SVG bytes with every text outside Latin-1 (Hangul) as outlines; the rest stays text.

    The Korean texts of a saved SVG named a font other programs do not have (the app ships
    its Hangul font and loads it for itself): ImageMagick and rsvg drew every Korean title,
    label and legend as empty boxes. As outlines they look as on screen everywhere.
    """
    ElementTree.register_namespace("", SVG_NAMESPACE)
    ElementTree.register_namespace("xlink", XLINK_NAMESPACE)
    root = ElementTree.fromstring(svg)
    changed = False
    for parent in root.iter():
        for index, child in enumerate(list(parent)):
            if _tag(child) == "text" and any(ord(c) > 255 for c in "".join(child.itertext())):
                parent.remove(child)
                parent.insert(index, _outline(child))
                changed = True
    if not changed:
        return svg
    return b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n' + ElementTree.tostring(
        root, encoding="utf-8", xml_declaration=False)


def save_image(widget, path, width=None):
    """Save ``widget`` as PNG or SVG according to the extension of ``path``.

    ValueError for an unknown extension or a bad ``width`` (before anything is drawn);
    OSError naming ``path`` when it cannot be written (nothing is left behind then).
    """
    kind = image_format(path)
    width = check_width(width)
    # pyqtgraph sizes an axis to its tick labels while painting it, and the layout follows
    # when the posted layout request runs: right after a zoom both are a frame behind. One
    # paint and the layout request settle them, so the picture is what the screen then shows.
    widget.grab()
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.LayoutRequest)
    if kind == "svg":
        data = outline_non_latin_text(bake_cosmetic_strokes(widget_svg_bytes(widget)))
    elif _is_plot(widget):
        data = plot_png_bytes(widget, width)
    else:
        data = widget_png_bytes(widget, width)
    write_atomically(path, data)
