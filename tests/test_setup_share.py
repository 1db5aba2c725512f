"""Share a setup (issue 23): Edit > Copy Setup puts the whole configuration on the clipboard
as the headless command line and as the ``--config`` JSON; Edit > Paste Setup applies either
form whole or not at all, with --config's checks, naming a bad field in the status bar."""

import json
import os
import shlex

import numpy as np
import pytest

import main
from engine import ConfigError, TrainingConfig
from gui import setup_text

pytestmark = pytest.mark.gui

SETUP = {"dataset": "moons", "loss": "hinge", "optimizer": "adam", "beta_1": 0.8,
         "batch_size": 64, "learning_rate": 0.005, "hidden_layers": "16, 4", "epochs": 2,
         "l2": 0.001}


def action(window, name):
    from PySide6 import QtGui
    found = window.findChild(QtGui.QAction, name)
    assert found is not None, name
    return found


def clipboard():
    from PySide6 import QtGui
    return QtGui.QGuiApplication.clipboard()


def put_text(text):
    from PySide6 import QtCore
    data = QtCore.QMimeData()
    data.setText(text)
    clipboard().setMimeData(data)


@pytest.fixture
def window(shared_window):
    """The module's one window (building one is most of these tests' time): each test here
    sets what it reads, or pastes a setup the window refuses."""
    return shared_window


def first_losses(window, qtbot, steps=5):
    window.start_pause()
    qtbot.waitUntil(lambda: window.state == "ended", timeout=30000)
    return np.asarray(window.trainer.history.batch_loss[:steps])


def test_copy_then_paste_into_a_fresh_window_gives_the_same_run(make_window, qtbot, tmp_path,
                                                                 messages):
    first = make_window()
    for field, value in SETUP.items():
        first.panel.set_value(field, value)
    assert first.reset(quiet=True)
    from PySide6 import QtWidgets
    menu = first.findChild(QtWidgets.QMenu, "editMenu")
    assert [a.objectName() for a in menu.actions()] == ["copySetupAction", "pasteSetupAction"]
    action(first, "copySetupAction").trigger()
    data = clipboard().mimeData()
    text = data.text()
    command = text.splitlines()[0]
    assert command.startswith("python main.py --headless ") and "--beta-1 0.8" in command
    copied = first.current_config()
    assert json.loads(bytes(data.data("application/json")).decode()) == copied.to_dict()
    assert json.loads(text[text.index("{"):]) == copied.to_dict()
    assert "Setup copied" in first.statusBar().currentMessage()

    second = make_window(str(tmp_path / "fresh.ini"))
    assert second.current_config() != copied
    action(second, "pasteSetupAction").trigger()
    assert second.current_config() == copied
    assert second.statusBar().currentMessage() == "Setup pasted."
    assert messages == []
    assert np.array_equal(first_losses(first, qtbot), first_losses(second, qtbot))

    # the command line alone carries the same setup
    third = make_window(str(tmp_path / "third.ini"))
    put_text(command)
    action(third, "pasteSetupAction").trigger()
    assert third.current_config() == copied


def test_the_copied_command_line_trains_the_same_config_headless(window, tmp_path):
    for field, value in SETUP.items():
        window.panel.set_value(field, value)
    config = window.setup_share.copy_setup()
    command = clipboard().text().splitlines()[0]
    words = shlex.split(command)
    assert words[:2] == ["python", "main.py"]
    out = tmp_path / "run"
    assert main.main([*words[2:], "--epochs", "1", "--quiet", "--out", str(out)]) == 0
    written = json.loads((out / "summary.json").read_text())["config"]
    assert TrainingConfig.from_dict(written) == config.replace(epochs=1)


@pytest.mark.parametrize("text, field", [
    ("python main.py --headless --batch-size 0", "batch_size"),
    ("--learning-rate fast", "learning_rate"),
    ('{"dataset": "moons", "momentum": 2}', "momentum"),
    ('{"epochs": 3, "colour": "red"}', "colour"),
    ("--loss hinge --hidden-layers 8,x", "hidden_layers"),
    ("--frobnicate 3", "--frobnicate"),
    ("--nesterov=yes", "nesterov"),
])
def test_a_bad_setup_changes_nothing_and_the_status_bar_names_the_field(window, messages,
                                                                       text, field):
    window.panel.set_value("batch_size", 32)
    before = window.current_config()
    put_text(text)
    action(window, "pasteSetupAction").trigger()
    assert window.current_config() == before
    status = window.statusBar().currentMessage()
    assert status.startswith("Cannot paste the setup: ") and field in status, status
    assert messages == []  # no message box


def test_paste_is_all_or_nothing_when_a_control_refuses(window, messages):
    """A setup valid for the engine but naming a CSV file that is not there: refused whole."""
    before = window.current_config()
    put_text('{"dataset": "csv:/nonexistent/x.csv", "batch_size": 7}')
    action(window, "pasteSetupAction").trigger()
    assert window.current_config() == before
    assert "x.csv" in window.statusBar().currentMessage()


def test_the_paste_message_is_korean_in_korean(window):
    window.set_language("ko")
    try:
        put_text("--frobnicate 3")
        action(window, "pasteSetupAction").trigger()
        assert window.statusBar().currentMessage() == (
            "설정을 붙여 넣을 수 없습니다: 알 수 없는 옵션 --frobnicate입니다.")
        assert action(window, "copySetupAction").text() == "설정 복사"
    finally:
        window.set_language("en")


def test_setup_text_round_trips_every_field_kind():
    config = TrainingConfig(dataset="moons", loss="hinge", optimizer="sgd", momentum=0.9,
                            nesterov=True, hidden_layers=(), epochs=None, n_samples=300,
                            data_seed=None, decay_epochs=2.5, schedule="exponential",
                            learning_rate=1e-05, linear_scaling=True)
    command = setup_text.command_line(config)
    assert "--hidden-layers ''" in command and "--epochs inf" in command
    assert "--nesterov" in command and "--learning-rate 1e-05" in command
    assert setup_text.parse(command) == config
    assert setup_text.parse(setup_text.clipboard_text(config)) == config
    assert setup_text.parse(setup_text.to_json(config)) == config
    with pytest.raises(ConfigError, match="sweep"):
        setup_text.parse("python main.py --sweep batch_size=8,full")
    with pytest.raises(ConfigError, match="no setup"):
        setup_text.parse("  ")


def test_a_lesson_step_copies_its_command(window):
    from PySide6 import QtWidgets
    panel = window.lesson_panel
    panel.set_lesson(panel.lessons[0].key)
    step = panel.lesson.steps[-1]
    button = window.findChild(QtWidgets.QToolButton, f"lessonCopy_{step.key}")
    assert button is not None and button.text() == "Copy"
    button.click()
    text = clipboard().text()
    assert text.startswith("python main.py --headless ")
    assert setup_text.parse(text.splitlines()[0]) == step.config
    assert setup_text.parse(text) == step.config
    assert "setup copied" in panel.status.text()
    action(window, "pasteSetupAction").trigger()
    assert window.current_config().learning_rate == step.config.learning_rate
    assert window.current_config().dataset == step.config.dataset


def test_a_process_that_copied_a_setup_exits_cleanly(tmp_path):
    """Copy Setup's data belongs to the platform clipboard, which deleted it in a C++ exit
    handler after Python had gone: exit 139 (gdb: Shiboken::Object::destroy with no thread
    state). The app hands the clipboard a C++ copy of the same text at exit (gui.qt_owner)."""
    import subprocess
    import sys
    script = (
        "from PySide6 import QtGui, QtWidgets\n"
        "app = QtWidgets.QApplication([])\n"
        "from engine import TrainingConfig\n"
        "from gui import qt_owner, setup_share\n"
        "qt_owner.install()\n"
        "QtGui.QGuiApplication.clipboard().setMimeData(setup_share.mime_data(TrainingConfig()))\n"
        "print(QtGui.QGuiApplication.clipboard().text().count('--headless'))\n")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", script], cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))), env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "1"
