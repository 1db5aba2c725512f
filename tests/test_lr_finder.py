"""The learning-rate range test: its suggestion, falling range, stop flag and blow-up message.

The suggestion must be a rate that learns and lie where the test's own curve falls (issue 24:
at full batch the old "valley" rule returned 0.0215 on circle, digits, moons and spiral alike,
in the flat start of the curve, where a 100-step run lowers circle's loss by under 1 %).
"""

import math
import threading

import numpy as np
import pytest

from engine import TrainingConfig, Trainer
from engine.errors import ConfigError
from engine.lr_finder import REASONS, LRFinderResult, find_lr, smooth

FULL = 10 ** 6  # a batch larger than any training set: full batch
DIGITS = dict(dataset="digits", loss="categorical_crossentropy", optimizer="sgd",
              batch_size=32, hidden_layers=(32,), activation="relu")
FULL_BATCH = [dict(dataset="circle"), dict(dataset="moons"), dict(dataset="spiral"),
              dict(dataset="xor")]
SUGGESTED = ("steepest", "stepped_down")


class CountingStop:
    """A stop flag that reads as set from its ``after``-th check on, counting the checks."""

    def __init__(self, after):
        self.after, self.checks = after, 0

    def is_set(self):
        self.checks += 1
        return self.checks > self.after


def short_run_ratio(config, rate, steps):
    """Training loss after ``steps`` batches at ``rate``, over the loss before them."""
    trainer = Trainer(config.replace(learning_rate=rate, epochs=FULL))
    before = trainer.evaluate("train")["loss"]
    for _ in range(steps):
        trainer.step()
    return trainer.evaluate("train")["loss"] / before


def assert_within_falling_range(result):
    low, high = result.falling
    assert low <= result.suggestion <= high
    # the range is where the curve falls: it ends at the curve's lowest point, and at least
    # 95 % of the curve's drop lies inside it (not the flat start, where it only drifts)
    curve, lrs = result.losses, result.lrs
    lowest = int(np.argmin(curve))
    assert lrs[lowest] == high
    drop = curve[:lowest + 1].max() - curve[lowest]
    assert curve[np.searchsorted(lrs, low)] - curve[lowest] >= 0.95 * drop


def check_suggestion_learns(config, steps, num_steps=100):
    result = find_lr(config, num_steps=num_steps)
    assert result.reason in SUGGESTED, result.explanation()
    assert_within_falling_range(result)
    ratio = short_run_ratio(config, result.suggestion, steps)
    assert ratio < 0.75, (result.explanation(), ratio)
    return result


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("fields", FULL_BATCH, ids=lambda f: f["dataset"])
def test_at_full_batch_the_suggested_rate_learns_and_lies_where_the_curve_falls(fields, seed):
    check_suggestion_learns(TrainingConfig(**fields, batch_size=FULL, seed=seed), steps=100)


@pytest.mark.parametrize("seed", [0])
def test_on_digits_at_full_batch_the_suggested_rate_learns(seed):
    config = TrainingConfig(dataset="digits", loss="categorical_crossentropy", batch_size=FULL,
                            seed=seed)
    check_suggestion_learns(config, steps=100)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(1, 10))
def test_on_digits_at_full_batch_the_suggested_rate_learns_more_seeds(seed):
    test_on_digits_at_full_batch_the_suggested_rate_learns(seed)


@pytest.mark.parametrize("seed", range(10))
def test_on_moons_in_mini_batches_the_suggested_rate_learns(seed):
    config = TrainingConfig(dataset="moons", batch_size=32, seed=seed)
    check_suggestion_learns(config, steps=5 * Trainer(config).steps_per_epoch)


@pytest.mark.parametrize("seed", range(4))
def test_on_digits_in_mini_batches_the_suggested_rate_learns(seed):
    # measured 0.115-0.201 on seeds 0-3; the best constant rate for 20 epochs is about 1 and the
    # previous "valley" rule said 0.012-0.031
    config = TrainingConfig(**DIGITS, seed=seed)
    result = check_suggestion_learns(config, steps=2 * Trainer(config).steps_per_epoch)
    assert 0.1 < result.suggestion < 1.5
    assert not result.stopped


def test_full_batch_suggestions_follow_each_dataset():
    """The issue's case: one rate (0.0215) for every dataset, in the flat start."""
    suggestions = {name: find_lr(TrainingConfig(dataset=name, batch_size=FULL)).suggestion
                   for name in ("circle", "moons", "spiral")}
    assert len(set(suggestions.values())) == 3
    assert min(suggestions.values()) > 0.05


def test_the_curve_is_centred_and_keeps_a_noiseless_shape():
    # a noiseless falling curve needs no averaging: the smoothed curve stays on it (a running
    # average lags: the 0.98 one was still at 0.6995 of 0.70 where circle's loss was 0.68)
    x = np.linspace(0, 8, 100)
    values = 0.7 - 0.3 / (1 + np.exp(-(x - 6) * 3))
    curve, noise = smooth(values)
    np.testing.assert_allclose(curve, values, atol=0.01)
    assert noise < 1e-3
    # noisy values are averaged: the curve is closer to the truth than the values were
    rng = np.random.default_rng(0)
    noisy = values + rng.normal(0, 0.05, values.size)
    curve, noise = smooth(noisy)
    assert np.abs(curve - values).mean() < 0.5 * np.abs(noisy - values).mean()
    assert 0.002 < noise < 0.05


def test_a_curve_that_does_not_fall_gets_no_suggestion():
    config = TrainingConfig(dataset="circle", batch_size=FULL)
    result = find_lr(config, num_steps=20, end_lr=1e-3)
    assert result.reason == "no_fall" and math.isnan(result.suggestion)
    assert all(math.isnan(value) for value in result.falling)
    assert "did not fall" in result.explanation()


def test_each_reason_is_explained():
    assert set(REASONS) == {"steepest", "stepped_down", "none_trains", "no_fall", "too_short",
                            "stopped"}
    result = LRFinderResult(np.array([0.1, 1.0]), np.array([1.0, 0.5]), np.array([1.0, 0.5]),
                            0.3, (0.1, 1.0), 0.9, "stepped_down")
    text = result.explanation()
    assert text.startswith("Suggested rate 0.3:") and "0.9" in text and "0.1 to 1" in text


def test_stop_is_checked_before_every_step():
    stop = CountingStop(after=7)
    result = find_lr(TrainingConfig(**DIGITS), stop=stop)
    assert result.stopped
    assert result.lrs.size == 7 and stop.checks >= 8
    assert math.isnan(result.suggestion)


def test_stop_during_a_trial_run_ends_the_test_without_a_suggestion():
    stop = CountingStop(after=110)  # the sweep's 100 checks, then 10 batches of the trial
    result = find_lr(TrainingConfig(dataset="circle", batch_size=FULL), stop=stop)
    assert result.stopped and result.reason == "stopped" and stop.checks == 111
    assert result.lrs.size == 100 and math.isnan(result.suggestion)
    assert result.falling[0] <= result.steepest <= result.falling[1]


def test_stop_already_set_returns_an_empty_stopped_result():
    stop = threading.Event()
    stop.set()
    result = find_lr(TrainingConfig(**DIGITS), stop=stop)
    assert result.stopped and result.lrs.size == 0 and result.reason == "too_short"
    assert math.isnan(result.suggestion)


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
