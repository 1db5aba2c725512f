"""The training configuration: one dataclass, validated, with a JSON round trip.

The same fields are the headless mode's flags (``--hidden-layers 16,16``), the GUI's controls
and the JSON file both of them save and load.
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass, fields
from typing import Optional

from . import activations, datasets, losses, optimizers, schedules
from .errors import ConfigError
from .model import DTYPES, INITIALIZERS

#: Optimizer hyperparameters that are config fields (None = the optimizer's Keras default).
OPTIMIZER_FIELDS = ("momentum", "rho", "beta_1", "beta_2", "epsilon", "weight_decay",
                    "trust_coef")


@dataclass(frozen=True)
class TrainingConfig:
    """Everything that defines a training run.

    Invalid values raise :class:`ConfigError` from :meth:`validate`, which the trainer calls;
    the message names the field, the value and what is valid.
    """

    dataset: str = "circle"
    noise: float = 0.1
    validation_split: float = 0.2
    n_samples: Optional[int] = None
    label_column: Optional[str] = None
    hidden_layers: tuple = (8, 8)
    activation: str = "tanh"
    output_activation: str = "auto"
    init: str = "glorot_uniform"
    loss: str = "binary_crossentropy"
    optimizer: str = "sgd"
    learning_rate: float = 0.3
    momentum: Optional[float] = None
    rho: Optional[float] = None
    beta_1: Optional[float] = None
    beta_2: Optional[float] = None
    epsilon: Optional[float] = None
    weight_decay: Optional[float] = None
    trust_coef: Optional[float] = None
    schedule: str = "constant"
    decay_steps: int = 1000
    decay_rate: float = 0.5
    warmup_epochs: int = 0
    linear_scaling: bool = False
    base_batch_size: int = 32
    batch_size: int = 16
    epochs: int = 30
    l2: float = 0.0
    early_stopping_patience: int = 0
    seed: int = 0
    dtype: str = "float64"

    def __post_init__(self):
        hidden = self.hidden_layers
        if isinstance(hidden, str):
            hidden = parse_hidden_layers(hidden)
        elif isinstance(hidden, (list, tuple)):
            hidden = tuple(hidden)
        object.__setattr__(self, "hidden_layers", hidden)

    # -- validation ----------------------------------------------------------------------------

    def validate(self):
        """Raise ConfigError naming the first invalid field; return self when all is well."""
        _check_choice("activation", self.activation, activations.names())
        _check_choice("output_activation", self.output_activation,
                      ["auto", *activations.names()])
        _check_choice("init", self.init, INITIALIZERS)
        _check_choice("optimizer", self.optimizer, optimizers.names())
        _check_choice("schedule", self.schedule, schedules.names())
        _check_choice("dtype", self.dtype, list(DTYPES))
        losses.canonical_name(self.loss)
        if not isinstance(self.hidden_layers, tuple) or not all(
                isinstance(h, int) and not isinstance(h, bool) and 1 <= h <= 4096
                for h in self.hidden_layers):
            raise ConfigError(f"hidden_layers must be positive layer sizes (1..4096) such as "
                              f"'8, 8', got {self.hidden_layers!r}")
        if len(self.hidden_layers) > 10:
            raise ConfigError(f"hidden_layers: at most 10 hidden layers, got "
                              f"{len(self.hidden_layers)}")
        _check_number("noise", self.noise, 0.0, 1.0)
        _check_number("validation_split", self.validation_split, 0.0, 0.9)
        _check_number("learning_rate", self.learning_rate, 0.0, 1e3, low_open=True)
        _check_number("decay_rate", self.decay_rate, 0.0, 1e6)
        _check_number("l2", self.l2, 0.0, 1e3)
        for name in ("decay_steps", "base_batch_size", "batch_size"):
            _check_int(name, getattr(self, name), 1)
        if self.epochs is not None:  # None: train until stopped
            _check_int("epochs", self.epochs, 1)
        for name in ("warmup_epochs", "early_stopping_patience", "seed"):
            _check_int(name, getattr(self, name), 0)
        if self.n_samples is not None:
            _check_int("n_samples", self.n_samples, 10)
        if not isinstance(self.linear_scaling, bool):
            raise ConfigError(f"linear_scaling must be true or false, got "
                              f"{self.linear_scaling!r}")
        accepted = optimizers.hyperparameters(self.optimizer)
        for name in OPTIMIZER_FIELDS:
            value = getattr(self, name)
            if value is None:
                continue
            _check_number(name, value, 0.0, 1e6)
            if name not in accepted:
                raise ConfigError(f"{name} does not apply to the {self.optimizer} optimizer; "
                                  f"it takes {', '.join(accepted)}")
        reason = incompatibility(self.dataset, self.loss, label_column=self.label_column)
        if reason:
            raise ConfigError(reason)
        if self.output_activation != "auto":
            reason = losses.get(self.loss).unfit_activation(self.output_activation)
            if reason:
                raise ConfigError(reason)
        return self

    def optimizer_kwargs(self):
        """Keyword arguments for :func:`engine.optimizers.get` (the fields that are set)."""
        kwargs = {name: getattr(self, name) for name in OPTIMIZER_FIELDS
                  if getattr(self, name) is not None}
        return kwargs

    # -- serialisation -------------------------------------------------------------------------

    def to_dict(self):
        data = dataclasses.asdict(self)
        data["hidden_layers"] = list(self.hidden_layers)
        return data

    @classmethod
    def from_dict(cls, data):
        """Build from a dict such as ``to_dict()`` gives; unknown keys are a ConfigError."""
        if not isinstance(data, dict):
            raise ConfigError(f"a configuration must be a JSON object, got "
                              f"{type(data).__name__}")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"unknown configuration field(s) {', '.join(unknown)}; valid "
                              f"fields: {', '.join(sorted(known))}")
        try:
            return cls(**data)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"configuration: {exc}") from exc

    def to_json(self, path):
        """Write the configuration as JSON to ``path``."""
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(self.to_dict(), handle, indent=2)
            handle.write("\n")

    @classmethod
    def from_json(cls, path):
        """Read a configuration file written by :meth:`to_json` (or by hand)."""
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
        except FileNotFoundError:
            raise ConfigError(f"config file {path} does not exist") from None
        except json.JSONDecodeError as exc:
            raise ConfigError(f"config file {path} is not valid JSON: line {exc.lineno}, "
                              f"column {exc.colno}: {exc.msg}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"config file {path} cannot be read: {exc}") from None
        return cls.from_dict(data)

    def replace(self, **changes):
        """A copy with ``changes`` applied (unknown field names are a ConfigError)."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ConfigError(f"unknown configuration field(s) {', '.join(unknown)}")
        return dataclasses.replace(self, **changes)


def parse_hidden_layers(text):
    """``"8, 8"`` -> ``(8, 8)``; ``""`` -> ``()``; ConfigError naming the bad part."""
    parts = [p.strip() for p in str(text).replace(";", ",").split(",")]
    if parts == [""]:
        return ()
    sizes = []
    for part in parts:
        if not part.isdigit() or int(part) < 1:
            raise ConfigError(f"hidden_layers: {part!r} in {text!r} is not a positive whole "
                              f"number; write sizes separated by commas, e.g. '8, 8'")
        sizes.append(int(part))
    return tuple(sizes)


def incompatibility(dataset, loss, label_column=None):
    """``None`` if ``loss`` can train on ``dataset``, else a sentence saying why not."""
    loss_name = losses.canonical_name(loss)
    info = datasets.info(dataset, label_column=label_column)
    loss_obj = losses.get(loss_name)
    if info.task in loss_obj.tasks:
        return None
    suited = ", ".join(t for t in losses.TASKS if t in loss_obj.tasks)
    kind = {"binary": "a binary classification", "multiclass": "a multi-class classification",
            "regression": "a regression", "counts": "a count-regression"}[info.task]
    return (f"loss '{loss_name}' does not fit dataset '{dataset}': '{dataset}' is {kind} "
            f"dataset and '{loss_name}' suits {suited} tasks")


def _check_choice(name, value, valid):
    if value not in valid:
        raise ConfigError(f"{name} {value!r} is unknown; valid: {', '.join(valid)}")


def _check_number(name, value, low, high, low_open=False):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ConfigError(f"{name} must be a finite number, got {value!r}")
    if value < low or value > high or (low_open and value == low):
        bracket = "(" if low_open else "["
        raise ConfigError(f"{name} must be in {bracket}{low:g}, {high:g}], got {value!r}")


def _check_int(name, value, low):
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ConfigError(f"{name} must be a whole number >= {low}, got {value!r}")


__all__ = ["TrainingConfig", "incompatibility", "parse_hidden_layers", "OPTIMIZER_FIELDS"]
