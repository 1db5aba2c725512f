"""Datasets: seeded synthetic sets, two small real sets and the user's CSV files.

Every dataset is returned already split into a training and a validation part, with its task
("binary", "multiclass", "regression" or "counts"), its class names and a one-sentence
description, so the trainer can pick the label encoding from the loss and the GUI can say what
the learner is looking at.

Synthetic sets (generated with ``np.random.default_rng(seed)``, nothing stored):

=======  ==========  ========  ============================================  ======
name     task        features  what it is                                    points
=======  ==========  ========  ============================================  ======
circle   binary      2         inner disc (class 1) inside a ring (class 0)  500
xor      binary      2         class 1 where x1 and x2 have the same sign    500
gauss    binary      2         two Gaussian clouds                           500
spiral   binary      2         two interleaved spiral arms (1 turn each)     600
moons    binary      2         two interleaving half circles                 500
blobs    multiclass  2         three Gaussian clouds                         450
spiral3  multiclass  2         three interleaved spiral arms (1 turn each)   600
sine     regression  1         y = sin(x), x in [-pi, pi]                    300
plane    regression  2         y = 0.6*x1 - 0.4*x2 + 0.2, x in [-1, 1]^2     400
counts   counts      2         y ~ Poisson(exp(0.5 + 0.8*x1 - 0.6*x2))       500
=======  ==========  ========  ============================================  ======

The 2-D sets span about [-1, 1] (moons [-1.5, 1.5] x [-0.75, 0.75], the spirals [-2, 2]);
they are not standardised.
``noise`` (0 to 1) sets the standard deviation of added Gaussian jitter: ``noise * radius / 2``
on each feature of a 2-D classification set (radius 1, spirals 2), ``noise / 2`` on the targets
of ``sine`` and ``plane`` and on the log-rate of ``counts`` (over-dispersion; ``counts`` targets
stay Poisson-random at ``noise=0``). ``noise=0`` gives clean data; the default 0.1 keeps every
classification set learnable to well over 95 % (spiral over 90 %) by a small tanh network.
Classes are balanced (sizes differ by at most one).

Real sets, read from ``engine/data/`` (see its README for origin and licence): ``iris``
(150 x 4, 3 classes) and ``digits`` (1797 8x8 images as 64 features with values 0..16,
10 classes). ``noise`` does not apply to them; ``n_samples`` takes a seeded random subset.

``csv:PATH`` loads a user's CSV file; see :func:`load` for its rules.

Splitting: the rows are shuffled with the seed and ``round(n * validation_split)`` of them
become the validation set. Features of the real and CSV sets are standardised with the mean and
standard deviation of the training rows only (a zero standard deviation is replaced by 1).
"""

from __future__ import annotations

import csv
import gzip
import itertools
import logging
import math
import numbers
import operator
import os
import threading
import time
from collections import Counter, OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

import numpy as np

from engine.errors import ConfigError
from engine.messages import Message
from engine.texts import QT_TRANSLATE_NOOP

# The messages of a CSV file's errors (engine.messages), marked for the GUI's catalogue.
FILE_NOT_FOUND = QT_TRANSLATE_NOOP("engine", "{where}: file {path} not found")
NOT_A_FILE = QT_TRANSLATE_NOOP("engine", "{where}: {path} is not a file")
EMPTY_FILE = QT_TRANSLATE_NOOP("engine", "{where}: file {path} is empty; it needs a header row "
                                         "and data")
NO_DATA_ROWS = QT_TRANSLATE_NOOP("engine", "{where}: file {path} has a header but no data rows")
BAD_CELL = QT_TRANSLATE_NOOP("engine", "{where}: line {line}, column {column}: {problem}")
MISSING_VALUE = QT_TRANSLATE_NOOP("engine", "is empty (missing value)")
NOT_A_NUMBER = QT_TRANSLATE_NOOP("engine", "{cell} is not a number")

__all__ = ["Dataset", "DatasetInfo", "Preset", "names", "info", "preset", "load", "read_rows"]

DATA_DIR = Path(__file__).resolve().parent / "data"

#: Valid range of ``noise``.
NOISE_RANGE = (0.0, 1.0)
#: Valid range of ``validation_split``.
VALIDATION_SPLIT_RANGE = (0.0, 0.9)
#: Smallest and largest ``n_samples`` for synthetic sets.
N_SAMPLES_RANGE = (10, 1_000_000)
#: Integer CSV labels with at most this many distinct values are classes.
MAX_INTEGER_CLASSES = 20
#: Largest standardised feature magnitude accepted: far beyond any real data (a value 1e6
#: standard deviations out), and small enough that float32 training stays finite.
MAX_STANDARDISED = 1e6
#: Largest regression or count target magnitude accepted (targets are not rescaled): the
#: squared error of a float32 network stays far from overflow (3.4e38) below it.
MAX_TARGET = 1e15
#: How many parsed CSV file versions :func:`info` and :func:`load` keep.
CSV_CACHE_SIZE = 8
#: Minimum standard deviation (in grey levels, 0..16) used to standardise a digits pixel, so a
#: pixel that is nearly always blank in training cannot become huge in validation.
DIGITS_MIN_STD = 1.0

CSV_PREFIX = "csv:"
#: Rows of a CSV file converted at a time (their text is all that is held besides the arrays).
CSV_CHUNK_ROWS = 65536
#: A CSV file whose table is estimated above this is refused before it is read in full (the
#: limit models have, :data:`engine.config.MAX_BYTES`); see :func:`csv_bytes`.
MAX_CSV_BYTES = 4 * 2**30
#: Float64 copies of a CSV table at the peak of loading it: the table (kept for the next
#: load), the training and validation rows, and standardising (a scaled copy and the standard
#: deviation's scratch).
CSV_LOAD_COPIES = 4
#: Seconds between two progress messages while a long CSV file is read (logger
#: ``engine.datasets``, level INFO; headless prints them).
CSV_PROGRESS_SECONDS = 5.0
#: Distinct label texts kept while every label so far is a number; beyond, the labels are
#: kept as numbers only (should a text label follow, the texts are read again).
CSV_MAX_LABEL_TEXTS = 100_000

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DatasetInfo:
    """What a dataset is, known without generating or splitting it.

    Attributes
    ----------
    name : str
        The name passed to :func:`load` ("circle", "csv:/path/file.csv", ...).
    task : str
        "binary", "multiclass", "regression" or "counts".
    n_features : int
        Number of input columns.
    n_classes : int
        Number of classes; 0 for regression and counts.
    class_names : tuple of str
        One name per class id; () for regression and counts.
    description : str
        One short English sentence.
    """

    name: str
    task: str
    n_features: int
    n_classes: int
    class_names: tuple[str, ...]
    description: str


@dataclass(frozen=True, eq=False)
class Dataset:
    """A dataset split into training and validation parts.

    Attributes
    ----------
    name : str
        The name passed to :func:`load`.
    task : str
        "binary", "multiclass", "regression" or "counts".
    x_train : ndarray, shape (n_train, n_features), float64
    y_train : ndarray, shape (n_train,)
        int64 class ids in ``range(n_classes)`` for classification, float64 otherwise.
    x_val : ndarray, shape (n_val, n_features), float64
        ``n_val`` is 0 when ``validation_split`` is 0.
    y_val : ndarray, shape (n_val,)
        Same dtype as ``y_train``.
    class_names : tuple of str
        One name per class id; () for regression and counts.
    feature_names : tuple of str
        One name per feature column.
    n_features : int
    n_classes : int
        0 for regression and counts.
    description : str
        One short English sentence.
    """

    name: str
    task: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    class_names: tuple[str, ...]
    feature_names: tuple[str, ...]
    n_features: int
    n_classes: int
    description: str


# ---------------------------------------------------------------------------------------------
# Synthetic generators. Each takes (rng, n, noise) and returns x (n, d) float64 and y (n,).

# Radius of the 2-D classification sets; the jitter's standard deviation is noise * radius / 2.
_RADIUS = 1.0
_SPIRAL_RADIUS = 2.0
_SPIRAL_TURNS = 1.0
_SPIRAL3_TURNS = 1.0


def _class_sizes(n: int, k: int) -> np.ndarray:
    """Balanced class sizes: ``n`` split into ``k`` parts differing by at most one."""
    return np.full(k, n // k) + (np.arange(k) < n % k)


def _class_labels(n: int, k: int) -> np.ndarray:
    """int64 labels 0,0,...,1,1,...; shape (n,)."""
    return np.repeat(np.arange(k, dtype=np.int64), _class_sizes(n, k))


def _jitter(rng: np.random.Generator, shape: tuple[int, ...], sd: float) -> np.ndarray:
    """Gaussian noise of standard deviation ``sd``; exact zeros when ``sd`` is 0."""
    if sd == 0:
        return np.zeros(shape)
    return rng.normal(0.0, sd, size=shape)


def _circle(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    y = _class_labels(n, 2)
    inner = y == 1
    # Uniform in area: inner disc r <= 0.5, ring 0.7 <= r <= 1 (gap 0.2 around r = 0.6).
    r_lo = np.where(inner, 0.0, 0.7 * _RADIUS)
    r_hi = np.where(inner, 0.5 * _RADIUS, _RADIUS)
    r = np.sqrt(rng.uniform(r_lo**2, r_hi**2))
    angle = rng.uniform(0.0, 2 * np.pi, size=n)
    x = np.column_stack([r * np.cos(angle), r * np.sin(angle)])
    return x + _jitter(rng, x.shape, noise * _RADIUS / 2), y


def _xor(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    # Coordinates keep 0.1 away from the axes (as TensorFlow Playground's padding does) so that
    # clean data has a margin.
    y = _class_labels(n, 2)
    magnitude = rng.uniform(0.1 * _RADIUS, _RADIUS, size=(n, 2))
    sign_1 = rng.choice(np.array([-1.0, 1.0]), size=n)
    sign_2 = np.where(y == 1, sign_1, -sign_1)
    x = magnitude * np.column_stack([sign_1, sign_2])
    return x + _jitter(rng, x.shape, noise * _RADIUS / 2), y


def _gauss(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    y = _class_labels(n, 2)
    centres = np.array([[-0.5, -0.5], [0.5, 0.5]]) * _RADIUS
    x = centres[y] + rng.normal(0.0, 0.25 * _RADIUS, size=(n, 2))
    return x + _jitter(rng, x.shape, noise * _RADIUS / 2), y


def _spiral_arms(
    rng: np.random.Generator, n: int, noise: float, k: int, turns: float
) -> tuple[np.ndarray, np.ndarray]:
    """``k`` interleaved Archimedean spiral arms of radius ``_SPIRAL_RADIUS``."""
    y = _class_labels(n, k)
    # s = sqrt(u) spaces points about evenly along each arm and keeps few points at the centre,
    # where the arms meet and no classifier can separate them.
    s = np.sqrt(rng.uniform(0.0, 1.0, size=n))
    angle = 2 * np.pi * (turns * s + y / k)
    r = _SPIRAL_RADIUS * s
    x = np.column_stack([r * np.cos(angle), r * np.sin(angle)])
    return x + _jitter(rng, x.shape, noise * _SPIRAL_RADIUS / 2), y


def _spiral(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    return _spiral_arms(rng, n, noise, 2, _SPIRAL_TURNS)


def _spiral3(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    return _spiral_arms(rng, n, noise, 3, _SPIRAL3_TURNS)


def _moons(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    # scikit-learn's make_moons shape, centred on the origin: x in [-1.5, 1.5], y in [-0.75, 0.75].
    y = _class_labels(n, 2)
    t = rng.uniform(0.0, np.pi, size=n)
    upper = np.column_stack([np.cos(t), np.sin(t)])
    lower = np.column_stack([1.0 - np.cos(t), 0.5 - np.sin(t)])
    x = np.where((y == 0)[:, None], upper, lower) - np.array([0.5, 0.25])
    return x + _jitter(rng, x.shape, noise * _RADIUS / 2), y


def _blobs(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    y = _class_labels(n, 3)
    angle = np.pi / 2 + 2 * np.pi * np.arange(3) / 3
    centres = _RADIUS * np.column_stack([np.cos(angle), np.sin(angle)])
    x = centres[y] + rng.normal(0.0, 0.25 * _RADIUS, size=(n, 2))
    return x + _jitter(rng, x.shape, noise * _RADIUS / 2), y


def _sine(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    x = rng.uniform(-np.pi, np.pi, size=(n, 1))
    y = np.sin(x[:, 0])
    return x, y + _jitter(rng, y.shape, noise / 2)


_PLANE_WEIGHTS = np.array([0.6, -0.4])
_PLANE_BIAS = 0.2


def _plane(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    x = rng.uniform(-1.0, 1.0, size=(n, 2))
    y = x @ _PLANE_WEIGHTS + _PLANE_BIAS
    return x, y + _jitter(rng, y.shape, noise / 2)


_COUNTS_WEIGHTS = np.array([0.8, -0.6])
_COUNTS_BIAS = 0.5


def _counts(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    x = rng.uniform(-1.0, 1.0, size=(n, 2))
    log_rate = x @ _COUNTS_WEIGHTS + _COUNTS_BIAS + _jitter(rng, (n,), noise / 2)
    y = rng.poisson(np.exp(log_rate)).astype(np.float64)
    return x, y


# ---------------------------------------------------------------------------------------------
# Real datasets shipped in engine/data/.

_IRIS_FEATURES = (
    "sepal length (cm)",
    "sepal width (cm)",
    "petal length (cm)",
    "petal width (cm)",
)
_DIGITS_FEATURES = tuple(f"pixel_{row}_{col}" for row in range(8) for col in range(8))


@lru_cache(maxsize=None)
def _read_iris() -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    """Iris from scikit-learn's iris.csv.

    The first line is "n_rows,n_features,class names..."; each other line holds the four
    measurements and a class id.

    Returns
    -------
    x : ndarray, shape (150, 4), float64, read-only
    y : ndarray, shape (150,), int64, read-only
    class_names : tuple of str
    """
    _count_parse("iris")
    with open(DATA_DIR / "iris.csv", newline="", encoding="ascii") as handle:
        rows = list(csv.reader(handle))
    n_rows, n_features = int(rows[0][0]), int(rows[0][1])
    class_names = tuple(rows[0][2:])
    table = np.array(rows[1 : n_rows + 1], dtype=np.float64)
    x = table[:, :n_features]
    y = table[:, n_features].astype(np.int64)
    x.flags.writeable = False
    y.flags.writeable = False
    return x, y, class_names


@lru_cache(maxsize=None)
def _read_digits() -> tuple[np.ndarray, np.ndarray]:
    """Digits from scikit-learn's digits.csv.gz: 64 pixel values (0..16) then the digit.

    Returns
    -------
    x : ndarray, shape (1797, 64), float64, read-only
    y : ndarray, shape (1797,), int64, read-only
    """
    _count_parse("digits")
    with gzip.open(DATA_DIR / "digits.csv.gz", "rt", newline="", encoding="ascii") as handle:
        table = np.array(list(csv.reader(handle)), dtype=np.float64)
    x = table[:, :-1]
    y = table[:, -1].astype(np.int64)
    x.flags.writeable = False
    y.flags.writeable = False
    return x, y


# ---------------------------------------------------------------------------------------------
# The registry of built-in datasets.


@dataclass(frozen=True)
class Preset:
    """Suggested settings for a built-in dataset: settings known to learn it, and why.

    Attributes
    ----------
    changes : dict
        ``TrainingConfig`` fields, ``dataset`` included. Applied to the defaults
        (``TrainingConfig(**changes)``) they learn the dataset within seconds of full-speed
        training; tests/test_presets.py trains each one.
    why : str
        One English sentence saying why they work (the GUI shows it translated).
    """

    changes: dict
    why: str


@dataclass(frozen=True)
class _Builtin:
    info: DatasetInfo
    feature_names: tuple[str, ...]
    default_samples: int
    generate: Callable[[np.random.Generator, int, float], tuple[np.ndarray, np.ndarray]] | None
    preset: Preset


_XY = ("x1", "x2")


def _entry(name, task, features, classes, description, samples, generate, preset, why):
    """One built-in dataset: what it is, how it is made (``generate`` None: read from
    engine/data/ by :func:`load`) and the settings that learn it (``preset``, without the
    dataset field, and ``why``)."""
    dataset_info = DatasetInfo(name, task, len(features), len(classes), classes, description)
    return _Builtin(dataset_info, features, samples, generate,
                    Preset({"dataset": name, **preset}, why))


# Texts are English, marked for the GUI's catalogue (engine/texts.py); iris's species and the
# digits are the same in every language.
_BUILTINS: dict[str, _Builtin] = {
    b.info.name: b
    for b in (
        _entry(
            "circle", "binary", _XY,
            (QT_TRANSLATE_NOOP("engine", "ring"), QT_TRANSLATE_NOOP("engine", "disc")),
            QT_TRANSLATE_NOOP("engine", "Points in a disc (class 1) surrounded by a ring "
                                        "(class 0)."),
            500, _circle,
            dict(loss="binary_crossentropy", optimizer="sgd", learning_rate=0.3, batch_size=16,
                 epochs=30, hidden_layers=(8, 8), activation="tanh"),
            QT_TRANSLATE_NOOP("engine", "A ring needs a curved boundary: two tanh layers of 8 "
                                        "bend one, and plain SGD at 0.3 with batches of 16 gets "
                                        "there in 30 epochs."),
        ),
        _entry(
            "xor", "binary", _XY,
            (QT_TRANSLATE_NOOP("engine", "opposite signs"),
             QT_TRANSLATE_NOOP("engine", "same sign")),
            QT_TRANSLATE_NOOP("engine", "Points in four quadrants, class 1 where x1 and x2 have "
                                        "the same sign."),
            500, _xor,
            dict(loss="binary_crossentropy", optimizer="sgd", learning_rate=0.3, batch_size=16,
                 epochs=30, hidden_layers=(8, 8), activation="tanh"),
            QT_TRANSLATE_NOOP("engine", "XOR is not linearly separable: the hidden layers "
                                        "combine two straight cuts into the four quadrants."),
        ),
        _entry(
            "gauss", "binary", _XY,
            (QT_TRANSLATE_NOOP("engine", "lower left"),
             QT_TRANSLATE_NOOP("engine", "upper right")),
            QT_TRANSLATE_NOOP("engine", "Two well-separated Gaussian clouds, one per class."),
            500, _gauss,
            dict(loss="binary_crossentropy", optimizer="sgd", learning_rate=0.1, batch_size=32,
                 epochs=10, hidden_layers=(), activation="tanh"),
            QT_TRANSLATE_NOOP("engine", "Two separate clouds need only a straight line: "
                                        "logistic regression (no hidden layer) learns it in a "
                                        "few epochs."),
        ),
        _entry(
            "spiral", "binary", _XY,
            (QT_TRANSLATE_NOOP("engine", "arm 1"), QT_TRANSLATE_NOOP("engine", "arm 2")),
            QT_TRANSLATE_NOOP("engine", "Two interleaved spiral arms, one per class."),
            600, _spiral,
            dict(loss="binary_crossentropy", optimizer="adam", learning_rate=0.01,
                 batch_size=16, epochs=100, hidden_layers=(16, 16), activation="tanh"),
            QT_TRANSLATE_NOOP("engine", "Interleaved spirals need a boundary that winds: wider "
                                        "layers (16, 16) and Adam, whose per-weight step sizes "
                                        "cope with the uneven gradients."),
        ),
        _entry(
            "moons", "binary", _XY,
            (QT_TRANSLATE_NOOP("engine", "upper moon"),
             QT_TRANSLATE_NOOP("engine", "lower moon")),
            QT_TRANSLATE_NOOP("engine", "Two interleaving half circles, one per class."),
            500, _moons,
            dict(loss="binary_crossentropy", optimizer="sgd", learning_rate=0.3, batch_size=16,
                 epochs=30, hidden_layers=(8, 8), activation="tanh"),
            QT_TRANSLATE_NOOP("engine", "Two interlocking half-moons need a gently curved "
                                        "boundary: a small tanh network with SGD finds it."),
        ),
        _entry(
            "blobs", "multiclass", _XY,
            (QT_TRANSLATE_NOOP("engine", "blob 1"), QT_TRANSLATE_NOOP("engine", "blob 2"),
             QT_TRANSLATE_NOOP("engine", "blob 3")),
            QT_TRANSLATE_NOOP("engine", "Three Gaussian clouds, one per class."),
            450, _blobs,
            dict(loss="sparse_categorical_crossentropy", optimizer="sgd", learning_rate=0.1,
                 batch_size=32, epochs=20, hidden_layers=(), activation="tanh"),
            QT_TRANSLATE_NOOP("engine", "Separate blobs are split by straight lines: softmax "
                                        "regression (no hidden layer) with integer labels is "
                                        "enough."),
        ),
        _entry(
            "spiral3", "multiclass", _XY,
            (QT_TRANSLATE_NOOP("engine", "arm 1"), QT_TRANSLATE_NOOP("engine", "arm 2"),
             QT_TRANSLATE_NOOP("engine", "arm 3")),
            QT_TRANSLATE_NOOP("engine", "Three interleaved spiral arms, one per class."),
            600, _spiral3,
            dict(loss="sparse_categorical_crossentropy", optimizer="adam", learning_rate=0.01,
                 batch_size=16, epochs=100, hidden_layers=(32, 32), activation="tanh"),
            QT_TRANSLATE_NOOP("engine", "Three spiral arms need the widest net here (32, 32) "
                                        "and Adam to wind three boundaries."),
        ),
        _entry(
            "sine", "regression", ("x",), (),
            QT_TRANSLATE_NOOP("engine", "One input x in [-pi, pi] with the target y = sin(x)."),
            300, _sine,
            dict(loss="mean_squared_error", optimizer="adam", learning_rate=0.01, batch_size=16,
                 epochs=60, hidden_layers=(16, 16), activation="tanh"),
            QT_TRANSLATE_NOOP("engine", "A smooth curve is fitted by summing smooth tanh bends; "
                                        "mean squared error matches the Gaussian noise."),
        ),
        _entry(
            "plane", "regression", _XY, (),
            QT_TRANSLATE_NOOP("engine", "Two inputs with the linear target y = 0.6*x1 - 0.4*x2 "
                                        "+ 0.2."),
            400, _plane,
            dict(loss="mean_squared_error", optimizer="sgd", learning_rate=0.1, batch_size=32,
                 epochs=30, hidden_layers=(), activation="tanh"),
            QT_TRANSLATE_NOOP("engine", "The target is a flat plane, so linear regression (no "
                                        "hidden layer) is exactly the right model."),
        ),
        _entry(
            "counts", "counts", _XY, (),
            QT_TRANSLATE_NOOP("engine", "Poisson counts whose rate is exp(0.5 + 0.8*x1 - "
                                        "0.6*x2)."),
            500, _counts,
            dict(loss="poisson", optimizer="adam", learning_rate=0.01, batch_size=32, epochs=60,
                 hidden_layers=(8, 8), activation="tanh"),
            QT_TRANSLATE_NOOP("engine", "Counts are whole numbers with a spread that grows with "
                                        "the mean: the Poisson loss models exactly that."),
        ),
        _entry(
            "iris", "multiclass", _IRIS_FEATURES, ("setosa", "versicolor", "virginica"),
            QT_TRANSLATE_NOOP("engine", "Fisher's 150 iris flowers: four measurements, three "
                                        "species."),
            150, None,
            dict(loss="sparse_categorical_crossentropy", optimizer="adam", learning_rate=0.01,
                 batch_size=16, epochs=60, hidden_layers=(8,), activation="tanh"),
            QT_TRANSLATE_NOOP("engine", "Four measurements, three species, 120 flowers: one "
                                        "small hidden layer and Adam, no more, so it does not "
                                        "overfit."),
        ),
        _entry(
            "digits", "multiclass", _DIGITS_FEATURES, tuple(str(d) for d in range(10)),
            QT_TRANSLATE_NOOP("engine", "1797 handwritten digits as 8x8 images of grey levels 0 "
                                        "to 16."),
            1797, None,
            dict(loss="categorical_crossentropy", optimizer="adam", learning_rate=0.01,
                 batch_size=32, epochs=20, hidden_layers=(32,), activation="relu"),
            QT_TRANSLATE_NOOP("engine", "64 pixels, ten digits: one hidden layer of 32 ReLUs with "
                                        "Adam learns them in 20 epochs; softmax and crossentropy "
                                        "pick one digit."),
        ),
    )
}


def names() -> list[str]:
    """Names of the built-in datasets, in display order.

    ``"csv:PATH"`` is accepted by :func:`info` and :func:`load` as well.

    Returns
    -------
    list of str
    """
    return list(_BUILTINS)


def _unknown_name(name: object) -> ConfigError:
    return ConfigError(
        f"dataset {name!r} is unknown; valid datasets are {', '.join(_BUILTINS)} "
        f"or 'csv:PATH' for a CSV file"
    )


def _csv_path(name: str) -> Path:
    path = name[len(CSV_PREFIX) :].strip()
    if not path:
        raise ConfigError(f"dataset {name!r} has no file path; write it as 'csv:PATH'")
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        # the name travels with the run (summary.json, the app's settings), which are UTF-8:
        # refused here, before training, not when the results are saved
        raise ConfigError(
            f"dataset {name!r}: the file name {os.fsencode(path)!r} is not valid UTF-8; "
            f"rename the file (or copy it) to a UTF-8 name"
        ) from None
    return Path(os.path.expanduser(path))


def info(name: str, *, label_column: str | None = None) -> DatasetInfo:
    """Describe a dataset without generating it.

    Parameters
    ----------
    name : str
        A name from :func:`names` or ``"csv:PATH"``.
    label_column : str or None
        For CSV files only: the label column's name (default: the last column).

    Returns
    -------
    DatasetInfo
        Built-ins come from a table; a CSV file is read and checked in full.

    Raises
    ------
    ConfigError
        Unknown name, or a CSV file that :func:`load` would reject.
    """
    if isinstance(name, str) and name.startswith(CSV_PREFIX):
        table = _read_csv(name, label_column)
        return DatasetInfo(
            name, table.task, len(table.feature_names), len(table.class_names),
            table.class_names, table.description,
        )
    builtin = _builtin(name)
    _check_label_column_unused(name, label_column)
    return builtin.info


def preset(name: str) -> Preset:
    """The suggested settings of built-in dataset ``name``.

    Raises
    ------
    ConfigError
        ``name`` is not a built-in dataset (a CSV file has no suggestion); the message names
        the datasets that have one.
    """
    if not isinstance(name, str) or name not in _BUILTINS:
        raise ConfigError(f"no suggested settings for dataset {name!r}; suggestions exist "
                          f"for {', '.join(_BUILTINS)}")
    return _BUILTINS[name].preset


def _builtin(name: object) -> _Builtin:
    if not isinstance(name, str) or name not in _BUILTINS:
        raise _unknown_name(name)
    return _BUILTINS[name]


def _check_label_column_unused(name: str, label_column: object) -> None:
    if label_column is not None:
        raise ConfigError(
            f"label_column {label_column!r} applies to CSV files only; dataset {name!r} "
            f"is built in, so leave label_column empty (None)"
        )


# ---------------------------------------------------------------------------------------------
# Parameter checks.


def _is_real(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _is_int(value: object) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _check_fraction(field: str, value: object, bounds: tuple[float, float]) -> float:
    low, high = bounds
    if not _is_real(value) or not (low <= float(value) <= high):  # rejects NaN as well
        raise ConfigError(f"{field} {value!r} is invalid; it must be a number from {low} to {high}")
    return float(value)


def _check_seed(seed: object) -> int:
    if not _is_int(seed) or seed < 0:
        raise ConfigError(f"seed {seed!r} is invalid; it must be a whole number >= 0")
    return int(seed)


def _check_n_samples(n_samples: object, low: int, high: int, what: str) -> int | None:
    if n_samples is None:
        return None
    if not _is_int(n_samples) or not (low <= n_samples <= high):
        raise ConfigError(
            f"n_samples {n_samples!r} is invalid for {what}; it must be a whole number from "
            f"{low} to {high}, or None for the default size"
        )
    return int(n_samples)


# ---------------------------------------------------------------------------------------------
# Splitting and standardising.


def _split(
    x: np.ndarray,
    y: np.ndarray,
    n_used: int,
    validation_split: float,
    rng: np.random.Generator,
    what: str,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shuffle, keep ``n_used`` rows and split them into training and validation.

    Parameters
    ----------
    x : ndarray, shape (n, d)
    y : ndarray, shape (n,)
    n_used : int
        Rows to keep (``n_used <= n``), a seeded random subset.
    validation_split : float
        ``round(n_used * validation_split)`` rows go to validation.
    rng : numpy.random.Generator
    what : str
        How to call the data in an error message.

    Returns
    -------
    x_train : ndarray, shape (n_train, d)
    y_train : ndarray, shape (n_train,)
    x_val : ndarray, shape (n_val, d)
    y_val : ndarray, shape (n_val,)

    Raises
    ------
    ConfigError
        Fewer than 2 training rows, or no validation row although validation_split > 0.
    """
    n_val = round(n_used * validation_split)
    n_train = n_used - n_val
    if n_train < 2 or (validation_split > 0 and n_val == 0):
        raise ConfigError(
            f"validation_split {validation_split!r} of the {n_used} rows of {what} leaves "
            f"{n_train} training and {n_val} validation rows; too few rows for the split "
            f"(need at least 2 training rows and, when validation_split > 0, 1 validation row)"
        )
    order = rng.permutation(len(y))[:n_used]
    val_rows, train_rows = order[:n_val], order[n_val:]
    return (
        np.ascontiguousarray(x[train_rows], dtype=np.float64),
        y[train_rows],
        np.ascontiguousarray(x[val_rows], dtype=np.float64),
        y[val_rows],
    )


def _standardise(
    x_train: np.ndarray,
    x_val: np.ndarray,
    min_std: float = 0.0,
    feature_names: tuple[str, ...] = (),
    where: str = "the data",
    in_place: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Scale features with the training rows' mean and standard deviation.

    Each column is first divided by its largest training magnitude, so the mean and standard
    deviation are computed on values within [-1, 1]: features near 1e308 standardise exactly
    like features near 1, where summing them directly would overflow to inf and NaN.

    Parameters
    ----------
    x_train : ndarray, shape (n_train, d)
    x_val : ndarray, shape (n_val, d)
    min_std : float
        Standard deviations below this are raised to it. Whatever the floor, a column that is
        constant in training (standard deviation 0 up to rounding) is divided by 1.
    feature_names, where : for the error message.

    Returns
    -------
    x_train, x_val : ndarray, shapes as given, float64
        New arrays (the inputs are not modified), or with ``in_place`` the inputs themselves
        (float64 arrays of the caller's own: a big CSV's split rows need no second copy).

    Raises
    ------
    ConfigError
        Naming the column, when a standardised value is beyond :data:`MAX_STANDARDISED`
        (a validation value that far outside the training range, or a near-constant column
        with one extreme value), which no network can be trained on.
    """
    # in place on one new array per part, and column extremes rather than whole-array
    # temporaries: a 4M-row CSV's training part is 230 MB, and each temporary was another
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        if len(x_train):
            scale = np.maximum(np.abs(x_train.min(axis=0)), np.abs(x_train.max(axis=0)))
        else:
            scale = np.ones(x_train.shape[1])
        scale = np.where(scale > 0, scale, 1.0)
        if in_place:
            train, val = x_train, x_val
            train /= scale
            val /= scale
        else:
            train, val = x_train / scale, x_val / scale
        mean = train.mean(axis=0)
        std = train.std(axis=0)
        # the first wave's rule, in the scaled units: std <= 1e-12 * max(1, |mean|)
        constant = std <= 1e-12 * np.maximum(1.0 / scale, np.abs(mean))
        std = np.maximum(std, min_std / scale)
        # (x - mean) * scale for a constant column, (x - mean) / std otherwise; dividing or
        # multiplying by 1 is exact, so each value is what the two formulas give
        divisor, factor = np.where(constant, 1.0, std), np.where(constant, scale, 1.0)
        for values in (train, val):
            values -= mean
            values /= divisor
            values *= factor
    for part, values in (("training", train), ("validation", val)):
        if not len(values):
            continue
        low, high = values.min(axis=0), values.max(axis=0)
        bad = ~((low >= -MAX_STANDARDISED) & (high <= MAX_STANDARDISED))  # NaN included
        if bad.any():
            column = int(np.flatnonzero(bad)[0])
            name = feature_names[column] if column < len(feature_names) else str(column + 1)
            raise ConfigError(
                f"{where}: column {name!r} cannot be standardised: a {part} value lies more "
                f"than {MAX_STANDARDISED:g} standard deviations from the training mean; "
                f"remove the outlier or rescale the column"
            )
    return np.ascontiguousarray(train), np.ascontiguousarray(val)


# ---------------------------------------------------------------------------------------------
# CSV files.


@dataclass(frozen=True)
class _CsvTable:
    task: str
    x: np.ndarray  # (n, d) float64
    y: np.ndarray  # (n,) int64 class ids or float64 values
    feature_names: tuple[str, ...]
    class_names: tuple[str, ...]
    description: str


def _parse_number(cell: str) -> float | None:
    try:
        return float(cell)
    except ValueError:
        return None


def _rows(where: str, path: Path, progress: _Progress):
    """The non-blank rows of ``path`` as (line, stripped cells), header first; a quoted field
    may span lines, so a row's line is the line it starts on (header = line 1 when first).

    Read as a stream: nothing is kept but the row being read."""
    if not path.exists():
        raise ConfigError(Message(FILE_NOT_FOUND, where=where, path=repr(str(path))))
    if not path.is_file():
        raise ConfigError(Message(NOT_A_FILE, where=where, path=repr(str(path))))
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle, strict=True)
            progress.binary = handle.buffer
            row_start = 1
            try:
                for fields in reader:
                    cells = [cell.strip() for cell in fields]
                    if any(cells):
                        yield row_start, cells
                    row_start = reader.line_num + 1
                    progress.tick()
            except csv.Error as error:
                raise ConfigError(
                    f"{where}: the row starting at line {row_start} is not valid CSV ({error}); "
                    f"check its quotes"
                ) from None
    except UnicodeDecodeError as error:
        raise ConfigError(
            f"{where}: file {str(path)!r} is not UTF-8 text ({error.reason} at byte "
            f"{error.start}); save it as a UTF-8 CSV file"
        ) from None
    except OSError as error:
        raise ConfigError(f"{where}: cannot read {str(path)!r}: {error.strerror}") from None


def _header_problem(where: str, header: list[str], line: int) -> ConfigError | None:
    if len(header) < 2:
        return ConfigError(
            f"{where}: the header (line {line}) has {len(header)} column; a CSV dataset "
            f"needs at least one feature column and a label column, separated by commas"
        )
    for index, column in enumerate(header):
        if not column:
            return ConfigError(
                f"{where}: the header (line {line}) has no name for column {index + 1}; "
                f"every column needs a name"
            )
    seen: set[str] = set()
    for column in header:
        if column in seen:
            return ConfigError(
                f"{where}: the header (line {line}) names column {column!r} twice; "
                f"column names must be unique"
            )
        seen.add(column)
    return None


class _Progress:
    """Says how far the reading of a long file is (``logging``, logger ``engine.datasets``,
    every :data:`CSV_PROGRESS_SECONDS`), and refuses a file whose table would not fit: once
    :data:`CSV_CHUNK_ROWS` rows are read, their bytes per row give the file's rows."""

    def __init__(self, where: str, path: Path):
        self.where, self.path = where, path
        self.size = path.stat().st_size if path.is_file() else 0
        self.started = time.monotonic()
        self.next_report = self.started + CSV_PROGRESS_SECONDS
        self.rows = 0
        self.binary = None  # the file being read (bytes: its position is the progress)
        self.reported = False
        self._calls = 0

    @property
    def position(self) -> int:
        return self.binary.tell() if self.binary is not None and not self.binary.closed else 0

    def tick(self) -> None:
        """(Per row read.) Report now and then."""
        self._calls += 1
        if self._calls % 4096:
            return
        now = time.monotonic()
        if now >= self.next_report:
            self.next_report = now + CSV_PROGRESS_SECONDS
            self.reported = True
            share = self.position / self.size if self.size else 1.0
            _log.info("%s: reading, %.0f %% of %s, %s rows, %.0f s", self.where, 100 * share,
                      _size_text(self.size), f"{self.rows:,}", now - self.started)

    def expected_rows(self, rows_read: int) -> int:
        """The file's data rows, from the bytes per row so far (``rows_read`` of them)."""
        position = self.position
        if not position or position >= self.size:
            return rows_read
        return max(rows_read, math.ceil(rows_read * self.size / position))

    def check_size(self, rows_read: int, columns: int) -> None:
        """ConfigError when the whole file's table is estimated above :data:`MAX_CSV_BYTES`."""
        rows = self.expected_rows(rows_read)
        needed = csv_bytes(rows, columns)
        if needed > MAX_CSV_BYTES:
            fitting = int(MAX_CSV_BYTES // csv_bytes(1, columns))
            raise ConfigError(
                f"{self.where}: file {str(self.path)!r} ({_size_text(self.size)}) holds about "
                f"{rows:,} rows of {columns} columns; loading them takes about "
                f"{_size_text(needed)} of memory, above the {_size_text(MAX_CSV_BYTES)} this "
                f"app allows; use a sample of at most {fitting:,} rows or fewer columns"
            )

    def done(self, rows: int) -> None:
        if self.reported:
            _log.info("%s: read %s rows in %.0f s", self.where, f"{rows:,}",
                      time.monotonic() - self.started)


def csv_bytes(rows: int, columns: int) -> int:
    """Memory to load a CSV table of ``rows`` x ``columns`` (label included) and split and
    standardise it: :data:`CSV_LOAD_COPIES` float64 copies of it at the peak."""
    return int(rows) * int(columns) * 8 * CSV_LOAD_COPIES


def _size_text(n_bytes: float) -> str:
    if n_bytes >= 2**30:
        return f"{n_bytes / 2**30:.1f} GB"
    return f"{n_bytes / 2**20:.{0 if n_bytes >= 10 * 2**20 else 1}f} MB"


class _Growing:
    """A float64 or int64 array filled chunk by chunk: allocated for the rows expected and
    grown in place (``ndarray.resize``) when a file has more, trimmed in place at the end."""

    def __init__(self, columns: int | None, dtype):
        self.columns, self.dtype = columns, dtype
        self.array = np.empty(self._shape(CSV_CHUNK_ROWS), dtype=dtype)
        self.n = 0

    def _shape(self, rows: int):
        return (rows,) if self.columns is None else (rows, self.columns)

    def reserve(self, rows: int) -> None:
        if rows > len(self.array):
            self.array.resize(self._shape(rows), refcheck=False)

    def extend(self, values: np.ndarray) -> None:
        end = self.n + len(values)
        if end > len(self.array):
            self.reserve(max(end, int(len(self.array) * 1.5)))
        self.array[self.n:end] = values
        self.n = end

    def finish(self) -> np.ndarray:
        self.array.resize(self._shape(self.n), refcheck=False)
        return self.array


class _Labels:
    """The label column, read chunk by chunk: numbers while every label is one, and each
    label's text (as codes of its distinct texts) while the texts are few enough to keep.

    The rules of :func:`load` need, in file order, the first empty label, the first that is
    not finite and the first beyond :data:`MAX_TARGET`; they are noted as they come.
    """

    def __init__(self):
        self.numbers = _Growing(None, np.float64)
        self.numeric = True
        self.codes = _Growing(None, np.int64)
        self.texts: dict[str, int] | None = {}
        self.first_empty: int | None = None
        self.first_not_finite: tuple[int, str] | None = None
        self.first_huge: tuple[int, str] | None = None

    def add(self, lines: list[int], cells: list[str]) -> None:
        if self.first_empty is None and "" in cells:
            self.first_empty = lines[cells.index("")]
        if self.texts is not None:
            texts = self.texts
            self.codes.extend(np.fromiter((texts.setdefault(c, len(texts)) for c in cells),
                                          np.int64, len(cells)))
            if len(texts) > CSV_MAX_LABEL_TEXTS and self.numeric:
                self.texts = None  # numbers (regression): the texts would cost more than them
        if not self.numeric:
            return
        try:
            values = np.array(list(map(float, cells)), dtype=np.float64)
        except ValueError:
            self.numeric = False
            self.numbers = None
            return
        self.numbers.extend(values)
        if self.first_not_finite is None:
            bad = np.flatnonzero(~np.isfinite(values))
            if bad.size:
                self.first_not_finite = (lines[bad[0]], cells[bad[0]])
        if self.first_huge is None:
            huge = np.flatnonzero(np.abs(values) > MAX_TARGET)
            if huge.size:
                self.first_huge = (lines[huge[0]], cells[huge[0]])

    def reserve(self, rows: int) -> None:
        if self.numeric:
            self.numbers.reserve(rows)
        if self.texts is not None:
            self.codes.reserve(rows)


def _infer_labels(
    where: str, label_name: str, labels: _Labels, text_codes: Callable[[], tuple]
) -> tuple[str, np.ndarray, tuple[str, ...]]:
    """Decide the task from the label column.

    Rule: labels that are not all numbers are classes (sorted as text). Numeric labels that are
    all whole numbers with at most ``MAX_INTEGER_CLASSES`` distinct values are classes (sorted by
    value). Other whole, non-negative numbers are counts; any other numbers are regression.
    ``text_codes()`` gives (codes, texts) when the labels are classes by text.

    Returns
    -------
    task : str
    y : ndarray, shape (n,)
        int64 class ids or float64 values.
    class_names : tuple of str
    """
    if labels.first_empty is not None:
        raise ConfigError(
            f"{where}: line {labels.first_empty}, label column {label_name!r} is empty; every "
            f"row needs a label"
        )
    if labels.numeric:
        y = labels.numbers.finish()
        if labels.first_not_finite is not None:
            line, cell = labels.first_not_finite
            raise ConfigError(
                f"{where}: line {line}, label column {label_name!r}: {cell!r} is not a finite "
                f"number (NaN and infinity are not allowed)"
            )
        whole = bool(np.all(y == np.round(y)))
        distinct = np.unique(y)
        if whole and distinct.size <= MAX_INTEGER_CLASSES:
            class_names = tuple(str(int(v)) for v in distinct)
            class_ids = np.searchsorted(distinct, y).astype(np.int64)
            return _classification(where, label_name, class_names), class_ids, class_names
        if labels.first_huge is not None:
            line, cell = labels.first_huge
            raise ConfigError(
                f"{where}: line {line}, label column {label_name!r}: {cell!r} is beyond "
                f"{MAX_TARGET:g} in magnitude; regression targets are not rescaled, so divide "
                f"the column by a power of ten first"
            )
        task = "counts" if whole and distinct[0] >= 0 else "regression"
        return task, y, ()
    codes, texts = text_codes()
    class_names = tuple(sorted(texts))
    rank = np.empty(len(texts), dtype=np.int64)
    for i, label in enumerate(class_names):
        rank[texts[label]] = i
    return _classification(where, label_name, class_names), rank[codes], class_names


def _classification(where: str, label_name: str, class_names: tuple[str, ...]) -> str:
    if len(class_names) < 2:
        raise ConfigError(
            f"{where}: label column {label_name!r} has only one class ({class_names[0]!r}); "
            f"classification needs at least 2 classes"
        )
    return "binary" if len(class_names) == 2 else "multiclass"


_csv_cache: OrderedDict[tuple, _CsvTable | ConfigError] = OrderedDict()
_csv_cache_lock = threading.Lock()
_csv_parses: Counter[str] = Counter()


def clear_csv_cache() -> None:
    """Forget every CSV file read so far (a user's, and the shipped iris and digits), and
    :func:`csv_parses`: the next use of each reads it again, as in a new process (and the
    memory its table held is freed)."""
    with _csv_cache_lock:
        _csv_cache.clear()
        _csv_parses.clear()
        _read_iris.cache_clear()
        _read_digits.cache_clear()


def csv_parses() -> dict[str, int]:
    """How often each CSV dataset (``"csv:PATH"``, ``"iris"``, ``"digits"``) was really parsed
    since the process began or :func:`clear_csv_cache`; its cache's hits are not parses. Once
    per file version is the promise the tests and tests/benchmarks/spec_speed.py hold it to."""
    with _csv_cache_lock:
        return dict(_csv_parses)


def _count_parse(name: str) -> None:
    with _csv_cache_lock:
        _csv_parses[name] += 1


def read_rows(name: str, *, label_column: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """A dataset read from a file, as read: ``(x, y)`` in the file's order, before subsetting,
    splitting and standardisation -- the read-only arrays every load of it starts from (its
    parse, shared). ``name``: "iris", "digits" or ``"csv:PATH"``; a generated dataset has no
    file (ConfigError)."""
    if isinstance(name, str) and name.startswith(CSV_PREFIX):
        table = _read_csv(name, label_column)
        return table.x, table.y
    _check_label_column_unused(name, label_column)
    if name == "iris":
        return _read_iris()[:2]
    if name == "digits":
        return _read_digits()
    _builtin(name)  # an unknown name: the registry's own message
    raise ConfigError(f"dataset {name!r} is generated, not read from a file; read_rows "
                      f"takes iris, digits or csv:PATH")


def _read_csv(name: str, label_column: object) -> _CsvTable:
    """Read and check a user's CSV file (``name`` is ``"csv:PATH"``), once per file version.

    The table (or the error it gave) is kept per (name, label column, modification and change
    times in ns, size, inode), so validation, the GUI's loss menu and every reset reuse one parse; editing
    the file changes its version and it is read again. The arrays are read-only.
    """
    path = _csv_path(name)
    _check_label_column_type(label_column)
    try:
        stat = path.stat()
    except OSError:
        return _parse_csv(name, path, label_column)  # reports the missing file as it is
    key = (name, label_column, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino)
    with _csv_cache_lock:
        cached = _csv_cache.get(key)
        if cached is not None:
            _csv_cache.move_to_end(key)
    if cached is None:
        try:
            cached = _parse_csv(name, path, label_column)
        except ConfigError as error:
            cached = error
        with _csv_cache_lock:
            _csv_cache[key] = cached
            while len(_csv_cache) > CSV_CACHE_SIZE:
                _csv_cache.popitem(last=False)
    if isinstance(cached, ConfigError):
        raise ConfigError(*cached.args)  # its message, with its template and fields
    return cached


def _check_label_column_type(label_column: object) -> None:
    if label_column is not None and not isinstance(label_column, str):
        raise ConfigError(
            f"label_column {label_column!r} is invalid; give the label column's name from the "
            f"CSV header, or None for the last column"
        )


def _fast_features(
    rows: list[tuple[int, list[str]]], feature_index: list[int]
) -> np.ndarray | None:
    """The feature matrix of ``rows`` in one pass of ``float`` over every cell (C loops, the
    same rules as :func:`_parse_number`), or None when a cell is not a finite number: the
    caller then goes cell by cell to name it (1.5-2x faster than that on a 100,000-row file)."""
    width = len(feature_index)
    if feature_index == list(range(width)):
        cells = [value for _, row in rows for value in row[:width]]
    else:
        getter = operator.itemgetter(*feature_index)
        picked = map(getter, (row for _, row in rows))
        cells = [value for values in picked for value in (values if width > 1 else (values,))]
    try:
        x = np.array(list(map(float, cells)), dtype=np.float64).reshape(len(rows), width)
    except ValueError:
        return None
    return x if np.isfinite(x).all() else None


def _features_cell_by_cell(
    where: str, header: list[str], rows: list[tuple[int, list[str]]], feature_index: list[int]
) -> np.ndarray:
    x = np.empty((len(rows), len(feature_index)), dtype=np.float64)
    for r, (line, cells) in enumerate(rows):
        for c, i in enumerate(feature_index):
            cell = cells[i]
            value = _parse_number(cell)
            if value is None:
                problem = (Message(MISSING_VALUE) if not cell
                           else Message(NOT_A_NUMBER, cell=repr(cell)))
                raise ConfigError(Message(BAD_CELL, where=where, line=line,
                                          column=repr(header[i]), problem=problem))
            if not math.isfinite(value):
                raise ConfigError(
                    f"{where}: line {line}, column {header[i]!r}: {cell!r} is not a finite "
                    f"number (NaN and infinity are not allowed)"
                )
            x[r, c] = value
    return x


def _chunks(rows, size: int):
    """``rows`` (an iterator) in lists of ``size``."""
    while True:
        chunk = list(itertools.islice(rows, size))
        if not chunk:
            return
        yield chunk


def _parse_csv(name: str, path: Path, label_column: object) -> _CsvTable:
    """Read ``path`` as a stream, :data:`CSV_CHUNK_ROWS` rows at a time, into a float array
    allocated for the rows the first chunk predicts (a 350 MB file of 4M rows x 10 took 15x
    its size as lists of strings). Errors are those of the whole file, in the order of
    :func:`load`'s rules: reading, header, rows, label column, features, labels."""
    _count_parse(name)
    where = f"dataset {name!r}"
    progress = _Progress(where, path)
    rows = _rows(where, path, progress)
    first = next(rows, None)
    if first is None:
        raise ConfigError(Message(EMPTY_FILE, where=where, path=repr(str(path))))
    header_line, header = first
    header_problem = _header_problem(where, header, header_line)
    column_problem = None
    label_index = len(header) - 1
    if header_problem is None and label_column is not None:
        if label_column.strip() in header:
            label_index = header.index(label_column.strip())
        else:
            column_problem = ConfigError(
                f"label_column {label_column!r} is not a column of {str(path)!r}; its columns "
                f"are {', '.join(repr(c) for c in header)}"
            )
    feature_index = [i for i in range(len(header)) if i != label_index]
    x = _Growing(len(feature_index), np.float64)
    labels = _Labels()
    n_rows = 0
    bad_row = None  # the first row whose field count differs from the header's
    bad_feature = None
    for chunk in _chunks(rows, CSV_CHUNK_ROWS):
        n_rows += len(chunk)
        progress.rows = n_rows
        if bad_row is None:
            bad_row = next((line_cells for line_cells in chunk
                            if len(line_cells[1]) != len(header)), None)
        if header_problem or column_problem or bad_row or bad_feature:
            continue  # an error is certain: read on only for one that comes before it
        if n_rows == len(chunk):  # the first chunk: what the whole file will take
            progress.check_size(n_rows, len(header))
            # a tenth more: the position read is ahead by what the reader buffered, and
            # pages reserved but never written take no memory (trimmed at the end)
            expected = int(progress.expected_rows(n_rows) * 1.1)
            x.reserve(expected)
            labels.reserve(expected)
        values = _fast_features(chunk, feature_index)
        if values is None:  # some cell is not a finite number: name the first
            try:
                values = _features_cell_by_cell(where, header, chunk, feature_index)
            except ConfigError as error:
                bad_feature = error
                continue
        x.extend(values)
        labels.add([line for line, _ in chunk], [cells[label_index] for _, cells in chunk])
    if header_problem is not None:
        raise header_problem
    if not n_rows:
        raise ConfigError(Message(NO_DATA_ROWS, where=where, path=repr(str(path))))
    if bad_row is not None:
        line, cells = bad_row
        raise ConfigError(
            f"{where}: line {line} has {len(cells)} fields but the header (line "
            f"{header_line}) has {len(header)} columns"
        )
    if column_problem is not None:
        raise column_problem
    if bad_feature is not None:
        raise bad_feature
    progress.done(n_rows)

    def text_codes():
        if labels.texts is not None:
            return labels.codes.finish(), labels.texts
        # the numbers were many and distinct, then a label that is not one: read the texts
        texts: dict[str, int] = {}
        codes = np.fromiter((texts.setdefault(cells[label_index], len(texts))
                             for _, cells in itertools.islice(_rows(where, path, progress), 1,
                                                              None)), np.int64, n_rows)
        return codes, texts

    task, y, class_names = _infer_labels(where, header[label_index], labels, text_codes)
    x = x.finish()
    feature_names = tuple(header[i] for i in feature_index)
    description = (
        f"{path.name}: {n_rows} rows, {len(feature_names)} features, label "
        f"{header[label_index]!r} ({task})."
    )
    x.flags.writeable = False
    y.flags.writeable = False
    return _CsvTable(task, x, y, feature_names, class_names, description)


# ---------------------------------------------------------------------------------------------
# Loading.


def load(
    name: str,
    *,
    noise: float = 0.1,
    validation_split: float = 0.2,
    seed: int = 0,
    n_samples: int | None = None,
    label_column: str | None = None,
) -> Dataset:
    """Generate or read a dataset and split it into training and validation parts.

    Parameters
    ----------
    name : str
        A name from :func:`names`, or ``"csv:PATH"`` for a CSV file.
    noise : float
        0 to 1; the jitter of synthetic sets (see the module docstring). Real and CSV data
        ignore it.
    validation_split : float
        0 to 0.9; the fraction of rows held out for validation (0: empty validation arrays).
    seed : int
        >= 0; seeds ``np.random.default_rng`` for generation, subsetting and shuffling.
    n_samples : int or None
        Number of rows. Synthetic sets: 10 to 1,000,000 (default per set, see the module
        docstring). Real and CSV data: a seeded random subset of at least 10 rows, or of all
        the rows of a smaller CSV file (default: all rows).
    label_column : str or None
        CSV files only: the name of the label column (default: the last column).

    Returns
    -------
    Dataset

    Raises
    ------
    ConfigError
        An unknown name, a parameter out of range, too few rows for the split, or a CSV file
        that breaks a rule below; the message names the field or the line and column.

    Notes
    -----
    CSV rules: comma-separated, UTF-8, a header row of unique column names, then one row per
    example with as many fields as the header (blank lines are skipped; line numbers in errors
    count every line, header = line 1). The label column is ``label_column`` or the last column;
    every other column must hold finite numbers. Task inference from the labels:

    - any label that is not a number: classification, classes sorted as text;
    - whole numbers with at most 20 distinct values: classification, classes sorted by value
      (class names are the numbers as text, class ids 0..k-1 in that order);
    - other whole numbers, all >= 0: "counts";
    - any other numbers: "regression" (targets are not rescaled).

    Classification has "binary" for 2 classes, "multiclass" for more, and needs at least 2.
    Regression and count targets must be within 1e15 in magnitude (:data:`MAX_TARGET`).
    Features are standardised with the training rows' mean and standard deviation, computed
    without overflow at any magnitude (features near 1e308 work); a column whose standardised
    values would lie beyond 1e6 is refused, naming it. A file is parsed once per version
    (modification time and size): :func:`info` and later loads reuse the parse.
    """
    noise = _check_fraction("noise", noise, NOISE_RANGE)
    validation_split = _check_fraction("validation_split", validation_split, VALIDATION_SPLIT_RANGE)
    seed = _check_seed(seed)
    if isinstance(name, str) and name.startswith(CSV_PREFIX):
        return _load_csv(name, label_column, validation_split, seed, n_samples)
    builtin = _builtin(name)
    _check_label_column_unused(name, label_column)
    rng = np.random.default_rng(seed)
    dataset_info = builtin.info
    if builtin.generate is not None:
        n = _check_n_samples(n_samples, *N_SAMPLES_RANGE, f"dataset {name!r}")
        n = builtin.default_samples if n is None else n
        x, y = builtin.generate(rng, n, noise)
        x_train, y_train, x_val, y_val = _split(x, y, n, validation_split, rng, f"dataset {name!r}")
    else:
        if name == "iris":
            x, y, _ = _read_iris()
            min_std = 0.0
        else:
            x, y = _read_digits()
            min_std = DIGITS_MIN_STD
        n = _check_n_samples(n_samples, N_SAMPLES_RANGE[0], len(y), f"dataset {name!r}")
        n = len(y) if n is None else n
        x_train, y_train, x_val, y_val = _split(x, y, n, validation_split, rng, f"dataset {name!r}")
        x_train, x_val = _standardise(x_train, x_val, min_std, builtin.feature_names,
                                      f"dataset {name!r}")
    return Dataset(
        name=name,
        task=dataset_info.task,
        x_train=x_train,
        y_train=y_train,
        x_val=x_val,
        y_val=y_val,
        class_names=dataset_info.class_names,
        feature_names=builtin.feature_names,
        n_features=dataset_info.n_features,
        n_classes=dataset_info.n_classes,
        description=dataset_info.description,
    )


def _load_csv(
    name: str,
    label_column: object,
    validation_split: float,
    seed: int,
    n_samples: object,
) -> Dataset:
    table = _read_csv(name, label_column)
    n_rows = len(table.y)
    low = min(N_SAMPLES_RANGE[0], n_rows)
    n = _check_n_samples(n_samples, low, n_rows, f"dataset {name!r} ({n_rows} rows)")
    n = n_rows if n is None else n
    rng = np.random.default_rng(seed)
    x_train, y_train, x_val, y_val = _split(
        table.x, table.y, n, validation_split, rng, f"dataset {name!r}"
    )
    x_train, x_val = _standardise(x_train, x_val, 0.0, table.feature_names,
                                  f"dataset {name!r}", in_place=True)
    return Dataset(
        name=name,
        task=table.task,
        x_train=x_train,
        y_train=y_train,
        x_val=x_val,
        y_val=y_val,
        class_names=table.class_names,
        feature_names=table.feature_names,
        n_features=len(table.feature_names),
        n_classes=len(table.class_names),
        description=table.description,
    )
