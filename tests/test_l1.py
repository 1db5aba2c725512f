"""L1 regularisation (issue 23): Keras ``L1`` and, with l2, ``L1L2`` on the Dense kernels.

Keras adds ``l1 * sum(|W|)`` (and ``l2 * sum(W**2)``) per kernel to the batch's loss, biases
excluded, unscaled by the batch size (the golden values below are what Keras 3.15's
``L1(0.1)`` and ``L1L2(l1=0.1, l2=0.01)`` return for these kernels: 0.525 and 0.600625). At
``W = 0`` the gradient of ``|W|`` is taken as 0 (TensorFlow's ``sign(0) = 0``; JAX's is 1).
"""

import json

import numpy as np
import pytest

import main
from engine import Trainer, TrainingConfig, losses, spec
from engine.errors import ConfigError
from engine.gradcheck import check_directional, check_gradient
from engine.model import MLP

TOLERANCE = 1e-6
# kernels (2x2, 2x1) chosen by hand: sum |W| = 0.5+1.5+0+2+0.25+1 = 5.25,
# sum W**2 = 0.25+2.25+0+4+0.0625+1 = 7.5625
KERNELS = (np.array([[0.5, -1.5], [0.0, 2.0]]), np.array([[-0.25], [1.0]]))


def model_with(l1=0.0, l2=0.0):
    model = MLP(2, 1, (2,), "tanh", "linear", l2=l2, l1=l1, seed=0)
    for kernel, value in zip(model.kernels, KERNELS):
        kernel[...] = value
    model.biases[0][...] = 10.0  # biases are not regularised
    return model


@pytest.mark.parametrize("l1, l2, expected", [
    (0.1, 0.0, 0.525),                    # Keras L1(0.1): 0.1 * 5.25
    (0.0, 0.01, 0.075625),                # Keras L2(0.01): 0.01 * 7.5625
    (0.1, 0.01, 0.525 + 0.075625),        # Keras L1L2(l1=0.1, l2=0.01)
])
def test_penalty_is_kerass_on_the_kernels_only(l1, l2, expected):
    assert model_with(l1, l2).penalty() == pytest.approx(expected, rel=1e-15)


def test_penalty_gradient_is_l1_sign_plus_2_l2_w_and_zero_at_zero():
    model = model_with(l1=0.1, l2=0.01)
    x = np.zeros((1, 2))
    outputs = model.forward(x)
    model.backward(x, outputs, np.zeros((1, 1)))  # no data gradient: the penalty's alone
    expected = [0.1 * np.sign(k) + 0.02 * k for k in KERNELS]
    for grad, value in zip(model.kernel_grads, expected):
        np.testing.assert_allclose(grad, value, rtol=1e-15)
    assert model.kernel_grads[0][1, 0] == 0.0  # the weight at 0: sign(0) = 0
    assert all(np.all(g == 0) for g in model.bias_grads)


@pytest.mark.parametrize("l1, l2", [(0.05, 0.0), (0.03, 0.02)])
@pytest.mark.parametrize("loss_name, output, n_out", [
    ("binary_crossentropy", "sigmoid", 1), ("categorical_crossentropy", "softmax", 3),
    ("mean_squared_error", "linear", 1)])
def test_gradient_with_l1_matches_finite_differences(l1, l2, loss_name, output, n_out):
    rng = np.random.default_rng(7)
    model = MLP(3, n_out, (5, 4), "tanh", output, l2=l2, l1=l1, seed=2)
    # |W| has a kink at 0: keep every kernel weight at least 0.05 from it, so the central
    # differences (step 1e-6) never straddle it
    for kernel in model.kernels:
        kernel[...] = np.sign(kernel + 1e-12) * np.maximum(np.abs(kernel), 0.05)
    x = rng.normal(size=(6, 3))
    if n_out == 1 and loss_name == "binary_crossentropy":
        y = rng.integers(0, 2, (6, 1)).astype(float)
    elif n_out == 3:
        y = np.eye(3)[rng.integers(0, 3, 6)]
    else:
        y = rng.normal(size=(6, 1))
    loss = losses.get(loss_name)

    def f(flat):
        model.set_weights(flat)
        return loss(y, model.predict(x)) + model.penalty()

    def grad(flat):
        model.set_weights(flat)
        outputs = model.forward(x)
        model.backward(x, outputs, loss.gradient(y, outputs[-1].copy()))
        return model.flat_grads.copy()

    start = model.get_weights()
    assert check_gradient(f, grad, start) < TOLERANCE
    assert check_directional(f, grad, start, rng) < TOLERANCE


def test_a_wrong_l1_gradient_is_caught():
    """The check can fail: dropping the L1 term from the gradient is seen."""
    rng = np.random.default_rng(0)
    model = MLP(2, 1, (3,), "tanh", "linear", l1=0.1, seed=1)
    x, y = rng.normal(size=(4, 2)), rng.normal(size=(4, 1))
    loss = losses.get("mse")

    def f(flat):
        model.set_weights(flat)
        return loss(y, model.predict(x)) + model.penalty()

    def grad_without_l1(flat):
        model.set_weights(flat)
        outputs = model.forward(x)
        model.l1, saved = 0.0, model.l1
        model.backward(x, outputs, loss.gradient(y, outputs[-1].copy()))
        model.l1 = saved
        return model.flat_grads.copy()

    assert check_gradient(f, grad_without_l1, model.get_weights()) > 0.01


def test_the_trainer_adds_the_penalty_and_takes_a_live_change():
    config = TrainingConfig(dataset="circle", n_samples=80, l1=0.01, batch_size=8)
    trainer = Trainer(config)
    plain = Trainer(config.replace(l1=0.0))
    expected = 0.01 * sum(float(np.sum(np.abs(kernel))) for kernel in trainer.model.kernels)
    assert trainer.evaluate("train")["loss"] - plain.evaluate("train")["loss"] == pytest.approx(
        expected, rel=1e-12)
    assert trainer.step().loss - plain.step().loss == pytest.approx(expected, rel=1e-12)
    trainer.update(l1=0.5)
    trainer.step()
    event = trainer.history.events[-1]
    assert (event.field, event.old, event.new) == ("l1", 0.01, 0.5)
    assert trainer.model.l1 == 0.5


def test_l1_makes_a_sparse_first_layer_that_still_classifies():
    # digits, (16,) tanh, sgd 0.1, 10 epochs (measured): |w| < 0.01 for 3 % of the first
    # layer's weights without l1 and 53 % with l1 = 0.003; validation accuracy 0.97 both
    base = dict(dataset="digits", loss="categorical_crossentropy", hidden_layers=(16,),
                epochs=10, learning_rate=0.1)
    near_zero, accuracy = {}, {}
    for l1 in (0.0, 0.003):
        trainer = Trainer(TrainingConfig(**base, l1=l1))
        trainer.fit()
        near_zero[l1] = float(np.mean(np.abs(trainer.model.kernels[0]) < 0.01))
        accuracy[l1] = trainer.evaluate("val")["accuracy"]
    assert near_zero[0.0] < 0.1 and near_zero[0.003] > 0.4
    assert accuracy[0.003] > 0.9


@pytest.mark.parametrize("value, message", [
    (-0.1, "l1"), (2.0, "l1"), ("x", "l1")])
def test_bad_l1_values_are_refused_naming_the_field(value, message):
    with pytest.raises(ConfigError, match=message):
        TrainingConfig(l1=value).validate()


def test_l1_is_in_the_spec_the_cli_and_its_help(capsys):
    param = spec.get("l1")
    assert (param.object_name, param.live, param.default) == ("l1Spin", "next batch", 0.0)
    args = main.build_parser().parse_args(["--l1", "0.002"])
    assert args.l1 == 0.002
    with pytest.raises(SystemExit):
        main.build_parser().parse_args(["--help"])
    assert "--l1" in capsys.readouterr().out
    with pytest.raises(SystemExit) as info:
        main.build_parser().parse_args(["--l1", "-1"])
    assert info.value.code == 2


def test_headless_run_with_l1_records_it(tmp_path):
    status = main.main(["--headless", "--dataset", "xor", "--epochs", "2", "--l1", "0.003",
                        "--l2", "0.001", "--out", str(tmp_path / "run")])
    assert status == 0
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["config"]["l1"] == 0.003 and summary["config"]["l2"] == 0.001


@pytest.mark.gui
@pytest.mark.parametrize("language, label, words", [
    ("en", "L1 penalty", "sum of absolute weights"), ("ko", "L1 규제", "가중치 절댓값의 합")])
def test_the_panel_has_the_l1_control_with_its_glossary_tooltip(qtbot, language, label, words):
    from PySide6 import QtWidgets

    from gui import i18n
    from gui.controls import ControlPanel
    panel = ControlPanel()
    qtbot.addWidget(panel)
    i18n.set_language(language)
    try:
        spin = panel.findChild(QtWidgets.QDoubleSpinBox, "l1Spin")
        assert spin is not None and spin.maximum() == 1.0 and spin.decimals() == 5
        assert f"<b>{label}</b>" in spin.toolTip() and words in spin.toolTip()
        spin.setValue(0.0025)
        assert TrainingConfig(**panel.config_kwargs()).l1 == 0.0025
    finally:
        i18n.set_language("en")
