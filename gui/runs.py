"""Kept runs on screen: their curves over the live plots, and the run table.

:class:`RunOverlays` draws each kept run of the session (``gui.session.KeptRun``) on the
batch-loss, learning-rate, epoch-loss and accuracy plots in the run's own colour, against the
chosen x axis (step, epoch, samples seen, wall time: batch sizes compare fairly only against
epochs or samples). A kept run is frozen, so its curves are built once per x axis and never
touched by the live redraws; per-step curves are reduced to at most ``MAX_POINTS`` bin means,
which smooths batch noise the way the live plot's smoothing does and keeps a redraw of twenty
100,000-step runs cheap.

:class:`RunTable` (objectName ``runTable``) has one row per kept run and one for the current
run; it sorts by any column, a check box shows or hides a run, and selecting a row highlights
that run's curves.
"""

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

MAX_POINTS = 2000
X_MODES = ("step", "epoch", "samples", "seconds")
X_LABELS = {"step": "step", "epoch": "epoch", "samples": "samples seen",
            "seconds": "training time (s)"}
COLUMNS = ("shown", "run", "train loss", "val loss", "train acc", "val acc", "best epoch",
           "steps", "wall time", "steps/s", "outcome")
CURRENT_KEY = "current"


def bin_means(x, y, limit=MAX_POINTS):
    """``x`` and ``y`` reduced to at most ``limit`` points: the mean of each equal bin."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n = len(x)
    if n <= limit:
        return x, y
    edges = np.linspace(0, n, limit + 1).astype(np.int64)
    counts = np.diff(edges)
    finite = np.where(np.isfinite(y), y, 0.0)
    sums_x = np.add.reduceat(x, edges[:-1])
    sums_y = np.add.reduceat(finite, edges[:-1])
    return sums_x / counts, sums_y / counts


def x_values(kept, mode):
    """The x coordinate of each of ``kept``'s steps for an x-axis ``mode``."""
    steps = kept.steps
    if mode == "epoch":
        if kept.n_train:
            return steps["samples"] / kept.n_train
        return steps["epoch"]
    return steps[{"step": "step", "samples": "samples", "seconds": "seconds"}[mode]]


class RunOverlays:
    """The kept runs' curves on the four comparison plots.

    Parameters
    ----------
    batch_plot, lr_plot, epoch_plot, accuracy_plot : pg.PlotWidget
        The window's plots; overlays are plain ``PlotDataItem``s added to them.
    """

    def __init__(self, batch_plot, lr_plot, epoch_plot, accuracy_plot):
        self.step_plots = {"batch_loss": batch_plot, "learning_rate": lr_plot}
        self.epoch_plots = {"train_loss": epoch_plot, "val_loss": epoch_plot,
                            "val_accuracy": accuracy_plot}
        self.items = {}
        self.colors = {}
        self.mode = "step"
        self.highlighted = None

    def sync(self, kept_runs):
        """Show exactly ``kept_runs`` (added, removed, relabelled, shown or hidden)."""
        wanted = {kept.key: kept for kept in kept_runs}
        for key in list(self.items):
            if key not in wanted:
                self._remove(key)
        for kept in kept_runs:
            if kept.key not in self.items:
                self._add(kept)
            for item in self.items[kept.key].values():
                item.setVisible(kept.visible)
            self._label(kept)
        self._apply_pens()

    def _label(self, kept):
        """Name the run's batch-loss curve in the plot's legend by its current label."""
        item = self.items[kept.key]["batch_loss"]
        if item.opts.get("name") == kept.label:
            return
        item.opts["name"] = kept.label
        legend = self.step_plots["batch_loss"].getPlotItem().legend
        if legend is not None:
            legend.removeItem(item)
            legend.addItem(item, kept.label)

    def set_x_mode(self, mode, kept_runs):
        """Draw the per-step curves against ``mode`` (one of :data:`X_MODES`)."""
        if mode not in X_MODES:
            raise ValueError(f"x mode {mode!r} is not one of {', '.join(X_MODES)}")
        self.mode = mode
        for kept in kept_runs:
            if kept.key in self.items:
                self._set_step_data(kept)

    def highlight(self, key):
        """Draw ``key``'s curves thicker and on top (None: no run stands out)."""
        self.highlighted = key
        self._apply_pens()

    def _add(self, kept):
        items = {}
        for name, plot in {**self.step_plots, **self.epoch_plots}.items():
            item = pg.PlotDataItem(name=kept.label if name == "batch_loss" else None)
            item.setZValue(-5)
            plot.getPlotItem().addItem(item)
            items[name] = item
        self.items[kept.key] = items
        self.colors[kept.key] = kept.color
        self._set_step_data(kept)
        epochs = np.arange(1, len(kept.epochs["train_loss"]) + 1, dtype=np.float64)
        for name in self.epoch_plots:
            values = kept.epochs[name]
            shown = np.isfinite(values)
            items[name].setData(epochs[shown], values[shown])

    def _set_step_data(self, kept):
        x = x_values(kept, self.mode)
        for name in self.step_plots:
            items = self.items[kept.key]
            items[name].setData(*bin_means(x, kept.steps[name]))

    def _remove(self, key):
        items = self.items.pop(key)
        self.colors.pop(key)
        for name, item in items.items():
            plot = {**self.step_plots, **self.epoch_plots}[name]
            plot.getPlotItem().removeItem(item)

    def _apply_pens(self):
        for key, items in self.items.items():
            width = 3.0 if key == self.highlighted else 1.5
            color = self.colors[key]
            for name, item in items.items():
                style = QtCore.Qt.DashLine if name == "val_loss" else QtCore.Qt.SolidLine
                item.setPen(pg.mkPen(*color, width=width, style=style))
                item.setZValue(-1 if key == self.highlighted else -5)


class _SortItem(QtWidgets.QTableWidgetItem):
    """Sorts by the number in UserRole (NaN last) while showing formatted text."""

    def __lt__(self, other):
        mine, theirs = self.data(QtCore.Qt.UserRole), other.data(QtCore.Qt.UserRole)
        if isinstance(mine, (int, float)) and isinstance(theirs, (int, float)):
            if mine != mine:
                return False
            return theirs != theirs or mine < theirs
        return self.text() < other.text()


def _cell(value, fmt):
    text = "–" if value is None or value != value else fmt.format(value)
    item = _SortItem(text)
    item.setData(QtCore.Qt.UserRole, float("nan") if value is None else float(value))
    item.setTextAlignment(QtCore.Qt.AlignRight | QtCore.Qt.AlignVCenter)
    return item


class RunTable(QtWidgets.QTableWidget):
    """One row per kept run and one for the current run.

    Signals: ``visibilityToggled(key, bool)``, ``runSelected(key or None)``.
    """

    visibilityToggled = QtCore.Signal(object, bool)
    runSelected = QtCore.Signal(object)

    def __init__(self, parent=None):
        super().__init__(0, len(COLUMNS), parent)
        self.setObjectName("runTable")
        self.setHorizontalHeaderLabels(list(COLUMNS))
        self.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectRows)
        self.setSelectionMode(QtWidgets.QAbstractItemView.SingleSelection)
        self.setEditTriggers(QtWidgets.QAbstractItemView.NoEditTriggers)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QtWidgets.QHeaderView.ResizeToContents)
        header.setSectionResizeMode(1, QtWidgets.QHeaderView.Stretch)
        self.itemChanged.connect(self._item_changed)
        self.itemSelectionChanged.connect(self._selection_changed)
        self._filling = False

    def fill(self, rows):
        """Show ``rows``: dicts with key, label, color, visible, train_loss, val_loss,
        train_accuracy, val_accuracy, best_epoch, steps, wall_seconds, steps_per_second,
        outcome."""
        selected = self.selected_key()
        self._filling = True
        self.setSortingEnabled(False)
        self.setRowCount(len(rows))
        for index, row in enumerate(rows):
            shown = _SortItem()
            shown.setData(QtCore.Qt.UserRole, row["key"])
            if row["key"] == CURRENT_KEY:
                shown.setFlags(QtCore.Qt.ItemIsEnabled | QtCore.Qt.ItemIsSelectable)
            else:
                shown.setFlags(QtCore.Qt.ItemIsEnabled | QtCore.Qt.ItemIsSelectable
                               | QtCore.Qt.ItemIsUserCheckable)
                shown.setCheckState(QtCore.Qt.Checked if row["visible"] else
                                    QtCore.Qt.Unchecked)
            label = _SortItem(row["label"])
            label.setForeground(pg.mkColor(*row["color"]))
            cells = [shown, label,
                     _cell(row["train_loss"], "{:.4g}"), _cell(row["val_loss"], "{:.4g}"),
                     _cell(row["train_accuracy"], "{:.3f}"),
                     _cell(row["val_accuracy"], "{:.3f}"),
                     _cell(row["best_epoch"], "{:.0f}"), _cell(row["steps"], "{:,.0f}"),
                     _cell(row["wall_seconds"], "{:.1f} s"),
                     _cell(row["steps_per_second"], "{:,.0f}"), _SortItem(row["outcome"])]
            for column, item in enumerate(cells):
                self.setItem(index, column, item)
        self.setSortingEnabled(True)
        self._filling = False
        self.select_key(selected)

    def keys(self):
        return [self.item(row, 0).data(QtCore.Qt.UserRole) for row in range(self.rowCount())]

    def selected_key(self):
        rows = self.selectionModel().selectedRows() if self.selectionModel() else []
        return self.item(rows[0].row(), 0).data(QtCore.Qt.UserRole) if rows else None

    def select_key(self, key):
        self._filling = True
        self.clearSelection()
        for row, row_key in enumerate(self.keys()):
            if row_key == key:
                self.selectRow(row)
        self._filling = False

    def _item_changed(self, item):
        if self._filling or item.column() != 0:
            return
        key = item.data(QtCore.Qt.UserRole)
        if key != CURRENT_KEY:
            self.visibilityToggled.emit(key, item.checkState() == QtCore.Qt.Checked)

    def _selection_changed(self):
        if not self._filling:
            self.runSelected.emit(self.selected_key())
