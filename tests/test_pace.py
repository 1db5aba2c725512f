"""Pace and the per-step x axes: samples and training seconds are recorded for every step and
sent in every chunk; a paced run waits in its own thread on a schedule, testable with a fake
clock and a fake sleep."""

import threading

import numpy as np
import pytest

from engine import Trainer, TrainingConfig


class FakeClock:
    """A clock that moves only when told: by ``sleep`` and by ``advance``."""

    def __init__(self, start=100.0):
        self.now = start
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds

    def advance(self, seconds):
        self.now += seconds


def _trainer(**fields):
    defaults = dict(dataset="circle", n_samples=100, batch_size=32, epochs=3, seed=0)
    defaults.update(fields)
    return Trainer(TrainingConfig(**defaults))


# -- samples and seconds per step --------------------------------------------------------------

def test_samples_count_every_sample_including_the_last_partial_batch():
    trainer = _trainer()  # 80 training samples: batches of 32, 32, 16 per epoch
    history = trainer.fit()
    assert history.samples.dtype == np.int64
    np.testing.assert_array_equal(history.samples,
                                  [32, 64, 80, 112, 144, 160, 192, 224, 240])


def test_samples_follow_a_live_batch_size_change_from_the_next_epoch():
    trainer = _trainer()
    trainer.step()
    trainer.update(batch_size=80)
    history = trainer.fit()
    np.testing.assert_array_equal(history.samples, [32, 64, 80, 160, 240])


def test_seconds_are_monotonic_and_exclude_the_time_between_manual_steps():
    trainer = _trainer()
    trainer.step()
    trainer.step()
    first = trainer.history.seconds.copy()
    assert first.dtype == np.float64
    assert 0 < first[0] <= first[1]
    threading.Event().wait(0.05)  # time between clicks of Step is not training time
    trainer.step()
    assert trainer.history.seconds[2] - first[1] < 0.05


def test_chunks_carry_samples_and_seconds_matching_the_history():
    trainer = _trainer()
    chunks = []
    history = trainer.fit(on_batches=chunks.append)
    np.testing.assert_array_equal(np.concatenate([c.samples for c in chunks]), history.samples)
    np.testing.assert_array_equal(np.concatenate([c.seconds for c in chunks]), history.seconds)
    assert all(len(c.samples) == len(c.step) == len(c.seconds) for c in chunks)
