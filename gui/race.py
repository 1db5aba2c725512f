"""Race, live: the runs of a sweep stream their curves into the main window's plots.

While a sweep trains (``gui.sweep_dialog.SweepDialog``, worker processes), each running run
sends its new batches and epochs as :class:`engine.sweep.RunChunk` s through the runner's
queue; the dialog passes them to the GUI thread as queued signals, and :class:`SweepRace` adds
each run to the session's collection of runs (``gui.model.runs.Runs``) as a racing run and
grows its columns, so the drawer of runs (``gui.plots.drawer.RunOverlays``) puts it on the
plots that compare runs like any run, each in its own colour: a learner watches batch 8 and
batch 512 race against epochs or samples seen (the window's x-axis choice moves them like any
kept run). The runs train at the window's pace (``paceCombo``), which
:meth:`SweepRace.set_pace` passes on while they train.

A run that ends becomes a kept run of the session (``gui.session.KeptRun``: curves overlaid, a
row in the run table, a label naming what differs), in the same colour: the same entry of the
collection, with the same key, so its curves stay. Runs stopped by a cancel leave the
collection (and the plots); the finished ones stay.

The GUI thread never waits for the sweep: chunks only fill columns and wake the window's frame
clock (gui.plots.clock), whose race tick draws the runs that grew a few times a second and
keeps the finished runs, in one batch per step, since each new kept run may relabel the others.
"""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore

from engine.run import Run
from gui.model.labels import Outcome
from gui.model.runs import Role
from gui.plots.clock import RACE_REDRAW_MS
from gui.session import RUN_COLORS, describe_differences, kept_from_run, step_columns

#: Finished runs kept in one step (one ``Session.keep_racing``: one relabel, one run-table
#: fill, one layout of each legend). Steps follow each other after a short pause, so the
#: window paints and answers between them: keeping ten runs at once held the event loop
#: for 60-70 ms and then painted the four plots, over 100 ms in all; one run a step gave a
#: p99 of 35 ms against 40-45 ms for two (tests/benchmarks/sweep_speed.py --gui), and
#: still kept the 60 runs within the sweep's 4.8 s.
KEEP_PER_STEP = 1
#: The pause between two keeping steps (ms).
KEEP_PAUSE_MS = 15


class SweepRace(QtCore.QObject):
    """The live race of a sweep's runs in the session's collection of runs, and their keeping.

    Parameters
    ----------
    session : gui.session.Session
        Whose collection of runs (``session.runs``) the racing runs join
        (``add_racing``), and where finished runs are kept (``keep_racing``).
    clock : gui.plots.clock.FrameClock
        The window's frame clock: its race ticks (:data:`RACE_REDRAW_MS`) keep the finished
        runs (the drawer of runs draws the runs that grew on the same ticks).
    """

    def __init__(self, session, clock, parent=None):
        super().__init__(parent)
        self.session = session
        self.runs = {}       # point index -> its racing entry in session.runs
        self.labels = {}     # point index -> label (what differs within the sweep)
        self.colors = {}
        self.configs = {}
        self._to_keep = []   # RunResults waiting for the next tick
        self._ended = False
        self._dialog = None
        self.racing = False  # from a sweep's start until its runs are kept or dropped
        self.clock = clock
        self.clock.on_race(self._tick)
        self._keep_timer = QtCore.QTimer(self)
        self._keep_timer.setSingleShot(True)
        self._keep_timer.setInterval(KEEP_PAUSE_MS)
        self._keep_timer.timeout.connect(self.keep_next)

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
            self._keep(pending)
        self._drop_all()
        self._ended = False
        points = runner.points
        labels = describe_differences([point.config for point in points]) if points else []
        used = {kept.color for kept in self.session.kept}
        free = [color for color in RUN_COLORS if color not in used] or list(RUN_COLORS)
        self.labels = {point.index: label for point, label in zip(points, labels)}
        self.colors = {point.index: free[n % len(free)] for n, point in enumerate(points)}
        self.configs = {point.index: point.config for point in points}
        self.racing = True

    def set_pace(self, runner, pace):
        """The window's pace (steps per second, None: full speed) for ``runner``'s runs."""
        if runner is not None and not runner.done:
            runner.set_pace(pace)

    # -- live ----------------------------------------------------------------------------------

    def add_chunk(self, index, chunk):
        """New batches (and epochs) of the running run ``index``: into its columns (drawn at
        the next race tick)."""
        if index not in self.labels:  # a chunk of an older sweep, still queued
            return
        entry = self.runs.get(index)
        if entry is None:
            entry = self.runs[index] = self.session.add_racing(
                self.labels[index], self.colors[index], self.configs[index])
        entry.extend({name: np.asarray(values, dtype=np.float64)
                      for name, values in step_columns(chunk).items()}, chunk.epochs)
        self.session.runs.grow([entry])

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
        if self._to_keep:
            if not self._keep_timer.isActive():
                self._keep_timer.start()
        elif self._ended:
            self._finish()

    def keep_next(self):
        """Keep the next few finished runs; the rest follow after a pause for the event loop
        (its paint and the user's input)."""
        results = self._to_keep[:KEEP_PER_STEP]
        del self._to_keep[:KEEP_PER_STEP]
        if results:
            self._keep(results)
        if self._to_keep:
            self._keep_timer.start()
        elif self._ended:
            self._finish()

    @property
    def busy(self):
        """True while a sweep races or its finished runs wait to be kept."""
        return self.racing or bool(self._to_keep)

    def _finish(self):
        self._drop_all()
        self.stop()

    def stop(self):
        """Stop keeping (the window closes)."""
        self.racing = False
        self._keep_timer.stop()

    def _drop_all(self):
        """The racing runs not kept leave the collection (and the plots)."""
        self.session.runs.remove([entry.key for entry in self.runs.values()
                                  if entry.role is Role.RACING])
        self.runs = {}
        self._to_keep = []

    # -- keeping -------------------------------------------------------------------------------

    def _keep(self, results):
        """The runs that trained to their end become kept runs (one relabel for all); a run
        that raced stays the same entry of the collection, its curves kept."""
        pairs, dropped = [], []
        for result in results:
            entry = self.runs.pop(result.index, None)
            if not result.completed or result.history is None or not result.steps:
                if entry is not None:
                    dropped.append(entry.key)
                continue
            kept = kept_from_result(result, self.colors.get(result.index))
            if entry is None:  # ended before its first chunk reached the window
                entry = self.session.add_racing(self.labels[result.index], kept.color,
                                                result.config)
            pairs.append((entry, kept))
        self.session.runs.remove(dropped)
        if pairs:
            self.session.keep_racing(pairs)


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
