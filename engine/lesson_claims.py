"""A lesson's claims: the numbers its text states, as data that is measured and checked.

Each lesson file lists under ``"claims"`` what its text says will happen, in a form a test
checks on seeds 0-9 and a result chart can draw (one value per step and seed, against the
stated range)::

    {"measure": "final_val_accuracy",      # a name of MEASURES: what is read off a run
     "steps": ["batch_512"],               # the steps measured, each on every seed
     "range": [0.88, 0.93],                # [low, high], inclusive; null for an open end
     "relative_to": "batch_32",            # optional: divided by (compare "ratio", the default)
     "compare": "difference",              #   or minus ("difference") that step's value, same seed
     "args": {"within": 0.1},              # optional: the measure's parameters
     "changes": {"learning_rate": 1.05},   # optional: a variant of the steps (a "try next")
     "holds_on": [1, 9],                   # optional: how many seeds the range must hold on
                                           #   (default: every seed)
     "unit": "percent",                    # optional: how the text writes the range (percent:
                                           #   x 100; percent_above: a ratio as (r - 1) x 100,
                                           #   1.25 = "25" % more; default "number")
     "stated_in": ["steps.batch_512.watch"],  # optional: texts that state the range, checked
                                           #   to contain both ends in English and Korean
     "slow": false}                        # optional: measured only by the slow test run

Nothing here trains: :func:`measure` reads values off finished runs that the caller supplies
(``run_for(step_key, changes)``), so the runs of a lesson are shared by all its claims and can
be cached across claims and tests. Qt-free.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .errors import ConfigError

COMPARES = ("ratio", "difference")
UNITS = ("number", "percent", "percent_above")
_CLAIM_KEYS = {"measure", "steps", "range"}
_OPTIONAL_CLAIM_KEYS = {"relative_to", "compare", "args", "changes", "holds_on", "unit",
                        "stated_in", "slow"}


# ----------------------------------------------------------------------------------------------
# Measures: one number read off a finished run
# ----------------------------------------------------------------------------------------------

def _final(values):
    values = np.asarray(values, dtype=float)
    return float(values[-1]) if len(values) else math.nan


def _best_epoch(history):
    return int(np.argmin(history.val_loss)) + 1


def _steps_to_floor(run, within, floor):
    """The first step (1-based) whose batch loss is within ``within`` of the final batch loss
    of step ``floor`` (the noise floor); the number of steps + 1 if none is."""
    target = (1.0 + within) * _final(floor.history.batch_loss)
    below = np.flatnonzero(run.history.batch_loss < target)
    return float(below[0] + 1) if len(below) else float(run.history.n_steps + 1)


def _sign_flips(run, stat):
    """How often each weight's change flips sign from one step to the next, as a fraction
    of the possible flips; the smallest (``stat`` "min") or largest over the weights."""
    diffs = np.diff(run.params, axis=0)
    flips = np.sum(np.sign(diffs[1:]) != np.sign(diffs[:-1]), axis=0) / (len(diffs) - 1)
    return float(flips.min() if stat == "min" else flips.max())


def _growth(run, start, stat):
    """The batch loss's step-to-step ratio from step ``start`` (0-based) on: the first, the
    smallest or the largest (``stat`` "first", "min", "max")."""
    loss = np.asarray(run.history.batch_loss, dtype=float)
    ratios = loss[start + 1:] / loss[start:-1]
    return float({"first": ratios[0], "min": ratios.min(), "max": ratios.max()}[stat])


def _per_example_train_losses(run):
    from . import losses
    trainer = run.trainer
    data = trainer.dataset
    return losses.get(trainer.config.loss).per_sample(
        np.asarray(data.y_train)[:, None].astype(float), trainer.predict(data.x_train))


def _data_val_loss(run):
    """The validation loss of the final weights without the weight penalty."""
    from . import losses
    trainer = run.trainer
    data = trainer.dataset
    return float(losses.get(trainer.config.loss)(
        np.asarray(data.y_val)[:, None].astype(float), trainer.predict(data.x_val)))


def _linear_mse_limit(run):
    """2 / the largest curvature of the mean squared error of a linear model (weights and a
    bias) on the run's training inputs: the largest stable full-batch SGD rate."""
    x = run.trainer.dataset.x_train
    x = np.hstack([x, np.ones((len(x), 1))])
    return float(2.0 / np.linalg.eigvalsh(2.0 / len(x) * x.T @ x).max())


def _sharpness(run):
    """The sharpness (the loss's largest curvature) at the run's final weights, as the
    curvature view measures it live (engine.instruments)."""
    from . import instruments
    return instruments.sharpness(run.trainer)


def _noise_scale(trainer):
    from . import instruments
    return instruments.noise_scale(trainer)


def _initial_noise_scale(run):
    """The noise scale at the run's initial weights: a new trainer of the same configuration
    (the seed fixes the weights), measured before any step."""
    from .trainer import Trainer
    return _noise_scale(Trainer(run.trainer.config))


def _sine_fit(run):
    """How far the fit is from the noise-free sine, as a fraction of the noise: the RMS of
    (prediction - sin x) over the RMS of (target - sin x), on the validation points."""
    data = run.trainer.dataset
    clean = np.sin(data.x_val[:, 0])
    fit = run.trainer.predict(data.x_val)[:, 0] - clean
    return float(np.sqrt(np.mean(fit ** 2)) / np.sqrt(np.mean((data.y_val - clean) ** 2)))


@dataclass(frozen=True)
class Measure:
    """What a claim reads off a run: ``read(run, other, **args)`` -> float, where ``other(key)``
    is the run of another step on the same seed. ``params`` says the run must record its
    parameters (:func:`engine.lessons.run_lesson_step`'s ``record_params``)."""

    read: object
    doc: str
    params: bool = False
    args: tuple = ()


MEASURES = {
    "n_steps": Measure(lambda r, o: float(r.history.n_steps), "steps trained"),
    "n_epochs": Measure(lambda r, o: float(r.history.n_epochs), "epochs trained"),
    "diverged": Measure(lambda r, o: float(r.history.diverged is not None),
                        "1 if the run was stopped as diverged, else 0"),
    "stopped_early": Measure(lambda r, o: float(r.history.stop_reason == "early_stopping"),
                             "1 if early stopping ended the run, else 0"),
    "final_batch_loss": Measure(lambda r, o: _final(r.history.batch_loss),
                                "the last step's batch loss"),
    "final_val_loss": Measure(lambda r, o: _final(r.history.val_loss),
                              "the last epoch's validation loss"),
    "final_val_accuracy": Measure(lambda r, o: _final(r.history.val_accuracy),
                                  "the last epoch's validation accuracy (0-1)"),
    "generalisation_gap": Measure(
        lambda r, o: _final(r.history.train_accuracy) - _final(r.history.val_accuracy),
        "training minus validation accuracy at the last epoch"),
    "final_learning_rate": Measure(lambda r, o: _final(r.history.learning_rate),
                                   "the rate of the last step (scaling and warm-up applied)"),
    "best_val_epoch": Measure(lambda r, o: float(_best_epoch(r.history)),
                              "the epoch (1-based) of the lowest validation loss"),
    "epochs_after_best": Measure(lambda r, o: float(r.history.n_epochs - _best_epoch(r.history)),
                                 "epochs trained after the lowest validation loss"),
    "val_loss_rise": Measure(
        lambda r, o: _final(r.history.val_loss) / float(np.min(r.history.val_loss)) - 1.0,
        "how far the last validation loss is above the lowest (0.25 = 25 % above)"),
    "train_loss_after_best": Measure(
        lambda r, o: _final(r.history.train_loss)
        / float(r.history.train_loss[_best_epoch(r.history) - 1]),
        "the last training loss over the training loss at the best validation epoch"),
    "val_accuracy_after_best": Measure(
        lambda r, o: _final(r.history.val_accuracy)
        - float(r.history.val_accuracy[_best_epoch(r.history) - 1]),
        "the last validation accuracy minus the accuracy at the best validation epoch"),
    "kept_val_loss": Measure(lambda r, o: float(r.trainer.evaluate("val")["loss"]),
                             "the validation loss of the weights the run ends with"),
    "kept_over_best_val_loss": Measure(
        lambda r, o: float(r.trainer.evaluate("val")["loss"]) / float(np.min(r.history.val_loss)),
        "the validation loss of the weights kept over the lowest validation loss seen"),
    "data_val_loss": Measure(lambda r, o: _data_val_loss(r),
                             "the validation loss of the final weights without the penalty"),
    "steps_to_floor": Measure(
        lambda r, o, within, floor: _steps_to_floor(r, within, o(floor)),
        "the first step whose batch loss is within `within` of step `floor`'s final loss",
        args=("within", "floor")),
    "sign_flips": Measure(lambda r, o, stat: _sign_flips(r, stat),
                          "the fraction of steps at which a weight's change flips sign "
                          "(`stat`: min or max over the weights)", params=True, args=("stat",)),
    "loss_growth": Measure(lambda r, o, start, stat: _growth(r, start, stat),
                           "the batch loss's ratio from one step to the next, from step "
                           "`start` on (`stat`: first, min or max)", args=("start", "stat")),
    "zero_loss_fraction": Measure(lambda r, o: float(np.mean(_per_example_train_losses(r) == 0)),
                                  "the fraction of training points whose loss is exactly 0"),
    "min_example_loss": Measure(lambda r, o: float(np.min(_per_example_train_losses(r))),
                                "the smallest per-point training loss"),
    "batch_loss_difference": Measure(
        lambda r, o, other: float(np.max(np.abs(np.asarray(r.history.batch_loss, float)
                                                - np.asarray(o(other).history.batch_loss,
                                                             float)))),
        "the largest difference between this run's batch losses and step `other`'s",
        args=("other",)),
    "stability_limit": Measure(lambda r, o: _linear_mse_limit(r),
                               "2 / the largest curvature of a linear model's MSE on the "
                               "training inputs"),
    "final_sharpness": Measure(lambda r, o: _sharpness(r),
                               "the largest curvature of the loss at the final weights"),
    "sharpness_limit": Measure(lambda r, o: 2.0 / _sharpness(r),
                               "2 / the final sharpness: the largest stable sgd rate there"),
    "rate_over_limit": Measure(
        lambda r, o: r.trainer.current_learning_rate() * _sharpness(r) / 2.0,
        "the run's rate over 2 / its final sharpness (above 1: past the stability limit)"),
    "initial_noise_scale": Measure(lambda r, o: _initial_noise_scale(r),
                                   "the gradient noise scale B_simple at the initial weights"),
    "final_noise_scale": Measure(lambda r, o: _noise_scale(r.trainer),
                                 "the gradient noise scale B_simple at the final weights"),
    "final_train_loss": Measure(lambda r, o: float(r.trainer.evaluate("train")["loss"]),
                                "the training loss of the final weights on the whole training set"),
    "sine_fit_error": Measure(lambda r, o: _sine_fit(r),
                              "RMS distance of the fit from the clean sine over the noise's RMS"),
}


# ----------------------------------------------------------------------------------------------
# Claims
# ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Claim:
    """One checked statement of a lesson (see the module's docstring for the file format)."""

    measure: str
    steps: tuple
    low: float | None
    high: float | None
    relative_to: str | None = None
    compare: str = "ratio"
    args: tuple = ()
    changes: tuple = ()
    holds_on: tuple | None = None
    unit: str = "number"
    stated_in: tuple = ()
    slow: bool = False

    @property
    def needs_params(self):
        return MEASURES[self.measure].params

    def contains(self, value):
        """Whether ``value`` lies in the claimed range (ends included)."""
        return (not math.isnan(value) and (self.low is None or value >= self.low)
                and (self.high is None or value <= self.high))

    def range_text(self):
        """The range as the text writes it ("88-93%", "at least 0.95")."""
        def number(value):
            if self.unit == "percent":
                return f"{round(value * 100, 6):g}"
            if self.unit == "percent_above":
                return f"{round((value - 1) * 100, 6):g}"
            return f"{value:g}"
        return tuple(number(v) for v in (self.low, self.high) if v is not None)

    def describe(self):
        """One line naming the claim: "final_val_accuracy of batch_512 - batch_32 in [...]"."""
        what = f"{self.measure}{dict(self.args) if self.args else ''} of {', '.join(self.steps)}"
        if self.relative_to:
            what += (" / " if self.compare == "ratio" else " - ") + self.relative_to
        if self.changes:
            what += f" with {dict(self.changes)}"
        return f"{what} in [{self.low}, {self.high}]"


def parse_claims(where, data, step_keys):
    """The claims of a lesson file from their decoded JSON list (ConfigError naming the file
    and the claim's index)."""
    if not isinstance(data, list):
        raise ConfigError(f"{where}: claims must be a list of objects")
    return tuple(_parse_claim(f"{where}: claims[{i}]", claim, step_keys)
                 for i, claim in enumerate(data))


def _number(where, key, value, allow_none=True):
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ConfigError(f"{where}.{key} must be a finite number{' or null' if allow_none else ''}"
                          f", got {value!r:.40}")
    return float(value)


def _parse_claim(where, claim, step_keys):
    if not isinstance(claim, dict):
        raise ConfigError(f"{where} must be a JSON object")
    missing = sorted(_CLAIM_KEYS - set(claim))
    unknown = sorted(set(claim) - _CLAIM_KEYS - _OPTIONAL_CLAIM_KEYS)
    if missing or unknown:
        problem = f"missing key {missing[0]}" if missing else f"unknown key {unknown[0]}"
        raise ConfigError(f"{where}: {problem}; valid keys: "
                          f"{', '.join(sorted(_CLAIM_KEYS | _OPTIONAL_CLAIM_KEYS))}")
    measure = claim["measure"]
    if measure not in MEASURES:
        raise ConfigError(f"{where}.measure {measure!r:.40} is unknown; valid: "
                          f"{', '.join(MEASURES)}")
    steps = claim["steps"]
    referenced = list(steps) if isinstance(steps, list) else []
    if not referenced or not all(isinstance(k, str) for k in referenced):
        raise ConfigError(f"{where}.steps must be a non-empty list of step keys")
    relative_to = claim.get("relative_to")
    args = claim.get("args", {})
    if not isinstance(args, dict) or sorted(args) != sorted(MEASURES[measure].args):
        raise ConfigError(f"{where}.args must give exactly "
                          f"{', '.join(MEASURES[measure].args) or 'nothing'} for {measure}")
    for name in ("floor", "other"):
        if name in args:
            referenced.append(args[name])
    if relative_to is not None:
        referenced.append(relative_to)
    for key in referenced:
        if key not in step_keys:
            raise ConfigError(f"{where}: step {key!r:.40} is not a step of this lesson; steps: "
                              f"{', '.join(step_keys)}")
    bounds = claim["range"]
    if not isinstance(bounds, list) or len(bounds) != 2:
        raise ConfigError(f"{where}.range must be [low, high] (null for an open end)")
    low, high = (_number(where, "range", v) for v in bounds)
    if (low is None and high is None) or (None not in (low, high) and low > high):
        raise ConfigError(f"{where}.range must have low <= high and at least one end, got "
                          f"{bounds!r}")
    compare = claim.get("compare", "ratio")
    if compare not in COMPARES:
        raise ConfigError(f"{where}.compare must be one of {', '.join(COMPARES)}")
    unit = claim.get("unit", "number")
    if unit not in UNITS:
        raise ConfigError(f"{where}.unit must be one of {', '.join(UNITS)}")
    changes = claim.get("changes", {})
    if not isinstance(changes, dict):
        raise ConfigError(f"{where}.changes must be an object of configuration fields")
    holds_on = claim.get("holds_on")
    if holds_on is not None:
        if (not isinstance(holds_on, list) or len(holds_on) != 2
                or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0
                           for n in holds_on) or holds_on[0] > holds_on[1]):
            raise ConfigError(f"{where}.holds_on must be [fewest, most] seeds, got "
                              f"{holds_on!r:.40}")
        holds_on = tuple(holds_on)
    stated_in = claim.get("stated_in", [])
    if not isinstance(stated_in, list) or not all(isinstance(s, str) for s in stated_in):
        raise ConfigError(f"{where}.stated_in must be a list of text places such as "
                          f"'steps.good.watch'")
    slow = claim.get("slow", False)
    if not isinstance(slow, bool):
        raise ConfigError(f"{where}.slow must be true or false")
    return Claim(measure=measure, steps=tuple(steps), low=low, high=high,
                 relative_to=relative_to, compare=compare,
                 args=tuple(sorted(args.items())),
                 changes=tuple(sorted((k, tuple(v) if isinstance(v, list) else v)
                                      for k, v in changes.items())),
                 holds_on=holds_on, unit=unit, stated_in=tuple(stated_in), slow=slow)


def measure(claim, step_key, run_for):
    """The value ``claim`` reads for step ``step_key`` on one seed.

    Parameters
    ----------
    claim : Claim
    step_key : str
    run_for : callable(step_key, changes, record_params) -> engine.lessons.StepRun
        The finished run of a step of the lesson on the seed measured, with the claim's
        ``changes`` (a tuple of (field, value) pairs) applied.

    Returns
    -------
    float
        The measure, divided by or minus the ``relative_to`` step's on the same seed.
    """
    spec = MEASURES[claim.measure]

    def read(key):
        run = run_for(key, claim.changes, spec.params)
        other = lambda k: run_for(k, claim.changes, False)  # noqa: E731
        return spec.read(run, other, **dict(claim.args))

    value = read(step_key)
    if claim.relative_to is None:
        return value
    reference = read(claim.relative_to)
    return value / reference if claim.compare == "ratio" else value - reference


@dataclass(frozen=True)
class Result:
    """A claim measured on some seeds: ``values[step][i]`` on ``seeds[i]``."""

    claim: Claim
    seeds: tuple
    values: dict

    @property
    def holds(self):
        """Whether the claim holds: on every seed, or on as many as ``holds_on`` says."""
        for values in self.values.values():
            count = sum(self.claim.contains(v) for v in values)
            fewest, most = self.claim.holds_on or (len(values), len(values))
            if not fewest <= count <= most:
                return False
        return True

    def summary(self):
        """One line: the claim, the measured min-max per step, and whether it holds."""
        parts = [f"{key} {min(v):.4g}..{max(v):.4g}" for key, v in self.values.items()]
        return (f"{'ok  ' if self.holds else 'FAIL'} {self.claim.describe()}: "
                f"{'; '.join(parts)} (seeds {self.seeds[0]}-{self.seeds[-1]})")


def check(claim, seeds, run_for):
    """``claim`` measured for each of its steps on each seed: a :class:`Result`.

    ``run_for(seed, step_key, changes, record_params)`` gives the finished run."""
    values = {key: tuple(measure(claim, key, lambda k, c, p, s=seed: run_for(s, k, c, p))
                         for seed in seeds)
              for key in claim.steps}
    return Result(claim, tuple(seeds), values)


__all__ = ["Claim", "Measure", "Result", "MEASURES", "COMPARES", "UNITS", "parse_claims",
           "measure", "check"]
