"""A made-up loss surface with two basins, for the landscape view: not the loss of a network.

The lessons' models give no such picture. The learning-rate lesson's plane is convex (one
valley, nowhere to be stuck); slices of a real network tried for the landscape gave one basin,
or two of the same curvature, where the rate does not decide which one a path ends in; and
xor with two tanh units ended at the same loss for a small and a large rate on each of seeds
0-9 (the lesson's xor steps). This surface is drawn to show the one mechanism by which a rate
does decide: a basin whose curvature lambda exceeds 2 / rate cannot hold a path (gradient
descent's stability limit), so a larger rate leaves a narrow basin that a small rate settles
in, and goes on to a wide one it can settle in.

    L(p) = BOWL |p - WIDE|^2 - DEPTH exp(-|p - NARROW|^2 / (2 WIDTH^2)) + FLOOR

A wide bowl around ``WIDE`` (curvature 2 BOWL = 0.3 along every direction) and a narrow,
shallower well near ``NARROW`` (curvature about DEPTH / WIDTH^2 = 12.8 more): its bottom
stays higher than the bowl's, so the nearer basin is the worse one. Qt-free.
"""

from __future__ import annotations

import numpy as np

from . import optimizers

WIDE = np.array([1.5, 0.5])
NARROW = np.array([-1.0, -0.5])
BOWL = 0.15
DEPTH = 0.8
WIDTH = 0.25
#: Added so the loss stays above 0 (the view draws it on a log scale).
FLOOR = 0.05


def value(points):
    """The loss at each row of ``points`` (n, 2), or at one point (2,)."""
    points = np.asarray(points, dtype=np.float64)
    far = np.sum((points - WIDE) ** 2, axis=-1)
    near = np.sum((points - NARROW) ** 2, axis=-1)
    return BOWL * far - DEPTH * np.exp(-near / (2.0 * WIDTH ** 2)) + FLOOR


def gradient(point):
    """The gradient of :func:`value` at ``point`` (2,)."""
    point = np.asarray(point, dtype=np.float64)
    offset = point - NARROW
    well = DEPTH * np.exp(-np.dot(offset, offset) / (2.0 * WIDTH ** 2))
    return 2.0 * BOWL * (point - WIDE) + well * offset / WIDTH ** 2


def hessian(point):
    """The Hessian of :func:`value` at ``point``: (2, 2)."""
    offset = np.asarray(point, dtype=np.float64) - NARROW
    well = DEPTH * np.exp(-np.dot(offset, offset) / (2.0 * WIDTH ** 2))
    return (2.0 * BOWL * np.eye(2)
            + well / WIDTH ** 2 * (np.eye(2) - np.outer(offset, offset) / WIDTH ** 2))


def minima(tolerance=1e-12):
    """``(near, far)``: the narrow basin's and the wide basin's lowest points, by Newton's
    method from the two centres."""
    found = []
    for centre in (NARROW, WIDE):
        point = centre.copy()
        for _ in range(100):
            move = np.linalg.solve(hessian(point), gradient(point))
            point -= move
            if np.max(np.abs(move)) < tolerance:
                break
        found.append(point)
    return tuple(found)


def starts(seeds, low=0.15, high=0.35):
    """A start inside the narrow basin per seed: at a seeded distance in [low, high] from
    its lowest point, in a seeded direction."""
    near = minima()[0]
    points = []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        angle = rng.uniform(0.0, 2.0 * np.pi)
        points.append(near + rng.uniform(low, high) * np.array([np.cos(angle), np.sin(angle)]))
    return np.array(points)


def descend(start, optimizer="sgd", steps=300, **hyperparameters):
    """The path of the engine's optimizer on this surface from ``start``: (steps + 1, 2)."""
    rule = optimizers.get(optimizer, **hyperparameters)
    point = np.array(start, dtype=np.float64)
    path = [point.copy()]
    for _ in range(steps):
        rule.apply([point], [gradient(point)])
        path.append(point.copy())
        if not np.all(np.isfinite(point)):
            break
    return np.array(path)
