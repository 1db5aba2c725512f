"""Learning-rate schedules with Keras 3's formulas, plus warmup and the linear scaling rule.

A schedule maps the optimizer step (0-based count of applied updates) to a learning rate.
The formulas follow keras/src/optimizers/schedules/learning_rate_schedule.py:

- ``constant``: ``lr``
- ``exponential``: ``lr * decay_rate ** (step / decay_steps)``
- ``step``: ``lr * decay_rate ** floor(step / decay_steps)`` -- a piecewise-constant decay
  (Keras's ``ExponentialDecay(staircase=True)``, the common case of ``PiecewiseConstantDecay``)
- ``inverse_time``: ``lr / (1 + decay_rate * step / decay_steps)``
- ``cosine``: ``lr * ((1 - alpha) * 0.5 * (1 + cos(pi * min(step, decay_steps) / decay_steps))
  + alpha)`` with ``alpha = 0``; with warmup, Keras's ``CosineDecay(warmup_target=...)`` shape:
  linear from 0 to ``lr`` over ``warmup_steps``, then the decay over ``decay_steps``.

Warmup (any schedule): for ``step < warmup_steps`` the rate ramps linearly
``lr * (step + 1) / warmup_steps``; afterwards the schedule runs with ``step - warmup_steps``.

The linear scaling rule (Goyal et al., 2017) multiplies the base rate by
``batch_size / base_batch_size`` -- applied by the trainer, which knows the batch size.
"""

from __future__ import annotations

import math

from .errors import ConfigError

NAMES = ("constant", "exponential", "step", "inverse_time", "cosine")


def names():
    """Schedule names, in the order the GUI lists them."""
    return list(NAMES)


class Schedule:
    """``schedule(step, base_lr) -> learning rate`` for one configuration.

    Parameters
    ----------
    name : str
        One of :func:`names`.
    decay_steps : int
        Steps per decay period (positive).
    decay_rate : float
        Decay factor (exponential/step: in (0, 1]; inverse_time: >= 0).
    warmup_steps : int
        Linear warmup length in steps (0 = none).
    """

    def __init__(self, name="constant", decay_steps=1000, decay_rate=0.5, warmup_steps=0):
        if name not in NAMES:
            raise ConfigError(f"schedule {name!r} is unknown; valid schedules: "
                              f"{', '.join(NAMES)}")
        if int(decay_steps) < 1:
            raise ConfigError(f"decay_steps must be a positive integer, got {decay_steps!r}")
        if name in ("exponential", "step") and not 0.0 < decay_rate <= 1.0:
            raise ConfigError(f"decay_rate for the {name} schedule must be in (0, 1], "
                              f"got {decay_rate!r}")
        if name == "inverse_time" and decay_rate < 0:
            raise ConfigError(f"decay_rate for inverse_time must be >= 0, got {decay_rate!r}")
        if int(warmup_steps) < 0:
            raise ConfigError(f"warmup must be >= 0 steps, got {warmup_steps!r}")
        self.name = name
        self.decay_steps = int(decay_steps)
        self.decay_rate = float(decay_rate)
        self.warmup_steps = int(warmup_steps)

    def __call__(self, step, base_lr):
        if step < self.warmup_steps:
            return base_lr * (step + 1) / self.warmup_steps
        step -= self.warmup_steps
        if self.name == "constant":
            return base_lr
        if self.name == "exponential":
            return base_lr * self.decay_rate ** (step / self.decay_steps)
        if self.name == "step":
            return base_lr * self.decay_rate ** (step // self.decay_steps)
        if self.name == "inverse_time":
            return base_lr / (1.0 + self.decay_rate * step / self.decay_steps)
        progress = min(step, self.decay_steps) / self.decay_steps
        return base_lr * 0.5 * (1.0 + math.cos(math.pi * progress))
