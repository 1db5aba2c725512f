"""Finite-difference checks of every loss's gradient and Hessian-vector product, and of the
checker itself.

Every registered loss, with each of its options, is checked from its registry entry alone
(tasks, label encodings, domain): a new loss is checked with no test written for it. The hand
cases below add the regimes those generic inputs do not reach (hard 0/1 and -1/+1 labels,
unnormalised probabilities, label columns), on random shapes (batch 1..7, k up to 5 where the
loss allows) with inputs drawn away from kinks, clip boundaries and zero gradients, so central
differences in float64 are accurate to far better than the 1e-6 relative error asserted.
"""

import numpy as np
import pytest

from engine import losses
from engine.errors import ConfigError
from engine.gradcheck import (
    check_directional,
    check_gradient,
    numerical_gradient,
    relative_error,
)

TOLERANCE = 1e-6
TRIALS = 6
#: central-difference step of the gradient for the Hessian (the instruments' tests use it too)
HESSIAN_STEP = 1e-5


def assert_derivatives_match_central_differences(loss, y_true, y_pred, rng):
    """The gradient (each element and one random direction) against central differences of
    the loss, the one-pass value and gradient against the two calls, and the Hessian-vector
    product along each element against central differences of the gradient."""

    def f(p):
        return loss(y_true, p)

    def grad(p):
        return loss.gradient(y_true, p)

    assert check_gradient(f, grad, y_pred) < TOLERANCE
    assert check_directional(f, grad, y_pred, rng) < TOLERANCE
    # The trainer's one-pass path gives the same value and gradient.
    value, gradient = loss.value_and_gradient(y_true, y_pred)
    assert value == pytest.approx(loss(y_true, y_pred), rel=1e-12, abs=1e-15)
    np.testing.assert_array_equal(gradient, grad(y_pred))
    expected, got = [], []
    for column in np.eye(y_pred.size):
        step = HESSIAN_STEP * column.reshape(y_pred.shape)
        expected.append((grad(y_pred + step) - grad(y_pred - step)) / (2 * HESSIAN_STEP))
        got.append(loss.hessian_vector(y_true, y_pred, column.reshape(y_pred.shape)))
    expected, got = np.array(expected), np.array(got)
    assert got.shape == expected.shape
    assert np.abs(got - expected).max() <= TOLERANCE * np.abs(expected).max()


# --- every registered loss, from its registry entry ----------------------------------------

#: a value other than the default of each loss option, so every option's form is checked
OPTION_VALUES = {"from_logits": True, "label_smoothing": 0.2}


def option_variants(name):
    """The defaults, each option set alone, then all of them together."""
    options = [option for option in losses.options(name) if option in OPTION_VALUES]
    subsets = [[]] + [[option] for option in options] + ([options] if len(options) > 1 else [])
    return [{option: OPTION_VALUES[option] for option in subset} for subset in subsets]


REGISTERED = [pytest.param(name, kwargs, id="-".join([name, *kwargs]))
              for name in losses.names() for kwargs in option_variants(name)]


def registered_labels(rng, encoding, batch, k):
    """Labels of the shape ``encoding`` gives, and the number of prediction columns.

    Soft rather than hard 0/1 labels: a zero label puts Keras's epsilon into MAPE's divisor and
    KL's logarithm, which makes gradients of 1e9 or 1e-7 beside values of order 1, finer than
    central differences resolve (their rounding is about 1e-10). The hand cases below check
    hard labels.
    """
    if encoding == "binary":
        return rng.uniform(0.1, 0.9, size=(batch, 1)), 1
    if encoding == "onehot":
        return 0.7 * np.eye(k)[rng.integers(0, k, size=batch)] + 0.1, k
    if encoding == "sparse":
        return rng.integers(0, k, size=batch), k
    return rng.uniform(0.5, 3.0, size=(batch, 1)), 1


def check_registered(name, **kwargs):
    """Derivatives of loss ``name`` on labels of each task it suits and predictions drawn
    inside its domain, 0.05 inside a bound (away from Keras's clips); logits anywhere."""
    loss = losses.get(name, **kwargs)
    low, high = (-np.inf, np.inf) if kwargs.get("from_logits") else loss.domain
    low = -2.0 if np.isinf(low) else low + 0.05
    high = 2.0 if np.isinf(high) else high - 0.05
    rng = np.random.default_rng(sum(map(ord, name)) + 101 * len(kwargs))
    checked = 0
    for task in sorted(loss.tasks):
        for _trial in range(3):
            y_true, k = registered_labels(rng, loss.encoding(task), int(rng.integers(1, 6)), 3)
            y_pred = rng.uniform(low, high, size=(y_true.shape[0], k))
            assert_derivatives_match_central_differences(loss, y_true, y_pred, rng)
            checked += 1
    return checked


def test_every_loss_option_has_a_value_to_check():
    options = {option for name in losses.names() for option in losses.options(name)}
    assert options <= set(OPTION_VALUES), (
        f"loss option(s) {sorted(options - set(OPTION_VALUES))} need a value in OPTION_VALUES")


@pytest.mark.parametrize(("name", "kwargs"), REGISTERED)
def test_registered_loss_derivatives_match_central_differences(name, kwargs):
    assert check_registered(name, **kwargs) >= 6


class Quartic(losses.Loss):
    """A throwaway loss: mean over outputs of (ŷ − y)⁴."""

    name = "quartic_error"
    tasks = frozenset({"regression"})
    _encodings, _activations = {"regression": "values"}, {"regression": "linear"}

    def _per_sample(self, y_true, y_pred):
        return ((y_pred - y_true) ** 4).mean(axis=-1)

    def _gradient_sum(self, y_true, y_pred):
        return 4.0 * (y_pred - y_true) ** 3 / y_pred.shape[1]

    def _hessian_vector_sum(self, y_true, y_pred, vector):
        return 12.0 * (y_pred - y_true) ** 2 * vector / y_pred.shape[1]


def test_a_newly_registered_loss_is_checked_with_nothing_added(loss_registry):
    losses.register(Quartic)
    assert "quartic_error" in losses.names()
    assert check_registered("quartic_error") == 3  # one task, three draws


def test_the_check_catches_a_wrong_hessian_or_gradient(loss_registry):
    @losses.register
    class HalfHessian(Quartic):
        name = "half_hessian"

        def _hessian_vector_sum(self, y_true, y_pred, vector):
            return 0.5 * super()._hessian_vector_sum(y_true, y_pred, vector)

    @losses.register
    class SignSlip(Quartic):
        name = "sign_slip"

        def _gradient_sum(self, y_true, y_pred):
            return -super()._gradient_sum(y_true, y_pred)

    for name in ("half_hessian", "sign_slip"):
        with pytest.raises(AssertionError):
            check_registered(name)


@pytest.mark.parametrize("missing", losses.HOOKS)
def test_a_loss_without_its_gradient_or_hessian_cannot_be_registered(loss_registry, missing):
    hooks = {hook: getattr(Quartic, hook) for hook in losses.HOOKS if hook != missing}
    incomplete = type("Incomplete", (losses.Loss,), dict(hooks, name="incomplete"))
    with pytest.raises(TypeError, match=f"Incomplete .*'incomplete'.* defines no {missing}"):
        losses.register(incomplete)
    assert "incomplete" not in losses.names()


# --- hand cases: hard labels and the regimes the registry's inputs do not reach --------------


def signs(rng, shape):
    return rng.choice([-1.0, 1.0], size=shape)


def probabilities(rng, batch, k, normalise):
    """Entries in [0.05, 0.95], optionally scaled so that each row sums to 1."""
    p = rng.uniform(0.05, 0.95, size=(batch, k))
    return p / p.sum(axis=1, keepdims=True) if normalise else p


def one_hot(rng, batch, k):
    return np.eye(k)[rng.integers(0, k, size=batch)]


def resample_until(rng, draw, keep):
    """Redraw ``draw()`` until ``keep(sample)`` holds (the conditions hold almost surely)."""
    for _ in range(1000):
        sample = draw()
        if keep(sample):
            return sample
    raise AssertionError("no sample met the condition in 1000 draws")


def regression_pair(rng, batch, k):
    # y_pred - y_true at least 0.1 in size: away from MAE's kink and from zero MSE gradients.
    y_true = rng.normal(size=(batch, k))
    return y_true, y_true + signs(rng, (batch, k)) * rng.uniform(0.1, 1.0, size=(batch, k))


def mape_pair(rng, batch, k):
    y_true = signs(rng, (batch, k)) * rng.uniform(0.5, 2.0, size=(batch, k))
    return y_true, y_true + signs(rng, (batch, k)) * rng.uniform(0.1, 1.0, size=(batch, k))


def msle_pair(rng, batch, k):
    y_true = rng.uniform(0.1, 3.0, size=(batch, k))
    y_pred = resample_until(
        rng,
        lambda: rng.uniform(0.1, 3.0, size=(batch, k)),
        lambda p: np.all(np.abs(np.log1p(p) - np.log1p(y_true)) > 0.05),
    )
    return y_true, y_pred


def hinge_pair(labels):
    """Labels "pm1" (-1/+1) or "01" (0/1); 1 - t * y_pred is 0.1..0.9 away from the kink."""

    def sample(rng, batch, k):
        t = signs(rng, (batch, k))
        margin = signs(rng, (batch, k)) * rng.uniform(0.1, 0.9, size=(batch, k))
        y_true = t if labels == "pm1" else (t + 1.0) / 2.0
        return y_true, t * (1.0 - margin)

    return sample


def categorical_hinge_pair(rng, batch, k):
    # neg = max((1 - y) * y_pred) must be unique (gap 0.05, the true class's 0 included) and
    # neg - pos + 1 at least 0.05 away from 0.
    y_true = one_hot(rng, batch, k)

    def away_from_kinks(y_pred):
        masked = np.sort((1.0 - y_true) * y_pred, axis=1)
        pos = np.sum(y_true * y_pred, axis=1)
        gap = masked[:, -1] - masked[:, -2]
        return np.all(gap > 0.05) and np.all(np.abs(masked[:, -1] - pos + 1.0) > 0.05)

    y_pred = resample_until(
        rng, lambda: rng.uniform(-2.0, 2.0, size=(batch, k)), away_from_kinks
    )
    return y_true, y_pred


def categorical_pair(normalise):
    def sample(rng, batch, k):
        return one_hot(rng, batch, k), probabilities(rng, batch, k, normalise)

    return sample


def categorical_smoothed_pair(label_smoothing):
    # The smoothed target must differ from the renormalised prediction, else that
    # component of the gradient is 0 up to rounding.
    def sample(rng, batch, k):
        y_true = one_hot(rng, batch, k)
        target = y_true * (1.0 - label_smoothing) + label_smoothing / k
        y_pred = resample_until(
            rng,
            lambda: probabilities(rng, batch, k, normalise=False),
            lambda p: np.all(np.abs(p / p.sum(axis=1, keepdims=True) - target) > 0.02),
        )
        return y_true, y_pred

    return sample


def logits_pair(labels):
    # Logits in [-1, 1] keep every softmax / sigmoid output, hence every gradient component,
    # above about 1e-3: far larger than the ~1e-10 rounding of the central differences.
    def sample(rng, batch, k):
        y_pred = rng.uniform(-1.0, 1.0, size=(batch, k))
        if labels == "onehot":
            return one_hot(rng, batch, k), y_pred
        if labels == "binary":
            return rng.integers(0, 2, size=(batch, k)).astype(np.float64), y_pred
        classes = rng.integers(0, k, size=batch)
        return (classes if labels == "sparse" else classes.reshape(batch, 1)), y_pred

    return sample


def sparse_pair(label_shape):
    def sample(rng, batch, k):
        classes = rng.integers(0, k, size=batch)
        y_pred = probabilities(rng, batch, k, normalise=False)
        return (classes if label_shape == 1 else classes.reshape(batch, 1)), y_pred

    return sample


def binary_pair(rng, batch, k):
    return rng.integers(0, 2, size=(batch, k)).astype(np.float64), probabilities(
        rng, batch, k, normalise=False
    )


def binary_smoothed_pair(rng, batch, k):
    # Smoothed targets are 0.1 and 0.9 (ls = 0.2); predictions in [0.2, 0.8] stay 0.1 away.
    return rng.integers(0, 2, size=(batch, k)).astype(np.float64), rng.uniform(
        0.2, 0.8, size=(batch, k)
    )


def kl_pair(rng, batch, k):
    return probabilities(rng, batch, k, normalise=True), probabilities(
        rng, batch, k, normalise=True
    )


def poisson_pair(rng, batch, k):
    y_true = rng.poisson(2.0, size=(batch, k)).astype(np.float64)
    y_pred = resample_until(
        rng,
        lambda: rng.uniform(0.2, 3.0, size=(batch, k)),
        lambda p: np.all(np.abs(p - y_true) > 0.1),
    )
    return y_true, y_pred


def cosine_pair(rng, batch, k):
    return rng.normal(size=(batch, k)), rng.normal(size=(batch, k))


# (id, loss name, get() keyword arguments, sampler, smallest k, largest k)
HAND_CASES = [
    ("mse", "mean_squared_error", {}, regression_pair, 1, 5),
    ("mae", "mean_absolute_error", {}, regression_pair, 1, 5),
    ("mape", "mean_absolute_percentage_error", {}, mape_pair, 1, 5),
    ("msle", "mean_squared_logarithmic_error", {}, msle_pair, 1, 5),
    ("squared_hinge-pm1", "squared_hinge", {}, hinge_pair("pm1"), 1, 5),
    ("squared_hinge-01", "squared_hinge", {}, hinge_pair("01"), 1, 5),
    ("hinge-pm1", "hinge", {}, hinge_pair("pm1"), 1, 5),
    ("hinge-01", "hinge", {}, hinge_pair("01"), 1, 5),
    ("categorical_hinge", "categorical_hinge", {}, categorical_hinge_pair, 2, 5),
    ("cce", "categorical_crossentropy", {}, categorical_pair(normalise=True), 2, 5),
    ("cce-unnormalised", "categorical_crossentropy", {}, categorical_pair(normalise=False), 2, 5),
    (
        "cce-smoothing",
        "categorical_crossentropy",
        {"label_smoothing": 0.1},
        categorical_smoothed_pair(0.1),
        2,
        5,
    ),
    ("cce-logits", "categorical_crossentropy", {"from_logits": True}, logits_pair("onehot"), 2, 5),
    (
        "cce-logits-smoothing",
        "categorical_crossentropy",
        {"from_logits": True, "label_smoothing": 0.2},
        logits_pair("onehot"),
        2,
        5,
    ),
    ("scce", "sparse_categorical_crossentropy", {}, sparse_pair(1), 2, 5),
    ("scce-column", "sparse_categorical_crossentropy", {}, sparse_pair(2), 2, 5),
    (
        "scce-logits",
        "sparse_categorical_crossentropy",
        {"from_logits": True},
        logits_pair("sparse"),
        2,
        5,
    ),
    (
        "scce-logits-column",
        "sparse_categorical_crossentropy",
        {"from_logits": True},
        logits_pair("sparse_column"),
        2,
        5,
    ),
    ("bce", "binary_crossentropy", {}, binary_pair, 1, 5),
    ("bce-smoothing", "binary_crossentropy", {"label_smoothing": 0.2}, binary_smoothed_pair, 1, 5),
    ("bce-logits", "binary_crossentropy", {"from_logits": True}, logits_pair("binary"), 1, 5),
    (
        "bce-logits-smoothing",
        "binary_crossentropy",
        {"from_logits": True, "label_smoothing": 0.1},
        logits_pair("binary"),
        1,
        5,
    ),
    ("kld", "kullback_leibler_divergence", {}, kl_pair, 2, 5),
    ("poisson", "poisson", {}, poisson_pair, 1, 5),
    ("cosine", "cosine_proximity", {}, cosine_pair, 2, 5),
]


@pytest.mark.parametrize(
    ("name", "kwargs", "sample", "k_min", "k_max"),
    [case[1:] for case in HAND_CASES],
    ids=[case[0] for case in HAND_CASES],
)
def test_hand_case_derivatives_match_central_differences(name, kwargs, sample, k_min, k_max):
    loss = losses.get(name, **kwargs)
    rng = np.random.default_rng(sum(map(ord, name)) + 101 * len(kwargs))
    for _ in range(TRIALS):
        batch = int(rng.integers(1, 8))
        k = int(rng.integers(k_min, k_max + 1))
        y_true, y_pred = sample(rng, batch, k)
        assert_derivatives_match_central_differences(loss, y_true, y_pred, rng)


# --- the checker itself ------------------------------------------------------------------


def test_gradcheck_catches_a_gradient_divided_by_the_batch_twice():
    # The bug STYLE.md recalls: d(mean)/dy_pred divided by the batch size once too often.
    # rel(a, a / 8) = (7/8) / (9/8) = 7/9 for every element and along every direction.
    rng = np.random.default_rng(0)
    loss = losses.get("mean_squared_error")
    y_true = rng.normal(size=(8, 1))
    y_pred = y_true + 0.5

    def f(p):
        return loss(y_true, p)

    def wrong(p):
        return loss.gradient(y_true, p) / 8

    assert check_gradient(f, wrong, y_pred) == pytest.approx(7 / 9, rel=1e-6)
    assert check_directional(f, wrong, y_pred, rng) == pytest.approx(7 / 9, rel=1e-6)


def test_gradcheck_catches_one_wrong_element():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(3, 4))

    def f(v):
        return float(np.sum(np.exp(v) * np.cos(v)))

    def grad(v):
        return np.exp(v) * (np.cos(v) - np.sin(v))

    def one_sign_flipped(v):
        g = grad(v)
        g[1, 2] = -g[1, 2]
        return g

    assert check_gradient(f, grad, x) < TOLERANCE
    assert check_directional(f, grad, x, rng) < TOLERANCE
    assert check_gradient(f, one_sign_flipped, x) == pytest.approx(1.0, rel=1e-6)


def test_numerical_gradient_of_a_cubic():
    # Central differences of x**3 / 3 give x**2 + eps**2 / 3.
    x = np.array([[-1.5, 0.0, 2.0], [0.25, 3.0, -0.5]], dtype=np.float32)
    x_before = x.copy()
    gradient = numerical_gradient(lambda v: float(np.sum(v**3) / 3.0), x)
    assert gradient.dtype == np.float64
    assert gradient.shape == x.shape
    np.testing.assert_allclose(gradient, x.astype(np.float64) ** 2, rtol=1e-7, atol=1e-8)
    np.testing.assert_array_equal(x, x_before)


def test_numerical_gradient_evaluates_in_float64():
    # In float32 a step of 1e-6 on 1.0 would be lost; the check must not depend on the input
    # dtype.
    x = np.array([1.0], dtype=np.float32)
    gradient = numerical_gradient(lambda v: float(v[0] * 3.0), x)
    assert gradient[0] == pytest.approx(3.0, rel=1e-8)


def test_relative_error_definition():
    # |a - n| / max(|a| + |n|, 1e-8)
    np.testing.assert_allclose(
        relative_error([0.0, 1.0, 1.0, 2e-9, 2.0], [0.0, -1.0, 1.0, 0.0, 2.5]),
        [0.0, 1.0, 0.0, 0.2, 0.5 / 4.5],
        rtol=1e-12,
    )


def test_check_gradient_rejects_a_gradient_of_the_wrong_shape():
    with pytest.raises(ConfigError, match=r"shape"):
        check_gradient(lambda v: float(np.sum(v)), lambda v: np.ones(3), np.zeros((3, 1)))
