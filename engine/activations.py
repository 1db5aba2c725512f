"""Activations with Keras's definitions, each forward and backward side by side.

Every activation here can compute its derivative from its *output* ``a`` alone, so the model
applies it in place (no copy of the pre-activation is kept):

=============  ==================================  =========================================
name           a = f(z)                            f'(z) written with a
=============  ==================================  =========================================
linear         z                                   1
relu           max(z, 0)                           [a > 0]
leaky_relu     z if z > 0 else 0.2 z (Keras 3)      1 if a > 0 else 0.2
elu            z if z > 0 else exp(z) - 1           1 if a > 0 else a + 1
tanh           tanh(z)                             1 - a**2
sigmoid        1 / (1 + exp(-z))                   a (1 - a)
softplus       log(1 + exp(z))                     1 - exp(-a)   (= sigmoid(z))
exponential    exp(z)                              a
softmax        exp(z) / sum(exp(z)) (last axis)    Jacobian-vector: a * (g - sum(g * a))
=============  ==================================  =========================================

Shapes: ``z``, ``a`` and ``grad`` are ndarrays of shape (batch, units).
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np

from .errors import ConfigError

LEAKY_RELU_SLOPE = 0.2  # Keras 3's default negative_slope
ELU_ALPHA = 1.0


class Activation(ABC):
    """``forward(z)`` overwrites ``z`` with ``f(z)`` and returns it; ``backward(grad, a)``
    overwrites ``grad`` (dL/da) with dL/dz and returns it."""

    name = ""

    @abstractmethod
    def forward(self, z):
        """Overwrite ``z`` with ``f(z)``; return it."""

    @abstractmethod
    def backward(self, grad, a):
        """Overwrite ``grad`` = dL/da with dL/dz, given the output ``a``; return it."""

    def __call__(self, z):
        """``f(z)`` on a copy, leaving ``z`` untouched."""
        return self.forward(np.array(z, dtype=np.result_type(z, np.float32)))

    def __repr__(self):
        return f"<activation {self.name}>"


class Linear(Activation):
    name = "linear"

    def forward(self, z):
        return z

    def backward(self, grad, a):
        return grad


class Relu(Activation):
    name = "relu"

    def forward(self, z):
        return np.maximum(z, 0.0, out=z)

    def backward(self, grad, a):
        grad *= a > 0
        return grad


class LeakyRelu(Activation):
    name = "leaky_relu"

    def forward(self, z):
        z *= np.where(z > 0, 1.0, LEAKY_RELU_SLOPE)
        return z

    def backward(self, grad, a):
        grad *= np.where(a > 0, 1.0, LEAKY_RELU_SLOPE)
        return grad


class Elu(Activation):
    name = "elu"

    def forward(self, z):
        negative = z < 0
        z[negative] = ELU_ALPHA * np.expm1(z[negative])
        return z

    def backward(self, grad, a):
        grad *= np.where(a > 0, 1.0, a + ELU_ALPHA)
        return grad


class Tanh(Activation):
    name = "tanh"

    def forward(self, z):
        return np.tanh(z, out=z)

    def backward(self, grad, a):
        grad *= 1.0 - a * a
        return grad


class Sigmoid(Activation):
    name = "sigmoid"

    def forward(self, z):
        # 1 / (1 + exp(-z)) overflows exp for z < -709; the two-sided form does not
        e = np.exp(-np.abs(z))
        z[...] = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
        return z

    def backward(self, grad, a):
        grad *= a * (1.0 - a)
        return grad


class Softplus(Activation):
    name = "softplus"

    def forward(self, z):
        # log(1 + exp(z)) = max(z, 0) + log1p(exp(-|z|)), finite for any z
        tail = np.log1p(np.exp(-np.abs(z)))
        np.maximum(z, 0.0, out=z)
        z += tail
        return z

    def backward(self, grad, a):
        grad *= -np.expm1(-a)
        return grad


class Exponential(Activation):
    name = "exponential"

    def forward(self, z):
        return np.exp(z, out=z)

    def backward(self, grad, a):
        grad *= a
        return grad


class Softmax(Activation):
    name = "softmax"

    def forward(self, z):
        z -= z.max(axis=-1, keepdims=True)
        np.exp(z, out=z)
        z /= z.sum(axis=-1, keepdims=True)
        return z

    def backward(self, grad, a):
        grad -= (grad * a).sum(axis=-1, keepdims=True)
        grad *= a
        return grad


_CLASSES = (Linear, Relu, LeakyRelu, Elu, Tanh, Sigmoid, Softplus, Exponential, Softmax)
_REGISTRY = {cls.name: cls for cls in _CLASSES}


def names():
    """Activation names, in the order the GUI lists them."""
    return [cls.name for cls in _CLASSES]


def get(name):
    """The activation called ``name``; ConfigError listing the valid names if unknown."""
    if name not in _REGISTRY:
        raise ConfigError(f"activation {name!r} is unknown; valid activations: "
                          f"{', '.join(names())}")
    return _REGISTRY[name]()
