"""Direct labels: each compared run's short name written at the end of its curve.

A legend names runs far from their curves, and with more than a few it hid the rest behind
"+N more" (issue 22); a learner reads "lr 0.01" where the curve ends instead. Past
:data:`MAX_LABELED` visible runs (a sweep's dozens) the labels would pile up, so none is drawn
and the legend and the run table name them.
"""

import math

import pyqtgraph as pg

#: The most runs a plot labels at their ends.
MAX_LABELED = 10


class EndLabels:
    """The end labels of one :class:`gui.plots.overlay.RunOverlay` plot.

    ``end_of(run)`` gives where a run's curve ends, ``(x, y)`` in data coordinates, or None.
    """

    def __init__(self, plot, end_of):
        self.plot = plot
        self.end_of = end_of
        self.items = {}  # run key -> pg.TextItem

    def update(self):
        """Label every visible run at its end (or none past MAX_LABELED), drop the others."""
        runs = {key: run for key, run in self.plot.runs.items() if run.visible and run.data}
        if len(runs) > MAX_LABELED:
            runs = {}
        item = self.plot.getPlotItem()
        for key in [key for key in self.items if key not in runs]:
            item.removeItem(self.items.pop(key))
        log_y = item.ctrl.logYCheck.isChecked()
        for key, run in runs.items():
            end = self.end_of(run)
            label = self.items.get(key)
            if end is None or not all(map(math.isfinite, end)) or (log_y and end[1] <= 0):
                if label is not None:
                    label.hide()
                continue
            if label is None:
                label = self.items[key] = pg.TextItem(anchor=(1, 1))
                label.setZValue(20)
                item.addItem(label, ignoreBounds=True)
            if label.toPlainText() != run.label:
                label.setText(run.label)
            label.setColor(pg.mkColor(*run.color))
            x, y = end
            # left of an end in the right half of the view, right of one in the left half
            # (a short run's name ran over the y axis)
            (x0, x1), _ = item.vb.viewRange()
            label.setAnchor((1, 1) if x > (x0 + x1) / 2 else (0, 1))
            label.setPos(x, math.log10(y) if log_y else y)
            label.show()

    def texts(self):
        """The labels shown, by run key (what a learner reads at the curves' ends)."""
        return {key: label.toPlainText() for key, label in self.items.items()
                if label.isVisible()}
