"""Instruments that show why a run behaves as it does: curvature against the rate's stability
limit, gradient noise against the batch size, every example's loss, per-layer norms.

All read a trainer at its current weights and change nothing in it.

The probe
    Curvature, noise scale and norms are measured on the training set's rows when it has at
    most :data:`PROBE_ROWS` of them, else on a fixed random subset of that many rows (drawn
    once per trainer from its seed, so successive measurements see the same rows). ``probe``
    (an array of row indices) overrides the rule.

Hessian-vector products
    Exact, by the R-operator (Pearlmutter 1994): one forward pass of the weights' tangent
    through the MLP and one backward pass of the gradient's tangent, with each activation's
    second derivative and each loss's second derivative with respect to the model's outputs.
    Piecewise-linear pieces (ReLU, hinge, absolute errors, clipping) contribute their
    derivative almost everywhere: 0 at a kink. The Hessian is that of the loss the optimizer
    sees: the mean over the probe rows plus the L2 term.

Shapes: a model's parameters are the flat vector of :attr:`engine.model.MLP.flat_params`
(every kernel, then every bias).
"""

from __future__ import annotations

import copy
import math

import numpy as np

from .errors import ConfigError

#: The probe: the whole training set up to this many rows, else a fixed subset of this size.
PROBE_ROWS = 2000
#: Lanczos iterations at most for the sharpness, and the relative change of the top Ritz
#: value between two iterations below which it has converged.
LANCZOS_STEPS = 40
LANCZOS_TOLERANCE = 1e-9
#: Bins of the per-example loss histogram: one for exactly 0, then log-spaced edges (three per
#: decade from 1e-6 to 1e3); values below 1e-6 fall in the first log bin, above 1e3 in the last.
LOSS_BIN_EDGES = np.logspace(-6, 3, 28)
#: Optimizers with a fixed rate: their stability limit (see :func:`stability_limit`).
_HEAVY_BALL = {"sgd", "momentum", "nesterov"}


# -- the probe ---------------------------------------------------------------------------------

def probe_rows(trainer, probe=None):
    """Row indices of the training set an instrument measures on (the rule above)."""
    n = trainer.n_train
    if probe is not None:
        rows = np.asarray(probe, dtype=np.int64)
        if rows.ndim != 1 or rows.size == 0 or rows.min() < 0 or rows.max() >= n:
            raise ConfigError(f"probe must be a non-empty 1-D array of training row indices "
                              f"in 0..{n - 1}")
        return rows
    if n <= PROBE_ROWS:
        return np.arange(n)
    rng = np.random.default_rng(trainer.config.seed + 7919)
    return np.sort(rng.choice(n, PROBE_ROWS, replace=False))


# -- second derivatives of the activations (written with the output a, as engine.activations) --

def _first(name, a):
    """f'(z) from a = f(z), for the elementwise activations."""
    if name == "linear":
        return np.ones_like(a)
    if name == "relu":
        return (a > 0).astype(a.dtype)
    if name == "leaky_relu":
        from .activations import LEAKY_RELU_SLOPE
        return np.where(a > 0, 1.0, LEAKY_RELU_SLOPE).astype(a.dtype)
    if name == "elu":
        return np.where(a > 0, 1.0, a + 1.0)
    if name == "tanh":
        return 1.0 - a * a
    if name == "sigmoid":
        return a * (1.0 - a)
    if name == "softplus":
        return -np.expm1(-a)
    if name == "exponential":
        return a.copy()
    raise ConfigError(f"activation {name!r} has no derivative here")


def _second(name, a):
    """f''(z) from a = f(z), for the elementwise activations."""
    if name in ("linear", "relu", "leaky_relu"):
        return np.zeros_like(a)
    if name == "elu":
        return np.where(a > 0, 0.0, a + 1.0)
    if name == "tanh":
        return -2.0 * a * (1.0 - a * a)
    if name == "sigmoid":
        return a * (1.0 - a) * (1.0 - 2.0 * a)
    if name == "softplus":
        s = -np.expm1(-a)
        return s * (1.0 - s)
    if name == "exponential":
        return a.copy()
    raise ConfigError(f"activation {name!r} has no second derivative here")


# -- second derivatives of the losses with respect to the model's outputs -----------------------

def _smoothed(loss, y, k, binary):
    smoothing = getattr(loss, "label_smoothing", 0.0)
    if not smoothing:
        return y
    return y * (1.0 - smoothing) + smoothing * (0.5 if binary else 1.0 / k)


def _loss_hvp(loss, y, a, u):
    """d/dt of the gradient of the *summed* per-example loss at outputs ``a + t u``: the
    loss's Hessian with respect to the outputs (block diagonal, one (k, k) block per row)
    times ``u``. Shapes: ``a``, ``u`` (n, k); ``y`` as the loss reads it."""
    from .losses import EPSILON
    name, k = loss.name, a.shape[1]
    if name in ("mean_absolute_error", "mean_absolute_percentage_error", "hinge",
                "categorical_hinge"):
        return np.zeros_like(a)  # piecewise linear in the outputs
    if name == "mean_squared_error":
        return (2.0 / k) * u
    if name == "mean_squared_logarithmic_error":
        diff = np.log1p(np.maximum(a, EPSILON)) - np.log1p(np.maximum(y, EPSILON))
        return (2.0 / k) * (1.0 - diff) / (a + 1.0) ** 2 * (a >= EPSILON) * u
    if name == "squared_hinge":
        signed = 2.0 * y - 1.0 if np.all((y == 0) | (y == 1)) else y
        return (2.0 / k) * signed ** 2 * ((1.0 - signed * a) > 0) * u
    if name in ("categorical_crossentropy", "sparse_categorical_crossentropy"):
        if name == "sparse_categorical_crossentropy":
            y = np.eye(k, dtype=a.dtype)[y]
        y = _smoothed(loss, y, k, binary=False)
        if loss.from_logits:  # H = m (diag p - p p^T), m the label mass of the row
            shifted = a - a.max(axis=1, keepdims=True)
            p = np.exp(shifted)
            p /= p.sum(axis=1, keepdims=True)
            mass = y.sum(axis=1, keepdims=True)
            return mass * p * (u - (p * u).sum(axis=1, keepdims=True))
        # -sum_{i inside the clip} y_i (log a_i - log S), S = sum(a)
        total = a.sum(axis=1, keepdims=True)
        q = a / total
        inside = (q >= EPSILON) & (q <= 1.0 - EPSILON)
        y_in = y * inside
        return y_in * u / a ** 2 - y_in.sum(axis=1, keepdims=True) * u.sum(
            axis=1, keepdims=True) / total ** 2
    if name == "binary_crossentropy":
        y = _smoothed(loss, y, k, binary=True)
        if loss.from_logits:
            p = 0.5 * np.tanh(0.5 * a) + 0.5
            return p * (1.0 - p) * u / k
        p = np.clip(a, EPSILON, 1.0 - EPSILON)
        inside = (a >= EPSILON) & (a <= 1.0 - EPSILON)
        return inside * (y / p ** 2 + (1.0 - y) / (1.0 - p) ** 2) * u / k
    if name == "kullback_leibler_divergence":
        t = np.clip(y, EPSILON, 1.0)
        inside = (a >= EPSILON) & (a <= 1.0)
        return inside * t / np.clip(a, EPSILON, 1.0) ** 2 * u
    if name == "poisson":
        return y / (a + EPSILON) ** 2 * u / k
    if name == "cosine_proximity":
        # f = -t.a/|a|: H u = (c w + (w.t) â) / r + (t - c â)(â.u) / r^2, with r = |a|,
        # â = a / r, c = â.t, w = (u - â (â.u)) / r; 0 where |a| is clamped at eps
        t = y / np.maximum(np.sqrt((y * y).sum(axis=1, keepdims=True)), EPSILON)
        r = np.sqrt((a * a).sum(axis=1, keepdims=True))
        safe = np.maximum(r, EPSILON)
        unit = a / safe
        along = (unit * u).sum(axis=1, keepdims=True)
        c = (unit * t).sum(axis=1, keepdims=True)
        w = (u - unit * along) / safe
        result = (c * w + (w * t).sum(axis=1, keepdims=True) * unit) / safe + (
            t - c * unit) * along / safe ** 2
        return np.where(r > EPSILON, result, 0.0)
    raise ConfigError(f"loss {name!r} has no second derivative here")


# -- gradient and Hessian-vector products of the probe loss ------------------------------------

class Curvature:
    """The training loss on ``rows`` at the trainer's current weights: its value, gradient,
    per-example gradient norms and exact Hessian-vector products (flat parameter vectors).

    The forward and backward passes are done once here; each :meth:`hvp` is then one tangent
    pass forward and one backward (about the cost of two gradients).
    """

    def __init__(self, trainer, rows=None):
        model = trainer.model
        x, y = trainer.arrays("train")
        if rows is not None:
            x, y = x[rows], y[rows]
        self.model, self.loss, self.y = model, trainer.loss, y
        self.n = x.shape[0]
        self.l2 = model.l2
        self.shapes = model.param_shapes
        self.n_layers = model.n_layers
        self.outputs = [x]  # a_0 = x, then every layer's output a_i
        for kernel, bias, activation in zip(model.kernels, model.biases, model.activations):
            self.outputs.append(activation(self.outputs[-1] @ kernel + bias))
        self.names = [activation.name for activation in model.activations]
        self.first = [None if name == "softmax" else _first(name, a)
                      for name, a in zip(self.names, self.outputs[1:])]
        self.second = [None if name == "softmax" else _second(name, a)
                       for name, a in zip(self.names, self.outputs[1:])]
        value, grad = self.loss.value_and_gradient(y, self.outputs[-1], validate=False)
        self.value = float(value) + model.penalty()
        # backward once: g_i = dL/da_i (mean loss) and delta_i = dL/dz_i, per layer
        self.grads_out = [None] * (self.n_layers + 1)
        self.deltas = [None] * (self.n_layers + 1)
        g = grad
        for i in range(self.n_layers, 0, -1):
            self.grads_out[i] = g
            self.deltas[i] = self._through_activation(i, g)
            g = self.deltas[i] @ model.kernels[i - 1].T

    def _through_activation(self, i, g):
        """dL/dz_i from dL/da_i."""
        if self.names[i - 1] == "softmax":
            a = self.outputs[i]
            return a * (g - (g * a).sum(axis=1, keepdims=True))
        return self.first[i - 1] * g

    def split(self, flat):
        """Views of a flat parameter vector: kernels then biases, as the model's."""
        views, offset = [], 0
        for shape in self.shapes:
            size = math.prod(shape)
            views.append(flat[offset:offset + size].reshape(shape))
            offset += size
        return views[:self.n_layers], views[self.n_layers:]

    def split_list(self, flat):
        """:meth:`split` as one list, kernels then biases (the optimizers' order)."""
        kernels, biases = self.split(flat)
        return kernels + biases

    def gradient(self):
        """Gradient of the loss (mean over the rows, L2 term included), flat."""
        out = np.empty(sum(math.prod(s) for s in self.shapes), dtype=self.model.dtype)
        kernels, biases = self.split(out)
        for i in range(1, self.n_layers + 1):
            kernels[i - 1][...] = self.outputs[i - 1].T @ self.deltas[i]
            biases[i - 1][...] = self.deltas[i].sum(axis=0)
        if self.l2:
            for kernel, weights in zip(kernels, self.model.kernels):
                kernel += 2.0 * self.l2 * weights
        return out

    def hvp(self, vector):
        """Hessian of the loss (mean over the rows, L2 term included) times ``vector``, flat."""
        d_kernels, d_biases = self.split(np.asarray(vector, dtype=self.model.dtype))
        kernels = self.model.kernels
        # forward tangent: Rz_i = Ra_{i-1} W_i + a_{i-1} dW_i + db_i, Ra_i = f'(z_i) Rz_i
        r_out = [np.zeros_like(self.outputs[0])]
        r_pre = [None]
        for i in range(1, self.n_layers + 1):
            rz = r_out[i - 1] @ kernels[i - 1] + self.outputs[i - 1] @ d_kernels[i - 1] \
                + d_biases[i - 1]
            r_pre.append(rz)
            if self.names[i - 1] == "softmax":
                a = self.outputs[i]
                r_out.append(a * (rz - (a * rz).sum(axis=1, keepdims=True)))
            else:
                r_out.append(self.first[i - 1] * rz)
        # backward tangent, from the loss's second derivative at the outputs
        out = np.empty(sum(math.prod(s) for s in self.shapes), dtype=self.model.dtype)
        h_kernels, h_biases = self.split(out)
        r_g = _loss_hvp(self.loss, self.y, self.outputs[-1], r_out[-1]) / self.n
        for i in range(self.n_layers, 0, -1):
            g, delta = self.grads_out[i], self.deltas[i]
            if self.names[i - 1] == "softmax":
                a, ra = self.outputs[i], r_out[i]
                r_delta = (ra * (g - (a * g).sum(axis=1, keepdims=True))
                           - a * (ra * g).sum(axis=1, keepdims=True)
                           + a * (r_g - (a * r_g).sum(axis=1, keepdims=True)))
            else:
                r_delta = self.second[i - 1] * r_pre[i] * g + self.first[i - 1] * r_g
            h_kernels[i - 1][...] = r_out[i - 1].T @ delta + self.outputs[i - 1].T @ r_delta
            h_biases[i - 1][...] = r_delta.sum(axis=0)
            if i > 1:
                r_g = r_delta @ kernels[i - 1].T + delta @ d_kernels[i - 1].T
        if self.l2:
            for h, d in zip(h_kernels, d_kernels):
                h += 2.0 * self.l2 * d
        return out

    def example_norms(self):
        """|g_j|^2 of each row's own gradient (its loss alone, no L2 term), shape (n,):
        per Dense layer |a_j|^2 |delta_j|^2 for the kernel and |delta_j|^2 for the bias, with
        delta_j the row's own dL/dz (the mean loss's times n)."""
        total = np.zeros(self.n)
        for i in range(1, self.n_layers + 1):
            delta_sq = np.einsum("ij,ij->i", self.deltas[i], self.deltas[i]) * self.n ** 2
            below = self.outputs[i - 1]
            total += (np.einsum("ij,ij->i", below, below) + 1.0) * delta_sq
        return total


# -- the instruments ---------------------------------------------------------------------------

def sharpness(trainer, probe=None):
    """The largest eigenvalue of the Hessian of the training loss (mean over the probe rows,
    L2 term included) at the current weights, by Lanczos iteration on exact Hessian-vector
    products (full reorthogonalisation; at most :data:`LANCZOS_STEPS` products)."""
    return top_eigenvalue(Curvature(trainer, probe_rows(trainer, probe)))


def top_eigenvalue(curvature, start=None):
    """Largest (algebraic) eigenvalue of ``curvature``'s Hessian, by Lanczos."""
    size = sum(math.prod(s) for s in curvature.shapes)
    rng = np.random.default_rng(0)
    q = rng.standard_normal(size) if start is None else np.array(start, dtype=np.float64)
    q /= np.linalg.norm(q)
    basis, alphas, betas = [q], [], []
    top = math.nan
    for step in range(min(LANCZOS_STEPS, size)):
        w = curvature.hvp(basis[-1]).astype(np.float64)
        alpha = float(w @ basis[-1])
        alphas.append(alpha)
        stacked = np.array(basis)
        w -= stacked.T @ (stacked @ w)  # full reorthogonalisation, twice is enough
        w -= stacked.T @ (stacked @ w)
        ritz = np.linalg.eigvalsh(_tridiagonal(alphas, betas))[-1]
        beta = float(np.linalg.norm(w))
        converged = step > 0 and abs(ritz - top) <= LANCZOS_TOLERANCE * max(abs(ritz), 1e-300)
        top = ritz
        if converged or beta <= 1e-12 * max(abs(ritz), 1e-300) or not math.isfinite(beta):
            break
        betas.append(beta)
        basis.append(w / beta)
    return float(top)


def _tridiagonal(alphas, betas):
    m = len(alphas)
    matrix = np.diag(alphas)
    if m > 1:
        off = np.array(betas[:m - 1])
        matrix += np.diag(off, 1) + np.diag(off, -1)
    return matrix


def stability_limit(trainer):
    """The largest sharpness at which the current rate is stable, or None.

    Gradient descent along a direction of curvature lambda is stable while ``lr * lambda <
    2``: for sgd the limit is ``2 / lr``; with heavy-ball momentum beta ``(2 + 2 beta) / lr``
    (Cohen et al. 2021). Nesterov momentum (Keras's form) uses its stable region on a
    quadratic, ``lr * lambda < (2 + 2 beta) / (1 + 2 beta)``: ``(2 + 2 beta) / ((1 + 2
    beta) lr)``. For adaptive optimizers (adam, rmsprop, adagrad, lars, lamb, ...) None: their
    step is preconditioned per weight, so the limit is on the preconditioned sharpness (Cohen
    et al. 2022), not on this Hessian's; comparing this sharpness with 2/lr would mislead.
    """
    name = trainer.config.optimizer
    rate = trainer.current_learning_rate()
    if name not in _HEAVY_BALL or rate <= 0:
        return None
    beta = float(getattr(trainer.optimizer, "momentum", 0.0) or 0.0)
    nesterov = bool(getattr(trainer.optimizer, "nesterov", False))
    if nesterov and beta:
        return (2.0 + 2.0 * beta) / ((1.0 + 2.0 * beta) * rate)
    return (2.0 + 2.0 * beta) / rate


def noise_scale(trainer, probe=None):
    """The simple gradient noise scale B_simple = tr(Sigma) / |G|^2 (McCandlish et al. 2018).

    Sigma is the covariance of the per-example gradients over the probe rows (unbiased, n - 1)
    and G the gradient the optimizer follows there (mean of the per-example gradients plus
    the L2 term, which is the same for every example and so adds nothing to Sigma). Per-example
    gradient norms come from the one backward pass (:meth:`Curvature.example_norms`).
    Infinite where G is 0; NaN with fewer than 2 rows.
    """
    curvature = Curvature(trainer, probe_rows(trainer, probe))
    n = curvature.n
    if n < 2:
        return math.nan
    gradient = curvature.gradient().astype(np.float64)
    data = gradient.copy()
    if curvature.l2:
        kernels, _ = curvature.split(data)
        for kernel, weights in zip(kernels, trainer.model.kernels):
            kernel -= 2.0 * curvature.l2 * weights
    trace = (curvature.example_norms().sum() - n * float(data @ data)) / (n - 1)
    squared = float(gradient @ gradient)
    return math.inf if squared == 0 else float(trace / squared)


def per_example_losses(trainer, split="train"):
    """Each example's loss (without the L2 term) on ``split`` ("train" or "val"), shape (n,)."""
    x, y = trainer.arrays(split)
    with np.errstate(all="ignore"):
        return trainer.loss.per_sample(y, trainer.model.predict(x), validate=False)


def loss_histogram(losses):
    """Counts of ``losses`` in :data:`LOSS_BIN_EDGES`' bins: index 0 holds the exact zeros,
    then one count per log-spaced bin (values outside the edges in the end bins), shape
    (len(LOSS_BIN_EDGES),). Non-finite losses are not counted."""
    losses = np.asarray(losses, dtype=np.float64)
    losses = losses[np.isfinite(losses)]
    zero = np.count_nonzero(losses == 0)
    positive = np.clip(losses[losses > 0], LOSS_BIN_EDGES[0], LOSS_BIN_EDGES[-1])
    counts, _ = np.histogram(positive, LOSS_BIN_EDGES)
    # losses below 0 (cosine similarity, poisson) are not on a log axis: counted nowhere
    return np.concatenate([[zero], counts]).astype(np.int64)


def layer_norms(trainer, probe=None):
    """Per parameter array (``model.param_names``: each layer's kernel and bias): ``weight``
    |w|, ``gradient`` |g| of the training loss on the probe (L2 included), ``update`` |u| of
    the step the optimizer would take from that gradient now (on a copy of it and of the
    weights, so its momentum and moments count) and ``ratio`` |u| / |w|, LARS's quantity.

    Returns a dict name -> dict of the four floats.
    """
    model = trainer.model
    curvature = Curvature(trainer, probe_rows(trainer, probe))
    gradient = curvature.gradient()
    optimizer = copy.deepcopy(trainer.optimizer)
    optimizer.learning_rate = trainer.current_learning_rate()
    weights = model.get_weights()
    stepped = weights.copy()
    try:
        optimizer.apply(curvature.split_list(stepped), curvature.split_list(gradient))
        update = stepped - weights
    except ValueError:  # a non-finite gradient: no step
        update = np.full_like(weights, np.nan)
    result = {}
    for name, w, g, u in zip(model.param_names, curvature.split_list(weights),
                             curvature.split_list(gradient), curvature.split_list(update)):
        w_norm, u_norm = float(np.linalg.norm(w)), float(np.linalg.norm(u))
        result[name] = {"weight": w_norm, "gradient": float(np.linalg.norm(g)),
                        "update": u_norm, "ratio": u_norm / w_norm if w_norm else math.inf}
    return result
