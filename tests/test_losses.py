"""Golden values, registry, metadata and bad input for the 13 Keras losses.

Every expected number is computed here by hand in plain Python (``math``) from the Keras 3
formula quoted in the comment next to it (keras/src/losses/losses.py, and
keras/src/backend/{numpy,jax}/nn.py for the three crossentropies); engine.losses is never used
to produce an expected value. EPS is ``keras.backend.epsilon()``.
"""

import math

import numpy as np
import pytest

from engine import TrainingConfig, datasets, losses, texts
from engine.errors import ConfigError

EPS = 1e-7

REFERENCE_NAMES = [
    "mean_squared_error",
    "mean_absolute_error",
    "mean_absolute_percentage_error",
    "mean_squared_logarithmic_error",
    "squared_hinge",
    "hinge",
    "categorical_hinge",
    "categorical_crossentropy",
    "sparse_categorical_crossentropy",
    "binary_crossentropy",
    "kullback_leibler_divergence",
    "poisson",
    "cosine_proximity",
]

ACTIVATIONS = {
    "linear", "relu", "leaky_relu", "elu", "tanh", "sigmoid", "softplus", "exponential",
    "softmax",
}
TASKS = {"binary", "multiclass", "regression", "counts"}
ENCODINGS = {"binary", "onehot", "sparse", "values"}


def clip_probability(p):
    """ops.clip(p, EPS, 1 - EPS), as every probability-space crossentropy does."""
    return min(max(p, EPS), 1.0 - EPS)


def log_sigmoid(z):
    """log(sigmoid(z)) = -softplus(-z), stable for |z| = 1000 (jax.nn.log_sigmoid)."""
    return -(max(-z, 0.0) + math.log1p(math.exp(-abs(z))))


def log_softmax(row):
    """x - max(x) - log(sum(exp(x - max(x)))) (keras/src/backend/numpy/nn.py log_softmax)."""
    top = max(row)
    log_sum = math.log(sum(math.exp(v - top) for v in row))
    return [v - top - log_sum for v in row]


def l2_normalize(row):
    """x * minimum(rsqrt(sum(x**2)), 1 / EPS) (keras/src/ops/nn.py _normalize, order 2)."""
    square_sum = sum(v * v for v in row)
    inv_norm = 1.0 / EPS if square_sum == 0.0 else min(1.0 / math.sqrt(square_sum), 1.0 / EPS)
    return [v * inv_norm for v in row]


def assert_golden(name, y_true, y_pred, expected, **kwargs):
    """per_sample equals ``expected`` and the loss is their mean."""
    loss = losses.get(name, **kwargs)
    y_true = np.asarray(y_true, dtype=np.float64)
    y_pred = np.asarray(y_pred, dtype=np.float64)
    per_sample = loss.per_sample(y_true, y_pred)
    assert isinstance(per_sample, np.ndarray)
    assert per_sample.shape == (len(expected),)
    np.testing.assert_allclose(per_sample, expected, rtol=1e-9, atol=1e-12)
    assert loss(y_true, y_pred) == pytest.approx(math.fsum(expected) / len(expected), rel=1e-9)


# --- regression losses -------------------------------------------------------------------


def test_mean_squared_error_golden():
    # loss = mean(square(y_true - y_pred), axis=-1)
    assert_golden(
        "mean_squared_error",
        [[1.0, 2.0], [0.0, -1.0]],
        [[1.5, 1.0], [0.0, 1.0]],
        [(0.5**2 + 1.0**2) / 2, (0.0 + 2.0**2) / 2],
    )
    assert_golden("mean_squared_error", [[3.0], [0.25]], [[-1.0], [0.25]], [16.0, 0.0])


def test_mean_absolute_error_golden():
    # loss = mean(abs(y_true - y_pred), axis=-1)
    assert_golden(
        "mean_absolute_error",
        [[1.0, 2.0], [0.0, -1.0]],
        [[1.5, 1.0], [0.0, 1.0]],
        [(0.5 + 1.0) / 2, (0.0 + 2.0) / 2],
    )
    assert_golden("mean_absolute_error", [[0.0], [2.5]], [[-0.5], [2.5]], [0.5, 0.0])


def test_mean_absolute_percentage_error_golden():
    # loss = 100 * mean(abs((y_true - y_pred) / maximum(abs(y_true), EPS)), axis=-1)
    assert_golden(
        "mean_absolute_percentage_error",
        [[2.0, -4.0]],
        [[1.0, -3.0]],
        [100.0 * (abs((2.0 - 1.0) / 2.0) + abs((-4.0 + 3.0) / 4.0)) / 2],
    )


def test_mean_absolute_percentage_error_zero_and_tiny_targets():
    # A zero target divides by EPS; a target below EPS in size also divides by EPS.
    assert_golden(
        "mean_absolute_percentage_error",
        [[0.0], [1e-8], [-2.0]],
        [[0.5], [0.0], [1.0]],
        [100.0 * 0.5 / EPS, 100.0 * 1e-8 / EPS, 100.0 * abs((-2.0 - 1.0) / 2.0)],
    )


def test_mean_squared_logarithmic_error_golden():
    # loss = mean(square(log(maximum(y_pred, EPS) + 1) - log(maximum(y_true, EPS) + 1)), -1)
    assert_golden(
        "mean_squared_logarithmic_error",
        [[1.0, 3.0]],
        [[0.0, 1.0]],
        [((math.log(EPS + 1.0) - math.log(2.0)) ** 2 + (math.log(2.0) - math.log(4.0)) ** 2) / 2],
    )


def test_mean_squared_logarithmic_error_clamps_negative_inputs():
    # Negative y_pred and y_true are replaced by EPS before log(x + 1).
    assert_golden(
        "mean_squared_logarithmic_error",
        [[-2.0], [1.0]],
        [[0.5], [-0.5]],
        [
            (math.log(0.5 + 1.0) - math.log(EPS + 1.0)) ** 2,
            (math.log(EPS + 1.0) - math.log(1.0 + 1.0)) ** 2,
        ],
    )


# --- hinge losses ------------------------------------------------------------------------


def test_hinge_converts_binary_labels():
    # Every label is 0 or 1, so y_true -> 2 * y_true - 1;
    # loss = mean(maximum(1 - y_true * y_pred, 0), axis=-1)
    assert_golden(
        "hinge",
        [[0.0], [1.0], [1.0]],
        [[0.3], [0.2], [1.5]],
        [max(1.0 - (-1.0) * 0.3, 0.0), max(1.0 - 0.2, 0.0), max(1.0 - 1.5, 0.0)],
    )


def test_hinge_plus_minus_one_labels():
    assert_golden(
        "hinge",
        [[-1.0, 1.0], [1.0, -1.0]],
        [[-0.5, 2.0], [0.25, 0.5]],
        [
            (max(1.0 - 0.5, 0.0) + max(1.0 - 2.0, 0.0)) / 2,
            (max(1.0 - 0.25, 0.0) + max(1.0 + 0.5, 0.0)) / 2,
        ],
    )


def test_hinge_leaves_labels_unless_all_are_binary():
    # convert_binary_labels_to_hinge: ops.all over the whole y_true; one label outside {0, 1}
    # keeps every label as given, so a 0 label stays 0 (loss 1 whatever y_pred is).
    assert_golden(
        "hinge", [[0.0], [-1.0]], [[0.3], [0.4]], [1.0, max(1.0 + 0.4, 0.0)]
    )
    assert_golden(
        "hinge", [[0.5], [1.0]], [[2.0], [0.5]], [max(1.0 - 0.5 * 2.0, 0.0), 0.5]
    )


def test_squared_hinge_converts_binary_labels():
    # loss = mean(square(maximum(1 - y_true * y_pred, 0)), axis=-1), 0/1 labels -> -1/+1
    assert_golden(
        "squared_hinge",
        [[0.0], [1.0], [1.0]],
        [[0.3], [0.2], [1.5]],
        [1.3**2, 0.8**2, 0.0],
    )


def test_squared_hinge_plus_minus_one_and_mixed_labels():
    assert_golden(
        "squared_hinge",
        [[-1.0, 1.0], [1.0, -1.0]],
        [[-0.5, 2.0], [0.25, 0.5]],
        [(0.5**2 + 0.0) / 2, (0.75**2 + 1.5**2) / 2],
    )
    assert_golden("squared_hinge", [[0.0], [-1.0]], [[0.3], [0.4]], [1.0, 1.4**2])


def test_categorical_hinge_golden():
    # pos = sum(y_true * y_pred), neg = max((1 - y_true) * y_pred), loss = maximum(neg - pos + 1, 0)
    assert_golden(
        "categorical_hinge",
        [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]],
        [[0.2, 0.5, 0.9], [2.0, 0.5, -1.0]],
        [max(0.9 - 0.5 + 1.0, 0.0), max(0.5 - 2.0 + 1.0, 0.0)],
    )


def test_categorical_hinge_neg_includes_the_zeroed_true_class():
    # (1 - y_true) * y_pred is 0 at the true class, and that 0 takes part in the max: with all
    # other scores negative, neg = 0 (not -2).
    assert_golden(
        "categorical_hinge",
        [[0.0, 1.0], [0.0, 1.0]],
        [[-2.0, 0.5], [-2.0, 3.0]],
        [max(0.0 - 0.5 + 1.0, 0.0), max(0.0 - 3.0 + 1.0, 0.0)],
    )


# --- categorical crossentropy ------------------------------------------------------------


def test_categorical_crossentropy_keras_docstring_case():
    # output = clip(y_pred / sum(y_pred), EPS, 1 - EPS); loss = -sum(y_true * log(output))
    # Keras docstring: array([0.0513, 2.303]); y_pred 0 is clipped to EPS (weight 0 here).
    assert_golden(
        "categorical_crossentropy",
        [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
        [[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]],
        [-math.log(0.95), -math.log(0.1)],
    )


def test_categorical_crossentropy_renormalises_then_clips():
    # [1, 2, 1] / 4 = [0.25, 0.5, 0.25]; [2, 0, 0] / 2 puts 0 on the true class -> EPS;
    # [1, 0] / 1 puts exactly 1 on the true class -> 1 - EPS; soft labels sum both terms.
    assert_golden(
        "categorical_crossentropy",
        [[0.0, 1.0, 0.0], [0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.2, 0.8, 0.0]],
        [[1.0, 2.0, 1.0], [2.0, 0.0, 0.0], [1.0, 0.0, 0.0], [2.0, 3.0, 5.0]],
        [
            -math.log(2.0 / 4.0),
            -math.log(EPS),
            -math.log(1.0 - EPS),
            -(0.2 * math.log(0.2) + 0.8 * math.log(0.3)),
        ],
    )


def test_categorical_crossentropy_label_smoothing():
    # y_true = y_true * (1 - ls) + ls / num_classes
    ls, k = 0.1, 3
    smooth = [0.0 * (1 - ls) + ls / k, 1.0 * (1 - ls) + ls / k, 0.0 * (1 - ls) + ls / k]
    probs = [0.2, 0.7, 0.1]
    assert_golden(
        "categorical_crossentropy",
        [[0.0, 1.0, 0.0]],
        [probs],
        [-sum(t * math.log(p) for t, p in zip(smooth, probs))],
        label_smoothing=ls,
    )


def test_categorical_crossentropy_from_logits():
    # log_prob = log_softmax(y_pred); loss = -sum(y_true * log_prob)
    # Logits of +-1000: log_softmax([1000, -1000, 0]) = [0, -2000, -1000] exactly in float64.
    logits = [1.0, 2.0, 3.0]
    assert_golden(
        "categorical_crossentropy",
        [[0.0, 0.0, 1.0], [0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]],
        [logits, [1000.0, -1000.0, 0.0], [1000.0, -1000.0, 0.0], [1000.0, -1000.0, 0.0]],
        [-log_softmax(logits)[2], 2000.0, 0.0, 1000.0],
        from_logits=True,
    )


def test_categorical_crossentropy_from_logits_with_label_smoothing():
    ls, k = 0.2, 2
    smooth = [0.0 * (1 - ls) + ls / k, 1.0 * (1 - ls) + ls / k]
    logits = [0.5, -1.5]
    log_prob = log_softmax(logits)
    assert_golden(
        "categorical_crossentropy",
        [[0.0, 1.0]],
        [logits],
        [-(smooth[0] * log_prob[0] + smooth[1] * log_prob[1])],
        from_logits=True,
        label_smoothing=ls,
    )


def test_categorical_crossentropy_from_logits_gradient_is_finite_at_1000():
    # d(mean loss)/d logits = (softmax(z) - y_true) / batch; softmax([1000, -1000, 0]) = e_0.
    loss = losses.get("categorical_crossentropy", from_logits=True)
    gradient = loss.gradient(
        np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]),
        np.array([[1000.0, -1000.0, 0.0], [1000.0, -1000.0, 0.0]]),
    )
    np.testing.assert_allclose(
        gradient, [[0.5, -0.5, 0.0], [0.0, 0.0, 0.0]], rtol=1e-12, atol=1e-300
    )


# --- sparse categorical crossentropy -----------------------------------------------------


@pytest.mark.parametrize("label_shape", [(2,), (2, 1)])
def test_sparse_categorical_crossentropy_keras_docstring_case(label_shape):
    # Same as categorical crossentropy on one_hot(y_true); Keras docstring: [0.0513, 2.303].
    loss = losses.get("sparse_categorical_crossentropy")
    y_true = np.array([1, 2], dtype=np.int64).reshape(label_shape)
    y_pred = np.array([[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]])
    expected = [-math.log(0.95), -math.log(0.1)]
    per_sample = loss.per_sample(y_true, y_pred)
    assert per_sample.shape == (2,)
    np.testing.assert_allclose(per_sample, expected, rtol=1e-9, atol=1e-12)
    assert loss(y_true, y_pred) == pytest.approx(sum(expected) / 2, rel=1e-9)


def test_sparse_categorical_crossentropy_renormalises_and_clips():
    # [3, 1] / 4 -> 0.75 for class 0; [0, 2, 2] / 4 -> 0 for class 0 -> EPS.
    loss = losses.get("sparse_categorical_crossentropy")
    per_sample = loss.per_sample(
        np.array([0, 0, 2]), np.array([[3.0, 1.0, 0.0], [0.0, 2.0, 2.0], [0.0, 0.0, 1.0]])
    )
    np.testing.assert_allclose(
        per_sample,
        [-math.log(0.75), -math.log(EPS), -math.log(1.0 - EPS)],
        rtol=1e-9,
        atol=1e-12,
    )


def test_sparse_categorical_crossentropy_accepts_integral_float_labels():
    # Keras casts y_true to int32; 1.0 and 2.0 name classes 1 and 2.
    loss = losses.get("sparse_categorical_crossentropy")
    per_sample = loss.per_sample(
        np.array([[1.0], [2.0]]), np.array([[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]])
    )
    np.testing.assert_allclose(
        per_sample, [-math.log(0.95), -math.log(0.1)], rtol=1e-9, atol=1e-12
    )


@pytest.mark.parametrize("label_shape", [(3,), (3, 1)])
def test_sparse_categorical_crossentropy_from_logits(label_shape):
    loss = losses.get("sparse_categorical_crossentropy", from_logits=True)
    logits = [0.3, -0.2, 1.1]
    y_true = np.array([1, 0, 2]).reshape(label_shape)
    y_pred = np.array([logits, [1000.0, -1000.0, 0.0], [1000.0, -1000.0, 0.0]])
    expected = [-log_softmax(logits)[1], 0.0, 1000.0]
    np.testing.assert_allclose(loss.per_sample(y_true, y_pred), expected, rtol=1e-9, atol=1e-12)
    gradient = loss.gradient(y_true, y_pred)
    assert gradient.shape == y_pred.shape
    assert np.all(np.isfinite(gradient))
    # (softmax(z) - one_hot) / batch for the row with logits +-1000 and label 2
    np.testing.assert_allclose(gradient[2], [1.0 / 3, 0.0, -1.0 / 3], rtol=1e-12, atol=1e-300)


# --- binary crossentropy -----------------------------------------------------------------


def test_binary_crossentropy_keras_docstring_case():
    # output = clip(y_pred, EPS, 1 - EPS)
    # loss = mean(-(y_true * log(output) + (1 - y_true) * log(1 - output)), axis=-1)
    # Keras docstring: array([0.916, 0.714]).
    assert_golden(
        "binary_crossentropy",
        [[0.0, 1.0], [0.0, 0.0]],
        [[0.6, 0.4], [0.4, 0.6]],
        [
            (-math.log(1 - 0.6) - math.log(0.4)) / 2,
            (-math.log(1 - 0.4) - math.log(1 - 0.6)) / 2,
        ],
    )


def test_binary_crossentropy_predictions_exactly_zero_and_one():
    def bce(y, p):
        p = clip_probability(p)
        return -(y * math.log(p) + (1 - y) * math.log(1 - p))

    assert_golden(
        "binary_crossentropy",
        [[1.0], [0.0], [1.0], [0.0]],
        [[0.0], [1.0], [1.0], [0.0]],
        [bce(1.0, 0.0), bce(0.0, 1.0), bce(1.0, 1.0), bce(0.0, 0.0)],
    )
    # -log(EPS) = 16.118..., the largest loss a clipped prediction can give
    assert bce(1.0, 0.0) == pytest.approx(16.11809565095832, rel=1e-12)


def test_binary_crossentropy_label_smoothing():
    # y_true = y_true * (1 - ls) + 0.5 * ls
    ls = 0.2

    def bce(y, p):
        y = y * (1 - ls) + 0.5 * ls
        return -(y * math.log(p) + (1 - y) * math.log(1 - p))

    assert_golden(
        "binary_crossentropy",
        [[1.0], [0.0]],
        [[0.9], [0.3]],
        [bce(1.0, 0.9), bce(0.0, 0.3)],
        label_smoothing=ls,
    )


def test_binary_crossentropy_from_logits_is_exact_at_1000():
    # loss = -(y_true * log_sigmoid(z) + (1 - y_true) * log_sigmoid(-z))
    # (keras/src/backend/jax/nn.py and tensorflow's sigmoid_cross_entropy_with_logits; the
    # issue asks for this stable form: logit 1000 with label 0 costs 1000, not -log(EPS).)
    def bce(y, z):
        return -(y * log_sigmoid(z) + (1 - y) * log_sigmoid(-z))

    assert bce(0.0, 1000.0) == 1000.0
    assert_golden(
        "binary_crossentropy",
        [[0.0], [0.0], [1.0], [1.0], [1.0]],
        [[1000.0], [-1000.0], [1000.0], [-1000.0], [0.5]],
        [1000.0, 0.0, 0.0, 1000.0, bce(1.0, 0.5)],
        from_logits=True,
    )


def test_binary_crossentropy_from_logits_with_label_smoothing():
    ls = 0.1

    def bce(y, z):
        y = y * (1 - ls) + 0.5 * ls
        return -(y * log_sigmoid(z) + (1 - y) * log_sigmoid(-z))

    assert_golden(
        "binary_crossentropy",
        [[1.0, 0.0]],
        [[2.0, -0.5]],
        [(bce(1.0, 2.0) + bce(0.0, -0.5)) / 2],
        from_logits=True,
        label_smoothing=ls,
    )


def test_binary_crossentropy_from_logits_gradient_at_1000():
    # d(mean loss)/dz = (sigmoid(z) - y_true) / (batch * k)
    loss = losses.get("binary_crossentropy", from_logits=True)
    gradient = loss.gradient(
        np.array([[0.0], [0.0], [1.0], [1.0]]), np.array([[1000.0], [-1000.0], [1000.0], [-1000.0]])
    )
    np.testing.assert_allclose(gradient, [[0.25], [0.0], [0.0], [-0.25]], rtol=1e-12, atol=1e-300)


# --- divergence, counts, similarity ------------------------------------------------------


def test_kl_divergence_golden():
    # y_true, y_pred = clip(., EPS, 1); loss = sum(y_true * log(y_true / y_pred), axis=-1)
    assert_golden(
        "kullback_leibler_divergence",
        [[0.5, 0.5], [0.2, 0.8]],
        [[0.25, 0.75], [0.5, 0.5]],
        [
            0.5 * math.log(0.5 / 0.25) + 0.5 * math.log(0.5 / 0.75),
            0.2 * math.log(0.2 / 0.5) + 0.8 * math.log(0.8 / 0.5),
        ],
    )


def test_kl_divergence_clips_both_sides():
    # Zero targets count as EPS (EPS * log(EPS / p) is not 0); zero predictions as EPS; values
    # above 1 on either side as 1.
    assert_golden(
        "kullback_leibler_divergence",
        [[0.0, 1.0], [1.0, 0.0], [2.0, 0.0], [1.0, 0.0]],
        [[0.5, 0.5], [0.0, 1.0], [0.5, 0.5], [1.5, 0.5]],
        [
            EPS * math.log(EPS / 0.5) + 1.0 * math.log(1.0 / 0.5),
            1.0 * math.log(1.0 / EPS) + EPS * math.log(EPS / 1.0),
            1.0 * math.log(1.0 / 0.5) + EPS * math.log(EPS / 0.5),
            1.0 * math.log(1.0 / 1.0) + EPS * math.log(EPS / 0.5),
        ],
    )


def test_poisson_golden():
    # loss = mean(y_pred - y_true * log(y_pred + EPS), axis=-1)
    assert_golden(
        "poisson",
        [[1.0, 2.0], [0.0, 3.0]],
        [[0.5, 3.0], [0.0, 0.0]],
        [
            ((0.5 - 1.0 * math.log(0.5 + EPS)) + (3.0 - 2.0 * math.log(3.0 + EPS))) / 2,
            ((0.0 - 0.0 * math.log(0.0 + EPS)) + (0.0 - 3.0 * math.log(0.0 + EPS))) / 2,
        ],
    )
    assert_golden("poisson", [[4.0]], [[2.0]], [2.0 - 4.0 * math.log(2.0 + EPS)])


def test_cosine_proximity_golden():
    # loss = -sum(l2_normalize(y_true) * l2_normalize(y_pred), axis=-1)
    # Keras docstring: [-0., -0.99999994, 0.99999994] (float32) for the first three rows.
    def cosine(y, p):
        return -sum(a * b for a, b in zip(l2_normalize(y), l2_normalize(p)))

    rows_true = [[0.0, 1.0], [1.0, 1.0], [1.0, 1.0], [3.0, 4.0]]
    rows_pred = [[1.0, 0.0], [1.0, 1.0], [-1.0, -1.0], [4.0, 3.0]]
    expected = [cosine(y, p) for y, p in zip(rows_true, rows_pred)]
    assert expected == pytest.approx([0.0, -1.0, 1.0, -24.0 / 25.0], abs=1e-15)
    assert_golden("cosine_proximity", rows_true, rows_pred, expected)


def test_cosine_proximity_all_zero_vectors_give_zero():
    assert_golden(
        "cosine_proximity",
        [[0.0, 0.0], [1.0, 2.0], [0.0, 0.0]],
        [[1.0, 2.0], [0.0, 0.0], [0.0, 0.0]],
        [0.0, 0.0, 0.0],
    )


def test_cosine_proximity_norm_floor_is_epsilon():
    # keras/src/ops/nn.py _normalize: inv_norm = minimum(rsqrt(sum(x**2)), 1 / EPS), i.e. the
    # norm is floored at EPS = 1e-7: [1e-8, 0] normalises to [0.1, 0] (tf.nn.l2_normalize's
    # floor of 1e-12 on the squared norm would give 0.01).
    expected = -sum(a * b for a, b in zip(l2_normalize([1.0, 0.0]), l2_normalize([1e-8, 0.0])))
    assert expected == pytest.approx(-0.1, rel=1e-12)
    assert_golden("cosine_proximity", [[1.0, 0.0]], [[1e-8, 0.0]], [expected])


# --- shapes, reduction, gradient shape ---------------------------------------------------


def example_inputs(name, batch=4, k=3):
    """Valid (y_true, y_pred) of shape (batch, k) (sparse labels (batch,)) for any loss."""
    rng = np.random.default_rng(7)
    probabilities = rng.uniform(0.05, 0.95, size=(batch, k))
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    classes = rng.integers(0, k, size=batch)
    if name == "sparse_categorical_crossentropy":
        return classes, probabilities
    if name in ("categorical_crossentropy", "categorical_hinge"):
        return np.eye(k)[classes], probabilities
    if name in ("binary_crossentropy", "hinge", "squared_hinge"):
        return rng.integers(0, 2, size=(batch, k)).astype(np.float64), probabilities
    if name == "kullback_leibler_divergence":
        return probabilities[::-1].copy(), probabilities
    if name in ("poisson", "mean_squared_logarithmic_error"):
        return rng.poisson(2.0, size=(batch, k)).astype(np.float64), probabilities + 0.5
    return rng.normal(size=(batch, k)), rng.normal(size=(batch, k))


@pytest.mark.parametrize("name", REFERENCE_NAMES)
def test_per_sample_shape_mean_and_gradient_shape(name):
    loss = losses.get(name)
    y_true, y_pred = example_inputs(name)
    per_sample = loss.per_sample(y_true, y_pred)
    assert per_sample.shape == (4,)
    assert np.all(np.isfinite(per_sample))
    value = loss(y_true, y_pred)
    assert isinstance(value, float)
    assert value == pytest.approx(float(np.mean(per_sample)), rel=1e-12, abs=1e-15)
    gradient = loss.gradient(y_true, y_pred)
    assert gradient.shape == y_pred.shape
    assert np.all(np.isfinite(gradient))
    product = loss.hessian_vector(y_true, y_pred, np.ones_like(y_pred))
    assert product.shape == y_pred.shape
    assert np.all(np.isfinite(product))
    with pytest.raises(ConfigError, match=r"vector shape \(4, 2\) does not match y_pred shape "
                                          r"\(4, 3\)"):
        loss.hessian_vector(y_true, y_pred, np.ones((4, 2)))


# --- registry ----------------------------------------------------------------------------


def test_names_in_reference_order():
    """The reference text's 13 come first, in its order (a loss registered later follows)."""
    assert list(losses.names())[:len(REFERENCE_NAMES)] == REFERENCE_NAMES


@pytest.mark.parametrize("name", REFERENCE_NAMES)
def test_canonical_names_resolve_to_themselves(name):
    assert losses.get(name).name == name


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("mse", "mean_squared_error"),
        ("mae", "mean_absolute_error"),
        ("mape", "mean_absolute_percentage_error"),
        ("msle", "mean_squared_logarithmic_error"),
        ("bce", "binary_crossentropy"),
        ("kld", "kullback_leibler_divergence"),
        ("kl_divergence", "kullback_leibler_divergence"),
        ("cosine_similarity", "cosine_proximity"),
        ("MeanSquaredError", "mean_squared_error"),
        ("MeanAbsoluteError", "mean_absolute_error"),
        ("MeanAbsolutePercentageError", "mean_absolute_percentage_error"),
        ("MeanSquaredLogarithmicError", "mean_squared_logarithmic_error"),
        ("SquaredHinge", "squared_hinge"),
        ("Hinge", "hinge"),
        ("CategoricalHinge", "categorical_hinge"),
        ("CategoricalCrossentropy", "categorical_crossentropy"),
        ("SparseCategoricalCrossentropy", "sparse_categorical_crossentropy"),
        ("BinaryCrossentropy", "binary_crossentropy"),
        ("KLDivergence", "kullback_leibler_divergence"),
        ("Poisson", "poisson"),
        ("CosineSimilarity", "cosine_proximity"),
    ],
)
def test_aliases_resolve_to_the_canonical_loss(alias, canonical):
    loss = losses.get(alias)
    assert loss.name == canonical
    y_true, y_pred = example_inputs(canonical)
    np.testing.assert_array_equal(
        loss.per_sample(y_true, y_pred), losses.get(canonical).per_sample(y_true, y_pred)
    )


@pytest.mark.parametrize("name", REFERENCE_NAMES)
def test_keras_names(name):
    keras_names = {
        "kullback_leibler_divergence": "kl_divergence",
        "cosine_proximity": "cosine_similarity",
    }
    assert losses.get(name).keras_name == keras_names.get(name, name)


def test_unknown_name_lists_the_valid_names():
    with pytest.raises(ConfigError, match="mean_square_eror") as excinfo:
        losses.get("mean_square_eror")
    message = str(excinfo.value)
    for name in REFERENCE_NAMES:
        assert name in message


@pytest.mark.parametrize(
    ("name", "kwargs", "field"),
    [
        ("mean_squared_error", {"from_logits": True}, "from_logits"),
        ("sparse_categorical_crossentropy", {"label_smoothing": 0.1}, "label_smoothing"),
        ("binary_crossentropy", {"label_smoothing": 1.5}, "label_smoothing"),
        ("categorical_crossentropy", {"label_smoothing": -0.1}, "label_smoothing"),
    ],
)
def test_bad_keyword_arguments(name, kwargs, field):
    with pytest.raises(ConfigError, match=field):
        losses.get(name, **kwargs)


# --- metadata ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", REFERENCE_NAMES)
def test_metadata_is_consistent(name):
    loss = losses.get(name)
    assert isinstance(loss.tasks, frozenset)
    assert loss.tasks <= TASKS
    # Every loss works on every classification dataset.
    assert {"binary", "multiclass"} <= loss.tasks
    for task in loss.tasks:
        encoding = loss.encoding(task)
        assert encoding in ENCODINGS
        assert (encoding == "values") == (task in ("regression", "counts"))
        assert loss.output_activation(task) in ACTIVATIONS
    for task in TASKS - loss.tasks:
        with pytest.raises(ConfigError, match=task):
            loss.encoding(task)
        with pytest.raises(ConfigError, match=task):
            loss.output_activation(task)


def test_metadata_of_the_crossentropies():
    binary = losses.get("binary_crossentropy")
    assert binary.encoding("binary") == "binary"
    assert binary.output_activation("binary") == "sigmoid"
    categorical = losses.get("categorical_crossentropy")
    assert categorical.encoding("multiclass") == "onehot"
    assert categorical.output_activation("multiclass") == "softmax"
    sparse = losses.get("sparse_categorical_crossentropy")
    assert sparse.encoding("multiclass") == "sparse"
    assert sparse.output_activation("multiclass") == "softmax"
    assert "regression" not in sparse.tasks
    assert "regression" not in categorical.tasks
    assert losses.get("kullback_leibler_divergence").output_activation("multiclass") == "softmax"


@pytest.mark.parametrize(
    "name",
    [
        "mean_squared_error",
        "mean_absolute_error",
        "mean_absolute_percentage_error",
    ],
)
def test_regression_losses_suit_regression(name):
    loss = losses.get(name)
    assert "regression" in loss.tasks
    assert loss.encoding("regression") == "values"


def test_poisson_suits_counts():
    loss = losses.get("poisson")
    assert "counts" in loss.tasks
    assert loss.encoding("counts") == "values"


# --- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", REFERENCE_NAMES)
def test_mismatched_shapes_are_rejected(name):
    loss = losses.get(name)
    y_pred = np.full((3, 2), 0.5)
    y_true = np.zeros(4, dtype=np.int64) if name.startswith("sparse") else np.zeros((4, 2))
    with pytest.raises(ValueError, match=r"(?i)shape"):
        loss(y_true, y_pred)
    with pytest.raises(ValueError, match=r"(?i)shape"):
        loss.gradient(y_true, y_pred)


@pytest.mark.parametrize("name", [n for n in REFERENCE_NAMES if not n.startswith("sparse")])
def test_mismatched_columns_are_rejected(name):
    with pytest.raises(ValueError, match=r"(?i)shape"):
        losses.get(name).per_sample(np.zeros((3, 1)), np.full((3, 2), 0.5))


@pytest.mark.parametrize("bad_label", [3, -1])
def test_sparse_labels_out_of_range(bad_label):
    loss = losses.get("sparse_categorical_crossentropy")
    y_pred = np.full((2, 3), 1.0 / 3)
    with pytest.raises(ValueError, match=str(bad_label)) as excinfo:
        loss(np.array([0, bad_label]), y_pred)
    assert any(word in str(excinfo.value).lower() for word in ("label", "class", "range"))
    with pytest.raises(ValueError, match=str(bad_label)):
        loss.gradient(np.array([0, bad_label]), y_pred)


def test_sparse_labels_must_be_integers():
    loss = losses.get("sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match=r"(?i)integer"):
        loss(np.array([0.0, 1.5]), np.full((2, 3), 1.0 / 3))


@pytest.mark.parametrize("name", REFERENCE_NAMES)
@pytest.mark.parametrize("side", ["y_true", "y_pred"])
def test_nan_inputs_are_rejected(name, side):
    loss = losses.get(name)
    y_true, y_pred = example_inputs(name)
    y_true = y_true.astype(np.float64)
    if side == "y_true":
        y_true[1] = np.nan
    else:
        y_pred[1, 0] = np.nan
    with pytest.raises(ValueError, match=r"(?i)nan|finite"):
        loss(y_true, y_pred)
    with pytest.raises(ValueError, match=r"(?i)nan|finite"):
        loss.gradient(y_true, y_pred)


# --- the facts each registry entry carries ---------------------------------------------------


def test_register_adds_a_loss_by_name_and_class_name(loss_registry):
    """``@register`` is all a new loss class needs to be found (the registry is restored)."""

    @losses.register
    class Doubled(losses.MeanSquaredError):
        name = "doubled_squared_error"

        def _per_sample(self, y_true, y_pred):
            return 2.0 * super()._per_sample(y_true, y_pred)

        def _gradient_sum(self, y_true, y_pred):
            return 2.0 * super()._gradient_sum(y_true, y_pred)

        def _hessian_vector_sum(self, y_true, y_pred, vector):
            return 2.0 * super()._hessian_vector_sum(y_true, y_pred, vector)

    assert losses.names()[-1] == "doubled_squared_error"
    assert isinstance(losses.get("Doubled"), Doubled)
    assert losses.get("doubled_squared_error")([[1.0]], [[3.0]]) == 8.0


@pytest.mark.parametrize("name", losses.names())
def test_every_loss_carries_its_note_formula_domain_and_try_it_dataset(name):
    loss = losses.get(name)
    assert len(loss.summary) > 20 and loss.summary in texts.MARKED  # translated by the GUI
    assert loss.formula and ("ŷ" in loss.formula or "y" in loss.formula)
    low, high = loss.domain
    assert low < high
    if loss.output_activations is not None:  # restricted outputs say why, marked as well
        assert loss.needs in texts.MARKED
    # the Try-it dataset suits the loss, and its suggested settings with the loss validate
    dataset = datasets.info(loss.try_dataset)
    assert dataset.task in loss.tasks
    preset = datasets.preset(loss.try_dataset)
    assert TrainingConfig(**{**preset.changes, "loss": name}).validate().loss == name


def test_the_registry_forgets_a_loss_registered_inside_restoring_registry():
    before = losses.names()
    with losses.restoring_registry():

        @losses.register
        class Forgotten(losses.MeanSquaredError):
            name = "forgotten_squared_error"

        assert losses.canonical_name("Forgotten") == "forgotten_squared_error"
    assert losses.names() == before
    with pytest.raises(ConfigError, match="loss 'Forgotten' is unknown"):
        losses.get("Forgotten")
