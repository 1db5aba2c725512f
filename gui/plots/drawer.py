"""The drawer of runs: every run of the session's collection on the plots that compare runs.

:class:`RunOverlays` is bound to the collection of runs (``gui.model.runs.Runs``) and follows
its events alone: the current run as it grows, a sweep's racing runs and the kept runs are
all entries of it, drawn through the plots' per-run API (``add_run``/``show_run``/
``remove_run``/``set_run_visible``/``highlight_run``, see gui/plots/overlay.py), so such a run
follows the x-axis choice (``set_x_mode``) exactly like the current run, takes part in each
plot's y range and is drawn at the detail the view needs. Batch sizes compare fairly only
against epochs or samples seen.
"""

import shiboken6
from PySide6 import QtCore

from gui import i18n
from gui.buffers import X_MODES
from gui.model.labels import text as label_text
from gui.model.runs import Role
from gui.plots.protocol import CURRENT_RUN, ENDED_REASONS


class RunOverlays:
    """The drawer of every run -- the current one as it grows, kept runs and a sweep's racing
    runs -- on the plots that compare runs, bound to the collection of runs (:meth:`bind`).

    Each plot draws a run from its columns through one entry point (``show_run(key, steps,
    epochs)``, gui.plots.protocol): which column goes on which plot is the plot's own
    declaration, the same for a kept run, a racing run and the current run. A kept or racing
    run is drawn under its key in the collection; a racing run that becomes kept keeps its
    curves (the same key), renamed and given the kept run's columns.

    Racing runs are drawn on the frame clock's race ticks, not as their chunks arrive, and a
    tick's runs go to one plot per turn of the event loop, so each plot paints before the next
    takes its curves (all four at once, then four paints, held the loop for 50-60 ms with dozens
    of kept runs). While a sweep races, a change of the kept runs (it keeps a run every few
    tens of milliseconds) reaches the plots the same way, one per turn (:meth:`sync_soon`).

    Parameters
    ----------
    plots : sequence of gui.plots.overlay.RunOverlay
        The plots that compare runs (the registry's ``compares`` entries).
    clock : gui.plots.clock.FrameClock
        The window's frame clock: its race ticks draw the racing runs that grew.
    """

    def __init__(self, plots, clock):
        self.plots = tuple(plots)
        self.clock = clock
        self.runs = None
        self.shown = set()  # keys of the kept runs the collection draws (as of the last change)
        self.highlighted = None
        # per plot (by index): key -> (label, visible, language) of a kept run as it last
        # took it, and key -> (label, language) of a racing run on it
        self._kept_on = [{} for _plot in self.plots]
        self._racing_on = [{} for _plot in self.plots]
        self._grown = set()  # keys of the racing runs grown since the last race tick
        self._draw_queue = []  # plots still to take the runs in _drawing
        self._drawing = []  # keys of the racing runs the last race tick draws
        self._sync_queue = []  # indices of the plots still to take the last change of kept runs
        self._draw_timer = self._turn_timer(self._draw_next)
        self._sync_timer = self._turn_timer(self._sync_next)
        clock.on_race(self._race_tick)

    def _turn_timer(self, slot):
        """A timer that calls ``slot`` at the event loop's next turn."""
        timer = QtCore.QTimer(self.clock)
        timer.setSingleShot(True)
        timer.setInterval(0)
        timer.timeout.connect(slot)
        return timer

    def bind(self, runs):
        """Draw the runs of ``runs`` (a ``gui.model.runs.Runs``) as they come, change, grow
        and go; the current run's other events go to the plots' handlers (``start_run``,
        ``take_progress``, ``plan``, ``end_run``)."""
        self.runs = runs
        runs.added.connect(self._added)
        runs.removed.connect(self._removed)
        runs.changed.connect(lambda _entries: self.sync_soon())
        runs.grew.connect(self._grew)
        runs.planned.connect(self._planned)
        runs.ended.connect(self._ended)
        self.sync()

    @property
    def drawing(self):
        """True while the racing runs of the last race tick, or the last change of the kept
        runs, are still reaching the plots."""
        return bool(self._draw_queue or self._sync_queue)

    def stop(self):
        """Draw no more runs (the window closes)."""
        self._draw_timer.stop()
        self._sync_timer.stop()
        self._draw_queue = []
        self._sync_queue = []
        self._grown.clear()

    # -- the collection's events -------------------------------------------------------------

    def _added(self, entries):
        for entry in entries:
            if entry.role is Role.CURRENT:
                for plot in self.plots:
                    plot.start_run(entry.record)
        if any(entry.role is Role.KEPT for entry in entries):
            self.sync_soon()

    def _removed(self, entries):
        keys = {entry.key for entry in entries}
        for plot, racing in zip(self.plots, self._racing_on):
            gone = keys.intersection(racing)
            if gone:
                with plot.batch_runs():
                    for key in gone:
                        del racing[key]
                        if key in plot.runs:
                            plot.remove_run(key)
        self._grown.difference_update(keys)
        if keys & self.shown:
            self.sync_soon()

    def _grew(self, entries, progress):
        for entry in entries:
            if entry.role is Role.CURRENT:
                self._current_grew(entry.record, progress)
            elif entry.role is Role.RACING:
                self._grown.add(entry.key)
                self.clock.wake_race()

    def _current_grew(self, run, progress):
        """New batches or epochs: the current run drawn from its columns, as any run is (each
        plot adds the steps and epochs it has not drawn); then what is not a column."""
        if len(progress.chunk.step) or progress.epochs:
            steps = {name: column.view for name, column in run.steps.items()}
            epochs = {name: column.view for name, column in run.epochs.items()}
            for plot in self.plots:
                plot.show_run(CURRENT_RUN, steps, epochs)
        for plot in self.plots:
            plot.take_progress(run, progress)

    def _planned(self, entry, epochs=None):
        for plot in self.plots:
            plot.plan(entry.record, epochs)

    def _ended(self, _entry, reason):
        if reason in ENDED_REASONS:
            for plot in self.plots:
                plot.end_run()

    # -- racing runs -------------------------------------------------------------------------

    def _race_tick(self):
        """The racing runs that grew since the last tick go to the plots, one plot per turn
        of the event loop; while the last tick's are still on their way, at the next tick."""
        if not self._grown:
            return
        if self._draw_queue:
            self.clock.wake_race()
            return
        self._drawing, self._grown = list(self._grown), set()
        self._draw_queue = list(self.plots)
        self._draw_next()

    def _draw_next(self):
        """The last tick's grown racing runs onto the next plot; the rest after the loop has
        run."""
        if not self._draw_queue:
            return
        plot = self._draw_queue.pop(0)
        if not _alive(plot):
            self.stop()  # the window closes
            return
        racing = self._racing_on[self.plots.index(plot)]
        language = i18n.language()
        with plot.batch_runs():
            for key in self._drawing:
                entry = self.runs.get(key)
                if entry is None or entry.role is not Role.RACING:
                    continue  # kept or dropped since
                if key not in plot.runs:
                    plot.add_run(key, label_text(entry.label), entry.color)
                    racing[key] = (entry.label, language)
                self._show(plot, entry)
        if self._draw_queue:
            self._draw_timer.start()

    # -- kept runs ---------------------------------------------------------------------------

    def retranslate(self):
        """The kept and racing runs' legend entries named in the current language (their
        labels are data, put into words here; the window's ``retranslate`` calls this)."""
        if all(_alive(plot) for plot in self.plots):
            self.sync()

    def sync(self):
        """Show exactly the kept runs the collection draws (``Runs.drawn``: added, removed,
        relabelled, shown or hidden) on every plot now; those whose keys are in
        ``Runs.listed`` (a lesson's runs) keep their legend entries whatever the room, where
        other runs give way to a "+N more (see Runs)" entry. Racing runs are named in the
        language shown."""
        if self.runs is None:
            return
        self._sync_timer.stop()
        self._sync_queue = []
        scene = self._scene()
        for index in range(len(self.plots)):
            self._sync_plot(index, scene)

    def sync_soon(self):
        """As :meth:`sync` (the collection's events), but while a sweep races (runs of role
        racing in the collection, or plots still taking an earlier change) one plot per turn
        of the event loop.

        A sweep keeps a run every few tens of milliseconds, and each change of the kept runs
        lays out every plot's legend and redraws the plot: all eight plots in one turn held
        the event loop for 50-100 ms with dozens of kept runs, and the race stuttered. A plot
        takes the runs as they are when its turn comes; a change while others wait queues
        the plots already done again. Outside a race a change (a Keep, a lesson's runs set
        aside) is drawn at once."""
        if self.runs is None:
            return
        if not self._sync_queue and not self.runs.of(Role.RACING):
            self.sync()
            return
        self.shown = {entry.key for entry in self.runs.drawn()}
        if self.highlighted not in self.shown:
            self.highlight(None)
        for index in range(len(self.plots)):
            if index not in self._sync_queue:
                self._sync_queue.append(index)
        self._sync_timer.start()

    def _sync_next(self):
        """The next waiting plot takes the kept runs; the rest after the loop has run."""
        if self._sync_queue:
            index = self._sync_queue.pop(0)
            if not _alive(self.plots[index]):
                self.stop()  # the window closes
                return
            self._sync_plot(index, self._scene())  # the runs as they are at its turn
        if self._sync_queue:
            self._sync_timer.start()

    def _scene(self):
        """What the plots are to show: the kept runs drawn, their keys, the keys listed, every
        run's key in the collection's order (kept, then racing) and the language."""
        kept_runs = self.runs.drawn()
        order = [entry.key for role in (Role.KEPT, Role.RACING) for entry in self.runs.of(role)]
        return (kept_runs, {entry.key for entry in kept_runs}, self.runs.listed, order,
                i18n.language())

    def _sync_plot(self, index, scene):
        """Plot ``index`` shows ``scene`` (:meth:`_scene`), restyled, laid out and redrawn
        once; a run whose label alone changed is renamed in place, a run's visibility set
        only when it changed."""
        plot = self.plots[index]
        kept, racing = self._kept_on[index], self._racing_on[index]
        kept_runs, wanted, listed, order, language = scene
        with plot.batch_runs():
            for key in [key for key in kept if key not in wanted]:
                del kept[key]
                if key in plot.runs:
                    plot.remove_run(key)
            for key, (label, shown_in) in list(racing.items()):
                entry = self.runs.get(key)
                if entry is not None and entry.role is Role.RACING and (
                        (label, shown_in) != (entry.label, language)):
                    plot.rename_run(key, label_text(entry.label))
                    racing[key] = (entry.label, language)
            for entry in kept_runs:
                shown = kept.get(entry.key)
                if shown is None:
                    racing.pop(entry.key, None)
                    self._add(plot, entry)
                    visible = True
                else:
                    label, visible, shown_in = shown
                    if (label, shown_in) != (entry.label, language):
                        plot.rename_run(entry.key, label_text(entry.label))
                if visible != entry.visible:
                    plot.set_run_visible(entry.key, entry.visible)
                plot.list_run(entry.key, entry.key in listed)
                kept[entry.key] = (entry.label, entry.visible, language)
            # every legend names the runs in the collection's order, whichever order this
            # plot took them in
            plot.order_runs(order)
            self.shown = wanted
            if self.highlighted not in wanted:
                self.highlighted = None
            plot.highlight_run(self.highlighted)

    def set_x_mode(self, mode):
        """Put ``mode`` (one of :data:`X_MODES`) on the x axes of the plots that have one."""
        if mode not in X_MODES:
            raise ValueError(f"x mode {mode!r} is not one of {', '.join(X_MODES)}")
        for plot in self.plots:
            if hasattr(plot, "set_x_mode"):
                plot.set_x_mode(mode)

    def highlight(self, key):
        """Draw ``key``'s curves wider and on top (None: no run stands out); a plot that has
        not taken the run yet highlights it when it does."""
        self.highlighted = key if key in self.shown else None
        for plot in self.plots:
            plot.highlight_run(self.highlighted if self.highlighted in plot.runs else None)

    def _add(self, plot, entry):
        """Draw kept run ``entry`` on ``plot``; one that raced there keeps its curves,
        renamed."""
        self._grown.discard(entry.key)
        label = label_text(entry.label)
        if entry.key in plot.runs:
            plot.rename_run(entry.key, label)
        else:
            plot.add_run(entry.key, label, entry.color)
        self._show(plot, entry)

    @staticmethod
    def _show(plot, entry):
        """``entry``'s columns on ``plot`` (a plot of instruments takes its instruments too)."""
        plot.show_run(entry.key, entry.steps, entry.epochs)
        if hasattr(plot, "show_instruments"):
            plot.show_instruments(entry.key, entry.instruments)


def _alive(plot):
    """Whether ``plot`` still draws: not deleted by Qt, not closed (its scene cleared)."""
    return shiboken6.isValid(plot) and not plot.closed


__all__ = ["RunOverlays"]
