"""Ranges that are fair to the runs a view compares: one run must not squash the others.

Two runs spoiled a lesson's plots (issue 22): the batch-size lesson's 150-epoch "equal
steps" run made the x axis fifteen times the other runs' length, so they sat in its first
fifteenth; and a diverged run's blow-up (loss 20 where the others end near 0.3) made every
other curve a flat line at the bottom. A view fits the runs that are typical of what it
compares; a run far longer continues past the right edge (its end label says how far), and a
diverged run's blow-up leaves through the top (where its divergence is marked).
"""

import bisect

import numpy as np

from engine.callbacks import LossWatch

#: A run ending more than this many times further along x than the median of the other runs
#: is "long": the view fits the others and it continues past the right edge.
LONG_FACTOR = 3.0
#: A run is judged long only beside at least this many others: two runs are a comparison of
#: their own (the learning-rate lesson's 6,000 steps at 0.05 against 600 at 0.5 end at the
#: same loss, which only the whole of both shows), not a typical group and an outlier.
MIN_OTHERS = 2


def fair_end(runs, planned=np.nan):
    """Where the x axis of a view comparing runs ends, as far as the compared runs go.

    ``runs`` are ``(length, end)`` pairs of the compared (kept) runs: ``length`` in epochs,
    ``end`` where the run ends on the view's x axis; ``planned`` is the current run's planned
    length in epochs (NaN: none, or training until stopped). A run whose length is more than
    :data:`LONG_FACTOR` times the median of the other lengths (the planned one among them,
    at least :data:`MIN_OTHERS` of them) is left out: it goes on past the right edge. Lengths are compared in epochs whatever the
    x axis shows, so batch 8 beside batch 64 (eight times the steps, equal epochs) is not
    "long" on a step axis. NaN if no run is left.
    """
    runs = [(float(length), float(end)) for length, end in runs
            if np.isfinite(length) and np.isfinite(end)]
    reference = [float(planned)] if np.isfinite(planned) and planned > 0 else []
    # every length sorted once; each run's "others" are these less one of its own length
    # (a NumPy median per run made this quadratic in NumPy calls: 1 ms a call with a
    # sweep's 60 runs, on the GUI thread at each run kept)
    ordered = sorted([length for length, _ in runs] + reference)
    chosen = []
    for length, end in runs:
        if len(ordered) - 1 < MIN_OTHERS or length <= LONG_FACTOR * _median_without(
                ordered, length):
            chosen.append(end)
    return max(chosen) if chosen else np.nan


def _median_without(ordered, value):
    """The median of the sorted list ``ordered`` with one occurrence of ``value`` left out
    (as ``np.median``: the mean of the two middle values of an even count)."""
    index = bisect.bisect_left(ordered, value)
    rest = ordered[:index] + ordered[index + 1:]
    middle = len(rest) // 2
    return rest[middle] if len(rest) % 2 else (rest[middle - 1] + rest[middle]) / 2


def diverged_from(values):
    """The index where a loss series' blow-up begins, or None if it did not blow up.

    A series blew up when it ends above :attr:`engine.callbacks.LossWatch.START_FACTOR`
    times its first value, or at a non-finite value: the engine calls a run diverged only
    once its loss is clearly worse than the untrained network's. The blow-up starts after
    the last point at or below that level. A series that starts at or below zero (cosine
    similarity) has no such level: None.
    """
    values = np.asarray(values)
    if not len(values):
        return None
    first = values[0]
    if not np.isfinite(first):  # the common case costs no pass over a long series
        finite = np.flatnonzero(np.isfinite(values))
        if not len(finite):
            return None
        first = values[finite[0]]
    if first <= 0:
        return None
    level = LossWatch.START_FACTOR * first
    if np.isfinite(values[-1]) and values[-1] <= level:
        return None
    tame = np.flatnonzero(values <= level)
    return int(tame[-1]) + 1 if len(tame) else 0


def tame_part(values):
    """``values`` without a blow-up (:func:`diverged_from`): what a loss view's range fits."""
    start = diverged_from(values)
    return np.asarray(values) if start is None else np.asarray(values)[:start]


__all__ = ["LONG_FACTOR", "MIN_OTHERS", "diverged_from", "fair_end", "tame_part"]
