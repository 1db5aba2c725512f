"""Tests for engine.optimizers against the Keras 3 and torchlars update rules.

Expected values come from reference recurrences written here in plain Python floats, one element
at a time, following keras/src/optimizers/*.py (Keras 3) and torchlars/lars.py +
adaptive_lr.cc; they never call the module under test.
"""

import math

import numpy as np
import pytest

from engine import optimizers
from engine.errors import ConfigError

SHAPES = [(2, 3), (3,), (1, 2)]
W0 = [np.array([[0.5, -1.0, 2.0], [0.25, 1.5, -0.75]]),
      np.array([0.1, -0.2, 0.3]),
      np.array([[3.0, -4.0]])]
STEPS = 5
# A learning rate that changes between steps, as the GUI's live control does.
LEARNING_RATES = [0.1, 0.1, 0.05, 0.2, 0.02]


def gradient_sequence(steps=STEPS, seed=1):
    """Per step, one gradient array per parameter array (fixed, reproducible)."""
    rng = np.random.default_rng(seed)
    return [[rng.normal(size=shape) for shape in SHAPES] for _ in range(steps)]


def as_floats(arrays):
    """Arrays -> list (per array) of lists of Python floats (row-major)."""
    return [[float(x) for x in np.ravel(array)] for array in arrays]


def from_floats(values):
    return [np.reshape(np.array(v, dtype=np.float64), shape) for v, shape in zip(values, SHAPES)]


def norm(values):
    return math.sqrt(sum(x * x for x in values))


def run(name, kwargs, grads_seq, learning_rates, dtype=np.float64):
    """Apply the optimizer to fresh copies of W0; returns (weights, optimizer)."""
    opt = optimizers.get(name, **kwargs)
    params = [w.astype(dtype) for w in W0]
    for grads, lr in zip(grads_seq, learning_rates):
        opt.learning_rate = lr
        opt.apply(params, [g.astype(dtype) for g in grads])
    return params, opt


# ---- reference recurrences (plain Python floats) -------------------------------------------

def ref_sgd(weights, grads_seq, lrs, momentum=0.0, nesterov=False):
    # Keras 3 SGD.update_step:
    #   momentum == 0: w -= lr * g
    #   m = momentum * m - lr * g;  w += m   (nesterov: w += momentum * m - lr * g)
    w = [list(a) for a in weights]
    m = [[0.0] * len(a) for a in w]
    for grads, lr in zip(grads_seq, lrs):
        for a, g_array in enumerate(as_floats(grads)):
            for i, g in enumerate(g_array):
                if momentum == 0:
                    w[a][i] -= lr * g
                    continue
                m[a][i] = momentum * m[a][i] - lr * g
                w[a][i] += momentum * m[a][i] - lr * g if nesterov else m[a][i]
    return w


def ref_rmsprop(weights, grads_seq, lrs, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False):
    # Keras 3 RMSprop.update_step:
    #   v = rho * v + (1 - rho) * g^2
    #   centered: a = rho * a + (1 - rho) * g; denom = v - a^2 + eps, else denom = v + eps
    #   increment = lr * g / sqrt(denom)
    #   momentum > 0: mom = momentum * mom + increment; w -= mom, else w -= increment
    w = [list(a) for a in weights]
    v = [[0.0] * len(a) for a in w]
    avg = [[0.0] * len(a) for a in w]
    mom = [[0.0] * len(a) for a in w]
    for grads, lr in zip(grads_seq, lrs):
        for a, g_array in enumerate(as_floats(grads)):
            for i, g in enumerate(g_array):
                v[a][i] = rho * v[a][i] + (1 - rho) * g * g
                if centered:
                    avg[a][i] = rho * avg[a][i] + (1 - rho) * g
                    denominator = v[a][i] - avg[a][i] ** 2 + epsilon
                else:
                    denominator = v[a][i] + epsilon
                increment = lr * g / math.sqrt(denominator)
                if momentum > 0:
                    mom[a][i] = momentum * mom[a][i] + increment
                    w[a][i] -= mom[a][i]
                else:
                    w[a][i] -= increment
    return w


def ref_adam(weights, grads_seq, lrs, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False,
             weight_decay=0.0, amsgrad_from=1):
    # Keras 3 Adam.update_step at t = iterations + 1:
    #   alpha = lr * sqrt(1 - beta_2^t) / (1 - beta_1^t)
    #   m += (g - m) * (1 - beta_1);  v += (g^2 - v) * (1 - beta_2)
    #   amsgrad: v_hat = max(v_hat, v), used in place of v
    #   w -= m * alpha / (sqrt(v) + eps)
    # AdamW: Keras's BaseOptimizer first does w -= w * weight_decay * lr (its method
    # _apply_weight_decay).
    w = [list(a) for a in weights]
    m = [[0.0] * len(a) for a in w]
    v = [[0.0] * len(a) for a in w]
    v_hat = [[0.0] * len(a) for a in w]
    for t, (grads, lr) in enumerate(zip(grads_seq, lrs), start=1):
        alpha = lr * math.sqrt(1 - beta_2 ** t) / (1 - beta_1 ** t)
        for a, g_array in enumerate(as_floats(grads)):
            for i, g in enumerate(g_array):
                w[a][i] -= w[a][i] * weight_decay * lr
                m[a][i] += (g - m[a][i]) * (1 - beta_1)
                v[a][i] += (g * g - v[a][i]) * (1 - beta_2)
                second = v[a][i]
                if amsgrad and t >= amsgrad_from:  # v_hat starts at 0 from that step
                    v_hat[a][i] = max(v_hat[a][i], v[a][i])
                    second = v_hat[a][i]
                w[a][i] -= m[a][i] * alpha / (math.sqrt(second) + epsilon)
    return w


def ref_adagrad(weights, grads_seq, lrs, initial_accumulator_value=0.1, epsilon=1e-7):
    # Keras 3 Adagrad.update_step: acc += g^2; w -= lr * g / sqrt(acc + eps)
    w = [list(a) for a in weights]
    acc = [[initial_accumulator_value] * len(a) for a in w]
    for grads, lr in zip(grads_seq, lrs):
        for a, g_array in enumerate(as_floats(grads)):
            for i, g in enumerate(g_array):
                acc[a][i] += g * g
                w[a][i] -= lr * g / math.sqrt(acc[a][i] + epsilon)
    return w


def ref_lamb(weights, grads_seq, lrs, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
             exclude_bias=False):
    # Keras 3 Lamb.update_step at t = iterations + 1, per variable (parameter array):
    #   m += (g - m) * (1 - beta_1);  v += (g^2 - v) * (1 - beta_2)
    #   update = (m / (1 - beta_1^t)) / (sqrt(v / (1 - beta_2^t)) + eps)
    #   ratio = ||w|| / ||update|| if both > 0 else 1;  w -= ratio * lr * update
    #   exclude_bias: ratio = 1 for the 1-D arrays (TF Addons' exclude_from_layer_adaptation)
    # Returns the weights and the ratios of every step.
    w = [list(a) for a in weights]
    m = [[0.0] * len(a) for a in w]
    v = [[0.0] * len(a) for a in w]
    ratios = []
    for t, (grads, lr) in enumerate(zip(grads_seq, lrs), start=1):
        step_ratios = []
        for a, g_array in enumerate(as_floats(grads)):
            update = []
            for i, g in enumerate(g_array):
                m[a][i] += (g - m[a][i]) * (1 - beta_1)
                v[a][i] += (g * g - v[a][i]) * (1 - beta_2)
                m_hat = m[a][i] / (1 - beta_1 ** t)
                update.append(m_hat / (math.sqrt(v[a][i] / (1 - beta_2 ** t)) + epsilon))
            w_norm, u_norm = norm(w[a]), norm(update)
            ratio = w_norm / u_norm if w_norm > 0 and u_norm > 0 else 1.0
            if exclude_bias and len(SHAPES[a]) == 1:
                ratio = 1.0
            step_ratios.append(ratio)
            w[a] = [x - ratio * lr * u for x, u in zip(w[a], update)]
        ratios.append(step_ratios)
    return w, ratios


def ref_lars(weights, grads_seq, lrs, momentum=0.9, weight_decay=0.0, trust_coef=0.001,
             eps=1e-8, exclude_bias=False):
    # torchlars LARS wrapping torch.optim.SGD(momentum, dampening=0), per parameter array:
    #   trust = ||w|| / (||g|| + weight_decay * ||w|| + eps) * trust_coef if both norms > 0 else 1
    #   exclude_bias: for 1-D arrays trust = 1 and no weight decay (SimCLR's LARS excluding
    #   "bias" from weight decay and layer adaptation)
    #   g' = (g + weight_decay * w) * trust
    #   buf = g' on the first step, else momentum * buf + g';  w -= lr * buf
    # Returns the weights and the trust ratios of every step.
    w = [list(a) for a in weights]
    buf = [None] * len(w)
    trusts = []
    for grads, lr in zip(grads_seq, lrs):
        step_trusts = []
        for a, g_array in enumerate(as_floats(grads)):
            w_norm, g_norm = norm(w[a]), norm(g_array)
            decay = weight_decay
            if exclude_bias and len(SHAPES[a]) == 1:
                trust, decay = 1.0, 0.0
            elif w_norm > 0 and g_norm > 0:
                trust = w_norm / (g_norm + weight_decay * w_norm + eps) * trust_coef
            else:
                trust = 1.0
            step_trusts.append(trust)
            scaled = [(g + decay * x) * trust for g, x in zip(g_array, w[a])]
            if buf[a] is None:
                buf[a] = scaled
            else:
                buf[a] = [momentum * b + s for b, s in zip(buf[a], scaled)]
            w[a] = [x - lr * b for x, b in zip(w[a], buf[a])]
        trusts.append(step_trusts)
    return w, trusts


# (registry name, keyword arguments, reference, reference keyword arguments)
CASES = [
    ("sgd", {}, ref_sgd, {}),
    ("sgd", {"momentum": 0.5}, ref_sgd, {"momentum": 0.5}),
    ("momentum", {}, ref_sgd, {"momentum": 0.9}),
    ("nesterov", {}, ref_sgd, {"momentum": 0.9, "nesterov": True}),
    ("sgd", {"momentum": 0.3, "nesterov": True}, ref_sgd, {"momentum": 0.3, "nesterov": True}),
    ("rmsprop", {}, ref_rmsprop, {}),
    ("rmsprop", {"centered": True}, ref_rmsprop, {"centered": True}),
    ("rmsprop", {"momentum": 0.8}, ref_rmsprop, {"momentum": 0.8}),
    ("rmsprop", {"rho": 0.5, "momentum": 0.7, "centered": True, "epsilon": 1e-3}, ref_rmsprop,
     {"rho": 0.5, "momentum": 0.7, "centered": True, "epsilon": 1e-3}),
    ("adam", {}, ref_adam, {}),
    ("adam", {"amsgrad": True}, ref_adam, {"amsgrad": True}),
    ("adam", {"beta_1": 0.5, "beta_2": 0.9, "epsilon": 1e-2}, ref_adam,
     {"beta_1": 0.5, "beta_2": 0.9, "epsilon": 1e-2}),
    ("adamw", {}, ref_adam, {"weight_decay": 0.004}),
    ("adamw", {"weight_decay": 0.3, "amsgrad": True}, ref_adam,
     {"weight_decay": 0.3, "amsgrad": True}),
    ("adagrad", {}, ref_adagrad, {}),
    ("adagrad", {"initial_accumulator_value": 0.0, "epsilon": 1e-3}, ref_adagrad,
     {"initial_accumulator_value": 0.0, "epsilon": 1e-3}),
    ("lamb", {}, ref_lamb, {}),
    ("lamb", {"exclude_bias": True}, ref_lamb, {"exclude_bias": True}),
    ("lars", {"trust_coef": 0.5}, ref_lars, {"trust_coef": 0.5}),
    ("lars", {"trust_coef": 0.2, "weight_decay": 0.1, "momentum": 0.5, "eps": 1e-3}, ref_lars,
     {"trust_coef": 0.2, "weight_decay": 0.1, "momentum": 0.5, "eps": 1e-3}),
    ("lars", {"trust_coef": 0.2, "weight_decay": 0.1, "exclude_bias": True}, ref_lars,
     {"trust_coef": 0.2, "weight_decay": 0.1, "exclude_bias": True}),
]
CASE_IDS = [f"{name}-{'-'.join(f'{k}={v}' for k, v in kw.items()) or 'defaults'}"
            for name, kw, _, _ in CASES]


def reference_weights(reference, kwargs, grads_seq, lrs):
    result = reference(as_floats(W0), grads_seq, lrs, **kwargs)
    return result[0] if isinstance(result, tuple) else result


# ---- registry ------------------------------------------------------------------------------

def test_names_in_contract_order():
    assert optimizers.names() == ["sgd", "momentum", "nesterov", "rmsprop", "adam", "adamw",
                                  "adagrad", "lamb", "lars"]


def test_hyperparameters_are_keras_defaults():
    assert optimizers.hyperparameters("sgd") == {
        "learning_rate": 0.01, "momentum": 0.0, "nesterov": False}
    assert optimizers.hyperparameters("momentum") == {
        "learning_rate": 0.01, "momentum": 0.9, "nesterov": False}
    assert optimizers.hyperparameters("nesterov") == {
        "learning_rate": 0.01, "momentum": 0.9, "nesterov": True}
    assert optimizers.hyperparameters("rmsprop") == {
        "learning_rate": 0.001, "rho": 0.9, "momentum": 0.0, "epsilon": 1e-7, "centered": False}
    assert optimizers.hyperparameters("adam") == {
        "learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7,
        "amsgrad": False}
    assert optimizers.hyperparameters("adamw") == {
        "learning_rate": 0.001, "weight_decay": 0.004, "beta_1": 0.9, "beta_2": 0.999,
        "epsilon": 1e-7, "amsgrad": False}
    assert optimizers.hyperparameters("adagrad") == {
        "learning_rate": 0.001, "initial_accumulator_value": 0.1, "epsilon": 1e-7}
    assert optimizers.hyperparameters("lamb") == {
        "learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7,
        "exclude_bias": False}
    assert optimizers.hyperparameters("lars") == {
        "learning_rate": 0.01, "momentum": 0.9, "weight_decay": 0.0, "trust_coef": 0.001,
        "epsilon": 1e-8, "exclude_bias": False}
    for name in optimizers.names():
        assert list(optimizers.hyperparameters(name))[0] == "learning_rate"


@pytest.mark.parametrize("name", optimizers.names())
def test_get_builds_with_the_listed_defaults(name):
    opt = optimizers.get(name)
    assert opt.name == name
    assert opt.iterations == 0
    assert opt.trust_ratios is None
    for field, default in optimizers.hyperparameters(name).items():
        assert getattr(opt, field) == default


def test_get_accepts_keras_class_names_and_none_for_defaults():
    assert isinstance(optimizers.get("RMSprop"), optimizers.RMSprop)
    assert isinstance(optimizers.get("SGD"), optimizers.SGD)
    assert isinstance(optimizers.get("AdamW"), optimizers.AdamW)
    opt = optimizers.get("adam", learning_rate=0.5, beta_1=None)
    assert (opt.learning_rate, opt.beta_1) == (0.5, 0.9)
    lars = optimizers.get("lars", eps=1e-4)
    assert lars.epsilon == lars.eps == 1e-4
    preset = optimizers.get("momentum", momentum=0.5)
    assert (preset.momentum, preset.nesterov) == (0.5, False)


def test_hyperparameters_returns_a_copy():
    optimizers.hyperparameters("adam")["beta_1"] = 0.0
    assert optimizers.hyperparameters("adam")["beta_1"] == 0.9


# ---- single steps with closed forms --------------------------------------------------------

def one_step(name, w, g, **kwargs):
    opt = optimizers.get(name, **kwargs)
    params = [np.array(w, dtype=np.float64)]
    opt.apply(params, [np.array(g, dtype=np.float64)])
    return params[0], opt


W1 = [1.0, -2.0, 0.5, 0.0]
G1 = [0.5, 0.25, -4.0, 1.0]


def test_single_step_sgd_momentum_and_nesterov():
    lr = 0.1
    expected = [w - lr * g for w, g in zip(W1, G1)]
    np.testing.assert_allclose(one_step("sgd", W1, G1, learning_rate=lr)[0], expected,
                               rtol=1e-15)
    # m = 0.9 * 0 - lr g, w += m: the first momentum step equals plain SGD.
    np.testing.assert_allclose(one_step("momentum", W1, G1, learning_rate=lr)[0], expected,
                               rtol=1e-15)
    # nesterov: w += 0.9 * (-lr g) - lr g = w - 1.9 lr g
    expected = [w - 1.9 * lr * g for w, g in zip(W1, G1)]
    np.testing.assert_allclose(one_step("nesterov", W1, G1, learning_rate=lr)[0], expected,
                               rtol=1e-14)


def test_single_step_rmsprop_matches_keras_docstring_example():
    # Keras's RMSprop docstring: var1 = 10.0, loss = var1^2 / 2 (gradient 10), lr 0.1 -> 9.683772
    w, _ = one_step("rmsprop", [10.0], [10.0], learning_rate=0.1)
    np.testing.assert_allclose(w, [10.0 - 0.1 * 10.0 / math.sqrt(0.1 * 100.0 + 1e-7)],
                               rtol=1e-15)
    np.testing.assert_allclose(w, [9.683772], rtol=1e-7)


def test_single_step_adam_and_adamw():
    lr = 0.01
    # t = 1: m = 0.1 g, v = 0.001 g^2, alpha = lr sqrt(0.001) / 0.1
    # w - m alpha / (sqrt(v) + eps) = w - lr g sqrt(0.001) / (sqrt(0.001) |g| + 1e-7)
    expected = [w - lr * g * math.sqrt(0.001) / (math.sqrt(0.001) * abs(g) + 1e-7)
                for w, g in zip(W1, G1)]
    np.testing.assert_allclose(one_step("adam", W1, G1, learning_rate=lr)[0], expected,
                               rtol=1e-14)
    # AdamW decays first: w * (1 - 0.004 lr), then the same Adam step.
    expected = [w - w * 0.004 * lr - lr * g * math.sqrt(0.001)
                / (math.sqrt(0.001) * abs(g) + 1e-7) for w, g in zip(W1, G1)]
    np.testing.assert_allclose(one_step("adamw", W1, G1, learning_rate=lr)[0], expected,
                               rtol=1e-14)


def test_single_step_adagrad():
    lr = 0.1
    expected = [w - lr * g / math.sqrt(0.1 + g * g + 1e-7) for w, g in zip(W1, G1)]
    np.testing.assert_allclose(one_step("adagrad", W1, G1, learning_rate=lr)[0], expected,
                               rtol=1e-15)


def test_single_step_lamb():
    lr = 0.1
    # t = 1: m_hat = g, v_hat = g^2 (up to rounding), update = g / (|g| + 1e-7)
    update = [g / (abs(g) + 1e-7) for g in G1]
    ratio = norm(W1) / norm(update)
    w, opt = one_step("lamb", W1, G1, learning_rate=lr)
    np.testing.assert_allclose(w, [x - ratio * lr * u for x, u in zip(W1, update)], rtol=1e-14)
    np.testing.assert_allclose(opt.trust_ratios, [ratio], rtol=1e-14)


def test_single_step_lars_with_defaults():
    lr = 0.5
    trust = 0.001 * norm(W1) / (norm(G1) + 1e-8)
    w, opt = one_step("lars", W1, G1, learning_rate=lr)
    np.testing.assert_allclose(w, [x - lr * g * trust for x, g in zip(W1, G1)], rtol=1e-15)
    np.testing.assert_allclose(opt.trust_ratios, [trust], rtol=1e-15)
    assert opt.iterations == 1


# ---- five-step trajectories with a changing learning rate ------------------------------------

@pytest.mark.parametrize("name, kwargs, reference, ref_kwargs", CASES, ids=CASE_IDS)
def test_five_step_trajectory_matches_reference(name, kwargs, reference, ref_kwargs):
    grads_seq = gradient_sequence()
    weights, opt = run(name, kwargs, grads_seq, LEARNING_RATES)
    expected = reference_weights(reference, ref_kwargs, grads_seq, LEARNING_RATES)
    for got, want in zip(weights, from_floats(expected)):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)
    assert opt.iterations == STEPS


def test_adam_keeps_v_hat_only_with_amsgrad_and_builds_it_when_switched_on():
    grads_seq = gradient_sequence()
    for g in grads_seq[3]:
        g *= 0.01  # a small gradient after larger ones: v falls, so v_hat = max(...) matters
    opt = optimizers.get("adam", learning_rate=0.1)
    params = [w.copy() for w in W0]
    for grads in grads_seq[:2]:
        opt.apply(params, grads)
    assert set(opt.state) == {"momentum", "velocity"}
    opt.amsgrad = True
    for grads in grads_seq[2:]:
        opt.apply(params, grads)
    assert set(opt.state) == {"momentum", "velocity", "velocity_hat"}
    expected = ref_adam(as_floats(W0), grads_seq, [0.1] * len(grads_seq), amsgrad=True,
                        amsgrad_from=3)
    plain = ref_adam(as_floats(W0), grads_seq, [0.1] * len(grads_seq))
    for got, want, other in zip(params, from_floats(expected), from_floats(plain)):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)
        assert np.abs(got - other).max() > 1e-6  # AMSGrad did change the trajectory


def test_momentum_change_between_steps_follows_keras():
    grads_seq = gradient_sequence(steps=2)
    opt = optimizers.get("sgd", learning_rate=0.1, momentum=0.9)
    params = [w.copy() for w in W0]
    opt.apply(params, grads_seq[0])
    opt.momentum = 0.5
    opt.apply(params, grads_seq[1])
    # Keras keeps the velocity: m1 = -lr g1; m2 = 0.5 m1 - lr g2; w = w0 + m1 + m2
    for w0, g1, g2, got in zip(W0, *grads_seq, params):
        m1 = -0.1 * g1
        np.testing.assert_allclose(got, w0 + m1 + (0.5 * m1 - 0.1 * g2), rtol=1e-12)


def test_lamb_trust_ratios_every_step():
    grads_seq = gradient_sequence()
    opt = optimizers.get("lamb")
    params = [w.copy() for w in W0]
    _, ratios = ref_lamb(as_floats(W0), grads_seq, LEARNING_RATES)
    for grads, lr, expected in zip(grads_seq, LEARNING_RATES, ratios):
        opt.learning_rate = lr
        opt.apply(params, grads)
        np.testing.assert_allclose(opt.trust_ratios, expected, rtol=1e-12)


# ---- LARS specifics ------------------------------------------------------------------------

def test_lars_trust_ratios_per_array_with_different_norms():
    grads_seq = gradient_sequence()
    opt = optimizers.get("lars", learning_rate=0.3, trust_coef=0.5, weight_decay=0.01)
    params = [w.copy() for w in W0]
    _, trusts = ref_lars(as_floats(W0), grads_seq, [0.3] * STEPS, trust_coef=0.5,
                         weight_decay=0.01)
    for grads, expected in zip(grads_seq, trusts):
        opt.apply(params, grads)
        assert opt.trust_ratios.shape == (len(SHAPES),)
        np.testing.assert_allclose(opt.trust_ratios, expected, rtol=1e-12)
    assert len(set(np.round(opt.trust_ratios, 6))) == len(SHAPES)


def test_lars_trust_is_one_when_weight_norm_is_zero():
    params = [np.zeros((2, 2)), np.array([3.0, 4.0])]
    grads = [np.array([[1.0, -2.0], [0.5, 0.0]]), np.array([1.0, 0.0])]
    opt = optimizers.get("lars", learning_rate=0.1, weight_decay=0.5)
    opt.apply(params, grads)
    # array 0: ||w|| = 0 -> trust 1, g' = g + 0.5 * 0 = g, w = 0 - 0.1 g
    # array 1: trust = 0.001 * 5 / (1 + 0.5 * 5 + 1e-8), g' = (g + 0.5 w) * trust
    trust = 0.001 * 5.0 / (1.0 + 2.5 + 1e-8)
    np.testing.assert_allclose(opt.trust_ratios, [1.0, trust], rtol=1e-15)
    np.testing.assert_allclose(params[0], -0.1 * grads[0], rtol=1e-15)
    np.testing.assert_allclose(params[1], [3.0 - 0.1 * (1.0 + 1.5) * trust,
                                           4.0 - 0.1 * 2.0 * trust], rtol=1e-15)


def test_lars_trust_is_one_when_gradient_norm_is_zero():
    params = [np.array([1.0, -1.0]), np.array([2.0])]
    grads = [np.zeros(2), np.array([4.0])]
    opt = optimizers.get("lars", learning_rate=0.1, weight_decay=0.25)
    opt.apply(params, grads)
    # array 0: ||g|| = 0 -> trust 1; g' = 0 + 0.25 w; w -= 0.1 g'
    trust = 0.001 * 2.0 / (4.0 + 0.25 * 2.0 + 1e-8)
    np.testing.assert_allclose(opt.trust_ratios, [1.0, trust], rtol=1e-15)
    np.testing.assert_allclose(params[0], [1.0 - 0.025, -1.0 + 0.025], rtol=1e-15)
    np.testing.assert_allclose(params[1], [2.0 - 0.1 * (4.0 + 0.5) * trust], rtol=1e-15)


def test_lars_exclude_bias_golden_step():
    # A kernel and a zero bias, as the model starts. Worked by hand, lr 2, weight decay 0.5:
    # kernel: ||w|| = 5, ||g|| = 1 -> trust = 0.001 * 5 / (1 + 2.5 + 1e-8);
    #         g' = (g + 0.5 w) * trust = ([0.6, 0.8] + [1.5, 2.0]) * trust = [2.1, 2.8] * trust
    # bias (excluded): trust 1, no decay: g' = g = [0.3, -0.4]; w = 0 - 2 g' = [-0.6, 0.8]
    # torchlars (default) would give the bias the same step here (||w|| = 0 -> trust 1, decay
    # of a zero is zero); its second step differs, checked below.
    kernel, bias = np.array([[3.0], [4.0]]), np.zeros(2)
    grads = [np.array([[0.6], [0.8]]), np.array([0.3, -0.4])]
    opt = optimizers.get("lars", learning_rate=2.0, weight_decay=0.5, momentum=0.0,
                         exclude_bias=True)
    params = [kernel, bias]
    opt.apply(params, grads)
    trust = 0.001 * 5.0 / (1.0 + 2.5 + 1e-8)
    np.testing.assert_allclose(opt.trust_ratios, [trust, 1.0], rtol=1e-15)
    np.testing.assert_allclose(params[0], [[3.0 - 2.0 * 2.1 * trust], [4.0 - 2.0 * 2.8 * trust]],
                               rtol=1e-15)
    np.testing.assert_allclose(params[1], [-0.6, 0.8], rtol=1e-15)
    # step 2, same gradients: the bias ([-0.6, 0.8], norm 1) keeps trust 1 and no decay, so
    # w = [-0.6, 0.8] - 2 [0.3, -0.4] = [-1.2, 1.6]. torchlars uses
    # trust = 0.001 * 1 / (0.5 + 0.5 * 1 + 1e-8) and decays the bias: g + 0.5 w = 0 here, so
    # its bias stays at [-0.6, 0.8].
    opt.apply(params, grads)
    assert opt.trust_ratios[1] == 1.0
    np.testing.assert_allclose(params[1], [-1.2, 1.6], rtol=1e-15)
    torchlars = optimizers.get("lars", learning_rate=2.0, weight_decay=0.5, momentum=0.0)
    default = [np.array([[3.0], [4.0]]), np.zeros(2)]
    torchlars.apply(default, grads)
    torchlars.apply(default, grads)
    bias_trust = 0.001 * 1.0 / (0.5 + 0.5 * 1.0 + 1e-8)
    np.testing.assert_allclose(torchlars.trust_ratios[1], bias_trust, rtol=1e-15)
    np.testing.assert_allclose(default[1], [-0.6, 0.8], rtol=1e-15)


def test_lars_exclude_bias_leaves_kernels_as_torchlars():
    grads_seq = gradient_sequence()
    excluded, _ = run("lars", {"weight_decay": 0.1, "exclude_bias": True}, grads_seq,
                      LEARNING_RATES)
    default, _ = run("lars", {"weight_decay": 0.1}, grads_seq, LEARNING_RATES)
    for shape, got, plain in zip(SHAPES, excluded, default):
        if len(shape) == 2:
            np.testing.assert_array_equal(got, plain)
        else:
            assert np.abs(got - plain).max() > 1e-3


def test_lamb_exclude_bias_records_ratio_one_for_biases():
    grads_seq = gradient_sequence()
    opt = optimizers.get("lamb", exclude_bias=True)
    params = [w.copy() for w in W0]
    _, ratios = ref_lamb(as_floats(W0), grads_seq, LEARNING_RATES, exclude_bias=True)
    for grads, lr, expected in zip(grads_seq, LEARNING_RATES, ratios):
        opt.learning_rate = lr
        opt.apply(params, grads)
        np.testing.assert_allclose(opt.trust_ratios, expected, rtol=1e-12)
        assert opt.trust_ratios[1] == 1.0 and opt.trust_ratios[0] != 1.0


def test_lamb_ratio_is_one_when_weight_norm_is_zero():
    params = [np.zeros(3), np.array([1.0, 2.0])]
    grads = [np.array([1.0, -1.0, 2.0]), np.array([0.5, 0.5])]
    opt = optimizers.get("lamb", learning_rate=0.1)
    opt.apply(params, grads)
    assert opt.trust_ratios[0] == 1.0
    update = [g / (abs(g) + 1e-7) for g in (1.0, -1.0, 2.0)]
    np.testing.assert_allclose(params[0], [-0.1 * u for u in update], rtol=1e-14)


def test_trust_ratios_stay_none_for_other_optimizers():
    for name in ("sgd", "momentum", "nesterov", "rmsprop", "adam", "adamw", "adagrad"):
        _, opt = run(name, {}, gradient_sequence(steps=1), [0.1])
        assert opt.trust_ratios is None


def test_trust_ratios_array_is_not_overwritten_by_the_next_step():
    opt = optimizers.get("lars", learning_rate=0.1)
    params = [w.copy() for w in W0]
    grads_seq = gradient_sequence(steps=2)
    opt.apply(params, grads_seq[0])
    first = opt.trust_ratios
    kept = first.copy()
    opt.apply(params, grads_seq[1])
    np.testing.assert_array_equal(first, kept)
    assert not np.array_equal(opt.trust_ratios, kept)


# ---- flat fast path versus packed path -----------------------------------------------------

def flat_views(flat, shapes=SHAPES):
    """Consecutive C-contiguous views of ``flat``, as the trainer lays out its parameters."""
    views, start = [], 0
    for shape in shapes:
        size = math.prod(shape)
        views.append(flat[start:start + size].reshape(shape))
        start += size
    return views


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name, kwargs", [case[:2] for case in CASES], ids=CASE_IDS)
def test_flat_and_packed_paths_are_bit_identical(name, kwargs, dtype):
    grads_seq = gradient_sequence()
    size = sum(math.prod(shape) for shape in SHAPES)
    # Offsets inside larger buffers, so the flat views are not aligned like fresh arrays.
    weight_buffer = np.zeros(size + 3, dtype)
    gradient_buffer = np.zeros(size + 1, dtype)
    weight_flat, gradient_flat = weight_buffer[3:], gradient_buffer[1:]
    weight_flat[:] = np.concatenate([w.ravel() for w in W0])
    params, grads = flat_views(weight_flat), flat_views(gradient_flat)
    fast = optimizers.get(name, **kwargs)
    packed = optimizers.get(name, **kwargs)
    separate = [w.astype(dtype) for w in W0]
    for step_grads, lr in zip(grads_seq, LEARNING_RATES):
        gradient_flat[:] = np.concatenate([g.ravel() for g in step_grads])
        fast.learning_rate = packed.learning_rate = lr
        fast.apply(params, grads)
        packed.apply(separate, [g.astype(dtype) for g in step_grads])
        if fast.trust_ratios is not None:
            np.testing.assert_array_equal(fast.trust_ratios, packed.trust_ratios)
    assert fast.copies == (False, False)
    assert packed.copies == (True, True)
    for got, want in zip(params, separate):
        assert got.dtype == want.dtype == dtype
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("name, kwargs, reference, ref_kwargs", CASES, ids=CASE_IDS)
def test_float32_follows_the_float64_reference(name, kwargs, reference, ref_kwargs):
    grads_seq = gradient_sequence()
    weights, _ = run(name, kwargs, grads_seq, LEARNING_RATES, dtype=np.float32)
    expected = reference_weights(reference, ref_kwargs, grads_seq, LEARNING_RATES)
    for got, want in zip(weights, from_floats(expected)):
        assert got.dtype == np.float32
        # float32 carries ~7 significant digits; five steps lose at most a few of the last.
        np.testing.assert_allclose(got, want, rtol=2e-5, atol=2e-6)


def test_only_consecutive_views_of_one_buffer_are_updated_in_place():
    """The fast path updates the weights through the one flat buffer they are consecutive
    C-contiguous views of; any other layout is packed into one buffer and copied back."""
    def copies(params, grads=None):
        opt = optimizers.get("sgd", learning_rate=1.0)
        opt.apply(params, [np.ones_like(p) for p in params] if grads is None else grads)
        return opt.copies

    shapes = [(2, 3), (6,)]
    flat = np.arange(12.0)
    assert copies(flat_views(flat, shapes), flat_views(np.ones(12), shapes)) == (False, False)
    np.testing.assert_array_equal(flat, np.arange(12.0) - 1.0)  # written through the buffer
    # A gap, a different order, another buffer, a strided view: the weights are packed.
    for params in ([flat[:4], flat[5:8]], [flat[6:], flat[:6]], [flat[:6], np.arange(6.0)],
                   [np.arange(6.0), np.arange(6.0)], [flat[::2]]):
        assert copies(params)[0]
    # gradients in one buffer of another dtype than the weights': packed (and cast)
    in_float32 = flat_views(np.ones(12, np.float32), shapes)
    assert copies(flat_views(np.zeros(12), shapes), in_float32) == (False, True)


def test_plan_is_rebuilt_when_the_same_list_holds_new_arrays():
    params = [np.array([1.0, 2.0])]
    grads = [np.array([1.0, 1.0])]
    opt = optimizers.get("sgd", learning_rate=0.5)
    opt.apply(params, grads)
    params[0] = np.array([10.0, 20.0])
    opt.apply(params, grads)
    np.testing.assert_array_equal(params[0], [9.5, 19.5])


def test_float64_gradients_update_float32_params():
    params = [np.array([1.0, 2.0], dtype=np.float32)]
    opt = optimizers.get("sgd", learning_rate=0.5)
    opt.apply(params, [np.array([0.5, -1.0])])
    assert params[0].dtype == np.float32
    np.testing.assert_array_equal(params[0], np.array([0.75, 2.5], dtype=np.float32))


# ---- subnormal flushing --------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_flush_subnormals_zeroes_subnormal_momentum_only(dtype):
    tiny = np.finfo(dtype).tiny
    opt = optimizers.get("sgd", learning_rate=1.0, momentum=0.5)
    params = [np.zeros(5, dtype)]
    grads = [np.array([tiny / 4, 1.0, -tiny / 8, 0.0, -tiny], dtype)]
    opt.apply(params, grads)
    momentum = opt.state["momentum"]
    # m = -lr g: entries 0 and 2 are subnormal, entry 4 is exactly the smallest normal.
    assert 0 < abs(momentum[0]) < tiny and 0 < abs(momentum[2]) < tiny
    assert opt.flush_subnormals() == 2
    np.testing.assert_array_equal(momentum, np.array([0.0, -1.0, 0.0, 0.0, tiny], dtype))
    assert opt.flush_subnormals() == 0


@pytest.mark.parametrize("name", optimizers.names())
def test_flush_subnormals_keeps_every_normal_state_value(name):
    dtype = np.float64
    tiny = np.finfo(dtype).tiny
    opt = optimizers.get(name, learning_rate=0.1)
    params = [np.array([1.0, -2.0, 3.0, 0.5])]
    grads = [np.array([1e-170, -3e-310, 2.0, 1e-300])]
    opt.apply(params, grads)
    before = {slot: values.copy() for slot, values in opt.state.items()}
    opt.flush_subnormals()
    for slot, values in opt.state.items():
        subnormal = np.abs(before[slot]) < tiny
        np.testing.assert_array_equal(values[subnormal], 0.0)
        np.testing.assert_array_equal(values[~subnormal], before[slot][~subnormal])


# ---- bad input -----------------------------------------------------------------------------

def test_unknown_name_lists_the_valid_names():
    with pytest.raises(ConfigError, match=r"optimizer 'adadelta' is not known; valid names: "
                                          r"sgd, momentum, nesterov, rmsprop, adam"):
        optimizers.get("adadelta")
    with pytest.raises(ConfigError, match="optimizer 3 is not known"):
        optimizers.hyperparameters(3)


def test_unknown_keyword_names_it_and_the_valid_ones():
    with pytest.raises(ConfigError, match=r"optimizer 'adam' has no hyperparameter 'rho' "
                                          r"\(received rho=0.5\); valid hyperparameters: "
                                          r"learning_rate, beta_1, beta_2, epsilon, amsgrad"):
        optimizers.get("adam", rho=0.5)
    with pytest.raises(ConfigError, match="has no hyperparameter 'weight_decay'"):
        optimizers.get("sgd", weight_decay=0.1)


@pytest.mark.parametrize("name, field, value, valid", [
    ("sgd", "learning_rate", -0.1, r"a number in \[0, inf\)"),
    ("sgd", "momentum", 1.0, r"a number in \[0, 1\)"),
    ("momentum", "momentum", -0.5, r"a number in \[0, 1\)"),
    ("rmsprop", "rho", 1.5, r"a number in \[0, 1\)"),
    ("adam", "beta_1", 1.0, r"a number in \[0, 1\)"),
    ("adam", "epsilon", 0.0, r"a number in \(0, inf\)"),
    ("adamw", "weight_decay", -1.0, r"a number in \[0, inf\)"),
    ("adagrad", "initial_accumulator_value", -0.1, r"a number in \[0, inf\)"),
    ("lars", "trust_coef", float("nan"), r"a number in \[0, inf\)"),
    ("lamb", "learning_rate", float("inf"), r"a number in \[0, inf\)"),
])
def test_invalid_values_name_field_value_and_range(name, field, value, valid):
    with pytest.raises(ConfigError, match=rf"optimizer '{name}': {field} must be {valid}; "
                                          rf"received {value!r}"):
        optimizers.get(name, **{field: value})


def test_invalid_types_are_rejected():
    with pytest.raises(ConfigError, match=r"nesterov must be True or False; received 'yes'"):
        optimizers.get("sgd", nesterov="yes")
    with pytest.raises(ConfigError, match=r"learning_rate must be a number in \[0, inf\); "
                                          r"received '0.1' of type str"):
        optimizers.get("adam", learning_rate="0.1")
    with pytest.raises(ConfigError, match=r"momentum must be .* received True of type bool"):
        optimizers.get("sgd", momentum=True)


def test_live_assignment_is_validated():
    opt = optimizers.get("adam")
    opt.learning_rate = 3
    assert opt.learning_rate == 3.0 and isinstance(opt.learning_rate, float)
    with pytest.raises(ConfigError, match=r"optimizer 'adam': learning_rate must be .*"
                                          r"received -0.01"):
        opt.learning_rate = -0.01
    assert opt.learning_rate == 3.0
    lars = optimizers.get("lars")
    with pytest.raises(ConfigError, match=r"optimizer 'lars': epsilon must be .* received -1"):
        lars.eps = -1


def test_eps_and_epsilon_together_are_rejected():
    with pytest.raises(ConfigError, match=r"give epsilon or its alias eps, not both; "
                                          r"received epsilon=0.1 and eps=0.2"):
        optimizers.get("lars", epsilon=0.1, eps=0.2)


def test_mismatched_lists_and_shapes():
    opt = optimizers.get("sgd")
    with pytest.raises(ConfigError, match="received 2 parameter arrays and 1 gradient arrays"):
        opt.apply([np.zeros(2), np.zeros(3)], [np.zeros(2)])
    with pytest.raises(ConfigError, match=r"grads\[1\] has shape \(2,\) but params\[1\] has "
                                          r"shape \(3,\)"):
        opt.apply([np.zeros(2), np.zeros(3)], [np.zeros(2), np.zeros(2)])
    with pytest.raises(ConfigError, match="received 0 parameter arrays"):
        opt.apply([], [])
    with pytest.raises(ConfigError, match=r"params must be a list of ndarrays; received ndarray"):
        opt.apply(np.zeros(3), [np.zeros(3)])
    with pytest.raises(ConfigError, match=r"grads\[0\] must be an ndarray; received list"):
        opt.apply([np.zeros(3)], [[0.0, 0.0, 0.0]])


def test_bad_parameter_arrays():
    opt = optimizers.get("sgd")
    with pytest.raises(ConfigError, match=r"params\[1\] is float32, params\[0\] is float64"):
        opt.apply([np.zeros(2), np.zeros(2, np.float32)], [np.zeros(2), np.zeros(2)])
    with pytest.raises(ConfigError, match=r"params\[0\] is int64"):
        opt.apply([np.zeros(2, np.int64)], [np.zeros(2)])
    read_only = np.zeros(2)
    read_only.flags.writeable = False
    with pytest.raises(ConfigError, match=r"params\[0\] \(shape \(2,\)\) is read-only"):
        opt.apply([read_only], [np.zeros(2)])
    with pytest.raises(ConfigError, match=r"params\[0\] has shape \(0, 3\); parameter arrays "
                                          r"must not be empty"):
        opt.apply([np.zeros((0, 3))], [np.zeros((0, 3))])
    with pytest.raises(ConfigError, match=r"grads\[0\] must be a float array; received dtype"):
        opt.apply([np.zeros(2)], [np.zeros(2, np.int32)])


def test_other_parameters_after_the_first_step_are_rejected():
    opt = optimizers.get("adam")
    opt.apply([np.zeros(2)], [np.ones(2)])
    with pytest.raises(ConfigError, match=r"was built for 1 arrays of shapes \[\(2,\)\] and "
                                          r"dtype float64; received 1 arrays of shapes "
                                          r"\[\(3,\)\]"):
        opt.apply([np.zeros(3)], [np.ones(3)])


@pytest.mark.parametrize("name", optimizers.names())
def test_non_finite_gradient_names_the_array_and_changes_nothing(name):
    flat = np.concatenate([w.ravel() for w in W0])
    gradient_flat = np.ones_like(flat)
    params, grads = flat_views(flat), flat_views(gradient_flat)
    opt = optimizers.get(name, learning_rate=0.1)
    opt.apply(params, grads)
    state = {slot: values.copy() for slot, values in opt.state.items()}
    weights = flat.copy()
    grads[1][2] = np.nan
    with pytest.raises(ValueError, match=r"gradient of parameter array 1 is not finite \(1 NaN "
                                         r"or infinite values; array 1 of shape \(3,\) holds "
                                         r"nan at index \(2,\)\)"):
        opt.apply(params, grads)
    grads[0][1, 0] = -np.inf
    with pytest.raises(ValueError, match=r"parameter arrays 0, 1 is not finite \(2 NaN .* "
                                         r"array 0 of shape \(2, 3\) holds -inf at index "
                                         r"\(1, 0\)"):
        opt.apply(params, grads)
    np.testing.assert_array_equal(flat, weights)
    for slot, values in opt.state.items():
        np.testing.assert_array_equal(values, state[slot])
    assert opt.iterations == 1


def test_non_finite_gradient_in_packed_path_leaves_arrays_unchanged():
    params = [w.copy() for w in W0]
    grads = [np.ones_like(w) for w in W0]
    grads[2][0, 1] = np.inf
    opt = optimizers.get("adam")
    with pytest.raises(ValueError, match=r"array 2 of shape \(1, 2\) holds inf at index "
                                         r"\(0, 1\)"):
        opt.apply(params, grads)
    for got, original in zip(params, W0):
        np.testing.assert_array_equal(got, original)


@pytest.mark.parametrize("shapes", [
    [(150, 120), (120,), (120, 3), (3,)],     # 18,483 weights: BLAS-dot norms, per-array scaling
    [(60, 100), (100,), (100, 3), (3,)],      # 6,403 weights: reduceat norms, np.repeat scaling
])
def test_lars_and_lamb_on_larger_models(shapes):
    """Larger models take other code paths for the per-array norms and scaling; the trajectory
    must still follow torchlars / Keras (reference written per array here)."""
    rng = np.random.default_rng(11)
    assert sum(int(np.prod(s)) for s in shapes) > 4096
    start = [rng.normal(size=s) for s in shapes]
    grads_seq = [[rng.normal(size=s) for s in shapes] for _ in range(3)]
    start[1][:] = 0.0  # a zero-norm array keeps trust 1

    lars = optimizers.get("lars", learning_rate=0.2, momentum=0.9, weight_decay=0.01)
    params = [w.copy() for w in start]
    expected = [w.copy() for w in start]
    buffers = [np.zeros_like(w) for w in start]
    for step, grads in enumerate(grads_seq):
        lars.apply(params, grads)
        if step == 0:
            assert lars.trust_ratios[1] == 1.0
        trusts = []
        for w, g, buf in zip(expected, grads, buffers):
            wn, gn = np.linalg.norm(w), np.linalg.norm(g)
            trust = 0.001 * wn / (gn + 0.01 * wn + 1e-8) if wn > 0 and gn > 0 else 1.0
            buf *= 0.9
            buf += (g + 0.01 * w) * trust
            w -= 0.2 * buf
            trusts.append(trust)
        np.testing.assert_allclose(lars.trust_ratios, trusts, rtol=1e-12)
        for got, want in zip(params, expected):
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)

    lamb = optimizers.get("lamb", learning_rate=0.01)
    params = [w.copy() for w in start]
    expected = [w.copy() for w in start]
    moments = [np.zeros_like(w) for w in start]
    velocities = [np.zeros_like(w) for w in start]
    for t, grads in enumerate(grads_seq, start=1):
        lamb.apply(params, grads)
        for w, g, m, v in zip(expected, grads, moments, velocities):
            m += (g - m) * 0.1
            v += (g * g - v) * 0.001
            update = (m / (1 - 0.9 ** t)) / (np.sqrt(v / (1 - 0.999 ** t)) + 1e-7)
            wn, un = np.linalg.norm(w), np.linalg.norm(update)
            ratio = wn / un if wn > 0 and un > 0 else 1.0
            w -= ratio * 0.01 * update
        for got, want in zip(params, expected):
            np.testing.assert_allclose(got, want, rtol=1e-11, atol=1e-14)
