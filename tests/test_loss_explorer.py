"""The loss explorer draws the engine's own losses: every plotted point is checked against
``engine.losses`` called on that single prediction, and the gradient against both the engine's
gradient and a central difference of the drawn curve."""

import numpy as np
import pytest

from engine import losses
from gui import loss_explorer
from gui.loss_explorer import MODES, LossExplorer

pytestmark = pytest.mark.gui


@pytest.fixture
def explorer(qtbot):
    widget = LossExplorer()
    qtbot.addWidget(widget)
    widget.resize(1000, 640)
    return widget


def _engine_value_and_gradient(name, mode, target, x):
    """The engine's loss and slope for one prediction, built independently of the widget."""
    loss = losses.get(name)
    if mode == "categorical":
        y_pred = np.full((1, 3), (1.0 - x) / 2.0)
        y_pred[0, target] = x
        y_true = (np.array([target]) if name == "sparse_categorical_crossentropy"
                  else np.eye(3)[[target]])
        direction = np.full(3, -0.5)
        direction[target] = 1.0
        return loss(y_true, y_pred), float(loss.gradient(y_true, y_pred)[0] @ direction)
    y_true = np.array([[float(target)]])
    y_pred = np.array([[x]])
    return loss(y_true, y_pred), float(loss.gradient(y_true, y_pred)[0, 0])


CASES = [("binary_1", "binary", 1, None), ("binary_0", "binary", 0, None),
         ("class_2", "categorical", 2, None), ("class_0", "categorical", 0, None),
         ("regression", "regression", 2.5, 2.5)]


@pytest.mark.parametrize("key, mode, target, value", CASES)
def test_plotted_points_are_the_engines_losses(explorer, key, mode, target, value):
    explorer.set_target(key, value)
    explorer.set_losses(MODES[mode]["losses"])
    drawn = explorer.curves()
    assert sorted(drawn) == sorted(MODES[mode]["losses"])
    rng = np.random.default_rng(0)
    for name, (x, values, gradients) in drawn.items():
        assert len(x) == loss_explorer.SAMPLES
        finite = np.flatnonzero(np.isfinite(values))
        assert len(finite) > 0.3 * len(x), name  # bce: [0, 1] of the sweep [-1, 2]
        for index in rng.choice(finite, 12, replace=False):
            value, gradient = _engine_value_and_gradient(name, mode, target, float(x[index]))
            assert values[index] == pytest.approx(value, rel=1e-12, abs=1e-12), name
            assert gradients[index] == pytest.approx(gradient, rel=1e-9, abs=1e-9), name


@pytest.mark.parametrize("key, mode, target, value", CASES)
def test_gradient_curve_is_the_slope_of_the_loss(explorer, key, mode, target, value):
    """Central differences of the engine's loss at drawn points equal the drawn gradient."""
    explorer.set_target(key, value)
    explorer.set_losses(MODES[mode]["losses"])
    step = 1e-6
    for name, (x, values, gradients) in explorer.curves().items():
        checked = 0
        for index in np.flatnonzero(np.isfinite(values))[::7]:
            point = float(x[index])
            try:
                low = _engine_value_and_gradient(name, mode, target, point - step)[0]
                high = _engine_value_and_gradient(name, mode, target, point + step)[0]
            except ValueError:  # a neighbour outside the loss's domain (e.g. poisson at 0)
                continue
            left = (values[index] - low) / step
            right = (high - values[index]) / step
            if not np.isclose(left, right, rtol=1e-3, atol=1e-3):
                continue  # a kink or a clip edge: the slope has no single value there
            assert gradients[index] == pytest.approx((high - low) / (2 * step), rel=1e-4,
                                                     abs=1e-4), (name, point)
            checked += 1
        assert checked >= 15, name


def test_hinge_is_exactly_zero_past_the_margin_and_crossentropy_is_not(explorer):
    explorer.set_target("binary_1")
    explorer.set_losses(["binary_crossentropy", "hinge"])
    x, hinge, hinge_grad = explorer.curves()["hinge"]
    assert np.all(hinge[x >= 1.0] == 0.0) and np.all(hinge_grad[x >= 1.0] == 0.0)
    assert np.all(hinge[x < 1.0] > 0.0)
    x, bce, _ = explorer.curves()["binary_crossentropy"]
    inside = np.isfinite(bce)
    assert np.all(bce[inside] > 0.0)
    assert np.all(np.isnan(bce[(x < 0) | (x > 1)]))  # not drawn outside its domain


def test_sparse_and_categorical_draw_the_same_curve(explorer):
    explorer.set_target("class_1")
    explorer.set_losses(["categorical_crossentropy", "sparse_categorical_crossentropy"])
    drawn = explorer.curves()
    np.testing.assert_array_equal(drawn["categorical_crossentropy"][1],
                                  drawn["sparse_categorical_crossentropy"][1])


def test_regression_sweep_follows_the_target(explorer):
    explorer.set_target("regression", 4.0)
    x, values, _ = explorer.curves()["mean_squared_error"]
    assert x[0] == pytest.approx(1.0) and x[-1] == pytest.approx(7.0)
    assert x[np.argmin(values)] == pytest.approx(4.0)
    explorer.value_spin.setValue(-2.0)
    x, values, _ = explorer.curves()["mean_squared_error"]
    assert x[np.argmin(values)] == pytest.approx(-2.0)


def test_legend_formulas_and_language(explorer):
    explorer.set_target("binary_1")
    explorer.set_losses(["hinge", "mean_squared_error"])
    legend = explorer.value_plot.getPlotItem().legend
    assert sorted(label.text for _sample, label in legend.items) == ["hinge",
                                                                    "mean_squared_error"]
    assert "max(0, 1 − t·ŷ)" in explorer.formulas.text()
    assert "binary_crossentropy" not in explorer.formulas.text()
    explorer.set_language("ko")
    assert explorer.target_combo.itemText(2) == "3개 클래스: 클래스 0의 원-핫"
    assert "손실" in explorer.value_plot.getPlotItem().getAxis("left").labelText
    assert "마진" in explorer.formulas.text()  # the glossary's Korean note on hinge


def test_bad_requests_say_what_is_valid(explorer):
    with pytest.raises(ValueError, match="target 'multi' is unknown; valid: binary_0"):
        explorer.set_target("multi")
    explorer.set_target("regression")
    with pytest.raises(ValueError, match="hinge do not fit a regression target"):
        explorer.set_losses(["hinge"])
