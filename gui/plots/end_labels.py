"""Direct labels: each compared run's short name written at the end of its curve.

A legend names runs far from their curves, and with more than a few it hid the rest behind
"+N more" (issue 22); a learner reads "lr 0.01" where the curve ends instead. Past
:data:`MAX_LABELED` visible runs (a sweep's dozens) the labels would pile up, so none is drawn
and the legend and the run table name them.

Curves that end close together had their names drawn over each other ("Early stopping
(patience 10)" and "Early stopping, best weights" end at the same point; four batch-size
runs ended within a few pixels). The labels are laid out in screen space: runs ending at the
same point share one label ("A = B"), labels that would overlap are spread vertically (a
thin leader line joins a moved label to its curve's end), and every label stays inside the
view. A curve that goes on past the view's right edge is labelled at the edge, with where it
goes ("→ 150 epochs").
"""

import functools
import math
import weakref

import pyqtgraph as pg
from PySide6 import QtCore

from gui.i18n import tr

#: The most runs a plot labels at their ends.
MAX_LABELED = 10
#: Ends closer than this (pixels, in both directions) are one ending: one label names them.
SAME_END_PX = 2.0
#: Pixels between a label and its curve's end, and between two labels.
GAP_PX = 2.0
#: A label moved further than this (pixels) from its place gets a leader line.
LEADER_PX = 3.0


class EndLabels:
    """The end labels of one :class:`gui.plots.overlay.RunOverlay` plot.

    ``end_of(run, x_max)`` gives where a run's curve ends in view coordinates, or where it
    leaves the view if it goes on past ``x_max``: ``(x, y, epochs)`` with ``epochs`` the
    run's length in epochs when it goes on (None when it ends in view), or None for no end.
    """

    def __init__(self, plot, end_of):
        self.plot = plot
        self.end_of = end_of
        self.items = {}  # the keys of the runs it names (a tuple) -> TextItem
        self._parts = {}  # run key -> its part of its label's text
        self._spots = {}  # label key -> where its runs end, in scene coordinates
        self.leaders = pg.PlotCurveItem(pen=pg.mkPen(120, 120, 120, width=1))
        self.leaders.setZValue(19)
        item = plot.getPlotItem()
        item.addItem(self.leaders, ignoreBounds=True)
        # the layout is in pixels: another size needs it again (held weakly: a connection to
        # a bound method kept the labels, and with them the closed plot, alive)
        item.vb.sigResized.connect(functools.partial(_relayout, weakref.ref(self)))
        self._leaders_drawn = ([], [])
        self._html = {}  # label key -> the text it shows
        self._widths = {}  # label key -> its width unwrapped (pixels)

    def update(self):
        """Label every visible run at its end (or none past MAX_LABELED), drop the others."""
        item = self.plot.getPlotItem()
        if item is None:  # the plot was closed
            return
        view = item.vb
        runs = {key: run for key, run in self.plot.runs.items() if run.visible and run.data}
        if len(runs) > MAX_LABELED:
            runs = {}
        if not runs and not self.items:
            return  # nothing to label, nothing to take away: no repaint while a run trains
        (x0, x1), _ = view.viewRange()
        top = view.sceneBoundingRect().top()
        log_y = item.ctrl.logYCheck.isChecked()
        groups = {}  # pixel end -> [(key, run, end in view coordinates, epochs)]
        for key, run in runs.items():
            end = self.end_of(run, x1)
            if end is None:
                continue
            x, y, epochs = end
            if log_y:
                y = math.log10(y) if y > 0 else math.nan
            if not (math.isfinite(x) and math.isfinite(y)):
                continue
            point = view.mapViewToScene(QtCore.QPointF(x, y))
            spot = next((spot for spot in groups if abs(spot[0] - point.x()) < SAME_END_PX
                         and abs(spot[1] - point.y()) < SAME_END_PX), None)
            # a curve leaving through the top (a diverged run's blow-up) says so
            suffix = " ↑" if point.y() < top - 1 else ""
            groups.setdefault(spot or (point.x(), point.y()), []).append(
                (key, run, epochs, suffix))
        labels = {tuple(member[0] for member in members): (spot, members)
                  for spot, members in groups.items()}
        self._parts = {}
        for key in [key for key in self.items if key not in labels]:
            item.removeItem(self.items.pop(key))
            del self._html[key], self._widths[key]
        for key, (spot, members) in labels.items():
            label = self.items.get(key)
            if label is None:
                label = self.items[key] = pg.TextItem(anchor=(0, 0))
                label.setZValue(20)
                item.addItem(label, ignoreBounds=True)
            parts = [(run_key, run.color, _text(run.label, epochs) + suffix)
                     for run_key, run, epochs, suffix in members]
            self._parts.update((run_key, text) for run_key, _, text in parts)
            html = " = ".join(_colored(color, text) for _, color, text in parts)
            if html != self._html.get(key):
                self._html[key] = html
                label.setTextWidth(-1)
                label.setHtml(html)
                self._widths[key] = label.boundingRect().width()
            label.show()
        self._spots = {key: spot for key, (spot, _) in labels.items()}
        self._layout()
        legend = getattr(item, "legend", None)
        if hasattr(legend, "name_at_ends"):  # a lesson's runs named here leave a short legend
            legend.name_at_ends([runs[run_key].items[0] for key in labels for run_key in key])

    def _layout(self):
        """Place the labels: beside their ends, inside the view, spread so none overlaps."""
        view = self.plot.getPlotItem().vb
        box = view.sceneBoundingRect()
        if box.width() < 1 or box.height() < 1:
            return
        # the names of marker lines ("diverged at step 10") stay readable: a label on one
        # starts below it
        markers = [line.label.sceneBoundingRect() for line in self.plot.getPlotItem().items
                   if isinstance(line, pg.InfiniteLine) and line.isVisible()
                   and getattr(line, "label", None) is not None and line.label.isVisible()]
        places = []  # [key, left, top, width, height, end x, end y]
        for key, label in self.items.items():
            end_x, end_y = self._spots[key]
            # one wider than the view (two names sharing an end, on a small plot) wraps
            wrap = -1 if self._widths[key] <= box.width() else box.width()
            if label.textItem.textWidth() != wrap:
                label.setTextWidth(wrap)
            rect = label.boundingRect()  # pixels: a TextItem ignores the view's scaling
            width, height = rect.width(), rect.height()
            # left of an end in the right half of the view, right of one in the left half
            # (a short run's name ran over the y axis)
            left = end_x - width - GAP_PX if end_x > box.center().x() else end_x + GAP_PX
            left = min(max(left, box.left()), box.right() - width)
            top = min(max(end_y - height, box.top()), box.bottom() - height)
            for marker in markers:
                if marker.intersects(QtCore.QRectF(left, top, width, height)):
                    top = min(marker.bottom() + GAP_PX, box.bottom() - height)
            places.append([key, left, top, width, height, end_x, end_y])
        shown = set(self.items)
        for column in _columns(places):
            shown -= _spread(column, box.top(), box.bottom())
        leaders = []
        for key, left, top, width, height, end_x, end_y in places:
            label = self.items[key]
            if key not in shown:
                label.hide()  # no room: the legend and the run table name it
                continue
            label.setPos(view.mapSceneToView(QtCore.QPointF(left, top)))
            middle = top + height / 2
            if not top - LEADER_PX <= end_y <= top + height + LEADER_PX:
                edge = left + width if left + width <= end_x else left
                for point in (QtCore.QPointF(end_x, end_y), QtCore.QPointF(edge, middle)):
                    leaders.append(view.mapSceneToView(point))
        leaders = ([p.x() for p in leaders], [p.y() for p in leaders])
        if leaders != self._leaders_drawn:  # a new path repaints the whole view
            self._leaders_drawn = leaders
            self.leaders.setData(*leaders, connect="pairs")

    def texts(self):
        """What each labelled run is called at its curve's end, by run key (runs ending at
        one point share a label: each has its part of it)."""
        return {run_key: self._parts[run_key] for key, label in self.items.items()
                if label.isVisible() for run_key in key}

    def label_texts(self):
        """The labels shown, as a learner reads them ("A = B" for runs ending together)."""
        return [label.toPlainText() for label in self.items.values() if label.isVisible()]

    def labels(self):
        """The label items shown (pyqtgraph TextItems), for their geometry."""
        return [label for label in self.items.values() if label.isVisible()]


def _relayout(labels_ref, *args):
    labels = labels_ref()
    if labels is not None and labels.items:
        labels.update()


def _text(label, epochs):
    return label if epochs is None else tr("{run} → {epochs} epochs", run=label,
                                           epochs=epochs)


def _colored(color, text):
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return '<span style="color: #{:02x}{:02x}{:02x}">{}</span>'.format(*color[:3], escaped)


def _columns(places):
    """The places in groups whose horizontal extents overlap (each spread on its own)."""
    columns = []
    for place in sorted(places, key=lambda p: p[1]):
        if columns and place[1] < max(p[1] + p[3] for p in columns[-1]):
            columns[-1].append(place)
        else:
            columns.append([place])
    return columns


def _spread(column, top, bottom):
    """Move the places of ``column`` apart vertically, each as near its own top as the
    others let it, all between ``top`` and ``bottom``; returns the keys of those left out
    for want of room (the lowest-ending first)."""
    column.sort(key=lambda p: p[2])
    dropped = set()
    while sum(p[4] + GAP_PX for p in column) - GAP_PX > bottom - top:
        dropped.add(column.pop()[0])
    # downwards: each below the one above it
    edge = top
    for place in column:
        place[2] = max(place[2], edge)
        edge = place[2] + place[4] + GAP_PX
    # upwards: the last ones back inside the view, each above the one below it
    edge = bottom
    for place in reversed(column):
        place[2] = min(place[2], edge - place[4])
        edge = place[2] - GAP_PX
    return dropped
