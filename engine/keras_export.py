"""File > Export as Keras script…: the same run as a runnable Keras 3 program.

It is where a learner goes when they outgrow LossLab: Keras runs on GPUs and across machines.
:func:`keras_script` writes Python source that builds the same model (dense layers, hidden and
output activations, kernel initialiser, zero biases, L2 on the kernels), compiles it with the
same loss under its Keras 3 name and options, the same optimizer and hyperparameters, the same
schedule with LossLab's warm-up and linear scaling, and fits it with the same batch size,
epochs and early stopping.

:func:`write_keras_script` also writes ``NAME.npz`` beside the script with LossLab's initial
weights, which the script loads so Keras starts where LossLab starts (the first batch's loss is
then the same, up to rounding). Built-in data goes into the same .npz: the very
training/validation split LossLab trains on, the labels encoded as the loss needs them. A CSV
dataset is read by the script from its path instead (so the script follows the file, and the
data is not copied): it splits and standardises the rows by LossLab's rules (the seeded
permutation, ``round(n * validation_split)`` validation rows, each column scaled by its
largest training magnitude and then standardised with the training mean and deviation) and
encodes the labels the same way.

Keras 3 has no LARS, so an exported LARS run carries a small ``LARS`` optimizer class with
torchlars's rule (and ``exclude_bias``). LossLab's warm-up, ``lr * (step + 1) / warmup_steps``
for the first steps, is a small ``Warmup`` schedule wrapping Keras's own.
"""

from __future__ import annotations

import os
import pprint

import numpy as np

from . import datasets, losses
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

_CSV_LOADER = '''
# The CSV file, read as LossLab reads it (engine/datasets.py): the header names the columns,
# blank rows are skipped, the label column is LABEL_COLUMN (None: the last one).
CSV_PATH = {path!r}
LABEL_COLUMN = {label_column!r}
VALIDATION_SPLIT = {validation_split!r}
DATA_SEED = {data_seed!r}
N_SAMPLES = {n_samples!r}
LABEL_ENCODING = {encoding!r}  # 'onehot', 'sparse' (class ids), 'binary' or 'values' (n, 1)
N_CLASSES = {n_classes!r}
MAX_INTEGER_CLASSES = {max_classes!r}


def read_csv(path=CSV_PATH, label_column=LABEL_COLUMN):
    """Features (n, d) and labels (n,): class ids (sorted text, or whole numbers with at most
    MAX_INTEGER_CLASSES values, sorted), or the numbers themselves (regression, counts)."""
    import csv
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = [[cell.strip() for cell in row] for row in csv.reader(handle, strict=True)
                if any(cell.strip() for cell in row)]
    header, rows = rows[0], rows[1:]
    label = len(header) - 1 if label_column is None else header.index(label_column.strip())
    features = [i for i in range(len(header)) if i != label]
    x = np.array([[float(row[i]) for i in features] for row in rows], dtype=np.float64)
    cells = [row[label] for row in rows]
    try:
        values = np.array([float(cell) for cell in cells], dtype=np.float64)
    except ValueError:  # text labels: classes in sorted order
        names = {{name: i for i, name in enumerate(sorted(set(cells)))}}
        return x, np.array([names[cell] for cell in cells], dtype=np.int64)
    distinct = np.unique(values)
    if np.all(values == np.round(values)) and distinct.size <= MAX_INTEGER_CLASSES:
        return x, np.searchsorted(distinct, values).astype(np.int64)
    return x, values


def split(x, y):
    """LossLab's split: a seeded permutation, of which round(n * VALIDATION_SPLIT) rows
    validate and the rest train."""
    n_used = len(y) if N_SAMPLES is None else N_SAMPLES
    n_val = round(n_used * VALIDATION_SPLIT)
    order = np.random.default_rng(DATA_SEED).permutation(len(y))[:n_used]
    val, train = order[:n_val], order[n_val:]
    return x[train], y[train], x[val], y[val]


def standardise(x_train, x_val):
    """Each column over its largest training magnitude, then standardised with the training
    mean and deviation (a constant column is only centred)."""
    scale = np.abs(x_train).max(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    train, val = x_train / scale, x_val / scale
    mean, std = train.mean(axis=0), train.std(axis=0)
    constant = std <= 1e-12 * np.maximum(1.0 / scale, np.abs(mean))
    with np.errstate(divide="ignore", invalid="ignore"):
        train = np.where(constant, (train - mean) * scale, (train - mean) / std)
        val = np.where(constant, (val - mean) * scale, (val - mean) / std)
    return train, val


def encode(y, dtype):
    """Labels as the loss wants them, as LossLab encodes them."""
    if LABEL_ENCODING == "sparse":
        return y.astype(np.int64)
    if LABEL_ENCODING in ("binary", "values"):
        return y.astype(dtype)[:, None]
    return np.eye(N_CLASSES, dtype=dtype)[y.astype(int)]


def load_data():
    """LossLab's initial weights (the .npz beside this file) and the CSV file's split."""
    data = dict(np.load(os.path.join(HERE, {data_file!r})))
    x_train, y_train, x_val, y_val = split(*read_csv())
    x_train, x_val = standardise(x_train, x_val)
    dtype = np.dtype({dtype!r})
    data.update(x_train=np.ascontiguousarray(x_train, dtype=dtype),
                y_train=encode(y_train, dtype),
                x_val=np.ascontiguousarray(x_val, dtype=dtype), y_val=encode(y_val, dtype))
    return data
'''

_NPZ_LOADER = '''
def load_data():
    """LossLab's split, labels and initial weights (the .npz beside this file)."""
    return dict(np.load(os.path.join(HERE, {data_file!r})))
'''


def is_csv(config):
    """True when ``config`` trains on a CSV file (which the script reads from its path)."""
    return isinstance(config.dataset, str) and config.dataset.startswith(datasets.CSV_PREFIX)


def csv_file(config):
    """The absolute path of ``config``'s CSV file."""
    return str(datasets._csv_path(config.dataset).resolve())


def _loader_source(config, trainer, data_file):
    if not is_csv(config):
        return _NPZ_LOADER.format(data_file=data_file)
    return _CSV_LOADER.format(
        path=csv_file(config), label_column=config.label_column,
        validation_split=config.validation_split,
        data_seed=config.seed if config.data_seed is None else config.data_seed,
        n_samples=config.n_samples, encoding=trainer.encoding,
        n_classes=max(trainer.dataset.n_classes, 2), max_classes=datasets.MAX_INTEGER_CLASSES,
        data_file=data_file, dtype=config.dtype)


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


def _regularizer_source(config):
    """The Dense layers' ``kernel_regularizer`` argument: Keras ``L1``, ``L2`` or, with both
    factors set, ``L1L2`` (the same sum as LossLab's penalty); "" for none."""
    if config.l1 and config.l2:
        return f"kernel_regularizer=keras.regularizers.L1L2(l1={config.l1!r}, l2={config.l2!r})"
    if config.l1:
        return f"kernel_regularizer=keras.regularizers.L1({config.l1!r})"
    if config.l2:
        return f"kernel_regularizer=keras.regularizers.L2({config.l2!r})"
    return ""


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
    regularizer = _regularizer_source(config)
    hidden_l2 = f",\n{' ' * 37}{regularizer}" if regularizer else ""
    output_l2 = f",\n{' ' * 33}{regularizer}" if regularizer else ""
    callbacks = "[]"
    if config.early_stopping_patience:
        callbacks = (f"[keras.callbacks.EarlyStopping(\n{' ' * 25}monitor='val_loss', "
                     f"patience={config.early_stopping_patience}, "
                     f"restore_best_weights={bool(config.restore_best_weights)})]")
    metrics = "['accuracy']" if trainer.is_classification else "[]"
    settings = _literal(config.to_dict())
    loader = _loader_source(config, trainer, data_file)
    data_text = (f"The data is read from {csv_file(config)}, split and standardised as\n"
                 f"LossLab does; {data_file} (beside this file) holds LossLab's initial weights"
                 if is_csv(config) else
                 f"The data ({data_file}, beside this file) is LossLab's own split, labels "
                 f"encoded for the loss,\nand LossLab's initial weights")
    return f'''"""LossLab run exported as a Keras 3 script.

Dataset {config.dataset!r} ({trainer.task}), loss {loss_name}, optimizer {config.optimizer}, batch
size {trainer.batch_size}, {config.epochs if config.epochs is not None else "unlimited"} epochs.
{data_text}, so Keras starts where LossLab starts. Run: python THIS_FILE.py
"""

import os

import numpy as np

import keras

# The LossLab configuration this script was made from.
LOSSLAB_CONFIG = {settings}

BATCH_SIZE = {trainer.batch_size}
EPOCHS = {epochs}{epochs_note}
HERE = os.path.dirname(os.path.abspath(__file__))
{extras}{loader}

def build_model(data):
    if {config.dtype!r} == "float64" and keras.backend.backend() == "jax":
        import jax
        jax.config.update("jax_enable_x64", True)  # else JAX computes in float32
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
    """The arrays :func:`write_keras_script` saves: LossLab's initial weights, and for
    built-in data its split and encoded labels (a CSV file is read by the script itself).

    Returns
    -------
    dict of str to ndarray
    """
    from .trainer import Trainer

    trainer = Trainer(config)
    arrays = {} if is_csv(config) else {
        "x_train": trainer._x_train, "y_train": trainer._y_train,
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


__all__ = ["keras_script", "write_keras_script", "export_data", "is_csv"]
