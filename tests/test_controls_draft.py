"""The control panel and the window's configuration draft agree both ways: an edit of a
control (found by objectName) sets the draft, and a change of the draft (Paste Setup, a
preset, loading a config) shows on the controls; the window builds from the draft."""

import pytest
from PySide6 import QtWidgets

from engine import TrainingConfig
from gui import setup_text

pytestmark = pytest.mark.gui


@pytest.fixture
def window(shared_window):
    """The module's one window, handed to each test with its run stopped and its controls
    back at the defaults with a new model of them (what each test edits), as a new window
    would have them: building one per test was most of this file's CPU time."""
    from tests.conftest import wait_until
    window = shared_window
    yield window
    if window.state == "running":
        window.stop()
    wait_until(lambda: window.state != "running", 10000)
    assert window.worker.jobs.wait_idle(10)
    assert window.apply_lesson_config(TrainingConfig())


def find(window, kind, name):
    widget = window.findChild(kind, name)
    assert widget is not None, name
    return widget


def test_control_edits_set_the_draft(window, qtbot):
    draft = window.draft
    seen = []
    draft.changed.connect(lambda field, value: seen.append(field))
    find(window, QtWidgets.QDoubleSpinBox, "learningRateSpin").setValue(0.05)
    find(window, QtWidgets.QSpinBox, "batchSizeSpin").setValue(48)
    loss = find(window, QtWidgets.QComboBox, "lossCombo")
    loss.setCurrentIndex(loss.findData("hinge"))
    find(window, QtWidgets.QCheckBox, "untilPausedCheck").setChecked(True)
    layers = find(window, QtWidgets.QLineEdit, "hiddenLayersEdit")
    layers.setText("12, 6")
    layers.editingFinished.emit()
    assert (draft["learning_rate"], draft["batch_size"], draft["loss"], draft["epochs"],
            draft["hidden_layers"]) == (0.05, 48, "hinge", None, (12, 6))
    assert seen == ["learning_rate", "batch_size", "loss", "epochs", "hidden_layers"]
    config = window.current_config()
    assert (config.learning_rate, config.batch_size, config.loss, config.epochs,
            config.hidden_layers) == (0.05, 48, "hinge", None, (12, 6))


def test_draft_changes_show_on_the_controls(window):
    draft = window.draft
    draft.update({"optimizer": "adam", "learning_rate": 0.002, "batch_size": 128,
                  "dataset": "xor", "hidden_layers": (5, 5), "epochs": 7})
    assert find(window, QtWidgets.QComboBox, "optimizerCombo").currentData() == "adam"
    assert find(window, QtWidgets.QDoubleSpinBox, "learningRateSpin").value() == 0.002
    assert find(window, QtWidgets.QSpinBox, "batchSizeSpin").value() == 128
    assert find(window, QtWidgets.QComboBox, "datasetCombo").currentData() == "xor"
    assert find(window, QtWidgets.QLineEdit, "hiddenLayersEdit").text() == "5, 5"
    assert find(window, QtWidgets.QSpinBox, "epochsSpin").value() == 7
    beta = find(window, QtWidgets.QDoubleSpinBox, "beta1Spin")
    assert beta.isVisibleTo(window.panel) and beta.value() == 0.9  # adam's own default
    assert not find(window, QtWidgets.QDoubleSpinBox, "momentumSpin").isVisibleTo(window.panel)
    draft.set("optimizer", "nesterov")
    nesterov = find(window, QtWidgets.QCheckBox, "nesterovCheck")
    assert nesterov.isChecked() and not nesterov.isEnabled()


def test_paste_setup_and_load_config_reach_controls_through_the_draft(window, tmp_path):
    config = TrainingConfig(dataset="moons", loss="squared_hinge", optimizer="rmsprop",
                            learning_rate=0.004, batch_size=24, epochs=12, seed=5)
    assert window.setup_share.paste_setup(setup_text.to_json(config))
    assert window.draft["optimizer"] == "rmsprop" and window.draft["seed"] == 5
    assert find(window, QtWidgets.QComboBox, "lossCombo").currentData() == "squared_hinge"
    assert find(window, QtWidgets.QSpinBox, "seedSpin").value() == 5
    assert window.session.run.config.learning_rate == 0.004  # the new model is the draft's
    path = tmp_path / "c.json"
    config.replace(batch_size=40).to_json(path)
    assert window.files.load_config(str(path))
    assert find(window, QtWidgets.QSpinBox, "batchSizeSpin").value() == 40
    assert window.draft["batch_size"] == 40


def test_an_invalid_typed_value_stays_and_reset_says_why(window):
    layers = find(window, QtWidgets.QLineEdit, "hiddenLayersEdit")
    layers.setText("8, 0")
    layers.editingFinished.emit()
    assert window.draft["hidden_layers"] == "8, 0"
    assert not window.reset(quiet=True)
    label = find(window, QtWidgets.QLabel, "pendingLabel")
    assert "hidden_layers" in label.text() and not label.isHidden()


def test_a_cancelled_open_csv_shows_the_drafts_dataset_again(window, monkeypatch):
    monkeypatch.setattr(QtWidgets.QFileDialog, "getOpenFileName",
                        staticmethod(lambda *args, **kwargs: ("", "")))
    combo = find(window, QtWidgets.QComboBox, "datasetCombo")
    before = window.draft["dataset"]
    combo.setCurrentIndex(combo.count() - 1)  # "Open CSV…"
    assert window.draft["dataset"] == before
    assert combo.currentData() == before


def test_a_live_learning_rate_change_reaches_the_running_trainer(window, qtbot):
    window.step()
    qtbot.waitUntil(lambda: window.session.run.step_count == 1, timeout=10000)
    find(window, QtWidgets.QDoubleSpinBox, "learningRateSpin").setValue(0.07)
    window.step()
    qtbot.waitUntil(lambda: window.session.run.step_count == 2, timeout=10000)
    assert window.trainer.config.learning_rate == 0.3  # the run's config is what it began with
    assert window.session.run.steps["learning_rate"].view[-1] == pytest.approx(0.07)
