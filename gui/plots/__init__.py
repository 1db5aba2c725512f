"""The live plots, one module each, and the registry the window builds them from.

- :mod:`gui.plots.protocol`: what a live plot is to the window (binds to the session's events,
  redraws on the frame clock);
- :mod:`gui.plots.registry`: the plots the window shows (name, glossary term, place, cadence);
- :mod:`gui.plots.clock`: the frame clock (batch plots up to 10 Hz, the others 2.5 Hz);
- :mod:`gui.plots.overlay`: other runs (kept, racing) drawn over a plot, and the per-step plot;
- :mod:`gui.plots.drawer`: the drawer that puts each run on the plots that compare runs;
- the plots: :mod:`~gui.plots.batch_loss`, :mod:`~gui.plots.epochs`,
  :mod:`~gui.plots.learning_rate`, :mod:`~gui.plots.data`, and the instruments'
  :mod:`~gui.plots.sharpness`, :mod:`~gui.plots.noise_scale`,
  :mod:`~gui.plots.loss_histogram`, :mod:`~gui.plots.layer_norms` (on
  :mod:`~gui.plots.instrument_plot`);
- their parts: :mod:`~gui.plots.style`, :mod:`~gui.plots.view` (range following, hover),
  :mod:`~gui.plots.legend`, :mod:`~gui.plots.curves`.

Every plot keeps its series in growable NumPy buffers and reuses one curve item per series
(``setData``, never ``clear``). Taking data only marks a plot dirty; the frame clock calls
``redraw``, so the GUI thread takes little time (and GIL) from the trainer. The per-step
series are :class:`gui.buffers.SeriesPyramid` s: a redraw hands pyqtgraph about one entry per
pixel of the visible range, whatever the length of the run.
"""

from gui.plots.batch_loss import BatchLossControls, BatchLossPlot
from gui.plots.curves import LiveCurve, RunCurve, finite_extent
from gui.plots.data import DataPlot
from gui.plots.epochs import EpochPlot, accuracy_plot, epoch_loss_plot
from gui.plots.learning_rate import LearningRatePlot
from gui.plots.overlay import RunOverlay, StepPlot
from gui.plots.protocol import LivePlot
from gui.plots.style import (MAX_DRAWN_POINTS, cache_painting, class_color, faded, run_color,
                             style_plot)
from gui.plots.view import HoverReadout, RangeFollower

__all__ = ["BatchLossControls", "BatchLossPlot", "DataPlot", "EpochPlot", "HoverReadout",
           "LearningRatePlot", "LiveCurve", "LivePlot", "MAX_DRAWN_POINTS", "RangeFollower",
           "RunCurve", "RunOverlay", "StepPlot", "accuracy_plot", "cache_painting",
           "class_color", "epoch_loss_plot", "faded", "finite_extent", "run_color",
           "style_plot"]
