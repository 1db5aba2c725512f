"""File > Export as Keras script…: the same run as a runnable Keras 3 program.

It is where a learner goes when they outgrow LossLab: Keras runs on GPUs and across machines.
:func:`keras_script` writes Python source that builds the same model (dense layers, hidden and
output activations, kernel initialiser, zero biases, L2 on the kernels), compiles it with the
same loss under its Keras 3 name and options, the same optimizer and hyperparameters, the same
schedule with LossLab's warm-up and linear scaling, and fits it with the same batch size,
epochs and early stopping.

:func:`write_keras_script` also writes the data beside the script as ``NAME.npz``: the very
training/validation split LossLab trains on (built-in sets are generated or read, CSV files are
read, split and standardised by LossLab's rules), the labels encoded as the loss needs them, and
LossLab's initial weights, which the script loads so Keras starts where LossLab starts (the
first batch's loss is then the same, up to rounding).

Keras 3 has no LARS, so an exported LARS run carries a small ``LARS`` optimizer class with
torchlars's rule (and ``exclude_bias``). LossLab's warm-up, ``lr * (step + 1) / warmup_steps``
for the first steps, is a small ``Warmup`` schedule wrapping Keras's own.
"""

from __future__ import annotations

import os
import pprint

import numpy as np

from . import losses
from .atomic import atomic_write, write_text

_OPTIMIZERS = {"sgd": "SGD", "momentum": "SGD", "nesterov": "SGD", "rmsprop": "RMSprop",
               "adam": "Adam", "adamw": "AdamW", "adagrad": "Adagrad", "lamb": "Lamb",
               "lars": "LARS"}
_SCHEDULES = {
    "exponential": "keras.optimizers.schedules.ExponentialDecay({lr}, {steps}, {rate})",
    "step": "keras.optimizers.schedules.ExponentialDecay({lr}, {steps}, {rate}, staircase=True)",
    "inverse_time": "keras.optimizers.schedules.InverseTimeDecay({lr}, {steps}, {rate})",
    "cosine": "keras.optimizers.schedules.CosineDecay({lr}, {steps})",
}

_WARMUP = '''
class Warmup(keras.optimizers.schedules.LearningRateSchedule):
    """LossLab's warm-up: lr * (step + 1) / warmup_steps, then ``after`` from step 0."""

    def __init__(self, learning_rate, warmup_steps, after):
        self.learning_rate, self.warmup_steps, self.after = learning_rate, warmup_steps, after

    def __call__(self, step):
        step = keras.ops.cast(step, keras.config.floatx())
        ramp = self.learning_rate * (step + 1.0) / self.warmup_steps
        later = self.after(step - self.warmup_steps) if callable(self.after) else self.after
        return keras.ops.where(step < self.warmup_steps, ramp, later)
'''

_LARS = '''
class LARS(keras.optimizers.Optimizer):
    """LARS as torchlars: per variable, trust = trust_coef * ||w|| / (||g|| + wd * ||w|| + eps)
    (1 if a norm is 0), g' = (g + wd * w) * trust, buf = momentum * buf + g', w -= lr * buf.
    exclude_bias: 1-D variables (biases) get trust 1 and no weight decay."""

    def __init__(self, learning_rate=0.01, momentum=0.9, lars_weight_decay=0.0,
                 trust_coef=0.001, eps=1e-8, exclude_bias=False, **kwargs):
        super().__init__(learning_rate=learning_rate, name="lars", **kwargs)
        self.momentum, self.lars_weight_decay = momentum, lars_weight_decay
        self.trust_coef, self.eps, self.exclude_bias = trust_coef, eps, exclude_bias

    def build(self, variables):
        super().build(variables)
        self.buffers = [self.add_variable_from_reference(v, "momentum_buffer")
                        for v in variables]

    def update_step(self, gradient, variable, learning_rate):
        ops = keras.ops
        decay = self.lars_weight_decay
        if self.exclude_bias and len(variable.shape) == 1:
            trust, decay = 1.0, 0.0
        else:
            w_norm, g_norm = ops.norm(ops.ravel(variable)), ops.norm(ops.ravel(gradient))
            trust = ops.where(ops.logical_and(w_norm > 0, g_norm > 0),
                              self.trust_coef * w_norm / (g_norm + decay * w_norm + self.eps),
                              1.0)
        buffer = self.buffers[self._get_variable_index(variable)]
        self.assign(buffer, self.momentum * buffer + (gradient + decay * variable) * trust)
        self.assign_sub(variable, learning_rate * buffer)
'''


def _literal(value):
    return pprint.pformat(value, width=80)


def _optimizer_source(config, learning_rate_name):
    """The optimizer constructor call (and the extra class it needs, if any)."""
    name = config.optimizer
    kwargs = {key: value for key, value in config.optimizer_kwargs().items()
              if value is not None}
    if name == "momentum":
        kwargs.setdefault("momentum", 0.9)
    if name == "nesterov":
        kwargs.setdefault("momentum", 0.9)
        kwargs["nesterov"] = True
    extra = ""
    if name == "lars":
        extra = _LARS
        if "weight_decay" in kwargs:
            kwargs["lars_weight_decay"] = kwargs.pop("weight_decay")
        if "epsilon" in kwargs:
            kwargs["eps"] = kwargs.pop("epsilon")
        if config.exclude_bias:
            kwargs["exclude_bias"] = True
        prefix = ""
    else:
        prefix = "keras.optimizers."
        kwargs.pop("exclude_bias", None)
        if name == "lamb" and config.exclude_bias:
            extra = ("\n# LossLab's exclude_bias (Lamb biases at ratio 1) has no Keras "
                     "equivalent; Keras's Lamb adapts every variable.\n")
    arguments = "".join(f", {key}={value!r}" for key, value in sorted(kwargs.items()))
    return f"{prefix}{_OPTIMIZERS[name]}(learning_rate={learning_rate_name}{arguments})", extra


def _loss_source(config):
    loss = losses.get(config.loss)
    options = {}
    for option in ("from_logits", "label_smoothing"):
        value = getattr(config, option, None)
        if value and option in loss._option_names():
            options[option] = value
    arguments = ", ".join(f"{key}={value!r}" for key, value in options.items())
    class_name = "".join(part.capitalize() for part in loss.keras_name.split("_"))
    class_name = {"KlDivergence": "KLDivergence", "CosineSimilarity": "CosineSimilarity"}.get(
        class_name, class_name)
    return (f"keras.losses.{class_name}({arguments})" if arguments
            else repr(loss.keras_name)), loss.keras_name


def keras_script(config, data_file="data.npz"):
    """Python source of a Keras 3 program that trains ``config`` as LossLab does.

    Parameters
    ----------
    config : TrainingConfig
    data_file : str
        The .npz the script loads, relative to the script's folder (see
        :func:`write_keras_script`).

    Returns
    -------
    str
    """
    from .trainer import Trainer

    config.validate()
    trainer = Trainer(config)
    steps_per_epoch = trainer.steps_per_epoch
    learning_rate = config.learning_rate
    scale = ""
    if config.linear_scaling:
        scale = (f"\n    # the linear scaling rule: lr * batch_size / base_batch_size\n"
                 f"    learning_rate = learning_rate * BATCH_SIZE / {config.base_batch_size}")
    decay_steps = (max(1, round(config.decay_epochs * steps_per_epoch))
                   if config.decay_epochs is not None else config.decay_steps)
    warmup_steps = int(round(config.warmup_epochs * steps_per_epoch))
    schedule = "learning_rate"
    if config.schedule != "constant":
        schedule = _SCHEDULES[config.schedule].format(lr="learning_rate", steps=decay_steps,
                                                      rate=config.decay_rate)
    extras = ""
    if warmup_steps:
        extras += _WARMUP
        schedule = f"Warmup(learning_rate, {warmup_steps}, {schedule})"
    optimizer, optimizer_extra = _optimizer_source(config, "schedule")
    extras += optimizer_extra
    loss_source, loss_name = _loss_source(config)
    epochs = config.epochs if config.epochs is not None else 10 ** 6
    epochs_note = "" if config.epochs is not None else "  # LossLab: until stopped"
    l2 = f"kernel_regularizer=keras.regularizers.L2({config.l2!r})"
    hidden_l2 = f",\n{' ' * 37}{l2}" if config.l2 else ""
    output_l2 = f",\n{' ' * 33}{l2}" if config.l2 else ""
    callbacks = "[]"
    if config.early_stopping_patience:
        callbacks = (f"[keras.callbacks.EarlyStopping(\n{' ' * 25}monitor='val_loss', "
                     f"patience={config.early_stopping_patience}, "
                     f"restore_best_weights={bool(config.restore_best_weights)})]")
    metrics = "['accuracy']" if trainer.is_classification else "[]"
    settings = _literal(config.to_dict())
    return f'''"""LossLab run exported as a Keras 3 script.

Dataset {config.dataset!r} ({trainer.task}), loss {loss_name}, optimizer {config.optimizer}, batch
size {trainer.batch_size}, {config.epochs if config.epochs is not None else "unlimited"} epochs.
The data ({data_file}, beside this file) is LossLab's own split, labels encoded for the loss,
and LossLab's initial weights, so Keras starts where LossLab starts. Run: python THIS_FILE.py
"""

import os

import numpy as np

import keras

# The LossLab configuration this script was made from.
LOSSLAB_CONFIG = {settings}

BATCH_SIZE = {trainer.batch_size}
EPOCHS = {epochs}{epochs_note}
HERE = os.path.dirname(os.path.abspath(__file__))
{extras}

def load_data():
    data = np.load(os.path.join(HERE, {data_file!r}))
    return data


def build_model(data):
    keras.config.set_floatx({config.dtype!r})
    keras.utils.set_random_seed({config.seed if config.init_seed is None else config.init_seed})
    model = keras.Sequential([keras.Input(shape=({trainer.model.layer_sizes[0]},))])
    for width in {list(config.hidden_layers)!r}:
        model.add(keras.layers.Dense(width, activation={config.activation!r},
                                     kernel_initializer={config.init!r}{hidden_l2}))
    model.add(keras.layers.Dense({trainer.model.layer_sizes[-1]},
                                 activation={trainer.output_activation!r},
                                 kernel_initializer={config.init!r}{output_l2}))
    # LossLab's initial weights: kernel, bias of each layer in turn
    model.set_weights([data[f"weight_{{i}}"] for i in range(int(data["n_weights"]))])
    return model


def main():
    data = load_data()
    model = build_model(data)
    learning_rate = {learning_rate!r}{scale}
    schedule = {schedule}
    model.compile(optimizer={optimizer},
                  loss={loss_source}, metrics={metrics})
    return model.fit(data["x_train"], data["y_train"], batch_size=BATCH_SIZE, epochs=EPOCHS,
                     validation_data=(data["x_val"], data["y_val"]), shuffle=True,
                     callbacks={callbacks})


if __name__ == "__main__":
    main()
'''


def export_data(config):
    """The arrays :func:`write_keras_script` saves: LossLab's split, encoded labels, weights.

    Returns
    -------
    dict of str to ndarray
    """
    from .trainer import Trainer

    trainer = Trainer(config)
    arrays = {"x_train": trainer._x_train, "y_train": trainer._y_train,
              "x_val": trainer._x_val, "y_val": trainer._y_val}
    model = trainer.model
    weights = []
    for kernel, bias in zip(model.kernels, model.biases):
        weights += [kernel, bias]
    arrays.update({f"weight_{i}": w for i, w in enumerate(weights)})
    arrays["n_weights"] = np.array(len(weights))
    return arrays


def write_keras_script(config, path):
    """Write the script to ``path`` and its data to ``path`` with ``.npz`` (both atomically).

    Returns
    -------
    tuple of str
        The script's and the data file's paths.
    """
    base, _ = os.path.splitext(os.path.abspath(path))
    data_path = base + ".npz"
    source = keras_script(config, data_file=os.path.basename(data_path))
    with atomic_write(data_path, "wb") as handle:
        np.savez(handle, **export_data(config))
    write_text(path, source)
    return str(path), data_path


__all__ = ["keras_script", "write_keras_script", "export_data"]
