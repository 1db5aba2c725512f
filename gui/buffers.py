"""Per-step series for the live plots: a level-of-detail pyramid and TensorBoard smoothing.

A run at batch size 1 adds tens of thousands of points a second. Handing all of them to
pyqtgraph on every redraw makes each redraw cost more the longer the run goes (after a minute,
the app trained at half its headless speed, the GUI thread rescanning a million points 20 times
a second). :class:`SeriesPyramid` keeps each series at every level of detail as points arrive,
so a redraw reads only about as many points as the plot has pixels.
"""

import math

import numpy as np

from engine.history import GrowableArray


class SeriesPyramid:
    """A growing series kept at every level of detail a plot may need.

    Level 0 is the series itself. Level ``k`` has one entry per block of ``FACTOR**k``
    consecutive points: the block's minimum and maximum (``"peak"``, so that no spike of a
    noisy curve disappears), or its mean (``"mean"``, for curves that are smooth already).
    Levels hold complete blocks only, and :meth:`extend` computes just the blocks that the new
    points complete, so appending is amortised O(1) per point and a level-``k`` entry is exact
    over its ``FACTOR**k`` points. NaN is skipped inside a block unless the whole block is NaN.

    The interface of level 0 is that of :class:`engine.history.GrowableArray` (``view``,
    ``extend``, ``clear``, ``len``), so the pyramid can stand wherever a plain buffer did.

    Parameters
    ----------
    method : {"peak", "mean"}
    width : int or None
        None for a 1-D series, else the number of columns (each column reduced separately).
    dtype : numpy dtype
        Of every level. The plots use float32, the precision the history keeps.
    """

    FACTOR = 4

    def __init__(self, method="peak", width=None, dtype=np.float64):
        if method not in ("peak", "mean"):
            raise ValueError(f"method must be 'peak' or 'mean'; received {method!r}")
        self.method = method
        self.width = width
        self.dtype = np.dtype(dtype)
        self._values = GrowableArray(self.dtype, width=width)
        # one list of arrays per level >= 1: [low, high] for "peak", [mean] for "mean"
        self._levels = []

    def __len__(self):
        return len(self._values)

    @property
    def view(self):
        """The full-detail series (no copy), shape (n,) or (n, width)."""
        return self._values.view

    @property
    def n_levels(self):
        """Levels above the full-detail series that hold at least one block."""
        return len(self._levels)

    def level(self, k):
        """Entries of level ``k`` (0: the series): ``[low, high]`` or ``[mean]`` views."""
        if k == 0:
            return [self.view] * (2 if self.method == "peak" else 1)
        return [array.view for array in self._levels[k - 1]]

    def clear(self):
        """Forget all points, keeping the allocations."""
        self._values.clear()
        for arrays in self._levels:
            for array in arrays:
                array.clear()

    def extend(self, values):
        """Append points (shape (m,) or (m, width)) and complete the blocks they fill."""
        self._values.extend(values)
        factor = self.FACTOR
        below = self.level(0)
        for k in range(1, 64):
            complete = len(below[0]) // factor
            if k > len(self._levels):
                if complete == 0:
                    return
                self._levels.append([GrowableArray(self.dtype, width=self.width)
                                     for _ in below])
            arrays = self._levels[k - 1]
            done = len(arrays[0])
            if complete == done:
                return
            span = slice(done * factor, complete * factor)
            shape = (complete - done, factor) + below[0].shape[1:]
            if self.method == "peak":
                arrays[0].extend(np.fmin.reduce(below[0][span].reshape(shape), axis=1))
                arrays[1].extend(np.fmax.reduce(below[1][span].reshape(shape), axis=1))
            else:
                arrays[0].extend(below[0][span].reshape(shape).mean(axis=1))
            below = [array.view for array in arrays]

    def display(self, x, start, stop, budget):
        """The points to draw for full-detail indices ``[start, stop)``.

        Picks the finest level with at most ``budget`` entries in that range and adds one entry
        on each side (so the line runs to the edges of the view). The newest points are drawn
        from finer levels down to full detail, so the curve ends exactly at the last point.

        Parameters
        ----------
        x : ndarray, shape (n,)
            The x coordinate of every full-detail point, increasing (a block is drawn at the x
            of its first point).
        start, stop : int
            The range of full-detail indices to show.
        budget : int
            Most entries wanted, about the plot's width in pixels; a "peak" entry is drawn as
            two points at its x (minimum then maximum, or the other way where the series falls).

        Returns
        -------
        xs : ndarray, shape (p,)
        ys : ndarray, shape (p,) or (p, width)
        """
        n = len(self)
        start, stop = max(0, start - 1), min(n, stop + 1)
        if stop <= start:
            return x[:0], self.view[:0]
        factor, budget = self.FACTOR, max(int(budget), 1)
        k = 0
        while k < len(self._levels) and (stop - start) > budget * factor ** k:
            k += 1
        if k == 0:
            return x[start:stop], self.view[start:stop]
        stop = min(n, stop + factor ** k)  # the next block too: it is drawn at its first x
        pieces = []  # (first full-detail index of each entry, the level's arrays sliced)
        position = start - start % factor ** k  # full-detail index where the next entry starts
        for level in range(k, -1, -1):
            if position >= stop:
                break
            block = factor ** level
            arrays = self.level(level)
            first = position // block
            last = min(len(arrays[0]), -(-stop // block))
            if level and last * block >= n:
                last -= 1  # the block holding the newest point: finer levels end at that point
            if last > first:
                pieces.append((np.arange(first, last) * block,
                               [array[first:last] for array in arrays]))
                position = last * block
        indices = np.concatenate([index for index, _ in pieces])
        columns = [np.concatenate([arrays[c] for _, arrays in pieces])
                   for c in range(len(pieces[0][1]))]
        if self.method == "mean":
            return x[indices], columns[0]
        low, high = columns
        # Each entry is two points at one x. Where the series falls (the entry before is above
        # the entry after), draw its maximum first: a clean step from one level to another is
        # then one vertical segment, not a zigzag through both levels.
        middle = (low.astype(np.float64) + high) / 2
        before = np.concatenate([middle[:1], middle[:-1]])
        after = np.concatenate([middle[1:], middle[-1:]])
        falling = before > after
        first, second = np.where(falling, high, low), np.where(falling, low, high)
        ys = np.stack([first, second], axis=1).reshape((-1,) + low.shape[1:])
        return np.repeat(x[indices], 2), ys


class DebiasedEMA:
    """TensorBoard's scalar smoothing: an exponential moving average divided by its bias.

    ``last = last * w + (1 - w) * y``; the value shown is ``last / (1 - w ** count)``, so the
    first points are not pulled towards zero. A non-finite input leaves ``last`` and ``count``
    alone, as in TensorBoard, and shows the previous smoothed value (TensorBoard shows the
    non-finite value itself, which would break the drawn line). Smoothing is incremental:
    :meth:`extend` only processes new points, in a fixed number of NumPy calls per 4,096.

    Parameters
    ----------
    weight : float
        Smoothing weight ``w`` in [0, 1).
    dtype : numpy dtype
        Of the stored output (the running state is a Python float whatever it is).
    """

    def __init__(self, weight=0.6, dtype=np.float64):
        self.weight = float(weight)
        # a smooth curve: the mean of each block is a faithful picture of it
        self.output = SeriesPyramid("mean", dtype=dtype)
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
        values = np.asarray(values, dtype=np.float64).reshape(-1)
        if len(values) == 0:
            return
        finite = np.isfinite(values)
        if finite.all():
            self.output.extend(self._smooth(values))
            return
        previous = self.output.view[-1] if len(self.output) else np.nan
        shown = np.empty(len(values))
        shown[finite] = self._smooth(values[finite])
        # each non-finite input shows the latest smoothed value before it
        latest = np.where(finite, np.arange(len(values)), -1)
        np.maximum.accumulate(latest, out=latest)
        shown = np.where(latest >= 0, shown[np.maximum(latest, 0)], previous)
        self.output.extend(shown)

    def _smooth(self, values):
        """The debiased averages after each of the finite ``values``; advances the state."""
        m, w = len(values), self.weight
        if m == 0:
            return values
        counts = self._count + np.arange(1, m + 1)
        self._count += m
        if w == 0.0:
            self._last = float(values[-1])
            return values.copy()
        # Within a block of B points, last_i = w**(i+1) * carry + (1 - w) * w**i *
        # cumsum(y / w**t)_i: one cumsum for all blocks at once. B keeps w**-t below 1e50;
        # the carries from block to block are a short loop of Python floats.
        block = max(1, min(4096, int(50 * math.log(10) / -math.log(w)), m))
        n_blocks = -(-m // block)
        padded = np.zeros(n_blocks * block)
        padded[:m] = values
        powers = w ** np.arange(block)
        local = np.cumsum(padded.reshape(n_blocks, block) / powers, axis=1)
        local *= (1 - w) * powers
        carries = np.empty(n_blocks)
        carry, decay = self._last, w ** block
        for index, end in enumerate(local[:, -1].tolist()):
            carries[index] = carry
            carry = decay * carry + end
        local += (w * powers) * carries[:, None]
        smoothed = local.reshape(-1)[:m]
        self._last = float(smoothed[-1])
        return smoothed / (1 - w ** counts)
