"""The data/model pictures, computed with NumPy in the worker thread (no Qt here).

:func:`geometry_for` decides once per dataset what the data plot shows (a decision surface for
2-D inputs, a fitted curve for 1-D regression, a confusion matrix for classification with
more inputs, predicted-vs-true otherwise); :func:`compute_view` asks the trainer for
predictions and returns a ready-to-show :class:`DataView`, so the GUI thread only uploads an
image or a curve.
"""

from dataclasses import dataclass

import numpy as np

from gui.i18n import tr

GRID = 72
CURVE_POINTS = 240
_WHITE = np.array([255.0, 255.0, 255.0])
_CLASS_COLORS = np.array([
    (245, 147, 34), (8, 119, 189), (44, 160, 44), (214, 39, 40), (148, 103, 189),
    (140, 86, 75), (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207),
], dtype=np.float64)
# A five-stop approximation of viridis for regression values.
_VIRIDIS = np.array([(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98),
                     (253, 231, 37)], dtype=np.float64)


def value_colors(values, low, high):
    """Map ``values`` (n,) to viridis RGB rows (n, 3) in [0, 255] over [low, high]."""
    t = np.clip((np.asarray(values, dtype=np.float64) - low) / max(high - low, 1e-12), 0, 1)
    t = np.nan_to_num(t, nan=0.0)
    position = t * (len(_VIRIDIS) - 1)
    index = np.minimum(position.astype(int), len(_VIRIDIS) - 2)
    fraction = (position - index)[:, None]
    return _VIRIDIS[index] * (1 - fraction) + _VIRIDIS[index + 1] * fraction


@dataclass
class ViewGeometry:
    """What the data plot shows for one dataset, fixed until the next reset.

    ``x_train`` (n, d), ``y_train`` (n,), ``x_val``, ``y_val`` as in the dataset; ``extent``
    (x0, x1, y0, y1) of the surface grid; ``value_range`` (low, high) of regression targets.
    """

    mode: str
    regression: bool
    class_names: tuple
    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    extent: tuple = None
    value_range: tuple = (0.0, 1.0)
    x_label: str = "x"
    y_label: str = "y"

    def value_colors(self, values):
        """Viridis RGB rows (n, 3) for regression targets ``values`` (n,)."""
        return value_colors(values, *self.value_range)


@dataclass
class DataView:
    """A computed picture: ``image`` (ny, nx, 3) uint8 and ``values`` for surfaces, ``x``/``y``
    for curves and scatters, ``matrix`` (k, k) for confusion matrices."""

    mode: str
    image: np.ndarray = None
    values: np.ndarray = None
    labels: np.ndarray = None
    x: np.ndarray = None
    y: np.ndarray = None
    matrix: np.ndarray = None
    class_names: tuple = ()

    def describe(self, row, column):
        """Hover text for surface pixel (row, column)."""
        if self.labels is not None:
            label = int(self.labels[row, column])
            name = self.class_names[label] if label < len(self.class_names) else str(label)
            return tr("predicted {name} (confidence {confidence:.2f})", name=name,
                      confidence=self.values[row, column])
        return tr("predicted {value:.4g}", value=self.values[row, column])


def geometry_for(dataset):
    """Build the :class:`ViewGeometry` for an ``engine.datasets.Dataset``."""
    regression = dataset.task in ("regression", "counts")
    features = dataset.n_features
    names = tuple(dataset.feature_names) if dataset.feature_names else ()
    x_label = names[0] if len(names) > 0 else "x₁"
    y_label = names[1] if len(names) > 1 else "x₂"
    both = np.concatenate([dataset.x_train, dataset.x_val])
    targets = np.concatenate([dataset.y_train, dataset.y_val]).astype(np.float64)
    value_range = (float(targets.min()), float(targets.max())) if regression and len(
        targets) else (0.0, 1.0)
    common = dict(regression=regression,
                  class_names=tuple(tr(name) for name in dataset.class_names),
                  x_train=dataset.x_train, y_train=dataset.y_train, x_val=dataset.x_val,
                  y_val=dataset.y_val, value_range=value_range)
    if features == 2:
        low, high = both.min(axis=0), both.max(axis=0)
        pad = 0.08 * np.maximum(high - low, 1e-9)
        extent = (low[0] - pad[0], high[0] + pad[0], low[1] - pad[1], high[1] + pad[1])
        return ViewGeometry("surface", extent=extent, x_label=x_label, y_label=y_label, **common)
    if features == 1 and regression:
        return ViewGeometry("curve", x_label=x_label, y_label=tr("target"), **common)
    if not regression:
        return ViewGeometry("confusion", **common)
    return ViewGeometry("scatter", x_label=tr("true value"), y_label=tr("predicted value"),
                        **common)


def _class_scores(trainer, x):
    """Class ids (n,) and a confidence in [0, 1] (n,) for inputs ``x`` (n, d)."""
    outputs = np.asarray(trainer.predict(x), dtype=np.float64)
    labels = np.asarray(trainer.classify(x, outputs=outputs), dtype=np.int64)
    if outputs.shape[1] == 1:
        score = outputs[:, 0]
        if score.min() >= 0 and score.max() <= 1:
            confidence = np.abs(2 * score - 1)
        else:
            confidence = np.abs(np.tanh(score))
        return labels, confidence
    k = outputs.shape[1]
    rows_are_probabilities = (outputs.min() >= 0
                              and np.allclose(outputs.sum(axis=1), 1, atol=1e-3))
    if rows_are_probabilities:
        probabilities = outputs
    else:
        shifted = np.exp(outputs - outputs.max(axis=1, keepdims=True))
        probabilities = shifted / shifted.sum(axis=1, keepdims=True)
    confidence = (probabilities.max(axis=1) - 1 / k) / (1 - 1 / k)
    return labels, np.clip(confidence, 0, 1)


def compute_view(trainer, geometry):
    """Predict with ``trainer`` and return the :class:`DataView` for ``geometry``."""
    if geometry.mode == "surface":
        x0, x1, y0, y1 = geometry.extent
        xs = np.linspace(x0, x1, GRID)
        ys = np.linspace(y0, y1, GRID)
        grid_x, grid_y = np.meshgrid(xs, ys)
        points = np.column_stack([grid_x.ravel(), grid_y.ravel()])
        if geometry.regression:
            values = np.asarray(trainer.predict(points), dtype=np.float64)[:, 0]
            rgb = value_colors(values, *geometry.value_range)
            rgb = 0.55 * rgb + 0.45 * _WHITE
            return DataView("surface", image=rgb.reshape(GRID, GRID, 3).astype(np.uint8),
                            values=values.reshape(GRID, GRID))
        labels, confidence = _class_scores(trainer, points)
        colors = _CLASS_COLORS[labels % len(_CLASS_COLORS)]
        strength = (0.12 + 0.5 * np.nan_to_num(confidence))[:, None]
        rgb = _WHITE * (1 - strength) + colors * strength
        return DataView("surface", image=rgb.reshape(GRID, GRID, 3).astype(np.uint8),
                        values=confidence.reshape(GRID, GRID),
                        labels=labels.reshape(GRID, GRID), class_names=geometry.class_names)
    if geometry.mode == "curve":
        both = np.concatenate([geometry.x_train[:, 0], geometry.x_val[:, 0]])
        low, high = both.min(), both.max()
        pad = 0.05 * max(high - low, 1e-9)
        xs = np.linspace(low - pad, high + pad, CURVE_POINTS)
        ys = np.asarray(trainer.predict(xs[:, None]), dtype=np.float64)[:, 0]
        return DataView("curve", x=xs, y=ys)
    if geometry.mode == "confusion":
        x, y = (geometry.x_val, geometry.y_val) if len(geometry.y_val) else (
            geometry.x_train, geometry.y_train)
        k = len(geometry.class_names)
        predicted = np.clip(np.asarray(trainer.classify(x), dtype=np.int64), 0, k - 1)
        truth = np.asarray(y, dtype=np.int64)
        matrix = np.bincount(truth * k + predicted, minlength=k * k).reshape(k, k)
        return DataView("confusion", matrix=matrix, class_names=geometry.class_names)
    x, y = (geometry.x_val, geometry.y_val) if len(geometry.y_val) else (
        geometry.x_train, geometry.y_train)
    predicted = np.asarray(trainer.predict(x), dtype=np.float64)[:, 0]
    return DataView("scatter", x=np.asarray(y, dtype=np.float64), y=predicted)
