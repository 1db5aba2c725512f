"""The learning-rate range test (Smith 2015; fastai's ``lr_find``).

Train from the configured starting weights while the learning rate grows exponentially from
``start_lr`` to ``end_lr`` over ``num_steps`` batches; stop early once the running loss exceeds
4x its best. The sweep trains its own copy of the model (built from the config, or copied
from a trainer's current weights), so the caller's weights are left exactly as they were --
what fastai achieves by saving and restoring them.

The curve. fastai smooths the loss with a running average (weight 0.98), which lags about 30
steps behind: over a 100-step sweep that is two to three decades of rate, so at full batch
(where the loss has no noise to smooth) its curve stays flat until about 1 and falls only
where the raw loss had long been falling. Here the curve is a centred average instead: a
Gaussian window over neighbouring steps, no wider than the noise calls for. Its width is the
one that best predicts each raw loss from its neighbours (leave-one-out cross-validation), so
a full-batch sweep keeps its own shape and a noisy mini-batch one is averaged over many steps.

The suggestion. The falling range runs from where the curve has dropped by
:data:`FALL_START` of its total drop to its lowest point. The candidate is where the curve
falls fastest against log(rate) inside it -- the most progress per step (the slope is taken on
the curve averaged again over :data:`SLOPE_WINDOW`). A sweep's loss keeps falling for several
steps after the rate has passed the largest one that trains from the start (an instability
needs steps to grow, and the smaller rates before it acted as a warm-up). So each candidate is
tried: a run of ``num_steps`` batches at it, from the same starting weights, under the
trainer's own divergence watch, must lower the loss on all the training rows by
:data:`TRIAL_SHARE` of the sweep's drop (and :data:`MIN_TRIAL_FALL` of its value). A candidate that
fails is replaced by the steepest point of the range at half its rate or less. At full batch
(100 steps, seeds 0-9) the steepest fall on circle and xor is at 2.7-6.9 and fails its trial
on 7 seeds of 10 on each; on moons and spiral it passes on every seed. The result says which
happened (``reason``, a key of :data:`REASONS`).

fastai's "valley", two thirds down the longest decreasing run, found its run in the flat start,
where a lagging average drifts down by parts per thousand: 0.0215 at full batch on circle,
digits, moons and spiral alike, rates at which a short run barely moves.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .errors import ConfigError
from .messages import Message
from .texts import QT_TRANSLATE_NOOP
from .trainer import Trainer

#: The stop rule's running average (fastai's): the sweep ends once it passes BLOW_UP x its best.
SMOOTHING = 0.98
BLOW_UP = 4.0
#: The falling range starts once the curve has dropped by this fraction of its total drop.
FALL_START = 0.01
#: The curve falls when its drop exceeds this fraction of its starting level ...
MIN_RELATIVE_DROP = 0.01
#: ... and this many standard deviations of the curve's own noise.
MIN_DROP_NOISE = 3.0
#: A trial run at a candidate rate must lower the training loss by this share of the sweep's
#: drop, and by at least this fraction of its starting value.
TRIAL_SHARE = 0.25
MIN_TRIAL_FALL = 0.02
#: The slope is taken over the curve averaged again across this fraction of its steps (1/25:
#: half a decade of a 100-step sweep over 8 decades): at mini-batch sizes the curve keeps
#: wiggles of its own noise, whose steepest slopes said nothing about the rate.
SLOPE_WINDOW = 25
#: The standard deviation of normal noise per unit of its median absolute deviation.
ROBUST_SD = 1.4826
#: The share of the largest cross-validation errors left out of their mean.
TRIM = 0.1
#: Gaussian window widths (standard deviations, in steps) the cross-validation chooses from.
WIDTHS = (0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0, 24.0, 32.0)
NO_RANGE = (math.nan, math.nan)
#: Why the suggestion is what it is, one sentence each (the GUI shows its own translations).
REASONS = {
    "steepest": "where the smoothed loss falls fastest, inside the range where it falls "
                "({low:.3g} to {high:.3g}); a trial run at it trained",
    "stepped_down": "the smoothed loss falls fastest at {steepest:.3g}, inside the range where "
                    "it falls ({low:.3g} to {high:.3g}), but a trial run at that rate did not "
                    "train; this is where it falls fastest among the rates below that did",
    "none_trains": "none: the smoothed loss falls between {low:.3g} and {high:.3g}, but no trial "
                   "run at a rate in that range trained",
    "no_fall": "none: the smoothed loss did not fall anywhere in the test; try more steps or "
               "a wider range of rates",
    "too_short": "none: the test stopped after {steps} steps, too few to tell",
    "stopped": "none: the test was stopped before a trial run at {steepest:.3g}, where the "
               "smoothed loss falls fastest ({low:.3g} to {high:.3g} it falls)",
}


@dataclass(frozen=True)
class LRFinderResult:
    """The range test's curve, its falling range and the suggested rate.

    Attributes
    ----------
    lrs : ndarray, shape (n,)
        Each step's learning rate.
    losses : ndarray, shape (n,)
        The curve: the smoothed loss at each step (a centred average, see the module).
    raw_losses : ndarray, shape (n,)
        Each step's batch loss as measured.
    suggestion : float
        The rate to use; NaN when there is none (``reason`` says why).
    falling : tuple of float
        ``(low, high)``: the rates over which the curve falls, from where it has dropped by
        :data:`FALL_START` of its total drop to its lowest point; NaNs when it does not fall.
    steepest : float
        Where the curve falls fastest inside ``falling`` (the first candidate); NaN likewise.
    reason : str
        A key of :data:`REASONS`: why ``suggestion`` is what it is.
    stopped : bool
        True when ``stop`` ended the test before it finished.
    """

    lrs: np.ndarray
    losses: np.ndarray
    raw_losses: np.ndarray
    suggestion: float
    falling: tuple
    steepest: float
    reason: str
    stopped: bool = False

    def explanation(self):
        """The suggestion and its reason in one English sentence."""
        low, high = self.falling
        why = REASONS[self.reason].format(low=low, high=high, steepest=self.steepest,
                                          steps=self.lrs.size)
        if math.isnan(self.suggestion):
            return f"Suggested rate: {why}."
        return f"Suggested rate {self.suggestion:.3g}: {why}."


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
        Checked before every step of the sweep and of the trial runs; once set, the test ends
        and the result so far comes back with ``stopped=True`` and no suggestion (the curve,
        and the falling range if the sweep had finished).

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
    # the sweep and every trial start from the same weights and data: the caller's trainer's,
    # or those of a trainer built once from the config (its dataset loaded once)
    origin = trainer if trainer is not None else Trainer(config)
    sweep = _copy(config, origin)
    ratio = (end_lr / start_lr) ** (1.0 / (num_steps - 1))
    lrs, raw = [], []
    average, best = 0.0, math.inf
    stopped = False
    first_loss = None
    last_step, last_lr, last_loss = 0, start_lr, math.nan
    for i in range(int(num_steps)):
        if stop is not None and stop.is_set():
            stopped = True
            break
        lr = start_lr * ratio ** i
        loss = sweep.train_batch(learning_rate=lr)
        last_step, last_lr, last_loss = i + 1, lr, loss
        if first_loss is None:
            first_loss = loss
        if not math.isfinite(loss):
            break
        average = SMOOTHING * average + (1 - SMOOTHING) * loss
        value = average / (1 - SMOOTHING ** (i + 1))
        lrs.append(lr)
        raw.append(loss)
        best = min(best, value)
        # the trainer's own divergence watch stops updating the weights: the sweep ends too
        if value > BLOW_UP * best or sweep.history.diverged is not None:
            break
    lrs, raw = np.array(lrs), np.array(raw)
    if lrs.size < 3:
        if stopped:
            return LRFinderResult(lrs, raw.copy(), raw, math.nan, NO_RANGE, math.nan,
                                  "too_short", stopped=True)
        raise ConfigError(_blew_up_message(last_step, last_lr, first_loss, last_loss, start_lr))
    curve, noise = smooth(raw)
    begin, lowest = _falling_range(curve, noise)
    if begin is None:
        return LRFinderResult(lrs, curve, raw, math.nan, NO_RANGE, math.nan, "no_fall", stopped)
    falling = (float(lrs[begin]), float(lrs[lowest]))
    # averaged up to the lowest point only: the blow-up after it would bend the slopes of
    # the steepest part upwards
    falling_part = _gaussian_average(curve[:lowest + 1], max(1.0, lrs.size / SLOPE_WINDOW))[0]
    slopes = np.gradient(falling_part, np.log(lrs[:lowest + 1]))
    fall = TRIAL_SHARE * (curve[_top_of(curve, lowest)] - curve[lowest])
    end, reason = lowest, "steepest"
    while end >= begin:
        candidate = begin + int(np.argmin(slopes[begin:end + 1]))
        if end == lowest:
            steepest = float(lrs[candidate])
        trains = _trains(config, origin, lrs[candidate], int(num_steps), fall, stop)
        if trains is None:
            return LRFinderResult(lrs, curve, raw, math.nan, falling, steepest, "stopped", True)
        if trains:
            return LRFinderResult(lrs, curve, raw, float(lrs[candidate]), falling, steepest,
                                  reason, stopped)
        end = int(np.searchsorted(lrs, lrs[candidate] / 2, side="right")) - 1
        reason = "stepped_down"
    return LRFinderResult(lrs, curve, raw, math.nan, falling, steepest, "none_trains", stopped)


def _copy(config, origin):
    """A trainer for ``config`` that starts from ``origin``'s weights and data."""
    copy = Trainer(config.replace(epochs=10 ** 6, early_stopping_patience=0),
                   dataset=origin.dataset)
    copy.model.set_weights(origin.model.get_weights())
    return copy


def _falling_range(curve, noise):
    """``(begin, lowest)``: the indices where the curve has dropped by :data:`FALL_START` of
    its drop and where it is lowest; ``(None, None)`` when its drop is too small to count."""
    lowest = int(np.argmin(curve))
    top = _top_of(curve, lowest)
    drop = curve[top] - curve[lowest]
    if drop <= max(MIN_RELATIVE_DROP * abs(curve[top]), MIN_DROP_NOISE * noise):
        return None, None
    begin = top + int(np.argmax(curve[top:lowest + 1] <= curve[top] - FALL_START * drop))
    return begin, lowest


def _top_of(curve, lowest):
    """The index of the curve's highest point before ``lowest``."""
    return int(np.argmax(curve[:lowest + 1]))


def _trains(config, origin, rate, steps, fall, stop):
    """Whether ``steps`` batches at the rate ``rate``, from the sweep's starting weights and
    under the trainer's own divergence watch (as a run at that rate would train), lower the
    loss on all the training rows by ``fall`` and by :data:`MIN_TRIAL_FALL` of its value at
    the start. The whole training set's loss, not the batches': at small batches their noise
    let a trial at 1e-5 "fall" as far as the sweep's own noise did. None when ``stop`` was set
    first (it is checked before every batch)."""
    trial = _copy(config.replace(learning_rate=float(rate)), origin)
    before = trial.evaluate("train")["loss"]
    for _ in range(steps):
        if stop is not None and stop.is_set():
            return None
        trial.train_batch()
        if trial.history.diverged is not None:
            return False
    after = trial.evaluate("train")["loss"]
    return math.isfinite(after) and after <= before - max(fall, MIN_TRIAL_FALL * abs(before))


def smooth(values):
    """Centre-average ``values`` with the Gaussian window that best predicts each from its
    neighbours; return the smoothed values and the standard deviation of their noise.

    The width is chosen from :data:`WIDTHS` by leave-one-out cross-validation (for a linear
    smoother, the error of predicting value i without it is ``residual_i / (1 - w_ii)``, where
    ``w_ii`` is the weight value i has in its own average); the mean of the squared errors
    without the largest :data:`TRIM` of them, so that the blow-up at the end, where the loss
    grows by orders of magnitude, does not choose the width for the whole curve. The noise is the residuals'
    robust spread, scaled by how much the window averages it down.
    """
    values = np.asarray(values, dtype=float)
    best = None
    for width in WIDTHS:
        if width > values.size / 4 and best is not None:
            break
        curve, self_weight, shrink = _gaussian_average(values, width)
        errors = np.sort(((values - curve) / (1.0 - self_weight)) ** 2)
        error = np.mean(errors[:max(1, int(errors.size * (1 - TRIM)))])
        if best is None or error < best[0]:
            best = (error, curve, shrink)
    _, curve, shrink = best
    return curve, float(ROBUST_SD * np.median(np.abs(values - curve)) * shrink)


def _gaussian_average(values, width):
    """Gaussian-weighted centred average (standard deviation ``width`` steps; the window is
    cut at the ends and renormalised); also each value's weight in its own average and the
    factor by which the window shrinks independent noise (in the middle)."""
    half = int(math.ceil(3 * width))
    offsets = np.arange(-half, half + 1)
    kernel = np.exp(-0.5 * (offsets / width) ** 2)
    n = values.size
    total = np.convolve(values, kernel)[half:half + n]
    weight = np.convolve(np.ones(n), kernel)[half:half + n]
    shrink = math.sqrt(np.sum(kernel ** 2)) / np.sum(kernel)
    return total / weight, kernel[half] / weight, shrink


BLEW_UP = QT_TRANSLATE_NOOP(
    "engine", "the loss blew up at once: at step {step} of the range test, learning rate "
              "{lr:.3g}, the loss {what}. The test needs a few steps of falling loss at small "
              "rates. Lower start_lr (now {start_lr:g}, try 100x smaller); if the loss is "
              "already huge at the first step, check the data and the loss (e.g. unscaled "
              "targets).")
NOT_FINITE = QT_TRANSLATE_NOOP("engine", "was not a finite number")
HAD_RISEN = QT_TRANSLATE_NOOP("engine", "had risen from {first:.4g} to {last:.4g}")


def _blew_up_message(step, lr, first_loss, loss, start_lr):
    """The ConfigError message for a sweep whose loss blew up at once."""
    what = (Message(NOT_FINITE) if not math.isfinite(loss)
            else Message(HAD_RISEN, first=first_loss, last=loss))
    return Message(BLEW_UP, step=step, lr=lr, what=what, start_lr=start_lr)
