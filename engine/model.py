"""A multilayer perceptron of Dense layers with forward and backward passes.

All parameters live in one flat buffer and all gradients in another; ``params`` and ``grads``
are lists of views into them (every kernel first, then every bias), so an optimizer can update
everything with a constant number of NumPy calls and the L2 penalty is one dot product over the
contiguous kernels. Activation buffers are allocated once per batch size and reused.

Shapes: ``x`` is (batch, n_inputs); layer ``i`` has a kernel (fan_in, fan_out) and a bias
(fan_out,); the output is (batch, n_outputs).
"""

from __future__ import annotations

import math

import numpy as np

from . import activations
from .errors import ConfigError

INITIALIZERS = ("glorot_uniform", "he_uniform", "he_normal")
DTYPES = {"float64": np.float64, "float32": np.float32}


def _init_kernel(rng, name, fan_in, fan_out):
    """Keras's initialisers: limits and scales as in keras/src/initializers/random_initializers.py."""
    if name == "glorot_uniform":
        limit = math.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-limit, limit, (fan_in, fan_out))
    if name == "he_uniform":
        limit = math.sqrt(6.0 / fan_in)
        return rng.uniform(-limit, limit, (fan_in, fan_out))
    # he_normal: truncated normal at two standard deviations, stddev corrected for the cut
    stddev = math.sqrt(2.0 / fan_in) / 0.87962566103423978
    values = rng.normal(0.0, stddev, (fan_in, fan_out))
    outside = np.abs(values) > 2 * stddev
    while outside.any():
        values[outside] = rng.normal(0.0, stddev, int(outside.sum()))
        outside = np.abs(values) > 2 * stddev
    return values


class MLP:
    """Dense layers ``a_i = f_i(a_{i-1} @ W_i + b_i)``.

    Parameters
    ----------
    n_inputs, n_outputs : int
    hidden_layers : sequence of int
        Units of each hidden layer, e.g. ``(8, 8)``; empty for a linear/logistic model.
    activation : str
        Activation of the hidden layers.
    output_activation : str
        Activation of the output layer (the trainer resolves ``"auto"`` before this).
    init : {"glorot_uniform", "he_uniform", "he_normal"}
        Kernel initialiser; biases start at zero (Keras's defaults).
    l2 : float
        Keras ``L2(l2)`` kernel regulariser: adds ``l2 * sum(W**2)`` to the loss.
    dtype : {"float64", "float32"}
    seed : int
    l1 : float
        Keras ``L1(l1)`` kernel regulariser: adds ``l1 * sum(|W|)`` to the loss (with ``l2``
        as well, Keras's ``L1L2(l1, l2)``).
    """

    def __init__(self, n_inputs, n_outputs, hidden_layers=(8, 8), activation="tanh",
                 output_activation="linear", init="glorot_uniform", l2=0.0, dtype="float64",
                 seed=0, l1=0.0):
        if dtype not in DTYPES:
            raise ConfigError(f"dtype {dtype!r} is unknown; valid: {', '.join(DTYPES)}")
        if init not in INITIALIZERS:
            raise ConfigError(f"init {init!r} is unknown; valid: {', '.join(INITIALIZERS)}")
        sizes = [int(n_inputs), *(int(h) for h in hidden_layers), int(n_outputs)]
        if any(s < 1 for s in sizes):
            raise ConfigError(f"layer sizes must be positive integers, got {sizes}")
        self.dtype = np.dtype(DTYPES[dtype])
        self.layer_sizes = tuple(sizes)
        self.activations = [activations.get(activation) for _ in hidden_layers]
        self.activations.append(activations.get(output_activation))
        self.l1 = float(l1)
        self.l2 = float(l2)

        shapes = [(sizes[i], sizes[i + 1]) for i in range(len(sizes) - 1)]
        biases = [(fan_out,) for _, fan_out in shapes]
        self.param_shapes = shapes + biases
        n_layers = len(shapes)
        self.param_names = ([f"dense_{i + 1}/kernel" for i in range(n_layers)]
                            + [f"dense_{i + 1}/bias" for i in range(n_layers)])
        total = sum(math.prod(s) for s in self.param_shapes)
        self.flat_params = np.zeros(total, dtype=self.dtype)
        self.flat_grads = np.zeros(total, dtype=self.dtype)
        self.params = self._views(self.flat_params)
        self.grads = self._views(self.flat_grads)
        self.kernels, self.biases = self.params[:n_layers], self.params[n_layers:]
        self.kernel_grads, self.bias_grads = self.grads[:n_layers], self.grads[n_layers:]
        n_kernel = sum(a * b for a, b in shapes)
        self._flat_kernels = self.flat_params[:n_kernel]
        self._flat_kernel_grads = self.flat_grads[:n_kernel]

        rng = np.random.default_rng(seed)
        for kernel, (fan_in, fan_out) in zip(self.kernels, shapes):
            kernel[...] = _init_kernel(rng, init, fan_in, fan_out)
        self._buffers = {}

    def _views(self, flat):
        views, offset = [], 0
        for shape in self.param_shapes:
            size = math.prod(shape)
            views.append(flat[offset:offset + size].reshape(shape))
            offset += size
        return views

    @property
    def n_layers(self):
        return len(self.kernels)

    def _buffers_for(self, batch):
        """Activation buffers for this batch size, plus a column of ones for bias gradients."""
        buffers = self._buffers.get(batch)
        if buffers is None:
            outputs = [np.empty((batch, fan_out), dtype=self.dtype)
                       for fan_out in self.layer_sizes[1:]]
            deltas = [np.empty((batch, fan_out), dtype=self.dtype)
                      for fan_out in self.layer_sizes[1:-1]]
            buffers = (outputs, deltas, np.ones(batch, dtype=self.dtype))
            if len(self._buffers) > 4:
                self._buffers.clear()
            self._buffers[batch] = buffers
        return buffers

    def forward(self, x):
        """Outputs of every layer for ``x`` (batch, n_inputs); the last is the model output.

        The returned arrays are reused by the next call with the same batch size.
        """
        outputs, _, _ = self._buffers_for(x.shape[0])
        a = x
        for kernel, bias, activation, out in zip(self.kernels, self.biases, self.activations,
                                                 outputs):
            np.dot(a, kernel, out=out)
            out += bias
            a = activation.forward(out)
        return outputs

    def predict(self, x):
        """Model output for ``x``, shape (batch, n_outputs), in a new array."""
        x = np.asarray(x, dtype=self.dtype)
        a = x
        for kernel, bias, activation in zip(self.kernels, self.biases, self.activations):
            a = activation.forward(a @ kernel + bias)
        return a

    def backward(self, x, outputs, grad_output):
        """Fill ``grads`` from dL/d(output) ``grad_output`` (overwritten).

        ``outputs`` is what ``forward(x)`` returned. ``grad_output`` is the gradient with respect
        to the last layer's *activated* output; its activation's derivative is applied here.
        Adds the penalties' gradients to the kernels: ``2 l2 W`` and ``l1 sign(W)``. At
        ``W = 0``, where ``|W|`` has no derivative, the L1 term adds 0: the subgradient of
        TensorFlow's ``abs`` (``sign(0) = 0``), the one that leaves a weight at zero there.
        Keras on JAX differs at that one point: ``jax.grad(jnp.abs)(0.0)`` is 1 (measured
        with jax 0.10.2), so an exactly-zero weight gets ``+l1``.
        """
        _, deltas, ones = self._buffers_for(x.shape[0])
        delta = self.activations[-1].backward(grad_output, outputs[-1])
        for i in range(self.n_layers - 1, -1, -1):
            below = outputs[i - 1] if i > 0 else x
            np.dot(below.T, delta, out=self.kernel_grads[i])
            np.dot(ones, delta, out=self.bias_grads[i])
            if i > 0:
                np.dot(delta, self.kernels[i].T, out=deltas[i - 1])
                delta = self.activations[i - 1].backward(deltas[i - 1], below)
        if self.l2:
            self._flat_kernel_grads += (2.0 * self.l2) * self._flat_kernels
        if self.l1:
            self._flat_kernel_grads += self.l1 * np.sign(self._flat_kernels)

    def penalty(self):
        """The regularisation added to the loss, Keras's ``L1L2`` on the kernels (not the
        biases): ``l1 * sum |W| + l2 * sum W**2``."""
        total = 0.0
        if self.l2:
            total += self.l2 * float(np.dot(self._flat_kernels, self._flat_kernels))
        if self.l1:
            total += self.l1 * float(np.sum(np.abs(self._flat_kernels)))
        return total

    def get_weights(self):
        """A copy of all parameters as one flat array."""
        return self.flat_params.copy()

    def set_weights(self, flat):
        """Restore parameters from ``get_weights()``."""
        self.flat_params[...] = flat
