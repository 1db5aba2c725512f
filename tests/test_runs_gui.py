"""The window's plots and run table follow the session's one collection of runs: a racing run
is drawn and then kept in place, a set-aside run leaves the plots and the table, and Clear
Kept Runs takes the curves off (through objectNames and the plots' public runs)."""

import numpy as np
import pytest
from PySide6 import QtGui, QtWidgets

from engine import TrainingConfig
from gui.model.labels import Label
from gui.session import EPOCH_COLUMNS, STEP_COLUMNS, KeptRun

pytestmark = pytest.mark.gui
COMPARING = ("batchLossPlot", "epochLossPlot", "accuracyPlot", "learningRatePlot")


def kept_run(batch_size, steps=50):
    columns = {name: np.arange(1.0, steps + 1) for name in STEP_COLUMNS}
    columns["batch_loss"] = 1.0 / columns["step"]
    epochs = {name: np.linspace(0.9, 0.5, 5) for name in EPOCH_COLUMNS}
    return KeptRun(0, TrainingConfig(batch_size=batch_size), columns, epochs, "finished", 1.0,
                   float(steps))


def test_racing_kept_set_aside_and_cleared_runs_on_the_plots_and_in_the_run_table(
        window, qtbot):
    session = window.session
    plots = [window.findChild(QtWidgets.QWidget, name) for name in COMPARING]
    table = window.findChild(QtWidgets.QTableWidget, "runTable")
    assert all(plots) and table is not None
    first, second = session.add_kept_runs([kept_run(8), kept_run(16)])
    assert all({first.key, second.key} <= set(plot.runs) for plot in plots)
    assert {first.key, second.key} <= set(table.keys())

    # a racing run: drawn on the race tick, no row until it is kept
    racing = session.add_racing(Label((("batch_size", (32,)),)), (23, 190, 207),
                                TrainingConfig(batch_size=32))
    step = np.arange(1.0, 21.0)
    racing.extend({"step": step, "epoch": np.ones(20), "samples": 32 * step,
                   "seconds": step / 100, "batch_loss": 2.0 / step,
                   "learning_rate": np.full(20, 0.1)},
                   {name: np.array([0.8]) for name in EPOCH_COLUMNS})
    session.runs.grow([racing])
    qtbot.waitUntil(lambda: all(racing.key in plot.runs for plot in plots), timeout=5000)
    assert racing.key not in table.keys()
    batch_plot = plots[0]
    curve = batch_plot.runs[racing.key].items[0]
    assert len(batch_plot.runs[racing.key].data["values"]) == 20
    record = kept_run(32, steps=30)
    session.keep_racing([(racing, record)])
    # the same key, its curve kept, now with the kept run's columns and a row
    assert batch_plot.runs[racing.key].items[0] is curve
    assert len(batch_plot.runs[racing.key].data["values"]) == 30
    assert racing.key in table.keys() and record in session.kept

    # set aside: off the plots and out of the table; brought back: on both again
    session.set_aside([first.key])
    assert not any(first.key in plot.runs for plot in plots)
    assert first.key not in table.keys()
    session.set_aside([first.key], aside=False)
    assert all(first.key in plot.runs for plot in plots) and first.key in table.keys()

    # Clear Kept Runs: every kept curve off every plot, no kept row left
    legend_before = len(batch_plot.getPlotItem().legend.items)
    window.findChild(QtGui.QAction, "clearKeptAction").trigger()
    assert session.kept == [] and not any(plot.runs for plot in plots)
    assert set(table.keys()) <= {"current"}
    assert len(batch_plot.getPlotItem().legend.items) < legend_before
