"""The level-of-detail series behind the live plots, and what the plots hand to pyqtgraph."""

import numpy as np
import pytest

from gui.buffers import SeriesPyramid

F = SeriesPyramid.FACTOR


def filled(method, values, chunks, width=None):
    """A pyramid fed ``values`` in pieces of the sizes ``chunks`` cycles through."""
    pyramid = SeriesPyramid(method, width=width)
    position, index = 0, 0
    while position < len(values):
        size = chunks[index % len(chunks)]
        pyramid.extend(values[position:position + size])
        position += size
        index += 1
    return pyramid


def block_reduce(values, block, reduce):
    complete = len(values) // block
    shaped = values[:complete * block].reshape((complete, block) + values.shape[1:])
    return reduce(shaped, axis=1)


@pytest.mark.parametrize("chunks", [[1], [7, 1, 300], [5000]])
@pytest.mark.parametrize("n", [1, F - 1, F ** 3, 5003])
def test_every_level_is_exact_over_its_blocks_however_points_arrive(n, chunks):
    values = np.random.default_rng(n).normal(size=n)
    peak = filled("peak", values, chunks)
    mean = filled("mean", values, chunks)
    np.testing.assert_array_equal(peak.view, values)
    assert peak.n_levels == mean.n_levels == int(np.floor(np.log(n) / np.log(F) + 1e-9))
    for k in range(1, peak.n_levels + 1):
        low, high = peak.level(k)
        np.testing.assert_array_equal(low, block_reduce(values, F ** k, np.min))
        np.testing.assert_array_equal(high, block_reduce(values, F ** k, np.max))
        (average,) = mean.level(k)
        np.testing.assert_allclose(average, block_reduce(values, F ** k, np.mean), rtol=1e-12)


def test_nan_is_skipped_inside_a_block_unless_the_block_is_all_nan():
    values = np.arange(2 * F, dtype=float)
    values[1] = np.nan
    values[F:] = np.nan
    low, high = filled("peak", values, [3]).level(1)
    np.testing.assert_array_equal(low, [0.0, np.nan])
    np.testing.assert_array_equal(high, [F - 1.0, np.nan])


def test_columns_are_reduced_separately():
    values = np.random.default_rng(1).normal(size=(999, 3))
    pyramid = filled("peak", values, [10, 1], width=3)
    low, high = pyramid.level(2)
    np.testing.assert_array_equal(low, block_reduce(values, F ** 2, np.min))
    np.testing.assert_array_equal(high, block_reduce(values, F ** 2, np.max))
    x = np.arange(1, 1000)
    xs, ys = pyramid.display(x, 0, 999, 100)
    assert ys.shape == (len(xs), 3)
    np.testing.assert_array_equal(ys.min(axis=0), values.min(axis=0))
    np.testing.assert_array_equal(ys.max(axis=0), values.max(axis=0))


@pytest.mark.parametrize("start, stop", [(0, 100_003), (0, 40), (12_345, 67_890),
                                         (99_000, 100_003), (50_000, 50_001)])
@pytest.mark.parametrize("budget", [256, 1000])
def test_display_keeps_every_extreme_within_the_budget(start, stop, budget):
    n = 100_003
    rng = np.random.default_rng(start + budget)
    values = rng.normal(size=n)
    values[rng.integers(0, n, 20)] = rng.choice([-50.0, 50.0], 20)  # isolated spikes
    x = np.arange(1, n + 1)
    pyramid = filled("peak", values, [4096, 1, 17])
    xs, ys = pyramid.display(x, start, stop, budget)
    shown = values[max(start - 1, 0):min(stop + 1, n)]
    assert len(xs) == len(ys) <= 2 * (budget + 2 + (F - 1) * pyramid.n_levels)
    assert np.all(np.diff(xs) >= 0)
    assert ys.min() <= shown.min() and ys.max() >= shown.max()
    assert np.isin(ys, values).all()  # extremes of blocks are points of the series
    assert xs[0] <= x[start] and xs[-1] >= x[stop - 1]
    if stop - start + 2 <= budget:  # few enough points: full detail, untouched
        np.testing.assert_array_equal(ys, shown)
        np.testing.assert_array_equal(xs, x[max(start - 1, 0):min(stop + 1, n)])
    if stop == n:  # the curve ends exactly at the newest point
        assert xs[-1] == x[-1] and ys[-1] == values[-1]


def test_display_of_the_mean_draws_one_point_per_block_at_its_first_x():
    values = np.random.default_rng(2).normal(size=4 ** 6)
    x = np.arange(10, 10 + len(values)) * 2
    pyramid = filled("mean", values, [1000])
    xs, ys = pyramid.display(x, 0, len(values), 300)
    # 4**6 points over a budget of 300: level 2 (blocks of 16, 256 of them); the last block
    # is drawn from finer levels
    head = len(values) // 16 - 1
    np.testing.assert_array_equal(xs[:head], x[::16][:head])
    np.testing.assert_allclose(ys[:head], block_reduce(values, 16, np.mean)[:head], rtol=1e-12)
    assert head < len(xs) <= head + 1 + (F - 1) * 2
    assert xs[-1] == x[-1] and ys[-1] == values[-1]


def test_empty_and_cleared_pyramids_display_nothing():
    pyramid = SeriesPyramid("peak")
    xs, ys = pyramid.display(np.empty(0), 0, 0, 100)
    assert len(xs) == len(ys) == 0
    pyramid.extend(np.arange(100.0))
    pyramid.clear()
    assert len(pyramid) == 0 and all(len(pyramid.level(k)[0]) == 0 for k in (1, 2, 3))
    pyramid.extend([5.0, 6.0])
    np.testing.assert_array_equal(pyramid.display(np.array([1, 2]), 0, 2, 10)[1], [5.0, 6.0])


def test_unknown_method_is_refused():
    with pytest.raises(ValueError, match="'peak' or 'mean'"):
        SeriesPyramid("median")


def shown_batch_plot(qtbot):
    """A batch-loss plot on screen, 800 x 400."""
    from gui.plots import BatchLossPlot

    plot = BatchLossPlot()
    qtbot.addWidget(plot)
    plot.resize(800, 400)
    plot.show()
    qtbot.waitExposed(plot)
    return plot


def test_batch_loss_plot_hands_pyqtgraph_a_pixel_budget_and_full_detail_when_zoomed(qtbot):
    plot = shown_batch_plot(qtbot)
    n = 1_000_000
    rng = np.random.default_rng(3)
    losses = np.abs(rng.normal(1.0, 0.2, n))
    losses[777_777] = 40.0
    stored = losses.astype(np.float32)  # the plots keep float32, as the history does
    steps = np.arange(1, n + 1)
    plot.append(steps, np.repeat(np.arange(1, 11), n // 10), losses)
    plot.redraw()
    x, y = plot.raw_curve.data()
    width = int(plot.getPlotItem().vb.width())
    assert len(x) <= 2 * (max(256, width) + 2 + (F - 1) * plot.losses.n_levels)
    assert y.max() == 40.0 and y.min() == stored.min()
    assert x[-1] == n and y[-1] == stored[-1]
    smooth_x, smooth_y = plot.smooth_curve.data()
    assert len(smooth_x) <= max(256, width) + 2 + (F - 1) * plot.losses.n_levels
    assert smooth_y[-1] == plot.ema.output.view[-1]

    plot.getPlotItem().vb.setXRange(500_000, 500_100, padding=0)  # a user's zoom
    x, y = plot.raw_curve.data()
    np.testing.assert_array_equal(x, steps[499_998:500_101])
    np.testing.assert_array_equal(y, stored[499_998:500_101])


def tensorboard_smoothing(values, weight, shown_for_nonfinite):
    """TensorBoard's resmoothDataset as a plain loop (non-finite: see DebiasedEMA)."""
    last, count, out = 0.0, 0, []
    previous = shown_for_nonfinite
    for value in values:
        if not np.isfinite(value):
            out.append(previous)
            continue
        last = last * weight + (1 - weight) * value
        count += 1
        previous = last / (1 - weight ** count)
        out.append(previous)
    return np.array(out)


@pytest.mark.parametrize("weight", [0.0, 0.6, 0.9, 0.99])
@pytest.mark.parametrize("chunks", [[1], [3, 700], [10_000]])
def test_smoothing_is_tensorboards_however_points_arrive(weight, chunks):
    from gui.buffers import DebiasedEMA

    values = np.abs(np.random.default_rng(4).normal(1.0, 0.5, 9_000)) + np.linspace(2, 0, 9_000)
    ema = DebiasedEMA(weight)
    position, index = 0, 0
    while position < len(values):
        ema.extend(values[position:position + chunks[index % len(chunks)]])
        position += chunks[index % len(chunks)]
        index += 1
    np.testing.assert_allclose(ema.output.view, tensorboard_smoothing(values, weight, np.nan),
                               rtol=1e-10)


def test_smoothing_skips_non_finite_losses_and_shows_the_last_smoothed_value():
    from gui.buffers import DebiasedEMA

    values = np.array([np.nan, 1.0, 2.0, np.inf, 3.0, np.nan, np.nan, 4.0, -np.inf])
    ema = DebiasedEMA(0.5)
    ema.extend(values[:4])
    ema.extend(values[4:])
    expected = tensorboard_smoothing(values, 0.5, np.nan)
    np.testing.assert_allclose(ema.output.view, expected, rtol=1e-12)
    assert np.isnan(ema.output.view[0]) and ema.output.view[3] == ema.output.view[2]
    ema.reset(0.0)
    ema.extend([5.0, np.nan, 7.0])
    np.testing.assert_array_equal(ema.output.view, [5.0, 5.0, 7.0])


@pytest.mark.parametrize("planned, expected_end", [(0, 2 * 600), (160_000_000, 2 * 600),
                                                   (1000, 1000), (500, 600)])
def test_batch_axis_grows_with_the_data_up_to_the_planned_length(qtbot, planned, expected_end):
    from gui.plots import BatchLossPlot

    plot = BatchLossPlot()
    qtbot.addWidget(plot)
    plot.set_expected_steps(planned)
    plot.append(np.arange(1, 601), np.ones(600, dtype=np.int64), np.linspace(1, 0.1, 600))
    plot.redraw()
    (x0, x1), _ = plot.getPlotItem().vb.viewRange()
    assert (x0, x1) == (0.0, expected_end)


def test_the_batch_plots_hold_a_step_in_under_36_bytes(qtbot):
    from gui.plots import BatchLossPlot, LearningRatePlot

    batch, rate = BatchLossPlot(), LearningRatePlot()
    qtbot.addWidget(batch)
    qtbot.addWidget(rate)
    n = 2 ** 20  # a power of two: the growable arrays are full, no spare capacity
    steps = np.arange(1, n + 1)
    for start in range(0, n, 2 ** 16):
        piece = steps[start:start + 2 ** 16]
        batch.append(piece, piece // 1000, np.linspace(2, 0, len(piece)))
        rate.append(piece, np.full(len(piece), 0.01))
    buffers = [batch.steps, rate.steps, batch.losses, batch.ema.output, rate.rates]
    assert len(batch.steps) == len(rate.steps) == n
    # steps 8 + 8; losses 4 + 2 * 4 / 3; smoothed 4 + 4 / 3; learning rate 4 + 2 * 4 / 3
    assert sum(buffer.nbytes for buffer in buffers) / n < 36


def test_data_points_share_one_brush_per_class(qtbot):
    # pyqtgraph renders a scatter symbol per pen/brush object: one per point made Start take
    # 160 ms on the circle dataset (2,000 symbols), one per class 20 ms
    from engine import datasets
    from gui.plots import DataPlot
    from gui.views import geometry_for

    plot = DataPlot()
    qtbot.addWidget(plot)
    data = datasets.load("circle", n_samples=2000, seed=0)
    plot.set_dataset(geometry_for(data))
    for points, field in ((plot.train_points, "brush"), (plot.val_points, "pen")):
        objects = points.data[field]
        assert len(objects) > 100
        assert len({id(item) for item in objects}) == 2  # two classes


def test_the_y_margin_is_added_once_however_often_the_range_grows(qtbot):
    import pyqtgraph as pg

    from gui.plots import RangeFollower

    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    follower = RangeFollower(widget)
    # the data reach ever higher, as a loss spike after another does
    for step, high in enumerate([1.0, 2.0, 4.0, 8.0], start=1):
        follower.fit(step * 100, 0.0, high, margin=0.05)
    _, (y0, y1) = widget.getPlotItem().vb.viewRange()
    # the margin of the whole extent [0, 8]; before, each growth subtracted it again (-0.75)
    assert (y0, y1) == pytest.approx((-0.4, 8.4), abs=1e-12)
    follower.fit(500, -1.0, 3.0, margin=0.05)
    _, (y0, y1) = widget.getPlotItem().vb.viewRange()
    assert (y0, y1) == pytest.approx((-1.45, 8.45), abs=1e-12)


def live_curve(qtbot, connect="all"):
    import pyqtgraph as pg

    from gui.plots import LiveCurve

    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    curve = LiveCurve(pg.mkPen(0, 0, 0), name="curve", connect=connect)
    for item in curve.items:
        widget.getPlotItem().addItem(item)
    curve.widget = widget  # the items live as long as their plot
    return curve


def test_a_live_curve_keeps_its_head_while_points_arrive_and_shows_every_point(qtbot):
    from gui.plots import LiveCurve

    curve = live_curve(qtbot)
    x, y = np.arange(1000.0), np.sin(np.arange(1000.0))
    pixel = 1.0  # one x unit a pixel
    curve.set_data(x[:500], y[:500], pixel)
    head_x, _ = curve.head.getOriginalDataset()
    assert head_x[-1] == 499 - LiveCurve.KEEP_PIXELS
    last_kept = int(head_x[-1]) + LiveCurve.TAIL_PIXELS
    for end in range(501, last_kept + 2):
        curve.set_data(x[:end], y[:end], pixel)
        assert curve.head.getOriginalDataset()[0] is head_x  # the head was not set again
        shown_x, shown_y = curve.data()
        np.testing.assert_array_equal(shown_x, x[:end])
        np.testing.assert_array_equal(shown_y, y[:end])
    # the same points again (new arrays, as each redraw makes): neither item is set again
    tail_x, _ = curve.tail.getOriginalDataset()
    curve.set_data(x[:last_kept + 1].copy(), y[:last_kept + 1].copy(), pixel)
    assert curve.head.getOriginalDataset()[0] is head_x
    assert curve.tail.getOriginalDataset()[0] is tail_x
    # one point more and the tail would be wider than TAIL_PIXELS: a new head
    curve.set_data(x[:last_kept + 2], y[:last_kept + 2], pixel)
    new_head_x, _ = curve.head.getOriginalDataset()
    assert new_head_x[-1] == last_kept + 1 - LiveCurve.KEEP_PIXELS
    # points inside the head changed (a zoom, another level of detail): a new head at once
    changed = y.copy()
    changed[10] = 5.0
    curve.set_data(x[:last_kept + 3], changed[:last_kept + 3], pixel)
    assert curve.head.getOriginalDataset()[1][10] == 5.0
    np.testing.assert_array_equal(curve.data()[1], changed[:last_kept + 3])


def test_a_live_curve_without_a_pixel_size_is_all_head_and_pairs_split_on_whole_pairs(qtbot):
    curve = live_curve(qtbot)
    x = np.arange(50.0)
    curve.set_data(x, -x, None)  # a log x axis: no split
    np.testing.assert_array_equal(curve.head.getOriginalDataset()[0], x)
    assert curve.tail.getOriginalDataset()[0] is None  # pyqtgraph's "no data"
    np.testing.assert_array_equal(curve.data()[0], x)

    lines = live_curve(qtbot, connect="pairs")
    x = np.repeat(np.arange(0.0, 400.0, 25.0), 2)  # vertical lines 25 px apart
    y = np.tile([0.0, 1.0], len(x) // 2)
    lines.set_data(x, y, 1.0)
    head_x, _ = lines.head.getOriginalDataset()
    tail_x, _ = lines.tail.getOriginalDataset()
    assert len(head_x) % 2 == 0 and head_x[-1] == 350.0 and list(tail_x) == [375.0, 375.0]
    np.testing.assert_array_equal(lines.data()[0], x)
    lines.clear()
    assert len(lines.data()[0]) == 0


def test_while_a_run_goes_on_the_batch_plot_repaints_a_strip_not_the_whole_view(qtbot):
    from PySide6 import QtCore

    plot = shown_batch_plot(qtbot)
    plot.set_expected_steps(1_000_000)
    rng = np.random.default_rng(5)
    steps = np.arange(1, 100_001)
    plot.append(steps, steps // 1000, np.abs(rng.normal(1.0, 0.5, len(steps))))
    plot.redraw()
    qtbot.wait(50)
    heads = [curve.head.getOriginalDataset()[0] for curve in (plot.raw_curve, plot.smooth_curve)]

    painted = []

    class PaintSpy(QtCore.QObject):
        def eventFilter(self, watched, event):
            if event.type() == QtCore.QEvent.Paint:
                painted.append(event.rect())
            return False

    spy = PaintSpy()
    plot.viewport().installEventFilter(spy)
    # The spy must see only the repaints the new chunks cause, not a first paint still under
    # way (on a busy machine, or while windows of earlier tests are deleted): wait for quiet.
    for _ in range(50):
        painted.clear()
        qtbot.wait(60)
        if not painted:
            break
    assert not painted, "the plot never stopped repainting"
    for chunk in range(5):  # five chunks of 200 batches, as a run at batch size 1 sends them
        new = np.arange(100_001 + 200 * chunk, 100_201 + 200 * chunk)
        plot.append(new, new // 1000, np.abs(rng.normal(1.0, 0.5, len(new))))
        plot.redraw()
        qtbot.wait(20)
        now = [curve.head.getOriginalDataset()[0] for curve in (plot.raw_curve, plot.smooth_curve)]
        assert all(a is b for a, b in zip(now, heads))  # the same arrays: not set again
        assert plot.raw_curve.data()[0][-1] == new[-1]
    plot.viewport().removeEventFilter(spy)
    assert painted, "no repaint at all"
    widest = max(rect.width() for rect in painted)
    assert widest < plot.viewport().width() / 4, (widest, plot.viewport().width())


# -- issue 14: stale labels, stale ranges, a clean step drawn clean ------------------------------

def test_the_best_epoch_label_names_this_runs_best_epoch_after_a_reset(qtbot):
    from gui.plots import EpochPlot
    plot = EpochPlot("epochLossPlot", "Epoch loss", "loss", mark_best=True)
    qtbot.addWidget(plot)
    plot.append(np.linspace(1, 0.1, 20), np.linspace(1, 0.2, 20))
    plot.set_best_epoch(17)
    plot.redraw()
    assert plot.best_text == "best epoch 17"
    plot.reset()
    plot.append(np.linspace(1, 0.5, 5), np.linspace(1, 0.6, 5))
    plot.set_best_epoch(3)
    plot.redraw()
    assert plot.best_line.value() == 3
    assert plot.best_text == "best epoch 3"
    labels = [label.text for _sample, label in plot.getPlotItem().legend.items]
    assert labels == ["train", "validation", "best epoch 3"]  # one entry, this run's


def view_range(plot):
    return [tuple(pair) for pair in plot.getPlotItem().vb.viewRange()]


def test_reset_forgets_the_last_runs_ranges(qtbot):
    from gui.plots import BatchLossPlot, EpochPlot, LearningRatePlot
    batch, lr = BatchLossPlot(), LearningRatePlot()
    epochs = EpochPlot("epochLossPlot", "Epoch loss", "loss")
    for plot in (batch, lr, epochs):
        qtbot.addWidget(plot)
    steps = np.arange(1, 1001)
    batch.append(steps, steps // 100, np.geomspace(1, 2e22, 1000))
    lr.append(steps, np.full(1000, 1e5))
    # falling from 1e26, not rising to it: a rise is a blow-up the range leaves out
    # (gui.plots.fair_range)
    epochs.append(np.geomspace(1.5e26, 1, 10), np.geomspace(1e26, 1, 10))
    for plot in (batch, lr, epochs):
        plot.redraw()
        assert max(abs(v) for pair in view_range(plot) for v in pair) > 1e3
        plot.reset()
        plot.redraw()
        (x0, x1), (y0, y1) = view_range(plot)
        assert (x0, x1) == pytest.approx((0, 1), abs=0.01)
        assert (y0, y1) == pytest.approx((0, 1), abs=0.01)


def test_when_a_run_ends_early_the_x_axis_ends_with_it(qtbot):
    from gui.plots import BatchLossPlot, EpochPlot
    batch = BatchLossPlot()
    epochs = EpochPlot("epochLossPlot", "Epoch loss", "loss")
    for plot in (batch, epochs):
        qtbot.addWidget(plot)
    batch.set_expected_steps(100_000)
    epochs.set_expected_epochs(100)
    batch.append(np.arange(1, 3001), np.arange(3000) // 100, np.linspace(2, 1, 3000))
    epochs.append(np.linspace(2, 1, 30), np.linspace(2, 1.2, 30))
    batch.redraw()
    epochs.redraw()
    assert view_range(batch)[0][1] == 6000  # room to grow while the run goes on
    batch.end_run()
    epochs.end_run()
    assert view_range(batch)[0] == pytest.approx((0, 3000))
    assert view_range(epochs)[0] == pytest.approx((0, 30.5))


@pytest.mark.parametrize("budget", [50, 256, 900, 1440])
@pytest.mark.parametrize("change", [36_611, 2, 4 ** 5 + 1, 99_999])
@pytest.mark.parametrize("direction", [1, -1])
def test_a_single_clean_change_of_level_is_drawn_as_one_step(budget, change, direction):
    # issue 14 item 5: the learning-rate plot's min/max blocks zigzagged through both levels
    n = 100_000
    rates = np.where(np.arange(1, n + 1) < change, 0.1, 0.1 * 10.0 ** -direction)
    pyramid = filled("peak", rates.astype(np.float32), [1000, 7])
    steps = np.arange(1, n + 1)
    for start, stop in ((0, n), (change - 5000, change + 5000), (0, change + 10)):
        start, stop = max(start, 0), min(stop, n)
        _, ys = pyramid.display(steps, start, stop, budget)
        assert np.count_nonzero(np.diff(ys)) == 1


# -- kept runs (issue 11) ------------------------------------------------------------------------

def test_step_axis_puts_steps_at_fractional_epochs_samples_and_seconds():
    from gui.buffers import StepAxis
    axis = StepAxis()
    epochs = np.repeat([1, 2, 3], [4, 4, 2])
    samples = np.array([8, 16, 24, 30, 38, 46, 54, 60, 68, 76])  # a short last batch per epoch
    for part in (slice(0, 3), slice(3, 9), slice(9, 10)):
        axis.extend(np.arange(1, 11)[part], epochs[part], samples[part], samples[part] / 100)
    np.testing.assert_allclose(axis.x("epoch")[:8], [8 / 30, 16 / 30, 24 / 30, 1,
                                                     1 + 8 / 30, 1 + 16 / 30, 1 + 24 / 30, 2])
    # the epoch under way is measured against the one before it
    np.testing.assert_allclose(axis.x("epoch")[8:], [2 + 8 / 30, 2 + 16 / 30])
    np.testing.assert_array_equal(axis.x("samples"), samples)
    np.testing.assert_array_equal(axis.x("step"), np.arange(1, 11))
    without = StepAxis()
    without.extend([1, 2], [1, 1])
    assert without.x("samples") is None and without.x("seconds") is None
    np.testing.assert_allclose(without.x("epoch"), [0.5, 1.0])
    with pytest.raises(ValueError, match="x mode"):
        without.x("minutes")


def kept_run(n, batch, epochs_per_run=10):
    per_epoch = n // epochs_per_run
    step = np.arange(1, n + 1)
    return dict(step=step, epoch=(step - 1) // per_epoch + 1, samples=step * batch,
                seconds=step * 1e-3, loss=np.exp(-step / n) + 0.01 * np.sin(step),
                learning_rate=np.where(step < n // 2, 0.1, 0.01))


@pytest.mark.parametrize("plot_class", ["BatchLossPlot", "LearningRatePlot"])
def test_kept_runs_are_drawn_at_a_pixel_budget_in_their_colour_and_legend(qtbot, plot_class):
    import gui.plots as plots
    plot = getattr(plots, plot_class)()
    qtbot.addWidget(plot)
    plot.resize(700, 400)
    plot.show()
    qtbot.waitExposed(plot)
    for index, (n, batch) in enumerate(((100_000, 8), (12_500, 64))):
        plot.add_run(("run", index), f"batch {batch}", plots.run_color(index))
        plot.set_run_data(("run", index), **kept_run(n, batch))
    plot.redraw()
    labels = [label.text for _, label in plot.getPlotItem().legend.items]
    assert labels[-2:] == ["batch 8", "batch 64"]
    curve = plot.runs[("run", 0)].items[0]
    x, y = curve.getData()
    assert 0 < len(x) <= 2 * (plot.getPlotItem().vb.width() + 8)  # a peak entry is 2 points
    assert curve.opts["pen"].color().getRgb()[:3] == plots.run_color(0)
    assert plot.getPlotItem().vb.viewRange()[0][1] == pytest.approx(100_000)  # no doubling
    # against samples seen both runs end at the same x: the fair comparison
    plot.set_x_mode("samples")
    ends = [plot.runs[("run", i)].items[0].getData()[0][-1] for i in (0, 1)]
    assert ends == [800_000, 800_000]
    plot.set_x_mode("epoch")
    assert [plot.runs[("run", i)].items[0].getData()[0][-1] for i in (0, 1)] == [10, 10]
    assert plot.getPlotItem().getAxis("bottom").labelText == "epoch"
    plot.highlight_run(("run", 1))
    assert plot.runs[("run", 1)].items[0].opts["pen"].widthF() == plot.HIGHLIGHT_WIDTH
    assert plot.runs[("run", 0)].items[0].opts["pen"].color().getRgb()[:3] == plots.faded(
        plots.run_color(0))
    plot.set_run_visible(("run", 0), False)
    assert not plot.runs[("run", 0)].items[0].isVisible()
    plot.remove_run(("run", 1))
    assert plot.highlighted is None
    assert "batch 64" not in [label.text for _, label in plot.getPlotItem().legend.items]
    with pytest.raises(KeyError, match="add_run"):
        plot.set_run_visible("nothing", True)
    with pytest.raises(ValueError, match="x mode"):
        plot.set_x_mode("minutes")


def test_the_current_run_follows_the_x_mode_with_its_markers(qtbot):
    from gui.plots import BatchLossPlot
    plot = BatchLossPlot()
    qtbot.addWidget(plot)
    step = np.arange(1, 201)
    plot.append(step, (step - 1) // 50 + 1, np.linspace(1, 0.1, 200), step * 32, step * 0.5)
    plot.add_marker(100, "lr 0.1 → 0.01")
    for mode, end, marker in (("samples", 6400, 3200), ("seconds", 100, 50),
                              ("epoch", 4, 2), ("step", 200, 100)):
        plot.set_x_mode(mode)
        assert plot.smooth_curve.data()[0][-1] == pytest.approx(end)
        assert plot.markers[0][1].value() == pytest.approx(marker)
    plain = BatchLossPlot()
    qtbot.addWidget(plain)
    plain.append(step, step // 50, np.linspace(1, 0.1, 200))  # chunks without samples
    plain.set_x_mode("samples")
    assert len(plain.smooth_curve.data()[0]) == 0


def test_kept_epoch_runs_widen_the_range_and_hide(qtbot):
    from gui.plots import EpochPlot, run_color
    plot = EpochPlot("epochLossPlot", "Epoch loss", "loss")
    qtbot.addWidget(plot)
    plot.append([1.0, 0.8], [1.1, 0.9])
    plot.add_run("long", "lr 0.1", run_color(1))
    plot.set_run_data("long", np.linspace(3, 0.2, 40), np.linspace(3.2, 0.5, 40))
    plot.redraw()
    (x0, x1), (y0, y1) = view_range(plot)
    assert x1 == pytest.approx(40.5) and y1 > 3.2 and y0 < 0.2
    train, val = (curve.getData()[1] for curve in plot.runs["long"].items)
    np.testing.assert_allclose(train, np.linspace(3, 0.2, 40))
    np.testing.assert_allclose(val, np.linspace(3.2, 0.5, 40))
    with pytest.raises(ValueError, match="40 train values, 3 validation"):
        plot.set_run_data("long", np.ones(40), np.ones(3))


def test_trust_ratios_are_on_a_log_axis_so_decades_stay_readable(qtbot):
    from gui import glossary
    from gui.plots import LearningRatePlot
    plot = LearningRatePlot()
    qtbot.addWidget(plot)
    plot.reset(["dense 1", "dense 2"])
    steps = np.arange(1, 501)
    ratios = np.column_stack([np.geomspace(1e-2, 1e2, 500), np.geomspace(1e3, 8e6, 500)])
    plot.append(steps, np.full(500, 0.1), ratios)
    plot.redraw()
    assert plot.getPlotItem().getAxis("right").logMode is True
    plot.ratio_view.autoRange(padding=0)
    low, high = plot.ratio_view.viewRange()[1]
    assert low == pytest.approx(-2, abs=0.05) and high == pytest.approx(np.log10(8e6), abs=0.05)
    assert "‖w‖ / ‖g‖" in glossary.text("learning_rate_plot")
    assert "로그 축" in glossary.text("learning_rate_plot", "ko")


def test_the_data_plot_names_csv_columns_and_scales_counts_by_colour(qtbot, tmp_path):
    from engine import datasets
    from gui.plots import DataPlot
    from gui.views import geometry_for
    rng = np.random.default_rng(0)
    path = tmp_path / "people.csv"
    rows = [f"{h:.3f},{w:.3f},{int(h > w)}" for h, w in rng.normal(size=(100, 2))]
    path.write_text("height,weight,label\n" + "\n".join(rows) + "\n")
    plot = DataPlot()
    qtbot.addWidget(plot)
    plot.set_dataset(geometry_for(datasets.load(f"csv:{path}", seed=0)))
    item = plot.getPlotItem()
    assert (item.getAxis("bottom").labelText, item.getAxis("left").labelText) == (
        "height", "weight")
    assert plot.describe(0.5, -0.25).startswith("height 0.5, weight -0.25")
    assert not plot.color_bar.isVisible()
    counts = datasets.load("counts", seed=0)
    plot.set_dataset(geometry_for(counts))
    assert plot.color_bar.isVisible()
    assert plot.color_bar.levels() == pytest.approx(
        (float(min(counts.y_train.min(), counts.y_val.min())),
         float(max(counts.y_train.max(), counts.y_val.max()))))


def test_a_large_dataset_draws_a_fixed_sample_of_its_own_points(qtbot, tmp_path):
    """A 100,000-row CSV took 1.1 s to hand to the scatter at start-up; the plot draws a fixed
    sample of MAX_DRAWN_POINTS rows per set, each a real row, and all rows of a small set."""
    from engine import datasets
    from gui import plots
    from gui.views import geometry_for
    rng = np.random.default_rng(1)
    path = tmp_path / "big.csv"
    rows = [f"{a:.4f},{b:.4f},{int(a > b)}" for a, b in rng.normal(size=(20_000, 2))]
    path.write_text("a,b,label\n" + "\n".join(rows) + "\n")
    data = datasets.load(f"csv:{path}", seed=0)
    plot = plots.DataPlot()
    qtbot.addWidget(plot)
    plot.set_dataset(geometry_for(data))
    x, y = plot.train_points.getData()
    assert len(x) == plots.MAX_DRAWN_POINTS < len(data.x_train)
    drawn = set(zip(np.round(x, 9), np.round(y, 9)))
    real = set(zip(np.round(data.x_train[:, 0], 9), np.round(data.x_train[:, 1], 9)))
    assert drawn <= real and len(drawn) == plots.MAX_DRAWN_POINTS
    plot.set_dataset(geometry_for(data))
    again_x, _ = plot.train_points.getData()
    assert np.array_equal(again_x, x)  # the same sample: nothing flickers on a Reset
    small = datasets.load("circle", seed=0)
    plot.set_dataset(geometry_for(small))
    assert len(plot.train_points.getData()[0]) == len(small.x_train)


def test_an_ended_run_keeps_its_axis_end_in_every_x_mode(qtbot):
    """After a run ends, switching the x axis to epochs or samples doubled the range (the
    doubling waited for a planned end only the step mode knew): 20 epochs were drawn on an
    axis to 40. While a run goes, the plan in other modes follows its pace."""
    from gui.plots import BatchLossPlot
    plot = BatchLossPlot()
    qtbot.addWidget(plot)
    plot.resize(700, 400)
    plot.show()
    qtbot.waitExposed(plot)
    plot.set_expected_steps(400)
    steps = np.arange(1, 201)
    epochs = (steps - 1) // 20 + 1
    plot.append(steps, epochs, np.linspace(2, 0.1, 200), samples=steps * 64.0)
    plot.redraw()
    plot.set_x_mode("samples")
    plot.redraw()
    assert plot.getPlotItem().vb.viewRange()[0][1] == pytest.approx(400 * 64)  # the plan
    plot.end_run()
    for mode, end in (("epoch", 10), ("samples", 200 * 64), ("step", 200)):
        plot.set_x_mode(mode)
        plot.redraw()
        assert plot.getPlotItem().vb.viewRange()[0][1] == pytest.approx(end), mode


@pytest.mark.gui
def test_a_registered_plot_is_built_laid_out_listed_fed_and_redrawn(make_window, monkeypatch,
                                                                     qtbot, tmp_path):
    """A plot is its module and one registry entry: the window builds it, lays it out, lists
    it in View > Plots and Save Image, gives it its title, feeds it the session's runs and
    redraws it on the frame clock, with no line of the window naming it."""
    from PySide6 import QtWidgets
    from gui.plots import LivePlot, registry

    class Probe(LivePlot):
        def __init__(self):
            super().__init__()
            self.setObjectName("probePlot")
            self.seen, self.redraws = [], 0

        def start_run(self, run):
            self.seen.append(("start", run.facts.task))

        def take_progress(self, run, progress):
            self.seen.append(("progress", progress.step_count))

        def end_run(self):
            self.seen.append(("end",))

        def redraw(self):
            self.redraws += 1

    entry = registry.PlotEntry("probePlot", Probe, "batch_loss_plot", "bottom")
    monkeypatch.setattr(registry, "PLOTS", registry.PLOTS + [entry])
    window = make_window()
    probe = window.findChild(Probe, "probePlot")
    assert probe is window.plots["probePlot"] and probe.isVisible()
    assert probe.seen[0][0] == "start"
    assert probe.getPlotItem().titleLabel.text == "Batch loss"
    assert window.plot_actions["probePlot"] in window.plots_menu.actions()
    window.plot_actions["probePlot"].setChecked(False)
    assert probe.isHidden()
    window.plot_actions["probePlot"].setChecked(True)
    window.step()
    qtbot.waitUntil(lambda: ("progress", 1) in probe.seen, timeout=10000)
    before = probe.redraws
    window.redraw_now()
    assert probe.redraws > before
    path = tmp_path / "probe.png"
    window.save_image(str(path), "probePlot")
    assert path.stat().st_size > 0
    with pytest.raises(ValueError, match="already"):
        registry.register(entry)
    assert isinstance(probe.parentWidget(), QtWidgets.QSplitter)


def test_a_sweeps_race_draws_its_runs_on_the_frame_clocks_race_tick(qtbot):
    """The race has no timer of its own: a racing run's chunk wakes the window's frame clock,
    whose race tick (every RACE_REDRAW_MS while chunks come) has the drawer put the run on the
    plots; a race with no new chunks wakes nothing."""
    import types

    from engine import TrainingConfig
    from engine.sweep import RunChunk, Sweep
    from gui.plots import BatchLossPlot
    from gui.plots.clock import RACE_REDRAW_MS, FrameClock
    from gui.plots.drawer import RunOverlays
    from gui.race import SweepRace
    from gui.session import Session
    plot = BatchLossPlot()
    qtbot.addWidget(plot)
    clock = FrameClock({"batchLossPlot": (plot, "batch")}, plot)
    session = Session()
    RunOverlays([plot], clock).bind(session.runs)
    race = SweepRace(session, clock, plot)
    config = TrainingConfig(dataset="circle", n_samples=60, hidden_layers=(4,), epochs=2)
    points = Sweep(config, "batch_size", (16, 24)).points()
    race.begin(types.SimpleNamespace(points=points))
    assert race.busy and not clock.race_timer.isActive()
    step = np.arange(1, 11)
    race.add_chunk(points[0].index, RunChunk(step=step, epoch=np.ones(10), loss=1 / step,
                                             learning_rate=np.full(10, 0.1), events=[]))
    (entry,) = session.runs.of("racing")
    assert clock.race_timer.isActive() and clock.race_timer.interval() == RACE_REDRAW_MS
    assert entry.key not in plot.runs  # drawn at the tick, not now
    qtbot.waitUntil(lambda: entry.key in plot.runs, timeout=5000)
    assert len(plot.runs[entry.key].data["values"]) == 10
    assert not clock.race_timer.isActive()  # no new chunk: no next tick
    race.stop()
    assert not race.busy


def drawn_by_a_session(qtbot, *plots):
    """A drawer of runs on ``plots`` (each closed with the test) bound to a new session's
    collection of runs, as the window binds its plots: (drawer, session)."""
    from gui.plots.clock import FrameClock
    from gui.plots.drawer import RunOverlays
    from gui.session import Session
    for plot in plots:
        qtbot.addWidget(plot)
    drawer = RunOverlays(plots, FrameClock({}, plots[0]))
    session = Session()
    drawer.bind(session.runs)
    return drawer, session


def test_while_a_sweep_races_a_kept_run_reaches_the_plots_one_per_turn(qtbot):
    """Keeping a run lays out every plot's legend and redraws the plot: while a sweep races
    (it keeps a run every few tens of ms) the plots take it one per turn of the event loop,
    so the race stays live (tests/benchmarks/sweep_speed.py --gui); outside a race a keep is
    drawn on every plot at once. Either way every plot ends with every kept run."""
    from engine import BatchChunk, TrainingConfig
    from gui.messages import Progress
    from gui.model.labels import Label
    from gui.plots import BatchLossPlot, accuracy_plot
    from gui.session import RunFacts
    plots = (BatchLossPlot(), accuracy_plot())
    drawer, session = drawn_by_a_session(qtbot, *plots)
    config = TrainingConfig(dataset="circle", batch_size=16, epochs=4)

    def keep():
        run = session.new_run(config, RunFacts("binary", 160, 10, 4))
        step = np.arange(1, 11, dtype=np.int64)
        chunk = BatchChunk(step, np.ones(10, np.int64), 1.0 / step, np.full(10, 0.1), [],
                           None, samples=16.0 * step, seconds=0.01 * step)
        session.apply_progress(Progress(run.run_id, chunk, {
            "train_loss": [0.5], "val_loss": [0.6], "train_accuracy": [0.7],
            "val_accuracy": [0.6]}, None, None, 10, 1, 10))
        return session.keep_current().key

    first = keep()  # no race: on every plot at once
    assert not drawer.drawing and all(first in plot.runs for plot in plots)
    drawer.highlight(first)
    racing = session.add_racing(Label.of_text("batch size 8"), (200, 0, 0), config)
    second = keep()  # a race: not yet on any plot, then on each
    assert drawer.drawing and not any(second in plot.runs for plot in plots)
    qtbot.waitUntil(lambda: not drawer.drawing, timeout=5000)
    assert all({first, second} <= set(plot.runs) for plot in plots)
    assert all(plot.highlighted == first for plot in plots)
    session.runs.remove([racing.key])
    third = keep()
    assert not drawer.drawing and all(third in plot.runs for plot in plots)


def test_every_legend_names_the_kept_runs_in_the_order_they_were_kept(qtbot):
    """A plot that drew a sweep's run while it raced holds its entry from then; one that had
    not yet takes it when the run is kept, after the runs kept meanwhile. Each legend then
    had its own order and, its rows full, named other runs before "+N more": every legend
    follows the collection's order (the run table's)."""
    from engine import TrainingConfig
    from gui.model.labels import Label
    from gui.plots import accuracy_plot, epoch_loss_plot
    from gui.session import EPOCH_COLUMNS, KeptRun
    plots = (accuracy_plot(), epoch_loss_plot())
    drawer, session = drawn_by_a_session(qtbot, *plots)

    def record(learning_rate):
        step = np.arange(1.0, 31.0)
        steps = {"step": step, "epoch": np.ceil(step / 10), "samples": step,
                 "seconds": step / 100, "batch_loss": 1 / step,
                 "learning_rate": np.full(30, learning_rate)}
        epochs = {column: np.linspace(0.7, 0.3, 3) for column in EPOCH_COLUMNS}
        config = TrainingConfig(dataset="circle", epochs=3, learning_rate=learning_rate)
        return KeptRun(0, config, steps, epochs, "finished", 0.3, 100.0)

    raced = session.add_racing(Label.of_text("racing"), (200, 0, 0),
                               TrainingConfig(dataset="circle", epochs=3, learning_rate=0.2))
    plots[0].add_run(raced.key, "racing", (200, 0, 0))  # the first plot drew it racing
    session.add_kept(record(0.1))
    session.keep_racing([(raced, record(0.2))])
    qtbot.waitUntil(lambda: not drawer.drawing, timeout=5000)
    kept = [str(run.label) for run in session.kept]
    assert [run.config.learning_rate for run in session.kept] == [0.1, 0.2]
    assert len(set(kept)) == 2
    for plot in plots:
        named = [label.text for _sample, label in plot.getPlotItem().legend.items]
        assert [name for name in named if name in kept] == kept, named


def test_the_current_run_is_drawn_through_the_drawer_like_any_run(qtbot):
    """One drawer, bound to the session, draws the current run as it grows through the same
    entry point as a kept run (show_run with the run's columns): the current run's batch
    loss and epoch curves end where the same columns drawn as a kept run end, in every x
    mode; a knob's marker lands on its step, drawn before the marker is placed."""
    from engine import BatchChunk, TrainingConfig
    from engine.history import Event as Change
    from gui.messages import Progress
    from gui.plots import BatchLossPlot, accuracy_plot
    from gui.session import RunFacts
    batch, epochs = BatchLossPlot(), accuracy_plot()
    _drawer, session = drawn_by_a_session(qtbot, batch, epochs)
    config = TrainingConfig(dataset="circle", batch_size=16, epochs=4)
    run = session.new_run(config, RunFacts("binary", 160, 10, 4))
    for start in (0, 10, 20):
        step = np.arange(start + 1, start + 11, dtype=np.int64)
        events = [Change(start + 5, "learning_rate", 0.1, 0.05)] if start == 10 else []
        chunk = BatchChunk(step, (step - 1) // 10 + 1, 1.0 / step, np.full(10, 0.1), events,
                           None, samples=16.0 * step, seconds=0.01 * step)
        session.apply_progress(Progress(run.run_id, chunk, {
            "train_loss": [0.5], "val_loss": [0.6], "train_accuracy": [0.7 + start / 100],
            "val_accuracy": [0.6 + start / 100]}, None, None, start + 10, start // 10 + 1, 10))
    same = session.keep_current().key  # the same columns, drawn as a kept run
    for mode in ("step", "samples", "seconds", "epoch"):
        batch.set_x_mode(mode)
        batch.redraw()
        x, y = batch.smooth_curve.data()
        kept_x, kept_y = batch.runs[same].items[0].getData()
        assert len(x) == 30 and x[-1] == pytest.approx(kept_x[-1])
        np.testing.assert_allclose(y, kept_y, rtol=1e-6)  # the same smoothing of one column
    batch.set_x_mode("step")
    assert [marker.value() for _step, marker in batch.markers] == [15]
    epochs.redraw()
    np.testing.assert_allclose(epochs.train.view, [0.7, 0.8, 0.9])
    np.testing.assert_allclose(epochs.runs[same].data["val"], epochs.val.view)
