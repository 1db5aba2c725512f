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

A plot that compares runs (its registry entry says ``compares=True``) also draws other runs
beside the current one -- kept runs and a sweep's racing runs -- through one entry point,
``show_run(key, steps, epochs)`` with the run's per-step and per-epoch columns (named as
``gui.session.STEP_COLUMNS`` and ``EPOCH_COLUMNS``), plus ``add_run``, ``remove_run``,
``rename_run``, ``rekey_run``, ``set_run_visible``, ``highlight_run`` and ``batch_runs``
(:class:`gui.plots.overlay.RunOverlay`).
"""

import pyqtgraph as pg

#: Run ends after which a plot closes its x axis at the last point.
ENDED_REASONS = ("diverged", "finished", "early_stopping")


class LivePlot(pg.PlotWidget):
    """The base of the live plots: a ``PlotWidget`` (one ``PlotItem`` in a view) that binds
    to the session's events."""

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


__all__ = ["ENDED_REASONS", "LivePlot"]
