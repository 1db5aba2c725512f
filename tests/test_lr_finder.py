"""The learning-rate range test: its stop flag, its two suggestions and its blow-up message.

The digits numbers are the issue's measurement (sgd, batch 32, (32,) relu): the valley
suggestion 0.015-0.038 then (0.012-0.031 once the trainer's own divergence watch ends the
sweep), the steepest-slope one 0.5-1.3, the best 20-epoch rate near 1.
"""

import math
import threading

import numpy as np
import pytest

from engine import TrainingConfig, Trainer
from engine.errors import ConfigError
from engine.lr_finder import MEANINGS, find_lr

DIGITS = dict(dataset="digits", loss="categorical_crossentropy", optimizer="sgd",
              batch_size=32, hidden_layers=(32,), activation="relu")


class CountingStop:
    """A stop flag that reads as set from its ``after``-th check on, counting the checks."""

    def __init__(self, after):
        self.after, self.checks = after, 0

    def is_set(self):
        self.checks += 1
        return self.checks > self.after


@pytest.mark.parametrize("seed", range(4))
def test_digits_valley_is_cautious_and_steepest_is_near_the_best_rate(seed):
    result = find_lr(TrainingConfig(**DIGITS, seed=seed))
    assert 0.01 < result.valley < 0.05
    assert 0.4 < result.steepest < 1.5
    assert result.suggestion == result.valley
    assert result.suggestions() == {"valley": result.valley, "steepest": result.steepest}
    assert not result.stopped


def test_on_digits_the_steepest_rate_trains_better_than_the_valley_rate():
    results = [find_lr(TrainingConfig(**DIGITS, seed=seed)) for seed in range(3)]
    accuracy = {}
    for which in ("valley", "steepest"):
        accuracy[which] = np.mean([
            Trainer(TrainingConfig(**DIGITS, seed=seed, epochs=20,
                                   learning_rate=result.suggestions()[which])).fit()
            .val_accuracy[-1] for seed, result in enumerate(results)])
    assert accuracy["steepest"] > accuracy["valley"] > 0.9


def test_stop_is_checked_before_every_step():
    stop = CountingStop(after=7)
    result = find_lr(TrainingConfig(**DIGITS), stop=stop)
    assert result.stopped
    assert result.lrs.size == 7 and stop.checks == 8
    assert math.isfinite(result.valley) and math.isfinite(result.steepest)


def test_stop_already_set_returns_an_empty_stopped_result():
    stop = threading.Event()
    stop.set()
    result = find_lr(TrainingConfig(**DIGITS), stop=stop)
    assert result.stopped and result.lrs.size == 0
    assert math.isnan(result.valley) and math.isnan(result.steepest)


def test_stop_from_another_thread_ends_the_sweep():
    stop = threading.Event()
    timer = threading.Timer(0.05, stop.set)
    timer.start()
    try:
        result = find_lr(TrainingConfig(**{**DIGITS, "batch_size": 8}), num_steps=10 ** 6,
                         end_lr=1e-3, stop=stop)
    finally:
        timer.cancel()
        timer.join(5)
    assert result.stopped and 0 < result.lrs.size < 10 ** 6


def test_start_lr_sets_the_first_rate():
    result = find_lr(TrainingConfig(**DIGITS), start_lr=1e-4, end_lr=1.0, num_steps=50)
    assert result.lrs[0] == pytest.approx(1e-4)
    assert result.lrs[-1] <= 1.0 * (1 + 1e-12)


def test_a_loss_that_blows_up_at_once_gets_a_clear_message():
    with pytest.raises(ConfigError) as info:
        find_lr(TrainingConfig(**DIGITS), start_lr=100.0, end_lr=1e7)
    message = str(info.value)
    assert "blew up at once" in message
    assert "at step 2" in message and "risen from" in message
    assert "Lower start_lr (now 100" in message


def test_both_suggestions_are_explained():
    assert set(MEANINGS) == {"valley", "steepest"}
    assert "cautious" in MEANINGS["valley"] and "fastest" in MEANINGS["steepest"]
