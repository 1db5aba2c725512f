"""Per-step series for the live plots: a level-of-detail pyramid and TensorBoard smoothing.

A run at batch size 1 adds tens of thousands of points a second. Handing all of them to
pyqtgraph on every redraw makes each redraw cost more the longer the run goes (after a minute,
the app trained at half its headless speed, the GUI thread rescanning a million points 20 times
a second). :class:`SeriesPyramid` keeps each series at every level of detail as points arrive,
so a redraw reads only about as many points as the plot has pixels.

A kept run's series are frozen, and a big one (10M steps) takes seconds to prepare for drawing:
the ``kept_*`` functions at the end compute each of them once per array, on any thread, and
share the result (:func:`prepare_kept` is what an Open Run does on the worker, so the window
only looks them up).
"""

import functools
import math
import threading
import weakref

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

    @property
    def nbytes(self):
        """Bytes held by the series and its levels, spare capacity included (what a plot
        holds per step: tests/test_gui_plots.py)."""
        return self._values.nbytes + sum(array.nbytes for arrays in self._levels
                                         for array in arrays)

    def level(self, k):
        """Entries of level ``k`` (0: the series): ``[low, high]`` or ``[mean]`` views."""
        if k == 0:
            return [self.view] * (2 if self.method == "peak" else 1)
        return [array.view for array in self._levels[k - 1]]

    @classmethod
    def of(cls, values, method="peak"):
        """A pyramid over the 1-D array ``values`` (its dtype), read without a copy: level 0
        is ``values`` itself, and :meth:`clear` lets go of it rather than write into it."""
        pyramid = cls(method, dtype=values.dtype)
        pyramid._values = GrowableArray.holding(values)
        pyramid._borrowed = True
        pyramid.extend(values[:0])  # the levels above
        return pyramid

    def clear(self):
        """Forget all points, keeping the allocations (not a borrowed series': see :meth:`of`)."""
        if getattr(self, "_borrowed", False):
            self._values, self._borrowed = GrowableArray(self.dtype, width=self.width), False
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
        self._shown = np.nan  # the latest value shown

    def reset(self, weight=None):
        """Forget all points; optionally change the weight."""
        if weight is not None:
            self.weight = float(weight)
        self.output.clear()
        self._last = 0.0
        self._count = 0
        self._shown = np.nan

    def extend(self, values):
        """Smooth ``values`` (shape (m,)) after the points already seen and append the result."""
        self.output.extend(self.smoothed(values))

    def smoothed(self, values):
        """The smoothed values of ``values`` (shape (m,)) after the points already seen,
        advancing the state but not appended to :attr:`output` (float64, shape (m,))."""
        values = np.asarray(values, dtype=np.float64).reshape(-1)
        if len(values) == 0:
            return values
        finite = np.isfinite(values)
        if finite.all():
            shown = self._smooth(values)
        else:
            shown = np.empty(len(values))
            shown[finite] = self._smooth(values[finite])
            # each non-finite input shows the latest smoothed value before it
            latest = np.where(finite, np.arange(len(values)), -1)
            np.maximum.accumulate(latest, out=latest)
            shown = np.where(latest >= 0, shown[np.maximum(latest, 0)], self._shown)
        self._shown = shown[-1]
        return shown

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


X_MODES = ("step", "epoch", "samples", "seconds")


class StepAxis:
    """The x coordinates of one run's steps in each x mode of the per-step plots.

    Batch sizes are compared fairly only against epochs or samples seen, and speed against
    seconds, so a per-step plot can put any of them on its x axis (``X_MODES``). ``samples``
    and ``seconds`` come from the chunks when the trainer sends them (None otherwise: that
    mode is then unavailable). The epoch mode is fractional: a step's x is the epochs
    completed after it, from the share of its epoch's samples (or steps) done. The epoch
    under way is measured against the length of the one before it (or ``epoch_length``, a
    step count, while there is none), so its x grows towards the next whole number.
    """

    def __init__(self):
        self.step = GrowableArray(np.int64)
        self.samples = None
        self.seconds = None
        self.starts = GrowableArray(np.int64)  # index of each epoch's first step
        self.first_epoch = 1
        self.epoch_length = 0
        self._last_epoch = None
        self._completed_x = GrowableArray(np.float64)  # epoch x of the completed epochs
        self._frozen = False  # a whole run's axis (see of)
        self._frozen_epoch_x = None

    @classmethod
    def of(cls, step, epoch, samples=None, seconds=None):
        """The axis of a whole run's steps (as :meth:`extend` would make it), holding the
        columns without a copy where they have its dtypes (``step`` int64, ``samples`` and
        ``seconds`` float64); do not :meth:`extend` it (its columns are borrowed)."""
        axis = cls()
        axis._frozen = True
        step, epoch = np.asarray(step), np.asarray(epoch)
        if not len(step):
            return axis
        axis.first_epoch = int(epoch[0])
        axis.starts = GrowableArray.holding(np.concatenate(
            [[0], 1 + np.flatnonzero(epoch[1:] != epoch[:-1])]).astype(np.int64))
        axis._last_epoch = epoch[-1]
        axis.step = GrowableArray.holding(np.asarray(step, dtype=np.int64))
        for name, values in (("samples", samples), ("seconds", seconds)):
            if values is not None and len(values) == len(step):
                setattr(axis, name, GrowableArray.holding(np.asarray(values, np.float64)))
        return axis

    def __len__(self):
        return len(self.step)

    def clear(self):
        """Forget every step (a whole run's axis lets go of its borrowed columns instead of
        writing into them later)."""
        if self._frozen:
            self.__init__()
            return
        self.step.clear()
        self.starts.clear()
        self._completed_x.clear()
        self.samples = self.seconds = None
        self._last_epoch = None

    def extend(self, step, epoch, samples=None, seconds=None):
        """Append steps with their epoch numbers and, optionally, samples and seconds."""
        step, epoch = np.asarray(step), np.asarray(epoch)
        if len(step) == 0:
            return
        before = len(self.step)
        if before == 0:
            self.first_epoch = int(epoch[0])
            if samples is not None:
                self.samples = GrowableArray(np.float64)
            if seconds is not None:
                self.seconds = GrowableArray(np.float64)
        previous = self._last_epoch if self._last_epoch is not None else epoch[0]
        if self._last_epoch is None:
            self.starts.append(before)
        self.starts.extend(before + np.flatnonzero(np.diff(epoch, prepend=previous) != 0))
        self._last_epoch = epoch[-1]
        self.step.extend(step)
        for name, values in (("samples", samples), ("seconds", seconds)):
            buffer = getattr(self, name)
            if buffer is not None and values is not None and len(buffer) == before:
                buffer.extend(values)
            else:
                setattr(self, name, None)  # a chunk without them: the mode is off for this run

    def has(self, mode):
        """Whether this run has x coordinates for ``mode``."""
        if mode not in X_MODES:
            raise ValueError(f"x mode must be one of {', '.join(X_MODES)}; received {mode!r}")
        return getattr(self, mode) is not None if mode in ("samples", "seconds") else True

    def x(self, mode):
        """The x of every step in ``mode`` (a view or a fresh array), or None if unavailable."""
        if not self.has(mode):
            return None
        if mode == "step":
            return self.step.view
        if mode != "epoch":
            return getattr(self, mode).view
        if self._frozen:  # a whole run's (see of): its epoch x never changes, made once
            if self._frozen_epoch_x is None:
                self._frozen_epoch_x = self._epoch_x()
            return self._frozen_epoch_x
        return self._epoch_x()

    def _progress(self):
        """Per step, the amount of its epoch done: samples seen if known, else steps."""
        return self.samples.view if self.samples is not None else np.arange(
            1, len(self.step) + 1, dtype=np.float64)

    def _epoch_x(self):
        n, starts = len(self.step), self.starts.view
        if n == 0:
            return np.empty(0)
        progress = self._progress()
        done = len(self._completed_x)
        completed = len(starts) - 1
        # epochs whose end is known (a later one began) get their x once
        if done < starts[completed]:
            # every newly completed epoch at once (a loop over 10,000 epochs of a 10M-step
            # run took seconds of the GUI thread when its x mode was switched to epochs)
            first_epoch = int(np.searchsorted(starts, done, side="right")) - 1
            index = np.arange(first_epoch, completed)
            a, b = starts[index], starts[index + 1]
            base = np.where(a > 0, progress[np.maximum(a - 1, 0)], 0.0)
            span = np.maximum(progress[b - 1] - base, 1e-300)
            lengths = b - a  # each epoch's values spread over its steps (no index arrays)
            x = progress[a[0]:b[-1]] - np.repeat(base, lengths)
            x /= np.repeat(span, lengths)
            x += np.repeat((self.first_epoch - 1 + index).astype(np.float64), lengths)
            self._completed_x.extend(x)
        a = starts[completed] if len(starts) else 0
        base = progress[a - 1] if a > 0 else 0.0
        if completed > 0:
            before = starts[completed - 1]
            length = progress[a - 1] - (progress[before - 1] if before > 0 else 0.0)
        elif self.epoch_length:  # steps; in samples, at the first step's batch size
            length = self.epoch_length * (progress[0] if self.samples is not None else 1.0)
        else:
            length = progress[n - 1] - base
        live = self.first_epoch - 1 + completed + np.minimum(
            (progress[a:n] - base) / max(length, 1e-300), 1.0)
        return np.concatenate([self._completed_x.view, live])


# -- kept runs: frozen series, prepared once and shared ---------------------------------------

#: Points smoothed at a time for a kept run (bounds the smoothing's scratch memory: about
#: 40 bytes a point).
SMOOTH_BLOCK = 1 << 20

# re-entrant: a weak reference's callback (_forget) may run inside a locked block when a
# collection frees an array there
_lock = threading.RLock()
_derived = {}  # id(array) -> (weak reference to the array, {name: value})


def derived(array, name, make):
    """``make(array)``, computed once per array object and shared while ``array`` lives.

    For the arrays of a kept run, which never change: the plots that show a run ask for the
    same things (its x axis, its pyramid, its extent), and an Open Run asks first, on the
    worker (:func:`prepare_kept`), so the window finds them made. Thread-safe; ``make`` runs
    outside the lock (two threads asking at once may both compute; one result is kept).
    """
    key = id(array)
    with _lock:
        entry = _derived.get(key)
        if entry is not None and entry[0]() is array and name in entry[1]:
            return entry[1][name]
    value = make(array)
    with _lock:
        entry = _derived.get(key)
        if entry is None or entry[0]() is not array:
            entry = _derived[key] = (weakref.ref(array, functools.partial(_forget, key)), {})
        return entry[1].setdefault(name, value)


def _forget(key, ref, lock=_lock, table=_derived):
    # the lock and table bound here: at interpreter exit the module's globals may be gone
    with lock:
        if key in table and table[key][0] is ref:
            del table[key]


def kept_float32(values):
    """A kept run's per-step series as the plots keep it (float32, what the history keeps):
    ``values`` itself when it is float32 already."""
    values = np.asarray(values)
    if values.dtype == np.float32:
        return values
    return derived(values, "float32", lambda v: v.astype(np.float32))


def kept_axis(step, epoch, samples=None, seconds=None):
    """A kept run's :class:`StepAxis` (shared by every plot that shows it; keyed by its
    ``step`` array), holding its columns without copies where their dtypes allow."""
    def make(step):
        return StepAxis.of(step, epoch, samples, seconds)
    return derived(np.asarray(step), "axis", make)


def kept_peaks(values):
    """The "peak" :class:`SeriesPyramid` of a kept run's float32 series ``values``."""
    return derived(values, "peaks", lambda v: SeriesPyramid.of(v, "peak"))


def kept_smoothed(values, weight):
    """The "mean" pyramid of the TensorBoard smoothing (``weight``) of a kept run's float32
    series ``values``, float32. Only the latest weight is kept per series: a smoothing
    slider would otherwise keep one per position it passed."""
    weight = float(weight)
    made = derived(values, "smoothed", lambda v: [weight, _smoothed_pyramid(v, weight)])
    with _lock:
        if made[0] == weight:
            return made[1]
    pyramid = _smoothed_pyramid(values, weight)
    with _lock:
        made[:] = [weight, pyramid]
    return pyramid


def _smoothed_pyramid(values, weight):
    ema = DebiasedEMA(weight)
    smoothed = np.empty(len(values), dtype=np.float32)
    for start in range(0, len(values), SMOOTH_BLOCK):
        block = values[start:start + SMOOTH_BLOCK]
        smoothed[start:start + len(block)] = ema.smoothed(block)
    return SeriesPyramid.of(smoothed, "mean")


def kept_extent(values):
    """(min, max, smallest positive) of the finite values of a kept run's series (inf,
    -inf, inf if none), without copying it."""
    def make(values):
        finite = np.isfinite(values)
        low = float(np.min(values, where=finite, initial=np.inf))
        high = float(np.max(values, where=finite, initial=-np.inf))
        positive = float(np.min(values, where=finite & (values > 0), initial=np.inf))
        return low, high, positive
    return derived(values, "extent", make)


def prepare_kept(steps, smoothing):
    """Make everything the plots draw a kept run from (:func:`kept_axis` with its epoch x,
    float32 series, pyramids, extents) from its per-step columns ``steps`` (``gui.session.STEP_COLUMNS``),
    the batch loss smoothed at ``smoothing``: what an Open Run does on the worker."""
    axis = kept_axis(steps["step"], steps["epoch"], steps.get("samples"), steps.get("seconds"))
    axis.x("epoch")  # the plots ask for it at once, to judge how long the run is in epochs
    loss = kept_float32(steps["batch_loss"])
    kept_smoothed(loss, smoothing)
    kept_extent(loss)
    rate = kept_float32(steps["learning_rate"])
    kept_peaks(rate)
    kept_extent(rate)
