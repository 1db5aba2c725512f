"""The real window, driven through its objectNames: start, live changes, pause/step/stop/reset,
divergence, incompatible choices, closing mid-run and event-loop latency while training."""

import os
import subprocess
import sys
import time

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from engine import presets
from gui.session import RunState

pytestmark = pytest.mark.gui
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


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
    plot = child(window, pg.PlotWidget, "batchLossPlot")
    x, _ = plot.raw_curve.data()
    held = len(plot.steps)
    if held == 0:
        return 0 if x is None or len(x) == 0 else -1
    drawn_to = -1 if x is None or len(x) == 0 else int(x[-1])
    return held if drawn_to == plot.steps.view[-1] else -1


def markers(window):
    plot = child(window, pg.PlotWidget, "batchLossPlot")
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


def test_closing_mid_run_stops_the_thread(window, qtbot):
    configure(window, batch_size=4)
    click(qtbot, window, "startButton")
    qtbot.waitUntil(lambda: batch_points(window) > 0, timeout=10000)
    window.close()
    assert not window.thread.isRunning()


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


def test_app_closed_mid_run_exits_cleanly(tmp_path):
    result = run_app(tmp_path, 700, "'steps', window.trainer.step_count")
    assert "QThread: Destroyed" not in result.stderr
    assert int(result.stdout.split()[-1]) > 0


def test_event_loop_stays_responsive_at_batch_size_one(window, qtbot):
    configure(window, batch_size=1, epochs=1000)
    click(qtbot, window, "startButton")
    qtbot.waitUntil(lambda: batch_points(window) > 0, timeout=10000)
    # Steady state: the first paints with data lay out every axis once (a one-time hitch of
    # ~100-200 ms right after Start); what a learner feels while turning knobs comes after.
    qtbot.wait(1000)
    ticks = []
    timer = QtCore.QTimer()
    timer.setTimerType(QtCore.Qt.PreciseTimer)
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    qtbot.wait(4000)
    timer.stop()
    steps = window.trainer.step_count
    click(qtbot, window, "stopButton")
    lateness = np.diff(ticks) - 0.010
    assert len(ticks) > 200
    assert np.percentile(lateness, 99) <= 0.050
    assert steps > 1000


def test_find_learning_rate_shows_the_range_test_and_sets_the_rate(window, qtbot):
    configure(window, dataset="circle", batch_size=16, learning_rate=0.001)
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
    assert 1e-4 < result.suggestion < 1
    # the sweep ran on its own copy: the window's model did not move
    np.testing.assert_array_equal(trainer.model.get_weights(), weights)
    assert trainer.step_count == 0
    qtbot.mouseClick(window.lr_dialog.findChild(QtWidgets.QPushButton, "useSuggestedLrButton"),
                     QtCore.Qt.LeftButton)
    spin = child(window, QtWidgets.QDoubleSpinBox, "learningRateSpin")
    assert spin.value() == pytest.approx(result.suggestion, rel=0.01)
    assert not window.lr_dialog.isVisible()


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="BLAS has one thread anyway")
def test_the_worker_trains_small_models_on_one_blas_thread(tmp_path):
    # A fresh process: once one thread has changed BLAS's thread count, OpenBLAS 0.3.31 ignores
    # changes from another (engine.threads), and earlier tests here trained in other threads.
    setup = (
        "from threadpoolctl import threadpool_info\n"
        "window.panel.set_values({'batch_size': 32, 'epochs': 2000})\n"
        "seen = []\n"
        "forward = window.worker.emit_progress\n"
        "def recording(chunk, with_view):  # in the worker's QThread; batches: inside fit\n"
        "    if len(chunk.step):\n"
        "        seen.extend(i['num_threads'] for i in threadpool_info()\n"
        "                    if i['user_api'] == 'blas')\n"
        "    forward(chunk, with_view)\n"
        "window.worker.emit_progress = recording\n")
    result = run_app(tmp_path, 1500, "'threads', *seen", setup)
    seen = [int(word) for word in result.stdout.split("threads", 1)[1].split()]
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
    labels = [kept.label for kept in window.session.kept]
    assert labels == ["batch 8", "batch 64"]
    assert table.rowCount() == 3  # two kept runs and the current one
    assert {table.item(row, 1).text() for row in range(2)} == set(labels)
    plots = (window.batch_plot, window.lr_plot, window.epoch_plot, window.accuracy_plot)
    keys = [kept.key for kept in window.session.kept]
    assert all(set(plot.runs) == set(keys) for plot in plots)  # through the plots' own API
    batch = window.batch_plot
    assert [batch._run_x(batch.runs[key])[-1] for key in keys] == [5.0, 5.0]
    # fair axes: against samples seen, batch 64 went 8 times as far in 5 steps, and the
    # current run moves with them
    combo = window.findChild(QtWidgets.QComboBox, "xAxisCombo")
    combo.setCurrentIndex(combo.findData("samples"))
    assert [batch._run_x(batch.runs[key])[-1] for key in keys] == [40.0, 320.0]
    assert window.batch_plot.x_mode == window.lr_plot.x_mode == "samples"
    assert window.batch_plot.current_x()[-1] == 5 * 64
    # the y range takes the kept runs in
    low = min(float(window.session.kept[i].steps["batch_loss"].min()) for i in range(2))
    assert window.batch_plot.getPlotItem().viewRange()[1][0] <= low
    # hide one, highlight the other through the table
    first = window.session.kept[0]
    row = [table.item(r, 0).data(QtCore.Qt.UserRole) for r in range(3)].index(first.key)
    table.item(row, 0).setCheckState(QtCore.Qt.Unchecked)
    assert not window.session.kept[0].visible
    assert all(not plot.runs[first.key].visible for plot in plots)
    table.selectRow(row)
    assert window.overlays.highlighted == first.key
    assert all(plot.highlighted == first.key for plot in plots)
    window.close()
    # a new window with the same settings file shows the same kept runs
    again = make_window()
    assert [kept.label for kept in again.session.kept] == labels
    assert not again.session.kept[0].visible
    exported = tmp_path / "runs.csv"
    assert again.export_runs(str(exported))
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
    window._update_status()
    labels = window.status_labels
    assert labels["epoch"].text().startswith("epoch ") and "/" not in labels["epoch"].text()
    assert labels["eta"].text() == "until stopped"
    window.stop()
    qtbot.waitUntil(lambda: window.session.state != RunState.RUNNING, timeout=10000)
    check.setChecked(False)  # live, back to a limit: nothing raises
    window._update_status()


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
    labels = [line.label.textItem.toPlainText() for _step, line in window.batch_plot.markers]
    assert "not learning" in labels
    window.stop()
