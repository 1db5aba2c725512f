"""Race, live: the runs of a sweep stream their curves into the main window's plots.

While a sweep trains (``gui.sweep_dialog.SweepDialog``, worker processes), each running run
sends its new batches and epochs as :class:`engine.sweep.RunChunk` s through the runner's
queue; the dialog passes them to the GUI thread as queued signals, and :class:`SweepRace` has
the window's drawer of other runs (``gui.plots.drawer.RunOverlays``) put them on the plots that
compare runs, each run in its own colour, so a learner
watches batch 8 and batch 512 race against epochs or samples seen (the window's x-axis choice
moves them like any kept run). The runs train at the window's pace (``paceCombo``), which
:meth:`SweepRace.set_pace` passes on while they train.

A run that ends becomes a kept run of the session (``gui.session.KeptRun``: curves overlaid, a
row in the run table, a label naming what differs), in the same colour. Runs stopped by a
cancel are taken off the plots; the finished ones stay.

The GUI thread never waits for the sweep: chunks only fill buffers and wake the window's frame
clock (gui.plots.clock), whose race tick draws the runs that changed a few times a second. Finished runs are kept in one batch per tick, since
each new kept run may relabel the others; a run that raced keeps its curves (the kept run
takes them over), so keeping costs little more than its row in the run table.
"""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore

from engine.history import GrowableArray
from engine.run import Run
from gui.model.labels import Outcome
from gui.plots import batch_runs
from gui.plots.clock import RACE_REDRAW_MS
from gui.session import (EPOCH_COLUMNS, RUN_COLORS, STEP_COLUMNS, describe_differences,
                         kept_from_run, step_columns)

#: Finished runs kept in one step (one ``Session.add_kept_runs``: one relabel, one run-table
#: fill, one layout of each legend). Steps follow each other after a short pause, so the
#: window paints and answers between them: keeping ten runs at once held the event loop
#: for 60-70 ms and then painted the four plots, over 100 ms in all; one run a step gave a
#: p99 of 35 ms against 40-45 ms for two (tests/benchmarks/sweep_speed.py --gui), and
#: still kept the 60 runs within the sweep's 4.8 s.
KEEP_PER_STEP = 1
#: The pause between two keeping steps (ms).
KEEP_PAUSE_MS = 15


class _RaceRun:
    """One running run's curves as they arrive: per-step and per-epoch growable arrays."""

    def __init__(self, key, label, color):
        self.key, self.label, self.color = key, label, color
        self.steps = {name: GrowableArray(np.float64) for name in STEP_COLUMNS}
        self.epochs = {name: GrowableArray(np.float64, capacity=64) for name in EPOCH_COLUMNS}
        self.dirty = False
        self.shown = False  # on the plots yet

    def add(self, chunk):
        for name, values in step_columns(chunk).items():
            self.steps[name].extend(np.asarray(values, dtype=np.float64))
        for name in EPOCH_COLUMNS:
            if name in chunk.epochs:
                self.epochs[name].extend(chunk.epochs[name])
        self.dirty = True


class SweepRace(QtCore.QObject):
    """The live race of a sweep's runs on the window's plots, and their keeping.

    Parameters
    ----------
    session : gui.session.Session
        Where finished runs are kept (``add_kept``).
    overlays : gui.plots.drawer.RunOverlays
        The drawer of runs on the plots that compare runs; its frame clock
        (``overlays.clock``) ticks the race's redraws (:data:`RACE_REDRAW_MS`).
    """

    def __init__(self, session, overlays, parent=None):
        super().__init__(parent)
        self.session = session
        self.overlays = overlays
        self.runs = {}       # point index -> _RaceRun on the plots
        self.labels = {}     # point index -> label (what differs within the sweep)
        self.colors = {}
        self.kept = []       # KeptRuns made by this race, in the order they ended
        self._to_keep = []   # RunResults waiting for the next tick
        self._ended = False
        self._sweep_id = 0
        self._dialog = None
        self.chunks_received = 0
        self.racing = False  # from a sweep's start until its runs are kept or dropped
        self.clock = overlays.clock
        self.clock.on_race(self._tick)
        self._keep_timer = QtCore.QTimer(self)
        self._keep_timer.setSingleShot(True)
        self._keep_timer.setInterval(KEEP_PAUSE_MS)
        self._keep_timer.timeout.connect(self.keep_next)
        # a tick's new curves go to one plot per turn of the event loop, so each plot paints
        # before the next takes its curves (all four at once, then four paints, held the
        # loop for 50-60 ms with dozens of kept runs)
        self._draw_queue = []   # plots still to take the runs in _drawing
        self._drawing = []      # point indices of the runs that changed at the last tick
        self._draw_timer = QtCore.QTimer(self)
        self._draw_timer.setSingleShot(True)
        self._draw_timer.setInterval(0)
        self._draw_timer.timeout.connect(self._draw_next)

    @property
    def plots(self):
        return self.overlays.plots

    # -- wiring --------------------------------------------------------------------------------

    def attach(self, dialog):
        """Follow ``dialog``'s sweeps (a ``gui.sweep_dialog.SweepDialog``)."""
        if self._dialog is dialog:
            return
        self._dialog = dialog
        dialog.sweepStarted.connect(self.begin)
        dialog.runChunk.connect(self.add_chunk)
        dialog.runFinished.connect(self.finish_run)
        dialog.sweepFinished.connect(self.end)

    def begin(self, runner):
        """A sweep starts (its ``engine.sweep.SweepRunner``): name and colour its runs."""
        if self._to_keep:  # the last sweep's finished runs, still waiting: kept now, not lost
            pending, self._to_keep = self._to_keep, []
            with batch_runs(self.plots):
                self._keep(pending)
        self._drop_all()
        self._ended = False
        self._sweep_id += 1
        points = runner.points
        labels = describe_differences([point.config for point in points]) if points else []
        used = {kept.color for kept in self.session.kept}
        free = [color for color in RUN_COLORS if color not in used] or list(RUN_COLORS)
        self.labels = {point.index: label for point, label in zip(points, labels)}
        self.colors = {point.index: free[n % len(free)] for n, point in enumerate(points)}
        self.racing = True

    def set_pace(self, runner, pace):
        """The window's pace (steps per second, None: full speed) for ``runner``'s runs."""
        if runner is not None and not runner.done:
            runner.set_pace(pace)

    # -- live ----------------------------------------------------------------------------------

    def add_chunk(self, index, chunk):
        """New batches (and epochs) of the running run ``index``: into its buffers."""
        if index not in self.labels:  # a chunk of an older sweep, still queued
            return
        self.chunks_received += 1
        run = self.runs.get(index)
        if run is None:  # on the plots from the next tick (added with the others)
            run = self.runs[index] = _RaceRun(("sweep", self._sweep_id, index),
                                              self.labels[index], self.colors[index])
        run.add(chunk)
        self.clock.wake_race()

    def finish_run(self, result):
        """Run ``result`` (an ``engine.sweep.RunResult``) ended: kept at the next tick."""
        if result.index in self.labels:
            self._to_keep.append(result)
            self.clock.wake_race()

    def end(self, _result=None):
        """The sweep ended (or was cancelled): the ticks keep what finished, then stop."""
        self._ended = True
        self._tick()

    def _tick(self):
        if not self.racing:
            return
        ending = {result.index for result in self._to_keep}
        dirty = [index for index, run in self.runs.items()  # an ended run is not shown anew
                 if run.dirty and index not in ending]
        if dirty and not self._draw_queue:
            for index in dirty:
                self.runs[index].dirty = False
            self._drawing = dirty
            self._draw_queue = list(self.plots)
            self._draw_next()
        elif dirty:  # the last tick's runs are still reaching the plots: draw these next tick
            self.clock.wake_race()
        if self._to_keep:
            if not self._keep_timer.isActive():
                self._keep_timer.start()
        elif self._ended and not self._draw_queue:
            self._finish()
        elif self._ended:  # ends once the last runs have reached the plots
            self.clock.wake_race()

    def _draw_next(self):
        """The last tick's changed runs onto the next plot; the rest after the loop has run."""
        if not self._draw_queue:
            return
        plot = self._draw_queue.pop(0)
        with plot.batch_runs():
            for index in self._drawing:
                run = self.runs.get(index)
                if run is not None:  # not kept or dropped since
                    self._draw_on(plot, run)
        if self._draw_queue:
            self._draw_timer.start()

    def keep_next(self):
        """Keep the next few finished runs; the rest follow after a pause for the event loop
        (its paint and the user's input)."""
        results = self._to_keep[:KEEP_PER_STEP]
        del self._to_keep[:KEEP_PER_STEP]
        if results:
            with batch_runs(self.plots):
                self._keep(results)
        if self._to_keep:
            self._keep_timer.start()
        elif self._ended:
            self._finish()

    @property
    def drawing(self):
        """True while the last tick's runs are reaching the plots, one plot per turn of the
        event loop (some plots show them, the others not yet)."""
        return bool(self._draw_queue)

    @property
    def busy(self):
        """True while a sweep races or its finished runs wait to be kept."""
        return self.racing or bool(self._to_keep) or bool(self._draw_queue)

    def _finish(self):
        self._drop_all()
        self.stop()

    def stop(self):
        """Stop drawing and keeping (the window closes)."""
        self.racing = False
        self._keep_timer.stop()
        self._draw_timer.stop()
        self._draw_queue = []

    def _draw_on(self, plot, run):
        run.shown = True
        self.overlays.draw(run.key, run.label, run.color,
                           {name: array.view for name, array in run.steps.items()},
                           {name: array.view for name, array in run.epochs.items()}, (plot,))

    def _remove(self, index):
        run = self.runs.pop(index, None)
        if run is not None and run.shown:
            self.overlays.remove(run.key)

    def _drop_all(self):
        with batch_runs(self.plots):
            for index in list(self.runs):
                self._remove(index)
        self._to_keep = []

    # -- keeping -------------------------------------------------------------------------------

    def _keep(self, results):
        """The runs that trained to their end become kept runs (one relabel for all)."""
        made = []
        for result in results:
            if not result.completed or result.history is None or not result.steps:
                self._remove(result.index)
                continue
            kept = kept_from_result(result, self.colors.get(result.index))
            run = self.runs.pop(result.index, None)
            if run is not None and run.shown:  # its curves stay: the kept run takes them over
                self.overlays.adopt(kept, run.key)
            made.append(kept)
        if made:
            self.session.add_kept_runs(made)
            self.kept.extend(made)


def kept_from_result(result, color=None):
    """A ``gui.session.KeptRun`` from an ``engine.sweep.RunResult`` (its history and outcome)."""
    run = Run(result.config, result.history, wall_seconds=result.seconds,
              outcome="diverged" if result.diverged else "finished", final=result.final)
    kept = kept_from_run(run)
    kept.outcome = Outcome.of_run(result.outcome, result.diverged_step)
    if color is not None:
        kept.color = tuple(color)
    return kept


__all__ = ["SweepRace", "kept_from_result", "RACE_REDRAW_MS"]
