"""The landscape draws the engine's loss surface and the trainer's real path over it."""

import numpy as np
import pytest

from engine import ConfigError, Trainer, datasets
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
    assert view._gone_at is None
    view.rate_spin.setValue(0.32)  # resets the path
    assert len(view.path()) == 1
    for _ in range(200):
        view.step()
    # the engine flags the divergence (the loss rose far above its best) or the path leaves
    # the map, whichever comes first; either ends the path within 60 steps
    diverged = view.trainer.history.diverged
    assert (diverged is not None or view._gone_at is not None) and len(view.path()) < 60
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
    view.set_language("ko")
    assert view.start_button.text() == "시작"
    assert view.plot.getPlotItem().getAxis("bottom").labelText == "가중치 w"
    assert view.optimizer_combo.itemText(1) == "sgd + 모멘텀 0.9"
