"""The learning-rate range test (Smith 2015; fastai's ``lr_find``).

Train from the configured starting weights while the learning rate grows exponentially from
``start_lr`` to ``end_lr`` over ``num_steps`` batches; stop early once the smoothed loss exceeds
4x its best. The sweep trains its own copy of the model (built from the config, or copied
from a trainer's current weights), so the caller's weights are left exactly as they were --
what fastai achieves by saving and restoring them.

Two suggestions come back, because they answer different questions (see ``MEANINGS``):

- "valley" (fastai's default): two thirds down the longest stretch of falling loss -- a
  cautious rate, safely inside the range where training works;
- "steepest": where the smoothed loss falls fastest against log(lr) -- the rate at which one
  step gains most, often near the best constant rate for a short run.

Measured on digits (sgd, batch 32, (32,) relu, seeds 0-3): valley 0.012-0.031, steepest
0.51-1.29, while the best constant rate for 20 epochs is about 1. The valley is 30-80x too
cautious there; a learner should see both and pick.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .errors import ConfigError
from .trainer import Trainer

SMOOTHING = 0.98
BLOW_UP = 4.0
#: What each suggestion means, in one sentence each (the GUI shows its translations).
MEANINGS = {
    "valley": "valley: two thirds down the longest stretch of falling loss (fastai's default); "
              "a cautious rate that trains reliably, often slower than it could.",
    "steepest": "steepest: where the loss falls fastest as the rate grows; the most progress "
                "per step, often close to the best rate for a short run, nearer the edge "
                "where training blows up.",
}


@dataclass(frozen=True)
class LRFinderResult:
    """The range test's curve and its two suggestions.

    Attributes
    ----------
    lrs, losses : ndarray, shape (n,)
        Each step's learning rate and the smoothed (bias-corrected) loss.
    suggestion : float
        The valley rate (fastai's default suggestion); NaN when the sweep was stopped too
        early to say.
    steepest : float
        The steepest-descent rate; NaN likewise.
    stopped : bool
        True when ``stop`` ended the sweep before it finished.
    """

    lrs: np.ndarray
    losses: np.ndarray
    suggestion: float
    steepest: float
    stopped: bool = False

    @property
    def valley(self):
        """The valley rate (the same as ``suggestion``)."""
        return self.suggestion

    def suggestions(self):
        """``{"valley": rate, "steepest": rate}``, the two rates to choose from."""
        return {"valley": self.suggestion, "steepest": self.steepest}


def find_lr(config, num_steps=100, start_lr=1e-7, end_lr=10.0, trainer=None, stop=None):
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
    stop : threading.Event, optional
        Checked before every step; once set, the sweep ends and the result so far comes back
        with ``stopped=True`` (suggestions NaN if fewer than 3 steps were made).

    Raises
    ------
    ConfigError
        For bad arguments, and when the loss blows up within the first steps (the message
        gives the rate and loss where it did, and what to change).
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
    stopped = False
    first_loss = None
    last_step, last_lr, last_loss = 0, start_lr, math.nan
    for i in range(int(num_steps)):
        if stop is not None and stop.is_set():
            stopped = True
            break
        lr = start_lr * ratio ** i
        loss = sweep._train_batch(learning_rate=lr)
        last_step, last_lr, last_loss = i + 1, lr, loss
        if first_loss is None:
            first_loss = loss
        if not math.isfinite(loss):
            break
        average = SMOOTHING * average + (1 - SMOOTHING) * loss
        value = average / (1 - SMOOTHING ** (i + 1))
        lrs.append(lr)
        smoothed.append(value)
        best = min(best, value)
        # the trainer's own divergence watch stops updating the weights: the sweep ends too
        if value > BLOW_UP * best or sweep.history.diverged is not None:
            break
    lrs, smoothed = np.array(lrs), np.array(smoothed)
    if lrs.size < 3:
        if stopped:
            return LRFinderResult(lrs, smoothed, math.nan, math.nan, stopped=True)
        raise ConfigError(_blew_up_message(last_step, last_lr, first_loss, last_loss, start_lr))
    # like fastai's plot, skip the flat, noisy start and the blow-up at the end
    skip_start = max(1, lrs.size // 10)
    skip_end = min(5, max(0, lrs.size - skip_start - 3))
    window = slice(skip_start, lrs.size - skip_end)
    return LRFinderResult(lrs, smoothed, _valley(lrs[window], smoothed[window]),
                          _steepest(lrs[window], smoothed[window]), stopped=stopped)


def _blew_up_message(step, lr, first_loss, loss, start_lr):
    """The ConfigError text for a sweep whose loss blew up at once."""
    if not math.isfinite(loss):
        what = "was not a finite number"
    else:
        what = f"had risen from {first_loss:.4g} to {loss:.4g}"
    return (f"the loss blew up at once: at step {step} of the range test, learning rate "
            f"{lr:.3g}, the loss {what}. The test needs a few steps of falling loss at small "
            f"rates. Lower "
            f"start_lr (now {start_lr:g}, try 100x smaller); if the loss is already huge at "
            f"the first step, check the data and the loss (e.g. unscaled targets).")


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
