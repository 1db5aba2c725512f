"""The TensorBoard smoothing the batch-loss plot draws, kept in a growable array."""

import math

import numpy as np

from engine.history import GrowableArray


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
            self.output.extend(values)
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
            self.output.extend(smoothed / (1 - w ** counts))
            self._last = smoothed[-1]
            self._count += len(chunk)
