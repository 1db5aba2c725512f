"""Finite-difference gradient checks (central differences in float64).

The relative error used throughout is the one of cs231n's ``rel_error``, taken elementwise::

    rel(a, n) = |a - n| / max(|a| + |n|, floor),    floor = 1e-8

where ``a`` is the analytic and ``n`` the numerical value. It is 0 when both are exactly 0,
1 (its maximum) when they have opposite signs, and below 1e-6 when an analytic gradient agrees
with central differences to about six significant digits. The random-direction check follows
HIPS/autograd's ``test_util``: one directional derivative instead of one per element.
"""

from __future__ import annotations

import numpy as np

from .errors import ConfigError

RELATIVE_ERROR_FLOOR = 1e-8


def relative_error(analytic, numerical, floor=RELATIVE_ERROR_FLOOR):
    """Elementwise relative error ``|a - n| / max(|a| + |n|, floor)``.

    Parameters
    ----------
    analytic, numerical : ndarray or float, same shape
        The two values to compare.
    floor : float
        Lower bound of the denominator, so two exact zeros compare as equal.

    Returns
    -------
    ndarray, same shape as the inputs
        Values in [0, 1].
    """
    analytic = np.asarray(analytic, dtype=np.float64)
    numerical = np.asarray(numerical, dtype=np.float64)
    scale = np.maximum(np.abs(analytic) + np.abs(numerical), floor)
    return np.abs(analytic - numerical) / scale


def numerical_gradient(f, x, eps=1e-6):
    """Gradient of a scalar function by central differences, one element at a time.

    Parameters
    ----------
    f : callable
        ``f(x) -> float`` for an ndarray ``x`` of the shape given.
    x : ndarray, any shape
        Point of evaluation; converted to a float64 copy, never modified.
    eps : float
        Step: ``g[i] = (f(x + eps e_i) - f(x - eps e_i)) / (2 eps)``.

    Returns
    -------
    ndarray, float64, shape of ``x``
    """
    point = np.array(x, dtype=np.float64)
    gradient = np.empty_like(point)
    flat_point = point.reshape(-1)
    flat_gradient = gradient.reshape(-1)
    for index in range(flat_point.size):
        original = flat_point[index]
        flat_point[index] = original + eps
        f_plus = float(f(point))
        flat_point[index] = original - eps
        f_minus = float(f(point))
        flat_point[index] = original
        flat_gradient[index] = (f_plus - f_minus) / (2.0 * eps)
    return gradient


def check_gradient(f, grad, x, eps=1e-6):
    """Largest elementwise relative error between an analytic and the numerical gradient.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``.
    grad : callable
        ``grad(x) -> ndarray`` of the shape of ``x``, the claimed gradient of ``f``.
    x : ndarray, any shape
        Point of evaluation (float64 copy used).
    eps : float
        Central-difference step.

    Returns
    -------
    float
        ``max_i rel(grad(x)[i], numerical_gradient(f, x)[i])`` (see module docstring).
    """
    point = np.array(x, dtype=np.float64)
    analytic = np.asarray(grad(point.copy()), dtype=np.float64)
    if analytic.shape != point.shape:
        raise ConfigError(
            f"grad(x) has shape {analytic.shape}; it must have the shape of x, {point.shape}"
        )
    numerical = numerical_gradient(f, point, eps)
    return float(np.max(relative_error(analytic, numerical), initial=0.0))


def check_directional(f, grad, x, rng, eps=1e-6):
    """Relative error of the directional derivative along one random unit direction.

    Compares ``<grad(x), v>`` with ``(f(x + eps v) - f(x - eps v)) / (2 eps)`` for a ``v``
    drawn from a standard normal and scaled to unit length (autograd's ``test_util`` check).

    Parameters
    ----------
    f : callable
        ``f(x) -> float``.
    grad : callable
        ``grad(x) -> ndarray`` of the shape of ``x``.
    x : ndarray, any shape
        Point of evaluation (float64 copy used).
    rng : numpy.random.Generator
        Source of the direction.
    eps : float
        Central-difference step along ``v``.

    Returns
    -------
    float
        ``rel(<grad(x), v>, numerical directional derivative)``.
    """
    point = np.array(x, dtype=np.float64)
    direction = rng.standard_normal(point.shape)
    direction /= np.linalg.norm(direction)
    analytic = float(np.sum(np.asarray(grad(point.copy()), dtype=np.float64) * direction))
    numerical = (float(f(point + eps * direction)) - float(f(point - eps * direction))) / (
        2.0 * eps
    )
    return float(relative_error(analytic, numerical))
