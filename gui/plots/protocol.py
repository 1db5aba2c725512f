"""What a live plot is to the window: the protocol every entry of the plot registry follows.

A live plot is a widget that draws from the app model's events and repaints when the frame
clock asks (:mod:`gui.plots.clock`). The window builds it from its registry entry
(:mod:`gui.plots.registry`), calls :meth:`LivePlot.bind` with the session once, and then only
shows, hides and saves it: what the plot draws and when is its own business. Each handler
below does nothing by default, so a plot implements the events it needs:

- ``start_run(run)``: a new model (``gui.session.CurrentRun``; ``run.facts`` has its task,
  size, plan, data geometry and parameter names): forget the last run's points;
- ``take_progress(run, progress)``: new batches, epochs or a model view arrived (only fill
  buffers here; draw in :meth:`redraw`);
- ``plan(run, epochs)``: the run's planned length changed (None: read ``run.facts``);
- ``end_run()``: the run trained to its end (finished, early stopping, diverged);
- ``redraw()``: push what changed to the screen (the frame clock calls it).

A plot that compares runs (its registry entry says ``compares=True``) is not bound itself:
the drawer of runs (:class:`gui.plots.drawer.RunOverlays`) is bound to the session's
collection of runs (``gui.model.runs.Runs``) and draws every run on it through one entry
point, ``show_run(key, steps, epochs)`` with the run's per-step and per-epoch columns (named
as ``gui.session.STEP_COLUMNS`` and ``EPOCH_COLUMNS``): the current run under
:data:`CURRENT_RUN`, its columns longer at each call (the plot adds what it has not drawn
yet), kept runs and a sweep's racing runs under their keys, plus ``add_run``, ``remove_run``,
``rename_run``, ``list_run``, ``order_runs``, ``set_run_visible``, ``highlight_run`` and
``batch_runs`` (:class:`gui.plots.overlay.RunOverlay`). The drawer also hands it the
handlers' events above; ``take_progress`` then only reads what is not a column (markers, the
best epoch, a new plan, instrument rows).
"""

import pyqtgraph as pg
from PySide6 import QtWidgets

from gui import i18n
from gui.model.runs import CURRENT_KEY
from gui.plots.menu_texts import retranslate_menus

#: Run ends after which a plot closes its x axis at the last point.
ENDED_REASONS = ("diverged", "finished", "early_stopping")
#: The key the current run is drawn under: its key in the collection of runs (and the run
#: table's).
CURRENT_RUN = CURRENT_KEY


class LivePlot(i18n.Retranslating, pg.GraphicsView):
    """The base of the live plots: a view holding one ``pg.PlotItem`` (:meth:`getPlotItem`),
    to which each plot adds its parts (legend, end labels, hover readout, its curves), and
    which binds to the session's events.

    A view composed with its item, not a ``pg.PlotWidget``: that class forwards any unknown
    attribute to its item (so a typo on a plot reached the PlotItem), and its ``close()``
    took the plot from its Qt parent and failed on a second call (see :meth:`close`).
    """

    def __init__(self, parent=None, **plot_item_options):
        super().__init__(parent)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding,
                           QtWidgets.QSizePolicy.Policy.Expanding)
        self.enableMouse(False)  # the plot item's view box pans and zooms, not the view
        self.plot_item = pg.PlotItem(**plot_item_options)
        self.setCentralItem(self.plot_item)
        retranslate_menus(self)

    def retranslate(self):
        """The plot's texts in the current language: pyqtgraph's menus, and the titles, axis
        labels, legend entries and line labels its items show (no LanguageChange reaches
        them: they are no widgets). A plot with texts of its own adds to this."""
        retranslate_menus(self)
        i18n.relabel_plot_items(self)
        legend = getattr(self.plot_item, "legend", None)
        if hasattr(legend, "retranslate"):
            legend.retranslate()

    def close(self):
        """Close, taking the plot's items down first (once; a second close is a widget's).

        Items deleted by Qt with the view (after ``deleteLater``) tore down under Python
        overrides: a legend label's ``resizeEvent`` ran after its text item was gone, and the
        process crashed. pyqtgraph's order -- the plot item lets go of its widgets, then the
        scene is cleared -- is kept, without ``PlotWidget.close()``'s ``setParent(None)``
        (the plot left its owner) and its failure on a second call (pytest-qt closes a
        test's widgets and the exit clean-up, gui.qt_owner.dispose_all, closes every
        top-level widget again)."""
        if self.closed:  # pg.GraphicsView's flag: True once its scene is cleared
            return QtWidgets.QGraphicsView.close(self)
        self.plot_item.close()
        return pg.GraphicsView.close(self)

    def getPlotItem(self):
        """The ``pg.PlotItem`` this plot draws in (the name pyqtgraph's exporters expect)."""
        return self.plot_item

    def bind(self, session):
        """Follow ``session`` (a ``gui.session.Session``): its runs come to the handlers."""
        session.run_started.connect(self.start_run)
        session.progressed.connect(self.take_progress)
        session.planned.connect(self.plan)
        session.run_ended.connect(self._run_ended)

    def _run_ended(self, _run, reason, _message):
        if reason in ENDED_REASONS:
            self.end_run()

    def start_run(self, run):
        """A new model: forget the last run."""

    def take_progress(self, run, progress):
        """New batches, epochs or a view of the model."""

    def plan(self, run, epochs=None):
        """The run's planned number of epochs (None: ``run.facts.epochs``)."""

    def end_run(self):
        """The run trained to its end."""

    def redraw(self):
        """Draw what changed since the last redraw."""


__all__ = ["CURRENT_RUN", "ENDED_REASONS", "LivePlot"]
