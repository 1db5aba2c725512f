"""Activations and the MLP: gradients by finite differences, Keras's initialisation, dtypes."""

import math
import zlib

import numpy as np
import pytest

from engine import ConfigError, activations, losses
from engine.gradcheck import check_directional, check_gradient
from engine.model import MLP

TOLERANCE = 1e-6


def _away_from_kinks(rng, shape):
    """Inputs in ±[0.1, 2]: no element within 0.1 of relu's, leaky_relu's or elu's kink at 0."""
    return rng.uniform(0.1, 2.0, shape) * rng.choice([-1.0, 1.0], shape)


@pytest.mark.parametrize("name", activations.names())
def test_activation_gradient_matches_finite_differences(name):
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    for batch, units in [(1, 1), (3, 4), (5, 2)]:
        z = _away_from_kinks(rng, (batch, units))
        # weights of size 0.5..1.5: a near-zero weight makes a gradient component so small
        # that the finite difference's rounding (~1e-10) dominates its relative error
        weights = rng.uniform(0.5, 1.5, (batch, units)) * rng.choice([-1.0, 1.0], (batch, units))
        act = activations.get(name)

        def f(values):
            return float(np.sum(weights * act(values)))

        def grad(values):
            return act.backward(weights.copy(), act(values))

        assert check_gradient(f, grad, z) < TOLERANCE
        assert check_directional(f, grad, z, rng) < TOLERANCE


@pytest.mark.parametrize("name, z, expected", [
    # Keras: relu max(z, 0); leaky_relu slope 0.2; elu exp(z) - 1 below 0
    ("relu", [-2.0, 0.5], [0.0, 0.5]),
    ("leaky_relu", [-2.0, 0.5], [-0.4, 0.5]),
    ("elu", [-1.0, 0.5], [math.exp(-1.0) - 1.0, 0.5]),
    ("sigmoid", [0.0, -800.0, 800.0], [0.5, 0.0, 1.0]),
    ("softplus", [0.0, 800.0, -800.0], [math.log(2.0), 800.0, 0.0]),
    ("tanh", [0.5], [math.tanh(0.5)]),
    ("exponential", [1.0], [math.e]),
    ("linear", [-3.0], [-3.0]),
])
def test_activation_values(name, z, expected):
    out = activations.get(name)(np.array([z]))
    np.testing.assert_allclose(out[0], expected, rtol=1e-12, atol=1e-300)
    assert np.all(np.isfinite(out))


def test_softmax_rows_sum_to_one_and_survive_large_logits():
    out = activations.get("softmax")(np.array([[1000.0, 0.0, -1000.0], [1.0, 2.0, 3.0]]))
    np.testing.assert_allclose(out.sum(axis=1), [1.0, 1.0], rtol=1e-15)
    np.testing.assert_allclose(out[0], [1.0, 0.0, 0.0], atol=1e-300)
    e = np.exp([1.0, 2.0, 3.0])
    np.testing.assert_allclose(out[1], e / e.sum(), rtol=1e-14)


def test_unknown_activation_names_the_choices():
    with pytest.raises(ConfigError, match="activation 'swish' is unknown; valid activations: "
                                          "linear, relu"):
        activations.get("swish")


def _mlp_objective(model, x, y, loss):
    """f(flat params) = mean loss + L2 penalty, and its gradient from model.backward."""
    def f(flat):
        model.set_weights(flat)
        return loss(y, model.predict(x)) + model.penalty()

    def grad(flat):
        model.set_weights(flat)
        outputs = model.forward(x)
        model.backward(x, outputs, loss.gradient(y, outputs[-1].copy()))
        return model.flat_grads.copy()

    return f, grad


@pytest.mark.parametrize("hidden, activation, output, loss_name, kwargs, l2", [
    ((5,), "tanh", "sigmoid", "binary_crossentropy", {}, 0.0),
    ((4, 3), "sigmoid", "linear", "binary_crossentropy", {"from_logits": True}, 0.01),
    ((6, 4), "elu", "softmax", "categorical_crossentropy", {}, 0.0),
    ((3,), "softplus", "linear", "categorical_crossentropy", {"from_logits": True}, 0.1),
    ((4,), "leaky_relu", "linear", "mean_squared_error", {}, 0.05),
    ((), "linear", "linear", "mean_squared_error", {}, 0.0),
    ((5, 5, 3), "tanh", "softplus", "poisson", {}, 0.0),
    ((4,), "tanh", "exponential", "mean_squared_logarithmic_error", {}, 0.0),
    ((4,), "tanh", "softmax", "kullback_leibler_divergence", {}, 0.001),
    ((4,), "tanh", "linear", "cosine_proximity", {}, 0.0),
    ((3,), "relu", "linear", "squared_hinge", {}, 0.0),
])
def test_mlp_gradient_matches_finite_differences(hidden, activation, output, loss_name,
                                                 kwargs, l2):
    rng = np.random.default_rng(len(hidden) * 100 + len(loss_name))
    batch, n_in = int(rng.integers(2, 7)), int(rng.integers(1, 4))
    n_out = 1 if loss_name in ("binary_crossentropy", "mean_squared_error", "poisson",
                               "mean_squared_logarithmic_error") else 3
    model = MLP(n_in, n_out, hidden, activation, output, l2=l2, seed=3)
    x = rng.normal(size=(batch, n_in))
    if loss_name in ("categorical_crossentropy", "kullback_leibler_divergence",
                     "cosine_proximity", "squared_hinge"):
        y = np.eye(n_out)[rng.integers(0, n_out, batch)]
    elif loss_name in ("binary_crossentropy",):
        y = rng.integers(0, 2, (batch, 1)).astype(float)
    elif loss_name in ("poisson", "mean_squared_logarithmic_error"):
        y = rng.poisson(2.0, (batch, 1)).astype(float)
    else:
        y = rng.normal(size=(batch, 1))
    model.biases[-1][...] = rng.normal(scale=0.3, size=model.biases[-1].shape)
    f, grad = _mlp_objective(model, x, y, losses.get(loss_name, **kwargs))
    start = model.get_weights()
    assert check_gradient(f, grad, start) < TOLERANCE
    assert check_directional(f, grad, start, rng) < TOLERANCE


def test_mlp_gradient_covers_every_weight_and_bias():
    """A wrong bias gradient must be caught: the check looks at each parameter."""
    rng = np.random.default_rng(0)
    model = MLP(2, 1, (3,), "tanh", "linear", seed=1)
    x, y = rng.normal(size=(4, 2)), rng.normal(size=(4, 1))
    loss = losses.get("mse")
    f, grad = _mlp_objective(model, x, y, loss)

    def wrong_grad(flat):
        g = grad(flat)
        g[-1] *= 2.0  # the output bias
        return g

    assert check_gradient(f, grad, model.get_weights()) < TOLERANCE
    assert check_gradient(f, wrong_grad, model.get_weights()) > 0.1


def test_glorot_uniform_limits_and_zero_biases():
    model = MLP(30, 10, (50,), seed=0)
    # Keras GlorotUniform: U(-limit, limit), limit = sqrt(6 / (fan_in + fan_out))
    for kernel in model.kernels:
        limit = math.sqrt(6.0 / sum(kernel.shape))
        assert np.abs(kernel).max() <= limit
        assert np.abs(kernel).max() > 0.9 * limit
        assert abs(kernel.std() - limit / math.sqrt(3.0)) < 0.1 * limit
    assert all(np.all(b == 0) for b in model.biases)


def test_he_initialisers_scale_with_fan_in():
    uniform = MLP(200, 1, (300,), init="he_uniform", seed=0).kernels[0]
    assert np.abs(uniform).max() <= math.sqrt(6.0 / 200)
    assert abs(uniform.std() - math.sqrt(2.0 / 200)) < 0.05 * math.sqrt(2.0 / 200)
    normal = MLP(200, 1, (300,), init="he_normal", seed=0).kernels[0]
    # truncated at 2 standard deviations of the uncorrected normal; std ≈ sqrt(2 / fan_in)
    assert abs(normal.std() - math.sqrt(2.0 / 200)) < 0.05 * math.sqrt(2.0 / 200)


def test_params_are_views_of_one_flat_buffer():
    model = MLP(3, 2, (4, 5))
    model.flat_params[:] = np.arange(model.flat_params.size)
    assert model.kernels[0][0, 0] == 0.0 and model.kernels[0][2, 3] == 11.0
    assert [p.shape for p in model.params] == [(3, 4), (4, 5), (5, 2), (4,), (5,), (2,)]
    assert sum(p.size for p in model.params) == model.flat_params.size
    assert all(np.shares_memory(g, model.flat_grads) for g in model.grads)


def test_float32_model_keeps_float32_throughout():
    model = MLP(2, 1, (4,), dtype="float32", l2=0.01)
    x = np.ones((3, 2), dtype=np.float32)
    outputs = model.forward(x)
    assert all(o.dtype == np.float32 for o in outputs)
    model.backward(x, outputs, np.ones((3, 1), dtype=np.float32))
    assert model.flat_grads.dtype == np.float32
    assert np.all(np.isfinite(model.flat_grads)) and np.any(model.flat_grads != 0)


def test_l2_penalty_is_keras_l2_on_kernels_only():
    model = MLP(2, 1, (2,), l2=0.5, seed=0)
    model.biases[0][...] = 10.0  # biases are not regularised
    expected = 0.5 * sum(float(np.sum(k ** 2)) for k in model.kernels)
    assert model.penalty() == pytest.approx(expected, rel=1e-14)


@pytest.mark.parametrize("kwargs, match", [
    ({"dtype": "float16"}, "dtype 'float16' is unknown"),
    ({"init": "zeros"}, "init 'zeros' is unknown"),
    ({"hidden_layers": (4, 0)}, r"layer sizes must be positive integers, got \[2, 4, 0, 1\]"),
])
def test_bad_model_arguments(kwargs, match):
    with pytest.raises(ConfigError, match=match):
        MLP(2, 1, **kwargs)
