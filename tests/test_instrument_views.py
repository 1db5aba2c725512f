"""The instrument views (sharpnessPlot, noiseScalePlot, lossHistogramPlot, layerNormsPlot):
hidden until shown, measured by the worker only while shown, drawn from the engine's numbers
live and for kept runs, saved as images, titled in Korean."""

import math

import numpy as np
import pytest
from PySide6 import QtGui, QtWidgets

from engine import Trainer, TrainingConfig
from engine.instruments import (InstrumentCallback, layer_norms, noise_scale,
                                per_example_losses, stability_limit)
from engine.run import Run
import layout_audit
from gui import glossary
from gui.plots import registry
from tests.conftest import wait_until

pytestmark = pytest.mark.gui
VIEWS = ("sharpnessPlot", "noiseScalePlot", "lossHistogramPlot", "layerNormsPlot")
#: A short run whose hinge loss puts points at exactly 0 (circle is separable).
HINGE = TrainingConfig(dataset="circle", loss="hinge", epochs=6, batch_size=16,
                       learning_rate=0.3)


def show_views(window, names=VIEWS):
    for name in names:
        window.plot_actions[name].setChecked(True)


def train_to_end(window, config, every_epoch=True):
    """Train ``config`` to its end; ``every_epoch``: measure at every epoch end (no budget)."""
    if every_epoch:
        window.worker.instruments.budget = math.inf
    assert window.apply_lesson_config(config)
    window.start_pause()
    wait_until(lambda: window.state == "ended", 30000)
    for name in VIEWS:
        window.plots[name].redraw()
    return window.trainer


@pytest.fixture
def window(shared_window):
    """The module's one window, handed to each test as a new one would be: every test here
    starts its own run (``apply_lesson_config`` builds a new model), so only what outlives a
    run is put back afterwards: no run going, the views hidden, the worker's own measuring
    budget, English. Building a window per test cost about half of this file's CPU time."""
    window = shared_window
    budget = window.worker.instruments.budget
    yield window
    if window.state == "running":
        window.start_pause()
        wait_until(lambda: window.state != "running", 10000)
    for name in VIEWS:
        window.plot_actions[name].setChecked(False)
    window.worker.instruments.budget = budget
    if window.language != "en":
        window.set_language("en")


def data_of(item):
    x, y = item.getOriginalDataset()
    return (np.empty(0), np.empty(0)) if x is None else (np.asarray(x), np.asarray(y))


def test_views_are_registered_hidden_and_listed(window):
    for name in VIEWS:
        entry = registry.entry(name)
        assert not entry.shown and entry.instruments and entry.compares
        assert window.plots[name].objectName() == name
        assert window.plots[name].isHidden()
        assert not window.plot_actions[name].isChecked()
        assert window.plots[name].toolTip() == glossary.tooltip(entry.term, "en")


def test_shown_views_get_a_row_of_their_own_and_leave_the_five_their_width(window):
    row = window.findChild(QtWidgets.QSplitter, "instrumentsPlotRow")
    assert row.isHidden()  # no empty row while none is shown
    train_to_end(window, HINGE.replace(epochs=2))
    window.resize(1440, 900)
    layout_audit.settle(window)
    before = layout_audit.view_sizes(window)
    # the width each plot is given; its view box may still lose a few pixels to a y axis whose
    # tick labels grow a digit at the shorter height (0.8 -> 0.85: 42 -> 49 px measured)
    given = {name: window.plots[name].width() for name in before}
    show_views(window)
    # a view shown while nothing trains has the worker measure the model (a job): its numbers
    # and the legend they name arrive after this, and the layout is audited with them in (one
    # run in ten audited before they came, the histogram's longer legend laid out later)
    histogram = window.plots["lossHistogramPlot"]
    wait_until(lambda: histogram.redraw() or histogram.measured_at == (
        window.trainer.step_count, 2), 10000)
    window.redraw_now()
    layout_audit.settle(window)
    assert not row.isHidden()
    after = layout_audit.view_sizes(window)
    problems = layout_audit.audit(window)
    assert problems == [], problems
    for name, width in given.items():
        assert window.plots[name].width() == width, (name, given)  # height, not width, goes
    # the four share their row: the widths they are given (their view boxes differ by their
    # axes' tick labels, 195-226 px measured)
    widths = [window.plots[name].width() for name in VIEWS]
    assert min(widths) >= 0.9 * max(widths), widths
    for name in VIEWS:
        window.plot_actions[name].setChecked(False)
    assert row.isHidden()


def test_hidden_views_cost_no_measurement(window):
    trainer = train_to_end(window, HINGE.replace(epochs=2), every_epoch=False)
    assert len(trainer.history.instruments) == 0


def test_each_view_draws_the_engines_numbers_from_a_run(window):
    show_views(window)
    trainer = train_to_end(window, HINGE)
    table = trainer.history.instruments
    assert table.step[0] == 0 and table.step[-1] == trainer.step_count

    sharp = window.plots["sharpnessPlot"]
    measured = ~np.isnan(table["sharpness"])
    assert measured.sum() == HINGE.epochs + 1  # the start and every epoch end
    x, y = data_of(sharp.sharpness_curve)
    np.testing.assert_array_equal(x, table.step[measured])
    np.testing.assert_array_equal(y, table["sharpness"][measured])
    limit_x, limit_y = data_of(sharp.limit_curve)
    assert limit_y[-1] == stability_limit(trainer) == pytest.approx(2 / 0.3)
    assert limit_x[-1] == trainer.step_count

    noise = window.plots["noiseScalePlot"]
    x, y = data_of(noise.noise_curve)
    np.testing.assert_array_equal(y, table["noise_scale"][~np.isnan(table["noise_scale"])])
    assert y[-1] == pytest.approx(noise_scale(trainer), rel=1e-9)  # the final weights
    _, batch = data_of(noise.batch_line)
    assert set(batch) == {16.0}
    np.testing.assert_array_equal(data_of(noise.wasted)[1], y)  # shaded above the curve

    histogram = window.plots["lossHistogramPlot"]
    losses = per_example_losses(trainer)
    zero_share = np.mean(losses == 0)
    assert zero_share > 0.2  # hinge past the margin
    assert histogram.heights[0] == pytest.approx(zero_share, abs=1e-12)
    assert histogram.heights.sum() == pytest.approx(1.0)
    # an entry cut to fit a narrow plot has its whole name as its tooltip
    legend_names = [label.toolTip() or label.text for _sample, label in histogram.legend.items]
    assert any(f"{zero_share:.1%}" in name for name in legend_names)

    norms = window.plots["layerNormsPlot"]
    expected = layer_norms(trainer)
    assert norms.arrays == list(expected)
    for quantity in ("weight", "gradient", "ratio"):
        np.testing.assert_allclose(data_of(norms.curves[quantity])[1],
                                   [expected[name][quantity] for name in norms.arrays],
                                   rtol=1e-9)


def test_a_live_rate_change_moves_the_limit(window):
    show_views(window, ["sharpnessPlot"])
    window.worker.instruments.budget = math.inf
    assert window.apply_lesson_config(HINGE.replace(epochs=100000, learning_rate=0.1))
    window.start_pause()
    plot = window.plots["sharpnessPlot"]

    def limit():
        plot.redraw()
        _, y = data_of(plot.limit_curve)
        return y[-1] if len(y) else None

    wait_until(lambda: limit() == pytest.approx(2 / 0.1), 20000)
    window.findChild(QtWidgets.QDoubleSpinBox, "learningRateSpin").setValue(0.4)
    wait_until(lambda: limit() == pytest.approx(2 / 0.4), 20000)
    _, y = data_of(plot.limit_curve)
    assert y[0] == pytest.approx(2 / 0.1)  # the earlier steps keep their own limit
    window.start_pause()
    wait_until(lambda: window.state != "running", 10000)


def saved_run(tmp_path):
    trainer = Trainer(HINGE)
    trainer.fit(callbacks=[InstrumentCallback(every="epoch")])
    folder = tmp_path / "hinge"
    Run.from_trainer(trainer, label="saved hinge").save(folder)
    return trainer, folder


def test_a_kept_run_with_instruments_draws_on_every_view(window, qtbot, tmp_path):
    show_views(window)
    trainer, folder = saved_run(tmp_path)
    with qtbot.waitSignal(window.files.run_opener.finished, timeout=20000) as opened:
        window.files.open_runs(str(folder))
    assert opened.args == [1]
    key = window.session.kept[-1].key
    table = trainer.history.instruments
    sharp = window.plots["sharpnessPlot"].runs[key]
    x, y = sharp.items[0].getData()
    np.testing.assert_allclose(10 ** y, table["sharpness"], rtol=1e-12)  # a log axis
    noise = window.plots["noiseScalePlot"].runs[key]
    np.testing.assert_allclose(10 ** noise.items[0].getData()[1], table["noise_scale"],
                               rtol=1e-12)
    histogram = window.plots["lossHistogramPlot"].runs[key]
    _, outline = histogram.items[0].getData()
    assert outline.max() > 0 and outline[1] == pytest.approx(
        np.mean(per_example_losses(trainer) == 0))  # the zero bin's height first
    norms = window.plots["layerNormsPlot"].runs[key]
    np.testing.assert_allclose(10 ** norms.items[0].getData()[1],
                               [entry["ratio"] for entry in layer_norms(trainer).values()],
                               rtol=1e-9)


def test_save_image_of_each_view_is_not_blank(window, tmp_path):
    show_views(window)
    train_to_end(window, HINGE.replace(epochs=2))
    for name in VIEWS:
        path = tmp_path / f"{name}.png"
        window.save_image(str(path), target=name)
        image = QtGui.QImage(str(path)).convertToFormat(QtGui.QImage.Format_RGB32)
        assert not image.isNull()
        pixels = np.frombuffer(image.constBits(), np.uint8).reshape(
            image.height(), image.bytesPerLine())
        coloured = pixels.reshape(image.height(), -1, 4)[:, :image.width(), :3].astype(int)
        spread = coloured.max(axis=2) - coloured.min(axis=2)  # grey text has none
        assert (spread > 60).sum() > 50, name  # drawn in colour, not only axes and text


def test_titles_and_menu_entries_in_korean(window):
    window.set_language("ko")
    for name in VIEWS:
        term = registry.entry(name).term
        korean = glossary.label(term, "ko")
        assert korean != glossary.label(term, "en")
        assert korean in window.plots[name].getPlotItem().titleLabel.text
        assert window.plot_actions[name].text() == korean
    window.set_language("en")


def test_a_run_at_full_speed_shows_at_least_its_start_and_end(window):
    show_views(window, ["sharpnessPlot"])
    trainer = train_to_end(window, HINGE, every_epoch=False)  # the default budget
    plot = window.plots["sharpnessPlot"]
    wait_until(lambda: plot.redraw() or len(data_of(plot.sharpness_curve)[0]) >= 2
               and data_of(plot.sharpness_curve)[0][-1] == trainer.step_count, 10000)
    x, _ = data_of(plot.sharpness_curve)
    assert x[0] == 0  # measured when the run was attached, before its clock started


def test_a_view_shown_after_the_run_draws_where_it_ended(window):
    trainer = train_to_end(window, HINGE.replace(epochs=2), every_epoch=False)
    assert len(trainer.history.instruments) == 0
    show_views(window, ["layerNormsPlot"])
    plot = window.plots["layerNormsPlot"]
    wait_until(lambda: plot.redraw() or plot.values is not None, 10000)
    expected = layer_norms(trainer)
    np.testing.assert_allclose(plot.values["ratio"],
                               [expected[name]["ratio"] for name in plot.arrays], rtol=1e-9)


def test_keep_run_takes_its_instruments_along(window):
    show_views(window, ["noiseScalePlot"])
    trainer = train_to_end(window, HINGE.replace(epochs=3))
    kept = window.session.keep_current()
    measured = trainer.history.instruments["noise_scale"]
    np.testing.assert_array_equal(kept.instruments["noise_scale"], measured)
    curve = window.plots["noiseScalePlot"].runs[kept.key].items[0]
    np.testing.assert_allclose(10 ** curve.getData()[1], measured[~np.isnan(measured)],
                               rtol=1e-12)
