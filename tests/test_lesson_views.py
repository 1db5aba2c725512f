"""The scene a learner sees after a lesson (issue 22): every curve's name readable at its end,
no run squashing the others (a run fifteen times longer, a diverged run's blow-up), the
lesson's own rows in the run table, readable ticks on the instrument views."""

import itertools

import numpy as np
import pytest

pytestmark = pytest.mark.gui


def _end_labels(plot):
    """The end labels a learner sees on ``plot``: its view's visible text items that name
    runs (not the hover readout)."""
    import pyqtgraph as pg
    return [item for item in plot.getPlotItem().items if isinstance(item, pg.TextItem)
            and item.isVisible() and item is not plot.hover.text_item]


def _settle(qtbot, plot):
    """Paint once: a text item places itself against the view's scaling when painted."""
    from PySide6 import QtCore
    plot.redraw()
    plot.repaint()
    QtCore.QCoreApplication.processEvents()


def assert_apart_and_inside(plot, labels=None):
    """``labels`` (default: the end labels a learner sees on ``plot``) lie inside its view
    box and no two intersect; returns their texts."""
    labels = _end_labels(plot) if labels is None else labels
    # half a pixel for the floating-point round trip through the view's transform
    box = plot.getPlotItem().vb.sceneBoundingRect().adjusted(-0.5, -0.5, 0.5, 0.5)
    rects = [label.sceneBoundingRect() for label in labels]
    for label, rect in zip(labels, rects):
        assert box.contains(rect), (label.toPlainText(), rect, box)
    for (a, rect_a), (b, rect_b) in itertools.combinations(zip(labels, rects), 2):
        assert not rect_a.intersects(rect_b), (a.toPlainText(), b.toPlainText())
    return [label.toPlainText() for label in labels]


#: The epochs lesson's endings, as the lead saw them pile up: two early-stopping runs ending
#: at one point, and the L2 run ending a hair from the overfitting run.
_EPOCH_RUNS = {
    "Overfit (200 epochs)": 0.40 + 0.3 * np.exp(-np.arange(30) / 5.0),
    "Early stopping (patience 10)": 0.45 + 0.3 * np.exp(-np.arange(22) / 4.0),
    "Early stopping, best weights": 0.45 + 0.3 * np.exp(-np.arange(22) / 4.0),
    "L2 penalty (0.01)": 0.401 + 0.31 * np.exp(-np.arange(30) / 5.0),
}


@pytest.mark.parametrize("size", [(520, 300), (340, 220)])
def test_end_labels_never_overlap_and_stay_in_the_view(qtbot, size):
    """Curves ending together (the epochs lesson's early-stopping pair at one point, the L2
    run a hair from the overfit one) are named in labels that do not overlap, inside the
    view; the identical endings share one label naming both."""
    from gui.plots import epoch_loss_plot
    plot = epoch_loss_plot()
    qtbot.addWidget(plot)
    plot.resize(*size)
    plot.show()
    qtbot.waitExposed(plot)
    for key, (label, values) in enumerate(_EPOCH_RUNS.items()):
        plot.add_run(key, label, (50 * key, 100, 200 - 40 * key))
        plot.set_run_data(key, values, values + 0.02)
    _settle(qtbot, plot)
    texts = assert_apart_and_inside(plot)
    assert "Early stopping (patience 10) = Early stopping, best weights" in texts
    assert len(texts) < len(_EPOCH_RUNS)
    assert set(plot.end_labels.texts().values()) == set(_EPOCH_RUNS)
    plot.resize(size[0] + 60, size[1] - 30)  # another size: laid out again
    _settle(qtbot, plot)
    assert_apart_and_inside(plot)


def test_batch_loss_end_labels_of_runs_ending_close_are_spread_with_leaders(qtbot):
    """Four batch-size runs ending within a few pixels (full batch, full batch with adam,
    batch 512, full batch scaled) get four labels apart, each joined to its curve's end by a
    leader line when moved."""
    from gui.plots import BatchLossPlot
    plot = BatchLossPlot()
    qtbot.addWidget(plot)
    plot.resize(600, 280)
    plot.show()
    qtbot.waitExposed(plot)
    names = ["Full batch (1438)", "Full batch, adam", "Batch 512", "Full batch, scaled"]
    steps = np.arange(1, 101)
    for key, name in enumerate(names):
        loss = 0.3 + 2.0 * np.exp(-steps / 20.0) + 0.04 * key  # 3-4 px apart
        plot.add_run(key, name, (40 * key, 120, 90))
        plot.set_run_data(key, steps, np.ones(100), loss=loss)
    _settle(qtbot, plot)
    assert sorted(assert_apart_and_inside(plot)) == sorted(names)
    leader_x, _ = plot.end_labels.leaders.getData()
    assert leader_x is not None and len(leader_x) >= 2 * 2  # at least two moved labels


def _run_step(window, qtbot, lesson, step):
    window.lesson_actions[lesson].trigger()
    panel = window.lesson_panel
    panel.step_buttons[step].click()
    window.pace_combo.setCurrentIndex(window.pace_combo.count() - 1)  # a lesson sets its pace
    qtbot.waitUntil(lambda: panel.running_step is None, timeout=60000)
    window.redraw_now()


def test_a_run_fifteen_times_longer_goes_past_the_edge_and_says_where(make_window, qtbot):
    """The batch-size lesson's "equal steps" run (150 epochs) beside its 10-epoch runs: once
    another step runs, the views fit the 10-epoch runs (samples seen, epochs) and the long
    run goes on past the right edge, its end label saying where ("→ 150 epochs")."""
    window = make_window()
    for step in ("batch_512", "equal_steps", "batch_full"):
        _run_step(window, qtbot, "batch_size", step)
    long_run = next(run for run in window.session.kept
                    if run.lesson_step == ("batch_size", "equal_steps"))
    assert window.x_axis_combo.currentData() == "samples"
    n_train = long_run.n_train
    for name, ten_epochs in (("batchLossPlot", 10 * n_train), ("epochLossPlot", 10.5),
                             ("accuracyPlot", 10.5)):
        plot = window.plots[name]
        _settle(qtbot, plot)
        x_end = plot.getPlotItem().vb.viewRange()[0][1]
        assert ten_epochs <= x_end <= 1.5 * ten_epochs, name
        assert plot.end_labels.texts()[long_run.key].endswith("→ 150 epochs"), name
        assert_apart_and_inside(plot)


def test_a_diverged_run_does_not_flatten_the_others(make_window, qtbot):
    """After "Full batch, scaled rate" diverges (loss ~20), the loss views fit the other runs
    (which end near 0.3), the diverged one leaving through the top: on the batch-loss plot
    (linear axis) and the epoch-loss plot, with the next step's run as the current one."""
    window = make_window()
    for step in ("batch_512", "linear_full", "batch_full"):
        _run_step(window, qtbot, "batch_size", step)
    diverged = next(run for run in window.session.kept if run.outcome.key == "diverged")
    blown = max(np.nanmax(diverged.epochs[name]) for name in ("train_loss", "val_loss"))
    assert blown > 10 and np.nanmax(diverged.steps["batch_loss"]) > 10
    tame = [run for run in window.session.kept if run is not diverged]
    top = max(np.nanmax(run.epochs["val_loss"]) for run in tame)
    window.findChild(__import__("PySide6.QtWidgets").QtWidgets.QCheckBox, "logYCheck") \
        .setChecked(False)
    plot = window.plots["epochLossPlot"]
    _settle(qtbot, plot)
    assert plot.getPlotItem().vb.viewRange()[1][1] < 2 * max(top, np.nanmax(
        np.asarray(plot.train.view)))
    batch = window.plots["batchLossPlot"]
    _settle(qtbot, batch)
    first = max(run.steps["batch_loss"][0] for run in window.session.kept)
    assert batch.getPlotItem().vb.viewRange()[1][1] < 1.2 * first
    assert plot.end_labels.texts()[diverged.key].endswith("↑")


def _table_runs(window):
    """The run names the run table shows, row by row (hidden rows left out)."""
    from PySide6 import QtWidgets
    table = window.findChild(QtWidgets.QTableWidget, "runTable")
    return [table.item(row, 1).text() for row in range(table.rowCount())
            if not table.isRowHidden(row) and table.item(row, 1) is not None]


def test_the_run_table_shows_the_lessons_own_runs_not_the_set_aside_ones(make_window, qtbot):
    """After the learning-rate lesson, the next lesson's run table does not start with its
    set-aside "Too small (0.01)" and "Good (0.5)" rows (at 1440 x 900 the table shows two
    rows: the lesson's own were out of sight); Bring Back lists them again."""
    from PySide6 import QtGui
    window = make_window()
    for step in ("too_small", "good"):
        _run_step(window, qtbot, "learning_rate", step)
    earlier = ["Too small (0.01)", "Good (0.5)"]
    assert _table_runs(window)[:2] == earlier
    window.lesson_actions["epochs"].trigger()
    assert not set(earlier) & set(_table_runs(window))
    window.findChild(QtGui.QAction, "bringBackRunsAction").trigger()
    assert set(earlier) <= set(_table_runs(window))


def _tick_labels(axis):
    """The tick labels ``axis`` draws (after it leaves out overlapping ones)."""
    from PySide6 import QtGui
    image = QtGui.QImage(10, 10, QtGui.QImage.Format_ARGB32)
    painter = QtGui.QPainter(image)
    try:
        _axis_spec, _ticks, texts = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [text for _rect, _flags, text in texts]


def test_the_curvature_view_of_the_stability_lesson_has_readable_ticks(qtbot):
    """The stability-limit lesson's λmax ≈ 2.0 between its limits 1.92 and 2.06 (a log axis
    narrower than its 1-9 ticks) got one tick label, "2"; at least three round values are
    labelled now, each distinct, spanning the values drawn."""
    from gui.plots.sharpness import SharpnessPlot
    plot = SharpnessPlot()
    qtbot.addWidget(plot)
    plot.resize(700, 260)
    plot.show()
    qtbot.waitExposed(plot)
    steps = np.arange(0, 100, 10)
    for key, (sharpness, limit) in enumerate([(2.0, 2.06), (2.01, 1.92)]):
        plot.add_run(key, f"run {key}", (120, 60 * key, 200))
        plot.show_instruments(key, {"step": steps, "epoch": steps // 10 + 1,
                                    "sharpness": np.full(len(steps), sharpness),
                                    "stability_limit": np.full(len(steps), limit)})
    _settle(qtbot, plot)
    labels = _tick_labels(plot.getPlotItem().getAxis("left"))
    assert len(labels) >= 3 and len(set(labels)) == len(labels), labels
    values = sorted(float(label) for label in labels)
    assert values[0] <= 2.0 <= values[-1] and 1.8 < values[0] and values[-1] < 2.2


def test_a_diverged_lesson_step_draws_without_runtime_warnings(make_window, qtbot):
    """The learning-rate lesson's "Too large (1.5)" diverges on a regression dataset: its
    accuracy per epoch is NaN only, and the accuracy plot's symbols were given only NaN
    points (pyqtgraph's "All-NaN slice encountered" whenever their bounds were taken, as
    the lead saw after the step). No plot warns when drawn now, shown or not."""
    import warnings
    window = make_window()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _run_step(window, qtbot, "learning_rate", "too_large")
        for plot in window.plots.values():
            plot.redraw()
            plot.grab()  # painted: the symbols' bounds are taken then
    assert window.session.run.outcome == "diverged"
    assert [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)] == []


def test_a_run_is_long_only_beside_a_group_of_others():
    """gui.plots.fair_range.fair_end: the 150-epoch run beside 10-epoch ones (and a current
    run planned for 10) is left out of the x range; two runs alone are a comparison of their
    own and both stay in view (the learning-rate lesson's 6,000 against 600 steps); lengths
    are compared in epochs, ends are on the view's axis."""
    from gui.plots.fair_range import fair_end
    ten = 10 * 1438
    batch_lesson = [(10, ten), (10, ten), (150, 150 * 1438), (10, ten)]
    assert fair_end(batch_lesson, planned=10) == ten
    assert fair_end(batch_lesson) == ten
    assert fair_end([(6000, 6000), (600, 600)]) == 6000
    assert fair_end([(6000, 6000)], planned=600) == 6000
    # batch 8 beside batch 64: eight times the steps, the same epochs: nothing is long
    assert fair_end([(10, 100_000), (10, 12_500), (10, 50_000)]) == 100_000
    assert np.isnan(fair_end([]))


@pytest.mark.parametrize("lesson, steps", [
    ("learning_rate", ("good", "too_large")), ("stability_limit", ("below", "above"))])
def test_a_diverged_runs_label_leaves_its_marker_readable(make_window, qtbot, lesson, steps):
    """A run diverging by design leaves through the top, its end label at the top edge where
    the marker's "diverged at step N" is written: the label goes below the marker's."""
    window = make_window()
    for step in steps:
        _run_step(window, qtbot, lesson, step)
    plot = window.plots["batchLossPlot"]
    _settle(qtbot, plot)
    (_, line), = plot.markers
    marker = line.label.sceneBoundingRect()
    assert line.label.toPlainText().startswith("diverged at step")
    assert_apart_and_inside(plot)
    for label in _end_labels(plot):
        assert not label.sceneBoundingRect().intersects(marker), label.toPlainText()
