"""The network view: the model drawn as columns of neurons joined by its weights.

Each neuron is a small picture computed in the worker thread
(:mod:`gui.model.network_pictures`); this widget only uploads those arrays. Inputs, hidden
layers and outputs are columns; a connection's colour is its weight's sign (orange negative,
blue positive, as in TensorFlow Playground and the data view's two classes) and its width grows
with |w| in :data:`~gui.model.network_pictures.WIDTH_CLASSES` steps. The connections of one
sign and width are one path item, so a refresh changes at most ``2 * WIDTH_CLASSES`` paths and
one pixmap per shown neuron, whatever the number of weights.

Hovering a neuron or a connection writes its value in the readout line under the drawing and
in the tooltip; the readout is set only when its text changes. Clicking a neuron emits
:attr:`NetworkView.neuronClicked` with (layer, index): layer 0 is the inputs, index the
neuron's position in its layer.
"""


import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from gui import glossary, i18n
from gui.model import network_pictures as pictures_module
from gui.plots.menu_texts import retranslate_menus
from gui.i18n import tr

#: Largest side of a neuron's picture on screen, and the smallest.
MAX_SIDE = 64
MIN_SIDE = 8
#: Line widths in pixels of the width classes (Playground: 1 to 10 px for |w| up to 5), for
#: neurons of FULL_WIDTH_SIDE pixels or more; smaller neurons get thinner lines, so the lines
#: do not bury the pictures of a large net in a small view.
LINE_WIDTHS = np.linspace(0.5, 6.0, pictures_module.WIDTH_CLASSES)
FULL_WIDTH_SIDE = 32
_MARGIN = 8
_LABEL_HEIGHT = 16
#: How close (pixels) the cursor must be to a connection beyond half its width to hover it.
_HOVER_SLACK = 2.0
#: Opacity of the connections: crossings stay readable, and a line over a neuron's frame too.
LINE_ALPHA = 210
_SMOOTH = {"plane": True, "curve": False, "weights": False, "histogram": False}


def _pen(rgb, width):
    pen = QtGui.QPen(QtGui.QColor(*(int(c) for c in rgb), LINE_ALPHA))
    pen.setWidthF(float(width))
    pen.setCapStyle(QtCore.Qt.PenCapStyle.FlatCap)
    return pen


class _Canvas(pg.GraphicsView):
    """The drawing: scene coordinates are the view's pixels (pyqtgraph's auto pixel range)."""

    def __init__(self, owner):
        self._owner = None  # pyqtgraph's constructor already resizes
        super().__init__(owner, background="w")
        self.setObjectName("networkCanvas")
        self._owner = owner

    def resizeEvent(self, event):
        super().resizeEvent(event)
        if self._owner is not None:
            self._owner._layout_changed()

    def mouseMoveEvent(self, event):
        super().mouseMoveEvent(event)
        self._owner._hover(self.mapToScene(event.position().toPoint()))

    def mousePressEvent(self, event):
        super().mousePressEvent(event)
        if event.button() == QtCore.Qt.MouseButton.LeftButton:
            self._owner._click(self.mapToScene(event.position().toPoint()))

    def leaveEvent(self, event):
        super().leaveEvent(event)
        self._owner._hover(None)


class NetworkView(i18n.Retranslating, QtWidgets.QWidget):
    """Draws :class:`~gui.model.network_pictures.NetworkPictures`; see the module docstring."""

    neuronClicked = QtCore.Signal(int, int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("networkView")
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(2)
        self.title = QtWidgets.QLabel(glossary.label("network_view"))
        self.title.setObjectName("networkTitle")
        self.title.setAlignment(QtCore.Qt.AlignmentFlag.AlignHCenter)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.canvas = _Canvas(self)
        self.readout = QtWidgets.QLabel(" ")
        self.readout.setObjectName("networkReadout")
        self.readout.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        # room for Hangul, whose fallback font is taller than the default font's metrics
        self.readout.setMinimumHeight(round(self.readout.fontMetrics().height() * 1.3))
        layout.addWidget(self.title)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.readout)
        self.setMinimumSize(200, 160)
        self.setToolTip(glossary.tooltip("network_view"))

        scene = self.canvas.scene()
        self._paths = {}
        for positive in (False, True):
            for width_class in range(pictures_module.WIDTH_CLASSES):
                item = QtWidgets.QGraphicsPathItem()
                item.setZValue(-10 + width_class)  # thick lines over thin ones
                scene.addItem(item)
                self._paths[positive, width_class] = item
        self._line_widths = None
        self._set_line_widths(LINE_WIDTHS)
        self._frames = QtWidgets.QGraphicsPathItem()
        self._frames.setPen(QtGui.QPen(QtGui.QColor(120, 120, 120), 0))
        self._frames.setZValue(5)
        scene.addItem(self._frames)
        # the neuron whose picture the data view shows large (set_selected)
        self._selection = None
        self._highlight = QtWidgets.QGraphicsRectItem()
        pen = QtGui.QPen(QtGui.QColor(20, 20, 20), 2.5)
        self._highlight.setPen(pen)
        self._highlight.setZValue(6)
        self._highlight.hide()
        scene.addItem(self._highlight)
        self._neurons = []  # pixmap items, one per shown neuron slot, reused
        self._labels = []  # (title, "+N") text items per layer, reused
        self.pictures = None
        self._pending = None
        self._structure = None
        self._side = 0.0
        self._staggered = False
        self._columns = np.zeros(0)  # left edge of each layer's column
        self._tops = []  # per layer: top edge of each shown neuron
        self._segments = None  # (m, 4) x0, y0, x1, y1 of the drawn connections
        self._segment_keys = None  # (m, 3) layer, source slot, target slot
        self._segment_weights = None
        self._segment_widths = None
        self._hovered_at = None

    # -- the live-plot protocol (gui.plots' LivePlot: bind once, take data, redraw on the clock)

    def bind(self, session):
        """Follow ``session`` (a ``gui.session.Session``): each progress's pictures are kept
        and drawn at the next :meth:`redraw`."""
        session.run_started.connect(self.start_run)
        session.progressed.connect(self.take_progress)

    def start_run(self, run):
        """A new model: its first pictures come with its first progress."""
        self._pending = None

    def take_progress(self, run, progress):
        """Keep the pictures a worker's ``Progress`` carries (``progress.network``)."""
        if progress.network is not None:
            self._pending = progress.network

    def plan(self, run, epochs=None):
        """The run's length does not change the drawing."""

    def end_run(self):
        """The last pictures stay."""

    def redraw(self):
        """Draw the pictures taken since the last redraw; a hidden view keeps them for when it
        is shown, so it costs nothing while hidden."""
        if self._pending is not None and self.isVisible():
            pictures, self._pending = self._pending, None
            self.show_pictures(pictures)

    def showEvent(self, event):
        super().showEvent(event)
        self.redraw()

    # -- showing -------------------------------------------------------------------------------

    def show_pictures(self, pictures):
        """Draw ``pictures`` (a :class:`~gui.model.network_pictures.NetworkPictures`)."""
        self.pictures = pictures
        if pictures.structure != self._structure:
            self._structure = pictures.structure
            self._place()
        for layer_index, layer in enumerate(pictures.layers):
            for slot, image in enumerate(layer.images):
                self._neurons[layer_index][slot].setPixmap(QtGui.QPixmap.fromImage(
                    QtGui.QImage(image.data, image.shape[1], image.shape[0],
                                 image.strides[0], QtGui.QImage.Format.Format_RGB888)))
        self._draw_connections()
        self._place_highlight()
        if self._hovered_at is not None:
            self._hover(self._hovered_at)

    def _layout_changed(self):
        if self.pictures is not None:
            self._place()
            self._draw_connections()

    def _place(self):
        """Position columns, neurons, frames and labels for the current size and structure."""
        pictures, scene = self.pictures, self.canvas.scene()
        layers = pictures.layers
        width = max(self.canvas.viewport().width(), 1)
        height = max(self.canvas.viewport().height(), 1)
        rows = max(len(layer.shown) for layer in layers)
        spacing = (width - 2 * _MARGIN) / len(layers)
        # titles wider than a column alternate between two lines, so neighbours never overlap
        metrics = QtGui.QFontMetricsF(QtWidgets.QGraphicsSimpleTextItem().font())
        widest = max(metrics.horizontalAdvance(self.layer_name(index))
                     for index in range(len(layers)))
        self._staggered = widest > spacing - 4
        title_lines = 2 if self._staggered else 1
        usable = height - (1 + title_lines) * _LABEL_HEIGHT - 2 * _MARGIN
        side = min(MAX_SIDE, usable / (1.25 * rows - 0.25), 0.5 * spacing)
        self._side = side = max(side, MIN_SIDE)
        factor = min(1.0, side / FULL_WIDTH_SIDE)
        self._set_line_widths(LINE_WIDTHS[0] + (LINE_WIDTHS - LINE_WIDTHS[0]) * factor)
        self._columns = _MARGIN + spacing * (np.arange(len(layers)) + 0.5) - side / 2
        middle = _MARGIN + title_lines * _LABEL_HEIGHT + usable / 2
        self._tops = [middle + side * (1.25 * np.arange(len(layer.shown))
                                       - (1.25 * len(layer.shown) - 0.25) / 2)
                      for layer in layers]
        frames = QtGui.QPainterPath()
        while len(self._neurons) < len(layers):
            self._neurons.append([])
        while len(self._labels) < len(layers):
            labels = (QtWidgets.QGraphicsSimpleTextItem(), QtWidgets.QGraphicsSimpleTextItem())
            for label in labels:
                scene.addItem(label)
            self._labels.append(labels)
        for index, items in enumerate(self._neurons):
            shown = len(layers[index].shown) if index < len(layers) else 0
            while len(items) < shown:
                item = QtWidgets.QGraphicsPixmapItem()
                scene.addItem(item)
                items.append(item)
            for slot, item in enumerate(items):
                item.setVisible(slot < shown)
                if slot >= shown:
                    continue
                image = layers[index].images[slot]
                item.setTransformationMode(
                    QtCore.Qt.TransformationMode.SmoothTransformation
                    if _SMOOTH[layers[index].kind] else
                    QtCore.Qt.TransformationMode.FastTransformation)
                item.setScale(side / image.shape[1])
                item.setPos(self._columns[index], self._tops[index][slot])
                frames.addRect(QtCore.QRectF(self._columns[index], self._tops[index][slot],
                                             side, side))
        self._frames.setPath(frames)
        self._place_highlight()
        for index, (title, more) in enumerate(self._labels):
            title.setVisible(index < len(layers))
            more.setVisible(index < len(layers) and layers[index].hidden > 0)
        self._label_layers()

    def _set_line_widths(self, widths):
        if self._line_widths is not None and np.allclose(widths, self._line_widths):
            return
        self._line_widths = widths
        for (positive, width_class), item in self._paths.items():
            rgb = pictures_module.POSITIVE if positive else pictures_module.NEGATIVE
            item.setPen(_pen(rgb, widths[width_class]))

    def line_widths(self):
        """The pen widths (pixels) of the width classes at the current neuron size."""
        return self._line_widths.copy()

    def _label_layers(self):
        """Layer titles above the columns and the "+N" counts below them."""
        if self.pictures is None:
            return
        layers = self.pictures.layers
        centre = self._columns + self._side / 2
        for index, layer in enumerate(layers):
            title, more = self._labels[index]
            title.setText(self.layer_name(index))
            rect = title.boundingRect()
            raised = _LABEL_HEIGHT if self._staggered and index % 2 else 0
            title.setPos(centre[index] - rect.width() / 2,
                         self._tops[index][0] - rect.height() - 3 - raised)
            more.setText(f"+{layer.hidden}")
            rect = more.boundingRect()
            more.setPos(centre[index] - rect.width() / 2, self._tops[index][-1] + self._side + 3)

    def _draw_connections(self):
        """One path per sign and width class through all drawn connections."""
        pictures = self.pictures
        segments, keys, weights, classes = [], [], [], []
        for index, links in enumerate(pictures.connections):
            right = self._columns[index] + self._side
            left = self._columns[index + 1]
            half = self._side / 2
            count = len(links.source)
            segments.append(np.column_stack([
                np.full(count, right), self._tops[index][links.source] + half,
                np.full(count, left), self._tops[index + 1][links.target] + half]))
            keys.append(np.column_stack([np.full(count, index), links.source, links.target]))
            weights.append(links.weight)
            classes.append(links.width_class)
        self._segments = np.concatenate(segments) if segments else np.zeros((0, 4))
        self._segment_keys = np.concatenate(keys) if keys else np.zeros((0, 3), np.int64)
        self._segment_weights = np.concatenate(weights) if weights else np.zeros(0)
        classes = np.concatenate(classes) if classes else np.zeros(0, np.int64)
        self._segment_widths = self._line_widths[classes]
        bucket = (self._segment_weights >= 0) * pictures_module.WIDTH_CLASSES + classes
        for (positive, width_class), item in self._paths.items():
            chosen = self._segments[bucket == positive * pictures_module.WIDTH_CLASSES
                                    + width_class]
            if not len(chosen):
                item.setPath(QtGui.QPainterPath())
                continue
            xs = chosen[:, [0, 2]].ravel()
            ys = chosen[:, [1, 3]].ravel()
            item.setPath(pg.arrayToQPath(xs, ys, connect="pairs", finiteCheck=False))

    # -- names and geometry (public: the window and tests find neurons with these) ----------

    def layer_name(self, layer):
        """"Input", "Hidden 1", ... "Output" for layer index ``layer``."""
        if layer == 0:
            return tr("Input")
        if layer == len(self.pictures.layers) - 1:
            return tr("Output")
        return tr("Hidden {number}", number=layer)

    def neuron_rect(self, layer, index):
        """The rectangle (scene = canvas pixels) of neuron ``index`` of ``layer``, or None when
        that neuron is not shown."""
        shown = self.pictures.layers[layer].shown
        slot = np.flatnonzero(shown == index)
        if not len(slot):
            return None
        return QtCore.QRectF(self._columns[layer], self._tops[layer][slot[0]], self._side,
                             self._side)

    def connection_segment(self, layer, source, target):
        """The drawn line (x0, y0, x1, y1) from neuron ``source`` of ``layer`` to neuron
        ``target`` of ``layer + 1``, or None when it is not drawn."""
        shown = self.pictures.layers
        source_slot = np.flatnonzero(shown[layer].shown == source)
        target_slot = np.flatnonzero(shown[layer + 1].shown == target)
        if not len(source_slot) or not len(target_slot):
            return None
        match = np.flatnonzero((self._segment_keys[:, 0] == layer)
                               & (self._segment_keys[:, 1] == source_slot[0])
                               & (self._segment_keys[:, 2] == target_slot[0]))
        return tuple(self._segments[match[0]]) if len(match) else None

    def connection_paths(self):
        """``{(positive, width_class): QGraphicsPathItem}``: the drawn connections by sign and
        width class."""
        return dict(self._paths)

    def hidden_label(self, layer):
        """The "+N" text item under ``layer``'s column (hidden when every neuron is shown)."""
        return self._labels[layer][1]

    # -- hover and click -----------------------------------------------------------------------

    def _neuron_at(self, point):
        """(layer, slot, x fraction, y fraction) of the neuron under ``point``, or None."""
        if self.pictures is None:
            return None
        x, y = point.x(), point.y()
        column = np.flatnonzero((x >= self._columns) & (x < self._columns + self._side))
        if not len(column):
            return None
        layer = int(column[0])
        tops = self._tops[layer]
        slot = np.flatnonzero((y >= tops) & (y < tops + self._side))
        if not len(slot):
            return None
        slot = int(slot[0])
        return (layer, slot, (x - self._columns[layer]) / self._side,
                (y - tops[slot]) / self._side)

    def _connection_at(self, point):
        """Index of the drawn connection nearest ``point`` within reach, or None."""
        if self._segments is None or not len(self._segments):
            return None
        x0, y0, x1, y1 = self._segments.T
        dx, dy = x1 - x0, y1 - y0
        length = np.maximum(dx * dx + dy * dy, 1e-12)
        t = np.clip(((point.x() - x0) * dx + (point.y() - y0) * dy) / length, 0, 1)
        distance = np.hypot(x0 + t * dx - point.x(), y0 + t * dy - point.y())
        reach = distance - self._segment_widths / 2 - _HOVER_SLACK
        # the thickest line wins where lines cross (it is drawn on top)
        candidates = np.flatnonzero(reach <= 0)
        if not len(candidates):
            return None
        return int(candidates[np.argmax(np.abs(self._segment_weights[candidates]))])

    def describe_at(self, point):
        """The readout text for scene point ``point``: the neuron or connection there, or ""."""
        return self._hit(point)[0]

    def _hit(self, point):
        """(readout text, the item drawing what is under ``point``) or ("", None)."""
        found = self._neuron_at(point) if point is not None else None
        if found is not None:
            layer, slot = found[0], found[1]
            return self._describe_neuron(*found), self._neurons[layer][slot]
        if point is not None and self.pictures is not None:
            for layer, (_, more) in enumerate(self._labels[:len(self.pictures.layers)]):
                if more.isVisible() and more.sceneBoundingRect().contains(point):
                    picture = self.pictures.layers[layer]
                    return tr("{count} more neurons; shown are the {shown} with the largest "
                              "weights", count=picture.hidden, shown=len(picture.shown)), more
        connection = self._connection_at(point) if point is not None else None
        if connection is None:
            return "", None
        layer, source, target = (int(v) for v in self._segment_keys[connection])
        weight = float(self._segment_weights[connection])
        layers = self.pictures.layers
        text = tr("Weight {weight:.4g}: {source} neuron {i} → {target} neuron {j}",
                  weight=weight, source=self.layer_name(layer),
                  i=int(layers[layer].shown[source]) + 1, target=self.layer_name(layer + 1),
                  j=int(layers[layer + 1].shown[target]) + 1)
        width_class = int(pictures_module.width_class(weight))
        return text, self._paths[weight >= 0, width_class]

    def _describe_neuron(self, layer, slot, fx, fy):
        pictures = self.pictures
        picture = pictures.layers[layer]
        name = tr("{layer} neuron {number}", layer=self.layer_name(layer),
                  number=int(picture.shown[slot]) + 1)
        values = picture.values[slot]
        if picture.kind == "histogram":
            text = tr("{name}: mean {mean:.3g}, from {low:.3g} to {high:.3g}", name=name,
                      mean=values[0], low=values[1], high=values[2])
        elif picture.kind == "weights":
            row = min(int(fy * values.shape[0]), values.shape[0] - 1)
            column = min(int(fx * values.shape[1]), values.shape[1] - 1)
            text = tr("{name}: weight {weight:.3g} from pixel ({row}, {column})", name=name,
                      weight=values[row, column], row=row, column=column)
        elif picture.kind == "curve":
            column = min(int(fx * values.shape[0]), values.shape[0] - 1)
            text = tr("{name}: {value:.3g} at x = {x:.3g}", name=name, value=values[column],
                      x=pictures.curve_x[column])
        else:
            row = min(int(fy * values.shape[0]), values.shape[0] - 1)
            column = min(int(fx * values.shape[1]), values.shape[1] - 1)
            x0, x1, y0, y1 = pictures.extent
            side = values.shape[0] - 1
            text = tr("{name}: {value:.3g} at ({x:.2f}, {y:.2f})", name=name,
                      value=values[row, column], x=x0 + (x1 - x0) * column / side,
                      y=y1 - (y1 - y0) * row / side)
        if picture.biases is not None:
            text = tr("{readout}; bias {bias:.3g}", readout=text, bias=picture.biases[slot])
        return text

    def _hover(self, point):
        """Readout (and the hovered item's tooltip) for ``point``; set only when it changes."""
        self._hovered_at = point
        text, item = self._hit(point)
        if text != self.readout.text().strip():
            self.readout.setText(text or " ")
            if item is not None:
                item.setToolTip(text)

    def _click(self, point):
        found = self._neuron_at(point)
        if found is not None:
            layer, slot = found[0], found[1]
            self.neuronClicked.emit(layer, int(self.pictures.layers[layer].shown[slot]))

    def set_selected(self, layer=None, index=None):
        """Frame neuron ``index`` of ``layer`` (the one the data view shows large); None
        removes the frame. A neuron that is not shown has no frame until it is."""
        self._selection = None if layer is None else (int(layer), int(index))
        self._place_highlight()

    def selected(self):
        """(layer, index) set by :meth:`set_selected`, or None."""
        return self._selection

    def _place_highlight(self):
        rect = None
        if self._selection is not None and self.pictures is not None:
            layer, index = self._selection
            if layer < len(self.pictures.layers):
                rect = self.neuron_rect(layer, index)
        self._highlight.setVisible(rect is not None)
        if rect is not None:
            self._highlight.setRect(rect.adjusted(-2, -2, 2, 2))

    # -- language ------------------------------------------------------------------------------

    def retranslate(self):
        """Title, tooltip and layer labels in the current language."""
        self.title.setText(glossary.label("network_view"))
        self.setToolTip(glossary.tooltip("network_view"))
        retranslate_menus(self.canvas)
        self._label_layers()
