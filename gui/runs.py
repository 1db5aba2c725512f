"""Runs on screen: the run table and the runs' labels in the current language.

The runs' curves are drawn by gui.plots.drawer.

:class:`RunTable` (objectName ``runTable``) has one row per kept run and one for the current
run; it sorts by any column, a check box shows or hides a run, and selecting a row highlights
that run's curves.
"""


import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from gui import i18n
from gui.buffers import X_MODES
from gui.i18n import QT_TR_NOOP, tr
from gui.model.labels import Outcome, outcome_text, text as label_text
from gui.model.runs import CURRENT_KEY, Role

#: The run table's column headers (English sources, shown through tr).
COLUMNS = (QT_TR_NOOP("shown"), QT_TR_NOOP("run"), QT_TR_NOOP("train loss"),
           QT_TR_NOOP("val loss"), QT_TR_NOOP("train acc"), QT_TR_NOOP("val acc"),
           QT_TR_NOOP("best epoch"), QT_TR_NOOP("steps"), QT_TR_NOOP("wall time"),
           QT_TR_NOOP("steps/s"), QT_TR_NOOP("outcome"))


#: Rows the table asks room for when the window opens (more scroll): the plots need the height.
ROWS_SHOWN = 2


def table_rows(session):
    """The run table's rows for ``session`` (a ``gui.session.Session``), read from its
    collection of runs (``session.runs``): the kept runs but those a lesson set aside
    (gui.lesson_scene: listed first, they filled the rows shown and hid the lesson's own), then
    the current run (marked ▶ where shown, labelled by what differs from them); a sweep's
    racing runs get their rows when they are kept. Labels and outcomes as data
    (``gui.model.labels``), put into words by the table."""
    runs = session.runs
    rows = [{"key": entry.key, "label": entry.label, "color": entry.color,
             "visible": entry.visible, "train_loss": kept.final("train_loss"),
             "val_loss": kept.final("val_loss"),
             "train_accuracy": kept.final("train_accuracy"),
             "val_accuracy": kept.final("val_accuracy"), "best_epoch": kept.best_epoch,
             "steps": kept.n_steps, "wall_seconds": kept.wall_seconds,
             "steps_per_second": kept.steps_per_second, "outcome": kept.outcome}
            for entry, kept in ((entry, entry.record) for entry in runs.of(Role.KEPT))
            if not entry.aside]
    current = runs.current
    if current is not None:
        run = current.record
        epochs = current.epochs

        def last(name):
            values = epochs[name]
            return float(values[-1]) if len(values) else None
        outcome = (Outcome.of_run(run.outcome, run.diverged_step) if run.outcome
                   else Outcome(session.state.value))
        rows.append({"key": CURRENT_KEY, "label": session.relabel(),
                     "color": current.color, "visible": True,
                     "train_loss": last("train_loss"), "val_loss": last("val_loss"),
                     "train_accuracy": last("train_accuracy"),
                     "val_accuracy": last("val_accuracy"), "best_epoch": run.best_epoch,
                     "steps": run.step_count, "wall_seconds": run.wall_seconds,
                     "steps_per_second": run.steps_per_second, "outcome": outcome})
    return rows


class _SortItem(QtWidgets.QTableWidgetItem):
    """Sorts by the number in UserRole (NaN last) while showing formatted text."""

    def __lt__(self, other):
        mine, theirs = self.data(QtCore.Qt.UserRole), other.data(QtCore.Qt.UserRole)
        if isinstance(mine, (int, float)) and isinstance(theirs, (int, float)):
            if mine != mine:
                return False
            return theirs != theirs or mine < theirs
        return self.text() < other.text()


#: The numeric columns after "shown" and "run": (row field, format).
_NUMBER_COLUMNS = (("train_loss", "{:.4g}"), ("val_loss", "{:.4g}"),
                   ("train_accuracy", "{:.3f}"), ("val_accuracy", "{:.3f}"),
                   ("best_epoch", "{:.0f}"), ("steps", "{:,.0f}"), ("wall_seconds", "{:.1f} s"),
                   ("steps_per_second", "{:,.0f}"))


def _row_specs(row):
    """What each cell of ``row`` shows, as plain values that compare equal when the cell would
    look the same (NaN compares by its text)."""
    key = row["key"]
    numbers = []
    for name, fmt in _NUMBER_COLUMNS:
        value = row[name]
        missing = value is None or value != value
        numbers.append(("–" if missing else fmt.format(value), None if missing else value))
    label = label_text(row["label"])
    return (("shown", key, None if key == CURRENT_KEY else bool(row["visible"])),
            ("run", f"▶ {label}" if key == CURRENT_KEY else label, tuple(row["color"])),
            *numbers,
            ("outcome", outcome_text(row["outcome"])))


def _item(column, spec):
    """The table item for ``spec`` (from :func:`_row_specs`) in ``column``."""
    if column == 0:
        _, key, visible = spec
        item = _SortItem()
        item.setData(QtCore.Qt.UserRole, key)
        if visible is None:  # the current run is always shown
            item.setFlags(QtCore.Qt.ItemIsEnabled | QtCore.Qt.ItemIsSelectable)
        else:
            item.setFlags(QtCore.Qt.ItemIsEnabled | QtCore.Qt.ItemIsSelectable
                          | QtCore.Qt.ItemIsUserCheckable)
            item.setCheckState(QtCore.Qt.Checked if visible else QtCore.Qt.Unchecked)
        return item
    if column == 1:
        _, label, color = spec
        item = _SortItem(label)
        item.setForeground(pg.mkColor(*color))
        return item
    if spec[0] == "outcome":
        return _SortItem(spec[1])
    text, value = spec
    item = _SortItem(text)
    item.setData(QtCore.Qt.UserRole, float("nan") if value is None else float(value))
    item.setTextAlignment(QtCore.Qt.AlignRight | QtCore.Qt.AlignVCenter)
    return item


class RunTable(i18n.Retranslating, QtWidgets.QTableWidget):
    """One row per kept run and one for the current run.

    Signals: ``visibilityToggled(key, bool)``, ``runSelected(key or None)``.
    """

    visibilityToggled = QtCore.Signal(object, bool)
    runSelected = QtCore.Signal(object)

    def __init__(self, parent=None):
        super().__init__(0, len(COLUMNS), parent)
        self.setObjectName("runTable")
        self.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectRows)
        self.setSelectionMode(QtWidgets.QAbstractItemView.SingleSelection)
        self.setEditTriggers(QtWidgets.QAbstractItemView.NoEditTriggers)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        # unsorted until a header is clicked: the runs in the order kept, the current one
        # last (Qt's default, column 0 descending, ordered rows by key, and re-sorted all of
        # them in Python on every fill)
        header.setSortIndicator(-1, QtCore.Qt.AscendingOrder)
        header.setSectionResizeMode(QtWidgets.QHeaderView.ResizeToContents)
        header.setSectionResizeMode(1, QtWidgets.QHeaderView.Stretch)
        self.itemChanged.connect(self._item_changed)
        self.itemSelectionChanged.connect(self._selection_changed)
        self._filling = False
        self._specs = {}  # key -> what each cell of its row shows (see _row_specs)
        self._rows = []
        self.retranslate()

    def retranslate(self):
        """The headers, and the rows again: their labels and outcomes are data, put into
        words when shown."""
        self.setHorizontalHeaderLabels([tr(column) for column in COLUMNS])
        self.fill(self._rows)

    def sizeHint(self):
        """Room for the header and ROWS_SHOWN rows: Qt's default (about 190 px) made the
        runs dock take a quarter of a 900-px window from the plots."""
        hint = super().sizeHint()
        rows = self.verticalHeader().defaultSectionSize() * ROWS_SHOWN
        height = self.horizontalHeader().sizeHint().height() + rows + 2 * self.frameWidth()
        return QtCore.QSize(hint.width(), height)

    def fill(self, rows):
        """Show ``rows``: dicts with key, label, color, visible, train_loss, val_loss,
        train_accuracy, val_accuracy, best_epoch, steps, wall_seconds, steps_per_second,
        outcome."""
        self._rows = rows
        # Each row stays where it stands and only the cells whose content changed are
        # replaced, found by comparing in Python; a new run's row is added at the end and a
        # removed run's row taken out. Replacing every cell cost ~80 ms per fill with 10 kept
        # runs (each setItem re-measures the resize-to-contents columns, and each call into
        # Qt waits for the GIL from the training thread): a hitch in the event loop every
        # 1.2 s (tests.benchmarks.gui_speed), and a sweep that keeps 60 runs one after
        # another refilled every row each time.
        keys = [row["key"] for row in rows]
        if len(set(keys)) != len(keys):
            raise ValueError(f"the run table's rows repeat a key: {keys}")
        shown_keys = self.keys()
        wanted = set(keys)
        gone = [index for index, key in enumerate(shown_keys) if key not in wanted]
        # a new row goes before the next run of ``rows`` already shown (kept runs before the
        # current one), or last; a sorted table sorts it in when sorting is enabled again
        order = [key for key in shown_keys if key in wanted]
        placed = set(order)
        inserted = []
        for position, key in enumerate(keys):
            if key in placed:
                continue
            after = next((later for later in keys[position + 1:] if later in placed), None)
            index = len(order) if after is None else order.index(after)
            order.insert(index, key)
            placed.add(key)
            inserted.append(index)
        place = {key: index for index, key in enumerate(order)}
        for index in gone:
            self._specs.pop(shown_keys[index], None)
        changes = []
        for row in rows:
            specs = _row_specs(row)
            old = self._specs.get(row["key"], ())
            changes += [(place[row["key"]], column, spec) for column, spec in enumerate(specs)
                        if column >= len(old) or old[column] != spec]
            self._specs[row["key"]] = specs
        if not changes and not gone and not inserted:
            return
        selected = self.selected_key()
        self._filling = True
        self.setSortingEnabled(False)
        for index in reversed(gone):
            self.removeRow(index)
        for index in inserted:
            self.insertRow(index)
        for index, column, spec in changes:
            self.setItem(index, column, _item(column, spec))
        self.setSortingEnabled(True)
        self._filling = False
        self.select_key(selected)

    def keys(self):
        """The runs' keys, row by row as shown (None for a row not filled yet)."""
        return [None if self.item(row, 0) is None else self.item(row, 0).data(QtCore.Qt.UserRole)
                for row in range(self.rowCount())]

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
