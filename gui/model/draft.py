"""The configuration being edited: one evented field per :data:`engine.spec.PARAMS` entry.

Why a draft rather than reading the controls back: the window, the file commands, lessons,
presets and Paste Setup all need "the configuration the user is editing", and the widgets are
only one view of it. Here each value lives once, checked by the spec; the control panel binds
its widgets to it both ways (a widget edit sets the draft, a draft change shows on the widget),
and everything else reads :meth:`Draft.to_config`. No Qt: the model is tested without a window
(``tests/test_draft.py``) and the no-Qt import test covers this module.

Rules kept here, because they are about the configuration and not about widgets:

- choosing another optimizer gives its hyperparameters that optimizer's own defaults (a value
  given in the same update wins);
- a field that does not apply to the chosen optimizer or loss, and an optimizer flag the
  optimizer has on by itself (the "nesterov" preset's), goes into the config as its default;
- a number is kept at the precision its control shows (``Param.decimals``; 12 decimals for a
  log-scale rate), so the draft and the control never disagree by a rounding;
- what the user typed stays even when it is invalid (hidden layers "0, 4"): :meth:`edit`
  keeps it with the spec's message, which :meth:`to_config` raises.

Events (:class:`gui.model.events.Event`, napari's pattern): ``changed(field, value)`` for any field,
and ``events.<field>(value)`` for one. An update assigns every value first and then emits one
event per changed field in spec order, so a listener always reads a consistent draft.
"""

from __future__ import annotations

import types

from engine import ConfigError, TrainingConfig, datasets, messages, optimizers, spec
from engine.config import task_incompatibility
from gui.model.events import Event

#: Decimals a log-scale rate control shows (``gui.controls.LogSpinBox``).
LOG_DECIMALS = 12
#: The schedule settings unused by a constant rate.
DECAY_FIELDS = ("decay_steps", "decay_rate", "decay_epochs")
OPTIMIZER_FIELDS = spec.optimizer_fields()


class Draft:
    """The configuration being edited.

    Parameters
    ----------
    values : dict, optional
        Starting values (checked); the spec's defaults otherwise.
    """

    def __init__(self, values=None):
        self._values = {param.name: param.default for param in spec.PARAMS}
        self._values.update(self._optimizer_defaults(self._values["optimizer"]))
        self._errors = {}
        self._tasks = {}
        self.changed = Event()
        self.events = types.SimpleNamespace(**{name: Event() for name in self._values})
        if values:
            self.update(values)

    # -- reading -----------------------------------------------------------------------------

    def __getitem__(self, name):
        spec.get(name)
        return self._values[name]

    def values(self):
        """Every field's value as edited (a copy)."""
        return dict(self._values)

    def error(self, name):
        """The spec's message for the invalid value :meth:`edit` kept in ``name``, or None."""
        return self._errors.get(name)

    def kwargs(self):
        """Keyword arguments for ``TrainingConfig``: the values a run uses.

        A field that does not apply to the chosen optimizer or loss, or an optimizer flag the
        optimizer has on by itself, gets its default (None or off): the config carries only
        what the run uses.
        """
        values = dict(self._values)
        probe = self._probe()
        for param in spec.PARAMS:
            if param.applies is not None and (not param.applies_here(probe)
                                              or self.locked(param.name)):
                values[param.name] = param.default
        return values

    def to_config(self):
        """The validated ``TrainingConfig`` of the draft.

        Raises
        ------
        ConfigError
            A value kept by :meth:`edit` is invalid (the spec's message), or the config is
            (the field, the value and what would be valid; a loss the dataset cannot train).
        """
        for param in spec.PARAMS:
            if param.name in self._errors:
                raise ConfigError(self._errors[param.name])
        return TrainingConfig(**self.kwargs()).validate()

    def applies(self, name):
        """True when field ``name`` is used by the chosen optimizer and loss."""
        return spec.get(name).applies_here(self._probe())

    def locked(self, name):
        """True for an optimizer flag the chosen optimizer has on by itself (it cannot be
        turned off: the "nesterov" preset's Nesterov momentum)."""
        if name not in OPTIMIZER_FIELDS:
            return False
        return optimizers.hyperparameters(self._values["optimizer"]).get(name) is True

    def enabled(self, name):
        """False for a setting the others make unused: the decay of a constant schedule, the
        base batch size without linear scaling, a flag the optimizer has on by itself, and
        the number of epochs of a run that trains until stopped."""
        if name in DECAY_FIELDS:
            return self._values["schedule"] != "constant"
        if name == "base_batch_size":
            return bool(self._values["linear_scaling"])
        if name == "epochs":
            return self._values["epochs"] is not None
        return not self.locked(name)

    # -- the dataset and the loss ------------------------------------------------------------

    def dataset_task(self, dataset):
        """The task of a dataset entry, read once per entry (a CSV file: once per
        :meth:`forget_dataset`). Raises the ConfigError that describing it raised."""
        if dataset not in self._tasks:
            try:
                self._tasks[dataset] = datasets.info(dataset).task
            except ConfigError as error:
                self._tasks[dataset] = error
        task = self._tasks[dataset]
        if isinstance(task, ConfigError):
            raise task
        return task

    def forget_dataset(self, dataset):
        """Describe ``dataset`` again when next asked (its file may have changed)."""
        self._tasks.pop(dataset, None)

    def incompatibility(self, dataset=None, loss=None):
        """Why ``dataset`` and ``loss`` (default: the draft's) cannot train together, or
        None."""
        dataset = self._values["dataset"] if dataset is None else dataset
        loss = self._values["loss"] if loss is None else loss
        if not dataset or not loss:
            return None
        try:
            return task_incompatibility(dataset, self.dataset_task(dataset), loss)
        except ValueError as error:
            return messages.of(error) or str(error)

    # -- changing ----------------------------------------------------------------------------

    def normal(self, name, value):
        """``value`` as field ``name`` holds it: checked by the spec, a loss alias by its
        canonical name, a number at its control's precision. ConfigError if invalid."""
        param = spec.get(name)
        value = param.check(value)
        if param.kind == "choice" and param.lookup is not None and value not in (
                param.valid_choices()):
            canonical = param.lookup(value)
            if isinstance(canonical, str):
                value = canonical
        if value is not None and param.widget in ("float", "log"):
            value = round(value, LOG_DECIMALS if param.widget == "log" else param.decimals)
            value = param.check(value)  # rounding may leave an open interval (0.995 -> 1.0)
        return value

    def set(self, name, value):
        """Set one field, checked by the spec (ConfigError, and nothing changes, if invalid)."""
        return self.update({name: value})

    def edit(self, name, value):
        """What the user typed into field ``name``: kept even when invalid, with the spec's
        message (:meth:`error`, raised by :meth:`to_config`). Returns the changed fields."""
        try:
            return self.set(name, value)
        except ConfigError as error:
            message = messages.of(error) or str(error)  # translated where it is shown
        changed = value != self._values[name] or self._errors.get(name) != message
        self._values[name] = value
        self._errors[name] = message
        if changed:
            self._emit([name])
            return [name]
        return []

    def update(self, values, reset_optimizer=False):
        """Set many fields at once, or none (every value is checked first).

        The optimizer comes first: choosing another one (or ``reset_optimizer``) gives its
        hyperparameters its own defaults, then the values given here; None for an optimizer
        hyperparameter keeps that default. Returns the changed fields, in spec order.
        """
        checked = {name: self.normal(name, value) for name, value in values.items()
                   if not (name in OPTIMIZER_FIELDS and value is None)}
        new = dict(self._values)
        optimizer = checked.get("optimizer", new["optimizer"])
        if reset_optimizer or optimizer != new["optimizer"]:
            new["optimizer"] = optimizer
            new.update(self._optimizer_defaults(optimizer))
        new.update(checked)
        changed = [name for name in new
                   if new[name] != self._values[name] or name in self._errors and name in checked]
        for name in checked:
            self._errors.pop(name, None)
        self._values = new
        self._emit(changed)
        return changed

    def apply(self, config):
        """Take a whole configuration (a ``TrainingConfig`` or its dict), or change nothing.

        Every field is checked first (reading no file); the optimizer's hyperparameters not
        given keep its defaults. ConfigError if any value is invalid.
        """
        if not isinstance(config, TrainingConfig):
            config = TrainingConfig.from_dict(config)
        config.validate_fields()
        return self.update({param.name: getattr(config, param.name) for param in spec.PARAMS},
                           reset_optimizer=True)

    # -- helpers -----------------------------------------------------------------------------

    def _emit(self, names):
        for name in names:
            value = self._values[name]
            getattr(self.events, name).emit(value)
            self.changed.emit(name, value)

    def _probe(self):
        return TrainingConfig(optimizer=self._values["optimizer"], loss=self._values["loss"])

    @staticmethod
    def _optimizer_defaults(optimizer):
        """The optimizer's own values of the hyperparameters that are config fields."""
        return {name: default for name, default in optimizers.hyperparameters(optimizer).items()
                if name in OPTIMIZER_FIELDS and default is not None}


__all__ = ["Draft", "DECAY_FIELDS", "LOG_DECIMALS", "OPTIMIZER_FIELDS"]
