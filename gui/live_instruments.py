"""The instruments the app's views ask for, measured on the training thread while a run trains.

The instrument views (gui.plots.sharpness, noise_scale, loss_histogram, layer_norms) only draw
what the worker measured: :class:`LiveInstruments` is a callback of every ``Trainer.fit`` the
worker runs, idle until a shown view asks for an instrument (:meth:`LiveInstruments.choose`,
sent as a worker command), so a hidden view costs nothing. Qt-free: it runs on the worker
thread and only writes the trainer's ``history.instruments``, which the trainer streams in its
chunks (``BatchChunk.instruments``).

Cadence
    Every instrument asked for at the start of a run (step 0), then at epoch ends while the
    measurements' wall time stays within :data:`BUDGET` of the run's wall time: the engine's
    own "auto" cadence counts training CPU time, which leaves out a paced run's waits and the
    app's own work, so on the default run at full speed it measured the sharpness not once
    (its first measurement alone cost more than its share). Against wall time a paced run is
    measured at every epoch, a run at full speed as often as the budget allows.

The stability limit
    The sharpness view draws the current rate's limit (``engine.instruments.stability_limit``)
    beside the sharpness; a live rate change or a schedule moves it between measurements. So
    while the sharpness is asked for, each chunk whose limit differs from the last one sent
    records a row with the limit alone.
"""

import math
import time

from engine.callbacks import Callback
from engine.instruments import INSTRUMENTS, InstrumentCallback, stability_limit

# The instruments' share of the run's wall time (measured: the default run at full speed
# with all four views shown, tests/benchmarks/instrument_views.py).
BUDGET = 0.08


class LiveInstruments(Callback):
    """Measures the instruments last chosen (:meth:`choose`) during the fits it is given to."""

    def __init__(self, budget=BUDGET, clock=time.perf_counter):
        self.budget = budget
        self.clock = clock
        self.names = ()
        self.inner = None  # the engine's InstrumentCallback for ``names`` on this trainer
        self._began = None
        self._wall = 0.0  # wall seconds of the fits before the current one
        self._spent = 0.0  # wall seconds of the measurements
        self._expected = 0.0  # wall seconds of the last measurement
        self._limit = None  # the last stability limit recorded

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
            self._wall = self._spent = self._expected = 0.0
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
                self._measure(inner)
            self._record_limit()

    def on_epoch_end(self, result):
        inner = self._instrument()
        if inner is None:
            return
        wall = self._wall + self.clock() - self._began
        first = inner.measured[inner.instruments[0]] == 0
        if first or self._spent + self._expected <= self.budget * wall:
            self._measure(inner)

    def on_batches(self, chunk):
        if self.names:
            self._record_limit()

    def on_train_end(self):
        if self._began is not None:
            self._wall += self.clock() - self._began
            self._began = None

    def _measure(self, inner):
        started = self.clock()
        inner.measure()
        self._expected = self.clock() - started
        self._spent += self._expected
        if "sharpness" in self.names:
            self._limit = _limit(self.trainer)

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
