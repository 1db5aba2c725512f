"""The parameter spec: every ``TrainingConfig`` field, declared once.

A :class:`Param` says everything the program knows about one field: its type, default, range
or choices, when a running trainer can take a change (``live``) and where it keeps the running
value (``held_by``, ``attribute``), which optimizers or losses it applies to, its glossary
entry, its group, section and control in the GUI, and a one-line help text.
Everything else is derived from :data:`PARAMS`:

- ``TrainingConfig``'s dataclass fields and its field checks (:func:`check`),
- the headless flags and ``--help`` (``main.build_parser``),
- the GUI's control panel (``gui/controls.py``: widget kind, range, step, decimals, visibility,
  section),
- the live-change rules (``trainer.LIVE_FIELDS`` = :func:`live_fields`) and where the trainer
  applies a change (:meth:`engine.trainer.Trainer.update`).

Choices and ``applies_to`` are callables reading the engine's registries, so a new loss,
dataset or optimizer hyperparameter needs no edit here (only a new *config field* does).

Ranges: one range per field, used by the config, the CLI and the GUI alike. The learning rate
is [1e-7, 1000]: below 1e-7 a float32 weight of size ~1 does not change at all (the update is
under half a unit in the last place) and the LR finder's suggestions reach ~1e-7; LARS scales
its rate by ``trust_coef`` (1e-3) times a norm ratio, so base rates of 10-30 are ordinary there,
and 1000 (the first wave's bound) keeps every divergence demonstration reachable. Seeds are
0..2**31-1, the range of the GUI's 32-bit spin box, so a seed valid in a file or flag is one the
panel can show.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Callable, Optional

from . import activations, datasets, losses, optimizers, schedules
from .errors import ConfigError
from .messages import Message
from .texts import QT_TRANSLATE_NOOP
from .model import DTYPES, INITIALIZERS

GROUPS = ("data", "model", "training")
#: The control panel's sections, in its order: the article's four terms first, always open.
SECTIONS = ("terms", "data", "model", "optimizer", "schedule", "regularisation")
LIVE_WHEN = ("next batch", "next epoch", "now")
#: Where a running trainer keeps a live field's value (see :attr:`Param.held_by`).
HOLDERS = ("trainer", "model", "optimizer")
WIDGETS = ("choice", "int", "float", "log", "layers", "bool")
#: Layer sizes and depth the model accepts.
MAX_UNITS = 4096
MAX_LAYERS = 10
SEED_MAX = 2**31 - 1  # the GUI's QSpinBox is 32-bit signed: one range for all three
EPOCHS_MAX = 1_000_000
CSV_PREFIX = "csv:"

# The messages of the field checks (engine.messages), marked for the GUI's catalogue.
MUST_BE = QT_TRANSLATE_NOOP("engine", "{name} must be {expected}, got {value}")
MUST_BE_KIND = QT_TRANSLATE_NOOP("engine", "{name} must be {expected}, got {value} ({kind})")
UNKNOWN_VALUE = QT_TRANSLATE_NOOP("engine", "{name} {value} is unknown; valid: {valid}")
NOT_FINITE = QT_TRANSLATE_NOOP("engine", "{name} must be a finite number, got {value}")
OUT_OF_RANGE = QT_TRANSLATE_NOOP("engine", "{name} must be in {range}, got {value}")
TOO_MANY_LAYERS = QT_TRANSLATE_NOOP("engine", "hidden_layers: at most {limit} hidden layers, got "
                                              "{count}")
NOT_A_LAYER = QT_TRANSLATE_NOOP("engine", "hidden_layers must be {expected}; {size} in {value} "
                                          "is not")
ONE_OF = QT_TRANSLATE_NOOP("engine", "one of {valid}")
A_TEXT = QT_TRANSLATE_NOOP("engine", "a text")
TRUE_OR_FALSE = QT_TRANSLATE_NOOP("engine", "true or false")
WHOLE_NUMBER = QT_TRANSLATE_NOOP("engine", "a whole number from {low} to {high}")
A_NUMBER_IN = QT_TRANSLATE_NOOP("engine", "a number in {interval}")
LAYER_LIST = QT_TRANSLATE_NOOP("engine", "a list of up to {count} layer sizes from {low} to "
                                         "{high}, such as [8, 8] or '8, 8'")
OR_NULL = QT_TRANSLATE_NOOP("engine", "{base}, or null ({meaning})")
#: What null means for the optional fields (their ``none_means``), and the JSON types named
#: in MUST_BE_KIND, as words in a message.
WORDS = (QT_TRANSLATE_NOOP("engine", "train until stopped"), QT_TRANSLATE_NOOP("engine", "use seed"),
         QT_TRANSLATE_NOOP("engine", "the dataset's default size"),
         QT_TRANSLATE_NOOP("engine", "the optimizer's Keras default"),
         QT_TRANSLATE_NOOP("engine", "use decay_steps"),
         QT_TRANSLATE_NOOP("engine", "the last column"),
         QT_TRANSLATE_NOOP("engine", "boolean"), QT_TRANSLATE_NOOP("engine", "whole number"),
         QT_TRANSLATE_NOOP("engine", "number"), QT_TRANSLATE_NOOP("engine", "text"),
         QT_TRANSLATE_NOOP("engine", "list"), QT_TRANSLATE_NOOP("engine", "object"))


@dataclass(frozen=True)
class Param:
    """One ``TrainingConfig`` field.

    Attributes
    ----------
    name : str
        The field name (the CLI flag is ``--`` + name with dashes).
    kind : str
        The value type: "choice" (a name), "text", "int", "float", "bool" or "layers" (a tuple
        of layer sizes).
    default : object
        The dataclass default.
    group : str
        "data", "model" or "training" (the GUI's group box and ``--help``'s order).
    help : str
        One line for ``--help``.
    widget : str or None
        The GUI control kind ("choice", "int", "float", "log", "layers", "bool"); None: no
        control (set by config file or flag only).
    object_name : str or None
        The control's Qt objectName (a contract: tests and users' scripts find the widget by it).
    minimum, maximum : float or None
        The range of a number, closed unless ``low_open`` / ``high_open``; for
        "layers", the range of one layer size.
    optional : bool
        None is a valid value; ``none_means`` says what it means.
    choices : callable or None
        ``() -> list of str``, the valid names (from the engine's registries).
    lookup : callable or None
        ``(str) -> object`` for names that are valid without being listed (aliases,
        ``csv:PATH``): raises the registry's own ConfigError for an unknown name.
    live : str or None
        When a running trainer applies a change: "next batch", "next epoch", "now"; None: the
        change needs a new model (Reset).
    held_by : str or None
        For a live field, where a running trainer keeps its value: "trainer" (an attribute
        of the :class:`~engine.trainer.Trainer`, set from the config when it is built),
        "model" or "optimizer"; a change is set there (as an int or float for those kinds).
    attribute : str or None
        The attribute's name there; default: ``name``.
    applies : str or None
        "optimizer" or "loss": ``applies_to()`` lists the optimizer or loss names this field
        is used by; a value other than the default elsewhere is an error.
    applies_to : callable or None
        ``() -> list of str`` (see ``applies``).
    step, decimals : float, int
        The GUI control's single step and shown decimals.
    glossary : str or None
        The key of the field's glossary entry (label and explanation); default: ``name``.
    section : str or None
        The control panel's section (:data:`SECTIONS`) for a control of the "training"
        group; default: "optimizer" for the optimizer's hyperparameters, else the group.
    none_means : str
        For optional fields: what None means, and the CLI word for it (``--epochs inf``).
    """

    name: str
    kind: str
    default: object
    group: str
    help: str
    widget: Optional[str] = None
    object_name: Optional[str] = None
    minimum: Optional[float] = None
    maximum: Optional[float] = None
    low_open: bool = False
    high_open: bool = False
    optional: bool = False
    choices: Optional[Callable[[], list]] = None
    lookup: Optional[Callable[[str], object]] = None
    live: Optional[str] = None
    applies: Optional[str] = None
    applies_to: Optional[Callable[[], list]] = None
    step: float = 1
    decimals: int = 0
    glossary: Optional[str] = None
    none_means: str = ""
    none_word: str = "none"
    held_by: Optional[str] = None
    attribute: Optional[str] = None
    section: Optional[str] = None

    def __post_init__(self):
        if self.section is None:
            object.__setattr__(self, "section",
                               "optimizer" if self.applies == "optimizer" else self.group)
        if self.widget is not None and self.section not in SECTIONS:
            raise ValueError(f"field {self.name!r} has a control but no panel section; give it "
                             f"section= one of {', '.join(SECTIONS)}")
        if (self.live is None) != (self.held_by is None) or (
                self.held_by is not None and self.held_by not in HOLDERS):
            raise ValueError(f"field {self.name!r}: a live field says where a running trainer "
                             f"holds it (held_by= one of {', '.join(HOLDERS)}), and only a live "
                             f"field does")

    @property
    def held_as(self):
        """The attribute a running trainer's :attr:`held_by` object keeps the value in."""
        return self.attribute or self.name

    @property
    def field(self):
        """The field name (the GUI's spec rows have always called it ``field``)."""
        return self.name

    @property
    def glossary_key(self):
        return self.glossary or self.name

    @property
    def annotation(self):
        """The dataclass annotation, as text."""
        base = {"choice": "str", "text": "str", "int": "int", "float": "float",
                "bool": "bool", "layers": "tuple"}[self.kind]
        return f"Optional[{base}]" if self.optional else base

    def valid_choices(self):
        return list(self.choices()) if self.choices is not None else []

    def check(self, value):
        """The value normalised (int, float, tuple), or ConfigError naming field and value.

        Checks this field alone, without reading any file.
        """
        if value is None:
            if self.optional:
                return None
            raise ConfigError(Message(MUST_BE, name=self.name, expected=self.expected(),
                                      value="null/None"))
        return _CHECKS[self.kind](self, value)

    def expected(self):
        """What a valid value is, as a phrase ("a whole number from 1 to 1000000")."""
        if self.kind == "choice":
            valid = ", ".join(self.valid_choices())
            text = Message(ONE_OF, valid=valid + " or 'csv:PATH'" if self.name == "dataset"
                           else valid)
        elif self.kind == "text":
            text = Message(A_TEXT)
        elif self.kind == "bool":
            text = Message(TRUE_OR_FALSE)
        elif self.kind == "int":
            text = Message(WHOLE_NUMBER, low=f"{self.minimum:.0f}", high=f"{self.maximum:.0f}")
        elif self.kind == "float":
            text = Message(A_NUMBER_IN, interval=self.interval())
        else:
            text = Message(LAYER_LIST, count=MAX_LAYERS, low=f"{self.minimum:.0f}",
                           high=f"{self.maximum:.0f}")
        if self.optional:
            text = Message(OR_NULL, base=text, meaning=Message(self.none_means))
        return text

    def interval(self):
        """The range of a number as text: "[0, 1)"."""
        low, high = "(" if self.low_open else "[", ")" if self.high_open else "]"
        return f"{low}{self.minimum:g}, {self.maximum:g}{high}"

    def applies_here(self, config, owners=None):
        """True if this field is used by ``config``'s optimizer or loss (or always used).

        ``owners``: the names :attr:`applies_to` gives, when the caller has them already.
        """
        if self.applies is None:
            return True
        owner = getattr(config, self.applies)
        if self.applies == "loss":
            try:
                owner = losses.canonical_name(owner)
            except ConfigError:
                return True  # the loss field's own check reports it
        return owner in (self.applies_to() if owners is None else owners)


def show(value):
    """A short, safe repr of a user's value for a one-line message."""
    if _is_int(value) and abs(value) >= 10**18:
        return f"a whole number of about {int(value.bit_length() * math.log10(2)) + 1} digits"
    try:
        text = repr(value)
    except (ValueError, RecursionError):
        return f"a {type(value).__name__}"
    return text if len(text) <= 60 else text[:57] + "..."


def _type_error(param, value):
    return ConfigError(Message(MUST_BE_KIND, name=param.name, expected=param.expected(),
                               value=show(value), kind=Message(_json_type(value))))


def _json_type(value):
    names = {bool: "boolean", int: "whole number", float: "number", str: "text",
             list: "list", tuple: "list", dict: "object"}
    return names.get(type(value), type(value).__name__)


def _is_int(value):
    # the plain type first: the abstract base class's check is slow, and a window checks
    # every lesson step's configuration (thousands of values)
    return type(value) is int or (isinstance(value, numbers.Integral)
                                  and not isinstance(value, bool))


def _is_real(value):
    return type(value) in (int, float) or (isinstance(value, numbers.Real)
                                           and not isinstance(value, bool))


def _check_choice(param, value):
    if not isinstance(value, str):
        raise _type_error(param, value)
    if value in param.valid_choices():
        return value
    if param.lookup is not None:
        param.lookup(value)
        return value
    raise ConfigError(Message(UNKNOWN_VALUE, name=param.name, value=show(value),
                              valid=", ".join(param.valid_choices())
                              + (" or csv:PATH" if param.name == "dataset" else "")))


def _check_text(param, value):
    if not isinstance(value, str):
        raise _type_error(param, value)
    return value


def _check_bool(param, value):
    if not isinstance(value, bool):
        raise _type_error(param, value)
    return value


def _check_int(param, value):
    if not _is_int(value):
        raise _type_error(param, value)
    if not param.minimum <= value <= param.maximum:
        raise ConfigError(Message(MUST_BE, name=param.name, expected=param.expected(),
                                  value=show(value)))
    return int(value)


def _check_float(param, value):
    if not _is_real(value):
        raise _type_error(param, value)
    number = float(value)
    if not math.isfinite(number):
        raise ConfigError(Message(NOT_FINITE, name=param.name, value=show(value)))
    if number < param.minimum or number > param.maximum or (
            param.low_open and number == param.minimum) or (
            param.high_open and number == param.maximum):
        raise ConfigError(Message(OUT_OF_RANGE, name=param.name, range=param.interval(),
                                  value=show(value)))
    return number


def _check_layers(param, value):
    if isinstance(value, str):
        from .config import parse_hidden_layers
        value = parse_hidden_layers(value)
    if not isinstance(value, (list, tuple)):
        raise _type_error(param, value)
    if len(value) > MAX_LAYERS:
        raise ConfigError(Message(TOO_MANY_LAYERS, limit=MAX_LAYERS, count=len(value)))
    for size in value:
        if not _is_int(size) or not param.minimum <= size <= param.maximum:
            raise ConfigError(Message(NOT_A_LAYER, expected=param.expected(), size=show(size),
                                      value=show(value)))
    return tuple(int(size) for size in value)


_CHECKS = {"choice": _check_choice, "text": _check_text, "bool": _check_bool,
           "int": _check_int, "float": _check_float, "layers": _check_layers}


# -- registries ---------------------------------------------------------------------------------

def _output_activations():
    return ["auto", *activations.names()]


def _csv_dataset(name):
    """Accept "csv:PATH" (the file is read later, by the dataset loader)."""
    if not (name.startswith(CSV_PREFIX) and name[len(CSV_PREFIX):].strip()):
        raise ConfigError(f"dataset {show(name)} is unknown; valid datasets are "
                          f"{', '.join(datasets.names())} or 'csv:PATH' for a CSV file")


def _optimizers_taking(hyperparameter):
    """``() -> names`` of the optimizers that take ``hyperparameter``."""
    def names():
        return [name for name in optimizers.names()
                if hyperparameter in optimizers.hyperparameters(name)]
    return names


def _losses_taking(option):
    """``() -> names`` of the losses that take ``option`` (from_logits, label_smoothing)."""
    def names():
        return [name for name in losses.names() if option in losses.options(name)]
    return names


def _optimizer_param(name, widget, minimum, maximum, step, decimals, help_text):
    return Param(name, "float", None, "training", help_text, widget,
                 _object_name(name, "Spin"), minimum, maximum, optional=True,
                 live="next batch", held_by="optimizer", applies="optimizer",
                 applies_to=_optimizers_taking(name),
                 step=step, decimals=decimals, none_means="the optimizer's Keras default")


def _flag_param(name, object_name, help_text):
    return Param(name, "bool", False, "training", help_text, "bool", object_name,
                 applies="optimizer", applies_to=_optimizers_taking(name))


def _object_name(name, suffix):
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest) + suffix


# -- the fields ---------------------------------------------------------------------------------

PARAMS = (
    # data
    Param("dataset", "choice", "circle", "data",
          "a built-in dataset", "choice", "datasetCombo",
          choices=datasets.names, lookup=_csv_dataset),
    Param("label_column", "text", None, "data",
          "name of the label column of a CSV dataset", optional=True,
          none_means="the last column"),
    Param("noise", "float", 0.1, "data",
          "label/feature noise of synthetic datasets", "float", "noiseSpin", 0.0, 1.0,
          step=0.05, decimals=2),
    Param("validation_split", "float", 0.2, "data",
          "fraction of the data held out for validation", "float", "validationSplitSpin",
          0.0, 0.9, step=0.05, decimals=2),
    Param("n_samples", "int", None, "data",
          "number of samples of a synthetic dataset", "int", "samplesSpin",
          *datasets.N_SAMPLES_RANGE, optional=True, step=50,
          none_means="the dataset's default size"),
    Param("data_seed", "int", None, "data",
          "random seed of the data and its split", "int", "dataSeedSpin", 0, SEED_MAX,
          optional=True, none_means="use seed"),
    # model
    Param("hidden_layers", "layers", (8, 8), "model",
          "hidden layer sizes, e.g. 16,16 (empty for none)", "layers", "hiddenLayersEdit",
          1, MAX_UNITS),
    Param("activation", "choice", "tanh", "model",
          "hidden-layer activation", "choice", "activationCombo", choices=activations.names),
    Param("output_activation", "choice", "auto", "model",
          "output activation; auto picks the one the loss implies", "choice",
          "outputActivationCombo", choices=_output_activations),
    Param("init", "choice", "glorot_uniform", "model",
          "kernel initialiser", "choice", "initCombo", choices=lambda: list(INITIALIZERS)),
    Param("dtype", "choice", "float64", "model",
          "floating-point type of weights and data", "choice", "dtypeCombo",
          choices=lambda: list(DTYPES)),
    Param("seed", "int", 0, "model",
          "random seed (data, initial weights, shuffling)", "int", "seedSpin", 0, SEED_MAX),
    Param("init_seed", "int", None, "model",
          "random seed of the initial weights", "int", "initSeedSpin", 0, SEED_MAX,
          optional=True, none_means="use seed"),
    # training: loss
    Param("loss", "choice", "binary_crossentropy", "training",
          "a Keras loss (or an alias such as mse, bce)", "choice", "lossCombo",
          choices=losses.names, lookup=losses.canonical_name, section="terms"),
    Param("from_logits", "bool", False, "training",
          "the loss takes raw scores (logits) and applies sigmoid/softmax itself", "bool",
          "fromLogitsCheck", applies="loss", applies_to=_losses_taking("from_logits"),
          section="model"),
    Param("label_smoothing", "float", 0.0, "training",
          "move the targets towards uniform by this fraction", "float", "labelSmoothingSpin",
          0.0, 1.0, high_open=True, step=0.05, decimals=2, applies="loss",
          applies_to=_losses_taking("label_smoothing"), section="regularisation"),
    # training: optimizer
    Param("optimizer", "choice", "sgd", "training",
          "the optimizer", "choice", "optimizerCombo", choices=optimizers.names,
          section="optimizer"),
    Param("learning_rate", "float", 0.3, "training",
          "base learning rate", "log", "learningRateSpin", 1e-7, 1000.0, live="next batch",
          held_by="trainer", attribute="base_learning_rate", section="terms"),
    _optimizer_param("momentum", "float", 0.0, 0.9999, 0.05, 4,
                     "momentum: fraction of the last update kept"),
    _optimizer_param("rho", "float", 0.0, 0.9999, 0.01, 4,
                     "RMSprop's decay of the squared-gradient average"),
    _optimizer_param("beta_1", "float", 0.0, 0.9999, 0.01, 4,
                     "decay of the first-moment (mean) estimate"),
    _optimizer_param("beta_2", "float", 0.0, 0.99999, 0.001, 5,
                     "decay of the second-moment (variance) estimate"),
    _optimizer_param("epsilon", "log", 1e-12, 1.0, 1, 0,
                     "small constant added to denominators"),
    _optimizer_param("weight_decay", "float", 0.0, 1.0, 0.0001, 5,
                     "decoupled weight decay (AdamW) or LARS's weight decay"),
    _optimizer_param("trust_coef", "log", 1e-6, 1.0, 1, 0,
                     "LARS's trust coefficient"),
    _flag_param("amsgrad", "amsgradCheck", "Adam's AMSGrad variant (maximum of past v)"),
    _flag_param("centered", "centeredCheck", "centered RMSprop (divides by the variance)"),
    _flag_param("nesterov", "nesterovCheck", "Nesterov momentum (look-ahead gradient)"),
    _flag_param("exclude_bias", "excludeBiasCheck",
                "LARS/Lamb: biases skip the trust ratio and weight decay"),
    # training: schedule
    Param("schedule", "choice", "constant", "training",
          "learning-rate schedule", "choice", "scheduleCombo", choices=schedules.names,
          section="schedule"),
    Param("decay_steps", "int", 1000, "training",
          "steps per decay period of the schedule", "int", "decayStepsSpin", 1, 10_000_000,
          step=100, section="schedule"),
    Param("decay_epochs", "float", None, "training",
          "decay period in epochs (wins over decay_steps)", "float", "decayEpochsSpin",
          0.0, 1e6, low_open=True, optional=True, step=1, decimals=2,
          none_means="use decay_steps", section="schedule"),
    Param("decay_rate", "float", 0.5, "training",
          "decay factor of the schedule", "float", "decayRateSpin", 0.0, 10.0, step=0.05,
          decimals=3, section="schedule"),
    Param("warmup_epochs", "float", 0.0, "training",
          "epochs of linear learning-rate warmup", "float", "warmupSpin", 0.0, 1000.0,
          step=0.5, decimals=2, section="schedule"),
    Param("linear_scaling", "bool", False, "training",
          "scale the learning rate by batch_size / base_batch_size (Goyal et al.)", "bool",
          "linearScalingCheck", section="schedule"),
    Param("base_batch_size", "int", 32, "training",
          "the batch size the base learning rate was tuned for", "int", "baseBatchSizeSpin",
          1, 1_000_000, section="schedule"),
    # training: batches and epochs
    Param("batch_size", "int", 16, "training",
          "samples per gradient step", "int", "batchSizeSpin", 1, 1_000_000,
          live="next epoch", held_by="trainer", section="terms"),
    Param("epochs", "int", 30, "training",
          "passes over the training data", "int", "epochsSpin", 1, EPOCHS_MAX,
          optional=True, live="now", none_means="train until stopped", none_word="inf",
          held_by="trainer", section="terms"),
    Param("l1", "float", 0.0, "training",
          "L1 kernel regularisation factor (Keras L1; with l2, L1L2)", "float", "l1Spin", 0.0,
          1.0, step=0.0001, decimals=5, live="next batch", held_by="model",
          section="regularisation"),
    Param("l2", "float", 0.0, "training",
          "L2 kernel regularisation factor", "float", "l2Spin", 0.0, 1.0, step=0.0001,
          decimals=5, live="next batch", held_by="model", section="regularisation"),
    Param("early_stopping_patience", "int", 0, "training",
          "stop after this many epochs without a better validation loss (0 = never)", "int",
          "patienceSpin", 0, 10_000, live="now", held_by="trainer", attribute="patience",
          section="regularisation"),
    Param("restore_best_weights", "bool", False, "training",
          "early stopping restores the best epoch's weights", "bool", "restoreBestCheck",
          section="regularisation"),
)

_BY_NAME = {param.name: param for param in PARAMS}


def get(name):
    """The :class:`Param` of field ``name`` (ConfigError naming the valid fields)."""
    try:
        return _BY_NAME[name]
    except (KeyError, TypeError):
        raise ConfigError(f"unknown configuration field {show(name)}; valid fields: "
                          f"{', '.join(_BY_NAME)}") from None


def names():
    """Field names in declaration order."""
    return list(_BY_NAME)


def live_fields():
    """``{field: when}`` for the fields a running trainer can change."""
    return {param.name: param.live for param in PARAMS if param.live}


def optimizer_fields():
    """The optimizer hyperparameters that are config fields (numbers and flags)."""
    return tuple(param.name for param in PARAMS if param.applies == "optimizer")


def loss_fields():
    """The loss options that are config fields."""
    return tuple(param.name for param in PARAMS if param.applies == "loss")


def controls():
    """The params that have a GUI control, in panel order."""
    return tuple(param for param in PARAMS if param.widget is not None)


__all__ = ["Param", "PARAMS", "GROUPS", "SECTIONS", "get", "names", "live_fields", "optimizer_fields",
           "loss_fields", "controls", "show"]
