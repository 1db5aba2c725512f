"""Tests for engine.datasets: built-in sets, splitting, standardisation and CSV files."""

import gzip
import os
import re

import numpy as np
import pytest

from engine import TrainingConfig, datasets, texts
from engine.datasets import Dataset, DatasetInfo
from engine.errors import ConfigError

BUILTINS = [
    "circle", "xor", "gauss", "spiral", "moons", "blobs", "spiral3",
    "sine", "plane", "counts", "iris", "digits",
]
# name: (task, n_features, n_classes, default number of rows)
EXPECTED = {
    "circle": ("binary", 2, 2, 500),
    "xor": ("binary", 2, 2, 500),
    "gauss": ("binary", 2, 2, 500),
    "spiral": ("binary", 2, 2, 600),
    "moons": ("binary", 2, 2, 500),
    "blobs": ("multiclass", 2, 3, 450),
    "spiral3": ("multiclass", 2, 3, 600),
    "sine": ("regression", 1, 0, 300),
    "plane": ("regression", 2, 0, 400),
    "counts": ("counts", 2, 0, 500),
    "iris": ("multiclass", 4, 3, 150),
    "digits": ("multiclass", 64, 10, 1797),
}
SYNTHETIC = BUILTINS[:10]
BINARY_SYNTHETIC = ["circle", "xor", "gauss", "spiral", "moons"]
CLASSIFICATION = {"binary", "multiclass"}


def write_csv(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return f"csv:{path}"


# --- built-ins ----------------------------------------------------------------------------------


def test_names_lists_every_builtin_in_order():
    """The shipped sets come first, in order (a dataset registered later follows)."""
    assert datasets.names()[:len(BUILTINS)] == BUILTINS


@pytest.mark.parametrize("name", datasets.names())
def test_every_builtin_carries_its_description_class_names_and_suggestion(name):
    """The facts of a dataset live in its registry entry, English, marked for the GUI's
    catalogue; iris's species and the digits read the same in every language."""
    info = datasets.info(name)
    assert info.description.endswith(".") and info.description in texts.MARKED
    for class_name in info.class_names:
        assert class_name in texts.MARKED or class_name.isdigit() or name == "iris"
    preset = datasets.preset(name)
    assert preset.changes["dataset"] == name
    assert preset.why.endswith(".") and preset.why in texts.MARKED
    assert TrainingConfig(**preset.changes).validate().dataset == name


def test_a_csv_file_has_no_suggestion(tmp_path):
    name = write_csv(tmp_path, "x,y\n1,0\n2,1\n")
    with pytest.raises(ConfigError, match=r"no suggested settings for dataset 'csv:.*'; "
                                          r"suggestions exist for circle, xor, gauss"):
        datasets.preset(name)


@pytest.mark.parametrize("name", BUILTINS)
def test_builtin_shapes_dtypes_and_task(name):
    task, n_features, n_classes, n_rows = EXPECTED[name]
    data = datasets.load(name)
    assert isinstance(data, Dataset)
    assert (data.name, data.task, data.n_features, data.n_classes) == (
        name, task, n_features, n_classes
    )
    n_val = round(n_rows * 0.2)
    assert data.x_train.shape == (n_rows - n_val, n_features)
    assert data.x_val.shape == (n_val, n_features)
    assert data.y_train.shape == (n_rows - n_val,)
    assert data.y_val.shape == (n_val,)
    assert data.x_train.dtype == data.x_val.dtype == np.float64
    assert data.x_train.flags.c_contiguous and data.x_val.flags.c_contiguous
    assert np.all(np.isfinite(data.x_train)) and np.all(np.isfinite(data.x_val))
    assert len(data.feature_names) == n_features
    assert len(set(data.feature_names)) == n_features
    assert len(data.class_names) == n_classes
    assert data.description.endswith(".") and len(data.description) < 90
    if task in CLASSIFICATION:
        assert data.y_train.dtype == data.y_val.dtype == np.int64
        labels = np.concatenate([data.y_train, data.y_val])
        counts = np.bincount(labels, minlength=n_classes)
        assert counts.size == n_classes
        assert counts.min() > 0
    else:
        assert data.y_train.dtype == data.y_val.dtype == np.float64
        assert data.class_names == ()


@pytest.mark.parametrize("name", SYNTHETIC)
def test_synthetic_classes_are_balanced_and_features_small(name):
    data = datasets.load(name)
    x = np.concatenate([data.x_train, data.x_val])
    assert np.abs(x).max() < 4.0
    if data.task in CLASSIFICATION:
        counts = np.bincount(np.concatenate([data.y_train, data.y_val]))
        assert counts.max() - counts.min() <= 1


@pytest.mark.parametrize("name", BUILTINS)
def test_info_matches_load(name):
    data = datasets.load(name)
    assert datasets.info(name) == DatasetInfo(
        name, data.task, data.n_features, data.n_classes, data.class_names, data.description
    )


def test_info_generates_and_reads_nothing(monkeypatch, csv_parses):
    def forbidden(*args, **kwargs):
        raise AssertionError("info() must not generate or read data")

    with monkeypatch.context() as patched:
        patched.setattr(np.random, "default_rng", forbidden)
        tasks = [datasets.info(name).task for name in BUILTINS]
    assert tasks == [EXPECTED[n][0] for n in BUILTINS]
    assert csv_parses() == {}  # the shipped files were forgotten first: a read would count
    datasets.load("iris")
    datasets.load("digits")
    assert csv_parses() == {"iris": 1, "digits": 1}


@pytest.mark.parametrize("name", BUILTINS)
def test_same_seed_same_data_other_seed_other_data(name):
    first = datasets.load(name, seed=3)
    again = datasets.load(name, seed=3)
    other = datasets.load(name, seed=4)
    for field in ("x_train", "y_train", "x_val", "y_val"):
        assert np.array_equal(getattr(first, field), getattr(again, field))
    assert not np.array_equal(first.x_train, other.x_train)


@pytest.mark.parametrize("name", BINARY_SYNTHETIC)
def test_binary_sets_have_both_classes_in_both_splits(name):
    data = datasets.load(name)
    for y in (data.y_train, data.y_val):
        assert set(np.unique(y)) == {0, 1}
        assert 0.35 < y.mean() < 0.65
    # Not degenerate: no single feature threshold separates the nonlinear sets.
    if name in ("circle", "xor", "spiral", "moons"):
        x, y = data.x_train, data.y_train
        for column in range(2):
            order = np.argsort(x[:, column])
            sorted_labels = y[order]
            assert np.count_nonzero(np.diff(sorted_labels)) > 4


def test_clean_circle_has_a_gap_between_disc_and_ring():
    data = datasets.load("circle", noise=0.0, validation_split=0.0)
    radius = np.hypot(data.x_train[:, 0], data.x_train[:, 1])
    inner = data.y_train == 1
    assert radius[inner].max() <= 0.5
    assert radius[~inner].min() >= 0.7
    assert radius[~inner].max() <= 1.0


def test_clean_xor_labels_are_the_sign_product():
    data = datasets.load("xor", noise=0.0, validation_split=0.0)
    x = data.x_train
    assert np.array_equal(data.y_train, (x[:, 0] * x[:, 1] > 0).astype(np.int64))
    assert np.abs(x).min() >= 0.1


def test_clean_regression_targets_follow_their_formulas():
    sine = datasets.load("sine", noise=0.0)
    assert np.array_equal(sine.y_train, np.sin(sine.x_train[:, 0]))
    assert sine.x_train.min() >= -np.pi and sine.x_train.max() <= np.pi
    plane = datasets.load("plane", noise=0.0)
    expected = 0.6 * plane.x_val[:, 0] - 0.4 * plane.x_val[:, 1] + 0.2
    np.testing.assert_allclose(plane.y_val, expected, rtol=0, atol=1e-15)


def test_noise_moves_points_by_the_documented_amount():
    clean = datasets.load("sine", noise=0.0, n_samples=4000)
    noisy = datasets.load("sine", noise=0.4, n_samples=4000)
    residual = noisy.y_train - np.sin(noisy.x_train[:, 0])
    assert np.array_equal(clean.y_train, np.sin(clean.x_train[:, 0]))
    assert abs(residual.std() - 0.2) < 0.01
    assert abs(residual.mean()) < 0.01


def test_counts_are_poisson_counts_rising_with_x1_and_falling_with_x2():
    data = datasets.load("counts", n_samples=2000)
    y = np.concatenate([data.y_train, data.y_val])
    x = np.concatenate([data.x_train, data.x_val])
    assert y.dtype == np.float64
    assert np.all(y >= 0)
    assert np.array_equal(y, np.round(y))
    # E[exp(0.5 + 0.8 x1 - 0.6 x2)] for x uniform in [-1, 1]^2 is about 1.94.
    assert 1.7 < y.mean() < 2.2
    assert np.corrcoef(x[:, 0], y)[0, 1] > 0.3
    assert np.corrcoef(x[:, 1], y)[0, 1] < -0.2


# --- parameters and splitting ------------------------------------------------------------------


@pytest.mark.parametrize(("split", "n_val"), [(0.0, 0), (0.1, 50), (0.5, 250), (0.9, 450)])
def test_validation_split_sizes(split, n_val):
    data = datasets.load("circle", validation_split=split)
    assert data.x_val.shape == (n_val, 2)
    assert data.y_val.shape == (n_val,)
    assert data.y_val.dtype == np.int64
    assert data.x_train.shape == (500 - n_val, 2)


def test_empty_validation_keeps_shapes_for_regression_and_real_data():
    sine = datasets.load("sine", validation_split=0)
    assert sine.x_val.shape == (0, 1) and sine.y_val.dtype == np.float64
    iris = datasets.load("iris", validation_split=0)
    assert iris.x_val.shape == (0, 4) and iris.x_train.shape == (150, 4)


def test_split_partitions_the_rows():
    whole = datasets.load("plane", noise=0.0, validation_split=0.0, seed=5)
    split = datasets.load("plane", noise=0.0, validation_split=0.3, seed=5)
    rows = np.concatenate([split.x_train, split.x_val])
    assert sorted(map(tuple, rows)) == sorted(map(tuple, whole.x_train))


def test_n_samples_overrides_the_size():
    data = datasets.load("spiral3", n_samples=100)
    assert data.x_train.shape == (80, 2) and data.x_val.shape == (20, 2)
    assert np.array_equal(np.bincount(np.concatenate([data.y_train, data.y_val])), [34, 33, 33])
    iris = datasets.load("iris", n_samples=60, validation_split=0.25)
    assert iris.x_train.shape == (45, 4) and iris.x_val.shape == (15, 4)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"noise": -0.1}, r"noise -0\.1 .*0\.0 to 1\.0"),
        ({"noise": 1.5}, r"noise 1\.5"),
        ({"noise": float("nan")}, r"noise nan"),
        ({"noise": "0.1"}, r"noise '0\.1'"),
        ({"validation_split": 0.95}, r"validation_split 0\.95 .*0\.0 to 0\.9"),
        ({"validation_split": -0.2}, r"validation_split -0\.2"),
        ({"validation_split": True}, r"validation_split True"),
        ({"n_samples": 9}, r"n_samples 9 .*10 to 1000000"),
        ({"n_samples": 100.0}, r"n_samples 100\.0"),
        ({"n_samples": 10, "validation_split": 0.9}, r"validation_split 0\.9 .*too few rows"),
        ({"n_samples": 10, "validation_split": 0.01}, r"0 validation rows"),
        ({"seed": -1}, r"seed -1"),
        ({"seed": 1.5}, r"seed 1\.5"),
        ({"label_column": "y"}, r"label_column 'y' applies to CSV files only"),
    ],
)
def test_bad_parameters_name_the_field_and_value(kwargs, match):
    with pytest.raises(ConfigError, match=match):
        datasets.load("circle", **kwargs)


def test_real_data_n_samples_cannot_exceed_the_rows():
    with pytest.raises(ConfigError, match=r"n_samples 151 .*10 to 150"):
        datasets.load("iris", n_samples=151)


@pytest.mark.parametrize("name", ["cirlce", "CSV", "", None, 3])
def test_unknown_dataset_lists_the_valid_names(name):
    with pytest.raises(ConfigError, match=r"is unknown; valid datasets are circle, xor, .*digits"):
        datasets.load(name)
    with pytest.raises(ConfigError, match=r"csv:PATH"):
        datasets.info(name)


# --- real data -------------------------------------------------------------------------------


def test_iris_has_150_flowers_50_per_species():
    data = datasets.load("iris")
    labels = np.concatenate([data.y_train, data.y_val])
    assert labels.shape == (150,)
    assert np.array_equal(np.bincount(labels), [50, 50, 50])
    assert data.class_names == ("setosa", "versicolor", "virginica")
    assert data.feature_names[2] == "petal length (cm)"
    with open(datasets.DATA_DIR / "iris.csv", encoding="ascii") as handle:
        assert tuple(handle.readline().strip().split(",")[2:]) == data.class_names
    x, y = datasets.read_rows("iris")  # the file as read, unshuffled
    assert x[0].tolist() == [5.1, 3.5, 1.4, 0.2] and y[0] == 0
    assert x[149].tolist() == [5.9, 3.0, 5.1, 1.8] and y[149] == 2


def test_digits_match_the_raw_file():
    data = datasets.load("digits")
    labels = np.concatenate([data.y_train, data.y_val])
    assert labels.shape == (1797,)
    assert data.n_features == 64 and data.feature_names[10] == "pixel_1_2"
    assert np.array_equal(np.bincount(labels), [178, 182, 177, 183, 181, 182, 181, 179, 174, 180])
    with gzip.open(datasets.DATA_DIR / "digits.csv.gz", "rt") as handle:
        first_line = handle.readline().split(",")
    assert first_line[:8] == ["0", "0", "5", "13", "9", "1", "0", "0"]
    assert first_line[64].strip() == "0"
    x, y = datasets.read_rows("digits")  # the file as read, unshuffled
    assert x.shape == (1797, 64)
    assert x[0, 2] == 5.0 and x[0, 3] == 13.0 and x[0, 10] == 13.0 and y[0] == 0
    assert x.min() == 0.0 and x.max() == 16.0


def test_digits_standardisation_is_safe_for_constant_and_rare_pixels():
    data = datasets.load("digits")
    x = np.loadtxt(datasets.DATA_DIR / "digits.csv.gz", delimiter=",")[:, :-1]
    assert x[:, 0].max() == 0.0  # pixel_0_0 is blank in every image
    assert np.all(data.x_train[:, 0] == 0.0) and np.all(data.x_val[:, 0] == 0.0)
    # The standard deviation is at least one grey level, so no value exceeds 16 in size.
    assert np.abs(data.x_val).max() <= 16.0
    assert np.abs(data.x_train).max() <= 16.0
    busy = x.std(axis=0) > 3.0
    np.testing.assert_allclose(data.x_train[:, busy].mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(data.x_train[:, busy].std(axis=0), 1.0, atol=1e-12)


def test_iris_is_standardised_with_training_statistics_only():
    data = datasets.load("iris", seed=2)
    np.testing.assert_allclose(data.x_train.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(data.x_train.std(axis=0), 1.0, atol=1e-12)
    assert np.all(np.abs(data.x_val.mean(axis=0)) > 1e-6)
    assert np.all(np.abs(data.x_val.std(axis=0) - 1.0) > 1e-6)


# --- CSV files ---------------------------------------------------------------------------------


def test_csv_with_string_labels_in_the_last_column(tmp_path):
    rows = "\n".join(f"{i},{i % 7 * 0.5},{['cat', 'dog', 'ant'][i % 3]}" for i in range(30))
    name = write_csv(tmp_path, "a, b ,animal\n" + rows + "\n\n")
    data = datasets.load(name, validation_split=0.2)
    assert data.task == "multiclass"
    assert data.class_names == ("ant", "cat", "dog")
    assert data.feature_names == ("a", "b")
    assert (data.n_features, data.n_classes) == (2, 3)
    assert data.x_train.shape == (24, 2) and data.x_val.shape == (6, 2)
    assert data.y_train.dtype == np.int64
    assert np.array_equal(np.bincount(np.concatenate([data.y_train, data.y_val])), [10, 10, 10])
    assert data.description == "data.csv: 30 rows, 2 features, label 'animal' (multiclass)."
    assert datasets.info(name) == DatasetInfo(
        name, "multiclass", 2, 3, ("ant", "cat", "dog"), data.description
    )


def test_csv_with_a_named_label_column_and_integer_classes(tmp_path):
    rows = "\n".join(f"{i},{1 if i % 2 else -1},{i * i}" for i in range(20))
    name = write_csv(tmp_path, "\ufeffx,target,x_squared\n" + rows)
    data = datasets.load(name, label_column="target", validation_split=0.25, seed=1)
    assert data.task == "binary"
    assert data.class_names == ("-1", "1")
    assert data.feature_names == ("x", "x_squared")
    # Class id 1 is label "1", i.e. odd x; standardising keeps the order of x.
    x = np.concatenate([data.x_train, data.x_val])[:, 0]
    y = np.concatenate([data.y_train, data.y_val])
    order = np.argsort(x)
    assert np.array_equal(y[order], np.arange(20) % 2)


def test_csv_numeric_targets_become_regression_or_counts(tmp_path):
    floats = "\n".join(f"{i},{i * 0.25}" for i in range(40))
    data = datasets.load(write_csv(tmp_path, "x,y\n" + floats, "floats.csv"))
    assert data.task == "regression" and data.n_classes == 0 and data.class_names == ()
    assert data.y_train.dtype == np.float64
    counts = "\n".join(f"{i},{i}" for i in range(21))
    data = datasets.load(write_csv(tmp_path, "x,y\n" + counts, "counts.csv"))
    assert data.task == "counts"
    twenty = "\n".join(f"{i},{i}.0" for i in range(20))
    data = datasets.load(write_csv(tmp_path, "x,y\n" + twenty, "twenty.csv"))
    assert data.task == "multiclass" and data.class_names[:3] == ("0", "1", "2")
    negative = "\n".join(f"{i},{i - 5}" for i in range(21))
    data = datasets.load(write_csv(tmp_path, "x,y\n" + negative, "negative.csv"))
    assert data.task == "regression"


def test_csv_is_standardised_with_training_statistics_only(tmp_path):
    rng = np.random.default_rng(0)
    raw = rng.normal(3.0, 2.0, size=(50, 2))
    # The target (a unique row id plus 0.5) tells which raw row each loaded row is.
    lines = [f"{a!r},{b!r},{i + 0.5}" for i, (a, b) in enumerate(raw.tolist())]
    data = datasets.load(write_csv(tmp_path, "a,b,row\n" + "\n".join(lines)), seed=4)
    assert data.task == "regression"
    train_rows = (data.y_train - 0.5).astype(int)
    val_rows = (data.y_val - 0.5).astype(int)
    mean, std = raw[train_rows].mean(axis=0), raw[train_rows].std(axis=0)
    np.testing.assert_allclose(data.x_train, (raw[train_rows] - mean) / std, rtol=0, atol=1e-12)
    np.testing.assert_allclose(data.x_val, (raw[val_rows] - mean) / std, rtol=0, atol=1e-12)
    assert np.abs(data.x_val.mean(axis=0)).min() > 1e-6


def test_csv_constant_feature_is_divided_by_one(tmp_path):
    lines = "\n".join(f"0.1,{i},{i % 2}" for i in range(20))
    data = datasets.load(write_csv(tmp_path, "c,x,y\n" + lines))
    assert np.all(np.abs(data.x_train[:, 0]) < 1e-15) and np.all(np.abs(data.x_val[:, 0]) < 1e-15)


def test_csv_n_samples_takes_a_subset(tmp_path):
    lines = "\n".join(f"{i},{i % 2}" for i in range(40))
    data = datasets.load(write_csv(tmp_path, "x,y\n" + lines), n_samples=20, validation_split=0.5)
    assert data.x_train.shape == (10, 1) and data.x_val.shape == (10, 1)
    with pytest.raises(ConfigError, match=r"n_samples 41 .*10 to 40"):
        datasets.load(write_csv(tmp_path, "x,y\n" + lines), n_samples=41)


GOOD_HEAD = "x1,x2,label\n1,2,a\n3,4,b\n"


@pytest.mark.parametrize(
    ("text", "kwargs", "match"),
    [
        ("", {}, r"is empty"),
        ("\n  \n\n", {}, r"is empty"),
        ("x1,x2,label\n", {}, r"has a header but no data rows"),
        ("label\n1\n2\n", {}, r"header \(line 1\) has 1 column"),
        ("x1,,label\n1,2,a\n", {}, r"no name for column 2"),
        ("x,x,label\n1,2,a\n", {}, r"names column 'x' twice"),
        (GOOD_HEAD + "5,6\n", {}, r"line 4 has 2 fields but the header \(line 1\) has 3 columns"),
        (GOOD_HEAD + "\n5,6,a,7\n", {}, r"line 5 has 4 fields but the header .* 3 columns"),
        (GOOD_HEAD + "5,six,a\n", {}, r"line 4, column 'x2': 'six' is not a number"),
        (GOOD_HEAD + "5,,a\n", {}, r"line 4, column 'x2': is empty \(missing value\)"),
        (GOOD_HEAD + "nan,6,a\n", {}, r"line 4, column 'x1': 'nan' is not a finite number"),
        (GOOD_HEAD + "5,-inf,a\n", {}, r"line 4, column 'x2': '-inf' is not a finite number"),
        ("x,y\n1,2\n2,nan\n", {}, r"line 3, label column 'y': 'nan' is not a finite number"),
        (GOOD_HEAD + "5,6,\n", {}, r"line 4, label column 'label' is empty"),
        (GOOD_HEAD, {"label_column": "klass"},
         r"label_column 'klass' is not a column .* its columns are 'x1', 'x2', 'label'"),
        (GOOD_HEAD, {"label_column": 2}, r"label_column 2 is invalid"),
        ("x,y\n" + "".join(f"{i},same\n" for i in range(12)), {},
         r"label column 'y' has only one class \('same'\)"),
        ("x,y\n" + "".join(f"{i},3\n" for i in range(12)), {},
         r"label column 'y' has only one class \('3'\)"),
        ("x,y\n1,a\n2,b\n", {}, r"validation_split 0\.2 of the 2 rows .*too few rows"),
        ("x,y\n1,a\n2,b\n3,a\n", {"validation_split": 0.5}, r"leaves 1 training"),
        ('x,y\n1,a\n2,"b\n3,c\n', {}, r"row starting at line 3 is not valid CSV"),
    ],
)
def test_csv_errors_say_where(tmp_path, text, kwargs, match):
    name = write_csv(tmp_path, text)
    with pytest.raises(ConfigError, match=match):
        datasets.load(name, **kwargs)


def test_csv_error_for_missing_file_directory_and_bad_encoding(tmp_path):
    with pytest.raises(ConfigError, match=r"file '.*nope\.csv' not found"):
        datasets.load(f"csv:{tmp_path / 'nope.csv'}")
    with pytest.raises(ConfigError, match=r"is not a file"):
        datasets.info(f"csv:{tmp_path}")
    with pytest.raises(ConfigError, match=r"has no file path"):
        datasets.load("csv:  ")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("x,y\n1,caf\u00e9\n".encode("latin-1"))
    with pytest.raises(ConfigError, match=r"is not UTF-8 text"):
        datasets.load(f"csv:{latin}")


def test_csv_info_reads_the_file_and_reports_errors(tmp_path):
    name = write_csv(tmp_path, GOOD_HEAD + "5,6,c\n")
    description = "data.csv: 3 rows, 2 features, label 'label' (multiclass)."
    assert datasets.info(name) == DatasetInfo(
        name, "multiclass", 2, 3, ("a", "b", "c"), description
    )
    with pytest.raises(ConfigError, match=r"line 2, column 'label': 'a' is not a number"):
        datasets.info(name, label_column="x2")


# -- issue 15 #1: huge finite values -------------------------------------------------------------

def _huge_csv(tmp_path, scale, name="huge.csv"):
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, size=(200, 2))  # within [-1, 1]: scale up to 1.79e308 is finite
    y = (x[:, 0] * x[:, 1] > 0).astype(int)
    rows = "\n".join(f"{float(a * scale)!r},{float(b * scale)!r},{label}"
                     for (a, b), label in zip(x, y))
    return write_csv(tmp_path, "a,b,label\n" + rows + "\n", name), x


def test_features_near_1e308_standardise_as_small_ones_do(tmp_path):
    """Summing 200 values near 1e308 overflows: the first wave gave inf/NaN features (and a
    run 'diverged at step 1'). Scaled first, they standardise exactly like the same data."""
    huge, _ = _huge_csv(tmp_path, 1e307, "huge.csv")
    small, _ = _huge_csv(tmp_path, 1.0, "small.csv")
    with np.errstate(all="raise"):  # no overflow or invalid operation on the way
        big = datasets.load(huge, seed=3)
    ref = datasets.load(small, seed=3)
    assert np.all(np.isfinite(big.x_train)) and np.all(np.isfinite(big.x_val))
    np.testing.assert_allclose(big.x_train, ref.x_train, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(big.x_val, ref.x_val, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(big.x_train.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(big.x_train.std(axis=0), 1.0, rtol=1e-12)


def test_a_run_on_huge_features_trains_like_one_on_small(tmp_path):
    from engine import Trainer, TrainingConfig
    huge, _ = _huge_csv(tmp_path, 1.7e308)
    history = Trainer(TrainingConfig(dataset=huge, epochs=3)).fit()
    assert history.diverged is None
    assert np.all(np.isfinite(history.batch_loss))


def test_an_extreme_validation_outlier_is_refused_naming_the_column(tmp_path):
    rows = [f"{i % 7},{(-1) ** i},{i % 2}" for i in range(60)]
    rows[5] = f"1e300,1,{5 % 2}"  # one row, 1e299 deviations out when it is in validation
    path = write_csv(tmp_path, "width,height,label\n" + "\n".join(rows) + "\n")
    refused = []
    for seed in range(30):  # in training, the outlier only makes the column near-constant
        try:
            datasets.load(path, seed=seed)
        except ConfigError as error:
            refused.append(str(error))
    assert 0 < len(refused) < 30  # seeded: the seeds that put it in validation, every time
    assert all("column 'width' cannot be standardised: a validation value" in message
               and "\n" not in message for message in refused)


def test_a_huge_regression_target_is_refused_naming_line_and_column(tmp_path):
    rows = [f"{i},{i * 0.5}" for i in range(30)]
    rows[3] = "3,1e200"
    path = write_csv(tmp_path, "x,price\n" + "\n".join(rows) + "\n")
    with pytest.raises(ConfigError, match=r"line 5, label column 'price': '1e200' is beyond "
                                          r"1e\+15 in magnitude"):
        datasets.load(path)


# -- issue 15 #11: a CSV is parsed once per file version ------------------------------------------

def test_info_validation_and_load_parse_a_file_once(tmp_path, csv_parses):
    from engine import TrainingConfig, incompatibility, losses
    path = write_csv(tmp_path, "a,b,y\n" + "".join(f"{i},{i * i},{i % 3}\n" for i in range(40)))
    datasets.info(path)
    fitting = [loss for loss in losses.names()  # the GUI's loss menu checks every loss
               if incompatibility(path, loss) is None]
    assert fitting == losses.names()  # every loss trains on classification data
    TrainingConfig(dataset=path, loss="categorical_crossentropy").validate()
    datasets.load(path, seed=1)
    datasets.load(path, seed=2)
    assert csv_parses() == {path: 1}


def test_a_changed_file_is_parsed_again(tmp_path, csv_parses):
    import os
    path = write_csv(tmp_path, "a,y\n1,0\n2,1\n3,0\n4,1\n")
    assert datasets.info(path).task == "binary"
    file = tmp_path / "data.csv"
    file.write_text("a,y\n1,0\n2,1\n3,2\n4,1\n")  # same size, new content
    stat = file.stat()
    os.utime(file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1000))
    assert datasets.info(path).task == "multiclass"
    assert csv_parses() == {path: 2}


def test_a_bad_file_is_parsed_once_and_reports_the_same_error(tmp_path, csv_parses):
    path = write_csv(tmp_path, "a,y\n1,0\nx,1\n")
    for _ in range(3):
        with pytest.raises(ConfigError, match="line 3, column 'a': 'x' is not a number"):
            datasets.info(path)
    assert csv_parses() == {path: 1}


def test_the_cached_arrays_cannot_be_changed_by_a_caller(tmp_path):
    path = write_csv(tmp_path, "a,y\n" + "".join(f"{i},{i % 2}\n" for i in range(20)))
    x, y = datasets.read_rows(path)  # the parse every load of it shares
    assert x.shape == (20, 1) and y[3] == 1
    with pytest.raises(ValueError):
        x[0, 0] = 99.0
    with pytest.raises(ValueError):
        y[0] = 1
    first = datasets.load(path)
    first.x_train[0, 0] = 99.0  # a dataset's own arrays are copies
    assert datasets.load(path).x_train[0, 0] != 99.0


def test_read_rows_reads_files_only():
    with pytest.raises(ConfigError, match="dataset 'circle' is generated, not read from a "
                                          "file; read_rows takes iris, digits or csv:PATH"):
        datasets.read_rows("circle")
    with pytest.raises(ConfigError, match="applies to CSV files only"):
        datasets.read_rows("iris", label_column="y")
    with pytest.raises(ConfigError, match="unknown"):
        datasets.read_rows("no_such_set")


def test_a_non_string_label_column_is_a_config_error_not_a_type_error(tmp_path):
    path = write_csv(tmp_path, "a,y\n1,0\n2,1\n3,0\n")
    with pytest.raises(ConfigError, match="label_column \\['y'\\] is invalid"):
        datasets.info(path, label_column=["y"])


def test_a_csv_name_that_is_not_utf8_is_a_config_error(tmp_path):
    raw = os.path.join(os.fsencode(str(tmp_path)), b"caf\xe9.csv")
    with open(raw, "w") as handle:
        handle.write("a,y\n" + "".join(f"{i},{i % 2}\n" for i in range(20)))
    name = "csv:" + os.fsdecode(raw)
    for read in (datasets.info, datasets.load):
        with pytest.raises(ConfigError, match=r"caf\\xe9.csv'? is not valid UTF-8; rename"):
            read(name)


# -- issue 25 #9: a big CSV is read in chunks, said as it goes, refused when it cannot fit ----

def _number_rows(tmp_path, n, width=10, name="big.csv"):
    rng = np.random.default_rng(0)
    values = rng.normal(size=(n, width - 1))
    labels = (values[:, 0] > 0).astype(int)
    path = tmp_path / name
    with open(path, "w") as handle:
        handle.write(",".join([f"f{i}" for i in range(width - 1)] + ["label"]) + "\n")
        np.savetxt(handle, np.column_stack([values, labels]),
                   fmt=["%.6f"] * (width - 1) + ["%d"], delimiter=",")
    return path, values, labels


def test_a_csv_is_parsed_into_arrays_not_lists_of_strings(tmp_path, monkeypatch):
    """Peak memory of the parse (tracemalloc, which counts NumPy's buffers; a small file read
    first takes the one-time costs): the reader kept every row as a list of strings, 14x the
    file; now the float table and a chunk."""
    import tracemalloc
    path, values, labels = _number_rows(tmp_path, 30_000)
    small, _, _ = _number_rows(tmp_path, 50, name="small.csv")
    monkeypatch.setattr(datasets, "CSV_CHUNK_ROWS", 512, raising=False)
    datasets.clear_csv_cache()
    tracemalloc.start()
    try:
        datasets.info(f"csv:{small}")
        tracemalloc.reset_peak()
        before, _ = tracemalloc.get_traced_memory()
        info = datasets.info(f"csv:{path}")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        datasets.clear_csv_cache()
    size = path.stat().st_size
    assert info.task == "binary" and info.n_features == 9
    assert peak - before < 1.5 * size, (peak - before, size)
    loaded = datasets.load(f"csv:{path}", validation_split=0.0)
    assert loaded.x_train.shape == (30_000, 9)
    assert np.array_equal(np.sort(loaded.y_train), np.sort(labels))


def test_a_long_csv_read_says_how_far_it_is(tmp_path, monkeypatch, caplog):
    path, _, _ = _number_rows(tmp_path, 12_000)
    monkeypatch.setattr(datasets, "CSV_PROGRESS_SECONDS", 0.0)
    monkeypatch.setattr(datasets, "CSV_CHUNK_ROWS", 1000)
    datasets.clear_csv_cache()
    with caplog.at_level("INFO", logger="engine.datasets"):
        datasets.info(f"csv:{path}")
    datasets.clear_csv_cache()
    said = [record.getMessage() for record in caplog.records]
    # the seconds depend on the machine's load; the wording and the row count do not
    assert said and re.fullmatch(rf"dataset 'csv:{re.escape(str(path))}': read 12,000 rows "
                                 r"in \d+ s", said[-1])
    shares = [int(text.split("reading, ")[1].split(" %")[0]) for text in said[:-1]]
    assert shares and shares == sorted(shares) and all(0 < share <= 100 for share in shares)
    assert all(" of 1.0 MB, " in text for text in said[:-1])


def test_a_csv_too_big_to_load_is_refused_with_the_estimate(tmp_path, monkeypatch):
    path, _, _ = _number_rows(tmp_path, 5000)
    with open(path, "a") as handle:  # a bad last row: refused before reading that far
        handle.write("1,2\n")
    monkeypatch.setattr(datasets, "CSV_CHUNK_ROWS", 2000)
    monkeypatch.setattr(datasets, "MAX_CSV_BYTES", datasets.csv_bytes(1000, 10))
    datasets.clear_csv_cache()
    with pytest.raises(ConfigError) as refused:
        datasets.load(f"csv:{path}")
    datasets.clear_csv_cache()
    message = str(refused.value)
    rows = int(message.split("holds about ")[1].split(" rows")[0].replace(",", ""))
    # estimated from the first 2000 rows' bytes (the reader's buffer makes it a little low)
    assert 4500 <= rows <= 5100
    assert message.startswith(f"dataset 'csv:{path}': file {str(path)!r} (")
    assert f"rows of 10 columns; loading them takes about {rows * 10 * 8 * 4 / 2**20:.1f} MB" \
        in message
    assert message.endswith("above the 0.3 MB this app allows; use a sample of at most 1,000 "
                            "rows or fewer columns")
