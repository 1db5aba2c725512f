"""The instruments the app's views ask for, measured on the training thread while a run trains.

The instrument views (gui.plots.sharpness, noise_scale, loss_histogram, layer_norms) only draw
what the worker measured: :class:`LiveInstruments` is a callback of every ``Trainer.fit`` the
worker runs, idle until a shown view asks for an instrument (:meth:`LiveInstruments.choose`,
sent as a worker command), so a hidden view costs nothing. Qt-free: it runs on the worker
thread and only writes the trainer's ``history.instruments``, which the trainer streams in its
chunks (``BatchChunk.instruments``).

Cadence
    At epoch ends, each instrument whose time so far plus the expected cost of one more
    measurement stays within its share (:data:`BUDGET` / number of instruments) of the run's
    wall time so far; the expected cost is its last measurement's, or before the first one a
    guess (:data:`FIRST_COST_PASSES` gradient passes over the probe, a pass priced from the
    run's own time per step). The engine's own "auto" cadence counts training CPU time, which
    leaves out a paced run's waits, so a run a learner watches at 30 steps/s would be
    measured as rarely as at full speed; against wall time a paced run is measured at every
    epoch, a run at full speed as often as the budget allows (on digits at full speed, a
    0.5 s run, about never: one sharpness costs more than half of it). Besides, the worker
    measures everything chosen between fits (:meth:`LiveInstruments.measure_now`): when a run
    is attached (step 0), when it ends and when a view is shown while nothing trains, so every
    view shows at least a run's start and end, at no cost to its speed.

The stability limit
    The sharpness view draws the current rate's limit (``engine.instruments.stability_limit``)
    beside the sharpness; a live rate change or a schedule moves it between measurements. So
    while the sharpness is asked for, each chunk whose limit differs from the last one sent
    records a row with the limit alone.
"""

import math
import time

from engine.callbacks import Callback
from engine.instruments import INSTRUMENTS, InstrumentCallback, probe_rows, stability_limit

# The instruments' share of the run's wall time (the issue's 10 %, less what drawing them
# costs the app: tests/benchmarks/instrument_views.py).
BUDGET = 0.08
# An instrument's first cost, guessed in gradient passes over the probe. Measured (CPU time
# of a first measurement, in passes): digits (32,) sharpness 6.4, noise scale 0.7, losses 0.4,
# norms 0.8; the default run (8, 8) 13, 2.5, 2.4 and 3.5. The guess follows the large model,
# where a pass is long (12.6 ms against 0.13 ms) and a wrong guess costs time; on the small
# one per-call overhead dominates and the whole measurement takes about 2 ms.
FIRST_COST_PASSES = {"sharpness": 8.0, "noise_scale": 1.0, "losses": 0.5, "norms": 1.5}

class LiveInstruments(Callback):
    """Measures the instruments last chosen (:meth:`choose`) during the fits it is given to."""

    def __init__(self, budget=BUDGET, clock=time.perf_counter):
        self.budget = budget
        self.clock = clock
        self.names = ()
        self.inner = None  # the engine's InstrumentCallback for ``names`` on this trainer
        self._began = None
        self._wall = 0.0  # wall seconds of the fits before the current one
        self._spent = {}  # instrument -> its measurements' seconds in this run
        self._last = {}  # instrument -> its last measurement's seconds
        self._limit = None  # the last stability limit recorded

    @property
    def share(self):
        """The measurements' time as a share of the current trainer's fits' wall time."""
        wall = self._wall + (0.0 if self._began is None else self.clock() - self._began)
        return sum(self._spent.values()) / wall if wall > 0 else 0.0

    def choose(self, names):
        """Measure ``names`` (from ``engine.instruments.INSTRUMENTS``; empty: none) from the
        next epoch end on."""
        names = tuple(name for name in INSTRUMENTS if name in set(names))
        if names != self.names:
            self.names = names
            self.inner = None
            self._limit = None

    def set_trainer(self, trainer):
        if trainer is not self.trainer:  # a new run: its own cadence and measurements
            self.inner = None
            self._wall = 0.0
            self._spent, self._last = {}, {}
            self._limit = None
        super().set_trainer(trainer)

    def _instrument(self):
        if not self.names:
            return None
        if self.inner is None:
            self.inner = InstrumentCallback(self.names, every="epoch")
            self.inner.set_trainer(self.trainer)
        return self.inner

    def on_train_begin(self):
        self._began = self.clock()
        inner = self._instrument()
        if inner is not None:
            if self.trainer.step_count == 0:
                self._measure_due(inner)
            self._record_limit()

    def on_epoch_end(self, result):
        inner = self._instrument()
        if inner is not None:
            self._measure_due(inner)

    def _measure_due(self, inner):
        if self.budget == math.inf:
            due = self.names
        else:
            wall = self._wall + self.clock() - self._began
            allowed = self.budget / len(self.names) * wall
            due = [name for name in self.names
                   if self._spent.get(name, 0.0) + self._expected(name) <= allowed]
        if due:
            self._measure(inner, due)

    def _expected(self, name):
        if name in self._last:
            return self._last[name]
        # a gradient pass over the probe, from the run's own time per step (a batch's pass,
        # with the app's overhead: an overestimate), scaled from a batch to the probe's rows
        trainer = self.trainer
        if trainer.step_count == 0:
            return math.inf
        wall = self._wall + self.clock() - self._began
        per_row = wall / trainer.step_count / max(min(trainer.batch_size, trainer.n_train), 1)
        return FIRST_COST_PASSES[name] * per_row * len(probe_rows(trainer))

    def measure_now(self):
        """Measure every chosen instrument now, between fits (when a run is attached, when it
        has ended, when a view is shown while none trains): the views then show the start
        and the end of any run, however fast. Not charged to the budget, which keeps the
        training's speed. True if it recorded anything."""
        inner = self._instrument() if self.trainer is not None else None
        if inner is None:
            return False
        rows = len(self.trainer.history.instruments)
        self._measure(inner, self.names, charged=False)
        self._record_limit()
        return len(self.trainer.history.instruments) > rows

    def _measure(self, inner, names, charged=True):
        before = dict(inner.seconds)
        inner.measure(names=names)
        for name in names:  # the engine's CPU seconds of each, shared passes included
            cost = inner.seconds[name] - before[name]
            if cost > 0:
                self._last[name] = cost
            if charged:
                self._spent[name] = self._spent.get(name, 0.0) + cost
        if "sharpness" in names:
            self._limit = _limit(self.trainer)

    def on_batches(self, chunk):
        if self.names:
            self._record_limit()

    def on_train_end(self):
        if self._began is not None:
            self._wall += self.clock() - self._began
            self._began = None

    def _record_limit(self):
        if "sharpness" not in self.names:
            return
        limit = _limit(self.trainer)
        if self._limit is None or not _same(limit, self._limit):
            self._limit = limit
            trainer = self.trainer
            trainer.history.instruments.record(trainer.step_count, trainer.history.n_epochs,
                                               {"stability_limit": limit})


def _limit(trainer):
    limit = stability_limit(trainer)
    return math.nan if limit is None else float(limit)


def _same(a, b):
    return a == b or (math.isnan(a) and math.isnan(b))


__all__ = ["BUDGET", "LiveInstruments"]
