"""The live plots the window shows, one entry each.

The window reads :data:`PLOTS` to build the plots, lay them out, list them in View > Plots
and Save Image, give them their titles and tooltips in each language, redraw them on the
frame clock and feed them runs; a lesson names the plots it shows by their objectNames. A new
plot is a module with its widget (following :mod:`gui.plots.protocol`) and one
:func:`register` call or row here, plus its glossary entry (title and tooltip) and its
catalogue lines.
"""

from dataclasses import dataclass
from typing import Callable, Optional

from gui.plots.batch_loss import BatchLossControls, BatchLossPlot
from gui.plots.data import DataPlot, DataPlotControls
from gui.plots.epochs import accuracy_plot, epoch_loss_plot
from gui.plots.layer_norms import LayerNormsPlot
from gui.plots.learning_rate import LearningRatePlot
from gui.plots.loss_histogram import LossHistogramPlot
from gui.plots.noise_scale import NoiseScalePlot
from gui.plots.sharpness import SharpnessPlot

#: The rows of the plot area, top first. A row shows while one of its plots does: the
#: instruments' row only once one of them is asked for.
ROWS = ("top", "bottom", "instruments")
#: How often a plot is redrawn: "batch" up to 10 times a second while batches arrive,
#: "slow" 2.5 times a second (gui.plots.clock).
CADENCES = ("batch", "slow")


@dataclass(frozen=True)
class PlotEntry:
    """One live plot.

    name : its objectName (the GUI contract's, and what lessons and Save Image name).
    make : a callable returning the widget (a :class:`gui.plots.protocol.LivePlot`).
    term : its glossary entry: the title, the View > Plots entry and the tooltip.
    row, stretch : where it sits (a row of :data:`ROWS`, left to right in table order) and
        its share of the row's width.
    cadence : one of :data:`CADENCES`.
    compares : it draws kept and racing runs beside the current one (``show_run`` ...).
    always_shown : it stays when a lesson chooses its plots.
    controls : a callable ``controls(plot)`` returning a widget shown above the plot.
    shown : shown when the window opens (else hidden until View > Plots or a lesson shows it).
    instruments : the instruments (``engine.instruments.INSTRUMENTS``) it draws: the worker
        measures them while the plot is shown (gui.live_instruments).
    """

    name: str
    make: Callable
    term: str
    row: str
    stretch: int = 0
    cadence: str = "slow"
    compares: bool = False
    always_shown: bool = False
    controls: Optional[Callable] = None
    shown: bool = True
    instruments: tuple = ()

    def __post_init__(self):
        if self.row not in ROWS:
            raise ValueError(f"plot {self.name}: row {self.row!r} is not one of {ROWS}")
        if self.cadence not in CADENCES:
            raise ValueError(f"plot {self.name}: cadence {self.cadence!r} is not one of "
                             f"{CADENCES}")


PLOTS = [
    # the batch-loss plot always stays: its smoothing and log-scale controls would float in
    # an empty cell without it
    PlotEntry("batchLossPlot", BatchLossPlot, "batch_loss_plot", "top", 3, "batch",
              compares=True, always_shown=True, controls=BatchLossControls),
    PlotEntry("epochLossPlot", epoch_loss_plot, "epoch_loss_plot", "bottom", compares=True),
    PlotEntry("accuracyPlot", accuracy_plot, "accuracy_plot", "bottom", compares=True),
    PlotEntry("learningRatePlot", LearningRatePlot, "learning_rate_plot", "bottom",
              compares=True),
    PlotEntry("dataPlot", DataPlot, "data_plot", "top", 2, controls=DataPlotControls),
    # The instruments: hidden until asked for (View > Plots, a lesson), in a row of their own
    # below the others: four more plots in the two rows left the five a sliver each at
    # 1440 x 900 (88 px wide views) and ran past the window's edge at 1024 x 640; in their
    # row they take height, not width, and only while shown; hidden, they cost no measuring.
    PlotEntry("sharpnessPlot", SharpnessPlot, "sharpness_plot", "instruments",
              compares=True, shown=False, instruments=("sharpness",)),
    PlotEntry("noiseScalePlot", NoiseScalePlot, "noise_scale_plot", "instruments",
              compares=True, shown=False, instruments=("noise_scale",)),
    PlotEntry("lossHistogramPlot", LossHistogramPlot, "loss_histogram_plot", "instruments",
              compares=True, shown=False, instruments=("losses",)),
    PlotEntry("layerNormsPlot", LayerNormsPlot, "layer_norms_plot", "instruments",
              compares=True, shown=False, instruments=("norms",)),
]


def register(entry):
    """Add ``entry`` (a :class:`PlotEntry`) to the plots every new window shows."""
    if any(known.name == entry.name for known in PLOTS):
        raise ValueError(f"a plot named {entry.name!r} is registered already")
    PLOTS.append(entry)
    return entry


def entry(name):
    """The registered entry called ``name`` (KeyError naming the known ones if none)."""
    for known in PLOTS:
        if known.name == name:
            return known
    raise KeyError(f"no plot {name!r}; registered: {', '.join(e.name for e in PLOTS)}")


__all__ = ["CADENCES", "PLOTS", "PlotEntry", "ROWS", "entry", "register"]
