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
    time so far: at full speed its training's CPU time (every CPU second an instrument takes is
    one the training waits, as in the engine's "auto" cadence), paced its wall time (the
    instruments fill the waits between steps, so a run a learner watches at 30 steps/s is
    measured at every epoch). The expected cost is the instrument's last measurement's, or
    before the first one a guess (:data:`FIRST_COST_PASSES` gradient passes over the probe, a
    pass priced from the training's CPU time per step). At full speed on digits (a 0.2 s fit)
    that is never for the sharpness (one costs about half of the fit). Besides, the worker
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

# The instruments' share of the training's time (the issue's 10 %, less what drawing them
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

    def __init__(self, budget=BUDGET, clock=time.perf_counter, cpu_clock=time.thread_time):
        self.budget = budget
        self.clock = clock
        self.cpu_clock = cpu_clock  # the training thread's CPU time (hooks run on it)
        self.names = ()
        self.inner = None  # the engine's InstrumentCallback for ``names`` on this trainer
        self._began = None  # wall and CPU clocks when the current fit began
        self._cpu_began = None
        self._charged_before = 0.0  # the instruments' charged time when it began
        self._wall = 0.0  # wall seconds of the fits before the current one
        self._cpu = 0.0  # training CPU seconds of the fits before it (instruments excluded)
        self._spent = {}  # instrument -> CPU seconds of its measurements charged to the budget
        self._last = {}  # instrument -> CPU seconds of its last measurement
        self._limit = None  # the last stability limit recorded

    def wall_seconds(self):
        """Wall seconds of this run's fits so far."""
        return self._wall + (0.0 if self._began is None else self.clock() - self._began)

    def training_cpu(self):
        """CPU seconds this run's fits spent training so far (instruments excluded)."""
        if self._cpu_began is None:
            return self._cpu
        charged = sum(self._spent.values()) - self._charged_before
        return self._cpu + self.cpu_clock() - self._cpu_began - charged

    @property
    def share(self):
        """The instruments' CPU time in this run's fits against the training's."""
        cpu = self.training_cpu()
        return sum(self._spent.values()) / cpu if cpu > 0 else 0.0

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
            self._wall = self._cpu = 0.0
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
        self._began, self._cpu_began = self.clock(), self.cpu_clock()
        self._charged_before = sum(self._spent.values())
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
            paced = self.trainer.pace is not None
            base = self.wall_seconds() if paced else self.training_cpu()
            allowed = self.budget / len(self.names) * base
            due = [name for name in self.names
                   if self._spent.get(name, 0.0) + self._expected(name) <= allowed]
        if due:
            self._measure(inner, due)

    def _expected(self, name):
        if name in self._last:
            return self._last[name]
        # a gradient pass over the probe, from the training's CPU time per step (a batch's
        # forward and backward pass and the update: an overestimate), from a batch to the probe
        trainer = self.trainer
        if trainer.step_count == 0:
            return math.inf
        batch = max(min(trainer.batch_size, trainer.n_train), 1)
        per_row = self.training_cpu() / trainer.step_count / batch
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
            self._cpu = self.training_cpu()
            self._wall = self.wall_seconds()
            self._began = self._cpu_began = None

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
