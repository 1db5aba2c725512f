"""The loss explorer draws the engine's own losses: every plotted point is checked against
``engine.losses`` called on that single prediction (or on the activated raw output), and the
gradient against both the engine's gradient and a central difference of the loss."""

import numpy as np
import pytest
from PySide6 import QtWidgets

from engine import Trainer, TrainingConfig, losses
from gui import i18n
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
    explorer.set_axis("prediction")
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
    explorer.set_axis("prediction")
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
    explorer.set_axis("prediction")
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
    i18n.set_language("ko")
    assert explorer.target_combo.itemText(2) == "3개 클래스: 클래스 0의 원-핫"
    assert "손실" in explorer.value_plot.getPlotItem().getAxis("left").labelText
    assert "마진" in explorer.formulas.text()  # the glossary's Korean note on hinge


def test_bad_requests_say_what_is_valid(explorer):
    with pytest.raises(ValueError, match="target 'multi' is unknown; valid: binary_0"):
        explorer.set_target("multi")
    explorer.set_target("regression")
    with pytest.raises(ValueError, match="hinge do not fit a regression target"):
        explorer.set_losses(["hinge"])


# -- the raw output: logit, margin, raw prediction ----------------------------------------------

def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def _raw_loss(name, mode, target, z):
    """The loss of one raw output, written out here: the crossentropies from the logit
    (Keras's from_logits form), the others on the output activation the engine picks."""
    if mode == "categorical":
        raw = np.zeros(3)
        raw[target] = z
        y_true = (np.array([target]) if name == "sparse_categorical_crossentropy"
                  else np.eye(3)[[target]])
        if name in ("categorical_crossentropy", "sparse_categorical_crossentropy"):
            return losses.get(name, from_logits=True)(y_true, raw[None])
        activated = raw if name in ("categorical_hinge", "cosine_proximity") else _softmax(raw)
        return losses.get(name)(y_true, activated[None])
    y_true = np.array([[float(target)]])
    if name == "binary_crossentropy":
        return losses.get(name, from_logits=True)(y_true, np.array([[z]]))
    if mode == "binary" and name in ("mean_squared_error", "mean_absolute_error"):
        z = _sigmoid(z)
    if name in ("poisson", "mean_squared_logarithmic_error"):
        z = np.log1p(np.exp(z))  # softplus: the counts' output
    return losses.get(name)(y_true, np.array([[z]]))


@pytest.mark.parametrize("key, mode, target, value", CASES)
def test_raw_output_curves_are_the_engines_loss_and_their_slope(explorer, key, mode, target,
                                                                 value):
    """On the raw axis each drawn value is the loss of that raw output computed here, and each
    drawn gradient equals the central difference of that loss (where it has one slope)."""
    explorer.set_target(key, value)
    assert explorer.axis == "raw"  # the default
    explorer.set_losses(MODES[mode]["losses"])
    step = 1e-6
    for name, (x, values, gradients) in explorer.curves().items():
        assert np.all(np.isfinite(values)), name  # every raw output has a loss
        checked = 0
        for index in range(0, len(x), 9):
            z = float(x[index])
            assert values[index] == pytest.approx(_raw_loss(name, mode, target, z), rel=1e-9,
                                                  abs=1e-12), (name, z)
            low, high = (_raw_loss(name, mode, target, z + sign * step) for sign in (-1, 1))
            left, right = (values[index] - low) / step, (high - values[index]) / step
            if not np.isclose(left, right, rtol=1e-3, atol=1e-4):
                continue  # a kink (hinge's margin, cosine at 0): no single slope there
            assert gradients[index] == pytest.approx((high - low) / (2 * step), rel=1e-5,
                                                     abs=1e-7), (name, z)
            checked += 1
        assert checked >= 35, name


def test_crossentropy_gradient_is_p_minus_y_hinge_a_step_squared_error_a_line(explorer):
    explorer.set_target("binary_1")
    explorer.set_losses(["binary_crossentropy", "hinge", "squared_hinge"])
    drawn = explorer.curves()
    z, _values, gradient = drawn["binary_crossentropy"]
    np.testing.assert_allclose(gradient, _sigmoid(z) - 1.0, rtol=1e-12, atol=1e-15)
    assert np.all((gradient > -1.0) & (gradient < 0.0))  # bounded: never steeper than 1
    z, hinge, gradient = drawn["hinge"]
    assert np.all(gradient[z < 1.0] == -1.0) and np.all(gradient[z > 1.0] == 0.0)
    assert np.all(hinge[z >= 1.0] == 0.0)
    z, _values, gradient = drawn["squared_hinge"]
    np.testing.assert_allclose(gradient, -2.0 * np.maximum(1.0 - z, 0.0), rtol=1e-12)
    explorer.set_target("binary_0")
    z, _values, gradient = explorer.curves()["binary_crossentropy"]
    np.testing.assert_allclose(gradient, _sigmoid(z), rtol=1e-12)  # p - 0
    explorer.set_target("class_0")
    explorer.set_losses(["categorical_crossentropy"])
    z, _values, gradient = explorer.curves()["categorical_crossentropy"]
    np.testing.assert_allclose(gradient, np.exp(z) / (np.exp(z) + 2.0) - 1.0, rtol=1e-12)
    explorer.set_target("regression", 1.5)
    z, _values, gradient = explorer.curves()["mean_squared_error"]
    np.testing.assert_allclose(gradient, 2.0 * (z - 1.5), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("mode, name", [(mode, name) for mode in MODES
                                        for name in MODES[mode]["losses"]])
def test_the_raw_output_is_what_the_trainers_last_layer_computes(mode, name):
    """For each loss, the explorer's way from raw output to loss (its output activation, or
    the logits for a crossentropy) is the trainer's own on data of that kind."""
    counts = name in ("poisson", "mean_squared_logarithmic_error")
    dataset = {"binary": "xor", "categorical": "iris",
               "regression": "counts" if counts else "sine"}[mode]
    trainer = Trainer(TrainingConfig(dataset=dataset, loss=name, hidden_layers=()))
    loss, activation = loss_explorer.raw_pipeline(name, mode)
    assert trainer.model.activations[-1].name == activation
    assert getattr(trainer.loss, "from_logits", False) == getattr(loss, "from_logits", False)


def test_the_axis_toggle_brings_back_the_probability_view(explorer):
    explorer.set_target("binary_1")
    axis = explorer.value_plot.getPlotItem().getAxis("bottom")
    assert axis.labelText == "raw output z: the logit; hinge's margin is t·z"
    x, bce, _ = explorer.curves()["binary_crossentropy"]
    assert (x[0], x[-1]) == loss_explorer.RAW_RANGES["binary"]
    assert "ŷ = sigmoid(z): " in explorer.formulas.text()
    combo = explorer.findChild(type(explorer.target_combo), "lossExplorerAxis")
    combo.setCurrentIndex(combo.findData("prediction"))
    assert explorer.axis == "prediction" and axis.labelText == "prediction ŷ"
    x, bce, _ = explorer.curves()["binary_crossentropy"]
    assert (x[0], x[-1]) == MODES["binary"]["range"]
    assert np.all(np.isnan(bce[x < 0]))  # a probability below 0 has no crossentropy
    assert "ŷ = sigmoid(z)" not in explorer.formulas.text()
    i18n.set_language("ko")
    assert combo.itemText(0) == "원시 출력 z (로짓, 마진)"
    with pytest.raises(ValueError, match="x axis 'log' is unknown; valid: raw, prediction"):
        explorer.set_axis("log")


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_explorers_texts_fit_at_1440_by_900(window, language):
    """Opened at 1440 x 900, the explorer's plot titles and axis labels, its choices and its
    loss names are drawn whole, for every kind of target."""
    import layout_audit
    window.set_language(language)
    window.resize(1440, 900)
    window.show_loss_explorer()
    layout_audit.settle(window)
    explorer = window.loss_explorer
    assert explorer.isVisible()
    for key, _mode, _value in loss_explorer.targets():
        explorer.set_target(key)
        explorer.set_losses(explorer.offered_losses())
        layout_audit.settle(window)
        for plot in (explorer.value_plot, explorer.gradient_plot):
            item = plot.getPlotItem()
            title = item.titleLabel
            assert title.item.boundingRect().width() <= title.boundingRect().width(), key
            for side in ("bottom", "left"):
                axis = item.getAxis(side)
                length = axis.width() if side == "bottom" else axis.height()
                assert axis.label.boundingRect().width() <= length, (key, side)
        for combo in (explorer.target_combo, explorer.findChild(
                type(explorer.target_combo), "lossExplorerAxis")):
            room = combo.style().subControlRect(
                QtWidgets.QStyle.CC_ComboBox, _combo_option(combo),
                QtWidgets.QStyle.SC_ComboBoxEditField, combo).width()
            assert combo.fontMetrics().horizontalAdvance(combo.currentText()) <= room, key
        names = explorer.loss_list
        for row in range(names.count()):
            rect = names.visualItemRect(names.item(row))
            assert rect.right() <= names.viewport().width(), names.item(row).text()


def _combo_option(combo):
    option = QtWidgets.QStyleOptionComboBox()
    combo.initStyleOption(option)
    return option
