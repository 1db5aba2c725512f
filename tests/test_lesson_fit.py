"""Every lesson readable at the minimum window size (issue 22): each shown plot keeps a data
area a learner can read, the runs are named where their curves end, the lesson's result
chart has room for its labels."""

import itertools

import numpy as np

import pytest

from PySide6 import QtCore

from tests import layout_audit
from tests.test_lesson_views import assert_apart_and_inside

pytestmark = pytest.mark.gui

#: The least data area (view box height, px) a shown plot keeps at the minimum window size
#: (measured: 109 px where the essential legend entries take two lines, 124 px elsewhere;
#: 20-60 px before).
MIN_DATA_HEIGHT = 105
#: The steps run per lesson: the first of each, and enough batch-size runs to fill legends.
STEPS = {"batch_size": ("batch_32", "batch_512", "batch_full", "linear_full_low_base")}


def _run_step(window, qtbot, key):
    panel = window.lesson_panel
    panel.step_buttons[key].click()
    window.pace_combo.setCurrentIndex(window.pace_combo.count() - 1)  # a lesson sets its pace
    qtbot.waitUntil(lambda: panel.running_step is None, timeout=60000)


def _data_heights(window):
    """The view box height of every shown plot, by objectName."""
    window.redraw_now()
    layout_audit.settle(window)
    return {name: plot.getPlotItem().vb.sceneBoundingRect().height()
            for name, plot in window.plots.items() if plot.isVisible()}


def test_every_lesson_keeps_its_plots_readable_at_the_minimum_size(make_window, qtbot):
    """At 1024 x 640 the batch-size lesson's three rows (batch loss; epoch loss and accuracy;
    layer norms, its legend listing every run) left each plot 20-60 px of data area. Now
    the instruments' views join another row when the height is short and legends fold the
    runs their end labels name: every shown plot of every lesson keeps MIN_DATA_HEIGHT."""
    from gui.main_window import MINIMUM_SIZE
    window = make_window()
    window.resize(*MINIMUM_SIZE)
    layout_audit.settle(window)
    short = {}
    for lesson in window.lesson_panel.lessons:
        window.lesson_actions[lesson.key].trigger()
        for step in STEPS.get(lesson.key, (lesson.steps[0].key,)):
            _run_step(window, qtbot, step)
        heights = _data_heights(window)
        assert set(lesson.plots) & set(heights), lesson.key  # its views are shown
        short.update((f"{lesson.key}: {name}", round(height))
                     for name, height in heights.items() if height < MIN_DATA_HEIGHT)
    assert not short, short


def _shown_end_labels(plot):
    return plot.end_labels.labels()


#: The batch-size lesson's endings on the accuracy plot: most runs end at 0.96-0.98.
_ACCURACY_ENDS = {"Batch 32": 0.978, "Batch 512": 0.962, "Batch 512, equal steps → 150 epochs":
                  0.965, "Full batch (1438)": 0.93, "Batch 256, scaled rate": 0.97,
                  "Full batch, scaled from 0.04": 0.968, "Full batch, LARS": 0.975,
                  "Full batch, adam": 0.972}


@pytest.mark.parametrize("size", [(450, 260), (330, 215)])
def test_accuracy_end_labels_near_one_stay_apart_inside_the_view(qtbot, size):
    """Eight runs ending at 0.93-0.98 accuracy (the batch-size lesson at 1440 x 900 and at
    the minimum size): their labels piled at the top edge; each label shown lies inside the
    view and apart from the others."""
    from gui.plots import accuracy_plot
    plot = accuracy_plot()
    qtbot.addWidget(plot)
    plot.resize(*size)
    plot.show()
    qtbot.waitExposed(plot)
    epochs = np.arange(1, 11)
    for key, (name, end) in enumerate(_ACCURACY_ENDS.items()):
        values = end - (end - 0.1) * np.exp(-epochs / (2.0 + 0.3 * key))
        plot.add_run(key, name, (30 * key, 100 + 10 * key, 200 - 20 * key))
        plot.list_run(key)
        plot.set_run_data(key, values, values - 0.01)
    plot.redraw()
    plot.repaint()
    QtCore.QCoreApplication.processEvents()
    assert_apart_and_inside(plot, _shown_end_labels(plot))
    if size[1] >= 260:  # room for every name (runs ending together share a label)
        assert set(plot.end_labels.texts()) == set(range(len(_ACCURACY_ENDS)))


def _instrument_table(name, key):
    """A kept run's measurements for instrument view ``name`` (InstrumentTable.rows form)."""
    from engine.instruments import LOSS_BIN_EDGES
    steps = np.arange(0, 60, 10)
    table = {"step": steps, "epoch": steps // 10 + 1}
    if name == "sharpnessPlot":
        table["sharpness"] = 1.0 + 0.5 * key + 0.01 * steps
        table["stability_limit"] = np.full(len(steps), 4.0)
    elif name == "noiseScalePlot":
        table["noise_scale"] = 20.0 * (key + 1) + steps
    elif name == "layerNormsPlot":
        for array in ("dense_1/kernel", "dense_1/bias"):
            for quantity in ("weight", "gradient", "update", "ratio"):
                table[f"{array}/{quantity}"] = np.full(len(steps), 0.01 * (key + 1) ** 3)
    else:
        table["loss_zero_fraction"] = np.zeros(len(steps))
        for index in range(len(LOSS_BIN_EDGES)):
            table[f"loss_bin_{index}"] = np.full(len(steps), float(index == 3 + 4 * key))
    return table


@pytest.mark.parametrize("name", ["sharpnessPlot", "noiseScalePlot", "layerNormsPlot",
                                  "lossHistogramPlot"])
def test_instrument_views_name_compared_runs_where_their_curves_end(qtbot, name):
    """The instrument views drew kept runs' curves without a name on the plot (their
    legends, folded or cut at the minimum size, were the only key): each run is named at
    its curve like on the loss plots, inside the view and apart."""
    from gui.plots import registry
    plot = registry.entry(name).make()
    qtbot.addWidget(plot)
    plot.resize(520, 300)
    plot.show()
    qtbot.waitExposed(plot)
    names = {0: "Batch 32", 1: "Full batch (1438)"}
    for key, label in names.items():
        plot.add_run(key, label, (200 * key, 100, 200 - 100 * key))
        plot.list_run(key)
        plot.show_instruments(key, _instrument_table(name, key))
    plot.redraw()
    plot.repaint()
    QtCore.QCoreApplication.processEvents()
    assert plot.end_labels.texts() == names
    assert_apart_and_inside(plot, _shown_end_labels(plot))


def _assert_chart_labels_readable(chart):
    """Every label of the lesson's result chart (the points' names and the marker lines'
    names) lies inside the chart's view and no two touch; returns the points' labels."""
    import pyqtgraph as pg
    item = chart.getPlotItem()
    box = item.vb.sceneBoundingRect().adjusted(-0.5, -0.5, 0.5, 0.5)
    points = chart.labels()
    lines = [line.label for line in item.items if isinstance(line, pg.InfiniteLine)
             and line.label is not None and line.label.isVisible()]
    texts = [(label.toPlainText(), label.sceneBoundingRect()) for label in points + lines]
    for text, rect in texts:
        assert box.contains(rect), (text, rect, box)
    for (a, rect_a), (b, rect_b) in itertools.combinations(texts, 2):
        # a pixel apart at least: touching labels read as one
        assert not rect_a.adjusted(-1, -1, 1, 1).intersects(rect_b), (a, b)
    # and none covers a point (a 9-px symbol: its middle 5 px)
    spots = [item.vb.mapViewToScene(spot.pos()) for scatter in item.items
             if isinstance(scatter, pg.ScatterPlotItem) for spot in scatter.points()]
    for text, rect in texts:
        for spot in spots:
            assert not rect.intersects(QtCore.QRectF(spot.x() - 2.5, spot.y() - 2.5, 5, 5)), (
                text, spot)
    return [label.toPlainText() for label in points]


@pytest.mark.parametrize("lesson, steps", [
    ("learning_rate", ("too_small", "good", "near_limit", "too_large")),
    pytest.param("epochs", ("overfit", "early_stopping", "restore_best", "l2"),
                 marks=pytest.mark.slow)])
def test_the_result_chart_has_room_and_its_labels_never_clip_or_touch(make_window, qtbot,
                                                                      lesson, steps):
    """At the minimum window size the lesson panel's chart was 110 px tall: the
    learning-rate chart's "Too small (0.01)" was cut at its top edge and the epochs chart's
    names at epoch 100 touched. The chart now has 170 px at least, and every run's label is
    shown inside its view, apart from the others and from the marker lines' names."""
    from gui.lesson_panel import RESULT_HEIGHT
    from gui.main_window import MINIMUM_SIZE
    window = make_window()
    window.resize(*MINIMUM_SIZE)
    window.lesson_actions[lesson].trigger()
    for step in steps:
        _run_step(window, qtbot, step)
    chart = window.lesson_panel.result
    dock = window.lessons_dock
    dock.resize(dock.width(), MINIMUM_SIZE[1])  # a floating dock as tall as the window
    layout_audit.settle(window)
    layout_audit.settle(dock)
    assert chart.isVisible() and chart.height() >= RESULT_HEIGHT[0]
    shown = _assert_chart_labels_readable(chart)
    assert len(shown) == len(chart.values), (shown, list(chart.values))


def test_an_instrument_view_joins_a_row_when_the_height_is_short_and_leaves_it_when_not(
        make_window):
    """Layer norms beside the batch loss (the batch-size lesson's views) sits beside it in
    the top row while three rows would be short, and gets its own row below again when the
    window is tall; four instrument views shown together keep their own row (six plots
    across would be slivers)."""
    window = make_window()
    for name, shown in (("dataPlot", False), ("learningRatePlot", False),
                        ("layerNormsPlot", True)):
        window.plot_actions[name].setChecked(shown)

    def beside():
        layout_audit.settle(window)
        top = window.plots["batchLossPlot"].mapTo(window, QtCore.QPoint(0, 0)).y()
        norms = window.plots["layerNormsPlot"].mapTo(window, QtCore.QPoint(0, 0)).y()
        return abs(norms - top) < 40  # the batch loss has its controls above it

    window.resize(1024, 640)
    assert beside()
    window.resize(1440, 1400)
    assert not beside()
    window.resize(1024, 640)
    assert beside()
    # the next lesson's views (the loss-functions lesson after the batch-size one): the data
    # plot shown while layer norms sat beside the batch loss, then layer norms hidden; the
    # row shares its width by stretch again (it got back its widths from before, with the
    # data plot hidden then: 113 px of 1,115 at 1440 x 900)
    window.plot_actions["dataPlot"].setChecked(True)
    window.plot_actions["layerNormsPlot"].setChecked(False)
    layout_audit.settle(window)
    widths = [window.plots[name].width() for name in ("batchLossPlot", "dataPlot")]
    assert widths[1] >= 0.5 * widths[0], widths  # stretch 3 : 2
    window.plot_actions["layerNormsPlot"].setChecked(True)
    for name in ("sharpnessPlot", "noiseScalePlot", "lossHistogramPlot"):
        window.plot_actions[name].setChecked(True)
    assert not beside()
