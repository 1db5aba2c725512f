"""The 13 Keras losses, with Keras 3's exact maths and their gradients.

Each loss follows ``keras/src/losses/losses.py`` (and the NumPy backend's crossentropies in
``keras/src/backend/numpy/nn.py``): the same epsilon (1e-7), the same clipping, the same
reductions. Every loss is a per-sample quantity reduced by the mean over the last axis
(or a sum, where Keras sums) and then by the mean over the batch, Keras's default
``"sum_over_batch_size"`` reduction.

Shapes used throughout:

- ``y_pred`` : ndarray, shape (batch, k) -- the model's outputs (after its output activation,
  or logits when ``from_logits=True``).
- ``y_true`` : ndarray, shape (batch, k); for ``sparse_categorical_crossentropy`` integer class
  ids of shape (batch,) or (batch, 1).

Each loss also carries the facts the trainer and the GUI read from it (the GUI through this
module only): which tasks it suits, the label encoding it expects for each and the output
activation it implies; its one-line note (``summary``) and its formula for one sample
(``formula``), in English and marked for the catalogue (:mod:`engine.texts`); the predictions
where that formula is defined (``domain``, with ``needs`` saying it in words where an output
activation can leave it); and the built-in dataset a "Try it" sets it on when no lesson
shows it (``try_dataset``). A new loss is one class with these attributes, its maths (value,
gradient and Hessian-vector product per sample, :data:`HOOKS`) and ``@register``; the tests
check every registered loss's gradient and Hessian by finite differences with nothing added.
"""

from __future__ import annotations

import contextlib

import numpy as np

from .errors import ConfigError
from .messages import Message, join
from .texts import QT_TRANSLATE_NOOP

# The messages of its errors (engine.messages), marked for the GUI's catalogue.
UNFIT_ACTIVATION = QT_TRANSLATE_NOOP(
    "engine", "loss '{loss}' needs {needs}; output activation '{activation}' can produce values "
              "where it is undefined (NaN). Use one of: {valid}")
UNSUITED_TASK = QT_TRANSLATE_NOOP("engine", "loss '{loss}' does not suit a {task} task; it "
                                            "suits {suited}")
UNKNOWN_LOSS = QT_TRANSLATE_NOOP("engine", "loss {name} is unknown; valid losses: {valid} "
                                           "(aliases: {aliases})")

EPSILON = 1e-7

#: Task names shared with :mod:`engine.datasets`.
TASKS = ("binary", "multiclass", "regression", "counts")
CLASSIFICATION = frozenset({"binary", "multiclass"})


# ----------------------------------------------------------------------------------------------
# Numerically stable helpers
# ----------------------------------------------------------------------------------------------

def log_softmax(z):
    """``log(softmax(z))`` along the last axis, shifted by the row maximum."""
    shifted = z - z.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def _in_clip_range(x, low, high):
    """Where the derivative of ``clip(x, low, high)`` is 1 rather than 0."""
    return (x >= low) & (x <= high)


# ----------------------------------------------------------------------------------------------
# Registry (filled by ``@register`` below, in the order of the reference text)
# ----------------------------------------------------------------------------------------------

_REGISTRY = {}
_ALIASES = {
    "mse": "mean_squared_error", "mae": "mean_absolute_error",
    "mape": "mean_absolute_percentage_error", "msle": "mean_squared_logarithmic_error",
    "bce": "binary_crossentropy", "kld": "kullback_leibler_divergence",
    "kl_divergence": "kullback_leibler_divergence", "cosine_similarity": "cosine_proximity",
    "KLD": "kullback_leibler_divergence", "MSE": "mean_squared_error",
    "MAE": "mean_absolute_error", "MAPE": "mean_absolute_percentage_error",
    "MSLE": "mean_squared_logarithmic_error",
}


#: The maths every registered loss defines (see :class:`Loss`).
HOOKS = ("_per_sample", "_gradient_sum", "_hessian_vector_sum")


def register(cls):
    """Class decorator: make loss ``cls`` known by its ``name`` and its class name.

    A class missing one of :data:`HOOKS` is refused (TypeError naming them): the trainer
    needs the gradient and the instruments the Hessian-vector product of every loss.
    """
    missing = [hook for hook in HOOKS if not callable(getattr(cls, hook, None))]
    if missing:
        raise TypeError(f"loss class {cls.__name__} ({cls.name!r}) cannot be registered: it "
                        f"defines no {', '.join(missing)}")
    _REGISTRY[cls.name] = cls
    _ALIASES[cls.__name__] = cls.name
    return cls


# ----------------------------------------------------------------------------------------------
# Base class
# ----------------------------------------------------------------------------------------------

class Loss:
    """A Keras loss: value per sample, mean over the batch, and the gradient of that mean.

    Subclasses implement ``_per_sample(y_true, y_pred)``, ``_gradient_sum(y_true, y_pred)``,
    the gradient of the *sum* of the per-sample values, and ``_hessian_vector_sum(y_true,
    y_pred, vector)``, that sum's Hessian with respect to ``y_pred`` (block diagonal, one
    (k, k) block per sample) times ``vector``; pieces linear in ``y_pred`` (absolute errors,
    hinges, clipping) contribute their derivative almost everywhere, 0 at a kink. The base
    class validates inputs and divides by the batch size exactly once.

    Attributes
    ----------
    name : str
        The canonical name, as the reference text lists it (Keras 2 spelling).
    keras_name : str
        The Keras 3 function name.
    tasks : frozenset of str
        The dataset tasks this loss suits.
    summary : str
        One line saying what the loss does (English; the GUI translates it).
    formula : str
        The loss of one sample: y the target, ŷ the prediction, ε = 1e-7.
    domain : tuple of float
        ``(low, high)``: the single-output predictions ``ŷ`` the formula is defined for (a
        probability, a rate, or any number); the labels it reads are :meth:`encoding`'s.
    needs : str or None
        What the predictions must be, in words, for losses whose ``output_activations`` are
        restricted (the reason :meth:`unfit_activation` gives).
    try_dataset : str
        The built-in dataset whose suggested settings a "Try it" swaps this loss into when no
        lesson step uses it (it suits the dataset's task and learns there).
    """

    name = ""
    keras_name = ""
    tasks = frozenset()
    #: encoding and output activation per task (the "auto" choice)
    _encodings: dict = {}
    _activations: dict = {}
    #: decision threshold for single-column (binary-encoded) predictions
    decision_threshold = 0.5
    #: output activations whose values the formula can take (None: any); others give NaN
    output_activations = None
    summary = ""
    formula = ""
    domain = (-np.inf, np.inf)
    needs = None
    try_dataset = ""

    def __init__(self, **kwargs):
        if kwargs:
            raise ConfigError(
                f"loss '{self.name}' takes no option {sorted(kwargs)!r}; "
                f"valid options: {sorted(self._option_names()) or 'none'}"
            )

    @classmethod
    def _option_names(cls):
        return ()

    # -- metadata ------------------------------------------------------------------------------

    def encoding(self, task):
        """Label encoding this loss expects for a dataset of the given task.

        Returns ``"binary"`` (one column of 0/1), ``"onehot"``, ``"sparse"`` (integer class
        ids) or ``"values"`` (one float column).
        """
        self._check_task(task)
        return self._encodings[task]

    def output_activation(self, task):
        """The output activation implied by this loss for ``task`` (``"auto"``)."""
        self._check_task(task)
        return self._activations[task]

    def unfit_activation(self, activation):
        """``None`` if ``activation``'s outputs suit this loss, else a sentence saying why."""
        if self.output_activations is None or activation in self.output_activations:
            return None
        return Message(UNFIT_ACTIVATION, loss=self.name, needs=Message(self.needs),
                       activation=activation, valid=", ".join(self.output_activations))

    def _check_y_pred(self, y_pred):
        """Loss-specific checks of finite predictions (the domain of the formula)."""

    def _check_task(self, task):
        if task not in TASKS:
            raise ConfigError(f"task {task!r} is unknown; valid tasks: {', '.join(TASKS)}")
        if task not in self.tasks:
            raise ConfigError(Message(
                UNSUITED_TASK, loss=self.name, task=Message(task),
                suited=join(*(Message(t) for t in TASKS if t in self.tasks), separator=", ")))

    # -- public maths --------------------------------------------------------------------------

    def __call__(self, y_true, y_pred):
        """Mean loss over the batch (Keras's ``sum_over_batch_size``), as a float."""
        y_true, y_pred = self._validate(y_true, y_pred)
        return float(self._per_sample(y_true, y_pred).mean())

    def per_sample(self, y_true, y_pred, validate=True):
        """Loss of each sample, ndarray of shape (batch,).

        ``validate=False`` skips the input checks; the trainer uses it on labels it encoded
        itself (for the sparse loss: integer class ids of shape (batch,)).
        """
        if validate:
            y_true, y_pred = self._validate(y_true, y_pred)
        return self._per_sample(y_true, y_pred)

    def gradient(self, y_true, y_pred):
        """Gradient of the mean loss with respect to ``y_pred``, shaped like ``y_pred``."""
        y_true, y_pred = self._validate(y_true, y_pred)
        return self._gradient_sum(y_true, y_pred) / y_pred.shape[0]

    def hessian_vector(self, y_true, y_pred, vector, validate=True):
        """Hessian of the mean loss with respect to ``y_pred`` times ``vector`` (shaped like
        ``y_pred``): the derivative of :meth:`gradient` along ``vector``.

        ``validate=False`` skips the input checks, as in :meth:`per_sample`.
        """
        if validate:
            y_true, y_pred = self._validate(y_true, y_pred)
            vector = np.asarray(vector, dtype=y_pred.dtype)
            if vector.ndim == 1:
                vector = vector[:, None]
            if vector.shape != y_pred.shape:
                raise ConfigError(f"{self.name}: vector shape {vector.shape} does not match "
                                  f"y_pred shape {y_pred.shape}")
        return self._hessian_vector_sum(y_true, y_pred, vector) / y_pred.shape[0]

    def value_and_gradient(self, y_true, y_pred, validate=True):
        """``(mean loss, gradient of the mean)`` in one pass.

        The trainer calls this once per batch with ``validate=False``: its labels were checked
        when the dataset was encoded, and a non-finite loss is caught as divergence.
        """
        if validate:
            y_true, y_pred = self._validate(y_true, y_pred)
        total, gradient = self._value_and_gradient_sum(y_true, y_pred)
        batch = y_pred.shape[0]
        gradient /= batch
        return total / batch, gradient

    def _value_and_gradient_sum(self, y_true, y_pred):
        """(sum of per-sample losses, gradient of that sum); subclasses may fuse the two."""
        return float(self._per_sample(y_true, y_pred).sum()), self._gradient_sum(y_true, y_pred)

    # -- input checks --------------------------------------------------------------------------

    def _validate(self, y_true, y_pred):
        y_pred = np.asarray(y_pred)
        if y_pred.dtype.kind != "f":
            y_pred = y_pred.astype(np.float64)
        if y_pred.ndim == 1:
            y_pred = y_pred[:, None]
        if y_pred.ndim != 2 or y_pred.shape[0] == 0:
            raise ConfigError(
                f"{self.name}: y_pred must have shape (batch, k) with batch >= 1; "
                f"got shape {np.shape(y_pred)}"
            )
        y_true = self._validate_true(np.asarray(y_true), y_pred)
        if not np.all(np.isfinite(y_pred)):
            raise ValueError(f"{self.name}: y_pred contains NaN or infinite values")
        self._check_y_pred(y_pred)
        if not np.all(np.isfinite(y_true)):
            raise ValueError(f"{self.name}: y_true contains NaN or infinite values")
        return y_true, y_pred

    def _validate_true(self, y_true, y_pred):
        y_true = y_true.astype(y_pred.dtype, copy=False)
        if y_true.ndim == 1:
            y_true = y_true[:, None]
        if y_true.shape != y_pred.shape:
            raise ConfigError(
                f"{self.name}: y_true shape {y_true.shape} does not match y_pred shape "
                f"{y_pred.shape}"
            )
        return y_true

    def __repr__(self):
        return f"<loss {self.name}>"


def _classification_and(extra=(), *, binary="binary", multiclass="onehot",
                        binary_act=None, multi_act="softmax", extra_act="linear"):
    """Encodings and activations tables for a loss that suits classification (+ ``extra``).

    A binary task with one output column defaults to a sigmoid; with one-hot or sparse labels
    it has two outputs and takes the multi-class activation.
    """
    if binary_act is None:
        binary_act = "sigmoid" if binary == "binary" else multi_act
    encodings = {"binary": binary, "multiclass": multiclass}
    activations = {"binary": binary_act, "multiclass": multi_act}
    for task in extra:
        encodings[task] = "values"
        activations[task] = extra_act
    return frozenset(encodings), encodings, activations


# ----------------------------------------------------------------------------------------------
# Regression-style losses
# ----------------------------------------------------------------------------------------------

@register
class MeanSquaredError(Loss):
    """``mean((y_true - y_pred)**2, axis=-1)``."""

    name, keras_name = "mean_squared_error", "mean_squared_error"
    tasks, _encodings, _activations = _classification_and(("regression", "counts"))
    summary = QT_TRANSLATE_NOOP("engine", "Mean of squared errors; large errors weigh a lot. "
                                "The default for regression.")
    formula = QT_TRANSLATE_NOOP("engine", "mean over outputs of (y − ŷ)²")
    try_dataset = "sine"

    def _per_sample(self, y_true, y_pred):
        return np.square(y_pred - y_true).mean(axis=-1)

    def _gradient_sum(self, y_true, y_pred):
        return (2.0 / y_pred.shape[1]) * (y_pred - y_true)

    def _hessian_vector_sum(self, y_true, y_pred, vector):
        return (2.0 / y_pred.shape[1]) * vector


@register
class MeanAbsoluteError(Loss):
    """``mean(abs(y_true - y_pred), axis=-1)``; gradient ``sign(y_pred - y_true) / k``."""

    name, keras_name = "mean_absolute_error", "mean_absolute_error"
    tasks, _encodings, _activations = _classification_and(("regression", "counts"))
    summary = QT_TRANSLATE_NOOP("engine", "Mean of absolute errors; less sensitive to outliers "
                                "than squared error.")
    formula = QT_TRANSLATE_NOOP("engine", "mean over outputs of |y − ŷ|")
    try_dataset = "plane"  # a regression: the mean of |error|

    def _per_sample(self, y_true, y_pred):
        return np.abs(y_pred - y_true).mean(axis=-1)

    def _gradient_sum(self, y_true, y_pred):
        return np.sign(y_pred - y_true) / y_pred.shape[1]

    def _hessian_vector_sum(self, y_true, y_pred, vector):
        return np.zeros_like(vector)  # piecewise linear in y_pred


@register
class MeanAbsolutePercentageError(Loss):
    """``100 * mean(abs((y_true - y_pred) / max(abs(y_true), eps)), axis=-1)``.

    A zero target divides by ``eps = 1e-7``, so a 0/1 label of 0 gives huge values, as in Keras.
    """

    name, keras_name = "mean_absolute_percentage_error", "mean_absolute_percentage_error"
    tasks, _encodings, _activations = _classification_and(("regression", "counts"))
    summary = QT_TRANSLATE_NOOP("engine", "Absolute error as a percentage of the true value; "
                                "explodes near zero targets.")
    formula = "100 · |y − ŷ| / max(|y|, ε)"
    try_dataset = "counts"  # targets >= 0; zeros show its blow-up

    def _per_sample(self, y_true, y_pred):
        scale = np.maximum(np.abs(y_true), EPSILON)
        return 100.0 * np.abs((y_true - y_pred) / scale).mean(axis=-1)

    def _gradient_sum(self, y_true, y_pred):
        scale = np.maximum(np.abs(y_true), EPSILON)
        return (100.0 / y_pred.shape[1]) * np.sign(y_pred - y_true) / scale

    def _hessian_vector_sum(self, y_true, y_pred, vector):
        return np.zeros_like(vector)  # piecewise linear in y_pred


@register
class MeanSquaredLogarithmicError(Loss):
    """``mean((log(max(y_pred, eps) + 1) - log(max(y_true, eps) + 1))**2, axis=-1)``.

    Negative inputs are clamped at ``eps``, so their gradient is 0.
    """

    name, keras_name = "mean_squared_logarithmic_error", "mean_squared_logarithmic_error"
    tasks, _encodings, _activations = _classification_and(("counts",), extra_act="softplus")
    summary = QT_TRANSLATE_NOOP("engine", "Squared error of log(1 + value); cares about "
                                "ratios, not absolute sizes.")
    formula = "(log(1 + max(ŷ, ε)) − log(1 + max(y, ε)))²"
    try_dataset = "counts"  # ratios of non-negative counts

    def _per_sample(self, y_true, y_pred):
        diff = np.log1p(np.maximum(y_pred, EPSILON)) - np.log1p(np.maximum(y_true, EPSILON))
        return np.square(diff).mean(axis=-1)

    def _gradient_sum(self, y_true, y_pred):
        clamped = np.maximum(y_pred, EPSILON)
        diff = np.log1p(clamped) - np.log1p(np.maximum(y_true, EPSILON))
        return (2.0 / y_pred.shape[1]) * diff / (clamped + 1.0) * (y_pred >= EPSILON)

    def _hessian_vector_sum(self, y_true, y_pred, vector):
        diff = np.log1p(np.maximum(y_pred, EPSILON)) - np.log1p(np.maximum(y_true, EPSILON))
        return ((2.0 / y_pred.shape[1]) * (1.0 - diff) / (y_pred + 1.0) ** 2
                * (y_pred >= EPSILON) * vector)


# ----------------------------------------------------------------------------------------------
# Margin losses
# ----------------------------------------------------------------------------------------------

def _hinge_labels(y_true):
    """Keras's ``convert_binary_labels_to_hinge``: 0/1 -> -1/+1 only when every label is 0 or 1."""
    if np.all((y_true == 0) | (y_true == 1)):
        return 2.0 * y_true - 1.0
    return y_true


@register
class SquaredHinge(Loss):
    """``mean(max(1 - y_true * y_pred, 0)**2, axis=-1)`` with labels in {-1, +1} (0/1 converted)."""

    name, keras_name = "squared_hinge", "squared_hinge"
    tasks, _encodings, _activations = _classification_and(binary_act="linear",
                                                          multi_act="linear")
    decision_threshold = 0.0
    summary = QT_TRANSLATE_NOOP("engine", "Hinge loss squared: a smoother margin penalty "
                                "(labels become -1/+1).")
    formula = "max(0, 1 − t·ŷ)²,  t = 2y − 1"
    try_dataset = "circle"

    def _per_sample(self, y_true, y_pred):
        margin = np.maximum(1.0 - _hinge_labels(y_true) * y_pred, 0.0)
        return np.square(margin).mean(axis=-1)

    def _gradient_sum(self, y_true, y_pred):
        signed = _hinge_labels(y_true)
        margin = np.maximum(1.0 - signed * y_pred, 0.0)
        return (-2.0 / y_pred.shape[1]) * margin * signed

    def _hessian_vector_sum(self, y_true, y_pred, vector):
        signed = _hinge_labels(y_true)
        return (2.0 / y_pred.shape[1]) * signed ** 2 * ((1.0 - signed * y_pred) > 0) * vector


@register
class Hinge(Loss):
    """``mean(max(1 - y_true * y_pred, 0), axis=-1)`` with labels in {-1, +1} (0/1 converted)."""

    name, keras_name = "hinge", "hinge"
    tasks, _encodings, _activations = _classification_and(binary_act="linear",
                                                          multi_act="linear")
    decision_threshold = 0.0
    summary = QT_TRANSLATE_NOOP("engine", "SVM-style margin loss: zero once a point is on the "
                                "right side by a margin.")
    formula = "max(0, 1 − t·ŷ),  t = 2y − 1 ∈ {−1, +1}"
    try_dataset = "circle"

    def _per_sample(self, y_true, y_pred):
        return np.maximum(1.0 - _hinge_labels(y_true) * y_pred, 0.0).mean(axis=-1)

    def _gradient_sum(self, y_true, y_pred):
        signed = _hinge_labels(y_true)
        return -(signed * ((1.0 - signed * y_pred) > 0)) / y_pred.shape[1]

    def _hessian_vector_sum(self, y_true, y_pred, vector):
        return np.zeros_like(vector)  # piecewise linear in y_pred


@register
class CategoricalHinge(Loss):
    """``max(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0)`` per sample (one-hot)."""

    name, keras_name = "categorical_hinge", "categorical_hinge"
    tasks, _encodings, _activations = _classification_and(binary="onehot", binary_act="linear",
                                                          multi_act="linear")
    summary = QT_TRANSLATE_NOOP("engine", "Multi-class hinge: the true class must beat the "
                                "best wrong class by 1.")
    formula = "max(0, 1 + maxᵢ≠ₖ ŷᵢ − ŷₖ)"
    try_dataset = "blobs"  # three classes

    def _per_sample(self, y_true, y_pred):
        positive = (y_true * y_pred).sum(axis=-1)
        negative = ((1.0 - y_true) * y_pred).max(axis=-1)
        return np.maximum(negative - positive + 1.0, 0.0)

    def _gradient_sum(self, y_true, y_pred):
        rival = (1.0 - y_true) * y_pred
        winner = rival.argmax(axis=-1)
        active = (self._per_sample(y_true, y_pred) > 0)[:, None]
        grad = -y_true.copy()
        rows = np.arange(y_pred.shape[0])
        grad[rows, winner] += 1.0 - y_true[rows, winner]
        return grad * active

    def _hessian_vector_sum(self, y_true, y_pred, vector):
        return np.zeros_like(vector)  # piecewise linear in y_pred


# ----------------------------------------------------------------------------------------------
# Crossentropies
# ----------------------------------------------------------------------------------------------

class _Crossentropy(Loss):
    """Shared options of the crossentropies: ``from_logits`` and (where Keras has it)
    ``label_smoothing``."""

    _smoothing = False

    def __init__(self, from_logits=False, label_smoothing=0.0, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(from_logits, (bool, np.bool_)):
            raise ConfigError(f"{self.name}: from_logits must be True or False, got {from_logits!r}")
        self.from_logits = bool(from_logits)
        label_smoothing = float(label_smoothing)
        if label_smoothing and not self._smoothing:
            raise ConfigError(f"{self.name} takes no label_smoothing (Keras has none for it)")
        if not 0.0 <= label_smoothing <= 1.0:
            raise ConfigError(
                f"{self.name}: label_smoothing must be in [0, 1], got {label_smoothing}"
            )
        self.label_smoothing = label_smoothing

    @classmethod
    def _option_names(cls):
        return ("from_logits", "label_smoothing") if cls._smoothing else ("from_logits",)

    def output_activation(self, task):
        """With ``from_logits=True`` the model's raw outputs are the logits: ``"linear"``."""
        activation = super().output_activation(task)
        return "linear" if self.from_logits else activation

    def unfit_activation(self, activation):
        return None if self.from_logits else super().unfit_activation(activation)

    def __repr__(self):
        return f"<loss {self.name} from_logits={self.from_logits}>"


@register
class CategoricalCrossentropy(_Crossentropy):
    """``-sum(y_true * log(p), axis=-1)`` over one-hot (or soft) labels.

    With probabilities, ``p = clip(y_pred / sum(y_pred), eps, 1 - eps)`` (Keras renormalises
    then clips); with ``from_logits=True``, ``log p = log_softmax(y_pred)``. Label smoothing
    replaces ``y_true`` by ``y_true * (1 - ls) + ls / k``.
    """

    name, keras_name = "categorical_crossentropy", "categorical_crossentropy"
    tasks, _encodings, _activations = _classification_and(binary="onehot")
    _smoothing = True
    summary = QT_TRANSLATE_NOOP("engine", "Crossentropy with one-hot labels and softmax "
                                "outputs; the multi-class default.")
    formula = QT_TRANSLATE_NOOP("engine", "−Σᵢ yᵢ·log ŷᵢ,  ŷ divided by Σ ŷ, clipped to "
                                         "[ε, 1−ε]")
    domain = (0.0, 1.0)
    try_dataset = "digits"
    output_activations = ("softmax", "sigmoid", "softplus", "exponential")
    needs = QT_TRANSLATE_NOOP("engine", "non-negative predictions with a positive sum per "
                              "sample")

    def _check_y_pred(self, y_pred):
        if self.from_logits:
            return
        if np.any(y_pred < 0) or np.any(y_pred.sum(axis=-1) <= 0):
            raise ValueError(f"{self.name}: y_pred must be probabilities (non-negative, with a "
                             f"positive sum per row); use from_logits=True for raw scores")

    def _smooth(self, y_true, k):
        if self.label_smoothing:
            return y_true * (1.0 - self.label_smoothing) + self.label_smoothing / k
        return y_true

    def _per_sample(self, y_true, y_pred):
        y_true = self._smooth(y_true, y_pred.shape[1])
        if self.from_logits:
            return -(y_true * log_softmax(y_pred)).sum(axis=-1)
        probabilities = y_pred / y_pred.sum(axis=-1, keepdims=True)
        return -(y_true * np.log(np.clip(probabilities, EPSILON, 1.0 - EPSILON))).sum(axis=-1)

    def _value_and_gradient_sum(self, y_true, y_pred):
        if not self.from_logits:
            return super()._value_and_gradient_sum(y_true, y_pred)
        # one softmax for both: log p = z - max - log(sum exp); gradient p * sum(y) - y
        y_true = self._smooth(y_true, y_pred.shape[1])
        shifted = y_pred - y_pred.max(axis=-1, keepdims=True)
        exps = np.exp(shifted)
        sums = exps.sum(axis=-1, keepdims=True)
        label_mass = y_true.sum(axis=-1, keepdims=True)
        total = np.dot(np.log(sums).ravel(), label_mass.ravel()) - np.dot(
            shifted.ravel(), y_true.ravel())
        exps *= label_mass / sums
        exps -= y_true
        return float(total), exps

    def _gradient_sum(self, y_true, y_pred):
        if self.from_logits:
            return self._value_and_gradient_sum(y_true, y_pred)[1]
        y_true = self._smooth(y_true, y_pred.shape[1])
        total = y_pred.sum(axis=-1, keepdims=True)
        probabilities = y_pred / total
        d_probabilities = -y_true / np.clip(probabilities, EPSILON, 1.0 - EPSILON)
        d_probabilities *= _in_clip_range(probabilities, EPSILON, 1.0 - EPSILON)
        # through q = p / sum(p): dL/dp_i = (dL/dq_i - sum_j dL/dq_j q_j) / sum(p)
        projected = (d_probabilities * probabilities).sum(axis=-1, keepdims=True)
        return (d_probabilities - projected) / total

    def _hessian_vector_sum(self, y_true, y_pred, vector):
        y_true = self._smooth(y_true, y_pred.shape[1])
        if self.from_logits:  # H = m (diag p - p p^T), m the label mass of the row
            shifted = y_pred - y_pred.max(axis=1, keepdims=True)
            p = np.exp(shifted)
            p /= p.sum(axis=1, keepdims=True)
            mass = y_true.sum(axis=1, keepdims=True)
            return mass * p * (vector - (p * vector).sum(axis=1, keepdims=True))
        # -sum_{i inside the clip} y_i (log a_i - log S), S = sum(a)
        total = y_pred.sum(axis=1, keepdims=True)
        q = y_pred / total
        y_in = y_true * _in_clip_range(q, EPSILON, 1.0 - EPSILON)
        return y_in * vector / y_pred ** 2 - y_in.sum(axis=1, keepdims=True) * vector.sum(
            axis=1, keepdims=True) / total ** 2


@register
class SparseCategoricalCrossentropy(CategoricalCrossentropy):
    """Categorical crossentropy with integer class ids as ``y_true``, shape (batch,) or (batch, 1).

    Keras 3 has no label smoothing for it.
    """

    name, keras_name = "sparse_categorical_crossentropy", "sparse_categorical_crossentropy"
    tasks, _encodings, _activations = _classification_and(binary="sparse", multiclass="sparse")
    _smoothing = False
    summary = QT_TRANSLATE_NOOP("engine", "Same as categorical crossentropy, with labels as "
                                "integers instead of one-hot.")
    formula = QT_TRANSLATE_NOOP("engine", "−log ŷₖ,  k the integer label (the same value "
                                         "as categorical_crossentropy)")
    domain = (0.0, 1.0)
    try_dataset = "blobs"

    def _validate_true(self, y_true, y_pred):
        if y_true.ndim == 2 and y_true.shape[1] == 1:
            y_true = y_true[:, 0]
        if y_true.ndim != 1 or y_true.shape[0] != y_pred.shape[0]:
            raise ConfigError(
                f"{self.name}: y_true must be integer class ids of shape ({y_pred.shape[0]},) "
                f"or ({y_pred.shape[0]}, 1); got shape {y_true.shape}"
            )
        if y_true.dtype.kind == "f":
            if not np.all(np.isfinite(y_true)):
                raise ValueError(f"{self.name}: y_true contains NaN or infinite values")
            if np.any(y_true != np.round(y_true)):
                raise ConfigError(f"{self.name}: y_true must hold integer class ids, got "
                                  f"{y_true[y_true != np.round(y_true)][0]!r}")
        elif y_true.dtype.kind not in "iub":
            raise ConfigError(f"{self.name}: y_true must hold integer class ids, got dtype "
                              f"{y_true.dtype}")
        ids = y_true.astype(np.int64)
        k = y_pred.shape[1]
        bad = (ids < 0) | (ids >= k)
        if np.any(bad):
            raise ConfigError(
                f"{self.name}: class id {ids[bad][0]} is out of range for {k} outputs "
                f"(valid ids 0..{k - 1})"
            )
        return ids

    # The formulas of the categorical loss with a one-hot y_true, where only the true class's
    # term is not zero: that term is read by index, so no (batch, k) label array is built.

    def _per_sample(self, ids, y_pred):
        rows = np.arange(ids.shape[0])
        if self.from_logits:
            shifted = y_pred - y_pred.max(axis=-1, keepdims=True)
            return np.log(np.exp(shifted).sum(axis=-1)) - shifted[rows, ids]
        true_probability = y_pred[rows, ids] / y_pred.sum(axis=-1)
        return -np.log(np.clip(true_probability, EPSILON, 1.0 - EPSILON))

    def _value_and_gradient_sum(self, ids, y_pred):
        if not self.from_logits:
            return float(self._per_sample(ids, y_pred).sum()), self._gradient_sum(ids, y_pred)
        # softmax - onehot, and log(sum exp) - z_true, from one softmax
        rows = np.arange(ids.shape[0])
        shifted = y_pred - y_pred.max(axis=-1, keepdims=True)
        exps = np.exp(shifted)
        sums = exps.sum(axis=-1, keepdims=True)
        total = float(np.log(sums).sum() - shifted[rows, ids].sum())
        exps *= 1.0 / sums  # as the one-hot form's label_mass / sums: the same bits
        exps[rows, ids] -= 1.0
        return total, exps

    def _gradient_sum(self, ids, y_pred):
        if self.from_logits:
            return self._value_and_gradient_sum(ids, y_pred)[1]
        rows = np.arange(ids.shape[0])
        total = y_pred.sum(axis=-1, keepdims=True)
        true_probability = y_pred[rows, ids] / total[:, 0]
        # dL/dq_true = -1 / clip(q_true) inside the clip range, 0 outside; other classes 0
        inside = _in_clip_range(true_probability, EPSILON, 1.0 - EPSILON)
        d_true = np.where(inside, -1.0 / np.clip(true_probability, EPSILON, 1.0 - EPSILON),
                          0.0).astype(y_pred.dtype, copy=False)
        # through q = p / sum(p): dL/dp_i = (dL/dq_i - dL/dq_true q_true) / sum(p)
        gradient = np.broadcast_to((-d_true * true_probability)[:, None], y_pred.shape).copy()
        gradient[rows, ids] += d_true
        return gradient / total

    def _hessian_vector_sum(self, ids, y_pred, vector):
        one_hot = np.eye(y_pred.shape[1], dtype=y_pred.dtype)[ids]
        return super()._hessian_vector_sum(one_hot, y_pred, vector)


@register
class BinaryCrossentropy(_Crossentropy):
    """``-mean(y log p + (1 - y) log(1 - p), axis=-1)`` with ``p = clip(y_pred, eps, 1 - eps)``.

    With ``from_logits=True`` the stable form ``max(z, 0) - z y + log(1 + exp(-|z|))`` is used.
    Label smoothing replaces ``y_true`` by ``y_true * (1 - ls) + 0.5 * ls``.
    """

    name, keras_name = "binary_crossentropy", "binary_crossentropy"
    tasks, _encodings, _activations = _classification_and(multi_act="sigmoid")
    _smoothing = True
    summary = QT_TRANSLATE_NOOP("engine", "Crossentropy for two classes with one sigmoid "
                                "output; the binary default.")
    formula = QT_TRANSLATE_NOOP("engine", "−[y·log ŷ + (1−y)·log(1−ŷ)],  ŷ clipped to [ε, 1−ε]")
    domain = (0.0, 1.0)
    try_dataset = "circle"

    def _smooth(self, y_true):
        if self.label_smoothing:
            return y_true * (1.0 - self.label_smoothing) + 0.5 * self.label_smoothing
        return y_true

    def _per_sample(self, y_true, y_pred):
        y_true = self._smooth(y_true)
        if self.from_logits:
            z = y_pred
            values = np.maximum(z, 0.0) - z * y_true + np.log1p(np.exp(-np.abs(z)))
        else:
            p = np.clip(y_pred, EPSILON, 1.0 - EPSILON)
            values = -(y_true * np.log(p) + (1.0 - y_true) * np.log(1.0 - p))
        return values.mean(axis=-1)

    def _value_and_gradient_sum(self, y_true, y_pred):
        if not self.from_logits:
            return super()._value_and_gradient_sum(y_true, y_pred)
        # the trainer's hot path: softplus(z) - z y summed, and sigmoid(z) - y as
        # 0.5 tanh(z / 2) + 0.5 - y, exact and finite for any z
        y_true = self._smooth(y_true)
        k = y_pred.shape[1]
        total = (np.logaddexp(0.0, y_pred).sum() - np.dot(y_pred.ravel(), y_true.ravel())) / k
        gradient = np.multiply(y_pred, 0.5)
        np.tanh(gradient, out=gradient)
        gradient *= 0.5 / k
        gradient += 0.5 / k
        gradient -= y_true / k if k > 1 else y_true
        return float(total), gradient

    def _gradient_sum(self, y_true, y_pred):
        if self.from_logits:
            return self._value_and_gradient_sum(y_true, y_pred)[1]
        y_true = self._smooth(y_true)
        k = y_pred.shape[1]
        p = np.clip(y_pred, EPSILON, 1.0 - EPSILON)
        grad = (p - y_true) / (p * (1.0 - p))
        return grad * _in_clip_range(y_pred, EPSILON, 1.0 - EPSILON) / k

    def _hessian_vector_sum(self, y_true, y_pred, vector):
        y_true = self._smooth(y_true)
        k = y_pred.shape[1]
        if self.from_logits:
            p = 0.5 * np.tanh(0.5 * y_pred) + 0.5
            return p * (1.0 - p) * vector / k
        p = np.clip(y_pred, EPSILON, 1.0 - EPSILON)
        inside = _in_clip_range(y_pred, EPSILON, 1.0 - EPSILON)
        return inside * (y_true / p ** 2 + (1.0 - y_true) / (1.0 - p) ** 2) * vector / k


@register
class KLDivergence(Loss):
    """``sum(t * log(t / p), axis=-1)`` with ``t = clip(y_true, eps, 1)``, ``p = clip(y_pred, eps, 1)``."""

    name, keras_name = "kullback_leibler_divergence", "kl_divergence"
    tasks, _encodings, _activations = _classification_and(binary="onehot")
    summary = QT_TRANSLATE_NOOP("engine", "How much information is lost using the predicted "
                                "distribution for the true one.")
    formula = QT_TRANSLATE_NOOP("engine", "Σᵢ yᵢ·log(yᵢ / ŷᵢ),  both clipped to [ε, 1]")
    domain = (0.0, 1.0)
    try_dataset = "blobs"  # a distribution over three classes

    def _per_sample(self, y_true, y_pred):
        t = np.clip(y_true, EPSILON, 1.0)
        p = np.clip(y_pred, EPSILON, 1.0)
        return (t * np.log(t / p)).sum(axis=-1)

    def _gradient_sum(self, y_true, y_pred):
        t = np.clip(y_true, EPSILON, 1.0)
        p = np.clip(y_pred, EPSILON, 1.0)
        return -t / p * _in_clip_range(y_pred, EPSILON, 1.0)

    def _hessian_vector_sum(self, y_true, y_pred, vector):
        t = np.clip(y_true, EPSILON, 1.0)
        return _in_clip_range(y_pred, EPSILON, 1.0) * t / np.clip(y_pred, EPSILON, 1.0) ** 2 \
            * vector


@register
class Poisson(Loss):
    """``mean(y_pred - y_true * log(y_pred + eps), axis=-1)``: negative log-likelihood of counts."""

    name, keras_name = "poisson", "poisson"
    tasks, _encodings, _activations = _classification_and(("counts",), extra_act="softplus")
    summary = QT_TRANSLATE_NOOP("engine", "For counts: the negative log-likelihood of a "
                                "Poisson distribution.")
    formula = QT_TRANSLATE_NOOP("engine", "mean over outputs of ŷ − y·log(ŷ + ε)")
    domain = (0.0, np.inf)
    try_dataset = "counts"  # counts: the suggested settings use it
    output_activations = ("softplus", "exponential", "sigmoid", "softmax", "relu")
    needs = QT_TRANSLATE_NOOP("engine", "non-negative predictions (a rate)")

    def _check_y_pred(self, y_pred):
        if np.any(y_pred < 0):
            raise ValueError(f"{self.name}: y_pred must be non-negative rates; got "
                             f"{y_pred[y_pred < 0][0]!r}")

    def _per_sample(self, y_true, y_pred):
        return (y_pred - y_true * np.log(y_pred + EPSILON)).mean(axis=-1)

    def _gradient_sum(self, y_true, y_pred):
        return (1.0 - y_true / (y_pred + EPSILON)) / y_pred.shape[1]

    def _hessian_vector_sum(self, y_true, y_pred, vector):
        return y_true / (y_pred + EPSILON) ** 2 * vector / y_pred.shape[1]


@register
class CosineSimilarity(Loss):
    """``-sum(l2_normalize(y_true) * l2_normalize(y_pred), axis=-1)``.

    ``l2_normalize(x) = x / max(||x||, eps)`` (Keras 3 ``ops.normalize``), so an all-zero vector
    gives 0. The loss is -1 for a perfect match and +1 for opposite directions.
    """

    name, keras_name = "cosine_proximity", "cosine_similarity"
    tasks, _encodings, _activations = _classification_and(binary="onehot", binary_act="linear",
                                                          multi_act="linear")
    summary = QT_TRANSLATE_NOOP("engine", "Minus the cosine similarity of prediction and "
                                "target (-1 = same direction).")
    formula = "−(y·ŷ) / (‖y‖·‖ŷ‖)"
    try_dataset = "blobs"  # the direction of the one-hot row

    @staticmethod
    def _norm(x):
        return np.maximum(np.sqrt(np.square(x).sum(axis=-1, keepdims=True)), EPSILON)

    def _per_sample(self, y_true, y_pred):
        return -((y_true / self._norm(y_true)) * (y_pred / self._norm(y_pred))).sum(axis=-1)

    def _gradient_sum(self, y_true, y_pred):
        unit_true = y_true / self._norm(y_true)
        norm = self._norm(y_pred)
        unit_pred = y_pred / norm
        # d(-t.p/|p|)/dp = -(t - (t.p̂) p̂) / |p| where |p| > eps; -t / eps where it is clamped
        along = (unit_true * unit_pred).sum(axis=-1, keepdims=True)
        clamped = norm <= EPSILON
        return np.where(clamped, -unit_true / EPSILON, -(unit_true - along * unit_pred) / norm)

    def _hessian_vector_sum(self, y_true, y_pred, vector):
        # f = -t.a/|a|: H u = (c w + (w.t) â) / r + (t - c â)(â.u) / r^2, with r = |a|,
        # â = a / r, c = â.t, w = (u - â (â.u)) / r; 0 where |a| is clamped at eps
        t = y_true / self._norm(y_true)
        r = np.sqrt((y_pred * y_pred).sum(axis=1, keepdims=True))
        safe = np.maximum(r, EPSILON)
        unit = y_pred / safe
        along = (unit * vector).sum(axis=1, keepdims=True)
        c = (unit * t).sum(axis=1, keepdims=True)
        w = (vector - unit * along) / safe
        result = (c * w + (w * t).sum(axis=1, keepdims=True) * unit) / safe + (
            t - c * unit) * along / safe ** 2
        return np.where(r > EPSILON, result, 0.0)


# ----------------------------------------------------------------------------------------------
# Looking losses up
# ----------------------------------------------------------------------------------------------

def names():
    """The canonical loss names (the 13 of the reference text, in its order)."""
    return list(_REGISTRY)


def canonical_name(name):
    """The canonical name for ``name`` or any of its aliases; ConfigError if unknown."""
    if name in _REGISTRY:
        return name
    if name in _ALIASES:
        return _ALIASES[name]
    raise ConfigError(Message(UNKNOWN_LOSS, name=repr(name), valid=", ".join(names()),
                              aliases=", ".join(sorted(_ALIASES))))


@contextlib.contextmanager
def restoring_registry():
    """A block after which the registry is as it was before: a loss registered inside (a
    test's throwaway) is forgotten at its end, with its aliases."""
    registry, aliases = dict(_REGISTRY), dict(_ALIASES)
    try:
        yield
    finally:
        _REGISTRY.clear()
        _REGISTRY.update(registry)
        _ALIASES.clear()
        _ALIASES.update(aliases)


def options(name):
    """The keyword options loss ``name`` (or an alias) takes, e.g. ``("from_logits",)``."""
    return tuple(_REGISTRY[canonical_name(name)]._option_names())


def get(name, **kwargs):
    """Build a loss by canonical name or alias.

    Parameters
    ----------
    name : str
        e.g. ``"binary_crossentropy"``, ``"bce"`` or ``"BinaryCrossentropy"``.
    **kwargs
        ``from_logits`` (the three crossentropies), ``label_smoothing`` (binary and categorical
        crossentropy).
    """
    if not isinstance(name, str):
        raise ConfigError(f"loss must be a name (str), got {name!r}")
    return _REGISTRY[canonical_name(name)](**kwargs)
