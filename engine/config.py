"""The training configuration: one dataclass, validated, with a JSON round trip.

Its fields are declared once, in :mod:`engine.spec` (type, default, range, live rule, GUI
control, help); this module turns that table into the frozen dataclass and adds what needs the
whole configuration: the checks between fields (an optimizer flag on an optimizer that lacks
it, a loss that does not fit the dataset), the keyword arguments for the optimizer and the
loss, the JSON round trip and a size estimate.

Validation reads no file of its own. :meth:`TrainingConfig.validate_fields` is pure (types,
ranges, cross-field rules); :meth:`TrainingConfig.validate` adds the dataset/loss check, which
needs the dataset's task from :func:`engine.datasets.info` (a CSV's task is in its labels).
Live changes during a run check only the fields that changed (``Trainer.update``).
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass, fields
from typing import Optional  # noqa: F401  (the spec's annotations name it)

import numpy as np

from . import datasets, losses, optimizers, spec
from .errors import ConfigError
from .messages import Message, join
from .spec import show
from .texts import QT_TRANSLATE_NOOP

# The messages of its errors (engine.messages), marked for the GUI's catalogue.
DOES_NOT_FIT = QT_TRANSLATE_NOOP("engine", "loss '{loss}' does not fit dataset '{dataset}': "
                                           "'{dataset}' is {kind} dataset and '{loss}' suits "
                                           "{suited} tasks")
TASK_KINDS = {"binary": QT_TRANSLATE_NOOP("engine", "a binary classification"),
              "multiclass": QT_TRANSLATE_NOOP("engine", "a multi-class classification"),
              "regression": QT_TRANSLATE_NOOP("engine", "a regression"),
              "counts": QT_TRANSLATE_NOOP("engine", "a count-regression")}
#: The tasks by name, and the things a field may apply to, as words in a message.
WORDS = (QT_TRANSLATE_NOOP("engine", "binary"), QT_TRANSLATE_NOOP("engine", "multiclass"),
         QT_TRANSLATE_NOOP("engine", "regression"), QT_TRANSLATE_NOOP("engine", "counts"),
         QT_TRANSLATE_NOOP("engine", "optimizer"), QT_TRANSLATE_NOOP("engine", "loss"))
DOES_NOT_APPLY = QT_TRANSLATE_NOOP("engine", "{name} does not apply to the {owner} {what}; it "
                                             "applies to {valid}")
NOT_AN_OBJECT = QT_TRANSLATE_NOOP("engine", "a configuration must be a JSON object, got {kind}")
UNKNOWN_FIELDS = QT_TRANSLATE_NOOP("engine", "unknown configuration field(s) {unknown}; valid "
                                             "fields: {valid}")
CONFIG_FILE = QT_TRANSLATE_NOOP("engine", "config file {path}")
NO_CONFIG_FILE = QT_TRANSLATE_NOOP("engine", "config file {path} does not exist")
UNREADABLE_CONFIG = QT_TRANSLATE_NOOP("engine", "config file {path} cannot be read: {problem}")
NOT_JSON = QT_TRANSLATE_NOOP("engine", "{where} is not valid JSON: line {line}, column {column}: "
                                       "{problem}")
#: Python's json module's messages, quoted in NOT_JSON
JSON_PROBLEMS = (QT_TRANSLATE_NOOP("engine", "Expecting value"),
                 QT_TRANSLATE_NOOP("engine", "Expecting property name enclosed in double quotes"),
                 QT_TRANSLATE_NOOP("engine", "Expecting ',' delimiter"),
                 QT_TRANSLATE_NOOP("engine", "Expecting ':' delimiter"),
                 QT_TRANSLATE_NOOP("engine", "Extra data"))
TOO_DEEP = QT_TRANSLATE_NOOP("engine", "{where} is nested too deeply to be a configuration")
NOT_VALID = QT_TRANSLATE_NOOP("engine", "{where} is not a valid configuration: {problem}")
TOO_LARGE = QT_TRANSLATE_NOOP("engine", "hidden_layers {layers} with batch_size {batch}: about "
                                        "{parameters:,} parameters and {memory} of memory, "
                                        "above the {limit} this app allows; use fewer or "
                                        "smaller layers")
NOT_A_SIZE = QT_TRANSLATE_NOOP("engine", "hidden_layers: {part} in {text} is not a positive whole "
                                         "number; write sizes separated by commas, e.g. '8, 8'")

#: Optimizer hyperparameters that are config fields (numbers: None = the optimizer's Keras
#: default; flags: True turns the option on).
OPTIMIZER_FIELDS = spec.optimizer_fields()
#: Loss options that are config fields.
LOSS_FIELDS = spec.loss_fields()
#: Above this estimated memory a configuration is refused; above WARN_BYTES the GUI warns.
MAX_BYTES = 4 * 2**30
WARN_BYTES = 1 * 2**30
#: The time estimate's model of a step: a fixed cost (model A at batch 1 runs about 20,000
#: steps/s) plus the floating-point work at this rate (a 2x2048 network at batch 128 ran at
#: about 5e10 estimated FLOP/s on this project's 2-core machine; 3e10 leaves room for a
#: shared or slower one). Good to a factor of about 2: enough to tell seconds from hours.
STEP_OVERHEAD_S = 5e-5
FLOPS_PER_SECOND = 3e10


def _declare_fields(cls):
    """Give ``cls`` one annotated field per :data:`engine.spec.PARAMS` entry."""
    cls.__annotations__ = {param.name: param.annotation for param in spec.PARAMS}
    for param in spec.PARAMS:
        setattr(cls, param.name, param.default)
    return cls


@dataclass(frozen=True)
@_declare_fields
class TrainingConfig:
    """Everything that defines a training run; the fields are :data:`engine.spec.PARAMS`.

    Building one checks nothing beyond turning ``hidden_layers`` text or lists into a tuple;
    :meth:`validate` (which the trainer calls) and :meth:`from_dict` raise
    :class:`ConfigError` naming the field, the value and what is valid.
    """

    def __post_init__(self):
        hidden = self.hidden_layers
        if isinstance(hidden, str):
            hidden = parse_hidden_layers(hidden)
        elif isinstance(hidden, list):
            hidden = tuple(hidden)
        object.__setattr__(self, "hidden_layers", hidden)

    # -- validation ----------------------------------------------------------------------------

    def validate(self):
        """Raise ConfigError naming the first invalid field; return self when all is well.

        Field checks, then whether the loss fits the dataset's task (a CSV's task comes from
        :func:`engine.datasets.info`).
        """
        self.validate_fields()
        reason = incompatibility(self.dataset, self.loss, label_column=self.label_column)
        if reason:
            raise ConfigError(reason)
        return self

    def validate_fields(self, names=None):
        """Check field values and the rules between fields, reading no file.

        Parameters
        ----------
        names : iterable of str, optional
            Check only these fields (and the rules they take part in); default: all.
        """
        params = spec.PARAMS if names is None else [spec.get(name) for name in names]
        for param in params:
            param.check(getattr(self, param.name))
        for param in params:
            if param.applies is not None:
                self._check_applies(param)
        if names is None or {"output_activation", "loss", "from_logits"} & set(names):
            self._check_output_activation()
        return self

    def _check_applies(self, param):
        value = getattr(self, param.name)
        if value is None or value == param.default or param.applies_here(self):
            return
        owner = getattr(self, param.applies)
        raise ConfigError(Message(DOES_NOT_APPLY, name=param.name, owner=owner,
                                  what=Message(param.applies),
                                  valid=", ".join(param.applies_to())))

    def _check_output_activation(self):
        if self.output_activation == "auto":
            return
        loss = losses.get(self.loss, **self.loss_kwargs())
        reason = loss.unfit_activation(self.output_activation)
        if reason:
            raise ConfigError(reason)

    def optimizer_kwargs(self):
        """Keyword arguments for :func:`engine.optimizers.get`.

        Numbers that are set, and flags that are on, for the fields this optimizer takes
        (a flag left off keeps the optimizer's own default: "nesterov" stays Nesterov).
        """
        accepted = optimizers.hyperparameters(self.optimizer)
        return {name: getattr(self, name) for name in OPTIMIZER_FIELDS
                if name in accepted and getattr(self, name) not in (None, False)}

    def loss_kwargs(self):
        """Keyword arguments for :func:`engine.losses.get`: the options this loss takes that
        differ from their defaults."""
        accepted = losses.options(self.loss)
        return {name: getattr(self, name) for name in LOSS_FIELDS
                if name in accepted and getattr(self, name) != spec.get(name).default}

    # -- size ----------------------------------------------------------------------------------

    def estimate(self, n_train, n_features, n_outputs):
        """What this run will cost, for a dataset of the given shape.

        Returns
        -------
        dict
            ``parameters`` (weights and biases), ``bytes`` (parameters, their gradients, the
            optimizer's state and scratch buffers, the activations of one batch forward and
            backward, and the training data with its shuffled copy), ``steps`` (None when
            the epochs are unlimited), ``flops_per_step`` (about 6 per weight per sample:
            forward, backward to the inputs, backward to the weights), ``seconds_per_step``
            and ``seconds`` (the whole run at full speed, None when unlimited) from
            :data:`STEP_OVERHEAD_S` and :data:`FLOPS_PER_SECOND`.
        """
        sizes = [int(n_features), *self.hidden_layers, int(n_outputs)]
        weights = sum(a * b for a, b in zip(sizes, sizes[1:]))
        parameters = weights + sum(sizes[1:])
        itemsize = np.dtype(self.dtype).itemsize
        copies = 2 + _optimizer_copies(self.optimizer, self.optimizer_kwargs())
        batch = min(int(self.batch_size), max(int(n_train), 1))
        activations = 3 * batch * sum(sizes) * itemsize
        data = 2 * int(n_train) * (int(n_features) + int(n_outputs)) * itemsize
        steps = (None if self.epochs is None
                 else self.epochs * -(-max(int(n_train), 1) // batch))
        flops = 6 * weights * batch
        per_step = STEP_OVERHEAD_S + flops / FLOPS_PER_SECOND
        return {"parameters": parameters,
                "bytes": parameters * copies * itemsize + activations + data,
                "steps": steps, "flops_per_step": flops, "seconds_per_step": per_step,
                "seconds": None if steps is None else steps * per_step}

    def check_size(self, n_train, n_features, n_outputs):
        """Raise ConfigError when :meth:`estimate` is above :data:`MAX_BYTES`; else return it."""
        estimate = self.estimate(n_train, n_features, n_outputs)
        if estimate["bytes"] > MAX_BYTES:
            raise ConfigError(Message(
                TOO_LARGE, layers=list(self.hidden_layers), batch=self.batch_size,
                parameters=estimate["parameters"], memory=_gib(estimate["bytes"]),
                limit=_gib(MAX_BYTES)))
        return estimate

    # -- serialisation -------------------------------------------------------------------------

    def to_dict(self):
        data = dataclasses.asdict(self)
        data["hidden_layers"] = list(self.hidden_layers)
        return data

    @classmethod
    def from_dict(cls, data):
        """Build from a dict such as ``to_dict()`` gives, checking every value strictly.

        Unknown keys, wrong types ("30" for a whole number, 5.5 for a whole number, "yes" for
        a flag) and values out of range are ConfigErrors naming the field; no value is
        coerced. The dataset/loss check is left to :meth:`validate`.
        """
        if not isinstance(data, dict):
            raise ConfigError(Message(NOT_AN_OBJECT, kind=type(data).__name__))
        known = spec.names()
        unknown = sorted(str(key)[:40] for key in data if key not in known)
        if unknown:
            more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
            raise ConfigError(Message(UNKNOWN_FIELDS, unknown=", ".join(unknown[:5]) + more,
                                      valid=", ".join(sorted(known))))
        values = {name: spec.get(name).check(value) for name, value in data.items()}
        return cls(**values).validate_fields()

    def to_json(self, path):
        """Write the configuration as JSON to ``path``."""
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(self.to_dict(), handle, indent=2)
            handle.write("\n")

    @classmethod
    def from_json(cls, path):
        """Read a configuration file written by :meth:`to_json` (or by hand; a UTF-8 BOM is
        fine)."""
        try:
            with open(path, encoding="utf-8-sig") as handle:
                text = handle.read()
        except FileNotFoundError:
            raise ConfigError(Message(NO_CONFIG_FILE, path=path)) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(Message(UNREADABLE_CONFIG, path=path, problem=str(exc))) from None
        return cls.from_dict(parse_json(text, Message(CONFIG_FILE, path=path)))

    def replace(self, **changes):
        """A copy with ``changes`` applied (unknown field names are a ConfigError)."""
        for name in changes:
            spec.get(name)
        return dataclasses.replace(self, **changes)


def parse_json(text, where):
    """``json.loads`` whose every failure is a one-line ConfigError starting with ``where``."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        problem = Message(exc.msg) if exc.msg in JSON_PROBLEMS else exc.msg
        raise ConfigError(Message(NOT_JSON, where=where, line=exc.lineno, column=exc.colno,
                                  problem=problem)) from None
    except RecursionError:
        raise ConfigError(Message(TOO_DEEP, where=where)) from None
    except ValueError as exc:  # e.g. an integer beyond Python's 4300-digit limit
        raise ConfigError(Message(NOT_VALID, where=where,
                                  problem=str(exc).splitlines()[0])) from None


def _optimizer_copies(name, kwargs):
    """How many parameter-sized arrays the optimizer keeps (state slots and scratch)."""
    optimizer = optimizers.get(name, **kwargs)
    optimizer.build(1, np.float64)
    return len(optimizer.state) + getattr(optimizer, "scratch_buffers", 0)


def _gib(n_bytes):
    return f"{n_bytes / 2**30:.1f} GB"


def parse_hidden_layers(text):
    """``"8, 8"`` -> ``(8, 8)``; ``""`` -> ``()``; ConfigError naming the bad part."""
    parts = [p.strip() for p in str(text).replace(";", ",").split(",")]
    if parts == [""]:
        return ()
    sizes = []
    for part in parts:
        if not (part.isascii() and part.isdigit() and len(part) <= 9) or int(part) < 1:
            raise ConfigError(Message(NOT_A_SIZE, part=show(part), text=show(text)))
        sizes.append(int(part))
    return tuple(sizes)


def incompatibility(dataset, loss, label_column=None):
    """``None`` if ``loss`` can train on ``dataset``, else a sentence saying why not.

    Reads the dataset's task with :func:`engine.datasets.info` (for a CSV, from its labels).
    """
    loss_name = losses.canonical_name(loss)
    info = datasets.info(dataset, label_column=label_column)
    return task_incompatibility(dataset, info.task, loss_name)


def task_incompatibility(dataset, task, loss):
    """:func:`incompatibility` for a dataset whose ``task`` is known (reads no file)."""
    loss_name = losses.canonical_name(loss)
    loss_obj = losses.get(loss_name)
    if task in loss_obj.tasks:
        return None
    suited = join(*(Message(t) for t in losses.TASKS if t in loss_obj.tasks), separator=", ")
    return Message(DOES_NOT_FIT, loss=loss_name, dataset=dataset, kind=Message(TASK_KINDS[task]),
                   suited=suited)


__all__ = ["TrainingConfig", "incompatibility", "parse_hidden_layers", "OPTIMIZER_FIELDS",
           "LOSS_FIELDS", "MAX_BYTES", "WARN_BYTES", "parse_json",
           "task_incompatibility"]
