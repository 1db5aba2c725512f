"""Growable NumPy arrays and the TensorBoard smoothing the batch-loss plot draws."""

import math

import numpy as np


class GrowableArray:
    """An append-only array that doubles its capacity, read as a view of the filled part.

    Parameters
    ----------
    dtype : numpy dtype
        Element type.
    columns : int or None
        None for a 1-D array of shape (n,); an int for a 2-D array of shape (n, columns).
    capacity : int
        Initial number of rows allocated.
    """

    def __init__(self, dtype=np.float64, columns=None, capacity=1024):
        shape = (capacity,) if columns is None else (capacity, columns)
        self._data = np.empty(shape, dtype=dtype)
        self._size = 0

    def __len__(self):
        return self._size

    @property
    def data(self):
        """ndarray, shape (n,) or (n, columns): view of the rows appended so far."""
        return self._data[:self._size]

    def append(self, values):
        """Append rows; ``values`` has shape (m,) or (m, columns) (a scalar counts as m=1)."""
        values = np.asarray(values, dtype=self._data.dtype)
        if values.ndim == self._data.ndim - 1:
            values = values[np.newaxis]
        needed = self._size + len(values)
        if needed > len(self._data):
            capacity = len(self._data)
            while capacity < needed:
                capacity *= 2
            grown = np.empty((capacity,) + self._data.shape[1:], dtype=self._data.dtype)
            grown[:self._size] = self._data[:self._size]
            self._data = grown
        self._data[self._size:needed] = values
        self._size = needed

    def clear(self):
        """Forget the contents, keeping the allocation."""
        self._size = 0


class DebiasedEMA:
    """TensorBoard's scalar smoothing: an exponential moving average divided by its bias.

    ``last = last * w + (1 - w) * y``; the value shown is ``last / (1 - w ** count)``, so the
    first points are not pulled towards zero. Non-finite inputs repeat the previous output, as
    in TensorBoard. Smoothing is incremental: :meth:`extend` only processes new points.

    Parameters
    ----------
    weight : float
        Smoothing weight ``w`` in [0, 1).
    """

    def __init__(self, weight=0.6):
        self.weight = float(weight)
        self.output = GrowableArray()
        self._last = 0.0
        self._count = 0

    def reset(self, weight=None):
        """Forget all points; optionally change the weight."""
        if weight is not None:
            self.weight = float(weight)
        self.output.clear()
        self._last = 0.0
        self._count = 0

    def extend(self, values):
        """Smooth ``values`` (shape (m,)) after the points already seen and append the result."""
        values = np.asarray(values, dtype=np.float64)
        w = self.weight
        if w == 0.0:
            self.output.append(values)
            return
        # The closed form divides by w**i; blocks keep w**-i below 1e50.
        block = max(1, min(4096, int(50 * math.log(10) / -math.log(w))))
        finite = np.isfinite(values)
        if not finite.all():
            values = values.copy()
            for index in np.flatnonzero(~finite):
                values[index] = values[index - 1] if index > 0 else (
                    self._last / (1 - w ** self._count) if self._count else 0.0)
        for start in range(0, len(values), block):
            chunk = values[start:start + block]
            powers = w ** np.arange(len(chunk))
            running = np.cumsum(chunk / powers)
            smoothed = w * powers * self._last + (1 - w) * powers * running
            counts = self._count + np.arange(1, len(chunk) + 1)
            self.output.append(smoothed / (1 - w ** counts))
            self._last = smoothed[-1]
            self._count += len(chunk)
