"""File > Open Run reads a big run folder on the worker: the window answers meanwhile, the
status bar shows progress and Cancel, Cancel adds nothing, a bad folder is named (issue 25 #8).
The worker also prepares the run for drawing and saves it in the kept-run store, so the window
only adds it. The reader under it: Run.load's progress and its blocks of rows."""

import contextlib
import gc
import os
import sqlite3
import weakref

import numpy as np
import pytest
from PySide6 import QtCore, QtWidgets

from engine import ConfigError
from engine.history import READ_BLOCK_CHARS, History
from gui.open_run import READ_SHARE
from engine.run import Run
from gui.buffers import (DebiasedEMA, SeriesPyramid, StepAxis, kept_extent, kept_float32,
                         kept_smoothed)
from gui.model import store
from gui.plots.curves import finite_extent
from gui.session import Session
from tests.benchmarks.open_run_speed import write_run

ROWS = 200_000


@pytest.fixture(scope="module")
def big_run(tmp_path_factory):
    """A run folder of ROWS steps (a 9.4 MB history.csv: 19 blocks of the reader)."""
    folder = tmp_path_factory.mktemp("open-run") / "big"
    write_run(str(folder), ROWS)
    return str(folder)


def open_counting_ticks(window, qtbot, folder, timeout=60000):
    """Open ``folder`` while a 10 ms timer runs: (runs added, timer ticks served while the
    load was under way, the progress bar's values)."""
    bar = window.findChild(QtWidgets.QProgressBar, "exportProgressBar")
    values, ticks = [], []
    bar.valueChanged.connect(values.append)
    timer = QtCore.QTimer(window)
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(len(values)))
    timer.start()
    try:
        with qtbot.waitSignal(window.files.run_opener.finished, timeout=timeout) as opened:
            assert window.files.open_runs(folder) is True  # returns at once; the worker reads
    finally:
        timer.stop()
        bar.valueChanged.disconnect(values.append)
    return opened.args[0], ticks, values


def test_a_big_run_opens_in_the_background_with_progress(window, qtbot, big_run):
    added, ticks, values = open_counting_ticks(window, qtbot, big_run)
    assert added == 1
    kept = window.session.kept[-1]
    assert kept.n_steps == ROWS
    np.testing.assert_array_equal(kept.steps["step"][[0, -1]], [1, ROWS])
    # the event loop served the timer while the rows were read, not only before or after
    # (how many ticks fit in the load depends on the machine's speed, so none is counted)
    assert any(0 < seen < len(values) for seen in ticks)
    assert values == sorted(values) and values[-1] == 100
    assert not window.findChild(QtWidgets.QWidget, "jobProgress").isVisible()
    assert "Opened 1 run(s)" in window.statusBar().currentMessage()


def test_cancel_adds_nothing_and_the_folder_opens_afterwards(window, qtbot, big_run):
    before = len(window.session.kept)
    with qtbot.waitSignal(window.files.run_opener.finished, timeout=60000) as opened:
        assert window.files.open_runs(big_run)
        qtbot.mouseClick(window.findChild(QtWidgets.QPushButton, "cancelExportButton"),
                         QtCore.Qt.LeftButton)
    assert opened.args == [0]
    assert len(window.session.kept) == before
    assert "cancelled" in window.statusBar().currentMessage()
    assert not window.findChild(QtWidgets.QWidget, "jobProgress").isVisible()
    added, _, _ = open_counting_ticks(window, qtbot, big_run)
    assert added == 1 and len(window.session.kept) == before + 1


@contextlib.contextmanager
def another_instance_writing(window):
    """Hold the kept-run database's write lock, as another window saving would: a save waits
    for it (SQLite's busy timeout) until the block ends."""
    folder = window.settings.data_folder("kept-runs")
    os.makedirs(folder, exist_ok=True)
    db = sqlite3.connect(os.path.join(folder, store.DATABASE), isolation_level=None)
    try:
        db.execute("CREATE TABLE IF NOT EXISTS held (x)")
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO held VALUES (1)")
        yield
        db.execute("ROLLBACK")
    finally:
        db.close()


def progress_values(window):
    values = []
    bar = window.findChild(QtWidgets.QProgressBar, "exportProgressBar")
    bar.valueChanged.connect(values.append)
    return values


def ticks_while(qtbot, condition, ticks=20, timeout=60000):
    """Let the event loop turn until ``condition()`` has held for ``ticks`` turns of a 10 ms
    timer in a row (how many turns, not how long: no timing is asserted)."""
    count = [0]
    timer = QtCore.QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: count.__setitem__(0, count[0] + 1 if condition() else 0))
    timer.start()
    try:
        qtbot.waitUntil(lambda: count[0] >= ticks, timeout=timeout)
    finally:
        timer.stop()


def stored_runs(window):
    """The runs a new session loads from the window's kept-run store (a restart)."""
    session = Session()
    assert session.load_kept(window.settings.data_folder("kept-runs")) == []
    return session.kept


def test_an_opened_run_is_saved_on_the_worker_while_the_window_answers(window, qtbot, big_run):
    """Saving an opened run does not hold the window: with the store's database busy (another
    instance saving), the run is read and waits on the worker to be saved while the event
    loop goes on; it is added once saved, and a restart finds it. (On the old code the window
    itself saved the run as it added it: it froze for the database's busy time, then added
    the run unsaved with "Cannot save".)"""
    values = progress_values(window)
    with qtbot.waitSignal(window.files.run_opener.finished, timeout=60000) as opened:
        with another_instance_writing(window):
            assert window.files.open_runs(big_run)
            # read and prepared: the progress is at the save's start, and the window turns
            ticks_while(qtbot, lambda: values and values[-1] >= 100 * READ_SHARE)
            assert window.session.kept == []  # not added before it is saved
    assert opened.args == [1]
    assert "Cannot save" not in window.statusBar().currentMessage()
    kept = window.session.kept[-1]
    assert kept.n_steps == ROWS and values[-1] == 100
    restarted = stored_runs(window)
    assert [run.n_steps for run in restarted] == [ROWS]
    for name, values in kept.steps.items():
        np.testing.assert_array_equal(restarted[0].steps[name], values)  # full precision


def test_cancel_while_the_run_is_saved_adds_it_nowhere(window, qtbot, big_run):
    """Cancel once the run is read, its save waiting on another instance's transaction: the
    load ends at once (not when the other transaction does), and nothing is added to the
    window or the store. (On the old code the run was read, so it was added: Cancel came too
    late.)"""
    values = progress_values(window)
    with another_instance_writing(window):
        with qtbot.waitSignal(window.files.run_opener.finished, timeout=60000) as opened:
            assert window.files.open_runs(big_run)
            ticks_while(qtbot, lambda: values and values[-1] >= 100 * READ_SHARE, ticks=5)
            qtbot.mouseClick(window.findChild(QtWidgets.QPushButton, "cancelExportButton"),
                             QtCore.Qt.LeftButton)
    assert opened.args == [0]
    assert window.session.kept == []
    assert "cancelled" in window.statusBar().currentMessage()
    assert stored_runs(window) == []


def tensorboard_smoothing(values, weight):
    """TensorBoard's smoothing as a plain loop (every value finite)."""
    last, shown = 0.0, np.empty(len(values))
    for index, value in enumerate(values.tolist()):
        last = last * weight + (1 - weight) * value
        shown[index] = last / (1 - weight ** (index + 1))
    return shown


def drawn_curve(plot):
    """(x, y) of the one curve with points on ``plot`` (the opened run's: nothing else is
    drawn in a window that has not trained)."""
    curves = [item.getData() for item in plot.getPlotItem().listDataItems()
              if item.getData()[0] is not None and len(item.getData()[0])]
    assert len(curves) == 1
    return curves[0]


def test_the_opened_runs_curves_are_its_data(window, qtbot, big_run):
    added, _, _ = open_counting_ticks(window, qtbot, big_run)
    assert added == 1
    history = Run.load(big_run).history
    smoothed = tensorboard_smoothing(history.batch_loss.astype(np.float64), 0.6)
    for name, expected in (("batchLossPlot", smoothed), ("learningRatePlot",
                                                          history.learning_rate)):
        plot = window.findChild(QtWidgets.QWidget, name)
        view = plot.getPlotItem().vb
        # the whole run: from its first step to its last, within the data's range (the view
        # is set: where the axes go by themselves is the plots' own business)
        view.setRange(xRange=(1, ROWS), padding=0)
        qtbot.waitUntil(lambda: drawn_curve(plot)[0][-1] == ROWS, timeout=5000)
        x, y = drawn_curve(plot)
        assert x[0] <= 1 and x[-1] == ROWS and len(x) < ROWS / 10  # a level of detail
        assert expected.min() - 1e-6 <= y.min() and y.max() <= expected.max() + 1e-6
        # zoomed in, every step at full detail: the data itself
        view.setRange(xRange=(150_000, 150_060), padding=0)
        qtbot.waitUntil(lambda: drawn_curve(plot)[0][0] <= 150_000 <= 150_060
                        <= drawn_curve(plot)[0][-1] and len(drawn_curve(plot)[0]) < 100,
                        timeout=5000)
        x, y = drawn_curve(plot)
        np.testing.assert_array_equal(x, np.arange(x[0], x[-1] + 1))
        np.testing.assert_allclose(y, expected[int(x[0]) - 1:int(x[-1])], rtol=1e-6)


def test_a_bad_run_folder_is_named_and_nothing_is_added(window, qtbot, messages, tmp_path):
    folder = tmp_path / "cut"
    write_run(str(folder), 50)
    with open(folder / "history.csv", "a") as handle:
        handle.write("51,1,1632,0.051,oops,0.01\n")
    with qtbot.waitSignal(window.files.run_opener.finished, timeout=20000) as opened:
        window.files.open_runs(str(folder))
    assert opened.args == [0]
    assert window.session.kept == []
    kind, title, text = messages[-1]
    assert (kind, title) == ("warning", "Cannot open the run")
    assert "history.csv line 52: 'oops' is not a number" in text


def test_a_second_open_while_one_runs_is_refused_with_a_message(window, qtbot, tmp_path):
    folder = str(tmp_path / "run")
    write_run(folder, 100)
    with qtbot.waitSignal(window.files.run_opener.finished, timeout=20000) as opened:
        assert window.files.open_runs(folder)
        assert window.files.open_runs(folder) is False
        assert "still opening" in window.statusBar().currentMessage()
    assert opened.args == [1]


def test_run_load_reports_progress_up_to_one_and_a_raising_callback_stops_it(big_run):
    fractions = []
    run = Run.load(big_run, progress=fractions.append)
    assert run.steps == ROWS
    assert len(fractions) >= 2 and fractions == sorted(fractions) and fractions[-1] == 1.0

    class Stop(Exception):
        pass

    def stop(fraction):
        raise Stop

    with pytest.raises(Stop):
        Run.load(big_run, progress=stop)


def test_a_bad_value_past_the_first_block_is_named_by_its_line(tmp_path):
    path = tmp_path / "history.csv"
    row = "1,1,0.5,0.01\n"
    rows = READ_BLOCK_CHARS // len(row) + 1000
    lines = [f"{step},1,0.5,0.01\n" for step in range(1, rows + 1)]
    lines[rows - 10] = f"{rows - 9},1,bad,0.01\n"
    path.write_text("step,epoch,batch_loss,learning_rate\n" + "".join(lines))
    with pytest.raises(ConfigError, match=rf"history.csv line {rows - 8}: 'bad' is not a number"):
        History.from_csv(path)


def test_blank_lines_and_lone_carriage_returns_read_as_rows(tmp_path):
    path = tmp_path / "history.csv"
    path.write_bytes(b"step,epoch,batch_loss,learning_rate\r1,1,0.5,0.1\r\r2,1,0.25,0.1\n\n"
                     b"3,2,1e39,0.1\r\n")
    history = History.from_csv(path)
    assert history.n_steps == 3
    assert history.batch_loss.tolist() == [0.5, 0.25, float("inf")]  # beyond float32: inf
    assert history.batch_loss.dtype == np.float32
    assert history.epoch.tolist() == [1, 1, 2]


@pytest.mark.slow
def test_a_ten_million_step_run_opens_in_the_background(window, qtbot, tmp_path):
    folder = str(tmp_path / "huge")
    write_run(folder, 10_000_000)
    assert os.path.getsize(os.path.join(folder, "history.csv")) > 400 * 2**20
    added, ticks, values = open_counting_ticks(window, qtbot, folder, timeout=600000)
    assert added == 1 and window.session.kept[-1].n_steps == 10_000_000
    assert len({seen for seen in ticks if 0 < seen < len(values)}) >= 10
    assert values[-1] == 100


# -- what the worker prepares equals what the plots built themselves --------------------------


def test_a_pyramid_over_a_kept_series_equals_one_built_point_by_chunk():
    rng = np.random.default_rng(5)
    values = rng.random(10_007).astype(np.float32)
    values[[3, 500, 501, 502, 503]] = np.nan
    for method in ("peak", "mean"):
        built = SeriesPyramid(method, dtype=np.float32)
        for start in range(0, len(values), 999):
            built.extend(values[start:start + 999])
        borrowed = SeriesPyramid.of(values, method)
        assert borrowed.view is not None and np.shares_memory(borrowed.view, values)
        assert borrowed.n_levels == built.n_levels
        for k in range(built.n_levels + 1):
            for mine, theirs in zip(borrowed.level(k), built.level(k)):
                np.testing.assert_array_equal(mine, theirs)
        before = values.copy()
        borrowed.clear()  # lets go of the series rather than write into it
        borrowed.extend(np.zeros(10, dtype=np.float32))
        np.testing.assert_array_equal(values, before)
        assert not np.shares_memory(borrowed.view, values)


def test_a_kept_runs_axis_equals_one_built_by_chunks_in_every_x_mode():
    step = np.arange(1, 5001, dtype=np.int64)
    epoch = (step - 1) // 700 + 1
    samples = step * 32
    seconds = step * 1e-3
    built = StepAxis()
    for start in range(0, len(step), 1234):
        part = slice(start, start + 1234)
        built.extend(step[part], epoch[part], samples[part], seconds[part])
    made = StepAxis.of(step, epoch, samples, seconds)
    assert np.shares_memory(made.step.view, step)
    np.testing.assert_array_equal(made.starts.view, built.starts.view)
    for mode in ("step", "epoch", "samples", "seconds"):
        np.testing.assert_allclose(made.x(mode), built.x(mode), rtol=1e-12)


def test_kept_series_are_made_once_shared_and_forgotten_with_their_array():
    values = np.random.default_rng(1).random(50_000)  # float64: the plots draw float32
    as_float32 = kept_float32(values)
    assert as_float32.dtype == np.float32 and kept_float32(values) is as_float32
    assert kept_float32(as_float32) is as_float32
    smoothed = kept_smoothed(as_float32, 0.6)
    assert kept_smoothed(as_float32, 0.6) is smoothed
    ema = DebiasedEMA(0.6, dtype=np.float32)
    ema.extend(as_float32)
    np.testing.assert_array_equal(smoothed.view, ema.output.view)
    other = kept_smoothed(as_float32, 0.9)  # a new weight replaces the old one
    assert other is not smoothed and kept_smoothed(as_float32, 0.9) is other
    copy = np.array(as_float32)  # another array, equal: made anew
    assert kept_smoothed(copy, 0.9) is not other
    forgotten = weakref.ref(other)
    del values, as_float32, other, smoothed, copy
    gc.collect()
    assert forgotten() is None  # nothing kept once the run's arrays are gone


def test_a_kept_series_extent_ignores_what_is_not_finite():
    values = np.array([np.nan, 3.0, -np.inf, -2.0, 0.5, np.inf, 0.0], dtype=np.float32)
    assert kept_extent(values) == finite_extent(values) == (-2.0, 3.0, 0.5)
    nothing = np.array([np.nan, np.inf], dtype=np.float32)
    assert kept_extent(nothing) == finite_extent(nothing) == (np.inf, -np.inf, np.inf)


def test_a_kept_runs_axis_lets_go_of_its_columns_when_cleared():
    step, epoch = np.arange(1, 101, dtype=np.int64), np.repeat([1, 2], 50)
    axis = StepAxis.of(step, epoch)
    assert axis.x("epoch") is axis.x("epoch")  # made once: the run never changes
    axis.clear()
    axis.extend(np.arange(1, 4), np.ones(3, dtype=np.int64))
    np.testing.assert_array_equal(step[:3], [1, 2, 3])
    assert len(axis) == 3 and not np.shares_memory(axis.step.view, step)
    np.testing.assert_array_equal(step, np.arange(1, 101))
