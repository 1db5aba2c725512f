"""The learning-rate range test (Smith 2015; fastai's ``lr_find``).

Train from the configured starting weights while the learning rate grows exponentially from
``start_lr`` to ``end_lr`` over ``num_steps`` batches; stop early once the smoothed loss exceeds
4x its best. The sweep trains its own copy of the model (built from the config, or copied
from a trainer's current weights), so the caller's weights are left exactly as they were --
what fastai achieves by saving and restoring them. The suggestion is fastai's default,
"valley" (two thirds down the longest stretch of falling loss); the "steepest" rate, where the
smoothed loss falls fastest against log(lr), is reported beside it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .errors import ConfigError
from .trainer import Trainer

SMOOTHING = 0.98
BLOW_UP = 4.0


@dataclass(frozen=True)
class LRFinderResult:
    """``lrs`` and smoothed ``losses`` (equal length), the suggested rate (fastai's valley) and
    the steepest-descent rate."""

    lrs: np.ndarray
    losses: np.ndarray
    suggestion: float
    steepest: float


def find_lr(config, num_steps=100, start_lr=1e-7, end_lr=10.0, trainer=None):
    """Run the range test for ``config``; return an :class:`LRFinderResult`.

    Parameters
    ----------
    config : TrainingConfig
    num_steps : int
        Batches to try (at least 10).
    start_lr, end_lr : float
        The exponential sweep's ends, ``0 < start_lr < end_lr``.
    trainer : Trainer, optional
        Start the sweep from this trainer's current weights and data; the trainer itself is
        not changed.
    """
    if int(num_steps) < 10:
        raise ConfigError(f"num_steps must be at least 10, got {num_steps!r}")
    if not 0 < start_lr < end_lr:
        raise ConfigError(f"need 0 < start_lr < end_lr, got start_lr={start_lr!r}, "
                          f"end_lr={end_lr!r}")
    sweep = Trainer(config.replace(epochs=10 ** 6, early_stopping_patience=0),
                    dataset=None if trainer is None else trainer.dataset)
    if trainer is not None:
        sweep.model.set_weights(trainer.model.get_weights())
    ratio = (end_lr / start_lr) ** (1.0 / (num_steps - 1))
    lrs, smoothed = [], []
    average, best = 0.0, math.inf
    for i in range(int(num_steps)):
        lr = start_lr * ratio ** i
        loss = sweep._train_batch(learning_rate=lr)
        if not math.isfinite(loss):
            break
        average = SMOOTHING * average + (1 - SMOOTHING) * loss
        value = average / (1 - SMOOTHING ** (i + 1))
        lrs.append(lr)
        smoothed.append(value)
        best = min(best, value)
        if value > BLOW_UP * best:
            break
    lrs, smoothed = np.array(lrs), np.array(smoothed)
    if lrs.size < 3:
        raise ConfigError("the loss blew up within the first steps of the range test; "
                          "lower start_lr")
    # like fastai's plot, skip the flat, noisy start and the blow-up at the end
    skip_start = max(1, lrs.size // 10)
    skip_end = min(5, max(0, lrs.size - skip_start - 3))
    window = slice(skip_start, lrs.size - skip_end)
    return LRFinderResult(lrs, smoothed, _valley(lrs[window], smoothed[window]),
                          _steepest(lrs[window], smoothed[window]))


def _steepest(lrs, values):
    """fastai's "steep": the rate where the loss falls fastest against log(lr)."""
    slopes = np.diff(values) / np.diff(np.log(lrs))
    return float(lrs[int(np.argmin(slopes))])


def _valley(lrs, values):
    """fastai's valley: the middle of the longest stretch of decreasing loss."""
    n = len(values)
    run = np.ones(n, dtype=int)
    start = np.arange(n)
    for i in range(1, n):
        for j in range(i):
            if values[i] < values[j] and run[j] + 1 > run[i]:
                run[i], start[i] = run[j] + 1, start[j]
    end = int(np.argmax(run))
    begin = int(start[end])
    return float(lrs[begin + (end - begin) * 2 // 3])
