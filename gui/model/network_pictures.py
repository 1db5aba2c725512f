"""What the network view shows, computed with NumPy in the worker thread (no Qt here).

:func:`compute_network` takes the trainer and the data view's :class:`~gui.views.ViewGeometry`
and returns a :class:`NetworkPictures`: for every layer (inputs, hidden layers, outputs) the
neurons shown, a small RGB picture of each and the value under each pixel, and for every pair
of neighbouring layers the connections drawn with their weights, signs and width classes. The
widget (:mod:`gui.network_view`) only uploads these arrays.

What a neuron's picture is depends on the data (as TensorFlow Playground's network drawing,
extended past 2-D inputs):

- ``"plane"`` (2-D inputs): its activation over the data view's decision-surface grid
  (:data:`gui.views.GRID` squared points over the geometry's extent);
- ``"curve"`` (1-D regression): its activation over the data view's x range, as a small plot;
- ``"weights"`` (digits' first hidden layer): the neuron's 64 incoming weights as an 8x8 image;
- ``"histogram"`` (any other data): the histogram of its activation over up to
  :data:`HISTOGRAM_ROWS` training rows.

Colours follow the data view: hidden neurons and inputs go from the first class's orange
(negative) through light grey to the second class's blue (positive), the Playground's scale;
output neurons use the data view's own colouring (class colours by confidence, viridis over the
target range for regression).

Large nets stay legible: at most :data:`MAX_SHOWN` neurons per layer are shown (those with the
largest sum of absolute weights touching them, in index order; the rest are counted as "+N"),
and a shown neuron with more than :data:`STRONGEST` shown inputs keeps only its
:data:`STRONGEST` strongest incoming connections.

Cost (one call): one forward pass of the G*G grid (G = 72) through the model, i.e.
O(G^2 * sum of n_l * n_(l+1)) multiply-adds, plus one colour-table lookup per pixel of each
shown neuron (O(G^2) each); for other data a forward pass of at most HISTOGRAM_ROWS rows and a
histogram per shown neuron. Measured (tests/benchmarks/network_view_speed.py, CPU time, one
BLAS thread): 2.1-2.7 ms for (8, 8) on circle, 1.1 ms for (32,) on digits, 5.8 ms for
(32, 32) on blobs -- about 0.5 % of the training thread at one view every 0.5 s.
"""

from dataclasses import dataclass, field

import numpy as np

from engine import activations
from gui import views

#: Neurons shown per layer at most; the rest are summed up as "+N".
MAX_SHOWN = 12
#: A shown neuron with more shown inputs than this draws only this many, the strongest.
STRONGEST = 8
#: Width classes of the connections (the widget draws one path per sign and class).
WIDTH_CLASSES = 6
#: |w| at and above which a connection is in the widest class (Playground: 5 at 10 px).
WIDEST_WEIGHT = 2.0
#: Rows of training data whose activations make a histogram.
HISTOGRAM_ROWS = 500
HISTOGRAM_BINS = 12
#: Side in pixels of histogram and curve pictures (a bin is HISTOGRAM_SIZE / BINS wide).
HISTOGRAM_SIZE = 24
CURVE_SIZE = 48
#: The diverging scale of weights and activations: negative, zero, positive (Playground's
#: #f59322, #e8eaeb, #0877bd; the first two are the data view's first two class colours).
NEGATIVE = np.array([245.0, 147.0, 34.0])
MIDDLE = np.array([232.0, 234.0, 235.0])
POSITIVE = np.array([8.0, 119.0, 189.0])
_BACKGROUND = np.array([250, 250, 250], dtype=np.uint8)
_INK = np.array([60, 60, 60], dtype=np.uint8)
_WHITE = np.array([255.0, 255.0, 255.0])
LUT_SIZE = 256
#: Activations whose output lies in a fixed interval: (centre, half-width) of the colour scale.
_BOUNDED = {"tanh": (0.0, 1.0), "sigmoid": (0.5, 0.5), "softmax": (0.5, 0.5)}
DIGIT_SIDE = 8


@dataclass
class LayerPictures:
    """One layer's shown neurons.

    ``shown`` (k,) neuron indices in the layer, ascending; ``images`` (k, h, w, 3) uint8, top
    row first (as a QImage); ``values`` (k, h, w) float64, the value each pixel shows (an
    activation, or a weight for ``"weights"``), or (k, n) activations along the data view's x
    axis for ``"curve"``, or (k, 3) mean, min and max for ``"histogram"``; ``biases`` (k,) or
    None for the inputs; ``hidden`` the number of neurons not shown.
    """

    kind: str
    size: int
    shown: np.ndarray
    images: np.ndarray
    values: np.ndarray
    biases: np.ndarray = None

    @property
    def hidden(self):
        return self.size - len(self.shown)


@dataclass
class Connections:
    """The connections drawn from layer ``l`` to ``l + 1``.

    ``source`` and ``target`` (m,) positions in the two layers' ``shown`` arrays; ``weight``
    (m,) float64; ``width_class`` (m,) int in ``range(WIDTH_CLASSES)``; ``total`` the number of
    connections between the two layers (drawn or not).
    """

    source: np.ndarray
    target: np.ndarray
    weight: np.ndarray
    width_class: np.ndarray
    total: int


@dataclass
class NetworkPictures:
    """Everything the network view draws; ``layers[0]`` is the inputs, the last the outputs."""

    layers: list
    connections: list
    extent: tuple = None
    curve_x: np.ndarray = None
    names: list = field(default_factory=list)

    def picture(self, layer, index):
        """(kind, image, values) of neuron ``index`` of ``layer`` as in :class:`LayerPictures`
        (one neuron's slice), or None when that neuron is not shown."""
        pictures = self.layers[layer]
        slot = np.flatnonzero(pictures.shown == index)
        if not len(slot):
            return None
        return pictures.kind, pictures.images[slot[0]], pictures.values[slot[0]]

    def data_view(self, layer, index):
        """Neuron ``index`` of ``layer`` as a :class:`gui.views.DataView` the data plot shows
        in place of the model's output (a surface over its plane, a curve over its x), or None
        when the neuron is not shown or its picture is not over the data view's axes."""
        found = self.picture(layer, index)
        if found is None or found[0] not in ("plane", "curve"):
            return None
        kind, image, values = found
        if kind == "curve":
            return views.DataView("curve", x=self.curve_x, y=values)
        # the data plot's image and values are bottom row first
        return views.DataView("surface", image=image[::-1], values=values[::-1])

    @property
    def structure(self):
        """What fixes the layout: layer sizes, kinds and shown counts."""
        return tuple((layer.kind, layer.size, len(layer.shown)) for layer in self.layers)


def width_class(weight):
    """Width class (int array) of ``weight``: |w| in WIDTH_CLASSES equal steps up to
    :data:`WIDEST_WEIGHT` (a fixed scale, so a weight's line thickens as it grows)."""
    steps = np.abs(np.asarray(weight, dtype=np.float64)) * (WIDTH_CLASSES / WIDEST_WEIGHT)
    return np.minimum(np.nan_to_num(steps, nan=0.0, posinf=WIDTH_CLASSES), WIDTH_CLASSES - 1
                      ).astype(np.int64)


def _lut(stops):
    """A colour table (LUT_SIZE, 3) uint8 through ``stops`` (m, 3), evenly spaced."""
    stops = np.asarray(stops, dtype=np.float64)
    position = np.linspace(0, len(stops) - 1, LUT_SIZE)
    index = np.minimum(position.astype(np.int64), len(stops) - 2)
    fraction = (position - index)[:, None]
    return _to_uint8(stops[index] * (1 - fraction) + stops[index + 1] * fraction)


def colorize(values, table, low, high):
    """RGB (..., 3) uint8 of ``values`` through colour ``table`` (LUT_SIZE, 3) over
    [low, high]; values outside take the end colours, NaN the middle one."""
    scale = (LUT_SIZE - 1) / max(high - low, 1e-12)
    position = (np.asarray(values, dtype=np.float64) - low) * scale
    np.clip(position, 0, LUT_SIZE - 1, out=position)
    position[np.isnan(position)] = (LUT_SIZE - 1) / 2
    return table[(position + 0.5).astype(np.intp)]


def diverging(values, centre=0.0, half=1.0):
    """RGB (..., 3) uint8 of ``values`` on the orange-grey-blue scale: ``centre`` grey,
    ``centre -/+ half`` and beyond full orange/blue."""
    return colorize(values, DIVERGING, centre - half, centre + half)


def grid_points(extent):
    """The data view's decision-surface grid over ``extent`` (x0, x1, y0, y1): points
    (GRID*GRID, 2), row-major with y rising by row (as :func:`gui.views.compute_view`)."""
    x0, x1, y0, y1 = extent
    grid_x, grid_y = np.meshgrid(np.linspace(x0, x1, views.GRID), np.linspace(y0, y1, views.GRID))
    return np.column_stack([grid_x.ravel(), grid_y.ravel()])


def curve_points(geometry):
    """The data view's x values for a 1-D regression (as :func:`gui.views.compute_view`)."""
    both = np.concatenate([geometry.x_train[:, 0], geometry.x_val[:, 0]])
    low, high = both.min(), both.max()
    pad = 0.05 * max(high - low, 1e-9)
    return np.linspace(low - pad, high + pad, views.CURVE_POINTS)


def layer_outputs(trainer, x):
    """Every layer's activations for inputs ``x`` (n, d): a list whose first entry is ``x``
    and whose last is what ``trainer.predict(x)`` returns."""
    model = trainer.model
    a = np.asarray(x, dtype=model.dtype)
    outputs = [a]
    with np.errstate(all="ignore"):  # a blown-up model shows inf/NaN, as the data view does
        for kernel, bias, activation in zip(model.kernels, model.biases, model.activations):
            a = activation.forward(a @ kernel + bias)
            outputs.append(a)
        if trainer.fused:
            outputs[-1] = activations.get(trainer.output_activation)(outputs[-1])
    return outputs


def _shown(trainer, max_shown):
    """Per layer, the indices shown: all, or the ``max_shown`` with the largest sum of
    absolute weights into and out of them, in index order."""
    kernels = [np.abs(kernel) for kernel in trainer.model.kernels]
    sizes = trainer.model.layer_sizes
    shown = []
    for layer, size in enumerate(sizes):
        if size <= max_shown:
            shown.append(np.arange(size))
            continue
        strength = np.zeros(size)
        if layer > 0:
            strength += kernels[layer - 1].sum(axis=0)
        if layer < len(kernels):
            strength += kernels[layer].sum(axis=1)
        strength = np.nan_to_num(strength, nan=0.0)
        top = np.argpartition(-strength, max_shown - 1)[:max_shown]
        shown.append(np.sort(top))
    return shown


def _connections(kernel, source_shown, target_shown, strongest):
    """The :class:`Connections` drawn between two layers' shown neurons."""
    weights = kernel[np.ix_(source_shown, target_shown)]
    n_source, n_target = weights.shape
    if n_source > strongest:
        rows = np.argpartition(-np.nan_to_num(np.abs(weights), nan=0.0), strongest - 1,
                               axis=0)[:strongest]
        columns = np.broadcast_to(np.arange(n_target), rows.shape)
        source, target = rows.ravel(), columns.ravel()
    else:
        source = np.repeat(np.arange(n_source), n_target)
        target = np.tile(np.arange(n_target), n_source)
    weight = np.asarray(weights[source, target], dtype=np.float64)
    return Connections(source, target, weight, width_class(weight), kernel.size)


def _scale(activation_name, values):
    """(centre, half-width) of the colour scale for activations ``values`` (k, ...)."""
    if activation_name in _BOUNDED:
        return _BOUNDED[activation_name]
    return 0.0, _largest(values)


def _output_colors(trainer, geometry, values):
    """RGB uint8 of output neurons ``values`` (k, ...), coloured as the data view colours
    them: viridis (lightened) over the targets' range for regression, the two class colours
    around the decision threshold for one output, white to each class's colour otherwise."""
    if geometry.regression:
        return colorize(values, REGRESSION, *geometry.value_range)
    finite = values[np.isfinite(values)]
    probability = finite.size == 0 or (finite.min() >= 0 and finite.max() <= 1)
    if values.shape[0] == 1:
        threshold = float(trainer.decision_threshold)
        half = 0.5 if probability else float(np.abs(finite - threshold).max())
        return diverging(values, threshold, half)
    low, high = (0.0, 1.0) if probability else (float(finite.min()), float(finite.max()))
    return np.stack([colorize(row, _class_table(k), low, high) for k, row in enumerate(values)])


def _class_table(k):
    return _lut((_WHITE, views._CLASS_COLORS[k % len(views._CLASS_COLORS)]))


def _histogram_images(values, low, high):
    """Histogram pictures (k, S, S, 3) uint8 of activations ``values`` (k, n) over
    [low, high], each bar in the colour of its bin's centre."""
    k, n = values.shape
    bins, size = HISTOGRAM_BINS, HISTOGRAM_SIZE
    span = max(high - low, 1e-12)
    position = (values - low) * (bins / span)
    np.clip(position, 0, bins - 1, out=position)
    position[np.isnan(position)] = 0
    index = position.astype(np.int64) + (np.arange(k) * bins)[:, None]
    counts = np.bincount(index.ravel(), minlength=k * bins).reshape(k, bins)
    # bar height by the square root of the count: a few outliers beside one tall bar stay
    # visible (softmax outputs pile up near 0)
    root = np.sqrt(counts)
    heights = np.rint(root / np.maximum(root.max(axis=1, keepdims=True), 1) * (size - 2))
    above_bottom = np.arange(size)[::-1][None, :, None]  # pixel rows, counted from the bottom
    bars = above_bottom < heights[:, None, :]  # (k, size, bins)
    centres = low + (np.arange(bins) + 0.5) * (span / bins)
    bar_colors = diverging(centres, *_centre_half(low, high))  # (bins, 3)
    image = np.where(bars[..., None], bar_colors, _BACKGROUND)
    return np.repeat(image, size // bins, axis=2)


def _centre_half(low, high):
    """The diverging scale for a histogram over [low, high]: centred on 0 when it is inside."""
    if low < 0 < high:
        return 0.0, max(-low, high)
    return (low + high) / 2, (high - low) / 2 or 1.0


def _curve_images(values, colors):
    """Small plots (k, S, S, 3) uint8 of ``values`` (k, n) along x: the area between the
    curve and zero in the lightened ``colors`` (k, n, 3) of the values, the curve dark."""
    size = CURVE_SIZE
    columns = np.linspace(0, values.shape[1] - 1, size).round().astype(np.int64)
    sampled = values[:, columns]
    fill = (0.6 * colors[:, columns] + 0.4 * 255.0).astype(np.uint8)
    finite = sampled[np.isfinite(sampled)]
    low = min(float(finite.min()), 0.0) if finite.size else -1.0
    high = max(float(finite.max()), 0.0) if finite.size else 1.0
    scale = (size - 1) / max(high - low, 1e-12)
    row = (high - np.clip(np.nan_to_num(sampled, nan=0.0), low, high)) * scale  # top is 0
    zero = high * scale
    rows = np.arange(size)[None, :, None]
    area = (rows >= np.minimum(row, zero)[:, None]) & (rows <= np.maximum(row, zero)[:, None])
    following = np.concatenate([row[:, 1:], row[:, -1:]], axis=1)
    line = (rows >= np.floor(np.minimum(row, following))[:, None]) & (
        rows <= np.ceil(np.maximum(row, following))[:, None])
    image = np.where(area[..., None], fill[:, None], _BACKGROUND)
    image[line] = _INK
    return image


def _to_uint8(rgb):
    return np.ascontiguousarray(np.clip(np.rint(rgb), 0, 255).astype(np.uint8))


DIVERGING = _lut((NEGATIVE, MIDDLE, POSITIVE))
#: The data view's regression surface: viridis, lightened towards white.
REGRESSION = _to_uint8(0.55 * views.value_colors(np.linspace(0, 1, LUT_SIZE), 0, 1)
                       + 0.45 * 255.0)


def _is_digits(trainer):
    return trainer.model.layer_sizes[0] == DIGIT_SIDE ** 2 and trainer.config.dataset == "digits"


def _sample_rows(x, rows):
    """At most ``rows`` rows of ``x``, evenly spaced (the same rows every refresh)."""
    if len(x) <= rows:
        return x
    return x[np.linspace(0, len(x) - 1, rows).astype(np.int64)]


def compute_network(trainer, geometry, max_shown=MAX_SHOWN, strongest=STRONGEST):
    """The :class:`NetworkPictures` of ``trainer``'s model for the data view ``geometry``."""
    model = trainer.model
    sizes = model.layer_sizes
    shown = _shown(trainer, max_shown)
    names = (["input"] + [activation.name for activation in model.activations[:-1]]
             + [trainer.output_activation])
    extent = curve_x = None
    if geometry.mode == "surface":
        kind, extent = "plane", geometry.extent
        x = grid_points(extent)
    elif geometry.mode == "curve":
        kind, curve_x = "curve", curve_points(geometry)
        x = curve_x[:, None]
    else:
        kind = "histogram"
        x = _sample_rows(geometry.x_train, HISTOGRAM_ROWS)
    outputs = layer_outputs(trainer, x)
    layers = []
    for index, (size, picked) in enumerate(zip(sizes, shown)):
        biases = None if index == 0 else np.asarray(model.biases[index - 1][picked],
                                                    dtype=np.float64)
        if index == 1 and _is_digits(trainer):
            weights = np.asarray(model.kernels[0][:, picked], dtype=np.float64).T.reshape(
                -1, DIGIT_SIDE, DIGIT_SIDE)
            layers.append(LayerPictures("weights", size, picked,
                                        diverging(weights, 0.0, _largest(weights)), weights,
                                        biases))
            continue
        activation = np.asarray(outputs[index][:, picked], dtype=np.float64).T  # (k, n)
        if kind == "histogram":
            low, high = _histogram_range(names[index], activation)
            values = _statistics(activation)
            layers.append(LayerPictures(kind, size, picked,
                                        _histogram_images(activation, low, high), values,
                                        biases))
            continue
        if index == len(sizes) - 1:
            colors = _output_colors(trainer, geometry, activation)
        elif index == 0:
            colors = diverging(activation, 0.0, _largest(activation))
        else:
            colors = diverging(activation, *_scale(names[index], activation))
        if kind == "plane":
            side = views.GRID
            values = activation.reshape(-1, side, side)[:, ::-1]  # top row first
            image = colors.reshape(-1, side, side, 3)[:, ::-1]
        else:
            values, image = activation, _curve_images(activation, colors)
        layers.append(LayerPictures(kind, size, picked, np.ascontiguousarray(image),
                                    np.ascontiguousarray(values), biases))
    connections = [_connections(np.asarray(kernel, dtype=np.float64), shown[i], shown[i + 1],
                                strongest) for i, kernel in enumerate(model.kernels)]
    return NetworkPictures(layers, connections, extent, curve_x, names)


def _statistics(activation):
    """Mean, min and max (k, 3) of each row of ``activation`` (k, n) over its finite values;
    NaN for a neuron with none (a blown-up model)."""
    finite = np.isfinite(activation)
    count = finite.sum(axis=1)
    clean = np.where(finite, activation, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = clean.sum(axis=1) / count
    low = np.where(finite, activation, np.inf).min(axis=1, initial=np.inf)
    high = np.where(finite, activation, -np.inf).max(axis=1, initial=-np.inf)
    return np.where((count > 0)[:, None], np.column_stack([mean, low, high]), np.nan)


def _largest(values):
    """The largest finite |value| (1 when there is none): a symmetric colour scale."""
    finite = np.abs(values[np.isfinite(values)])
    return float(finite.max()) if finite.size and finite.max() > 0 else 1.0


def _histogram_range(name, activation):
    """[low, high] of a histogram: the activation's own interval when bounded, else the data's."""
    if name in _BOUNDED:
        centre, half = _BOUNDED[name]
        return centre - half, centre + half
    finite = activation[np.isfinite(activation)]
    return (float(finite.min()), float(finite.max())) if finite.size else (-1.0, 1.0)
