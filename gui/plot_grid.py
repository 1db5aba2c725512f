"""The live plots in their rows: made from the plot registry (:mod:`gui.plots.registry`), each
bound to the session, with the controls some show above them, the frame clock that redraws
them, and the View > Plots menu that shows and hides them.

Why apart from the window: which plot sits in which row, how a row shares its width and the
rows the height, and which instruments the shown plots need are the plots' layout, not the
window's composition.
"""

from PySide6 import QtCore, QtGui, QtWidgets

from gui import glossary
from gui.i18n import tr
from gui.plots import registry
from gui.plots.clock import FrameClock

#: Below this height (px) per row, the shown rows leave a plot little data area (its title,
#: x axis and a line or two of legend take 90-120 px): the instruments' plots then join
#: another row rather than take a third of the height (at 1440 x 900 the batch-size
#: lesson's three rows left 123-138 px each, at 1024 x 640 10-19 px).
ROW_MIN_HEIGHT = 260
#: ... if the row they join then holds no more than this many plots.
MAX_ACROSS = 3
#: Pixels between a plot and the controls above it.
CONTROLS_SPACING = 2


class PlotGrid:
    """The registry's plots for ``session``, in a vertical splitter of rows (``rows``).

    ``on_instruments(names)`` is called with the instruments the shown plots draw whenever a
    plot that draws some is shown or hidden.
    """

    def __init__(self, session, parent, on_instruments):
        self.plots, self.controls = {}, {}
        for entry in registry.PLOTS:
            plot = entry.make()
            if plot.objectName() != entry.name:
                raise ValueError(f"plot {entry.name!r} is named {plot.objectName()!r}")
            if not entry.compares:  # the others take every run from the drawer (gui.runs_dock)
                plot.bind(session)
            self.plots[entry.name] = plot
            if entry.controls is not None:
                self.controls[entry.name] = entry.controls(plot)
        self.clock = FrameClock({entry.name: (self.plots[entry.name], entry.cadence)
                                 for entry in registry.PLOTS}, parent)
        self.clock.bind(session)
        self._on_instruments = on_instruments
        self.rows = QtWidgets.QSplitter(QtCore.Qt.Vertical)
        self.row_splitters = {}  # row name -> its splitter
        self._cells = {}  # plot name -> the widget its row holds (the plot, or it and controls)
        self.placed = {}  # plot name -> the row it sits in now (its own, or a joined one)
        self._widths_before = {}  # row -> its plots' widths and shown states before guests
        for row in registry.ROWS:
            splitter = QtWidgets.QSplitter(QtCore.Qt.Horizontal)
            splitter.setObjectName(f"{row}PlotRow")
            for entry in registry.PLOTS:
                if entry.row == row:
                    self._cells[entry.name] = cell = self._cell(entry)
                    self.placed[entry.name] = row
                    splitter.addWidget(cell)
                    splitter.setStretchFactor(splitter.count() - 1, entry.stretch)
            self.rows.addWidget(splitter)
            self.row_splitters[row] = splitter
        # equal heights: the bottom plots have a legend row of up to three lines to carry
        for index in range(self.rows.count()):
            self.rows.setStretchFactor(index, 1)
            self.rows.setCollapsible(index, False)
        self.menu = None
        self.actions = {}
        self._resizes = _OnResize(self.rows, self._height_changed)

    def _cell(self, entry):
        """The plot of ``entry``, with the controls it shows above it if any."""
        plot = self.plots[entry.name]
        controls = self.controls.get(entry.name)
        if controls is None:
            return plot
        cell = QtWidgets.QWidget()
        layout = QtWidgets.QVBoxLayout(cell)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(CONTROLS_SPACING)
        layout.addWidget(controls)
        layout.addWidget(plot, 1)
        return cell

    def add_menu(self, view_menu):
        """View > Plots: one checkable action per plot (``actions``), shown as registered."""
        self.menu = view_menu.addMenu(tr("Plots"))
        for entry in registry.PLOTS:
            plot = self.plots[entry.name]
            action = QtGui.QAction(self.menu, checkable=True)
            action.setChecked(entry.shown)
            plot.setVisible(entry.shown)
            action.toggled.connect(plot.setVisible)
            action.toggled.connect(lambda _checked, name=entry.name: self.fit_rows(
                rows={self.placed[name]}))
            if entry.instruments:
                action.toggled.connect(lambda _checked: self._on_instruments(
                    self.shown_instruments()))
            self.menu.addAction(action)
            self.actions[entry.name] = action
        self.fit_rows(resize=False)
        return self.menu

    def shown_instruments(self):
        """The instruments the shown plots draw (gui.live_instruments)."""
        return [name for entry in registry.PLOTS if self.actions[entry.name].isChecked()
                for name in entry.instruments]

    def fit_rows(self, resize=True, rows=None):
        """A row of plots shows while one of its plots does (the instruments' row is empty
        until one is asked for); the instruments' plots join another row when the height
        is short (:meth:`_join_rows`); ``resize``: the plots of ``rows`` (default: all) and
        of any row a plot joined or left share its width by their stretch, and the shown
        rows the height, so a plot shown from the menu is not left a sliver."""
        moved = self._join_rows()
        widen = set(self.row_splitters) if rows is None else set(rows) | moved
        visible = []
        for row, splitter in self.row_splitters.items():
            names = self._row_names(splitter)
            shown = [self._shown(name) for name in names]
            splitter.setVisible(any(shown))
            visible.append(any(shown))
            if resize and any(shown) and row in widen:
                self._share_width(row)
        if resize and any(visible):
            # the plots, not the rows, get equal heights: a row with controls above its
            # plots (the batch loss's smoothing) is taller by them
            extras = [self._controls_height(row) if on else 0
                      for row, on in zip(self.row_splitters, visible)]
            share = (max(self.rows.height(), 1) - sum(extras)) // sum(visible)
            self.rows.setSizes([share + extra if on else 0
                                for extra, on in zip(extras, visible)])
        # last: a new height shares a row's width out again by its plots' stretch
        self._restore_widths()

    def _controls_height(self, row):
        """The height the controls shown above plots of ``row`` take."""
        return max([self.controls[name].sizeHint().height() + CONTROLS_SPACING
                    for name in self._row_names(self.row_splitters[row])
                    if name in self.controls and self._shown(name)], default=0)

    def _shown(self, name):
        action = self.actions.get(name)
        return action.isChecked() if action is not None else registry.entry(name).shown

    def _row_names(self, splitter):
        cells = {cell: name for name, cell in self._cells.items()}
        return [cells[splitter.widget(index)] for index in range(splitter.count())]

    def _shown_rows(self):
        """The rows with a shown plot of their own, in order."""
        return [row for row in registry.ROWS
                if any(self._shown(entry.name) for entry in registry.PLOTS if entry.row == row)]

    def _join_rows(self):
        """The instruments' plots join the shown row with the fewest shown plots when the
        shown rows would get less than :data:`ROW_MIN_HEIGHT` each and that row would hold
        no more than :data:`MAX_ACROSS` plots, and go back to their own row when there is
        height again. Returns the rows whose plots' widths are to be shared again (a row the
        plots left gets back the widths it had).

        At the minimum window size (1024 x 640) the batch-size lesson's three rows (batch
        loss; epoch loss and accuracy; layer norms) left each plot 20-60 px of data area;
        with layer norms beside the batch loss, two rows leave each about twice that."""
        rows = self._shown_rows()
        height = self.rows.height()
        moved = set()
        host = None
        if ("instruments" in rows and len(rows) > 1 and self.rows.isVisible()
                and height < ROW_MIN_HEIGHT * len(rows)):
            shown = {row: sum(self._shown(entry.name) for entry in registry.PLOTS
                              if entry.row == row) for row in rows}
            fewest = min((row for row in rows if row != "instruments"), key=shown.get)
            # a row of many narrow plots is no better than short ones: the instruments
            # shown together (View > Plots) keep their own row
            if shown[fewest] + shown["instruments"] <= MAX_ACROSS:
                host = fewest
        for entry in registry.PLOTS:
            if entry.row != "instruments":
                continue
            target = host or entry.row
            origin = self.placed[entry.name]
            if origin == target:
                continue
            if target != entry.row and target not in self._widths_before:
                self._widths_before[target] = (self.row_splitters[target].sizes(),
                                               self._shown_in(target))
            cell = self._cells[entry.name]
            self.row_splitters[target].addWidget(cell)
            cell.setVisible(self._shown(entry.name))
            self.placed[entry.name] = target
            moved.add(entry.row)
            if target != entry.row:
                moved.add(target)
        return moved

    def _share_width(self, row):
        """The shown plots of ``row`` share its width by their stretch; a plot that joined
        it as the row's widest plot does."""
        names = self._row_names(self.row_splitters[row])
        widest = max(max(registry.entry(name).stretch, 1) for name in names
                     if registry.entry(name).row == row)
        weights = [self._shown(name) * (max(registry.entry(name).stretch, 1)
                                        if registry.entry(name).row == row else widest)
                   for name in names]
        if sum(weights):
            width = max(self.rows.width(), 1)
            self.row_splitters[row].setSizes(
                [round(width * weight / sum(weights)) for weight in weights])

    def _restore_widths(self):
        """A row its guests left has the widths it had before they came, if its own plots
        shown are the same (else they share its width anew)."""
        for row, (widths, shown) in list(self._widths_before.items()):
            names = self._row_names(self.row_splitters[row])
            if all(self.placed[name] == registry.entry(name).row for name in names):
                del self._widths_before[row]
                if shown == self._shown_in(row):
                    self.row_splitters[row].setSizes(widths)
                else:
                    self._share_width(row)

    def _shown_in(self, row):
        return tuple(self._shown(name) for name in self._row_names(self.row_splitters[row]))

    def _height_changed(self):
        if self.actions:
            moved = self._join_rows()
            if moved:
                self.fit_rows(rows=moved)

    def retranslate(self):
        """The plots' titles and tooltips (their registry entries' terms) and the View > Plots
        menu in the current language (the window's ``retranslate`` calls this; each plot and
        its controls relabel the rest themselves)."""
        for entry in registry.PLOTS:
            plot = self.plots[entry.name]
            plot.setToolTip(glossary.tooltip(entry.term))
            plot.getPlotItem().setTitle(glossary.label(entry.term), size="10pt")
            self.actions[entry.name].setText(glossary.label(entry.term))
        self.menu.setTitle(tr("Plots"))


class _OnResize(QtCore.QObject):
    """Calls ``react()`` after each resize of ``widget`` (an event filter, its child)."""

    def __init__(self, widget, react):
        super().__init__(widget)
        self._react = react
        widget.installEventFilter(self)

    def eventFilter(self, watched, event):
        if event.type() == QtCore.QEvent.Type.Resize:
            self._react()
        return False


__all__ = ["MAX_ACROSS", "PlotGrid", "ROW_MIN_HEIGHT"]
