"""Divergence caught early: each blow-up named in issue 10 is stopped within K steps of its loss
first passing 10x its starting value (K stated per case), the history up to there is kept, the
message says what to try, and no NumPy floating-point warning escapes. Runs that learn, noisy
ones included, are not flagged."""

import math

import numpy as np
import pytest

import engine.callbacks as callbacks_module
from engine import Trainer, TrainingConfig

DIGITS = dict(dataset="digits", loss="categorical_crossentropy", hidden_layers=(32,),
              activation="relu")

# name, config, K: flagged at most K steps after the loss first exceeds 10x its start.
# The catch steps measured: circle lr 5: step 8 (first > 10x: 8); lr 10: 5 (5); digits lr 2:
# 30 (30); digits with linear scaling at full batch: 4 (before passing 10x at 5); plane lr 1.2:
# 4 (before passing 10x at 5).
CASES = [
    # the circle runs: the first wave's defaults (batch 32, 50 epochs) at lr 5 and 10
    ("circle sgd lr 5", dict(learning_rate=5.0, batch_size=32, epochs=50), 2),
    ("circle sgd lr 10", dict(learning_rate=10.0, batch_size=32, epochs=50), 2),
    ("digits sgd lr 2 batch 32", dict(DIGITS, learning_rate=2.0, batch_size=32), 3),
    # linear scaling at full batch: 0.1 x 1438/32 = 4.49 per step
    ("digits linear scaling full batch", dict(DIGITS, learning_rate=0.1, batch_size=1438,
                                              linear_scaling=True), 2),
    ("plane linear regression lr 1.2 full batch",
     dict(dataset="plane", loss="mse", hidden_layers=(), learning_rate=1.2, batch_size=320,
          epochs=200), 2),
]


def _first_above_10x(losses):
    over = np.nonzero(losses > 10 * losses[0])[0]
    return int(over[0]) + 1 if over.size else None


@pytest.mark.filterwarnings("error::RuntimeWarning")
@pytest.mark.parametrize("name, fields, k", CASES, ids=[c[0] for c in CASES])
def test_blow_up_is_flagged_within_k_steps_of_passing_10x_its_start(name, fields, k,
                                                                      monkeypatch):
    history = Trainer(TrainingConfig(**fields)).fit()
    diverged = history.diverged
    assert diverged is not None and history.stop_reason == "diverged"
    assert history.n_steps == diverged.step  # everything up to the catch is kept
    assert np.all(np.isfinite(history.batch_loss))
    assert "learning rate" in diverged.message and "10x lower" in diverged.message
    assert f"step {diverged.step}" in diverged.message
    # the same run without the smoothed-loss rule: the loss does pass 10x its start, and
    # the rule caught it at most k steps later (or before it got there)
    monkeypatch.setattr(callbacks_module.LossWatch, "FACTOR", math.inf)
    unchecked = Trainer(TrainingConfig(**fields)).fit()
    passed = _first_above_10x(unchecked.batch_loss)
    assert passed is not None
    assert diverged.step <= passed + k
    np.testing.assert_array_equal(unchecked.batch_loss[:diverged.step], history.batch_loss)
    # without the rule the run is flagged much later, or never
    assert unchecked.diverged is None or unchecked.diverged.step > diverged.step + 10


@pytest.mark.filterwarnings("error::RuntimeWarning")
def test_large_batch_and_linear_scaling_advice_in_the_message():
    history = Trainer(TrainingConfig(**CASES[3][1])).fit()
    message = history.diverged.message
    assert "warm" in message and "warmup epochs" in message
    assert "Linear scaling multiplied the rate by 44.9" in message
    assert "(0.01)" in message  # 10x lower than the base rate the user set


@pytest.mark.filterwarnings("error::RuntimeWarning")
def test_lars_with_relu_advice_in_the_message():
    history = Trainer(TrainingConfig(**DIGITS, optimizer="lars", learning_rate=100.0,
                                     batch_size=32)).fit()
    assert history.diverged is not None
    assert "LARS and ReLU" in history.diverged.message


LEARNING = [
    ("default config", {}),
    ("batch 1", dict(batch_size=1, epochs=8)),
    ("batch 1 sgd lr 0.1", dict(batch_size=1, learning_rate=0.1, epochs=8)),
    ("batch 2 adam", dict(batch_size=2, optimizer="adam", learning_rate=0.01, epochs=8)),
    ("digits batch 8", dict(DIGITS, batch_size=8, learning_rate=0.05, epochs=5)),
    ("cosine similarity (negative loss)", dict(dataset="blobs", loss="cosine_similarity",
                                               optimizer="adam", learning_rate=0.01)),
    ("poisson (negative loss)", dict(dataset="counts", loss="poisson", optimizer="adam",
                                     learning_rate=0.01)),
]


@pytest.mark.filterwarnings("error::RuntimeWarning")
@pytest.mark.parametrize("name, fields", LEARNING, ids=[c[0] for c in LEARNING])
def test_learning_runs_are_not_flagged(name, fields):
    history = Trainer(TrainingConfig(**fields)).fit()
    assert history.diverged is None, history.diverged
    assert history.stop_reason == "finished"


def test_loss_watch_rule_on_hand_made_series():
    """Full batch (no smoothing): 4x the best and 2x the start, both needed."""
    watch = callbacks_module.LossWatch()
    assert not any(watch.update(v, 256) for v in (1.0, 0.5, 0.1, 0.3, 1.5))  # 15x best, 1.5x start
    assert watch.update(2.5, 256)
    watch = callbacks_module.LossWatch()
    assert not any(watch.update(v, 256) for v in (1.0, 1.2, 3.9))  # 3.9x best
    assert watch.update(4.5, 256)


def test_loss_watch_waits_for_min_samples_before_setting_start_and_best():
    watch = callbacks_module.LossWatch()
    assert not any(watch.update(v, 1) for v in [0.01] + [5.0] * 30)
    assert watch.start is None
    watch.update(5.0, 1)
    assert watch.start == pytest.approx(watch.smoothed)
