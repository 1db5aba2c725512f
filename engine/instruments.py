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
    second derivative and each loss's Hessian-vector product with respect to the model's
    outputs (:meth:`engine.losses.Loss.hessian_vector`).
    Piecewise-linear pieces (ReLU, hinge, absolute errors, clipping) contribute their
    derivative almost everywhere: 0 at a kink. The Hessian is that of the loss the optimizer
    sees: the mean over the probe rows plus the L2 term.

Shapes: a model's parameters are the flat vector of :attr:`engine.model.MLP.flat_params`
(every kernel, then every bias).
"""

from __future__ import annotations

import copy
import math
import time

import numpy as np

from .callbacks import Callback
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
        self._second = None  # f''(z) per layer: only Hessian-vector products need it
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

    @property
    def second(self):
        if self._second is None:
            self._second = [None if name == "softmax" else _second(name, a)
                            for name, a in zip(self.names, self.outputs[1:])]
        return self._second

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
        r_out = [None]  # the inputs do not move: Ra_0 = 0, so its products are skipped
        r_pre = [None]
        for i in range(1, self.n_layers + 1):
            rz = self.outputs[i - 1] @ d_kernels[i - 1] + d_biases[i - 1]
            if i > 1:
                rz += r_out[i - 1] @ kernels[i - 1]
            r_pre.append(rz)
            if self.names[i - 1] == "softmax":
                a = self.outputs[i]
                r_out.append(a * (rz - (a * rz).sum(axis=1, keepdims=True)))
            else:
                r_out.append(self.first[i - 1] * rz)
        # backward tangent, from the loss's second derivative at the outputs
        out = np.empty(sum(math.prod(s) for s in self.shapes), dtype=self.model.dtype)
        h_kernels, h_biases = self.split(out)
        r_g = self.loss.hessian_vector(self.y, self.outputs[-1], r_out[-1], validate=False)
        for i in range(self.n_layers, 0, -1):
            g, delta = self.grads_out[i], self.deltas[i]
            if self.names[i - 1] == "softmax":
                a, ra = self.outputs[i], r_out[i]
                r_delta = (ra * (g - (a * g).sum(axis=1, keepdims=True))
                           - a * (ra * g).sum(axis=1, keepdims=True)
                           + a * (r_g - (a * r_g).sum(axis=1, keepdims=True)))
            else:
                r_delta = self.second[i - 1] * r_pre[i] * g + self.first[i - 1] * r_g
            h_kernels[i - 1][...] = self.outputs[i - 1].T @ r_delta
            if i > 1:
                h_kernels[i - 1] += r_out[i - 1].T @ delta
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
    return top_eigenvalue(Curvature(trainer, probe_rows(trainer, probe)))[0]


def top_eigenvalue(curvature, start=None, tolerance=LANCZOS_TOLERANCE):
    """``(value, vector)``: the largest (algebraic) eigenvalue of ``curvature``'s Hessian and
    its Ritz vector, by Lanczos from ``start`` (a fixed random vector by default; the previous
    top vector makes a later measurement converge in a few products)."""
    size = sum(math.prod(s) for s in curvature.shapes)
    if start is None:
        start = np.random.default_rng(0).standard_normal(size)
    q = np.array(start, dtype=np.float64)
    q /= np.linalg.norm(q)
    basis, alphas, betas = [q], [], []
    top = math.nan
    for step in range(min(LANCZOS_STEPS, size)):
        w = curvature.hvp(basis[-1]).astype(np.float64)
        alphas.append(float(w @ basis[-1]))
        stacked = np.array(basis)
        w -= stacked.T @ (stacked @ w)  # full reorthogonalisation, twice is enough
        w -= stacked.T @ (stacked @ w)
        values, vectors = np.linalg.eigh(_tridiagonal(alphas, betas))
        ritz = float(values[-1])
        beta = float(np.linalg.norm(w))
        converged = step > 0 and abs(ritz - top) <= tolerance * max(abs(ritz), 1e-300)
        top = ritz
        if converged or beta <= 1e-12 * max(abs(ritz), 1e-300) or not math.isfinite(beta):
            break
        betas.append(beta)
        basis.append(w / beta)
    vector = np.array(basis[:len(alphas)]).T @ vectors[:, -1]
    return top, vector


def _tridiagonal(alphas, betas):
    m = len(alphas)
    matrix = np.diag(alphas)
    if m > 1:
        off = np.array(betas[:m - 1])
        matrix += np.diag(off, 1) + np.diag(off, -1)
    return matrix


def stability_limit(trainer):
    """The largest sharpness at which the current rate is stable, or None.

    Exact for full-batch gradient descent on a quadratic; for a net, where the Hessian moves,
    and for mini-batches, a reference line. Gradient descent along a direction of curvature
    lambda is stable while ``lr * lambda < 2``: for sgd the limit is ``2 / lr``; with heavy-ball momentum beta ``(2 + 2 beta) / lr``
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
    return _noise_scale(Curvature(trainer, probe_rows(trainer, probe)), trainer.model)


def _noise_scale(curvature, model):
    n = curvature.n
    if n < 2:
        return math.nan
    gradient = curvature.gradient().astype(np.float64)
    data = gradient.copy()
    if curvature.l2:
        kernels, _ = curvature.split(data)
        for kernel, weights in zip(kernels, model.kernels):
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
    return _layer_norms(trainer, Curvature(trainer, probe_rows(trainer, probe)))


def _layer_norms(trainer, curvature):
    model = trainer.model
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


# -- measuring during training -----------------------------------------------------------------

#: Instrument names, as ``--instruments`` takes them.
INSTRUMENTS = ("sharpness", "noise_scale", "losses", "norms")
#: The default ("auto") cadence keeps the instruments' time within this share of training time.
BUDGET = 0.1
#: A measurement's sharpness needs this relative precision (a plot's), not the default's; with
#: the previous top vector as the start it takes a few Hessian-vector products.
CALLBACK_TOLERANCE = 1e-4
#: Before an instrument's first measurement, the "auto" cadence guesses its cost as this many
#: gradient passes over the probe, a pass timed on :data:`CALIBRATION_ROWS` of its rows
#: and scaled to all of them (an overestimate: the small pass pays the same per-call
#: overhead): Lanczos's products cost about two passes each and take ~12 from a cold start;
#: a noise scale or the norms one pass; the losses half (a forward pass).
_PASSES = {"sharpness": 25.0, "noise_scale": 1.0, "norms": 2.0, "losses": 0.5}
CALIBRATION_ROWS = 64
#: Timed passes of the calibration; the fastest one prices a pass (see ``_calibrate``).
CALIBRATION_PASSES = 3


def parse_cadence(text):
    """``--instrument-every``: "auto", "epoch" or a positive number of steps."""
    text = str(text).strip().lower()
    if text in ("auto", "epoch"):
        return text
    try:
        steps = int(text)
    except ValueError:
        steps = 0
    if steps < 1:
        raise ConfigError(f"instrument cadence must be 'auto', 'epoch' or a positive number "
                          f"of steps, got {text!r}")
    return steps


def parse_instruments(text):
    """``--instruments``: comma-separated names from :data:`INSTRUMENTS`."""
    names = [name.strip() for name in str(text).split(",") if name.strip()]
    unknown = [name for name in names if name not in INSTRUMENTS]
    if unknown or not names:
        raise ConfigError(f"unknown instrument(s) {', '.join(unknown) or repr(text)}; valid: "
                          f"{', '.join(INSTRUMENTS)}")
    return tuple(dict.fromkeys(names))


class InstrumentCallback(Callback):
    """Measures instruments during ``Trainer.fit`` into ``trainer.history.instruments``.

    Parameters
    ----------
    instruments : sequence of str
        From :data:`INSTRUMENTS`.
    every : "auto", "epoch" or int
        "auto": at epoch ends, each instrument whose time so far plus the expected cost of one
        more measurement stays within its share (``budget`` / number of instruments) of the
        training time so far; their cost is then at most ``budget`` of training, by
        construction, and a cheap instrument is measured more often than an expensive one (a
        row has NaN for the instruments not measured then). Times are the training thread's
        CPU seconds (``time.thread_time``): a busy machine inflates wall-clock timings of a
        few milliseconds several-fold and unevenly, and a paced run's waits are not training
        (so a slowly paced run is measured as rarely as the same run at full speed; pass
        ``every`` for more). "epoch": all of them at the start and after every epoch. N: all at the start and after every N steps (and at the
        end if the last step is a multiple of N).
    probe : array of int, optional
        Training rows to measure on (:func:`probe_rows`).

    Columns recorded (one row per measurement, :class:`engine.history.InstrumentTable`):
    ``sharpness`` and ``stability_limit`` (NaN for adaptive optimizers); ``noise_scale``;
    ``loss_zero_fraction`` and ``loss_bin_0`` (exact zeros) ... ``loss_bin_27`` (counts in
    :data:`LOSS_BIN_EDGES`' bins); ``<param>/weight``, ``/gradient``, ``/update``, ``/ratio``
    per parameter array (``dense_1/kernel``, ...). ``measured`` counts each instrument's
    measurements. For the cost benchmark: ``seconds`` holds
    each instrument's total CPU time, ``spent`` all of it (the calibration included) and
    ``training_cpu()`` the training's CPU time (instruments excluded) in this callback's fits.
    """

    def __init__(self, instruments=INSTRUMENTS, every="auto", budget=BUDGET, probe=None):
        self.instruments = parse_instruments(",".join(instruments))
        self.every = every if isinstance(every, int) else parse_cadence(every)
        self.budget = budget
        self.probe = probe
        self.seconds = dict.fromkeys(self.instruments, 0.0)
        self.measured = dict.fromkeys(self.instruments, 0)
        self.spent = 0.0
        self._expected = {}
        self._vector = None
        self._rows = None
        self._last_step = None
        self._one_pass = None
        self._cpu_started = None
        self._spent_at_begin = 0.0
        self._cpu_trained = 0.0
        if isinstance(self.every, int):
            self.on_batch_loss = self._before_step

    def set_trainer(self, trainer):
        super().set_trainer(trainer)
        self._rows = probe_rows(trainer, self.probe)

    def on_train_begin(self):
        self._cpu_started = time.thread_time()
        self._spent_at_begin = self.spent
        if self.every != "auto" and self.trainer.step_count == 0 or isinstance(self.every, int) and \
                self.trainer.step_count % self.every == 0:
            self.measure()

    def _before_step(self, loss, size):
        # called before step k's update: the weights are those after k - 1 steps
        if (self.trainer.step_count - 1) % self.every == 0:
            self.measure(self.trainer.step_count - 1)

    def on_epoch_end(self, result):
        if self.every == "epoch":
            self.measure()
        elif self.every == "auto":
            if self._one_pass is None:
                self._one_pass = self._calibrate()
            share = self.budget / len(self.instruments) * self.training_cpu()
            due = [name for name in self.instruments
                   if self.seconds[name] + self._expected.get(
                       name, _PASSES[name] * self._one_pass) <= share]
            if due:
                self.measure(names=due)

    def on_train_end(self):
        if isinstance(self.every, int) and self.trainer.step_count % self.every == 0:
            self.measure()
        self._cpu_trained = self.training_cpu()
        self._cpu_started = None

    def training_cpu(self):
        """CPU seconds of this thread spent training in this callback's fits, instruments
        excluded."""
        if self._cpu_started is None:
            return self._cpu_trained
        return (self._cpu_trained + time.thread_time() - self._cpu_started
                - (self.spent - self._spent_at_begin))



    def _calibrate(self):
        """Seconds of one gradient pass over the probe, estimated from the fastest of
        :data:`CALIBRATION_PASSES` passes over :data:`CALIBRATION_ROWS` of its rows (all
        counted as spent, shared by the instruments).

        The fastest, because one pass is a fraction of a millisecond and scaled up to the
        whole probe: a single pass that met a cold cache or a page fault on a busy machine
        came out several times too slow, and the per-example losses, priced from it, were
        then never measured in a 40-epoch run (0 measurements, against 7-11 from a sound
        estimate), since an instrument's estimate is only corrected by measuring it."""
        rows = self._rows[:CALIBRATION_ROWS]
        passes = []
        with self.trainer.off_the_clock():
            for _ in range(CALIBRATION_PASSES):
                started = time.thread_time()
                Curvature(self.trainer, rows).gradient()
                passes.append(time.thread_time() - started)
        seconds = sum(passes)
        self.spent += seconds
        for name in self.instruments:
            self.seconds[name] += seconds / len(self.instruments)
        return min(passes) * len(self._rows) / len(rows)

    def measure(self, step=None, names=None):
        """Measure the instruments ``names`` (default: all chosen) now, recorded at ``step``
        (default: the steps trained so far); a step already measured is not measured again."""
        trainer = self.trainer
        step = trainer.step_count if step is None else step
        if step == self._last_step:
            return
        self._last_step = step
        names = self.instruments if names is None else names
        values = {}
        started = time.thread_time()
        with np.errstate(all="ignore"), trainer.off_the_clock():
            curvature = Curvature(trainer, self._rows) if set(names) - {"losses"} else None
            # the shared passes are charged to the instruments that needed them
            users = [name for name in names if name != "losses"]
            shared = (time.thread_time() - started) / max(len(users), 1)
            for name in names:
                began = time.thread_time()
                values.update(self._measure_one(name, curvature))
                cost = time.thread_time() - began + (shared if name in users else 0.0)
                self.seconds[name] += cost
                self._expected[name] = cost
                self.measured[name] += 1
        self.spent += time.thread_time() - started
        trainer.history.instruments.record(step, trainer.history.n_epochs, values)

    def _measure_one(self, name, curvature):
        trainer = self.trainer
        if name == "sharpness":
            finite = np.all(np.isfinite(trainer.model.flat_params))
            value, vector = (top_eigenvalue(curvature, self._vector, CALLBACK_TOLERANCE)
                             if finite else (math.nan, None))
            if vector is not None and np.all(np.isfinite(vector)):
                self._vector = vector
            limit = stability_limit(trainer)
            return {"sharpness": value, "stability_limit": math.nan if limit is None else limit}
        if name == "noise_scale":
            return {"noise_scale": _noise_scale(curvature, trainer.model)}
        if name == "losses":
            losses = per_example_losses(trainer)
            counts = loss_histogram(losses)
            values = {"loss_zero_fraction": float(np.mean(losses == 0)) if losses.size
                      else math.nan}
            values.update((f"loss_bin_{i}", float(c)) for i, c in enumerate(counts))
            return values
        values = {}
        for param, entry in _layer_norms(trainer, curvature).items():
            values.update((f"{param}/{key}", value) for key, value in entry.items())
        return values
