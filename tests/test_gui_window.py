"""The window's furniture: objectNames, controls and tooltips, log-scale learning rate,
settings round trip (and a corrupt file), language switch, config and history files."""

import csv
import json

import pyqtgraph as pg
import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from engine import TrainingConfig, losses, optimizers
from gui import glossary
from gui.controls import SPECS, LogSpinBox

pytestmark = pytest.mark.gui

OBJECT_NAMES = {
    QtWidgets.QComboBox: ["datasetCombo", "lossCombo", "optimizerCombo", "activationCombo",
                          "scheduleCombo"],
    QtWidgets.QSpinBox: ["batchSizeSpin", "epochsSpin", "seedSpin"],
    QtWidgets.QDoubleSpinBox: ["learningRateSpin"],
    QtWidgets.QLineEdit: ["hiddenLayersEdit"],
    QtWidgets.QToolButton: ["startButton", "stopButton", "stepButton", "resetButton"],
    pg.GraphicsView: ["batchLossPlot", "epochLossPlot", "accuracyPlot", "learningRatePlot",
                    "dataPlot"],
    QtGui.QAction: ["saveImageAction"],
}


def test_design_object_names_exist(shared_window):
    window = shared_window  # only read
    for kind, names in OBJECT_NAMES.items():
        for name in names:
            assert window.findChild(kind, name) is not None, name
    assert window.findChild(QtGui.QAction, "saveImageAction").shortcut() == QtGui.QKeySequence(
        QtGui.QKeySequence.Save)


def test_dropdowns_offer_all_losses_and_optimizers(shared_window):
    window = shared_window  # only read
    combo = window.findChild(QtWidgets.QComboBox, "lossCombo")
    assert [combo.itemText(i) for i in range(combo.count())] == losses.names()
    combo = window.findChild(QtWidgets.QComboBox, "optimizerCombo")
    assert [combo.itemText(i) for i in range(combo.count())] == optimizers.names()


def test_only_the_optimizers_hyperparameters_are_shown(shared_window):
    window = shared_window  # shared: the optimizer it had is chosen again
    before = window.panel.value("optimizer")
    window.panel.set_value("optimizer", "adam")
    visible = {f for f in ("momentum", "rho", "beta_1", "beta_2", "epsilon", "weight_decay",
                           "trust_coef") if not window.panel.widgets[f].isHidden()}
    assert visible == {"beta_1", "beta_2", "epsilon"}
    window.panel.set_value("optimizer", "lars")
    assert not window.panel.widgets["trust_coef"].isHidden()
    assert window.panel.widgets["trust_coef"].value() == pytest.approx(0.001)
    window.panel.set_value("optimizer", before)


def test_glossary_is_complete_and_every_control_has_a_tooltip(shared_window):
    window = shared_window  # shared: it switches the language and back to English
    assert glossary.missing_translations() == []
    for language in glossary.LANGUAGES:
        window.set_language(language)
        for spec in SPECS:
            tip = window.panel.widgets[spec.field].toolTip()
            assert glossary.text(spec.field, language) in tip
        for name in ("startButton", "stopButton", "stepButton", "resetButton"):
            assert window.findChild(QtWidgets.QToolButton, name).toolTip()
    assert window.panel.labels["learning_rate"].text() == "학습률"
    assert window.findChild(QtWidgets.QMenu, "fileMenu").title() == "파일(&F)"
    assert window.findChild(QtGui.QAction, "saveImageAction").text() == "이미지 저장…"
    assert window.plots["batchLossPlot"].getPlotItem().titleLabel.text == "배치 손실"
    window.set_language("en")
    assert window.panel.labels["learning_rate"].text() == "Learning rate"
    assert window.findChild(QtWidgets.QMenu, "fileMenu").title() == "&File"
    assert window.plots["batchLossPlot"].getPlotItem().titleLabel.text == "Batch loss"


def test_learning_rate_spin_steps_on_a_log_scale(qtbot):
    spin = LogSpinBox()
    qtbot.addWidget(spin)
    spin.setRange(1e-6, 10.0)
    spin.setValue(0.03)
    spin.stepBy(1)
    assert spin.value() == pytest.approx(0.05)
    spin.stepBy(1)
    assert spin.value() == pytest.approx(0.1)
    spin.stepBy(-4)
    assert spin.value() == pytest.approx(0.005)
    spin.setValue(5.0)
    spin.stepBy(3)
    assert spin.value() == pytest.approx(10.0)
    spin.setValue(2e-6)
    spin.stepBy(-5)
    assert spin.value() == pytest.approx(1e-6)
    assert spin.textFromValue(0.0001) == "0.0001"
    assert spin.valueFromText("3e-4") == pytest.approx(3e-4)
    assert spin.validate("1e-", 3)[0] == QtGui.QValidator.Intermediate


def test_settings_round_trip(make_window, settings_path):
    first = make_window(settings_path)
    first.panel.set_value("dataset", "moons")
    first.panel.set_value("loss", "hinge")
    first.panel.set_value("optimizer", "adam")
    first.panel.set_value("beta_1", 0.8)
    first.panel.set_value("batch_size", 64)
    first.panel.set_value("learning_rate", 0.005)
    first.panel.set_value("hidden_layers", "16, 4")
    first.findChild(QtWidgets.QSlider, "smoothingSlider").setValue(85)
    first.set_language("ko")
    first.close()

    second = make_window(settings_path)
    assert second.panel.value("dataset") == "moons"
    assert second.panel.value("loss") == "hinge"
    assert second.panel.value("optimizer") == "adam"
    assert second.panel.value("beta_1") == pytest.approx(0.8)
    assert second.panel.value("batch_size") == 64
    assert second.panel.value("learning_rate") == pytest.approx(0.005)
    assert second.trainer.config.hidden_layers == (16, 4)
    assert second.findChild(QtWidgets.QSlider, "smoothingSlider").value() == 85
    assert second.language == "ko"


@pytest.mark.parametrize("content", [
    b"\x00\xff\xfe garbage [[[ \n\x01=\x02\n",
    b"[controls]\nconfig=not json at all\n[plots]\nsmoothing=abc\nlog_y=maybe\n"
    b"[window]\ngeometry=@ByteArray(xx)\n",
    b'[controls]\nconfig="{\\"batch_size\\": -5, \\"loss\\": \\"nope\\", \\"seed\\": \\"x\\"}"\n',
])
def test_corrupt_settings_fall_back_to_defaults(make_window, settings_path, content):
    with open(settings_path, "wb") as handle:
        handle.write(content)
    window = make_window(settings_path)
    assert window.panel.value("loss") == TrainingConfig().loss
    assert window.panel.value("batch_size") == TrainingConfig().batch_size
    assert window.findChild(QtWidgets.QSlider, "smoothingSlider").value() == 60
    assert window.trainer is not None


def test_config_json_round_trip_and_history_csv(window, qtbot, tmp_path):
    window.panel.set_value("dataset", "xor")
    window.panel.set_value("loss", "squared_hinge")
    window.panel.set_value("batch_size", 8)
    path = tmp_path / "config.json"
    assert window.files.save_config(str(path))
    saved = TrainingConfig.from_json(str(path))
    assert (saved.dataset, saved.loss, saved.batch_size) == ("xor", "squared_hinge", 8)

    config = saved.replace(dataset="gauss", learning_rate=0.2, epochs=7)
    config.to_json(str(path))
    assert window.files.load_config(str(path))
    assert window.trainer.config.dataset == "gauss"
    assert window.panel.value("learning_rate") == pytest.approx(0.2)

    for _ in range(3):
        window.step()
    qtbot.waitUntil(lambda: window.trainer.step_count == 3, timeout=5000)
    history = tmp_path / "history.csv"
    assert window.files.export_history(str(history))  # written on the worker thread
    qtbot.waitUntil(lambda: "Exported 3 steps" in window.statusBar().currentMessage(),
                    timeout=5000)
    assert not list(tmp_path.glob("*.part"))
    with open(history, newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["step", "epoch", "samples", "seconds", "batch_loss", "learning_rate"]
    assert len(rows) == 4


def test_space_starts_but_not_while_typing(window, qtbot):
    window.activateWindow()
    edit = window.findChild(QtWidgets.QLineEdit, "hiddenLayersEdit")
    edit.setFocus()
    edit.setText("8,8")
    qtbot.keyClick(edit, QtCore.Qt.Key_Space)
    assert window.state == "ready"
    assert edit.text() == "8,8 "  # the field got its space, nothing was blanked
    edit.setText("8,8")
    # the toolbar and menu action starts even while a text field has the focus
    window.findChild(QtGui.QAction, "startAction").trigger()
    assert window.state == "running"
    window.stop()
    window.findChild(pg.GraphicsView, "batchLossPlot").setFocus()
    qtbot.keyClick(window.findChild(pg.GraphicsView, "batchLossPlot"), QtCore.Qt.Key_Space)
    assert window.state == "running"
    window.stop()
    assert window.state == "ready"


def test_a_headless_run_folder_opens_as_a_kept_run(window, qtbot, tmp_path):
    from engine import Trainer
    from engine.run import Run
    trainer = Trainer(TrainingConfig(dataset="xor", batch_size=16, epochs=2, seed=0))
    history = trainer.fit()
    Run(trainer.config, history, outcome="finished").save(tmp_path / "a")
    Run(trainer.config.replace(batch_size=64), history, outcome="finished").save(
        tmp_path / "b")
    with qtbot.waitSignal(window.files.run_opener.finished, timeout=20000) as opened:
        assert window.files.open_runs(str(tmp_path))
    assert opened.args == [2]
    kept = window.session.kept
    assert [str(k.label) for k in kept] == ["batch 16", "batch 64"]
    assert kept[0].n_steps == history.n_steps
    assert window.findChild(QtWidgets.QTableWidget, "runTable").rowCount() == 3
    with qtbot.waitSignal(window.files.run_opener.finished, timeout=20000) as opened:
        window.files.open_runs(str(tmp_path / "missing"))
    assert opened.args == [0]
    assert "does not exist" in window.last_message[2]


def test_a_remembered_dataset_that_cannot_load_falls_back_to_the_default(
        make_window, settings_path, tmp_path):
    from PySide6.QtCore import QSettings
    data = tmp_path / "gone.csv"
    data.write_text("a,b,label\n" + "".join(f"{i},{i % 3},{i % 2}\n" for i in range(40)))
    first = make_window()
    first.panel.add_csv(str(data), select=True)
    first.close()
    data.unlink()
    window = make_window()
    assert window.session.run is not None
    assert window.session.run.config.dataset == TrainingConfig().dataset
    assert "cannot be used" in window.statusBar().currentMessage()


def test_lessons_menu_lists_every_lesson_and_a_step_button_starts_a_run(window, qtbot):
    from engine import lessons
    from gui.i18n import tr
    menu = window.findChild(QtWidgets.QMenu, "lessonsMenu")
    titles = [action.text() for action in menu.actions() if not action.isSeparator()]
    assert titles == [lesson.title(window.language) for lesson in lessons.load_all()] + [
        "Loss Landscape", "Loss Explorer", "Bring Back Set-Aside Runs"]
    for name in ("lessonPanel", "landscapePlot", "lossExplorer"):
        assert window.findChild(QtWidgets.QWidget, name) is not None, name
    # the explorer and the landscape open from the menu (and their shortcuts), in front
    explorer_dock = window.lesson_docks["lossExplorerDock"]
    assert explorer_dock.isHidden()
    explorer_action = window.findChild(QtGui.QAction, "lossExplorerAction")
    assert explorer_action.shortcut().toString() == "Ctrl+Shift+E"
    assert explorer_action.toolTip().startswith("Each loss and its gradient")
    explorer_action.trigger()
    assert not explorer_dock.isHidden() and explorer_dock.widget() is window.loss_explorer
    window.findChild(QtGui.QAction, "landscapeAction").trigger()
    assert not window.lesson_docks["landscapeDock"].isHidden()
    last = window.lesson_panel.lessons[-1]
    window.lesson_actions[last.key].trigger()
    assert window.lesson_panel.lesson.key == last.key
    key = next(iter(window.lesson_panel.step_buttons))
    window.lesson_panel.step_buttons[key].click()
    qtbot.waitUntil(lambda: window.session.state == "running", timeout=10000)
    assert window.lesson_panel.running_step == key
    window.stop()
    window.set_language("ko")
    assert menu.title() == tr("Lessons", "ko") != "Lessons"
    assert [action.text() for action in menu.actions() if not action.isSeparator()] == [
        lesson.title("ko") for lesson in window.lesson_panel.lessons] + ["손실 지형",
                                                                          "손실 함수 탐색기",
                                                                          "치워 둔 실행 다시 보이기"]
    assert window.lesson_docks["landscapeDock"].windowTitle() == tr("Loss landscape", "ko")
    assert explorer_dock.windowTitle() == "손실 함수 탐색기"
    assert (window.lesson_panel.language == window.landscape.language
            == window.loss_explorer.language == "ko")


def test_a_bad_config_file_changes_no_control(shared_window, tmp_path, messages):
    """A file whose last field is invalid must not switch dataset, loss and optimizer first."""
    window = shared_window  # shared: what it asserts is that nothing changes
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"dataset": "xor", "loss": "hinge", "optimizer": "adam",
                                "learning_rate": 0.01, "batch_size": 0}), encoding="utf-8")
    before = window.panel.config_kwargs()
    assert not window.files.load_config(str(path))
    assert window.panel.config_kwargs() == before
    assert messages[-1][1] == "Cannot load config" and "batch_size" in messages[-1][2]


def test_suggested_settings_set_the_controls_and_say_why(shared_window, qtbot):
    """Data > Suggested Settings applies the engine's preset for the chosen dataset and shows
    its reason in the window's language."""
    window = shared_window  # shared: the other tests on it read no setting a preset changes
    from engine import presets
    window.panel.set_value("dataset", "spiral")
    action = window.findChild(QtGui.QAction, "suggestedSettingsAction")
    assert action in window.findChild(QtWidgets.QMenu, "dataMenu").actions()
    action.trigger()
    preset = presets.suggested("spiral")
    for field, value in preset.changes.items():
        shown = window.panel.value(field)
        if field == "hidden_layers":
            shown = tuple(int(v) for v in str(shown).replace(" ", "").split(",") if v)
            value = tuple(value)
        assert shown == value, field
    assert window.statusBar().currentMessage() == preset.why
    assert window.session.run.config.dataset == "spiral"


def test_a_job_is_one_class_and_one_action_row(make_window, monkeypatch, qtbot):
    """A new job needs its Job class and a row in gui.actions whose command builds and submits
    it: the window builds the action, the job runs on the worker and its own handler gets
    what it reports."""
    from gui import actions, messages
    from gui import worker as jobs

    class CountWeights(jobs.Job):
        needs_idle_trainer = True

        def run(self, context):
            context.emit(messages.Failed("count", str(context.trainer.model.flat_params.size)))

    seen = []
    row = actions.Action("countWeightsAction", "Count Weights", lambda window: window.jobs.submit(
        CountWeights({messages.Failed: seen.append})), ("run", 2), "Ctrl+Shift+W")
    monkeypatch.setattr(actions, "ACTIONS", actions.ACTIONS + (row,))
    window = make_window()
    action = window.findChild(QtGui.QAction, "countWeightsAction")
    assert action in window.findChild(QtWidgets.QMenu, "runMenu").actions()
    assert action.shortcut().toString() == "Ctrl+Shift+W"
    action.trigger()
    qtbot.waitUntil(lambda: bool(seen), timeout=10000)
    assert int(seen[0].message) == window.trainer.model.flat_params.size > 0
