"""The real window, driven through its objectNames: start, live changes, pause/step/stop/reset,
divergence, incompatible choices, closing mid-run and event-loop latency while training."""

import os
import subprocess
import sys

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from engine import presets
from gui.session import RunState
from tests.conftest import wait_until

pytestmark = pytest.mark.gui
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture
def window(shared_window):
    """The module's one window, handed to each test as a new one would be: its run stopped,
    English, the controls at the defaults with a new model of them, full speed, the usual
    size. Building a window per test cost a third of this file's CPU time. Tests that keep
    runs, export (they connect to the window's messages) or close the window take
    ``fresh_window``."""
    from engine import TrainingConfig
    window = shared_window
    yield window
    if window.state == RunState.RUNNING:
        window.stop()
    wait_until(lambda: window.state != RunState.RUNNING, 10000)
    assert window.worker.jobs.wait_idle(10)
    if window.language != "en":
        window.set_language("en")
    assert window.apply_lesson_config(TrainingConfig())
    pace = child(window, QtWidgets.QComboBox, "paceCombo")
    pace.setCurrentIndex(pace.count() - 1)
    window.resize(1280, 800)


@pytest.fixture
def fresh_window(make_window):
    """A window of the test's own."""
    return make_window()


def child(window, kind, name):
    widget = window.findChild(kind, name)
    assert widget is not None, name
    return widget


def choose(window, combo_name, text):
    combo = child(window, QtWidgets.QComboBox, combo_name)
    index = combo.findText(text)
    assert index >= 0, text
    combo.setCurrentIndex(index)


def configure(window, dataset="circle", loss="binary_crossentropy", batch_size=16,
              learning_rate=0.03, epochs=2000, optimizer="sgd", pace=None):
    """Set the controls; ``pace`` None trains at full speed (the app's default is slower)."""
    pace_combo = child(window, QtWidgets.QComboBox, "paceCombo")
    pace_combo.setCurrentIndex(pace_combo.findData(pace) if pace else pace_combo.count() - 1)
    choose(window, "datasetCombo", dataset)
    choose(window, "lossCombo", loss)
    choose(window, "optimizerCombo", optimizer)
    child(window, QtWidgets.QSpinBox, "batchSizeSpin").setValue(batch_size)
    child(window, QtWidgets.QDoubleSpinBox, "learningRateSpin").setValue(learning_rate)
    child(window, QtWidgets.QSpinBox, "epochsSpin").setValue(epochs)


def click(qtbot, window, name):
    """Click a run button: the toolbar's QToolButton of its action (the one set there is)."""
    qtbot.mouseClick(child(window, QtWidgets.QAbstractButton, name), QtCore.Qt.LeftButton)


def batch_points(window):
    """Batches the batch-loss plot holds, once its drawn curve reaches the newest of them."""
    plot = child(window, pg.GraphicsView, "batchLossPlot")
    x, _ = plot.raw_curve.data()
    held = len(plot.steps)
    if held == 0:
        return 0 if x is None or len(x) == 0 else -1
    drawn_to = -1 if x is None or len(x) == 0 else int(x[-1])
    return held if drawn_to == plot.steps.view[-1] else -1


def markers(window):
    plot = child(window, pg.GraphicsView, "batchLossPlot")
    return [item for item in plot.getPlotItem().items
            if isinstance(item, pg.InfiniteLine) and getattr(item, "label", None) is not None
            and item.label.toPlainText().startswith("lr ")]


def test_start_streams_batches_and_live_learning_rate_change_is_marked(window, qtbot):
    configure(window, loss="mean_squared_error", batch_size=8, learning_rate=0.03)
    click(qtbot, window, "startButton")
    qtbot.waitUntil(lambda: batch_points(window) >= 100, timeout=10000)
    assert window.state == "running"
    assert window.trainer.config.loss == "mean_squared_error"
    assert window.trainer.config.batch_size == 8

    child(window, QtWidgets.QDoubleSpinBox, "learningRateSpin").setValue(0.1)
    qtbot.waitUntil(lambda: len(markers(window)) == 1, timeout=10000)
    events = [e for e in window.trainer.history.events if e.field == "learning_rate"]
    assert len(events) == 1
    assert events[0].old == pytest.approx(0.03)
    assert events[0].new == pytest.approx(0.1)
    marker = markers(window)[0]
    assert marker.label.toPlainText() == "lr 0.03 → 0.1"
    assert marker.value() == events[0].step
    history = window.trainer.history
    assert history.learning_rate[events[0].step - 1] == pytest.approx(0.1, rel=1e-6)
    assert history.learning_rate[events[0].step - 2] == pytest.approx(0.03, rel=1e-6)
    click(qtbot, window, "stopButton")
    assert window.state == "ready"


def test_pause_resume_step_stop_reset(window, qtbot):
    configure(window, batch_size=32)
    start = child(window, QtWidgets.QAbstractButton, "startButton")
    click(qtbot, window, "startButton")
    qtbot.waitUntil(lambda: window.trainer.step_count > 20, timeout=10000)
    click(qtbot, window, "startButton")
    assert window.state == "paused" and start.text() == "Resume"
    qtbot.wait(100)
    paused_at = window.trainer.step_count
    qtbot.wait(200)
    assert window.trainer.step_count == paused_at

    click(qtbot, window, "stepButton")
    qtbot.waitUntil(lambda: window.trainer.step_count == paused_at + 1, timeout=5000)
    qtbot.waitUntil(lambda: batch_points(window) == paused_at + 1, timeout=5000)
    qtbot.wait(150)
    assert window.trainer.step_count == paused_at + 1

    click(qtbot, window, "startButton")
    assert window.state == "running"
    qtbot.waitUntil(lambda: window.trainer.step_count > paused_at + 20, timeout=10000)
    click(qtbot, window, "stopButton")
    assert window.state == "ready" and start.text() == "Continue"
    stopped_at = window.trainer.step_count
    qtbot.wait(150)
    assert window.trainer.step_count == stopped_at

    old = window.trainer
    click(qtbot, window, "resetButton")
    assert window.trainer is not old and window.trainer.step_count == 0
    assert batch_points(window) == 0
    assert start.text() == "Start"


def test_divergence_stops_keeps_curves_and_explains(window, qtbot, messages):
    configure(window, dataset="sine", loss="mean_squared_error", learning_rate=10.0,
              batch_size=16)
    click(qtbot, window, "startButton")
    qtbot.waitUntil(lambda: any(m[1] == "Training diverged" for m in messages), timeout=10000)
    kind, _, text = next(m for m in messages if m[1] == "Training diverged")
    assert kind == "warning"
    assert "learning rate" in text and "too high" in text
    assert window.trainer.history.diverged is not None
    assert window.state == "ended"
    qtbot.waitUntil(lambda: batch_points(window) == window.trainer.history.n_steps,
                    timeout=5000)
    assert batch_points(window) > 0


def test_incompatible_choice_is_marked_and_start_explains(window, qtbot, messages):
    choose(window, "datasetCombo", "sine")
    losses = child(window, QtWidgets.QComboBox, "lossCombo")
    index = losses.findText("sparse_categorical_crossentropy")
    reason = losses.itemData(index, QtCore.Qt.UserRole + 1)
    assert reason and "sine" in reason
    assert "sine" in losses.itemData(index, QtCore.Qt.ToolTipRole)
    assert losses.itemData(losses.findText("mean_squared_error"), QtCore.Qt.UserRole + 1) is None
    losses.setCurrentIndex(index)
    qtbot.wait(200)
    pending = child(window, QtWidgets.QLabel, "pendingLabel")
    assert pending.isVisible() and "sine" in pending.text()
    click(qtbot, window, "startButton")
    assert window.state != "running"
    assert messages and messages[-1][0] == "warning"
    assert "sparse_categorical_crossentropy" in messages[-1][2] and "sine" in messages[-1][2]


def test_model_changes_wait_for_reset_and_live_epochs_apply(window, qtbot):
    configure(window, batch_size=32, epochs=3000)
    click(qtbot, window, "startButton")
    qtbot.waitUntil(lambda: window.trainer.step_count > 10, timeout=10000)
    choose(window, "lossCombo", "hinge")
    pending = child(window, QtWidgets.QLabel, "pendingLabel")
    assert pending.isVisible() and "Loss" in pending.text() and "Reset" in pending.text()
    assert window.trainer.config.loss == "binary_crossentropy"
    child(window, QtWidgets.QSpinBox, "epochsSpin").setValue(4000)
    qtbot.waitUntil(lambda: window.trainer.epochs == 4000, timeout=5000)
    click(qtbot, window, "resetButton")
    assert window.trainer.config.loss == "hinge"
    assert not pending.isVisible()


def test_closing_mid_run_stops_the_thread(fresh_window, qtbot):
    window = fresh_window
    configure(window, batch_size=4)
    click(qtbot, window, "startButton")
    qtbot.waitUntil(lambda: batch_points(window) > 0, timeout=10000)
    window.close()
    assert not window.jobs.thread.isRunning()


def run_app(tmp_path, close_after_ms, report, setup=""):
    """Start the app in a fresh process (offscreen), press Start, close it after
    ``close_after_ms``; ``setup`` runs before the window shows, ``report`` is printed at exit."""
    script = (
        "import sys\n"
        "from PySide6 import QtCore, QtWidgets\n"
        "app = QtWidgets.QApplication(sys.argv)\n"
        "from gui import MainWindow\n"
        f"window = MainWindow(QtCore.QSettings({str(tmp_path / 's.ini')!r}, "
        "QtCore.QSettings.IniFormat))\n"
        f"{setup}"
        "window.show()\n"
        "window.start_pause()\n"
        f"QtCore.QTimer.singleShot({close_after_ms}, window.close)\n"
        "status = app.exec()\n"
        f"print({report})\n"
        "sys.exit(status)\n")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def app_closed_mid_run(tmp_path_factory):
    """One app process for the two tests below (a process costs about 1 s to start): a run of
    2,000 epochs started, the window closed 1.5 s later; it prints the steps trained and the
    BLAS thread counts the worker's QThread saw inside fit, one per chunk.

    A fresh process: once one thread has changed BLAS's thread count, OpenBLAS 0.3.31 ignores
    changes from another (engine.threads), and earlier tests here trained in other threads."""
    setup = (
        "from threadpoolctl import threadpool_info\n"
        "window.panel.set_values({'batch_size': 32, 'epochs': 2000})\n"
        "seen = []\n"
        "forward = window.worker.emit_progress\n"
        "def recording(chunk, with_view, *epochs):  # the worker's QThread; inside fit\n"
        "    if len(chunk.step):\n"
        "        seen.extend(i['num_threads'] for i in threadpool_info()\n"
        "                    if i['user_api'] == 'blas')\n"
        "    forward(chunk, with_view, *epochs)\n"
        "window.worker.emit_progress = recording\n")
    return run_app(tmp_path_factory.mktemp("app"), 1500,
                   "'steps', window.trainer.step_count, 'threads', *seen", setup)


def test_app_closed_mid_run_exits_cleanly(app_closed_mid_run):
    result = app_closed_mid_run
    assert "QThread: Destroyed" not in result.stderr
    assert int(result.stdout.split("steps", 1)[1].split()[0]) > 0


def test_the_range_test_runs_after_a_run_was_stopped(window, qtbot):
    """Stop left the worker's stop flag set until the next fit: a range test asked for after
    Stop (and Reset) ended at its first step and its dialog never opened."""
    configure(window, batch_size=32)
    click(qtbot, window, "startButton")
    qtbot.waitUntil(lambda: window.trainer.step_count > 20, timeout=10000)
    click(qtbot, window, "stopButton")
    click(qtbot, window, "resetButton")
    configure(window, dataset="circle", batch_size=100000, learning_rate=0.001)
    window.findChild(QtGui.QAction, "findLrAction").trigger()
    qtbot.waitUntil(lambda: window.lr_dialog is not None and window.lr_dialog.isVisible(),
                    timeout=30000)
    assert not window.lr_dialog.result.stopped and len(window.lr_dialog.result.lrs) >= 50
    window.lr_dialog.close()


def test_find_learning_rate_shows_the_range_test_and_sets_the_rate(fresh_window, qtbot):
    window = fresh_window
    configure(window, dataset="circle", batch_size=100000, learning_rate=0.001)
    qtbot.waitUntil(lambda: window.trainer is not None, timeout=10000)
    trainer = window.trainer
    weights = trainer.model.get_weights()
    window.findChild(QtGui.QAction, "findLrAction").trigger()
    qtbot.waitUntil(lambda: window.lr_dialog is not None and window.lr_dialog.isVisible(),
                    timeout=30000)
    result = window.lr_dialog.result
    plot = window.lr_dialog.findChild(pg.PlotWidget, "lrFinderPlot")
    x, y = plot.getPlotItem().listDataItems()[0].getOriginalDataset()
    assert len(x) == len(result.lrs) >= 50
    assert x[0] == pytest.approx(1e-7)
    assert 0.1 < result.suggestion < 5
    # the dialog shades the falling range and says why it chose the rate
    region, = [item for item in plot.getPlotItem().items
               if item.objectName() == "lrFallingRange"]
    np.testing.assert_allclose(region.getRegion(), np.log10(result.falling))
    explanation = window.lr_dialog.findChild(QtWidgets.QLabel, "lrFinderExplanation")
    assert f"{result.suggestion:.3g}" in explanation.text()
    assert "falls fastest" in explanation.text()
    # the sweep ran on its own copy: the window's model did not move
    np.testing.assert_array_equal(trainer.model.get_weights(), weights)
    assert trainer.step_count == 0
    qtbot.mouseClick(window.lr_dialog.findChild(QtWidgets.QPushButton, "useSuggestedLrButton"),
                     QtCore.Qt.LeftButton)
    spin = child(window, QtWidgets.QDoubleSpinBox, "learningRateSpin")
    assert spin.value() == pytest.approx(result.suggestion, rel=0.01)
    assert not window.lr_dialog.isVisible()


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="BLAS has one thread anyway")
def test_the_worker_trains_small_models_on_one_blas_thread(app_closed_mid_run):
    seen = [int(word) for word in app_closed_mid_run.stdout.split("threads", 1)[1].split()]
    assert len(seen) >= 3
    assert set(seen[:-1]) == {1}  # the last chunk is sent after fit's loop, limit lifted


def run_steps(window, qtbot, count):
    for _ in range(count):
        window.step()
    qtbot.waitUntil(lambda: window.session.run.step_count == count, timeout=10000)


def test_kept_runs_overlay_the_plots_fill_the_run_table_and_survive_a_restart(
        make_window, qtbot, tmp_path):
    from PySide6.QtCore import QSettings
    window = make_window()
    table = window.findChild(QtWidgets.QTableWidget, "runTable")
    keep = window.findChild(QtGui.QAction, "keepRunAction")
    assert keep.shortcut().toString() == "Ctrl+K"
    for batch in (8, 64):
        configure(window, batch_size=batch, epochs=2)
        assert window.reset()
        run_steps(window, qtbot, 5)
        keep.trigger()
    labels = [str(kept.label) for kept in window.session.kept]
    assert labels == ["batch 8", "batch 64"]
    assert table.rowCount() == 3  # two kept runs and the current one
    assert {table.item(row, 1).text() for row in range(2)} == set(labels)
    plots = (window.plots["batchLossPlot"], window.plots["learningRatePlot"], window.plots["epochLossPlot"], window.plots["accuracyPlot"])
    keys = [kept.key for kept in window.session.kept]
    assert all(set(plot.runs) == set(keys) for plot in plots)  # through the plots' own API
    batch = window.plots["batchLossPlot"]
    assert [batch.run_x(key)[-1] for key in keys] == [5.0, 5.0]
    # fair axes: against samples seen, batch 64 went 8 times as far in 5 steps, and the
    # current run moves with them
    combo = window.findChild(QtWidgets.QComboBox, "xAxisCombo")
    combo.setCurrentIndex(combo.findData("samples"))
    assert [batch.run_x(key)[-1] for key in keys] == [40.0, 320.0]
    assert window.plots["batchLossPlot"].x_mode == window.plots["learningRatePlot"].x_mode == "samples"
    assert window.plots["batchLossPlot"].current_x()[-1] == 5 * 64
    # the y range takes the kept runs in
    low = min(float(window.session.kept[i].steps["batch_loss"].min()) for i in range(2))
    assert window.plots["batchLossPlot"].getPlotItem().viewRange()[1][0] <= low
    # hide one, highlight the other through the table
    first = window.session.kept[0]
    row = [table.item(r, 0).data(QtCore.Qt.UserRole) for r in range(3)].index(first.key)
    table.item(row, 0).setCheckState(QtCore.Qt.Unchecked)
    assert not window.session.kept[0].visible
    assert all(not plot.runs[first.key].visible for plot in plots)
    table.selectRow(row)
    assert window.overlays.highlighted == first.key
    assert all(plot.highlighted == first.key for plot in plots)
    # in Korean the legends name the kept runs in Korean too, and back in English
    def legend(plot):
        return [label.text for _sample, label in plot.getPlotItem().legend.items]
    window.set_language("ko")
    assert all({"배치 8", "배치 64"} <= set(legend(plot)) for plot in plots)
    assert all(plot.highlighted == first.key for plot in plots)
    assert all(not plot.runs[first.key].visible for plot in plots)
    assert [batch.run_x(key)[-1] for key in keys] == [40.0, 320.0]
    window.set_language("en")
    assert all({"batch 8", "batch 64"} <= set(legend(plot)) for plot in plots)
    window.close()
    # a new window with the same settings file shows the same kept runs
    again = make_window()
    assert [str(kept.label) for kept in again.session.kept] == labels
    assert not again.session.kept[0].visible
    exported = tmp_path / "runs.csv"
    assert again.files.export_runs(str(exported))  # written on the worker thread
    qtbot.waitUntil(lambda: "Exported 10 steps" in again.statusBar().currentMessage(),
                    timeout=10000)
    lines = exported.read_text().splitlines()
    assert lines[0] == "run,step,epoch,samples,seconds,batch_loss,learning_rate"
    assert len(lines) == 11 and (tmp_path / "runs-epochs.csv").exists()
    again.findChild(QtGui.QAction, "clearKeptAction").trigger()
    assert again.session.kept == [] and table is not None and again.run_table.rowCount() == 1


def test_pace_control_is_remembered_and_reaches_the_worker(make_window, qtbot):
    window = make_window(full_speed=False)
    combo = window.findChild(QtWidgets.QComboBox, "paceCombo")
    assert combo.currentData() == presets.DEFAULT_PACE  # the engine's default pace
    combo.setCurrentIndex(combo.findData(10))
    qtbot.waitUntil(lambda: window.worker.pace == 10, timeout=5000)
    assert window.worker.every_batch
    combo.setCurrentIndex(combo.count() - 1)  # max
    qtbot.waitUntil(lambda: window.worker.pace is None, timeout=5000)
    window.close()
    combo = make_window(full_speed=False).findChild(QtWidgets.QComboBox, "paceCombo")
    assert combo.currentData() is None


def test_reset_that_fails_keeps_the_previous_run(window, qtbot, messages):
    configure(window, batch_size=8)
    assert window.reset()
    run_steps(window, qtbot, 3)
    before = window.session.run
    window.panel.set_value("loss", "mean_squared_error")
    window.panel.set_value("dataset", "sine")
    window.panel.set_value("loss", "hinge")  # hinge needs classification: cannot reset
    assert not window.reset()
    assert window.session.run is before and before.step_count == 3
    assert messages[-1][1] == "Cannot reset"


def test_a_second_step_before_the_first_result_arrives_trains_the_same_run(window, qtbot):
    """The worker can finish a step while its result still waits in the event queue; a
    second Step then must not take the run for untrained and build a new model."""
    configure(window, batch_size=8)
    assert window.reset()
    window.step()  # an untrained run is rebuilt from the controls first
    run = window.session.run
    assert window.worker.jobs.wait_idle(10)  # done on the worker, not yet seen here
    assert run.step_count == 0
    window.step()
    qtbot.waitUntil(lambda: window.session.run.step_count == 2, timeout=10000)
    assert window.session.run is run


def test_until_stopped_runs_and_the_status_bar_shows_epochs_done_instead_of_an_eta(
        window, qtbot):
    """Epochs unlimited ("until stopped"): the run goes on past any epoch count, the status
    bar counts epochs and speed with no ETA, and Stop ends it."""
    check = child(window, QtWidgets.QCheckBox, "untilPausedCheck")
    configure(window, batch_size=8)
    check.setChecked(True)
    assert window.reset() and window.session.run.facts.epochs is None
    window.start_pause()
    qtbot.waitUntil(lambda: window.session.run.epoch >= 3, timeout=20000)
    window.redraw_now()
    labels = window.run_status.labels
    assert labels["epoch"].text().startswith("epoch ") and "/" not in labels["epoch"].text()
    assert labels["eta"].text() == "until stopped"
    window.stop()
    qtbot.waitUntil(lambda: window.session.state != RunState.RUNNING, timeout=10000)
    check.setChecked(False)  # live, back to a limit: nothing raises
    window.redraw_now()


def test_a_run_stuck_at_chance_says_so_in_the_status_bar_and_on_the_plot(window, qtbot):
    """The engine's chance-level notice (momentum sgd at rate 1 on circle: accuracy at
    chance while the loss swings) reaches the status bar and the batch-loss plot."""
    configure(window, learning_rate=1.0, optimizer="momentum", epochs=40, batch_size=16)
    assert window.reset()
    window.start_pause()
    qtbot.waitUntil(lambda: bool(window.session.run.notices), timeout=30000)
    notice = window.session.run.notices[0]
    assert notice.kind == "chance_level"
    qtbot.waitUntil(lambda: "not learning" in window.statusBar().currentMessage(),
                    timeout=5000)
    labels = [line.label.textItem.toPlainText() for _step, line in window.plots["batchLossPlot"].markers]
    assert "not learning" in labels
    window.stop()


# -- issue 15 #11: a CSV is parsed once per file version, at start-up and on opening it -------

def test_a_csv_is_parsed_once_on_opening_and_at_start_up_and_never_on_a_change(
        make_window, qtbot, tmp_path, monkeypatch, csv_parses):
    from engine import datasets
    path = str(tmp_path / "rows.csv")
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2000, 2))
    np.savetxt(path, np.column_stack([x, x[:, 0] * x[:, 1] > 0]), fmt=["%.5f", "%.5f", "%d"],
               delimiter=",", header="a,b,label", comments="")
    name = f"csv:{path}"
    window = make_window()
    monkeypatch.setattr(QtWidgets.QFileDialog, "getOpenFileName",
                        staticmethod(lambda *args, **kwargs: (path, "")))
    window.findChild(QtGui.QAction, "openCsvAction").trigger()  # File > Open CSV…
    qtbot.waitUntil(lambda: window.trainer is not None and window.trainer.config.dataset == name,
                    timeout=10000)
    assert csv_parses() == {name: 1}
    window.step()
    qtbot.waitUntil(lambda: window.session.run.step_count == 1, timeout=10000)
    window.panel.set_value("learning_rate", 0.05)  # live: goes to the trainer
    window.panel.set_value("loss", "hinge")
    window.panel.set_value("loss", "binary_crossentropy")
    qtbot.wait(400)  # the rebuild timer (120 ms) fires and builds the new model
    assert csv_parses() == {name: 1}
    window.close()  # remembers the CSV

    datasets.clear_csv_cache()  # a new process: nothing read yet, nothing counted
    again = make_window()
    assert again.trainer is not None and again.trainer.config.dataset == name
    assert csv_parses() == {name: 1}  # once more, since the clearing


# -- issue 15 #7: a long export shows its progress and can be cancelled ----------------------

def long_history(n_steps):
    """A history of ``n_steps`` built straight into its arrays (training that long is slow)."""
    from engine.history import History
    history = History()
    loss = np.linspace(1.0, 0.1, n_steps, dtype=np.float32)
    for low in range(0, n_steps, 1000):
        high = min(low + 1000, n_steps)
        history.begin_epoch()
        history.record_batches(loss[low:high], np.full(high - low, 0.03, np.float32),
                               np.arange(low + 1, high + 1, dtype=np.int64) * 16,
                               np.arange(low, high) * 1e-4)
    return history


def give_history(window, qtbot, history):
    """The worker's trainer gets ``history`` (on the worker thread, which owns it)."""
    window.step()
    qtbot.waitUntil(lambda: window.session.run.step_count == 1, timeout=10000)
    window.worker.submit(lambda worker: setattr(worker.trainer, "history", history))
    assert window.worker.jobs.wait_idle(10)


def record_exports(window):
    """The export messages the window receives, in order."""
    from gui import messages
    seen = []
    window.jobs.delivered.connect(
        lambda message: isinstance(message, (messages.ExportProgress, messages.Exported))
        and seen.append(message))
    return seen


def test_export_history_shows_rising_progress_to_100_percent(fresh_window, qtbot, tmp_path):
    window = fresh_window
    from gui import messages
    give_history(window, qtbot, long_history(300_000))
    seen = record_exports(window)
    values = []
    bar = window.findChild(QtWidgets.QProgressBar, "exportProgressBar")
    bar.valueChanged.connect(values.append)
    path = tmp_path / "history.csv"
    assert window.files.export_history(str(path))
    assert window.findChild(QtWidgets.QWidget, "jobProgress").isVisible()
    qtbot.waitUntil(lambda: bool(seen) and isinstance(seen[-1], messages.Exported), timeout=60000)
    fractions = [m.fraction for m in seen[:-1]]
    assert all(isinstance(m, messages.ExportProgress) for m in seen[:-1])
    assert len(fractions) >= 30  # 37 chunks of 8,192 rows, at most one message per percent
    assert fractions == sorted(set(fractions)) and fractions[-1] == 1.0
    assert values and values == sorted(values) and values[-1] == 100
    assert seen[-1].outcome == "written" and seen[-1].rows == 300_000
    assert "Exported 300,000 steps" in window.statusBar().currentMessage()
    assert not window.findChild(QtWidgets.QWidget, "jobProgress").isVisible()
    with open(path) as handle:
        assert sum(1 for _ in handle) == 300_001


def test_cancelling_an_export_leaves_the_old_file_as_it_was(fresh_window, qtbot, tmp_path):
    window = fresh_window
    from gui import messages
    give_history(window, qtbot, long_history(2_000_000))
    seen = record_exports(window)
    path = tmp_path / "history.csv"
    path.write_text("the good copy\n")
    button = window.findChild(QtWidgets.QPushButton, "cancelExportButton")
    cancel = lambda progress: button.click() if button.isEnabled() else None  # noqa: E731
    window.jobs.delivered.connect(
        lambda m: isinstance(m, messages.ExportProgress) and cancel(m))
    assert window.files.export_history(str(path))
    qtbot.waitUntil(lambda: bool(seen) and isinstance(seen[-1], messages.Exported), timeout=60000)
    assert seen[-1].outcome == "cancelled"
    assert max(m.fraction for m in seen[:-1]) < 0.5  # stopped soon after the first report
    assert path.read_text() == "the good copy\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp
    assert "cancelled" in window.statusBar().currentMessage()


def test_export_runs_reports_progress_and_a_failure_keeps_both_old_files(
        fresh_window, qtbot, tmp_path, messages):
    window = fresh_window
    from gui import messages as worker_messages
    from gui.session import KeptRun, STEP_COLUMNS, EPOCH_COLUMNS
    from engine import TrainingConfig
    n = 50_000
    for key in range(3):
        steps = {name: np.arange(1, n + 1, dtype=np.float64) for name in STEP_COLUMNS}
        epochs = {name: np.array([0.5, 0.4]) for name in EPOCH_COLUMNS}
        window.session.add_kept(KeptRun(key, TrainingConfig(batch_size=8 + key), steps, epochs,
                                        "finished", 1.0, n))
    seen = record_exports(window)
    path = tmp_path / "runs.csv"
    assert window.files.export_runs(str(path))
    qtbot.waitUntil(lambda: bool(seen) and isinstance(seen[-1], worker_messages.Exported),
                    timeout=60000)
    fractions = [m.fraction for m in seen[:-1]]
    assert len(fractions) >= 15 and fractions == sorted(fractions) and fractions[-1] == 1.0
    assert seen[-1].outcome == "written" and seen[-1].rows == 3 * n
    with open(path) as handle:
        assert sum(1 for _ in handle) == 3 * n + 1
    assert len((tmp_path / "runs-epochs.csv").read_text().splitlines()) == 7

    # the epochs file cannot be written (a folder stands there): the steps file stays too
    path.write_text("old steps\n")
    (tmp_path / "runs-epochs.csv").unlink()
    (tmp_path / "runs-epochs.csv").mkdir()
    del seen[:]
    assert window.files.export_runs(str(path))
    qtbot.waitUntil(lambda: bool(seen) and isinstance(seen[-1], worker_messages.Exported),
                    timeout=60000)
    assert seen[-1].outcome == "failed" and "runs-epochs.csv" in seen[-1].message
    assert messages[-1][:2] == ("critical", "Cannot export the runs")
    assert path.read_text() == "old steps\n"


# -- issue 15 #12: a large model is built only once the user agreed; an absurd one is refused --

def test_a_model_above_the_soft_bound_asks_with_memory_and_time_before_it_is_built(
        window, qtbot, messages, monkeypatch):
    from engine import config as engine_config
    assert window.trainer is not None
    small = window.trainer.config
    window.panel.set_value("hidden_layers", [256, 256])
    window.panel.set_value("epochs", 3)
    wanted = window.current_config()
    dataset = window.session.datasets.get(wanted)
    estimate = wanted.estimate(len(dataset.y_train), dataset.n_features, 1)
    monkeypatch.setattr(engine_config, "WARN_BYTES", estimate["bytes"] - 1)
    window.reset(quiet=True)  # what a changed setting does: the status bar says it, no model
    assert window.trainer.config == small
    status = window.statusBar().currentMessage()
    memory = f"{estimate['bytes'] / 2**20:.0f} MB"
    assert (f"This model needs about {memory} of memory ({estimate['parameters']:,} "
            f"parameters)" in status and "Start or Reset builds it." in status)
    assert messages == []

    answers = [QtWidgets.QMessageBox.Cancel]
    monkeypatch.setattr(QtWidgets.QMessageBox, "question", staticmethod(
        lambda parent, title, text, *args: (messages.append(("question", title, text)),
                                            answers.pop(0))[1]))
    window.start_pause()  # Cancel: nothing is built, nothing runs
    kind, title, text = messages[-1]
    assert (kind, title) == ("question", "Large model")
    steps = estimate["steps"]
    assert f"for its {steps:,} steps at full speed" in text and "Build it?" in text
    assert window.trainer.config == small and window.state != RunState.RUNNING
    assert window.statusBar().currentMessage() == "The large model was not built."

    answers.append(QtWidgets.QMessageBox.Ok)
    window.start_pause()  # OK: built and started
    assert window.trainer.config.hidden_layers == (256, 256)
    assert window.state == RunState.RUNNING
    window.stop()
    count = len(messages)
    assert window.reset()  # agreed once for this configuration: not asked again
    assert len(messages) == count


def test_an_absurd_model_is_refused_with_the_engines_message(window, qtbot, messages):
    window.panel.set_value("hidden_layers", [4096] * 10)
    window.start_pause()
    kind, title, text = messages[-1]
    assert (kind, title) == ("warning", "Cannot reset")
    assert "above the 4.0 GB this app allows" in text and "151," in text
    assert window.trainer.config.hidden_layers != (4096,) * 10
    assert window.state != RunState.RUNNING


# -- issue 11: training with 10 kept runs: the run table's refill touches only what changed -----

def test_refilling_the_run_table_replaces_only_the_cells_that_changed(qtbot):
    from gui.model.labels import Label, Outcome
    from gui.runs import CURRENT_KEY, RunTable
    table = RunTable()
    qtbot.addWidget(table)

    def row(key, steps, loss=0.5):
        return {"key": key, "label": Label.of_text(f"run {key}"), "color": (10 * key if key != CURRENT_KEY
                                                              else 0, 0, 0),
                "visible": True, "train_loss": loss, "val_loss": float("nan"),
                "train_accuracy": 0.9, "val_accuracy": None, "best_epoch": 3, "steps": steps,
                "wall_seconds": 1.5, "steps_per_second": 1000.0,
                "outcome": Outcome("finished")}
    rows = [row(key, 100) for key in range(10)] + [row(CURRENT_KEY, 5)]
    table.fill(rows)
    before = {(r, c): table.item(r, c) for r in range(11) for c in range(table.columnCount())}
    rows[-1] = row(CURRENT_KEY, 6, loss=0.25)  # only the current run moved on
    table.fill(rows)
    changed = {(r, c) for (r, c), item in before.items() if table.item(r, c) is not item}
    current = table.keys().index(CURRENT_KEY)
    assert changed == {(current, 2), (current, 7)}  # train loss and steps
    assert table.item(current, 7).text() == "6"
    rows.pop(0)  # a kept run removed: the table is built anew, in the new order
    table.fill(rows)
    assert table.rowCount() == 10 and sorted(map(str, table.keys())) == sorted(
        str(r["key"]) for r in rows)


def test_export_history_during_a_run_pauses_it_writes_then_start_continues(window, qtbot,
                                                                            tmp_path):
    configure(window, batch_size=8, epochs=1000)
    window.start_pause()
    qtbot.waitUntil(lambda: window.session.run.step_count > 50, timeout=10000)
    path = tmp_path / "history.csv"
    assert window.files.export_history(str(path))  # would wait behind the fit for ever otherwise
    assert window.state == RunState.PAUSED
    qtbot.waitUntil(lambda: "Exported" in window.statusBar().currentMessage(), timeout=10000)
    steps = window.session.run.step_count
    with open(path) as handle:
        assert sum(1 for _ in handle) == steps + 1
    window.start_pause()  # continues the same run
    assert window.state == RunState.RUNNING
    qtbot.waitUntil(lambda: window.session.run.step_count > steps, timeout=10000)
    window.stop()


def test_a_finished_runs_message_fits_the_status_bar_at_the_minimum_width(window, qtbot):
    """At 1024 px the 100 % bar of an ended run cut "Training finished. … steps/s." off: the
    bar shows only while a run is under way, and a message's whole text is its tooltip."""
    from gui.main_window import MINIMUM_SIZE
    window.resize(*MINIMUM_SIZE)
    window.show()
    bar = window.run_status.progress_bar
    assert not bar.isVisibleTo(window)
    configure(window, epochs=1, pace=30)  # about 20 steps at 30 steps/s: the bar is seen
    assert window.reset()
    window.start_pause()
    qtbot.waitUntil(lambda: bar.isVisibleTo(window), timeout=5000)
    qtbot.waitUntil(lambda: window.session.state == RunState.ENDED, timeout=20000)
    window.redraw_now()
    assert not bar.isVisibleTo(window)
    status = window.statusBar()
    message = status.currentMessage()
    assert message.startswith("Training finished.") and "steps/s" in message
    assert status.toolTip() == message
    fields = sum(widget.width() + status.layout().spacing()
                 for widget in status.findChildren(QtWidgets.QWidget)
                 if widget.parent() is status and widget.isVisible()
                 and widget.objectName().endswith(("StatusLabel", "progressBar")))
    qtbot.waitUntil(lambda: all(label.width() > 0 for label in window.run_status.labels.values()),
                    timeout=5000)
    room = status.width() - fields
    assert status.fontMetrics().horizontalAdvance(message) <= room, (message, room)


def test_keeping_a_run_in_korean_names_it_in_korean(fresh_window, qtbot):
    window = fresh_window
    window.set_language("ko")
    configure(window, batch_size=8, epochs=2)
    assert window.reset()
    run_steps(window, qtbot, 3)
    assert window.keep_run() is not None
    message = window.statusBar().currentMessage()
    assert "배치 8" in message and "batch" not in message, message
    window.set_language("en")


def test_the_progress_bar_follows_a_batch_size_changed_live(window, qtbot):
    """Issue 24 #1: the plan counted every epoch at the new batch size, so a run whose batch
    went up mid-run read 74 % at half its steps, then 100 % while it still trained. Measured
    against the steps the run then really trains."""
    configure(window, batch_size=16, epochs=3)
    assert window.reset()
    first_epoch = -(-window.session.run.facts.n_train // 16)
    run_steps(window, qtbot, first_epoch + 1)  # one step into epoch 2
    # the run as trained: a first Step rebuilds a run the worker has attached and that has
    # not trained yet (from the controls), so the run before it may not be the one stepped
    run = window.session.run
    child(window, QtWidgets.QSpinBox, "batchSizeSpin").setValue(64)  # applies at epoch 3
    count = first_epoch + 1
    while run.live.get("batch_size") != 64:
        count += 1
        window.step()
        qtbot.waitUntil(lambda: run.step_count == count, timeout=10000)
    window.redraw_now()
    shown = window.run_status.progress_bar.value()
    window.start_pause()
    qtbot.waitUntil(lambda: window.session.state == RunState.ENDED, timeout=20000)
    assert run.step_count == 2 * first_epoch + -(-run.facts.n_train // 64)
    assert shown == int(1000 * count / run.step_count), (shown, count, run.step_count)


def test_a_job_that_needs_the_trainer_idle_stops_the_fit_and_handles_its_own_messages(
        window, qtbot, messages):
    """The Job protocol: a job declares that it needs an idle trainer and the window's jobs
    stop a running fit before it (the run shows paused, Start goes on from there); what the
    job reports goes to its own handlers, not to the window's."""
    from gui import messages as worker_messages
    from gui import worker as jobs
    configure(window, batch_size=4)
    click(qtbot, window, "startButton")
    qtbot.waitUntil(lambda: batch_points(window) > 0, timeout=10000)
    assert window.jobs.fit_active
    seen = []

    class Probe(jobs.Job):
        needs_idle_trainer = True

        def run(self, context):
            context.emit(worker_messages.Failed("probe", str(context.stopped())))

    window.jobs.submit(Probe({worker_messages.Failed: seen.append}))
    assert not window.jobs.fit_active and window.state == "paused"
    qtbot.waitUntil(lambda: bool(seen), timeout=10000)
    # the stop was the fit's: the job itself runs unstopped (it used to find the flag still
    # set, so a range test asked for while training ended at its first step)
    assert seen[0].message == "False"
    assert not [m for m in messages if m[1] == "probe"]  # the window's handler never saw it
    steps = window.session.run.step_count
    click(qtbot, window, "startButton")
    assert window.state == "running"
    qtbot.waitUntil(lambda: window.session.run.step_count > steps, timeout=10000)
    click(qtbot, window, "stopButton")


def test_a_run_kept_after_a_live_rate_change_is_labelled_with_the_change(fresh_window, qtbot):
    """Issue 24 #3: the rate raised live to 1.5 and a batch of all rows, as the label says."""
    window = fresh_window
    configure(window, batch_size=100000, learning_rate=0.3, epochs=50)
    assert window.reset()
    run_steps(window, qtbot, 2)
    child(window, QtWidgets.QDoubleSpinBox, "learningRateSpin").setValue(1.5)
    window.step()
    qtbot.waitUntil(lambda: window.session.run.step_count == 3, timeout=10000)
    kept = window.keep_run()
    n_train = window.session.run.facts.n_train
    assert str(kept.label) == f"full batch ({n_train}) · lr 0.3→1.5"
    assert f"full batch ({n_train})" in window.statusBar().currentMessage()
    window.set_language("ko")
    table = child(window, QtWidgets.QTableWidget, "runTable")
    cells = [table.item(row, column).text() for row in range(table.rowCount())
             for column in range(table.columnCount()) if table.item(row, column)]
    window.set_language("en")
    assert f"전체 배치 ({n_train}) · 학습률 0.3→1.5" in cells, cells
