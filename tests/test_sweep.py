"""Sweeps: values, strategies, seeds, executors, progress, live chunks, cancel, CSV.

Every sweep that starts processes is waited for and checked to leave none running.
"""

import concurrent.futures
import csv
import io
import math
import multiprocessing
import threading
import time

import pytest

from engine import TrainingConfig
from engine.errors import ConfigError
from engine.sweep import (CSV_COLUMNS, FULL, LARS_LEARNING_RATE, LINEAR_WARMUP_EPOCHS, Sweep,
                          SweepRunner, log_range, numeric_fields, parse_strategies,
                          parse_values, run_point, run_sweep, strategy_config)

TINY = TrainingConfig(dataset="circle", n_samples=60, hidden_layers=(4,), epochs=2,
                      learning_rate=0.1, batch_size=16)


def no_children_left(timeout=10.0):
    """True once this process has no live child processes (waits up to ``timeout``)."""
    deadline = time.monotonic() + timeout
    while multiprocessing.active_children():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


# ---- values and strategies -------------------------------------------------------------------

def test_parse_values_lists_full_and_log_ranges():
    assert parse_values("batch_size", "8, 32,128,512,full") == [8, 32, 128, 512, FULL]
    assert parse_values("learning_rate", "0.01,0.1,1") == [0.01, 0.1, 1.0]
    rates = parse_values("learning_rate", "log:0.001:1:4")
    assert rates == pytest.approx([0.001, 0.01, 0.1, 1.0], rel=1e-12)
    assert parse_values("batch_size", "log:8:512:4") == [8, 32, 128, 512]
    assert parse_values("hidden_layers", "4,16") == [4, 16]


@pytest.mark.parametrize("field, text, message", [
    ("batch_size", "8,x", "'x' in '8,x' is not a number"),
    ("batch_size", "8,,16", "empty value"),
    ("batch_size", "8.5", "not a whole number"),
    ("learning_rate", "full", "'full' only means something for batch_size"),
    ("learning_rate", "log:0.1:1", "write log:START:STOP:N"),
    ("learning_rate", "log:0:1:3", "positive ends"),
    ("loss", "1,2", "sweeps take a numeric field"),
])
def test_parse_values_rejects_bad_text_with_a_reason(field, text, message):
    with pytest.raises(ConfigError, match=message):
        parse_values(field, text)


def test_log_range_rounds_and_deduplicates_whole_numbers():
    # 1, 1.26, 1.59, 2, 2.52, 3.17, 4 -> 1, 1, 2, 2, 3, 3, 4
    assert log_range(1, 4, 7, integer=True) == [1, 2, 3, 4]
    with pytest.raises(ConfigError, match="at least 2 values"):
        log_range(1, 4, 1)


def test_numeric_fields_are_numbers_only():
    fields = numeric_fields()
    for name in ("batch_size", "learning_rate", "epochs", "l2", "hidden_layers", "momentum"):
        assert name in fields
    for name in ("loss", "optimizer", "linear_scaling", "dataset"):
        assert name not in fields


def test_parse_strategies():
    assert parse_strategies("fixed, LINEAR,lars,adam") == ("fixed", "linear", "lars", "adam")
    with pytest.raises(ConfigError, match="unknown strategy sqrt; valid strategies"):
        parse_strategies("fixed,sqrt")


def test_strategies_shape_the_configuration():
    base = TrainingConfig(dataset="digits", loss="categorical_crossentropy", optimizer="momentum",
                          momentum=0.8, learning_rate=0.1, linear_scaling=True)
    fixed = strategy_config(base, "fixed")
    assert (fixed.linear_scaling, fixed.learning_rate, fixed.optimizer) == (False, 0.1,
                                                                           "momentum")
    linear = strategy_config(base, "linear")
    assert (linear.linear_scaling, linear.warmup_epochs) == (True, LINEAR_WARMUP_EPOCHS)
    assert strategy_config(base.replace(warmup_epochs=5), "linear").warmup_epochs == 5
    lars = strategy_config(base, "lars")
    assert (lars.optimizer, lars.learning_rate, lars.linear_scaling) == ("lars",
                                                                        LARS_LEARNING_RATE, True)
    assert lars.momentum == 0.8  # LARS takes momentum: kept
    adam = strategy_config(base, "adam")
    assert (adam.optimizer, adam.learning_rate, adam.linear_scaling) == ("adam", 1e-3, False)
    assert adam.momentum is None  # Adam has no momentum: back to the default
    adam.validate()


def test_points_cross_strategies_values_and_seeds():
    sweep = Sweep(TINY.replace(seed=5), "batch_size", (8, FULL), ("fixed", "adam"), seeds=3)
    points = sweep.points()
    assert len(points) == sweep.size == 12
    assert [p.index for p in points] == list(range(12))
    assert {p.seed for p in points} == {5, 6, 7}
    full = [p for p in points if p.value == FULL]
    assert {p.config.batch_size for p in full} == {48}  # 60 samples, 20 % validation
    assert all(p.x == 48.0 for p in full)


def test_a_swept_learning_rate_replaces_the_strategys_rate():
    points = Sweep(TINY, "learning_rate", (0.5,), ("lars", "adam")).points()
    assert [(p.config.optimizer, p.config.learning_rate) for p in points] == [
        ("lars", 0.5), ("adam", 0.5)]


def test_a_sweep_of_widths_sets_every_hidden_layer():
    points = Sweep(TINY.replace(hidden_layers=(4, 4)), "hidden_layers", (2, 8)).points()
    assert [p.config.hidden_layers for p in points] == [(2, 2), (8, 8)]


def test_an_invalid_point_is_named():
    with pytest.raises(ConfigError, match="sweep point learning_rate=-1.0 with strategy fixed"):
        Sweep(TINY, "learning_rate", (0.1, -1.0)).points()
    with pytest.raises(ConfigError, match="seeds must be a whole number"):
        Sweep(TINY, "batch_size", (8,), seeds=0)


# ---- running -----------------------------------------------------------------------------------

def test_run_point_trains_and_reports():
    point = Sweep(TINY, "batch_size", (16,)).points()[0]
    chunks = []

    class Sink:
        def put(self, item):
            chunks.append(item)

    run = run_point(point, chunks=Sink(), chunk_seconds=0.0)
    assert run.outcome == "finished" and run.completed and not run.diverged
    assert run.steps == 2 * 3 and run.epochs == 2  # 48 training samples, batch 16
    assert 0 <= run.final["val_accuracy"] <= 1 and run.final["val_loss"] > 0
    assert chunks[-1] == (0, None)  # the end of its stream
    assert sum(chunk.step.size for _, chunk in chunks[:-1]) == 6
    assert {index for index, _ in chunks} == {0}


def test_thread_pool_sweep_progress_chunks_and_csv(tmp_path):
    sweep = Sweep(TINY, "batch_size", (8, 16, FULL), ("fixed", "linear"), seeds=2)
    progress, chunks, ended = [], {}, []
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        result = run_sweep(sweep, executor=pool, on_progress=progress.append,
                           on_chunk=lambda i, c: chunks.setdefault(i, []).append(c),
                           on_run=ended.append)
    assert [r.index for r in result.runs] == list(range(12))
    assert all(r.outcome == "finished" for r in result.runs)
    assert [p.done for p in progress] == list(range(13))
    assert progress[0].eta is None and progress[-1].eta == 0.0
    assert all(p.total == 12 for p in progress)
    assert len(ended) == 12
    # every run streamed all of its steps back
    for run in result.runs:
        assert sum(c.step.size for c in chunks[run.index]) == run.steps
    path = tmp_path / "sweep.csv"
    result.to_csv(path)
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    assert tuple(rows[0]) == CSV_COLUMNS and len(rows) == 12
    assert rows[0]["field"] == "batch_size" and rows[0]["value"] == "8"
    full = [row for row in rows if row["value"] == "full"]
    assert {row["x"] for row in full} == {"48"}
    linear = [row for row in rows if row["strategy"] == "linear" and row["value"] == "full"]
    assert float(linear[0]["scaled_learning_rate"]) == pytest.approx(0.1 * 48 / 32)
    summary = result.summary()
    assert result.metric == "val_accuracy"
    assert [row["value"] for row in summary["fixed"]] == [8, 16, FULL]
    assert all(row["n"] == 2 for rows in summary.values() for row in rows)


def test_process_pool_sweep_leaves_no_process_running():
    sweep = Sweep(TINY, "learning_rate", (0.05, 0.2), ("fixed", "adam"))
    result = run_sweep(sweep)
    assert len(result.runs) == 4 and all(r.completed for r in result.runs)
    assert result.runs[1].config.learning_rate == 0.2
    assert result.runs[3].config.optimizer == "adam"
    assert result.runs[0].history.n_steps == result.runs[0].steps
    assert no_children_left()


def test_cancel_stops_every_process_promptly_and_keeps_finished_runs():
    quick = Sweep(TINY.replace(epochs=100000, n_samples=400), "batch_size", (8, 16, 32, 64),
                  seeds=2)
    started = threading.Event()
    runner = SweepRunner(quick, on_chunk=lambda i, c: started.set())
    runner.start()
    try:
        assert started.wait(60), "no run started within 60 s"
        began = time.monotonic()
        runner.cancel()
        result = runner.wait(timeout=30)
        took = time.monotonic() - began
    finally:
        runner.cancel()
        runner.wait(timeout=30)
    assert result is not None and result.cancelled
    assert took < 10
    stopped = [r for r in result.runs if r.outcome == "stopped"]
    assert stopped and all(r.steps < 100000 for r in stopped)
    assert runner.done and no_children_left()


def test_cancel_keeps_the_finished_runs():
    finished, long_started = threading.Event(), threading.Event()
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        runner = SweepRunner(Sweep(TINY, "epochs", (2, 100000)), executor=pool,
                             on_run=lambda run: finished.set(),
                             on_chunk=lambda index, chunk: index == 1 and long_started.set())
        runner.start()
        assert finished.wait(30) and long_started.wait(30)
        runner.cancel()
        result = runner.wait(timeout=30)
    assert [r.outcome for r in result.runs] == ["finished", "stopped"]
    assert result.runs[0].epochs == 2
    summary = result.summary()
    assert [row["value"] for row in summary["fixed"]] == [2]


def test_diverged_runs_are_counted_apart():
    regression = TINY.replace(dataset="sine", loss="mse", epochs=3)
    sweep = Sweep(regression, "learning_rate", (0.1, 90.0), seeds=2)
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        result = run_sweep(sweep, executor=pool)
    blown = [r for r in result.runs if r.value == 90.0]
    assert all(r.diverged and r.diverged_step is not None for r in blown)
    assert result.metric == "val_loss"
    rows = {row["value"]: row for row in result.summary()["fixed"]}
    assert rows[90.0]["diverged"] == 2 and math.isnan(rows[90.0]["mean"])
    assert rows[0.1]["diverged"] == 0 and rows[0.1]["n"] == 2
    text = result.csv_text()
    assert ",true," in text and ",false,," in text


@pytest.mark.parametrize("processes", [
    False, pytest.param(True, marks=pytest.mark.slow)], ids=["threads", "processes"])
def test_a_dask_executor_runs_a_sweep(processes):
    """README's route for a cluster: a LocalCluster of two workers, through
    ``Client(cluster).get_executor()``; the sweep's flags go through a Manager (any executor
    but the runner's own pool and a thread pool). By default the workers are threads of this
    process (the route is the same; 6-11 s less); ``-m slow`` runs them as processes."""
    from distributed import Client, LocalCluster
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=processes,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        result = run_sweep(Sweep(TINY, "batch_size", (8, 16)), executor=client.get_executor())
    assert [r.outcome for r in result.runs] == ["finished", "finished"]
    assert [r.config.batch_size for r in result.runs] == [8, 16]
    assert all(r.steps > 0 for r in result.runs)
    assert no_children_left()


# ---- the dialog and its plot (offscreen) -------------------------------------------------------

@pytest.fixture
def dialog(qtbot, messages):
    """A sweep dialog on a two-thread pool; shut down at teardown."""
    from gui.sweep_dialog import SweepDialog
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=2)
    made = SweepDialog(TINY, executor=pool)
    qtbot.addWidget(made)
    made.show()
    yield made
    made.shutdown()
    pool.shutdown(wait=True)


@pytest.mark.gui
def test_dialog_runs_a_tiny_sweep_plots_and_saves(dialog, qtbot, tmp_path):
    dialog.values_edit.setText("8,16")
    dialog.strategy_checks["lars"].setChecked(False)
    dialog.strategy_checks["linear"].setChecked(False)
    dialog.strategy_checks["adam"].setChecked(True)
    dialog.seeds_spin.setValue(2)
    chunks = []
    dialog.runChunk.connect(lambda index, chunk: chunks.append(index))
    with qtbot.waitSignal(dialog.sweepFinished, timeout=30000) as finished:
        dialog.start_button.click()
    result = finished.args[0]
    assert len(result.runs) == 8 and not result.cancelled  # 2 strategies x 2 values x 2 seeds
    assert set(chunks) == set(range(8))
    assert dialog.progress_bar.value() == 8 and dialog.progress_bar.maximum() == 8
    assert set(dialog.plot.curves) == {"fixed", "adam"}
    x, y = dialog.plot.curves["fixed"].getOriginalDataset()
    assert list(x) == [8.0, 16.0] and np_all_in(y, 0.0, 1.0)
    assert dialog.save_csv_button.isEnabled() and dialog.start_button.isEnabled()
    dialog.save_csv(tmp_path / "sweep.csv")
    assert (tmp_path / "sweep.csv").read_text().count("\n") == 9
    dialog.save_image(str(tmp_path / "sweep.png"))
    assert (tmp_path / "sweep.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def np_all_in(values, low, high):
    return all(low <= v <= high for v in values)


@pytest.mark.gui
def test_dialog_bad_values_are_shown_not_raised(dialog, messages):
    dialog.values_edit.setText("8,abc")
    dialog.start_button.click()
    assert messages and "'abc'" in messages[-1][2]
    assert dialog.runner is None and dialog.start_button.isEnabled()


@pytest.mark.gui
def test_dialog_cancel_keeps_finished_runs(dialog, qtbot):
    dialog.field_combo.setCurrentText("epochs")
    dialog.values_edit.setText("2,100000")
    dialog.seeds_spin.setValue(1)
    for name, check in dialog.strategy_checks.items():
        check.setChecked(name == "fixed")
    streamed = set()
    dialog.runChunk.connect(lambda index, chunk: streamed.add(index))
    with qtbot.waitSignal(dialog.runFinished, timeout=30000):
        dialog.start_button.click()
    qtbot.waitUntil(lambda: 1 in streamed, timeout=30000)  # the long run is running
    with qtbot.waitSignal(dialog.sweepFinished, timeout=30000) as finished:
        dialog.cancel_button.click()
    result = finished.args[0]
    assert result.cancelled and [r.outcome for r in result.runs] == ["finished", "stopped"]
    assert list(dialog.plot.curves["fixed"].getOriginalDataset()[0]) == [2.0]


@pytest.mark.gui
def test_closing_the_dialog_mid_sweep_stops_its_processes(qtbot):
    from gui.sweep_dialog import SweepDialog
    made = SweepDialog(TINY.replace(epochs=100000))
    qtbot.addWidget(made)
    made.values_edit.setText("8,16")
    for name, check in made.strategy_checks.items():
        check.setChecked(name == "fixed")
    made.seeds_spin.setValue(1)
    with qtbot.waitSignal(made.runChunk, timeout=60000):
        made.start_button.click()
    made.close()
    assert made.runner.done
    assert no_children_left()


@pytest.mark.gui
def test_save_sweep_png_draws_the_headless_picture(tmp_path):
    from gui.sweep_dialog import SweepPlot, save_sweep_png
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        result = run_sweep(Sweep(TINY, "batch_size", (4, 16, FULL), ("fixed", "linear"),
                                 seeds=2), executor=pool)
    path = tmp_path / "sweep.png"
    save_sweep_png(result, path, width=600)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    plot = SweepPlot()
    plot.show_result(result)
    assert plot.log_x  # 4 to 48: more than 10x
    assert set(plot.curves) == {"fixed", "linear"}
    assert plot.getPlotItem().getAxis("left").labelText == "final validation accuracy"
    plot.deleteLater()


# ---- headless ----------------------------------------------------------------------------------

@pytest.mark.gui
def test_headless_sweep_writes_csv_and_png(tmp_path):
    import main
    out = tmp_path / "sweep"
    status = main.main(["--sweep", "batch_size=8,full", "--strategies", "fixed,linear",
                        "--seeds", "2", "--dataset", "circle", "--n-samples", "60",
                        "--hidden-layers", "4", "--epochs", "2", "--out", str(out), "--quiet"])
    assert status == 0
    rows = list(csv.DictReader(io.StringIO((out / "sweep.csv").read_text())))
    assert len(rows) == 8
    assert {(row["value"], row["strategy"]) for row in rows} == {
        ("8", "fixed"), ("full", "fixed"), ("8", "linear"), ("full", "linear")}
    assert {row["seed"] for row in rows} == {"0", "1"}
    assert all(row["outcome"] == "finished" and row["diverged"] == "false" for row in rows)
    assert (out / "sweep.png").read_bytes()[:4] == b"\x89PNG"
    assert no_children_left()


@pytest.mark.parametrize("argv, message", [
    (["--sweep", "batch_size"], "--sweep needs FIELD=VALUES"),
    (["--sweep", "batch_size=8,x"], "'x' in '8,x' is not a number"),
    (["--sweep", "batch_size=8", "--strategies", "sqrt"], "unknown strategy sqrt"),
    (["--sweep", "loss=1"], "sweeps take a numeric field"),
    (["--sweep", "batch_size=8", "--seeds", "0"], "seeds must be a whole number"),
])
def test_headless_sweep_rejects_bad_flags(argv, message, tmp_path, capsys):
    import main
    assert main.main(argv + ["--out", str(tmp_path / "out")]) == 2
    assert message in capsys.readouterr().err


def test_a_cancel_before_start_applies_when_the_runs_are_submitted():
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        runner = SweepRunner(Sweep(TINY.replace(epochs=100000), "batch_size", (8, 16)),
                             executor=pool)
        runner.cancel()
        result = runner.start().wait(timeout=30)
    assert result.cancelled
    assert all(r.outcome == "stopped" for r in result.runs)  # a started one stops at once


def test_a_failed_start_is_raised_by_wait_and_shuts_down():
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    pool.shutdown()
    runner = SweepRunner(Sweep(TINY, "batch_size", (8,)), executor=pool)
    with pytest.raises(RuntimeError, match="shutdown"):
        runner.start()
    assert runner.done and isinstance(runner.error, RuntimeError)
    with pytest.raises(RuntimeError, match="shutdown"):
        runner.wait(timeout=5)


# ---- pace, live epochs, the runner's own pool ------------------------------------------------

def test_live_chunks_carry_the_runs_epochs():
    point = Sweep(TINY, "batch_size", (16,)).points()[0]
    chunks = []

    class Sink:
        def put(self, item):
            chunks.append(item[1])

    run = run_point(point, chunks=Sink(), chunk_seconds=0.0)
    assert chunks[-1] is None
    losses = [value for chunk in chunks[:-1] for value in chunk.epochs.get("val_loss", [])]
    assert len(losses) == run.epochs == 2
    assert losses == list(run.history.val_loss)


def test_a_run_keeps_the_shared_pace_and_follows_a_change():
    class Pace:
        value = 20.0  # steps per second

    point = Sweep(TINY, "batch_size", (16,)).points()[0]  # 6 steps
    run = run_point(point, pace=Pace())
    seconds = run.history.seconds
    assert seconds[-1] - seconds[0] >= 5 / 20 * 0.9  # 5 intervals at 20 steps/s, at least
    slow = TINY.replace(epochs=200)  # 600 steps: 5 minutes at 2 steps/s
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        runner = SweepRunner(Sweep(slow, "batch_size", (16,)), executor=pool, pace=2.0,
                             on_chunk=lambda index, chunk: None)
        runner.start()
        time.sleep(0.5)
        assert runner.wait(timeout=0.1) is None  # still crawling at 2 steps/s
        runner.set_pace(None)  # full speed from the next look at the pace
        result = runner.wait(timeout=60)
    assert result is not None and result.runs[0].steps == 600


def test_the_runners_own_pool_needs_no_manager_and_leaves_no_process():
    progress, processes = [], []

    def on_chunk(index, chunk):
        progress.append(index)
        processes.append(len(multiprocessing.active_children()))

    runner = SweepRunner(Sweep(TINY, "batch_size", (8, 16)), workers=2, pace=None,
                         on_chunk=on_chunk)
    result = runner.start().wait(timeout=120)
    # a Manager would be one more process beside the two workers, for the whole sweep
    assert processes and max(processes) <= 2
    assert [r.outcome for r in result.runs] == ["finished", "finished"]
    assert set(progress) == {0, 1}
    assert no_children_left()


def test_the_longest_runs_are_submitted_first():
    from engine.sweep import expected_cost
    points = Sweep(TINY.replace(n_samples=400, epochs=10), "batch_size", (8, 64, FULL),
                   ("fixed", "lars")).points()
    order = [(p.value, p.strategy) for p in sorted(points, key=expected_cost, reverse=True)]
    # LARS's update costs about a step more, so its batch-8 run outlasts plain SGD's
    assert order[:2] == [(8, "lars"), (8, "fixed")]
    assert {order[-1][0], order[-2][0]} == {FULL}


def test_shutdown_ends_a_sweep_whose_runs_outlast_the_wait():
    runner = SweepRunner(Sweep(TINY.replace(epochs=100000), "batch_size", (8, 16)), workers=2,
                         on_chunk=lambda index, chunk: None)
    runner.start()
    began = time.monotonic()
    assert runner.shutdown(timeout=0.5)
    assert time.monotonic() - began < 10
    assert runner.done and no_children_left()


# ---- from the app: the race on the window's plots, kept runs --------------------------------

DIGITS = {"dataset": "digits", "loss": "categorical_crossentropy", "hidden_layers": (32,),
          "activation": "relu", "learning_rate": 0.1, "epochs": 2, "optimizer": "sgd"}


def open_sweep(window, values, field="batch_size", strategies=("fixed", "linear", "lars",
                                                                  "adam"), seeds=1):
    from PySide6 import QtGui, QtWidgets
    action = window.findChild(QtGui.QAction, "sweepAction")
    assert action.shortcut().toString() and action.toolTip()
    assert action in window.findChild(QtWidgets.QMenu, "runMenu").actions()
    action.trigger()
    dialog = window.experiments.dialog
    assert dialog.isVisible() and dialog.objectName() == "sweepDialog"
    dialog.field_combo.setCurrentText(field)
    dialog.values_edit.setText(values)
    for name, check in dialog.strategy_checks.items():
        check.setChecked(name in strategies)
    dialog.seeds_spin.setValue(seeds)
    return dialog


def race_keys(window, plot):
    """The sweep point indices of the racing runs (the session's runs of role racing) that
    ``plot`` draws."""
    return {index for index, entry in window.experiments.race.runs.items()
            if entry.role == "racing" and entry.key in plot.runs}


@pytest.mark.gui
def test_a_digits_batch_size_sweep_races_on_the_main_plots_and_keeps_each_run(
        window, qtbot, tmp_path):
    """The app's sweep end to end: 2 batch sizes x 4 strategies on digits. While they train
    the runs draw on the window's four plots, each in its colour; each finished run becomes
    a kept run (curves, a row, a label naming what differs); the result plot and the CSV
    are saved."""
    window.panel.set_values(DIGITS)
    # at 300 steps/s a batch-8 run (360 steps) races for about a second: long enough to watch
    window.pace_combo.setCurrentIndex(window.pace_combo.findData(300))
    dialog = open_sweep(window, "8,full")
    racing, ended, running, curves = [], set(), [], {}

    def look():  # between the race's redraws (a redraw reaches the plots one by one)
        if window.overlays.drawing:
            return
        racing.append({name: race_keys(window, plot) for name, plot in window.plots.items()
                       if name != "dataPlot"})
        running.append(racing[-1]["batchLossPlot"] - ended)
        for index in racing[-1]["batchLossPlot"]:
            key = window.experiments.race.runs[index].key
            curves.setdefault(index, window.plots["batchLossPlot"].runs[key].items[0])
    from PySide6 import QtCore
    watch = QtCore.QTimer(interval=40)
    watch.timeout.connect(look)
    watch.start()
    dialog.runFinished.connect(lambda run: ended.add(run.index))
    try:
        with qtbot.waitSignal(dialog.sweepFinished, timeout=180000) as finished:
            dialog.start_button.click()
    finally:
        watch.stop()
    result = finished.args[0]
    assert len(result.runs) == 8 and all(r.completed for r in result.runs)
    # live: every run raced on all four plots; of the runs not yet ended, at most two (one
    # per process) were on the plots at once (an ended one stays until it is kept)
    assert racing and all(len(indices) <= 2 for indices in running), (running, sorted(ended))
    seen = set().union(*(keys["batchLossPlot"] for keys in racing))
    # the batch-8 runs race (a full-batch run of 2 steps may end before the next redraw);
    # paced, each took at least 359 intervals of 1/300 s
    assert all(r.history.seconds[-1] - r.history.seconds[0] >= 359 / 300 * 0.9
               for r in result.runs if r.value == 8)
    batch_8 = {r.index for r in result.runs if r.value == 8}
    assert batch_8 <= seen
    assert all(keys["batchLossPlot"] == keys["epochLossPlot"] == keys["accuracyPlot"]
               == keys["learningRatePlot"] for keys in racing)
    qtbot.waitUntil(lambda: len(window.session.kept) == 8, timeout=5000)
    kept = window.session.kept
    assert len({k.color for k in kept}) == 8
    assert len({str(k.label) for k in kept}) == 8 and all("batch" in str(k.label) for k in kept)
    assert {k.config.batch_size for k in kept} == {8, result.runs[1].config.batch_size}
    by_config = {(r.config.batch_size, r.config.optimizer, r.config.linear_scaling): r
                 for r in result.runs}
    for k in kept:  # the kept run is the run: its history and its final accuracy
        run = by_config[(k.config.batch_size, k.config.optimizer, k.config.linear_scaling)]
        assert k.n_steps == run.steps
        assert k.final("val_accuracy") == pytest.approx(run.history.val_accuracy[-1])
    plots = (window.plots["batchLossPlot"], window.plots["epochLossPlot"], window.plots["accuracyPlot"], window.plots["learningRatePlot"])
    # (while a sweep races, a keep reaches the plots one per turn: until the drawer is done)
    qtbot.waitUntil(lambda: not any(race_keys(window, plot) for plot in plots)
                    and not window.overlays.drawing, timeout=5000)
    for plot in plots:
        assert set(plot.runs) == {k.key for k in kept}
    # a run that raced keeps its curve: the kept run took it over, not drawn anew
    kept_by_config = {k.config: k for k in kept}
    for index in batch_8:
        kept_run = kept_by_config[result.runs[index].config]
        assert window.plots["batchLossPlot"].runs[kept_run.key].items[0] is curves[index]
    keys = window.run_table.keys()
    assert set(keys) - {"current"} == {k.key for k in kept}
    # the result plot, as PNG and SVG, and the CSV
    dialog.save_image(str(tmp_path / "sweep.png"))
    dialog.save_image(str(tmp_path / "sweep.svg"))
    from PySide6 import QtGui
    image = QtGui.QImage(str(tmp_path / "sweep.png"))
    colours = {image.pixelColor(x, y).name() for x in range(0, image.width(), 3)
               for y in range(0, image.height(), 3)}
    assert len(colours) > 10  # lines, markers and text, not a blank picture
    assert "<path" in (tmp_path / "sweep.svg").read_text() or "<polyline" in (
        tmp_path / "sweep.svg").read_text()
    dialog.save_csv(tmp_path / "sweep.csv")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "sweep.csv").read_text())))
    assert len(rows) == 8 and {row["strategy"] for row in rows} == {"fixed", "linear", "lars",
                                                                    "adam"}
    assert all(0 <= float(row["val_accuracy"]) <= 1 for row in rows)


@pytest.mark.gui
def test_cancelling_the_apps_sweep_stops_every_process_and_keeps_the_finished_runs(
        window, qtbot):
    window.panel.set_values(DIGITS)
    dialog = open_sweep(window, "2,100000", field="epochs", strategies=("fixed",))
    with qtbot.waitSignal(dialog.runFinished, timeout=60000):
        dialog.start_button.click()
    race = window.experiments.race
    qtbot.waitUntil(lambda: len(window.session.kept) == 1, timeout=10000)
    qtbot.waitUntil(lambda: len(race_keys(window, window.plots["batchLossPlot"])) == 1,
                    timeout=30000)
    began = time.monotonic()
    with qtbot.waitSignal(dialog.sweepFinished, timeout=30000) as finished:
        dialog.cancel_button.click()
    took = time.monotonic() - began
    assert took < 10
    result = finished.args[0]
    assert [r.outcome for r in result.runs] == ["finished", "stopped"]
    # the stopped run left the collection and every plot: only the kept run is drawn
    qtbot.waitUntil(lambda: not window.session.runs.of("racing")
                    and not window.overlays.drawing, timeout=5000)
    assert all(set(plot.runs) == {k.key for k in window.session.kept}
               for plot in window.overlays.plots)
    assert [k.config.epochs for k in window.session.kept] == [2]  # the stopped run is not kept
    assert no_children_left()


@pytest.mark.gui
def test_the_sweep_follows_the_windows_pace(window, qtbot):
    # 20 epochs: 1,800 steps, 30 min at 1 step/s; at full speed a second or two
    window.panel.set_values({**DIGITS, "epochs": 20})
    window.pace_combo.setCurrentIndex(window.pace_combo.findData(1))  # 1 step per second
    dialog = open_sweep(window, "16", strategies=("fixed",))
    with qtbot.waitSignal(dialog.runChunk, timeout=60000):
        dialog.start_button.click()
    assert dialog.runner.pace == 1.0
    window.pace_combo.setCurrentIndex(window.pace_combo.count() - 1)  # max
    assert dialog.runner.pace is None  # full speed
    with qtbot.waitSignal(dialog.sweepFinished, timeout=120000) as finished:
        pass
    assert finished.args[0].runs[0].steps == 20 * 90  # 1438 / 16 -> 90 steps per epoch


@pytest.mark.gui
def test_export_as_keras_script_from_the_menu(window, messages, tmp_path, monkeypatch):
    from PySide6 import QtGui, QtWidgets
    action = window.findChild(QtGui.QAction, "exportKerasAction")
    assert action in window.findChild(QtWidgets.QMenu, "fileMenu").actions() and action.toolTip()
    target = tmp_path / "my_run"
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName",
                        staticmethod(lambda *args, **kwargs: (str(target), "")))
    action.trigger()
    source = (tmp_path / "my_run.py").read_text()
    compile(source, "my_run.py", "exec")
    assert (tmp_path / "my_run.npz").exists()
    assert messages[-1][0] == "information" and "my_run.py" in messages[-1][2]
    assert not window.experiments.export_keras(str(tmp_path / "missing" / "run.py"))
    kind, title, text = messages[-1]
    assert kind == "warning" and "missing" in text
    assert not (tmp_path / "missing").exists()


@pytest.mark.gui
def test_the_sweep_dialog_in_korean_shows_no_english(window, qtbot, tmp_path):
    """The dialog's texts come from the Qt catalogue: in Korean none is English."""
    from tests.test_i18n import all_texts, identifiers, offenders
    from gui import i18n
    window.panel.set_values({**DIGITS, "epochs": 1})
    window.set_language("ko")
    try:
        dialog = open_sweep(window, "full", strategies=("fixed", "adam"))
        with qtbot.waitSignal(dialog.sweepFinished, timeout=120000):
            dialog.start_button.click()
        seen = all_texts(dialog) + [("progress", dialog.progress_bar.format())]
        assert offenders(seen, identifiers()) == []
        assert "스윕" in dialog.windowTitle() and dialog.plot.curves
    finally:  # the language is the process's: other tests expect English
        i18n.set_language(i18n.DEFAULT_LANGUAGE)


@pytest.mark.gui
def test_a_new_sweep_keeps_the_last_ones_waiting_runs_and_keeps_one_per_step(window, qtbot):
    """Runs that finished but wait for their keeping step are kept when the next sweep
    begins, not dropped; otherwise they are kept one step at a time."""
    import types
    from gui import race as race_module
    sweep = Sweep(TINY, "batch_size", (16, 24, 48))
    results = [run_point(point) for point in sweep.points()]
    race = window.experiments.race
    race.begin(types.SimpleNamespace(points=sweep.points()))
    for result in results:
        race.finish_run(result)
    race.keep_next()
    assert len(window.session.kept) == race_module.KEEP_PER_STEP == 1
    race.begin(types.SimpleNamespace(points=sweep.points()))  # before the other steps ran
    assert len(window.session.kept) == 3
    assert {kept.config.batch_size for kept in window.session.kept} == {16, 24, 48}
    race.stop()
