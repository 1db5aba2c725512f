"""Fuzzed CSV files: each gives a usable Dataset or a one-line ConfigError, never another error.

Three generators, from blind to informed: arbitrary bytes; rows of arbitrary cells (numbers
of any magnitude, NaN, infinities, text, empty, quotes, separators); and well-formed files of
finite numbers of any magnitude, which must load into finite, standardised features that a
first training step turns into a finite loss.
"""

import os
import string
import tempfile

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import ConfigError, Trainer, TrainingConfig, datasets

FUZZ = settings(max_examples=120, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
#: A loss that fits each task, for the first training step.
LOSS_FOR = {"binary": "binary_crossentropy", "multiclass": "categorical_crossentropy",
            "regression": "mean_squared_error", "counts": "poisson"}


def _load(content, then=None, **kwargs):
    """Write ``content`` to a fresh file and load it; return the Dataset or the ConfigError.

    ``then(dataset)`` runs while the file still exists (validation reads it).
    """
    with tempfile.TemporaryDirectory(prefix="losslab-fuzz-") as folder:
        path = os.path.join(folder, "data.csv")
        with open(path, "wb") as handle:
            handle.write(content if isinstance(content, bytes) else content.encode("utf-8"))
        name = f"csv:{path}"
        try:
            info = datasets.info(name, **kwargs)
            dataset = datasets.load(name, seed=0, **kwargs)
        except ConfigError as error:
            _assert_one_line_naming(error, name)
            return error
        assert info.task == dataset.task and info.n_features == dataset.n_features
        _assert_usable(dataset)
        if then is not None:
            then(dataset)
        return dataset


def _assert_one_line_naming(error, name):
    message = str(error)
    assert message and "\n" not in message and "\r" not in message, repr(message)
    assert message.startswith((f"dataset {name!r}", "label_column")), message


def _assert_usable(dataset):
    for x in (dataset.x_train, dataset.x_val):
        assert x.dtype == np.float64 and x.shape[1] == dataset.n_features
        assert np.all(np.isfinite(x))
    assert len(dataset.x_train) >= 2
    if dataset.task in ("binary", "multiclass"):
        assert dataset.n_classes >= 2
        assert dataset.y_train.dtype == np.int64
        assert np.all((dataset.y_train >= 0) & (dataset.y_train < dataset.n_classes))
    else:
        assert np.all(np.isfinite(dataset.y_train))


@FUZZ
@given(st.binary(max_size=600))
def test_arbitrary_bytes(content):
    _load(content)


_CELL = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-10**30, 10**30).map(str),
    st.sampled_from(["", " ", "nan", "inf", "-inf", "1e309", "-1e308", "0x10", "1,5", "yes",
                     '"', '""', '"a,b"', "\x00", "\ufeff1", "٣", "1_000"]),
    st.text(alphabet=string.printable, max_size=6),
)


@st.composite
def _table(draw):
    width = draw(st.integers(1, 5))
    header = draw(st.lists(st.one_of(st.text(string.ascii_letters, min_size=1, max_size=4),
                                     _CELL), min_size=width, max_size=width))
    rows = draw(st.lists(st.lists(_CELL, min_size=max(0, width - 1), max_size=width + 1),
                         max_size=25))
    separator = draw(st.sampled_from([",", ",", ";", "\t"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    bom = draw(st.sampled_from(["", "\ufeff"]))
    lines = [separator.join(header), *(separator.join(row) for row in rows)]
    label = draw(st.one_of(st.none(), st.sampled_from(header), st.text(max_size=3)))
    return bom + newline.join(lines) + newline, label


@FUZZ
@given(_table())
def test_rows_of_arbitrary_cells(table):
    text, label = table
    _load(text, label_column=label)


_FINITE = st.floats(allow_nan=False, allow_infinity=False)


@st.composite
def _finite_table(draw):
    width = draw(st.integers(1, 4))
    n = draw(st.integers(5, 40))
    features = draw(st.lists(st.lists(_FINITE, min_size=width, max_size=width),
                             min_size=n, max_size=n))
    kind = draw(st.sampled_from(["classes", "values"]))
    if kind == "classes":
        labels = draw(st.lists(st.sampled_from(["a", "b", "c"]), min_size=n, max_size=n))
    else:
        labels = [repr(v) for v in draw(st.lists(_FINITE, min_size=n, max_size=n))]
    header = ",".join([*(f"f{i}" for i in range(width)), "label"])
    rows = [",".join([*map(repr, row), label]) for row, label in zip(features, labels)]
    return "\n".join([header, *rows]) + "\n"


@FUZZ
@given(_finite_table())
def test_finite_numbers_of_any_magnitude_train_or_are_refused(text):
    """Features near 1e308 once became inf/NaN and a run 'diverged at step 1'."""
    def first_step(dataset):
        np.testing.assert_allclose(dataset.x_train.mean(axis=0), 0.0, atol=1e-6)
        trainer = Trainer(TrainingConfig(dataset=dataset.name, loss=LOSS_FOR[dataset.task],
                                         epochs=1, batch_size=8), dataset=dataset)
        step = trainer.step()
        assert np.isfinite(step.loss), (dataset.task, step.loss)
    _load(text, then=first_step)


def _outcome(text, label):
    """What loading ``text`` gives: the split arrays and names, or the error (path elided)."""
    with tempfile.TemporaryDirectory(prefix="losslab-fuzz-") as folder:
        path = os.path.join(folder, "data.csv")
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        try:
            dataset = datasets.load(f"csv:{path}", seed=0, label_column=label)
        except ConfigError as error:
            return str(error).replace(path, "PATH")
        return (dataset.task, dataset.class_names, dataset.feature_names,
                dataset.x_train.tobytes(), dataset.y_train.tobytes(), dataset.x_val.tobytes(),
                dataset.y_val.tobytes())


@FUZZ
@given(st.one_of(_table(), _finite_table().map(lambda text: (text, None))), st.integers(1, 4),
       st.integers(1, 3))
def test_reading_in_chunks_changes_nothing(table, chunk_rows, label_texts):
    """A file is read a few rows at a time; the result (or the first error, in the rules'
    order) is the same as from one chunk, also when the label texts kept run out (then they
    are read again)."""
    text, label = table
    whole = _outcome(text, label)
    saved = datasets.CSV_CHUNK_ROWS, datasets.CSV_MAX_LABEL_TEXTS
    datasets.CSV_CHUNK_ROWS, datasets.CSV_MAX_LABEL_TEXTS = chunk_rows, label_texts
    try:
        chunked = _outcome(text, label)
    finally:
        datasets.CSV_CHUNK_ROWS, datasets.CSV_MAX_LABEL_TEXTS = saved
    assert chunked == whole
