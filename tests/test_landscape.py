"""The landscape draws the engine's loss surface and the trainer's real path over it."""

import numpy as np
import pytest

from engine import ConfigError, Trainer, datasets
from gui import i18n
from gui import landscape
from gui.landscape import DEFAULT_CONFIG, DEFAULT_START, LandscapePlot

pytestmark = pytest.mark.gui


@pytest.fixture
def view(qtbot):
    widget = LandscapePlot()
    qtbot.addWidget(widget)
    return widget


def _engine_loss(config, w, b):
    """An independent trainer's training loss with its two numbers set to (w, b)."""
    trainer = Trainer(config)
    trainer.model.set_weights(np.array([w, b]))
    return trainer.evaluate("train")["loss"]


def test_surface_points_are_the_engines_loss(view):
    weights, biases, losses = view.surface()
    assert losses.shape == (landscape.GRID, landscape.GRID)
    rng = np.random.default_rng(1)
    for i, j in rng.integers(0, landscape.GRID, size=(10, 2)):
        expected = _engine_loss(DEFAULT_CONFIG, weights[i], biases[j])
        assert losses[i, j] == pytest.approx(expected, rel=1e-12)
    # the map holds the start and is centred on the valley floor
    assert weights[0] < DEFAULT_START[0] < weights[-1]
    assert biases[0] < DEFAULT_START[1] < biases[-1]
    i, j = np.unravel_index(np.argmin(losses), losses.shape)
    assert 0 < i < landscape.GRID - 1 and 0 < j < landscape.GRID - 1


@pytest.mark.parametrize("choice, rate", [(0, 0.2), (1, 0.05), (2, 0.1)])
def test_path_is_the_trainers_parameter_sequence(view, choice, rate):
    view.optimizer_combo.setCurrentIndex(choice)
    view.rate_spin.setValue(rate)
    for _ in range(30):
        view.step()
    path = view.path()
    assert path.shape == (31, 2)
    config = DEFAULT_CONFIG.replace(learning_rate=rate,
                                    **landscape.OPTIMIZERS[view.optimizer_combo.currentData()])
    trainer = Trainer(config)
    trainer.model.set_weights(np.array(DEFAULT_START))
    expected = [trainer.model.get_weights()]
    for _ in range(30):
        trainer.step()
        expected.append(trainer.model.get_weights())
    np.testing.assert_array_equal(path, np.array(expected))
    x, y = view.path_curve.getOriginalDataset()
    np.testing.assert_array_equal(np.column_stack([x, y]), path)
    # full batch: each recorded batch loss is the surface's loss at the dot before the step
    losses = landscape.loss_at(view.trainer, path[:-1])
    recorded = view.trainer.history.batch_loss
    # History keeps batch losses in float32: equal to that precision
    np.testing.assert_allclose(recorded, losses, rtol=max(np.finfo(recorded.dtype).eps, 1e-12))


def _stability_limit():
    data = datasets.load("sine", noise=DEFAULT_CONFIG.noise, validation_split=0.2, seed=0)
    x = np.column_stack([data.x_train[:, 0], np.ones(len(data.x_train))])
    return 2.0 / np.linalg.eigvalsh(2.0 / len(x) * x.T @ x).max()


def test_gradient_descent_zigzags_below_the_limit_and_leaves_above_it(view):
    """The explanation's numbers: the limit is about 0.3; 0.28 zig-zags, 0.32 diverges."""
    assert 0.29 < _stability_limit() < 0.31
    view.rate_spin.setValue(0.28)
    for _ in range(40):
        view.step()
    weights = view.path()[:, 0]
    flips = np.sum(np.sign(np.diff(weights)[1:]) != np.sign(np.diff(weights)[:-1]))
    assert flips >= 35  # the weight's step changes sign at (almost) every step
    assert not view.diverged
    view.rate_spin.setValue(0.32)  # resets the path
    assert len(view.path()) == 1
    for _ in range(200):
        view.step()
    # the engine flags the divergence (the loss rose far above its best) or the path leaves
    # the map, whichever comes first; either ends the path within 60 steps
    diverged = view.trainer.history.diverged
    assert view.diverged and len(view.path()) < 60
    expected = diverged.message if diverged is not None else "left the map"
    assert expected in view.status.text()
    assert not view.step_button.isEnabled()


def test_live_stepping_at_pace_and_pause(view, qtbot):
    view.pace_spin.setValue(50)
    view.start_button.click()
    assert view.running
    qtbot.waitUntil(lambda: len(view.path()) >= 6, timeout=5000)
    view.start_button.click()
    assert not view.running
    count = len(view.path())
    qtbot.wait(100)
    assert len(view.path()) == count


def test_models_with_more_numbers_are_refused(view):
    with pytest.raises(ConfigError, match="two trainable numbers.*'plane'.*has 3"):
        view.set_config(DEFAULT_CONFIG.replace(dataset="plane"))
    with pytest.raises(ConfigError, match="has 4"):
        view.set_config(DEFAULT_CONFIG.replace(hidden_layers=(1,)))


def test_korean_labels(view):
    i18n.set_language("ko")
    assert view.start_button.text() == "시작"
    assert view.plot.getPlotItem().getAxis("bottom").labelText == "가중치 w"
    assert view.optimizer_combo.itemText(1) == "sgd + 모멘텀 0.9"


# -- the two-weights model and what each optimizer does -----------------------------------------

def _run(view, optimizer, rate, steps=150):
    view.optimizer_combo.setCurrentIndex(list(landscape.OPTIMIZERS).index(optimizer))
    view.rate_spin.setValue(rate)
    for _ in range(steps):
        view.step()
    return view.path()


def _overshoot(path, minimum, axis):
    """How far the path goes past the minimum along ``axis``, as a fraction of where it
    started from: 0 when it never crosses to the other side."""
    offset = path[:, axis] - minimum[axis]
    return max(0.0, float(np.max(-offset * np.sign(offset[0])) / abs(offset[0])))


def test_two_weights_surface_is_the_engines_loss_with_the_bias_fixed(view):
    view.set_variant("two_weights")
    assert view.variant_combo.currentData() == "two_weights"
    data = datasets.load("plane", noise=landscape.TWO_WEIGHTS_CONFIG.noise,
                         validation_split=0.2, seed=0)
    x = data.x_train * np.array([1.0, landscape.SECOND_INPUT_SCALE])
    design = np.column_stack([x, np.ones(len(x))])
    w1, w2, bias = np.linalg.lstsq(design, data.y_train, rcond=None)[0]
    np.testing.assert_allclose(view.minimum, [w1, w2], rtol=1e-12)
    first, second, losses = view.surface()
    rng = np.random.default_rng(2)
    for i, j in rng.integers(0, landscape.GRID, size=(8, 2)):
        expected = np.mean((x @ np.array([first[i], second[j]]) + bias - data.y_train) ** 2)
        assert losses[i, j] == pytest.approx(expected, rel=1e-9)
    # the valley is 16x less curved along w2, and the minimum of the drawn grid is inside it
    i, j = np.unravel_index(np.argmin(losses), losses.shape)
    assert 0 < i < landscape.GRID - 1 and 0 < j < landscape.GRID - 1
    path = _run(view, "adam", 0.1, steps=20)
    assert view.trainer.model.get_weights()[-1] == pytest.approx(bias, rel=1e-6)
    assert path.shape == (21, 2)
    assert len(np.unique(path[:, 0])) == len(np.unique(path[:, 1])) == 21  # both weights move


@pytest.mark.parametrize("variant", ["weight_bias", "two_weights"])
def test_momentum_overshoots_the_steep_axis_where_small_rate_gd_does_not(view, variant):
    view.set_variant(variant)
    demos = {optimizer: rate for _label, optimizer, rate in view.variant.demos[:3]}
    for optimizer, rate, overshoot in (("gd", view.variant.demos[0][2], (0.0, 0.05)),
                                       ("momentum", demos["momentum"], (0.5, 1.0))):
        path = _run(view, optimizer, rate)
        low, high = overshoot
        assert low <= _overshoot(path, view.minimum, 0) < high, optimizer
        # it ends at the valley floor, without leaving the map
        assert np.max(np.abs(path[-1] - view.minimum)) < 0.05
        assert view.left_map_at is None and not view.diverged


def test_gradient_descent_near_the_limit_zigzags_across_the_steep_axis_only(view):
    view.set_variant("two_weights")
    path = _run(view, "gd", 2.7, steps=40)
    offset = path - view.minimum
    flips = np.sign(offset[1:]) != np.sign(offset[:-1])
    assert flips[:, 0].all()  # w1 jumps to the other side of the valley at every step
    assert not flips[:, 1].any()  # w2 creeps down the long axis from one side


@pytest.mark.parametrize("variant", ["weight_bias", "two_weights"])
def test_adam_steps_equally_along_each_coordinate_gd_follows_the_slope(view, variant):
    view.set_variant(variant)
    adam = _run(view, "adam", 0.1, steps=1)
    np.testing.assert_allclose(np.abs(adam[1] - adam[0]), [0.1, 0.1], rtol=1e-3)
    gd = _run(view, "gd", 0.05, steps=1)
    step = np.abs(gd[1] - gd[0])
    assert step[0] / step[1] > 4  # along the gradient: mostly the steep axis


@pytest.mark.parametrize("variant", ["weight_bias", "two_weights"])
def test_too_large_a_rate_leaves_the_map_and_is_flagged(view, variant):
    view.set_variant(variant)
    view.show_demo(len(view.variant.demos) - 1)  # "too large: leaves the map"
    _label, optimizer, rate = view.variant.demos[-1]
    assert view.optimizer_combo.currentData() == optimizer and view.rate_spin.value() == rate
    assert optimizer == "gd" and view.path().shape == (1, 2)
    for _ in range(60):
        view.step()
    assert view.diverged and view.left_map_at is not None
    assert len(view.path()) <= 12
    (low_w, high_w), (low_b, high_b) = [(axis[0], axis[-1]) for axis in view.surface()[:2]]
    outside = view.path()[view.left_map_at]
    assert not (low_w <= outside[0] <= high_w and low_b <= outside[1] <= high_b)
    assert f"left the map at step {view.left_map_at}" in view.status.text()
    assert not view.step_button.isEnabled() and not view.start_button.isEnabled()
    i18n.set_language("ko")
    assert f"{view.left_map_at}단계에서 경로가 지도 밖으로" in view.status.text()


def test_two_weights_labels_in_both_languages(view):
    view.set_variant("two_weights")
    axis = view.plot.getPlotItem().getAxis
    assert (axis("bottom").labelText, axis("left").labelText) == ("weight w1", "weight w2")
    assert view.status.text().startswith("step 0: loss ") and "w1 = -1.000" in view.status.text()
    i18n.set_language("ko")
    assert (axis("bottom").labelText, axis("left").labelText) == ("가중치 w1", "가중치 w2")
    assert view.demo_combo.itemText(3) == "모멘텀 0.9 (0.3): 골짜기 바닥을 지나침"
    with pytest.raises(ValueError, match="variant 'three' is unknown; valid: weight_bias"):
        view.set_variant("three")


def test_the_surface_is_evaluated_when_first_shown_not_at_construction(qtbot, monkeypatch):
    """A window whose landscape dock stays closed must not pay GRID x GRID evaluations at
    start-up; the first show (or a call to surface()) draws it."""
    calls = []
    original = landscape.TwoNumbers.loss_at

    def counted(numbers, points):
        calls.append(len(points))
        return original(numbers, points)

    monkeypatch.setattr(landscape.TwoNumbers, "loss_at", counted)
    hidden = LandscapePlot()
    qtbot.addWidget(hidden)
    assert landscape.GRID ** 2 not in calls
    hidden.show()
    qtbot.waitUntil(lambda: landscape.GRID ** 2 in calls, timeout=5000)
    first, second, losses = hidden.surface()
    assert losses.shape == (landscape.GRID, landscape.GRID)
    assert calls.count(landscape.GRID ** 2) == 1  # drawn once, not again by surface()
    assert np.all(np.isfinite(losses))


# -- the arrows at the current point: -grad L and the step rate * (-grad L) ---------------------

def _least_squares_gradient(x, y, kernel, bias):
    """The gradient of mean((x @ kernel + bias - y)^2) with respect to the kernel, derived by
    hand (independent of the engine): 2/n x^T r, and 2/n sum(r) for the bias."""
    residual = x @ kernel + bias - y[:, 0]
    return 2.0 / len(x) * (x.T @ residual), 2.0 / len(x) * residual.sum()


def _central_difference(view, point, step=1e-6):
    """The surface's own slope at ``point``: central differences of the engine's loss."""
    slope = []
    for axis in range(2):
        shift = np.zeros(2)
        shift[axis] = step
        high, low = view.numbers.loss_at(np.array([point + shift, point - shift]))
        slope.append((high - low) / (2 * step))
    return np.array(slope)


def test_the_arrows_are_minus_the_gradient_and_the_rate_times_it(view):
    data = datasets.load("sine", noise=DEFAULT_CONFIG.noise, validation_split=0.2, seed=0)
    for _ in range(3):
        view.step()
    point = view.path()[-1]
    kernel_gradient, bias_gradient = _least_squares_gradient(
        data.x_train, data.y_train.reshape(-1, 1), point[:1], point[1])
    expected = -np.array([kernel_gradient[0], bias_gradient])
    np.testing.assert_allclose(-view.gradient(), expected, rtol=1e-10)
    np.testing.assert_allclose(view.gradient(), _central_difference(view, point), rtol=1e-6)
    arrows = view.arrows()
    start, downhill = arrows["gradient"]
    np.testing.assert_array_equal(start, point)
    np.testing.assert_allclose(downhill, expected, rtol=1e-10)
    start, step = arrows["step"]
    np.testing.assert_array_equal(start, point)
    np.testing.assert_allclose(step, 0.2 * expected, rtol=1e-10)
    head = view.step_arrow.head.pos()
    np.testing.assert_allclose([head.x(), head.y()], point + step, rtol=1e-12)
    # gradient descent's next dot is where the step arrow points
    view.step()
    np.testing.assert_allclose(view.path()[-1], point + step, rtol=1e-12)
    texts = [label.text for _sample, label in view.legend.items]
    length = np.hypot(*view.arrows()["gradient"][1])
    assert texts == [f"−∇L (downhill), length {length:.3g}",
                     f"step η·(−∇L), η = 0.2: length {0.2 * length:.3g}"]


def test_the_step_arrow_follows_the_rate_and_the_korean_legend(view):
    view.rate_spin.setValue(0.05)  # back to the start with the new rate
    start, downhill = view.arrows()["gradient"]
    np.testing.assert_array_equal(start, DEFAULT_START)
    np.testing.assert_allclose(view.arrows()["step"][1], 0.05 * downhill, rtol=1e-12)
    view.rate_spin.setValue(0.28)
    np.testing.assert_allclose(view.arrows()["step"][1], 0.28 * downhill, rtol=1e-12)
    np.testing.assert_array_equal(view.arrows()["gradient"][1], downhill)
    i18n.set_language("ko")
    texts = [label.text for _sample, label in view.legend.items]
    length = np.hypot(*downhill)
    assert texts[1].endswith(f"η = 0.28: 길이 {0.28 * length:.3g}"), texts


def test_the_arrows_of_the_two_weights_model_leave_the_fixed_bias_out(view):
    view.set_variant("two_weights")
    data = datasets.load("plane", noise=landscape.TWO_WEIGHTS_CONFIG.noise,
                         validation_split=0.2, seed=0)
    x = data.x_train * np.array([1.0, landscape.SECOND_INPUT_SCALE])
    bias = np.linalg.lstsq(np.column_stack([x, np.ones(len(x))]), data.y_train,
                           rcond=None)[0][-1]
    for _ in range(2):
        view.step()
    point = view.path()[-1]
    kernel_gradient, _ = _least_squares_gradient(x, data.y_train.reshape(-1, 1), point, bias)
    np.testing.assert_allclose(view.arrows()["gradient"][1], -kernel_gradient, rtol=1e-10)
    np.testing.assert_allclose(view.gradient(), _central_difference(view, point), rtol=1e-6)
    np.testing.assert_allclose(view.arrows()["step"][1], -1.0 * kernel_gradient, rtol=1e-10)



# -- the made-up two-basin surface -------------------------------------------------------------

def test_the_two_basin_map_is_the_made_up_surface_and_says_so(view):
    from engine import landscape_surface
    view.set_variant("two_basins")
    assert view.trainer is None  # not a model
    first, second, losses = view.surface()
    grid = np.stack(np.meshgrid(first, second, indexing="ij"), axis=-1)
    np.testing.assert_array_equal(losses, landscape_surface.value(grid))
    near, far = landscape_surface.minima()
    np.testing.assert_array_equal(view.minima, [far, near])
    np.testing.assert_array_equal(view.minimum, far)
    for point in (near, far, landscape.TWO_BASINS_START):
        assert first[0] < point[0] < first[-1] and second[0] < point[1] < second[-1]
    assert "made-up surface, not a model's loss" in view.variant_combo.currentText()
    i18n.set_language("ko")
    assert "만든 곡면" in view.variant_combo.currentText()


@pytest.mark.parametrize("demo, ends_in", [(0, "near"), (1, "far"), (2, "near")])
def test_the_two_basin_demos_end_where_their_labels_say(view, demo, ends_in):
    from engine import landscape_surface
    view.set_variant("two_basins")
    view.show_demo(demo)
    _label, optimizer, rate = view.variant.demos[demo]
    view.step()
    point = view.path()[-1]
    start, downhill = view.arrows()["gradient"]
    np.testing.assert_array_equal(start, point)
    np.testing.assert_allclose(downhill, -landscape_surface.gradient(point), rtol=1e-12)
    np.testing.assert_allclose(view.arrows()["step"][1], rate * downhill, rtol=1e-12)
    for _ in range(299):
        view.step()
    assert not view.step_button.isEnabled()  # the variant's 300 steps are done
    path = view.path()
    config = landscape.OPTIMIZERS[optimizer]
    expected = landscape_surface.descend(landscape.TWO_BASINS_START, config["optimizer"],
                                         steps=300, learning_rate=rate,
                                         **({"momentum": config["momentum"]}
                                            if config["momentum"] else {}))
    np.testing.assert_allclose(path, expected, rtol=1e-12, atol=1e-15)
    near, far = landscape_surface.minima()
    np.testing.assert_allclose(path[-1], near if ends_in == "near" else far, atol=1e-4)
