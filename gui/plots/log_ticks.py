"""Readable ticks on a log axis whose range is narrower than its tick marks.

pyqtgraph puts a log axis's ticks at 1-9 times the powers of ten, labelled with one
significant digit. The stability-limit lesson's curvature view spans 1.92-2.06 (λmax ≈ 2.0
between the limits 2/η of its two rates): one tick fell inside, labelled "2", and nothing
told 1.92 from 2.06. On such a range the ticks are evenly spaced round values instead
(1.95, 2, 2.05), labelled with the digits that tell them apart; wider ranges keep
pyqtgraph's ticks.
"""

import math

import numpy as np

#: Fewer ticks than this inside the range: round values take their place.
MIN_TICKS = 3


def fine_log_ticks(axis):
    """Let the log-mode ``axis`` (a pyqtgraph AxisItem) place round values as ticks when its
    own ticks would leave fewer than :data:`MIN_TICKS` in view."""
    default_values = axis.logTickValues
    default_strings = axis.logTickStrings
    fine = {"on": False}

    def values(min_val, max_val, size, std_ticks):
        ticks = default_values(min_val, max_val, size, std_ticks)
        inside = sum(1 for _, level in ticks for value in level if min_val <= value <= max_val)
        fine["on"] = inside < MIN_TICKS and max_val - min_val < 1
        if not fine["on"]:
            return ticks
        return [(None, list(np.log10(round_values(10.0 ** min_val, 10.0 ** max_val))))]

    def strings(tick_values, scale, spacing):
        if not fine["on"]:
            return default_strings(tick_values, scale, spacing)
        return distinct_strings(10.0 ** np.asarray(tick_values, dtype=float) * scale)

    axis.logTickValues = values
    axis.logTickStrings = strings


def round_values(low, high, count=4):
    """Evenly spaced round values (steps of 1, 2 or 5 times a power of ten) inside
    ``[low, high]``, about ``count`` of them (at least two for any positive range)."""
    if not (0 < low < high and math.isfinite(high)):
        return np.empty(0)
    raw = (high - low) / count
    magnitude = 10.0 ** math.floor(math.log10(raw))
    for factor in (5, 2, 1):  # the widest step still giving about ``count`` values
        step = factor * magnitude
        if (high - low) / step >= count - 1:
            break
    first = math.ceil(low / step) * step
    values = first + step * np.arange(int((high - first) / step) + 1)
    return values[(values > 0) & (values <= high)]


def distinct_strings(values):
    """``values`` written with the fewest significant digits (up to 6) that tell them apart
    and round to themselves within a thousandth of their spacing."""
    values = np.asarray(values, dtype=float)
    spacing = np.min(np.diff(values)) if len(values) > 1 else abs(values[0]) if len(
        values) else 1.0
    for digits in range(1, 7):
        texts = [f"{value:.{digits}g}" for value in values]
        if len(set(texts)) == len(texts) and all(
                abs(float(text) - value) <= 1e-3 * spacing for text, value in zip(texts, values)):
            return texts
    return [f"{value:.6g}" for value in values]


__all__ = ["MIN_TICKS", "distinct_strings", "fine_log_ticks", "round_values"]
