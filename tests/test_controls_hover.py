"""Hover readouts on the per-step and per-epoch plots (issue 23): a crosshair that snaps to
the curve point nearest the mouse, and a box saying which run and series, the step or epoch,
and the value; mouse moves are coalesced (a burst of them is one readout), and leaving the
plot hides it."""

import numpy as np
import pytest
from PySide6 import QtCore, QtWidgets

from gui.plots.hover import MAX_RATE_HZ
from tests.conftest import wait_until

pytestmark = pytest.mark.gui

WAIT_MS = 3 * 1000 // MAX_RATE_HZ + 50


def run_to_end(window):
    assert window.reset(quiet=True)
    window.start_pause()
    wait_until(lambda: window.state == "ended", 30000)


@pytest.fixture(scope="module")
def two_runs(shared_window):
    """A kept run (lr 0.3) and the current run (lr 0.03), 4 epochs each, drawn: one window
    for the module's tests, which read it (one that changes a setting puts it back)."""
    window = shared_window
    window.panel.set_value("epochs", 4)
    run_to_end(window)
    window.keep_run()
    window.panel.set_value("learning_rate", 0.03)
    run_to_end(window)
    window.redraw_now()
    window.redraw_now()
    return window


def move(qtbot, plot, x, y):
    """The mouse to data point (x, y) of ``plot``; wait for the readout."""
    view = plot.getPlotItem().vb
    before = plot.hover.updates
    plot.scene().sigMouseMoved.emit(view.mapViewToScene(QtCore.QPointF(x, y)))
    qtbot.waitUntil(lambda: plot.hover.updates > before, timeout=WAIT_MS)


def test_the_epoch_plot_names_the_kept_runs_point_under_the_mouse(two_runs, qtbot):
    window = two_runs
    kept = window.session.kept[0]
    plot = window.plots["epochLossPlot"]
    value = float(kept.epochs["val_loss"][1])
    move(qtbot, plot, 2.0, value)
    run, series, x, y = plot.hover.point
    assert (series, x) == ("validation", 2.0) and y == pytest.approx(value)
    assert run == str(kept.label)
    text = plot.hover.text_item.toPlainText()
    assert text == f"{kept.label} · validation\nepoch 2\nloss {value:.5g}"
    assert plot.hover.text_item.isVisible()
    vertical, horizontal = plot.hover.lines
    assert vertical.isVisible() and vertical.value() == 2.0
    assert horizontal.value() == pytest.approx(value)
    # the current run's training loss at epoch 3
    current = float(plot.train.view[2])
    move(qtbot, plot, 3.0, current)
    assert plot.hover.point[:3] == (None, "train", 3.0)
    assert plot.hover.text_item.toPlainText().startswith("this run · train\nepoch 3\n")


@pytest.mark.parametrize("name, column", [("batchLossPlot", "batch_loss"),
                                          ("learningRatePlot", "learning_rate")])
def test_the_step_plots_read_out_the_nearest_step(two_runs, qtbot, name, column):
    window = two_runs
    # a kept run's batch loss is drawn smoothed: weight 0 draws the values themselves
    smoothing = window.findChild(QtWidgets.QSlider, "smoothingSlider")
    weight = smoothing.value()
    smoothing.setValue(0)
    try:
        window.redraw_now()
        plot = window.plots[name]
        kept = window.session.kept[0]
        step = 40
        index = int(np.flatnonzero(kept.steps["step"] == step)[0])
        value = float(kept.steps[column][index])
        move(qtbot, plot, step + 0.3, value)
        run, _series, x, y = plot.hover.point
        assert run == str(kept.label) and x == step and y == pytest.approx(value, rel=1e-6)
        assert f"\nstep {step}\n" in plot.hover.text_item.toPlainText()
    finally:
        smoothing.setValue(weight)
        window.redraw_now()


def test_a_burst_of_mouse_moves_is_one_readout_and_leaving_hides_it(two_runs, qtbot):
    plot = two_runs.plots["accuracyPlot"]
    view = plot.getPlotItem().vb
    before = plot.hover.updates
    for fraction in np.linspace(0.2, 0.8, 200):
        x = 1 + 3 * fraction
        plot.scene().sigMouseMoved.emit(view.mapViewToScene(QtCore.QPointF(x, 0.5)))
    qtbot.waitUntil(lambda: plot.hover.updates > before, timeout=WAIT_MS)
    qtbot.wait(WAIT_MS)
    assert plot.hover.updates - before == 1  # 200 moves, one readout: the last position's
    assert plot.hover.point[2] == 3.0  # the epoch nearest x = 3.4
    QtWidgets.QApplication.sendEvent(plot.viewport(), QtCore.QEvent(QtCore.QEvent.Leave))
    assert not plot.hover.text_item.isVisible() and plot.hover.point is None
    assert not any(line.isVisible() for line in plot.hover.lines)


def test_the_readout_speaks_korean(two_runs, qtbot):
    window = two_runs
    window.set_language("ko")
    try:
        plot = window.plots["epochLossPlot"]
        move(qtbot, plot, 1.0, float(plot.train.view[0]))
        assert plot.hover.text_item.toPlainText().startswith("이번 실행 · 학습\n에포크 1\n")
    finally:
        window.set_language("en")
