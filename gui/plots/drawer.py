"""The drawer of runs: every run's curves on the plots that compare runs.

:class:`RunOverlays` draws each kept run of the session (``gui.session.KeptRun``), and a
sweep's racing runs (gui.race), on the plots that compare runs through the plots' per-run API
(``add_run``/``show_run``/``remove_run``/``set_run_visible``/``highlight_run``, see
gui/plots/overlay.py), so such a run follows the x-axis choice (``set_x_mode``) exactly like
the current run, takes part in each plot's y range and is drawn at the detail the view needs.
Batch sizes compare fairly only against epochs or samples seen.
"""

import functools
import weakref

import shiboken6

from gui import i18n
from gui.buffers import X_MODES
from gui.model.labels import text as label_text
from gui.plots.overlay import batch_runs
from gui.plots.protocol import CURRENT_RUN, ENDED_REASONS


def _relabel_overlays(overlays_ref, _language):
    """A language change: the kept and racing runs' legend entries are named in the new
    language."""
    overlays = overlays_ref()
    if overlays is not None and all(shiboken6.isValid(plot) and not plot.closed
                                    for plot in overlays.plots):
        overlays.sync(overlays._kept, overlays._listed)
        overlays.rename_drawn()


class RunOverlays:
    """The drawer of every run -- the current one as it grows, kept runs and a sweep's racing
    runs -- on the plots that compare runs, bound to the session (:meth:`bind`, :meth:`sync`).

    Each plot draws a run from its columns through one entry point (``show_run(key, steps,
    epochs)``, gui.plots.protocol): which column goes on which plot is the plot's own
    declaration, the same for a kept run, a racing run and the current run.

    Parameters
    ----------
    plots : sequence of gui.plots.overlay.RunOverlay
        The plots that compare runs (the registry's ``compares`` entries).
    clock : gui.plots.clock.FrameClock
        The window's frame clock: a sweep's race (gui.race) draws its runs on its race ticks.
    """

    def __init__(self, plots, clock):
        self.plots = tuple(plots)
        self.clock = clock
        self.shown = {}  # key -> (label, visible, language) as last given to the plots
        self.highlighted = None
        self._kept = []
        self._listed = frozenset()
        self._adopted = []  # (KeptRun, key its curves are shown under) not yet synced
        self._drawn = {}  # key -> label of a run drawn by draw() alone (a sweep's racing run)
        i18n.on_language_changed(functools.partial(_relabel_overlays, weakref.ref(self)))

    def bind(self, session):
        """Draw ``session``'s current run (a ``gui.session.Session``) as it grows, and hand
        the plots its other events (``start_run``, ``take_progress``, ``plan``, ``end_run``)."""
        session.run_started.connect(self._run_started)
        session.progressed.connect(self._progressed)
        session.planned.connect(self._planned)
        session.run_ended.connect(self._run_ended)

    def _run_started(self, run):
        for plot in self.plots:
            plot.start_run(run)

    def _progressed(self, run, progress):
        """New batches or epochs: the current run drawn from its columns, as any run is (each
        plot adds the steps and epochs it has not drawn); then what is not a column."""
        if len(progress.chunk.step) or progress.epochs:
            steps = {name: column.view for name, column in run.steps.items()}
            epochs = {name: column.view for name, column in run.epochs.items()}
            for plot in self.plots:
                plot.show_run(CURRENT_RUN, steps, epochs)
        for plot in self.plots:
            plot.take_progress(run, progress)

    def _planned(self, run, epochs=None):
        for plot in self.plots:
            plot.plan(run, epochs)

    def _run_ended(self, _run, reason, _message):
        if reason in ENDED_REASONS:
            for plot in self.plots:
                plot.end_run()

    def draw(self, key, label, color, steps, epochs, plots=None, instruments=None):
        """Show run ``key`` (``label``, a ``gui.model.labels.Label``; RGB ``color``) from its
        per-step and per-epoch columns on ``plots`` (None: all of them); added on a plot that
        lacks it. A plot of instruments (one with ``show_instruments``) also takes the run's
        ``instruments`` (``KeptRun.instruments``)."""
        if key not in self.shown:
            self._drawn[key] = label
        for plot in self.plots if plots is None else plots:
            if key not in plot.runs:
                plot.add_run(key, label_text(label), color)
            plot.show_run(key, steps, epochs)
            if hasattr(plot, "show_instruments"):
                plot.show_instruments(key, instruments or {})

    def rename_drawn(self):
        """Name the runs drawn by :meth:`draw` alone (racing runs) in the current language."""
        for key, label in self._drawn.items():
            for plot in self.plots:
                if key in plot.runs:
                    plot.rename_run(key, label_text(label))

    def remove(self, key):
        """Take run ``key`` off every plot that shows it."""
        self._drawn.pop(key, None)
        for plot in self.plots:
            if key in plot.runs:
                plot.remove_run(key)

    def adopt(self, kept, key):
        """The kept run ``kept`` takes over the curves shown under ``key`` (a sweep's run that
        raced here) when it is synced, instead of being drawn anew."""
        self._adopted.append((kept, key))

    def sync(self, kept_runs, listed=()):
        """Show exactly ``kept_runs`` (added, removed, relabelled, shown or hidden); those
        whose keys are in ``listed`` (a lesson's runs) keep their legend entries whatever the
        room, where other runs give way to a "+N more (see Runs)" entry.

        All plots take the changes at once (restyled, laid out and redrawn once each), a
        run whose label alone changed is renamed in place, and a run's visibility is set only
        when it changed: a sweep keeps a run every few tens of milliseconds, and each sync
        had re-added every relabelled run and redrawn every plot once per kept run.
        """
        self._kept = list(kept_runs)
        self._listed = frozenset(listed)
        wanted = {kept.key: kept for kept in kept_runs}
        language = i18n.language()
        with batch_runs(self.plots):
            for key in list(self.shown):
                if key not in wanted:
                    self._remove(key)
            for kept in kept_runs:
                shown = self.shown.get(kept.key)
                if shown is None:
                    self._add(kept)
                    visible = True
                else:
                    label, visible, shown_in = shown
                    if (label, shown_in) != (kept.label, language):
                        for plot in self.plots:
                            plot.rename_run(kept.key, label_text(kept.label))
                if visible != kept.visible:
                    for plot in self.plots:
                        plot.set_run_visible(kept.key, kept.visible)
                for plot in self.plots:
                    plot.list_run(kept.key, kept.key in listed)
                self.shown[kept.key] = (kept.label, kept.visible, language)
            self._adopted = [(kept, key) for kept, key in self._adopted if kept.key not in wanted]
            if self.highlighted not in self.shown:
                self.highlighted = None
            self.highlight(self.highlighted)

    def set_x_mode(self, mode):
        """Put ``mode`` (one of :data:`X_MODES`) on the x axes of the plots that have one."""
        if mode not in X_MODES:
            raise ValueError(f"x mode {mode!r} is not one of {', '.join(X_MODES)}")
        for plot in self.plots:
            if hasattr(plot, "set_x_mode"):
                plot.set_x_mode(mode)

    def highlight(self, key):
        """Draw ``key``'s curves wider and on top (None: no run stands out)."""
        self.highlighted = key if key in self.shown else None
        for plot in self.plots:
            plot.highlight_run(self.highlighted)

    def _add(self, kept):
        label = label_text(kept.label)
        raced = next((key for adopted, key in self._adopted if adopted is kept), None)
        for plot in self.plots:
            if raced is not None and raced in plot.runs:
                plot.rekey_run(raced, kept.key, label)
            else:
                plot.add_run(kept.key, label, kept.color)
        self.draw(kept.key, kept.label, kept.color, kept.steps, kept.epochs,
                  instruments=kept.instruments)
        for key in (kept.key, raced):  # a kept run is named by sync, not as a racing run
            self._drawn.pop(key, None)

    def _remove(self, key):
        del self.shown[key]
        self.remove(key)


__all__ = ["RunOverlays"]
