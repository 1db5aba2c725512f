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
        for row in registry.ROWS:
            splitter = QtWidgets.QSplitter(QtCore.Qt.Horizontal)
            splitter.setObjectName(f"{row}PlotRow")
            for entry in registry.PLOTS:
                if entry.row == row:
                    splitter.addWidget(self._cell(entry))
                    splitter.setStretchFactor(splitter.count() - 1, entry.stretch)
            self.rows.addWidget(splitter)
        # equal heights: the bottom plots have a legend row of up to three lines to carry
        for index in range(self.rows.count()):
            self.rows.setStretchFactor(index, 1)
            self.rows.setCollapsible(index, False)
        self.menu = None
        self.actions = {}

    def _cell(self, entry):
        """The plot of ``entry``, with the controls it shows above it if any."""
        plot = self.plots[entry.name]
        controls = self.controls.get(entry.name)
        if controls is None:
            return plot
        cell = QtWidgets.QWidget()
        layout = QtWidgets.QVBoxLayout(cell)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
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
            action.toggled.connect(lambda _checked, row=entry.row: self.fit_row(row))
            if entry.instruments:
                action.toggled.connect(lambda _checked: self._on_instruments(
                    self.shown_instruments()))
            self.menu.addAction(action)
            self.actions[entry.name] = action
        for row in registry.ROWS:
            self.fit_row(row, resize=False)
        return self.menu

    def shown_instruments(self):
        """The instruments the shown plots draw (gui.live_instruments)."""
        return [name for entry in registry.PLOTS if self.actions[entry.name].isChecked()
                for name in entry.instruments]

    def fit_row(self, row, resize=True):
        """A row of plots shows while one of its plots does (the instruments' row is empty
        until one is asked for); ``resize``: its plots share its width by their stretch and
        the shown rows the height, so a plot shown from the menu is not left a sliver."""
        rows = self.rows
        splitter = rows.widget(registry.ROWS.index(row))
        entries = [entry for entry in registry.PLOTS if entry.row == row]
        shown = [self.actions[entry.name].isChecked() for entry in entries]
        splitter.setVisible(any(shown))
        if not resize or not any(shown):
            return
        weights = [max(entry.stretch, 1) * on for entry, on in zip(entries, shown)]
        width = max(rows.width(), 1)
        splitter.setSizes([round(width * weight / sum(weights)) for weight in weights])
        visible = [rows.widget(i).isVisibleTo(rows) for i in range(rows.count())]
        height = max(rows.height(), 1)
        rows.setSizes([height // sum(visible) if on else 0 for on in visible])

    def set_language(self, language):
        """The plots' titles and tooltips, their menu and their controls in ``language``."""
        for entry in registry.PLOTS:
            plot = self.plots[entry.name]
            plot.setToolTip(glossary.tooltip(entry.term, language))
            plot.getPlotItem().setTitle(glossary.label(entry.term, language), size="10pt")
            self.actions[entry.name].setText(glossary.label(entry.term, language))
        for controls in self.controls.values():
            controls.set_language(language)
        self.menu.setTitle(tr("Plots", language))


__all__ = ["PlotGrid"]
